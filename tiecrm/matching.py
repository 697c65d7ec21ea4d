"""Pure matching rules for import: phone and email keys, and cheap blocking for similar names."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

# Anything after an extension or dial-pause marker is not part of the number itself.
_EXTENSION = re.compile(r"(?:ext\.?|extension|[,;xXpPwW#])", re.IGNORECASE)
_NON_DIGIT = re.compile(r"\D+")
_WORD = re.compile(r"\w+")

KEY_DIGITS = 7  # the index key: enough to separate numbers, short enough to survive country prefixes
MIN_SUFFIX_DIGITS = 7  # a shorter number must have at least this many digits to match as a suffix
MIN_KEY_DIGITS = 5
# A full national number (area code included) has at least this many digits; two of them may only
# differ by a country code in front.
FULL_NUMBER_DIGITS = 9
MAX_COUNTRY_CODE_DIGITS = 3


# The punctuation phone numbers are usually written with; removing it leaves only digits in most cases.
_FORMATTING = str.maketrans("", "", " ()-.+/\t\u00a0")
_ASCII_FORMATTING = b" ()-.+/\t"  # the same, as bytes.translate deletes them from ASCII text


def phone_digits(value: str) -> str:
    """The significant digits of a phone number: no extension, no `00`/`+` or trunk `0` prefix."""
    text = value.strip()
    if "(0)" in text:
        text = text.replace("(0)", "")  # "+44 (0)20 ...": the trunk 0 shown for national callers
    if text.isascii():
        # bytes.translate deletes in one C loop; str.translate looks every character up in a dict and,
        # for each one not there (every digit), raises and catches a LookupError inside.
        digits = text.encode("ascii").translate(None, _ASCII_FORMATTING).decode("ascii")
    else:
        digits = text.translate(_FORMATTING)
    if not (digits.isascii() and digits.isdigit()):  # letters, an extension, a tel: URI...
        if text[:4].lower() == "tel:":
            text = text[4:]
        text = _EXTENSION.split(text, maxsplit=1)[0]
        digits = _NON_DIGIT.sub("", text)
    if digits.startswith("00"):
        digits = digits[2:]  # international call prefix; the country code follows
    elif digits.startswith("0"):
        digits = digits[1:]  # national trunk prefix
    return digits


def phone_key(value: str) -> str | None:
    """Index key for a phone: its last 7 significant digits, or None when it has fewer than 5 digits."""
    digits = phone_digits(value)
    if len(digits) < MIN_KEY_DIGITS:
        return None
    return digits[-KEY_DIGITS:]


def digits_match(a: str, b: str) -> bool:
    """`phones_match` for numbers already reduced by `phone_digits`."""
    if len(a) < MIN_KEY_DIGITS or len(b) < MIN_KEY_DIGITS:
        return False
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < MIN_SUFFIX_DIGITS or not long.endswith(short):
        return False
    # Two full numbers can only differ by a country code in front; a longer difference means a
    # different area code that happens to end the same way.
    if len(short) >= FULL_NUMBER_DIGITS and len(long) - len(short) > MAX_COUNTRY_CODE_DIGITS:
        return False
    return True


def phones_match(a: str, b: str) -> bool:
    """True when two written phone numbers are the same line (`+91 98450 55501` == `098450 55501`)."""
    return digits_match(phone_digits(a), phone_digits(b))


def email_key(value: str) -> str:
    """Match key for an email address: trimmed, `mailto:` dropped, lowercased."""
    text = value.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text.strip().lower()


class _AccentFree(dict):
    """str.translate table: each character to its compatibility decomposition without combining marks,
    worked out the first time the character is met (names repeat a few hundred distinct characters)."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        value = self[code] = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return value


_ACCENT_FREE = _AccentFree()


def _strip_accents(text: str) -> str:
    # Decomposing character by character equals decomposing the whole text once the marks are dropped:
    # NFKD only splits characters, and the reordering it adds moves nothing but combining marks.
    if text.isascii():
        return text
    return text.translate(_ACCENT_FREE)


# Each word's tokens, as names share their words (an import of 50,000 names met a few hundred distinct ones).
_WORD_TOKENS: dict[str, list[str]] = {}
_WORD_TOKENS_MAX = 20_000  # then it starts again: a few MB at most


def name_tokens(name: str) -> list[str]:
    """Casefolded, accent-free word tokens of a name, sorted."""
    # Word by word, each worked out once: the same tokens as of the whole name, as no token runs over a
    # space (casefolding and stripping accents go character by character, and turn no space into a
    # letter or a digit). A third of the time, at 50,000 names.
    cache = _WORD_TOKENS
    out: list[str] = []
    for word in name.split():
        tokens = cache.get(word)
        if tokens is None:
            if len(cache) >= _WORD_TOKENS_MAX:
                cache.clear()
            tokens = cache[word] = _WORD.findall(_strip_accents(word.casefold()))
        out += tokens
    out.sort()
    return out


def name_key(name: str) -> str:
    """A name reduced for comparison: casefold, accents stripped, tokens sorted (`Müller, Jörg` -> `jorg muller`)."""
    return " ".join(name_tokens(name))


def names_compatible(a: str, b: str) -> bool:
    """Could two names, on cards that share a phone or an email, belong to one person?

    True when either has no words (a card named after its number), when every word of the shorter
    name is, or starts, a word of the other ("Priya S." / "Priya Sharma", "Jon" / "Jonathan",
    "Sharma, Priya"), or when they differ by a typo or two. False for "Sherlock Holmes" and "boogie"
    sharing a landline, or "Anna Berg" and "Lars Berg" sharing an inbox: those are recorded as possible
    duplicates instead of being merged, so no name is ever lost to a shared number.
    """
    ta = [t for t in name_tokens(a) if not t.isdigit()]
    tb = [t for t in name_tokens(b) if not t.isdigit()]
    if not ta or not tb:
        return True
    shorter, longer = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    free = list(longer)
    for word in shorter:
        match = next((w for w in free if w.startswith(word) or word.startswith(w)), None)
        if match is None:
            break
        free.remove(match)
    else:
        if len(free) <= 2:  # "Priya" / "Priya Sharma"; not "Nat" / "Ñ Ñ Ñ Ñ Ñ"
            return True
    return fuzz.ratio(" ".join(ta), " ".join(tb)) >= 85


MIN_BLOCK_TOKEN = 3
SPLIT_BLOCK = 300
SMALL_WINDOW = 6  # up to this many keys, scoring one by one beats setting up a batch


def similar_name_pairs(
    names: Sequence[tuple[int, str]], new_ids: set[int], threshold: float = 90
) -> list[tuple[int, int, float]]:
    """Pairs `(a, b, score)` with `a < b` of similar names, at least one of them in `new_ids`.

    The score is rapidfuzz's token_sort_ratio (0-100). (WRatio would also pair shortened names such
    as "Priya S." with "Priya Sharma", but costs about 20 times as much and pairs "Ann Lee" with
    "Ann Lee Dentist".) People with the same name key always pair at 100; distinct keys are only
    compared inside cheap blocks, so 10,000 names cost about a million comparisons at most, not a
    hundred million:
    - keys sharing a token of 3+ characters; when over SPLIT_BLOCK people share it, only those whose
      other tokens start, or end, with the same letter (a score of 90 leaves room for about one
      typo, so near-equal names agree at one end or the other);
    - keys made only of short tokens ("Li Na") are only ever equal to themselves.
    """
    ids_by_key, token_lists = _group_by_key(names)
    return grouped_name_pairs(ids_by_key, token_lists, new_ids, threshold)


TokenBlocks = tuple[dict[str, list[str]], dict[str, int]]
"""Keys by each token of 3+ characters they hold, and how many people hold each token."""
KeyScores = dict[tuple[str, str], float]


class NameBlocks(NamedTuple):
    """The blocks of keys to compare, as units of work made into blocks only when taken, so that two
    processes sharing the pass also share making them: `units` are (about how many keys, unit) pairs,
    largest first; `blocks_of(unit)` gives the unit's blocks."""

    units: list[tuple[int, Any]]
    blocks_of: Callable[[Any], list[list[str]]]

    def blocks(self, units: Iterable[tuple[int, Any]] | None = None) -> Iterator[list[str]]:
        """The blocks of `units` (all of them by default), one at a time."""
        blocks_of = self.blocks_of
        for _size, unit in self.units if units is None else units:
            yield from blocks_of(unit)


PairScorer = Callable[[NameBlocks, dict[str, list[str]], set[str], bool, float], KeyScores]


def grouped_name_pairs(
    ids_by_key: dict[str, list[int]],
    token_lists: dict[str, list[str]],
    new_ids: set[int],
    threshold: float = 90,
    token_blocks: TokenBlocks | None = None,
    scorer: PairScorer | None = None,
) -> list[tuple[int, int, float]]:
    """`similar_name_pairs` on names already grouped: people by name key and each key's tokens (see
    `_group_by_key`), and optionally the keys already blocked by token (a name_pairs.NameGroups kept
    as an import went; its blocks may hold keys nobody has any more). `scorer` stands in for
    `score_key_pairs` (which it must equal: with a share of the work done elsewhere, say)."""
    new_keys = {key for key, ids in ids_by_key.items() if not new_ids.isdisjoint(ids)}
    if not new_keys:
        return []
    everyone_new = len(new_keys) == len(ids_by_key)
    name_blocks = _name_blocks(token_lists, ids_by_key, new_keys, token_blocks)
    key_scores = (scorer or score_key_pairs)(name_blocks, token_lists, new_keys, everyone_new, threshold)

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


def score_key_pairs(name_blocks: NameBlocks, token_lists: dict[str, list[str]], new_keys: set[str],
                    everyone_new: bool, threshold: float) -> KeyScores:
    """(key, key) -> score, the lower key first, for the pairs of keys, at least one of them new, that
    score at least `threshold` inside a block, or that are the same but for a shortened word."""
    return with_shortened(score_blocks(name_blocks.blocks(), new_keys, everyone_new, threshold),
                          shortened_key_pairs(token_lists, new_keys))


def with_shortened(key_scores: KeyScores, shortened: set[tuple[str, str]]) -> KeyScores:
    """`key_scores` with the shortened pairs (see `shortened_key_pairs`) at least at SHORTENED_SCORE."""
    for a, b in shortened:
        pair = (a, b) if a < b else (b, a)
        key_scores[pair] = max(key_scores.get(pair, 0.0), SHORTENED_SCORE)
    return key_scores


def score_blocks(blocks: Iterable[list[str]], new_keys: set[str], everyone_new: bool,
                 threshold: float) -> KeyScores:
    """(key, key) -> ratio for the pairs of keys in each block (taken one at a time, as they come), at
    least one of them new, that score at least `threshold` (each pair once, the lower key first)."""
    key_scores: KeyScores = {}
    extract, ratio = process.extract, fuzz.ratio
    # A ratio of at least `threshold` bounds the length difference: 2 * min / (la + lb) >= t.
    reach = max(threshold, 1e-6) / (200 - min(threshold, 100))
    for members in blocks:
        if len(members) == 2:  # the commonest block: one score, with no window to work out
            query, other = members
            if query in new_keys or other in new_keys:
                score = ratio(query, other, score_cutoff=threshold)
                if score:
                    key_scores[(query, other) if query < other else (other, query)] = score
            continue
        if everyone_new:  # a first import: no known keys, and every member is a query
            fresh, known = sorted(members, key=len), None
        else:
            fresh = sorted((member for member in members if member in new_keys), key=len)
            if not fresh:
                continue
            known = sorted((member for member in members if member not in new_keys), key=len)
        fresh_lengths = [len(member) for member in fresh]
        if known:
            known_lengths = [len(member) for member in known]
        count = len(fresh)
        start = 0
        while start < count:
            # Keys of one length share their window's bounds: worked out once per length, not per key.
            size = fresh_lengths[start]
            end = bisect_right(fresh_lengths, size, start)
            upper = bisect_right(fresh_lengths, size / reach + 1e-9, end)
            near = known[bisect_left(known_lengths, size * reach - 1e-9):
                         bisect_right(known_lengths, size / reach + 1e-9)] if known else None
            # Without known keys near, the last new keys of a window have nobody after them to score.
            for index in range(start, end if near else min(end, upper - 1)):
                query = fresh[index]
                # Each pair of new keys once: the later one is inside the earlier one's window (it is symmetric).
                window = fresh[index + 1:upper]
                if near:
                    window += near
                # Keys are already token-sorted, so plain ratio on them is token_sort_ratio.
                if len(window) <= SMALL_WINDOW:
                    for other in window:
                        score = ratio(query, other, score_cutoff=threshold)
                        if score:
                            key_scores[(query, other) if query < other else (other, query)] = score
                    continue
                for other, score, _ in extract(query, window, scorer=ratio, score_cutoff=threshold, limit=None):
                    key_scores[(query, other) if query < other else (other, query)] = score
            start = end
    return key_scores


def _name_blocks(
    token_lists: dict[str, list[str]],
    ids_by_key: dict[str, list[int]],
    new_keys: set[str],
    token_blocks: TokenBlocks | None = None,
) -> NameBlocks:
    """The blocks of keys that hold a new key (see `similar_name_pairs`). With the keys already blocked by
    token (`token_blocks`), each token is a unit, made into its block (or the blocks its split gives) when
    taken; otherwise the blocks are made here, and each is a unit."""
    # Only blocks holding a new key are ever compared, so only tokens of new keys are blocked on; the
    # split rule still weighs everyone who shares such a token.
    wanted = {token for key in new_keys for token in token_lists[key] if len(token) >= MIN_BLOCK_TOKEN}
    if token_blocks is not None:
        kept = token_blocks[0]
        units = [(len(kept[token]), token) for token in wanted]
        units.sort(key=_unit_size, reverse=True)
        return NameBlocks(units, _TokenBlocksOf(token_blocks, token_lists))
    members_of: dict[str, list[str]] = defaultdict(list)
    weights: dict[str, int] = defaultdict(int)  # people in a block, not keys: the split rule counts people
    for key, tokens in token_lists.items():
        for token in wanted.intersection(tokens):
            members_of[token].append(key)
            weights[token] += len(ids_by_key[key])
    made = [(len(block), block) for token, members in members_of.items()
            for block in _blocks_of_token(token, members, weights[token], token_lists)]
    made.sort(key=_unit_size, reverse=True)
    return NameBlocks(made, _itself)


class _TokenBlocksOf(NamedTuple):
    """A token's blocks from keys already blocked by token (a unit's `blocks_of`, picklable so that the
    blocks can be made in another process)."""

    token_blocks: TokenBlocks
    token_lists: dict[str, list[str]]

    def __call__(self, token: str) -> list[list[str]]:
        kept, kept_weights = self.token_blocks
        token_lists = self.token_lists
        members = [key for key in kept[token] if key in token_lists]
        return _blocks_of_token(token, members, kept_weights[token], token_lists)


def _unit_size(unit: tuple[int, Any]) -> int:
    return unit[0]


def _itself(block: list[str]) -> list[list[str]]:
    return [block]


def _blocks_of_token(token: str, members: list[str], weight: int,
                     token_lists: dict[str, list[str]]) -> list[list[str]]:
    """The blocks of 2+ keys that the keys holding `token` make: one, or, when over SPLIT_BLOCK people hold
    it (`weight`), those its split gives."""
    if weight <= SPLIT_BLOCK:
        return [members] if len(members) >= 2 else []
    # A common token ("rahul" in hundreds of names) would cost too many comparisons: narrow its block to
    # names whose other tokens start, or end, with the same letter.
    split: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key in members:
        tokens = token_lists[key]
        if len(tokens) < 2:
            continue  # only the same key could pair with it, and equal keys pair anyway
        # The other tokens, joined, start with the first token but this one and end with the last but
        # this one (tokens are sorted; the first of equal tokens is the one taken out).
        at = tokens.index(token)
        first = tokens[1][0] if at == 0 else tokens[0][0]
        last = tokens[-2][-1] if at == len(tokens) - 1 else tokens[-1][-1]
        split[("<", first)].append(key)
        split[(">", last)].append(key)
    return [block for block in split.values() if len(block) >= 2]


def _group_by_key(names: Sequence[tuple[int, str]]) -> tuple[dict[str, list[int]], dict[str, list[str]]]:
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


SHORTENED_SCORE = 80.0


def shortened_key_pairs(token_lists: dict[str, list[str]], new_keys: set[str]) -> set[tuple[str, str]]:
    """Pairs of name keys that are the same but for a shortened or initialled word ("jon smyth" and
    "jonathan smyth", "priya s" and "priya sharma"), which a ratio scores too low.

    Blocked on a shared 3+ character word plus the names' initials, so only names that could be such a
    pair are compared.
    """
    # Only blocks holding a new key are compared: when few keys are new, only theirs are built.
    wanted_tokens = None
    if len(new_keys) < len(token_lists):
        wanted_tokens = {token for key in new_keys if len(token_lists[key]) >= 2
                         for token in token_lists[key] if len(token) >= MIN_BLOCK_TOKEN}
        if not wanted_tokens:
            return set()
    # Keys by their initials first, then each group's keys by word: one small dict at a time, where a dict
    # of every (word, initials) block at once would take about 15 MB at 50,000 names.
    by_initials: dict[str, list[str]] = {}
    for key, tokens in token_lists.items():
        if len(tokens) < 2:
            continue
        if wanted_tokens is not None and wanted_tokens.isdisjoint(tokens):
            continue
        initials = "".join([token[0] for token in tokens])
        group = by_initials.get(initials)
        if group is None:
            by_initials[initials] = [key]
        else:
            group.append(key)
    pairs: set[tuple[str, str]] = set()
    for group in by_initials.values():
        if len(group) < 2 or not any(key in new_keys for key in group):
            continue
        blocks: dict[str, list[str]] = defaultdict(list)
        for key in group:
            for token in set(token_lists[key]):
                if len(token) >= MIN_BLOCK_TOKEN:
                    blocks[token].append(key)
        for members in blocks.values():
            if len(members) < 2 or not any(m in new_keys for m in members):
                continue
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    if (a in new_keys or b in new_keys) and _shortened(token_lists[a], token_lists[b]):
                        pairs.add((a, b) if a < b else (b, a))
    return pairs


def _shortened(a: list[str], b: list[str]) -> bool:
    """Same words in the same order, except that some word of one is a prefix of the other's."""
    if len(a) != len(b) or a == b:
        return False
    return all(x == y or x.startswith(y) or y.startswith(x) for x, y in zip(a, b))
