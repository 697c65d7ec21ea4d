"""The bucket board: mouse drags, key moves, triage, undo, filter and restart, against a real SQLite file."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import permutations

import pytest

from tests.app_support import type_at_once
from tiecrm import board_moves
from tiecrm.board_moves import BoardColumns, MoveRequest, Step, drop, hover, lift, slot_at_line
from tiecrm.config import Guides, Settings
from tiecrm.domain import Bucket
from tiecrm.store.repository import Repository
from tiecrm.ui.app import TieCrmApp
from tiecrm.ui.screens import board as board_screen
from tiecrm.ui.screens.board import BoardScreen
from tiecrm.ui.screens.person import PersonScreen
from tiecrm.ui.widgets.board_card import CARD_HEIGHT
from tiecrm.vcard.reader import read_vcard_bytes

NOW = datetime(2026, 11, 20, 15, 30)
SIZE = (100, 24)
U, I, N, V = Bucket.UNSORTED, Bucket.INNER, Bucket.NURTURE, Bucket.VANITY

# Two people per column, named after where they start, so every drag has a card above and below.
START = {
    U: ["Una Field", "Uwe Kranz"],
    I: ["Ines Ortega", "Ivo Lind"],
    N: ["Nadia Haddad", "Nils Berg"],
    V: ["Vera Stone", "Viktor Hale"],
}


def vcards(names: list[str]) -> bytes:
    cards = [f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nTEL;TYPE=CELL:+1 555 01{n:02d}\r\nEND:VCARD\r\n"
             for n, name in enumerate(names)]
    return "".join(cards).encode()


def seed(path, layout: dict[Bucket, list[str]] = START) -> Repository:
    repo = Repository(path, now=lambda: NOW)
    everyone = [name for names in layout.values() for name in names]
    result = read_vcard_bytes(vcards(everyone), "seed.vcf")
    assert not result.problems
    repo.import_drafts(result.drafts)
    ids = {p.name: p.id for p in repo.list_people()}
    for bucket, names in layout.items():
        for name in names:
            repo.move(ids[name], bucket)
    return repo


def columns(repo: Repository) -> dict[Bucket, list[str]]:
    return {bucket: [p.name for p in repo.list_people(bucket)] for bucket in board_moves.COLUMNS}


def shown(app) -> dict[Bucket, list[str]]:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return {
        bucket: [screen.faces.names[pid] for pid in screen.column(bucket).cards.ids]
        for bucket in board_moves.COLUMNS
    }


def make_app(repo: Repository, **kwargs) -> TieCrmApp:
    return TieCrmApp(repo, now=lambda: NOW, **kwargs)


def cards(bucket: Bucket) -> str:
    return f"#cards-{bucket.value}"


async def open_board(pilot) -> BoardScreen:
    await pilot.press("b")
    await pilot.pause()
    assert isinstance(pilot.app.screen, BoardScreen)
    return pilot.app.screen


async def drag(pilot, source: Bucket, index: int, target: Bucket, line: int) -> None:
    """Press on card `index` of `source`, move to content line `line` of `target`, release there."""
    await pilot.mouse_down(cards(source), offset=(4, index * CARD_HEIGHT))
    await pilot.hover(cards(target), offset=(6, line))
    await pilot.mouse_up(cards(target), offset=(6, line))
    await pilot.pause()


@pytest.fixture
def repo(tmp_path):
    repo = seed(tmp_path / "board.db")
    yield repo
    repo.close()


# ---- the pure move logic ------------------------------------------------------------------------


def test_slot_at_line_upper_half_is_before_lower_half_after():
    assert [slot_at_line(line, 2, 3) for line in range(8)] == [0, 1, 1, 2, 2, 3, 3, 3]
    # In the lifted card's own column the card itself is left out of the count.
    assert [slot_at_line(line, 2, 3, lifted_index=0) for line in range(6)] == [0, 0, 0, 1, 1, 2]
    assert slot_at_line(-5, 2, 3) == 0


def test_drop_maps_a_filtered_slot_to_the_whole_column():
    board = BoardColumns({U: [1, 2, 3], I: [10, 11, 12, 13]})
    board.set_filter({1, 11, 13})
    picked = lift(board, U, 0)
    # Shown in inner: [11, 13]; slot 1 is "before 13", which sits at index 3 of the whole column.
    assert drop(board, hover(board, picked, I, 1)) == MoveRequest(1, I, 3)
    # Below every shown card: just after the last shown one.
    assert drop(board, hover(board, picked, I, 2)) == MoveRequest(1, I, 4)


def test_carry_and_send_aim_where_the_keys_say():
    board = BoardColumns({U: [1, 2], I: [10], N: [], V: [30]})
    picked = lift(board, U, 1)
    right = board_moves.carry(board, picked, Step.RIGHT)
    assert (right.target, right.slot) == (I, 1)  # the row is kept, clamped to the column's end
    assert board_moves.carry(board, picked, Step.LEFT) == picked  # nothing left of Unsorted
    assert drop(board, board_moves.carry(board, picked, Step.UP)) == MoveRequest(2, U, 0)
    assert drop(board, board_moves.carry(board, picked, Step.DOWN)) is None  # already last
    assert drop(board, board_moves.send(board, picked, V)) == MoveRequest(2, V, 1)
    assert drop(board, board_moves.send(board, picked, U)) is None


def test_focus_after_a_move_out_of_unsorted_is_the_next_unsorted_person():
    board = BoardColumns({U: [1, 2, 3], I: []})
    request = MoveRequest(2, I, 0)
    board.apply(request)
    assert board_moves.focus_after(board, request, U, 1) == (U, 1)  # person 3 took the place
    assert board_moves.focus_after(board, request, U, 1, triage=False) == (I, 0)
    last = MoveRequest(3, I, 1)
    board.apply(last)
    assert board_moves.focus_after(board, last, U, 1) == (U, 0)  # the end: the one before


# ---- the mouse ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_drag_between_every_pair_of_columns_lands_where_dropped(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        for source, target in permutations(board_moves.COLUMNS, 2):
            moving = START[source][0]
            # Line 1 is the lower half of the target's first card: between its two cards.
            await drag(pilot, source, 0, target, 1)
            expected = {bucket: list(names) for bucket, names in START.items()}
            expected[source].remove(moving)
            expected[target].insert(1, moving)
            assert columns(repo) == expected, (source, target)
            assert shown(app) == expected, (source, target)
            move = repo.get_person(repo.list_people(target)[1].id).moves[0]
            assert (move.from_bucket, move.to_bucket) == (source, target)
            await pilot.press("u")
            assert columns(repo) == START, (source, target)
            assert shown(app) == START, (source, target)


@pytest.mark.asyncio
async def test_drag_within_a_column_reorders(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await drag(pilot, I, 0, I, 3)  # below Ivo Lind
        assert columns(repo)[I] == ["Ivo Lind", "Ines Ortega"]
        assert shown(app)[I] == ["Ivo Lind", "Ines Ortega"]
        await drag(pilot, I, 1, I, 0)  # back on top
        assert columns(repo)[I] == ["Ines Ortega", "Ivo Lind"]


@pytest.mark.asyncio
async def test_drag_shows_mark_target_and_placeholder(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        await pilot.mouse_down(cards(U), offset=(4, 0))
        await pilot.hover(cards(N), offset=(6, 2))
        una = next(pid for pid, name in screen.faces.names.items() if name == "Una Field")
        assert screen.column(U).cards.lifted_id == una
        assert screen.column(N).has_class("-drop-target")
        assert not screen.column(I).has_class("-drop-target")
        assert screen.column(N).cards.placeholder == 1
        assert "drop here" in screen.column(N).cards.render_line(2).text
        await pilot.mouse_up(cards(N), offset=(6, 2))
        assert columns(repo)[N] == ["Nadia Haddad", "Una Field", "Nils Berg"]


@pytest.mark.asyncio
async def test_drop_outside_any_column_changes_nothing(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.mouse_down(cards(U), offset=(4, 0))
        await pilot.hover("#board-status", offset=(10, 0))
        assert app.screen.lifted is not None and app.screen.lifted.target is None
        await pilot.mouse_up("#board-status", offset=(10, 0))
        await pilot.pause()
        assert columns(repo) == START
        assert shown(app) == START
        assert app.screen.lifted is None


@pytest.mark.asyncio
async def test_escape_during_a_drag_changes_nothing_and_keeps_the_board(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        await pilot.mouse_down(cards(U), offset=(4, 0))
        await pilot.hover(cards(V), offset=(6, 1))
        await pilot.press("escape")
        assert app.app.mouse_captured is None
        await pilot.mouse_up(cards(V), offset=(6, 1))
        await pilot.pause()
        assert app.screen is screen
        assert columns(repo) == START
        assert screen.column(V).cards.placeholder is None


@pytest.mark.asyncio
async def test_click_without_movement_only_selects(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        await pilot.click(cards(N), offset=(4, 2))
        assert columns(repo) == START
        assert screen.current_person_id() == repo.list_people(N)[1].id
        # One cell of jitter is still a click.
        await pilot.mouse_down(cards(V), offset=(4, 0))
        await pilot.hover(cards(V), offset=(5, 0))
        await pilot.mouse_up(cards(V), offset=(5, 0))
        assert columns(repo) == START
        assert screen.current_person_id() == repo.list_people(V)[0].id


@pytest.mark.asyncio
async def test_double_click_opens_the_person(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.click(cards(I), offset=(4, 2), times=2)
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert app.screen.person_id == repo.list_people(I)[1].id
        assert columns(repo) == START


# ---- the keys -----------------------------------------------------------------------------------


KEY_FOR = {I: "1", N: "2", V: "3", U: "0"}


async def focus_first_card(pilot, bucket: Bucket) -> None:
    await pilot.press(*["left"] * 3, *["right"] * board_moves.COLUMNS.index(bucket), "g")


def steps(source: Bucket, target: Bucket, carry: str = "") -> list[str]:
    """The arrow presses that carry a card from `source`'s column to `target`'s."""
    order = board_moves.COLUMNS
    step = "right" if order.index(target) > order.index(source) else "left"
    return [f"{carry}{step}"] * abs(order.index(target) - order.index(source))


@pytest.mark.asyncio
async def test_every_key_move_matches_the_mouse(repo):
    """Each way of moving a card, from the same start, leaves the same store and the same screen."""
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        for source, target in [(U, V), (N, I), (I, U)]:
            results = {}
            await focus_first_card(pilot, source)
            for how in ("mouse", "space", "shift", "number"):
                # Undo puts the focus back on the restored card: the first of `source` again.
                assert screen.current_person_id() == repo.list_people(source)[0].id
                if how == "mouse":
                    await drag(pilot, source, 0, target, 2 * CARD_HEIGHT)  # below both cards: the end
                elif how == "space":
                    await pilot.press("space", *steps(source, target), "down", "down")
                    assert (screen.lifted.target, screen.lifted.slot) == (target, 2)
                    await pilot.press("space")
                elif how == "shift":
                    # The row is kept from column to column, so the card arrives first and goes down twice.
                    await pilot.press(*steps(source, target, "shift+"), "shift+down", "shift+down")
                else:
                    await pilot.press(KEY_FOR[target])
                results[how] = (columns(repo), shown(app))
                # Each shift+arrow is a move of its own, saved and undone one at a time.
                await pilot.press(*["u"] * (len(steps(source, target)) + 2 if how == "shift" else 1))
                assert columns(repo) == START, how
            mouse = results["mouse"][0]
            assert mouse[target][-1] == START[source][0]
            for how, (stored, on_screen) in results.items():
                assert stored == mouse, (how, source, target)
                assert on_screen == mouse, (how, source, target)
        # Within a column too: the mouse, shift+down and space-down-space all swap the two cards.
        results = {}
        await focus_first_card(pilot, N)
        for how, keys in (("shift", ["shift+down"]), ("space", ["space", "down", "space"]), ("mouse", [])):
            if keys:
                await pilot.press(*keys)
            else:
                await drag(pilot, N, 0, N, 3)
            results[how] = columns(repo)[N]
            await pilot.press("u")
        assert set(map(tuple, results.values())) == {("Nils Berg", "Nadia Haddad")}


@pytest.mark.asyncio
async def test_hjkl_move_focus_and_enter_opens(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        await pilot.press("l", "l", "j")
        assert screen.current_person_id() == repo.list_people(N)[1].id
        await pilot.press("h", "k")
        assert screen.current_person_id() == repo.list_people(I)[0].id
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)


@pytest.mark.asyncio
async def test_triage_sorts_a_fresh_import_with_one_key_per_person(tmp_path):
    names = ["Anna Berg", "Bo Chen", "Cleo Diaz", "Dev Eze", "Eli Ford"]
    repo = seed(tmp_path / "fresh.db", {U: names})
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        status = screen.query_one("#board-status")
        assert "5 left to sort" in str(status.render())
        await pilot.press("1", "2", "3", "2")
        assert "1 left to sort" in str(status.render())
        await pilot.press("1")
        assert "Everyone is sorted" in str(status.render())
    assert columns(repo) == {U: [], I: ["Anna Berg", "Eli Ford"], N: ["Bo Chen", "Dev Eze"], V: ["Cleo Diaz"]}
    repo.close()


@pytest.mark.asyncio
async def test_escape_cancels_a_picked_up_card(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        await pilot.press("space", "right", "right", "escape")
        assert screen.lifted is None
        assert app.screen is screen
        assert columns(repo) == START


# ---- undo, restart, history ---------------------------------------------------------------------


@pytest.mark.asyncio
async def test_undo_restores_bucket_and_position(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await drag(pilot, N, 1, I, 0)  # Nils Berg to the top of inner circle
        assert columns(repo)[I] == ["Nils Berg", "Ines Ortega", "Ivo Lind"]
        await pilot.press("u")
        assert columns(repo) == START
        assert shown(app) == START
        assert app.screen.current_person_id() == repo.list_people(N)[1].id


@pytest.mark.asyncio
async def test_moves_are_recorded_and_survive_a_restart(tmp_path):
    path = tmp_path / "restart.db"
    repo = seed(path)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await drag(pilot, U, 1, V, 0)  # Uwe Kranz to the top of vanity
        # Focus stayed in Unsorted for triage; one step right is Ines Ortega, sent to nurture.
        await pilot.press("right", "2")
    repo.close()
    again = Repository(path)
    expected = {U: ["Una Field"], I: ["Ivo Lind"], N: ["Nadia Haddad", "Nils Berg", "Ines Ortega"],
                V: ["Uwe Kranz", "Vera Stone", "Viktor Hale"]}
    assert columns(again) == expected
    ines = again.get_person(again.list_people(N)[2].id)
    assert [(m.from_bucket, m.to_bucket) for m in ines.moves[:1]] == [(I, N)]
    app = make_app(again)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        assert shown(app) == expected
    again.close()


# ---- headers, filter, literal names --------------------------------------------------------------


@pytest.mark.asyncio
async def test_headers_count_minutes_and_guides(tmp_path):
    repo = seed(tmp_path / "guides.db")
    ines = repo.list_people(I)[0].id
    repo.log_interaction(ines, 45, at=NOW - timedelta(days=10))
    repo.log_interaction(ines, 600, at=NOW - timedelta(days=200))  # outside the 90 days
    app = make_app(repo, settings=Settings(guides=Guides(inner=2, nurture=50)))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        header = screen.column(I).header
        assert "2 / 2" in str(header.render()) and "45 min in 90 d" in str(header.render())
        assert not header.has_class("-over")
        await drag(pilot, U, 0, I, 0)
        assert "3 / 2" in str(header.render())
        assert header.has_class("-over")
        await drag(pilot, I, 1, N, 0)  # Ines, and her 45 minutes, go to nurture
        assert "0 min in 90 d" in str(header.render())
        assert "45 min in 90 d" in str(screen.column(N).header.render())
    repo.close()


@pytest.mark.asyncio
async def test_filter_shows_matches_in_every_column_and_drops_between_them(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        await pilot.press("slash", *"berg")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(app) == {U: [], I: [], N: ["Nils Berg"], V: []}
        await pilot.press("enter", "2")  # already in nurture: stays
        await pilot.press("1")
        assert columns(repo)[I] == ["Ines Ortega", "Ivo Lind", "Nils Berg"]
        await pilot.press("escape")
        assert not screen.board.filtered
        assert shown(app) == columns(repo)


async def test_keys_typed_in_one_burst_after_slash_go_to_the_filter(repo):
    """`/lind` at once: `l`, `i`, `n`, `d` are the filter's text, not board keys; `/` in the box is text."""
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        type_at_once(app, "lind")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one("#board-filter").value == "lind"
        assert shown(app) == {U: [], I: ["Ivo Lind"], N: [], V: []}
        await pilot.press("slash")
        assert screen.query_one("#board-filter").value == "lind/"


@pytest.mark.asyncio
async def test_names_show_literally(tmp_path):
    repo = seed(tmp_path / "markup.db", {U: ["[bold red]Mallory[/]", "Tab\x1bEscape"]})
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        lines = [screen.column(U).cards.render_line(y).text for y in range(4)]
        assert "[bold red]Mallory[/]" in lines[0]
        assert "\\x1b" in lines[2]
    repo.close()


@pytest.mark.asyncio
async def test_quick_add_from_the_board_is_about_the_focused_card(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        await pilot.press("right", "j")
        assert app.current_person_id() == repo.list_people(I)[1].id
        assert screen.current_person_id() == app.current_person_id()


@pytest.mark.asyncio
async def test_cards_show_days_since_contact_and_mark_people_going_cold(tmp_path):
    repo = seed(tmp_path / "cold.db", {U: ["Una Field"], I: ["Ines Ortega", "Ivo Lind"], N: ["Nadia Haddad"]})
    ines, ivo = (p.id for p in repo.list_people(I))
    repo.log_interaction(ines, 120, at=NOW - timedelta(days=3))
    repo.log_interaction(ivo, 120, at=NOW - timedelta(days=20))  # inner circle expects contact every 14 days
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        inner = [screen.column(I).cards.render_line(y).text for y in range(4)]
        # 120 minutes 3 days ago at a 60-day half-life: 120 * 2 ** (-3 / 60) = 115.9
        assert "3 days · warmth 116" in inner[1] and "❄" not in inner[1]
        assert "20 days · warmth 95" in inner[3] and "❄" in inner[3]
        # Never contacted: cold in nurture, but unsorted people are never nagged about.
        assert "never" in screen.column(N).cards.render_line(1).text
        assert "❄" in screen.column(N).cards.render_line(1).text
        assert "❄" not in screen.column(U).cards.render_line(1).text
    repo.close()


# ---- a long board ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_long_board_shows_its_first_page_then_everyone(tmp_path, monkeypatch):
    names = ["Anna Berg", "Bo Chen", "Cleo Diaz", "Dev Eze", "Eli Ford"]
    repo = seed(tmp_path / "long.db", {U: names, I: ["Ines Ortega"]})
    monkeypatch.setattr(board_screen, "FIRST_PAGE", 2)
    read_all = BoardScreen._read_all
    monkeypatch.setattr(BoardScreen, "_read_all", lambda self: None)  # held back to look at the first page
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = BoardScreen()
        await app.push_screen(screen)
        await pilot.pause()
        assert screen.reading
        assert shown(app) == {U: names[:2], I: ["Ines Ortega"], N: [], V: []}
        # The counts are the whole board's, not the first page's.
        assert "5 to sort" in str(screen.column(U).header.render())
        assert "5 left to sort" in str(screen.query_one("#board-status").render())
        await pilot.press("1")
        assert columns(repo)[U] == names  # a move waits for the whole board
        read_all(screen)
        await pilot.pause()
        assert not screen.reading
        assert shown(app) == {U: names, I: ["Ines Ortega"], N: [], V: []}
        await pilot.press("1")
        assert columns(repo) == {U: names[1:], I: ["Ines Ortega", "Anna Berg"], N: [], V: []}
        assert "4 left to sort" in str(screen.query_one("#board-status").render())
    repo.close()
