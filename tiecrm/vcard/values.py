"""Value text: quoted-printable decoding with the declared charset, unescaping and escaping, structured splits."""

from __future__ import annotations

import binascii
import re

from tiecrm.vcard.decode import codec_name
from tiecrm.vcard.lines import Params

_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNESCAPED = {"n": "\n", "N": "\n", ",": ",", ";": ";", ":": ":", "\\": "\\"}
# The same pairs for plain replacing, where no backslash is escaped (see unescape).
_PAIRS = tuple(("\\" + escaped, char) for escaped, char in _UNESCAPED.items() if escaped != "\\")
_UNESCAPED_SEMICOLON = re.compile(r"(?<!\\);")
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")
# Stands in for an escaped backslash while splitting, so `\\;` still splits.
_HOLD = "\x00"


def unescape(value: str) -> str:
    """`\\,` `\\;` `\\:` `\\\\` and `\\n`/`\\N` become their characters; any other backslash stays."""
    if "\\" not in value:
        return value
    if "\\\\" not in value:
        # Without `\\\\`, each backslash and the character after it are a pair no other pair overlaps, and
        # no replacement makes a backslash: replacing pair by pair gives what the pattern gives, faster.
        for escaped, char in _PAIRS:
            if escaped in value:
                value = value.replace(escaped, char)
        return value
    return _ESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(0)), value)


def split_escaped(value: str, separator: str = ";") -> list[str]:
    """Split on separators that are not backslash-escaped; the parts are still escaped."""
    if "\\" not in value:
        return value.split(separator)
    pattern = _UNESCAPED_SEMICOLON if separator == ";" else _UNESCAPED_COMMA
    held = value.replace("\\\\", _HOLD)
    return [part.replace(_HOLD, "\\\\") for part in pattern.split(held)]


def escape_text(value: str, version: str = "3.0", structured: bool = False) -> str:
    """Escape a text value for writing: backslash, comma, newline; semicolon in 3.0 and in
    structured (N, ADR, ORG) components of 4.0, where RFC 6350 text has no `\\;`."""
    value = value.replace("\\", "\\\\").replace(",", "\\,")
    if structured or not version.startswith("4"):
        value = value.replace(";", "\\;")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def decode_quoted_printable(value: str, charset: str) -> tuple[str, bool]:
    """Decode a QP value whose soft breaks are already joined; returns (text, decoded cleanly)."""
    data: str | bytes
    if value.isascii():
        data = value  # a2b_qp takes ASCII text as it is
    else:
        try:
            data = value.encode(charset)
        except (UnicodeEncodeError, LookupError):
            data = value.encode("utf-8", errors="replace")
    raw = binascii.a2b_qp(data)
    try:
        return raw.decode(charset), True
    except (UnicodeDecodeError, LookupError):
        pass
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.decode(charset if codec_name(charset) else "utf-8", errors="replace"), False


def qp_charset(params: Params) -> str:
    """The charset a value with these parameters is quoted-printable decoded with; '' when it is not QP."""
    if not params.qp:
        return ""
    # 2.1 files say nothing or US-ASCII; phones write UTF-8 there anyway.
    charset = params.charset or "utf-8"
    return "utf-8" if charset == "ascii" else charset


def decoded_value(value: str, params: Params, file_encoding: str) -> tuple[str, bool]:
    """The value with quoted-printable undone (still backslash-escaped); (text, decoded cleanly)."""
    charset = qp_charset(params)
    if not charset:
        return value, True
    return decoded_qp(value, charset)


def decoded_qp(value: str, charset: str) -> tuple[str, bool]:
    """A quoted-printable value decoded with the charset `qp_charset` gives (still backslash-escaped);
    (text, decoded cleanly)."""
    text, clean = decode_quoted_printable(value, charset)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, clean


def custom_label(custom: str) -> str:
    """The label Samsung hides in `X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,=70=72...)`."""
    parts = custom.split(",")
    options = {}
    label_parts = []
    for part in parts:
        key, sep, val = part.partition("=")
        if sep and key.strip().upper() in ("CHARSET", "ENCODING"):
            options[key.strip().upper()] = val.strip()
        else:
            label_parts.append(part)
    label = ",".join(label_parts)
    if options.get("ENCODING", "").upper() == "QUOTED-PRINTABLE":
        charset = codec_name(options.get("CHARSET", "utf-8")) or "utf-8"
        label, _ = decode_quoted_printable(label, charset)
    return label.strip()
