"""The people list widget: keys, clicks, messages, literal rendering, and 50,000 rows."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.app import App, ComposeResult

from tiecrm.domain import Bucket, PersonSummary
from tiecrm.ui.widgets.people_list import PeopleList, days_label

TODAY = date(2026, 11, 20)
FIRST_NAMES = ["Priya", "José", "Sam", "Meera", "Zoë", "Wei", "Aoife", "Kwame", "Olga", "Ravi"]
BUCKETS = list(Bucket)


def make_people(count: int) -> list[PersonSummary]:
    return [
        PersonSummary(
            id=1000 + n,
            name=f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {n:05d}",
            bucket=BUCKETS[n % len(BUCKETS)],
            org="Infosys" if n % 3 == 0 else "",
            last_interaction=datetime(2026, 11, 20 - n % 10, 9, 30) if n % 4 else None,
        )
        for n in range(count)
    ]


class ListApp(App[None]):
    """Mounts one PeopleList and records the messages it posts."""

    def __init__(self, people: list[PersonSummary]) -> None:
        super().__init__()
        self.people = people
        self.highlighted: list[int] = []
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield PeopleList(id="list")

    def on_mount(self) -> None:
        people_list = self.query_one(PeopleList)
        people_list.set_people(self.people, today=TODAY)
        people_list.focus()

    def on_people_list_highlighted(self, event: PeopleList.Highlighted) -> None:
        self.highlighted.append(event.person_id)

    def on_people_list_selected(self, event: PeopleList.Selected) -> None:
        self.selected.append(event.person_id)


def shown_lines(widget: PeopleList) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


@pytest.mark.asyncio
async def test_keys_move_the_cursor_and_post_messages():
    people = make_people(30)
    app = ListApp(people)
    async with app.run_test(size=(80, 12)) as pilot:
        widget = app.query_one(PeopleList)
        await pilot.pause()
        assert app.highlighted == [people[0].id]
        await pilot.press("j", "j", "down")
        await pilot.pause()
        assert widget.cursor == 3
        assert app.highlighted[-3:] == [people[1].id, people[2].id, people[3].id]
        await pilot.press("k", "up")
        await pilot.pause()
        assert widget.highlighted_person == people[1]
        await pilot.press("G")
        await pilot.pause()
        assert widget.cursor == 29
        assert app.highlighted[-1] == people[29].id
        assert people[29].name in shown_lines(widget)[-1]  # scrolled so the cursor shows
        await pilot.press("g")
        await pilot.pause()
        assert widget.cursor == 0
        assert widget.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert widget.cursor == widget.size.height - 1
        await pilot.press("end", "pageup")
        await pilot.pause()
        assert widget.cursor == 29 - (widget.size.height - 1)
        await pilot.press("home", "j", "enter")
        await pilot.pause()
        assert app.selected == [people[1].id]


@pytest.mark.asyncio
async def test_the_cursor_stops_at_both_ends():
    people = make_people(3)
    app = ListApp(people)
    async with app.run_test(size=(80, 12)) as pilot:
        widget = app.query_one(PeopleList)
        await pilot.press("k", "k")
        assert widget.cursor == 0
        await pilot.press("j", "j", "j", "j", "pagedown")
        assert widget.cursor == 2
        await pilot.pause()
        assert app.highlighted == [people[0].id, people[1].id, people[2].id]


@pytest.mark.asyncio
async def test_a_click_highlights_the_row_and_a_double_click_opens_it():
    people = make_people(20)
    app = ListApp(people)
    async with app.run_test(size=(80, 12)) as pilot:
        widget = app.query_one(PeopleList)
        await pilot.click(widget, offset=(4, 5))
        await pilot.pause()
        assert widget.cursor == 5
        assert app.highlighted[-1] == people[5].id
        assert app.selected == []
        await pilot.double_click(widget, offset=(4, 2))
        await pilot.pause()
        assert widget.cursor == 2
        assert app.selected == [people[2].id]


@pytest.mark.asyncio
async def test_fifty_thousand_rows_mount_and_show_the_first_and_last_names():
    people = make_people(50_000)
    app = ListApp(people)
    async with app.run_test(size=(80, 24)) as pilot:
        widget = app.query_one(PeopleList)
        await pilot.pause()
        assert widget.virtual_size.height == 50_000
        lines = shown_lines(widget)
        assert len(lines) == 24
        for y, line in enumerate(lines):
            assert line.startswith(f" {people[y].name}")
        await pilot.press("G")
        await pilot.pause()
        lines = shown_lines(widget)
        assert lines[-1].startswith(f" {people[-1].name}")
        assert lines[0].startswith(f" {people[-24].name}")


@pytest.mark.asyncio
async def test_markup_and_control_characters_are_shown_literally():
    people = [
        PersonSummary(id=1, name="[bold red]Mallory[/]", bucket=Bucket.INNER, org="[i]Evil Corp"),
        PersonSummary(id=2, name="Eve\x1b[2J\x07", bucket=Bucket.VANITY, org="Line\nBreak"),
    ]
    app = ListApp(people)
    async with app.run_test(size=(80, 6)) as pilot:
        widget = app.query_one(PeopleList)
        await pilot.pause()
        first, second = shown_lines(widget)[:2]
        assert "[bold red]Mallory[/]" in first
        assert "[i]Evil Corp" in first
        assert "Eve\\x1b[2J\\x07" in second
        assert "Line\\nBreak" in second
        assert "\x1b" not in second


@pytest.mark.asyncio
async def test_a_row_shows_org_bucket_and_days_since_contact_right_aligned():
    people = [
        PersonSummary(id=1, name="Priya Sharma", bucket=Bucket.INNER, org="Infosys",
                      last_interaction=datetime(2026, 11, 8, 18, 0)),
        PersonSummary(id=2, name="Sam Lee", bucket=Bucket.NURTURE),
        PersonSummary(id=3, name="Wei " + "Long" * 40, bucket=Bucket.VANITY, org="Somewhere",
                      last_interaction=datetime(2023, 1, 1)),
    ]
    app = ListApp(people)
    async with app.run_test(size=(60, 6)) as pilot:
        widget = app.query_one(PeopleList)
        await pilot.pause()
        width = widget.scrollable_content_region.width
        first, second, third = shown_lines(widget)[:3]
        assert first.startswith(" Priya Sharma  Infosys")
        assert first.rstrip().endswith("inner   12d")
        assert second.rstrip().endswith("nurture     —")
        assert third.rstrip().endswith("vanity    3y")  # long names are cut, the tag and days stay
        assert {len(first), len(second), len(third)} == {width}


def test_days_label():
    late = datetime(2026, 11, 20, 23, 59)
    person = PersonSummary(id=1, name="x", bucket=Bucket.INNER, last_interaction=late)
    assert days_label(person, TODAY) == "0d"
    assert days_label(person, date(2026, 11, 19)) == "0d"  # a clock ahead of the list's today
    assert days_label(PersonSummary(id=2, name="y", bucket=Bucket.INNER), TODAY) == "—"


@pytest.mark.asyncio
async def test_new_people_keep_the_cursor_on_the_same_person():
    people = make_people(40)
    app = ListApp(people)
    async with app.run_test(size=(80, 12)) as pilot:
        widget = app.query_one(PeopleList)
        widget.cursor = 7
        await pilot.pause()
        before = len(app.highlighted)
        widget.set_people(list(reversed(people)))
        await pilot.pause()
        assert widget.highlighted_person == people[7]
        assert widget.cursor == 32
        assert len(app.highlighted) == before  # the same person: nothing new to announce
        widget.set_people(people[:5], keep_id=people[3].id)
        await pilot.pause()
        assert widget.highlighted_person == people[3]
        assert widget.highlight_id(people[1].id)
        assert not widget.highlight_id(999_999)
        await pilot.pause()
        assert widget.highlighted_person == people[1]
        assert app.highlighted[-2:] == [people[3].id, people[1].id]


@pytest.mark.asyncio
async def test_a_person_no_longer_listed_leaves_the_cursor_on_the_same_row_or_the_last():
    people = make_people(40)
    app = ListApp(people)
    async with app.run_test(size=(80, 12)) as pilot:
        widget = app.query_one(PeopleList)
        widget.cursor = 7
        await pilot.pause()
        widget.set_people(people[:7] + people[8:])  # the highlighted person is gone
        await pilot.pause()
        assert widget.cursor == 7
        assert widget.highlighted_person == people[8]
        widget.set_people(people[20:23], keep_id=people[7].id)  # asked for someone not listed
        await pilot.pause()
        assert widget.cursor == 2
        assert widget.highlighted_person == people[22]
        widget.set_people(people[22:23] + people[:3])  # found again, at another row
        await pilot.pause()
        assert widget.cursor == 0
        assert widget.highlighted_person == people[22]


@pytest.mark.asyncio
async def test_an_empty_list_has_no_highlight_and_enter_does_nothing():
    app = ListApp([])
    async with app.run_test(size=(80, 6)) as pilot:
        widget = app.query_one(PeopleList)
        await pilot.press("j", "G", "enter")
        await pilot.pause()
        assert widget.highlighted_person is None
        assert app.highlighted == [] and app.selected == []
        assert all(not line.strip() for line in shown_lines(widget))


@pytest.mark.asyncio
async def test_a_shorter_then_longer_list_scrolls_to_its_real_end_and_hides_the_scrollbar_when_it_fits():
    people = make_people(60)
    app = ListApp(people)
    async with app.run_test(size=(80, 12)) as pilot:
        widget = app.query_one(PeopleList)
        await pilot.pause()
        assert widget.show_vertical_scrollbar
        widget.set_people(people[:5])
        await pilot.pause()
        assert widget.virtual_size.height == 5
        assert not widget.show_vertical_scrollbar
        assert [line.split("  ")[0].strip() for line in shown_lines(widget)[:5]] == [p.name for p in people[:5]]
        widget.set_people(people, first=True)
        await pilot.pause()
        assert widget.show_vertical_scrollbar
        assert widget.cursor == 0
        await pilot.press("G")
        await pilot.pause()
        assert widget.scroll_y == widget.max_scroll_y == 60 - widget.size.height
        assert shown_lines(widget)[-1].startswith(f" {people[-1].name}")


@pytest.mark.asyncio
async def test_the_highlighted_row_is_drawn_anew_when_the_list_gains_or_loses_focus():
    app = ListApp(make_people(5))
    async with app.run_test(size=(80, 8)) as pilot:
        widget = app.query_one(PeopleList)
        await pilot.pause()
        focused = widget.render_line(0)
        app.set_focus(None)
        await pilot.pause()
        blurred = widget.render_line(0)
        assert focused.text == blurred.text
        assert list(focused)[1].style != list(blurred)[1].style
        plain = list(widget.render_line(1))[1].style
        assert plain not in (list(focused)[1].style, list(blurred)[1].style)
        widget.focus()
        await pilot.pause()
        assert list(widget.render_line(0))[1].style == list(focused)[1].style


@pytest.mark.asyncio
async def test_the_scrollbar_drawn_straight_to_lines_looks_as_textual_draws_it(monkeypatch):
    """Frame for frame, through scrolling, the pointer over the bar, a shorter list and a longer one again,
    the screen is what Textual's own scrollbar renderer draws."""
    from textual.scrollbar import ScrollBarRender

    from tiecrm.ui.widgets import people_list as people_list_module

    async def frames() -> list[list[list[tuple]]]:
        app = ListApp(make_people(300))
        seen = []
        async with app.run_test(size=(60, 20)) as pilot:
            widget = app.query_one(PeopleList)

            def frame():
                return [[(s.text, s.style) for s in line] for line in app.screen._compositor.render_strips()]

            await pilot.pause()
            seen.append(frame())
            for key in ["pagedown", "pagedown", "j", "end", "k", "home"]:
                await pilot.press(key)
                await pilot.pause()
                seen.append(frame())
            await pilot.hover(PeopleList, offset=(widget.outer_size.width - 1, 3))  # over the bar
            await pilot.pause()
            seen.append(frame())
            widget.set_people(make_people(12), today=TODAY)  # fits: no bar
            await pilot.pause()
            seen.append(frame())
            widget.set_people(make_people(5000), today=TODAY)
            await pilot.pause()
            await pilot.press("end")
            await pilot.pause()
            seen.append(frame())
            renderers = {type(widget.vertical_scrollbar).renderer, widget.vertical_scrollbar.renderer}
        return seen, renderers

    straight, renderers = await frames()
    assert people_list_module.StripScrollBarRender in renderers
    monkeypatch.setattr(people_list_module, "StripScrollBarRender", ScrollBarRender)
    by_textual, renderers = await frames()
    assert renderers == {ScrollBarRender}
    assert len(straight) == len(by_textual)
    for step, (here, textual) in enumerate(zip(straight, by_textual)):
        assert here == textual, step
    assert straight[0] != straight[4]  # the thumb moved
    assert straight[6] != straight[7]  # the pointer over the bar lights it
