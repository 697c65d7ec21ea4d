"""NameGroups, fed person by person as an import goes, ends with exactly similar_name_pairs' pairs and scores."""

from __future__ import annotations

import os
import random
import sys

import pytest

from tests.test_similar_names import generated_names
from tiecrm.matching import SHORTENED_SCORE, similar_name_pairs
from tiecrm.name_pairs import NameGroups


def replay(known: list[tuple[int, str]], steps: list[tuple], threshold: float = 90):
    """Feed `known` then `steps` ("new", id, name) / ("touch", id) / ("rename", id, name) to a NameGroups;
    return its pairs and the one-pass function's pairs on the same final names and new people."""
    tracker = NameGroups()
    names = dict(known)
    new_ids: set[int] = set()
    for person_id, name in known:
        tracker.add_known(person_id, name)
    for step in steps:
        if step[0] == "new":
            tracker.add_new(step[1], step[2])
            names[step[1]] = step[2]
        elif step[0] == "touch":
            tracker.touch(step[1])
        else:
            tracker.rename(step[1], names.get(step[1], ""), step[2])
            names[step[1]] = step[2]
        new_ids.add(step[1])
    return tracker.pairs(threshold), similar_name_pairs(sorted(names.items()), new_ids, threshold)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_first_import_gives_the_one_pass_pairs(seed: int) -> None:
    names = generated_names(6000, seed)
    got, expected = replay([], [("new", pid, name) for pid, name in names])
    assert got == expected
    assert len(expected) > 1000 and any(score == SHORTENED_SCORE for *_, score in expected)


@pytest.mark.parametrize("seed", [4, 5])
def test_touches_renames_and_known_people_give_the_one_pass_pairs(seed: int) -> None:
    rng = random.Random(seed)
    names = generated_names(5000, seed)
    known, arriving = names[:2500], names[2500:]
    steps: list[tuple] = []
    for pid, name in arriving:
        steps.append(("new", pid, name))
        roll = rng.random()
        if roll < 0.05:
            steps.append(("touch", rng.choice(known)[0]))
        elif roll < 0.08:
            # A card naming someone already there anew (by UID), or a new person renamed by a later card.
            target = rng.choice(known)[0] if roll < 0.065 else rng.choice(steps)[1]
            steps.append(("rename", target, rng.choice(names)[1]))
        elif roll < 0.09:
            steps.append(("rename", pid, "(+1 555 0100)"))  # a name with no words leaves every block
    got, expected = replay(known, steps)
    assert got == expected
    assert any(a <= 2500 for a, _b, _s in expected) and any(score < 100 for *_, score in expected)


def test_renames_that_bring_a_common_word_back_under_the_split_rule_count() -> None:
    # 350 people share "smith" (over SPLIT_BLOCK); 100 are renamed away, and the block ends whole at 250.
    names = [(pid, f"{first} Smith") for pid, first in enumerate(
        [f"{a}{b}{c}{d}" for a in "BCDFG" for b in "aeiou" for c in "lmnrst" for d in "aoi"][:350], 1)]
    assert len({name for _, name in names}) == 350
    # Two names that only a whole "smith" block compares: their other words differ at both ends.
    names += [(351, "Annabellemarie Smith"), (352, "Bnnabellemarix Smith")]
    steps = [("new", pid, name) for pid, name in names]
    steps += [("rename", pid, f"Person{pid} Jones") for pid in range(1, 101)]
    got, expected = replay([], steps)
    assert got == expected and (351, 352, 90.0) in expected


def test_thresholds_and_small_names() -> None:
    names = [(1, "Asha Rao"), (2, "Asha Rau"), (3, "Ravi Rao"), (4, "Abcd Efgh"), (5, "Abce Efgh"),
             (6, "Jon Smyth"), (7, "Jonathan Smyth"), (8, "Anna Anna"), (9, "Anna Anne"), (10, "Anna"),
             (11, "Li Na"), (12, "Li Na"), (13, "(no words) !!"), (14, "")]
    for threshold in (70, 85, 90, 95):
        for split in range(0, len(names) + 1, 3):
            steps = [("new", pid, name) for pid, name in names[split:]]
            got, expected = replay(names[:split], steps, threshold)
            assert got == expected, (threshold, split)


def _cards(names: list[tuple[int, str]], uid_prefix: str, phone_of=lambda pid: f"+44 20 7946 {pid:04d}") -> str:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid_prefix}-{pid}\r\nFN:{name}\r\nTEL;TYPE=CELL:{phone_of(pid)}\r\n"
        "END:VCARD\r\n"
        for pid, name in names
    )


def _duplicates(db) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT a, b, reason, score FROM duplicate_candidate ORDER BY a, b").fetchall()
    finally:
        conn.close()


def test_an_import_grouping_names_as_it_goes_records_the_same_duplicates(tmp_path, fixed_now, monkeypatch) -> None:
    from tiecrm.store.repository import Repository
    from tiecrm.vcard.reader import read_vcard_bytes

    names = generated_names(2400, 8)
    first = read_vcard_bytes(_cards(names[:1200], "a").encode()).drafts
    # The second batch: 150 of the first people again by UID under another name, 100 cards sharing a
    # first person's phone (50 under the same name: that person is touched; 50 under another: a pair
    # by phone), and 1,050 new people.
    second_text = _cards([(pid, names[pid + 1000][1]) for pid, _ in names[:150]], "a")
    second_text += _cards([(pid + 5000, name) for pid, name in names[300:350]], "b",
                          phone_of=lambda pid: f"+44 20 7946 {pid - 5000:04d}")
    second_text += _cards([(pid + 5000, f"Zebedee Quillfeather {pid}") for pid, _ in names[350:400]], "b",
                          phone_of=lambda pid: f"+44 20 7946 {pid - 5000:04d}")
    second_text += _cards(names[1200:2250], "c")
    second = read_vcard_bytes(second_text.encode()).drafts
    assert len(second) == 1300

    grouped_passes: list[int] = []
    pairs = NameGroups.pairs
    monkeypatch.setattr(NameGroups, "pairs", lambda self, *a, **k: grouped_passes.append(1) or pairs(self, *a, **k))
    results = []
    for way, feed in (("as it goes", list), ("at the end", lambda drafts: (d for d in drafts))):
        repo = Repository(tmp_path / f"{way}.db", now=lambda: fixed_now)
        try:
            summaries = [repo.import_drafts(feed(first)), repo.import_drafts(feed(second))]
        finally:
            repo.close()
        results.append(([s.possible_duplicates for s in summaries], _duplicates(tmp_path / f"{way}.db")))
    (counts, grouped), (counts_at_end, at_end) = results
    assert counts == counts_at_end and grouped == at_end
    assert len(grouped_passes) == 2, "both batches of the first import grouped names as they came"
    assert {reason for _a, _b, reason, _score in grouped} == {"name", "phone"}
    assert counts[1] > 0 and any(score < 100 for *_, score in grouped)


@pytest.mark.parametrize("seed", [1, 6])
def test_scoring_half_the_blocks_in_a_forked_process_gives_the_same_pairs(seed: int, monkeypatch) -> None:
    from tiecrm import name_pairs
    from tiecrm.forked import fork_is_safe

    if not fork_is_safe():
        pytest.skip("needs a safe fork")
    started: list[int] = []
    fork = name_pairs.ForkedCall
    monkeypatch.setattr(name_pairs, "ForkedCall", lambda *args: started.append(1) or fork(*args))
    monkeypatch.setattr(name_pairs, "FORK_SCORING_FROM", 0)
    names = generated_names(3000, seed)
    groups = NameGroups()
    for person_id, name in names[:1000]:
        groups.add_known(person_id, name)
    for person_id, name in names[1000:]:
        groups.add_new(person_id, name)
    assert groups.pairs(two_processes=True) == groups.pairs(two_processes=False)
    assert started == [1]


def test_when_the_forked_child_dies_its_share_is_scored_here(monkeypatch) -> None:
    from tiecrm import name_pairs
    from tiecrm.forked import fork_is_safe

    if not fork_is_safe():
        pytest.skip("needs a safe fork")

    def dies(*_args):
        import os

        os._exit(9)

    monkeypatch.setattr(name_pairs, "_child_share", dies)
    monkeypatch.setattr(name_pairs, "FORK_SCORING_FROM", 0)
    groups = NameGroups()
    for person_id, name in generated_names(2000, 9):
        groups.add_new(person_id, name)
    assert groups.pairs(two_processes=True) == groups.pairs(two_processes=False)


def _grouped(count: int, seed: int, fork_now: bool = False) -> NameGroups:
    groups = NameGroups(fork_now=fork_now)
    names = generated_names(count, seed)
    for person_id, name in names[: count // 4]:
        groups.add_known(person_id, name)
    for person_id, name in names[count // 4:]:
        groups.add_new(person_id, name)
    return groups


def test_while_the_parent_is_busy_the_forked_child_takes_the_blocks_and_the_pairs_are_the_same(monkeypatch) -> None:
    import time

    from tiecrm import name_pairs
    from tiecrm.forked import fork_is_safe

    if not fork_is_safe():
        pytest.skip("needs a safe fork")
    monkeypatch.setattr(name_pairs, "FORK_SCORING_FROM", 0)
    taken_here: list[tuple] = []
    from_the_back = name_pairs._from_the_back
    monkeypatch.setattr(name_pairs, "_from_the_back",
                        lambda units, claims: (taken_here.append(u) or u for u in from_the_back(units, claims)))
    ran: list[float] = []
    groups = _grouped(3000, 4)
    alone = groups.pairs(two_processes=False)
    # The child needs well under a second for these names: by the time `meanwhile` returns, it has
    # taken every unit but (perhaps) the one where the two sides meet.
    assert groups.pairs(two_processes=True, meanwhile=lambda: ran.append(1) or time.sleep(1.5)) == alone
    assert ran == [1]
    assert len(taken_here) <= 1
    # And with nothing to do meanwhile, this process takes its share from the back.
    taken_here.clear()
    assert groups.pairs(two_processes=True) == alone
    assert taken_here


@pytest.mark.parametrize("two_processes", [True, False])
def test_meanwhile_runs_once_whatever_the_pass_finds(two_processes: bool) -> None:
    ran: list[int] = []
    groups = _grouped(400, 2)
    assert groups.pairs(two_processes=two_processes, meanwhile=lambda: ran.append(1))
    nobody_new = NameGroups()
    nobody_new.add_known(1, "Asha Rao")
    assert nobody_new.pairs(two_processes=two_processes, meanwhile=lambda: ran.append(2)) == []
    assert ran == [1, 2]


def test_when_the_forked_child_dies_half_way_the_units_it_took_are_scored_here(monkeypatch) -> None:
    import os
    import time

    from tiecrm import name_pairs
    from tiecrm.forked import fork_is_safe

    if not fork_is_safe():
        pytest.skip("needs a safe fork")

    def dies_half_way(claims, name_blocks, *_rest):
        units = name_pairs._from_the_front(name_blocks.units, claims)
        for _ in range(len(name_blocks.units) // 2):
            next(units)
        os._exit(9)

    monkeypatch.setattr(name_pairs, "_child_share", dies_half_way)
    monkeypatch.setattr(name_pairs, "FORK_SCORING_FROM", 0)
    groups = _grouped(3000, 5)
    assert groups.pairs(two_processes=True, meanwhile=lambda: time.sleep(0.5)) == groups.pairs(two_processes=False)


def test_tokens_worked_out_elsewhere_group_as_the_names_would() -> None:
    from tiecrm.store.prepared import NO_NAME, pairing_name, pairing_tokens

    assert pairing_tokens(NO_NAME) == [] and pairing_tokens("") == []
    assert pairing_tokens("Müller, Jörg") == ["jorg", "muller"]
    names = [*generated_names(1500, 3), (90_001, NO_NAME), (90_002, "")]
    by_name, by_tokens = NameGroups(), NameGroups()
    for person_id, name in names:
        by_name.add_new(person_id, pairing_name(name))
        by_tokens.add_new(person_id, pairing_name(name), pairing_tokens(name))
    assert by_tokens.ids_by_key == by_name.ids_by_key and by_tokens.token_lists == by_name.token_lists
    assert by_tokens.pairs(two_processes=False) == by_name.pairs(two_processes=False)


def _children() -> set[int]:
    with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as children:
        return {int(pid) for pid in children.read().split()}


def test_a_helper_forked_before_the_names_come_shares_the_pass_and_is_gone_after(monkeypatch) -> None:
    """NameGroups(fork_now=True) forks the process that will share the pass at once, and sends it the
    names when the pass comes; the pairs are those of one process, and the helper is waited for."""
    from tiecrm import name_pairs
    from tiecrm.forked import fork_is_safe

    if not fork_is_safe() or not sys.platform.startswith("linux"):
        pytest.skip("needs a safe fork and /proc")
    monkeypatch.setattr(name_pairs, "FORK_SCORING_FROM", 0)
    before = _children()
    groups = _grouped(3000, 7, fork_now=True)
    helpers = _children() - before
    assert len(helpers) == 1, "forked as the groups were made"
    assert groups.pairs(two_processes=True) == groups.pairs(two_processes=False)
    assert _children() == before, "the helper was waited for"


@pytest.mark.parametrize("pass_size", ["too small to share", "none"])
def test_a_helper_the_pass_does_not_use_is_let_go(pass_size: str) -> None:
    from tiecrm.forked import fork_is_safe

    if not fork_is_safe() or not sys.platform.startswith("linux"):
        pytest.skip("needs a safe fork and /proc")
    before = _children()
    groups = _grouped(300, 3, fork_now=True)
    assert len(_children() - before) == 1
    if pass_size == "none":
        groups.close()  # an import that failed before its pass
    else:
        assert groups.pairs(two_processes=True) == groups.pairs(two_processes=False)
    assert _children() == before


def test_an_import_sharing_its_pass_with_a_process_forked_at_the_first_card_records_the_same(
        tmp_path, fixed_now, monkeypatch) -> None:
    from tests.bench.gen_phone_export import generate_phone_export
    from tiecrm import name_pairs
    from tiecrm.forked import fork_is_safe
    from tiecrm.store import importer
    from tiecrm.store.repository import Repository
    from tiecrm.vcard.reader import read_vcard_bytes

    if not fork_is_safe():
        pytest.skip("needs a safe fork")
    drafts = read_vcard_bytes(generate_phone_export(1500, seed=21)).drafts
    events: list[str] = []
    start, flush = name_pairs._Helper.start, importer.BatchImport.flush
    monkeypatch.setattr(name_pairs._Helper, "start", classmethod(lambda cls: events.append("fork") or start()))
    monkeypatch.setattr(importer.BatchImport, "flush", lambda self: events.append("flush") or flush(self))
    results = []
    for early in (True, False):
        monkeypatch.setattr(importer, "FORK_EARLY_FROM", 1000 if early else 10**9)
        monkeypatch.setattr(name_pairs, "FORK_SCORING_FROM", 0 if early else 10**9)
        events.clear()
        repo = Repository(tmp_path / f"{early}.db", now=lambda: fixed_now)
        try:
            count = repo.import_drafts(drafts).possible_duplicates
        finally:
            repo.close()
        results.append((count, _duplicates(tmp_path / f"{early}.db")))
        assert events[0] == ("fork" if early else "flush")
        assert events.count("fork") == int(early)
    assert results[0] == results[1] and results[0][0] > 0
