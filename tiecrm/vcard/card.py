"""Build a CardDraft from one card's content lines: name rules, phones, emails, labels, birthday, photo."""

from __future__ import annotations

import re

from tiecrm.domain import Address, CardDraft, Email, Phone
from tiecrm.vcard.dates import parse_birthday
from tiecrm.vcard.lines import ContentLine, Params, content_lines, parse_params
from tiecrm.vcard.photo import read_photo
from tiecrm.vcard.split import CardChunk
from tiecrm.vcard.values import custom_label, decoded_value, split_escaped, unescape

NO_NAME = "(no name)"
_EMPTY = Params()
# Type words that say nothing a person would use as a label.
_NOISE = {
    "VOICE", "INTERNET", "PREF", "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT",
    "POSTAL", "PARCEL", "DOM", "INTL", "X400", "TEXT", "URI",
}
_APPLE_LABEL = re.compile(r"_?\$!<(.*)>!\$_?", re.DOTALL)
_N_ORDER = (3, 1, 2, 0, 4)  # prefix, given, additional, family, suffix


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


def apple_label(value: str) -> str:
    """`_$!<Mobile>!$_` -> `mobile` (Apple's built-in labels); custom text stays as written."""
    text = unescape(value).strip()
    match = _APPLE_LABEL.fullmatch(text)
    if match:
        return match.group(1).strip().lower()
    return "" if not text.strip("_$!<>") else text


def _one_line(text: str) -> str:
    return ", ".join(part.strip() for part in text.split("\n") if part.strip())


class _CardReader:
    """Reads the properties tiecrm understands; everything else stays only in `raw`."""

    def __init__(self, chunk: CardChunk, source: str) -> None:
        self.chunk = chunk
        self.source = source
        self.warnings: list[str] = []
        self.fn = ""
        self.n: list[str] | None = None
        self.first_org = ""
        self.phones: list[tuple[str, str, str]] = []  # value, group, label from types
        self.emails: list[tuple[str, str, str]] = []
        self.addresses: list[tuple[str, str, str]] = []
        self.group_labels: dict[str, str] = {}
        self.content = False

    def text(self, line: ContentLine, params: Params) -> str:
        if params is _EMPTY:
            return line.value
        value, clean = decoded_value(line.value, params, "")
        if not clean:
            self.warnings.append(f"{line.line}: {line.name} has bytes that are not valid in its charset")
        return value

    def read(self) -> CardDraft:
        lines, self.warnings = content_lines(self.chunk.segments)
        draft = CardDraft(name="", raw=self.chunk.raw, source=self.source, line=self.chunk.line)
        notes: list[str] = []
        for line in lines:
            name = line.name
            if name == "VERSION":
                if not draft.version:
                    draft.version = line.value.strip()
                continue
            if name == "BEGIN" or name == "END":
                continue
            self.content = True
            params = parse_params(line.params) if line.params else _EMPTY
            if name == "TEL":
                self._contact(line, params, self.phones, "tel:")
            elif name == "EMAIL":
                self._contact(line, params, self.emails, "mailto:")
            elif name == "FN":
                if not self.fn:
                    self.fn = unescape(self.text(line, params)).strip()
            elif name == "N":
                if self.n is None:
                    self.n = [unescape(part).strip() for part in split_escaped(self.text(line, params))]
            elif name == "X-ABLABEL":
                if line.group:
                    self.group_labels.setdefault(line.group.upper(), apple_label(self.text(line, params)))
            elif name == "ORG":
                if not draft.org:
                    parts = [unescape(part).strip() for part in split_escaped(self.text(line, params))]
                    draft.org = ", ".join(part for part in parts if part)
                    self.first_org = next((part for part in parts if part), "")
            elif name == "TITLE":
                if not draft.title:
                    draft.title = unescape(self.text(line, params)).strip()
            elif name == "NOTE":
                note = unescape(self.text(line, params)).strip()
                if note:
                    notes.append(note)
            elif name == "ADR":
                parts = [_one_line(unescape(part)) for part in split_escaped(self.text(line, params))]
                flat = ", ".join(part for part in parts if part)
                if flat:
                    self.addresses.append((flat, line.group, self._label(params)))
            elif name == "BDAY":
                if draft.birthday is None:
                    omit = "X-APPLE-OMIT-YEAR" in params.named
                    draft.birthday = parse_birthday(unescape(self.text(line, params)), omit)
            elif name == "PHOTO":
                if draft.photo is None and not draft.photo_url:
                    photo = read_photo(line.value, params)
                    if photo.error:
                        self.warnings.append(f"{line.line}: {photo.error}")
                    draft.photo, draft.photo_type, draft.photo_url = photo.data, photo.kind, photo.url
            elif name == "UID":
                if draft.uid is None:
                    draft.uid = unescape(self.text(line, params)).strip() or None
            elif name.startswith("X-TIECRM-"):
                draft.tiecrm[name[9:].lower()] = unescape(self.text(line, params)).strip()

        draft.note = "\n\n".join(notes)
        draft.phones = [Phone(v, self.group_labels.get(g.upper(), "") or t) for v, g, t in self.phones]
        draft.emails = [Email(v, self.group_labels.get(g.upper(), "") or t) for v, g, t in self.emails]
        draft.addresses = [Address(v, self.group_labels.get(g.upper(), "") or t) for v, g, t in self.addresses]
        draft.name = self._name(draft)
        if not self.chunk.closed:
            self.warnings.append(f"{self.chunk.line}: no END:VCARD")
        self.warnings.sort(key=lambda warning: int(warning.split(":", 1)[0]))
        draft.warnings = self.warnings
        return draft

    def _label(self, params: Params) -> str:
        if params is _EMPTY:
            return ""
        if params.custom:
            label = custom_label(params.custom[0])
            if label:
                return label
        return label_from_types(params.types())

    def _contact(self, line: ContentLine, params: Params, into: list, scheme: str) -> None:
        value = unescape(self.text(line, params)).strip()
        if value[: len(scheme)].lower() == scheme:
            value = value[len(scheme):].strip()
        if not value:
            return
        if scheme == "tel:":
            if any(value == seen for seen, _, _ in into):
                return
        else:
            folded = value.casefold()
            if any(folded == seen.casefold() for seen, _, _ in into):
                return
        into.append((value, line.group, self._label(params)))

    def _name(self, draft: CardDraft) -> str:
        if self.fn:
            return self.fn
        if self.n:
            parts = [self.n[i] for i in _N_ORDER if i < len(self.n) and self.n[i]]
            if parts:
                return " ".join(parts)
        if self.first_org:
            return self.first_org
        if draft.emails:
            return draft.emails[0].value
        if draft.phones:
            return draft.phones[0].value
        return NO_NAME


def build_draft(chunk: CardChunk, source: str) -> CardDraft | None:
    """The card as a CardDraft, or None when it holds no property at all (an empty card)."""
    reader = _CardReader(chunk, source)
    draft = reader.read()
    return draft if reader.content else None
