"""What the import needs of one card, worked out from its draft without the database (so another process can)."""

from __future__ import annotations

import hashlib
import os
import re
from typing import NamedTuple

from tiecrm.domain import Bucket, CardDraft
from tiecrm.matching import email_key, name_tokens, phone_digits
from tiecrm.vcard.card import CardParts, parts_of

NO_NAME = "(no name)"
_UNSORTED = Bucket.UNSORTED.value
_VARIANT_DIGITS = "89ab"
_TIECRM_LINE = re.compile(r"^(?:[\w-]*\.)?X-TIECRM-", re.IGNORECASE)


def card_hash(raw: str) -> str:
    """sha1 of a card's text with line endings, trailing blanks and tiecrm's own X-TIECRM-* lines removed.

    tiecrm's own properties are left out so re-importing an export (which carries the bucket) finds
    the card unchanged.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n") if "\r" in raw else raw
    data: bytes | None = text.strip().encode("utf-8", "surrogatepass")
    # Whether the text holds "tiecrm" in any case, asked of its bytes: bytes.lower() lowers ASCII letters
    # alone, several times faster than str.lower() on text that is not ASCII, and that is all it takes, as
    # no other character lowers to an ASCII letter but U+212A (k) and U+0130 (i and a combining dot).
    if b"tiecrm" in data.lower():
        text = "\n".join(line for line in text.split("\n") if not _TIECRM_LINE.match(line.lstrip()))
        data = None
    if " \n" in text or "\t\n" in text or "\n\n" in text:
        text = "\n".join(line.rstrip() for line in text.split("\n") if line.strip())
        data = None
    if data is None:
        data = text.strip().encode("utf-8", "surrogatepass")
    return hashlib.sha1(data).hexdigest()


def new_uid() -> str:
    """A random (version 4) UUID as text, for a card that brought none."""
    text = os.urandom(16).hex()
    # Formatting by hand: uuid.uuid4() costs several times more, which shows at 10,000 cards. The version
    # digit is 4 and the variant digit one of 8, 9, a, b (its top bits 10), the rest random.
    variant = _VARIANT_DIGITS[int(text[16], 16) & 3]
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-{variant}{text[17:20]}-{text[20:]}"


def draft_bucket(draft: CardDraft | CardParts) -> Bucket:
    """The bucket a new person from this card starts in: its X-TIECRM-BUCKET if valid, else unsorted."""
    text = draft.tiecrm.get("bucket", "")
    if text.strip():
        try:
            return Bucket.parse(text)
        except ValueError:
            pass
    return Bucket.UNSORTED


class PreparedCard(NamedTuple):
    """One card as matching and storing read it. Plain values only, so a batch pickles as tuples."""

    raw: str
    digest: str  # card_hash(raw)
    source: str
    line: int
    uid: str | None  # stripped; None when the card has none
    spare_uid: str | None  # a new_uid() for the person this card may create when it has no UID
    name: str  # stripped; may be empty
    # The name says nothing about the person: none at all, or the card's own number or address.
    named_after_contact: bool
    org: str
    title: str
    birthday: str | None  # Birthday.iso()
    note: str
    photo: bytes | None
    photo_type: str
    bucket: str  # where a new person from this card starts
    # Each phone, email and address once (a phone by its value, an email by its key), none of them empty.
    phones: tuple[tuple[str, str, str], ...]  # (stripped value, label, phone_digits)
    emails: tuple[tuple[str, str, str], ...]  # (stripped value, label, email_key)
    addresses: tuple[tuple[str, str], ...]  # (stripped value, label)
    # The words a person created from this card is paired by in the possible-duplicates pass
    # (`pairing_tokens`), when the import's reading process worked them out; None otherwise.
    name_tokens: list[str] | None


def prepare_card(draft: CardDraft | CardParts) -> PreparedCard:
    """The draft (or a card's parts) as a PreparedCard (see there)."""
    return PreparedCard._make(with_hash(prepared_fields(draft)))


def prepared_fields(card: CardDraft | CardParts) -> tuple:
    """The fields of `prepare_card(card)` as a plain tuple, the cheapest thing to send between processes,
    but for `digest`, `spare_uid` and `name_tokens`, left None for `with_hash` (the import's reading
    process fills them in only when the importing process is behind: see card_reader.send)."""
    parts = parts_of(card) if type(card) is CardDraft else card
    name = parts.name.strip()
    named_after_contact = name == NO_NAME
    phones: list[tuple[str, str, str]] = []
    emails: list[tuple[str, str, str]] = []
    # Plain loops rather than generators and any(): this runs once a card, and a generator costs more to
    # start than the two or three items it would walk.
    # Each phone (by value) and email (by key) once, and none empty, which is how a card read from a file
    # has them already (see vcard.card); the set is made only for a card that has two.
    for contacts, key, out, at in ((parts.phones, phone_digits, phones, 0), (parts.emails, email_key, emails, 2)):
        seen: set[str] | None = set() if len(contacts) > 1 else None
        for value, label in contacts:
            value = value.strip()
            item = (value, label, key(value))
            distinct = item[at]
            if not distinct:
                continue
            if seen is not None:
                if distinct in seen:
                    continue
                seen.add(distinct)
            out.append(item)
            if value == name:
                named_after_contact = True
    addresses: list[tuple[str, str]] = []
    if parts.addresses:
        seen_addresses: set[str] = set()
        for value, label in parts.addresses:
            value = value.strip()
            if value and value not in seen_addresses:
                seen_addresses.add(value)
                addresses.append((value, label))
    uid = (parts.uid or "").strip() or None
    return (
        parts.raw,
        None,  # digest
        parts.source,
        parts.line,
        uid,
        None,  # spare_uid
        name,
        named_after_contact,
        parts.org,
        parts.title,
        parts.birthday.iso() if parts.birthday else None,
        parts.note,
        parts.photo,
        parts.photo_type if parts.photo is not None else "",
        draft_bucket(parts).value if parts.tiecrm else _UNSORTED,
        tuple(phones),
        tuple(emails),
        tuple(addresses),
        None,  # name_tokens
    )


def with_hash(fields: tuple, tokens: bool = False) -> tuple:
    """Fields from `prepared_fields(draft)` with the card hash and the spare UID filled in, and the name's
    tokens too when `tokens` (see PreparedCard.name_tokens)."""
    raw, uid = fields[0], fields[4]
    rest = (*fields[6:-1], pairing_tokens(fields[6])) if tokens else fields[6:]
    return (raw, card_hash(raw), fields[2], fields[3], uid, None if uid else new_uid(), *rest)


def pairing_name(name: str) -> str:
    """The name a person is paired by on similar names: none ("") for one stored as NO_NAME."""
    return "" if name == NO_NAME else name


def pairing_tokens(name: str) -> list[str]:
    """The words of `pairing_name(name)` (`matching.name_tokens`)."""
    return name_tokens(pairing_name(name))
