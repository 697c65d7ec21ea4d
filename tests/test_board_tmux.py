"""The board in a real terminal: tiecrm runs inside tmux and gets a real SGR mouse drag, byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.app_support import seed_repo
from tiecrm.domain import Bucket
from tiecrm.store.repository import Repository

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

REPO_ROOT = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT = 160, 45


class Pane:
    """One detached tmux session on a private server socket, so the user's tmux is never touched."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        command = ["tmux", "-S", str(self.socket), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=10)
        return result.stdout

    def text(self) -> list[str]:
        return self.tmux("capture-pane", "-p", "-t", "board").splitlines()

    def wait_for(self, needle: str, timeout: float = 20.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.text()
            if any(needle in line for line in lines):
                return lines
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} never appeared:\n" + "\n".join(self.text()))

    def send(self, text: str) -> None:
        self.tmux("send-keys", "-t", "board", "-l", text)


def cells_of(lines: list[str], needle: str) -> list[tuple[int, int]]:
    """1-based (column, row) of the first cell of each `needle` on screen, as mouse positions count."""
    return [(line.index(needle) + 1, row) for row, line in enumerate(lines, start=1) if needle in line]


def cell_of(lines: list[str], needle: str) -> tuple[int, int]:
    found = cells_of(lines, needle)
    assert found, f"{needle!r} is not on screen"
    return found[-1]  # the card, below any status line that names the same person


def wait_until(check, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def names(path: Path, bucket: Bucket) -> list[str]:
    repo = Repository(path)
    try:
        return [p.name for p in repo.list_people(bucket)]
    finally:
        repo.close()


def test_a_real_mouse_drag_in_tmux_moves_the_person(tmp_path):
    db = tmp_path / "tmux.db"
    seed_repo(db).close()
    env = {**os.environ, "TIECRM_CONFIG_DIR": str(tmp_path / "config"), "TIECRM_DB": str(db),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
           "TERM": "xterm-256color"}
    command = f"cd {REPO_ROOT} && exec {sys.executable} -m tiecrm --db {db}"
    pane = Pane(tmp_path / "tmux.sock")
    subprocess.run(
        ["tmux", "-S", str(pane.socket), "-f", "/dev/null", "new-session", "-d", "-s", "board",
         "-x", str(WIDTH), "-y", str(HEIGHT), command],
        check=True, env=env, timeout=10,
    )
    try:
        pane.wait_for("Priya Sharma")
        pane.send("b")
        lines = pane.wait_for("left to sort")
        # Sam Okafor (unsorted) goes below Sam Carter, on the lower line of his card in Nurture.
        x, y = cell_of(lines, "Sam Okafor")
        x2, carter_row = cell_of(lines, "Sam Carter")
        y2 = carter_row + 1
        pane.send(f"\x1b[<0;{x};{y}M")  # press
        pane.send(f"\x1b[<32;{x + 10};{y}M")  # drag past the threshold
        pane.send(f"\x1b[<32;{x2};{y2}M")  # drag over nurture
        pane.send(f"\x1b[<0;{x2};{y2}m")  # release
        assert wait_until(lambda: names(db, Bucket.NURTURE) == ["Sam Carter", "Sam Okafor"]), pane.text()
        assert "Sam Okafor" not in names(db, Bucket.UNSORTED)
        # The screen agrees: Sam Okafor is drawn in the nurture column now.
        lines = pane.wait_for("moved Sam Okafor")
        assert any(abs(cx - x2) <= 2 and row > carter_row for cx, row in cells_of(lines, "Sam Okafor")), lines
        pane.send("q")
        assert wait_until(lambda: "board" not in pane.tmux("list-sessions"), timeout=10)
    finally:
        pane.tmux("kill-server")
