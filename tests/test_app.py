"""The app driven as a user drives it: Pilot keys and clicks against a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.app_support import NOW, person_id, seed_repo, type_at_once
from tiecrm.store.repository import Repository
from tiecrm.ui.app import TieCrmApp
from tiecrm.ui.screens.board import BoardScreen
from tiecrm.ui.screens.help import HelpScreen
from tiecrm.ui.screens.importer import ImportScreen
from tiecrm.ui.screens.merge import MergeScreen
from tiecrm.ui.screens.people import PeopleScreen
from tiecrm.ui.screens.person import PersonScreen
from tiecrm.ui.screens.quick_add import QuickAddModal
from tiecrm.ui.screens.welcome import WelcomeScreen
from tiecrm.ui.widgets.people_list import PeopleList

SIZE = (140, 45)


def make_app(repo: Repository, **kwargs) -> TieCrmApp:
    return TieCrmApp(repo, now=lambda: NOW, **kwargs)


@pytest.fixture
def repo(tmp_path):
    repo = seed_repo(tmp_path / "app.db")
    yield repo
    repo.close()


def shown_names(app) -> list[str]:
    people_list = app.screen.query_one(PeopleList)
    return [p.name for p in people_list.people]


def highlighted_name(app) -> str | None:
    person = app.screen.query_one(PeopleList).highlighted_person
    return person.name if person else None


def details_text(app) -> str:
    return str(app.screen.query_one("#person-details").render())


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_first_run_shows_welcome_and_loads_the_demo(tmp_path):
    repo = Repository(tmp_path / "empty.db")
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, WelcomeScreen)
        text = str(app.screen.query_one("#welcome-text").source)
        for platform in ("iPhone", "Android", "Google"):
            assert platform in text
        await pilot.press("d")
        await settle(pilot)
        await pilot.pause(0.1)
        assert isinstance(app.screen, PeopleScreen)
        assert len(shown_names(app)) >= 40
        # The people screen was made under the welcome screen, with the first frame's stand-ins: it shows
        # the real header and footer.
        screenshot = app.export_screenshot()
        assert "Board" in screenshot and "tiecrm" in screenshot
    assert repo.count_people() >= 40
    repo.close()


async def test_welcome_import_key_opens_import(tmp_path):
    repo = Repository(tmp_path / "empty.db")
    async with make_app(repo).run_test(size=SIZE) as pilot:
        await pilot.press("i")
        assert isinstance(pilot.app.screen, ImportScreen)
    repo.close()


async def test_list_navigation_with_keys_updates_the_detail_pane(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        names = shown_names(app)
        assert len(names) == 6
        assert highlighted_name(app) == names[0]
        await pilot.press("j")
        assert highlighted_name(app) == names[1]
        assert names[1] in details_text(app)
        await pilot.press("down", "down")
        assert highlighted_name(app) == names[3]
        await pilot.press("k")
        assert highlighted_name(app) == names[2]
        await pilot.press("G")
        assert highlighted_name(app) == names[-1]
        await pilot.press("g")
        assert highlighted_name(app) == names[0]


async def test_search_as_you_type_enter_and_escape(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert app.focused.id == "search"
        await pilot.press(*"priay")  # a typo still finds her
        await pilot.pause()
        assert shown_names(app)[0] == "Priya Sharma"
        await pilot.press("enter")
        assert isinstance(app.focused, PeopleList)
        assert highlighted_name(app) == "Priya Sharma"
        await pilot.press("slash", *"brauhaus")
        await pilot.pause()
        assert shown_names(app)[0] == "Jürgen Müller"
        await pilot.press("escape")
        assert app.screen.query_one("#search").value == ""
        assert len(shown_names(app)) == 6
        assert isinstance(app.focused, PeopleList)


async def test_keys_typed_in_one_burst_after_slash_go_to_the_search_box(repo):
    """`/brauhaus` at once: `b` must not open the board, nor `r` the returns view."""
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_at_once(app, "brauhaus")
        await pilot.pause()
        assert isinstance(app.screen, PeopleScreen)
        assert app.screen.query_one("#search").value == "brauhaus"
        assert shown_names(app)[0] == "Jürgen Müller"
        await pilot.press("slash")  # in the box, `/` is text
        assert app.screen.query_one("#search").value == "brauhaus/"


async def test_a_burst_that_ends_in_no_match_leaves_no_earlier_person_in_the_pane(repo):
    """The list announces each new highlight by a message; one still queued when a later key finds nobody
    must not put its person back in the pane."""
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_at_once(app, "brauhaus zqxwv")
        await pilot.pause()
        await pilot.pause()
        assert shown_names(app) == []
        assert details_text(app) == "No match."


async def test_a_keystroke_shows_its_matches_before_the_box_is_redrawn(repo):
    """The list follows the box's text as it changes, not a message later: one frame draws both."""
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.screen.query_one("#search")
        search.value = "priya"
        assert shown_names(app) == ["Priya Sharma"]
        search.value = "brauhaus "
        assert shown_names(app)[0] == "Jürgen Müller"
        assert highlighted_name(app) == "Jürgen Müller"
        search.value = ""
        assert len(shown_names(app)) == 6


async def test_the_detail_pane_says_no_match_then_shows_the_best_match_again(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"qqxz")
        await pilot.pause()
        assert shown_names(app) == []
        assert details_text(app) == "No match."
        await pilot.press("backspace", *"zqq")
        await pilot.pause()
        assert details_text(app) == "No match."
        await pilot.press("escape")
        await pilot.pause()
        assert highlighted_name(app) in details_text(app)
        await pilot.press("slash", *"sam")
        await pilot.pause()
        assert "Sam Carter" in details_text(app)


async def test_a_search_wider_than_its_box_scrolls_to_its_end_and_back(repo):
    app = make_app(repo)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        text = "abcdefghijklmnopqrstuvwxyz0123456789" * 2
        await pilot.press("slash", *text)
        await pilot.pause()
        search = app.screen.query_one("#search")
        assert search.size.width < len(text)
        assert search.render_line(0).text.rstrip().endswith(text[-20:])
        assert search.scroll_x == len(text) + 1 - search.size.width
        await pilot.press(*["backspace"] * (len(text) - 10))
        await pilot.pause()
        assert search.scroll_x == 0
        assert search.render_line(0).text.rstrip() == text[:10]


async def test_search_matches_phones_and_notes(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"9845055")
        await pilot.pause()
        assert shown_names(app)[0] == "Priya Sharma"
        await pilot.press("escape", "slash", *"climbing")
        await pilot.pause()
        assert shown_names(app)[0] == "Sam Carter"


async def test_enter_opens_the_person_page_and_escape_returns(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"ada", "enter", "enter")
        assert isinstance(app.screen, PersonScreen)
        assert app.screen.person_id == person_id(repo, "Ada Lovelace")
        await pilot.press("escape")
        assert isinstance(app.screen, PeopleScreen)


async def test_bucket_filter_cycles(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")  # unsorted
        assert sorted(shown_names(app)) == ["Jürgen Müller", "Sam Okafor", "[bold red]Mallory[/]"]
        await pilot.press("right_square_bracket")  # inner circle
        assert shown_names(app) == ["Priya Sharma"]
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert len(shown_names(app)) == 6


async def test_quick_add_saves_and_updates_lists_at_once(repo):
    app = make_app(repo)
    priya = person_id(repo, "Priya Sharma")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"priya", "enter")
        await pilot.press("n")
        assert isinstance(app.screen, QuickAddModal)
        assert app.screen.query_one("#qa-person").value == "Priya Sharma"
        await pilot.press(*"45m coffee yesterday talked about her move")
        preview = str(app.screen.query_one("#qa-preview").render())
        assert "45 min" in preview and "coffee" in preview and "talked about her move" in preview
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PeopleScreen)
        assert "talked about her move" in details_text(app)
    latest = repo.get_person(priya).interactions[0]
    assert (latest.minutes, latest.kind, latest.note) == (45, "coffee", "talked about her move")
    assert latest.at.date() == (NOW - timedelta(days=1)).date()
    assert repo.get_summary(priya).minutes_invested == 45 + 90 + 45


async def test_quick_add_escape_cancels(repo):
    app = make_app(repo)
    before = repo.get_summary(person_id(repo, "Priya Sharma")).minutes_invested
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", *"30m call", "escape")
        assert isinstance(app.screen, PeopleScreen)
    assert repo.get_summary(person_id(repo, "Priya Sharma")).minutes_invested == before
    assert len([i for p in repo.list_people() for i in repo.get_person(p.id).interactions]) == 3


async def test_quick_add_person_is_changed_by_fuzzy_search(repo):
    app = make_app(repo)
    jurgen = person_id(repo, "Jürgen Müller")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.press("shift+tab")
        person_input = app.screen.query_one("#qa-person")
        assert app.focused is person_input
        person_input.value = ""
        await pilot.press(*"jurgen")
        await pilot.pause()
        await pilot.press("enter")
        assert app.screen.person_id == jurgen
        await pilot.press(*"1h lunch")
        await pilot.press("enter")
        await pilot.pause()
    assert [(i.minutes, i.kind) for i in repo.get_person(jurgen).interactions] == [(60, "lunch")]


async def test_quick_add_from_the_person_page(repo):
    app = make_app(repo)
    ada = person_id(repo, "Ada Lovelace")
    async with app.run_test(size=SIZE) as pilot:
        app.action_open_person(ada)
        await pilot.pause()
        await pilot.press("n", *"20m video", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        timeline = app.screen.query_one("#person-timeline")
        assert any("20 min" in timeline.render_line(y).text for y in range(timeline.size.height))
    assert repo.get_summary(ada).minutes_invested == 20


async def test_import_inside_the_app_shows_summary_and_merges(repo, tmp_path):
    export = tmp_path / "phone.vcf"
    export.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Priya S.\nTEL:098450 55501\nEMAIL:p.sharma@example.com\nEND:VCARD\n"
        "garbage that is not a card\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Jonathan Smyth\nTEL:+44 7700 900123\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Jon Smyth\nEMAIL:jon.smyth@example.net\nEND:VCARD\n",
        encoding="utf-8",
    )
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, ImportScreen)
        await pilot.press(*str(export), "enter")
        await settle(pilot)
        status = str(app.screen.query_one("#import-status").render())
        assert "2 added" in status and "1 updated" in status and "1 skipped" in status
        assert "1 possible duplicates" in status
        report = str(app.screen.query_one("#import-report").render())
        assert f"{export}:7:" in report
        await pilot.press("m")
        assert isinstance(app.screen, MergeScreen)
        pair = app.screen.pair
        assert {pair.a.name, pair.b.name} == {"Jonathan Smyth", "Jon Smyth"}
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.pair is None
    people = {p.name: p for p in repo.list_people()}
    assert len(people) == 7
    smyth = people.get("Jonathan Smyth") or people.get("Jon Smyth")
    assert smyth.phones == ("+44 7700 900123",) and smyth.emails == ("jon.smyth@example.net",)
    priya = people["Priya Sharma"]
    assert priya.phones == ("+91 98450 55501",)
    assert set(priya.emails) == {"priya@example.com", "p.sharma@example.com"}


async def test_not_the_same_person_is_remembered(repo, tmp_path):
    export = tmp_path / "more.vcf"
    export.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Sam Carterr\nTEL:+1 555 7777\nEND:VCARD\n")
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", *str(export), "enter")
        await settle(pilot)
        await pilot.press("m")
        assert app.screen.pair is not None
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.pair is None
    assert repo.possible_duplicates() == []
    assert repo.count_people() == 7


async def test_import_of_unreadable_path_says_so(repo, tmp_path):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", *str(tmp_path / "nope.vcf"), "enter")
        await settle(pilot)
        assert "nope.vcf" in str(app.screen.query_one("#import-status").render())


async def test_import_path_completion(repo, tmp_path):
    (tmp_path / "contacts-2026.vcf").write_text("")
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", *str(tmp_path / "contacts-"))
        await pilot.pause(0.2)
        await pilot.press("tab")
        assert app.screen.query_one("#import-path").value == str(tmp_path / "contacts-2026.vcf")


async def test_command_palette_runs_actions_and_goes_to_people(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"board")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"okafor")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert app.screen.person_id == person_id(repo, "Sam Okafor")


async def test_help_lists_keys_with_their_ids(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for binding_id in ("app.quick_add", "app.import", "app.board", "people.search"):
            assert binding_id in text
        await pilot.press("escape")
        assert isinstance(app.screen, PeopleScreen)


async def test_board_key_opens_the_board(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        assert isinstance(app.screen, BoardScreen)


async def test_keymap_file_remaps_a_binding(repo, tmp_path):
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('[keymap]\n"app.quick_add" = "a"\n"people.search" = "s"\n')
    app = make_app(repo, keymap_file=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, PeopleScreen)
        await pilot.press("a")
        assert isinstance(app.screen, QuickAddModal)
        await pilot.press("escape", "s")
        assert app.focused.id == "search"


async def test_q_quits(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_clicking_a_row_highlights_it(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        names = shown_names(app)
        people_list = app.screen.query_one(PeopleList)
        # The list has a one-cell border: content row 2 is at y=3.
        await pilot.click(people_list, offset=(5, 3))
        await pilot.pause()
        assert highlighted_name(app) == names[2]


async def test_markup_in_names_is_shown_literally(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"mallory", "enter")
        assert "[bold red]Mallory[/]" in details_text(app)
        people_list = app.screen.query_one(PeopleList)
        lines = [people_list.render_line(y).text for y in range(people_list.size.height)]
        assert any("[bold red]Mallory[/]" in line for line in lines)


async def test_app_opens_on_the_whole_real_corpus(corpus, tmp_path):
    from tiecrm.importing import import_paths

    repo = Repository(tmp_path / "corpus.db", now=lambda: NOW)
    report = import_paths(repo, [corpus])
    assert report.summary.added > 100
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(shown_names(app)) == repo.count_people()
        await pilot.press("G", "g", "j", "j")
        await pilot.press("slash", *"doe", "enter", "enter")
        assert isinstance(app.screen, PersonScreen)
    repo.close()


async def test_a_long_list_shows_its_first_page_then_everyone(repo, monkeypatch):
    """Past the first page, the rest is read in a worker; the cursor stays on its person after a refresh."""
    import gc

    import tiecrm.ui.screens.people as people_screen

    monkeypatch.setattr(people_screen, "FIRST_PAGE", 2)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        frozen = gc.get_freeze_count()
        await settle(pilot)
        assert shown_names(app) == [p.name for p in repo.list_people()]
        # The long list and its index are kept out of the garbage collector's full collections.
        assert gc.get_freeze_count() > frozen
        assert "6 people" in str(app.screen.query_one("#bucket-filter").render())
        await pilot.press("G")
        last = highlighted_name(app)
        app.data_changed()
        await settle(pilot)
        assert highlighted_name(app) == last
        assert len(shown_names(app)) == 6


async def test_the_footer_is_built_once_at_start_up_and_again_when_its_keys_change(repo, monkeypatch):
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    from tiecrm.ui.widgets.settled_footer import SettledFooter

    builds: list[int] = []
    recompose = Footer.recompose

    async def counted(self):
        builds.append(1)
        await recompose(self)

    monkeypatch.setattr(SettledFooter, "recompose", counted)
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        assert len(builds) == 1
        assert "Board" in [key.description for key in footer.query(FooterKey)]
        # The same keys again: nothing rebuilt.
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert len(builds) == 1
        # A key remapped: the footer shows the new one.
        app.set_keymap({"app.board": "ctrl+b"})
        await pilot.pause()
        await pilot.pause()
        assert len(builds) == 2
        keys = {key.description: key.key for key in footer.query(FooterKey)}
        assert keys["Board"] == "ctrl+b"
        # Moving the focus to the search box changes the keys shown (the list's Open is gone).
        await pilot.press("slash")
        await pilot.pause()
        await pilot.pause()
        assert "Open" not in [key.description for key in footer.query(FooterKey)]


async def test_a_collector_hold_given_to_the_app_ends_after_its_first_frame(repo):
    import gc

    from tiecrm.collector import CollectorHold

    assert gc.isenabled()
    hold = CollectorHold()
    hold.hold()
    app = make_app(repo, collector_hold=hold)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert not hold.held and gc.isenabled()
    finally:
        hold.release()
    assert gc.isenabled()


async def test_the_first_frame_with_people_is_stamped_when_asked(repo, tmp_path, monkeypatch):
    import time

    from tiecrm.ui.screens.people import FIRST_FRAME_ENV

    stamp = tmp_path / "stamp"
    monkeypatch.setenv(FIRST_FRAME_ENV, str(stamp))
    start = time.time()
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.first_frame_done
        assert start <= float(stamp.read_text()) <= time.time()


def test_run_app_turns_the_collector_back_on_when_the_database_cannot_be_opened(tmp_path, capsys):
    import gc

    from tiecrm.ui.launch import run_app

    folder = tmp_path / "not-a-database"
    folder.mkdir()
    assert gc.isenabled()
    assert run_app(folder) == 1
    assert "cannot open database" in capsys.readouterr().err
    assert gc.isenabled()


async def test_the_app_on_the_repository_it_opens_reads_searches_and_writes(repo, tmp_path):
    # run_app opens the store with Repository.reading_first: plain reads first, peewee on first need.
    path = repo.path
    repo.close()
    opened = Repository.reading_first(path, now=lambda: NOW)
    app = make_app(opened)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert len(shown_names(app)) == 6
            await pilot.press("slash", *"priya", "enter", "n", *"20m call checked in", "enter")
            await pilot.pause()
            await settle(pilot)
            assert "checked in" in details_text(app)
        priya = person_id(opened, "Priya Sharma")
        assert opened.get_person(priya).interactions[0].note == "checked in"
    finally:
        opened.close()


async def test_a_broken_settings_file_is_reported_once_the_app_is_up(repo, tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text("[cadence]\ninner = -3\n")
    monkeypatch.setenv("TIECRM_CONFIG_DIR", str(config))
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("inner must be a positive number; using 14" in m for m in messages), messages
        assert app.settings.cadence.inner == 14


def test_opening_the_app_loads_neither_peewee_nor_the_domains_details():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import tiecrm.cli, tiecrm.ui.launch, tiecrm.ui.app, tiecrm.ui.screens.people, tiecrm.store.repository\n"
        "loaded = [m for m in ('peewee', 'tiecrm.domain_details') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.parametrize("width", [140, 81, 40, 24])
@pytest.mark.parametrize("suffix", ["", "demo", "a title far too long to fit between the icon and the clock"])
async def test_the_first_frames_header_is_the_header_drawn_by_one_widget(width, suffix):
    from textual.widgets import Header

    from tiecrm.ui.screens.people import HeaderStandIn

    lines = []
    for widget in (Header(), HeaderStandIn()):
        app = _alone(widget, title=f"tiecrm · {suffix}" if suffix else "")
        async with app.run_test(size=(width, 3)) as pilot:
            await pilot.pause()
            await pilot.pause()
            lines.append(_cells(app.screen._compositor.render_strips()[0]))
    assert lines[0] == lines[1]


def _alone(widget, title: str = "", app_css: bool = False, command_palette: bool = True):
    """An app showing `widget` alone (with tiecrm's stylesheet when `app_css`), to compare how two widgets
    that should look the same draw."""
    from pathlib import Path

    from textual.app import App

    import tiecrm.ui.app

    class Alone(App[None]):
        CSS_PATH = Path(tiecrm.ui.app.__file__).parent / TieCrmApp.CSS_PATH if app_css else None
        ENABLE_COMMAND_PALETTE = command_palette

        def compose(self):
            yield widget

    app = Alone()
    if title:
        app.title = title
    return app


def _cells(strip) -> list[tuple]:
    """What a line shows, cell by cell: the character, its background, and the colour and attributes of
    anything but a space (where they show nothing), whatever the segments it was drawn in."""
    cells = []
    for segment in strip:
        style = segment.style
        for char in segment.text:
            shown = None if char == " " else (style.color, style.bold, style.dim, style.italic, style.reverse)
            cells.append((char, style.bgcolor, shown))
    return cells


async def test_the_first_frame_has_stand_ins_and_the_settled_screen_the_header_and_footer(repo):
    from textual.widgets import Footer, Header

    from tiecrm.ui.screens.people import FooterStandIn, HeaderStandIn, PaneStandIn

    app = make_app(repo)
    seen_at_first: list[tuple[int, int]] = []
    original = PeopleScreen.first_frame_drawn

    def first_frame_drawn(screen):
        stand_ins = (HeaderStandIn, PaneStandIn, FooterStandIn)
        seen_at_first.append(tuple(len(screen.query(stand_in)) for stand_in in stand_ins))
        original(screen)

    PeopleScreen.first_frame_drawn = first_frame_drawn
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert seen_at_first == [(1, 1, 1)]
            assert not screen.query(HeaderStandIn) and not screen.query(FooterStandIn)
            assert not screen.query(PaneStandIn)
            assert len(screen.query(Header)) == len(screen.query(Footer)) == 1
            assert "Board" in str(app.export_screenshot())
            # The details of the person under the cursor, drawn once the pane is there.
            assert app.screen.query_one(PeopleList).highlighted_person.name in details_text(app)
    finally:
        PeopleScreen.first_frame_drawn = original


async def test_the_first_frames_footer_is_the_footer_with_no_keys_yet():
    from textual.widgets import Footer

    from tiecrm.ui.screens.people import FooterStandIn

    lines = []
    for widget in (Footer(), FooterStandIn()):
        app = _alone(widget, command_palette=False)
        async with app.run_test(size=(80, 3)) as pilot:
            await pilot.pause()
            lines.append(_cells(app.screen._compositor.render_strips()[-1]))
    assert lines[0] == lines[1]
    assert {cell[1] for cell in lines[0]} != {None}  # the footer's own background, not the screen's


async def test_quitting_with_the_first_frame_leaves_no_error(repo):
    from pathlib import Path

    import tiecrm.ui.app

    class QuitAtOnce(TieCrmApp):
        CSS_PATH = Path(tiecrm.ui.app.__file__).parent / TieCrmApp.CSS_PATH

        def on_ready(self) -> None:
            super().on_ready()
            self.exit()

    app = QuitAtOnce(repo, now=lambda: NOW)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.return_code == 0


async def test_the_people_screens_blank_containers_draw_what_their_styles_would(repo):
    from textual.geometry import Region

    from tiecrm.ui.screens.people import BlankColumn

    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        containers = [app.screen, *app.screen.query(BlankColumn)]
        assert len(containers) == 2 and app.screen.BLANK
        for container in containers:
            whole = Region(0, 0, *container.size)
            blank = container.render_lines(whole)
            styled = container._styles_cache.render_widget(container, whole)
            assert [_cells(line) for line in blank] == [_cells(line) for line in styled]


@pytest.mark.parametrize("width", [140, 80])
async def test_the_first_frames_detail_pane_is_the_empty_pane(width):
    from textual.containers import VerticalScroll
    from textual.widgets import Static

    from tiecrm.ui.screens.people import PaneStandIn

    screens = []
    for widget in (VerticalScroll(Static(id="person-details"), id="person-pane"), PaneStandIn(id="person-pane")):
        app = _alone(widget, app_css=True)
        async with app.run_test(size=(width, 12)) as pilot:
            await pilot.pause()
            screens.append([_cells(line) for line in app.screen._compositor.render_strips()])
    assert screens[0] == screens[1]
    assert "╭" in [cell[0] for cell in screens[0][0]]  # the pane's border, drawn by both


async def test_the_stand_in_pane_draws_any_part_of_itself_as_its_styles_would():
    from textual.geometry import Region

    from tiecrm.ui.screens.people import PaneStandIn

    app = _alone(PaneStandIn(id="person-pane"), app_css=True)
    async with app.run_test(size=(90, 20)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(PaneStandIn)
        width, height = pane.outer_size
        assert height == 20
        for crop in (Region(0, 0, width, height), Region(0, 5, width, 3), Region(3, height - 2, 10, 2)):
            drawn = pane.render_lines(crop)
            styled = pane._styles_cache.render_widget(pane, crop)
            assert [_cells(line) for line in drawn] == [_cells(line) for line in styled], crop


@pytest.mark.parametrize(("keys", "stack"), [
    # A view opened again from a view opened over it comes back up, with what was over it closed.
    (["b", "c", "b"], ["PeopleScreen", "BoardScreen"]),
    (["c", "r", "c"], ["PeopleScreen", "DueScreen"]),
    (["m", "c", "m"], ["PeopleScreen", "MergeScreen"]),
    (["b", "c", "r", "b"], ["PeopleScreen", "BoardScreen"]),
    # A person's page opened from the due view, over another person's page, is a page of its own.
    (["enter", "c", "enter"], ["PeopleScreen", "PersonScreen", "DueScreen", "PersonScreen"]),
])
async def test_a_view_opened_again_from_over_it_comes_back_up(tmp_path, keys, stack):
    repo = seed_repo(tmp_path / "t.db")
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        assert [type(screen).__name__ for screen in app.screen_stack] == stack
        await pilot.press("escape")
        await settle(pilot)
        assert len(app.screen_stack) == len(stack) - 1
    repo.close()
