"""The store's SQL aggregates agree with the arithmetic in tiecrm.timeline, on real SQLite files and cards."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tiecrm.config import WarmthFloor
from tiecrm.domain import Bucket, Cadence
from tiecrm.store import stats
from tiecrm.store.repository import Repository
from tiecrm.timeline import (
    going_cold,
    minutes_per_period,
    monthly_periods,
    totals_of,
    warmth,
    weekly_periods,
)
from tiecrm.vcard.reader import read_vcard_bytes

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 20, 15, 30)  # naive UTC
TODAY = date(2026, 11, 20)


def card(name: str, birthday: str = "") -> str:
    bday = f"BDAY:{birthday}\n" if birthday else ""
    return f"BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nN:{name};;;;\n{bday}END:VCARD\n"


def make_repo(path, cards: list[str]) -> tuple[Repository, dict[str, int]]:
    repo = Repository(path, now=lambda: NOW)
    result = read_vcard_bytes("".join(cards).encode("utf-8"), "people.vcf")
    assert not result.problems
    repo.import_drafts(result.drafts, result.problems, source="people.vcf")
    return repo, {p.name: p.id for p in repo.list_people()}


@pytest.fixture
def random_repo(tmp_path):
    """Forty people in every bucket, with interactions spread over three years and bunched at DST changes."""
    rng = random.Random(20261120)
    repo, ids = make_repo(tmp_path / "random.db", [card(f"Person {n:02d}") for n in range(40)])
    buckets = [Bucket.INNER, Bucket.NURTURE, Bucket.VANITY, Bucket.UNSORTED]
    for n, person_id in enumerate(sorted(ids.values())):
        repo.move(person_id, buckets[n % 4])
    hot_spots = [datetime(2026, 3, 29, 0, 0), datetime(2026, 10, 25, 0, 0), datetime(2025, 12, 31, 22, 0)]
    for person_id in sorted(ids.values())[:36]:  # the last four never got any time
        for _ in range(rng.randrange(0, 25)):
            if rng.random() < 0.3:
                at = rng.choice(hot_spots) + timedelta(minutes=rng.randrange(-180, 180))
            elif rng.random() < 0.5:
                at = NOW - timedelta(minutes=rng.randrange(0, 60 * 24 * 60))
            else:
                at = NOW - timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
            note = rng.choice(["", "", "kids", "new flat", "job hunt"])
            repo.log_interaction(person_id, rng.choice([0, 5, 15, 30, 45, 90]), kind="call", note=note, at=at)
    yield repo
    repo.close()


def people_with_interactions(repo):
    return [(p, repo.get_person(p.id)) for p in repo.list_people()]


def test_sql_periods_match_python_folding_in_berlin(random_repo):
    weeks, months = weekly_periods(TODAY, BERLIN), monthly_periods(TODAY, BERLIN)
    checked = 0
    for person, detail in people_with_interactions(random_repo):
        entries = [(i.at, i.minutes) for i in detail.interactions]
        for periods in (weeks, months):
            assert stats.minutes_per_period(random_repo.db, person.id, periods) == minutes_per_period(
                entries, periods)
        checked += sum(minutes_per_period(entries, months)) > 0
    assert checked > 10


def test_sql_totals_and_warmth_match_python(random_repo):
    for person, detail in people_with_interactions(random_repo):
        assert stats.person_totals(random_repo.db, person.id, TODAY, BERLIN) == totals_of(
            detail.interactions, TODAY, BERLIN)
        expected = warmth([(i.at, i.minutes) for i in detail.interactions], NOW, 45.0)
        assert stats.person_warmth(random_repo.db, person.id, NOW, 45.0) == pytest.approx(expected)
    by_person = stats.warmth_by_person(random_repo.db, NOW, 60.0)
    for person, detail in people_with_interactions(random_repo):
        if detail.interactions:
            expected = warmth([(i.at, i.minutes) for i in detail.interactions], NOW)
            assert by_person[person.id] == pytest.approx(expected)
        else:
            assert person.id not in by_person


@pytest.mark.parametrize("tz", [BERLIN, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")])
@pytest.mark.parametrize(("cadence", "floors"), [
    (Cadence(), WarmthFloor()),
    (Cadence(inner=7, nurture=30), WarmthFloor(inner=None, nurture=None)),
    (Cadence(inner=None, nurture=90), WarmthFloor(inner=200.0, nurture=None)),
])
def test_sql_going_cold_is_the_python_rule(random_repo, tz, cadence, floors):
    expected = []
    for person, detail in people_with_interactions(random_repo):
        heat = warmth([(i.at, i.minutes) for i in detail.interactions], NOW, 60.0)
        coldness = going_cold(person.bucket, person.last_interaction, heat, NOW, cadence, floors, tz)
        if coldness is not None:
            expected.append((person.id, coldness.reason, coldness.days_since))
    entries = stats.going_cold_people(random_repo.db, NOW, cadence, floors, 60.0, tz)
    assert sorted((e.person.id, e.coldness.reason, e.days_since) for e in entries) == sorted(expected)
    assert stats.count_going_cold(random_repo.db, NOW, cadence, floors, 60.0, tz) == len(expected)
    assert {e.person.bucket for e in entries} <= {Bucket.INNER, Bucket.NURTURE}
    keys = [e.coldness.sort_key() for e in entries]
    assert keys == sorted(keys)


def test_due_gives_the_newest_note_as_hook_and_never_contacted_first(tmp_path):
    names = ("Priya Sharma", "Sam Carter", "Ada Lovelace", "Vera Vanity")
    repo, ids = make_repo(tmp_path / "due.db", [card(name) for name in names])
    repo.move(ids["Priya Sharma"], Bucket.INNER)
    repo.move(ids["Sam Carter"], Bucket.NURTURE)
    repo.move(ids["Ada Lovelace"], Bucket.INNER)
    repo.move(ids["Vera Vanity"], Bucket.VANITY)
    repo.log_interaction(ids["Priya Sharma"], 30, note="her new job", at=NOW - timedelta(days=30))
    repo.log_interaction(ids["Priya Sharma"], 20, note="", at=NOW - timedelta(days=20))
    repo.log_interaction(ids["Priya Sharma"], 10, note="older", at=NOW - timedelta(days=40))
    repo.log_interaction(ids["Sam Carter"], 60, note="climbing trip", at=NOW - timedelta(days=50))
    entries = stats.going_cold_people(repo.db, NOW, Cadence(), WarmthFloor(), 60.0, BERLIN)
    assert [(e.person.name, e.coldness.reason, e.days_since, e.last_note) for e in entries] == [
        ("Ada Lovelace", "never", None, ""),
        ("Priya Sharma", "overdue", 20, "her new job"),  # 6 days past 14
        ("Sam Carter", "overdue", 50, "climbing trip"),  # 5 days past 45
    ]
    data = entries[1].to_json()
    assert data["last_note"] == "her new job" and data["days_since"] == 20 and data["bucket"] == "inner"
    repo.close()


def test_birthdays_soon_includes_year_less_and_leap_day(tmp_path):
    repo, ids = make_repo(tmp_path / "bday.db", [
        card("Leap Ling", "2000-02-29"), card("No Year", "--0305"), card("Far Away", "1980-06-01"),
        card("Edge Case", "1990-03-06"), card("Too Late", "--0307"),
    ])
    found = stats.birthdays_soon(repo.db, date(2027, 2, 20), 14)
    assert [(b.who.name, b.on, b.turns) for b in found] == [
        ("Leap Ling", date(2027, 2, 28), 27),
        ("No Year", date(2027, 3, 5), None),
        ("Edge Case", date(2027, 3, 6), 37),
    ]
    repo.close()


def test_returns_report_adds_up_like_python(random_repo):
    report = stats.returns_report(random_repo.db, TODAY, BERLIN)
    since = datetime(2026, 8, 22, 22, 0)  # local midnight in Berlin 89 days before 20 Nov, in UTC
    assert report.since == date(2026, 8, 23)
    recent: dict[Bucket, int] = dict.fromkeys(Bucket, 0)
    per_person: dict[int, int] = {}
    for person, detail in people_with_interactions(random_repo):
        for i in detail.interactions:
            if i.at >= since:
                recent[person.bucket] += i.minutes
                per_person[person.id] = per_person.get(person.id, 0) + i.minutes
    by_bucket = {row.bucket: row for row in report.buckets}
    for bucket in Bucket:
        assert by_bucket[bucket].minutes == recent[bucket]
        assert by_bucket[bucket].share == pytest.approx(recent[bucket] / sum(recent.values()))
        assert by_bucket[bucket].people == random_repo.count_people(bucket)
        assert by_bucket[bucket].reached == sum(
            1 for pid, m in per_person.items() if m > 0 and random_repo.get_summary(pid).bucket == bucket)
    reached = {pid for pid, minutes in per_person.items() if minutes > 0}
    assert report.reached == len(reached)
    assert report.contacts == 40
    assert report.vanity_ratio() == f"40 contacts; {len(reached)} got any of your time in the last 90 days"
    for row in report.buckets:
        minutes = [t.minutes for t in row.top]
        assert minutes == sorted(minutes, reverse=True) and len(minutes) <= 3
        in_bucket = sorted((m for pid, m in per_person.items() if m > 0
                            and random_repo.get_summary(pid).bucket == row.bucket), reverse=True)
        assert minutes == in_bucket[:3]


def test_drift_hints_offer_the_moves(tmp_path):
    repo, ids = make_repo(tmp_path / "drift.db", [card(n) for n in (
        "Inner Busy", "Inner Quiet", "Inner Never", "Nurture Star", "Vanity Star", "Nurture Low")])
    for name in ("Inner Busy", "Inner Quiet", "Inner Never"):
        repo.move(ids[name], Bucket.INNER)
    repo.move(ids["Nurture Star"], Bucket.NURTURE)
    repo.move(ids["Nurture Low"], Bucket.NURTURE)
    repo.move(ids["Vanity Star"], Bucket.VANITY)
    repo.log_interaction(ids["Inner Busy"], 300, at=NOW - timedelta(days=2))
    repo.log_interaction(ids["Inner Quiet"], 20, at=NOW - timedelta(days=75))  # inside 90 days, quiet for 60
    repo.log_interaction(ids["Nurture Star"], 120, at=NOW - timedelta(days=10))
    repo.log_interaction(ids["Vanity Star"], 45, at=NOW - timedelta(days=5))
    report = stats.returns_report(repo.db, TODAY, BERLIN)
    assert report.least_inner.name == "Inner Never" and report.least_inner.minutes == 0
    moves = [(h.name, h.bucket, h.suggest) for h in report.hints]
    assert moves == [
        ("Nurture Star", Bucket.NURTURE, Bucket.INNER),
        ("Vanity Star", Bucket.VANITY, Bucket.INNER),
        ("Inner Never", Bucket.INNER, Bucket.NURTURE),
        ("Inner Quiet", Bucket.INNER, Bucket.NURTURE),
    ]
    assert report.more_hints == 0
    # With the quiet ones moved out, the least-seen inner person got 300 minutes: nobody outside beats that.
    repo.move(ids["Inner Never"], Bucket.NURTURE)
    repo.move(ids["Inner Quiet"], Bucket.NURTURE)
    report = stats.returns_report(repo.db, TODAY, BERLIN)
    assert report.least_inner.name == "Inner Busy"
    assert report.hints == ()
    limited = stats.returns_report(repo.db, TODAY, BERLIN, hint_limit=1, quiet_days=1)
    assert len(limited.hints) == 1 and limited.more_hints == 0
    repo.close()


def test_empty_store_gives_empty_figures(tmp_path):
    repo = Repository(tmp_path / "empty.db", now=lambda: NOW)
    report = stats.returns_report(repo.db, TODAY, BERLIN)
    assert report.contacts == 0 and report.hints == () and report.least_inner is None
    assert all(r.share == 0 and r.top == () for r in report.buckets)
    assert stats.going_cold_people(repo.db, NOW, Cadence(), WarmthFloor(), 60.0, BERLIN) == []
    assert stats.minutes_per_period(repo.db, 1, []) == []
    repo.close()


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def test_sql_periods_put_local_midnight_in_the_period_it_starts(tmp_path):
    repo, ids = make_repo(tmp_path / "edges.db", [card("Edge Person")])
    person = ids["Edge Person"]
    for at, minutes in [
        (berlin(2026, 11, 15, 23, 59, 59), 1),  # Sunday night
        (berlin(2026, 11, 16, 0, 0), 2),  # Monday midnight: this week
        (berlin(2026, 10, 31, 23, 59, 59), 4),  # last second of October
        (berlin(2026, 11, 1, 0, 0), 8),  # first instant of November
        (berlin(2026, 3, 30, 0, 0), 16),  # Monday after the spring change, 22:00 UTC on Sunday
    ]:
        repo.log_interaction(person, minutes, at=at)
    weeks = stats.minutes_per_period(repo.db, person, weekly_periods(TODAY, BERLIN))
    assert weeks[-1] == 2 and weeks[-2] == 1
    months = stats.minutes_per_period(repo.db, person, monthly_periods(TODAY, BERLIN))
    assert months[-1] == 2 + 1 + 8 and months[-2] == 4
    march_30 = weekly_periods(date(2026, 4, 1), BERLIN)
    assert stats.minutes_per_period(repo.db, person, march_30)[-1] == 16
    repo.close()


@pytest.mark.parametrize(("at", "cold"), [
    (berlin(2026, 11, 6, 23, 59, 59), True),  # 14 local days before 20 November
    (berlin(2026, 11, 7, 0, 0), False),  # 13
])
def test_sql_cadence_edge_is_local_midnight(tmp_path, at, cold):
    repo, ids = make_repo(tmp_path / "cadence.db", [card("Inner Edge")])
    repo.move(ids["Inner Edge"], Bucket.INNER)
    repo.log_interaction(ids["Inner Edge"], 600, at=at)
    entries = stats.going_cold_people(repo.db, NOW, Cadence(), WarmthFloor(), 60.0, BERLIN)
    assert bool(entries) == cold
    repo.close()
