"""The real-export corpus survives import, export as vCard 3.0 and 4.0, and import into a fresh database."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "vcards"

if not CORPUS.is_dir():
    pytest.skip("the real-export corpus (../shared/vcards) is not present", allow_module_level=True)

from tiecrm.domain import Birthday, Bucket  # noqa: E402
from tiecrm.store.repository import Repository  # noqa: E402
from tiecrm.vcard.reader import read_vcard_file  # noqa: E402
from tiecrm.vcard.write import write_cards  # noqa: E402

CORPUS_FILES = sorted(CORPUS.rglob("*.vcf"))
# People moved off Unsorted before export, so the export has to carry buckets for the test to pass.
MOVES = (Bucket.INNER, Bucket.NURTURE, Bucket.VANITY, Bucket.INNER, Bucket.NURTURE, Bucket.VANITY)


@dataclass(frozen=True)
class Kept:
    """What an export must keep about one person."""

    emails: frozenset[str]
    birthday: Birthday | None
    note: str
    org: str
    bucket: Bucket


def import_corpus(repo: Repository) -> int:
    """Import every corpus file into `repo`; returns how many people the imports added."""
    added = 0
    for path in CORPUS_FILES:
        result = read_vcard_file(path)
        added += repo.import_drafts(result.drafts, result.problems, source=str(path)).added
    return added


def people_by_key(repo: Repository) -> dict[tuple[str, tuple[str, ...]], Counter[Kept]]:
    """Everyone in `repo`, keyed by name and sorted phone values (a key may hold several people)."""
    people: dict[tuple[str, tuple[str, ...]], Counter[Kept]] = defaultdict(Counter)
    for summary in repo.list_people():
        detail = repo.get_person(summary.id)
        phones = tuple(sorted(p.value for p in detail.phones))
        people[(summary.name, phones)][Kept(
            emails=frozenset(e.value.lower() for e in detail.emails),
            birthday=summary.birthday,
            note=summary.note,
            org=summary.org,
            bucket=summary.bucket,
        )] += 1
    return dict(people)


@pytest.fixture(scope="module")
def corpus_repo(tmp_path_factory) -> Iterator[Repository]:
    """The whole corpus in one database, with a few people moved to other buckets."""
    repo = Repository(tmp_path_factory.mktemp("corpus") / "corpus.db")
    import_corpus(repo)
    people = sorted(repo.list_people(), key=lambda s: (s.name, s.id))
    # Spread the moves over the alphabet so they land on cards from different sources.
    step = max(1, len(people) // len(MOVES))
    for bucket, summary in zip(MOVES, people[::step]):
        repo.move(summary.id, bucket)
    yield repo
    repo.close()


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_export_and_reimport_keeps_everyone(corpus_repo: Repository, version: str, tmp_path) -> None:
    before = people_by_key(corpus_repo)
    moved = sum(n for kept in before.values() for k, n in kept.items() if k.bucket != Bucket.UNSORTED)
    assert moved >= len(MOVES) // 2, "the moves before export did not take"

    exported = corpus_repo.export_people()
    path = tmp_path / f"export-{version}.vcf"
    path.write_text(write_cards(exported, version), encoding="utf-8", newline="")
    result = read_vcard_file(path)
    assert not result.problems, [str(p) for p in result.problems]
    assert len(result.drafts) == len(exported)

    fresh = Repository(tmp_path / "fresh.db")
    try:
        fresh.import_drafts(result.drafts, result.problems, source=str(path))
        after = people_by_key(fresh)
    finally:
        fresh.close()

    assert after == before, describe_differences(before, after)


def describe_differences(
    before: dict[tuple[str, tuple[str, ...]], Counter[Kept]],
    after: dict[tuple[str, tuple[str, ...]], Counter[Kept]],
) -> str:
    """One paragraph per name-and-phones key whose people differ, so a failure says who changed."""
    lines = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key, Counter()), after.get(key, Counter())
        if was != now:
            lines.append(f"{key}:\n  before export: {dict(was)}\n  after re-import: {dict(now)}")
    return "\n".join(lines)


def test_importing_the_corpus_twice_adds_nobody(tmp_path) -> None:
    repo = Repository(tmp_path / "twice.db")
    try:
        first = import_corpus(repo)
        count = len(repo.list_people())
        assert first == count > 0
        assert import_corpus(repo) == 0
        assert len(repo.list_people()) == count
    finally:
        repo.close()
