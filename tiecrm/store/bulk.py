"""Inserting many rows into one table at once, as an import does."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Mapping, Sequence
from itertools import chain

# Rows an INSERT statement carries. Each row executemany inserts costs a round through SQLite's statement
# (reset, step, the lock taken and released) and through Python's sqlite3 module (the GIL released and
# taken back around the step); an INSERT of many VALUES rows pays that once for all of them, which made
# 100,000 phone rows take 0.14-0.20 s instead of 0.32-0.35 s, and 50,000 card rows 0.21-0.25 s instead of
# 0.31-0.43 s. A fixed size keeps the one statement in the connection's statement cache; with 13 columns it
# stays well under SQLite's limit of 32,766 parameters.
ROWS_A_STATEMENT = 100

EMPTY_IS_NULL = "NULLIF(?, '')"
"""A column's value as `insert_rows` may write it (see there): the row's value, or NULL for ''."""

Column = str | tuple[str, str]
"""A column `insert_rows` writes: its name, or (name, the SQL of its value around one `?`, such as
EMPTY_IS_NULL)."""


def insert_rows(conn: sqlite3.Connection, table: str, columns: Sequence[Column], rows: Sequence[Sequence],
                shared: Mapping[str, object] | None = None) -> None:
    """INSERT `rows` (each one value a column, in `columns` order) into `table`, in statements of
    ROWS_A_STATEMENT rows and one executemany for the rest. The same rows in the same order as one
    executemany would insert them, in the caller's transaction, which must be given up (rolled back) if
    this fails: a failed statement's earlier rows stay in it.

    `shared`: more columns and the one value every row takes in each (a timestamp, say), bound once a
    statement rather than once a row. Each value bound costs SQLite a copy, and one that is None or bytes
    costs Python's sqlite3 module a search for an adapter, several times what a number or a text costs:
    hence also EMPTY_IS_NULL, which lets a row give '' for NULL."""
    names = tuple(shared) if shared else ()
    head = list(shared.values()) if shared else []
    width = len(columns)
    whole = len(rows) - len(rows) % ROWS_A_STATEMENT
    if whole:
        sql = _statement(table, tuple(columns), names, ROWS_A_STATEMENT)
        values = list(chain.from_iterable(rows[:whole] if whole < len(rows) else rows))
        step = ROWS_A_STATEMENT * width
        if len(values) != whole * width:  # a row of another length would shift every value after it
            raise ValueError(f"rows for {table} must each have {width} values")
        execute = conn.execute
        for start in range(0, len(values), step):
            execute(sql, head + values[start:start + step] if head else values[start:start + step])
    if whole < len(rows):
        rest = rows[whole:]
        conn.executemany(_statement(table, tuple(columns), names, 1),
                         [(*head, *row) for row in rest] if head else rest)


@functools.lru_cache(maxsize=32)
def _statement(table: str, columns: tuple[Column, ...], shared: tuple[str, ...], count: int) -> str:
    """`INSERT OR FAIL INTO table (columns, shared) VALUES (...), ...` for `count` rows. The shared values
    are parameters 1 to len(shared), each row's follow in order."""
    # OR FAIL: a row that breaks a constraint stops its statement, and the error stops the import, which
    # rolls its whole transaction back. Without it SQLite must be able to undo a failed statement's earlier
    # rows alone, and keeps a statement journal to do so (see importer.import_drafts).
    names = [column if isinstance(column, str) else column[0] for column in columns]
    values = ["?" if isinstance(column, str) else column[1] for column in columns]
    tail = "".join(f", ?{number}" for number in range(1, len(shared) + 1))
    rows = []
    number = len(shared)
    for _row in range(count):
        parts = []
        for value in values:
            number += 1
            parts.append(value.replace("?", f"?{number}"))
        rows.append(f"({', '.join(parts)}{tail})")
    return f'INSERT OR FAIL INTO "{table}" ({", ".join([*names, *shared])}) VALUES {", ".join(rows)}'
