"""Read and prepare cards in a second process while this one matches and writes them (the import's pipeline)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Self

from tiecrm.domain import CardProblem
from tiecrm.store.prepared import PreparedCard
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
    manager: leaving it stops the child, whether or not every card was taken."""

    def __init__(self, files: Sequence[Path]) -> None:
        self.files = [str(path) for path in files]
        self.count = 0
        self.problems: list[CardProblem] = []
        self.warnings: list[CardProblem] = []
        # The child's stderr, read only if it dies: a file never fills up and blocks it as a pipe could.
        self._errors: BinaryIO = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._process = subprocess.Popen(
            _serve_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._errors, bufsize=PIPE_BUFFER,
        )
        assert self._process.stdin is not None
        pickle.dump(self.files, self._process.stdin)
        self._process.stdin.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the child (if still running) and release its pipe."""
        process = self._process
        if process.poll() is None:
            process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()
        self._errors.close()

    def __iter__(self) -> Iterator[PreparedCard]:
        # Messages: see tiecrm.store.card_reader.
        stdout = self._process.stdout
        assert stdout is not None
        load, make = pickle.load, PreparedCard._make
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
                for fields in cards:
                    yield make(fields)
            elif kind == "problems":
                self.problems.extend(CardProblem(*problem) for problem in message[1])
            elif kind == "done":
                return
            elif kind == "unreadable":
                raise UnreadablePathError(message[1])
            else:
                raise RuntimeError(f"the card reader failed:\n{message[1]}")

    def _child_errors(self) -> str:
        self._process.wait()
        self._errors.seek(0)
        text = self._errors.read().decode("utf-8", "replace").strip()
        return text.splitlines()[-1] if text else f"exit status {self._process.returncode}"


def warning_problem(source: str, line: int, warning: str) -> CardProblem:
    """A card's warning (`LINE: reason`, or a bare reason) as a problem naming its file and line."""
    number, _, reason = warning.partition(": ")
    try:
        return CardProblem(source, int(number), reason)
    except ValueError:
        return CardProblem(source, line, warning)
