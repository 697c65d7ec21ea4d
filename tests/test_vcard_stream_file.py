"""A file read from disk a chunk at a time gives exactly what its bytes read whole give: the same drafts
(every field), problems, line numbers and encoding, for plain UTF-8 exports and every file that is not one."""

from __future__ import annotations

import codecs
import dataclasses
import io
import itertools
import os
import threading
import tracemalloc
from pathlib import Path

import pytest

from tests.bench.gen_phone_export import generate_phone_export
from tiecrm.vcard import file_cards, reader, split
from tiecrm.vcard.decode import normalise_newline_bytes, normalise_newlines
from tiecrm.vcard.reader import collect_vcf_files, stream_vcard_bytes, stream_vcard_file

# Small chunks cut cards, lines, line endings and UTF-8 characters at every kind of place; the real size too.
CHUNKS = (7, 13, 64, 1000, file_cards.CHUNK)

CARD = ("BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nN:{name};;;;\nTEL;TYPE=CELL:+1 555 010{n}\n"
        "NOTE:Café, 東京 {n}\nEND:VCARD\n")
NAMES = ["Zoë Brun", "Алексей", "陈 王芳", "Ana"]
PLAIN = "".join(CARD.format(name=name, n=n) for n, name in enumerate(NAMES))


def _everything(stream) -> tuple:
    drafts = [dataclasses.asdict(draft) for draft in stream.drafts]
    return drafts, stream.problems, stream.encoding


def _assert_same_as_whole(path: Path, monkeypatch: pytest.MonkeyPatch, chunks=CHUNKS) -> None:
    whole = _everything(stream_vcard_bytes(path.read_bytes(), str(path)))
    for chunk in chunks:
        monkeypatch.setattr(file_cards, "CHUNK", chunk)
        assert _everything(stream_vcard_file(path)) == whole, (path.name, chunk)


def _write(tmp_path: Path, data: bytes, name: str = "cards.vcf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _fallbacks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """(first line, cards before) of every switch to the whole-text reader for the rest of a file."""
    seen: list[tuple[int, bool]] = []
    general = split.iter_cards

    def spy(text, strays_out, first_line=1, cards_before=False):
        seen.append((first_line, cards_before))
        return general(text, strays_out, first_line, cards_before)

    monkeypatch.setattr(file_cards, "iter_cards", spy)
    return seen


def _never_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: bytes):
        raise AssertionError("the file was decoded whole")

    monkeypatch.setattr(reader, "decode_vcard_bytes", refuse)


def test_every_corpus_file_reads_the_same_chunk_by_chunk(
        corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = collect_vcf_files([corpus])
    assert len(paths) > 100
    for path in paths:
        _assert_same_as_whole(path, monkeypatch)


@pytest.mark.parametrize("shape", ["as generated", "LF", "BOM", "BOM and LF"])
def test_generated_exports_read_the_same_and_never_whole(
        shape: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = generate_phone_export(300, seed=11)
    assert b"\r\n" in data  # phones write CRLF
    if "LF" in shape:
        data = data.replace(b"\r\n", b"\n")
    if "BOM" in shape:
        data = codecs.BOM_UTF8 + data
    path = _write(tmp_path, data)
    _assert_same_as_whole(path, monkeypatch, chunks=(13, 4096, file_cards.CHUNK))
    fallbacks = _fallbacks(monkeypatch)
    _never_whole(monkeypatch)
    monkeypatch.setattr(file_cards, "CHUNK", 4096)
    stream = stream_vcard_file(path)
    assert len(list(stream.drafts)) == 300 and stream.problems == [] and stream.encoding == "utf-8"
    assert fallbacks == []


def _peak_while_read(stream) -> tuple[int, int]:
    """(cards, peak bytes traced) while a stream's drafts are made and dropped one by one."""
    tracemalloc.start()
    try:
        count = sum(1 for _draft in stream().drafts)
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_export_is_never_held_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, generate_phone_export(3000, seed=5))
    size = path.stat().st_size
    monkeypatch.setattr(file_cards, "CHUNK", 64 * 1024)
    count, peak = _peak_while_read(lambda: stream_vcard_file(path))
    whole_count, whole_peak = _peak_while_read(lambda: stream_vcard_bytes(path.read_bytes(), str(path)))
    assert count == whole_count == 3000
    # Whole, the text alone is more than the file's size (two bytes a character with non-Latin names).
    assert whole_peak > 2 * size > 6 * peak, (whole_peak, peak, size)


@pytest.mark.parametrize("text", [
    PLAIN,
    PLAIN.replace("\n", "\r\n"),
    PLAIN.replace("\n", "\r\r\n"),  # iOS
    PLAIN.replace("\n", "\r"),  # classic Mac: no line feed at all
    PLAIN.replace("\n", "\r\n", 7),  # endings mixed
    PLAIN[:-1],  # no newline at the end
    PLAIN[:-2],  # the last END line cut short
    PLAIN.replace("END:VCARD\n", "", 1),  # a card never closed, before others
    PLAIN.rsplit("END:VCARD\n", 1)[0],  # the last card never closed
    "",
    "\n",
    "BEGIN:VC",
    "BEGIN:VCARD\n",
    "BEGIN:VCARD\nEND:VCARD\n" + PLAIN,  # an empty card
    "only text, no card\n",
    "\n" + PLAIN,
    PLAIN + "\n",
    PLAIN + "trailing text\n",
    PLAIN + "END:VCARD\n",
    PLAIN + PLAIN.replace("BEGIN:VCARD", "begin:vcard", 1),  # a marker in other capitals, after plain cards
    PLAIN + PLAIN.replace("END:VCARD", "item1.END:VCARD", 1),  # a marker with a group
    PLAIN + PLAIN.replace("BEGIN:VCARD", "BEGIN:VCARD  ", 1),  # a marker followed by blanks
    PLAIN + PLAIN.replace("FN:Ana", "BEGIN:VCARD\nFN:Inner\nEND:VCARD\nFN:Ana"),  # a card inside another
    PLAIN + PLAIN.replace("FN:Ana", "NOTE:see:vCard"),  # a `:vcard` that is no marker
    PLAIN + "notes between cards\n" + PLAIN,
    PLAIN.replace("END:VCARD\nBEGIN", "END:VCARD\n\nBEGIN"),  # a blank line between cards
    PLAIN + "PHOTO:" + "A" * 3000 + "\n",  # a line longer than a chunk, outside any card
    PLAIN.replace("FN:Ana", "PHOTO:" + "Q" * 3000 + "\nFN:Ana"),  # and inside one
    "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n" * 3 + PLAIN,
])
def test_edge_cases_read_the_same(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for prefix in (b"", codecs.BOM_UTF8):
        _assert_same_as_whole(_write(tmp_path, prefix + text.encode()), monkeypatch)


def test_a_non_plain_card_after_plain_ones_switches_at_a_card_boundary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = PLAIN * 3 + "stray line\n" + PLAIN.replace("BEGIN:VCARD", "begin:vcard", 1)
    path = _write(tmp_path, text.encode())
    fallbacks = _fallbacks(monkeypatch)
    _never_whole(monkeypatch)
    monkeypatch.setattr(file_cards, "CHUNK", 64)
    stream = stream_vcard_file(path)
    drafts = list(stream.drafts)
    assert len(drafts) == 16 and stream.encoding == "utf-8"
    (first_line, cards_before), = fallbacks
    assert cards_before and first_line > 1 and first_line % 7 == 1  # just after one of the 7-line cards
    assert [str(p) for p in stream.problems] == [f"{path}:85: text outside any card skipped"]
    assert [d.line for d in drafts][::4] == [1, 29, 57, 86]


def test_a_file_of_stray_text_after_a_bom_says_no_card_was_found(tmp_path: Path) -> None:
    path = _write(tmp_path, codecs.BOM_UTF8 + b"only text\r\nno card\r\n")
    stream = stream_vcard_file(path)
    assert list(stream.drafts) == []
    assert [str(p) for p in stream.problems] == [f"{path}:1: no vCard found (lines 1-2 of other text)"]


def test_a_card_that_is_not_utf8_sends_the_whole_file_to_the_whole_file_reader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    latin = CARD.format(name="Fran\xe7ois", n=9).replace("東京", "Paris").encode("cp1252")
    path = _write(tmp_path, PLAIN.encode() * 50 + latin)
    _assert_same_as_whole(path, monkeypatch)
    stream = stream_vcard_file(path)
    drafts = list(stream.drafts)
    # Today's rule for such a file: no charset named, so all of it is cp1252, every card flagged.
    assert stream.encoding == "cp1252" and drafts[-1].name == "Fran\xe7ois"
    assert drafts[0].warnings and drafts[0].name != "Zoë Brun"


def test_after_a_bom_a_card_that_is_not_utf8_is_read_with_replacements(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    latin = CARD.format(name="Fran\xe7ois", n=9).replace("東京", "Paris").encode("cp1252")
    path = _write(tmp_path, codecs.BOM_UTF8 + PLAIN.encode() + latin)
    _assert_same_as_whole(path, monkeypatch)
    _never_whole(monkeypatch)
    stream = stream_vcard_file(path)
    drafts = list(stream.drafts)
    assert stream.encoding == "utf-8" and drafts[0].name == "Zoë Brun" and drafts[-1].name == "Fran\ufffdois"


def test_a_fold_that_splits_a_character_is_repaired_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    split_fold = b"BEGIN:VCARD\nVERSION:3.0\nFN:Caf\xc3\r\n \xa9\r\nEND:VCARD\r\n"
    path = _write(tmp_path, PLAIN.encode() + split_fold)
    _assert_same_as_whole(path, monkeypatch)
    assert [d.name for d in stream_vcard_file(path).drafts][-1] == "Café"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "shift_jis"])
def test_files_in_other_codecs_read_the_same(
        encoding: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = PLAIN.replace("\n", "\r\n")
    if encoding == "shift_jis":  # a Japanese phone's export names its charset
        text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:佐藤;美咲\r\nNOTE:東京\r\nEND:VCARD\r\n" * 3
    path = _write(tmp_path, text.encode(encoding))
    _assert_same_as_whole(path, monkeypatch)
    assert stream_vcard_file(path).encoding != "utf-8"


def test_a_file_that_cannot_be_read_fails_at_once(tmp_path: Path) -> None:
    with pytest.raises(reader.UnreadablePathError, match="cannot read"):
        stream_vcard_file(tmp_path)


def test_count_cards_reads_a_chunk_at_a_time_and_counts_markers_cut_by_a_chunk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (PLAIN + PLAIN.replace("BEGIN:VCARD", "begin:vcard") + "BEGIN:VCARD").encode()
    path = _write(tmp_path, data)
    for chunk in (1, 5, 10, 11, 12, 13, 64, file_cards.CHUNK):
        monkeypatch.setattr(file_cards, "CHUNK", chunk)
        assert reader.count_cards(path) == 9, chunk


def test_count_cards_stops_reading_once_it_has_counted_enough(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, (PLAIN * 40).encode())
    monkeypatch.setattr(file_cards, "CHUNK", len(PLAIN))
    total = reader.count_cards(path)
    read: list[int] = []
    real_count = file_cards.count_begin_lines

    def counting(file, enough=None):
        found = real_count(file, enough)
        read.append(file.tell())
        return found

    monkeypatch.setattr(reader, "count_begin_lines", counting)
    assert reader.count_cards(path, enough=10) >= 10
    assert read[-1] < path.stat().st_size // 2
    assert reader.count_cards(path, enough=total + 1) == total
    assert read[-1] == path.stat().st_size


def test_a_pipe_is_read_whole_as_it_comes(tmp_path: Path) -> None:
    fifo = tmp_path / "cards.vcf"
    os.mkfifo(fifo)
    data = (PLAIN * 3).replace("\n", "\r\n").encode()
    writer = threading.Thread(target=fifo.write_bytes, args=(data,))
    writer.start()
    try:
        stream = stream_vcard_file(fifo)
        drafts = list(stream.drafts)
    finally:
        writer.join()
    assert _everything(stream) == ([], [], "utf-8")  # used up
    whole = stream_vcard_bytes(data, str(fifo))
    assert [dataclasses.asdict(d) for d in drafts] == [dataclasses.asdict(d) for d in whole.drafts]
    assert len(drafts) == 12


def test_line_endings_are_normalised_on_bytes_as_on_text() -> None:
    # Every string of up to 8 CR, LF and other bytes: the shortcut for CRLF-only text changes nothing.
    for size in range(9):
        for shape in itertools.product(b"\r\na", repeat=size):
            data = bytes(shape)
            assert normalise_newline_bytes(data) == normalise_newlines(data.decode()).encode(), data


@pytest.mark.parametrize(("data", "errors"), [
    # A character cut by the chunk's end, then an ASCII chunk: not UTF-8, whatever the next chunk holds.
    (b"BEGIN:VC\xc3" + b"ARD\nFN:xx" + b"\xa9\n", None),
    (b"BEGIN:VC\xc3" + b"ARD\nFN:x\n", None),
    (b"BEGIN:VC\xc3" + b"\xa9ARD\nFN:x\n", "strict"),  # the same character whole across the cut
    (b"BEGIN:VC" + b"ARD\nFN:x\n", "strict"),
    (b"BEGIN:VC" + b"ARD\nFN:\xff\n", None),
    (codecs.BOM_UTF8 + b"BEGIN:VC" + b"ARD\nFN:\xff\n", "replace"),
    (codecs.BOM_UTF16_LE + "BEGIN:VCARD\n".encode("utf-16-le"), None),
])
def test_the_utf8_check_reads_a_chunk_at_a_time(
        data: bytes, errors: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_cards, "CHUNK", 9)
    assert file_cards.utf8_errors_of(io.BytesIO(data)) == errors
