"""Edit one interaction as one quick-add line (`45m coffee 2026-11-17 14:30 - talked about her move`)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tiecrm.clock import to_local
from tiecrm.domain import Interaction
from tiecrm.logparse import KINDS, QuickEntry, parse_quick_line


def quick_line_of(interaction: Interaction, tz: tzinfo | None = None) -> str:
    """The quick-add line that reads back as `interaction` (to the minute, in local time)."""
    parts = []
    if interaction.minutes:
        parts.append(f"{interaction.minutes}m")
    if interaction.kind:
        parts.append(interaction.kind if interaction.kind in KINDS else f"#{interaction.kind}")
    parts.append(f"{to_local(interaction.at, tz):%Y-%m-%d %H:%M}")
    header = " ".join(parts)
    if not interaction.note:
        return header
    # The separator keeps a note that begins like a duration, kind or date ("2 kids now") a note.
    return f"{header} - {interaction.note}"


def edited_at(original: datetime, parsed: datetime, tz: tzinfo | None = None) -> datetime:
    """The instant to store: the original one when the line still shows its local minute, so a save that does
    not touch the time keeps its seconds and its side of an hour repeated by a daylight-saving change."""
    shown = f"{to_local(original, tz):%Y-%m-%d %H:%M}"
    return original if f"{to_local(parsed, tz):%Y-%m-%d %H:%M}" == shown else parsed


class EditInteractionModal(ModalScreen[Interaction | None]):
    """Change the minutes, kind, time and note of an interaction in one line.

    | Key | Id | Action |
    | :- | :- | :- |
    | `enter` | | Save. |
    | `escape` | `edit_interaction.cancel` | Cancel. |
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="edit_interaction.cancel")]

    def __init__(self, interaction: Interaction) -> None:
        super().__init__(id="edit-interaction-screen")
        self.interaction = interaction

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-interaction"):
            yield Label("Edit what happened", classes="field-label")
            yield Input(quick_line_of(self.interaction, self.app.tz), id="edit-line")
            yield Static(id="edit-preview")
            yield Static("enter save · escape cancel · no duration makes it a note", id="edit-hint")

    def on_mount(self) -> None:
        self.query_one("#edit-line", Input).focus()
        self._preview()

    def _parse(self) -> QuickEntry | str:
        try:
            return parse_quick_line(self.query_one("#edit-line", Input).value, self.app.now(), tz=self.app.tz)
        except ValueError as e:
            return str(e)

    @on(Input.Changed, "#edit-line")
    def _preview(self) -> None:
        entry = self._parse()
        text = Text(entry, style="red") if isinstance(entry, str) else Text(entry.describe())
        self.query_one("#edit-preview", Static).update(text)

    @on(Input.Submitted, "#edit-line")
    def _save(self) -> None:
        entry = self._parse()
        if isinstance(entry, str):
            self.notify(entry, severity="error", markup=False)
            return
        if not entry.minutes and not entry.note:
            self.notify("Nothing left: type a duration or a note (or delete it with d).", severity="warning")
            return
        updated = self.app.repo.update_interaction(
            self.interaction.id, minutes=entry.minutes or 0, kind=entry.kind, note=entry.note,
            at=edited_at(self.interaction.at, entry.at, self.app.tz),
        )
        self.dismiss(updated)
        self.app.data_changed(self.interaction.person_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
