"""Turning database rows into domain objects: the summary query, timestamps, birthdays."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from tiecrm import domain
from tiecrm.domain import Birthday, Bucket, PersonSummary

if TYPE_CHECKING:
    from tiecrm.domain import Interaction, Move

# Joins multi-valued columns in GROUP_CONCAT; a control character no phone or email contains.
SEPARATOR = "\x1f"

BUCKET_ORDER_SQL = (
    "CASE p.bucket WHEN 'unsorted' THEN 0 WHEN 'inner' THEN 1 WHEN 'nurture' THEN 2 "
    "WHEN 'vanity' THEN 3 ELSE 4 END"
)

# Everything a PersonSummary needs, one row per person, no per-person round trips. The phone and
# email subqueries walk the person_id index, which yields rows in insertion (id) order. Best for a
# few people (WHERE p.id = ?).
SUMMARY_SELECT = """
SELECT p.id, p.name, p.bucket, p.position, p.org, p.title, p.birthday, p.note,
       (SELECT group_concat(ph.value, char(31)) FROM phone ph WHERE ph.person_id = p.id),
       (SELECT group_concat(em.value, char(31)) FROM email em WHERE em.person_id = p.id),
       (SELECT coalesce(sum(i.minutes), 0) FROM interaction i WHERE i.person_id = p.id),
       (SELECT max(i.at) FROM interaction i WHERE i.person_id = p.id),
       p.uid
FROM person p
"""

# The same columns for many people: each child table is grouped once and joined, cheaper than the
# per-person subqueries over thousands of rows. The grouping walks the person_id index, whose entries
# are in (person_id, rowid) order, so values keep their insertion order within a person.
SUMMARY_SELECT_MANY = """
SELECT p.id, p.name, p.bucket, p.position, p.org, p.title, p.birthday, p.note,
       ph.joined, em.joined, coalesce(it.total, 0), it.last_at, p.uid
FROM person p
LEFT JOIN (SELECT person_id, group_concat(value, char(31)) AS joined FROM phone
           GROUP BY person_id) ph ON ph.person_id = p.id
LEFT JOIN (SELECT person_id, group_concat(value, char(31)) AS joined FROM email
           GROUP BY person_id) em ON em.person_id = p.id
LEFT JOIN (SELECT person_id, SUM(minutes) AS total, MAX(at) AS last_at FROM interaction GROUP BY person_id) it
       ON it.person_id = p.id
"""

SUMMARY_ORDER = f" ORDER BY {BUCKET_ORDER_SQL}, p.position, p.name COLLATE NOCASE, p.id"

SUMMARY_COLUMNS = 12  # summary_from_row reads these; SUMMARY_SELECT* add the uid after them
UID_COLUMN = SUMMARY_COLUMNS


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


@lru_cache(maxsize=4096)
def birthday_from_db(value: str | None) -> Birthday | None:
    """Parse a stored birthday; cached, as thousands of rows share a few hundred dates (Birthday is immutable)."""
    if not value:
        return None
    try:
        return Birthday.from_iso(value)
    except ValueError:
        return None


_BUCKETS = {bucket.value: bucket for bucket in Bucket}


def bucket_from_db(value: str) -> Bucket:
    return _BUCKETS.get(value, Bucket.UNSORTED)


def split_joined(value: str | None) -> tuple[str, ...]:
    return tuple(value.split(SEPARATOR)) if value else ()


_ROW_FIELDS = ("id", "name", "bucket", "position", "phones", "emails", "org", "title", "birthday", "note",
               "minutes_invested", "last_interaction", "uid")
if set(_ROW_FIELDS) != {f.name for f in fields(PersonSummary)}:
    raise ImportError("PersonSummary's fields changed: update tiecrm.store.rows.summary_from_row")


def _new_summary(values: dict[str, Any]) -> PersonSummary:
    """Build a PersonSummary without the frozen dataclass __init__, which costs ~5 us a row (half of a
    10,000-row list). Every field must be given; tests compare the result with the normal constructor."""
    summary = object.__new__(PersonSummary)
    summary.__dict__.update(values)
    return summary


def summary_from_row(row: Sequence[Any], uid: str = "") -> PersonSummary:
    """A PersonSummary from the first SUMMARY_COLUMNS columns of a row laid out like SUMMARY_SELECT's."""
    return _new_summary({
        "id": row[0],
        "name": row[1],
        "bucket": _BUCKETS.get(row[2], Bucket.UNSORTED),
        "position": row[3],
        "phones": tuple(row[8].split(SEPARATOR)) if row[8] else (),
        "emails": tuple(row[9].split(SEPARATOR)) if row[9] else (),
        "org": row[4],
        "title": row[5],
        "birthday": birthday_from_db(row[6]) if row[6] else None,
        "note": row[7],
        "minutes_invested": row[10] or 0,
        "last_interaction": datetime.fromisoformat(row[11]) if row[11] else None,
        "uid": uid,
    })


def summary_from_select(row: Sequence[Any]) -> PersonSummary:
    """A PersonSummary, uid included, from a SUMMARY_SELECT / SUMMARY_SELECT_MANY row."""
    return summary_from_row(row, row[UID_COLUMN])


# A list row's columns: what a list needs to draw a person. Contact fields are left empty (a detail
# pane reads get_person); reading and splitting them costs more than the rest at 50,000 people.
LIST_ROW_SELECT = "SELECT p.id, p.name, p.bucket, p.position, p.org FROM person p"

_set = object.__setattr__


def list_row_summary(row: Sequence[Any], minutes: int, last_at: str | None) -> PersonSummary:
    """A PersonSummary from a LIST_ROW_SELECT row and the person's interaction totals; contact fields empty.

    The instance dict is handed over whole: a third cheaper than updating it, which counts at 50,000 rows.
    """
    summary = object.__new__(PersonSummary)
    _set(summary, "__dict__", {
        "id": row[0], "name": row[1], "bucket": _BUCKETS.get(row[2], Bucket.UNSORTED), "position": row[3],
        "phones": (), "emails": (), "org": row[4], "title": "", "birthday": None, "note": "",
        "minutes_invested": minutes, "last_interaction": datetime.fromisoformat(last_at) if last_at else None,
        "uid": "",
    })
    return summary


INTERACTION_COLUMNS = "id, person_id, at, minutes, kind, note"


def interaction_from_row(row: Sequence[Any]) -> Interaction:
    return domain.Interaction(
        id=row[0], person_id=row[1], at=from_db_time(row[2]), minutes=row[3], kind=row[4], note=row[5]
    )


MOVE_COLUMNS = "id, person_id, at, from_bucket, to_bucket, from_position, to_position"


def move_from_row(row: Sequence[Any]) -> Move:
    return domain.Move(
        id=row[0],
        person_id=row[1],
        at=from_db_time(row[2]),
        from_bucket=bucket_from_db(row[3]) if row[3] else None,
        to_bucket=bucket_from_db(row[4]),
        from_position=row[5],
        to_position=row[6],
    )
