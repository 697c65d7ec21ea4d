"""Every real export in ../shared/vcards imports as a person verified by reading the file says it should."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from corpus_expected import EXPECTED, PROBLEM_LINES

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "vcards"

if not CORPUS.is_dir():
    pytest.skip("the real-export corpus (../shared/vcards) is not present", allow_module_level=True)

# Imported only once the corpus is known to exist.
from tiecrm.vcard.reader import ReadResult, read_vcard_file  # noqa: E402

CORPUS_FILES = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.vcf"))
BEGIN_LINE = re.compile(r"^\s*([\w-]*\.)?BEGIN:VCARD\s*$", re.IGNORECASE)
PROBLEM_TEXT = re.compile(r"^(?P<file>.+):(?P<line>\d+): (?P<reason>\S.*)$", re.DOTALL)


@cache
def _read(rel: str) -> ReadResult:
    """Each file is read once per run; the tests below look at different parts of the same result."""
    return read_vcard_file(CORPUS / rel)


def _expected(rel: str) -> list[tuple[str, int, int]]:
    assert rel in EXPECTED, (
        f"{rel} is in the corpus but has no entry in tests/corpus_expected.py: "
        "read the file and add what it must import as"
    )
    return EXPECTED[rel]


def test_every_expected_file_exists() -> None:
    missing = sorted((set(EXPECTED) | set(PROBLEM_LINES)) - set(CORPUS_FILES))
    assert not missing, f"expectations for files that are not in the corpus: {missing}"


@pytest.mark.parametrize("rel", CORPUS_FILES)
def test_file_imports_as_read(rel: str) -> None:
    expected = _expected(rel)
    result = _read(rel)
    got = [(d.name, len(d.phones), len(d.emails)) for d in result.drafts]
    assert got == expected


@pytest.mark.parametrize("rel", CORPUS_FILES)
def test_file_reports_exactly_the_stretches_it_could_not_import(rel: str) -> None:
    _expected(rel)
    path = CORPUS / rel
    result = _read(rel)
    assert sorted(p.line for p in result.problems) == PROBLEM_LINES.get(rel, []), [
        str(p) for p in result.problems
    ]
    for problem in result.problems:
        match = PROBLEM_TEXT.match(str(problem))
        assert match, f"{str(problem)!r} does not read FILE:LINE: reason"
        assert Path(match["file"]).name == path.name
        assert int(match["line"]) == problem.line


@pytest.mark.parametrize("rel", CORPUS_FILES)
def test_cards_are_placed_at_their_begin_line(rel: str) -> None:
    _expected(rel)
    path = CORPUS / rel
    result = _read(rel)
    # Physical lines as a reader counts them: CRLF, LF and a lone CR each end one line.
    lines = re.split(r"\r\n|\n|\r", path.read_bytes().decode("latin-1"))
    card_lines = [d.line for d in result.drafts]
    assert card_lines == sorted(set(card_lines)), "cards out of order, or two cards on one line"
    for number in card_lines:
        assert 1 <= number <= len(lines) and BEGIN_LINE.match(lines[number - 1]), (
            f"card placed at line {number}, which is not a BEGIN:VCARD line"
        )


def test_whole_corpus_imports_every_expected_card() -> None:
    total = sum(len(read_vcard_file(CORPUS / rel).drafts) for rel in CORPUS_FILES)
    assert total == sum(len(EXPECTED.get(rel, [])) for rel in CORPUS_FILES)
