"""Read and prepare cards in a second process while this one matches and writes them (the import's pipeline)."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Self

from tiecrm.domain import CardProblem
from tiecrm.forked import SharedCounts, fork_is_safe, fork_writing
from tiecrm.store.prepared import PreparedCard, with_hash
from tiecrm.vcard.reader import UnreadablePathError

PIPE_BUFFER = 1 << 20
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def _serve_command() -> list[str]:
    """The reading process's command line. `-S` skips the site module (most of a bare start-up); this
    process's own module path, package root first, stands in for it."""
    path = [_PACKAGE_ROOT, *(entry for entry in sys.path if entry and entry != _PACKAGE_ROOT)]
    code = f"import sys; sys.path[:] = {path!r}; from tiecrm.store.card_reader import serve; serve()"
    return [sys.executable, "-S", "-c", code]


def second_core_available() -> bool:
    """True when this process may run on more than one CPU, so a reading process runs alongside."""
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) > 1


class CardFeed:
    """The cards of `files`, read and prepared by a child process, yielded here as PreparedCards in file
    order. Problems and warnings fill in as it goes, as `FILE:LINE: reason` problems. Use as a context
    manager: leaving it stops the child, whether or not every card was taken.

    The child is a fork of this process where that is safe (Linux, and no other thread running here: a
    fork copies only the calling thread, so a lock another thread held would stay locked in the child),
    which starts reading at once with every module already loaded; otherwise (the app imports from a
    worker thread) it is a new Python program, which first spends a tenth of a second starting up.
    `fork` forces one way or the other.
    """

    def __init__(self, files: Sequence[Path], fork: bool | None = None) -> None:
        self.files = [str(path) for path in files]
        self.count = 0
        self.problems: list[CardProblem] = []
        self.warnings: list[CardProblem] = []
        self.expected = 0  # how many cards are coming, when the caller knows (operator.length_hint)
        self.hashed_there = 0  # cards whose hash the reading process worked out, being ahead (see card_reader)
        # The child's stderr, read only if it dies: a file never fills up and blocks it as a pipe could.
        self._errors: BinaryIO = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.forked = fork_is_safe() if fork is None else fork
        # Where this process counts the cards it has taken, for a forked child to read; a new program's
        # reader has none and leaves every hash to this process.
        self._taken: SharedCounts | None = None
        if self.forked:
            self._taken = SharedCounts(0)
            self._pid, self._stdout = self._fork()
            self._process: subprocess.Popen | None = None
        else:
            self._process = subprocess.Popen(
                _serve_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=self._errors, bufsize=PIPE_BUFFER,
            )
            assert self._process.stdin is not None and self._process.stdout is not None
            pickle.dump(self.files, self._process.stdin)
            self._process.stdin.close()
            self._pid, self._stdout = self._process.pid, self._process.stdout
        self.returncode: int | None = None

    def _fork(self) -> tuple[int, BinaryIO]:
        from tiecrm.store import card_reader  # loaded before the fork, so the child has it at once

        taken = self._taken
        return fork_writing(lambda out: card_reader.send(self.files, out, taken), PIPE_BUFFER, self._errors)

    def __length_hint__(self) -> int:
        return self.expected

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the child (if still running) and release its pipe."""
        if self.returncode is None:
            if self._process is not None:
                if self._process.poll() is None:
                    self._process.kill()
                self.returncode = self._process.wait()
            else:
                self.returncode = self._reap(stop=True)
        self._stdout.close()
        self._errors.close()
        if self._taken is not None:
            self._taken.close()

    def _reap(self, stop: bool) -> int:
        """Wait for the forked child (killing it first when `stop`) and return its exit status."""
        if stop:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _pid, status = os.waitpid(self._pid, 0)
        return os.waitstatus_to_exitcode(status)

    def __iter__(self) -> Iterator[PreparedCard]:
        # Messages: see tiecrm.store.card_reader.
        stdout = self._stdout
        load, make = pickle.load, PreparedCard._make
        taken = self._taken
        while True:
            try:
                message = load(stdout)
            except EOFError:
                raise RuntimeError(f"the card reader stopped: {self._child_errors()}") from None
            kind = message[0]
            if kind == "cards":
                cards, warnings = message[1], message[2]
                if warnings:
                    self.warnings.extend(warning_problem(*warning) for warning in warnings)
                self.count += len(cards)
                if taken is not None:
                    taken[0] = self.count
                if cards and cards[0][1] is not None:  # the reading process, being ahead, worked them out
                    self.hashed_there += len(cards)
                    for fields in cards:
                        yield make(fields)
                    continue
                for fields in cards:
                    # The reading process was not ahead: the card hash and the spare UID are worked out here
                    # (see card_reader.send).
                    yield make(with_hash(fields))
            elif kind == "problems":
                self.problems.extend(CardProblem(*problem) for problem in message[1])
            elif kind == "done":
                return
            elif kind == "unreadable":
                raise UnreadablePathError(message[1])
            else:
                raise RuntimeError(f"the card reader failed:\n{message[1]}")

    def _child_errors(self) -> str:
        if self.returncode is None:
            self.returncode = self._process.wait() if self._process is not None else self._reap(stop=False)
        self._errors.seek(0)
        text = self._errors.read().decode("utf-8", "replace").strip()
        return text.splitlines()[-1] if text else f"exit status {self.returncode}"


def warning_problem(source: str, line: int, warning: str) -> CardProblem:
    """A card's warning (`LINE: reason`, or a bare reason) as a problem naming its file and line."""
    number, _, reason = warning.partition(": ")
    try:
        return CardProblem(source, int(number), reason)
    except ValueError:
        return CardProblem(source, line, warning)
