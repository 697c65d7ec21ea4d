"""Plain domain objects shared by the importer, the store, the CLI and the app: no I/O here."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tiecrm.domain_details import (  # noqa: F401 - given by __getattr__ below
        Address,
        Cadence,
        CardDraft,
        CardProblem,
        DueEntry,
        DuplicatePair,
        Email,
        ImportSummary,
        Interaction,
        Move,
        PersonDetail,
        Phone,
    )


class Bucket(enum.StrEnum):
    """Where a person sits on the board. Values are the stable strings stored in the database."""

    UNSORTED = "unsorted"
    INNER = "inner"
    NURTURE = "nurture"
    VANITY = "vanity"

    @property
    def title(self) -> str:
        return BUCKET_TITLES[self]

    @classmethod
    def parse(cls, text: str) -> Bucket:
        """Read a bucket from user text: `inner`, `inner circle`, `Nurture`, `0`..`3`."""
        key = text.strip().lower().replace("_", " ").replace("-", " ")
        aliases = {
            "0": cls.UNSORTED, "unsorted": cls.UNSORTED, "new": cls.UNSORTED,
            "1": cls.INNER, "inner": cls.INNER, "inner circle": cls.INNER, "innercircle": cls.INNER,
            "2": cls.NURTURE, "nurture": cls.NURTURE,
            "3": cls.VANITY, "vanity": cls.VANITY,
        }
        try:
            return aliases[key]
        except KeyError:
            names = ", ".join(b.value for b in cls)
            raise ValueError(f"unknown bucket {text!r} (choose from {names})") from None


BUCKET_TITLES = {
    Bucket.UNSORTED: "Unsorted",
    Bucket.INNER: "Inner circle",
    Bucket.NURTURE: "Nurture",
    Bucket.VANITY: "Vanity",
}


@dataclass(frozen=True)
class Birthday:
    """A birthday whose year may be unknown (year-less `--MMDD`, Apple's 1604)."""

    month: int
    day: int
    year: int | None = None

    def iso(self) -> str:
        """`YYYY-MM-DD`, or `--MM-DD` when the year is unknown."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def from_iso(cls, text: str) -> Birthday:
        if text.startswith("--"):
            month, day = text[2:].split("-")
            return cls(int(month), int(day), None)
        year, month, day = text.split("-")
        return cls(int(month), int(day), int(year))


@dataclass(frozen=True)
class PersonSummary:
    """What a list row or a board card needs to know about a person."""

    id: int
    name: str
    bucket: Bucket
    position: int = 0
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    org: str = ""
    title: str = ""
    birthday: Birthday | None = None
    note: str = ""
    minutes_invested: int = 0
    last_interaction: datetime | None = None
    uid: str = ""

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "uid": self.uid,
            "name": self.name,
            "bucket": self.bucket.value,
            "phones": list(self.phones),
            "emails": list(self.emails),
            "org": self.org,
            "title": self.title,
            "birthday": self.birthday.iso() if self.birthday else None,
            "note": self.note,
            "minutes_invested": self.minutes_invested,
            "last_interaction": self.last_interaction.date().isoformat() if self.last_interaction else None,
        }


def today_of(now: datetime) -> date:
    return now.date()

# The rest of the domain (contact details, cards and import results, history, duplicates, cadence) lives in
# tiecrm.domain_details and is loaded on first use: making a dataclass costs about a millisecond, and a
# one-shot `tiecrm list` needs none of them. Every name is still importable from here.
_DETAILS = frozenset({"Phone", "Email", "Address", "CardDraft", "CardProblem", "ImportSummary", "Interaction",
                      "Move", "PersonDetail", "DuplicatePair", "Cadence", "DueEntry"})


def __getattr__(name: str) -> object:
    if name in _DETAILS:
        from tiecrm import domain_details

        value = globals()[name] = getattr(domain_details, name)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _DETAILS)
