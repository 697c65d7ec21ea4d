"""A yes/no question in a modal: `y` or Enter confirms, `n` or Escape declines."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmModal(ModalScreen[bool]):
    """Ask before something that cannot be undone.

    | Key | Id | Action |
    | :- | :- | :- |
    | `y`, `enter` | `confirm.yes` | Yes. |
    | `n`, `escape` | `confirm.no` | No. |
    """

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str | Text, yes: str = "yes") -> None:
        super().__init__(id="confirm-screen")
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question, id="confirm-question")
            yield Static(f"y {self.yes} · n keep", id="confirm-hint")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
