"""Benchmark: the board with 50,000 unsorted people: open to first frame, a move saved and redrawn, memory."""

from __future__ import annotations

import resource
import statistics
import time
import tracemalloc
from datetime import datetime

import pytest

from tests.bench.test_bench_store import make_drafts
from tiecrm.domain import Bucket
from tiecrm.store.repository import Repository
from tiecrm.ui.app import TieCrmApp
from tiecrm.ui.screens.board import BoardScreen

pytestmark = pytest.mark.bench

NOW = datetime(2026, 11, 20, 15, 30)
PEOPLE = 50_000
MOVES = 25


@pytest.fixture(scope="module")
def big_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("board") / "board50k.db"
    repo = Repository(path, now=lambda: NOW)
    repo.import_drafts(make_drafts(PEOPLE))
    ids = [person_id for person_id, _ in repo.board_columns()[Bucket.UNSORTED]]
    # A sorted corner so the other columns have people too: 12 inner, 40 nurture, 200 vanity.
    for n, person_id in enumerate(ids[:252]):
        repo.move(person_id, Bucket.INNER if n < 12 else Bucket.NURTURE if n < 52 else Bucket.VANITY)
    repo.close()
    return path


def first_frame(app) -> str:
    """Draw the whole screen as the terminal would get it (every visible line of every widget)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


async def _measure(path):
    repo = Repository(path, now=lambda: NOW)
    app = TieCrmApp(repo, now=lambda: NOW)
    figures: dict[str, float] = {}
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        # Memory first, on a board opened and closed again: tracing slows everything it watches.
        tracemalloc.start()
        await app.push_screen(BoardScreen())
        first_frame(app)
        while app.screen.reading:  # the rest of the board is read once the first frame is drawn
            await pilot.pause()
        figures["open_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        await app.pop_screen()
        await pilot.pause()
        start = time.perf_counter()
        await app.push_screen(BoardScreen())
        screen = app.screen
        frame = first_frame(app)
        figures["open_s"] = time.perf_counter() - start
        unsorted = screen.board.full(Bucket.UNSORTED)
        assert screen.count(Bucket.UNSORTED) == PEOPLE - 252
        assert f"{PEOPLE - 252} to sort" in frame
        assert screen.faces.name(unsorted[0]) in frame
        # Everyone else is read once the first frame is drawn; moves wait for it.
        while screen.reading:
            await pilot.pause()
        figures["full_s"] = time.perf_counter() - start
        figures["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert not screen.reading
        assert len(screen.board.full(Bucket.UNSORTED)) == PEOPLE - 252

        def timed_moves(name: str, keys: list[str]) -> None:
            """Median wall time of a move, and its CPU time: on a busy machine the second varies less."""
            times, cpu = [], []
            for key in keys:
                before = screen.current_person_id()
                start, start_cpu = time.perf_counter(), time.process_time()
                screen.action_send(key) if key in "0123" else screen.action_carry(key)
                first_frame(app)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
                assert screen.board.bucket_of(before) is not None
            figures[f"{name}_ms"] = statistics.median(times) * 1000
            figures[f"{name}_cpu_ms"] = statistics.median(cpu) * 1000

        # Triage: the top of a 50,000-person Unsorted to inner circle, nurture, vanity in turn.
        timed_moves("triage", ["1", "2", "3"] * (MOVES // 3))
        # Reordering inside nurture (40 people) and carrying between the small columns.
        screen.active, screen.cursor[Bucket.NURTURE] = Bucket.NURTURE, 3
        timed_moves("reorder", ["down", "up"] * (MOVES // 2))
        timed_moves("carry", ["right", "left"] * (MOVES // 2))
        start = time.perf_counter()
        for _ in range(200):
            screen.action_jump("page_down")
            first_frame(app)
        figures["page_down_ms"] = (time.perf_counter() - start) / 200 * 1000
    repo.close()
    return figures


@pytest.mark.asyncio
async def test_board_with_50000_people(big_db):
    figures = await _measure(big_db)
    print(
        f"\nboard, {PEOPLE} people: open to first frame {figures['open_s']:.3f} s, "
        f"to the whole board read {figures['full_s']:.3f} s "
        f"(board's peak allocation {figures['open_peak_mb']:.0f} MB; "
        f"process max RSS {figures['max_rss_mb']:.0f} MB); "
        f"move saved+redrawn, median of {MOVES} (CPU time in brackets): "
        f"triage out of Unsorted {figures['triage_ms']:.1f} ms ({figures['triage_cpu_ms']:.1f}), "
        f"reorder in Nurture {figures['reorder_ms']:.1f} ms ({figures['reorder_cpu_ms']:.1f}), "
        f"carry between columns {figures['carry_ms']:.1f} ms ({figures['carry_cpu_ms']:.1f}); "
        f"page down {figures['page_down_ms']:.1f} ms"
    )
    assert figures["open_s"] <= 0.5 * 4  # target 0.5 s; a loaded machine gets four times the room
