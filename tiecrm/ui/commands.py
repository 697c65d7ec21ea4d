"""The command palette: every action of the app, and "go to person" by fuzzy search."""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tiecrm.domain import Bucket
from tiecrm.textsafe import visible


class TieCommands(Provider):
    """Actions first; when the query looks like a name, the people it matches."""

    async def startup(self) -> None:
        from tiecrm.search import PeopleIndex

        rows = await asyncio.to_thread(self.app.repo.search_rows)
        self._index = PeopleIndex(rows)

    def _actions(self):
        app = self.app
        yield "Quick note", "Log time with the current person (n)", app.action_quick_add
        yield "Import contacts", "Import a .vcf file or a folder (i)", app.action_import_file
        yield "Board", "Sort people into buckets (b)", app.action_board
        yield "Merge duplicates", "Review possible duplicates (m)", app.action_merge
        yield "Due", "Who is going cold, and upcoming birthdays (c)", app.action_due
        yield "Returns", "Where your time goes, per bucket (r)", app.action_returns
        yield "Help", "Every key (?)", app.action_help
        yield "People: everyone", "Show everyone on the people screen", partial(self._show_bucket, None)
        for bucket in Bucket:
            yield f"People: {bucket.title}", f"Show only {bucket.title}", partial(self._show_bucket, bucket)
        yield "Quit", "Leave tiecrm (q)", app.action_quit

    def _show_bucket(self, bucket: Bucket | None) -> None:
        from tiecrm.ui.screens.people import PeopleScreen

        self.app.action_show_people()
        screen = self.app.screen
        if isinstance(screen, PeopleScreen):
            screen.show_bucket(bucket)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._actions():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
        for rank, person_id in enumerate(self._index.search(query, limit=8)):
            person = self.app.repo.get_summary(person_id)
            if person is None:
                continue
            label = Text("Go to person: ", style="dim")
            label.append(visible(person.name))
            yield Hit(
                0.9 - rank * 0.05,
                label,
                partial(self.app.action_open_person, person_id),
                text=f"Go to person: {visible(person.name)}",
                help=visible(person.org) if person.org else None,
            )
