"""Split decoded vCard text into cards with a stack, so one broken card never takes the rest of the file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# BEGIN:VCARD / END:VCARD lines, with an optional group prefix (`TEST.BEGIN:VCARD`, `.BEGIN:VCARD`).
_MARKER = re.compile(r"^[ \t]*(?:[\w-]*\.)?(BEGIN|END):VCARD[ \t]*$", re.IGNORECASE | re.MULTILINE)
# Address-book wrappers some servers put around the cards; they carry nothing to import.
_WRAPPER = re.compile(r"^[ \t]*(?:BEGIN|END):VADDRESSBOOK[ \t]*$", re.IGNORECASE | re.MULTILINE)


@dataclass
class CardChunk:
    """One card's own text. `segments` are (first line number, text) pieces between BEGIN and END,
    several when nested cards were cut out of it."""

    line: int
    raw: str
    segments: list[tuple[int, str]]
    closed: bool = True


@dataclass(frozen=True)
class Stray:
    """A stretch of non-blank text that belongs to no card."""

    line: int
    reason: str


@dataclass
class _Open:
    line: int
    begin_text: str
    seg_start: int
    seg_line: int
    segments: list[tuple[int, str]] = field(default_factory=list)


class _LineCounter:
    """Line numbers for increasing offsets into the text, counted once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def at(self, offset: int) -> int:
        self.line += self.text.count("\n", self.pos, offset)
        self.pos = offset
        return self.line


def _content_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of the first and last non-blank characters in text[start:end], None when it is blank."""
    stretch = text[start:end]
    if not _WRAPPER.sub("", stretch).strip():
        return None
    first = start + len(stretch) - len(stretch.lstrip())
    last = start + len(stretch.rstrip()) - 1
    return first, last


def split_cards(text: str) -> tuple[list[CardChunk], list[Stray]]:
    """Cards in order of their BEGIN line, and the stretches of text outside every card."""
    lines = _LineCounter(text)
    cards: list[CardChunk] = []
    strays: list[tuple[int, int, int | None]] = []  # (first line, last line, stray END line)
    stack: list[_Open] = []
    outside = 0
    size = len(text)

    def note_outside(end: int, stray_end: int | None) -> None:
        span = _content_span(text, outside, end)
        if span is not None:
            first_line = lines.at(span[0])
            last_line = lines.at(span[1])
            strays.append((first_line, last_line, last_line if stray_end is not None else None))

    for match in _MARKER.finditer(text):
        start = match.start()
        stop = match.end() + 1 if match.end() < size else match.end()
        is_begin = match.group(1).upper() == "BEGIN"
        if not stack:
            if is_begin:
                note_outside(start, None)
            else:
                note_outside(stop, start)
                outside = stop
                continue
        line = lines.at(start)
        if is_begin:
            if stack:
                top = stack[-1]
                top.segments.append((top.seg_line, text[top.seg_start:start]))
            stack.append(_Open(line, text[start:stop], stop, line + 1))
            continue
        card = stack.pop()
        card.segments.append((card.seg_line, text[card.seg_start:start]))
        raw = card.begin_text + "".join(seg for _, seg in card.segments) + text[start:stop]
        cards.append(CardChunk(card.line, raw, card.segments, closed=True))
        if stack:
            stack[-1].seg_start = stop
            stack[-1].seg_line = line + 1
        else:
            outside = stop

    if stack:
        # Cards still open at the end of the file are imported anyway (with a warning).
        # The innermost one runs to the end; the outer ones stop where their nested card began.
        innermost = stack[-1]
        innermost.segments.append((innermost.seg_line, text[innermost.seg_start:size]))
        for card in stack:
            raw = card.begin_text + "".join(seg for _, seg in card.segments)
            cards.append(CardChunk(card.line, raw, card.segments, closed=False))
    else:
        note_outside(size, None)

    cards.sort(key=lambda chunk: chunk.line)
    return cards, [_describe(first, last, end, bool(cards)) for first, last, end in strays]


def _describe(first: int, last: int, end_line: int | None, any_card: bool) -> Stray:
    span = f"line {first}" if first == last else f"lines {first}-{last}"
    if end_line is not None:
        return Stray(first, f"END:VCARD at line {end_line} has no BEGIN:VCARD; {span} skipped")
    if not any_card:
        return Stray(first, f"no vCard found ({span} of other text)")
    return Stray(first, f"text outside any card skipped ({span})")
