"""The person page driven with Pilot: details, totals, the chart toggle; adding, editing, deleting time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.app_support import NOW, person_id, seed_repo
from tiecrm.domain import Interaction
from tiecrm.logparse import parse_quick_line
from tiecrm.ui.app import TieCrmApp
from tiecrm.ui.screens.confirm import ConfirmModal
from tiecrm.ui.screens.edit_interaction import EditInteractionModal, edited_at, quick_line_of
from tiecrm.ui.screens.person import PersonScreen
from tiecrm.ui.widgets.minutes_chart import MinutesChart
from tiecrm.ui.widgets.row_list import RowList

SIZE = (120, 40)


@pytest.fixture
def repo(tmp_path):
    repo = seed_repo(tmp_path / "person.db")
    yield repo
    repo.close()


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def timeline(app) -> list[str]:
    return app.screen.query_one(RowList).row_texts()


async def open_priya(app, pilot) -> int:
    priya = person_id(app.repo, "Priya Sharma")
    app.action_open_person(priya)
    await pilot.pause()
    assert isinstance(app.screen, PersonScreen)
    return priya


async def test_page_shows_details_totals_warmth_and_timeline_newest_first(repo):
    app = TieCrmApp(repo, now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await open_priya(app, pilot)
        card = text_of(app, "#person-card")
        assert "Priya Sharma" in card and "Inner circle" in card and "+91 98450 55501" in card
        assert "Birthday 9 May" in card
        # 45 min 3 days ago and 90 min 20 days ago, 60-day half-life:
        # 45·2^(-3/60) + 90·2^(-20/60) = 43.5 + 71.4.
        assert "warmth 115" in card
        totals = text_of(app, "#person-totals")
        assert "30 days  2 h 15" in totals and "all time  2 h 15" in totals
        rows = timeline(app)
        assert len(rows) == 3
        assert "moved" in rows[0] and "Unsorted → Inner circle" in rows[0]
        assert "45 min" in rows[1] and "coffee" in rows[1] and "talked about her new job" in rows[1]
        assert "1 h 30" in rows[2] and "birthday plans" in rows[2]


async def test_chart_toggles_between_26_weeks_and_24_months(repo):
    app = TieCrmApp(repo, now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await open_priya(app, pilot)
        chart = app.screen.query_one(MinutesChart)
        assert chart.unit == "week" and len(chart.minutes) == 26
        # The coffee (Tue 17 Nov) is in this week; the dinner (Sat 31 Oct) in the week of Mon 26 Oct.
        assert chart.minutes[-1] == 45 and chart.minutes[-4] == 90 and sum(chart.minutes) == 135
        assert "Minutes per week" in str(chart.render())
        await pilot.press("t")
        assert chart.unit == "month" and len(chart.minutes) == 24
        assert chart.minutes[-2:] == [90, 45]
        assert "Minutes per month" in str(chart.render())
        await pilot.press("t")
        assert chart.unit == "week" and len(chart.minutes) == 26


async def test_add_with_n_updates_timeline_totals_and_chart(repo):
    app = TieCrmApp(repo, now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        priya = await open_priya(app, pilot)
        await pilot.press("n", *"20m walk along the canal", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert "20 min" in timeline(app)[0] and "along the canal" in timeline(app)[0]
        assert "30 days  2 h 35" in text_of(app, "#person-totals")
        assert app.screen.query_one(MinutesChart).minutes[-1] == 65
    assert [i.minutes for i in repo.get_person(priya).interactions][:1] == [20]


async def test_edit_changes_the_highlighted_interaction(repo):
    app = TieCrmApp(repo, now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        priya = await open_priya(app, pilot)
        await pilot.press("j", "e")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, EditInteractionModal)
        line = modal.query_one("#edit-line")
        assert line.value == "45m coffee 2026-11-17 15:30 - talked about her new job"
        line.value = "1h #tea 2026-11-16 09:00 - talked about her new job and the move"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert "1 h" in timeline(app)[1] and "tea" in timeline(app)[1]
        assert app.screen.query_one(RowList).cursor == 1  # still on the edited row
    edited = repo.get_person(priya).interactions[0]
    assert (edited.minutes, edited.kind, edited.note) == (60, "tea", "talked about her new job and the move")
    assert edited.at == datetime(2026, 11, 16, 9, 0)  # the test zone is UTC


async def test_edit_rejects_a_bad_line_and_keeps_the_interaction(repo):
    app = TieCrmApp(repo, now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        priya = await open_priya(app, pilot)
        await pilot.press("j", "e")
        await pilot.pause()
        app.screen.query_one("#edit-line").value = "25h coffee"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EditInteractionModal)
        assert "between 1 minute and 24 hours" in str(app.screen.query_one("#edit-preview").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
    assert repo.get_person(priya).interactions[0].minutes == 45


async def test_moves_are_not_edited_or_deleted_here(repo):
    app = TieCrmApp(repo, now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await open_priya(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert len(timeline(app)) == 3


async def test_delete_asks_first(repo):
    app = TieCrmApp(repo, now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        priya = await open_priya(app, pilot)
        await pilot.press("j", "j", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "birthday plans" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("n")
        await pilot.pause()
        assert len(repo.get_person(priya).interactions) == 2
        await pilot.press("d", "y")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert len(timeline(app)) == 2
        assert "all time  45 min" in text_of(app, "#person-totals")
    assert [i.note for i in repo.get_person(priya).interactions] == ["talked about her new job"]


async def test_never_logged_person_and_going_cold_warning(repo):
    app = TieCrmApp(repo, now=lambda: NOW)
    sam = person_id(repo, "Sam Carter")  # nurture, last seen 50 days ago
    okafor = person_id(repo, "Sam Okafor")  # unsorted, never logged
    async with app.run_test(size=SIZE) as pilot:
        app.action_open_person(sam)
        await pilot.pause()
        assert "going cold: 50 days since contact, 5 days overdue" in text_of(app, "#person-card")
        await pilot.press("escape")
        app.action_open_person(okafor)
        await pilot.pause()
        assert "going cold" not in text_of(app, "#person-card")
        assert "never" in text_of(app, "#person-totals")
        assert app.screen.query_one(RowList).row_texts() == []


@pytest.mark.parametrize("interaction", [
    Interaction(1, 1, datetime(2026, 3, 29, 0, 30), 45, "coffee", "talked about her move"),
    Interaction(2, 1, datetime(2026, 10, 24, 1, 15), 0, "", "2h drive to see her: yesterday she moved"),
    Interaction(3, 1, datetime(2026, 1, 5, 8, 0), 90, "board-games", ""),
    Interaction(4, 1, datetime(2026, 6, 1, 22, 45), 5, "call", "- dash first"),
])
def test_edit_line_reads_back_as_the_interaction(interaction):
    berlin = ZoneInfo("Europe/Berlin")
    entry = parse_quick_line(quick_line_of(interaction, berlin), NOW, tz=berlin)
    assert (entry.minutes or 0, entry.kind, entry.note, entry.at) == (
        interaction.minutes, interaction.kind, interaction.note, interaction.at)


def test_edit_line_of_an_interaction_shows_local_time():
    at = datetime(2026, 7, 1, 22, 30)
    line = quick_line_of(Interaction(1, 1, at, 30, "call", "late"), ZoneInfo("Europe/Berlin"))
    assert line == "30m call 2026-07-02 00:30 - late"


def test_unchanged_time_in_the_repeated_hour_keeps_its_instant():
    berlin = ZoneInfo("Europe/Berlin")
    second_0215 = datetime(2026, 10, 25, 1, 15, 42)  # 02:15:42 CET, after the clocks went back
    line = quick_line_of(Interaction(1, 1, second_0215, 30, "call", ""), berlin)
    parsed = parse_quick_line(line, NOW, tz=berlin).at
    assert parsed == datetime(2026, 10, 25, 0, 15)  # the wall clock alone reads as the first 02:15
    assert edited_at(second_0215, parsed, berlin) == second_0215
    moved = parse_quick_line("30m call 2026-10-25 03:15", NOW, tz=berlin).at
    assert edited_at(second_0215, moved, berlin) == moved
