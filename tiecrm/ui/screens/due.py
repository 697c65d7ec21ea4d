"""The due view: who is going cold, most overdue first, with a hook to start from; and birthdays coming up."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tiecrm.domain import PersonSummary
from tiecrm.timeline import BIRTHDAY_HORIZON_DAYS, ColdEntry, UpcomingBirthday
from tiecrm.ui.format import BUCKET_STYLES, last_contact_label, literal
from tiecrm.ui.widgets.row_list import RowList

NAME_WIDTH = 24


@dataclass(frozen=True)
class Heading:
    title: str


def person_of(row) -> PersonSummary | None:
    if isinstance(row, ColdEntry):
        return row.person
    if isinstance(row, UpcomingBirthday):
        return row.who
    return None


def _name(person: PersonSummary) -> Text:
    name = literal(person.name, "bold")
    name.truncate(NAME_WIDTH - 1, overflow="ellipsis")
    name.pad_right(NAME_WIDTH - name.cell_len)
    return name


def draw_due_row(row, today) -> Text:
    if isinstance(row, Heading):
        return Text(row.title, style="bold underline")
    if isinstance(row, ColdEntry):
        text = _name(row.person)
        text.append(f"{row.person.bucket.value:<8} ", style=BUCKET_STYLES[row.person.bucket])
        cold = row.coldness
        when = last_contact_label(row.person.last_interaction, today)
        if cold.reason == "overdue":
            text.append(f"{when:<14}", style="bold red")
        elif cold.reason == "never":
            text.append(f"{'never':<14}", style="bold red")
        else:
            text.append(f"{when:<14}")
        text.append(f"warmth {cold.warmth:>4.0f}  ", style="red" if cold.reason == "cooling" else "dim")
        if row.last_note:
            text.append_text(literal(f"“{row.last_note}”", "italic"))
        return text
    assert isinstance(row, UpcomingBirthday)
    text = Text(f"{row.on:%a %d %b}  ", style="bold cyan")
    text.append_text(_name(row.who))
    days = row.days_until
    soon = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    text.append(f"{soon:<12}")
    if row.turns is not None:
        text.append(f"turns {row.turns}", style="dim")
    return text


class DueScreen(Screen):
    """People going cold and birthdays in the next two weeks.

    | Key | Id | Action |
    | :- | :- | :- |
    | `enter` | `rows.select` | Open the highlighted person. |
    | `n` | `app.quick_add` | Log time with the highlighted person. |
    | `escape` | `due.close` | Back. |
    """

    BINDINGS = [Binding("escape", "close", "Back", id="due.close")]

    def __init__(self) -> None:
        super().__init__(id="due-screen")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="due-summary")
        yield RowList(
            lambda row: draw_due_row(row, self.app.today()),
            is_heading=lambda row: isinstance(row, Heading),
            id="due-list",
            empty="Nobody is going cold and no birthdays are coming up.",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()
        self.query_one(RowList).focus()

    def refresh_data(self, person_id: int | None = None) -> None:
        app = self.app
        s = app.settings
        cold = app.repo.going_cold(s.cadence, s.warmth_floor, s.half_life_days, app.now(), app.tz)
        birthdays = app.repo.birthdays_soon(app.today(), BIRTHDAY_HORIZON_DAYS)
        rows: list = []
        if cold:
            rows.append(Heading(f"Going cold ({len(cold):,}) · most overdue first · last note as a hook"))
            rows += cold
        if birthdays:
            if rows:
                rows.append(Heading(""))
            rows.append(Heading(f"Birthdays in the next {BIRTHDAY_HORIZON_DAYS} days ({len(birthdays)})"))
            rows += birthdays
        people = "person is" if len(cold) == 1 else "people are"
        summary = Text(f"{len(cold):,} {people} going cold", style="bold red" if cold else "bold green")
        plural = "s" if len(birthdays) != 1 else ""
        summary.append(f"  ·  {len(birthdays)} birthday{plural} coming up", style="bold")
        cadence = s.cadence
        summary.append(
            f"\ncadence: inner circle {cadence.inner or 'never'} days, nurture {cadence.nurture or 'never'} "
            f"days · warmth half-life {s.half_life_days:g} days",
            style="dim",
        )
        self.query_one("#due-summary", Static).update(summary)
        row_list = self.query_one(RowList)
        kept = person_of(row_list.highlighted)
        row_list.set_rows(rows, keep=(lambda r: (p := person_of(r)) is not None and p.id == kept.id)
                          if kept is not None else None)

    def current_person_id(self) -> int | None:
        person = person_of(self.query_one(RowList).highlighted)
        return person.id if person else None

    @on(RowList.Selected, "#due-list")
    def _open(self, event: RowList.Selected) -> None:
        person = person_of(event.row)
        if person is not None:
            self.app.action_open_person(person.id)

    def action_close(self) -> None:
        self.app.pop_screen()
