"""Build a CardDraft from one card's content lines: name rules, phones, emails, labels, birthday, photo."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from tiecrm.domain import Address, Birthday, CardDraft, Email, Phone
from tiecrm.vcard.dates import parse_birthday
from tiecrm.vcard.lines import NeedsLineByLine, content_lines, is_name, parse_params, unfolded_lines
from tiecrm.vcard.photo import read_photo
from tiecrm.vcard.split import CardChunk
from tiecrm.vcard.values import custom_label, decoded_qp, qp_charset, split_escaped, unescape

NO_NAME = "(no name)"
# Type words that say nothing a person would use as a label.
_NOISE = {
    "VOICE", "INTERNET", "PREF", "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT",
    "POSTAL", "PARCEL", "DOM", "INTL", "X400", "TEXT", "URI",
}
_APPLE_LABEL = re.compile(r"_?\$!<(.*)>!\$_?", re.DOTALL)
_N_ORDER = (3, 1, 2, 0, 4)  # prefix, given, additional, family, suffix
# Property kinds, most frequent first (the order `_read` tests them in). The ones before _OTHER are read
# and need their parameters; _OTHER is any other property (kept only when it is X-TIECRM-*).
(_TEL, _EMAIL, _LABEL, _FN, _N, _NOTE, _ORG, _BDAY, _TITLE, _ADR, _PHOTO, _UID, _OTHER, _VERSION, _SKIP) = range(15)
_KINDS = {
    "TEL": _TEL, "EMAIL": _EMAIL, "FN": _FN, "N": _N, "X-ABLABEL": _LABEL, "ORG": _ORG,
    "TITLE": _TITLE, "NOTE": _NOTE, "ADR": _ADR, "BDAY": _BDAY, "PHOTO": _PHOTO, "UID": _UID,
    "VERSION": _VERSION, "BEGIN": _SKIP, "END": _SKIP,
}

def label_from_types(types: list[str]) -> str:
    """`cell`, `work fax`... from upper-cased types, without noise (`voice`, `pref`, `x-...`)."""
    words: list[str] = []
    for kind in types:
        if kind in _NOISE or kind.startswith("X-") or "=" in kind or not kind:
            continue
        word = kind.lower()
        if word not in words:
            words.append(word)
    return " ".join(words)


@functools.lru_cache(maxsize=4096)
def params_label(params: str) -> str:
    """The label a parameter string gives: Samsung's X-CUSTOM text, else the types."""
    if not params:
        return ""
    parsed = parse_params(params)
    if parsed.custom:
        label = custom_label(parsed.custom[0])
        if label:
            return label
    return label_from_types(parsed.types())


@functools.lru_cache(maxsize=1024)
def apple_label(value: str) -> str:
    """`_$!<Mobile>!$_` -> `mobile` (Apple's built-in labels); custom text stays as written."""
    text = unescape(value).strip()
    match = _APPLE_LABEL.fullmatch(text)
    if match:
        return match.group(1).strip().lower()
    return "" if not text.strip("_$!<>") else text


def _head_parts(group: str, name: str, params: str) -> tuple:
    """What `_read` needs of a property head: (upper-cased group, upper-cased name, kind, parsed params or
    None, the charset of a quoted-printable value or '', label from the parameters)."""
    name = name.upper()
    kind = _KINDS.get(name, _OTHER)
    # Properties tiecrm skips or does not own need neither their parameters nor a label.
    parsed = parse_params(params) if params and kind < _OTHER else None
    label = params_label(params) if kind == _TEL or kind == _EMAIL or kind == _ADR else ""
    return (group.upper(), name, kind, parsed, qp_charset(parsed) if parsed is not None else "", label)


# Property heads (`item1.TEL;type=pref`) repeat from card to card: each is taken apart once, here.
_HEADS: dict[str, tuple] = {}
_HEADS_MAX = 8192


def _head_info(head: str) -> tuple | None:
    """`_head_parts` of a whole property head as the fast path reads it, remembered in _HEADS; None when
    only the line-by-line path can read it."""
    if '"' in head:
        return None
    name, _, params = head.partition(";")
    group = ""
    if "." in name:
        group, _, name = name.partition(".")
        if group and not is_name(group):
            return None
    upper = name.upper()
    if upper not in _KINDS and not is_name(upper):
        return None
    if len(_HEADS) >= _HEADS_MAX:
        _HEADS.clear()
    info = _HEADS[head] = _head_parts(group, name, params)
    return info


def _one_line(text: str) -> str:
    return ", ".join(part.strip() for part in text.split("\n") if part.strip())


class CardParts(NamedTuple):
    """A card as read, field for field a CardDraft's, but its phones, emails and addresses are (value, label)
    pairs. What the import's reading process sends on is made from these (store.prepared): without the
    objects a CardDraft holds, a card costs it several microseconds less."""

    name: str
    raw: str
    source: str
    line: int
    uid: str | None
    version: str
    phones: list[tuple[str, str]]
    emails: list[tuple[str, str]]
    addresses: list[tuple[str, str]]
    org: str
    title: str
    birthday: Birthday | None
    note: str
    photo: bytes | None
    photo_type: str
    photo_url: str
    tiecrm: dict[str, str]
    warnings: list[str]


def draft_of(parts: CardParts) -> CardDraft:
    """The CardDraft of a card's parts."""
    return CardDraft(parts.name, parts.raw, parts.source, parts.line, parts.uid, parts.version,
                     [Phone(value, label) for value, label in parts.phones],
                     [Email(value, label) for value, label in parts.emails],
                     [Address(value, label) for value, label in parts.addresses],
                     *parts[9:])


def parts_of(draft: CardDraft) -> CardParts:
    """The parts of a CardDraft (the inverse of draft_of)."""
    return CardParts(draft.name, draft.raw, draft.source, draft.line, draft.uid, draft.version,
                     [(phone.value, phone.label) for phone in draft.phones],
                     [(email.value, email.label) for email in draft.emails],
                     [(address.value, address.label) for address in draft.addresses],
                     draft.org, draft.title, draft.birthday, draft.note, draft.photo, draft.photo_type,
                     draft.photo_url, draft.tiecrm, draft.warnings)


def _read(items: list, fast: bool, chunk: CardChunk, source: str, warnings: list[str]) -> CardParts | None:
    """Read a card; None when it has no property.

    Fast path: `items` are unfolded lines, tokenized here, and anything odd (or any warning, which
    would need a line number) raises NeedsLineByLine. Slow path: `items` are
    (group, name, params, value, line number) rows from `content_lines`.
    """
    fn = ""
    n_value: str | None = None
    version = org = first_org = title = photo_type = photo_url = ""
    uid: str | None = None
    birthday: Birthday | None = None
    photo: bytes | None = None
    # Keyed by the value (an email by its casefold) so a repeated one is dropped: value -> (group, label
    # from parameters), or for emails casefold -> (value, group, label).
    phones: dict[str, tuple[str, str]] = {}
    emails: dict[str, tuple[str, str, str]] = {}
    addresses: list[tuple[str, str, str]] = []
    group_labels: dict[str, str] = {}  # upper-cased group -> its X-ABLabel
    notes: list[str] = []
    tiecrm: dict[str, str] = {}
    content = False

    number = 0
    heads = _HEADS
    for item in items:
        if fast:
            head, colon, value = item.partition(":")
            if not colon:
                if not item or item.isspace():
                    continue
                raise NeedsLineByLine
            info = heads.get(head)
            if info is None:
                info = _head_info(head)
                if info is None:
                    raise NeedsLineByLine
        else:
            group, name, params, value, number = item
            info = _head_parts(group, name, params)
        group, name, kind, parsed, charset, label = info
        if kind >= _OTHER:
            if kind == _SKIP:
                continue
            if kind == _VERSION:
                if not version:
                    version = value.strip()
                continue
            content = True
            if name.startswith("X-TIECRM-"):
                tiecrm[name[9:].lower()] = unescape(value).strip()
            continue
        content = True
        if charset and "=" in value:
            value, clean = decoded_qp(value, charset)
            if not clean:
                if fast:
                    raise NeedsLineByLine  # the warning needs a line number
                warnings.append(f"{number}: {name} has bytes that are not valid in its charset")
        if kind <= _EMAIL:
            # The backslash test saves a call on the many values that have nothing escaped.
            text = unescape(value).strip() if "\\" in value else value.strip()
            if ":" in text:
                scheme = "tel:" if kind == _TEL else "mailto:"
                if text[: len(scheme)].lower() == scheme:
                    text = text[len(scheme):].strip()
            if not text:
                continue
            if kind == _TEL:
                if text not in phones:
                    phones[text] = (group, label)
            else:
                folded = text.casefold()
                if folded not in emails:
                    emails[folded] = (text, group, label)
        elif kind == _LABEL:
            if group and not group_labels.get(group):
                group_labels[group] = apple_label(value)
        elif kind == _FN:
            if not fn:
                fn = (unescape(value) if "\\" in value else value).strip()
        elif kind == _N:
            if n_value is None:
                n_value = value  # only needed when there is no FN
        elif kind == _NOTE:
            note = (unescape(value) if "\\" in value else value).strip()
            if note:
                notes.append(note)
        elif kind == _ORG:
            if not org:
                parts = [unescape(part).strip() for part in split_escaped(value)]
                parts = [part for part in parts if part]
                org = ", ".join(parts)
                first_org = parts[0] if parts else ""
        elif kind == _BDAY:
            if birthday is None:
                omit = parsed is not None and "X-APPLE-OMIT-YEAR" in parsed.named
                birthday = parse_birthday(unescape(value), omit)
        elif kind == _TITLE:
            if not title:
                title = unescape(value).strip()
        elif kind == _ADR:
            parts = [_one_line(unescape(part)) for part in split_escaped(value)]
            flat = ", ".join(part for part in parts if part)
            if flat:
                addresses.append((flat, group, label))
        elif kind == _PHOTO:
            if photo is None and not photo_url:
                found = read_photo(value, parsed or parse_params(""))
                if found.error:
                    if fast:
                        raise NeedsLineByLine
                    warnings.append(f"{number}: {found.error}")
                photo, photo_type, photo_url = found.data, found.kind, found.url
        elif kind == _UID and uid is None:
            uid = unescape(value).strip() or None

    if not content:
        return None
    # A group's X-ABLabel, where there is one, wins over the label the parameters give.
    phone_list = [(v, group_labels.get(g) or t) for v, (g, t) in phones.items()]
    email_list = [(v, group_labels.get(g) or t) for v, g, t in emails.values()]
    # Few cards have an address: no comprehension (a function call of its own) for none.
    address_list = [(v, group_labels.get(g) or t) for v, g, t in addresses] if addresses else []
    name = fn or _name_without_fn(n_value, first_org, email_list, phone_list)
    return CardParts(name, chunk.raw, source, chunk.line, uid, version, phone_list, email_list, address_list,
                     org, title, birthday, "\n\n".join(notes), photo, photo_type, photo_url, tiecrm, warnings)


def _name_without_fn(n_value: str | None, first_org: str, emails: list[tuple[str, str]],
                     phones: list[tuple[str, str]]) -> str:
    """The name of a card without FN: from N, else its first organisation, email or phone."""
    if n_value:
        n_parts = [unescape(part).strip() for part in split_escaped(n_value)]
        parts = [n_parts[i] for i in _N_ORDER if i < len(n_parts) and n_parts[i]]
        if parts:
            return " ".join(parts)
    if first_org:
        return first_org
    if emails:
        return emails[0][0]
    if phones:
        return phones[0][0]
    return NO_NAME


def _slow(chunk: CardChunk, source: str) -> CardParts | None:
    lines, warnings = content_lines(chunk.segments)
    rows = [(line.group, line.name, line.params, line.value, line.line) for line in lines]
    parts = _read(rows, False, chunk, source, warnings)
    if parts is not None:
        warnings.sort(key=lambda warning: int(warning.split(":", 1)[0]))
    return parts


def build_parts(chunk: CardChunk, source: str) -> CardParts | None:
    """The card's CardParts, or None when it holds no property at all (an empty card).

    Well-formed cards take a fast path of C string methods; a card with lines that are not
    properties, or that needs a warning naming a line, is read again line by line."""
    try:
        parts = _read(unfolded_lines(chunk.segments), True, chunk, source, [])
    except NeedsLineByLine:
        parts = _slow(chunk, source)
    if parts is not None and not chunk.closed:
        parts.warnings.insert(0, f"{chunk.line}: no END:VCARD")
    return parts


def build_draft(chunk: CardChunk, source: str) -> CardDraft | None:
    """The card as a CardDraft, or None when it holds no property at all (an empty card): see build_parts."""
    parts = build_parts(chunk, source)
    return None if parts is None else draft_of(parts)
