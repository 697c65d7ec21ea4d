"""Names grouped and blocked as an import creates, touches and renames people, for its similar-names pass."""

from __future__ import annotations

from tiecrm.forked import fork_is_safe, start_forked
from tiecrm.matching import MIN_BLOCK_TOKEN, KeyScores, grouped_name_pairs, name_tokens, score_blocks

# From about this many keys in blocks, scoring half of them in a forked process (on the other CPU, idle
# once the cards are in) repays the fork; below, everything is scored here.
FORK_SCORING_FROM = 20_000


class NameGroups:
    """People by name key and keys by token, kept up to date person by person while an import runs, so
    its similar-names pass (`matching.similar_name_pairs`) starts at the scoring once the cards are in.

    Reading names into keys and blocks is about two fifths of that pass. Done here, as each person
    comes, it fills time the import otherwise spends waiting for the next cards. `pairs()` gives what
    `similar_name_pairs` gives on the final names, with every person created, touched or renamed as new.
    """

    def __init__(self) -> None:
        # name -> key, tokens, block tokens, initials ("" for a single token)
        self._parsed: dict[str, tuple[str, list[str], tuple[str, ...], str]] = {}
        self._key_of: dict[int, str] = {}  # person -> key, for people whose name has words
        self.ids_by_key: dict[str, list[int]] = {}
        self.token_lists: dict[str, list[str]] = {}  # only keys somebody has
        self.blocks: dict[str, list[str]] = {}  # token -> every key ever holding it (each once)
        self.weights: dict[str, int] = {}  # token -> people whose key holds it now
        self.short_blocks: dict[tuple[str, str], list[str]] = {}  # (token, initials) -> keys ever there
        self.new_ids: set[int] = set()
        self._blocked: set[str] = set()  # keys already in their blocks

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

    def rename(self, person_id: int, name: str) -> None:
        """A person's name changed (the import changed the person)."""
        self.new_ids.add(person_id)
        self._leave(person_id)
        self._join(person_id, name)

    def pairs(self, threshold: float = 90, two_processes: bool | None = None) -> list[tuple[int, int, float]]:
        """Pairs `(a, b, score)` with `a < b`, as `similar_name_pairs` gives them on the names now.

        A large pass scores half its blocks in a forked copy of this process where a fork is safe
        (`forked.fork_is_safe`); `two_processes` forces one way or the other.
        """
        split = fork_is_safe() if two_processes is None else two_processes
        return grouped_name_pairs(self.ids_by_key, self.token_lists, self.new_ids, threshold,
                                  (self.blocks, self.weights, self.short_blocks),
                                  _score_in_two_processes if split else None)

    def _join(self, person_id: int, name: str) -> None:
        parsed = self._parsed.get(name)
        if parsed is None:
            tokens = name_tokens(name)
            block_tokens = tuple({token for token in tokens if len(token) >= MIN_BLOCK_TOKEN})
            initials = "".join([token[0] for token in tokens]) if len(tokens) >= 2 else ""
            parsed = self._parsed[name] = (" ".join(tokens), tokens, block_tokens, initials)
        key, tokens, block_tokens, initials = parsed
        if not key:
            return  # a name without words pairs with nobody
        self._key_of[person_id] = key
        ids = self.ids_by_key.get(key)
        if ids is None:
            self.ids_by_key[key] = [person_id]
            self.token_lists[key] = tokens
        else:
            ids.append(person_id)
        weights = self.weights
        for token in block_tokens:
            weights[token] = weights.get(token, 0) + 1
        if key not in self._blocked:
            self._blocked.add(key)
            blocks, short = self.blocks, self.short_blocks
            for token in block_tokens:
                members = blocks.get(token)
                if members is None:
                    blocks[token] = [key]
                else:
                    members.append(key)
                if initials:
                    members = short.get((token, initials))
                    if members is None:
                        short[(token, initials)] = [key]
                    else:
                        members.append(key)

    def _leave(self, person_id: int) -> None:
        key = self._key_of.pop(person_id, None)
        if key is None:
            return
        ids = self.ids_by_key[key]
        ids.remove(person_id)
        if not ids:
            del self.ids_by_key[key]
            del self.token_lists[key]  # its blocks keep it; the pass leaves out keys nobody has
        for token in self._parsed_tokens(key):
            self.weights[token] -= 1

    def _parsed_tokens(self, key: str) -> tuple[str, ...]:
        return tuple({token for token in key.split(" ") if len(token) >= MIN_BLOCK_TOKEN})


def _score_in_two_processes(blocks: list[list[str]], new_keys: set[str], everyone_new: bool,
                            threshold: float) -> KeyScores:
    """`score_blocks`, with about half the work done by a forked child while this process does the rest."""
    if sum(len(members) for members in blocks) < FORK_SCORING_FROM:
        return score_blocks(blocks, new_keys, everyone_new, threshold)
    # Deal the blocks, largest first, to whichever half has less work so far (a block of n keys costs
    # about n * n comparisons).
    halves: tuple[list[list[str]], list[list[str]]] = ([], [])
    work = [0, 0]
    for members in sorted(blocks, key=len, reverse=True):
        lighter = 0 if work[0] <= work[1] else 1
        halves[lighter].append(members)
        work[lighter] += len(members) * len(members)
    theirs = start_forked(score_blocks, halves[1], new_keys, everyone_new, threshold)
    scores = score_blocks(halves[0], new_keys, everyone_new, threshold)
    # A pair in blocks of both halves has the same score in each.
    scores.update(theirs())
    return scores
