"""Import matching: content hash, UID, phone and email merges, duplicate candidates, one transaction."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tiecrm.domain import Bucket, CardProblem
from tiecrm.domain_details import Address, CardDraft, Email, Phone
from tiecrm.store.importer import FLUSH_EVERY, BatchImport, card_hash
from tiecrm.store.prepared import prepare_card
from tiecrm.store.repository import Repository
from tiecrm.vcard.reader import read_vcard_bytes

REPO_ROOT = Path(__file__).resolve().parents[1]


def vcard(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + "\r\n"


def drafts(*cards: str, source: str = "phone.vcf"):
    result = read_vcard_bytes("".join(cards).encode(), source)
    assert not result.problems, result.problems
    return result.drafts


@pytest.fixture
def repo(db_path: Path, fixed_now) -> Repository:
    repository = Repository(db_path, now=lambda: fixed_now)
    yield repository
    repository.close()


ASHA = vcard("FN:Asha Rao", "N:Rao;Asha;;;", "TEL;TYPE=CELL:+91 98450 55501", "EMAIL:asha@example.org",
             "ORG:Zoho", "NOTE:Met at PyCon")
BEN = vcard("FN:Ben Okafor", "TEL:+234 803 555 0101", "UID:ben-uid-1")


def test_new_people_land_in_unsorted_in_order(repo: Repository) -> None:
    summary = repo.import_drafts(drafts(ASHA, BEN))
    assert (summary.added, summary.updated, summary.unchanged) == (2, 0, 0)
    people = repo.list_people()
    assert [(p.name, p.bucket, p.position) for p in people] == [
        ("Asha Rao", Bucket.UNSORTED, 0), ("Ben Okafor", Bucket.UNSORTED, 1)]
    assert people[0].phones == ("+91 98450 55501",) and people[0].emails == ("asha@example.org",)
    assert people[0].org == "Zoho" and people[0].note == "Met at PyCon"


def test_reimporting_the_same_file_adds_nobody(repo: Repository) -> None:
    repo.import_drafts(drafts(ASHA, BEN))
    again = repo.import_drafts(drafts(ASHA, BEN))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert repo.count_people() == 2
    assert sum(len(cards) for _, cards in repo.export_people()) == 2


def test_same_card_twice_in_one_file_is_one_person(repo: Repository) -> None:
    summary = repo.import_drafts(drafts(ASHA, ASHA))
    assert (summary.added, summary.unchanged) == (1, 1)


def test_uid_finds_the_person_and_the_newer_card_replaces_the_old(repo: Repository) -> None:
    repo.import_drafts(drafts(BEN))
    newer = vcard("FN:Ben Okafor", "TEL:+234 803 555 0101", "TEL:+44 7700 900123", "UID:ben-uid-1",
                  "TITLE:CTO")
    summary = repo.import_drafts(drafts(newer))
    assert (summary.added, summary.updated) == (0, 1)
    (person, cards), = repo.export_people()
    assert person.summary.title == "CTO"
    assert [p.value for p in person.phones] == ["+234 803 555 0101", "+44 7700 900123"]
    assert cards == [drafts(newer)[0].raw]


def test_export_of_a_card_without_uid_reimports_onto_the_same_person(repo: Repository) -> None:
    repo.import_drafts(drafts(ASHA))
    generated = repo.db.execute_sql("SELECT uid FROM person").fetchone()[0]
    exported = vcard("FN:Asha Rao", f"UID:{generated}", "X-TIECRM-BUCKET:inner")
    summary = repo.import_drafts(drafts(exported))
    assert (summary.added, summary.updated) == (0, 1)
    assert repo.count_people() == 1


def test_same_phone_written_differently_merges(repo: Repository) -> None:
    repo.import_drafts(drafts(ASHA))
    other_device = vcard("FN:Asha R", "TEL:098450 55501", "TEL:080 4111 2222", "BDAY:1990-04-12",
                         "NOTE:Vegetarian")
    summary = repo.import_drafts(drafts(other_device))
    assert (summary.added, summary.updated) == (0, 1)
    (person, cards), = repo.export_people()
    assert person.summary.name == "Asha Rao"  # the existing name stays
    # The same line in another form is not added twice; the new landline is.
    assert [p.value for p in person.phones] == ["+91 98450 55501", "080 4111 2222"]
    assert person.summary.birthday.iso() == "1990-04-12"  # an empty field is filled
    assert person.summary.note == "Met at PyCon\n\nVegetarian"
    assert len(cards) == 2  # both original cards are kept for export


def test_shared_email_merges_case_insensitively(repo: Repository) -> None:
    repo.import_drafts(drafts(ASHA))
    summary = repo.import_drafts(drafts(vcard("FN:A. Rao", "EMAIL:ASHA@Example.org", "ORG:Other Co")))
    assert (summary.added, summary.updated) == (0, 1)
    person = repo.get_person(repo.list_people()[0].id)
    assert [e.value for e in person.emails] == ["asha@example.org"]
    assert person.summary.org == "Zoho"  # a filled field is not overwritten by a merge


def test_two_devices_in_one_file_become_one_person(repo: Repository) -> None:
    phone_a = vcard("FN:Chidi Eze", "TEL:+234 803 555 0199")
    phone_b = vcard("FN:Chidi Eze", "TEL:0803 555 0199", "EMAIL:chidi@example.org")
    summary = repo.import_drafts(drafts(phone_a + phone_b))
    assert (summary.added, summary.updated) == (1, 1)
    assert repo.list_people()[0].emails == ("chidi@example.org",)


def test_similar_names_are_only_candidates_and_dismissals_are_remembered(repo: Repository) -> None:
    repo.import_drafts(drafts(vcard("FN:Jonathan Smith", "TEL:+1 555 123 4567")))
    summary = repo.import_drafts(drafts(vcard("FN:Jonathon Smith", "TEL:+1 555 987 6543")))
    assert (summary.added, summary.possible_duplicates) == (1, 1)
    assert repo.count_people() == 2
    (pair,) = repo.possible_duplicates()
    assert {pair.a.name, pair.b.name} == {"Jonathan Smith", "Jonathon Smith"}
    assert pair.reason == "name" and pair.score >= 90
    repo.dismiss_duplicate(pair.b.id, pair.a.id)
    assert repo.possible_duplicates() == []
    # A later import touching one of them does not bring the dismissed pair back.
    again = repo.import_drafts(drafts(vcard("FN:Jonathon Smith", "TEL:+1 555 987 6543", "NOTE:new")))
    assert again.updated == 1 and again.possible_duplicates == 0
    assert repo.possible_duplicates() == []


def test_bucket_from_the_card_is_used_for_new_people(repo: Repository) -> None:
    repo.import_drafts(drafts(vcard("FN:Inner One", "X-TIECRM-BUCKET:inner"),
                              vcard("FN:Odd Bucket", "X-TIECRM-BUCKET:nonsense"),
                              vcard("FN:Inner Two", "X-TIECRM-BUCKET:inner", "X-TIECRM-MINUTES:120")))
    people = {p.name: p for p in repo.list_people()}
    assert (people["Inner One"].bucket, people["Inner One"].position) == (Bucket.INNER, 0)
    assert (people["Inner Two"].bucket, people["Inner Two"].position) == (Bucket.INNER, 1)
    assert people["Odd Bucket"].bucket is Bucket.UNSORTED
    assert people["Inner Two"].minutes_invested == 0  # X-TIECRM-MINUTES is not turned into time


def test_problems_count_as_skipped_and_batches_are_recorded(repo: Repository) -> None:
    problems = [CardProblem("phone.vcf", 7, "no BEGIN:VCARD"), CardProblem("phone.vcf", 12, "empty card")]
    summary = repo.import_drafts(drafts(ASHA), problems, source="phone.vcf")
    assert summary.skipped == 2 and summary.problems == tuple(problems)
    row = repo.db.execute_sql(
        "SELECT source, added, updated, unchanged, skipped, finished_at FROM import_batch").fetchone()
    assert row[:5] == ("phone.vcf", 1, 0, 0, 2) and row[5] is not None


def test_progress_is_reported_every_500_cards(repo: Repository) -> None:
    cards = "".join(vcard(f"FN:Contact{n:05d}", f"TEL:+1 555 {n:07d}") for n in range(1200))
    seen: list[int] = []
    summary = repo.import_drafts(drafts(cards), progress=seen.append)
    assert summary.added == 1200
    assert seen == [500, 1000, 1200]


KILLED_IMPORT = textwrap.dedent(
    """
    import os, signal, sys
    from tiecrm.domain import CardDraft, Phone
    from tiecrm.store.repository import Repository

    repo = Repository(sys.argv[1])
    drafts = [CardDraft(name=f"Contact{n:05d}", raw=f"BEGIN:VCARD\\nFN:Contact{n:05d}\\nEND:VCARD",
                        phones=[Phone(f"+1 555 {n:07d}")]) for n in range(2000)]

    def progress(done):
        if sys.argv[2] == "kill" and done >= 1000:
            os.kill(os.getpid(), signal.SIGKILL)  # half-way, with 1,000 people already written

    print(repo.import_drafts(drafts, progress=progress).line())
    """
)


def test_an_import_killed_half_way_leaves_the_database_as_it_was(repo: Repository, db_path: Path) -> None:
    repo.import_drafts(drafts(ASHA))
    before = (repo.count_people(), repo.db.execute_sql("SELECT COUNT(*) FROM import_batch").fetchone()[0])

    def run(mode: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-c", KILLED_IMPORT, str(db_path), mode],
                              capture_output=True, text=True, timeout=60, cwd=REPO_ROOT)

    killed = run("kill")
    assert killed.returncode == -9, killed.stderr
    assert (repo.count_people(), repo.db.execute_sql("SELECT COUNT(*) FROM import_batch").fetchone()[0]) == before
    assert repo.db.execute_sql("SELECT COUNT(*) FROM phone").fetchone()[0] == 1
    finished = run("finish")
    assert finished.returncode == 0, finished.stderr
    assert "added 2000" in finished.stdout
    assert repo.count_people() == 2001


def test_the_batch_pauses_foreign_key_checks_and_leaves_no_row_without_its_parent(repo: Repository) -> None:
    # Checks are off while the batch writes (its rows refer only to people it created or read) and on
    # again after it; SQLite's own check over every table then finds each row's person and batch.
    filler = [vcard(f"FN:Contact{n:05d}", f"TEL:+1 555 {n:07d}", f"EMAIL:c{n}@example.org",
                    f"ADR:;;{n} Main St;Springfield;;;") for n in range(FLUSH_EVERY + 10)]
    merged = vcard("FN:Contact00007 Jr", "TEL:555 0000007", "EMAIL:new@example.org")
    seen = []
    real_add = BatchImport.add

    def add(batch, card):
        seen.append(batch.conn.execute("PRAGMA foreign_keys").fetchone()[0])
        real_add(batch, card)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BatchImport, "add", add)
        summary = repo.import_drafts(drafts(ASHA, *filler, merged, BEN))
    assert (summary.added, summary.updated) == (FLUSH_EVERY + 12, 1)
    assert set(seen) == {0}
    db = repo.db
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    counts = [db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in ("phone", "email", "address")]
    assert counts == [FLUSH_EVERY + 12, FLUSH_EVERY + 12, FLUSH_EVERY + 10]


def test_a_batch_that_fails_writing_leaves_the_database_as_it_was_and_checks_on(repo: Repository) -> None:
    repo.import_drafts(drafts(ASHA))
    tables = ("person", "phone", "email", "card", "import_batch")
    before = [repo.db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in tables]
    cards = [prepare_card(draft) for draft in drafts(*[vcard(f"FN:P{n}", f"TEL:+1 555 {n:07d}")
                                                      for n in range(FLUSH_EVERY + 150)])]
    # A value the schema refuses (org is NOT NULL), in the middle of an INSERT of the second flush's rows.
    cards[FLUSH_EVERY + 50] = cards[FLUSH_EVERY + 50]._replace(org=None)
    with pytest.raises(sqlite3.IntegrityError, match="person.org"):
        repo.import_drafts(cards)
    assert [repo.db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in tables] == before
    assert repo.db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert repo.import_drafts(cards[:FLUSH_EVERY + 50]).added == FLUSH_EVERY + 50


def test_card_hash_ignores_line_endings_blank_lines_and_tiecrm_properties() -> None:
    plain = "BEGIN:VCARD\nVERSION:3.0\nFN:Asha Rao\nEND:VCARD\n"
    assert card_hash(plain) == card_hash(plain.replace("\n", "\r\n"))
    assert card_hash(plain) == card_hash("BEGIN:VCARD \nVERSION:3.0\n\nFN:Asha Rao\nEND:VCARD")
    assert card_hash(plain) == card_hash(plain.replace("END:VCARD", "X-TIECRM-BUCKET:inner\nEND:VCARD"))
    assert card_hash(plain) == card_hash(plain.replace("END:VCARD", "item1.x-TieCrm-Minutes:30\nEND:VCARD"))
    # Not tiecrm's own, in any case: a property whose name only holds the word, and text that looks like it.
    for kept in ("X-NOT-TIECRM-BUCKET:inner", "NOTE:tİecrm TIECRM-BUCKET", "NOTE:\u212aTIECRM"):
        assert card_hash(plain) != card_hash(plain.replace("END:VCARD", f"{kept}\nEND:VCARD")), kept
    assert card_hash(plain) != card_hash(plain.replace("Asha", "Asha K"))


def test_reimporting_an_export_with_tiecrm_properties_is_unchanged(repo: Repository) -> None:
    repo.import_drafts(drafts(ASHA))
    exported = ASHA.replace("END:VCARD", "X-TIECRM-BUCKET:inner\r\nX-TIECRM-MINUTES:30\r\nEND:VCARD")
    summary = repo.import_drafts(drafts(exported))
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 1)


def test_cards_with_their_own_uids_in_one_file_stay_separate(repo: Repository) -> None:
    # An address book that lists two entries sharing an office line keeps them apart; a UID-less card
    # (another phone's export) with that line still merges into the first of them.
    summary = repo.import_drafts(drafts(
        vcard("FN:Dana Office", "TEL:+1 555 200 3000", "UID:dana-1"),
        vcard("FN:Eli Office", "TEL:+1 555 200 3000", "UID:eli-2"),
        vcard("FN:Dana O.", "TEL:555 200 3000"),
    ))
    assert (summary.added, summary.updated) == (2, 1)
    assert sorted(p.name for p in repo.list_people()) == ["Dana Office", "Eli Office"]


def test_a_card_merges_into_someone_an_earlier_flush_already_wrote(repo: Repository) -> None:
    # The import forgets people once they are written; a later card must find them in the database
    # exactly as it would have found them in memory.
    filler = [vcard(f"FN:Contact{n:05d}", f"TEL:+1 555 {n:07d}") for n in range(FLUSH_EVERY + 10)]
    first = vcard("FN:Asha Rao", "TEL;TYPE=CELL:+91 98450 55501", "UID:asha-1")
    by_phone = vcard("FN:Asha R", "TEL:098450 55501", "TEL:080 4111 2222", "NOTE:Vegetarian")
    by_uid = vcard("FN:Asha Rao-Iyer", "UID:asha-1", "ORG:Zoho", "EMAIL:asha@example.org")
    summary = repo.import_drafts(drafts(first, *filler, by_phone, *filler[:3], by_uid))
    assert (summary.added, summary.updated, summary.unchanged) == (FLUSH_EVERY + 11, 2, 3)
    asha = next(p for p in repo.list_people() if p.name.startswith("Asha"))
    person = repo.get_person(asha.id)
    assert person.summary.name == "Asha Rao-Iyer"  # a UID match is a newer version: its name wins
    assert [p.value for p in person.phones] == ["+91 98450 55501", "080 4111 2222"]
    assert [e.value for e in person.emails] == ["asha@example.org"]
    assert (person.summary.org, person.summary.note) == ("Zoho", "Vegetarian")


def test_a_card_merges_into_someone_created_since_the_last_flush(repo: Repository) -> None:
    # A person created since the last flush is only a row waiting to be written: a card matching them
    # writes the batch so far and reads them back, with the same result as above. The first card also
    # repeats its own phone and email, which it keeps once.
    first = vcard("FN:Asha Rao", "TEL;TYPE=CELL:+91 98450 55501", "TEL:+91 98450 55501", "UID:asha-1",
                  "EMAIL:asha@example.org", "EMAIL:ASHA@Example.org")
    by_phone = vcard("FN:Asha R", "TEL:098450 55501", "TEL:080 4111 2222", "NOTE:Vegetarian")
    by_uid = vcard("FN:Asha Rao-Iyer", "UID:asha-1", "ORG:Zoho", "EMAIL:asha@example.org")
    ben = vcard("FN:Ben Okafor", "TEL:+234 803 555 0101")
    summary = repo.import_drafts(drafts(first, by_phone, ben, by_uid))
    assert (summary.added, summary.updated, summary.unchanged) == (2, 2, 0)
    asha = next(p for p in repo.list_people() if p.name.startswith("Asha"))
    person = repo.get_person(asha.id)
    assert person.summary.name == "Asha Rao-Iyer"
    assert [p.value for p in person.phones] == ["+91 98450 55501", "080 4111 2222"]
    assert [e.value for e in person.emails] == ["asha@example.org"]
    assert (person.summary.org, person.summary.note) == ("Zoho", "Vegetarian")
    assert [p.name for p in repo.list_people(bucket=Bucket.UNSORTED)] == ["Asha Rao-Iyer", "Ben Okafor"]


def test_import_paths_streams_files_and_reports_progress_against_the_counted_total(
    repo: Repository, tmp_path: Path
) -> None:
    from tiecrm.importing import import_paths

    folder = tmp_path / "vdir"
    folder.mkdir()
    (folder / "a.vcf").write_text("".join(vcard(f"FN:Contact{n:05d}", f"TEL:+1 555 {n:07d}")
                                          for n in range(FLUSH_EVERY + 1)) + "garbage\n")
    (folder / "b.vcf").write_bytes(b"BEGIN:VCARD\nVERSION:3.0\nFN:Ben\nTEL:+234 803 555 0101\n")
    seen: list[tuple[str, int, int]] = []
    report = import_paths(repo, [folder], progress=lambda *args: seen.append(args))
    assert report.summary.added == FLUSH_EVERY + 2 and (report.files, report.cards) == (2, FLUSH_EVERY + 2)
    garbage = 5 * (FLUSH_EVERY + 1) + 1  # five lines a card
    assert [str(p) for p in report.problems] == [
        f"{folder / 'a.vcf'}:{garbage}: text outside any card skipped"]
    assert report.summary.skipped == 1
    assert [str(w) for w in report.warnings] == [f"{folder / 'b.vcf'}:1: no END:VCARD"]
    assert seen[:2] == [("read", 1, 2), ("read", 2, 2)]
    assert ("store", FLUSH_EVERY, FLUSH_EVERY + 2) in seen
    assert seen[-1] == ("store", FLUSH_EVERY + 2, FLUSH_EVERY + 2)


def test_generated_uids_are_random_version_4_uuids():
    import uuid

    from tiecrm.store.importer import new_uid

    made = [new_uid() for _ in range(2000)]
    assert len(set(made)) == len(made)
    for text in made:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
    # The variant digit keeps its two random bits: all four of 8, 9, a, b turn up.
    assert {text[19] for text in made} == set("89ab")


def test_a_prepared_card_holds_each_contact_once_and_none_empty() -> None:
    draft = CardDraft(
        "Asha Rao", "BEGIN:VCARD\nFN:Asha Rao\nEND:VCARD\n",
        phones=[Phone(" +91 98450 55501 ", "cell"), Phone("+91 98450 55501", "work"), Phone("  "),
                Phone("080 4111 2222")],
        emails=[Email("Asha@Example.org", "home"), Email("mailto:asha@example.org"), Email(""),
                Email("asha.rao@example.org")],
        addresses=[Address("1 Main St", "home"), Address(" "), Address("1 Main St ", "work"), Address("2 Side St")],
    )
    card = prepare_card(draft)
    assert card.phones == (("+91 98450 55501", "cell", "919845055501"), ("080 4111 2222", "", "8041112222"))
    assert card.emails == (("Asha@Example.org", "home", "asha@example.org"),
                           ("asha.rao@example.org", "", "asha.rao@example.org"))
    assert card.addresses == (("1 Main St", "home"), ("2 Side St", ""))
