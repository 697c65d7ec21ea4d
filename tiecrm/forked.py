"""Run a function in a forked copy of this process, on the other CPU, while this process goes on."""

from __future__ import annotations

import mmap
import os
import pickle
import signal
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


class ForkedCall:
    """A child forked now that waits to run `work(*inherited, *args)` until `send(*args)`, so that a call
    whose arguments are made later runs in a copy of this process as small as it is now.

    A child forked from a large process shares its pages only until either side writes to them, and
    merely reading a Python object writes its reference count: a child reading data scattered over
    80 MB of heap ends up with its own copy of most of those pages, counted again in the machine's
    memory. Forked early, the child shares nothing but what this process had then, and gets the call's
    arguments pickled (made in one piece, then read into its own heap). `inherited` are objects the
    child has from the fork instead (shared memory such as a `SharedCounts`), not pickled.
    """

    def __init__(self, work: Callable[..., Any], *inherited: Any) -> None:
        calls_read, calls_write = os.pipe()

        def serve(out: BinaryIO) -> None:
            os.close(calls_write)  # else reading the call would never see its end
            with open(calls_read, "rb", buffering=0) as calls:
                sent = _read_sized(calls)  # all of it first, so the sender never waits for the unpickling
            if sent is None:
                return  # closed without a call
            try:
                args = pickle.loads(sent)
                del sent
                message: tuple = ("ok", work(*inherited, *args))
            except BaseException as error:  # noqa: BLE001 - any failure goes back to the parent
                message = ("error", f"{type(error).__name__}: {error}")
            pickle.dump(message, out, pickle.HIGHEST_PROTOCOL)

        try:
            self._pid, self._answers = fork_writing(serve)
        finally:
            os.close(calls_read)
        self._calls: BinaryIO | None = open(calls_write, "wb")  # noqa: SIM115 - closed by send or close
        self._waited = False

    def send(self, *args: Any) -> Callable[[], Any]:
        """Run the call with `args` (pickled); return a function that waits for the child and returns what
        `work` returned (sent back pickled). One call per child.

        Raises (from the returned function):
            RuntimeError: the child failed (its exception's text says why), or died without an answer.
        """
        calls, self._calls = self._calls, None
        if calls is None:
            raise RuntimeError("this child has had its call")
        sent = pickle.dumps(args, pickle.HIGHEST_PROTOCOL)
        try:
            with calls:
                calls.write(_SIZE.pack(len(sent)))
                calls.write(sent)
        except BrokenPipeError:
            pass  # the child is gone; its answer says so
        return self._result

    def _result(self) -> Any:
        try:
            with self._answers:
                message = pickle.load(self._answers)
        except EOFError:
            message = ("error", "the child process ended without an answer")
        finally:
            self._wait()
        if message[0] != "ok":
            raise RuntimeError(message[1])
        return message[1]

    def close(self) -> None:
        """Let the child go: unless it was sent its call, it leaves at once; if it was and its answer was
        not taken, it is stopped."""
        if self._waited:
            return
        if self._calls is not None:
            self._calls.close()
            self._calls = None
        else:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._answers.close()
        self._wait()

    def _wait(self) -> None:
        if not self._waited:
            self._waited = True
            os.waitpid(self._pid, 0)


_SIZE = struct.Struct("Q")


def _read_sized(stream: BinaryIO) -> bytearray | None:
    """A message written as its size then its bytes, read into one buffer of that size (no copy of it made
    on the way); None when the stream ends before a size."""
    head = stream.read(_SIZE.size)
    if len(head) < _SIZE.size:
        return None
    body = bytearray(_SIZE.unpack(head)[0])
    view, got = memoryview(body), 0
    while got < len(body):
        n = stream.readinto(view[got:])
        if not n:
            raise EOFError("the call was cut short")
        got += n
    view.release()
    return body


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
