"""Merge possible duplicates: two people side by side; merge them, or remember they are not the same."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tiecrm.domain import DuplicatePair
from tiecrm.textsafe import visible
from tiecrm.ui.format import person_details

REASONS = {"name": "similar names", "phone": "a shared phone number", "email": "a shared email"}


class MergeScreen(Screen):
    """Review possible duplicates one pair at a time.

    | Key | Id | Action |
    | :- | :- | :- |
    | `m` | `merge.keep_left` | Merge, keeping the left person's name and bucket. |
    | `M` | `merge.keep_right` | Merge, keeping the right person's name and bucket. |
    | `x` | `merge.dismiss` | Not the same person (remembered). |
    | `j` / `k` | `merge.next` / `merge.prev` | Next / previous pair. |
    | `escape` | `merge.close` | Back. |
    """

    BINDINGS = [
        Binding("m", "merge('left')", "Merge into left", id="merge.keep_left"),
        Binding("M", "merge('right')", "Merge into right", id="merge.keep_right"),
        Binding("x", "dismiss_pair", "Not the same", id="merge.dismiss"),
        Binding("j,down", "step(1)", "Next pair", id="merge.next"),
        Binding("k,up", "step(-1)", "Previous pair", id="merge.prev"),
        Binding("escape", "close", "Back", id="merge.close"),
    ]

    def __init__(self) -> None:
        super().__init__(id="merge-screen")
        self.pairs: list[DuplicatePair] = []
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="merge-status")
        with Horizontal(id="merge-sides"):
            with VerticalScroll(id="merge-left", classes="merge-side"):
                yield Static(id="merge-left-body")
            with VerticalScroll(id="merge-right", classes="merge-side"):
                yield Static(id="merge-right-body")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self, person_id: int | None = None) -> None:
        self.pairs = self.app.repo.possible_duplicates()
        self.index = min(self.index, max(len(self.pairs) - 1, 0))
        self._show()

    @property
    def pair(self) -> DuplicatePair | None:
        return self.pairs[self.index] if self.pairs else None

    def current_person_id(self) -> int | None:
        return self.pair.a.id if self.pair else None

    def _show(self) -> None:
        status = self.query_one("#merge-status", Static)
        left = self.query_one("#merge-left-body", Static)
        right = self.query_one("#merge-right-body", Static)
        pair = self.pair
        if pair is None:
            status.update(Text("No possible duplicates left.", style="bold"))
            left.update("")
            right.update("")
            return
        status.update(Text.assemble(
            (f"Pair {self.index + 1} of {len(self.pairs)}", "bold"),
            f" — {REASONS.get(pair.reason, pair.reason)}",
            (f" ({pair.score:.0f}%)" if pair.reason == "name" else "", "dim"),
            ("   m merge into left · M merge into right · x not the same", "dim"),
        ))
        today = self.app.today()
        for side, person in ((left, pair.a), (right, pair.b)):
            detail = self.app.repo.get_person(person.id)
            side.update(person_details(detail, today) if detail else Text("(gone)"))

    def action_step(self, step: int) -> None:
        if self.pairs:
            self.index = (self.index + step) % len(self.pairs)
            self._show()

    def action_merge(self, keep: str) -> None:
        pair = self.pair
        if pair is None:
            return
        keep_person, other = (pair.a, pair.b) if keep == "left" else (pair.b, pair.a)
        merged = self.app.repo.merge_people(keep_person.id, other.id)
        self.notify(f"Merged into {visible(merged.name)}", markup=False)
        self.app.data_changed(merged.id)

    def action_dismiss_pair(self) -> None:
        pair = self.pair
        if pair is None:
            return
        self.app.repo.dismiss_duplicate(pair.a.id, pair.b.id)
        self.notify("Remembered: not the same person.")
        self.app.data_changed()

    def action_close(self) -> None:
        self.app.pop_screen()
