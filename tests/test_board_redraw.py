"""The board repaints only what a move changed, and what it shows is what a full repaint would show."""

from __future__ import annotations

import gc
from datetime import timedelta

import pytest
from rich.segment import Segment
from textual.scrollbar import ScrollBarRender

from tests.app_support import type_at_once
from tests.test_board import NOW, SIZE, I, N, U, V, make_app, open_board, seed, shown
from tiecrm.ui.screens import board as board_screen
from tiecrm.ui.screens.board import BoardScreen
from tiecrm.ui.widgets.board_card import CARD_HEIGHT
from tiecrm.ui.widgets import board_column
from tiecrm.ui.widgets.board_column import BoardColumn, CardList

# Long enough that Unsorted and Nurture scroll (and have a scrollbar) in a 24-line terminal.
LAYOUT = {
    U: [f"Una {n:02d}" for n in range(30)],
    I: ["Ines Ortega", "Ivo Lind"],
    N: [f"Nadia {n:02d}" for n in range(14)],
    V: ["Vera Stone"],
}


def frame(app) -> list[list[Segment]]:
    """Every cell of the screen as the terminal would get it, styles included."""
    return [list(strip) for strip in app.screen._compositor.render_strips()]


async def repainted_from_scratch(pilot) -> list[list[Segment]]:
    """The screen once every widget has been repainted and laid out again from what it holds now."""
    for widget in pilot.app.screen.walk_children():
        widget.refresh(layout=True)
    await pilot.pause()
    return frame(pilot.app)


@pytest.fixture
def repo(tmp_path):
    repo = seed(tmp_path / "long-columns.db", LAYOUT)
    yield repo
    repo.close()


@pytest.mark.asyncio
async def test_every_move_shows_what_a_full_repaint_shows(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        keys = [
            "1", "2", "3", "2",  # triage out of a scrolled Unsorted
            "pagedown", "1", "G", "3", "g",  # further down the column, and from its end
            "l", "l", "l", "shift+down", "shift+up", "shift+left", "shift+right",  # carry across
            "j", "j", "space", "h", "j", "space",  # lift, carry, drop
            "u", "u", "0",  # undo, and back to Unsorted
        ]
        for n, key in enumerate(keys):
            await pilot.press(key)
            await pilot.pause()
            incremental = frame(app)
            assert incremental == await repainted_from_scratch(pilot), (n, key)
            for bucket in (U, I, N, V):
                cards = screen.column(bucket).cards
                rows = len(cards.ids) + (cards.placeholder is not None)
                assert cards.virtual_size.height == rows * CARD_HEIGHT
                if cards.show_vertical_scrollbar:
                    assert cards.vertical_scrollbar.window_virtual_size == cards.virtual_size.height
        assert shown(app)[V][-1] != "Vera Stone"  # the keys did move people


@pytest.mark.asyncio
async def test_a_move_repaints_only_the_cards_it_changed(repo, monkeypatch):
    app = make_app(repo)
    painted: dict[str, int] = {}
    render_line = CardList.render_line

    def counting(self, y):
        painted[self.bucket] = painted.get(self.bucket, 0) + 1
        return render_line(self, y)

    monkeypatch.setattr(CardList, "render_line", counting)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        await pilot.press("l", "l")  # focus Nadia 00, the top of nurture
        await pilot.pause()
        painted.clear()
        await pilot.press("shift+down")  # swap the top two cards of nurture
        await pilot.pause()
        assert painted == {N: 2 * CARD_HEIGHT}
        # The cursor leaves a card of one column and lands on a card of another, or of the same one.
        for key, cards_painted in (("h", {N: 1, I: 1}), ("h", {I: 1, U: 1}), ("g", {U: 2})):
            painted.clear()
            await pilot.press(key)
            await pilot.pause()
            assert painted == {bucket: n * CARD_HEIGHT for bucket, n in cards_painted.items()}, key
        painted.clear()
        await pilot.press("1")  # Unsorted shifts up a card; inner only gains its new last card
        await pilot.pause()
        rows_in_view = screen.column(U).cards.size.height
        assert painted[U] == rows_in_view
        assert painted[I] == CARD_HEIGHT
        assert N not in painted and V not in painted
    assert [p.name for p in repo.list_people(I)][-1] == "Una 00"


@pytest.mark.asyncio
async def test_the_collector_waits_for_the_first_frame_and_always_comes_back(repo, monkeypatch):
    held_while_loading = []
    load = BoardScreen._load_first_page

    def watched(self):
        held_while_loading.append(not gc.isenabled())
        return load(self)

    monkeypatch.setattr(BoardScreen, "_load_first_page", watched)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        assert gc.isenabled()
        await open_board(pilot)  # a short board: read whole before the first frame
        assert held_while_loading == [True]
        assert gc.isenabled()
        await pilot.press("escape")
        await pilot.pause()
        # A long board: back on once the first page is drawn, before the rest is read.
        monkeypatch.setattr(board_screen, "FIRST_PAGE", 4)
        monkeypatch.setattr(BoardScreen, "_read_all", lambda self: self._release_collector())
        screen = await open_board(pilot)
        assert screen.reading
        assert gc.isenabled()
        # Closed before its first frame was drawn, the board still hands the collector back.
        monkeypatch.setattr(BoardScreen, "_read_all", lambda self: None)
        await pilot.press("escape", "b")
        assert not gc.isenabled()
        await pilot.press("escape")
        await pilot.pause()
        assert gc.isenabled()


@pytest.mark.asyncio
async def test_focus_lights_the_header_and_leaves_the_borders_alone(repo, monkeypatch):
    app = make_app(repo)
    column_lines: dict[str, int] = {}
    render_line = BoardColumn.render_line

    def counting(self, y):
        column_lines[self.bucket] = column_lines.get(self.bucket, 0) + 1
        return render_line(self, y)

    monkeypatch.setattr(BoardColumn, "render_line", counting)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)

        def header_background(bucket):
            """The background of the header's second cell on screen."""
            region = screen.column(bucket).header.region
            line = app.screen._compositor.render_strips()[region.y]
            return list(line.crop(region.x + 1, region.x + 2))[0].style.bgcolor

        assert header_background(U) != header_background(I)
        assert header_background(I) == header_background(N) == header_background(V)
        column_lines.clear()
        await pilot.press("l")  # the focus moves to inner circle
        await pilot.pause()
        assert header_background(I) != header_background(U)
        assert header_background(U) == header_background(N)
        await pilot.press("shift+right", "shift+left")  # carried to nurture and back, the focus following
        await pilot.pause()
        assert header_background(I) != header_background(N)
        # A column's border and background look the same whichever column has the focus.
        assert column_lines == {}


@pytest.mark.asyncio
async def test_the_collector_waits_for_a_moves_frame(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        await pilot.press("l", "l")  # Nadia 00, the top of nurture
        await pilot.pause()
        assert gc.isenabled()
        screen.action_carry("down")
        assert not gc.isenabled()  # saved, not drawn yet
        await pilot.pause()
        assert gc.isenabled()
        screen.action_carry("up")
        screen.action_send("3")  # two moves before one frame (the second to vanity): one hold, handed back once
        assert not gc.isenabled()
        await pilot.pause()
        assert gc.isenabled()
        # A collector someone else turned off stays off.
        gc.disable()
        try:
            screen.action_send("2")  # back to nurture, at its end
            await pilot.pause()
            assert not gc.isenabled()
        finally:
            gc.enable()
        screen.action_cursor("up")  # nothing moved: nothing held
        assert gc.isenabled()
    assert [p.name for p in repo.list_people(N)][-1] == "Nadia 00"


@pytest.mark.asyncio
async def test_card_lines_and_scrollbars_drawn_by_the_board_look_as_textual_draws_them(tmp_path, monkeypatch):
    """The card list pads and filters its own lines and hands unchanged rows back as they were, its
    scrollbar's cells are drawn straight to lines; frame for frame, through moves, a drag, scrolling, undo,
    a filter, a new last contact, the pointer over a scrollbar and a narrower terminal, the screen is what
    Textual's own line cache and scrollbar renderer draw."""
    textual_draws = False
    plain_frames = 0
    plainly_styled = CardList._plainly_styled
    render_plain_lines = CardList._render_plain_lines

    def plainly_unless_told(self):
        return not textual_draws and plainly_styled(self)

    def counted(self, crop):
        nonlocal plain_frames
        plain_frames += 1
        return render_plain_lines(self, crop)

    monkeypatch.setattr(CardList, "_plainly_styled", plainly_unless_told)
    monkeypatch.setattr(CardList, "_render_plain_lines", counted)

    async def frames(path) -> list[list[list[Segment]]]:
        repo = seed(path, LAYOUT)
        app = make_app(repo)
        seen = []
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_board(pilot)
            seen.append(frame(app))
            # Inner circle fills past its height (a scrollbar comes, the cards narrow) and loses it again.
            for key in ["1", "1", "1", "1", "1", "1", "1", "l", "0", "0", "h", "2", "pagedown", "3", "l", "l", "shift+down", "shift+right", "shift+left",
                        "space", "h", "j", "space", "u", "u", "g", "0"]:
                await pilot.press(key)
                await pilot.pause()
                seen.append(frame(app))
            type_at_once(app, "na")
            await pilot.pause()
            seen.append(frame(app))
            await pilot.press("shift+down")
            await pilot.pause()
            seen.append(frame(app))
            await pilot.press("escape")
            await pilot.pause()
            seen.append(frame(app))
            person_id = screen.current_person_id()
            repo.log_interaction(person_id, 30, at=NOW - timedelta(days=3))
            screen.refresh_data(person_id)  # what the card says changed: "3 days" under the name
            await pilot.pause()
            seen.append(frame(app))
            await pilot.resize_terminal(SIZE[0] - 13, SIZE[1])
            await pilot.pause()
            seen.append(frame(app))
            await pilot.press("1", "j")
            await pilot.pause()
            seen.append(frame(app))
        repo.close()
        return seen

    finished_here = await frames(tmp_path / "finished-here.db")
    assert plain_frames > 0
    textual_draws, plain_frames = True, 0
    monkeypatch.setattr(board_column, "StripScrollBarRender", ScrollBarRender)
    finished_by_textual = await frames(tmp_path / "finished-by-textual.db")
    assert plain_frames == 0
    assert len(finished_here) == len(finished_by_textual)
    for step, (here, textual) in enumerate(zip(finished_here, finished_by_textual)):
        assert here == textual, step
    assert any("3 days" in "".join(s.text for s in line) for line in finished_here[-3])


@pytest.mark.asyncio
async def test_a_tinted_card_list_is_drawn_by_textual_and_plain_again_once_the_tint_goes(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_board(pilot)
        cards = screen.column(U).cards
        plain = frame(app)
        cards.styles.tint = "red 40%"
        await pilot.pause()
        tinted = frame(app)
        assert tinted != plain
        assert "".join(s.text for s in tinted[cards.region.y]) == "".join(s.text for s in plain[cards.region.y])
        await pilot.press("1")  # a move while tinted: Textual's cache draws it
        await pilot.pause()
        cards.styles.clear_rule("tint")
        await pilot.pause()
        assert frame(app) == await repainted_from_scratch(pilot)
        await pilot.press("u")  # Una 00 back on top: the cards look as before the tint (the status does not)
        await pilot.pause()
        assert frame(app)[cards.region.y:] == plain[cards.region.y:]


def header_background(app, bucket):
    """The background of a column header's second cell on screen."""
    region = app.screen.column(bucket).header.region
    line = app.screen._compositor.render_strips()[region.y]
    return list(line.crop(region.x + 1, region.x + 2))[0].style.bgcolor


@pytest.mark.asyncio
async def test_the_focused_header_takes_a_new_themes_colour(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await open_board(pilot)
        await pilot.press("l")  # inner circle has the focus
        await pilot.pause()
        lit_before = header_background(app, I)
        assert lit_before != header_background(app, U)
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        await pilot.pause()
        lit_after = header_background(app, I)
        assert lit_after != lit_before
        unlit_after = header_background(app, U)
        # A board opened under the new theme lights its focused header the same way.
        await pilot.press("escape")
        await pilot.pause()
        await open_board(pilot)
        await pilot.press("l")
        await pilot.pause()
        assert header_background(app, I) == lit_after
        assert header_background(app, U) == unlit_after
