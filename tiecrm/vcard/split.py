"""Split decoded vCard text into cards with a stack, so one broken card never takes the rest of the file."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# BEGIN:VCARD / END:VCARD lines, with an optional group prefix (`TEST.BEGIN:VCARD`, `.BEGIN:VCARD`).
_MARKER = re.compile(r"[ \t]*(?:[\w-]*\.)?(BEGIN|END):VCARD[ \t]*", re.IGNORECASE)
# A case-insensitive literal is searched fast; a multi-line `^...$` pattern is tried at every character.
_VCARD_WORD = re.compile(r":vcard", re.IGNORECASE)
# Address-book wrappers some servers put around the cards; they carry nothing to import.
_WRAPPER = re.compile(r"^[ \t]*(?:BEGIN|END):VADDRESSBOOK[ \t]*$", re.IGNORECASE | re.MULTILINE)


@dataclass(slots=True)
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


def _line_at(text: str, start: int) -> str:
    end = text.find("\n", start)
    return text[start:] if end == -1 else text[start:end + 1]


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
    strays: list[Stray] = []
    cards = list(iter_cards(text, strays))
    return cards, strays


_BEGIN, _END = "BEGIN:VCARD\n", "\nEND:VCARD\n"


def _plain_card_spans(text: str) -> list[tuple[int, int]] | None:
    """(start, end) of every card when the text is nothing but cards written the plain way, back to back:
    `BEGIN:VCARD` and `END:VCARD` in capitals at the start of their own lines, no card inside another,
    nothing between or after them, a newline at the end. None for anything else (iter_cards' general
    path reads it). Most exports are this, and finding the cards needs no more than that."""
    if not text.startswith(_BEGIN) or not text.endswith("\n"):
        return None
    spans: list[tuple[int, int]] = []
    find, size, pos = text.find, len(text), 0
    while pos < size:
        if not text.startswith(_BEGIN, pos):
            return None  # text between two cards, or a marker written another way
        end = find(_END, pos + len(_BEGIN) - 1)  # the END line may follow the BEGIN line at once
        if end == -1:
            return None
        spans.append((pos, end + len(_END)))
        pos = end + len(_END)
    # Every marker must be one of the cards' own: a card inside another, or a marker in other capitals,
    # shows up as one marker too many.
    if len(_VCARD_WORD.findall(text)) != 2 * len(spans):
        return None
    return spans


def _plain_cards(text: str, spans: list[tuple[int, int]], first_line: int) -> Iterator[CardChunk]:
    count, line = text.count, first_line
    for start, stop in spans:
        # The card's own lines run from after its BEGIN line to the start of its END line.
        yield CardChunk(line, text[start:stop], [(line + 1, text[start + len(_BEGIN):stop - len(_END) + 1])], True)
        line += count("\n", start, stop)


def iter_cards(text: str, strays_out: list[Stray], first_line: int = 1, cards_before: bool = False,
               ) -> Iterator[CardChunk]:
    """Cards in order of their BEGIN line, one at a time; the stretches of text outside every card are
    appended to `strays_out` once the text is used up (whether they are the only text is known then).

    `text` may be the rest of a file whose first cards were read another way: it then starts at line
    `first_line`, just after a card's END line, and `cards_before` says whether any card came before it."""
    spans = _plain_card_spans(text)
    if spans is not None:
        return _plain_cards(text, spans, first_line)
    return _any_cards(text, strays_out, first_line, cards_before)


def _any_cards(text: str, strays_out: list[Stray], first_line: int = 1, cards_before: bool = False,
               ) -> Iterator[CardChunk]:
    """iter_cards for any text: nested cards, stray text, markers in any case or with groups."""
    # Cards close inner first; those of one outermost card wait here and leave sorted by BEGIN line.
    cards: list[CardChunk] = []
    any_card = cards_before
    strays: list[tuple[int, int, int | None]] = []  # (first line, last line, stray END line)
    # Open cards: [BEGIN line, BEGIN offset, segment start offset, segment first line, segments].
    stack: list[list] = []
    outside = 0
    size = len(text)
    count = text.count
    pos, line = 0, first_line  # line number of offset `pos`, advanced as markers are found

    def note_outside(end: int, stray_end: bool) -> None:
        nonlocal pos, line
        span = _content_span(text, outside, end)
        if span is not None:
            line += count("\n", pos, span[0])
            first_line = line
            line += count("\n", span[0], span[1])
            pos = span[1]
            strays.append((first_line, line, line if stray_end else None))

    for word in _VCARD_WORD.finditer(text):
        at, end = word.start(), word.end()
        # Fast path for the usual `\nBEGIN:VCARD\n`; anything else is checked with the full pattern.
        after = text[end:end + 1]
        if after == "\n" and text[at - 5:at].upper() == "BEGIN" and text[at - 6:at - 5] in ("\n", ""):
            start, is_begin = at - 5, True
        elif after == "\n" and text[at - 3:at].upper() == "END" and text[at - 4:at - 3] in ("\n", ""):
            start, is_begin = at - 3, False
        else:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", end)
            if end == -1:
                end = size
            match = _MARKER.fullmatch(text, start, end)
            if match is None:
                continue
            is_begin = match.group(1).upper() == "BEGIN"
        stop = end + 1 if end < size else end
        if not stack:
            if not is_begin:
                note_outside(stop, True)
                outside = stop
                continue
            if outside < start:
                note_outside(start, False)
        line += count("\n", pos, start)
        pos = start
        if is_begin:
            if stack:
                top = stack[-1]
                top[4].append((top[3], text[top[2]:start]))
            stack.append([line, start, stop, line + 1, []])
            continue
        begin_line, begin_at, seg_start, seg_line, segments = stack.pop()
        if segments:
            # Nested cards were cut out: the outer card keeps its own lines only.
            segments.append((seg_line, text[seg_start:start]))
            raw = _line_at(text, begin_at) + "".join(s for _, s in segments) + text[start:stop]
        else:
            segments = [(seg_line, text[seg_start:start])]
            raw = text[begin_at:stop]
        cards.append(CardChunk(begin_line, raw, segments, True))
        any_card = True
        if stack:
            stack[-1][2] = stop
            stack[-1][3] = line + 1
        else:
            outside = stop
            if len(cards) > 1:
                cards.sort(key=lambda chunk: chunk.line)
            yield from cards
            cards.clear()

    if stack:
        # Cards still open at the end of the file are imported anyway (with a warning).
        # The innermost one runs to the end; the outer ones stop where their nested card began.
        stack[-1][4].append((stack[-1][3], text[stack[-1][2]:size]))
        for begin_line, begin_at, _start, _line, segments in stack:
            begin_text = _line_at(text, begin_at)
            cards.append(CardChunk(begin_line, begin_text + "".join(s for _, s in segments), segments, False))
            any_card = True
    elif outside < size:
        note_outside(size, False)

    if len(cards) > 1:
        cards.sort(key=lambda chunk: chunk.line)
    yield from cards
    strays_out.extend(_describe(first, last, end, any_card) for first, last, end in strays)


def _describe(first: int, last: int, end_line: int | None, any_card: bool) -> Stray:
    span = f"line {first}" if first == last else f"lines {first}-{last}"
    if end_line is not None:
        return Stray(first, f"END:VCARD at line {end_line} has no BEGIN:VCARD; {span} skipped")
    if not any_card:
        return Stray(first, f"no vCard found ({span} of other text)")
    # The problem already names its first line; a span longer than one line says where it ends.
    return Stray(first, "text outside any card skipped" + ("" if first == last else f" ({span})"))
