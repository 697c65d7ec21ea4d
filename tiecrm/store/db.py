"""Where the database lives and how a connection to it is opened: file mode, pragmas, migration."""

from __future__ import annotations

import os
from pathlib import Path

import peewee

# Models are bound to this proxy; `init_db` points it at the database it opens.
database_proxy = peewee.DatabaseProxy()

DB_ENV = "TIECRM_DB"
# The schema version the last migration step writes (tiecrm.store.migrations.CURRENT_VERSION; a test holds
# them equal). A database already at it is opened without loading the migration machinery (playhouse's
# migrator pulls in its Postgres and CockroachDB support), which is most of what opening costs.
SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 5000

PRAGMAS = {
    "journal_mode": "wal",  # readers never block the writer: the app and a shell command can work at once
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,  # a second writer waits instead of failing with "database is locked"
    "synchronous": "normal",  # safe with WAL; a power cut may lose the last commit, never corrupt
}


def default_db_path() -> Path:
    """`$TIECRM_DB` if set, else the per-user data directory's `tiecrm.db`."""
    from_env = os.environ.get(DB_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs  # only when neither --db nor $TIECRM_DB says where the database is

    return platformdirs.user_data_path("tiecrm") / "tiecrm.db"


def resolve_db_path(cli_value: str | None) -> Path:
    """The database path to use: the CLI's `--db` wins over `$TIECRM_DB`, which wins over the default."""
    if cli_value is not None and cli_value.strip():
        return Path(cli_value).expanduser()
    return default_db_path()


def _create_private_file(path: Path) -> None:
    """Create `path` readable by its owner only, before anything is written to it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def open_db(path: str | Path) -> peewee.SqliteDatabase:
    """Open (creating if needed) the database file with tiecrm's pragmas, without migrating."""
    path = Path(path)
    if not path.exists():
        _create_private_file(path)
    return peewee.SqliteDatabase(
        str(path),
        pragmas=PRAGMAS,
        timeout=BUSY_TIMEOUT_MS / 1000,
        # Write transactions take the write lock when they start, so a concurrent writer waits
        # (busy timeout) rather than failing half-way when its read snapshot turns stale.
        lock_type="IMMEDIATE",
    )


def init_db(path: str | Path) -> peewee.SqliteDatabase:
    """Open the database at `path`, migrate it to the current schema and bind the models to it."""
    db = open_db(path)
    db.connect(reuse_if_open=True)
    if _stored_schema_version(db) != SCHEMA_VERSION:
        from tiecrm.store.migrations import migrate

        # Older (or new, or newer: migrate refuses those) schemas take the full path.
        migrate(db)
    database_proxy.initialize(db)
    return db


def _stored_schema_version(db: peewee.SqliteDatabase) -> int | None:
    """The version recorded in the file, None when it has no version table (a new file)."""
    exists = db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
    if exists is None:
        return None
    return db.execute_sql('SELECT MAX("version") FROM "schema_version"').fetchone()[0]
