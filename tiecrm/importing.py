"""Import vCard files into the store: the one function the shell command and the app both call."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tiecrm.collector import collections_paused
from tiecrm.domain import CardDraft, CardProblem, ImportSummary
from tiecrm.store.card_feed import CardFeed, second_core_available, warning_problem
from tiecrm.store.repository import Repository
from tiecrm.vcard.reader import collect_vcf_files, count_cards, stream_vcard_file

# From about this many cards on, reading them in a second process (while this one matches and writes)
# repays starting that process.
PIPELINE_MIN_CARDS = 2000


@dataclass
class ImportReport:
    """What an import did: the store's summary plus every problem and warning, as `FILE:LINE: reason`."""

    summary: ImportSummary
    files: int = 0
    cards: int = 0
    problems: list[CardProblem] = field(default_factory=list)
    warnings: list[CardProblem] = field(default_factory=list)


Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): stage is "read" (files) or "store" (cards)."""


class _Cards:
    """The drafts of every file, read in this process one card at a time while the store takes them, so a
    flush's worth of drafts is alive at once rather than the whole import. Problems and warnings fill in
    as it goes."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self.count = 0
        self.problems: list[CardProblem] = []
        self.warnings: list[CardProblem] = []
        self.expected = 0

    def __length_hint__(self) -> int:
        return self.expected

    def __iter__(self) -> Iterator[CardDraft]:
        for path in self.files:
            stream = stream_vcard_file(path)
            for draft in stream.drafts:
                self.count += 1
                if draft.warnings:
                    self.warnings.extend(warning_problem(draft.source, draft.line, w) for w in draft.warnings)
                yield draft
            self.problems.extend(stream.problems)


def import_paths(
    repo: Repository,
    paths: Sequence[str | Path],
    progress: Progress | None = None,
    pipeline_min_cards: int = PIPELINE_MIN_CARDS,
) -> ImportReport:
    """Read `paths` (files or vdir folders) and import every card in one transaction.

    Every file is read once up front to count its cards (so the progress bar has a total, and an
    unreadable file stops the import before anything is written); then cards are read and stored as
    they come. From `pipeline_min_cards` cards on, and when a second CPU is there, a second process
    reads and prepares the cards while this one matches and writes them: the same cards, problems and
    warnings, in the same order. It starts as soon as that many cards are counted, so it is reading
    while this process counts the rest.
    """
    files = collect_vcf_files(paths)
    # Whether a second process reads the cards is known once that many are counted; it then starts reading
    # while this one counts them all (a 25 MB file's count is 30-40 ms it would otherwise wait first).
    cards = _open_cards(files, _at_least(files, pipeline_min_cards))
    try:
        expected = 0
        for n, path in enumerate(files, 1):
            expected += count_cards(path)
            if progress:
                progress("read", n, len(files))
        cards.expected = expected  # how many cards are coming, for the store's similar-names pass
        store_progress = (lambda done: progress("store", done, max(expected, done))) if progress else None
        # Reading and matching make many small objects and no reference cycles: a collection midway only
        # costs time.
        with collections_paused():
            summary = repo.import_drafts(cards, cards.problems, source=", ".join(str(p) for p in paths),
                                         progress=store_progress)
    finally:
        if isinstance(cards, CardFeed):
            cards.close()
    if progress:
        progress("store", cards.count, cards.count)
    return ImportReport(summary=summary, files=len(files), cards=cards.count, problems=cards.problems,
                        warnings=cards.warnings)


def _at_least(files: list[Path], cards: int) -> bool:
    """Whether `files` hold at least `cards` cards, reading no further than it takes to know."""
    counted = 0
    for path in files:
        if counted >= cards:
            break
        counted += count_cards(path, enough=cards - counted)
    return counted >= cards


def _open_cards(files: list[Path], large: bool) -> _Cards | CardFeed:
    """A CardFeed for a large import when a second CPU is there, else the cards read in this process."""
    if large and sys.executable and second_core_available():
        try:
            return CardFeed(files)
        except OSError:
            pass  # no second process to be had (a locked-down or embedded Python): read here
    return _Cards(files)
