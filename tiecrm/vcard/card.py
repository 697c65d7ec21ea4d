"""Build a CardDraft from one card's content lines: name rules, phones, emails, labels, birthday, photo."""

from __future__ import annotations

import functools
import re

from tiecrm.domain import Address, CardDraft, Email, Phone
from tiecrm.vcard.dates import parse_birthday
from tiecrm.vcard.lines import NeedsLineByLine, content_lines, is_name, parse_params, unfolded_lines
from tiecrm.vcard.photo import read_photo
from tiecrm.vcard.split import CardChunk
from tiecrm.vcard.values import custom_label, decoded_value, split_escaped, unescape

NO_NAME = "(no name)"
# Type words that say nothing a person would use as a label.
_NOISE = {
    "VOICE", "INTERNET", "PREF", "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT",
    "POSTAL", "PARCEL", "DOM", "INTL", "X400", "TEXT", "URI",
}
_APPLE_LABEL = re.compile(r"_?\$!<(.*)>!\$_?", re.DOTALL)
_N_ORDER = (3, 1, 2, 0, 4)  # prefix, given, additional, family, suffix
(_TEL, _EMAIL, _FN, _N, _LABEL, _ORG, _TITLE, _NOTE, _ADR, _BDAY, _PHOTO, _UID, _VERSION, _SKIP) = range(14)
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


# Property heads (`item1.TEL;type=pref`) repeat from card to card: each is taken apart once, here.
_HEADS: dict[str, tuple] = {}
_HEADS_MAX = 8192


def _head_info(head: str) -> tuple | None:
    """(group, upper-cased name, params, kind, parsed params, label) of a property head as the fast path
    reads it, remembered in _HEADS; None when only the line-by-line path can read it."""
    if '"' in head:
        return None
    name, _, params = head.partition(";")
    group = ""
    if "." in name:
        group, _, name = name.partition(".")
        if group and not is_name(group):
            return None
    name = name.upper()
    kind = _KINDS.get(name)
    if kind is None and not is_name(name):
        return None
    # Properties tiecrm skips or does not own need neither their parameters nor a label.
    parsed = parse_params(params) if params and kind is not None and kind < _VERSION else None
    label = params_label(params) if kind == _TEL or kind == _EMAIL or kind == _ADR else ""
    if len(_HEADS) >= _HEADS_MAX:
        _HEADS.clear()
    info = _HEADS[head] = (group, name, params, kind, parsed, label)
    return info


def _one_line(text: str) -> str:
    return ", ".join(part.strip() for part in text.split("\n") if part.strip())


def _read(items: list, fast: bool, chunk: CardChunk, source: str, warnings: list[str]) -> CardDraft | None:
    """Read a card; None when it has no property.

    Fast path: `items` are unfolded lines, tokenized here, and anything odd (or any warning, which
    would need a line number) raises NeedsLineByLine. Slow path: `items` are
    (group, name, params, value, line number) rows from `content_lines`.
    """
    draft = CardDraft(name="", raw=chunk.raw, source=source, line=chunk.line)
    fn = ""
    n_value: str | None = None
    first_org = ""
    phones: list[tuple[str, str, str]] = []  # value, group, label from parameters
    emails: list[tuple[str, str, str]] = []
    addresses: list[tuple[str, str, str]] = []
    seen_phones: set[str] = set()
    seen_emails: set[str] = set()
    group_labels: dict[str, str] = {}
    notes: list[str] = []
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
            group, name, params, kind, parsed, label = info
        else:
            group, name, params, value, number = item
            name = name.upper()
            kind = _KINDS.get(name)
            parsed = parse_params(params) if params and kind is not None and kind < _VERSION else None
            label = params_label(params) if kind == _TEL or kind == _EMAIL or kind == _ADR else ""
        if kind == _SKIP:
            continue
        if kind == _VERSION:
            if not draft.version:
                draft.version = value.strip()
            continue
        content = True
        if kind is None:
            if name.startswith("X-TIECRM-"):
                draft.tiecrm[name[9:].lower()] = unescape(value).strip()
            continue
        if parsed is not None and parsed.qp and "=" in value:
            value, clean = decoded_value(value, parsed, "")
            if not clean:
                if fast:
                    raise NeedsLineByLine  # the warning needs a line number
                warnings.append(f"{number}: {name} has bytes that are not valid in its charset")
        if kind == _TEL or kind == _EMAIL:
            text = unescape(value).strip() if "\\" in value else value.strip()
            if ":" in text:
                scheme = "tel:" if kind == _TEL else "mailto:"
                if text[: len(scheme)].lower() == scheme:
                    text = text[len(scheme):].strip()
            if not text:
                continue
            if kind == _TEL:
                if text in seen_phones:
                    continue
                seen_phones.add(text)
                phones.append((text, group, label))
            else:
                folded = text.casefold()
                if folded in seen_emails:
                    continue
                seen_emails.add(folded)
                emails.append((text, group, label))
        elif kind == _LABEL:
            if group:
                group_labels[group.upper()] = group_labels.get(group.upper()) or apple_label(value)
        elif kind == _FN:
            if not fn:
                fn = (unescape(value) if "\\" in value else value).strip()
        elif kind == _N:
            if n_value is None:
                n_value = value  # only needed when there is no FN
        elif kind == _ORG:
            if not draft.org:
                parts = [unescape(part).strip() for part in split_escaped(value)]
                draft.org = ", ".join(part for part in parts if part)
                first_org = next((part for part in parts if part), "")
        elif kind == _TITLE:
            if not draft.title:
                draft.title = unescape(value).strip()
        elif kind == _NOTE:
            note = (unescape(value) if "\\" in value else value).strip()
            if note:
                notes.append(note)
        elif kind == _ADR:
            parts = [_one_line(unescape(part)) for part in split_escaped(value)]
            flat = ", ".join(part for part in parts if part)
            if flat:
                addresses.append((flat, group, label))
        elif kind == _BDAY:
            if draft.birthday is None:
                omit = parsed is not None and "X-APPLE-OMIT-YEAR" in parsed.named
                draft.birthday = parse_birthday(unescape(value), omit)
        elif kind == _PHOTO:
            if draft.photo is None and not draft.photo_url:
                photo = read_photo(value, parsed or parse_params(""))
                if photo.error:
                    if fast:
                        raise NeedsLineByLine
                    warnings.append(f"{number}: {photo.error}")
                draft.photo, draft.photo_type, draft.photo_url = photo.data, photo.kind, photo.url
        elif kind == _UID:
            if draft.uid is None:
                draft.uid = unescape(value).strip() or None

    if not content:
        return None
    draft.note = "\n\n".join(notes)
    if group_labels:
        draft.phones = [Phone(v, group_labels.get(g.upper(), "") or t) for v, g, t in phones]
        draft.emails = [Email(v, group_labels.get(g.upper(), "") or t) for v, g, t in emails]
        draft.addresses = [Address(v, group_labels.get(g.upper(), "") or t) for v, g, t in addresses]
    else:
        draft.phones = [Phone(v, t) for v, _, t in phones]
        draft.emails = [Email(v, t) for v, _, t in emails]
        draft.addresses = [Address(v, t) for v, _, t in addresses]
    draft.name = _name(fn, n_value, first_org, draft)
    return draft


def _name(fn: str, n_value: str | None, first_org: str, draft: CardDraft) -> str:
    if fn:
        return fn
    if n_value:
        n_parts = [unescape(part).strip() for part in split_escaped(n_value)]
        parts = [n_parts[i] for i in _N_ORDER if i < len(n_parts) and n_parts[i]]
        if parts:
            return " ".join(parts)
    if first_org:
        return first_org
    if draft.emails:
        return draft.emails[0].value
    if draft.phones:
        return draft.phones[0].value
    return NO_NAME


def _slow(chunk: CardChunk, source: str) -> CardDraft | None:
    lines, warnings = content_lines(chunk.segments)
    rows = [(line.group, line.name, line.params, line.value, line.line) for line in lines]
    draft = _read(rows, False, chunk, source, warnings)
    if draft is not None:
        warnings.sort(key=lambda warning: int(warning.split(":", 1)[0]))
        draft.warnings = warnings
    return draft


def build_draft(chunk: CardChunk, source: str) -> CardDraft | None:
    """The card as a CardDraft, or None when it holds no property at all (an empty card).

    Well-formed cards take a fast path of C string methods; a card with lines that are not
    properties, or that needs a warning naming a line, is read again line by line."""
    try:
        draft = _read(unfolded_lines(chunk.segments), True, chunk, source, [])
    except NeedsLineByLine:
        draft = _slow(chunk, source)
    if draft is not None and not chunk.closed:
        draft.warnings.insert(0, f"{chunk.line}: no END:VCARD")
    return draft
