"""Import a batch of card drafts: match each against the store (hash, UID, phone, email), write in bulk."""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import peewee

from tiecrm.domain import CardDraft, CardProblem, ImportSummary
from tiecrm.matching import digits_match, names_compatible, phone_digits, similar_name_pairs
from tiecrm.name_pairs import FORK_EARLY_FROM, NameGroups
from tiecrm.store.bulk import EMPTY_IS_NULL, insert_rows
from tiecrm.store.prepared import (
    NO_NAME,
    PreparedCard,
    card_hash,
    draft_bucket,
    new_uid,
    pairing_name,
    prepare_card,
)

__all__ = ["FLUSH_EVERY", "BatchImport", "card_hash", "draft_bucket", "import_drafts", "new_uid"]

FLUSH_EVERY = 500  # drafts between bulk writes and progress reports
IMPORT_CACHE_KIB = 12 * 1024  # SQLite page cache while a batch writes into kept indexes
# The order of BatchImport's new person rows, which give '' for no birthday or photo (see bulk.EMPTY_IS_NULL),
# and of its card rows. Their timestamps, and the cards' batch, are the batch's own: `flush` binds them once an
# INSERT (bulk.insert_rows' `shared`).
_PERSON_COLUMNS = ("id", "uid", "name", "org", "title", ("birthday", EMPTY_IS_NULL), "note",
                   ("photo", EMPTY_IS_NULL), "photo_type", "bucket", "position")
_CARD_COLUMNS = ("id", "person_id", "raw", "source", "line", "uid", "hash")
FEW_CARDS = 1000  # below this, the one similar-names pass at the end costs little whatever the store
# Indexes whose entries land at random places: a large batch into a small store builds them afterwards.
# person_uid is unique: the batch never gives two people one UID (every UID it has seen is in `uids`), and
# were it to, building the index again would fail and roll the whole batch back.
REBUILT_INDEXES = ("card_hash", "card_uid", "phone_key", "email_key", "person_uid")


def _index_add(index: dict, key: str, entry: object) -> None:
    """File `entry` under `key`. A lone entry is kept bare and a list made only once a key is shared:
    most keys are not, and at 50,000 cards a list per key costs more memory than the entries."""
    found = index.get(key)
    if found is None:
        index[key] = entry
    elif type(found) is list:
        found.append(entry)
    else:
        index[key] = [found, entry]


def _index_get(index: dict, key: str) -> list | tuple:
    """Every entry filed under `key` (see `_index_add`)."""
    found = index.get(key)
    if found is None:
        return ()
    return found if type(found) is list else (found,)


@dataclass(slots=True)
class _Person:
    """What the import needs to know about one person it has touched."""

    id: int
    name: str
    org: str
    title: str
    birthday: str | None
    note: str
    has_photo: bool
    phone_digits: list[str] = field(default_factory=list)
    phone_values: set[str] = field(default_factory=set)
    email_keys: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    dirty: bool = False  # scalar fields changed since the person was last written
    photo: bytes | None = None  # a photo to write onto an already written person
    photo_type: str = ""


class BatchImport:
    """One import batch inside one write transaction. Use `run`."""

    def __init__(self, db: peewee.SqliteDatabase, now_text: str, source: str, expected_cards: int = 0) -> None:
        self.db = db
        self.expected_cards = expected_cards
        self._set_aside: list[str] = []  # CREATE INDEX statements of indexes dropped for the batch
        # Names grouped as people come, when the batch is large next to the store (see _load_indexes).
        self.name_groups: NameGroups | None = None
        self.conn: sqlite3.Connection = db.connection()
        self.now = now_text
        self.source = source
        self.added = self.updated = self.unchanged = 0
        self.touched: set[int] = set()
        self.created_with_uid: set[int] = set()  # people this batch created from a card with a UID
        self.contact_pairs: list[tuple[int, int, str]] = []  # (new person, existing person, phone|email)
        # People read back from the store to be merged into, until the next flush. A person this batch
        # creates is only a row to insert until then (see _person).
        self.people: dict[int, _Person] = {}
        self._new_rows: list[list] = []
        self._phones: list[tuple] = []
        self._emails: list[tuple] = []
        self._addresses: list[tuple] = []
        self._cards: dict[int, list] = {}
        self._card_updates: list[tuple] = []
        self._load_hashes()

    # ---- loading -------------------------------------------------------------------------------

    def _load_hashes(self) -> None:
        q = self.conn.execute
        self.hashes: set[str] = {row[0] for row in q("SELECT hash FROM card")}
        self.batch_id = q(
            "INSERT INTO import_batch (started_at, finished_at, source, added, updated, unchanged, skipped) "
            "VALUES (?, NULL, ?, 0, 0, 0, 0)",
            (self.now, self.source),
        ).lastrowid
        self._indexes_loaded = False

    def _load_indexes(self) -> None:
        """Everything matching needs, one query each, into dicts. Loaded at the first card that is not
        unchanged, so re-importing an unchanged file reads nothing but the card hashes."""
        self._indexes_loaded = True
        q = self.conn.execute
        self.uids: dict[str, int] = {}
        self.card_by_uid: dict[str, int] = {}
        for card_id, person_id, uid in q("SELECT id, person_id, uid FROM card WHERE uid IS NOT NULL ORDER BY id"):
            self.uids.setdefault(uid, person_id)
            self.card_by_uid.setdefault(uid, card_id)
        for uid, person_id in q("SELECT uid, id FROM person"):
            self.uids[uid] = person_id  # a person's own UID wins over one of its cards'
        # Phone key -> [(person id, written value)]; digits are worked out only on a key collision.
        self.phone_index: dict[str, tuple[int, str] | list[tuple[int, str]]] = {}
        for person_id, value, key in q("SELECT person_id, value, key FROM phone WHERE key IS NOT NULL"):
            _index_add(self.phone_index, key, (person_id, value))
        self.email_index: dict[str, int | list[int]] = {}
        for person_id, key in q("SELECT person_id, key FROM email"):
            _index_add(self.email_index, key, person_id)
        self.next_position = {
            bucket: (top + 1) for bucket, top in q("SELECT bucket, MAX(position) FROM person GROUP BY bucket")
        }
        self.next_person_id = (q("SELECT MAX(id) FROM person").fetchone()[0] or 0) + 1
        self._unflushed_from = self.next_person_id  # people created from here on are not written yet
        self.next_card_id = (q("SELECT MAX(id) FROM card").fetchone()[0] or 0) + 1
        # A batch at least as large as the store (a first import, a second phone's whole book) groups
        # its names person by person as the cards come, which takes that work off the pass after the last
        # card; a few cards into a large store leave the names to that pass, which only blocks on their words.
        stored = q("SELECT COUNT(*) FROM person").fetchone()[0]
        if self.expected_cards >= FEW_CARDS and stored <= self.expected_cards:
            self.name_groups = NameGroups(fork_now=self.expected_cards >= FORK_EARLY_FROM)
            for person_id, name in q("SELECT id, name FROM person"):
                self.name_groups.add_known(person_id, pairing_name(name))
            self._set_aside_indexes()
        else:
            # The UID and card-hash indexes take this batch's entries at random places: with SQLite's
            # default 2 MB of page cache, a batch into a large store writes the same index pages out again
            # and again. (With the indexes set aside the default serves as well, and at 50,000 cards the
            # larger cache would be 10 MB more memory, counted again in the process the similar-names
            # pass forks.)
            q(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")

    def _set_aside_indexes(self) -> None:
        """Drop the indexes a large batch would write at random places (hashes, phone and email keys, card
        and person UIDs), to build them again in one sorted pass before the batch commits (`rebuild_indexes`).
        Nothing the batch reads goes through them. The drop is part of the batch's transaction, so a
        failed or killed import gets them back with everything else."""
        q = self.conn.execute
        self._set_aside = [
            sql for (sql,) in q(
                f"SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND name IN ({', '.join('?' * len(REBUILT_INDEXES))})", REBUILT_INDEXES)
        ]
        for name in REBUILT_INDEXES:
            q(f'DROP INDEX IF EXISTS "{name}"')

    def rebuild_indexes(self) -> None:
        """Build again the indexes `_set_aside_indexes` dropped (see there)."""
        for sql in self._set_aside:
            self.conn.execute(sql)
        self._set_aside = []

    def _person(self, person_id: int) -> _Person:
        """The import's view of a person, read from the database the first time it is needed."""
        person = self.people.get(person_id)
        if person is not None:
            return person
        if person_id >= self._unflushed_from:
            # Created since the last flush: written first, then read back like anyone else. Most people
            # are never merged into, so none of them is kept as a _Person for the case.
            self.flush()
        q = self.conn.execute
        row = q(
            "SELECT name, org, title, birthday, note, photo IS NOT NULL FROM person WHERE id = ?", (person_id,)
        ).fetchone()
        person = _Person(person_id, row[0], row[1], row[2], row[3], row[4], bool(row[5]))
        for (value,) in q("SELECT value FROM phone WHERE person_id = ?", (person_id,)):
            person.phone_values.add(value.strip())
            person.phone_digits.append(phone_digits(value))
        person.email_keys = {row[0] for row in q("SELECT key FROM email WHERE person_id = ?", (person_id,))}
        person.addresses = {row[0] for row in q("SELECT value FROM address WHERE person_id = ?", (person_id,))}
        self.people[person_id] = person
        return person

    # ---- matching ------------------------------------------------------------------------------

    def _match_contacts(self, card: PreparedCard) -> tuple[int | None, str]:
        """The existing person sharing most phones/emails with the card (lowest id on a tie), and
        whether a `phone` or an `email` matched.

        Two cards of the same batch that both carry a UID are distinct entries of one address book (an
        export from tiecrm, a CardDAV dump): they are never merged with each other, only with people
        stored before, or with UID-less cards (a second phone's export).
        """
        # Most cards share nothing with anyone: the tallies are only made on a first hit.
        hits: dict[int, int] | None = None
        by_phone: set[int] = set()
        phone_index, email_index = self.phone_index, self.email_index
        for _value, _label, digits in card.phones:
            if len(digits) < 5 or digits[-7:] not in phone_index:
                continue
            for person_id, value in _index_get(phone_index, digits[-7:]):
                if digits_match(digits, phone_digits(value)):
                    hits = hits if hits is not None else {}
                    hits[person_id] = hits.get(person_id, 0) + 1
                    by_phone.add(person_id)
        for _value, _label, key in card.emails:
            if key not in email_index:
                continue
            for person_id in _index_get(email_index, key):
                hits = hits if hits is not None else {}
                hits[person_id] = hits.get(person_id, 0) + 1
        if hits is None:
            return None, ""
        if card.uid is not None:
            for person_id in [p for p in hits if p in self.created_with_uid]:
                del hits[person_id]
        if not hits:
            return None, ""
        best = min(hits, key=lambda person_id: (-hits[person_id], person_id))
        return best, "phone" if best in by_phone else "email"

    def add(self, card: PreparedCard) -> None:
        digest = card.digest
        if digest in self.hashes:
            self.unchanged += 1
            return
        self.hashes.add(digest)
        if not self._indexes_loaded:
            self._load_indexes()
        uid = card.uid
        person_id = self.uids.get(uid) if uid else None
        if person_id is not None:
            self._update(self._person(person_id), card, by_uid=True)
            return
        person_id, reason = self._match_contacts(card)
        if person_id is not None:
            person = self._person(person_id)
            if self._named_alike(person, card):
                self._update(person, card, by_uid=False)
                return
            # A shared number or email under another name (a family landline, a shared inbox): keep both
            # people and let the user decide on the merge screen.
            self.contact_pairs.append((self.next_person_id, person_id, reason))
        self._create(card)

    @staticmethod
    def _named_alike(person: _Person, card: PreparedCard) -> bool:
        if card.named_after_contact:
            return True  # a card named after its own number or address says nothing about the name
        return person.name == NO_NAME or names_compatible(person.name, card.name)

    # ---- writing into the buffers --------------------------------------------------------------

    def _create(self, card: PreparedCard) -> None:
        person_id = self.next_person_id
        self.next_person_id += 1
        uid = card.uid
        person_uid = uid or card.spare_uid or new_uid()
        bucket = card.bucket
        position = self.next_position.get(bucket, 0)
        self.next_position[bucket] = position + 1
        name = card.name or NO_NAME
        photo = card.photo
        self._new_rows.append([
            person_id, person_uid, name, card.org, card.title, card.birthday or "", card.note,
            "" if photo is None else photo, card.photo_type, bucket, position,
        ])
        self.uids[person_uid] = person_id
        if uid:
            self.created_with_uid.add(person_id)
        self.added += 1
        self.touched.add(person_id)
        if self.name_groups is not None:
            self.name_groups.add_new(person_id, pairing_name(name), card.name_tokens)
        self._add_new_contacts(person_id, card)
        # A card without a UID is filed under the person's generated one, so its export re-imports here.
        self._add_card(person_id, card, person_uid)

    def _update(self, person: _Person, card: PreparedCard, by_uid: bool) -> None:
        """Merge a card into a person. A UID match is a newer version of the same card: its values win;
        a phone/email match only fills what the person lacks."""
        name = card.name
        uid = card.uid
        if name and name != NO_NAME and (by_uid or person.name in ("", NO_NAME)) and name != person.name:
            self._set(person, "name", name)
        for attr, value in (("org", card.org), ("title", card.title), ("birthday", card.birthday)):
            if value and (by_uid or not getattr(person, attr)) and value != getattr(person, attr):
                self._set(person, attr, value)
        if card.photo is not None and (by_uid or not person.has_photo):
            person.has_photo = True
            person.photo, person.photo_type = card.photo, card.photo_type
            person.dirty = True
        note = card.note.strip()
        if note and note not in person.note:
            self._set(person, "note", f"{person.note.rstrip()}\n\n{note}" if person.note.strip() else note)
        self._add_contacts(person, card)
        if by_uid and uid in self.card_by_uid:
            self._replace_card(self.card_by_uid[uid], person.id, card)
        else:
            self._add_card(person.id, card, uid)
        if uid:
            self.uids.setdefault(uid, person.id)
        self.updated += 1
        self.touched.add(person.id)
        if self.name_groups is not None:
            self.name_groups.touch(person.id)

    def _set(self, person: _Person, attr: str, value: str) -> None:
        if attr == "name" and self.name_groups is not None:
            self.name_groups.rename(person.id, pairing_name(person.name), pairing_name(value))
        setattr(person, attr, value)
        person.dirty = True

    def _add_new_contacts(self, person_id: int, card: PreparedCard) -> None:
        """`_add_contacts` for the person the card creates, who has none yet: every phone, email and address
        (each is on a PreparedCard once).

        The filing lines are `_add_contacts`' own, written out rather than shared through a method: this
        runs once a card, and the three calls a card would cost 1.7% of the storing's instructions."""
        for value, label, digits in card.phones:
            key = digits[-7:] if len(digits) >= 5 else None  # matching.phone_key's rule, on digits
            self._phones.append((person_id, value, label, key))
            if key is not None:
                _index_add(self.phone_index, key, (person_id, value))
        for value, label, key in card.emails:
            self._emails.append((person_id, value, label, key))
            _index_add(self.email_index, key, person_id)
        if card.addresses:
            self._addresses.extend([(person_id, value, label) for value, label in card.addresses])

    def _add_contacts(self, person: _Person, card: PreparedCard) -> None:
        """Add the card's phones, emails and addresses that `person` does not have yet (a phone is had when
        it matches one of theirs, however written)."""
        for value, label, digits in card.phones:
            if not value or value in person.phone_values:
                continue
            if any(digits_match(digits, known) for known in person.phone_digits):
                continue
            person.phone_values.add(value)
            person.phone_digits.append(digits)
            key = digits[-7:] if len(digits) >= 5 else None  # matching.phone_key's rule, on digits
            self._phones.append((person.id, value, label, key))
            if key is not None:
                _index_add(self.phone_index, key, (person.id, value))
        for value, label, key in card.emails:
            if not key or key in person.email_keys:
                continue
            person.email_keys.add(key)
            self._emails.append((person.id, value, label, key))
            _index_add(self.email_index, key, person.id)
        for value, label in card.addresses:
            if value and value not in person.addresses:
                person.addresses.add(value)
                self._addresses.append((person.id, value, label))

    def _card_row(self, person_id: int, card: PreparedCard, uid: str | None) -> list:
        return [person_id, card.raw, card.source or self.source, card.line, uid, card.digest]

    def _add_card(self, person_id: int, card: PreparedCard, uid: str | None) -> None:
        card_id = self.next_card_id
        self.next_card_id += 1
        self._cards[card_id] = self._card_row(person_id, card, uid)
        if uid:
            self.card_by_uid.setdefault(uid, card_id)

    def _replace_card(self, card_id: int, person_id: int, card: PreparedCard) -> None:
        """A newer version of a card with the same UID takes the old version's place."""
        row = self._card_row(person_id, card, card.uid)
        if card_id in self._cards:
            self._cards[card_id] = row
        else:
            self._card_updates.append((*row[1:], self.batch_id, self.now, card_id))

    # ---- flushing ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write everything buffered so far (inside the batch's transaction)."""
        many = self.conn.executemany
        if self._new_rows:
            insert_rows(self.conn, "person", _PERSON_COLUMNS, self._new_rows,
                        {"created_at": self.now, "updated_at": self.now})
            self._new_rows = []
            self._unflushed_from = self.next_person_id
        dirty = [person for person in self.people.values() if person.dirty]
        if dirty:
            many(
                "UPDATE person SET name = ?, org = ?, title = ?, birthday = ?, note = ?, updated_at = ? "
                "WHERE id = ?",
                [(p.name, p.org, p.title, p.birthday, p.note, self.now, p.id) for p in dirty],
            )
            many(
                "UPDATE person SET photo = ?, photo_type = ? WHERE id = ?",
                [(p.photo, p.photo_type, p.id) for p in dirty if p.photo is not None],
            )
        # Everyone touched so far is written now; a later card matching one of them reads the person back
        # (as it would after another import), so a large import does not keep every person in memory.
        self.people.clear()
        if self._phones:
            insert_rows(self.conn, "phone", ("person_id", "value", "label", "key"), self._phones)
            self._phones = []
        if self._emails:
            insert_rows(self.conn, "email", ("person_id", "value", "label", "key"), self._emails)
            self._emails = []
        if self._addresses:
            insert_rows(self.conn, "address", ("person_id", "value", "label"), self._addresses)
            self._addresses = []
        if self._cards:
            insert_rows(self.conn, "card", _CARD_COLUMNS, [(card_id, *row) for card_id, row in self._cards.items()],
                        {"batch_id": self.batch_id, "imported_at": self.now})
            self._cards = {}
        if self._card_updates:
            many(
                "UPDATE card SET raw = ?, source = ?, line = ?, uid = ?, hash = ?, batch_id = ?, imported_at = ? "
                "WHERE id = ?",
                self._card_updates,
            )
            self._card_updates = []

    # ---- after the batch -----------------------------------------------------------------------

    def release_indexes(self) -> None:
        """Drop what only matching needed, once every card is in, so the name pass has the memory."""
        self.hashes = set()
        self.uids, self.card_by_uid, self.phone_index, self.email_index = {}, {}, {}, {}
        self.people.clear()

    def record_similar_names(self, meanwhile: Callable[[], None]) -> int:
        """Record pending 'name' candidates between touched people and everyone; return how many are new.

        `meanwhile` is run once on the way, while a forked process scores names when there is one (see
        NameGroups.pairs): the index rebuild, which would otherwise come before the whole pass."""
        if not self.touched:
            meanwhile()
            return 0
        q = self.conn.execute
        if self.name_groups is not None:
            found = self.name_groups.pairs(meanwhile=meanwhile)
        else:
            meanwhile()
            names = [(pid, name) for pid, name in q("SELECT id, name FROM person") if pairing_name(name)]
            found = similar_name_pairs(names, self.touched)
        pairs = [(a, b, "name", score) for a, b, score in found]
        pairs += [(min(a, b), max(a, b), reason, 100.0) for a, b, reason in self.contact_pairs]
        if not pairs:
            return 0
        known = {(a, b) for a, b in q("SELECT a, b FROM duplicate_candidate")}
        fresh = []
        for a, b, reason, score in pairs:
            if (a, b) not in known:
                known.add((a, b))
                fresh.append((a, b, reason, score))
        insert_rows(self.conn, "duplicate_candidate", ("a", "b", "reason", "score"), fresh,
                    {"status": "pending", "created_at": self.now})
        return len(fresh)

    def close(self) -> None:
        """Let go of any process started for the batch (whether it finished or failed)."""
        if self.name_groups is not None:
            self.name_groups.close()

    def finish(self, skipped: int, possible_duplicates: int, problems: Sequence[CardProblem]) -> ImportSummary:
        self.conn.execute(
            "UPDATE import_batch SET finished_at = ?, added = ?, updated = ?, unchanged = ?, skipped = ? "
            "WHERE id = ?",
            (self.now, self.added, self.updated, self.unchanged, skipped, self.batch_id),
        )
        return ImportSummary(
            added=self.added,
            updated=self.updated,
            unchanged=self.unchanged,
            skipped=skipped,
            possible_duplicates=possible_duplicates,
            problems=tuple(problems),
        )


def import_drafts(
    db: peewee.SqliteDatabase,
    drafts: Iterable[CardDraft | PreparedCard],
    problems: Sequence[CardProblem],
    source: str,
    now_text: str,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import `drafts` in one transaction: a failure or a killed process leaves the database as it was.

    Each item is a CardDraft, or a PreparedCard when the cards were prepared elsewhere (another process).
    When `drafts` knows how many cards are coming (`operator.length_hint`), a large batch finds its
    similar names as it goes.
    """
    conn = db.connection()
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]  # the batch may enlarge it (_load_indexes)
    # Every row the batch writes refers to a person it created or read, and to its own import_batch row, in
    # the one transaction that holds the write lock: SQLite's foreign-key checks would find nothing, yet they
    # cost a parent lookup a row and, with INSERTs of many rows, a statement journal (a copy of every page
    # each INSERT changes, in a temporary file: 245 MB of writes at 50,000 cards). They are off for the
    # batch, as the pragma allows only outside a transaction, and back on after it, failed or not.
    checks_paused = not conn.in_transaction and conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    if checks_paused:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        return _import(db, drafts, problems, source, now_text, progress)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
        if checks_paused:
            conn.execute("PRAGMA foreign_keys = ON")


def _import(
    db: peewee.SqliteDatabase,
    drafts: Iterable[CardDraft | PreparedCard],
    problems: Sequence[CardProblem],
    source: str,
    now_text: str,
    progress: Callable[[int], None] | None,
) -> ImportSummary:
    with db.atomic():
        batch = BatchImport(db, now_text, source, operator.length_hint(drafts, 0))
        try:
            done = 0
            for draft in drafts:
                batch.add(draft if type(draft) is PreparedCard else prepare_card(draft))
                done += 1
                if done % FLUSH_EVERY == 0:
                    batch.flush()
                    if progress is not None:
                        progress(done)
            batch.flush()
            batch.release_indexes()
            possible = batch.record_similar_names(meanwhile=batch.rebuild_indexes)
            summary = batch.finish(len(problems), possible, problems)
        finally:
            batch.close()
    if progress is not None and done % FLUSH_EVERY:
        progress(done)
    return summary
