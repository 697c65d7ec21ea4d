"""Write people as vCard 3.0 or 4.0, keeping every property of their original cards that tiecrm does not own."""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Iterable, Sequence

from tiecrm.domain import Birthday, CardDraft, PersonDetail, PersonSummary
from tiecrm.vcard.decode import normalise_newlines
from tiecrm.vcard.lines import ContentLine, Params, content_lines, parse_params
from tiecrm.vcard.photo import sniff_image_type
from tiecrm.vcard.reader import read_vcard_bytes
from tiecrm.vcard.split import split_cards
from tiecrm.vcard.values import decoded_value, escape_text, split_escaped, unescape

# Properties tiecrm writes itself from the person; the originals' versions are not copied.
OWNED = {"BEGIN", "END", "VERSION", "UID", "FN", "N", "TEL", "EMAIL", "ADR", "ORG", "TITLE", "BDAY",
         "NOTE", "PHOTO", "PROFILE", "PRODID"}
_OWNED_PREFIX = "X-TIECRM-"
# Labels that are standard TYPE values; any other label is written as an Apple X-ABLabel.
_TYPES = {
    "TEL": {"home", "work", "cell", "voice", "fax", "pager", "msg", "video", "text", "textphone",
            "isdn", "bbs", "modem", "car", "pcs", "main"},
    "EMAIL": {"home", "work", "internet", "x400"},
    "ADR": {"home", "work", "dom", "intl", "postal", "parcel"},
}
_ENCODING_WORDS = {"QUOTED-PRINTABLE", "QP", "BASE64", "B", "8BIT", "7BIT"}
_NEEDS_QUOTES = re.compile(r'[:;,"]')
_CRLF = "\r\n"
_UID_NAMESPACE = uuid.UUID("5b0c1a9e-3f6d-4c52-9a57-6f1d2e7c8b40")


def fold(line: str) -> str:
    """The line with CRLF, folded at 75 octets without splitting a UTF-8 character."""
    if len(line) <= 75 and line.isascii():
        return line + _CRLF
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + _CRLF
    parts: list[str] = []
    start, limit = 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1  # never cut a multi-byte character
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return (_CRLF + " ").join(parts) + _CRLF


def _param_value(value: str) -> str:
    value = value.replace("\n", "^n").replace('"', "^'")
    return f'"{value}"' if _NEEDS_QUOTES.search(value) else value


def _params_text(named: dict[str, list[str]], types: list[str]) -> str:
    pieces = []
    if types:
        pieces.append("TYPE=" + ",".join(_param_value(t) for t in types))
    for name, values in named.items():
        pieces.append(f"{name}=" + ",".join(_param_value(v) for v in values) if values else name)
    return "".join(";" + piece for piece in pieces)


class _RawCard:
    """One original card: its draft (as the reader sees it) and its content lines."""

    def __init__(self, raw: str) -> None:
        text = normalise_newlines(raw)
        self.draft: CardDraft | None = None
        result = read_vcard_bytes(text.encode("utf-8"))
        if result.drafts:
            self.draft = result.drafts[0]
        chunks, _ = split_cards(text)
        segments = chunks[0].segments if chunks else [(1, text)]
        self.lines, _ = content_lines(segments)
        self.version = self.draft.version if self.draft else ""

    def first(self, name: str) -> ContentLine | None:
        return next((line for line in self.lines if line.name == name), None)

    def text(self, line: ContentLine) -> str:
        """The value with quoted-printable undone, still escaped."""
        params = parse_params(line.params) if line.params else Params()
        return decoded_value(line.value, params, "")[0]


def _other_line(raw: _RawCard, line: ContentLine, version: str) -> str | None:
    """A property tiecrm does not own, re-encoded as UTF-8 text for `version`; None to drop it."""
    params = parse_params(line.params) if line.params else Params()
    value = line.value
    named = {k: list(v) for k, v in params.named.items() if k not in ("CHARSET", "ENCODING")}
    types = [b for b in params.bare if b.upper() not in _ENCODING_WORDS]
    types = named.pop("TYPE", []) + types
    encoding = params.encoding()
    if encoding == "QUOTED-PRINTABLE":
        value = decoded_value(value, params, "")[0].replace("\n", "\\n")
    elif encoding == "BASE64":
        data = re.sub(r"\s+", "", value)
        if version.startswith("4"):
            kind = next((t.lower() for t in types if "/" not in t), "")
            mime = f"image/{kind or 'jpeg'}" if line.name in ("LOGO", "PHOTO") else "application/octet-stream"
            types = [t for t in types if t.lower() != kind]
            value = f"data:{mime};base64,{data}"
        else:
            named["ENCODING"] = ["b"]
            value = data
    name = f"{line.group}.{line.name}" if line.group else line.name
    return name + _params_text(named, types) + ":" + value.replace("\r", "").replace("\n", "\\n")


def _typed(name: str, value: str, label: str, version: str, groups: _Groups) -> list[str]:
    """TEL/EMAIL/ADR with its label: standard words as TYPE=, anything else as itemN.X-ABLabel."""
    words = label.split()
    if not words:
        return [f"{name}:{value}"]
    if all(word.lower() in _TYPES[name] for word in words):
        return [f"{name};TYPE={','.join(word.lower() for word in words)}:{value}"]
    group = groups.next()
    return [f"{group}.{name}:{value}", f"{group}.X-ABLabel:{escape_text(label, version)}"]


class _Groups:
    """Group names for labelled properties that do not clash with groups kept from the originals."""

    def __init__(self, used: set[str]) -> None:
        self.used = used
        self.count = 0

    def next(self) -> str:
        while True:
            self.count += 1
            name = f"item{self.count}"
            if name.upper() not in self.used:
                self.used.add(name.upper())
                return name


def _birthday(birthday: Birthday, version: str) -> str:
    if birthday.year is None:
        return f"--{birthday.month:02d}{birthday.day:02d}"
    if version.startswith("4"):
        return f"{birthday.year:04d}{birthday.month:02d}{birthday.day:02d}"
    return birthday.iso()


def _structured(parts: Sequence[str], version: str) -> str:
    return ";".join(escape_text(part, version, structured=True) for part in parts)


def _raw_components(raw: _RawCard, line: ContentLine) -> list[str]:
    return [unescape(part) for part in split_escaped(raw.text(line))]


def _flat(parts: Sequence[str]) -> str:
    cleaned = (", ".join(p.strip() for p in part.split("\n") if p.strip()) for part in parts)
    return ", ".join(part for part in cleaned if part)


def fallback_uid(person: PersonSummary) -> str:
    """A stable UID for a person whose cards had none, so distinct people never merge on re-import."""
    return "urn:uuid:" + str(uuid.uuid5(_UID_NAMESPACE, f"{person.id}\n{person.name}"))


def write_card(detail: PersonDetail, raw_cards: Sequence[str] = (), version: str = "3.0",
               uid: str | None = None) -> str:
    """One vCard for a person, with CRLF line endings.

    Args:
        detail: what tiecrm knows about the person; it wins over the original cards.
        raw_cards: the person's original card texts; their other properties are carried over.
        version: "3.0" or "4.0".
        uid: the UID to write; by default the person's own UID, else the first original card's,
            else one made from the person's id and name (`fallback_uid`).
    """
    version = "4.0" if str(version).startswith("4") else "3.0"
    person = detail.summary
    raws = [_RawCard(raw) for raw in raw_cards if raw and raw.strip()]
    uid = (uid or getattr(person, "uid", "")
           or next((raw.draft.uid for raw in raws if raw.draft and raw.draft.uid), None) or fallback_uid(person))

    kept: list[str] = []
    seen: set[str] = set()
    used_groups: set[str] = set()
    for raw in raws:
        owned_groups = {line.group.upper() for line in raw.lines
                        if line.group and (line.name in OWNED or line.name.startswith(_OWNED_PREFIX))}
        for line in raw.lines:
            if line.name in OWNED or line.name.startswith(_OWNED_PREFIX):
                continue
            if line.name == "X-ABLABEL" and line.group.upper() in owned_groups:
                continue  # the label travels with the phone, email or address written below
            if line.name == "PHOTO":
                continue
            text = _other_line(raw, line, version)
            if text is not None and text.upper() not in seen:
                seen.add(text.upper())
                kept.append(text)
                if line.group:
                    used_groups.add(line.group.upper())
    groups = _Groups(used_groups)

    out = [f"VERSION:{version}"]
    if uid:
        out.append(f"UID:{escape_text(uid, version)}")
    out.append(f"FN:{escape_text(person.name, version)}")
    n_line = next((r.first("N") for r in raws if r.first("N") and r.draft and r.draft.name == person.name), None)
    if n_line is not None:
        owner = next(r for r in raws if n_line in r.lines)
        parts = _raw_components(owner, n_line)
        out.append("N:" + _structured(parts + [""] * (5 - len(parts)), version))
    else:
        words = person.name.split()
        family = words[-1] if len(words) > 1 else ""
        given = " ".join(words[:-1]) if len(words) > 1 else person.name
        out.append("N:" + _structured([family, given, "", "", ""], version))

    for phone in detail.phones:
        out += _typed("TEL", phone.value.replace("\n", " "), phone.label, version, groups)
    for email in detail.emails:
        out += _typed("EMAIL", email.value.replace("\n", " "), email.label, version, groups)
    raw_addresses: dict[str, list[str]] = {}
    for raw in raws:
        for line in raw.lines:
            if line.name == "ADR":
                parts = _raw_components(raw, line)
                raw_addresses.setdefault(_flat(parts), parts)
    for address in detail.addresses:
        parts = raw_addresses.get(address.value) or ["", "", address.value, "", "", "", ""]
        out += _typed("ADR", _structured(parts, version), address.label, version, groups)

    if person.org:
        org_line = next((r.first("ORG") for r in raws if r.first("ORG") and r.draft and r.draft.org == person.org),
                        None)
        if org_line is not None:
            owner = next(r for r in raws if org_line in r.lines)
            out.append("ORG:" + _structured(_raw_components(owner, org_line), version))
        else:
            out.append("ORG:" + escape_text(person.org, version, structured=True))
    if person.title:
        out.append(f"TITLE:{escape_text(person.title, version)}")
    if person.birthday:
        out.append(f"BDAY:{_birthday(person.birthday, version)}")
    if person.note:
        out.append(f"NOTE:{escape_text(person.note, version)}")
    photo = detail.photo
    if photo:
        kind = sniff_image_type(photo) or "jpeg"
        data = base64.b64encode(photo).decode("ascii")
        if version == "4.0":
            out.append(f"PHOTO:data:image/{kind};base64,{data}")
        else:
            out.append(f"PHOTO;ENCODING=b;TYPE={kind.upper()}:{data}")
    else:
        url = next((raw.draft.photo_url for raw in raws if raw.draft and raw.draft.photo_url), "")
        if url:
            out.append(f"PHOTO:{url}" if version == "4.0" else f"PHOTO;VALUE=uri:{url}")

    out += kept
    out.append(f"X-TIECRM-BUCKET:{person.bucket.value}")
    out.append(f"X-TIECRM-MINUTES:{person.minutes_invested}")
    return "BEGIN:VCARD" + _CRLF + "".join(fold(line) for line in out) + "END:VCARD" + _CRLF


def write_cards(items: Iterable[tuple[PersonDetail, Sequence[str]]], version: str = "3.0") -> str:
    """Several people, one card each, in the order given. An item may carry a third element,
    the person's UID, which wins over the cards' own."""
    out = []
    for item in items:
        detail, raws = item[0], item[1]
        uid = item[2] if len(item) > 2 else None
        out.append(write_card(detail, raws, version, uid=uid))
    return "".join(out)
