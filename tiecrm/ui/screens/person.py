"""A person's page: details, time invested, and their timeline of interactions and bucket moves."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tiecrm.clock import local_date
from tiecrm.ui.format import literal, minutes_label, person_details


class PersonScreen(Screen):
    """One person.

    | Key | Id | Action |
    | :- | :- | :- |
    | `n` | `app.quick_add` | Log time with this person. |
    | `escape` | `person.close` | Back. |
    """

    BINDINGS = [Binding("escape", "close", "Back", id="person.close")]

    def __init__(self, person_id: int) -> None:
        super().__init__(id="person-screen")
        self.person_id = person_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="person-page"):
            yield Static(id="person-page-details")
            yield Static(id="person-timeline")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()

    def current_person_id(self) -> int | None:
        return self.person_id

    def refresh_data(self, person_id: int | None = None) -> None:
        detail = self.app.repo.get_person(self.person_id)
        if detail is None:
            self.app.pop_screen()
            return
        today = self.app.today()
        self.query_one("#person-page-details", Static).update(person_details(detail, today, latest_notes=0))
        self.query_one("#person-timeline", Static).update(self._timeline(detail))

    def _timeline(self, detail) -> Text:
        events = [(i.at, "i", i) for i in detail.interactions] + [(m.at, "m", m) for m in detail.moves]
        events.sort(key=lambda e: e[0], reverse=True)
        text = Text("Timeline\n", style="bold")
        if not events:
            text.append("Nothing logged yet. Press n to log time.\n", style="dim")
        for at, what, item in events:
            text.append(f"{local_date(at, self.app.tz):%a %d %b %Y}  ", style="dim")
            if what == "i":
                text.append(f"{minutes_label(item.minutes):>8}  ", style="bold")
                if item.kind:
                    text.append_text(literal(item.kind, "cyan"))
                    text.append("  ")
                text.append_text(literal(item.note))
            else:
                source = item.from_bucket.title if item.from_bucket else "new"
                text.append(f"moved {source} → {item.to_bucket.title}", style="italic magenta")
            text.append("\n")
        return text

    def action_close(self) -> None:
        self.app.pop_screen()
