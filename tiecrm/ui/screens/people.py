"""The people screen: everyone (or one bucket), fuzzy search as you type, and a detail pane."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from tiecrm.domain import Bucket, PersonSummary
from tiecrm.search import PeopleIndex
from tiecrm.ui.format import person_details
from tiecrm.ui.widgets.people_list import PeopleList

FILTERS: tuple[Bucket | None, ...] = (None, Bucket.UNSORTED, Bucket.INNER, Bucket.NURTURE, Bucket.VANITY)


class SearchInput(Input):
    """The search box: Escape clears it and hands focus back to the list."""

    BINDINGS = [Binding("escape", "clear", "Clear search", id="people.search_clear")]

    def action_clear(self) -> None:
        self.value = ""
        self.screen.query_one(PeopleList).focus()


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
        Binding("slash", "focus_search", "Search", id="people.search"),
        Binding("right_square_bracket", "cycle_bucket(1)", "Bucket", id="people.next_bucket"),
        Binding("left_square_bracket", "cycle_bucket(-1)", "Prev bucket", id="people.prev_bucket", show=False),
    ]

    bucket: reactive[Bucket | None] = reactive(None, init=False)
    """The bucket shown, or None for everyone."""

    def __init__(self) -> None:
        super().__init__(id="people-screen")
        self._people: list[PersonSummary] = []
        self._by_id: dict[int, PersonSummary] = {}
        self._index: PeopleIndex | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="people-body"):
            with Vertical(id="people-left"):
                yield Static(id="bucket-filter")
                yield SearchInput(placeholder="/ search names, orgs, emails, phones, notes", id="search")
                yield PeopleList(id="people-list")
            with VerticalScroll(id="person-pane"):
                yield Static(id="person-details")
        yield Footer()

    def on_mount(self) -> None:
        self._render_filter()
        self.load_people()
        self.query_one(PeopleList).focus()
        self._build_index()

    # ------------------------------------------------------------ data

    def load_people(self, keep_id: int | None = None) -> None:
        """Read the list from the store and show it, filtered by the bucket and the search box."""
        self._people = self.app.repo.list_people(self.bucket)
        self._by_id = {p.id: p for p in self._people}
        self._apply_search(keep_id=keep_id)

    @work(thread=True, exclusive=True, group="index")
    def _build_index(self) -> None:
        index = PeopleIndex(self.app.repo.search_rows())
        self.app.call_from_thread(self._index_ready, index)

    def _index_ready(self, index: PeopleIndex) -> None:
        self._index = index
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

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
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
            shown = [self._by_id[i] for i in self._index.search(query) if i in self._by_id]
        else:
            # The index is still being built in the background: a plain substring match meanwhile.
            needle = query.casefold()
            shown = [p for p in self._people if needle in p.name.casefold()]
        people_list.set_people(shown, keep_id=keep_id if keep_id is not None else None, today=self.app.today())
        if query:
            people_list.cursor = 0
        self._show_details(people_list.highlighted_person)
        self._render_filter(len(shown) if query else None)

    # ------------------------------------------------------------ details

    @on(PeopleList.Highlighted)
    def _highlighted(self, event: PeopleList.Highlighted) -> None:
        self._show_details(self._by_id.get(event.person_id))

    @on(PeopleList.Selected)
    def _selected(self, event: PeopleList.Selected) -> None:
        self.app.action_open_person(event.person_id)

    def _show_details(self, person: PersonSummary | None) -> None:
        pane = self.query_one("#person-details", Static)
        if person is None:
            pane.update("Nobody here yet." if not self._people else "No match.")
            return
        detail = self.app.repo.get_person(person.id)
        pane.update(person_details(detail, self.app.today()) if detail else "")

    # ------------------------------------------------------------ filter

    def action_focus_search(self) -> None:
        self.query_one(SearchInput).focus()

    def action_cycle_bucket(self, step: int) -> None:
        self.bucket = FILTERS[(FILTERS.index(self.bucket) + step) % len(FILTERS)]

    def show_bucket(self, bucket: Bucket | None) -> None:
        self.bucket = bucket

    def watch_bucket(self) -> None:
        self.load_people()

    def _render_filter(self, matches: int | None = None) -> None:
        from rich.text import Text

        text = Text()
        for bucket in FILTERS:
            label = bucket.title if bucket else "All"
            text.append(f" {label} ", style="reverse bold" if bucket == self.bucket else "dim")
        shown = matches if matches is not None else len(self._people)
        text.append(f"   {shown} {'match' if matches is not None else 'people'}{'es' if matches is not None and shown != 1 else ''}", style="dim")
        self.query_one("#bucket-filter", Static).update(text)
