"""Names grouped and blocked as an import creates, touches and renames people, for its similar-names pass."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from tiecrm.forked import ForkedCall, SharedCounts, fork_is_safe
from tiecrm.matching import (
    MIN_BLOCK_TOKEN,
    KeyScores,
    NameBlocks,
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
# From this many names coming, the process that shares the pass is forked as they start coming, and sent
# them when the pass comes (see NameGroups). Below, it is forked at the pass and reads them where they are:
# no pickling, and the pages it copies from a heap this small are a few MB.
FORK_EARLY_FROM = 20_000


class NameGroups:
    """People by name key and keys by token, kept up to date person by person while an import runs, so
    its similar-names pass (`matching.similar_name_pairs`) starts at the scoring once the cards are in.

    Reading names into keys and blocks is about two fifths of that pass. Done here, as each person
    comes (with the name's words already worked out by the import's reading process when it is ahead),
    it is work taken off the pass that runs after the last card. `pairs()` gives what `similar_name_pairs`
    gives on the final names, with every person created, touched or renamed as new. Only what the pass
    needs is kept (no name is remembered, and each distinct word once).
    """

    def __init__(self, fork_now: bool = False) -> None:
        """`fork_now`: fork the process that will share the pass now, while this process is small (see
        `forked.ForkedCall`), where a fork is safe. Its memory then stays apart from all this process
        takes on meanwhile. `pairs()` uses it, or `close()` lets it go."""
        self._helper: _Helper | None = None
        if fork_now and fork_is_safe():
            self._helper = _Helper.start()
        self.ids_by_key: dict[str, list[int]] = {}
        self.token_lists: dict[str, list[str]] = {}  # only keys somebody has
        self.blocks: dict[str, list[str]] = {}  # token -> every key ever holding it (each once)
        self.weights: dict[str, int] = {}  # token -> people whose key holds it now
        self.new_ids: set[int] = set()
        self._gone: set[str] = set()  # keys nobody has any more (still in their blocks)
        # One string for each distinct token: names share their words, and at 50,000 people the keys' own
        # copies of them would take about 10 MB.
        self._tokens: dict[str, str] = {}

    def add_known(self, person_id: int, name: str) -> None:
        """A person stored before this import."""
        self._join(person_id, name)

    def add_new(self, person_id: int, name: str, tokens: list[str] | None = None) -> None:
        """A person this import creates; `tokens`: the name's (`matching.name_tokens`), if already known."""
        self.new_ids.add(person_id)
        self._join(person_id, name, tokens)

    def touch(self, person_id: int) -> None:
        """A person this import changed."""
        self.new_ids.add(person_id)

    def rename(self, person_id: int, old_name: str, name: str) -> None:
        """A person's name changed from `old_name` (the import changed the person)."""
        self.new_ids.add(person_id)
        self._leave(person_id, old_name)
        self._join(person_id, name)

    def pairs(self, threshold: float = 90, two_processes: bool | None = None,
              meanwhile: Callable[[], None] | None = None) -> list[tuple[int, int, float]]:
        """Pairs `(a, b, score)` with `a < b`, as `similar_name_pairs` gives them on the names now.

        A large pass does about half its work in a forked copy of this process where a fork is safe
        (`forked.fork_is_safe`); `two_processes` forces one way or the other. `meanwhile`, if given, is
        run once before the pairs are returned: while the forked copy works, when there is one.
        """
        split = fork_is_safe() if two_processes is None else two_processes
        done = meanwhile is None

        def run_meanwhile() -> None:
            nonlocal done
            if not done:
                done = True
                meanwhile()

        helper, self._helper = self._helper, None
        scorer = (functools.partial(_score_in_two_processes, meanwhile=run_meanwhile, helper=helper)
                  if split else None)
        try:
            pairs = grouped_name_pairs(self.ids_by_key, self.token_lists, self.new_ids, threshold,
                                       (self.blocks, self.weights), scorer)
        finally:
            if helper is not None:
                helper.close()  # unused (a small pass, nobody new), or done with
        run_meanwhile()  # no pass to share (no new names), or no second process
        return pairs

    def close(self) -> None:
        """Let the forked helper go, if `pairs()` has not used it."""
        helper, self._helper = self._helper, None
        if helper is not None:
            helper.close()

    def _join(self, person_id: int, name: str, tokens: list[str] | None = None) -> None:
        if tokens is None:
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
            one_string = self._tokens.setdefault
            tokens = self.token_lists[key] = [one_string(token, token) for token in tokens]
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


# The two counts the parent and its forked child share, each written by one side only: how many units of
# blocks the child has taken from the front of the list, and where the units the parent has taken from the
# back begin.
_FRONT, _BACK = 0, 1
_Unit = tuple[int, Any]  # a unit of NameBlocks


class _Helper(NamedTuple):
    """The forked process that shares a pass, and the two counts it shares with this one."""

    call: ForkedCall
    claims: SharedCounts  # _FRONT, _BACK

    @classmethod
    def start(cls, *inherited: Any) -> _Helper:
        """Fork the helper now; `inherited`, if given, are `_child_share`'s arguments after the claims, read
        where this process keeps them (the call is then sent nothing)."""
        claims = SharedCounts(0, 0)
        try:
            return cls(ForkedCall(_child_share, claims, *inherited), claims)
        except BaseException:
            claims.close()
            raise

    def close(self) -> None:
        self.call.close()
        self.claims.close()


def _score_in_two_processes(name_blocks: NameBlocks, token_lists: dict[str, list[str]], new_keys: set[str],
                            everyone_new: bool, threshold: float,
                            meanwhile: Callable[[], None] | None = None,
                            helper: _Helper | None = None) -> KeyScores:
    """`score_key_pairs`, with a forked child finding the shortened pairs and scoring blocks while this
    process runs `meanwhile` (if given) and scores blocks too. The child is `helper` if given (forked
    while this process was small, sent what it needs pickled, closed by the caller: see
    `forked.ForkedCall`), else one forked here, which reads it where this process keeps it.

    The blocks' units are shared out as they go, not dealt beforehand: the child takes them from the front
    of the list (largest first), this process from the back, each making its units into blocks and
    recording in shared memory how far it has come, until they meet. So neither waits for the other however
    long `meanwhile` or the shortened pairs take. Both may take the unit where they meet: a pair scored on
    both sides has the same score on each."""
    units = name_blocks.units
    if sum(size for size, _unit in units) < FORK_SCORING_FROM:
        if meanwhile is not None:
            meanwhile()
        return score_key_pairs(name_blocks, token_lists, new_keys, everyone_new, threshold)
    own = helper is None
    if own:  # forked now, the child has the names from the fork: nothing to pickle
        helper = _Helper.start(name_blocks, token_lists, new_keys, everyone_new, threshold)
    try:
        claims = helper.claims
        claims[_FRONT], claims[_BACK] = 0, len(units)
        theirs = (helper.call.send() if own else
                  helper.call.send(name_blocks, token_lists, new_keys, everyone_new, threshold))
        if meanwhile is not None:
            meanwhile()
        ours = name_blocks.blocks(_from_the_back(units, claims))
        scores = score_blocks(ours, new_keys, everyone_new, threshold)
        try:
            their_scores, shortened = theirs()
        except RuntimeError:  # the child died (killed, out of memory): what it took is scored here instead
            left = claims[_BACK]
            their_scores = score_blocks(name_blocks.blocks(units[:left]), new_keys, everyone_new, threshold)
            shortened = shortened_key_pairs(token_lists, new_keys)
    finally:
        if own:
            helper.close()
    scores.update(their_scores)
    return with_shortened(scores, shortened)


def _from_the_front(units: list[_Unit], claims: SharedCounts) -> Iterator[_Unit]:
    """The child's units: from the front, each claimed before it is taken, until the parent's are reached."""
    taken = 0
    while taken < claims[_BACK]:
        taken += 1
        claims[_FRONT] = taken
        yield units[taken - 1]


def _from_the_back(units: list[_Unit], claims: SharedCounts) -> Iterator[_Unit]:
    """The parent's units: from the back, each claimed before it is taken, until the child's are reached."""
    left = len(units)
    while left > claims[_FRONT]:
        left -= 1
        claims[_BACK] = left
        yield units[left]


def _child_share(claims: SharedCounts, name_blocks: NameBlocks, token_lists: dict[str, list[str]],
                 new_keys: set[str], everyone_new: bool,
                 threshold: float) -> tuple[KeyScores, set[tuple[str, str]]]:
    shortened = shortened_key_pairs(token_lists, new_keys)
    blocks = name_blocks.blocks(_from_the_front(name_blocks.units, claims))
    return score_blocks(blocks, new_keys, everyone_new, threshold), shortened
