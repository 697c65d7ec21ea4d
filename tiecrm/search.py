"""Fuzzy search over people: folded text haystacks narrow the candidates cheaply, tiers rank them."""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import accumulate, chain
from typing import NamedTuple

from tiecrm.collector import collections_paused

# rapidfuzz is imported by the typo lookups and resolve_person that use it: loading it costs more than a
# whole one-shot search for a number or a short word, and the app draws its first frame without it.

SearchRow = tuple[int, str, str, str, str, str]
"""`(id, name, org, emails, phones, notes)` as `Repository.search_rows()` gives them."""

# Letters NFKD does not decompose but people type without the stroke.
_LETTERS = {"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d",
            "ŧ": "t", "\u2019": "", "\u02bc": ""}
# Record separator between people in bulk text.
_SEP = "\x1e"
# ASCII punctuation and whitespace become spaces; apostrophes vanish (O'Brien is typed as obrien).
_ASCII_WORDS = bytes(
    byte if chr(byte).isalnum() or chr(byte) in "_\x1e" or byte > 0x7F else 0x20 for byte in range(256)
)
_ASCII_DELETE = b"'`"
_ASCII_DIGITS = bytes(byte if chr(byte) in "0123456789\x1e" else 0x20 for byte in range(256))
# A top-level domain is not worth matching: `.com` would make every `co` query hit everyone.
# Taken off a query: any two-letter country code, the common generic ones, ".co.uk", ".com.au".
_TLD = re.compile(
    r"\.(?:(?:co|com|ac|net|org|edu|gov)\.)?(?:[a-z]{2}|com|net|org|edu|gov|info|biz|mil|int)(?= )"
)
# Emails keep their domains (cutting them out of megabytes costs more than a whole search); a query
# word that starts a common top-level domain just does not look in emails.
_TLD_PREFIXES = frozenset(
    tld[:end]
    for tld in "com net org edu gov info biz co ac in uk de fr es it nl io me us ca au".split()
    for end in range(2, len(tld) + 1)
)
_ASCII_BYTES = bytes(range(128))
# Beyond this many distinct characters to change, one `str.translate` beats one `str.replace` each.
_MANY_CHANGES = 96
_PHONE_LIKE = re.compile(r"[\d\s+\-().\/]+")

# Scores per field and kind of match. A person's score for a query is the sum over its words of the
# best score that word earns; the gaps make a name match outrank anything found only in notes.
NAME_WHOLE, NAME_EXACT, NAME_START, NAME_PREFIX, NAME_INSIDE = 110, 100, 95, 90, 60
ORG_EXACT, ORG_PREFIX, ORG_INSIDE = 75, 70, 45
PHONE_DIGITS, PHONE_NATIONAL = 85, 80
EMAIL_PREFIX = 55
NOTE_PREFIX = 30
PHRASE_START_BONUS, PHRASE_WHOLE_BONUS = 20, 100

TYPO_MIN_LENGTH = 4  # shorter words have too many one-edit neighbours to guess from
TYPO_CUTOFF = 75.0  # rapidfuzz ratio: one edit in a four-letter word scores 75
TYPO_WORDS = 25  # at most this many vocabulary words stand in for one mistyped word
# Up to this many distinct words, a one-query typo lookup scores them itself: it costs less than loading
# rapidfuzz (measured: about 6 us a word, where loading rapidfuzz takes 18 ms or more).
SMALL_VOCABULARY = 1500
INSIDE_MIN_LENGTH = 3  # "an" inside every other name is noise; "ank" inside Priyanka is not
EMAIL_MIN_LENGTH = 2
NOTE_MIN_LENGTH = 3
PHONE_MIN_DIGITS = 3

COMPACT_AFTER_EDITS = 500  # edits (or 5% of everyone, if more) before slots are put back in order

RESOLVE_CUTOFF = 60.0
RESOLVE_WINNER = 80.0
RESOLVE_LEAD = 10.0
RESOLVE_CANDIDATES = 10


def fold(text: str) -> str:
    """Lower-case, accent-free form of `text` for matching: `José` -> `jose`, `Straße` -> `strasse`."""
    return _fold(text, words=False)


def _fold(text: str, *, words: bool) -> str:
    """`fold`; with `words`, non-ASCII punctuation also becomes a space.

    Meant for megabytes at once: only the distinct non-ASCII characters are looked at, and each that
    changes is replaced with `str.replace`, far faster than a regex, NFKD or `str.translate` over
    the whole text.
    """
    if text.isascii():
        return text.lower()  # the same as casefold for ASCII, and much faster
    # lower() is cheaper than casefold() over megabytes; the few letters whose case folding differs
    # (ß -> ss) are folded one by one below, since _fold_char casefolds.
    text = text.lower()
    changes = {}
    for char in set(text.encode().translate(None, _ASCII_BYTES).decode()):
        folded = _fold_char(char, words)
        if folded != char:
            changes[char] = folded
    if len(changes) > _MANY_CHANGES:
        return text.translate(str.maketrans(changes))
    for char, folded in changes.items():
        text = text.replace(char, folded)
    return text


@lru_cache(maxsize=8192)
def _fold_char(char: str, words: bool) -> str:
    """What one non-ASCII character folds to: `é` -> `e`, `ø` -> `o`, U+0301 -> nothing, `—` -> space."""
    if char in _LETTERS:
        return _LETTERS[char]
    if "\uac00" <= char <= "\ud7a3":
        return char  # a Hangul syllable is typed and matched whole
    parts = []
    for part in unicodedata.normalize("NFKD", char).casefold():
        category = unicodedata.category(part)
        if part in _LETTERS:
            parts.append(_LETTERS[part])
        elif category == "Mn" and not _keeps_marks(part):
            continue  # an accent: é decomposes to e + U+0301
        elif words and not (part.isalnum() or category[0] == "M" or part.isascii()):
            parts.append(" ")
        else:
            parts.append(part)
    return "".join(parts)


def _keeps_marks(char: str) -> bool:
    """Marks that are part of the letter in Indic and South-East Asian scripts, not an accent."""
    return "\u0900" <= char <= "\u109f"


def _collapse_spaces(text: str) -> str:
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def word_lines(texts: Sequence[str], *, tidy: bool = True) -> list[str]:
    """Each text folded to its words, one line per text, written ` w1 w2 ` (a lone space when empty).

    Done on all texts joined together so every pass runs once, in C, not once per person. Without
    `tidy`, runs of spaces are left in (two spaces where punctuation stood), which costs nothing to
    prefix and word searches and saves a few passes over megabytes of notes.
    """
    if not texts:
        return []
    return _word_lines_of(_joined(texts), tidy=tidy)


def _word_lines_of(joined: str, *, tidy: bool) -> list[str]:
    """`word_lines` of texts already joined by the record separator (none inside a text)."""
    bulk = _fold(joined, words=True).encode().translate(_ASCII_WORDS, _ASCII_DELETE).decode()
    bulk = (_SEP + bulk + _SEP).replace(_SEP, " \n ")
    if tidy:
        bulk = _collapse_spaces(bulk)
    return bulk[2:-2].split("\n")


def digit_lines(texts: Sequence[str]) -> list[str]:
    """Each text reduced to its digits (all the person's numbers run together), one line per text."""
    if not texts:
        return []
    bulk = fold(_joined(texts)).encode().translate(_ASCII_DIGITS).decode()
    return bulk.replace(" ", "").split(_SEP)


def _joined(texts: Sequence[str]) -> str:
    """The texts joined by the record separator, which is taken out of the texts themselves first:
    one inside a contact's note would otherwise shift everyone after them onto the wrong line."""
    bulk = _SEP.join(texts)
    if bulk.count(_SEP) != len(texts) - 1:
        bulk = _SEP.join(text.replace(_SEP, " ") for text in texts)
    return bulk


def query_words(query: str) -> list[str]:
    """The folded words of a query, the way names are cut into words.

    A top-level domain is dropped (`x@gmail.com` -> x, gmail): every word of a query has to be
    found, and a word like `com` is not looked for in emails.
    """
    if "." in query:
        query = _TLD.sub("", fold(query) + " ")
    return word_lines([query])[0].split()


class _Field:
    """One searchable field for everyone: a line per person joined into one string for `str.find`."""

    __slots__ = ("lines", "hay", "offsets")

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.hay = ""
        self.offsets: list[int] = []
        self.rebuild()

    def rebuild(self) -> None:
        # hay is "\n" + line0 + "\n" + line1 + ... + "\n"; offsets[i] is the "\n" before line i.
        self.hay = "\n" + "\n".join(self.lines) + "\n"
        self.offsets = list(accumulate(map((1).__add__, map(len, self.lines)), initial=0))

    def append(self, line: str) -> None:
        self.lines.append(line)
        self.hay += line + "\n"
        self.offsets.append(self.offsets[-1] + len(line) + 1)

    def blank(self, slot: int) -> None:
        """Empty one person's line in place; spaces of the same length keep every offset valid."""
        start, end = self.offsets[slot] + 1, self.offsets[slot + 1]
        spaces = " " * (end - start)
        self.hay = self.hay[:start] + spaces + self.hay[end:]
        self.lines[slot] = spaces

    def hits(self, pattern: str) -> list[int]:
        """Positions (ascending) of the people whose line contains `pattern`; one hit per person."""
        hay, offsets = self.hay, self.offsets
        find = hay.find
        found: list[int] = []
        append = found.append
        pos = find(pattern)
        while pos != -1:
            person = bisect_right(offsets, pos) - 1
            append(person)
            # Skip the rest of this person's line: a second occurrence adds nothing.
            pos = find(pattern, offsets[person + 1])
        return found


class _SparseField(_Field):
    """A field only some people have text in (one query's emails, phones or notes): a line for each of
    them, with their slot. Nobody else could be found in it."""

    __slots__ = ("slots",)

    def __init__(self, slots: list[int], lines: list[str]) -> None:
        self.slots = slots
        super().__init__(lines)

    def hits(self, pattern: str) -> list[int]:
        return list(map(self.slots.__getitem__, super().hits(pattern)))


class _LaterField(_Field):
    """A field whose lines are worked out on first use: a one-query index may never look at it (a
    name query never reads phone digits)."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], list[str]]) -> None:
        # No _Field.__init__ here: that is the work put off.
        self._make: Callable[[], list[str]] | None = make

    def __getattr__(self, name: str) -> object:
        # Only reached while a slot of _Field is still unset, i.e. before the first use.
        if name in _Field.__slots__ and self._make is not None:
            make, self._make = self._make, None
            _Field.__init__(self, make())
            return getattr(self, name)
        raise AttributeError(name)


class _Words:
    """Who holds which word in one short field (names, organisations): exact, prefix, inside, near.

    Names and organisations repeat the same few thousand words across everyone, so looking words up
    in this vocabulary and taking the people listed under them beats scanning the whole field.
    """

    __slots__ = ("people", "first", "vocabulary", "first_vocabulary")

    def __init__(self, lines: list[str]) -> None:
        people: defaultdict[str, list[int]] = defaultdict(list)
        first: defaultdict[str, list[int]] = defaultdict(list)
        if len(set(lines)) * 2 < len(lines):
            # Many people share a line (organisations): split each distinct line once.
            sharing: defaultdict[str, list[int]] = defaultdict(list)
            for person, line in enumerate(lines):
                sharing[line].append(person)
            for line, persons in sharing.items():
                words = line.split()
                if words:
                    first[words[0]].extend(persons)
                    for word in words:
                        people[word].extend(persons)
        else:
            for person, words in enumerate(map(str.split, lines)):
                if words:
                    first[words[0]].append(person)
                    for word in words:
                        people[word].append(person)
        self.people = dict(people)
        self.first = dict(first)
        self.vocabulary = sorted(people)
        self.first_vocabulary = sorted(first)

    def add(self, slot: int, line: str) -> None:
        words = line.split()
        if words:
            _add(self.first, self.first_vocabulary, words[0], slot)
            for word in words:
                _add(self.people, self.vocabulary, word, slot)

    def discard(self, slot: int, line: str) -> None:
        words = line.split()
        if words:
            _discard(self.first, self.first_vocabulary, words[0], slot)
            for word in set(words):
                _discard(self.people, self.vocabulary, word, slot)

    def exact(self, word: str) -> list[list[int]]:
        return [self.people[word]] if word in self.people else []

    def prefix(self, word: str) -> list[list[int]]:
        return _prefixed(self.vocabulary, self.people, word)

    def first_prefix(self, word: str) -> list[list[int]]:
        """People whose field starts with `word` (for names: the first name)."""
        return _prefixed(self.first_vocabulary, self.first, word)

    def inside(self, word: str) -> list[list[int]]:
        """People holding a word that contains `word` past its first letter."""
        people = self.people
        return [people[other] for other in self.vocabulary if word in other and not other.startswith(word)]

    def near(self, word: str) -> list[tuple[float, list[int]]]:
        """People holding a word a typo away from `word`, with rapidfuzz's ratio for that word."""
        from rapidfuzz import fuzz, process

        found = process.extract(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF,
                                limit=TYPO_WORDS)
        return [(score, self.people[other]) for other, score, _ in found if other != word]


class _ScannedWords:
    """The lookups of `_Words`, answered by scanning the field instead of from a vocabulary built first.

    For a single query (the command line's `list QUERY`), building the vocabulary costs more than
    the few `str.find` passes the query makes. Lines are ` w1 w2 `, so ` word ` finds a whole word and
    ` word` the start of one. Only `near` needs the distinct words, and only for words of typo length.
    """

    __slots__ = ("field", "_vocabulary", "_vocabulary_of")

    def __init__(self, field: _Field) -> None:
        self.field = field
        self._vocabulary: list[str] = []
        self._vocabulary_of: str | None = None  # the field text the vocabulary was read from

    def add(self, slot: int, line: str) -> None:
        pass  # the field itself already holds the new line

    def discard(self, slot: int, line: str) -> None:
        pass  # the field itself already blanked the old line

    def exact(self, word: str) -> list[list[int]]:
        return [self.field.hits(f" {word} ")]

    def prefix(self, word: str) -> list[list[int]]:
        return [self.field.hits(f" {word}")]

    def first_prefix(self, word: str) -> list[list[int]]:
        # Only asked of names, whose lines are tidy: one leading space, then the first word.
        return [self.field.hits(f"\n {word}")]

    def inside(self, word: str) -> list[list[int]]:
        # Everyone holding `word` anywhere: those who hold it at a word's start are also in the
        # prefix tier, which scores higher, so counting them here too changes no score.
        return [self.field.hits(word)]

    def near(self, word: str) -> list[tuple[float, list[int]]]:
        if self._vocabulary_of is not self.field.hay:
            self._vocabulary = sorted(set(self.field.hay.split()))
            self._vocabulary_of = self.field.hay
        if len(self._vocabulary) <= SMALL_VOCABULARY and "rapidfuzz" not in sys.modules:
            found = _nearest_words(word, self._vocabulary)
        else:
            from rapidfuzz import fuzz, process

            found = process.extract(word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF,
                                    limit=TYPO_WORDS)
        return [(score, self.field.hits(f" {other} ")) for other, score, _ in found if other != word]


def _nearest_words(word: str, vocabulary: Sequence[str]) -> list[tuple[str, float, int]]:
    """`rapidfuzz.process.extract(word, vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF,
    limit=TYPO_WORDS)`, the same scores in the same order, worked out here: over a few hundred words
    this costs less than loading rapidfuzz.

    fuzz.ratio is 100 * (1 - d / (len1 + len2)), d the insertions and deletions that turn one word into
    the other: len1 + len2 - 2 * their longest common subsequence, found a bit per letter of `word`.
    """
    first = len(word)
    masks: dict[str, int] = {}
    for bit, char in enumerate(word):
        masks[char] = masks.get(char, 0) | 1 << bit
    ones = (1 << first) - 1
    # d is at least the difference of the lengths: words too much longer or shorter cannot reach the cutoff.
    max_share = 1 - TYPO_CUTOFF / 100
    get = masks.get
    found = []
    for index, other in enumerate(vocabulary):
        total = first + len(other)
        if abs(first - len(other)) > total * max_share:
            continue
        row = ones
        for char in other:
            matched = row & get(char, 0)
            row = (row + matched) | (row - matched)
        common = first - (row & ones).bit_count()
        score = (1.0 - (total - 2 * common) / total) * 100
        if score >= TYPO_CUTOFF:
            found.append((other, score, index))
    found.sort(key=lambda match: match[1], reverse=True)  # stable: equal scores keep vocabulary order
    return found[:TYPO_WORDS]


def _add(people: dict[str, list[int]], vocabulary: list[str], word: str, slot: int) -> None:
    if word not in people:
        people[word] = []
        insort(vocabulary, word)
    people[word].append(slot)


def _discard(people: dict[str, list[int]], vocabulary: list[str], word: str, slot: int) -> None:
    remaining = [other for other in people.get(word, ()) if other != slot]
    if remaining:
        people[word] = remaining
    elif word in people:
        del people[word]
        del vocabulary[bisect_left(vocabulary, word)]


def _prefixed(vocabulary: list[str], people: dict[str, list[int]], word: str) -> list[list[int]]:
    start = bisect_left(vocabulary, word)
    end = bisect_left(vocabulary, word + "\U0010ffff", start)
    return [people[other] for other in vocabulary[start:end]]


Tier = tuple[int, list[list[int]]]
"""A score and the lists of people (index positions) who earn it."""


class PeopleIndex:
    """Search people by name, organisation, email, phone and notes, typo- and accent-tolerant.

    Each person has a slot. Built from rows, slots are in order of folded name, so equal scores come
    out alphabetically. Names and organisations are looked up word by word in their vocabulary;
    emails, phones and notes are one string per field with a line per slot, searched with
    `str.find`. Only the people a query word hits are ever scored.

    An edit empties the person's old slot and appends a new one, which costs a copy of each field
    string rather than a rebuild; once such out-of-order slots pile up, the index is rebuilt.
    """

    def __init__(self, rows: Sequence[SearchRow], *, vocabulary: bool = True) -> None:
        """Without `vocabulary`, name and organisation words are found by scanning their fields:
        a cheaper build for an index that answers one query, slower for each further query."""
        if vocabulary:
            import rapidfuzz  # noqa: F401 - an index kept for many queries loads it now, not on a keystroke
        self._vocabulary = vocabulary
        self._build(rows)

    def _build(self, rows: Iterable[SearchRow]) -> None:
        # Building allocates a few hundred thousand objects that form no cycles; collector passes
        # over them while they are made would be pure overhead.
        with collections_paused():
            self._build_slots(rows)

    def _build_slots(self, rows: Iterable[SearchRow]) -> None:
        self._rows: dict[int, SearchRow] = {row[0]: tuple(row) for row in rows}  # type: ignore[misc]
        # Sorted by id first, so the stable sort by name leaves namesakes in id order.
        by_id = sorted(self._rows)
        keys = word_lines([self._rows[person_id][1] for person_id in by_id])
        order = sorted(range(len(by_id)), key=keys.__getitem__)
        self._ids: list[int | None] = list(map(by_id.__getitem__, order))
        ordered = list(map(self._rows.__getitem__, self._ids))
        self._names = _Field(list(map(keys.__getitem__, order)))
        self._orgs = _Field(word_lines([row[2] for row in ordered], tidy=False))
        makers: list[Callable[[], list[str]]] = [
            lambda: word_lines([row[3] for row in ordered], tidy=False),
            lambda: digit_lines([row[4] for row in ordered]),
            lambda: word_lines([row[5] for row in ordered], tidy=False),
        ]
        # An index kept for many queries builds every field now, not during someone's first keystroke.
        fields = [_Field(make()) if self._vocabulary else _LaterField(make) for make in makers]
        self._emails, self._phones, self._notes = fields
        self._fields = (self._names, self._orgs, self._emails, self._phones, self._notes)
        self._name_words: _Words | _ScannedWords
        self._org_words: _Words | _ScannedWords
        if self._vocabulary:
            self._name_words = _Words(self._names.lines)
            self._org_words = _Words(self._orgs.lines)
        else:
            self._name_words = _ScannedWords(self._names)
            self._org_words = _ScannedWords(self._orgs)
        self._sorted_slots = len(self._ids)  # slots past this were appended by edits, out of order
        self._empty_slots = 0
        self._slot_of: dict[int, int] | None = None  # made on the first edit
        self._sort_keys: list[tuple[str, int]] | None = None  # made on the first edit

    def __len__(self) -> int:
        return len(self._rows)

    # -- keeping current -------------------------------------------------------------------------

    def upsert(self, row: SearchRow) -> None:
        """Add a person, or replace what the index knows about them (after an edit)."""
        row = tuple(row)  # type: ignore[assignment]
        self.remove(row[0])
        slot_of, sort_keys = self._edit_maps()
        slot = len(self._ids)
        name_line = word_lines([row[1]])[0]
        org_line = word_lines([row[2]], tidy=False)[0]
        self._names.append(name_line)
        self._orgs.append(org_line)
        self._emails.append(word_lines([row[3]], tidy=False)[0])
        self._phones.append(digit_lines([row[4]])[0])
        self._notes.append(word_lines([row[5]], tidy=False)[0])
        self._name_words.add(slot, name_line)
        self._org_words.add(slot, org_line)
        self._ids.append(row[0])
        self._rows[row[0]] = row
        slot_of[row[0]] = slot
        sort_keys.append((name_line, row[0]))
        self._compact_if_worth_it()

    def remove(self, person_id: int) -> None:
        """Forget a person; unknown ids are ignored."""
        if self._rows.pop(person_id, None) is None:
            return
        slot_of, _ = self._edit_maps()
        slot = slot_of.pop(person_id)
        self._name_words.discard(slot, self._names.lines[slot])
        self._org_words.discard(slot, self._orgs.lines[slot])
        for field in self._fields:
            field.blank(slot)
        self._ids[slot] = None
        self._empty_slots += 1
        self._compact_if_worth_it()

    def _edit_maps(self) -> tuple[dict[int, int], list[tuple[str, int]]]:
        if self._slot_of is None or self._sort_keys is None:
            ids = self._ids
            self._slot_of = {person_id: slot for slot, person_id in enumerate(ids) if person_id is not None}
            # An emptied slot is never found, so its sort key only has to be comparable.
            self._sort_keys = [(line, -1 if person_id is None else person_id)
                               for line, person_id in zip(self._names.lines, ids)]
        return self._slot_of, self._sort_keys

    def _compact_if_worth_it(self) -> None:
        unsorted = len(self._ids) - self._sorted_slots + self._empty_slots
        if unsorted > max(COMPACT_AFTER_EDITS, len(self._ids) // 20):
            self._build(list(self._rows.values()))

    def _in_order(self, slots: Iterable[int]) -> list[int]:
        """Slots sorted alphabetically by name (slot order, unless edits appended some)."""
        if self._sorted_slots == len(self._ids):
            return sorted(slots)
        assert self._sort_keys is not None
        return sorted(slots, key=self._sort_keys.__getitem__)

    # -- searching -------------------------------------------------------------------------------

    def search(self, query: str, limit: int | None = None) -> list[int]:
        """Person ids matching every word of `query`, best first; a blank query gives `[]`."""
        words = _looked_up_words(query)
        if not words:
            return []
        whole = self._names.hits("\n " + " ".join(words) + " \n")
        if len(words) == 1:
            order = self._rank_single(self._tiers(words[0]) + [(NAME_WHOLE, [whole])], limit)
        else:
            order = self._rank_several(words, whole, limit)
        return list(map(self._ids.__getitem__, order))

    def _tiers(self, word: str) -> list[Tier]:
        """Who `word` finds, grouped by how good a match it is for them."""
        names, orgs = self._name_words, self._org_words
        tiers: list[Tier] = [
            (NAME_EXACT, names.exact(word)),
            (NAME_START, names.first_prefix(word)),
            (NAME_PREFIX, names.prefix(word)),
            (ORG_EXACT, orgs.exact(word)),
            (ORG_PREFIX, orgs.prefix(word)),
        ]
        if len(word) >= INSIDE_MIN_LENGTH:
            tiers.append((NAME_INSIDE, names.inside(word)))
            tiers.append((ORG_INSIDE, orgs.inside(word)))
        if len(word) >= EMAIL_MIN_LENGTH and word not in _TLD_PREFIXES:
            tiers.append((EMAIL_PREFIX, [self._emails.hits(f" {word}")]))
        if len(word) >= NOTE_MIN_LENGTH:
            tiers.append((NOTE_PREFIX, [self._notes.hits(f" {word}")]))
        if word.isdigit() and len(word) >= PHONE_MIN_DIGITS:
            tiers.append((PHONE_DIGITS, [self._phones.hits(word)]))
            national = word.lstrip("0")
            if national != word and len(national) >= PHONE_MIN_DIGITS:
                tiers.append((PHONE_NATIONAL, [self._phones.hits(national)]))
        if len(word) >= TYPO_MIN_LENGTH and not word.isdigit():
            # A typo scores below any exact find in the same field, more the closer it is.
            tiers.extend((int(30 + score * 0.3), [people]) for score, people in names.near(word))
            tiers.extend((int(20 + score * 0.25), [people]) for score, people in orgs.near(word))
        return [tier for tier in tiers if tier[1]]

    def _rank_several(self, words: list[str], whole: list[int], limit: int | None) -> list[int]:
        """Order the people every word finds by the sum of each word's best score."""
        best_per_word: list[dict[int, int]] = []
        # Longest first: it usually finds fewest, and an empty result ends the search early.
        for word in sorted(words, key=len, reverse=True):
            best: dict[int, int] = {}
            # Ascending, so a better tier overwrites a worse one for the same person.
            for weight, people in sorted(self._tiers(word), key=lambda tier: tier[0]):
                best.update(dict.fromkeys(chain.from_iterable(people), weight))
            if not best:
                return []
            best_per_word.append(best)
        best_per_word.sort(key=len)
        candidates = set(best_per_word[0]).intersection(*best_per_word[1:])
        if not candidates:
            return []
        bonus = dict.fromkeys(self._names.hits("\n " + " ".join(words)), PHRASE_START_BONUS)
        for person in whole:
            bonus[person] = PHRASE_START_BONUS + PHRASE_WHOLE_BONUS
        scores = {
            person: sum(best[person] for best in best_per_word) + bonus.get(person, 0)
            for person in candidates
        }
        # Alphabetical first, then a stable sort by score: equal scores stay alphabetical.
        order = sorted(self._in_order(candidates), key=scores.__getitem__, reverse=True)
        return order if limit is None else order[:limit]

    def _rank_single(self, tiers: list[Tier], limit: int | None) -> list[int]:
        """Best tier first; alphabetical within a tier. Set work in C, no per-person Python."""
        by_weight: dict[int, list[list[int]]] = {}
        for weight, people in tiers:
            by_weight.setdefault(weight, []).extend(people)
        order: list[int] = []
        seen: set[int] = set()
        for weight in sorted(by_weight, reverse=True):
            group = set().union(*by_weight[weight])
            group -= seen
            seen |= group
            order.extend(self._in_order(group))
            if limit is not None and len(order) >= limit:
                return order[:limit]
        return order


SearchColumns = tuple[list[int], str, str, dict[int, str], dict[int, str], dict[int, str]]
"""`(ids, names, orgs, emails, phones, notes)` as `Repository.search_columns()` gives them: everyone's id in
ascending order; their names and their organisations, each joined into one text by the record separator
(`\x1e`, never inside a name); and by person id, the texts `SearchRow`'s last three fields would hold, for
the people whose text there may match (everyone else's is empty)."""


def search_once(query: str, columns: SearchColumns) -> list[int]:
    """`PeopleIndex(rows, vocabulary=False).search(query)` for the same people, from their columns.

    One query looks at a few people out of thousands: the rows are never made one by one, nor are
    the names sorted, and emails, phones and notes are fields of the few people who have text there.
    """
    if not columns[0] or not _looked_up_words(query):
        return []
    return _OneQuery(columns).search(query)


class _OneQuery(PeopleIndex):
    """A scanning index over `SearchColumns` that answers one search: slots are in id order, not name
    order, and only the people a query finds are put in alphabetical order. It is never edited."""

    def __init__(self, columns: SearchColumns) -> None:
        # PeopleIndex.__init__ is not called: there are no slots to sort and no edits to prepare for.
        ids, names, orgs, emails, phones, notes = columns
        self._vocabulary = False
        self._ids = ids  # type: ignore[assignment]
        self._names = _Field(_word_lines_of(names, tidy=True))
        self._orgs = _Field(_word_lines_of(orgs, tidy=False))
        self._emails = self._sparse(emails, lambda texts: word_lines(texts, tidy=False))
        self._phones = self._sparse(phones, digit_lines)
        self._notes = self._sparse(notes, lambda texts: word_lines(texts, tidy=False))
        self._name_words = _ScannedWords(self._names)
        self._org_words = _ScannedWords(self._orgs)

    def _sparse(self, texts: dict[int, str], lines: Callable[[Sequence[str]], list[str]]) -> _SparseField:
        ids = self._ids
        slots, kept = [], []
        for person_id, text in texts.items():
            slot = bisect_left(ids, person_id)
            # Someone added after the names were read has no slot, as they would have no row.
            if slot < len(ids) and ids[slot] == person_id:
                slots.append(slot)
                kept.append(text)
        return _SparseField(slots, lines(kept))

    def _in_order(self, slots: Iterable[int]) -> list[int]:
        # Slots are in id order, so a stable sort by name leaves namesakes in id order, as PeopleIndex does.
        return sorted(sorted(slots), key=self._names.lines.__getitem__)


def _looked_up_words(query: str) -> list[str]:
    """The words a search for `query` looks up: its folded words, or one run of digits for a phone number."""
    words = query_words(query)
    digits = _phone_digits(query)
    if digits is not None and len(words) > 1:
        return [digits]  # "+91 98450 55123" is one number, not three words
    return words


class FieldFilter(NamedTuple):
    """What one search for a query can find in contact fields, so a store can leave the rest unread.

    A text holding none of `words` in any ASCII case, and only ASCII characters other than those in
    `unsure`, cannot match: folding such text only lower-cases it, turns punctuation into spaces and
    drops apostrophes, and every pattern a search looks for in a field is one word, at most preceded
    by a space. `emails`, `phones` and `notes` say whether the search looks in those fields at all.
    """

    words: tuple[str, ...]
    unsure: str
    emails: bool
    phones: bool
    notes: bool


def field_filter(query: str) -> FieldFilter:
    """Which contact fields a `PeopleIndex.search(query)` reads, and what texts in them it can find.

    An index built from rows whose emails, phones and notes were left empty wherever the filter says
    they cannot match answers that one query exactly as an index of everything would.
    """
    words = _looked_up_words(query)
    return FieldFilter(
        words=tuple(words),
        unsure="".join(chr(byte) for byte in _ASCII_DELETE),
        emails=any(len(word) >= EMAIL_MIN_LENGTH and word not in _TLD_PREFIXES for word in words),
        phones=any(word.isdigit() and len(word) >= PHONE_MIN_DIGITS for word in words),
        notes=any(len(word) >= NOTE_MIN_LENGTH for word in words),
    )


# What resolve_person reads: ids and names, no contact field at all.
NAMES_ONLY = FieldFilter(words=(), unsure="", emails=False, phones=False, notes=False)


def _phone_digits(query: str) -> str | None:
    """The digits of a query that looks like a phone number (`+91 98450-55`), else None."""
    text = query.strip()
    if not _PHONE_LIKE.fullmatch(text):
        return None
    digits = re.sub(r"\D", "", text)
    return digits if len(digits) >= PHONE_MIN_DIGITS else None


def resolve_person(query: str, rows: Sequence[SearchRow]) -> tuple[int | None, list[int]]:
    """Which person a command-line PERSON argument means.

    An id, then an exact (case-insensitive) name if only one person has it, then a clear fuzzy
    winner among names (score >= 80 and 10 ahead of the runner-up, or the only candidate at >= 80).
    Returns `(id, [id])` when resolved, `(None, candidates best first, at most 10)` when ambiguous,
    `(None, [])` when nothing matches.
    """
    text = query.strip()
    if not text:
        return None, []
    if text.lstrip("#").isdigit():
        wanted = int(text.lstrip("#"))
        if any(row[0] == wanted for row in rows):
            return wanted, [wanted]
    plain = " ".join(text.casefold().split())
    exact = [row[0] for row in rows if " ".join(row[1].casefold().split()) == plain]
    if len(exact) == 1:
        return exact[0], exact
    from rapidfuzz import fuzz, process

    ids = [row[0] for row in rows]
    names = [row[1] for row in rows]
    matches = process.extract(fold(text), names, scorer=fuzz.WRatio, processor=_fold_name,
                              score_cutoff=RESOLVE_CUTOFF, limit=None)
    # Best score first; people sharing a score keep the alphabetical order of their names.
    matches.sort(key=lambda match: (-match[1], fold(match[0]), ids[match[2]]))
    if not matches:
        return None, []
    top_score = matches[0][1]
    runner_up = matches[1][1] if len(matches) > 1 else None
    if top_score >= RESOLVE_WINNER and (runner_up is None or top_score - runner_up >= RESOLVE_LEAD):
        winner = ids[matches[0][2]]
        return winner, [winner]
    return None, [ids[index] for _, _, index in matches[:RESOLVE_CANDIDATES]]


def _fold_name(name: str) -> str:
    return " ".join(fold(name).split())
