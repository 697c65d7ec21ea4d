"""Benchmarks for time invested: a person with 5,000 interactions opens fast; due and returns over 50,000
people and 200,000 interactions."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tiecrm.config import Settings
from tiecrm.domain import Bucket
from tiecrm.store import stats
from tiecrm.store.repository import Repository
from tiecrm.store.rows import to_db_time
from tiecrm.ui.app import TieCrmApp

pytestmark = pytest.mark.bench

NOW = datetime(2026, 11, 20, 15, 30)
TZ = ZoneInfo("Europe/Berlin")
KINDS = ("call", "coffee", "lunch", "walk", "message", "")
NOTES = ("", "", "talked about her move", "new job", "kids are fine", "plans for the summer", "book tip")


def seed_bulk(path: Path, people: int, interactions: int, seed: int = 11) -> Repository:
    """A store with `people` people spread over the buckets and `interactions` over three years, written with
    raw executemany inserts (200,000 log_interaction calls would take minutes). Interactions are inserted in
    time order, as they accumulate in real use, so one person's rows lie scattered through the table."""
    rng = random.Random(seed)
    repo = Repository(path, now=lambda: NOW)
    stamp = to_db_time(NOW)
    buckets = ["unsorted"] * 55 + ["vanity"] * 25 + ["nurture"] * 15 + ["inner"] * 5  # percent
    person_rows = []
    for n in range(people):
        birthday = None
        if rng.random() < 0.4:
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            year = f"{rng.randint(1950, 2005)}" if rng.random() < 0.7 else "-"
            birthday = f"{year}-{month:02d}-{day:02d}"
        person_rows.append((f"uid-{n}", f"Person {n:05d}", "", "", birthday, "", "", rng.choice(buckets), n,
                            stamp, stamp))
    conn = repo.db.connection()
    conn.execute("PRAGMA cache_size = -65536")  # this connection only: a large cache speeds the bulk insert
    with repo.db.atomic():
        conn.executemany(
            "INSERT INTO person (uid, name, org, title, birthday, note, photo_type, bucket, position, "
            "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            person_rows,
        )
        ids = [row[0] for row in conn.execute("SELECT id FROM person ORDER BY id")]
        # Time goes mostly to a few people, as it does: a skewed choice of who.
        weights = [1.0 / (1 + (i % 997)) for i in range(len(ids))]
        who = rng.choices(ids, weights=weights, k=interactions)
        span = 3 * 365 * 24 * 60
        ages = sorted((rng.randrange(span) for _ in range(interactions)), reverse=True)
        minutes = rng.choices((5, 15, 30, 45, 60, 90), k=interactions)
        kinds = rng.choices(KINDS, k=interactions)
        notes = rng.choices(NOTES, k=interactions)
        conn.executemany(
            "INSERT INTO interaction (person_id, at, minutes, kind, note, created_at) "
            "VALUES (?, datetime(?, '-' || ? || ' minutes'), ?, ?, ?, ?)",
            zip(who, [stamp] * interactions, ages, minutes, kinds, notes, [stamp] * interactions),
        )
    conn.execute("PRAGMA cache_size = -2000")
    return repo


def best_of(runs: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "big.db"
    start = time.perf_counter()
    repo = seed_bulk(path, 50_000, 200_000)
    print(f"\nseeded 50,000 people and 200,000 interactions in {time.perf_counter() - start:.1f} s")
    yield repo
    repo.close()


def test_due_over_50k_people(big_repo):
    settings = Settings()
    seconds, entries = best_of(3, lambda: stats.going_cold_people(
        big_repo.db, NOW, settings.cadence, settings.warmth_floor, settings.half_life_days, TZ))
    count_seconds, count = best_of(3, lambda: stats.count_going_cold(
        big_repo.db, NOW, settings.cadence, settings.warmth_floor, settings.half_life_days, TZ))
    birthday_seconds, birthdays = best_of(3, lambda: stats.birthdays_soon(big_repo.db, NOW.date(), 14))
    print(f"\ndue: {len(entries):,} going cold in {seconds * 1000:.0f} ms; "
          f"count alone {count_seconds * 1000:.0f} ms; "
          f"{len(birthdays):,} birthdays in 14 days in {birthday_seconds * 1000:.0f} ms")
    assert count == len(entries) > 0
    assert seconds + birthday_seconds <= 0.5


def test_returns_over_50k_people(big_repo):
    seconds, report = best_of(3, lambda: stats.returns_report(big_repo.db, NOW.date(), TZ))
    print(f"\nreturns: {report.vanity_ratio()}; {len(report.hints)} hints (+{report.more_hints}) "
          f"in {seconds * 1000:.0f} ms")
    assert report.contacts == 50_000
    assert seconds <= 0.5


def test_person_with_5000_interactions_opens_fast(tmp_path):
    """From pushing the page to its first full frame: mounted, data read, chart and timeline drawn."""
    from tiecrm.ui.screens.person import PersonScreen

    repo = seed_bulk(tmp_path / "one.db", 20, 0)
    person, nobody = [p.id for p in repo.list_people()[:2]]
    rng = random.Random(5)
    span = 5 * 365 * 24 * 60
    with repo.db.atomic():
        repo.db.connection().executemany(
            "INSERT INTO interaction (person_id, at, minutes, kind, note, created_at) VALUES (?,?,?,?,?,?)",
            [(person, to_db_time(NOW - timedelta(minutes=rng.randrange(span))), rng.choice((15, 30, 60)),
              rng.choice(KINDS), rng.choice(NOTES), to_db_time(NOW)) for _ in range(5000)],
        )
    repo.move(person, Bucket.INNER)

    async def measure(person_id: int, runs: int = 5) -> list[float]:
        app = TieCrmApp(repo, now=lambda: NOW, tz=TZ, settings=Settings())
        timings = []
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for _ in range(runs):
                start = time.perf_counter()
                await app.push_screen(PersonScreen(person_id))  # returns once mounted and painted
                timings.append(time.perf_counter() - start)
                expected = 5001 if person_id == person else 0  # interactions and the move
                assert len(app.screen.query_one("#person-timeline").rows) == expected
                await pilot.press("escape")
                await pilot.pause()
        return timings

    import asyncio

    empty = asyncio.run(measure(nobody))
    full = asyncio.run(measure(person))
    data_seconds, _ = best_of(5, lambda: (repo.get_person(person),
                                          stats.person_totals(repo.db, person, NOW.date(), TZ),
                                          stats.person_warmth(repo.db, person, NOW, 60.0)))
    print(f"\nperson page with 5,000 interactions: opened in {min(full) * 1000:.0f} ms best, "
          f"{sorted(full)[len(full) // 2] * 1000:.0f} ms median; "
          f"a person with none: {min(empty) * 1000:.0f} ms; "
          f"reading the data alone: {data_seconds * 1000:.0f} ms")
    repo.close()
    assert min(full) <= 0.2
