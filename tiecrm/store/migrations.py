"""Schema versions: frozen DDL of each step, applied in order, each step and its version bump in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import peewee
from playhouse.migrate import SqliteMigrator


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer tiecrm than this one."""


# Version 1, the first release's schema, exactly as it shipped. Never edit: databases in the wild have it.
SCHEMA_V1 = (
    'CREATE TABLE "schema_version" ("version" INTEGER NOT NULL PRIMARY KEY, "applied_at" DATETIME NOT NULL)',
    'CREATE TABLE "person" ("id" INTEGER NOT NULL PRIMARY KEY, "uid" TEXT NOT NULL, "name" TEXT NOT NULL, '
    '"org" TEXT NOT NULL, "title" TEXT NOT NULL, "birthday" TEXT, "note" TEXT NOT NULL, "photo" BLOB, '
    '"photo_type" TEXT NOT NULL, "bucket" TEXT NOT NULL, "position" INTEGER NOT NULL, '
    '"created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX "person_uid" ON "person" ("uid")',
    'CREATE INDEX "person_bucket_position" ON "person" ("bucket", "position")',
    'CREATE TABLE "phone" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, '
    '"value" TEXT NOT NULL, "label" TEXT NOT NULL, "key" TEXT, '
    'FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "phone_person_id" ON "phone" ("person_id")',
    'CREATE INDEX "phone_key" ON "phone" ("key")',
    'CREATE TABLE "email" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, '
    '"value" TEXT NOT NULL, "label" TEXT NOT NULL, "key" TEXT NOT NULL, '
    'FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "email_person_id" ON "email" ("person_id")',
    'CREATE INDEX "email_key" ON "email" ("key")',
    'CREATE TABLE "address" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, '
    '"value" TEXT NOT NULL, "label" TEXT NOT NULL, '
    'FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "address_person_id" ON "address" ("person_id")',
    'CREATE TABLE "import_batch" ("id" INTEGER NOT NULL PRIMARY KEY, "started_at" DATETIME NOT NULL, '
    '"finished_at" DATETIME, "source" TEXT NOT NULL, "added" INTEGER NOT NULL, "updated" INTEGER NOT NULL, '
    '"unchanged" INTEGER NOT NULL, "skipped" INTEGER NOT NULL)',
    'CREATE TABLE "card" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, "raw" TEXT NOT NULL, '
    '"source" TEXT NOT NULL, "line" INTEGER NOT NULL, "uid" TEXT, "hash" TEXT NOT NULL, "batch_id" INTEGER, '
    '"imported_at" DATETIME NOT NULL, '
    'FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("batch_id") REFERENCES "import_batch" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "card_person_id" ON "card" ("person_id")',
    'CREATE INDEX "card_uid" ON "card" ("uid")',
    'CREATE TABLE "interaction" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, '
    '"at" DATETIME NOT NULL, "minutes" INTEGER NOT NULL, "kind" TEXT NOT NULL, "note" TEXT NOT NULL, '
    '"created_at" DATETIME NOT NULL, '
    'FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "interaction_person_id_at" ON "interaction" ("person_id", "at")',
    'CREATE TABLE "bucket_move" ("id" INTEGER NOT NULL PRIMARY KEY, "person_id" INTEGER NOT NULL, '
    '"at" DATETIME NOT NULL, "from_bucket" TEXT, "to_bucket" TEXT NOT NULL, "from_position" INTEGER, '
    '"to_position" INTEGER, '
    'FOREIGN KEY ("person_id") REFERENCES "person" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "bucket_move_person_id" ON "bucket_move" ("person_id")',
)

# Version 2: remembered duplicate candidates, and an index on card hashes so re-imports find unchanged cards.
SCHEMA_V2_DUPLICATES = (
    'CREATE TABLE "duplicate_candidate" ("id" INTEGER NOT NULL PRIMARY KEY, "a" INTEGER NOT NULL, '
    '"b" INTEGER NOT NULL, "reason" TEXT NOT NULL, "score" REAL NOT NULL, "status" TEXT NOT NULL, '
    '"created_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX "duplicate_candidate_a_b" ON "duplicate_candidate" ("a", "b")',
)


def _run(db: peewee.SqliteDatabase, statements: tuple[str, ...]) -> None:
    for statement in statements:
        db.execute_sql(statement)


def _step_1(db: peewee.SqliteDatabase, migrator: SqliteMigrator) -> None:
    _run(db, SCHEMA_V1)


def _step_2(db: peewee.SqliteDatabase, migrator: SqliteMigrator) -> None:
    _run(db, SCHEMA_V2_DUPLICATES)
    migrator.migrate(migrator.add_index("card", ("hash",), unique=False))


Step = Callable[[peewee.SqliteDatabase, SqliteMigrator], None]

MIGRATIONS: list[tuple[int, Step]] = [
    (1, _step_1),
    (2, _step_2),
]

CURRENT_VERSION = MIGRATIONS[-1][0]


def schema_version(db: peewee.SqliteDatabase) -> int:
    """The version of the schema in `db`: 0 for a fresh file."""
    if not db.table_exists("schema_version"):
        return 0
    row = db.execute_sql('SELECT MAX("version") FROM "schema_version"').fetchone()
    return row[0] or 0


def _check_not_newer(version: int) -> None:
    if version > CURRENT_VERSION:
        raise SchemaTooNewError(
            f"the database has schema version {version}, newer than the {CURRENT_VERSION} this tiecrm "
            "understands; upgrade tiecrm to open it"
        )


def migrate(db: peewee.SqliteDatabase, target: int = CURRENT_VERSION) -> int:
    """Bring `db` up to schema `target` and return the version it ends at.

    Each step runs with its version row in one write transaction; the version is re-read inside it,
    so two processes opening a fresh file at once do not both run a step.
    """
    current = schema_version(db)
    _check_not_newer(current)
    if current >= target:
        return current
    migrator = SqliteMigrator(db)
    # SQLite's recipe for schema changes: foreign keys off (only possible outside a transaction) so a
    # table rebuild does not cascade, then a foreign_key_check before each step commits.
    db.pragma("foreign_keys", 0)
    try:
        for version, step in MIGRATIONS:
            if version > target:
                break
            with db.atomic("IMMEDIATE"):
                current = schema_version(db)
                _check_not_newer(current)
                if current >= version:
                    continue
                step(db, migrator)
                broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"schema step {version} broke foreign keys: {broken[:5]}")
                db.execute_sql(
                    'INSERT INTO "schema_version" ("version", "applied_at") VALUES (?, ?)',
                    (version, datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")),
                )
    finally:
        db.pragma("foreign_keys", 1)
    return schema_version(db)
