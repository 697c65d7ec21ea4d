"""The one API the CLI and the app use to read and change the store."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from tiecrm import domain
from tiecrm.domain import Bucket, PersonSummary
from tiecrm.store.db import init_db
from tiecrm.store.rows import (
    BUCKET_ORDER_SQL,
    INTERACTION_COLUMNS,
    LIST_ROW_SELECT,
    MOVE_COLUMNS,
    SUMMARY_ORDER,
    SUMMARY_SELECT,
    SUMMARY_SELECT_MANY,
    bucket_from_db,
    from_db_time,
    interaction_from_row,
    list_row_summary,
    move_from_row,
    summary_from_select,
    to_db_time,
    utc_now,
)

# The importer, the time-invested aggregates (with the timeline arithmetic and settings they use) and
# the name matching are imported by the methods that need them: a one-shot command such as
# `tiecrm list QUERY` touches none of them, and loading them would cost it a tenth of its run.
if TYPE_CHECKING:
    import peewee

    from tiecrm.domain import (
        Address,
        Cadence,
        CardDraft,
        CardProblem,
        DueEntry,
        DuplicatePair,
        Email,
        ImportSummary,
        Interaction,
        Move,
        PersonDetail,
        Phone,
    )
    from tiecrm.search import FieldFilter, SearchColumns
    from tiecrm.store.db import PlainConnection
    from tiecrm.store.stats import ReturnsReport
    from tiecrm.timeline import ColdEntry, Period, Totals

# SQLite allows 32,766 bound parameters; long id lists are read in slices well under that.
_CHUNK = 5000


def _chunks(ids: Sequence[int]) -> list[tuple[int, ...]]:
    return [tuple(ids[start:start + _CHUNK]) for start in range(0, len(ids), _CHUNK)]


def _might_hold(column: str, only: FieldFilter) -> tuple[str, list[str]]:
    """SQL (and its parameters) true where `column` holds one of the filter's words in any ASCII case,
    one of its unsure characters, or any character beyond ASCII (whose folding the filter leaves open)."""
    # LIKE ignores ASCII case without lower-casing a copy of every text; a `_` in a word matches any
    # character there, which only lets more texts through.
    terms = [f"{column} LIKE ?" for _ in only.words]
    terms += [f"instr({column}, ?)" for _ in only.unsure]
    # A text's length counts characters and its blob's bytes: they differ once UTF-8 needs two bytes.
    terms.append(f"length({column}) != length(CAST({column} AS BLOB))")
    return "(" + " OR ".join(terms) + ")", [*(f"%{word}%" for word in only.words), *only.unsure]


class NotFoundError(LookupError):
    """No person, interaction or duplicate pair with the given id."""


class Repository:
    """People, buckets, time invested and duplicates, stored in one SQLite file."""

    def __init__(self, db_path: str | Path, now: Callable[[], datetime] = utc_now) -> None:
        self.path = Path(db_path)
        self.now = now
        self._db: peewee.SqliteDatabase | PlainConnection | None = init_db(self.path)
        self._first_reader: PlainConnection | None = None  # see reading_first

    @classmethod
    def for_reading(cls, db_path: str | Path, now: Callable[[], datetime] = utc_now) -> Repository:
        """A repository for a one-shot command that only reads (`tiecrm list`), opened without peewee
        when the file is at the current schema; nothing may be written through it. Any other file
        opens as `Repository(db_path)` would, migrations and errors included."""
        from tiecrm.store.db import open_for_reading

        connection = open_for_reading(db_path)
        if connection is None:
            return cls(db_path, now)
        repo = cls.__new__(cls)
        repo.path, repo.now, repo._db, repo._first_reader = Path(db_path), now, connection, None
        return repo

    @classmethod
    def reading_first(cls, db_path: str | Path, now: Callable[[], datetime] = utc_now) -> Repository:
        """A repository for the app, whose first reads go through a plain sqlite3 connection when the file
        is at the current schema: peewee, a fifth of what opening the app's first screen costs, is loaded
        when the database is first asked for anything else (a write, the aggregates, a read from another
        thread), by then usually after that screen's first frame. Any other file opens as
        `Repository(db_path)` would, migrations and errors included."""
        from tiecrm.store.db import open_for_reading

        connection = open_for_reading(db_path)
        if connection is None:
            return cls(db_path, now)
        repo = cls.__new__(cls)
        repo.path, repo.now, repo._db, repo._first_reader = Path(db_path), now, None, connection
        repo._owner = threading.get_ident()
        repo._opening = threading.Lock()
        return repo

    @property
    def db(self) -> peewee.SqliteDatabase:
        """The database, through peewee (the plain connection of a repository `for_reading`)."""
        db = self._db
        if db is None:
            db = self._open_db()
        return db

    def _open_db(self) -> peewee.SqliteDatabase:
        with self._opening:  # a worker thread and the app's own may both be the first to ask
            if self._db is None:
                self._db = init_db(self.path)
                # From now on every read and write goes through peewee, so each one sees the ones before.
                reader, self._first_reader = self._first_reader, None
                if reader is not None:
                    reader.close()
            return self._db

    def close(self) -> None:
        reader, self._first_reader = self._first_reader, None
        if reader is not None:
            reader.close()
        if self._db is not None:
            self._db.close()

    def _q(self, sql: str, params: Sequence = ()) -> list[tuple]:
        if self._first_reader is not None:
            with self._opening:  # held while reading, so another thread cannot close the reader meanwhile
                reader = self._first_reader
                if reader is not None and threading.get_ident() == self._owner:
                    return reader.execute_sql(sql, params).fetchall()
        return self.db.execute_sql(sql, params).fetchall()

    def _now_text(self) -> str:
        return to_db_time(self.now())

    def _require_person(self, person_id: int) -> tuple:
        row = self.db.execute_sql("SELECT bucket, position FROM person WHERE id = ?", (person_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no person with id {person_id}")
        return row

    # ---- import / export -----------------------------------------------------------------------

    def import_drafts(
        self,
        drafts: Iterable[CardDraft],
        problems: Sequence[CardProblem] = (),
        source: str = "",
        progress: Callable[[int], None] | None = None,
    ) -> ImportSummary:
        """Match and store a batch of cards in one transaction; progress(n_done) every ~500 cards."""
        from tiecrm.store import importer

        return importer.import_drafts(self.db, drafts, problems, source, self._now_text(), progress)

    def export_people(self, bucket: Bucket | None = None) -> list[tuple[PersonDetail, list[str]]]:
        """Each person with the raw text of every original card merged into them, oldest first."""
        summaries = self.list_people(bucket)
        wanted = {s.id for s in summaries}
        phones: dict[int, list[Phone]] = defaultdict(list)
        emails: dict[int, list[Email]] = defaultdict(list)
        addresses: dict[int, list[Address]] = defaultdict(list)
        interactions: dict[int, list[Interaction]] = defaultdict(list)
        moves: dict[int, list[Move]] = defaultdict(list)
        cards: dict[int, list[str]] = defaultdict(list)
        photos: dict[int, bytes] = {}
        for person_id, value, label in self._q("SELECT person_id, value, label FROM phone ORDER BY id"):
            if person_id in wanted:
                phones[person_id].append(domain.Phone(value, label))
        for person_id, value, label in self._q("SELECT person_id, value, label FROM email ORDER BY id"):
            if person_id in wanted:
                emails[person_id].append(domain.Email(value, label))
        for person_id, value, label in self._q("SELECT person_id, value, label FROM address ORDER BY id"):
            if person_id in wanted:
                addresses[person_id].append(domain.Address(value, label))
        for row in self._q(f"SELECT {INTERACTION_COLUMNS} FROM interaction ORDER BY at DESC, id DESC"):
            if row[1] in wanted:
                interactions[row[1]].append(interaction_from_row(row))
        for row in self._q(f"SELECT {MOVE_COLUMNS} FROM bucket_move ORDER BY id DESC"):
            if row[1] in wanted:
                moves[row[1]].append(move_from_row(row))
        for person_id, raw in self._q("SELECT person_id, raw FROM card ORDER BY imported_at, id"):
            if person_id in wanted:
                cards[person_id].append(raw)
        for person_id, photo in self._q("SELECT id, photo FROM person WHERE photo IS NOT NULL"):
            if person_id in wanted:
                photos[person_id] = photo
        return [
            (
                domain.PersonDetail(
                    summary=s,
                    phones=tuple(phones[s.id]),
                    emails=tuple(emails[s.id]),
                    addresses=tuple(addresses[s.id]),
                    photo=photos.get(s.id),
                    interactions=tuple(interactions[s.id]),
                    moves=tuple(moves[s.id]),
                ),
                cards[s.id],
            )
            for s in summaries
        ]

    # ---- people --------------------------------------------------------------------------------

    def count_people(self, bucket: Bucket | None = None) -> int:
        if bucket is None:
            return self._q("SELECT COUNT(*) FROM person")[0][0]
        return self._q("SELECT COUNT(*) FROM person WHERE bucket = ?", (Bucket(bucket).value,))[0][0]

    def has_people(self) -> bool:
        """Whether anyone is stored: one row looked at, where a count reads the whole table."""
        return bool(self._q("SELECT EXISTS (SELECT 1 FROM person)")[0][0])

    def list_people(self, bucket: Bucket | None = None) -> list[PersonSummary]:
        """Everyone (or one bucket), ordered by bucket, then position, then name."""
        if bucket is None:
            rows = self._q(SUMMARY_SELECT_MANY + SUMMARY_ORDER)
        else:
            rows = self._q(SUMMARY_SELECT_MANY + " WHERE p.bucket = ?" + SUMMARY_ORDER, (Bucket(bucket).value,))
        return [summary_from_select(row) for row in rows]

    def list_rows(self, bucket: Bucket | None = None, limit: int | None = None) -> list[PersonSummary]:
        """What a list draws, in list_people's order: id, name, bucket, position, org, time invested and
        last contact; phones, emails, note and the rest left empty. The first `limit` people only, if given.

        One query per bucket walks the (bucket, position) index, so the first screenful is read without
        sorting everyone.
        """
        buckets = list(Bucket) if bucket is None else [Bucket(bucket)]
        order = " ORDER BY p.position, p.name COLLATE NOCASE, p.id"
        rows: list[tuple] = []
        for b in buckets:
            wanted = -1 if limit is None else limit - len(rows)
            if wanted == 0:
                break
            rows += self._q(LIST_ROW_SELECT + " WHERE p.bucket = ?" + order + " LIMIT ?", (b.value, wanted))
        if bucket is None and (limit is None or len(rows) < limit):
            # Rows with a bucket this version does not know go last, as in list_people.
            known = tuple(b.value for b in Bucket)
            rows += self._q(
                LIST_ROW_SELECT + f" WHERE p.bucket NOT IN ({','.join('?' * len(known))})" + order + " LIMIT ?",
                (*known, -1 if limit is None else limit - len(rows)))
        totals = self._interaction_totals(None if limit is None else [row[0] for row in rows])
        none = (0, None)
        return [list_row_summary(row, *totals.get(row[0], none)) for row in rows]

    def _interaction_totals(self, ids: Sequence[int] | None) -> dict[int, tuple[int, str]]:
        """person id -> (minutes, latest `at` text) for everyone (ids None) or the given people."""
        sql = "SELECT person_id, SUM(minutes), MAX(at) FROM interaction"
        if ids is None:
            return {row[0]: row[1:] for row in self._q(sql + " GROUP BY person_id")}
        totals: dict[int, tuple[int, str]] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            totals.update((row[0], row[1:]) for row in self._q(
                sql + f" WHERE person_id IN ({marks}) GROUP BY person_id", chunk))
        return totals

    def summaries(self, ids: Sequence[int]) -> list[PersonSummary]:
        """Full summaries of the given people, in the order given; unknown ids are left out."""
        found: dict[int, PersonSummary] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            marks = ",".join("?" * len(chunk))
            found.update((row[0], summary_from_select(row))
                         for row in self._q(SUMMARY_SELECT + f" WHERE p.id IN ({marks})", chunk))
        return [found[i] for i in ids if i in found]

    def list_rows_of(self, ids: Sequence[int]) -> list[PersonSummary]:
        """What a list draws of the given people (as `list_rows` reads it), in the order given; unknown ids
        are left out. Cheaper than `summaries`: no phones, emails or birthdays are read."""
        found: dict[int, tuple] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            marks = ",".join("?" * len(chunk))
            found.update((row[0], row) for row in self._q(LIST_ROW_SELECT + f" WHERE p.id IN ({marks})", chunk))
        totals = self._interaction_totals(list(found))
        none = (0, None)
        return [list_row_summary(found[i], *totals.get(i, none)) for i in ids if i in found]

    def get_summary(self, person_id: int) -> PersonSummary | None:
        rows = self._q(SUMMARY_SELECT + " WHERE p.id = ?", (person_id,))
        return summary_from_select(rows[0]) if rows else None

    def get_person(self, person_id: int) -> PersonDetail | None:
        """Everything about one person; interactions and moves newest first."""
        summary = self.get_summary(person_id)
        if summary is None:
            return None
        params = (person_id,)
        return domain.PersonDetail(
            summary=summary,
            phones=tuple(domain.Phone(v, l) for v, l in self._q(
                "SELECT value, label FROM phone WHERE person_id = ? ORDER BY id", params)),
            emails=tuple(domain.Email(v, l) for v, l in self._q(
                "SELECT value, label FROM email WHERE person_id = ? ORDER BY id", params)),
            addresses=tuple(domain.Address(v, l) for v, l in self._q(
                "SELECT value, label FROM address WHERE person_id = ? ORDER BY id", params)),
            photo=self._q("SELECT photo FROM person WHERE id = ?", params)[0][0],
            interactions=tuple(interaction_from_row(r) for r in self._q(
                f"SELECT {INTERACTION_COLUMNS} FROM interaction WHERE person_id = ? ORDER BY at DESC, id DESC",
                params)),
            moves=tuple(move_from_row(r) for r in self._q(
                f"SELECT {MOVE_COLUMNS} FROM bucket_move WHERE person_id = ? ORDER BY id DESC", params)),
        )

    def search_rows(self, only: FieldFilter | None = None) -> list[tuple[int, str, str, str, str, str]]:
        """(id, name, org, emails, phones, notes) for every person, for fuzzy search.

        notes is the person's note followed by their latest interaction note. Each child table is read
        once and joined here, instead of three subqueries per person (a tenth faster at 50,000 people;
        what is left is fetching the rows).

        With `only` (one query's search.FieldFilter), names and organisations are still everyone's, but
        an email, phone or note is left out (its field empty) where the filter says it cannot match:
        SQLite skips most rows before Python sees them.
        """
        if only is None:
            emails = dict(self._q("SELECT person_id, group_concat(value, ' ') FROM email GROUP BY person_id"))
            phones = dict(self._q("SELECT person_id, group_concat(value, ' ') FROM phone GROUP BY person_id"))
            # In (person_id, at, id) order, so the last note read for a person is their latest.
            latest = dict(self._q(
                "SELECT person_id, note FROM interaction WHERE note != '' ORDER BY person_id, at, id"))
            people = self._q("SELECT id, name, org, note FROM person")
        else:
            emails = self._joined_values("email", only) if only.emails else {}
            phones = self._joined_values("phone", None) if only.phones else {}
            if only.notes:
                might, params = _might_hold("note", only)
                # The latest note of each person, kept only when it may match.
                latest = dict(self._latest_notes(might, params))
                people = self._q(f"SELECT id, name, org, CASE WHEN {might} THEN note ELSE '' END FROM person",
                                 params)
            else:
                latest, people = {}, self._q("SELECT id, name, org, '' FROM person")
        return [
            (person_id, name, org, emails.get(person_id, ""), phones.get(person_id, ""),
             (f"{note}\n{latest[person_id]}" if person_id in latest else note).strip("\n "))
            for person_id, name, org, note in people
        ]

    def search_columns(self, only: FieldFilter) -> SearchColumns:
        """What `search.search_once` needs for one query (its `FieldFilter`): everyone's ids, names and
        organisations as three texts, and the emails, phones and notes `search_rows(only)` would carry,
        for the people who have any.

        Three texts cost SQLite one pass and Python three strings, where rows cost a tuple and its
        strings per person.
        """
        # A table scan yields rows in id order, and a name or organisation seldom holds the separator;
        # the slower query that makes sure of both is run only when the fast one shows otherwise.
        ids, names, orgs = self._q(
            "SELECT group_concat(id), group_concat(name, char(30)), group_concat(org, char(30)) FROM person")[0]
        if ids is None:
            return [], "", "", {}, {}, {}
        id_list = list(map(int, ids.split(",")))
        separators = len(id_list) - 1
        if names.count("\x1e") != separators or orgs.count("\x1e") != separators or id_list != sorted(id_list):
            ids, names, orgs = self._q(
                "SELECT group_concat(id), group_concat(replace(name, char(30), ' '), char(30)), "
                "group_concat(replace(org, char(30), ' '), char(30)) FROM (SELECT id, name, org FROM person "
                "ORDER BY id)")[0]
            id_list = list(map(int, ids.split(",")))
        emails = self._joined_values("email", only) if only.emails else {}
        phones = self._joined_values("phone", None) if only.phones else {}
        notes: dict[int, str] = {}
        if only.notes:
            might, params = _might_hold("note", only)
            latest = dict(self._latest_notes(might, params))
            own = dict(self._q(f"SELECT id, note FROM person WHERE note != '' AND {might}", params))
            for person_id in sorted(own.keys() | latest.keys()):
                note = own.get(person_id, "")
                text = (f"{note}\n{latest[person_id]}" if person_id in latest else note).strip("\n ")
                if text:
                    notes[person_id] = text
        return id_list, names, orgs, emails, phones, notes

    def _latest_notes(self, might: str, params: list[str]) -> list[tuple[int, str]]:
        """(person id, their latest interaction note) where that note satisfies `might`."""
        return self._q(
            "SELECT person_id, note FROM (SELECT person_id, note, row_number() OVER "
            "(PARTITION BY person_id ORDER BY at DESC, id DESC) AS newest FROM interaction "
            f"WHERE note != '') WHERE newest = 1 AND {might}", params)

    def _joined_values(self, table: str, only: FieldFilter | None) -> dict[int, str]:
        """person id -> their phones or emails joined by spaces, in insertion order; with `only`, just
        the values that may match it.

        A table scan in rowid order, grouped here: cheaper than GROUP BY, which visits the rows in
        person_id index order.
        """
        might, params = _might_hold("value", only) if only is not None else ("1", [])
        joined: dict[int, list[str]] = {}
        for person_id, value in self._q(f"SELECT person_id, value FROM {table} WHERE {might} ORDER BY id", params):
            joined.setdefault(person_id, []).append(value)
        return {person_id: " ".join(values) for person_id, values in joined.items()}

    # ---- buckets -------------------------------------------------------------------------------

    def board_columns(self) -> dict[Bucket, list[tuple[int, str]]]:
        """Every bucket's (id, name) rows in board order; one light query for drawing the board."""
        columns: dict[Bucket, list[tuple[int, str]]] = {bucket: [] for bucket in Bucket}
        rows = self._q(
            f"SELECT p.bucket, p.id, p.name FROM person p "
            f"ORDER BY {BUCKET_ORDER_SQL}, p.position, p.name COLLATE NOCASE, p.id"
        )
        for bucket, person_id, name in rows:
            columns[bucket_from_db(bucket)].append((person_id, name))
        return columns

    def last_contacts(self) -> dict[int, datetime]:
        """person id -> time of their latest interaction, for everyone who has one."""
        return {
            person_id: from_db_time(at)
            for person_id, at in self._q("SELECT person_id, MAX(at) FROM interaction GROUP BY person_id")
        }

    # Order inside a column: position, then name, then id. Positions may have gaps (a person who leaves
    # a column leaves a hole) and, in databases from before moves kept them apart, ties.
    _COLUMN_ORDER = "position, name COLLATE NOCASE, id"

    def _index_in_column(self, person_id: int) -> tuple[str, int]:
        """(bucket, index of the person in its column); two counts on the (bucket, position) index."""
        row = self.db.execute_sql(
            "SELECT bucket, position, name FROM person WHERE id = ?", (person_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no person with id {person_id}")
        bucket, position, name = row
        before = self._q("SELECT COUNT(*) FROM person WHERE bucket = ? AND position < ?", (bucket, position))[0][0]
        tied = self._q(
            "SELECT COUNT(*) FROM person WHERE bucket = ? AND position = ? AND id != ? "
            "AND (name COLLATE NOCASE < ? OR (name COLLATE NOCASE = ? AND id < ?))",
            (bucket, position, person_id, name, name, person_id),
        )[0][0]
        return bucket, before + tied

    def _place(self, person_id: int, bucket: str, index: int | None) -> int:
        """Put a person at `index` (None = end) of `bucket`'s column, the person left out; returns the index.

        The column the person leaves is not renumbered (order is by position; a gap is harmless). Only
        the rows on the shorter side of the insertion point shift by one, and none when a gap is there.
        """
        size = self._q("SELECT COUNT(*) FROM person WHERE bucket = ? AND id != ?", (bucket, person_id))[0][0]
        index = size if index is None else max(0, min(index, size))
        if index == size:
            # Walks the index from the top end; MAX() with `id != ?` would read the whole column.
            top = self._q("SELECT position FROM person WHERE bucket = ? AND id != ? ORDER BY position DESC LIMIT 1",
                          (bucket, person_id))
            position = top[0][0] + 1 if top else 0
        else:
            # The neighbours the person goes between: the rows now at index-1 and index.
            rows = self._q(
                f"SELECT position FROM person WHERE bucket = ? AND id != ? ORDER BY {self._COLUMN_ORDER} "
                "LIMIT ? OFFSET ?",
                (bucket, person_id, 2 if index else 1, max(index - 1, 0)),
            )
            after = rows[-1][0]
            before = rows[0][0] if index else None
            if before is None or after - before >= 2:
                position = after - 1
            elif before == after:
                # A tie (an old database): positions cannot tell the neighbours apart, so number the column.
                self._renumber(bucket, person_id, index)
                return index
            elif index <= size - index:
                self.db.execute_sql(
                    "UPDATE person SET position = position - 1 WHERE bucket = ? AND position <= ? AND id != ?",
                    (bucket, before, person_id))
                position = before
            else:
                self.db.execute_sql(
                    "UPDATE person SET position = position + 1 WHERE bucket = ? AND position >= ? AND id != ?",
                    (bucket, after, person_id))
                position = after
        self.db.execute_sql("UPDATE person SET bucket = ?, position = ? WHERE id = ?", (bucket, position, person_id))
        return index

    def _renumber(self, bucket: str, person_id: int, index: int) -> None:
        """Number `bucket`'s column 0..n-1 with the person inserted at `index`."""
        column = [row[0] for row in self._q(
            f"SELECT id FROM person WHERE bucket = ? AND id != ? ORDER BY {self._COLUMN_ORDER}", (bucket, person_id))]
        column.insert(index, person_id)
        self.db.connection().executemany(
            "UPDATE person SET bucket = ?, position = ? WHERE id = ?",
            [(bucket, position, pid) for position, pid in enumerate(column)])

    def move(self, person_id: int, bucket: Bucket, position: int | None = None) -> Move:
        """Move a person to `bucket` at index `position` (None = end of the column) and record the move.

        Moving a person to where they already are records nothing and returns a Move with id 0.
        """
        bucket = Bucket(bucket)
        at = self.now()
        with self.db.atomic():
            old_bucket, from_index = self._index_in_column(person_id)
            from_bucket = bucket_from_db(old_bucket)
            if old_bucket == bucket.value:
                size = self.count_people(bucket) - 1
                to_index = size if position is None else max(0, min(position, size))
                if to_index == from_index:
                    return domain.Move(0, person_id, at, from_bucket, bucket, from_index, to_index)
            to_index = self._place(person_id, bucket.value, position)
            move_id = self.db.execute_sql(
                "INSERT INTO bucket_move (person_id, at, from_bucket, to_bucket, from_position, to_position) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (person_id, to_db_time(at), old_bucket, bucket.value, from_index, to_index),
            ).lastrowid
            self.db.execute_sql("UPDATE person SET updated_at = ? WHERE id = ?", (to_db_time(at), person_id))
        return domain.Move(move_id, person_id, at, from_bucket, bucket, from_index, to_index)

    def undo_last_move(self) -> Move | None:
        """Put the person of the most recent move back where they were; forget that move."""
        with self.db.atomic():
            rows = self._q(f"SELECT {MOVE_COLUMNS} FROM bucket_move ORDER BY id DESC LIMIT 1")
            if not rows:
                return None
            move = move_from_row(rows[0])
            if move.from_bucket is not None:
                self._place(move.person_id, move.from_bucket.value, move.from_position)
            self.db.execute_sql("DELETE FROM bucket_move WHERE id = ?", (move.id,))
        return move

    # ---- time invested -------------------------------------------------------------------------

    def log_interaction(
        self, person_id: int, minutes: int, kind: str = "", note: str = "", at: datetime | None = None
    ) -> Interaction:
        """Record time spent with a person (at = now unless given)."""
        if minutes < 0:
            raise ValueError("minutes cannot be negative")
        when = at if at is not None else self.now()
        with self.db.atomic():
            self._require_person(person_id)
            interaction_id = self.db.execute_sql(
                "INSERT INTO interaction (person_id, at, minutes, kind, note, created_at) VALUES (?,?,?,?,?,?)",
                (person_id, to_db_time(when), minutes, kind, note, self._now_text()),
            ).lastrowid
        return self._interaction(interaction_id)

    def _interaction(self, interaction_id: int) -> Interaction:
        rows = self._q(f"SELECT {INTERACTION_COLUMNS} FROM interaction WHERE id = ?", (interaction_id,))
        if not rows:
            raise NotFoundError(f"no interaction with id {interaction_id}")
        return interaction_from_row(rows[0])

    def update_interaction(
        self,
        interaction_id: int,
        *,
        minutes: int | None = None,
        kind: str | None = None,
        note: str | None = None,
        at: datetime | None = None,
    ) -> Interaction:
        """Change the given fields of an interaction; the others stay."""
        if minutes is not None and minutes < 0:
            raise ValueError("minutes cannot be negative")
        changes = {"minutes": minutes, "kind": kind, "note": note, "at": to_db_time(at) if at else None}
        changes = {column: value for column, value in changes.items() if value is not None}
        with self.db.atomic():
            self._interaction(interaction_id)
            if changes:
                assignments = ", ".join(f"{column} = ?" for column in changes)
                self.db.execute_sql(
                    f"UPDATE interaction SET {assignments} WHERE id = ?", (*changes.values(), interaction_id)
                )
        return self._interaction(interaction_id)

    def delete_interaction(self, interaction_id: int) -> None:
        with self.db.atomic():
            if self.db.execute_sql("DELETE FROM interaction WHERE id = ?", (interaction_id,)).rowcount == 0:
                raise NotFoundError(f"no interaction with id {interaction_id}")

    def due(self, cadence: Cadence | None = None, now: datetime | None = None) -> list[DueEntry]:
        """Inner/nurture people not contacted for their bucket's cadence in days (or never), most overdue first.

        The cadence rule alone (no warmth floor), on the UTC calendar: the same query as `going_cold`.
        """
        from tiecrm.config import WarmthFloor
        from tiecrm.store import stats

        no_floors = WarmthFloor(inner=None, nurture=None)  # the cadence alone: no bucket has a warmth floor
        cadence = domain.Cadence() if cadence is None else cadence
        entries = stats.going_cold_people(
            self.db, now if now is not None else self.now(), cadence, no_floors, 60.0, timezone.utc)
        return [domain.DueEntry(e.person, e.coldness.days_since) for e in entries]

    # ---- duplicates ----------------------------------------------------------------------------

    def possible_duplicates(self) -> list[DuplicatePair]:
        """Pending pairs whose people both still exist, best score first."""
        rows = self._q(
            """
            SELECT d.id, d.a, d.b, d.reason, d.score FROM duplicate_candidate d
            JOIN person pa ON pa.id = d.a JOIN person pb ON pb.id = d.b
            WHERE d.status = 'pending' ORDER BY d.score DESC, d.id
            """
        )
        ids = {pid for row in rows for pid in row[1:3]}
        summaries = {s.id: s for s in self._summaries(ids)}
        return [
            domain.DuplicatePair(pair_id, summaries[a], summaries[b], reason, score)
            for pair_id, a, b, reason, score in rows
        ]

    def _summaries(self, ids: set[int]) -> list[PersonSummary]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [summary_from_select(r) for r in self._q(SUMMARY_SELECT + f" WHERE p.id IN ({marks})", tuple(ids))]

    def merge_people(self, keep_id: int, other_id: int) -> PersonSummary:
        """Fold `other` into `keep`: every phone, email, address, note, interaction, move and raw card
        is kept (exact repeats dropped); empty fields of `keep` are filled; `other` is deleted."""
        if keep_id == other_id:
            raise ValueError("cannot merge a person with themselves")
        now = self._now_text()
        with self.db.atomic():
            self._require_person(keep_id)
            self._require_person(other_id)
            (keep,) = self._q("SELECT org, title, birthday, note, photo IS NOT NULL FROM person WHERE id = ?",
                              (keep_id,))
            (other,) = self._q("SELECT org, title, birthday, note, photo, photo_type FROM person WHERE id = ?",
                               (other_id,))
            org = keep[0] or other[0]
            title = keep[1] or other[1]
            birthday = keep[2] or other[2]
            note = keep[3]
            if other[3].strip() and other[3].strip() not in note:
                note = f"{note.rstrip()}\n\n{other[3].strip()}" if note.strip() else other[3].strip()
            self.db.execute_sql(
                "UPDATE person SET org = ?, title = ?, birthday = ?, note = ?, updated_at = ? WHERE id = ?",
                (org, title, birthday, note, now, keep_id),
            )
            if not keep[4] and other[4] is not None:
                self.db.execute_sql("UPDATE person SET photo = ?, photo_type = ? WHERE id = ?",
                                    (other[4], other[5], keep_id))
            self._move_contacts(keep_id, other_id)
            for table in ("address", "interaction", "bucket_move", "card"):
                self.db.execute_sql(f"UPDATE {table} SET person_id = ? WHERE person_id = ?", (keep_id, other_id))
            self._repoint_candidates(keep_id, other_id)
            self.db.execute_sql("DELETE FROM person WHERE id = ?", (other_id,))
        summary = self.get_summary(keep_id)
        assert summary is not None
        return summary

    def _move_contacts(self, keep_id: int, other_id: int) -> None:
        """Give `other`'s phones and emails to `keep`, dropping exact repeats of what `keep` has."""
        from tiecrm.matching import email_key

        keep_phones = {v.strip() for (v,) in self._q("SELECT value FROM phone WHERE person_id = ?", (keep_id,))}
        for phone_id, value in self._q("SELECT id, value FROM phone WHERE person_id = ?", (other_id,)):
            if value.strip() in keep_phones:
                self.db.execute_sql("DELETE FROM phone WHERE id = ?", (phone_id,))
            else:
                keep_phones.add(value.strip())
                self.db.execute_sql("UPDATE phone SET person_id = ? WHERE id = ?", (keep_id, phone_id))
        keep_emails = {k for (k,) in self._q("SELECT key FROM email WHERE person_id = ?", (keep_id,))}
        for email_id, value in self._q("SELECT id, value FROM email WHERE person_id = ?", (other_id,)):
            if email_key(value) in keep_emails:
                self.db.execute_sql("DELETE FROM email WHERE id = ?", (email_id,))
            else:
                keep_emails.add(email_key(value))
                self.db.execute_sql("UPDATE email SET person_id = ? WHERE id = ?", (keep_id, email_id))

    def _repoint_candidates(self, keep_id: int, other_id: int) -> None:
        """The merged pair becomes 'merged'; other pairs of `other` now concern `keep` (dismissals survive)."""
        a, b = sorted((keep_id, other_id))
        self.db.execute_sql("UPDATE duplicate_candidate SET status = 'merged' WHERE a = ? AND b = ?", (a, b))
        rows = self._q(
            "SELECT id, a, b, status FROM duplicate_candidate WHERE (a = ? OR b = ?) AND NOT (a = ? AND b = ?)",
            (other_id, other_id, a, b),
        )
        for row_id, ra, rb, status in rows:
            partner = rb if ra == other_id else ra
            na, nb = sorted((keep_id, partner))
            existing = self._q("SELECT id, status FROM duplicate_candidate WHERE a = ? AND b = ?", (na, nb))
            if existing:
                if status == "dismissed":
                    self.db.execute_sql(
                        "UPDATE duplicate_candidate SET status = 'dismissed' WHERE id = ?", (existing[0][0],))
                self.db.execute_sql("DELETE FROM duplicate_candidate WHERE id = ?", (row_id,))
            else:
                self.db.execute_sql("UPDATE duplicate_candidate SET a = ?, b = ? WHERE id = ?", (na, nb, row_id))

    def dismiss_duplicate(self, a_id: int, b_id: int) -> None:
        """Remember that two people are not the same, so the pair is never proposed again."""
        if a_id == b_id:
            raise ValueError("a person is not a duplicate of themselves")
        a, b = sorted((a_id, b_id))
        with self.db.atomic():
            self._require_person(a)
            self._require_person(b)
            self.db.execute_sql(
                "INSERT INTO duplicate_candidate (a, b, reason, score, status, created_at) "
                "VALUES (?, ?, 'manual', 0, 'dismissed', ?) "
                "ON CONFLICT (a, b) DO UPDATE SET status = 'dismissed'",
                (a, b, self._now_text()),
            )

    # ---- time invested: the SQL aggregates of tiecrm/store/stats.py ---------------------------------

    def minutes_per_period(self, person_id: int, periods: Sequence[Period]) -> list[int]:
        """Minutes invested with a person in each period (local weeks or months as UTC instants)."""
        from tiecrm.store import stats

        return stats.minutes_per_period(self.db, person_id, periods)

    def person_totals(self, person_id: int, today: date, tz: tzinfo | None = None) -> Totals:
        """Minutes in the last 30, 90 and 365 local days and in all."""
        from tiecrm.store import stats

        return stats.person_totals(self.db, person_id, today, tz)

    def person_warmth(self, person_id: int, half_life_days: float, now: datetime | None = None) -> float:
        from tiecrm.store import stats

        return stats.person_warmth(self.db, person_id, now or self.now(), half_life_days)

    def warmth_by_person(
        self, half_life_days: float, now: datetime | None = None, bucket: Bucket | None = None
    ) -> dict[int, float]:
        from tiecrm.store import stats

        return stats.warmth_by_person(self.db, now or self.now(), half_life_days, bucket)

    def count_going_cold(
        self, cadence: Cadence, floors, half_life_days: float, now: datetime | None = None, tz: tzinfo | None = None
    ) -> int:
        from tiecrm.store import stats

        return stats.count_going_cold(self.db, now or self.now(), cadence, floors, half_life_days, tz)

    def going_cold(
        self, cadence: Cadence, floors, half_life_days: float, now: datetime | None = None, tz: tzinfo | None = None
    ) -> list[ColdEntry]:
        """Everyone going cold (cadence or warmth floor), most overdue first, with their last note."""
        from tiecrm.store import stats

        return stats.going_cold_people(self.db, now or self.now(), cadence, floors, half_life_days, tz)

    def birthdays_soon(self, today: date, days: int = 14):
        """Birthdays (year-less ones too) in the next `days` days, soonest first."""
        from tiecrm.store import stats

        return stats.birthdays_soon(self.db, today, days)

    def returns_report(self, today: date, tz: tzinfo | None = None) -> ReturnsReport:
        """Per bucket: people, recent minutes and their share, top people; the vanity ratio; drift hints."""
        from tiecrm.store import stats

        return stats.returns_report(self.db, today, tz)
