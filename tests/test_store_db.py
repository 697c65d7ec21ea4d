"""Opening the database: private file, pragmas, path resolution, two writers at once."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import platformdirs
import pytest

from tiecrm.domain import Bucket
from tiecrm.store.db import default_db_path, init_db, resolve_db_path
from tiecrm.store.repository import Repository


def test_init_creates_private_file_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "tiecrm.db"
    db = init_db(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    db.execute_sql("INSERT INTO import_batch (started_at, source, added, updated, unchanged, skipped) "
                   "VALUES ('2026-01-01 00:00:00', 'x', 0, 0, 0, 0)")
    # The write-ahead log SQLite creates next to the file is as private as the file.
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and stat.S_IMODE(wal.stat().st_mode) == 0o600
    db.close()


def test_a_new_file_takes_16_kib_pages_and_an_existing_one_keeps_its_own(tmp_path: Path) -> None:
    fresh = init_db(tmp_path / "new.db")
    assert fresh.execute_sql("PRAGMA page_size").fetchone()[0] == 16384
    fresh.close()
    # A file made before (SQLite's default 4 KiB pages, in WAL mode): opened, migrated and written as ever.
    old_path = tmp_path / "old.db"
    old = sqlite3.connect(old_path)
    old.execute("PRAGMA journal_mode = wal")
    old.execute("CREATE TABLE leftover (x)")
    old.close()
    db = init_db(old_path)
    assert db.execute_sql("PRAGMA page_size").fetchone()[0] == 4096
    repo = Repository(old_path)
    repo.import_drafts([], [], source="nothing")
    assert repo.db.execute_sql("PRAGMA page_size").fetchone()[0] == 4096
    repo.close()
    db.close()


def test_foreign_keys_cascade_and_are_enforced(tmp_path: Path) -> None:
    db = init_db(tmp_path / "t.db")
    with pytest.raises(Exception, match="FOREIGN KEY"):
        db.execute_sql("INSERT INTO phone (person_id, value, label, key) VALUES (999, '1', '', NULL)")
    db.close()


def test_cli_path_wins_over_env_which_wins_over_default(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TIECRM_DB", str(tmp_path / "from-env.db"))
    assert resolve_db_path(str(tmp_path / "from-cli.db")) == tmp_path / "from-cli.db"
    assert resolve_db_path(None) == tmp_path / "from-env.db"
    monkeypatch.delenv("TIECRM_DB")
    assert resolve_db_path(None) == platformdirs.user_data_path("tiecrm") / "tiecrm.db"
    assert default_db_path() == platformdirs.user_data_path("tiecrm") / "tiecrm.db"
    monkeypatch.setenv("TIECRM_DB", "~/x.db")
    assert resolve_db_path("") == Path("~/x.db").expanduser()


def test_second_repository_writes_while_the_first_holds_a_read(db_path: Path, fixed_now) -> None:
    first = Repository(db_path, now=lambda: fixed_now)
    first.import_drafts([])
    person_id = first.db.execute_sql(
        "INSERT INTO person (uid, name, org, title, note, photo_type, bucket, position, created_at, updated_at) "
        "VALUES ('u1', 'Asha Rao', '', '', '', '', 'inner', 0, '2026-01-01', '2026-01-01')"
    ).lastrowid
    second = Repository(db_path, now=lambda: fixed_now)
    # The first connection keeps a read transaction open (the app showing a list)...
    first.db.execute_sql("BEGIN")
    assert first.db.execute_sql("SELECT COUNT(*) FROM interaction").fetchone()[0] == 0
    # ...and a shell command on the second logs time meanwhile: WAL readers do not block the writer.
    logged = second.log_interaction(person_id, 20, "call")
    assert first.db.execute_sql("SELECT COUNT(*) FROM interaction").fetchone()[0] == 0  # its snapshot
    first.db.execute_sql("COMMIT")
    assert [i.id for i in first.get_person(person_id).interactions] == [logged.id]
    first.close()
    second.close()


def test_second_writer_waits_for_the_first_instead_of_failing(db_path: Path, fixed_now) -> None:
    repo = Repository(db_path, now=lambda: fixed_now)
    person_id = repo.db.execute_sql(
        "INSERT INTO person (uid, name, org, title, note, photo_type, bucket, position, created_at, updated_at) "
        "VALUES ('u1', 'Asha Rao', '', '', '', '', 'inner', 0, '2026-01-01', '2026-01-01')"
    ).lastrowid
    locked = threading.Event()

    def hold_write_lock() -> None:
        conn = sqlite3.connect(db_path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE person SET note = 'busy' WHERE id = ?", (person_id,))
        locked.set()
        time.sleep(0.4)
        conn.execute("COMMIT")
        conn.close()

    holder = threading.Thread(target=hold_write_lock)
    holder.start()
    locked.wait(5)
    start = time.perf_counter()
    repo.log_interaction(person_id, 5)  # would raise "database is locked" without a busy timeout
    waited = time.perf_counter() - start
    holder.join()
    assert waited >= 0.2
    assert repo.get_summary(person_id).note == "busy"
    assert repo.get_summary(person_id).minutes_invested == 5
    repo.close()


def test_schema_version_known_to_db_is_the_last_migration() -> None:
    from tiecrm.store.db import SCHEMA_VERSION
    from tiecrm.store.migrations import CURRENT_VERSION

    assert SCHEMA_VERSION == CURRENT_VERSION


def test_current_database_opens_without_the_migration_machinery(tmp_path: Path) -> None:
    path = tmp_path / "current.db"
    init_db(path).close()  # a new file: migrated here, in this process
    code = (
        "import sys\n"
        "from tiecrm.store.repository import Repository\n"
        f"repo = Repository({str(path)!r})\n"
        "assert repo.count_people() == 0\n"
        "repo.close()\n"
        "loaded = [m for m in ('tiecrm.store.migrations', 'playhouse.migrate') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)



def test_a_current_file_opens_for_reading_without_peewee(tmp_path: Path) -> None:
    path = tmp_path / "current.db"
    init_db(path).close()
    code = (
        "import sys\n"
        "from tiecrm.store.repository import Repository\n"
        f"repo = Repository.for_reading({str(path)!r})\n"
        "assert repo.count_people() == 0 and repo.search_rows() == []\n"
        "repo.close()\n"
        "assert 'peewee' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_opening_for_reading_leaves_new_old_and_broken_files_to_init_db(tmp_path: Path) -> None:
    from tiecrm.store.db import PlainConnection, open_for_reading

    missing = tmp_path / "missing.db"
    assert open_for_reading(missing) is None and not missing.exists()
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.execute('CREATE TABLE "schema_version" ("version" INTEGER NOT NULL PRIMARY KEY, "applied_at" DATETIME)')
    conn.execute("INSERT INTO schema_version VALUES (1, '2025-01-01')")
    conn.commit()
    conn.close()
    assert open_for_reading(old) is None
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all" * 100)
    assert open_for_reading(broken) is None
    current = tmp_path / "current.db"
    init_db(current).close()
    reader = open_for_reading(current)
    assert isinstance(reader, PlainConnection)
    assert reader.execute_sql("SELECT COUNT(*) FROM person").fetchone() == (0,)
    reader.close()


@pytest.mark.parametrize(("open_repo", "names"), [
    (Repository.for_reading, lambda repo: [p.name for p in repo.list_people()]),  # a command that reads
    (Repository.reading_first, lambda repo: [p.name for p in repo.list_rows()]),  # the app
], ids=["for_reading", "reading_first"])
def test_reading_an_older_file_migrates_it_as_opening_does(tmp_path: Path, open_repo, names) -> None:
    from tests.test_store_migrations import build_v1_file
    from tiecrm.store.migrations import CURRENT_VERSION, schema_version

    path = tmp_path / "v1.db"
    build_v1_file(path)
    repo = open_repo(path)
    try:
        assert schema_version(repo.db) == CURRENT_VERSION
        assert names(repo) == ["Asha Rao"]
    finally:
        repo.close()


def test_the_apps_repository_reads_without_peewee_until_it_writes(tmp_path: Path) -> None:
    path = tmp_path / "current.db"
    init_db(path).close()
    code = (
        "import sys\n"
        "from tiecrm.store.repository import Repository\n"
        f"repo = Repository.reading_first({str(path)!r})\n"
        "assert not repo.has_people() and repo.count_people() == 0 and repo.list_rows(limit=200) == []\n"
        "assert 'peewee' not in sys.modules\n"
        "repo.db.execute_sql(\"INSERT INTO person (uid, name, org, title, note, photo_type, bucket, position, \"\n"
        "                    \"created_at, updated_at) VALUES ('u1', 'Asha Rao', '', '', '', '', 'inner', 0, \"\n"
        "                    \"'2026-01-01', '2026-01-01')\")\n"
        "assert 'peewee' in sys.modules\n"
        "assert [p.name for p in repo.list_rows(limit=200)] == ['Asha Rao'] and repo.count_people() == 1\n"
        "repo.close()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_apps_repository_opens_peewee_for_a_read_from_another_thread(db_path: Path, fixed_now) -> None:
    from tests.app_support import seed_repo

    seed_repo(db_path, fixed_now).close()
    repo = Repository.reading_first(db_path, now=lambda: fixed_now)
    try:
        first_page = repo.list_rows(limit=200)
        assert repo._db is None  # read by the plain connection so far
        found: list = []
        worker = threading.Thread(target=lambda: found.append(repo.list_rows()))
        worker.start()
        worker.join()
        assert found == [first_page] and repo._db is not None
        # Every later read and write goes through peewee: a move made now is read back at once.
        sam = next(p.id for p in first_page if p.name == "Sam Okafor")
        repo.move(sam, Bucket.INNER, 0)
        assert repo.list_rows(Bucket.INNER, limit=1)[0].name == "Sam Okafor"
    finally:
        repo.close()
