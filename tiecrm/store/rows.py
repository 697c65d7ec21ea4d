"""Turning database rows into domain objects: the summary query, timestamps, birthdays."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from tiecrm.domain import Birthday, Bucket, Interaction, Move, PersonSummary

# Joins multi-valued columns in GROUP_CONCAT; a control character no phone or email contains.
SEPARATOR = "\x1f"

BUCKET_ORDER_SQL = (
    "CASE p.bucket WHEN 'unsorted' THEN 0 WHEN 'inner' THEN 1 WHEN 'nurture' THEN 2 "
    "WHEN 'vanity' THEN 3 ELSE 4 END"
)

# Everything a PersonSummary needs, one row per person, no per-person round trips. The phone and
# email subqueries walk the person_id index, which yields rows in insertion (id) order.
SUMMARY_SELECT = f"""
SELECT p.id, p.name, p.bucket, p.position, p.org, p.title, p.birthday, p.note,
       (SELECT group_concat(ph.value, char(31)) FROM phone ph WHERE ph.person_id = p.id),
       (SELECT group_concat(em.value, char(31)) FROM email em WHERE em.person_id = p.id),
       (SELECT coalesce(sum(i.minutes), 0) FROM interaction i WHERE i.person_id = p.id),
       (SELECT max(i.at) FROM interaction i WHERE i.person_id = p.id)
FROM person p
"""

SUMMARY_ORDER = f" ORDER BY {BUCKET_ORDER_SQL}, p.position, p.name COLLATE NOCASE, p.id"

SUMMARY_COLUMNS = 12


def utc_now() -> datetime:
    """The current time as a naive UTC datetime, the form every timestamp in the store takes."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_db_time(value: datetime) -> str:
    """Naive UTC datetime -> `YYYY-MM-DD HH:MM:SS[.ffffff]`, which sorts and which SQLite's date functions read."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(sep=" ")


def from_db_time(value: str | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def birthday_from_db(value: str | None) -> Birthday | None:
    if not value:
        return None
    try:
        return Birthday.from_iso(value)
    except ValueError:
        return None


def bucket_from_db(value: str) -> Bucket:
    try:
        return Bucket(value)
    except ValueError:
        return Bucket.UNSORTED


def split_joined(value: str | None) -> tuple[str, ...]:
    return tuple(value.split(SEPARATOR)) if value else ()


def summary_from_row(row: Sequence[Any]) -> PersonSummary:
    """A PersonSummary from the first SUMMARY_COLUMNS columns of a SUMMARY_SELECT row."""
    return PersonSummary(
        id=row[0],
        name=row[1],
        bucket=bucket_from_db(row[2]),
        position=row[3],
        org=row[4],
        title=row[5],
        birthday=birthday_from_db(row[6]),
        note=row[7],
        phones=split_joined(row[8]),
        emails=split_joined(row[9]),
        minutes_invested=row[10] or 0,
        last_interaction=from_db_time(row[11]),
    )


INTERACTION_COLUMNS = "id, person_id, at, minutes, kind, note"


def interaction_from_row(row: Sequence[Any]) -> Interaction:
    return Interaction(
        id=row[0], person_id=row[1], at=from_db_time(row[2]), minutes=row[3], kind=row[4], note=row[5]
    )


MOVE_COLUMNS = "id, person_id, at, from_bucket, to_bucket, from_position, to_position"


def move_from_row(row: Sequence[Any]) -> Move:
    return Move(
        id=row[0],
        person_id=row[1],
        at=from_db_time(row[2]),
        from_bucket=bucket_from_db(row[3]) if row[3] else None,
        to_bucket=bucket_from_db(row[4]),
        from_position=row[5],
        to_position=row[6],
    )
