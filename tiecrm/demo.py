"""Fill a store with the fictional sample address book: its vCards, buckets and a year of interactions."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from tiecrm.clock import utc_now
from tiecrm.domain import Bucket, CardDraft, CardProblem, ImportSummary
from tiecrm.store.repository import Repository
from tiecrm.vcard.reader import read_paths

HISTORY_FILE = "history.json"


def sample_data_dir() -> Path:
    """The sample address book: the repository's `sample_data/`, or its installed copy.

    Raises FileNotFoundError when neither is there.
    """
    folder = Path(__file__).resolve().parent.parent / "sample_data"
    if folder.is_dir():
        return folder
    installed = Path(__file__).resolve().parent / "sample_data"
    if installed.is_dir():
        return installed
    raise FileNotFoundError(f"the sample address book is missing: expected a folder at {folder}")


def _hour_offset(person_index: int, interaction_index: int) -> int:
    # Spread interactions over the day so timelines do not all show the same clock time, the same
    # way on every run.
    return (7 * person_index + 3 * interaction_index) % 11


def load_sample_data(
    repo: Repository, now: datetime | None = None, sample_dir: Path | None = None
) -> ImportSummary:
    """Import every `*.vcf` in `sample_dir` (default: sample_data_dir()), then apply its history.json.

    history.json holds `{"people": [{"name", "bucket", "interactions": [{"days_ago", "minutes", "kind",
    "note"}]}]}`; interaction times are counted back from `now` (naive UTC, default the current time),
    so the demo always looks current. People are found by their exact name.

    Raises FileNotFoundError when the folder or its vCard files are missing, and LookupError when
    history.json names someone the vCards did not create.
    """
    folder = sample_dir if sample_dir is not None else sample_data_dir()
    paths = sorted(folder.glob("*.vcf"))
    if not paths:
        raise FileNotFoundError(f"no .vcf files in {folder}")
    drafts: list[CardDraft] = []
    problems: list[CardProblem] = []
    for result in read_paths(paths):
        drafts.extend(result.drafts)
        problems.extend(result.problems)
    summary = repo.import_drafts(drafts, problems, source=str(folder))

    history_path = folder / HISTORY_FILE
    if history_path.is_file():
        history = json.loads(history_path.read_text(encoding="utf-8"))
        _apply_history(repo, history["people"], now if now is not None else utc_now())
    return summary


def _apply_history(repo: Repository, entries: list[dict], now: datetime) -> None:
    ids: dict[str, int] = {}
    for person in repo.list_people():
        ids.setdefault(person.name, person.id)  # list order is stable, so a repeated name maps the same way
    missing = [entry["name"] for entry in entries if entry["name"] not in ids]
    if missing:
        raise LookupError(
            f"{HISTORY_FILE} names people the sample vCards do not contain: {', '.join(missing)}")
    for person_index, entry in enumerate(entries):
        person_id = ids[entry["name"]]
        repo.move(person_id, Bucket(entry["bucket"]))
        for index, item in enumerate(entry.get("interactions", ())):
            at = now - timedelta(days=item["days_ago"], hours=_hour_offset(person_index, index))
            repo.log_interaction(person_id, int(item["minutes"]), item.get("kind", ""), item.get("note", ""),
                                 at=at)
