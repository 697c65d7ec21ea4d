"""Names grouped and blocked as an import creates, touches and renames people, for its similar-names pass."""

from __future__ import annotations

from tiecrm.forked import fork_is_safe, start_forked
from tiecrm.matching import (
    MIN_BLOCK_TOKEN,
    KeyScores,
    grouped_name_pairs,
    name_tokens,
    score_blocks,
    score_key_pairs,
    shortened_key_pairs,
    with_shortened,
)

# From about this many keys in blocks, sharing the pass with a forked process (on the other CPU, idle once
# the cards are in) repays the fork; below, everything is done here.
FORK_SCORING_FROM = 20_000


class NameGroups:
    """People by name key and keys by token, kept up to date person by person while an import runs, so
    its similar-names pass (`matching.similar_name_pairs`) starts at the scoring once the cards are in.

    Reading names into keys and blocks is about two fifths of that pass. Done here, as each person
    comes, it fills time the import otherwise spends waiting for the next cards. `pairs()` gives what
    `similar_name_pairs` gives on the final names, with every person created, touched or renamed as new.
    Only what the pass needs is kept (no name is remembered): at 50,000 people this is about 25 MB.
    """

    def __init__(self) -> None:
        self.ids_by_key: dict[str, list[int]] = {}
        self.token_lists: dict[str, list[str]] = {}  # only keys somebody has
        self.blocks: dict[str, list[str]] = {}  # token -> every key ever holding it (each once)
        self.weights: dict[str, int] = {}  # token -> people whose key holds it now
        self.new_ids: set[int] = set()
        self._gone: set[str] = set()  # keys nobody has any more (still in their blocks)

    def add_known(self, person_id: int, name: str) -> None:
        """A person stored before this import."""
        self._join(person_id, name)

    def add_new(self, person_id: int, name: str) -> None:
        """A person this import creates."""
        self.new_ids.add(person_id)
        self._join(person_id, name)

    def touch(self, person_id: int) -> None:
        """A person this import changed."""
        self.new_ids.add(person_id)

    def rename(self, person_id: int, old_name: str, name: str) -> None:
        """A person's name changed from `old_name` (the import changed the person)."""
        self.new_ids.add(person_id)
        self._leave(person_id, old_name)
        self._join(person_id, name)

    def pairs(self, threshold: float = 90, two_processes: bool | None = None) -> list[tuple[int, int, float]]:
        """Pairs `(a, b, score)` with `a < b`, as `similar_name_pairs` gives them on the names now.

        A large pass does about half its work in a forked copy of this process where a fork is safe
        (`forked.fork_is_safe`); `two_processes` forces one way or the other.
        """
        split = fork_is_safe() if two_processes is None else two_processes
        return grouped_name_pairs(self.ids_by_key, self.token_lists, self.new_ids, threshold,
                                  (self.blocks, self.weights), _score_in_two_processes if split else None)

    def _join(self, person_id: int, name: str) -> None:
        tokens = name_tokens(name)
        if not tokens:
            return  # a name without words pairs with nobody
        key = " ".join(tokens)
        ids = self.ids_by_key.get(key)
        if ids is not None:
            ids.append(person_id)
            tokens = self.token_lists[key]  # one list per key
        else:
            self.ids_by_key[key] = [person_id]
            self.token_lists[key] = tokens
        block_tokens = {token for token in tokens if len(token) >= MIN_BLOCK_TOKEN}
        weights = self.weights
        for token in block_tokens:
            weights[token] = weights.get(token, 0) + 1
        if ids is None:  # a key nobody had: into its blocks, unless it was there before
            if self._gone and key in self._gone:
                self._gone.discard(key)
                return
            blocks = self.blocks
            for token in block_tokens:
                members = blocks.get(token)
                if members is None:
                    blocks[token] = [key]
                else:
                    members.append(key)

    def _leave(self, person_id: int, name: str) -> None:
        tokens = name_tokens(name)
        if not tokens:
            return
        key = " ".join(tokens)
        ids = self.ids_by_key[key]
        ids.remove(person_id)
        if not ids:
            del self.ids_by_key[key]
            del self.token_lists[key]  # its blocks keep it; the pass leaves out keys nobody has
            self._gone.add(key)
        for token in {token for token in tokens if len(token) >= MIN_BLOCK_TOKEN}:
            self.weights[token] -= 1


def _score_in_two_processes(blocks: list[list[str]], token_lists: dict[str, list[str]], new_keys: set[str],
                            everyone_new: bool, threshold: float) -> KeyScores:
    """`score_key_pairs`, with a forked child finding the shortened pairs and scoring part of the blocks
    while this process scores the rest."""
    if sum(len(members) for members in blocks) < FORK_SCORING_FROM:
        return score_key_pairs(blocks, token_lists, new_keys, everyone_new, threshold)
    # Deal the blocks, largest first, to whichever side has less work so far (a block of n keys costs
    # about n * n comparisons); the child starts with the shortened pairs, about a third of the pass.
    sides: tuple[list[list[str]], list[list[str]]] = ([], [])
    total = sum(len(members) * len(members) for members in blocks)
    work = [0, total // 3]
    for members in sorted(blocks, key=len, reverse=True):
        lighter = 0 if work[0] <= work[1] else 1
        sides[lighter].append(members)
        work[lighter] += len(members) * len(members)
    theirs = start_forked(_child_share, sides[1], token_lists, new_keys, everyone_new, threshold)
    scores = score_blocks(sides[0], new_keys, everyone_new, threshold)
    try:
        their_scores, shortened = theirs()
    except RuntimeError:  # the child died (killed, out of memory): its share is done here instead
        their_scores, shortened = _child_share(sides[1], token_lists, new_keys, everyone_new, threshold)
    # A pair in blocks on both sides has the same score on each.
    scores.update(their_scores)
    return with_shortened(scores, shortened)


def _child_share(blocks: list[list[str]], token_lists: dict[str, list[str]], new_keys: set[str],
                 everyone_new: bool, threshold: float) -> tuple[KeyScores, set[tuple[str, str]]]:
    return score_blocks(blocks, new_keys, everyone_new, threshold), shortened_key_pairs(token_lists, new_keys)
