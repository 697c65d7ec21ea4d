"""The `tiecrm` shell commands, run in-process on real SQLite files and real vCard text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tiecrm.cli import main

ANDROID = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Sharma;Priya;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Priya Sharma\r\n"
    "TEL;CELL:098450 55501\r\n"
    "EMAIL;HOME:priya@example.com\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\n"
    "TEL;HOME;VOICE:+49 30 1234567\r\n"
    "ORG:Brauhaus\r\n"
    "END:VCARD\r\n"
)
IPHONE = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Sharma;Priya;;;\r\n"
    "FN:Priya Sharma\r\n"
    "item1.TEL;type=pref:+91 98450 55501\r\n"
    "item1.X-ABLabel:_$!<Mobile>!$_\r\n"
    "BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-09\r\n"
    "NOTE:Met at the conference\\, Bangalore\r\n"
    "UID:ios-priya-1\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:Doe\\, John\r\n"
    "EMAIL;type=INTERNET:john@example.org\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:[bold red]Mallory[/] \x1b[31m\r\n"
    "TEL:555 0100\r\n"
    "END:VCARD\r\n"
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def book(tmp_path) -> tuple[Path, Path]:
    android = tmp_path / "android.vcf"
    android.write_bytes(ANDROID.encode("utf-8"))
    iphone = tmp_path / "iphone.vcf"
    iphone.write_bytes(IPHONE.encode("utf-8"))
    return android, iphone


@pytest.fixture
def loaded(capsys, db_path, book) -> Path:
    code, out, err = run(capsys, "--db", str(db_path), "import", *map(str, book))
    assert code == 0, err
    return db_path


def list_json(capsys, db: Path, *args: str) -> list[dict]:
    code, out, err = run(capsys, "--db", str(db), "list", "--json", *args)
    assert code == 0, err
    return json.loads(out)


def test_import_merges_two_devices_and_reimport_adds_nobody(capsys, db_path, book):
    code, out, err = run(capsys, "--db", str(db_path), "import", *map(str, book))
    assert code == 0
    assert "added 4" in out and "updated 1" in out
    people = list_json(capsys, db_path)
    priya = [p for p in people if p["name"] == "Priya Sharma"]
    assert len(priya) == 1
    # The two spellings are one number: kept once, not twice (both cards' text is still stored).
    assert len(priya[0]["phones"]) == 1 and priya[0]["phones"][0] in ("+91 98450 55501", "098450 55501")
    assert priya[0]["birthday"] == "--05-09"
    assert priya[0]["note"] == "Met at the conference, Bangalore"
    assert {p["name"] for p in people} == {"Priya Sharma", "Jürgen Müller", "Doe, John", "[bold red]Mallory[/] \x1b[31m"}

    code, out, err = run(capsys, "--db", str(db_path), "import", *map(str, book))
    assert code == 0
    assert "added 0" in out
    assert len(list_json(capsys, db_path)) == 4


def test_list_json_has_the_documented_fields(capsys, loaded):
    people = list_json(capsys, loaded)
    for person in people:
        assert {"id", "name", "bucket", "phones", "emails", "org", "birthday", "note",
                "minutes_invested", "last_interaction"} <= set(person)
        assert person["bucket"] == "unsorted"
        assert person["last_interaction"] is None


def test_list_query_is_fuzzy_and_ranked(capsys, loaded):
    names = [p["name"] for p in list_json(capsys, loaded, "jurgen")]
    assert names[0] == "Jürgen Müller"
    names = [p["name"] for p in list_json(capsys, loaded, "priay")]
    assert names[0] == "Priya Sharma"
    assert [p["name"] for p in list_json(capsys, loaded, "brauhaus")][0] == "Jürgen Müller"


def test_move_log_show_and_due(capsys, loaded):
    assert run(capsys, "--db", str(loaded), "move", "priya", "inner")[0] == 0
    code, out, err = run(capsys, "--db", str(loaded), "log", "priya", "45m", "--kind", "coffee",
                         "--at", "20 days ago", "talked", "about", "her", "new", "job")
    assert code == 0, err
    assert run(capsys, "--db", str(loaded), "log", "Priya Sharma", "1h30", "--at", "30 days ago")[0] == 0
    code, out, err = run(capsys, "--db", str(loaded), "show", "priya", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["bucket"] == "inner"
    assert shown["minutes_invested"] == 135
    assert [i["minutes"] for i in shown["interactions"]] == [45, 90]
    assert shown["interactions"][0]["kind"] == "coffee"
    assert shown["interactions"][0]["note"] == "talked about her new job"
    assert [(m["from"], m["to"]) for m in shown["moves"]] == [("unsorted", "inner")]

    code, out, err = run(capsys, "--db", str(loaded), "due", "--json")
    due = json.loads(out)
    assert [d["name"] for d in due] == ["Priya Sharma"]
    assert due[0]["days_since"] == 20

    run(capsys, "--db", str(loaded), "log", "priya", "15m", "--at", "yesterday")
    code, out, err = run(capsys, "--db", str(loaded), "due", "--json")
    assert json.loads(out) == []


@pytest.mark.parametrize(("duration", "minutes"), [("45m", 45), ("1h30", 90), ("1.5h", 90), ("90", 90)])
def test_log_durations(capsys, loaded, duration, minutes):
    assert run(capsys, "--db", str(loaded), "log", "jurgen", duration)[0] == 0
    shown = json.loads(run(capsys, "--db", str(loaded), "show", "jurgen", "--json")[1])
    assert shown["minutes_invested"] == minutes


def test_ambiguous_person_lists_candidates_and_changes_nothing(capsys, db_path, tmp_path):
    card = "BEGIN:VCARD\nVERSION:3.0\nFN:{}\nTEL:{}\nEND:VCARD\n"
    f = tmp_path / "sams.vcf"
    f.write_text(card.format("Sam Carter", "555 0101") + card.format("Sam Okafor", "555 0102"))
    run(capsys, "--db", str(db_path), "import", str(f))
    code, out, err = run(capsys, "--db", str(db_path), "move", "sam", "inner")
    assert code == 1
    assert "Sam Carter" in err and "Sam Okafor" in err
    assert all(p["bucket"] == "unsorted" for p in list_json(capsys, db_path))


def test_names_are_printed_literally_with_controls_visible(capsys, loaded):
    code, out, err = run(capsys, "--db", str(loaded), "list")
    assert "[bold red]Mallory[/] \\x1b[31m" in out
    assert "\x1b" not in out


def test_broken_card_is_reported_with_its_line_and_the_rest_imports(capsys, db_path, tmp_path):
    f = tmp_path / "broken.vcf"
    f.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Before\nEND:VCARD\n"
        "this line is garbage\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Bea After\nEND:VCARD\n"
    )
    code, out, err = run(capsys, "--db", str(db_path), "import", str(f))
    assert code == 0
    assert f"{f}:5:" in err
    assert sorted(p["name"] for p in list_json(capsys, db_path)) == ["Ann Before", "Bea After"]


def test_unreadable_path_is_one_clear_line(capsys, db_path, tmp_path):
    code, out, err = run(capsys, "--db", str(db_path), "import", str(tmp_path / "nope.vcf"))
    assert code != 0
    assert err.count("\n") == 1 and "nope.vcf" in err and "Traceback" not in err


def test_export_then_import_into_empty_database_round_trips(capsys, loaded, tmp_path):
    run(capsys, "--db", str(loaded), "move", "jurgen", "nurture")
    out_file = tmp_path / "export.vcf"
    for version in ("3.0", "4.0"):
        assert run(capsys, "--db", str(loaded), "export", "-o", str(out_file), "--vcard-version", version)[0] == 0
        fresh = tmp_path / f"fresh-{version}.db"
        assert run(capsys, "--db", str(fresh), "import", str(out_file))[0] == 0

        def key(p):
            return (p["name"], sorted(p["phones"]), sorted(e.lower() for e in p["emails"]), p["birthday"], p["note"], p["bucket"])

        assert sorted(map(key, list_json(capsys, fresh))) == sorted(map(key, list_json(capsys, loaded)))


def test_export_one_bucket(capsys, loaded):
    run(capsys, "--db", str(loaded), "move", "jurgen", "vanity")
    code, out, err = run(capsys, "--db", str(loaded), "export", "--bucket", "vanity")
    assert out.count("BEGIN:VCARD") == 1 and "Müller" in out


def test_db_path_from_environment_and_flag(capsys, tmp_path, monkeypatch, book):
    env_db = tmp_path / "env.db"
    monkeypatch.setenv("TIECRM_DB", str(env_db))
    run(capsys, "import", str(book[0]))
    assert env_db.exists()
    flag_db = tmp_path / "flag.db"
    run(capsys, "--db", str(flag_db), "import", str(book[1]))
    assert len(list_json(capsys, flag_db)) == 3
    assert len(list_json(capsys, env_db)) == 2


def test_console_script_runs_and_exits_cleanly(tmp_path):
    """The installed entry point, as a user runs it: bad path -> non-zero, one line, no traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "tiecrm", "--db", str(tmp_path / "x.db"), "import", str(tmp_path / "missing")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0


def test_core_modules_do_not_import_textual():
    """Domain, store, importer and CLI commands stay headless: the UI cannot leak into them."""
    code = (
        "import sys; import tiecrm.cli, tiecrm.importing, tiecrm.store.repository, tiecrm.vcard.reader, "
        "tiecrm.vcard.write, tiecrm.search, tiecrm.logparse, tiecrm.demo; "
        "assert 'textual' not in sys.modules, 'textual imported by the core'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.parametrize(
    ("argv", "opened"),
    [([], "default.db"), (["--db", "flag.db"], "flag.db"), (["--db=flag.db"], "flag.db"), (["--db", ""], "default.db")],
)
def test_without_a_command_the_app_opens_on_the_chosen_database(argv, opened, tmp_path, monkeypatch):
    import tiecrm.ui.launch

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TIECRM_DB", str(tmp_path / "default.db"))
    started = []
    monkeypatch.setattr(tiecrm.ui.launch, "run_app", lambda path: started.append(path) or 0)
    assert main(argv) == 0
    assert [path.name for path in started] == [opened]


def test_opening_the_app_builds_no_command_parser(tmp_path):
    """`tiecrm` and `tiecrm --db PATH` go straight to the app; argparse is left for the commands."""
    code = (
        "import sys, tiecrm.ui.launch\n"
        "tiecrm.ui.launch.run_app = lambda path: 0\n"
        "from tiecrm.cli import main\n"
        f"assert main(['--db', {str(tmp_path / 'x.db')!r}]) == 0\n"
        "assert 'argparse' not in sys.modules\n"
        f"assert main(['--db', {str(tmp_path / 'x.db')!r}, 'list', 'priya', '--json']) == 0\n"
        "assert 'argparse' not in sys.modules\n"  # a plain `list` is read without the parser too
        f"assert main(['--db', {str(tmp_path / 'x.db')!r}, 'list', '--js']) == 0\n"
        "assert 'argparse' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.parametrize("argv", [
    ["list"], ["list", "priya"], ["--db", "x.db", "list", "+49 30"], ["list", "--json", "priya sharma"],
    ["list", "--bucket", "inner", "priya"], ["list", "pri", "--bucket", "Inner Circle", "--json"],
    ["list", ""], ["list", " -x"], ["--db", "", "list"], ["--db", "list", "list", "--json", "--json"],
])
def test_plain_list_arguments_are_read_as_the_parser_reads_them(argv):
    from tiecrm.cli import _plain_list_arguments, build_parser

    assert vars(_plain_list_arguments(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [
    [], ["show", "priya"], ["--db=x.db", "list"], ["list", "--js"], ["list", "a", "b"], ["list", "-"],
    ["list", "--bucket"], ["list", "--bucket", "nowhere"], ["list", "--bucket", "inner", "--bucket", "vanity"],
    ["list", "-h"], ["--db", "-x", "list"], ["list", "--", "-x"], ["list", "--bucket=inner"],
])
def test_other_list_arguments_are_left_to_the_parser(argv):
    from tiecrm.cli import _plain_list_arguments

    assert _plain_list_arguments(argv) is None


def test_a_bad_bucket_for_list_is_still_a_usage_error(capsys, loaded):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(loaded), "list", "priya", "--bucket", "nowhere"])
    assert exit_.value.code == 2
    assert "unknown bucket 'nowhere'" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["list"], ["list", "priya"], ["due"]])
def test_a_file_that_is_not_a_database_is_one_clear_line(command, capsys, tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    code, out, err = run(capsys, "--db", str(path), *command)
    assert (code, out) == (1, "")
    assert err == f"tiecrm: cannot open database {path}: file is not a database\n"
