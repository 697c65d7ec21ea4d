"""Make text that came from a contact safe to print: control characters become visible, never interpreted."""

from __future__ import annotations

import re

# C0 controls (except tab/newline, handled separately), DEL, C1 controls, and bidi overrides
# that could reorder what the terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, multiline: bool = False) -> str:
    """Return `text` with every control character written out (`\\x1b`), so it is shown, not obeyed.

    Args:
        text: text from a card or the user.
        multiline: keep newlines (for notes); otherwise they are shown as `\\n`.
    """
    text = _CONTROL.sub(_escape, text)
    text = text.replace("\t", " ")
    if not multiline:
        text = text.replace("\r\n", "\n").replace("\n", "\\n").replace("\r", "\\r")
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
