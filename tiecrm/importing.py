"""Import vCard files into the store: the one function the shell command and the app both call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tiecrm.domain import CardDraft, CardProblem, ImportSummary
from tiecrm.store.repository import Repository
from tiecrm.vcard.reader import collect_vcf_files, read_vcard_file


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


def read_files(paths: Sequence[str | Path], progress: Progress | None = None) -> tuple[list[CardDraft], list[CardProblem], int]:
    """Read every vCard file under `paths`. Raises UnreadablePathError if a path cannot be read at all."""
    files = collect_vcf_files(paths)
    drafts: list[CardDraft] = []
    problems: list[CardProblem] = []
    for n, path in enumerate(files, 1):
        result = read_vcard_file(path)
        drafts.extend(result.drafts)
        problems.extend(result.problems)
        if progress:
            progress("read", n, len(files))
    return drafts, problems, len(files)


def import_paths(repo: Repository, paths: Sequence[str | Path], progress: Progress | None = None) -> ImportReport:
    """Read `paths` (files or vdir folders) and import every card in one transaction."""
    drafts, problems, n_files = read_files(paths, progress)
    warnings = [_warning(d, w) for d in drafts for w in d.warnings]
    total = len(drafts)
    store_progress = (lambda done: progress("store", done, total)) if progress else None
    summary = repo.import_drafts(drafts, problems, source=", ".join(str(p) for p in paths), progress=store_progress)
    if progress:
        progress("store", total, total)
    return ImportReport(summary=summary, files=n_files, cards=total, problems=problems, warnings=warnings)


def _warning(draft: CardDraft, warning: str) -> CardProblem:
    line, _, reason = warning.partition(": ")
    try:
        return CardProblem(draft.source, int(line), reason)
    except ValueError:
        return CardProblem(draft.source, draft.line, warning)
