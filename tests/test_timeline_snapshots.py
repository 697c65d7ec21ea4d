"""Snapshots of the person page, the due view and the returns view on a fixed clock and a fixed seed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.app_support import NOW, person_id, seed_repo
from tiecrm.config import Settings
from tiecrm.domain import Bucket
from tiecrm.ui.app import TieCrmApp
from tiecrm.vcard.reader import read_vcard_bytes


@pytest.fixture
def app(tmp_path):
    repo = seed_repo(tmp_path / "snap.db")
    priya = person_id(repo, "Priya Sharma")
    # Some history, so the chart has bars in several weeks and months.
    history = [(10, 30, "call", "her sister's wedding"), (45, 60, "walk", "hiking plans"),
               (80, 120, "lunch", ""), (150, 45, "coffee", "")]
    for days, minutes, kind, note in history:
        repo.log_interaction(priya, minutes, kind=kind, note=note, at=NOW - timedelta(days=days))
    repo.log_interaction(person_id(repo, "Ada Lovelace"), 200, kind="dinner", at=NOW - timedelta(days=6))
    repo.move(person_id(repo, "Jürgen Müller"), Bucket.INNER)  # never contacted: due, and a drift hint
    cards = read_vcard_bytes(b"BEGIN:VCARD\nVERSION:3.0\nFN:Noor Rahman\nBDAY:--1125\nEND:VCARD\n", "b.vcf")
    repo.import_drafts(cards.drafts, cards.problems, source="b.vcf")
    app = TieCrmApp(repo, now=lambda: NOW, settings=Settings())
    yield app
    repo.close()


def open_person(name: str, *keys: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.clear_notifications()
        pilot.app.action_open_person(person_id(pilot.app.repo, name))
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before


def screen(key: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.press(key)
        await pilot.pause()

    return run_before


def test_person_page_at_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_person("Priya Sharma"))


def test_person_page_months(snap_compare, app):
    assert snap_compare(app, terminal_size=(100, 30), run_before=open_person("Priya Sharma", "t", "j"))


def test_due_view(snap_compare, app):
    assert snap_compare(app, terminal_size=(100, 30), run_before=screen("c"))


def test_returns_view(snap_compare, app):
    assert snap_compare(app, terminal_size=(100, 30), run_before=screen("r"))
