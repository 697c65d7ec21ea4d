"""The repository beyond import: buckets and undo, time invested, due list, merge, dismiss, export, search rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tiecrm.domain import Birthday, Bucket, Cadence, CardDraft, Email, PersonSummary, Phone
from tiecrm.store.repository import NotFoundError, Repository


def card(name: str, *lines: str) -> str:
    return "\n".join(["BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", *lines, "END:VCARD"])


def draft(name: str, phones=(), emails=(), note: str = "", **fields) -> CardDraft:
    lines = [f"TEL:{p}" for p in phones] + [f"EMAIL:{e}" for e in emails] + ([f"NOTE:{note}"] if note else [])
    return CardDraft(name=name, raw=card(name, *lines), phones=[Phone(p) for p in phones],
                     emails=[Email(e) for e in emails], note=note, **fields)


@pytest.fixture
def repo(db_path: Path, fixed_now) -> Repository:
    repository = Repository(db_path, now=lambda: fixed_now)
    yield repository
    repository.close()


def people(repo: Repository, *names: str) -> dict[str, int]:
    repo.import_drafts([draft(name, phones=[f"+1 555 01{n:05d}"]) for n, name in enumerate(names)])
    return {p.name: p.id for p in repo.list_people()}


def column(repo: Repository, bucket: Bucket) -> list[str]:
    return [p.name for p in repo.list_people(bucket)]


# ---- buckets --------------------------------------------------------------------------------------


def test_move_to_end_and_to_a_position_keeps_the_left_column_as_it_was(repo: Repository, fixed_now) -> None:
    ids = people(repo, "Ann", "Bob", "Cid", "Dee")
    move = repo.move(ids["Bob"], Bucket.INNER)
    assert (move.from_bucket, move.to_bucket, move.from_position, move.to_position) == (
        Bucket.UNSORTED, Bucket.INNER, 1, 0)
    assert move.at == fixed_now and move.id > 0
    repo.move(ids["Dee"], Bucket.INNER)
    repo.move(ids["Ann"], Bucket.INNER, position=1)
    assert column(repo, Bucket.INNER) == ["Bob", "Ann", "Dee"]
    # The column people leave is not renumbered: Cid keeps the position the import gave him.
    assert [(p.name, p.position) for p in repo.list_people(Bucket.UNSORTED)] == [("Cid", 2)]
    assert repo.count_people(Bucket.INNER) == 3 and repo.count_people() == 4


def positions(repo: Repository) -> dict[str, int]:
    return dict(repo.db.execute_sql("SELECT name, position FROM person").fetchall())


def test_a_move_into_a_gap_or_to_an_end_writes_only_the_person_moved(repo: Repository) -> None:
    ids = people(repo, "Ann", "Bob", "Cid", "Dee", "Eve")
    repo.move(ids["Cid"], Bucket.INNER)  # leaves a gap between Bob (1) and Dee (3)
    before = positions(repo)
    repo.move(ids["Eve"], Bucket.UNSORTED, position=2)
    repo.move(ids["Bob"], Bucket.UNSORTED, position=0)
    repo.move(ids["Cid"], Bucket.UNSORTED)
    assert column(repo, Bucket.UNSORTED) == ["Bob", "Ann", "Eve", "Dee", "Cid"]
    after = positions(repo)
    assert {name for name in after if after[name] != before[name]} == {"Eve", "Bob", "Cid"}


def test_a_move_between_neighbours_without_a_gap_shifts_the_shorter_side(repo: Repository) -> None:
    ids = people(repo, *[f"P{n}" for n in range(8)])
    before = positions(repo)
    repo.move(ids["P7"], Bucket.UNSORTED, position=2)  # two rows above, five below: the two move up
    after = positions(repo)
    assert column(repo, Bucket.UNSORTED) == ["P0", "P1", "P7", "P2", "P3", "P4", "P5", "P6"]
    assert {name for name in after if after[name] != before[name]} == {"P0", "P1", "P7"}
    repo.move(ids["P0"], Bucket.UNSORTED, position=6)  # one row below: it moves down
    assert column(repo, Bucket.UNSORTED) == ["P1", "P7", "P2", "P3", "P4", "P5", "P0", "P6"]
    assert positions(repo)["P6"] == after["P6"] + 1 and positions(repo)["P5"] == after["P5"]


def test_tied_positions_from_an_old_database_are_numbered_when_someone_goes_between(repo: Repository) -> None:
    ids = people(repo, "Dee", "Cid", "Bob", "Ann")
    repo.db.execute_sql("UPDATE person SET position = 0")  # ties: the column falls back to name order
    assert column(repo, Bucket.UNSORTED) == ["Ann", "Bob", "Cid", "Dee"]
    move = repo.move(ids["Dee"], Bucket.UNSORTED, position=1)
    assert (move.from_position, move.to_position) == (3, 1)
    assert column(repo, Bucket.UNSORTED) == ["Ann", "Dee", "Bob", "Cid"]
    repo.undo_last_move()
    assert column(repo, Bucket.UNSORTED) == ["Ann", "Bob", "Cid", "Dee"]


def test_random_moves_and_undos_follow_a_list_model(repo: Repository) -> None:
    """Every move lands where a plain list insert puts it; every undo puts the board back exactly."""
    import random

    rng = random.Random(7)
    names = [f"N{n:02d}" for n in range(24)]
    ids = people(repo, *names)
    model = {bucket: [] for bucket in Bucket}
    model[Bucket.UNSORTED] = list(names)
    history = []
    for step in range(160):
        if history and rng.random() < 0.3:
            undone = repo.undo_last_move()
            model = history.pop()
            assert undone is not None
        else:
            name = rng.choice(names)
            source = next(b for b, col in model.items() if name in col)
            target = rng.choice(list(Bucket))
            index = rng.choice([None, 0, rng.randrange(0, 30)])
            snapshot = {b: list(col) for b, col in model.items()}
            model[source].remove(name)
            to = len(model[target]) if index is None else max(0, min(index, len(model[target])))
            model[target].insert(to, name)
            move = repo.move(ids[name], target, index)
            if move.id:
                history.append(snapshot)
                assert (move.from_position, move.to_position) == (snapshot[source].index(name), to)
            else:
                assert model == snapshot
        assert {b: column(repo, b) for b in Bucket} == model, f"step {step}"


def test_reorder_within_a_column_and_clamp_position(repo: Repository) -> None:
    ids = people(repo, "Ann", "Bob", "Cid")
    repo.move(ids["Cid"], Bucket.UNSORTED, position=0)
    assert column(repo, Bucket.UNSORTED) == ["Cid", "Ann", "Bob"]
    repo.move(ids["Cid"], Bucket.UNSORTED, position=99)
    assert column(repo, Bucket.UNSORTED) == ["Ann", "Bob", "Cid"]
    nothing = repo.move(ids["Cid"], Bucket.UNSORTED)  # already last: nothing to record
    assert nothing.id == 0
    assert len(repo.get_person(ids["Cid"]).moves) == 2


def test_undo_restores_bucket_and_position_newest_first(repo: Repository) -> None:
    ids = people(repo, "Ann", "Bob", "Cid")
    repo.move(ids["Ann"], Bucket.NURTURE)
    repo.move(ids["Bob"], Bucket.NURTURE, position=0)
    assert column(repo, Bucket.NURTURE) == ["Bob", "Ann"]
    undone = repo.undo_last_move()
    assert undone.person_id == ids["Bob"] and undone.to_bucket is Bucket.NURTURE
    assert column(repo, Bucket.UNSORTED) == ["Bob", "Cid"]
    undone = repo.undo_last_move()
    assert undone.person_id == ids["Ann"]
    assert column(repo, Bucket.UNSORTED) == ["Ann", "Bob", "Cid"]
    assert column(repo, Bucket.NURTURE) == []
    assert repo.get_person(ids["Ann"]).moves == ()
    assert repo.undo_last_move() is None


def test_moving_an_unknown_person_fails_clearly(repo: Repository) -> None:
    with pytest.raises(NotFoundError):
        repo.move(404, Bucket.INNER)


# ---- time invested --------------------------------------------------------------------------------


def test_log_update_delete_interaction(repo: Repository, fixed_now) -> None:
    ids = people(repo, "Ann")
    first = repo.log_interaction(ids["Ann"], 30, "call", "birthday wishes", at=fixed_now - timedelta(days=3))
    second = repo.log_interaction(ids["Ann"], 90, "coffee")
    assert second.at == fixed_now
    detail = repo.get_person(ids["Ann"])
    assert [i.id for i in detail.interactions] == [second.id, first.id]  # newest first
    assert detail.summary.minutes_invested == 120 and detail.summary.last_interaction == fixed_now

    changed = repo.update_interaction(first.id, minutes=45, note="long call")
    assert (changed.minutes, changed.kind, changed.note) == (45, "call", "long call")
    assert changed.at == first.at
    moved = repo.update_interaction(second.id, at=datetime(2026, 1, 2, 8, 0))
    assert moved.at == datetime(2026, 1, 2, 8, 0) and moved.minutes == 90

    repo.delete_interaction(first.id)
    summary = repo.get_summary(ids["Ann"])
    assert summary.minutes_invested == 90 and summary.last_interaction == datetime(2026, 1, 2, 8, 0)
    with pytest.raises(NotFoundError):
        repo.delete_interaction(first.id)
    with pytest.raises(NotFoundError):
        repo.update_interaction(first.id, minutes=1)
    with pytest.raises(NotFoundError):
        repo.log_interaction(404, 10)
    with pytest.raises(ValueError):
        repo.log_interaction(ids["Ann"], -5)


def test_due_uses_bucket_cadence_and_a_fixed_clock(repo: Repository, fixed_now) -> None:
    ids = people(repo, "Inner13", "Inner14", "Inner40", "InnerNever", "Nurture44", "Nurture60",
                 "Vanity", "Unsorted")
    for name in ("Inner13", "Inner14", "Inner40", "InnerNever"):
        repo.move(ids[name], Bucket.INNER)
    for name in ("Nurture44", "Nurture60"):
        repo.move(ids[name], Bucket.NURTURE)
    repo.move(ids["Vanity"], Bucket.VANITY)
    days_ago = {"Inner13": 13, "Inner14": 14, "Inner40": 40, "Nurture44": 44, "Nurture60": 60,
                "Vanity": 400, "Unsorted": 400}
    for name, days in days_ago.items():
        repo.log_interaction(ids[name], 10, at=fixed_now - timedelta(days=days, hours=1))
    # An older interaction does not count against a recent one.
    repo.log_interaction(ids["Inner13"], 10, at=fixed_now - timedelta(days=100))

    due = repo.due(Cadence(inner=14, nurture=45), now=fixed_now)
    assert [(e.person.name, e.days_since) for e in due] == [
        ("InnerNever", None), ("Inner40", 40), ("Nurture60", 60), ("Inner14", 14)]
    assert due[1].person.last_interaction == fixed_now - timedelta(days=40, hours=1)
    # A later clock makes more people due; a cadence of None never nags.
    later = repo.due(Cadence(inner=None, nurture=45), now=fixed_now + timedelta(days=1))
    assert [e.person.name for e in later] == ["Nurture60", "Nurture44"]
    # Without an explicit time the repository's clock is used.
    assert [e.person.name for e in repo.due()] == [e.person.name for e in due]


# ---- duplicates -----------------------------------------------------------------------------------


def test_merge_people_keeps_phones_emails_notes_time_moves_and_cards(repo: Repository, fixed_now) -> None:
    repo.import_drafts([
        draft("Priya Sharma", phones=["+91 90000 11111"], emails=["priya@work.example"], note="Team lead",
              org="Infosys"),
        draft("Priya S.", phones=["+91 90000 22222"], emails=["priya@home.example"], note="Loves chess",
              title="Engineer", photo=b"\x89PNG", photo_type="image/png"),
    ])
    ids = {p.name: p.id for p in repo.list_people()}
    keep, other = ids["Priya Sharma"], ids["Priya S."]
    repo.move(other, Bucket.INNER)
    logged = repo.log_interaction(other, 25, "call")
    merged = repo.merge_people(keep, other)
    assert merged.id == keep and repo.get_person(other) is None and repo.count_people() == 1
    assert merged.phones == ("+91 90000 11111", "+91 90000 22222")
    assert merged.emails == ("priya@work.example", "priya@home.example")
    assert merged.note == "Team lead\n\nLoves chess"
    assert (merged.org, merged.title) == ("Infosys", "Engineer")
    assert merged.minutes_invested == 25
    detail = repo.get_person(keep)
    assert detail.photo == b"\x89PNG"
    assert [i.id for i in detail.interactions] == [logged.id]
    assert [m.to_bucket for m in detail.moves] == [Bucket.INNER]
    (exported, cards), = repo.export_people()
    assert len(cards) == 2 and "FN:Priya S." in cards[1]
    with pytest.raises(ValueError):
        repo.merge_people(keep, keep)
    with pytest.raises(NotFoundError):
        repo.merge_people(keep, other)


def test_merging_a_candidate_pair_clears_it_and_dismissals_follow_the_kept_person(repo: Repository) -> None:
    repo.import_drafts([draft("Jonathan Smith", phones=["+1 555 100 0001"]),
                        draft("Jonathon Smith", phones=["+1 555 100 0002"]),
                        draft("Jonathan Smyth", phones=["+1 555 100 0003"])])
    ids = {p.name: p.id for p in repo.list_people()}
    pairs = {frozenset((p.a.name, p.b.name)) for p in repo.possible_duplicates()}
    assert frozenset(("Jonathan Smith", "Jonathon Smith")) in pairs
    repo.dismiss_duplicate(ids["Jonathon Smith"], ids["Jonathan Smyth"])
    repo.merge_people(ids["Jonathan Smith"], ids["Jonathon Smith"])
    remaining = {frozenset((p.a.name, p.b.name)) for p in repo.possible_duplicates()}
    # The merged pair is gone, and "Jonathon is not Smyth" now holds for the person Jonathon became.
    assert frozenset(("Jonathan Smith", "Jonathon Smith")) not in remaining
    assert remaining == set()
    statuses = dict(((a, b), s) for a, b, s in repo.db.execute_sql(
        "SELECT a, b, status FROM duplicate_candidate").fetchall())
    keep, smyth = ids["Jonathan Smith"], ids["Jonathan Smyth"]
    assert statuses[(min(keep, smyth), max(keep, smyth))] == "dismissed"


def test_dismiss_unknown_or_same_person_fails(repo: Repository) -> None:
    ids = people(repo, "Ann")
    with pytest.raises(ValueError):
        repo.dismiss_duplicate(ids["Ann"], ids["Ann"])
    with pytest.raises(NotFoundError):
        repo.dismiss_duplicate(ids["Ann"], 404)


# ---- reading --------------------------------------------------------------------------------------


def test_export_returns_raw_cards_oldest_first_and_filters_by_bucket(repo: Repository) -> None:
    first = draft("Ann", phones=["+1 555 200 0001"])
    repo.import_drafts([first, draft("Bob", phones=["+1 555 200 0002"])])
    second = draft("Ann Lee", phones=["+1 555 200 0001"], emails=["ann@example.org"])
    repo.import_drafts([second])
    ids = {p.name: p.id for p in repo.list_people()}
    repo.move(ids["Ann"], Bucket.INNER)
    exported = repo.export_people(Bucket.INNER)
    assert [(d.summary.name, cards) for d, cards in exported] == [("Ann", [first.raw, second.raw])]
    assert exported[0][0].emails == (Email("ann@example.org", ""),)
    assert [d.summary.name for d, _ in repo.export_people()] == ["Bob", "Ann"]  # unsorted column first


def test_search_rows_carry_contacts_and_notes(repo: Repository, fixed_now) -> None:
    repo.import_drafts([draft("Ann", phones=["+1 555 300 0001", "+1 555 300 0002"],
                              emails=["ann@a.example", "ann@b.example"], note="climber", org="Acme")])
    (row,) = repo.search_rows()
    person_id = row[0]
    assert row[1:5] == ("Ann", "Acme", "ann@a.example ann@b.example", "+1 555 300 0001 +1 555 300 0002")
    assert row[5] == "climber"
    repo.log_interaction(person_id, 10, note="old note", at=fixed_now - timedelta(days=9))
    repo.log_interaction(person_id, 10, note="talked about Lisbon")
    repo.log_interaction(person_id, 10)  # no note: the latest note still shows
    assert repo.search_rows()[0][5] == "climber\ntalked about Lisbon"


def test_get_returns_none_for_unknown_people(repo: Repository) -> None:
    assert repo.get_summary(404) is None and repo.get_person(404) is None
    assert repo.list_people() == [] and repo.search_rows() == [] and repo.export_people() == []


def test_summaries_equal_what_the_plain_constructor_builds(repo: Repository, fixed_now) -> None:
    repo.import_drafts([draft("Ann", phones=["+1 555 400 0001"], emails=["ann@example.org"], note="n",
                              org="Acme", title="CTO", birthday=Birthday(4, 12, None))])
    person_id = repo.list_people()[0].id
    repo.log_interaction(person_id, 15, at=fixed_now)
    expected = PersonSummary(id=person_id, name="Ann", bucket=Bucket.UNSORTED, position=0,
                             phones=("+1 555 400 0001",), emails=("ann@example.org",), org="Acme", title="CTO",
                             birthday=Birthday(4, 12, None), note="n", minutes_invested=15,
                             last_interaction=fixed_now, uid=repo.export_people()[0][0].summary.uid)
    assert repo.list_people() == [expected]
    assert repo.get_summary(person_id) == expected
    assert repo.get_summary(person_id).to_json()["birthday"] == "--04-12"
    stored_uid = repo.db.execute_sql("SELECT uid FROM person WHERE id = ?", (person_id,)).fetchone()[0]
    assert expected.uid == stored_uid and len(stored_uid) == 36


def test_board_columns_and_last_contacts(repo: Repository, fixed_now) -> None:
    ids = people(repo, "Ann", "Bob", "Cid")
    repo.move(ids["Cid"], Bucket.INNER)
    repo.move(ids["Bob"], Bucket.INNER, position=0)
    columns = repo.board_columns()
    assert columns[Bucket.INNER] == [(ids["Bob"], "Bob"), (ids["Cid"], "Cid")]
    assert columns[Bucket.UNSORTED] == [(ids["Ann"], "Ann")]
    assert columns[Bucket.NURTURE] == [] and columns[Bucket.VANITY] == []
    repo.log_interaction(ids["Ann"], 5, at=fixed_now - timedelta(days=2))
    repo.log_interaction(ids["Ann"], 5, at=fixed_now - timedelta(days=9))
    assert repo.last_contacts() == {ids["Ann"]: fixed_now - timedelta(days=2)}


def test_list_rows_are_list_people_without_contact_fields(repo: Repository, fixed_now) -> None:
    import dataclasses

    ids = people(repo, "dee", "Cid", "Bob", "ann", "Eve")
    repo.import_drafts([draft("Fay", emails=["fay@example.org"], note="n", org="Acme", title="CTO",
                              birthday=Birthday(4, 12, None))])
    repo.move(ids["Eve"], Bucket.INNER)
    repo.move(ids["Bob"], Bucket.VANITY)
    repo.db.execute_sql("UPDATE person SET position = 0 WHERE bucket = 'unsorted'")  # ties: name order
    repo.db.execute_sql("UPDATE person SET bucket = 'archived' WHERE id = ?", (ids["Cid"],))  # a future bucket
    repo.log_interaction(ids["dee"], 20, at=fixed_now - timedelta(days=3))
    repo.log_interaction(ids["dee"], 15, at=fixed_now - timedelta(days=1))
    blank = {"phones": (), "emails": (), "title": "", "birthday": None, "note": "", "uid": ""}
    expected = [dataclasses.replace(p, **blank) for p in repo.list_people()]
    assert [p.name for p in expected] == ["ann", "dee", "Fay", "Eve", "Bob", "Cid"]
    assert repo.list_rows() == expected
    dee = repo.list_rows()[1]
    assert (dee.minutes_invested, dee.last_interaction) == (35, fixed_now - timedelta(days=1))
    for limit in (1, 2, 4, 5, 6, 9):
        assert repo.list_rows(limit=limit) == expected[:limit]
    for bucket in Bucket:
        assert repo.list_rows(bucket) == [p for p in expected if p.bucket is bucket and p.name != "Cid"]
    assert repo.list_rows(Bucket.UNSORTED, limit=2) == expected[:2]


def test_summaries_keep_the_order_asked_for(repo: Repository) -> None:
    ids = people(repo, "Ann", "Bob", "Cid")
    by_id = {p.id: p for p in repo.list_people()}
    asked = [ids["Cid"], 404, ids["Ann"], ids["Cid"]]
    assert repo.summaries(asked) == [by_id[ids["Cid"]], by_id[ids["Ann"]], by_id[ids["Cid"]]]
    assert repo.summaries([]) == []


def test_summaries_of_more_people_than_one_query_may_name(tmp_path: Path, monkeypatch, fixed_now) -> None:
    from tiecrm.store import repository as repository_module

    repo = Repository(tmp_path / "many.db", now=lambda: fixed_now)
    repo.import_drafts([draft(f"Person {n:05d}") for n in range(12)])
    everyone = [p.id for p in repo.list_people()]
    repo.log_interaction(everyone[7], 10)
    monkeypatch.setattr(repository_module, "_CHUNK", 5)  # several slices, as 40,000 ids would need
    try:
        assert [p.id for p in repo.summaries(everyone[::-1])] == everyone[::-1]
        assert [p.minutes_invested for p in repo.list_rows(limit=12)] == [0] * 7 + [10] + [0] * 4
    finally:
        repo.close()


def test_has_people_says_whether_anyone_is_stored(repo: Repository) -> None:
    assert not repo.has_people()
    ids = people(repo, "Ann", "Bob")
    assert repo.has_people()
    repo.merge_people(ids["Ann"], ids["Bob"])
    assert repo.has_people() and repo.count_people() == 1


def test_list_rows_of_some_people_are_their_list_rows_in_the_order_asked(repo: Repository, fixed_now) -> None:
    from tiecrm.domain import CardDraft, Phone

    repo.import_drafts([CardDraft(name=name, raw=f"BEGIN:VCARD\nFN:{name}\nEND:VCARD", org=org,
                                  phones=[Phone("+44 20 7946 0958")])
                        for name, org in [("Ana Lima", "Acme"), ("Ben Okafor", ""), ("Chloé Martin", "Orange")]])
    ids = {p.name: p.id for p in repo.list_people()}
    repo.move(ids["Ben Okafor"], Bucket.INNER)
    repo.log_interaction(ids["Ben Okafor"], 30, note="coffee", at=datetime(2026, 1, 5, 9, 30))
    repo.log_interaction(ids["Ben Okafor"], 15, at=datetime(2026, 2, 1, 18, 0))
    rows = {row.id: row for row in repo.list_rows()}
    wanted = [ids["Chloé Martin"], 999, ids["Ben Okafor"], ids["Ana Lima"], ids["Ben Okafor"]]
    found = repo.list_rows_of(wanted)
    assert found == [rows[i] for i in wanted if i in rows]
    assert (found[1].minutes_invested, found[1].last_interaction) == (45, datetime(2026, 2, 1, 18, 0))
    assert found[1].bucket == Bucket.INNER and found[0].org == "Orange" and found[0].phones == ()
    assert repo.list_rows_of([]) == []
