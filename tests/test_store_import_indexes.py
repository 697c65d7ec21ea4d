"""A large batch into a small store drops its random-order indexes and builds them again before it commits:
the schema comes back whole, and a failed batch gets them back with everything else."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.bench.gen_phone_export import generate_phone_export
from tiecrm.store import importer
from tiecrm.store.repository import Repository
from tiecrm.vcard.reader import read_vcard_bytes


def _schema(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()


def _indexes_used(db: Path) -> list[str]:
    """The query plans of lookups the rest of tiecrm makes through the rebuilt indexes."""
    conn = sqlite3.connect(db)
    try:
        plans = []
        for sql, args in (("SELECT id FROM card WHERE hash = ?", ("x",)), ("SELECT id FROM card WHERE uid = ?", ("x",)),
                          ("SELECT person_id FROM phone WHERE key = ?", ("x",)),
                          ("SELECT person_id FROM email WHERE key = ?", ("x",)),
                          ("SELECT id FROM person WHERE uid = ?", ("x",))):
            plans.append(" ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", args)))
        return plans
    finally:
        conn.close()


def test_a_first_import_leaves_the_schema_and_its_indexes_as_they_were(tmp_path: Path, fixed_now) -> None:
    db = tmp_path / "crm.db"
    Repository(db).close()
    before = _schema(db)
    assert {name for _, name, _ in before} >= set(importer.REBUILT_INDEXES)
    drafts = read_vcard_bytes(generate_phone_export(1500, seed=12)).drafts
    dropped: list[str] = []
    set_aside = importer.BatchImport._set_aside_indexes

    def watched(batch) -> None:
        set_aside(batch)
        dropped.extend(batch._set_aside)

    repo = Repository(db, now=lambda: fixed_now)
    try:
        importer.BatchImport._set_aside_indexes = watched
        assert repo.import_drafts(drafts).added == 1500
    finally:
        importer.BatchImport._set_aside_indexes = set_aside
        repo.close()
    assert len(dropped) == len(importer.REBUILT_INDEXES), "the batch set its indexes aside"
    assert _schema(db) == before
    assert all("USING INDEX" in plan or "USING COVERING INDEX" in plan for plan in _indexes_used(db))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_a_batch_that_fails_half_way_gets_its_indexes_back(tmp_path: Path, fixed_now) -> None:
    db = tmp_path / "crm.db"
    Repository(db).close()
    before = _schema(db)
    drafts = read_vcard_bytes(generate_phone_export(1500, seed=13)).drafts

    class Breaks:
        def __length_hint__(self) -> int:
            return len(drafts)

        def __iter__(self):
            for n, draft in enumerate(drafts):
                if n == 1200:
                    raise OSError("the disk went away")
                yield draft

    repo = Repository(db, now=lambda: fixed_now)
    try:
        with pytest.raises(OSError, match="disk went away"):
            repo.import_drafts(Breaks())
    finally:
        repo.close()
    assert _schema(db) == before
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM person").fetchone() == (0,)
    conn.close()


@pytest.mark.parametrize(("stored", "batch", "enlarged"), [(0, 1500, False), (1500, 1000, True)])
def test_the_page_cache_is_enlarged_only_while_a_batch_writes_into_kept_indexes(
        tmp_path: Path, fixed_now, stored: int, batch: int, enlarged: bool) -> None:
    """A batch into a larger store keeps its indexes and gets IMPORT_CACHE_KIB of page cache while it
    writes; a batch that sets them aside keeps the connection's cache (a larger one would only be memory).
    Either way the connection's own size is back afterwards."""
    db = tmp_path / "crm.db"
    repo = Repository(db, now=lambda: fixed_now)
    if stored:
        repo.import_drafts(read_vcard_bytes(generate_phone_export(stored, seed=14)).drafts)
    conn = repo.db.connection()
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    seen: list[int] = []
    flush = importer.BatchImport.flush

    def watched(self) -> None:
        seen.append(self.conn.execute("PRAGMA cache_size").fetchone()[0])
        flush(self)

    try:
        importer.BatchImport.flush = watched
        assert repo.import_drafts(read_vcard_bytes(generate_phone_export(batch, seed=15)).drafts).added > 0
    finally:
        importer.BatchImport.flush = flush
    try:
        assert seen and set(seen) == ({-importer.IMPORT_CACHE_KIB} if enlarged else {before})
        assert before != -importer.IMPORT_CACHE_KIB
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == before
    finally:
        repo.close()
