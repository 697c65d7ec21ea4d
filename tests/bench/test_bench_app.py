"""Benchmark: the app on 50,000 people: process start to first frame with people, search keystrokes, memory."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.bench.test_bench_store import FIRST, LAST, NOTE_WORDS, ORGS
from tiecrm.matching import email_key, phone_key
from tiecrm.store.repository import Repository
from tiecrm.ui.screens.people import FIRST_FRAME_ENV

pytestmark = pytest.mark.bench

NOW = datetime(2026, 11, 20, 15, 30)
SEED = 11


def build_people_db(path: Path, count: int, seed: int = SEED) -> None:
    """A store of `count` people written straight into the tables (seconds, not the import's minute):
    1-3 phones, 0-2 emails, a note for most, an interaction for a third, a few hundred sorted into buckets."""
    rng = random.Random(seed)
    Repository(path).close()  # the schema, as the app makes it
    created = "2026-01-01 00:00:00"
    people, phones, emails, interactions = [], [], [], []
    sorted_positions = {"inner": 0, "nurture": 0, "vanity": 0}
    for n in range(1, count + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}" if rng.random() < 0.5 else f"{first} {rng.choice(FIRST)} {last}"
        bucket = "unsorted"
        if n % 100 == 0:
            bucket = ("inner", "nurture", "vanity", "vanity")[n // 100 % 4]
        position = sorted_positions[bucket] if bucket != "unsorted" else n
        if bucket != "unsorted":
            sorted_positions[bucket] += 1
        note = " ".join(rng.choices(NOTE_WORDS, k=rng.randint(0, 10)))
        birthday = f"--{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.4 else None
        people.append((n, f"bench-{n}", name, rng.choice(ORGS), "", birthday, note, "", bucket, position,
                       created, created))
        for k in range(rng.randint(1, 3)):
            value = f"+91 9{n:05d} {k}{rng.randrange(1000):03d}"
            phones.append((n, value, "cell", phone_key(value)))
        for k in range(rng.randint(0, 2)):
            value = f"{first.lower()}.{last.lower()}{n}{k}@example.org"
            emails.append((n, value, "home", email_key(value)))
        if n % 3 == 0:
            at = (NOW - timedelta(days=rng.randint(0, 400), minutes=n)).isoformat(sep=" ")
            interactions.append((n, at, rng.randint(5, 90), "call", "caught up about the move", created))
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO person (id, uid, name, org, title, birthday, note, photo_type, bucket, position, "
            "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", people)
        db.executemany("INSERT INTO phone (person_id, value, label, key) VALUES (?,?,?,?)", phones)
        db.executemany("INSERT INTO email (person_id, value, label, key) VALUES (?,?,?,?)", emails)
        db.executemany("INSERT INTO interaction (person_id, at, minutes, kind, note, created_at) "
                       "VALUES (?,?,?,?,?,?)", interactions)
    db.close()


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[int, Path]:
    folder = tmp_path_factory.mktemp("app")
    paths = {}
    for count in (10_000, 50_000):
        paths[count] = folder / f"people{count}.db"
        start = time.perf_counter()
        build_people_db(paths[count], count)
        print(f"\nbuilt a {count:,}-person store in {time.perf_counter() - start:.1f} s")
    return paths


def _median_ms(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def test_repository_reads_for_the_list_and_search(stores):
    for count, path in stores.items():
        repo = Repository(path, now=lambda: NOW)
        assert len(repo.list_rows()) == len(repo.search_rows()) == count
        figures = {
            "list_people": _median_ms(repo.list_people),
            "list_rows": _median_ms(repo.list_rows),
            "list_rows first page": _median_ms(lambda: repo.list_rows(limit=200)),
            "search_rows": _median_ms(repo.search_rows),
        }
        repo.close()
        print(f"\n{count:,} people, median of 5: " + "; ".join(f"{k} {v:.1f} ms" for k, v in figures.items()))


def test_repository_moves_at_50000(stores, tmp_path):
    """Repository.move and undo alone, on a copy of the 50,000-person store (49,500 in Unsorted)."""
    from tiecrm.domain import Bucket

    path = tmp_path / "moves.db"
    shutil.copy(stores[50_000], path)
    repo = Repository(path, now=lambda: NOW)
    unsorted = [p.id for p in repo.list_rows(Bucket.UNSORTED, limit=60)]
    figures: dict[str, list[float]] = {"triage top of Unsorted": [], "undo back to the top": [],
                                      "reorder to the middle of Unsorted": [], "to the top of Unsorted": []}

    def timed(name, fn, *args):
        start = time.perf_counter()
        fn(*args)
        figures[name].append(time.perf_counter() - start)

    for n, person_id in enumerate(unsorted[:20]):
        timed("triage top of Unsorted", repo.move, person_id, (Bucket.INNER, Bucket.NURTURE, Bucket.VANITY)[n % 3], 0)
        timed("undo back to the top", repo.undo_last_move)
    for person_id in unsorted[20:40]:
        timed("reorder to the middle of Unsorted", repo.move, person_id, Bucket.UNSORTED, 24_750)
        timed("to the top of Unsorted", repo.move, person_id, Bucket.UNSORTED, 0)
    assert [p.id for p in repo.list_rows(Bucket.UNSORTED, limit=20)] == unsorted[20:40][::-1]
    repo.close()
    print("\n50,000 people, Repository.move, median of 20: "
          + "; ".join(f"{name} {statistics.median(v) * 1000:.1f} ms" for name, v in figures.items()))
    assert statistics.median(figures["triage top of Unsorted"]) <= 0.020 * 3


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def _peak_rss_mb(pid: int) -> float:
    """VmHWM of a live process: its peak resident memory so far."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def _app_in_tmux(db: Path, stamp: Path, first_name: str, session: str) -> dict[str, float]:
    """Start the app in a 160x45 tmux pane; time to the first frame with people, by hook and by screen."""
    env = f"{FIRST_FRAME_ENV}={stamp}"
    command = f"exec env {env} {sys.executable} -m tiecrm --db {db}"
    start = time.time()
    _tmux("new-session", "-d", "-x", "160", "-y", "45", "-s", session, command)
    try:
        seen = None
        while time.time() - start < 30:
            if first_name in _tmux("capture-pane", "-p", "-t", session):
                seen = time.time()
                break
            time.sleep(0.01)
        assert seen is not None, "no people on screen after 30 s"
        while not stamp.exists() or not stamp.read_text().strip():
            time.sleep(0.01)
        drawn = float(stamp.read_text())
        pid = int(_tmux("list-panes", "-t", session, "-F", "#{pane_pid}").split()[0])
        # Let the full list and the search index load, then search, before reading the peak.
        time.sleep(4)
        _tmux("send-keys", "-t", session, "/", "s", "h", "a", "r", "m", "a")
        time.sleep(1)
        peak = _peak_rss_mb(pid)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    return {"hook_s": drawn - start, "screen_s": seen - start, "peak_mb": peak}


EMPTY_APP = (
    "from textual.app import App\nfrom textual.widgets import Static\n"
    "class Empty(App):\n    def compose(self):\n        yield Static('ready to go')\nEmpty().run()\n"
)


def _empty_app_in_tmux(session: str) -> float:
    """Seconds from spawn until an empty Textual app's one line is on screen: the floor for start-up."""
    start = time.time()
    _tmux("new-session", "-d", "-x", "160", "-y", "45", "-s", session, f"exec {sys.executable} -c \"{EMPTY_APP}\"")
    try:
        while "ready to go" not in _tmux("capture-pane", "-p", "-t", session):
            assert time.time() - start < 30
            time.sleep(0.01)
        return time.time() - start
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_start_up_to_first_frame_with_people_at_50000(stores, tmp_path):
    db = stores[50_000]
    repo = Repository(db)
    first_name = repo.list_rows(limit=1)[0].name
    repo.close()
    runs = [_app_in_tmux(db, tmp_path / f"stamp{n}", first_name, f"tiecrm-bench-{os.getpid()}-{n}")
            for n in range(3)]
    empty = [_empty_app_in_tmux(f"textual-bench-{os.getpid()}-{n}") for n in range(3)]
    hook = statistics.median(r["hook_s"] for r in runs)
    screen = statistics.median(r["screen_s"] for r in runs)
    peak = max(r["peak_mb"] for r in runs)
    print(f"\n50,000 people, `python -m tiecrm` in tmux, median of 3: first frame with people "
          f"{hook:.3f} s (app's own stamp), {screen:.3f} s (seen by polling the pane); "
          f"peak resident memory after loading, indexing and a search {peak:.0f} MB; "
          f"an empty Textual app showing one line, the same way: {statistics.median(empty):.3f} s; load average {os.getloadavg()[0]:.2f}")
    assert hook <= 0.5 * 3  # target 0.5 s; a loaded shared machine gets three times the room
    assert peak < 200


async def _keystrokes(path: Path) -> dict[str, list[float]]:
    """Per keystroke: from the key press to the list's new frame drawn (marked from inside set_people with
    call_after_refresh, so the pilot's own idle waits are left out), the fuzzy query's own part of that,
    and the whole pilot round trip."""
    from tiecrm.ui.app import TieCrmApp
    from tiecrm.ui.screens.people import PeopleScreen
    from tiecrm.ui.widgets.people_list import PeopleList

    repo = Repository(path, now=lambda: NOW)
    app = TieCrmApp(repo, now=lambda: NOW)
    times: dict[str, list[float]] = {"to the list drawn": [], "the fuzzy query alone": [], "pilot press+pause": []}
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        assert isinstance(screen, PeopleScreen)
        people_list = screen.query_one(PeopleList)
        # The full list and the index are read by workers that start after the first frame.
        while screen._index is None or len(people_list.people) < 50_000:
            await pilot.pause(0.05)
        drawn: list[float] = []
        set_people = people_list.set_people

        def timed_set_people(*args, **kwargs):
            set_people(*args, **kwargs)
            screen.call_after_refresh(lambda: drawn.append(time.perf_counter()))

        people_list.set_people = timed_set_people
        # The fuzzy query's own share of a keystroke (PeopleIndex.search), to tell it from the screen's.
        queried: list[float] = []
        search = screen._index.search

        def timed_search(*args, **kwargs):
            start = time.perf_counter()
            found = search(*args, **kwargs)
            queried.append(time.perf_counter() - start)
            return found

        screen._index.search = timed_search
        await pilot.press("slash")
        for query in ("priya", "sharma", "kumar ra", "+91 9012", "zoe lee", "obrien"):
            for n, char in enumerate(query):
                key = "space" if char == " " else "plus" if char == "+" else char
                drawn.clear()
                queried.clear()
                start = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                times["pilot press+pause"].append(time.perf_counter() - start)
                assert drawn, f"no new list drawn after {query[:n + 1]!r}"
                times["to the list drawn"].append(drawn[0] - start)
                times["the fuzzy query alone"].append(sum(queried))
            assert people_list.people, query
            await pilot.press(*["backspace"] * len(query))
            await pilot.pause()
    repo.close()
    return times


@pytest.mark.asyncio
async def test_search_keystrokes_at_50000(stores):
    times = await _keystrokes(stores[50_000])
    figures = {}
    for name, values in times.items():
        values = sorted(values)
        figures[name] = (statistics.median(values) * 1000, values[int(len(values) * 0.9)] * 1000)
    print(f"\n50,000 people, a keystroke in the search box ({len(times['pilot press+pause'])} keys): "
          + "; ".join(f"{name} median {med:.1f} ms, p90 {p90:.1f} ms" for name, (med, p90) in figures.items())
          + f"; load average {os.getloadavg()[0]:.2f}")
    median, p90 = figures["to the list drawn"]
    assert median <= 30 * 3 and p90 <= 50 * 3  # targets 30 / 50 ms; three times the room on a loaded machine
