"""The arithmetic of time invested on a fixed clock: local weeks and months, daylight saving, midnight,
warmth, cadences, birthdays and leap days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tiecrm.config import WarmthFloor
from tiecrm.domain import Birthday, Bucket, Cadence, Interaction, Move
from tiecrm.timeline import (
    add_months,
    birthday_keys_within,
    days_in_bucket,
    going_cold,
    local_midnight_utc,
    minutes_per_period,
    monthly_periods,
    next_birthday,
    timeline_events,
    totals_of,
    trailing_period,
    upcoming_birthdays,
    warmth,
    weekly_periods,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")  # +05:30, no daylight saving
UTC_ZONE = ZoneInfo("UTC")
NOW = datetime(2026, 11, 20, 15, 30)  # naive UTC, a Friday
NO_FLOOR = WarmthFloor(inner=None, nurture=None)


def berlin(*args) -> datetime:
    """A Berlin wall-clock time as the naive UTC instant the store keeps."""
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC_ZONE).replace(tzinfo=None)


def interaction(at: datetime, minutes: int = 30, id: int = 1, note: str = "") -> Interaction:
    return Interaction(id=id, person_id=1, at=at, minutes=minutes, kind="call", note=note)


# --- weeks ------------------------------------------------------------------------------------------


def test_weeks_start_on_monday_and_run_back_26_weeks_without_gaps():
    periods = weekly_periods(date(2026, 11, 18), BERLIN)  # a Wednesday
    assert len(periods) == 26
    assert periods[-1].first == date(2026, 11, 16)
    assert all(p.first.weekday() == 0 for p in periods)
    assert all(a.utc_end == b.utc_start for a, b in zip(periods, periods[1:]))
    assert periods[0].first == date(2026, 11, 16) - timedelta(weeks=25)


def test_sunday_night_and_monday_midnight_fall_in_different_weeks():
    periods = weekly_periods(date(2026, 11, 18), BERLIN)
    sunday_late = berlin(2026, 11, 15, 23, 59, 59)
    monday_midnight = berlin(2026, 11, 16, 0, 0)
    minutes = minutes_per_period([(sunday_late, 10), (monday_midnight, 20)], periods)
    assert minutes[-2:] == [10, 20]


def test_week_with_spring_forward_lasts_167_hours_and_keeps_its_monday_midnight():
    # Berlin springs forward on Sunday 29 March 2026, 02:00 -> 03:00.
    periods = weekly_periods(date(2026, 4, 1), BERLIN)
    dst_week = next(p for p in periods if p.first == date(2026, 3, 23))
    assert dst_week.utc_end - dst_week.utc_start == timedelta(hours=167)
    # 00:30 on Monday 30 March is 22:30 UTC on Sunday: a fixed winter offset would put it in the week before.
    just_after = berlin(2026, 3, 30, 0, 30)
    assert just_after == datetime(2026, 3, 29, 22, 30)
    minutes = minutes_per_period([(just_after, 45)], periods)
    assert minutes[periods.index(dst_week) + 1] == 45
    assert minutes[periods.index(dst_week)] == 0


def test_week_with_fall_back_lasts_169_hours():
    periods = weekly_periods(date(2026, 10, 28), BERLIN)  # Berlin falls back on Sunday 25 October 2026
    dst_week = next(p for p in periods if p.first == date(2026, 10, 19))
    assert dst_week.utc_end - dst_week.utc_start == timedelta(hours=169)
    # Both 02:30s of the repeated hour belong to that Sunday.
    first = datetime(2026, 10, 25, 0, 30)  # 02:30 CEST
    second = datetime(2026, 10, 25, 1, 30)  # 02:30 CET
    minutes = minutes_per_period([(first, 5), (second, 7)], periods)
    assert minutes[periods.index(dst_week)] == 12


def test_half_hour_zone_boundaries_are_exact():
    periods = weekly_periods(date(2026, 11, 18), KOLKATA)
    # Monday 00:00 in Kolkata is 18:30 UTC on Sunday.
    assert periods[-1].utc_start == datetime(2026, 11, 15, 18, 30)
    entries = [(datetime(2026, 11, 15, 18, 29), 1), (datetime(2026, 11, 15, 18, 30), 2)]
    minutes = minutes_per_period(entries, periods)
    assert minutes[-2:] == [1, 2]


# --- months -----------------------------------------------------------------------------------------


def test_months_run_back_24_calendar_months_across_years():
    periods = monthly_periods(date(2026, 11, 20), BERLIN)
    assert len(periods) == 24
    assert [p.first for p in periods[:2]] == [date(2024, 12, 1), date(2025, 1, 1)]
    assert periods[-1].first == date(2026, 11, 1) and periods[-1].end == date(2026, 12, 1)
    assert all(a.end == b.first for a, b in zip(periods, periods[1:]))


def test_month_boundary_is_local_midnight():
    periods = monthly_periods(date(2026, 2, 10), NEW_YORK)
    jan, feb = periods[-2], periods[-1]
    last_of_january = datetime(2026, 2, 1, 4, 59)  # 23:59 in New York (UTC-5)
    first_of_february = datetime(2026, 2, 1, 5, 0)  # midnight in New York
    minutes = minutes_per_period([(last_of_january, 3), (first_of_february, 4)], periods)
    assert (minutes[periods.index(jan)], minutes[periods.index(feb)]) == (3, 4)


def test_month_holding_a_daylight_saving_change_is_an_hour_short():
    periods = monthly_periods(date(2026, 3, 31), BERLIN)
    march = periods[-1]
    assert march.utc_end - march.utc_start == timedelta(days=31) - timedelta(hours=1)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 11, 20), -23, date(2024, 12, 1)),
    (date(2026, 12, 31), 1, date(2027, 1, 1)),
    (date(2026, 1, 31), -1, date(2025, 12, 1)),
    (date(2024, 2, 29), 12, date(2025, 2, 1)),
])
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


# --- totals and midnight ----------------------------------------------------------------------------


def test_trailing_30_days_start_at_local_midnight_29_days_ago():
    today = date(2026, 11, 20)
    period = trailing_period(today, 30, BERLIN)
    assert period.first == date(2026, 10, 22)
    assert period.utc_start == local_midnight_utc(date(2026, 10, 22), BERLIN) == datetime(2026, 10, 21, 22, 0)
    inside = interaction(berlin(2026, 10, 22, 0, 0), 40, id=1)
    outside = interaction(berlin(2026, 10, 21, 23, 59, 59), 50, id=2)
    old = interaction(berlin(2025, 11, 20, 12, 0), 60, id=3)
    totals = totals_of([inside, outside, old], today, BERLIN)
    assert (totals.last_30, totals.last_90, totals.last_365, totals.all_time) == (40, 90, 90, 150)


def test_interaction_at_midnight_counts_for_the_day_it_starts():
    today = date(2026, 11, 20)
    at_midnight = interaction(berlin(2026, 11, 20, 0, 0), 25)
    totals = totals_of([at_midnight], today, BERLIN)
    assert totals.last_30 == 25
    # The same instant seen from New York is the evening before, still inside its window.
    assert totals_of([at_midnight], today, NEW_YORK).last_30 == 25
    # An interaction a minute before tomorrow's local midnight still counts today; tomorrow's does not.
    late = interaction(berlin(2026, 11, 20, 23, 59), 5)
    tomorrow = interaction(berlin(2026, 11, 21, 0, 0), 7)
    assert totals_of([late, tomorrow], today, BERLIN).last_30 == 5


# --- warmth -----------------------------------------------------------------------------------------


def test_warmth_halves_every_half_life():
    assert warmth([(NOW, 60)], NOW) == pytest.approx(60)
    assert warmth([(NOW - timedelta(days=60), 60)], NOW) == pytest.approx(30)
    assert warmth([(NOW - timedelta(days=120), 60)], NOW) == pytest.approx(15)
    assert warmth([(NOW - timedelta(days=30), 60)], NOW, half_life_days=30) == pytest.approx(30)


def test_warmth_adds_up_and_never_grows_with_time():
    entries = [(NOW - timedelta(days=60), 60), (NOW - timedelta(days=120), 120)]
    assert warmth(entries, NOW) == pytest.approx(30 + 30)
    later = [warmth(entries, NOW + timedelta(days=d)) for d in range(0, 400, 7)]
    assert all(a > b for a, b in zip(later, later[1:]))


def test_warmth_counts_a_future_entry_as_today():
    assert warmth([(NOW + timedelta(hours=5), 45)], NOW) == pytest.approx(45)


def test_warmth_is_measured_in_instants_not_wall_clock():
    # 60 days across the autumn change: the wall clock says 60 days and an hour, the instant says 60 days.
    before = datetime(2026, 9, 1, 10, 0)
    assert warmth([(before, 80)], before + timedelta(days=60)) == pytest.approx(40)


# --- going cold -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("bucket", "days_ago", "cold"), [
    (Bucket.INNER, 13, False),
    (Bucket.INNER, 14, True),
    (Bucket.NURTURE, 44, False),
    (Bucket.NURTURE, 45, True),
    (Bucket.VANITY, 400, False),
    (Bucket.UNSORTED, 400, False),
])
def test_cadence_per_bucket(bucket, days_ago, cold):
    last = NOW - timedelta(days=days_ago)
    result = going_cold(bucket, last, 1000.0, NOW, Cadence(), NO_FLOOR, UTC_ZONE)
    assert (result is not None) == cold
    if cold:
        assert result.reason == "overdue"
        assert result.days_since == days_ago
        assert result.overdue_days == 0


def test_vanity_and_unsorted_never_nag_even_when_never_contacted():
    for bucket in (Bucket.VANITY, Bucket.UNSORTED):
        assert going_cold(bucket, None, 0.0, NOW, Cadence(), WarmthFloor(), UTC_ZONE) is None


def test_never_contacted_inner_person_is_going_cold():
    result = going_cold(Bucket.INNER, None, 0.0, NOW, Cadence(), WarmthFloor(), UTC_ZONE)
    assert result.reason == "never" and result.days_since is None


def test_configured_cadence_and_disabled_cadence():
    last = NOW - timedelta(days=10)
    assert going_cold(Bucket.INNER, last, 500.0, NOW, Cadence(inner=7), NO_FLOOR, UTC_ZONE).overdue_days == 3
    assert going_cold(Bucket.INNER, last, 500.0, NOW, Cadence(inner=None), NO_FLOOR, UTC_ZONE) is None


def test_warmth_below_the_floor_is_going_cold_within_the_cadence():
    last = NOW - timedelta(days=2)
    floors = WarmthFloor(inner=30.0, nurture=10.0)
    cooling = going_cold(Bucket.INNER, last, 12.0, NOW, Cadence(), floors, UTC_ZONE)
    assert cooling.reason == "cooling" and cooling.floor == 30.0
    assert going_cold(Bucket.NURTURE, last, 12.0, NOW, Cadence(), floors, UTC_ZONE) is None


def test_days_since_contact_are_local_calendar_days():
    # 23:30 in Berlin yesterday is 22:30 UTC, and "now" is 00:30 Berlin: one local day, zero UTC days.
    now = berlin(2026, 11, 21, 0, 30)
    last = berlin(2026, 11, 20 - 13, 23, 30)
    result = going_cold(Bucket.INNER, last, 999.0, now, Cadence(), NO_FLOOR, BERLIN)
    assert result is not None and result.days_since == 14
    assert going_cold(Bucket.INNER, last, 999.0, now, Cadence(), NO_FLOOR, UTC_ZONE) is None


def test_most_overdue_first():
    def cold(bucket, days_ago, heat):
        last = None if days_ago is None else NOW - timedelta(days=days_ago)
        return going_cold(bucket, last, heat, NOW, Cadence(), WarmthFloor(), UTC_ZONE)

    entries = [
        cold(Bucket.NURTURE, 50, 50.0),  # 5 days over
        cold(Bucket.INNER, 3, 5.0),  # cooling
        cold(Bucket.INNER, 40, 50.0),  # 26 days over
        cold(Bucket.INNER, None, 0.0),
    ]
    ordered = sorted(entries, key=lambda c: c.sort_key())
    assert [(c.reason, c.overdue_days) for c in ordered] == [
        ("never", None), ("overdue", 26), ("overdue", 5), ("cooling", -11)]


# --- moves across daylight saving -------------------------------------------------------------------


def test_days_in_bucket_after_a_move_across_the_autumn_change():
    move = Move(1, 1, berlin(2026, 10, 24, 23, 30), Bucket.UNSORTED, Bucket.INNER)
    now = berlin(2026, 10, 26, 0, 30)
    # Two Berlin midnights were crossed, though only 26 hours (and one UTC midnight) passed.
    assert now - move.at == timedelta(hours=26)
    assert days_in_bucket([move], now, BERLIN) == 2
    assert days_in_bucket([], now, BERLIN) is None


def test_timeline_orders_by_instant_through_the_repeated_hour():
    move = Move(7, 1, datetime(2026, 10, 25, 0, 30), Bucket.NURTURE, Bucket.INNER)  # 02:30 CEST
    # 02:15 CET: later, though earlier on the wall clock.
    chat = interaction(datetime(2026, 10, 25, 1, 15), 20, id=3)
    older = interaction(datetime(2026, 10, 24, 9, 0), 10, id=9)
    assert timeline_events([older, chat], [move]) == [chat, move, older]


# --- birthdays --------------------------------------------------------------------------------------


def test_year_less_birthdays_come_up_without_an_age():
    today = date(2026, 11, 20)
    people = [("ada", Birthday(12, 1, None)), ("sam", Birthday(11, 20, 1990)),
              ("late", Birthday(12, 5, None))]
    found = upcoming_birthdays(people, today, 14)
    assert [(b.who, b.days_until, b.turns) for b in found] == [("sam", 0, 36), ("ada", 11, None)]


def test_birthdays_wrap_into_the_next_year():
    found = upcoming_birthdays([("new year", Birthday(1, 2, 2000))], date(2026, 12, 25), 14)
    assert [(b.on, b.turns) for b in found] == [(date(2027, 1, 2), 27)]


def test_leap_day_birthday_is_on_feb_28_in_common_years():
    leapling = Birthday(2, 29, 2000)
    assert next_birthday(leapling, date(2027, 2, 1)) == date(2027, 2, 28)
    assert next_birthday(leapling, date(2028, 2, 1)) == date(2028, 2, 29)
    assert next_birthday(leapling, date(2027, 3, 1)) == date(2028, 2, 29)
    found = upcoming_birthdays([("leap", leapling)], date(2027, 2, 20), 14)
    assert [(b.on, b.turns) for b in found] == [(date(2027, 2, 28), 27)]


def test_birthday_keys_let_sql_find_leap_day_birthdays_in_common_years():
    assert "02-29" in birthday_keys_within(date(2027, 2, 20), 14)
    assert "02-29" not in birthday_keys_within(date(2027, 3, 1), 14)
    keys = birthday_keys_within(date(2026, 12, 25), 14)
    assert keys[0] == "01-01" and "12-25" in keys and len(keys) == 15


def test_impossible_birthday_is_ignored():
    assert upcoming_birthdays([("x", Birthday(2, 30, None))], date(2026, 2, 20), 14) == []
