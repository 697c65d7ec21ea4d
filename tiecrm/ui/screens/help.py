"""The help screen: every key that works here, with its binding id for the keymap file."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tiecrm.config import keymap_path

NAVIGATION = [
    ("↑ ↓ / j k", "move in a list"),
    ("g / G", "first / last"),
    ("enter", "open (in a list); go to the list (in the search box)"),
    ("escape", "back, or clear the search"),
    ("ctrl+p", "command palette: every action, and go to person"),
]


class HelpScreen(ModalScreen[None]):
    """Lists the active bindings of the screen underneath, as the keymap has them now."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def __init__(self, underneath) -> None:
        super().__init__()
        self.underneath = underneath

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(self._help_text(), id="help-text")

    def _help_text(self) -> Text:
        underneath = self.underneath
        text = Text()
        text.append("Keys here\n\n", style="bold")
        # Group the active bindings by id, so `j` and `down` show on one line; bindings without an id
        # are Textual's own (scrolling, focus) and stay out of the way.
        grouped: dict[str, tuple[list[str], str]] = {}
        for active in underneath.active_bindings.values():
            binding = active.binding
            if not binding.id or not binding.description:
                continue
            keys, _ = grouped.setdefault(binding.id, ([], binding.description))
            shown = self.app.get_key_display(binding)
            if shown not in keys:
                keys.append(shown)
        for binding_id, (keys, description) in grouped.items():
            text.append(f"  {' '.join(keys):<12}", style="bold cyan")
            text.append(f"{description:<26}")
            text.append(binding_id, style="dim")
            text.append("\n")
        text.append("\nEverywhere\n\n", style="bold")
        for key, what in NAVIGATION:
            text.append(f"  {key:<12}", style="bold cyan")
            text.append(f"{what}\n")
        text.append(f"\nRemap keys in {keymap_path()}:\n", style="dim")
        text.append('  [keymap]\n  "app.quick_add" = "a"\n', style="dim")
        text.append("\nescape closes this help", style="dim")
        return text
