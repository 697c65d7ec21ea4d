"""The returns view: time per bucket, the vanity ratio, and hints where bucket and time disagree."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tiecrm.store.stats import DriftHint, ReturnsReport
from tiecrm.ui.format import BUCKET_STYLES, last_contact_label, literal, minutes_label
from tiecrm.ui.widgets.row_list import RowList


def _minutes(minutes: int) -> str:
    return minutes_label(minutes) if minutes else "—"


def returns_table(report: ReturnsReport) -> Text:
    """Per bucket: people, minutes in the window and their share of all the time invested then; top people."""
    title = f"Returns on your time · last {report.days} days, since {report.since:%d %b %Y}\n\n"
    out = Text(title, style="bold")
    out.append(f"{'':<14}{'people':>8}{'reached':>9}{f'{report.days} days':>10}{'share':>7}\n", style="dim")
    for row in report.buckets:
        out.append(f"{row.bucket.title:<14}", style=BUCKET_STYLES[row.bucket])
        out.append(f"{row.people:>8,}{row.reached:>9,}{_minutes(row.minutes):>10}{row.share:>7.0%}\n")
        if row.top:
            out.append(f"{'':<14}top ", style="dim")
            for index, person in enumerate(row.top):
                if index:
                    out.append(" · ", style="dim")
                out.append_text(literal(person.name))
                out.append(f" {minutes_label(person.minutes)}", style="dim")
            out.append("\n")
    out.append("\n")
    out.append(report.vanity_ratio(), style="bold")
    return out


def draw_hint(hint: DriftHint, report: ReturnsReport, today) -> Text:
    text = Text(f"→ {hint.suggest.title:<13}", style=BUCKET_STYLES[hint.suggest])
    text.append_text(literal(hint.name, "bold"))
    text.append(f" ({hint.bucket.title.lower()}) ", style="dim")
    if hint.minutes_recent and report.least_inner is not None:
        text.append(f"{minutes_label(hint.minutes_recent)} in {report.days} days, more than inner-circle ")
        text.append_text(literal(report.least_inner.name))
        text.append(f" ({_minutes(report.least_inner.minutes)})")
    elif hint.last_contact is None:
        text.append(hint.reason)
    else:
        text.append(f"{hint.reason}, last contact {last_contact_label(hint.last_contact, today)}")
    return text


class ReturnsScreen(Screen):
    """Whether your time goes to the people you say matter most.

    | Key | Id | Action |
    | :- | :- | :- |
    | `enter` | `rows.select` | Make the move the highlighted hint offers. |
    | `o` | `returns.open` | Open the hint's person. |
    | `escape` | `returns.close` | Back. |
    """

    BINDINGS = [
        Binding("o", "open_person", "Open person", id="returns.open"),
        Binding("escape", "close", "Back", id="returns.close"),
    ]

    def __init__(self) -> None:
        super().__init__(id="returns-screen")
        self.report: ReturnsReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="returns-table")
        yield Static(id="returns-hints-title")
        yield RowList(self._draw_hint, id="returns-hints", empty="No drift: your time follows your buckets.")
        yield Footer()

    def _draw_hint(self, hint: DriftHint) -> Text:
        assert self.report is not None
        return draw_hint(hint, self.report, self.app.today())

    def on_mount(self) -> None:
        self.refresh_data()
        self.query_one(RowList).focus()

    def refresh_data(self, person_id: int | None = None) -> None:
        self.report = report = self.app.repo.returns_report(self.app.today(), self.app.tz)
        self.query_one("#returns-table", Static).update(returns_table(report))
        title = Text("Drift", style="bold")
        count = len(report.hints) + report.more_hints
        title.append(f"  {count} hint{'s' if count != 1 else ''}", style="dim")
        if report.more_hints:
            title.append(f", the first {len(report.hints)} shown", style="dim")
        title.append("  ·  enter makes the move  ·  o opens the person", style="dim")
        self.query_one("#returns-hints-title", Static).update(title)
        hints = self.query_one(RowList)
        kept = hints.highlighted
        hints.set_rows(list(report.hints), keep=(lambda h: h == kept) if kept is not None else None)

    def current_person_id(self) -> int | None:
        hint = self.query_one(RowList).highlighted
        return hint.person_id if hint else None

    @on(RowList.Selected, "#returns-hints")
    def _move(self, event: RowList.Selected) -> None:
        hint: DriftHint = event.row
        self.app.repo.move(hint.person_id, hint.suggest)
        self.app.data_changed(hint.person_id)
        self.notify(f"Moved {literal(hint.name).plain} to {hint.suggest.title}.", markup=False, timeout=4)

    def action_open_person(self) -> None:
        person_id = self.current_person_id()
        if person_id is not None:
            self.app.action_open_person(person_id)

    def action_close(self) -> None:
        self.app.pop_screen()
