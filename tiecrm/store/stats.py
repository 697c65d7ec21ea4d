"""SQL aggregates of time invested: a person's minutes per period, warmth, who is going cold, returns.

Local calendar boundaries (weeks, months, "the last 90 days") are computed in Python with the user's time
zone (tiecrm.timeline) and passed to SQL as naive-UTC instants; SQL then only compares stored UTC instants
with them. A fixed UTC offset per row would misplace interactions near midnight across a daylight-saving
change, and grouping by UTC day would put 00:30 local time on the wrong day; boundaries as instants are exact
for every zone, half-hour offsets included.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from tiecrm.clock import local_date
from tiecrm.domain import Bucket, Cadence, PersonSummary
from tiecrm.store.rows import (
    BUCKET_ORDER_SQL,
    SUMMARY_SELECT,
    bucket_from_db,
    from_db_time,
    summary_from_select,
    to_db_time,
)
from tiecrm.timeline import (
    ColdEntry,
    Period,
    Totals,
    UpcomingBirthday,
    birthday_keys_within,
    going_cold,
    local_midnight_utc,
    trailing_period,
    trailing_periods,
    upcoming_birthdays,
)

RETURNS_DAYS = 90
QUIET_INNER_DAYS = 60
TOP_PEOPLE = 3
HINT_LIMIT = 20

# Decayed minutes: each interaction weighs 1/2 per half-life of age; the future counts as now.
WARMTH_SQL = "i.minutes * pow(0.5, max(julianday(:now) - julianday(i.at), 0.0) / :half_life)"


def _rows(db, sql: str, params: Sequence | dict = ()) -> list[tuple]:
    return db.execute_sql(sql, params).fetchall()


# --- one person ---------------------------------------------------------------------------------------


def minutes_per_period(db, person_id: int, periods: Sequence[Period]) -> list[int]:
    """Minutes invested with a person in each period, one query: each period is an index range scan."""
    if not periods:
        return []
    spans = ",".join("(?, ?, ?)" for _ in periods)
    params: list[Any] = []
    for index, period in enumerate(periods):
        params += [index, to_db_time(period.utc_start), to_db_time(period.utc_end)]
    rows = _rows(
        db,
        f"""
        WITH span(idx, lo, hi) AS (VALUES {spans})
        SELECT span.idx, SUM(i.minutes) FROM span
        JOIN interaction i ON i.person_id = ? AND i.at >= span.lo AND i.at < span.hi
        GROUP BY span.idx
        """,
        [*params, person_id],
    )
    totals = [0] * len(periods)
    for index, minutes in rows:
        totals[index] = minutes or 0
    return totals


def person_totals(db, person_id: int, today: date, tz: tzinfo | None = None) -> Totals:
    """Minutes in the last 30, 90 and 365 local days and in all, for one person."""
    recent = minutes_per_period(db, person_id, trailing_periods(today, tz))
    sql = "SELECT coalesce(SUM(minutes), 0) FROM interaction WHERE person_id = ?"
    (all_time,) = _rows(db, sql, (person_id,))[0]
    return Totals(*recent, all_time=all_time)


def person_warmth(db, person_id: int, now: datetime, half_life_days: float) -> float:
    rows = _rows(
        db,
        f"SELECT coalesce(SUM({WARMTH_SQL}), 0) FROM interaction i WHERE i.person_id = :person",
        {"now": to_db_time(now), "half_life": half_life_days, "person": person_id},
    )
    return float(rows[0][0])


def warmth_by_person(
    db, now: datetime, half_life_days: float, bucket: Bucket | None = None
) -> dict[int, float]:
    """Warmth of everyone who has any interaction (or of one bucket's people), for board cards."""
    where = "" if bucket is None else "WHERE i.person_id IN (SELECT id FROM person WHERE bucket = :bucket)"
    rows = _rows(
        db,
        f"SELECT i.person_id, SUM({WARMTH_SQL}) FROM interaction i {where} GROUP BY i.person_id",
        {"now": to_db_time(now), "half_life": half_life_days,
         "bucket": Bucket(bucket).value if bucket else None},
    )
    return dict(rows)


# --- going cold ---------------------------------------------------------------------------------------


def _cold_params(now: datetime, cadence: Cadence, floors, half_life_days: float, tz: tzinfo | None) -> dict:
    """Per-bucket cut-offs as UTC instants: a person is overdue when their last contact is before local
    midnight of (today - cadence + 1), i.e. at least `cadence` local calendar days ago."""
    today = local_date(now, tz)

    def cutoff(days: int | None) -> str | None:
        return None if days is None else to_db_time(local_midnight_utc(today - timedelta(days=days - 1), tz))

    return {
        "now": to_db_time(now),
        "half_life": half_life_days,
        "inner_cut": cutoff(cadence.inner),
        "nurture_cut": cutoff(cadence.nurture),
        "inner_floor": floors.for_bucket(Bucket.INNER),
        "nurture_floor": floors.for_bucket(Bucket.NURTURE),
    }


# Inner-circle and nurture people with their totals, last contact and warmth, filtered by the going-cold rule
# (timeline.going_cold says the same in Python). Only their interactions are aggregated: one scan of the table
# (NOT INDEXED: walking the (person, at) index would fetch every row at random), then a sort of what is left.
_COLD_FROM = f"""
FROM person p
LEFT JOIN (
    SELECT i.person_id, SUM(i.minutes) AS total, MAX(i.at) AS last_at, SUM({WARMTH_SQL}) AS warmth
    FROM interaction i NOT INDEXED
    WHERE i.person_id IN (SELECT id FROM person WHERE bucket IN ('inner', 'nurture'))
    GROUP BY i.person_id
) agg ON agg.person_id = p.id
WHERE (p.bucket = 'inner' AND (
        (:inner_cut IS NOT NULL AND (agg.last_at IS NULL OR agg.last_at < :inner_cut))
        OR (:inner_floor IS NOT NULL AND coalesce(agg.warmth, 0) < :inner_floor)))
   OR (p.bucket = 'nurture' AND (
        (:nurture_cut IS NOT NULL AND (agg.last_at IS NULL OR agg.last_at < :nurture_cut))
        OR (:nurture_floor IS NOT NULL AND coalesce(agg.warmth, 0) < :nurture_floor)))
"""


def count_going_cold(
    db, now: datetime, cadence: Cadence, floors, half_life_days: float, tz: tzinfo | None = None
) -> int:
    params = _cold_params(now, cadence, floors, half_life_days, tz)
    return _rows(db, "SELECT COUNT(*) " + _COLD_FROM, params)[0][0]


def going_cold_people(
    db, now: datetime, cadence: Cadence, floors, half_life_days: float, tz: tzinfo | None = None
) -> list[ColdEntry]:
    """Everyone going cold, most overdue first, each with their last note as a conversation hook."""
    rows = _rows(
        db,
        f"""
        SELECT p.id, p.name, p.bucket, p.position, p.org, p.title, p.birthday, p.note,
               (SELECT group_concat(ph.value, char(31)) FROM phone ph WHERE ph.person_id = p.id),
               (SELECT group_concat(em.value, char(31)) FROM email em WHERE em.person_id = p.id),
               coalesce(agg.total, 0), agg.last_at, p.uid, coalesce(agg.warmth, 0)
        {_COLD_FROM}
        ORDER BY {BUCKET_ORDER_SQL}, p.position, p.id
        """,
        _cold_params(now, cadence, floors, half_life_days, tz),
    )
    entries = []
    today = local_date(now, tz)
    for row in rows:
        person = summary_from_select(row)
        coldness = going_cold(
            person.bucket, person.last_interaction, row[13], now, cadence, floors, tz, today)
        if coldness is not None:
            entries.append((person, coldness))
    entries.sort(key=lambda e: e[1].sort_key())
    notes = last_notes(db, [person.id for person, _ in entries])
    return [ColdEntry(person, coldness, notes.get(person.id, "")) for person, coldness in entries]


def last_notes(db, person_ids: Sequence[int]) -> dict[int, str]:
    """Each person's newest non-empty interaction note (walks the (person, at) index backwards per person)."""
    if not person_ids:
        return {}
    rows = _rows(
        db,
        """
        SELECT ids.value,
               (SELECT i.note FROM interaction i WHERE i.person_id = ids.value AND i.note != ''
                ORDER BY i.at DESC, i.id DESC LIMIT 1)
        FROM json_each(?) ids
        """,
        (json.dumps(list(person_ids)),),
    )
    return {person_id: note for person_id, note in rows if note}


def birthdays_soon(db, today: date, days: int = 14) -> list[UpcomingBirthday[PersonSummary]]:
    """Birthdays from today to `days` ahead, soonest first: SQL narrows by month and day, Python dates."""
    rows = _rows(
        db,
        SUMMARY_SELECT
        + " WHERE p.birthday IS NOT NULL AND substr(p.birthday, -5) IN (SELECT value FROM json_each(?))",
        (json.dumps(birthday_keys_within(today, days)),),
    )
    people = [summary_from_select(row) for row in rows]
    return upcoming_birthdays([(p, p.birthday) for p in people if p.birthday], today, days)


# --- returns ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopPerson:
    id: int
    name: str
    minutes: int


@dataclass(frozen=True)
class BucketReturn:
    """One bucket's share of the time in the window: people, minutes, share, and who got the most."""

    bucket: Bucket
    people: int = 0
    minutes: int = 0  # in the window
    share: float = 0.0  # of all the minutes invested in the window
    reached: int = 0  # people who got any minutes in the window
    top: tuple[TopPerson, ...] = ()


@dataclass(frozen=True)
class DriftHint:
    """A person whose bucket and time disagree, and the move that would settle it."""

    person_id: int
    name: str
    bucket: Bucket
    suggest: Bucket
    reason: str
    minutes_recent: int = 0
    last_contact: datetime | None = None


@dataclass(frozen=True)
class ReturnsReport:
    since: date  # first local day of the window
    days: int
    buckets: tuple[BucketReturn, ...] = ()
    contacts: int = 0
    reached: int = 0
    hints: tuple[DriftHint, ...] = ()
    more_hints: int = 0  # hints left off beyond the limit
    least_inner: TopPerson | None = None

    def vanity_ratio(self) -> str:
        contacts = "contact" if self.contacts == 1 else "contacts"
        reached = f"{self.reached:,} got any of your time in the last {self.days} days"
        return f"{self.contacts:,} {contacts}; {reached}"


def returns_report(
    db,
    today: date,
    tz: tzinfo | None = None,
    days: int = RETURNS_DAYS,
    quiet_days: int = QUIET_INNER_DAYS,
    top: int = TOP_PEOPLE,
    hint_limit: int = HINT_LIMIT,
) -> ReturnsReport:
    """Per bucket: people, minutes in the last `days` days and their share of all minutes invested then, top
    people; the vanity ratio; drift hints.

    No query groups the whole interaction table by person (that sort is what costs): per-person figures are
    only formed for the window's interactions, once, for both the top people and the drift hints.
    """
    window = trailing_period(today, days, tz)
    quiet_cut = local_midnight_utc(today - timedelta(days=quiet_days - 1), tz)
    params = {"since": to_db_time(window.utc_start), "quiet": to_db_time(quiet_cut), "top": top,
              "limit": hint_limit}
    counted = _rows(db, "SELECT bucket, COUNT(*) FROM person GROUP BY bucket")
    people = {bucket_from_db(b): n for b, n in counted}
    least = _least_seen_inner(db, params)
    params["least"] = least.minutes if least is not None else None
    # One pass over the window's interactions (NOT INDEXED: a scan, not a walk of the person index with
    # a random row fetch each), then per bucket: rank, people reached, minutes; and who outdoes the inner
    # circle.
    rows = _rows(
        db,
        """
        WITH recent AS MATERIALIZED (
                 SELECT person_id, SUM(minutes) AS m, MAX(at) AS last_at FROM interaction NOT INDEXED
                 WHERE at >= :since GROUP BY person_id HAVING m > 0),
             ranked AS (
                 SELECT p.id, p.name, p.bucket, r.m, r.last_at,
                        ROW_NUMBER() OVER (PARTITION BY p.bucket ORDER BY r.m DESC, p.name, p.id) AS rn,
                        COUNT(*) OVER (PARTITION BY p.bucket) AS reached,
                        SUM(r.m) OVER (PARTITION BY p.bucket) AS minutes
                 FROM recent r JOIN person p ON p.id = r.person_id),
             drift AS (
                 SELECT *, ROW_NUMBER() OVER (ORDER BY m DESC, name, id) AS place, COUNT(*) OVER () AS total
                 FROM ranked WHERE bucket IN ('nurture', 'vanity') AND :least IS NOT NULL AND m > :least)
        SELECT 'top', id, name, bucket, m, last_at, reached, minutes FROM ranked WHERE rn <= :top
        UNION ALL
        SELECT 'drift', id, name, bucket, m, last_at, total, place FROM drift WHERE place <= :limit
        """,
        params,
    )
    top_by_bucket: dict[Bucket, list[TopPerson]] = {b: [] for b in Bucket}
    reached: dict[Bucket, int] = dict.fromkeys(Bucket, 0)
    minutes_recent: dict[Bucket, int] = dict.fromkeys(Bucket, 0)
    drift: list[tuple] = []
    for what, person_id, name, bucket_text, minutes, last_at, count, extra in rows:
        if what == "drift":
            drift.append((extra, person_id, name, bucket_text, minutes, last_at, count))
            continue
        bucket = bucket_from_db(bucket_text)
        if not top_by_bucket[bucket]:
            reached[bucket] += count
            minutes_recent[bucket] += extra
        top_by_bucket[bucket].append(TopPerson(person_id, name, minutes))
    total = sum(minutes_recent.values())
    buckets = tuple(
        BucketReturn(
            bucket=b,
            people=people.get(b, 0),
            minutes=minutes_recent[b],
            share=minutes_recent[b] / total if total else 0.0,
            reached=reached[b],
            top=tuple(sorted(top_by_bucket[b], key=lambda t: (-t.minutes, t.name, t.id))[:top]),
        )
        for b in (Bucket.INNER, Bucket.NURTURE, Bucket.VANITY, Bucket.UNSORTED)
    )
    drift.sort()
    hints = [
        DriftHint(person_id, name, bucket_from_db(bucket), Bucket.INNER,
                  "more time than someone in your inner circle", minutes, from_db_time(last_at))
        for _, person_id, name, bucket, minutes, last_at, _ in drift
    ]
    more = drift[0][6] - len(drift) if drift else 0
    quiet, more_quiet = _quiet_inner(db, params, quiet_days)
    return ReturnsReport(
        since=window.first,
        days=days,
        buckets=buckets,
        contacts=sum(people.values()),
        reached=sum(reached.values()),
        hints=(*hints, *quiet),
        more_hints=more + more_quiet,
        least_inner=least,
    )


def _least_seen_inner(db, params: dict) -> TopPerson | None:
    """The inner-circle person who got the fewest minutes in the window (index range per inner person)."""
    rows = _rows(
        db,
        """
        SELECT p.id, p.name, coalesce((SELECT SUM(i.minutes) FROM interaction i
                                       WHERE i.person_id = p.id AND i.at >= :since), 0) AS m
        FROM person p WHERE p.bucket = 'inner' ORDER BY m, p.name, p.id LIMIT 1
        """,
        params,
    )
    return TopPerson(*rows[0]) if rows else None


def _quiet_inner(db, params: dict, quiet_days: int) -> tuple[list[DriftHint], int]:
    """Inner-circle people not contacted for `quiet_days` days (or never), longest quiet first: move them to
    nurture. MAX(at) per person is read from the end of the (person, at) index: no table rows are touched."""
    rows = _rows(
        db,
        """
        WITH last AS (SELECT p.id, p.name,
                             (SELECT MAX(i.at) FROM interaction i WHERE i.person_id = p.id) AS last_at
                      FROM person p WHERE p.bucket = 'inner')
        SELECT id, name, last_at, COUNT(*) OVER () FROM last
        WHERE last_at IS NULL OR last_at < :quiet
        ORDER BY last_at IS NOT NULL, last_at, name, id LIMIT :limit
        """,
        params,
    )
    hints = [
        DriftHint(person_id, name, Bucket.INNER, Bucket.NURTURE,
                  "never contacted" if last_at is None else f"no contact in {quiet_days} days",
                  0, from_db_time(last_at))
        for person_id, name, last_at, _ in rows
    ]
    return hints, (rows[0][3] - len(rows) if rows else 0)
