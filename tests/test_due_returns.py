"""The due and returns views driven with Pilot, the launch notice, and `tiecrm due` in the shell."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.app_support import NOW, person_id, seed_repo
from tiecrm import cli
from tiecrm.domain import Bucket
from tiecrm.ui.app import TieCrmApp
from tiecrm.ui.screens.due import DueScreen
from tiecrm.ui.screens.person import PersonScreen
from tiecrm.ui.screens.returns import ReturnsScreen
from tiecrm.ui.widgets.row_list import RowList
from tiecrm.vcard.reader import read_vcard_bytes

SIZE = (120, 40)

BIRTHDAY_CARDS = """\
BEGIN:VCARD
VERSION:3.0
FN:Noor Rahman
BDAY:--1125
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Björn Lindqvist
BDAY:19861203
END:VCARD
"""


@pytest.fixture
def repo(tmp_path):
    repo = seed_repo(tmp_path / "due.db")
    result = read_vcard_bytes(BIRTHDAY_CARDS.encode("utf-8"), "birthdays.vcf")
    repo.import_drafts(result.drafts, result.problems, source="birthdays.vcf")
    yield repo
    repo.close()


def rows(app) -> list[str]:
    return app.screen.query_one(RowList).row_texts()


async def test_launch_says_how_many_are_going_cold(repo):
    app = TieCrmApp(repo, now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "1 person is going cold. Press c to see who." in messages


async def test_due_lists_who_is_going_cold_with_a_hook_and_birthdays(repo):
    app = TieCrmApp(repo, now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, DueScreen)
        shown = rows(app)
        cold = [r for r in shown if "Sam Carter" in r]
        assert len(cold) == 1 and "50 days ago" in cold[0] and "“route setting”" in cold[0]
        assert not any("Priya" in r for r in shown)  # seen 3 days ago, warm
        birthdays = shown[shown.index(next(r for r in shown if r.startswith("Birthdays"))) + 1:]
        # Noor on 25 November (year-less: no age), Björn on 3 December turning 40; Ada (10 December) is
        # too far.
        assert [("Noor" in r, "Björn" in r) for r in birthdays] == [(True, False), (False, True)]
        assert "in 5 days" in birthdays[0] and "turns" not in birthdays[0]
        assert "turns 40" in birthdays[1]
        assert "1 person is going cold" in str(app.screen.query_one("#due-summary").render())


async def test_due_opens_the_person_and_logging_time_warms_them_up(repo):
    app = TieCrmApp(repo, now=lambda: NOW)
    sam = person_id(repo, "Sam Carter")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.current_person_id() == sam  # the cursor skips the heading
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen) and app.screen.person_id == sam
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n", *"1h climbing", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DueScreen)
        assert not any("Sam Carter" in r for r in rows(app))
        assert "0 people are going cold" in str(app.screen.query_one("#due-summary").render())
    assert repo.get_summary(sam).minutes_invested == 90


async def test_returns_shows_buckets_ratio_and_offers_the_move(repo):
    ada = person_id(repo, "Ada Lovelace")  # vanity
    repo.log_interaction(ada, 200, kind="dinner", note="too long", at=NOW - timedelta(days=4))
    app = TieCrmApp(repo, now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReturnsScreen)
        table = str(app.screen.query_one("#returns-table").render())
        assert "8 contacts; 3 got any of your time in the last 90 days" in table
        inner_line = next(line for line in table.splitlines() if line.startswith("Inner circle"))
        # 1 person, reached; 2 h 15 of the 6 h 05 invested in 90 days (Sam 30 min, Ada 3 h 20).
        assert inner_line.split() == ["Inner", "circle", "1", "1", "2", "h", "15", "37%"]
        assert "top Priya Sharma 2 h 15" in table
        hints = rows(app)
        assert len(hints) == 1
        assert "Inner circle" in hints[0] and "Ada Lovelace" in hints[0]
        assert "more than inner-circle Priya Sharma" in hints[0]
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen) and app.screen.person_id == ada
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert repo.get_summary(ada).bucket == Bucket.INNER
        assert rows(app) == []
        assert "No drift" in app.screen.query_one(RowList)._empty


async def test_quiet_inner_circle_hint_moves_to_nurture(repo):
    priya = person_id(repo, "Priya Sharma")
    for interaction in repo.get_person(priya).interactions:
        repo.delete_interaction(interaction.id)
    app = TieCrmApp(repo, now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        hints = rows(app)
        # Sam (nurture, 30 min) now beats Priya's nothing; and Priya has not been seen at all.
        assert len(hints) == 2 and "Sam Carter" in hints[0]
        assert "more than inner-circle Priya Sharma (—)" in hints[0]
        assert hints[1].split() == [
            "→", "Nurture", "Priya", "Sharma", "(inner", "circle)", "never", "contacted"]
        await pilot.press("j", "enter")
        await pilot.pause()
    assert repo.get_summary(priya).bucket == Bucket.NURTURE


def run_cli(capsys, *args) -> tuple[int, str]:
    code = cli.main(list(args))
    return code, capsys.readouterr().out


def test_cli_due_lines_carry_the_hook_and_birthdays_follow(repo, capsys, monkeypatch):
    monkeypatch.setattr(cli, "_now", lambda: NOW)
    code, out = run_cli(capsys, "--db", str(repo.path), "due")
    assert code == 0
    lines = out.splitlines()
    sam = person_id(repo, "Sam Carter")
    assert lines[0].split() == [str(sam), "nurture", "50", "days", "Sam", "Carter", "—", "route", "setting"]
    assert lines[2] == "birthdays in the next 14 days:"
    assert "Noor Rahman" in lines[3] and "in 5 days" in lines[3]
    assert "Björn Lindqvist, turns 40" in lines[4]


def test_cli_due_json_adds_the_last_note(repo, capsys, monkeypatch):
    monkeypatch.setattr(cli, "_now", lambda: NOW)
    code, out = run_cli(capsys, "--db", str(repo.path), "due", "--json")
    assert code == 0
    data = json.loads(out)
    shown = [(d["name"], d["days_since"], d["last_note"]) for d in data]
    assert shown == [("Sam Carter", 50, "route setting")]
    assert {"id", "bucket", "phones", "emails", "minutes_invested", "last_interaction"} <= set(data[0])


def test_cli_due_reads_cadence_from_the_config_file(repo, capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "_now", lambda: NOW)
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text("[cadence]\ninner = 2\nnurture = 0\n", encoding="utf-8")
    monkeypatch.setenv("TIECRM_CONFIG_DIR", str(config))
    data = json.loads(run_cli(capsys, "--db", str(repo.path), "due", "--json")[1])
    assert [(d["name"], d["reason"]) for d in data] == [("Priya Sharma", "overdue")]


def test_readme_example_config_is_read_whole(tmp_path):
    from pathlib import Path

    from tiecrm.config import load_settings

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("### The config file", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "config.toml").write_text(example, encoding="utf-8")
    settings = load_settings(tmp_path / "config.toml")
    assert settings.problems == ()
    assert (settings.cadence.inner, settings.cadence.nurture, settings.half_life_days) == (10, 60, 90.0)
    assert (settings.warmth_floor.inner, settings.warmth_floor.nurture) == (60.0, None)
    assert (settings.guides.inner, settings.guides.nurture) == (12, 40)
