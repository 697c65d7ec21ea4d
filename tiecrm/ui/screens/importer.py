"""Import inside the app: a path with completion, a worker with a progress bar, then a summary."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import Footer, Header, Input, Label, ProgressBar, Static

from tiecrm.importing import ImportReport, import_paths
from tiecrm.textsafe import visible


class PathSuggester(Suggester):
    """Completes the last part of a path from what is on disk (folders get a trailing slash)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        expanded = os.path.expanduser(value)
        folder, prefix = os.path.split(expanded)
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            return None
        for name in names:
            hidden = name.startswith(".") and not prefix.startswith(".")
            if name.startswith(prefix) and name != prefix and not hidden:
                suffix = "/" if os.path.isdir(os.path.join(folder, name)) else ""
                return value + name[len(prefix):] + suffix
        return None


class ImportScreen(Screen):
    """Import `.vcf` files or a folder of them, then show what was added and what was skipped.

    | Key | Id | Action |
    | :- | :- | :- |
    | `enter` | | Start the import (in the path box). |
    | `tab` / `right` | | Accept the path completion. |
    | `m` | `import.merge` | Review possible duplicates. |
    | `escape` | `import.close` | Back. |
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="import.close"),
        Binding("m", "merge", "Review duplicates", id="import.merge"),
    ]

    def __init__(self, initial_path: str = "") -> None:
        super().__init__(id="import-screen")
        self.initial_path = initial_path
        self.report: ImportReport | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="import-body"):
            yield Label("Import a .vcf file, or a folder of them", classes="field-label")
            yield Input(value=self.initial_path, placeholder="~/Downloads/contacts.vcf",
                        suggester=PathSuggester(), id="import-path")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static(id="import-status")
            with VerticalScroll(id="import-summary"):
                yield Static(id="import-report")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#import-path", Input).focus()

    def on_key(self, event) -> None:
        path_input = self.query_one("#import-path", Input)
        if event.key == "tab" and path_input.has_focus and path_input._suggestion:
            path_input.value = path_input._suggestion
            path_input.cursor_position = len(path_input.value)
            event.stop()
            event.prevent_default()

    @on(Input.Submitted, "#import-path")
    def _start(self, event: Input.Submitted) -> None:
        path = os.path.expanduser(event.value.strip())
        if not path:
            self.notify("Type the path of a .vcf file or a folder.", severity="warning")
            return
        self.query_one("#import-status", Static).update(Text(f"Importing {visible(path)}…"))
        self.query_one("#import-report", Static).update("")
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.run_import(path)

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, path: str) -> None:
        from tiecrm.vcard.reader import UnreadablePathError

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "store":
                self.app.call_from_thread(self._progress, done, total)

        try:
            report = import_paths(self.app.repo, [Path(path)], progress=progress)
        except UnreadablePathError as e:
            self.app.call_from_thread(self._failed, str(e))
            return
        self.app.call_from_thread(self._finished, report)

    def _progress(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def _failed(self, message: str) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#import-status", Static).update(Text(visible(message), style="bold red"))

    def _finished(self, report: ImportReport) -> None:
        self.report = report
        bar = self.query_one(ProgressBar)
        bar.update(total=max(report.cards, 1), progress=max(report.cards, 1))
        s = report.summary
        status = Text()
        status.append(f"{report.files} file(s), {report.cards} card(s): ", style="bold")
        status.append(f"{s.added} added, {s.updated} updated, {s.unchanged} unchanged, ")
        status.append(f"{s.skipped} skipped", style="bold red" if s.skipped else "")
        status.append(", ")
        status.append(f"{s.possible_duplicates} possible duplicates", style="bold yellow" if s.possible_duplicates else "")
        self.query_one("#import-status", Static).update(status)
        self.query_one("#import-report", Static).update(self._report_text(report))
        # Leave the path box so the summary's keys (m, escape) work at once; the list scrolls with arrows.
        self.query_one("#import-summary").focus()
        self.app.data_changed()

    def _report_text(self, report: ImportReport) -> Text:
        text = Text()
        if report.problems:
            text.append("Skipped cards\n", style="bold")
            for problem in report.problems:
                text.append(f"  {visible(str(problem))}\n")
        if report.warnings:
            text.append("\nImported with warnings\n", style="bold")
            for warning in report.warnings:
                text.append(f"  {visible(str(warning))}\n", style="dim")
        if report.summary.possible_duplicates:
            text.append(f"\n{report.summary.possible_duplicates} possible duplicate(s): press m to review them.\n",
                        style="yellow")
        if not text.plain:
            text.append("Every card imported cleanly.")
        return text

    def action_merge(self) -> None:
        self.app.action_merge()

    def action_close(self) -> None:
        self.app.pop_screen()
