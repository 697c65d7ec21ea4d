"""A snapshot of the board mid-drag: the lifted card marked, the target column lit, the drop placeholder."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.app_support import seed_repo
from tiecrm.ui.app import TieCrmApp
from tiecrm.ui.widgets.board_card import CARD_HEIGHT

NOW = datetime(2026, 11, 20, 15, 30)
SIZE = (140, 40)


@pytest.fixture
def app(tmp_path):
    repo = seed_repo(tmp_path / "snap.db", now=NOW)
    yield TieCrmApp(repo, now=lambda: NOW)
    repo.close()


def test_board_mid_drag(snap_compare, app):
    async def run_before(pilot):
        await pilot.app.workers.wait_for_complete()
        # The launch toast expires on a timer; keep it out so a slow machine draws the same frame.
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        # Sam Okafor, the second unsorted card, dragged over nurture below Sam Carter; not released.
        await pilot.mouse_down("#cards-unsorted", offset=(4, CARD_HEIGHT))
        await pilot.hover("#cards-nurture", offset=(8, CARD_HEIGHT - 1))
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
