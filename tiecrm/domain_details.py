"""Domain objects beyond a person's summary (contact details, cards, imports, history, cadence): no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tiecrm.domain import Birthday, Bucket, PersonSummary


@dataclass(frozen=True)
class Phone:
    """A phone number as written on the card, with its label (`cell`, `work`, an X-ABLabel...)."""

    value: str
    label: str = ""


@dataclass(frozen=True)
class Email:
    value: str
    label: str = ""


@dataclass(frozen=True)
class Address:
    """A postal address flattened to one line of text, with its label."""

    value: str
    label: str = ""


@dataclass
class CardDraft:
    """One vCard read from a file, normalised, before it is matched against the store.

    `raw` is the card's original text (decoded, line endings normalised) so export loses nothing.
    `tiecrm` holds tiecrm's own X-TIECRM-* properties (e.g. {"bucket": "inner"}) found on the card.
    """

    name: str
    raw: str
    source: str = ""
    line: int = 0
    uid: str | None = None
    version: str = ""
    phones: list[Phone] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    org: str = ""
    title: str = ""
    birthday: Birthday | None = None
    note: str = ""
    photo: bytes | None = None
    photo_type: str = ""
    photo_url: str = ""
    tiecrm: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CardProblem:
    """A card (or a stretch of a file) that could not be imported, or imported with a loss."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass(frozen=True)
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    possible_duplicates: int = 0
    problems: tuple[CardProblem, ...] = ()

    def line(self) -> str:
        return (
            f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {self.skipped}, possible duplicates {self.possible_duplicates}"
        )


@dataclass(frozen=True)
class Interaction:
    """Time spent with a person. `at` is a naive UTC datetime."""

    id: int
    person_id: int
    at: datetime
    minutes: int
    kind: str = ""
    note: str = ""

    def to_json(self) -> dict:
        return {"id": self.id, "at": self.at.isoformat(timespec="seconds"), "minutes": self.minutes,
                "kind": self.kind, "note": self.note}


@dataclass(frozen=True)
class Move:
    """A change of bucket. `at` is a naive UTC datetime."""

    id: int
    person_id: int
    at: datetime
    from_bucket: Bucket | None
    to_bucket: Bucket
    from_position: int | None = None
    to_position: int | None = None

    def to_json(self) -> dict:
        return {"at": self.at.isoformat(timespec="seconds"),
                "from": self.from_bucket.value if self.from_bucket else None,
                "to": self.to_bucket.value}


@dataclass(frozen=True)
class PersonDetail:
    """Everything about one person, for `show` and the person page."""

    summary: PersonSummary
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    addresses: tuple[Address, ...] = ()
    photo: bytes | None = None
    interactions: tuple[Interaction, ...] = ()  # newest first
    moves: tuple[Move, ...] = ()  # newest first

    def to_json(self) -> dict:
        data = self.summary.to_json()
        data["phone_labels"] = [{"value": p.value, "label": p.label} for p in self.phones]
        data["email_labels"] = [{"value": e.value, "label": e.label} for e in self.emails]
        data["addresses"] = [{"value": a.value, "label": a.label} for a in self.addresses]
        data["interactions"] = [i.to_json() for i in self.interactions]
        data["moves"] = [m.to_json() for m in self.moves]
        return data


@dataclass(frozen=True)
class DuplicatePair:
    """Two people who may be the same: `reason` is `name`, `phone` or `email`."""

    id: int
    a: PersonSummary
    b: PersonSummary
    reason: str
    score: float = 0.0


@dataclass(frozen=True)
class Cadence:
    """How often a bucket expects contact, in days; None means never nag."""

    inner: int | None = 14
    nurture: int | None = 45

    def for_bucket(self, bucket: Bucket) -> int | None:
        return {Bucket.INNER: self.inner, Bucket.NURTURE: self.nurture}.get(bucket)


@dataclass(frozen=True)
class DueEntry:
    person: PersonSummary
    days_since: int | None

    def to_json(self) -> dict:
        data = self.person.to_json()
        data["days_since"] = self.days_since
        return data
