"""Content lines of one card: unfold, join quoted-printable soft breaks, split name/params/value, never fail."""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass, field

# group.NAME;params:value — params may hold quoted strings with `:` or `;` inside.
_LINE = re.compile(r'(?:([\w-]*)\.)?([\w-]+)((?:;(?:"[^"]*"|[^";:])*)*):(.*)', re.DOTALL)
_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+")
# After a QP soft break, a fold that cut an escape (`=D0=` + ` B0`) rather than a real leading space.
_FOLDED_ESCAPE = re.compile(r"[ \t]+[0-9A-Fa-f]{2}(?:=|;|$)")
_NAME = re.compile(r"[\w-]+")
# A folded line: one search for the newline, which this pattern starts with, beats two `in` tests.
_FOLD = re.compile(r"\n[ \t]")
_PARAM_PIECE = re.compile(r'(?:[^;"]|"[^"]*")+')
_PARAM_VALUE = re.compile(r'"([^"]*)"|([^,]+)')
_CARET = re.compile(r"\^([n'^])")
_CARET_MAP = {"n": "\n", "'": '"', "^": "^"}
_FOLD_SPACES = (" ", "\t")  # what a folded line starts with


@dataclass(slots=True)
class ContentLine:
    """One property as written: `params` is the raw text after the name (`;TYPE=cell`), `value` is
    still escaped/encoded, with folds and quoted-printable soft breaks already joined."""

    line: int
    group: str
    name: str
    params: str
    value: str


@dataclass
class Params:
    """Parsed parameters: named ones (upper-cased names), 2.1 bare ones, and a Samsung X-CUSTOM label."""

    named: dict[str, list[str]] = field(default_factory=dict)
    bare: list[str] = field(default_factory=list)
    custom: list[str] = field(default_factory=list)
    qp: bool = False  # the value is quoted-printable
    charset: str = ""  # Python codec named by CHARSET=, '' when absent or unknown

    def first(self, name: str) -> str:
        values = self.named.get(name)
        return values[0] if values else ""

    def types(self) -> list[str]:
        """Every type, from TYPE=, repeated TYPE=, quoted lists and bare 2.1 parameters, upper-cased."""
        found: list[str] = []
        for value in self.named.get("TYPE", ()):
            found.extend(part.strip().upper() for part in value.split(",") if part.strip())
        found.extend(value.upper() for value in self.bare)
        return found

    def encoding(self) -> str:
        """`QUOTED-PRINTABLE`, `BASE64` (also for 3.0 `b`), or ''."""
        for value in self.named.get("ENCODING", []) + self.bare:
            upper = value.strip().upper()
            if upper in ("QUOTED-PRINTABLE", "QP"):
                return "QUOTED-PRINTABLE"
            if upper in ("B", "BASE64", "B,B"):
                return "BASE64"
        return ""


def _decode_caret(value: str) -> str:
    # RFC 6868 puts newlines and quotes into parameter values as ^n and ^'.
    return _CARET.sub(lambda m: _CARET_MAP[m.group(1)], value) if "^" in value else value


@functools.lru_cache(maxsize=4096)
def parse_params(text: str) -> Params:
    """Parse `;TYPE=cell;PREF;X-CUSTOM(...)` into a Params; empty pieces (`;;`) are ignored.

    Cached: phone exports repeat a handful of parameter strings, so callers must not change the result."""
    params = Params()
    if not text:
        return params
    if text[0] == ";":
        text = text[1:]
    pieces = text.split(";") if '"' not in text else _PARAM_PIECE.findall(text)
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        if piece[:9].upper() == "X-CUSTOM(":
            params.custom.append(piece[9:].rstrip(")"))
            continue
        name, sep, value = piece.partition("=")
        if not sep:
            params.bare.append(name)
            continue
        values = [_decode_caret(m.group(1) if m.group(1) is not None else m.group(2))
                  for m in _PARAM_VALUE.finditer(value)]
        params.named.setdefault(name.strip().upper(), []).extend(values)
    params.qp = params.encoding() == "QUOTED-PRINTABLE"
    declared = params.first("CHARSET")
    if declared:
        try:
            params.charset = codecs.lookup(declared).name
        except LookupError:
            params.charset = ""
    return params


def _excerpt(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 40 else text[:39] + "…"


def _is_qp_head(text: str) -> bool:
    head = text.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


class _Collector:
    """Accumulates physical lines into logical ones and parses each when it is complete."""

    __slots__ = ("out", "warnings", "line", "text")

    def __init__(self) -> None:
        self.out: list[ContentLine] = []
        self.warnings: list[str] = []
        self.line = 0
        self.text: str | None = None

    def flush(self) -> None:
        text = self.text
        if text is None:
            return
        self.text = None
        match = _LINE.match(text)
        if match is None:
            kind = "comment line" if text.lstrip().startswith("#") else "unreadable line"
            self.warnings.append(f"{self.line}: {kind} skipped: {_excerpt(text)}")
            return
        group, name, params, value = match.groups()
        self.out.append(ContentLine(self.line, group or "", name.upper(), params, value))


def _after_soft_break(line: str) -> str:
    """The next line after a soft break; leading whitespace there is usually a fold, not text."""
    if line[:1] not in _FOLD_SPACES:
        return line
    if _FOLDED_ESCAPE.match(line):
        return "=" + line.lstrip(" \t")  # `=D0=` + ` B0`: the fold cut an escape
    stripped = line.lstrip(" \t")
    return stripped if stripped.startswith("=") else line


def _join_soft_breaks(text: str) -> str:
    """Join quoted-printable soft breaks (a QP value's line ending in `=`) with the lines that follow."""
    out: list[str] = []
    last = 0
    size = len(text)
    find = text.find
    qp_heads = _QP_HEADS
    at = find("=\n")
    while at != -1:
        # The head before the line's first colon must say QP (partition, as find with bounds is slow to call).
        head, colon, _ = text[text.rfind("\n", 0, at) + 1:at].partition(":")
        if not colon:
            if _is_qp_head(head):
                raise NeedsLineByLine  # a soft break inside a QP property's head: as content_lines reads it
            at = find("=\n", at + 2)
            continue
        qp = qp_heads.get(head)
        if qp is None:
            qp = _remember_qp_head(head)
        if not qp:
            at = find("=\n", at + 2)
            continue
        out.append(text[last:at])
        pos = at + 2
        while True:
            stop = find("\n", pos)
            if stop == -1:
                stop = size
            if text[pos:pos + 1] in _FOLD_SPACES:  # the next line's leading whitespace is usually a fold
                line = _after_soft_break(text[pos:stop])
                if line.isspace():
                    raise NeedsLineByLine  # a blank line ends the value, as content_lines reads it
                continued = line.endswith("=")
                out.append(line[:-1] if continued else line)
            else:
                continued = stop > pos and text[stop - 1] == "="
                out.append(text[pos:stop - 1] if continued else text[pos:stop])
            if continued:
                pos = stop + 1
                if stop < size:
                    continue
            last = stop
            break
        at = find("=\n", last)
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


# Property heads (`FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE`) repeat from card to card: whether each says QP.
_QP_HEADS: dict[str, bool] = {}
_QP_HEADS_MAX = 4096


def _remember_qp_head(head: str) -> bool:
    if len(_QP_HEADS) >= _QP_HEADS_MAX:
        _QP_HEADS.clear()
    qp = _QP_HEADS[head] = _is_qp_head(head)
    return qp


class NeedsLineByLine(Exception):
    """The fast path met something only `content_lines` handles (or a warning that needs a line number)."""


@functools.lru_cache(maxsize=1024)
def _is_name(text: str) -> bool:
    return _NAME.fullmatch(text) is not None


def is_name(text: str) -> bool:
    """A property or group name: letters, digits, `-`, `_` (cached; names repeat in every card)."""
    return _is_name(text)


def unfolded_lines(segments: list[tuple[int, str]]) -> list[str]:
    """The physical lines of a single-segment card with soft breaks and folds joined, by C string
    methods. Raises NeedsLineByLine for nested cards (several segments)."""
    if len(segments) != 1:
        raise NeedsLineByLine
    text = segments[0][1]
    if "=\n" in text:
        text = _join_soft_breaks(text)
    if _FOLD.search(text):
        text = text.replace("\n ", "").replace("\n\t", "")
    return text.split("\n")


def content_lines(segments: list[tuple[int, str]]) -> tuple[list[ContentLine], list[str]]:
    """Logical content lines of a card from its (first line number, text) segments, plus warnings
    (`"LINE: reason"`) for lines that had to be skipped."""
    collector = _Collector()
    for first, segment in segments:
        qp = False  # the previous physical line ended in a quoted-printable soft break
        base64 = False  # inside a 2.1 BASE64 value, whose lines may be unindented
        for index, physical in enumerate(segment.split("\n")):
            if not physical or physical.isspace():
                collector.flush()
                qp = base64 = False
                continue
            first_char = physical[0]
            if collector.text is not None:
                if qp:
                    collector.text += _after_soft_break(physical)
                    qp = collector.text.endswith("=")
                    if qp:
                        collector.text = collector.text[:-1]
                    continue
                if first_char == " " or first_char == "\t":
                    collector.text += physical[1:]
                    if collector.text.endswith("=") and _is_qp_head(collector.text):
                        collector.text = collector.text[:-1]
                        qp = True
                    continue
                if base64 and ":" not in physical and _BASE64_LINE.fullmatch(physical):
                    collector.text += physical
                    continue
                if collector.text.endswith("\\") and _LINE.match(physical) is None:
                    trailing = len(collector.text) - len(collector.text.rstrip("\\"))
                    if trailing % 2:
                        # A 2.1 value continued with a backslash at the end of the line.
                        collector.text = collector.text[:-1] + "\\n" + physical
                        continue
            collector.flush()
            collector.line = first + index
            collector.text = physical
            qp = False
            base64 = False
            last = physical[-1]
            if last == "=" and _is_qp_head(physical):
                collector.text = physical[:-1]
                qp = True
            elif "BASE64" in physical.split(":", 1)[0].upper():
                base64 = True
        collector.flush()
    return collector.out, collector.warnings
