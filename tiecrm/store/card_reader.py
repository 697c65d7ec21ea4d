"""The reading process of the import's pipeline: read and prepare cards, send them to the importing process."""

from __future__ import annotations

import gc
import pickle
import sys
import traceback
from collections.abc import Iterator
from typing import BinaryIO

from tiecrm.forked import SharedCounts
from tiecrm.store.prepared import prepared_fields, with_hash
from tiecrm.vcard.card import build_parts
from tiecrm.vcard.reader import UnreadablePathError, stream_vcard_file

FIRST_BATCH = 50  # the importing process waits for the first cards: send a few at once
BATCH = 250  # cards a message: large enough that pickling is cheap per card, small enough to keep memory flat

# Messages to the importing process, each one pickled tuple:
#   ("cards", [prepared_fields(draft), ...], [(file, line, warning text), ...])
#   ("problems", [(file, line, reason), ...])   after the last card of each file
#   ("unreadable", message)                     a file could not be read; nothing more follows
#   ("error", traceback text)                   reading failed; nothing more follows
#   ("done",)
# A card's hash and spare UID are worked out by the importing process, unless this one is ahead of it (see
# `send`): then the "cards" fields come with them filled in, and with the name's tokens.


def serve(requests: BinaryIO | None = None, out: BinaryIO | None = None) -> None:
    """The child's side when started as a new program: read the pickled file list from `requests`,
    write messages to `out`."""
    requests = requests or sys.stdin.buffer
    files = pickle.load(requests)
    send(files, out or sys.stdout.buffer)


def send(files: list[str], out: BinaryIO, taken: SharedCounts | None = None) -> None:
    """Read `files` and write their messages to `out` until done or until nobody reads them.

    `taken`, when given, is shared with the importing process, which counts in `taken[0]` the cards it has
    taken. Which of the two processes is slower depends on the cards and on the store: when the
    importing one has not yet taken the last batch sent by the time the next is ready, it is the slower,
    and this process works out the next batch's card hashes, spare UIDs and name tokens itself instead of
    waiting."""
    # Reading makes many small objects and no reference cycles: a collection midway only costs time.
    gc.disable()
    try:
        for message in _messages(files, taken):
            pickle.dump(message, out, pickle.HIGHEST_PROTOCOL)
            out.flush()
    except BrokenPipeError:
        return  # the importing process has gone (stopped or killed): nothing is waiting for the cards
    out.flush()


def _messages(files: list[str], taken: SharedCounts | None = None) -> Iterator[tuple]:
    """The messages for `files`; `taken` as for `send`."""
    sent = 0
    try:
        for path in files:
            stream = stream_vcard_file(path, build_parts)  # parts, not CardDrafts: all prepared_fields needs
            cards: list[tuple] = []
            warnings: list[tuple[str, int, str]] = []
            batch = FIRST_BATCH
            for draft in stream.drafts:
                # The hash and the spare UID are left to the importing process, unless it is behind (see send).
                cards.append(prepared_fields(draft))
                if draft.warnings:
                    warnings.extend((draft.source, draft.line, warning) for warning in draft.warnings)
                if len(cards) >= batch:
                    if taken is not None and taken[0] < sent:  # the importing process is behind
                        cards = [with_hash(fields, tokens=True) for fields in cards]
                    yield ("cards", cards, warnings)
                    sent += len(cards)
                    cards, warnings, batch = [], [], BATCH
            if cards:
                yield ("cards", cards, warnings)
                sent += len(cards)
            yield ("problems", [(p.file, p.line, p.reason) for p in stream.problems])
    except UnreadablePathError as error:
        yield ("unreadable", str(error))
        return
    except Exception:  # noqa: BLE001 - any failure must reach the importing process, which rolls back and reports it
        yield ("error", traceback.format_exc())
        return
    yield ("done",)
