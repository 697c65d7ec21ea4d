"""Names decide between merging and asking: shared contacts under other names, and shortened names."""

from __future__ import annotations

from tiecrm.matching import names_compatible, similar_name_pairs
from tiecrm.store.repository import Repository
from tiecrm.vcard.reader import read_vcard_bytes


def import_text(repo: Repository, text: str):
    result = read_vcard_bytes(text.encode("utf-8"), "t.vcf")
    return repo.import_drafts(result.drafts, result.problems, source="t.vcf")


def card(name: str, *lines: str) -> str:
    return "BEGIN:VCARD\nVERSION:3.0\nFN:" + name + "\n" + "".join(line + "\n" for line in lines) + "END:VCARD\n"


def test_names_compatible():
    assert names_compatible("Priya S.", "Priya Sharma")
    assert names_compatible("Jon Smyth", "Jonathan Smyth")
    assert names_compatible("Sharma, Priya", "Priya Sharma")
    assert names_compatible("+1 555 0100", "Anyone")  # a card named after its number
    assert not names_compatible("Sherlock Holmes", "boogie")
    assert not names_compatible("Nat", "Ñ Ñ Ñ Ñ Ñ")
    assert not names_compatible("Anna Berg", "Lars Berg")
    assert names_compatible("Jürgen Müller", "Juergen Mueller")


def test_shortened_and_initialled_names_are_candidates():
    names = [(1, "Jon Smyth"), (2, "Jonathan Smyth"), (3, "Priya S."), (4, "Priya Sharma"),
             (5, "Sam Carter"), (6, "Sam Okafor")]
    pairs = {(a, b) for a, b, _ in similar_name_pairs(names, {1, 2, 3, 4, 5, 6})}
    assert pairs == {(1, 2), (3, 4)}


def test_shared_phone_under_another_name_is_a_candidate_not_a_merge(tmp_path):
    repo = Repository(tmp_path / "t.db")
    import_text(repo, card("boogie", "TEL:+5555555"))
    summary = import_text(repo, card("Sherlock Holmes", "TEL:+44-555-555-5555"))
    assert summary.added == 1 and summary.updated == 0 and summary.possible_duplicates == 1
    assert sorted(p.name for p in repo.list_people()) == ["Sherlock Holmes", "boogie"]
    [pair] = repo.possible_duplicates()
    assert pair.reason == "phone" and {pair.a.name, pair.b.name} == {"Sherlock Holmes", "boogie"}
    repo.close()


def test_same_person_from_two_devices_still_merges(tmp_path):
    repo = Repository(tmp_path / "t.db")
    import_text(repo, card("Priya Sharma", "TEL:+91 98450 55501"))
    summary = import_text(repo, card("Priya S.", "TEL:098450 55501", "EMAIL:priya@example.com"))
    assert summary.updated == 1 and summary.added == 0
    [priya] = repo.list_people()
    assert priya.name == "Priya Sharma" and priya.emails == ("priya@example.com",)
    repo.close()


def test_shared_email_under_another_name_is_a_candidate(tmp_path):
    repo = Repository(tmp_path / "t.db")
    import_text(repo, card("Anna Berg", "EMAIL:family@example.com"))
    summary = import_text(repo, card("Lars Berg", "EMAIL:Family@example.com"))
    assert summary.added == 1 and summary.possible_duplicates == 1
    assert repo.possible_duplicates()[0].reason == "email"
    repo.close()
