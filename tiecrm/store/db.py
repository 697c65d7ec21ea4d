"""Where the database lives and how a connection to it is opened: file mode, pragmas, migration."""

from __future__ import annotations

import os
from pathlib import Path

import peewee
import platformdirs

from tiecrm.store.migrations import migrate

# Models are bound to this proxy; `init_db` points it at the database it opens.
database_proxy = peewee.DatabaseProxy()

DB_ENV = "TIECRM_DB"
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
    migrate(db)
    database_proxy.initialize(db)
    return db
