"""Cards read in a second process import exactly as cards read in this one: same people, problems, warnings."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.bench.gen_phone_export import generate_phone_export
from tiecrm import importing
from tiecrm.importing import import_paths
from tiecrm.store.card_feed import CardFeed
from tiecrm.store.prepared import pairing_tokens, prepare_card
from tiecrm.store.repository import Repository
from tiecrm.vcard.reader import UnreadablePathError, collect_vcf_files, read_vcard_file

NEVER = 10**9  # a pipeline threshold no import reaches


def _contents(db: Path) -> dict[str, list]:
    """Everything an import writes, without the UIDs generated at random for cards that had none."""
    conn = sqlite3.connect(db)
    try:
        generated = {uid for (uid,) in conn.execute("SELECT uid FROM person WHERE uid NOT IN "
                                                    "(SELECT uid FROM card WHERE raw LIKE '%UID:' || uid || '%')")}
        return {
            "person": conn.execute("SELECT id, name, org, title, birthday, note, photo, photo_type, bucket, "
                                   "position FROM person ORDER BY id").fetchall(),
            "uid": [None if uid in generated else uid for (uid,) in conn.execute("SELECT uid FROM person ORDER BY id")],
            "phone": conn.execute("SELECT person_id, value, label, key FROM phone ORDER BY id").fetchall(),
            "email": conn.execute("SELECT person_id, value, label, key FROM email ORDER BY id").fetchall(),
            "address": conn.execute("SELECT person_id, value, label FROM address ORDER BY id").fetchall(),
            "card": conn.execute("SELECT id, person_id, raw, source, line, hash FROM card ORDER BY id").fetchall(),
            "duplicates": conn.execute("SELECT a, b, reason, score FROM duplicate_candidate ORDER BY a, b").fetchall(),
        }
    finally:
        conn.close()


def _import(db: Path, paths: list[Path], pipeline_min_cards: int, fixed_now) -> tuple:
    repo = Repository(db, now=lambda: fixed_now)
    try:
        report = import_paths(repo, paths, pipeline_min_cards=pipeline_min_cards)
    finally:
        repo.close()
    return (report.summary, report.files, report.cards, [str(p) for p in report.problems],
            [str(w) for w in report.warnings])


def test_the_corpus_imports_the_same_read_here_or_in_a_second_process(corpus: Path, tmp_path: Path,
                                                                     fixed_now) -> None:
    here = _import(tmp_path / "here.db", [corpus], NEVER, fixed_now)
    there = _import(tmp_path / "there.db", [corpus], 0, fixed_now)
    assert there == here
    assert here[3] and here[4], "the corpus has problems and warnings to compare"
    assert _contents(tmp_path / "there.db") == _contents(tmp_path / "here.db")


def test_a_generated_export_imports_the_same_both_ways_and_again_unchanged(tmp_path: Path, fixed_now) -> None:
    export = tmp_path / "phone.vcf"
    export.write_bytes(generate_phone_export(1200, seed=3))
    here = _import(tmp_path / "here.db", [export], NEVER, fixed_now)
    there = _import(tmp_path / "there.db", [export], 0, fixed_now)
    assert there == here and here[0].added == 1200
    assert _contents(tmp_path / "there.db") == _contents(tmp_path / "here.db")
    again = _import(tmp_path / "there.db", [export], 0, fixed_now)
    assert (again[0].added, again[0].unchanged) == (0, 1200)


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "new-program"])
def test_the_feed_yields_each_card_prepared_as_this_process_would(corpus: Path, fork: bool) -> None:
    files = collect_vcf_files([corpus])
    expected = [prepare_card(draft) for path in files for draft in read_vcard_file(path).drafts]
    with CardFeed(files, fork=fork) as feed:
        assert feed.forked == fork
        got = list(feed)
    # A card without a UID brings a random one for the person it may create; the rest is the same.
    assert all((card.spare_uid is None) == (card.uid is not None) for card in got)
    assert [card._replace(spare_uid=None) for card in got] == [card._replace(spare_uid=None) for card in expected]
    assert feed.count == len(expected)
    assert feed.problems == [problem for path in files for problem in read_vcard_file(path).problems]


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "new-program"])
def test_a_file_gone_before_the_second_process_reads_it_stops_the_import(tmp_path: Path, fork: bool) -> None:
    present = tmp_path / "a.vcf"
    present.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Asha Rao\nEND:VCARD\n")
    with CardFeed([present, tmp_path / "gone.vcf"], fork=fork) as feed:
        cards = iter(feed)
        assert next(cards).name == "Asha Rao"
        with pytest.raises(UnreadablePathError, match="gone.vcf"):
            next(cards)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to look for the reading process")
def test_an_unreadable_path_counted_after_the_second_process_started_stops_the_import(
        tmp_path: Path, fixed_now) -> None:
    # The second process starts once the first file holds enough cards, before the next is counted; the
    # next one goes between being listed and being counted.
    export, gone = tmp_path / "a.vcf", tmp_path / "b.vcf"
    export.write_bytes(generate_phone_export(300, seed=4))
    gone.write_bytes(export.read_bytes())
    repo = Repository(tmp_path / "t.db", now=lambda: fixed_now)
    started = []
    real_init, real_count = CardFeed.__init__, importing.count_cards

    def init(feed, *args, **kwargs):
        real_init(feed, *args, **kwargs)
        started.append(feed)

    def count(path, enough=None):
        if path == gone and enough is None:
            gone.unlink()
        return real_count(path, enough)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CardFeed, "__init__", init)
        patch.setattr(importing, "count_cards", count)
        with pytest.raises(UnreadablePathError, match="b.vcf"):
            import_paths(repo, [export, gone], pipeline_min_cards=100)
    assert len(started) == 1 and started[0].returncode is not None  # stopped and waited for
    assert repo.count_people() == 0
    assert repo.db.execute_sql("SELECT COUNT(*) FROM import_batch").fetchone()[0] == 0
    repo.close()


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "new-program"])
def test_leaving_the_feed_early_stops_the_second_process(tmp_path: Path, fork: bool) -> None:
    export = tmp_path / "phone.vcf"
    export.write_bytes(generate_phone_export(3000, seed=5))
    feed = CardFeed([export], fork=fork)
    with feed:
        assert next(iter(feed)).raw.startswith("BEGIN:VCARD")
        pid = feed._pid
    assert feed.returncode is not None
    assert not Path(f"/proc/{pid}").exists(), "the reading process was not stopped and waited for"


KILLED_IMPORT = """
import os, signal, sys
from tiecrm.importing import import_paths
from tiecrm.store import card_feed
from tiecrm.store.repository import Repository

card_feed.fork_is_safe = lambda: sys.argv[4] == "forked"

def progress(stage, done, total):
    if stage == "store" and done >= 1000 and sys.argv[3] == "kill":
        with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as children:
            print(children.read().strip(), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

report = import_paths(Repository(sys.argv[1]), [sys.argv[2]], progress, pipeline_min_cards=0)
print(report.summary.line())
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to find the reading process")
@pytest.mark.parametrize("start", ["forked", "new-program"])
def test_an_import_killed_half_way_leaves_the_database_as_it_was_and_its_reader_ends(tmp_path: Path,
                                                                                     start: str) -> None:
    export, db = tmp_path / "phone.vcf", tmp_path / "crm.db"
    export.write_bytes(generate_phone_export(3000, seed=9))
    Repository(db).close()

    def run(mode: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", KILLED_IMPORT, str(db), str(export), mode, start],
                              capture_output=True, text=True, timeout=120, check=False, cwd=Path(__file__).resolve().parents[1])

    killed = run("kill")
    assert killed.returncode == -9, killed.stderr
    reader = int(killed.stdout.split()[0])
    deadline = time.monotonic() + 10
    while Path(f"/proc/{reader}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    state = Path(f"/proc/{reader}/stat").read_text().split()[2] if Path(f"/proc/{reader}").exists() else "gone"
    assert state in ("gone", "Z"), "the reading process outlived the import"
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM person").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM import_batch").fetchone()[0] == 0
    conn.close()
    finished = run("finish")
    assert finished.returncode == 0, finished.stderr
    assert "added 3000" in finished.stdout


def test_a_large_import_reads_in_a_second_process_and_a_small_one_here(tmp_path: Path, fixed_now,
                                                                         monkeypatch) -> None:
    from tiecrm import importing

    started: list[int] = []

    class CountedFeed(CardFeed):
        def __init__(self, files) -> None:
            super().__init__(files)
            started.append(len(files))

    monkeypatch.setattr(importing, "CardFeed", CountedFeed)
    monkeypatch.setattr(importing, "second_core_available", lambda: True)
    small, large = tmp_path / "small.vcf", tmp_path / "large.vcf"
    small.write_bytes(generate_phone_export(20, seed=1))
    large.write_bytes(generate_phone_export(importing.PIPELINE_MIN_CARDS, seed=2))
    assert _import(tmp_path / "small.db", [small], importing.PIPELINE_MIN_CARDS, fixed_now)[0].added == 20
    assert started == []
    summary = _import(tmp_path / "large.db", [large], importing.PIPELINE_MIN_CARDS, fixed_now)[0]
    assert summary.added == importing.PIPELINE_MIN_CARDS and started == [1]


def test_without_a_second_process_the_cards_are_read_here(tmp_path: Path, fixed_now, monkeypatch) -> None:
    from tiecrm.store import card_feed

    def refuse(*args, **kwargs):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(card_feed.subprocess, "Popen", refuse)
    monkeypatch.setattr(card_feed.os, "fork", refuse)
    export = tmp_path / "phone.vcf"
    export.write_bytes(generate_phone_export(300, seed=4))
    summary, files, cards, problems, _warnings = _import(tmp_path / "crm.db", [export], 0, fixed_now)
    assert (summary.added, files, cards, problems) == (300, 1, 300, [])


def test_the_reading_process_is_forked_only_while_no_other_thread_runs() -> None:
    from tiecrm.forked import fork_is_safe

    assert fork_is_safe() == (sys.platform == "linux" and threading.active_count() == 1)
    seen: list[bool] = []
    worker = threading.Thread(target=lambda: seen.append(fork_is_safe()))
    worker.start()
    worker.join()
    assert seen == [False]  # as when the app imports from a worker thread


def test_a_reader_ahead_of_a_slow_importer_hashes_cards_itself_and_they_arrive_the_same(tmp_path: Path) -> None:
    export = tmp_path / "phone.vcf"
    export.write_bytes(generate_phone_export(2500, seed=9))
    expected = [prepare_card(draft) for draft in read_vcard_file(export).drafts]
    got = []
    with CardFeed([export], fork=True) as feed:
        for card in feed:
            got.append(card)
            if len(got) % 250 == 0:
                time.sleep(0.05)  # an importer slower than the reader: batches wait in the pipe
    assert feed.hashed_there > 0, "the reading process never saw the importer behind"
    assert feed.hashed_there < len(expected), "the first batches are always hashed here"
    assert all((card.spare_uid is None) == (card.uid is not None) for card in got)
    # Cards the reading process hashed also bring their name's tokens; the rest leave them to the importer.
    with_tokens = [card for card in got if card.name_tokens is not None]
    assert len(with_tokens) == feed.hashed_there
    assert all(card.name_tokens == pairing_tokens(card.name) for card in with_tokens)
    assert any(card.name_tokens for card in with_tokens)
    assert ([card._replace(spare_uid=None, name_tokens=None) for card in got]
            == [card._replace(spare_uid=None) for card in expected])
    assert len({card.spare_uid for card in got if card.spare_uid}) == sum(1 for card in got if card.spare_uid)


def test_a_reader_started_as_a_new_program_leaves_every_hash_to_the_importer(tmp_path: Path) -> None:
    export = tmp_path / "phone.vcf"
    export.write_bytes(generate_phone_export(1500, seed=9))
    got = []
    with CardFeed([export], fork=False) as feed:
        for card in feed:
            got.append(card)
            if len(got) % 250 == 0:
                time.sleep(0.05)
    assert feed.hashed_there == 0, "a new program shares no memory to see the importer behind by"
    assert len(got) == 1500 and all(card.digest for card in got)
