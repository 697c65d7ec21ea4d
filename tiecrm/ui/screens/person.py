"""A person's page: details, time invested with a chart, warmth, and a timeline to add to, edit and prune."""

from __future__ import annotations

import calendar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tiecrm.clock import to_local
from tiecrm.domain import Birthday, Interaction, Move, PersonDetail
from tiecrm.timeline import (
    Coldness,
    Totals,
    days_in_bucket,
    going_cold,
    monthly_periods,
    timeline_events,
    weekly_periods,
)
from tiecrm.ui.format import BUCKET_STYLES, last_contact_label, literal, minutes_label
from tiecrm.ui.widgets.minutes_chart import MinutesChart
from tiecrm.ui.widgets.row_list import RowList

CHART_UNITS = ("week", "month")


def describe_event(event: Interaction | Move, tz) -> Text:
    """One timeline line: local date and time, then minutes, kind and note, or the bucket move."""
    local = to_local(event.at, tz)
    text = Text(f"{local:%a %d %b %Y %H:%M}  ", style="dim")
    if isinstance(event, Move):
        source = event.from_bucket.title if event.from_bucket else "new"
        text.append(f"{'moved':>8}  ", style="italic magenta")
        text.append(f"{source} → {event.to_bucket.title}", style="italic magenta")
        return text
    if event.minutes:
        text.append(f"{minutes_label(event.minutes):>8}  ", style="bold")
    else:
        text.append(f"{'note':>8}  ", style="dim italic")
    if event.kind:
        text.append_text(literal(f"{event.kind:<8}", "cyan"))
        text.append(" ")
    text.append_text(literal(event.note))
    return text


def birthday_label(birthday: Birthday) -> str:
    """`9 May 1990`, or `9 May` when the year is unknown."""
    month = calendar.month_abbr[birthday.month] if 1 <= birthday.month <= 12 else "?"
    return f"{birthday.day} {month}" + (f" {birthday.year}" if birthday.year else "")


class PersonScreen(Screen):
    """One person: who they are, how much time went in and when, and everything that happened.

    | Key | Id | Action |
    | :- | :- | :- |
    | `n` | `app.quick_add` | Log time (or a note) with this person. |
    | `e` | `person.edit` | Edit the highlighted interaction. |
    | `d` | `person.delete` | Delete the highlighted interaction (asks first). |
    | `t` | `person.chart` | Chart per week (26 weeks) or per month (24 months). |
    | `escape` | `person.close` | Back. |
    """

    BINDINGS = [
        Binding("e", "edit", "Edit", id="person.edit"),
        Binding("d", "delete", "Delete", id="person.delete"),
        Binding("t", "toggle_chart", "Weeks/months", id="person.chart"),
        Binding("escape", "close", "Back", id="person.close"),
    ]

    def __init__(self, person_id: int) -> None:
        # No id: one person's page may lie under another's (a person, the due view, another person).
        super().__init__()
        self.person_id = person_id
        self.chart_unit = "week"
        self.detail: PersonDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="person-page"):
            with Horizontal(id="person-head"):
                yield Static(id="person-card")
                yield Static(id="person-totals")
            yield MinutesChart(id="person-chart")
            yield Static(id="person-timeline-title")
            yield RowList(lambda event: describe_event(event, self.app.tz), id="person-timeline",
                          empty="Nothing logged yet. Press n to log time.")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()
        self.query_one(RowList).focus()

    def current_person_id(self) -> int | None:
        return self.person_id

    # ------------------------------------------------------------ data

    def refresh_data(self, person_id: int | None = None) -> None:
        if person_id is not None and person_id != self.person_id:
            return
        detail = self.app.repo.get_person(self.person_id)
        if detail is None:
            self.app.pop_screen()
            return
        self.detail = detail
        repo, settings, tz, now = self.app.repo, self.app.settings, self.app.tz, self.app.now()
        today = self.app.today()
        totals = repo.person_totals(self.person_id, today, tz)
        warmth = repo.person_warmth(self.person_id, settings.half_life_days, now)
        s = detail.summary
        coldness = going_cold(
            s.bucket, s.last_interaction, warmth, now, settings.cadence, settings.warmth_floor, tz)
        self.query_one("#person-card", Static).update(self._card(detail, warmth, coldness))
        self.query_one("#person-totals", Static).update(self._totals(totals, detail))
        self._draw_chart()
        events = timeline_events(detail.interactions, detail.moves)
        timeline = self.query_one(RowList)
        current = timeline.highlighted
        key = (type(current), current.id) if current is not None else None
        timeline.set_rows(events, keep=(lambda e: (type(e), e.id) == key) if key else None)
        self.query_one("#person-timeline-title", Static).update(self._timeline_title(detail))

    def _draw_chart(self) -> None:
        today, tz = self.app.today(), self.app.tz
        periods = weekly_periods(today, tz) if self.chart_unit == "week" else monthly_periods(today, tz)
        minutes = self.app.repo.minutes_per_period(self.person_id, periods)
        other = "months" if self.chart_unit == "week" else "weeks"
        self.query_one(MinutesChart).show(periods, minutes, self.chart_unit, hint=f"t {other}")

    def _card(self, detail: PersonDetail, warmth: float, coldness: Coldness | None) -> Text:
        s = detail.summary
        out = literal(s.name, "bold")
        if s.title or s.org:
            out.append("  ")
            out.append_text(literal(" · ".join(x for x in (s.title, s.org) if x), "italic"))
        out.append("\n")
        out.append(s.bucket.title, style=BUCKET_STYLES[s.bucket])
        in_bucket = days_in_bucket(detail.moves, self.app.now(), self.app.tz)
        if in_bucket is not None:
            out.append(f" for {in_bucket} day{'s' if in_bucket != 1 else ''}", style="dim")
        out.append(f"  ·  warmth {warmth:.0f}", style="bold")
        if coldness is not None:
            out.append(f"  ·  going cold: {coldness.describe()}", style="bold red")
        out.append("\n")
        contacts = [(p.value, p.label) for p in detail.phones] + [(e.value, e.label) for e in detail.emails]
        for value, label in contacts:
            out.append_text(literal(value))
            if label:
                out.append_text(literal(f" ({label})", "dim"))
            out.append("  ")
        if contacts:
            out.append("\n")
        for address in detail.addresses:
            out.append_text(literal(address.value))
            out.append("\n")
        if s.birthday:
            out.append(f"Birthday {birthday_label(s.birthday)}\n", style="dim")
        if s.note:
            out.append_text(literal(s.note, "italic"))
        out.rstrip()
        return out

    def _totals(self, totals: Totals, detail: PersonDetail) -> Text:
        out = Text("Time invested\n", style="bold")
        for label, minutes in (("30 days", totals.last_30), ("90 days", totals.last_90),
                               ("365 days", totals.last_365), ("all time", totals.all_time)):
            out.append(f"{label:>9}  ", style="dim")
            out.append(f"{minutes_label(minutes) if minutes else '—'}\n")
        out.append(f"{'last':>9}  ", style="dim")
        out.append(last_contact_label(detail.summary.last_interaction, self.app.today()))
        return out

    def _timeline_title(self, detail: PersonDetail) -> Text:
        count = len(detail.interactions)
        moves = len(detail.moves)
        text = Text("Timeline", style="bold")
        counts = f"{count:,} interaction{'s' if count != 1 else ''}, {moves} move{'s' if moves != 1 else ''}"
        text.append(f"  {counts}  ·  n add  e edit  d delete", style="dim")
        return text

    # ------------------------------------------------------------ actions

    def action_toggle_chart(self) -> None:
        self.chart_unit = CHART_UNITS[(CHART_UNITS.index(self.chart_unit) + 1) % len(CHART_UNITS)]
        self._draw_chart()

    def _highlighted_interaction(self) -> Interaction | None:
        event = self.query_one(RowList).highlighted
        if isinstance(event, Interaction):
            return event
        if isinstance(event, Move):
            self.notify("Bucket moves are changed on the board (b).", severity="warning")
        return None

    def action_edit(self) -> None:
        from tiecrm.ui.screens.edit_interaction import EditInteractionModal

        interaction = self._highlighted_interaction()
        if interaction is not None:
            self.app.push_screen(EditInteractionModal(interaction))

    def action_delete(self) -> None:
        from tiecrm.ui.screens.confirm import ConfirmModal

        interaction = self._highlighted_interaction()
        if interaction is None:
            return
        question = Text("Delete ")
        question.append_text(describe_event(interaction, self.app.tz))
        question.append("?")

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.repo.delete_interaction(interaction.id)
                self.app.data_changed(self.person_id)
                self.notify("Deleted.", timeout=3)

        self.app.push_screen(ConfirmModal(question, yes="delete"), answered)

    def action_close(self) -> None:
        self.app.pop_screen()
