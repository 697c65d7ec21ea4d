"""The people screen: everyone (or one bucket), fuzzy search as you type, and a detail pane."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.content import Content
from textual.geometry import Region, Size
from textual.reactive import Reactive, reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import MountError, Widget
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from tiecrm.collector import keep_out_of_collections
from tiecrm.domain import Bucket, PersonSummary
from tiecrm.ui.format import person_details
from tiecrm.ui.widgets.people_list import PeopleList

if TYPE_CHECKING:  # the index is built after the first frame, and its module imported then
    from tiecrm.search import PeopleIndex

FILTERS: tuple[Bucket | None, ...] = (None, Bucket.UNSORTED, Bucket.INNER, Bucket.NURTURE, Bucket.VANITY)

# People read before the first frame; a longer list is read in full by a worker while that frame shows.
FIRST_PAGE = 200

FIRST_FRAME_ENV = "TIECRM_BENCH_FIRST_FRAME"
"""When set to a path, the wall-clock time (time.time()) at which the first frame with people was drawn
is written there; the start-up benchmark reads it. Nothing happens when it is unset."""


class SearchInput(Input):
    """The search box: Escape clears it and hands focus back to the list."""

    BINDINGS = [Binding("escape", "clear", "Clear search", id="people.search_clear")]

    # The box's size is fixed by the CSS, never by the width of its text, so the layout of the whole
    # screen that Input asks for on every keystroke (by setting its scrollable width) moves nothing: it
    # only redraws every widget before the list can be drawn. The text still scrolls: Input reads this
    # size directly, and repaints itself when it changes.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def action_clear(self) -> None:
        self.value = ""
        self.screen.query_one(PeopleList).focus()


class HeaderStandIn(Widget):
    """The header's line as the app's first frame shows it, drawn by one widget.

    Textual's Header is four widgets, each with styles to parse and match, in a module of its own; the
    people screen shows this line in its first frame and mounts the Header in its place just after. The
    line is the Header's: the icon in the icon's eight cells, the title centred between them and the
    clock's ten, cut with an ellipsis when it does not fit.
    """

    DEFAULT_CSS = """
    HeaderStandIn {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    ICON = "\u2b58"  # the Header's own icon
    ICON_WIDTH = 8  # the Header's icon: eight cells, padded one either side
    CLOCK_WIDTH = 10  # the room the Header keeps for its clock, shown or not

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = app.format_title(
            screen.title if screen.title is not None else app.title,
            screen.sub_title if screen.sub_title is not None else app.sub_title,
        )
        title_width = max(0, self.size.width - self.ICON_WIDTH - self.CLOCK_WIDTH)
        icon = Content(self.ICON).pad(1, max(0, self.ICON_WIDTH - 1 - cell_len(self.ICON)))
        return Content.assemble(icon, title.center(title_width, ellipsis=True), " " * self.CLOCK_WIDTH)


class FooterStandIn(Widget):
    """The footer's line as the app's first frame shows it: empty, as its keys are not built yet. The
    footer (its module, its styles and its keys) is mounted in its place just after that frame."""

    DEFAULT_CSS = """
    FooterStandIn {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def render(self) -> str:
        return ""


class PaneStandIn(Widget):
    """The detail pane as the app's first frame shows it: its border round nothing, as the details are
    drawn after that frame. One widget where the pane is a scrolling container and the text in it; the
    pane takes its place just after that frame. Its size and border come from the pane's id's styles."""

    DEFAULT_CSS = """
    PaneStandIn {
        height: 1fr;
    }
    """

    def render(self) -> str:
        return ""

    def render_lines(self, crop: Region) -> list[Strip]:
        # Every line between the border's top and bottom is the same: the styles draw three, not all.
        width, height = self.outer_size  # border included, as `crop` is
        if height < 4:
            return super().render_lines(crop)
        top, inner = self._styles_cache.render_widget(self, Region(0, 0, width, 2))
        (bottom,) = self._styles_cache.render_widget(self, Region(0, height - 1, width, 1))
        lines = [top, *[inner] * (height - 2), bottom][crop.y:crop.bottom]
        if crop.x or crop.width != width:
            lines = [line.crop(crop.x, crop.right) for line in lines]
        return lines


class BlankColumn(Vertical):
    """A column whose children cover it whole and which has no border or content of its own: drawn
    blank, as Textual draws a BLANK widget, instead of line by line through the styles (a third of the
    lines the first frame drew were its own and the row's it had then, all hidden)."""

    BLANK = True


class PeopleScreen(Screen):
    """Browse people: the list, a search box, and the highlighted person's details.

    | Key | Id | Action |
    | :- | :- | :- |
    | `/` | `people.search` | Focus the search box. |
    | `enter` | | Open the highlighted person (in the list); jump to the list (in the search box). |
    | `escape` | `people.search_clear` | Clear the search. |
    | `]` / `[` | `people.next_bucket` / `people.prev_bucket` | Show the next / previous bucket. |
    """

    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="people.search", priority=True),
        Binding("right_square_bracket", "cycle_bucket(1)", "Bucket", id="people.next_bucket"),
        Binding("left_square_bracket", "cycle_bucket(-1)", "Prev bucket", id="people.prev_bucket", show=False),
    ]

    # Covered whole by the header, the list's column, the pane and the footer: drawn blank, as BlankColumn.
    BLANK = True

    # The list's column and the pane side by side, between the docked header and footer: the screen is
    # their row, one widget fewer to style, arrange and draw.
    DEFAULT_CSS = """
    PeopleScreen {
        layout: horizontal;
    }
    """

    # The list has the focus from the start: focusing it after mounting would move the focus after the first
    # frame (from the search box, the first focusable widget), restyling the list and rebuilding the footer.
    AUTO_FOCUS = "#people-list"

    bucket: reactive[Bucket | None] = reactive(None, init=False)
    """The bucket shown, or None for everyone."""

    def __init__(self) -> None:
        super().__init__(id="people-screen")
        self._people: list[PersonSummary] = []
        self._by_id: dict[int, PersonSummary] = {}
        self._index: PeopleIndex | None = None
        self._total = 0  # everyone in the bucket shown, also while only the first page is read
        self._first_frame_path = os.environ.get(FIRST_FRAME_ENV)
        self._first_frame_due = False  # people are shown, and the frame with them is to be stamped
        self._details_for: PersonSummary | None = None
        self._details_drawn: PersonSummary | str | None = None  # the person, or the message, in the pane
        self._details_pending = False
        self._filter_drawn: tuple[Bucket | None, int, bool] | None = None  # what the filter line says

    def compose(self) -> ComposeResult:
        # The app's first frame has stand-ins for the header and the footer (see first_frame_drawn).
        stand_ins = not self.app.first_frame_done
        if stand_ins:
            yield HeaderStandIn()
        else:
            from textual.widgets import Header

            yield Header()
        with BlankColumn(id="people-left"):
            yield Static(id="bucket-filter")
            yield SearchInput(placeholder="/ search names, orgs, emails, phones, notes", id="search")
            yield PeopleList(id="people-list")
        if stand_ins:
            yield PaneStandIn(id="person-pane")
        else:
            yield _detail_pane()
        if stand_ins:
            yield FooterStandIn()
        else:
            from tiecrm.ui.widgets.settled_footer import SettledFooter

            yield SettledFooter()

    def on_mount(self) -> None:
        # The search runs as the box's text changes, before the box is redrawn, so a keystroke draws the
        # box and the new list in one frame (Input.Changed would arrive after the box's own frame).
        self.watch(self.query_one(SearchInput), "value", self._search_changed, init=False)
        self._render_filter()
        self.load_people()
        if self._total > len(self._people):
            # A long list: the first frame is drawn before the workers start, as their Python work
            # would hold the interpreter lock while that frame is being made.
            self.call_after_refresh(self._build_index)
        else:
            self._build_index()

    # ------------------------------------------------------------ data

    def load_people(self, keep_id: int | None = None) -> None:
        """Read the list from the store and show it, filtered by the bucket and the search box.

        A list longer than FIRST_PAGE is read in full by a worker. On a first load or a bucket change the
        first page is shown meanwhile; on a refresh the list on screen stays until the new one is read.
        """
        repo = self.app.repo
        first = repo.list_rows(self.bucket, limit=FIRST_PAGE)
        if len(first) < FIRST_PAGE:
            self.workers.cancel_group(self, "people")  # a longer list still being read is out of date
            self._show_people(first, len(first), keep_id)
            return
        if keep_id is None:
            self._show_people(first, repo.count_people(self.bucket), keep_id)
        if self.is_mounted:
            self._load_all(self.bucket, keep_id)
        else:
            self.call_after_refresh(self._load_all, self.bucket, keep_id)  # after the first frame

    def _show_people(self, people: list[PersonSummary], total: int, keep_id: int | None) -> None:
        self._people = people
        self._total = total
        self._by_id = {p.id: p for p in people}
        if people and self._first_frame_path:
            if self.app.first_frame_done:
                # Not the app's first screen: the time is taken once its next frame is drawn.
                self.call_after_refresh(_write_time, self._first_frame_path)
                self._first_frame_path = None
            else:
                self._first_frame_due = True  # stamped by first_frame_drawn
        self._apply_search(keep_id=keep_id)

    def first_frame_drawn(self) -> None:
        """The app's first frame is on the terminal: stamp its time for the start-up benchmark when this
        screen's people are in it, and put the real header and footer in place of the stand-ins. Stamped
        from the frame itself rather than from the callbacks after it, which also wait for the layouts
        that frame asks for and for the footer's keys."""
        if self._first_frame_due and self._first_frame_path:
            _write_time(self._first_frame_path)
            self._first_frame_path = None
        if self.query(HeaderStandIn):
            self.call_later(self._replace_stand_ins)

    async def _replace_stand_ins(self) -> None:
        from textual.widgets import Header

        from tiecrm.ui.widgets.settled_footer import SettledFooter

        try:
            header, pane = self.query_one(HeaderStandIn), self.query_one(PaneStandIn)
            footer = self.query_one(FooterStandIn)
        except NoMatches:
            return  # the app is closing (quit with its first frame): the screen is going away
        # One frame shows the change: the same header line, the pane, and the footer with its keys.
        with self.app.batch_update():
            await pane.remove()  # first, as the pane takes its id
            try:
                await self.mount(Header(), before=header)
                await self.mount(_detail_pane(), after="#people-left")
                await self.mount(SettledFooter(), before=footer)
            except MountError:
                return  # the app is closing (quit with its first frame): the screen is going away
            await header.remove()
            await footer.remove()
        # The footer missed the binding changes made before it was there, and the pane the details.
        self.refresh_bindings()
        self._details_drawn = None
        self._show_details(self._details_for)

    @work(thread=True, exclusive=True, group="people")
    def _load_all(self, bucket: Bucket | None, keep_id: int | None) -> None:
        people = self.app.repo.list_rows(bucket)
        if not get_current_worker().is_cancelled:  # else a newer load replaced this one
            self.app.call_from_thread(self._all_loaded, bucket, people, keep_id)

    def _all_loaded(self, bucket: Bucket | None, people: list[PersonSummary], keep_id: int | None) -> None:
        if bucket == self.bucket:  # else the bucket changed meanwhile and a newer load is under way
            self._show_people(people, len(people), keep_id)
            keep_out_of_collections()  # the list and its index live until the next reload

    @work(thread=True, exclusive=True, group="index")
    def _build_index(self) -> None:
        from tiecrm.search import PeopleIndex

        index = PeopleIndex(self.app.repo.search_rows())
        self.app.call_from_thread(self._index_ready, index)

    def _index_ready(self, index: PeopleIndex) -> None:
        self._index = index
        if self._total >= FIRST_PAGE:
            keep_out_of_collections()  # the list and its index live until the next reload
        if self.query_one(SearchInput).value.strip():
            self._apply_search()

    def refresh_data(self, person_id: int | None = None) -> None:
        """The store changed: reload the list, the index and the detail pane."""
        keep = self.current_person_id()
        self.load_people(keep_id=keep)
        self._build_index()

    def current_person_id(self) -> int | None:
        person = self.query_one(PeopleList).highlighted_person
        return person.id if person else None

    # ------------------------------------------------------------ search

    def _search_changed(self, value: str) -> None:
        self._apply_search()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        people_list = self.query_one(PeopleList)
        people_list.focus()
        if people_list.people:
            people_list.cursor = 0

    def _apply_search(self, keep_id: int | None = None) -> None:
        query = self.query_one(SearchInput).value.strip()
        people_list = self.query_one(PeopleList)
        if not query:
            shown = self._people
        elif self._index is not None:
            # The index may know people this list does not show (another bucket): `get` gives them as
            # None and `filter` drops them, with no Python loop over the thousands a short query finds.
            shown = list(filter(None, map(self._by_id.get, self._index.search(query))))
        else:
            # The index is still being built in the background: a plain substring match meanwhile.
            needle = query.casefold()
            shown = [p for p in self._people if needle in p.name.casefold()]
        # A search puts its best match under the cursor.
        people_list.set_people(shown, keep_id=keep_id, today=self.app.today(), first=bool(query))
        self._show_details(people_list.highlighted_person)
        self._render_filter(len(shown) if query else None)

    # ------------------------------------------------------------ details

    @on(PeopleList.Highlighted)
    def _highlighted(self, event: PeopleList.Highlighted) -> None:
        # The list's highlight now, not the message's: keys typed in a burst can change the list again
        # (to no match at all) before this message arrives, and its person would come back in the pane.
        self._show_details(self.query_one(PeopleList).highlighted_person)

    @on(PeopleList.Selected)
    def _selected(self, event: PeopleList.Selected) -> None:
        self.app.action_open_person(event.person_id)

    def _show_details(self, person: PersonSummary | None) -> None:
        """Show this person's details once the list's new frame is drawn: a keystroke in the search box
        shows the new list first, and several changes before that frame draw the pane once."""
        self._details_for = person
        if not self._details_pending:
            self._details_pending = True
            self.call_after_refresh(self._draw_details)

    def _draw_details(self) -> None:
        self._details_pending = False
        person = self._details_for
        panes = self.query("#person-details")
        if not panes:
            return  # the pane is mounted just after the first frame, and draws them then
        pane = panes.first(Static)
        shown: PersonSummary | str = person if person is not None else (
            "Nobody here yet." if not self._people else "No match.")
        if shown is self._details_drawn or (isinstance(shown, str) and shown == self._details_drawn):
            # The same person as read from the same list (a reload reads new ones), or the same message: a
            # keystroke that keeps the best match, or still finds nobody, needs no read and no new pane.
            return
        self._details_drawn = shown
        if isinstance(shown, str):
            pane.update(shown)
            return
        detail = self.app.repo.get_person(shown.id)
        pane.update(person_details(detail, self.app.today()) if detail else "")

    # ------------------------------------------------------------ filter

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `/` is a priority key so that it moves focus before the keys typed right behind it are handed
        # on (a fast typist, tmux send-keys): without it those keys go to the list and fire its bindings.
        # Inside the box it is text.
        return not (action == "focus_search" and isinstance(self.focused, Input))

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one(SearchInput))  # at once: `focus()` waits behind the queued keys

    def action_cycle_bucket(self, step: int) -> None:
        self.bucket = FILTERS[(FILTERS.index(self.bucket) + step) % len(FILTERS)]

    def show_bucket(self, bucket: Bucket | None) -> None:
        self.bucket = bucket

    def watch_bucket(self) -> None:
        self.load_people()

    def _render_filter(self, matches: int | None = None) -> None:
        from rich.text import Text

        shown = matches if matches is not None else self._total
        drawn = (self.bucket, shown, matches is not None)
        if drawn == self._filter_drawn:
            return  # a keystroke that finds as many people as the last one leaves the line as it is
        self._filter_drawn = drawn
        text = Text()
        for bucket in FILTERS:
            label = bucket.title if bucket else "All"
            text.append(f" {label} ", style="reverse bold" if bucket == self.bucket else "dim")
        text.append(f"   {shown} {'match' if matches is not None else 'people'}{'es' if matches is not None and shown != 1 else ''}", style="dim")
        # One line of fixed height (tiecrm.tcss): no layout pass, which would redraw the whole screen.
        self.query_one("#bucket-filter", Static).update(text, layout=False)


def _detail_pane() -> VerticalScroll:
    return VerticalScroll(Static(id="person-details"), id="person-pane")


def _write_time(path: str) -> None:
    with open(path, "w", encoding="ascii") as stamp:
        stamp.write(f"{time.time():.6f}\n")
