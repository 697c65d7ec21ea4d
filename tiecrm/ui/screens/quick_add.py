"""Quick-add: one modal to log time with a person right after a conversation."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tiecrm.domain import Interaction
from tiecrm.logparse import parse_quick_line
from tiecrm.search import PeopleIndex
from tiecrm.textsafe import visible
from tiecrm.ui.format import literal


class QuickAddModal(ModalScreen[Interaction | None]):
    """Who (prefilled, changeable by fuzzy search) and one line: `45m coffee yesterday talked about her move`.

    | Key | Id | Action |
    | :- | :- | :- |
    | `enter` | | Save (in the note line); pick the top match (in the person box). |
    | `escape` | `quick_add.cancel` | Cancel. |
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="quick_add.cancel")]

    def __init__(self, person_id: int | None = None) -> None:
        super().__init__(id="quick-add-screen")
        self.person_id = person_id
        self._index: PeopleIndex | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-add"):
            yield Label("Log time with", classes="field-label")
            yield Input(placeholder="who? type to search", id="qa-person")
            yield OptionList(id="qa-matches")
            yield Label("What happened", classes="field-label")
            yield Input(placeholder="45m coffee yesterday talked about her move", id="qa-line")
            yield Static(id="qa-preview")
            yield Static("enter save · escape cancel · duration, kind and when are optional", id="qa-hint")

    def on_mount(self) -> None:
        matches = self.query_one("#qa-matches", OptionList)
        matches.display = False
        matches.can_focus = False  # driven from the person box with up/down; tab goes person -> line
        person_input = self.query_one("#qa-person", Input)
        if self.person_id is not None and (person := self.app.repo.get_summary(self.person_id)):
            with person_input.prevent(Input.Changed):
                person_input.value = visible(person.name)
            self.query_one("#qa-line", Input).focus()
        else:
            self.person_id = None
            person_input.focus()
        self._update_preview()

    # ------------------------------------------------------------ person search

    @on(Input.Changed, "#qa-person")
    def _person_typed(self, event: Input.Changed) -> None:
        if not self.query_one("#qa-person", Input).has_focus:
            return
        matches = self.query_one("#qa-matches", OptionList)
        query = event.value.strip()
        if not query:
            matches.display = False
            return
        if self._index is None:
            self._index = PeopleIndex(self.app.repo.search_rows())
        ids = self._index.search(query, limit=6)
        matches.clear_options()
        for person_id in ids:
            person = self.app.repo.get_summary(person_id)
            if person:
                label = literal(person.name)
                if person.org:
                    label.append_text(literal(f"  {person.org}", "dim"))
                matches.add_option(Option(label, id=str(person_id)))
        matches.display = bool(ids)
        if ids:
            matches.highlighted = 0
        self.person_id = ids[0] if ids else None
        self._update_preview()

    @on(Input.Submitted, "#qa-person")
    def _person_submitted(self) -> None:
        self._pick_highlighted()

    @on(OptionList.OptionSelected, "#qa-matches")
    def _person_clicked(self, event: OptionList.OptionSelected) -> None:
        self._pick(int(event.option.id))

    def _pick_highlighted(self) -> None:
        matches = self.query_one("#qa-matches", OptionList)
        if matches.display and matches.highlighted is not None:
            self._pick(int(matches.get_option_at_index(matches.highlighted).id))
        elif self.person_id is not None:
            self._pick(self.person_id)

    def _pick(self, person_id: int) -> None:
        person = self.app.repo.get_summary(person_id)
        if person is None:
            return
        self.person_id = person_id
        person_input = self.query_one("#qa-person", Input)
        with person_input.prevent(Input.Changed):
            person_input.value = visible(person.name)
        self.query_one("#qa-matches", OptionList).display = False
        self.query_one("#qa-line", Input).focus()
        self._update_preview()

    def on_key(self, event) -> None:
        # Up/down in the person box move through its matches.
        if self.focused is self.query_one("#qa-person", Input) and event.key in ("up", "down"):
            matches = self.query_one("#qa-matches", OptionList)
            if matches.display and matches.option_count:
                current = matches.highlighted or 0
                step = 1 if event.key == "down" else -1
                matches.highlighted = max(0, min(matches.option_count - 1, current + step))
                self.person_id = int(matches.get_option_at_index(matches.highlighted).id)
                self._update_preview()
                event.stop()

    # ------------------------------------------------------------ the line

    @on(Input.Changed, "#qa-line")
    def _line_changed(self) -> None:
        self._update_preview()

    @on(Input.Submitted, "#qa-line")
    def _save(self) -> None:
        entry = self._parse()
        if isinstance(entry, str):
            self.notify(entry, severity="error", markup=False)
            return
        if self.person_id is None:
            self.notify("Choose who this was with first.", severity="error")
            self.query_one("#qa-person", Input).focus()
            return
        if not entry.minutes and not entry.note:
            self.notify("Nothing to save: type a duration or a note.", severity="warning")
            return
        interaction = self.app.repo.log_interaction(
            self.person_id, entry.minutes or 0, kind=entry.kind, note=entry.note, at=entry.at
        )
        person = self.app.repo.get_summary(self.person_id)
        self.dismiss(interaction)
        self.app.data_changed(self.person_id)
        self.app.notify(f"Saved for {visible(person.name)}: {entry.describe()}", markup=False, timeout=4)

    def _parse(self):
        try:
            return parse_quick_line(self.query_one("#qa-line", Input).value, self.app.now(), tz=self.app.tz)
        except ValueError as e:
            return str(e)

    def _update_preview(self) -> None:
        preview = self.query_one("#qa-preview", Static)
        entry = self._parse()
        text = Text()
        if self.person_id is not None and (person := self.app.repo.get_summary(self.person_id)):
            text.append_text(literal(person.name, "bold"))
        else:
            text.append("nobody chosen", style="bold red")
        text.append("  ")
        if isinstance(entry, str):
            text.append(entry, style="red")
        else:
            text.append(entry.describe())
        preview.update(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
