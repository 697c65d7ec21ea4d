"""Pure matching rules for import: phone and email keys, and cheap blocking for similar names."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
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


def phone_digits(value: str) -> str:
    """The significant digits of a phone number: no extension, no `00`/`+` or trunk `0` prefix."""
    text = value.strip()
    if "(0)" in text:
        text = text.replace("(0)", "")  # "+44 (0)20 ...": the trunk 0 shown for national callers
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


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_tokens(name: str) -> list[str]:
    """Casefolded, accent-free word tokens of a name, sorted."""
    return sorted(_WORD.findall(_strip_accents(name.casefold())))


def name_key(name: str) -> str:
    """A name reduced for comparison: casefold, accents stripped, tokens sorted (`Müller, Jörg` -> `jorg muller`)."""
    return " ".join(name_tokens(name))


MIN_BLOCK_TOKEN = 3
BIG_BLOCK = 200


def similar_name_pairs(
    names: Sequence[tuple[int, str]], new_ids: set[int], threshold: float = 90
) -> list[tuple[int, int, float]]:
    """Pairs `(a, b, score)` with `a < b` of similar names, at least one of them in `new_ids`.

    Names are only compared inside blocks (a shared token of 3+ characters, or the same name key),
    so thousands of names cost thousands of comparisons, not millions. The score is rapidfuzz's
    token_sort_ratio (0-100).
    """
    keys: dict[int, str] = {}
    token_lists: dict[int, list[str]] = {}
    blocks: dict[str, list[int]] = defaultdict(list)
    for person_id, name in names:
        tokens = name_tokens(name)
        if not tokens:
            continue
        key = " ".join(tokens)
        keys[person_id] = key
        token_lists[person_id] = tokens
        long_tokens = {token for token in tokens if len(token) >= MIN_BLOCK_TOKEN}
        if not long_tokens:
            # Only short tokens ("Li Na"): an identical key is the one cheap signal left. A name with a
            # long token needs no key block: an identical key shares that token's block anyway.
            long_tokens = {"=" + key}
        for token in long_tokens:
            blocks[token].append(person_id)
    for token in [t for t, members in blocks.items() if len(members) > BIG_BLOCK]:
        # A very common token ("rahul" in a thousand names) would cost a million comparisons: split
        # its block by the first letter of the rest of the name, which two near-equal names share.
        for person_id in blocks.pop(token):
            rest = [t for t in token_lists[person_id] if t != token]
            blocks[f"{token}/{rest[0][:1] if rest else ''}"].append(person_id)

    found_a: list[np.ndarray] = []
    found_b: list[np.ndarray] = []
    found_score: list[np.ndarray] = []
    for members in blocks.values():
        if len(members) < 2:
            continue
        queries = [m for m in members if m in new_ids]
        if not queries:
            continue
        # Keys are already token-sorted, so plain ratio on them is token_sort_ratio.
        scores = process.cdist(
            [keys[q] for q in queries],
            [keys[m] for m in members],
            scorer=fuzz.ratio,
            score_cutoff=threshold,
            dtype=np.float32,
        )
        rows, cols = scores.nonzero()
        a = np.asarray(queries, dtype=np.int64)[rows]
        b = np.asarray(members, dtype=np.int64)[cols]
        keep = a != b
        found_a.append(np.minimum(a, b)[keep])
        found_b.append(np.maximum(a, b)[keep])
        found_score.append(scores[rows, cols][keep])
    if not found_a:
        return []
    lo, hi, score = np.concatenate(found_a), np.concatenate(found_b), np.concatenate(found_score)
    # A pair can turn up in several blocks: keep it once, with its best score.
    order = np.lexsort((-score, hi, lo))
    lo, hi, score = lo[order], hi[order], score[order]
    first = np.ones(len(lo), dtype=bool)
    first[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    return [
        (a, b, round(s, 1))
        for a, b, s in zip(lo[first].tolist(), hi[first].tolist(), score[first].tolist())
    ]
