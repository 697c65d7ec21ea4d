"""Find a UTF-8 file's cards a chunk at a time, on bytes, so reading it never holds its whole text."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

from tiecrm.vcard.decode import normalise_newline_bytes, utf8_errors_for
from tiecrm.vcard.split import CardChunk, Stray, iter_cards

CHUNK = 1 << 20  # bytes read at a time: large enough that the work per chunk is nothing beside its cards

_BEGIN, _END = b"BEGIN:VCARD\n", b"\nEND:VCARD\n"
_UPPER_BEGIN, _LOWER_BEGIN = b"BEGIN:VCARD", b"begin:vcard"
_CONTENT_FROM, _CONTENT_TO = len(_BEGIN), 1 - len(_END)  # a card's own lines, END line's newline kept


def utf8_errors_of(file: BinaryIO) -> str | None:
    """The errors mode to decode `file` card by card exactly as decode_vcard_bytes decodes it whole, or None
    when it would not read it as UTF-8 (another BOM, or a byte that is not UTF-8 anywhere in a file without
    a BOM). Reads a file without a BOM through once, a chunk at a time; leaves its position anywhere."""
    errors = utf8_errors_for(file.read(4))
    if errors != "strict":
        return errors
    file.seek(0)
    # Line endings need not be normalised first: they are ASCII, and normalising never joins two bytes of
    # other characters (a `\n` always stays between them).
    decoder = codecs.getincrementaldecoder("utf-8")()
    decode, pending = decoder.decode, decoder.getstate
    try:
        while chunk := file.read(CHUNK):
            # ASCII is UTF-8 (found without decoding), unless it follows a character the last chunk cut.
            if not chunk.isascii() or pending()[0]:
                decode(chunk)
        decode(b"", True)
    except UnicodeDecodeError:
        return None
    return errors


def count_begin_lines(file: BinaryIO, enough: int | None = None) -> int:
    """How many times `BEGIN:VCARD` or `begin:vcard` occurs in `file`, reading a chunk at a time; with
    `enough`, only until that many are counted."""
    total, tail = 0, b""
    while chunk := file.read(CHUNK):
        data = tail + chunk
        total += data.count(_UPPER_BEGIN) + data.count(_LOWER_BEGIN)
        if enough is not None and total >= enough:
            break
        # A marker cut by the chunk's end is whole in the next piece; a tail shorter than a marker never
        # holds one counted already.
        tail = data[1 - len(_UPPER_BEGIN):]
    return total


def bom_length(errors: str) -> int:
    """Bytes to skip at the start of a file utf8_errors_of gave `errors` for: a UTF-8 BOM or nothing."""
    return len(codecs.BOM_UTF8) if errors == "replace" else 0


def _line_pieces(file: BinaryIO) -> Iterator[bytes]:
    """The rest of `file`, a chunk at a time, with line endings normalised; each piece ends just after a
    `\\n` (the last one at the end of the file), so no line ending and no character is cut in two."""
    parts: list[bytes] = []
    while chunk := file.read(CHUNK):
        cut = chunk.rfind(b"\n") + 1
        if not cut:
            parts.append(chunk)  # a line longer than a chunk: its pieces wait for its end
            continue
        parts.append(chunk[:cut])
        yield normalise_newline_bytes(b"".join(parts) if len(parts) > 1 else parts[0])
        parts = [chunk[cut:]] if cut < len(chunk) else []
    if parts:
        yield normalise_newline_bytes(b"".join(parts))


def _card_ends(data: bytes) -> list[int] | None:
    """Where each whole card at the start of `data` ends, while they are written the plain way (see
    split._plain_card_spans); None when something else comes first. What follows the last whole card
    (a card not read to its end yet) is left for the next piece."""
    ends: list[int] = []
    find, startswith, size, pos = data.find, data.startswith, len(data), 0
    while pos < size:
        if not startswith(_BEGIN, pos):
            if size - pos < len(_BEGIN) and _BEGIN.startswith(data[pos:]):
                break  # the BEGIN line itself is cut by the piece's end
            return None
        end = find(_END, pos + len(_BEGIN) - 1)  # the END line may follow the BEGIN line at once
        if end == -1:
            break
        pos = end + len(_END)
        ends.append(pos)
    # As in split._plain_card_spans: a marker in other capitals or a card inside another shows up as one
    # `:vcard` too many. Its letters have no other case forms in Unicode, so bytes count as the text would.
    if ends and data.lower().count(b":vcard", 0, pos) != 2 * len(ends):
        return None
    return ends


def iter_file_cards(file: BinaryIO, errors: str, strays_out: list[Stray]) -> Iterator[CardChunk]:
    """What iter_cards gives for the text decode_vcard_bytes makes of `file`, reading a chunk at a time:
    `file` is positioned after its BOM and is UTF-8 as utf8_errors_of found (`errors`). While the cards are
    written the plain way, each is decoded on its own; from the first piece that is not, the rest of the
    file is decoded whole and read by iter_cards, its line numbers following on."""
    line, cards_before = 1, False
    rest = b""  # the start of a card not read to its end yet
    pieces = _line_pieces(file)
    for piece in pieces:
        data = rest + piece if rest else piece
        ends = _card_ends(data)
        if ends is None:
            rest = b"".join([data, *pieces])
            break
        start = 0
        count = data.count
        for stop in ends:
            raw = data[start:stop].decode("utf-8", errors)
            yield CardChunk(line, raw, [(line + 1, raw[_CONTENT_FROM:_CONTENT_TO])], True)
            line += count(b"\n", start, stop)
            start = stop
        cards_before = cards_before or start > 0
        rest = data[start:]
    if rest:
        # Whatever is not plain cards (stray text, nested cards, an END line missing...) starts at a card's
        # BEGIN line or at the file's start, where the general reader's state is the same as after a card.
        text = rest.decode("utf-8", errors)
        rest = b""  # the text alone is needed from here on
        yield from iter_cards(text, strays_out, line, cards_before)
