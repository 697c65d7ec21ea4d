"""Run a function in a forked copy of this process, on the other CPU, while this process goes on."""

from __future__ import annotations

import mmap
import os
import pickle
import struct
import sys
import threading
from collections.abc import Callable
from typing import Any, BinaryIO


def fork_is_safe() -> bool:
    """True on Linux while no other thread runs here. A fork copies only the calling thread: a lock another
    thread held at that moment would stay locked in the child for ever."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


def fork_writing(write: Callable[[BinaryIO], None], buffering: int = -1,
                 errors: BinaryIO | None = None) -> tuple[int, BinaryIO]:
    """Fork a child that runs `write(out)` on the writing end of a pipe; return the child's pid and the
    reading end. The child sees this process's memory as it was at the fork and never returns into its
    code: it leaves with os._exit, running no exit handler, so files and connections this process holds
    (an open database transaction) are left alone. It exits 0 when `write` returns or nobody reads any
    more, 1 when `write` fails, after writing the traceback to `errors` if given."""
    import fcntl  # Unix only, as fork is

    read_end, write_end = os.pipe()
    if buffering > 0 and hasattr(fcntl, "F_SETPIPE_SZ"):
        # A pipe as large as the buffers, so the child can write a whole message or more ahead of the reader
        # (Linux pipes hold 64 KiB unless asked).
        try:
            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, buffering)
        except OSError:
            pass  # above the system's limit for this user: the default size works, only slower
    pid = os.fork()
    if pid == 0:  # the child
        status = 0
        try:
            os.close(read_end)
            with open(write_end, "wb", buffering=buffering) as out:
                write(out)
        except BrokenPipeError:
            pass  # the reading end is closed: this process's parent has stopped listening, or gone
        except BaseException:  # noqa: BLE001 - whatever it was, the child must still leave by os._exit
            status = 1
            if errors is not None:
                try:
                    import traceback

                    errors.write(traceback.format_exc().encode("utf-8", "replace"))
                    errors.flush()
                except BaseException:  # noqa: BLE001, S110 - nothing more can be done in a dying child
                    pass
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, open(read_end, "rb", buffering=buffering)  # the caller closes it


def start_forked(work: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """Start `work(*args)` in a forked child (see `fork_writing`); return a function that waits for the
    child and returns what `work` returned (sent back pickled).

    Raises (from the returned function):
        RuntimeError: the child failed; its exception's text says why.
    """

    def answer(out: BinaryIO) -> None:
        try:
            message: tuple = ("ok", work(*args))
        except BaseException as error:  # noqa: BLE001 - any failure goes back to the parent
            message = ("error", f"{type(error).__name__}: {error}")
        pickle.dump(message, out, pickle.HIGHEST_PROTOCOL)

    pid, answers = fork_writing(answer)

    def result() -> Any:
        try:
            with answers:
                message = pickle.load(answers)
        except EOFError:
            message = ("error", "the child process ended without an answer")
        finally:
            os.waitpid(pid, 0)
        if message[0] != "ok":
            raise RuntimeError(message[1])
        return message[1]

    return result


class SharedCounts:
    """Whole numbers in memory this process shares with the children it forks after making them (an
    anonymous map survives a fork), so either side sees at once how far the other has come. A count read
    while the other side writes it is its old value or its new one: let each be written by one side only."""

    _SLOT = struct.Struct("q")

    def __init__(self, *values: int) -> None:
        self._map = mmap.mmap(-1, self._SLOT.size * len(values))
        for index, value in enumerate(values):
            self[index] = value

    def __getitem__(self, index: int) -> int:
        return self._SLOT.unpack_from(self._map, index * self._SLOT.size)[0]

    def __setitem__(self, index: int, value: int) -> None:
        self._SLOT.pack_into(self._map, index * self._SLOT.size, value)

    def close(self) -> None:
        self._map.close()
