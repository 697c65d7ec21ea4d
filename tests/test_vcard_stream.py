"""Reading a file as a stream: one card at a time, the same drafts and problems as reading it whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiecrm.vcard import count_cards, read_vcard_bytes, stream_vcard_bytes, stream_vcard_file

MIXED = (
    "stray text before any card\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Outer\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Inner\nEND:VCARD\n"
    "TEL:+1 555 0100 200\nEND:VCARD\n"
    "BEGIN:VCARD\nEND:VCARD\n"
    "garbage between cards\n"
    "begin:vcard\nversion:2.1\nfn:Lower Case\nend:vcard\n"
    "BEGIN:VCARD\nVERSION:3.0\nFN:Never Closed\n"
)


def test_stream_gives_the_same_drafts_and_problems_as_a_whole_read() -> None:
    data = MIXED.encode()
    whole = read_vcard_bytes(data, "mixed.vcf")
    stream = stream_vcard_bytes(data, "mixed.vcf")
    drafts = list(stream.drafts)
    assert [(d.name, d.line, d.raw, d.phones, d.warnings) for d in drafts] == [
        (d.name, d.line, d.raw, d.phones, d.warnings) for d in whole.drafts]
    assert [d.name for d in drafts] == ["Outer", "Inner", "Lower Case", "Never Closed"]
    assert stream.problems == whole.problems
    assert [p.line for p in stream.problems] == [1, 11, 13]  # stray text, the empty card, the garbage


def test_stream_builds_each_draft_only_when_asked() -> None:
    data = "".join(f"BEGIN:VCARD\nVERSION:3.0\nFN:Person {n}\nEND:VCARD\n" for n in range(3)).encode()
    stream = stream_vcard_bytes(data, "three.vcf")
    first = next(stream.drafts)
    assert first.name == "Person 0" and first.line == 1
    assert [d.line for d in stream.drafts] == [5, 9]


def test_problems_are_complete_once_the_stream_is_used_up() -> None:
    stream = stream_vcard_bytes(b"only text, no card\n", "notes.vcf")
    assert list(stream.drafts) == []
    assert [str(p) for p in stream.problems] == ["notes.vcf:1: no vCard found (line 1 of other text)"]


def test_count_cards_counts_begin_lines_in_either_case(tmp_path: Path) -> None:
    path = tmp_path / "mixed.vcf"
    path.write_bytes(MIXED.encode())
    assert count_cards(path) == 5
    assert len(list(stream_vcard_file(path).drafts)) == 4  # the empty card is a problem, not a draft


def test_stream_of_a_missing_file_fails_at_once(tmp_path: Path) -> None:
    from tiecrm.vcard import UnreadablePathError

    with pytest.raises(UnreadablePathError):
        stream_vcard_file(tmp_path / "gone.vcf")
    with pytest.raises(UnreadablePathError):
        count_cards(tmp_path / "gone.vcf")
