"""Arithmetic of time invested: local weeks and months, totals, warmth, going cold, upcoming birthdays."""

from __future__ import annotations

import calendar
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from operator import itemgetter
from typing import Generic, TypeVar

from tiecrm.clock import days_between, local_date
from tiecrm.domain import Birthday, Bucket, Cadence, Interaction, Move, PersonSummary

T = TypeVar("T")

WEEKS_SHOWN = 26
MONTHS_SHOWN = 24
TRAILING_DAYS = (30, 90, 365)
BIRTHDAY_HORIZON_DAYS = 14


# --- local calendar -> UTC instants ------------------------------------------------------------------


def local_midnight_utc(day: date, tz: tzinfo | None = None) -> datetime:
    """The naive-UTC instant at which local `day` begins in `tz` (None: the system's zone).

    Boundaries are computed once per period on the local calendar and then compared with stored UTC
    instants, so a week holding a daylight-saving change simply lasts 167 or 169 hours.
    """
    wall = datetime.combine(day, time(0, 0))
    aware = wall.replace(tzinfo=tz) if tz is not None else wall.astimezone()
    return aware.astimezone(UTC).replace(tzinfo=None)


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month `months` after (or before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """A span of local calendar days [first, end) and the UTC instants [utc_start, utc_end) it covers."""

    first: date
    end: date
    utc_start: datetime
    utc_end: datetime


def _period(first: date, end: date, tz: tzinfo | None) -> Period:
    return Period(first, end, local_midnight_utc(first, tz), local_midnight_utc(end, tz))


def weekly_periods(today: date, tz: tzinfo | None = None, count: int = WEEKS_SHOWN) -> list[Period]:
    """The last `count` Monday-to-Sunday weeks, oldest first; the last one holds `today`."""
    this_week = week_start(today)
    starts = [this_week - timedelta(weeks=back) for back in range(count - 1, -1, -1)]
    return [_period(start, start + timedelta(weeks=1), tz) for start in starts]


def monthly_periods(today: date, tz: tzinfo | None = None, count: int = MONTHS_SHOWN) -> list[Period]:
    """The last `count` calendar months, oldest first; the last one holds `today`."""
    this_month = month_start(today)
    starts = [add_months(this_month, -back) for back in range(count - 1, -1, -1)]
    return [_period(start, add_months(start, 1), tz) for start in starts]


def trailing_period(today: date, days: int, tz: tzinfo | None = None) -> Period:
    """The last `days` local calendar days, today included (today's local midnight on, not 24-hour steps)."""
    return _period(today - timedelta(days=days - 1), today + timedelta(days=1), tz)


def minutes_per_period(entries: Iterable[tuple[datetime, int]], periods: Sequence[Period]) -> list[int]:
    """Minutes of (naive-UTC instant, minutes) pairs falling in each period; periods must be sorted and
    adjacent or disjoint. The reference for the store's SQL version; no time-zone work per entry."""
    starts = [p.utc_start for p in periods]
    totals = [0] * len(periods)
    for at, minutes in entries:
        index = bisect_right(starts, at) - 1
        if index >= 0 and at < periods[index].utc_end:
            totals[index] += minutes
    return totals


# --- totals -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """Minutes invested in the last 30, 90 and 365 local calendar days (today included) and in all."""

    last_30: int = 0
    last_90: int = 0
    last_365: int = 0
    all_time: int = 0


def trailing_periods(today: date, tz: tzinfo | None = None) -> list[Period]:
    """The periods Totals counts, longest last: 30, 90 and 365 days back to today."""
    return [trailing_period(today, days, tz) for days in TRAILING_DAYS]


def totals_of(interactions: Iterable[Interaction], today: date, tz: tzinfo | None = None) -> Totals:
    """Totals of a person's interactions, counted in Python (the store counts the same in SQL)."""
    entries = [(i.at, i.minutes) for i in interactions]
    counts = [minutes_per_period(entries, [p])[0] for p in trailing_periods(today, tz)]
    return Totals(*counts, all_time=sum(m for _, m in entries))


# --- warmth -----------------------------------------------------------------------------------------


def decay(age_days: float, half_life_days: float) -> float:
    """The weight of minutes invested `age_days` ago: 1 today, 1/2 after one half-life.

    The future counts as now.
    """
    return 0.5 ** (max(age_days, 0.0) / half_life_days)


def warmth(entries: Iterable[tuple[datetime, int]], now: datetime, half_life_days: float = 60.0) -> float:
    """Decayed sum of minutes: each interaction's minutes halve every `half_life_days` (UTC instants)."""
    return sum(minutes * decay((now - at).total_seconds() / 86400, half_life_days) for at, minutes in entries)


# --- going cold -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Coldness:
    """Why a person is going cold.

    reason is `never` (never contacted), `overdue` (last contact at least the cadence ago) or `cooling`
    (contacted within the cadence, but warmth below the bucket's floor). Not frozen: a due list builds
    thousands, and a frozen dataclass's __init__ costs several times a plain one's.
    """

    reason: str
    days_since: int | None
    cadence_days: int | None
    warmth: float
    floor: float | None

    @property
    def overdue_days(self) -> int | None:
        if self.days_since is None or self.cadence_days is None:
            return None
        return self.days_since - self.cadence_days

    def sort_key(self) -> tuple:
        """Most overdue first: never contacted, then by days past the cadence, then the coldest."""
        if self.reason == "never":
            return (0, 0.0)
        if self.reason == "overdue":
            return (1, -float(self.overdue_days or 0))
        return (2, self.warmth / self.floor if self.floor else 0.0)

    def describe(self) -> str:
        if self.reason == "never":
            return "never contacted"
        if self.reason == "overdue":
            late = self.overdue_days or 0
            late_text = "due today" if late == 0 else f"{late} day{'s' if late != 1 else ''} overdue"
            return f"{self.days_since} days since contact, {late_text}"
        return f"warmth {self.warmth:.0f} below {self.floor:.0f}"


def going_cold(
    bucket: Bucket,
    last_contact: datetime | None,
    warmth_now: float,
    now: datetime,
    cadence: Cadence,
    floors,
    tz: tzinfo | None = None,
    today: date | None = None,
) -> Coldness | None:
    """Whether a person is going cold, and why; None when they are not (or their bucket never nags).

    Days since the last contact are whole local calendar days. A person is due once `days_since >= cadence`,
    so someone with a 14-day cadence seen on a Monday is due two Mondays later. `floors` has
    `for_bucket(bucket) -> float | None` (config.WarmthFloor). `today` is `now`'s local date, if known.
    """
    cadence_days = cadence.for_bucket(bucket)
    floor = floors.for_bucket(bucket) if bucket in (Bucket.INNER, Bucket.NURTURE) else None
    if cadence_days is None and floor is None:
        return None
    if last_contact is None:
        return Coldness("never", None, cadence_days, warmth_now, floor)
    days = ((today or local_date(now, tz)) - local_date(last_contact, tz)).days
    if cadence_days is not None and days >= cadence_days:
        return Coldness("overdue", days, cadence_days, warmth_now, floor)
    if floor is not None and warmth_now < floor:
        return Coldness("cooling", days, cadence_days, warmth_now, floor)
    return None


@dataclass(slots=True)
class ColdEntry:
    """One row of the due list: who, why, and the last note to start the conversation again."""

    person: PersonSummary
    coldness: Coldness
    last_note: str = ""

    @property
    def days_since(self) -> int | None:
        return self.coldness.days_since

    def to_json(self) -> dict:
        data = self.person.to_json()
        data["days_since"] = self.coldness.days_since
        data["last_note"] = self.last_note or None
        data["warmth"] = round(self.coldness.warmth, 1)
        data["reason"] = self.coldness.reason
        return data


# --- birthdays --------------------------------------------------------------------------------------


def birthday_in(year: int, birthday: Birthday) -> date | None:
    """The day `birthday` is celebrated in `year` (Feb 29 on Feb 28 in common years); None if impossible."""
    month, day = birthday.month, birthday.day
    if month == 2 and day == 29 and not calendar.isleap(year):
        day = 28
    try:
        return date(year, month, day)
    except ValueError:
        return None


def next_birthday(birthday: Birthday, today: date) -> date | None:
    """The next celebration on or after `today`."""
    for year in (today.year, today.year + 1):
        day = birthday_in(year, birthday)
        if day is not None and day >= today:
            return day
    return None


@dataclass(frozen=True)
class UpcomingBirthday(Generic[T]):
    who: T
    on: date
    days_until: int
    turns: int | None  # None when the year of birth is unknown


def upcoming_birthdays(
    people: Iterable[tuple[T, Birthday]], today: date, days: int = BIRTHDAY_HORIZON_DAYS
) -> list[UpcomingBirthday[T]]:
    """Birthdays from `today` to `days` days ahead (inclusive), soonest first, year-less ones too."""
    found = []
    for who, birthday in people:
        on = next_birthday(birthday, today)
        if on is None or (on - today).days > days:
            continue
        turns = on.year - birthday.year if birthday.year is not None and birthday.year < on.year else None
        found.append(UpcomingBirthday(who, on, (on - today).days, turns))
    found.sort(key=lambda b: b.days_until)
    return found


def birthday_keys_within(today: date, days: int = BIRTHDAY_HORIZON_DAYS) -> list[str]:
    """`MM-DD` strings a stored birthday may end with to fall within the next `days` days (Feb 29 included
    when Feb 28 of a common year is in the window), so the store can narrow birthdays down in SQL."""
    keys = set()
    for offset in range(days + 1):
        day = today + timedelta(days=offset)
        keys.add(f"{day.month:02d}-{day.day:02d}")
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            keys.add("02-29")
    return sorted(keys)


# --- the timeline -----------------------------------------------------------------------------------


def timeline_events(interactions: Iterable[Interaction], moves: Iterable[Move]) -> list[Interaction | Move]:
    """Interactions and bucket moves in one list, newest first by their UTC instant (so an hour repeated by a
    daylight-saving change never reorders them); at the same instant an interaction comes before a move."""
    events: list[tuple[datetime, int, int, Interaction | Move]] = [(i.at, 1, i.id, i) for i in interactions]
    events += [(m.at, 0, m.id, m) for m in moves]
    events.sort(key=itemgetter(0, 1, 2), reverse=True)
    return [e[3] for e in events]


def days_in_bucket(moves: Sequence[Move], now: datetime, tz: tzinfo | None = None) -> int | None:
    """Local calendar days since the latest move (moves newest first), None if never moved."""
    if not moves:
        return None
    latest = max(moves, key=lambda m: (m.at, m.id))
    return days_between(latest.at, now, tz)
