"""Snapshots of the screens that matter, on a fixed clock and a fixed seed, so they cannot drift unseen."""

from __future__ import annotations

import pytest

from tests.app_support import NOW, seed_repo
from tiecrm.ui.app import TieCrmApp

SIZE = (120, 36)


@pytest.fixture
def app(tmp_path, monkeypatch):
    # A fixed config path, since the help screen shows where the keymap file lives.
    monkeypatch.setenv("TIECRM_CONFIG_DIR", "/home/you/.config/tiecrm")
    repo = seed_repo(tmp_path / "snap.db")
    yield TieCrmApp(repo, now=lambda: NOW)
    repo.close()


async def _settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    # Toasts expire on a timer; keep them out of the picture so a slow machine draws the same frame.
    pilot.app.clear_notifications()
    await pilot.pause()


def test_people_screen(snap_compare, app):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("j")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_quick_add(snap_compare, app):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("n", *"45m coffee yesterday talked about her move")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, app):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("question_mark")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_import_summary(snap_compare, app, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "phone.vcf").write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Jonathan Smyth\nTEL:+44 7700 900123\nEND:VCARD\n"
        "not a card\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Jon Smyth\nEMAIL:jon@example.net\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:No End\n",
        encoding="utf-8",
    )

    async def run_before(pilot):
        await pilot.press("i", *"phone.vcf", "enter")
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
