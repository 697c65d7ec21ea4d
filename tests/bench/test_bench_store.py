"""Benchmarks for the store: bulk import of 10,000 and 50,000 cards, re-import, list, search rows, due, name blocking."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tiecrm.domain import Birthday, Bucket, CardDraft, Email, Phone
from tiecrm.matching import similar_name_pairs
from tiecrm.store.repository import Repository

pytestmark = pytest.mark.bench

NOW = datetime(2026, 11, 20, 15, 30)
SEED = 7

FIRST = (
    "Priya Rahul Ananya Arjun Kavya Rohan Sneha Vikram Meera Aditya Lakshmi Karthik Divya Siddharth Aisha Imran "
    "Fatima Zainab Omar Yusuf Layla Hassan Noor Tariq Sam Samantha Samuel Alex Alexandra James Mary John "
    "Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica Thomas "
    "Sarah Charles Karen José María Jesús Lucía Andrés Sofía Martín François Zoë Chloé Björn Søren Jürgen "
    "Łukasz Agnieszka Chen Wei Hiroshi Yuki Minjun Jiwoo Thanh Linh Oluwaseun Chinedu Amara Kwame Siobhan Niamh "
    "Dmitri Olga Natasha Sergei Ravi Deepa Suresh Geeta Manoj Pooja Nikhil Shreya Varun Anjali Gaurav Neha"
).split()
LAST = (
    "Sharma Patel Iyer Reddy Nair Gupta Singh Kumar Menon Rao Joshi Desai Mehta Kapoor Chatterjee Banerjee "
    "Pillai Krishnan Khan Ahmed Hussain Rahman Siddiqui Malik Smith Johnson Williams Brown Jones Garcia Miller "
    "Davis Rodriguez Martinez Lopez Gonzalez Wilson Anderson Taylor Moore Jackson Martin Lee Thompson White "
    "O'Brien McCarthy D'Souza Fernandes Pereira Silva Núñez Muñoz Gómez Sánchez Dubois Lefèvre Schröder Müller "
    "Nowak Lindqvist Wang Liu Yang Huang Tanaka Suzuki Kim Park Nguyen Tran Okafor Mensah Dlamini Ivanov"
).split()
ORGS = ["", "", "Infosys", "Zoho", "Acme Plumbing", "City Running Club", "Blue Bottle Café", "Siemens"]
NOTE_WORDS = (
    "met at conference wedding college friend neighbour colleague mentor loves hiking cricket chess "
    "moved to Bangalore Berlin Toronto daughter son dog vegetarian coffee owes book follow up"
).split()
PHOTO = bytes(range(256)) * 24  # ~6 KB, the size of a typical contact thumbnail


def make_drafts(count: int, seed: int = SEED) -> list[CardDraft]:
    """`count` distinct people as a phone export would give them, raw vCard text included."""
    rng = random.Random(seed)
    drafts = []
    for n in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        # Phone books write names many ways; with a middle name or a "where from" word most names are unique.
        style = rng.random()
        if style < 0.35:
            name = f"{first} {last}"
        elif style < 0.7:
            name = f"{first} {rng.choice(FIRST)} {last}"
        elif style < 0.85:
            name = f"{first} {last} {rng.choice(NOTE_WORDS).title()}"
        else:
            name = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTVW')}. {last}"
        # Distinct numbers per card: a serial number inside a realistic Indian mobile layout.
        phones = [Phone(f"+91 9{n:05d} {k}{rng.randrange(1000):03d}", rng.choice(["cell", "home", "work"]))
                  for k in range(rng.randint(1, 3))]
        emails = [Email(f"{first.lower()}.{last.lower()}{n}{k}@example.org", "home")
                  for k in range(rng.randint(0, 2))]
        note = " ".join(rng.choices(NOTE_WORDS, k=rng.randint(0, 12)))
        org = rng.choice(ORGS)
        birthday = Birthday(rng.randint(1, 12), rng.randint(1, 28), rng.choice([None, 1980 + n % 30]))
        photo = PHOTO if n % 20 == 0 else None
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{last};{first};;;", f"FN:{name}"]
        lines += [f"TEL;TYPE={p.label.upper()}:{p.value}" for p in phones]
        lines += [f"EMAIL;TYPE=INTERNET:{e.value}" for e in emails]
        if org:
            lines.append(f"ORG:{org}")
        if note:
            lines.append(f"NOTE:{note}")
        lines.append(f"BDAY:{birthday.iso()}")
        if photo:
            lines.append("PHOTO;ENCODING=b;TYPE=JPEG:" + "A" * 8000)
        lines.append("END:VCARD")
        drafts.append(CardDraft(
            name=name, raw="\n".join(lines), source="bench.vcf", line=n * 10 + 1, version="3.0",
            phones=phones, emails=emails, org=org, note=note, birthday=birthday,
            photo=photo, photo_type="image/jpeg" if photo else "",
        ))
    return drafts


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def test_import_10000_then_reimport(tmp_path: Path) -> None:
    drafts = make_drafts(10_000)
    repo = Repository(tmp_path / "bench.db", now=lambda: NOW)
    summary, seconds = timed(repo.import_drafts, drafts, source="bench.vcf")
    print(f"\nimport 10,000 drafts into an empty store: {seconds:.3f} s ({summary.line()})")
    assert summary.added == 10_000
    again, re_seconds = timed(repo.import_drafts, drafts, source="bench.vcf")
    print(f"re-import the same 10,000: {re_seconds:.3f} s ({again.line()})")
    assert again.added == 0 and again.unchanged == 10_000
    assert repo.count_people() == 10_000
    assert seconds <= 0.45


def test_import_50000(tmp_path: Path) -> None:
    drafts = make_drafts(50_000)
    repo = Repository(tmp_path / "bench.db", now=lambda: NOW)
    summary, seconds = timed(repo.import_drafts, drafts, source="bench.vcf")
    print(f"\nimport 50,000 drafts into an empty store: {seconds:.3f} s ({summary.line()})")
    assert summary.added == 50_000
    assert seconds <= 2.5


def test_queries_over_10000_people(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "bench.db", now=lambda: NOW)
    repo.import_drafts(make_drafts(10_000))
    rng = random.Random(SEED)
    for person_id in rng.sample(range(1, 10_001), 600):
        repo.move(person_id, rng.choice([Bucket.INNER, Bucket.NURTURE, Bucket.VANITY]))
    for person_id in rng.sample(range(1, 10_001), 3000):
        repo.log_interaction(person_id, rng.randint(5, 120), "call", "caught up",
                             at=NOW - timedelta(days=rng.randint(0, 200)))
    people, list_seconds = timed(repo.list_people)
    rows, search_seconds = timed(repo.search_rows)
    due, due_seconds = timed(repo.due)
    _, move_seconds = timed(repo.move, 5000, Bucket.INNER, 0)
    print(f"\nlist_people over 10,000: {list_seconds * 1000:.1f} ms; search_rows: {search_seconds * 1000:.1f} ms; "
          f"due ({len(due)} entries): {due_seconds * 1000:.1f} ms; move out of a 9,400-card column: "
          f"{move_seconds * 1000:.1f} ms")
    assert len(people) == len(rows) == 10_000
    assert list_seconds < 0.1 and search_seconds < 0.1 and due_seconds < 0.1


def test_name_blocking_10000_new_against_10000() -> None:
    names = [(n, draft.name) for n, draft in enumerate(make_drafts(20_000), start=1)]
    new_ids = set(range(10_001, 20_001))
    pairs, seconds = timed(similar_name_pairs, names, new_ids)
    print(f"\nsimilar_name_pairs, 10,000 new against 10,000 existing: {seconds * 1000:.1f} ms, {len(pairs)} pairs")
    assert pairs and all(a in new_ids or b in new_ids for a, b, _ in pairs)
    assert seconds < 0.1
