"""When Python's cycle collector may run: paused while many acyclic objects are made, and long-lived data out
of its full walks. Reading, indexing and drawing make hundreds of thousands of small objects that form no
reference cycles; a collection started among them only costs time."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


class CollectorHold:
    """Keep the collector off from `hold()` until `release()`, for a pause that spans more than one call
    (a screen's first frame). Releasing turns it back on only if this hold turned it off, so holds nest
    and a caller that disabled the collector itself keeps it disabled."""

    def __init__(self) -> None:
        self.held = False

    def hold(self) -> None:
        if not self.held and gc.isenabled():
            gc.disable()
            self.held = True

    def release(self) -> None:
        if self.held:
            self.held = False
            gc.enable()


@contextmanager
def collections_paused() -> Iterator[None]:
    """No cycle collection inside the block; the collector is as it was after it."""
    hold = CollectorHold()
    hold.hold()
    try:
        yield
    finally:
        hold.release()


def keep_out_of_collections() -> None:
    """Put every object alive now out of the collector's full walks (`gc.freeze`).

    For data that lives long and forms no cycles (a list of 50,000 people, its search index): a full
    collection walking all of it stalls the app for a tenth of a second or more. Frozen objects are still
    freed as soon as nothing refers to them; only reference cycles alive at this moment stay until the
    process ends.
    """
    gc.freeze()
