"""Inserting many rows into one table at once, as an import does."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from itertools import chain

# Rows an INSERT statement carries. Each row executemany inserts costs a round through SQLite's statement
# (reset, step, the lock taken and released) and through Python's sqlite3 module (the GIL released and
# taken back around the step); an INSERT of many VALUES rows pays that once for all of them, which made
# 100,000 phone rows take 0.14-0.20 s instead of 0.32-0.35 s, and 50,000 card rows 0.21-0.25 s instead of
# 0.31-0.43 s. A fixed size keeps the one statement in the connection's statement cache; with 13 columns it
# stays well under SQLite's limit of 32,766 parameters.
ROWS_A_STATEMENT = 100


def insert_rows(conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """INSERT `rows` (each one value a column, in `columns` order) into `table`, in statements of
    ROWS_A_STATEMENT rows and one executemany for the rest. The same rows in the same order as one
    executemany would insert them, in the caller's transaction, which must be given up (rolled back) if
    this fails: a failed statement's earlier rows stay in it."""
    # OR FAIL: a row that breaks a constraint stops its statement, and the error stops the import, which
    # rolls its whole transaction back. Without it SQLite must be able to undo a failed statement's earlier
    # rows alone, and keeps a statement journal to do so (see importer.import_drafts).
    into = f'INSERT OR FAIL INTO "{table}" ({", ".join(columns)}) VALUES '
    one = "(" + ",".join("?" * len(columns)) + ")"
    whole = len(rows) - len(rows) % ROWS_A_STATEMENT
    if whole:
        sql = into + ",".join([one] * ROWS_A_STATEMENT)
        values = list(chain.from_iterable(rows[:whole] if whole < len(rows) else rows))
        step = ROWS_A_STATEMENT * len(columns)
        if len(values) != whole * len(columns):  # a row of another length would shift every value after it
            raise ValueError(f"rows for {table} must each have {len(columns)} values")
        execute = conn.execute
        for start in range(0, len(values), step):
            execute(sql, values[start:start + step])
    if whole < len(rows):
        conn.executemany(into + one, rows[whole:])
