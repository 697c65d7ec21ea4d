"""The board's one path for moving people: a mouse drop or a key becomes (person, bucket, position)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from tiecrm.domain import Bucket

COLUMNS: tuple[Bucket, ...] = (Bucket.UNSORTED, Bucket.INNER, Bucket.NURTURE, Bucket.VANITY)
"""The board's columns, left to right."""

KEY_BUCKETS: dict[str, Bucket] = {
    "1": Bucket.INNER, "2": Bucket.NURTURE, "3": Bucket.VANITY, "0": Bucket.UNSORTED,
}


class Step(StrEnum):
    """A direction a lifted card is carried in."""

    LEFT = "left"
    RIGHT = "right"
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class MoveRequest:
    """What the store is asked to do: `position` counts the target column with the person left out,
    which is what `Repository.move` expects."""

    person_id: int
    bucket: Bucket
    position: int


@dataclass(frozen=True)
class Lift:
    """A card picked up (by the mouse or by `space`) and where it would land if dropped now.

    `index` is where the card sits among the shown cards of its column. `slot` is where it would
    land among the shown cards of `target`, the lifted card left out; `target` None means the
    pointer is outside every column, and a drop there does nothing.
    """

    person_id: int
    source: Bucket
    index: int
    target: Bucket | None
    slot: int

    @property
    def stays(self) -> bool:
        """Dropping now would leave the card where it is."""
        return self.target is None or (self.target == self.source and self.slot == self.index)


class BoardColumns:
    """Who is in each column, in board order, and who the current filter shows.

    Kept in step with the store by applying the same requests the store is given, so a move never
    has to reload a column of fifty thousand people.
    """

    def __init__(self, columns: Mapping[Bucket, Iterable[int]]) -> None:
        self._full: dict[Bucket, list[int]] = {bucket: list(columns.get(bucket, ())) for bucket in COLUMNS}
        self._bucket_of: dict[int, Bucket] = {}
        for bucket, ids in self._full.items():
            self._bucket_of.update(dict.fromkeys(ids, bucket))
        self._filter: frozenset[int] | None = None
        self._shown: dict[Bucket, list[int]] = {}

    # -- reading --------------------------------------------------------------------------------

    def full(self, bucket: Bucket) -> list[int]:
        """Everyone in a column, in board order (do not change the list)."""
        return self._full[bucket]

    def shown(self, bucket: Bucket) -> list[int]:
        """The people of a column the filter lets through, in board order (do not change the list)."""
        if self._filter is None:
            return self._full[bucket]
        if bucket not in self._shown:
            keep = self._filter
            self._shown[bucket] = [person_id for person_id in self._full[bucket] if person_id in keep]
        return self._shown[bucket]

    def bucket_of(self, person_id: int) -> Bucket | None:
        return self._bucket_of.get(person_id)

    def shown_index(self, person_id: int) -> int | None:
        """Where a person sits among the shown cards of their column, or None if not shown."""
        bucket = self._bucket_of.get(person_id)
        if bucket is None:
            return None
        try:
            return self.shown(bucket).index(person_id)
        except ValueError:
            return None

    @property
    def filtered(self) -> bool:
        return self._filter is not None

    # -- changing -------------------------------------------------------------------------------

    def set_filter(self, people: Collection[int] | None) -> None:
        """Show only these people (None: everyone)."""
        self._filter = None if people is None else frozenset(people)
        self._shown.clear()

    def apply(self, request: MoveRequest) -> None:
        """Do in memory what `Repository.move(person_id, bucket, position)` does in the store."""
        old = self._bucket_of.get(request.person_id)
        if old is not None:
            self._full[old].remove(request.person_id)
            self._shown.pop(old, None)
        target = self._full[request.bucket]
        target.insert(max(0, min(request.position, len(target))), request.person_id)
        self._bucket_of[request.person_id] = request.bucket
        self._shown.pop(request.bucket, None)

    def add(self, person_id: int, bucket: Bucket, position: int | None = None) -> None:
        """A person the board did not know about yet (None: at the end)."""
        end = len(self._full[bucket])
        self.apply(MoveRequest(person_id, bucket, end if position is None else position))

    def remove(self, person_id: int) -> None:
        old = self._bucket_of.pop(person_id, None)
        if old is not None:
            self._full[old].remove(person_id)
            self._shown.pop(old, None)


# -- lifting, carrying, dropping ----------------------------------------------------------------


def lift(board: BoardColumns, bucket: Bucket, index: int) -> Lift | None:
    """Pick up the card shown at `index` of a column; None when there is no card there."""
    shown = board.shown(bucket)
    if not 0 <= index < len(shown):
        return None
    return Lift(shown[index], bucket, index, bucket, index)


def room(board: BoardColumns, current: Lift, bucket: Bucket) -> int:
    """How many shown cards a column has besides the lifted one: the largest slot it offers."""
    count = len(board.shown(bucket))
    return count - 1 if bucket == current.source else count


def hover(board: BoardColumns, current: Lift, bucket: Bucket | None, slot: int = 0) -> Lift:
    """The lifted card is over `bucket` at `slot` (clamped); None: outside every column."""
    if bucket is None:
        return replace(current, target=None, slot=0)
    return replace(current, target=bucket, slot=max(0, min(slot, room(board, current, bucket))))


def slot_at_line(line: int, card_height: int, count: int, lifted_index: int | None = None) -> int:
    """Where a card dropped at content `line` of a column lands, the lifted card left out.

    `count` is the number of cards drawn in the column, the lifted one included when this is its
    own column (`lifted_index` is then where it is drawn). The upper half of a card means "before
    it", the lower half "after it".
    """
    card, within = divmod(max(0, line), card_height)
    before = card + (1 if within * 2 >= card_height else 0)
    before = max(0, min(before, count))
    if lifted_index is not None and before > lifted_index:
        before -= 1
    return before


def carry(board: BoardColumns, current: Lift, step: Step) -> Lift:
    """Carry the lifted card one column left or right (keeping its row), or one card up or down."""
    target = current.target if current.target is not None else current.source
    if step in (Step.UP, Step.DOWN):
        delta = -1 if step == Step.UP else 1
        return hover(board, current, target, current.slot + delta)
    column = COLUMNS.index(target) + (-1 if step == Step.LEFT else 1)
    if not 0 <= column < len(COLUMNS):
        return current
    return hover(board, current, COLUMNS[column], current.slot)


def send(board: BoardColumns, current: Lift, bucket: Bucket) -> Lift:
    """Aim the lifted card at the end of `bucket`; aimed at its own column it stays put."""
    if bucket == current.source:
        return replace(current, target=bucket, slot=current.index)
    return hover(board, current, bucket, room(board, current, bucket))


def drop(board: BoardColumns, current: Lift) -> MoveRequest | None:
    """The move that dropping the lifted card now means, or None when nothing would change."""
    if current.stays or current.target is None:
        return None
    if board.filtered:
        full = [person_id for person_id in board.full(current.target) if person_id != current.person_id]
        shown = [person_id for person_id in board.shown(current.target) if person_id != current.person_id]
        position = position_of_slot(full, shown, current.slot)
        same_column = current.target == current.source
        if same_column and board.full(current.source).index(current.person_id) == position:
            return None
    else:
        position = current.slot  # everyone is shown: slots are positions (and `stays` caught the no-op)
    return MoveRequest(current.person_id, current.target, position)


def position_of_slot(full: list[int], shown: list[int], slot: int) -> int:
    """A slot among the shown cards turned into a position in the whole column.

    With a filter, the card lands just before the shown card it was dropped above, or just after
    the last shown card when dropped below them all; people the filter hides keep their order.
    """
    if len(shown) == len(full):
        return max(0, min(slot, len(full)))
    if not shown:
        return len(full)
    if slot < len(shown):
        return full.index(shown[slot])
    return full.index(shown[-1]) + 1


# -- focus after a move -------------------------------------------------------------------------


def focus_after(
    board: BoardColumns, request: MoveRequest, source: Bucket, source_index: int, *, triage: bool = True
) -> tuple[Bucket, int]:
    """Which card has focus once `request` is applied: (column, shown index).

    Moving someone out of Unsorted focuses the next unsorted person (the one that took their place,
    or the last one), so a fresh import is sorted with one key per person. Otherwise, or when
    Unsorted is now empty, focus follows the moved card.
    """
    if triage and source == Bucket.UNSORTED and request.bucket != Bucket.UNSORTED:
        left = len(board.shown(Bucket.UNSORTED))
        if left:
            return Bucket.UNSORTED, min(source_index, left - 1)
    index = board.shown_index(request.person_id)
    return request.bucket, index if index is not None else 0


def unsorted_left(board: BoardColumns) -> int:
    """How many people are still to be sorted (all of them, whatever the filter shows)."""
    return len(board.full(Bucket.UNSORTED))
