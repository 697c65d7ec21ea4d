"""Schema migrations: a genuine version-1 file with data upgrades to the current schema and keeps its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tiecrm.domain import Bucket, CardDraft, Phone
from tiecrm.store.db import init_db, open_db
from tiecrm.store.migrations import CURRENT_VERSION, SCHEMA_V1, SchemaTooNewError, migrate, schema_version
from tiecrm.store.models import MODELS
from tiecrm.store.repository import Repository

V1_CARD = "BEGIN:VCARD\nVERSION:3.0\nFN:Asha Rao\nTEL;TYPE=CELL:+91 98450 55501\nUID:asha-1\nEND:VCARD"


def build_v1_file(path: Path) -> None:
    """A database as the first release wrote it, with a person, contacts, a card, time and a move."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in SCHEMA_V1:
        conn.execute(statement)
    conn.execute("INSERT INTO schema_version VALUES (1, '2025-01-01 00:00:00')")
    conn.execute(
        "INSERT INTO person (id, uid, name, org, title, birthday, note, photo, photo_type, bucket, position, "
        "created_at, updated_at) VALUES (1, 'asha-1', 'Asha Rao', 'Zoho', '', '--04-12', 'likes chess', "
        "x'ffd8ff', 'image/jpeg', 'inner', 0, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
    )
    conn.execute("INSERT INTO phone (person_id, value, label, key) VALUES (1, '+91 98450 55501', 'cell', '5055501')")
    conn.execute("INSERT INTO email (person_id, value, label, key) VALUES (1, 'Asha@x.org', '', 'asha@x.org')")
    conn.execute("INSERT INTO import_batch VALUES (1, '2025-01-01', '2025-01-01', 'phone.vcf', 1, 0, 0, 0)")
    conn.execute(
        "INSERT INTO card (person_id, raw, source, line, uid, hash, batch_id, imported_at) "
        "VALUES (1, ?, 'phone.vcf', 1, 'asha-1', 'v1-hash', 1, '2025-01-01 00:00:00')",
        (V1_CARD,),
    )
    conn.execute("INSERT INTO interaction (person_id, at, minutes, kind, note, created_at) "
                 "VALUES (1, '2025-03-01 10:00:00', 45, 'coffee', 'talked shop', '2025-03-01 10:00:00')")
    conn.execute("INSERT INTO bucket_move (person_id, at, from_bucket, to_bucket, from_position, to_position) "
                 "VALUES (1, '2025-02-01 00:00:00', 'unsorted', 'inner', 0, 0)")
    conn.close()


def columns(db, table: str) -> set[str]:
    return {row[1] for row in db.execute_sql(f'PRAGMA table_info("{table}")').fetchall()}


def index_names(db) -> set[str]:
    return {row[0] for row in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall()}


def test_v1_file_upgrades_to_current_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    build_v1_file(path)
    db = open_db(path)
    assert schema_version(db) == 1
    assert not db.table_exists("duplicate_candidate")
    db.close()

    repo = Repository(path)
    assert schema_version(repo.db) == CURRENT_VERSION == 2
    assert repo.db.table_exists("duplicate_candidate")
    assert "card_hash" in index_names(repo.db)
    person = repo.get_person(1)
    assert person.summary.name == "Asha Rao" and person.summary.bucket is Bucket.INNER
    assert person.summary.birthday.iso() == "--04-12"
    assert person.phones == (Phone("+91 98450 55501", "cell"),)
    assert [e.value for e in person.emails] == ["Asha@x.org"]
    assert person.photo == b"\xff\xd8\xff"
    assert [(i.minutes, i.kind) for i in person.interactions] == [(45, "coffee")]
    assert [(m.from_bucket, m.to_bucket) for m in person.moves] == [(Bucket.UNSORTED, Bucket.INNER)]
    assert repo.export_people()[0][1] == [V1_CARD]
    # The upgraded file works like a new one: the v1 card's UID still finds its person.
    summary = repo.import_drafts([CardDraft(name="Asha Rao", raw=V1_CARD + "\nNOTE:new", uid="asha-1")])
    assert (summary.added, summary.updated) == (0, 1)
    repo.close()


def test_migrated_schema_is_what_the_models_describe(tmp_path: Path) -> None:
    fresh = init_db(tmp_path / "fresh.db")
    build_v1_file(tmp_path / "old.db")
    upgraded = init_db(tmp_path / "old.db")
    for model in MODELS:
        table = model._meta.table_name
        expected = {field.column_name for field in model._meta.sorted_fields}
        assert columns(fresh, table) == expected, table
        assert columns(upgraded, table) == expected, table
    expected_indexes = set()
    for model in MODELS:
        for index in model._meta.fields_to_index():
            expected_indexes.add(index._name)
    assert index_names(fresh) == index_names(upgraded) == expected_indexes
    fresh.close()
    upgraded.close()


def test_each_step_commits_with_its_version(tmp_path: Path) -> None:
    db = open_db(tmp_path / "steps.db")
    assert migrate(db, target=1) == 1
    assert not db.table_exists("duplicate_candidate")
    assert migrate(db) == 2
    assert migrate(db) == 2  # nothing left to do, nothing repeated
    versions = [row[0] for row in db.execute_sql("SELECT version FROM schema_version ORDER BY version")]
    assert versions == [1, 2]
    db.close()


def test_newer_schema_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    init_db(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("INSERT INTO schema_version VALUES (3, '2030-01-01 00:00:00')")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="schema version 3.*upgrade tiecrm"):
        Repository(path)
