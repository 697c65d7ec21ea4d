"""The `tiecrm` console script: parse arguments, call the core, print plain text or --json."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from tiecrm import textsafe
from tiecrm.domain import Bucket, PersonSummary

if TYPE_CHECKING:  # the timeline module is only needed by the commands that print one
    import argparse

    from tiecrm.timeline import ColdEntry

EXIT_USAGE = 2


class CliError(Exception):
    """A failure the user can fix: printed as one line, exit code 1 (or `code`)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    import argparse  # here, not at the top: opening the app needs no parser (see main)

    parser = argparse.ArgumentParser(
        prog="tiecrm",
        description="A keyboard-driven personal CRM. Without a command, opens the app.",
    )
    parser.add_argument("--db", metavar="PATH", help="database file (default: $TIECRM_DB, else the platform's data directory)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("demo", help="open the app on a fresh temporary copy of the sample address book")

    p = sub.add_parser("import", help="import .vcf files or folders of them (a vdir)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary line")

    p = sub.add_parser("export", help="write everyone (or one bucket) as vCard")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--bucket", type=_bucket_arg)
    p.add_argument("--vcard-version", choices=["3.0", "4.0"], default="3.0")

    p = sub.add_parser("list", help="list people, ranked fuzzily by QUERY")
    p.add_argument("query", nargs="?", default="")
    p.add_argument("--bucket", type=_bucket_arg)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("show", help="show one person")
    p.add_argument("person", metavar="PERSON", help="an id or a name (matched fuzzily)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("move", help="move a person to a bucket")
    p.add_argument("person", metavar="PERSON")
    p.add_argument("bucket", type=_bucket_arg, metavar="BUCKET", help="unsorted, inner, nurture or vanity")

    p = sub.add_parser("log", help="log time spent with a person, e.g. `log priya 45m --kind coffee talked about her new job`")
    p.add_argument("person", metavar="PERSON")
    p.add_argument("words", nargs="*", metavar="[DURATION] NOTE",
                   help="45m, 1h30, 1.5h or 90 (minutes), optionally a kind and a when (coffee yesterday), then the note")
    p.add_argument("--kind", default="", help="coffee, call, lunch, ...")
    p.add_argument("--at", metavar="WHEN", default="", help="today, yesterday, '3 days ago', 2026-11-20 ...")

    p = sub.add_parser("due", help="who is going cold")
    p.add_argument("--json", action="store_true")
    return parser


def _bucket_arg(text: str) -> Bucket:
    import argparse

    try:
        return Bucket.parse(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _app_database_argument(argv: Sequence[str]) -> tuple[bool, str | None]:
    """(True, --db value or None) for the plain ways to open the app, `tiecrm` and `tiecrm --db PATH`;
    (False, None) for anything else, which the parser reads."""
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return True, argv[1]
    return False, None


def _plain_list_arguments(argv: Sequence[str]) -> SimpleNamespace | None:
    """The parsed arguments of `[--db PATH] list [QUERY] [--bucket BUCKET] [--json]` written plainly, as the
    parser would give them; None for anything else (an abbreviation, `--db=PATH`, a bad bucket, help...),
    which the parser reads. Loading argparse and building every command's parser is a tenth of `list`."""
    rest = list(argv)
    db = None
    if rest[:1] == ["--db"] and len(rest) > 1 and not rest[1].startswith("-"):
        db, rest = rest[1], rest[2:]
    if rest[:1] != ["list"]:
        return None
    query: str | None = None
    bucket: Bucket | None = None
    as_json = False
    words = iter(rest[1:])
    for word in words:
        if word == "--json":
            as_json = True
        elif word == "--bucket" and bucket is None:
            value = next(words, "-")
            if value.startswith("-"):
                return None
            try:
                bucket = Bucket.parse(value)
            except ValueError:
                return None  # the parser says what is wrong
        elif word.startswith("-") or query is not None:
            return None
        else:
            query = word
    return SimpleNamespace(db=db, command="list", query="" if query is None else query, bucket=bucket,
                           json=as_json)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    plain_app, db = _app_database_argument(argv)
    if plain_app:
        # Neither importing argparse nor building every command's parser is worth it to learn that
        # there is no command: the app starts sooner.
        return _guarded(lambda: _run_app(db))
    listing = _plain_list_arguments(argv)
    if listing is not None:
        return _guarded(lambda: _run(listing))
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        # `log priya 45m --kind coffee talked about her job`: words after an option belong to the note.
        if args.command == "log" and not any(word.startswith("-") for word in extra):
            args.words += extra
        else:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return _guarded(lambda: _run(args))


def _run(args: argparse.Namespace | SimpleNamespace) -> int:
    if args.command == "demo":
        return _run_demo()
    if args.command is None:
        return _run_app(args.db)
    handler = COMMANDS[args.command]
    with _open_repo(args) as repo:
        return handler(repo, args) or 0


def _guarded(run: Callable[[], int]) -> int:
    """Run a command, turning the failures a user can act on into one line and an exit code."""
    try:
        return run()
    except CliError as e:
        print(f"tiecrm: {e}", file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print("tiecrm: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `tiecrm list | head`: the reader went away; nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


class _open_repo:
    """Open the store for one command, turning storage errors into one clear line."""

    def __init__(self, args: argparse.Namespace | SimpleNamespace) -> None:
        self.args = args

    def __enter__(self):
        from tiecrm.store.db import resolve_db_path
        from tiecrm.store.repository import Repository

        path = resolve_db_path(self.args.db)
        # `list` only reads: its store is opened without the write machinery when the file allows.
        open_repo = Repository.for_reading if self.args.command == "list" else Repository
        try:
            self.repo = open_repo(path)
        except Exception as e:  # noqa: BLE001 - any failure to open becomes one line, no traceback
            raise CliError(f"cannot open database {path}: {e}") from None
        return self.repo

    def __exit__(self, *exc) -> None:
        self.repo.close()


# ---------------------------------------------------------------- commands


def cmd_import(repo, args) -> int:
    from tiecrm.importing import import_paths
    from tiecrm.vcard.reader import UnreadablePathError

    bar = _ProgressBar() if sys.stderr.isatty() and not args.quiet else None
    try:
        report = import_paths(repo, args.paths, progress=bar)
    except UnreadablePathError as e:
        raise CliError(str(e), code=EXIT_USAGE) from None
    finally:
        if bar:
            bar.close()
    if not args.quiet:
        for problem in sorted(report.problems + report.warnings, key=lambda p: (p.file, p.line)):
            print(textsafe.visible(str(problem)), file=sys.stderr)
    print(f"{report.files} file(s), {report.cards} card(s): {report.summary.line()}")
    return 0


def cmd_export(repo, args) -> int:
    from tiecrm.vcard.write import write_cards

    text = write_cards(repo.export_people(args.bucket), version=args.vcard_version)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8", newline="")
        except OSError as e:
            raise CliError(f"cannot write {args.output}: {e.strerror}") from None
        print(f"wrote {text.count('BEGIN:VCARD')} card(s) to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_list(repo, args) -> int:
    if args.query.strip():
        from tiecrm.search import field_filter, search_once

        # Rank first, then read summaries of the hits only: a query names a few people out of thousands.
        # One query does not repay building an index: it scans everyone's names and organisations read
        # as whole texts, and the store leaves out the emails, phones and notes this query cannot find.
        columns = repo.search_columns(field_filter(args.query))
        found = search_once(args.query, columns)
        # Plain output prints a list row's columns: the contact fields of a full summary are not read.
        people = repo.summaries(found) if args.json else repo.list_rows_of(found)
        if args.bucket is not None:
            people = [p for p in people if p.bucket == args.bucket]
    else:
        people = repo.list_people(args.bucket) if args.json else repo.list_rows(args.bucket)
    if args.json:
        _print_json([p.to_json() for p in people])
    else:
        _print_people(people)
    return 0


def cmd_show(repo, args) -> int:
    person = _resolve(repo, args.person)
    detail = repo.get_person(person.id)
    if args.json:
        _print_json(detail.to_json())
        return 0
    s = detail.summary
    v = textsafe.visible
    lines = [f"{v(s.name)}  (#{s.id}, {s.bucket.title})"]
    if s.org or s.title:
        lines.append("  " + v(" · ".join(x for x in (s.title, s.org) if x)))
    lines += [f"  phone  {v(p.value)}" + (f"  ({v(p.label)})" if p.label else "") for p in detail.phones]
    lines += [f"  email  {v(e.value)}" + (f"  ({v(e.label)})" if e.label else "") for e in detail.emails]
    lines += [f"  addr   {v(a.value)}" for a in detail.addresses]
    if s.birthday:
        lines.append(f"  born   {s.birthday.iso()}")
    lines.append(f"  time   {_minutes(s.minutes_invested)} invested" +
                 (f", last contact {s.last_interaction.date().isoformat()}" if s.last_interaction else ", never logged"))
    if s.note:
        lines.append("  note   " + v(s.note, multiline=True).replace("\n", "\n         "))
    if detail.interactions:
        lines.append("  interactions:")
        for i in detail.interactions[:20]:
            lines.append(f"    {i.at:%Y-%m-%d}  {_minutes(i.minutes):>7}  {v(i.kind):<8} {v(i.note)}")
    if detail.moves:
        lines.append("  moves:")
        for m in detail.moves[:10]:
            lines.append(f"    {m.at:%Y-%m-%d}  {m.from_bucket.value if m.from_bucket else '-'} -> {m.to_bucket.value}")
    print("\n".join(lines))
    return 0


def cmd_move(repo, args) -> int:
    person = _resolve(repo, args.person)
    repo.move(person.id, args.bucket)
    print(f"moved {textsafe.visible(person.name)}: {person.bucket.title} -> {args.bucket.title}")
    return 0


def cmd_log(repo, args) -> int:
    from tiecrm.logparse import parse_quick_line, parse_when

    person = _resolve(repo, args.person)
    now = _now()
    try:
        # The same parser as the app's quick-add line: "45m coffee yesterday talked about her move".
        entry = parse_quick_line(" ".join(args.words), now, default_kind=args.kind)
        at = parse_when(args.at, now) if args.at else entry.at
    except ValueError as e:
        raise CliError(str(e), code=EXIT_USAGE) from None
    kind = args.kind or entry.kind
    if not entry.minutes and not entry.note:
        raise CliError("nothing to log: give a duration (45m, 1h30, 1.5h, 90) and/or a note", code=EXIT_USAGE)
    repo.log_interaction(person.id, entry.minutes or 0, kind=kind, note=entry.note, at=at)
    what = ", ".join(x for x in (_minutes(entry.minutes) if entry.minutes else "", kind, f"{at:%Y-%m-%d}") if x)
    print(f"logged for {textsafe.visible(person.name)}: {what}" + (f": {textsafe.visible(entry.note)}" if entry.note else ""))
    return 0


def cmd_due(repo, args) -> int:
    """Who is going cold (most overdue first, each with the last note as a hook), then birthdays in 14 days."""
    from tiecrm.clock import local_date
    from tiecrm.config import load_settings
    from tiecrm.timeline import BIRTHDAY_HORIZON_DAYS

    settings = load_settings()
    now = _now()
    entries = repo.going_cold(settings.cadence, settings.warmth_floor, settings.half_life_days, now)
    if args.json:
        _print_json([e.to_json() for e in entries])
        return 0
    print("\n".join(_due_line(e) for e in entries) if entries else "nobody is going cold")
    birthdays = repo.birthdays_soon(local_date(now), BIRTHDAY_HORIZON_DAYS)
    if birthdays:
        print(f"\nbirthdays in the next {BIRTHDAY_HORIZON_DAYS} days:")
        for b in birthdays:
            when = "today" if b.days_until == 0 else "tomorrow" if b.days_until == 1 else f"in {b.days_until} days"
            turns = f", turns {b.turns}" if b.turns is not None else ""
            print(f"{b.who.id:>6}  {b.on:%a %d %b}  {when:<12}  {textsafe.visible(b.who.name)}{turns}")
    return 0


COMMANDS = {
    "import": cmd_import, "export": cmd_export, "list": cmd_list, "show": cmd_show,
    "move": cmd_move, "log": cmd_log, "due": cmd_due,
}


# ---------------------------------------------------------------- the app


def _run_app(db: str | None) -> int:
    from tiecrm.store.db import resolve_db_path
    from tiecrm.ui.launch import run_app

    return run_app(resolve_db_path(db))


def _run_demo() -> int:
    from tiecrm.ui.launch import run_demo

    return run_demo()


# ---------------------------------------------------------------- helpers


def _now() -> datetime:
    from tiecrm.clock import utc_now

    return utc_now()


def _resolve(repo, query: str) -> PersonSummary:
    """Find PERSON by id or fuzzy name; when ambiguous, list the candidates and change nothing."""
    from tiecrm.search import NAMES_ONLY, resolve_person

    person_id, candidates = resolve_person(query, repo.search_rows(NAMES_ONLY))
    if person_id is not None:
        return repo.get_summary(person_id)
    if not candidates:
        raise CliError(f"nobody matches {textsafe.visible(query)!r}")
    lines = [f"{textsafe.visible(query)!r} matches more than one person; use an id:"]
    for pid in candidates:
        p = repo.get_summary(pid)
        lines.append(f"  {p.id:>6}  {textsafe.visible(p.name)}" + (f"  ({textsafe.visible(p.org)})" if p.org else ""))
    raise CliError("\n".join(lines))


def _minutes(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    return f"{hours}h{mins:02d}" if hours else f"{mins}m"


def _print_json(data) -> None:
    import json  # only --json output needs it

    # ensure_ascii keeps control characters from contacts escaped in the output, never raw.
    json.dump(data, sys.stdout, indent=2, ensure_ascii=True)
    sys.stdout.write("\n")


def _print_people(people: Sequence[PersonSummary]) -> None:
    v = textsafe.visible
    for p in people:
        last = p.last_interaction.date().isoformat() if p.last_interaction else "never"
        org = f"  ({v(p.org)})" if p.org else ""
        print(f"{p.id:>6}  {p.bucket.value:<8}  {last:<10}  {v(p.name)}{org}")


def _due_line(e: ColdEntry) -> str:
    p = e.person
    since = f"{e.days_since} days" if e.days_since is not None else "never logged"
    if e.coldness.reason == "cooling":
        since = f"warmth {e.coldness.warmth:.0f}"
    hook = f"  — {textsafe.visible(e.last_note)}" if e.last_note else ""
    return f"{p.id:>6}  {p.bucket.value:<8}  {since:<12}  {textsafe.visible(p.name)}{hook}"


class _ProgressBar:
    """A one-line progress bar on stderr, only on a terminal and only for large imports."""

    WIDTH = 30
    MIN_TOTAL = 500

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < (1 if stage == "read" else self.MIN_TOTAL) or (stage == "read" and total < 20):
            return
        filled = self.WIDTH * done // max(total, 1)
        label = "reading" if stage == "read" else "storing"
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * (self.WIDTH + 40) + "\r")
            sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(main())
