"""Durations, when-phrases and quick-add lines as the user types them."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tiecrm.logparse import KINDS, QuickEntry, parse_duration, parse_quick_line, parse_when

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# Wednesday 25 November 2026, 19:00 UTC = 20:00 in Berlin (CET, +01:00).
NOW = datetime(2026, 11, 25, 19, 0)


# --- durations -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45m", 45), ("45min", 45), ("45 min", 45), ("45mins", 45), ("45 minutes", 45),
        ("1h30", 90), ("1h30m", 90), ("1h 30m", 90), ("1h05", 65),
        ("1.5h", 90), ("0.25h", 15), (".5h", 30), ("2h", 120), ("2 hours", 120), ("1hr", 60),
        ("90", 90), ("5", 5), ("1:30", 90), ("0:45", 45), ("24h", 1440), ("  45M  ", 45), ("1H30", 90),
    ],
)
def test_parse_duration_reads_every_form(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "abc", "45x", "1h30x", "h", "1:75", "1:5", "-5", "1,5h", "m45"])
def test_parse_duration_rejects_unreadable_text_with_a_hint(text: str) -> None:
    with pytest.raises(ValueError, match=r"cannot read duration .*\(try 45m"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["0", "0m", "0h", "1441", "24h1", "25h", "0:00", "0.001h"])
def test_parse_duration_rejects_durations_outside_one_minute_to_a_day(text: str) -> None:
    with pytest.raises(ValueError, match="must be between 1 minute and 24 hours"):
        parse_duration(text)


def test_parse_duration_error_names_the_text() -> None:
    with pytest.raises(ValueError, match="'soon'"):
        parse_duration("soon")


# --- when ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["now", "today", "TODAY", " today "])
def test_now_and_today_are_now(text: str) -> None:
    assert parse_when(text, NOW, BERLIN) == NOW


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yesterday", datetime(2026, 11, 24, 19, 0)),
        ("1 day ago", datetime(2026, 11, 24, 19, 0)),
        ("a day ago", datetime(2026, 11, 24, 19, 0)),
        ("3 days ago", datetime(2026, 11, 22, 19, 0)),
        ("3  Days   Ago", datetime(2026, 11, 22, 19, 0)),
        ("2 weeks ago", datetime(2026, 11, 11, 19, 0)),
        ("a week ago", datetime(2026, 11, 18, 19, 0)),
        ("2 hours ago", datetime(2026, 11, 25, 17, 0)),
        ("an hour ago", datetime(2026, 11, 25, 18, 0)),
        ("30 minutes ago", datetime(2026, 11, 25, 18, 30)),
    ],
)
def test_relative_phrases(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, BERLIN) == expected


@pytest.mark.parametrize(
    ("text", "day"),
    [
        # NOW is a Wednesday: the most recent past weekday, never today.
        ("tuesday", 24), ("last tuesday", 24), ("monday", 23), ("last monday", 23),
        ("sunday", 22), ("friday", 20), ("last fri", 20), ("thursday", 19), ("wednesday", 18),
        ("last wed", 18), ("Last Saturday", 21),
    ],
)
def test_weekdays_are_the_most_recent_past_one(text: str, day: int) -> None:
    at = parse_when(text, NOW, BERLIN)
    assert at == datetime(2026, 11, day, 19, 0)
    assert at < NOW


def test_weekday_is_counted_in_local_time() -> None:
    # 23:30 UTC on Tuesday is already Wednesday 00:30 in Berlin, so "tuesday" is one day back.
    late = datetime(2026, 11, 24, 23, 30)
    assert parse_when("tuesday", late, BERLIN) == datetime(2026, 11, 23, 23, 30)
    # ...while in New York it is still Tuesday evening, so "tuesday" is a week back.
    assert parse_when("tuesday", late, NEW_YORK) == datetime(2026, 11, 17, 23, 30)


def test_iso_date_is_noon_local_time() -> None:
    # Berlin is on CET (+01:00) in November: noon local is 11:00 UTC.
    assert parse_when("2026-11-20", NOW, BERLIN) == datetime(2026, 11, 20, 11, 0)
    assert parse_when("2026-11-20", NOW, NEW_YORK) == datetime(2026, 11, 20, 17, 0)
    assert parse_when("2026-11-20", NOW, timezone.utc) == datetime(2026, 11, 20, 12, 0)


@pytest.mark.parametrize(
    "text", ["2026-11-20 14:30", "2026-11-20T14:30", "2026-11-20t14:30", "2026-11-20 14:30:00"])
def test_iso_date_and_time_are_local_time(text: str) -> None:
    assert parse_when(text, NOW, BERLIN) == datetime(2026, 11, 20, 13, 30)


def test_iso_dates_across_the_daylight_saving_change() -> None:
    # Berlin leaves summer time on 25 October 2026 at 03:00 CEST.
    assert parse_when("2026-10-24", NOW, BERLIN) == datetime(2026, 10, 24, 10, 0)  # CEST, +02:00
    assert parse_when("2026-10-26", NOW, BERLIN) == datetime(2026, 10, 26, 11, 0)  # CET, +01:00
    assert parse_when("2026-10-24 14:30", NOW, BERLIN) == datetime(2026, 10, 24, 12, 30)
    assert parse_when("2026-10-26 14:30", NOW, BERLIN) == datetime(2026, 10, 26, 13, 30)
    # ...and enters it on 29 March 2026.
    assert parse_when("2026-03-28", NOW, BERLIN) == datetime(2026, 3, 28, 11, 0)
    assert parse_when("2026-03-30", NOW, BERLIN) == datetime(2026, 3, 30, 10, 0)


def test_days_ago_keeps_the_local_time_of_day_across_a_daylight_saving_change() -> None:
    # Tuesday 27 October 2026, 12:00 CET = 11:00 UTC. Three days back is Saturday 24 October
    # 12:00 CEST = 10:00 UTC: 73 hours, not 72, because the night of the change had 25 hours.
    now = datetime(2026, 10, 27, 11, 0)
    assert parse_when("3 days ago", now, BERLIN) == datetime(2026, 10, 24, 10, 0)
    assert parse_when("last saturday", now, BERLIN) == datetime(2026, 10, 24, 10, 0)
    assert parse_when("yesterday", now, BERLIN) == datetime(2026, 10, 26, 11, 0)
    # In a zone without the change the same phrase is exactly 72 hours.
    assert parse_when("3 days ago", now, timezone.utc) == now - timedelta(hours=72)


def test_todays_date_typed_before_noon_means_now() -> None:
    morning = datetime(2026, 11, 25, 8, 0)  # 09:00 in Berlin
    assert parse_when("2026-11-25", morning, BERLIN) == morning
    evening = datetime(2026, 11, 25, 19, 0)
    assert parse_when("2026-11-25", evening, BERLIN) == datetime(2026, 11, 25, 11, 0)


def test_date_is_local_today_even_when_utc_is_still_yesterday() -> None:
    # 23:30 UTC on the 25th is the 26th in Berlin, so the 26th is not in the future there.
    late = datetime(2026, 11, 25, 23, 30)
    assert parse_when("2026-11-26", late, BERLIN) == late
    with pytest.raises(ValueError, match="in the future"):
        parse_when("2026-11-26", late, NEW_YORK)


@pytest.mark.parametrize("text", ["2026-11-26", "2027-01-01", "2026-11-25 20:30"])
def test_future_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=f"{text} is in the future"):
        parse_when(text, NOW, BERLIN)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "no such date: '2026-02-30'"),
        ("2026-13-01", "no such date"),
        ("2026-11-20 25:00", "no such time: '2026-11-20 25:00'"),
        ("someday", r"cannot read date 'someday' \(try today, yesterday"),
        ("last", "cannot read date 'last'"),
        ("tomorrow", "cannot read date 'tomorrow'"),
        ("sun", "cannot read date 'sun'"),
        ("20/11/2026", "cannot read date"),
        ("", "cannot read date ''"),
    ],
)
def test_unreadable_dates_have_clear_messages(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_when(text, NOW, BERLIN)


@pytest.fixture
def berlin_system_zone():
    """Make the process's local zone Europe/Berlin for one test, then put the old one back."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_without_tz_the_system_zone_is_used_with_its_daylight_saving(berlin_system_zone) -> None:
    assert parse_when("2026-10-24", NOW) == datetime(2026, 10, 24, 10, 0)
    assert parse_when("2026-10-26 14:30", NOW) == datetime(2026, 10, 26, 13, 30)
    assert parse_when("3 days ago", datetime(2026, 10, 27, 11, 0)) == datetime(2026, 10, 24, 10, 0)


# --- quick-add lines -------------------------------------------------------------------------------


def test_quick_line_from_the_example() -> None:
    entry = parse_quick_line("45m coffee yesterday talked about her move", NOW, BERLIN)
    assert (entry.minutes, entry.kind, entry.at, entry.note) == (
        45, "coffee", NOW - timedelta(days=1), "talked about her move")


def test_quick_line_parts_in_any_order() -> None:
    expected = (90, "lunch", datetime(2026, 11, 22, 19, 0), "new job")
    for text in ("1h30 lunch 3 days ago new job", "lunch 3 days ago 1h30 new job",
                 "3 days ago 1h30 lunch new job", "3 days ago lunch 1h30 new job"):
        entry = parse_quick_line(text, NOW, BERLIN)
        assert (entry.minutes, entry.kind, entry.at, entry.note) == expected, text


def test_quick_line_every_part_is_optional() -> None:
    entry = parse_quick_line("", NOW, BERLIN)
    assert (entry.minutes, entry.kind, entry.at, entry.note) == (None, "", NOW, "")
    entry = parse_quick_line("caught up on everything", NOW, BERLIN)
    assert (entry.minutes, entry.kind, entry.at, entry.note) == (None, "", NOW, "caught up on everything")
    entry = parse_quick_line("call", NOW, BERLIN)
    assert (entry.minutes, entry.kind, entry.note) == (None, "call", "")


def test_quick_line_default_kind_only_when_none_given() -> None:
    assert parse_quick_line("20m chat", NOW, BERLIN, default_kind="call").kind == "call"
    assert parse_quick_line("20m video chat", NOW, BERLIN, default_kind="call").kind == "video"


@pytest.mark.parametrize("kind", KINDS)
def test_quick_line_reads_every_kind(kind: str) -> None:
    assert parse_quick_line(f"{kind.upper()} 10m", NOW, BERLIN).kind == kind


def test_quick_line_custom_kind_with_hash() -> None:
    entry = parse_quick_line("#Board-Games 3h last saturday she won again", NOW, BERLIN)
    assert (entry.minutes, entry.kind, entry.note) == (180, "board-games", "she won again")
    assert entry.at == datetime(2026, 11, 21, 19, 0)


def test_quick_line_note_keeps_numbers_and_date_words_once_started() -> None:
    entry = parse_quick_line("30m call she moves yesterday or in 2 days, 45m drive", NOW, BERLIN)
    assert (entry.minutes, entry.kind, entry.at) == (30, "call", NOW)
    assert entry.note == "she moves yesterday or in 2 days, 45m drive"


def test_quick_line_note_is_verbatim() -> None:
    entry = parse_quick_line("  walk   Talked  about   Lisbon, 3 kids & a dog  ", NOW, BERLIN)
    assert entry.kind == "walk"
    assert entry.note == "Talked  about   Lisbon, 3 kids & a dog"


def test_quick_line_each_part_only_once() -> None:
    entry = parse_quick_line("45m 20m coffee", NOW, BERLIN)
    assert (entry.minutes, entry.kind, entry.note) == (45, "", "20m coffee")
    entry = parse_quick_line("coffee lunch", NOW, BERLIN)
    assert (entry.kind, entry.note) == ("coffee", "lunch")
    entry = parse_quick_line("yesterday today", NOW, BERLIN)
    assert (entry.at, entry.note) == (NOW - timedelta(days=1), "today")


def test_quick_line_multi_word_phrases() -> None:
    entry = parse_quick_line("2h 3 days ago dinner", NOW, BERLIN)
    assert (entry.minutes, entry.at, entry.kind) == (120, datetime(2026, 11, 22, 19, 0), "dinner")
    entry = parse_quick_line("45 min a week ago", NOW, BERLIN)
    assert (entry.minutes, entry.at, entry.note) == (45, datetime(2026, 11, 18, 19, 0), "")
    entry = parse_quick_line("meeting 2026-11-20 14:30 budget", NOW, BERLIN)
    assert (entry.kind, entry.at, entry.note) == ("meeting", datetime(2026, 11, 20, 13, 30), "budget")
    entry = parse_quick_line("meeting 2026-11-20 budget", NOW, BERLIN)
    assert (entry.at, entry.note) == (datetime(2026, 11, 20, 11, 0), "budget")


def test_quick_line_bare_number_is_minutes_but_not_inside_a_date_phrase() -> None:
    entry = parse_quick_line("90 drinks", NOW, BERLIN)
    assert (entry.minutes, entry.kind) == (90, "drinks")
    entry = parse_quick_line("3 days ago", NOW, BERLIN)
    assert (entry.minutes, entry.at) == (None, datetime(2026, 11, 22, 19, 0))


def test_quick_line_words_that_begin_a_note_are_not_taken_as_parts() -> None:
    entry = parse_quick_line("now that she is back, a lot to tell", NOW, BERLIN)
    assert (entry.at, entry.note) == (NOW, "now that she is back, a lot to tell")
    entry = parse_quick_line("sun was out, long walk", NOW, BERLIN)
    assert (entry.at, entry.note) == (NOW, "sun was out, long walk")


def test_quick_line_punctuation_and_separators() -> None:
    entry = parse_quick_line("coffee, yesterday, she got the job", NOW, BERLIN)
    assert (entry.kind, entry.at, entry.note) == ("coffee", NOW - timedelta(days=1), "she got the job")
    entry = parse_quick_line("1h call - coffee machine broke", NOW, BERLIN)
    assert (entry.minutes, entry.kind, entry.note) == (60, "call", "coffee machine broke")


@pytest.mark.parametrize(
    ("text", "message"),
    [("0m coffee", "between 1 minute and 24 hours"), ("25h", "between 1 minute and 24 hours"),
     ("coffee 2026-12-01", "in the future"), ("2026-02-30 lunch", "no such date")],
)
def test_quick_line_refuses_recognised_but_wrong_parts(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_quick_line(text, NOW, BERLIN)


def test_describe_from_the_example() -> None:
    entry = parse_quick_line("45m coffee yesterday talked about her move", NOW, BERLIN)
    assert entry.describe() == "45 min · coffee · Tue 24 Nov · talked about her move"


def test_describe_shows_the_local_date_and_leaves_out_missing_parts() -> None:
    # 23:30 UTC on the 24th is already Wednesday the 25th in Berlin, still Tuesday in New York.
    at = datetime(2026, 11, 24, 23, 30)
    assert QuickEntry(None, "", at, "", tz=BERLIN).describe() == "Wed 25 Nov"
    assert QuickEntry(None, "", at, "", tz=NEW_YORK).describe() == "Tue 24 Nov"
    assert QuickEntry(90, "walk", at, "", tz=BERLIN).describe() == "1 h 30 min · walk · Wed 25 Nov"
    assert QuickEntry(120, "", at, "x", tz=BERLIN).describe() == "2 h · Wed 25 Nov · x"


def test_describe_adds_the_year_when_it_is_not_this_year() -> None:
    entry = parse_quick_line("call 2025-12-31", NOW, BERLIN)
    assert entry.describe() == "call · Wed 31 Dec 2025"
