"""Turn the bytes of a vCard file into text: BOMs, UTF-8, folds that split a character, CHARSET=, cp1252."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# A fold (CRLF/LF + space or tab) placed in the middle of a multi-byte UTF-8 character.
# The fold is moved after the character instead of removed, so line numbers stay right.
_SPLIT_CHAR_FOLD = re.compile(rb"([\xc2-\xf4][\x80-\xbf]*)(\n[ \t])([\x80-\xbf]+)")
_DECLARED_CHARSET = re.compile(rb"CHARSET=\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Shift_JIS files from Japanese phones use cp932 (the Microsoft superset) characters too.
_CODEC_SUPERSETS = {"shift_jis": "cp932", "iso8859-1": "cp1252", "ascii": "cp1252"}


@dataclass(frozen=True)
class DecodedText:
    """The file as text with `\\n` line endings, the codec that produced it, and whether it is a guess."""

    text: str
    encoding: str
    lossy: bool = False


def normalise_newlines(text: str) -> str:
    """`\\r\\r\\n` (iOS), `\\r\\n` and lone `\\r` (classic Mac) all become `\\n`."""
    if "\r" not in text:
        return text
    return text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")


def normalise_newline_bytes(data: bytes) -> bytes:
    """normalise_newlines on bytes in an ASCII-compatible codec. Every ending it replaces ends at a `\\n` or is
    a lone `\\r`, so pieces cut just after a `\\n` can be normalised one by one with the same result."""
    if b"\r" not in data:
        return data
    # Mostly `\r\n` alone: a `\r` left after replacing those is the only sign of the rest (`\r\r\n` leaves
    # `\r\n`), and is found much faster than `\r\r` is searched for.
    crlf_only = data.replace(b"\r\n", b"\n")
    if b"\r" not in crlf_only:
        return crlf_only
    del crlf_only
    data = data.replace(b"\r\r\n", b"\n").replace(b"\r\n", b"\n")
    if b"\r" in data:
        data = data.replace(b"\r", b"\n")
    return data


def utf8_errors_for(head: bytes) -> str | None:
    """How decode_vcard_bytes reads a file starting with `head` (its first 4 bytes) should it be UTF-8:
    "replace" after a UTF-8 BOM (bad bytes become U+FFFD), "strict" with no BOM (one bad byte anywhere and
    the whole file goes to another codec), None when a UTF-16/32 BOM or UTF-16 without one decides."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return "replace" if encoding == "utf-8" else None
    return None if _utf16_without_bom(head) else "strict"


def codec_name(label: str) -> str | None:
    """Python's name for a charset label (`Shift_JIS`, `windows-1251`), or None when it is unknown."""
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4]
    if head[:2] == b"B\x00" or head[:2] == b"\r\x00" or head[:2] == b"\n\x00":
        return "utf-16-le"
    if head[:2] == b"\x00B" or head[:2] == b"\x00\r" or head[:2] == b"\x00\n":
        return "utf-16-be"
    return None


def decode_vcard_bytes(data: bytes) -> DecodedText:
    """Decode a whole file, trying BOM, UTF-8, UTF-8 with split folds repaired, CHARSET=, then cp1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")
            return DecodedText(normalise_newlines(text), encoding)
    wide = _utf16_without_bom(data)
    if wide:
        return DecodedText(normalise_newlines(data.decode(wide, errors="replace")), wide)
    # Safe on bytes for every codec left (UTF-8, cp125x, Shift_JIS): CR and LF are never trail bytes.
    data = normalise_newline_bytes(data)

    text = _try(data, "utf-8")
    if text is not None:
        return DecodedText(normalise_newlines(text), "utf-8")

    repaired = _SPLIT_CHAR_FOLD.sub(rb"\1\3\2", data)
    if repaired != data:
        text = _try(repaired, "utf-8")
        if text is not None:
            return DecodedText(normalise_newlines(text), "utf-8")

    declared = _DECLARED_CHARSET.search(data)
    if declared:
        name = codec_name(declared.group(1).decode("ascii"))
        if name and name != "utf-8":
            for candidate in (name, _CODEC_SUPERSETS.get(name)):
                if candidate:
                    text = _try(data, candidate)
                    if text is not None:
                        return DecodedText(normalise_newlines(text), candidate)

    # Nothing fits: cp1252 maps almost every byte, so the text is readable but may be wrong.
    return DecodedText(normalise_newlines(data.decode("cp1252", errors="replace")), "cp1252", lossy=True)
