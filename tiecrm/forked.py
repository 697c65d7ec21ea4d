"""Run a function in a forked copy of this process, on the other CPU, while this process goes on."""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import Any


def fork_is_safe() -> bool:
    """True on Linux while no other thread runs here. A fork copies only the calling thread: a lock another
    thread held at that moment would stay locked in the child for ever."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


def start_forked(work: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """Start `work(*args)` in a forked child; return a function that waits for the child and returns
    what `work` returned (sent back pickled). The child sees this process's memory as it was at the
    fork and never returns into its code: it leaves with os._exit, running no exit handler, so files
    and connections this process holds (an open database transaction) are left alone.

    Raises (from the returned function):
        RuntimeError: the child failed; its exception's text says why.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 0
        try:
            os.close(read_end)
            try:
                message: tuple = ("ok", work(*args))
            except BaseException as error:  # noqa: BLE001 - any failure goes back to the parent
                message = ("error", f"{type(error).__name__}: {error}")
            with open(write_end, "wb") as out:
                pickle.dump(message, out, pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - the parent sees a missing answer
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)

    def result() -> Any:
        try:
            with open(read_end, "rb") as answer:
                message = pickle.load(answer)
        except EOFError:
            message = ("error", "the child process ended without an answer")
        finally:
            os.waitpid(pid, 0)
        if message[0] != "ok":
            raise RuntimeError(message[1])
        return message[1]

    return result
