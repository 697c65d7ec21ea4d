"""Card photos: inline base64 (2.1 BASE64, 3.0 ENCODING=b), data: URIs in any case, or URLs."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from tiecrm.vcard.lines import Params

_DATA_URI = re.compile(r"data:([\w.+-]+/[\w.+-]+)?((?:;[^,;\\]*)*?)(?:;base64)?\\?,(.*)", re.IGNORECASE | re.DOTALL)
_WHITESPACE = re.compile(r"\s+")
_MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF8", "gif"),
    (b"BM", "bmp"),
    (b"RIFF", "webp"),
)


@dataclass(frozen=True)
class PhotoResult:
    data: bytes | None = None
    kind: str = ""
    url: str = ""
    error: str = ""


def sniff_image_type(data: bytes) -> str:
    """`jpeg`, `png`, `gif`... from the first bytes; '' when unknown."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return ""


def _b64(text: str) -> bytes:
    if " " in text or "\t" in text or "\n" in text:
        text = _WHITESPACE.sub("", text)
    # Writers drop the padding now and then; a remainder of 1 cannot be repaired.
    if len(text) % 4:
        text += "=" * (-len(text) % 4)
    return base64.b64decode(text, validate=True)


def _kind_from(label: str) -> str:
    label = label.strip().lower()
    if "/" in label:
        label = label.split("/", 1)[1]
    return "jpeg" if label == "jpg" else label


def read_photo(value: str, params: Params) -> PhotoResult:
    """Decode a PHOTO value; a broken one gives `error` and no data, never an exception."""
    text = value.strip()
    declared = params.first("TYPE") or params.first("MEDIATYPE")
    if not declared:
        declared = next((b for b in params.bare if b.upper() in ("JPEG", "JPG", "PNG", "GIF", "BMP")), "")
    if text[:5].lower() == "data:":
        match = _DATA_URI.match(text)
        if not match:
            return PhotoResult(error="photo dropped: unreadable data: URI")
        try:
            data = _b64(match.group(3))
        except (binascii.Error, ValueError):
            return PhotoResult(error="photo dropped: bad base64")
        return PhotoResult(data, sniff_image_type(data) or _kind_from(match.group(1) or declared))
    if params.encoding() == "BASE64":
        try:
            data = _b64(text)
        except (binascii.Error, ValueError):
            return PhotoResult(error="photo dropped: bad base64")
        if not data:
            return PhotoResult()
        return PhotoResult(data, sniff_image_type(data) or _kind_from(declared))
    if "://" in text or params.first("VALUE").lower() in ("uri", "url"):
        return PhotoResult(url=text.replace("\\:", ":").replace("\\,", ","))
    if not text:
        return PhotoResult()
    return PhotoResult(error="photo dropped: neither base64 nor a URL")
