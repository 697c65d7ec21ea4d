"""The bucket board (placeholder until the board lands): people per bucket."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tiecrm.domain import Bucket
from tiecrm.ui.format import literal


class BoardScreen(Screen):
    BINDINGS = [Binding("escape", "close", "Back", id="board.close")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="board"):
            for bucket in Bucket:
                with VerticalScroll(classes="board-column"):
                    yield Static(id=f"bucket-{bucket.value}")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_data()

    def refresh_data(self, person_id: int | None = None) -> None:
        for bucket in Bucket:
            people = self.app.repo.list_people(bucket)
            text = Text(f"{bucket.title} ({len(people)})\n\n", style="bold")
            for p in people[:200]:
                text.append_text(literal(p.name))
                text.append("\n")
            self.query_one(f"#bucket-{bucket.value}", Static).update(text)

    def action_close(self) -> None:
        self.app.pop_screen()
