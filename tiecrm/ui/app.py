"""The Textual application: owns the repository, the clock and the screens; keeps itself short."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo

from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from tiecrm.clock import local_date, utc_now
from tiecrm.collector import CollectorHold, keep_out_of_collections
from tiecrm.config import keymap_path, load_settings
from tiecrm.ui.keymap import load_keymap

if TYPE_CHECKING:
    from textual.command import Provider

    from tiecrm.config import Settings
    from tiecrm.store.repository import Repository


def _tie_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens rather than at start-up (as
    Textual does with its own system commands)."""
    from tiecrm.ui.commands import TieCommands

    return TieCommands


class TieCrmApp(App[None]):
    """tiecrm's full-screen app.

    | Key | Id | Action |
    | :- | :- | :- |
    | `n` | `app.quick_add` | Quick-add a note for the current person. |
    | `i` | `app.import` | Import a vCard file. |
    | `b` | `app.board` | The bucket board. |
    | `m` | `app.merge` | Merge possible duplicates. |
    | `c` | `app.due` | Who is going cold, and birthdays coming up. |
    | `r` | `app.returns` | Returns on your time per bucket. |
    | `?` | `app.help` | Help: every key. |
    | `q` | `app.quit` | Quit. |
    | `ctrl+p` | | Command palette. |
    """

    CSS_PATH = "tiecrm.tcss"
    TITLE = "tiecrm"
    COMMANDS = App.COMMANDS | {_tie_commands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("n", "quick_add", "Note", id="app.quick_add"),
        Binding("i", "import_file", "Import", id="app.import"),
        Binding("b", "board", "Board", id="app.board"),
        Binding("m", "merge", "Merge", id="app.merge", show=False),
        Binding("c", "due", "Due", id="app.due"),
        Binding("r", "returns", "Returns", id="app.returns"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    def __init__(
        self,
        repo: Repository,
        *,
        now: Callable[[], datetime] = utc_now,
        tz: tzinfo | None = None,
        settings: Settings | None = None,
        keymap_file=None,
        title_suffix: str = "",
        collector_hold: CollectorHold | None = None,
    ) -> None:
        """`collector_hold`, when given, is released once the first screen's first frame is drawn."""
        super().__init__()
        self.repo = repo
        self.now = now
        self.tz = tz
        self._settings = settings
        self._keymap_file = keymap_file or keymap_path()
        if title_suffix:
            self.title = f"tiecrm · {title_suffix}"
        self._collector_hold = collector_hold
        self.first_frame_done = False
        """True once the first frame is on the terminal."""

    @property
    def settings(self) -> Settings:
        """The settings given, else the config file's, read on first use: the first frame needs none of
        them, and a cadence loads the domain's details."""
        if self._settings is None:
            self._settings = load_settings()
        return self._settings

    def get_default_screen(self):
        from tiecrm.ui.screens.people import PeopleScreen

        return PeopleScreen()

    def today(self) -> date:
        return local_date(self.now(), self.tz)

    def on_mount(self) -> None:
        keymap, problems = load_keymap(self._keymap_file)
        if keymap:
            self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, title="Settings", severity="warning", markup=False)
        if not self.repo.has_people():
            # Imported only when needed: its Markdown widget costs a tenth of a second at start-up.
            from tiecrm.ui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())
            self.call_after_refresh(self.call_after_refresh, self._after_first_frame)
        else:
            # After the people are on screen: counting who is going cold loads the time-invested
            # aggregates and reads every interaction, which the first frame need not wait for. Queued
            # from the first refresh's callbacks, so it also comes after the screen's own ones.
            self.call_after_refresh(self.call_after_refresh, self._after_first_frame, announce=True)

    def on_ready(self) -> None:
        # Textual posts Ready right after the first frame is written. Every screen made for it is told,
        # the people screen under the welcome screen too.
        self.first_frame_done = True
        for screen in self.screen_stack:
            first_frame_drawn = getattr(screen, "first_frame_drawn", None)
            if first_frame_drawn is not None:
                first_frame_drawn()

    def _after_first_frame(self, announce: bool = False) -> None:
        if self._collector_hold is not None:
            # Everything made to start (modules, classes, styles, the first screen) lives as long as the
            # app: out of the full walks, so that turning the collector back on starts no pass over it.
            keep_out_of_collections()
            self._collector_hold.release()
            self._collector_hold = None
        # The settings file is read once the first frame is up; what is wrong with it is said then.
        for problem in self.settings.problems:
            self.notify(problem, title="Settings", severity="warning", markup=False)
        if announce:
            self._announce_going_cold()

    def _announce_going_cold(self) -> None:
        s = self.settings
        count = self.repo.count_going_cold(s.cadence, s.warmth_floor, s.half_life_days, self.now(), self.tz)
        if count:
            people = "person is" if count == 1 else "people are"
            self.notify(f"{count:,} {people} going cold. Press c to see who.", title="Due", timeout=8)

    # ------------------------------------------------------------ data changed

    def data_changed(self, person_id: int | None = None) -> None:
        """Tell every screen that the store changed, so lists and pages update at once."""
        for screen in self.screen_stack:
            refresh = getattr(screen, "refresh_data", None)
            if refresh is not None:
                refresh(person_id)

    def current_person_id(self) -> int | None:
        """The person the user is looking at on the topmost screen that has one."""
        for screen in reversed(self.screen_stack):
            getter = getattr(screen, "current_person_id", None)
            if getter is not None:
                person_id = getter()
                if person_id is not None:
                    return person_id
        return None

    # ------------------------------------------------------------ actions

    def action_quick_add(self, person_id: int | None = None) -> None:
        from tiecrm.ui.screens.quick_add import QuickAddModal

        if isinstance(self.screen, QuickAddModal):
            return
        self.push_screen(QuickAddModal(person_id if person_id is not None else self.current_person_id()))

    def action_import_file(self) -> None:
        from tiecrm.ui.screens.importer import ImportScreen

        self._bring_up(ImportScreen)

    def action_board(self) -> None:
        from tiecrm.ui.screens.board import BoardScreen

        self._bring_up(BoardScreen)

    def action_merge(self) -> None:
        from tiecrm.ui.screens.merge import MergeScreen

        self._bring_up(MergeScreen)

    def action_due(self) -> None:
        from tiecrm.ui.screens.due import DueScreen

        self._bring_up(DueScreen)

    def action_returns(self) -> None:
        from tiecrm.ui.screens.returns import ReturnsScreen

        self._bring_up(ReturnsScreen)

    def _bring_up(self, screen_type: type) -> None:
        """Show the one screen of `screen_type` (a view with an id of its own, opened at most once): the one
        already open, with whatever was opened over it closed, or else a new one. (The board opened again
        from the due view, over the board, would have been a second screen with the same id.)"""
        if not any(isinstance(screen, screen_type) for screen in self.screen_stack):
            self.push_screen(screen_type())
            return
        while not isinstance(self.screen, screen_type):
            self.pop_screen()

    def action_help(self) -> None:
        from tiecrm.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_open_person(self, person_id: int) -> None:
        from tiecrm.ui.screens.person import PersonScreen

        self.push_screen(PersonScreen(person_id))

    def action_show_people(self) -> None:
        from tiecrm.ui.screens.people import PeopleScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, PeopleScreen):
            self.pop_screen()
