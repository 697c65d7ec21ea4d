"""Where the database lives and how a connection to it is opened: file mode, pragmas, migration."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import peewee

# peewee is imported where a database is opened through it, not here: a command that only reads opens
# the file with `open_for_reading` and never loads it (a tenth of `tiecrm list QUERY`'s run).


def __getattr__(name: str) -> object:
    if name == "database_proxy":
        return _models_proxy()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _models_proxy() -> peewee.DatabaseProxy:
    """`database_proxy`, the proxy the models are bound to; `init_db` points it at the database it opens."""
    proxy = globals().get("database_proxy")
    if proxy is None:
        import peewee

        proxy = globals()["database_proxy"] = peewee.DatabaseProxy()
    return proxy


DB_ENV = "TIECRM_DB"
# The schema version the last migration step writes (tiecrm.store.migrations.CURRENT_VERSION; a test holds
# them equal). A database already at it is opened without loading the migration machinery (playhouse's
# migrator pulls in its Postgres and CockroachDB support), which is most of what opening costs.
SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 5000

PRAGMAS = {
    # Set before anything is written, so it takes on a new file only (an existing one keeps its own). A
    # 50,000-card import writes 68 MB: in 16 KiB pages instead of SQLite's default 4 KiB, that is a quarter
    # of the writes into the log and of the pages copied out of it at the commit, a third less system time.
    "page_size": 16384,
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
    import peewee

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
    _models_proxy().initialize(db)
    return db


class PlainConnection:
    """What reading asks of a peewee database, `execute_sql`, over a plain sqlite3 connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def execute_sql(self, sql: str, params: tuple | list = ()) -> sqlite3.Cursor:
        return self._connection.execute(sql, params)

    def close(self) -> None:
        self._connection.close()


def open_for_reading(path: str | Path) -> PlainConnection | None:
    """A connection for a command that only reads, opened without peewee; None when the file is missing,
    unreadable or not at the current schema: `init_db` must create, migrate or report on it first.

    The pragmas `init_db` sets are for writers or persist in the file (WAL); the busy timeout is the same.
    """
    path = Path(path)
    if not path.is_file():
        return None
    try:
        # Used by one thread at a time, but the app's repository may close it from another (see
        # Repository.reading_first).
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                     check_same_thread=False)
    except sqlite3.Error:
        return None
    reader = PlainConnection(connection)
    try:
        current = _stored_schema_version(reader) == SCHEMA_VERSION
    except sqlite3.Error:
        current = False
    if not current:
        reader.close()
        return None
    return reader


def _stored_schema_version(db: peewee.SqliteDatabase | PlainConnection) -> int | None:
    """The version recorded in the file, None when it has no version table (a new file)."""
    exists = db.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
    if exists is None:
        return None
    return db.execute_sql('SELECT MAX("version") FROM "schema_version"').fetchone()[0]
