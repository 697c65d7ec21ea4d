"""insert_rows writes exactly the rows executemany would, in the same order, however many there are."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tiecrm.store import bulk


def _table(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, photo BLOB, n INTEGER)")
    return conn


def _rows(count: int) -> list[tuple]:
    return [(f"name {i} ✓ [bold]x[/]", bytes([i % 256]) * (i % 3) if i % 4 else None, i if i % 5 else None)
            for i in range(count)]


@pytest.mark.parametrize("count", [0, 1, bulk.ROWS_A_STATEMENT - 1, bulk.ROWS_A_STATEMENT,
                                   bulk.ROWS_A_STATEMENT * 3 + 7])
def test_the_rows_are_those_executemany_writes(tmp_path: Path, count: int) -> None:
    rows = _rows(count)
    ours, theirs = _table(tmp_path / "ours.db"), _table(tmp_path / "theirs.db")
    bulk.insert_rows(ours, "t", ("name", "photo", "n"), rows)
    theirs.executemany("INSERT INTO t (name, photo, n) VALUES (?,?,?)", rows)
    got = ours.execute("SELECT id, name, photo, n FROM t ORDER BY id").fetchall()
    assert got == theirs.execute("SELECT id, name, photo, n FROM t ORDER BY id").fetchall()
    assert [row[1:] for row in got] == [(name, photo, n) for name, photo, n in rows]


def test_rows_given_as_lists_with_their_own_ids(tmp_path: Path) -> None:
    conn = _table(tmp_path / "t.db")
    rows = [[1000 + i, f"p{i}", None, i] for i in range(bulk.ROWS_A_STATEMENT + 2)]
    bulk.insert_rows(conn, "t", ("id", "name", "photo", "n"), rows)
    assert conn.execute("SELECT id, name, photo, n FROM t ORDER BY id").fetchall() == [tuple(r) for r in rows]


def test_a_row_of_another_width_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    conn = _table(tmp_path / "t.db")
    rows = _rows(bulk.ROWS_A_STATEMENT * 2)
    rows[7] = rows[7][:2]  # one value short: every later value would land in the wrong column
    with pytest.raises(ValueError, match="3 values"):
        bulk.insert_rows(conn, "t", ("name", "photo", "n"), rows)
    assert conn.execute("SELECT COUNT(*) FROM t").fetchone() == (0,)


@pytest.mark.parametrize("count", [1, bulk.ROWS_A_STATEMENT, bulk.ROWS_A_STATEMENT * 2 + 3])
def test_shared_values_and_empty_as_null_write_what_executemany_writes(tmp_path: Path, count: int) -> None:
    rows = _rows(count)
    ours, theirs = _table(tmp_path / "ours.db"), _table(tmp_path / "theirs.db")
    for conn in (ours, theirs):
        conn.execute("ALTER TABLE t ADD COLUMN at TEXT NOT NULL DEFAULT 'none'")
        conn.execute("ALTER TABLE t ADD COLUMN batch INTEGER")
    # The rows give '' where they mean NULL; the shared columns take one value for every row.
    given = [(name, photo if photo is not None else "", n) for name, photo, n in rows]
    bulk.insert_rows(ours, "t", ("name", ("photo", bulk.EMPTY_IS_NULL), "n"), given,
                     {"at": "2026-11-26 08:00:00", "batch": 7})
    theirs.executemany("INSERT INTO t (name, photo, n, at, batch) VALUES (?, ?, ?, '2026-11-26 08:00:00', 7)",
                       rows)
    query = "SELECT id, name, photo, n, at, batch FROM t ORDER BY id"
    got = ours.execute(query).fetchall()
    assert got == theirs.execute(query).fetchall()
    assert [row[2] for row in got] == [photo for _name, photo, _n in rows]
    assert {row[4:] for row in got} == {("2026-11-26 08:00:00", 7)}
