"""similar_name_pairs finds exactly the pairs and scores of its first, plainer implementation (kept here)."""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence

import pytest
from rapidfuzz import fuzz, process

from tiecrm.matching import (
    MIN_BLOCK_TOKEN,
    SHORTENED_SCORE,
    SMALL_WINDOW,
    SPLIT_BLOCK,
    name_tokens,
    similar_name_pairs,
)
from tiecrm.vcard.reader import collect_vcf_files, stream_vcard_file


def reference_similar_name_pairs(
    names: Sequence[tuple[int, str]], new_ids: set[int], threshold: float = 90
) -> list[tuple[int, int, float]]:
    """The similar-names pass as it was first written: blocks, then one window of keys per query."""
    ids_by_key, token_lists = reference_group_by_key(names)
    new_keys = {key for key, ids in ids_by_key.items() if not new_ids.isdisjoint(ids)}
    if not new_keys:
        return []
    blocks: dict[str, list[str]] = defaultdict(list)
    weights: dict[str, int] = defaultdict(int)  # people in a block, not keys: the split rule counts people
    for key, tokens in token_lists.items():
        for token in {token for token in tokens if len(token) >= MIN_BLOCK_TOKEN}:
            blocks[token].append(key)
            weights[token] += len(ids_by_key[key])
    for token in [t for t, weight in weights.items() if weight > SPLIT_BLOCK]:
        # A common token ("rahul" in hundreds of names) would cost too many comparisons: narrow its
        # block to names whose other tokens start, or end, with the same letter.
        for key in blocks.pop(token):
            others = list(token_lists[key])
            others.remove(token)
            rest = " ".join(others)
            if not rest:
                continue  # only the same key could pair with it, and equal keys pair anyway
            blocks[f"{token}/<{rest[0]}"].append(key)
            blocks[f"{token}/>{rest[-1]}"].append(key)

    key_scores: dict[tuple[str, str], float] = {}
    extract, ratio = process.extract, fuzz.ratio
    # A ratio of at least `threshold` bounds the length difference: 2 * min / (la + lb) >= t.
    reach = max(threshold, 1e-6) / (200 - min(threshold, 100))
    for members in blocks.values():
        if len(members) < 2:
            continue
        fresh = sorted((member for member in members if member in new_keys), key=len)
        if not fresh:
            continue
        known = sorted((member for member in members if member not in new_keys), key=len)
        fresh_lengths = [len(member) for member in fresh]
        known_lengths = [len(member) for member in known]
        for index, query in enumerate(fresh):
            size = len(query)
            # Each pair of new keys once: the later one is inside the earlier one's window (it is symmetric).
            windows = [fresh[index + 1:bisect_right(fresh_lengths, size / reach + 1e-9)]]
            if known:
                windows.append(known[bisect_left(known_lengths, size * reach - 1e-9):
                                     bisect_right(known_lengths, size / reach + 1e-9)])
            for window in windows:
                # Keys are already token-sorted, so plain ratio on them is token_sort_ratio.
                if len(window) <= SMALL_WINDOW:
                    for other in window:
                        score = ratio(query, other, score_cutoff=threshold)
                        if score:
                            key_scores[(query, other) if query < other else (other, query)] = score
                    continue
                for other, score, _ in extract(query, window, scorer=ratio, score_cutoff=threshold, limit=None):
                    key_scores[(query, other) if query < other else (other, query)] = score
    for a, b in reference_shortened_key_pairs(token_lists, new_keys):
        pair = (a, b) if a < b else (b, a)
        key_scores[pair] = max(key_scores.get(pair, 0.0), SHORTENED_SCORE)

    out: list[tuple[int, int, float]] = []
    for ids in ids_by_key.values():
        if len(ids) > 1:
            for i, a in enumerate(ids):
                for b in ids[i + 1:]:
                    if a in new_ids or b in new_ids:
                        out.append((a, b, 100.0) if a < b else (b, a, 100.0))
    for (key_a, key_b), score in key_scores.items():
        score = round(score, 1)
        for a in ids_by_key[key_a]:
            a_new = a in new_ids
            for b in ids_by_key[key_b]:
                if a_new or b in new_ids:
                    out.append((a, b, score) if a < b else (b, a, score))
    out.sort()
    return out


def reference_group_by_key(names: Sequence[tuple[int, str]]) -> tuple[dict[str, list[int]], dict[str, list[str]]]:
    """People by name key, and each key's tokens; names without words are left out."""
    key_of: dict[str, str] = {}  # names repeat; tokenising each once saves most of the work
    ids_by_key: dict[str, list[int]] = {}
    token_lists: dict[str, list[str]] = {}
    for person_id, name in names:
        key = key_of.get(name)
        if key is None:
            tokens = name_tokens(name)
            key = key_of[name] = " ".join(tokens)
            if key and key not in token_lists:
                token_lists[key] = tokens
        if not key:
            continue
        ids = ids_by_key.get(key)
        if ids is None:
            ids_by_key[key] = [person_id]
        else:
            ids.append(person_id)
    return ids_by_key, token_lists


def reference_shortened_key_pairs(token_lists: dict[str, list[str]], new_keys: set[str]) -> set[tuple[str, str]]:
    """Pairs of name keys that are the same but for a shortened or initialled word ("jon smyth" and
    "jonathan smyth", "priya s" and "priya sharma"), which a ratio scores too low.

    Blocked on a shared 3+ character word plus the names' initials, so only names that could be such a
    pair are compared.
    """
    blocks: dict[str, list[str]] = defaultdict(list)
    for key, tokens in token_lists.items():
        if len(tokens) < 2:
            continue
        initials = "".join(token[0] for token in tokens)
        for token in set(tokens):
            if len(token) >= MIN_BLOCK_TOKEN:
                blocks[f"{token}|{initials}"].append(key)
    pairs: set[tuple[str, str]] = set()
    for members in blocks.values():
        if len(members) < 2 or not any(m in new_keys for m in members):
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if (a in new_keys or b in new_keys) and reference_shortened(token_lists[a], token_lists[b]):
                    pairs.add((a, b) if a < b else (b, a))
    return pairs


def reference_shortened(a: list[str], b: list[str]) -> bool:
    """Same words in the same order, except that some word of one is a prefix of the other's."""
    if len(a) != len(b) or a == b:
        return False
    return all(x == y or x.startswith(y) or y.startswith(x) for x, y in zip(a, b))


GIVEN = ["José", "Jose", "Zoë", "Zoe", "Müller", "Priya", "Pryia", "Jon", "Jonathan", "John", "Johnny",
         "Rahul", "Rahool", "Maria", "María", "Marie", "Li", "Na", "Anna", "Ana", "Ann", "Łukasz", "Lukasz",
         "Søren", "Soren", "François", "Francois", "Иван", "Ivan", "陈", "Mohammed", "Mohamed", "Muhammad"]
FAMILY = ["Sharma", "Sharmaa", "Smith", "Smyth", "Smiths", "García", "Garcia", "Garcias", "Núñez", "Nunez",
          "O'Brien", "OBrien", "Nguyễn", "Nguyen", "Kowalski", "Kowalsky", "Иванов", "Ivanov", "Li", "Wu",
          "Okafor", "Okafur", "Dubois", "Du Bois", "Fernández", "Fernandes"]


def generated_names(count: int, seed: int) -> list[tuple[int, str]]:
    """Common first and last names with accents, typos, initials, shortened words, reordering and repeats."""
    rng = random.Random(seed)
    names = []
    for person_id in range(1, count + 1):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        shape = rng.random()
        if shape < 0.15:
            name = f"{given} {family[0]}."
        elif shape < 0.3:
            name = f"{family}, {given}"
        elif shape < 0.45:
            name = f"{given} {rng.choice(GIVEN)} {family}"
        elif shape < 0.5:
            name = given
        elif shape < 0.55:
            name = f"{given[:3]} {family}"
        elif shape < 0.6:
            name = f"{given} {family} {rng.randint(1, 40)}"
        else:
            name = f"{given} {family}"
        names.append((person_id, name))
    return names


def assert_same_as_reference(names: list[tuple[int, str]], new_ids: set[int], threshold: float = 90) -> None:
    expected = reference_similar_name_pairs(names, new_ids, threshold)
    assert similar_name_pairs(names, new_ids, threshold) == expected


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_names_give_the_reference_pairs_and_scores(seed: int) -> None:
    # 6,000 people over a small pool of names: common tokens pass SPLIT_BLOCK, so split blocks are used.
    names = generated_names(6000, seed)
    everyone = {person_id for person_id, _ in names}
    rng = random.Random(seed)
    ids_by_key, token_lists = reference_group_by_key(names)
    assert max(sum(len(ids_by_key[key]) for key in token_lists if "maria" in token_lists[key]),
               sum(len(ids_by_key[key]) for key in token_lists if "smith" in token_lists[key])) > SPLIT_BLOCK
    found = reference_similar_name_pairs(names, everyone)
    assert len(found) > 1000 and any(score == SHORTENED_SCORE for _, _, score in found)
    assert any(90 <= score < 100 for _, _, score in found)
    assert_same_as_reference(names, everyone)  # a first import: everyone is new
    assert_same_as_reference(names, set(rng.sample(sorted(everyone), 40)))  # a few new among many
    assert_same_as_reference(names, set(rng.sample(sorted(everyone), 3000)))  # about half new
    assert_same_as_reference(names, set(rng.sample(sorted(everyone), 1000)), threshold=80)
    assert_same_as_reference(names, {names[-1][0]}, threshold=95)
    assert_same_as_reference(names, set())


def test_small_blocks_and_equal_lengths_give_the_reference_pairs() -> None:
    names = [(1, "Asha Rao"), (2, "Asha Rau"), (3, "Ravi Rao"), (4, "Abcd Efgh"), (5, "Abce Efgh"),
             (6, "Jon Smyth"), (7, "Jonathan Smyth"), (8, "Anna Anna"), (9, "Anna Anne"), (10, "Anna")]
    for new_ids in ({1, 2, 3}, {2}, {4}, {5, 9}, set(range(1, 11)), {10}):
        for threshold in (70, 85, 90):
            assert_same_as_reference(names, new_ids, threshold)


def test_corpus_names_give_the_reference_pairs_and_scores(corpus) -> None:
    names = []
    for path in collect_vcf_files([corpus]):
        names.extend((len(names) + 1, draft.name) for draft in stream_vcard_file(path).drafts)
    # Each corpus name once more with a typo, so near-equal names exist across files.
    names += [(len(names) + n + 1, name[:-1] + "x") for n, (_, name) in enumerate(list(names)) if len(name) > 4]
    everyone = {person_id for person_id, _ in names}
    assert_same_as_reference(names, everyone)
    assert_same_as_reference(names, {person_id for person_id in everyone if person_id % 7 == 0})
