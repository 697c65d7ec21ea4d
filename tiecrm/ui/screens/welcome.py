"""The first-run welcome: how to export contacts from a phone, and one key to import or load the demo."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown

WELCOME = """\
# Welcome to tiecrm

A tie is as strong as the time you put into it. Start by bringing in your contacts.

**From an iPhone:** open *Contacts* on icloud.com (or the Contacts app on a Mac), select all,
then *Export vCard…*. On the phone itself: *Contacts* → *Lists* → long-press *All Contacts* → *Export*.

**From Android:** *Contacts* → *Fix & manage* (or *Settings*) → *Export to file* → a `.vcf` file.

**From Google Contacts:** contacts.google.com → *Export* → *vCard (for iOS Contacts)*.

Copy the `.vcf` file to this machine, then press **i** to import it.
Or press **d** to explore with the demo address book.
"""


class WelcomeScreen(Screen):
    """Shown when the database is empty.

    | Key | Id | Action |
    | :- | :- | :- |
    | `i` | `welcome.import` | Import a vCard file. |
    | `d` | `welcome.demo` | Load the demo address book into this database. |
    """

    BINDINGS = [
        Binding("i", "import_file", "Import a .vcf", id="welcome.import"),
        Binding("d", "load_demo", "Load demo data", id="welcome.demo"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="welcome"):
            with Center():
                yield Markdown(WELCOME, id="welcome-text")
        yield Footer()

    def action_import_file(self) -> None:
        from tiecrm.ui.screens.importer import ImportScreen

        self.app.switch_screen(ImportScreen())

    def action_load_demo(self) -> None:
        self.notify("Loading the demo address book…")
        self._load_demo()

    @work(thread=True, exclusive=True)
    def _load_demo(self) -> None:
        from tiecrm.demo import load_sample_data

        summary = load_sample_data(self.app.repo, now=self.app.now())
        self.app.call_from_thread(self._loaded, summary.added)

    def _loaded(self, added: int) -> None:
        self.app.pop_screen()
        self.app.data_changed()
        self.notify(f"Loaded {added} people from the demo address book.")

    def refresh_data(self, person_id: int | None = None) -> None:
        if self.app.repo.count_people() and self.app.screen is self:
            self.app.pop_screen()
