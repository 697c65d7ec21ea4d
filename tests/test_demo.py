"""The sample address book is well formed and fictional, and the demo loader builds the board from it."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tiecrm.demo import load_sample_data, sample_data_dir
from tiecrm.domain import Bucket, Cadence
from tiecrm.logparse import KINDS
from tiecrm.matching import phone_digits
from tiecrm.store.repository import Repository
from tiecrm.vcard.reader import read_paths

NOW = datetime(2026, 11, 20, 15, 30)  # naive UTC
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
VCARD_FILES = sorted(SAMPLE.glob("*.vcf"))


def _history() -> list[dict]:
    return json.loads((SAMPLE / "history.json").read_text(encoding="utf-8"))["people"]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """One store with the sample loaded at NOW, shared by the read-only tests below."""
    repo = Repository(tmp_path_factory.mktemp("demo") / "demo.db", now=lambda: NOW)
    summary = load_sample_data(repo, now=NOW)
    yield repo, summary
    repo.close()


def _only(repo: Repository, name: str):
    matches = [p for p in repo.list_people() if p.name == name]
    assert len(matches) == 1, f"{name!r} is {len(matches)} people"
    return matches[0]


# --- the files themselves --------------------------------------------------------------------------


def test_sample_data_dir_is_the_repository_folder() -> None:
    assert sample_data_dir() == SAMPLE
    assert {p.name for p in VCARD_FILES} == {"iphone.vcf", "android.vcf", "google.vcf"}


@pytest.mark.parametrize("path", VCARD_FILES, ids=lambda p: p.name)
def test_every_sample_file_reads_with_no_problem_and_no_warning(path: Path) -> None:
    results = list(read_paths([path]))
    assert [p for r in results for p in r.problems] == []
    drafts = [d for r in results for d in r.drafts]
    assert [w for d in drafts for w in d.warnings] == []
    assert len(drafts) == path.read_bytes().count(b"BEGIN:VCARD")


@pytest.mark.parametrize("path", VCARD_FILES, ids=lambda p: p.name)
def test_sample_files_use_crlf_and_only_example_email_domains(path: Path) -> None:
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    domains = {m.lower() for m in re.findall(rb"@([\w.-]+)", raw)}
    assert domains and domains <= {b"example.com", b"example.org", b"example.net"}


def test_history_is_shaped_as_promised() -> None:
    people = _history()
    names = [p["name"] for p in people]
    assert len(names) == len(set(names))
    buckets = Counter(p["bucket"] for p in people)
    assert 5 <= buckets["inner"] <= 7 and 12 <= buckets["nurture"] <= 15 and 8 <= buckets["vanity"] <= 10
    interactions = [i for p in people for i in p["interactions"]]
    assert 150 <= len(interactions) <= 250
    assert all(0 <= i["days_ago"] <= 365 and 5 <= i["minutes"] <= 180 and i["kind"] in KINDS and i["note"]
               for i in interactions)
    # Most of the time goes to the inner circle.
    inner = sum(len(p["interactions"]) for p in people if p["bucket"] == "inner")
    assert inner > len(interactions) / 2

    def last(person: dict) -> int | None:
        return min((i["days_ago"] for i in person["interactions"]), default=None)

    # Some people are going cold and some were seen lately, none on the edge of the cadence (the hour
    # offsets must not decide whether someone is due).
    cadence = Cadence()
    for person in people:
        days = cadence.for_bucket(Bucket(person["bucket"]))
        if days is not None and last(person) is not None:
            assert abs(last(person) - days) > 1, person["name"]
    assert any(p["bucket"] == "inner" and last(p) > 14 for p in people)
    assert any(p["bucket"] == "nurture" and last(p) is not None and last(p) > 45 for p in people)
    assert any(p["bucket"] == "nurture" and last(p) is not None and last(p) <= 7 for p in people)


# --- loading into a store --------------------------------------------------------------------------


def test_every_sample_card_imports_without_problems(loaded) -> None:
    repo, summary = loaded
    assert summary.problems == ()
    assert summary.skipped == 0
    assert repo.count_people() >= 40
    assert repo.count_people() == summary.added


def test_person_on_two_phones_is_one_person_with_every_number(loaded) -> None:
    repo, _ = loaded
    priya = _only(repo, "Priya Raman")
    digits = {phone_digits(p) for p in priya.phones}
    # +91 98450 55501 on the iPhone, 098450 55501 on Android
    assert any(d.endswith("9845055501") for d in digits)
    assert any(d.endswith("8041230101") for d in digits)  # only on the iPhone
    assert any(d.endswith("8041230202") for d in digits)  # only on Android
    assert "priya.raman@example.com" in priya.emails


def test_person_in_two_files_with_one_email_is_one_person(loaded) -> None:
    repo, _ = loaded
    tomas = _only(repo, "Tomás Herrera")
    assert {e.lower() for e in tomas.emails} >= {"tomas.herrera@example.net", "t.herrera@example.com"}


def test_similar_names_are_only_a_possible_duplicate(loaded) -> None:
    repo, _ = loaded
    jon, jonathan = _only(repo, "Jonathon Smyth"), _only(repo, "Jonathan Smyth")
    pairs = {frozenset((pair.a.id, pair.b.id)): pair.reason for pair in repo.possible_duplicates()}
    assert pairs.get(frozenset((jon.id, jonathan.id))) == "name"
    assert not set(jon.phones) & set(jonathan.phones) and not set(jon.emails) & set(jonathan.emails)


def test_buckets_follow_history(loaded) -> None:
    repo, _ = loaded
    people = repo.list_people()
    by_name = {p.name: p for p in people}
    expected = {entry["name"]: Bucket(entry["bucket"]) for entry in _history()}
    assert {name: by_name[name].bucket for name in expected} == expected
    assert all(p.bucket is Bucket.UNSORTED for p in people if p.name not in expected)
    # Each column keeps history.json's order.
    for bucket in (Bucket.INNER, Bucket.NURTURE, Bucket.VANITY):
        column = [p.name for p in repo.list_people(bucket)]
        assert column == [e["name"] for e in _history() if e["bucket"] == bucket.value]


def test_interactions_follow_history(loaded) -> None:
    repo, _ = loaded
    history = _history()
    total = 0
    for entry in history:
        person = _only(repo, entry["name"])
        detail = repo.get_person(person.id)
        assert len(detail.interactions) == len(entry["interactions"]), entry["name"]
        assert person.minutes_invested == sum(i["minutes"] for i in entry["interactions"])
        assert sorted((i.kind, i.note) for i in detail.interactions) == sorted(
            (i["kind"], i["note"]) for i in entry["interactions"])
        for stored in detail.interactions:
            days = (NOW - stored.at) / timedelta(days=1)
            assert any(i["days_ago"] <= days < i["days_ago"] + 1 for i in entry["interactions"])
        total += len(detail.interactions)
    assert total == sum(len(e["interactions"]) for e in history)
    unlisted = [p for p in repo.list_people() if p.name not in {e["name"] for e in history}]
    assert all(p.minutes_invested == 0 for p in unlisted)


def test_due_list_holds_the_people_going_cold(loaded) -> None:
    repo, _ = loaded
    cadence = Cadence()
    expected = set()
    for entry in _history():
        days = cadence.for_bucket(Bucket(entry["bucket"]))
        last = min((i["days_ago"] for i in entry["interactions"]), default=None)
        if days is not None and (last is None or last > days):
            expected.add(entry["name"])
    assert expected  # the demo has someone to nag about
    assert {d.person.name for d in repo.due(cadence, now=NOW)} == expected


def test_markup_and_escape_sequences_are_stored_as_written(loaded) -> None:
    repo, _ = loaded
    names = {p.name for p in repo.list_people()}
    assert "[bold red]Mallory[/]" in names
    assert "Trudy \x1b[31mAlert\x1b[0m" in names


def test_non_ascii_names_from_quoted_printable_survive(loaded) -> None:
    repo, _ = loaded
    names = {p.name for p in repo.list_people()}
    assert {"Amélie Dubois", "Jürgen Baumann", "Begoña Ruiz", "Søren Kjærgaard", "Наталья Волкова",
            "Γιώργος Παπαδάκης", "山田 花子", "Okafor, Chidi"} <= names


def test_sample_history_is_relative_to_now(tmp_path) -> None:
    later = NOW + timedelta(days=100)
    repo = Repository(tmp_path / "later.db", now=lambda: later)
    try:
        load_sample_data(repo, now=later)
        priya = _only(repo, "Priya Raman")
        last = min(i["days_ago"] for e in _history() if e["name"] == "Priya Raman" for i in e["interactions"])
        assert later - timedelta(days=last + 1) < priya.last_interaction <= later - timedelta(days=last)
    finally:
        repo.close()


# --- failures --------------------------------------------------------------------------------------


def test_history_naming_someone_unknown_is_an_error(tmp_path) -> None:
    folder = tmp_path / "sample"
    folder.mkdir()
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Example\r\nEND:VCARD\r\n"
    (folder / "one.vcf").write_text(card, encoding="utf-8")
    (folder / "history.json").write_text(json.dumps({"people": [
        {"name": "Ada Example", "bucket": "inner", "interactions": []},
        {"name": "Nobody Here", "bucket": "vanity", "interactions": []}]}), encoding="utf-8")
    repo = Repository(tmp_path / "x.db", now=lambda: NOW)
    try:
        with pytest.raises(LookupError, match="Nobody Here"):
            load_sample_data(repo, now=NOW, sample_dir=folder)
    finally:
        repo.close()


def test_folder_without_vcards_is_an_error(tmp_path) -> None:
    repo = Repository(tmp_path / "x.db", now=lambda: NOW)
    try:
        with pytest.raises(FileNotFoundError, match="no .vcf files"):
            load_sample_data(repo, now=NOW, sample_dir=tmp_path)
    finally:
        repo.close()


def test_sample_data_dir_missing_is_a_clear_error(tmp_path, monkeypatch) -> None:
    import tiecrm.demo as demo

    # As if the package were installed somewhere without the source tree beside it.
    monkeypatch.setattr(demo, "__file__", str(tmp_path / "site-packages" / "tiecrm" / "demo.py"))
    with pytest.raises(FileNotFoundError, match="sample address book is missing"):
        demo.sample_data_dir()
