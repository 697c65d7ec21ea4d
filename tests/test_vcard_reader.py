"""The vCard reader on real-world-shaped input: encodings, broken structure, escapes, labels, photos, birthdays."""

from __future__ import annotations

import base64
import os
import random
from pathlib import Path

import pytest

from tiecrm.domain import Birthday
from tiecrm.vcard import (
    UnreadablePathError,
    collect_vcf_files,
    read_paths,
    read_vcard_bytes,
    read_vcard_file,
)

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


def one(data: bytes):
    result = read_vcard_bytes(data, "test.vcf")
    assert result.problems == [], result.problems
    assert len(result.drafts) == 1
    return result.drafts[0]


# --- decoding -----------------------------------------------------------------------------------

def test_utf8_bom_is_skipped() -> None:
    draft = one(b"\xef\xbb\xbf" + crlf("BEGIN:VCARD\nVERSION:3.0\nFN:Zoë Ørsted\nEND:VCARD\n"))
    assert draft.name == "Zoë Ørsted"
    assert draft.raw.startswith("BEGIN:VCARD")


def test_utf16_with_bom() -> None:
    data = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ελένη\r\nEND:VCARD\r\n".encode("utf-16")
    result = read_vcard_bytes(data)
    assert result.encoding.startswith("utf-16")
    assert [d.name for d in result.drafts] == ["Ελένη"]


def test_shift_jis_file_is_decoded_whole_including_backslash_trail_bytes() -> None:
    # 表 is 0x95 0x5C in Shift_JIS: the trail byte is a backslash and must not be read as an escape.
    text = "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=SHIFT_JIS:表 太郎\nN;CHARSET=SHIFT_JIS:表;太郎;;;\nEND:VCARD\n"
    result = read_vcard_bytes(text.replace("\n", "\r\n").encode("shift_jis"))
    assert result.encoding in ("shift_jis", "cp932")
    assert result.drafts[0].name == "表 太郎"


def test_shift_jis_quoted_printable_uses_declared_charset() -> None:
    qp = "".join(f"={b:02X}" for b in "渋谷区".encode("shift_jis"))
    text = f"BEGIN:VCARD\nVERSION:2.1\nFN:X\nADR;HOME;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:;;{qp};;;;\nEND:VCARD\n"
    assert one(crlf(text)).addresses[0].value == "渋谷区"


def test_cp1252_fallback_warns() -> None:
    data = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Fran\xe7ois M\xfcller\r\nEND:VCARD\r\n".encode("cp1252")
    result = read_vcard_bytes(data, "outlook.vcf")
    assert result.encoding == "cp1252"
    draft = result.drafts[0]
    assert draft.name == "François Müller"
    assert draft.warnings and draft.warnings[0].startswith("1: ")


def test_fold_that_splits_a_utf8_character() -> None:
    encoded = "FN:" + "αβγδ" * 12
    data = encoded.encode("utf-8")
    cut = 75 if data[75] & 0xC0 == 0x80 else 76  # fold inside a two-byte character
    folded = b"BEGIN:VCARD\r\nVERSION:3.0\r\n" + data[:cut] + b"\r\n " + data[cut:] + b"\r\nEND:VCARD\r\n"
    with pytest.raises(UnicodeDecodeError):
        folded.decode("utf-8")
    result = read_vcard_bytes(folded)
    assert result.encoding == "utf-8"
    assert result.drafts[0].name == "αβγδ" * 12


def test_line_endings_cr_cr_lf_and_lone_cr() -> None:
    ios = b"BEGIN:VCARD\r\r\nVERSION:3.0\r\r\nFN:Bob\r\r\nTEL:1\r\r\nEND:VCARD\r\r\n"
    mac = b"BEGIN:VCARD\rVERSION:3.0\rFN:Ann\rEND:VCARD\r"
    assert [p.value for p in one(ios).phones] == ["1"]
    assert one(mac).name == "Ann"
    assert "\r" not in one(ios).raw


# --- splitting ----------------------------------------------------------------------------------

def test_nested_cards_are_people_of_their_own() -> None:
    text = ("BEGIN:VCARD\nVERSION:2.1\nN:parent\nBEGIN:VCARD\nVERSION:2.1\nN:nest1\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:2.1\nN:nest2\nEND:VCARD\nTEL:1\nEND:VCARD\n")
    result = read_vcard_bytes(text.encode())
    assert [(d.name, d.line, [p.value for p in d.phones]) for d in result.drafts] == [
        ("parent", 1, ["1"]), ("nest1", 4, []), ("nest2", 8, [])]
    assert result.drafts[0].raw == "BEGIN:VCARD\nVERSION:2.1\nN:parent\nTEL:1\nEND:VCARD\n"


def test_missing_end_in_the_middle_keeps_both_cards_and_warns() -> None:
    text = ("BEGIN:VCARD\nVERSION:3.0\nFN:First\nTEL:111\n"
            "BEGIN:VCARD\nVERSION:3.0\nFN:Second\nTEL:222\nEND:VCARD\n")
    result = read_vcard_bytes(text.encode(), "half.vcf")
    assert [(d.name, [p.value for p in d.phones]) for d in result.drafts] == [
        ("First", ["111"]), ("Second", ["222"])]
    assert result.drafts[0].warnings == ["1: no END:VCARD"]
    assert f"{result.drafts[0].source}:{result.drafts[0].warnings[0]}" == "half.vcf:1: no END:VCARD"
    assert result.problems == []


def test_card_open_at_end_of_file_is_imported_with_warning() -> None:
    result = read_vcard_bytes(b"BEGIN:VCARD\nVERSION:4.0\nFN:Cut short\n")
    assert [d.name for d in result.drafts] == ["Cut short"]
    assert result.drafts[0].warnings == ["1: no END:VCARD"]


def test_garbage_between_cards_is_reported_with_its_line() -> None:
    text = ("BEGIN:VCARD\nFN:A\nEND:VCARD\n\nthis is not a card\nnor this\n"
            "BEGIN:VCARD\nFN:B\nEND:VCARD\nEND:VCARD\n")
    result = read_vcard_bytes(text.encode(), "mixed.vcf")
    assert [d.name for d in result.drafts] == ["A", "B"]
    assert [(p.file, p.line) for p in result.problems] == [("mixed.vcf", 5), ("mixed.vcf", 10)]
    assert "END:VCARD" in result.problems[1].reason


def test_missing_begin_and_invalid_begin_are_one_problem_each() -> None:
    missing = read_vcard_bytes(b"VERSION:3.0\nFN:Frank\nTEL:1\nEND:VCARD\n", "m.vcf")
    invalid = read_vcard_bytes(b"BEGIN:VCARDinvalid\r\nVERSION:3.0\r\nFN:John\r\nEND:VCARD\r\n\r\n", "i.vcf")
    for result in (missing, invalid):
        assert result.drafts == []
        assert [p.line for p in result.problems] == [1]


def test_group_prefixed_and_dot_prefixed_markers() -> None:
    assert one(b"TEST.BEGIN:VCARD\nFN:Grouped\nTEST.END:VCARD\n").name == "Grouped"
    assert one(b".BEGIN:VCARD\n.VERSION:3.0\n.FN:John Doe\n.END:VCARD\n").name == "John Doe"


def test_empty_card_is_skipped_and_reported() -> None:
    result = read_vcard_bytes(b"BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\nBEGIN:VCARD\nNOTE:x\nEND:VCARD\n", "e.vcf")
    assert [d.name for d in result.drafts] == ["(no name)"]
    assert [(p.line, p.reason) for p in result.problems] == [(1, "empty card")]


def test_empty_file_and_blank_file() -> None:
    for data in (b"", b"\r\n\r\n  \n"):
        result = read_vcard_bytes(data)
        assert (result.drafts, result.problems) == ([], [])


@pytest.mark.parametrize("data", [PNG * 20, random.Random(7).randbytes(4096), b"\x00\xff" * 300])
def test_binary_file_is_one_problem_and_no_crash(data: bytes) -> None:
    result = read_vcard_bytes(data, "photo.png")
    assert result.drafts == []
    assert len(result.problems) == 1
    assert "no vCard found" in result.problems[0].reason


# --- lines and escapes --------------------------------------------------------------------------

def test_unescaped_comma_never_truncates() -> None:
    draft = one(crlf("BEGIN:VCARD\nVERSION:2.1\nFN:Doe, John\nNOTE:Text before comma, text after comma\n"
                     "TITLE:Boss, Chief\nEND:VCARD\n"))
    assert (draft.name, draft.note, draft.title) == ("Doe, John", "Text before comma, text after comma", "Boss, Chief")


def test_escapes_are_undone() -> None:
    draft = one(crlf("BEGIN:VCARD\nVERSION:3.0\nFN:A\\;B\\\\C\\, D\nNOTE:one\\ntwo\\Nthree\nEND:VCARD\n"))
    assert draft.name == "A;B\\C, D"
    assert draft.note == "one\ntwo\nthree"


def test_name_falls_back_to_n_org_email_phone() -> None:
    def name(body: str) -> str:
        return one(crlf(f"BEGIN:VCARD\nVERSION:3.0\n{body}\nEND:VCARD\n")).name
    assert name("FN:  \nN:Doe;John;Quentin;Dr.;Jr.") == "Dr. John Quentin Doe Jr."
    assert name("ORG:ACME\\, Inc.;Sales") == "ACME, Inc."
    assert name("TEL:555\nEMAIL:x@example.org") == "x@example.org"
    assert name("TEL:555") == "555"
    assert name("URL:http://example.org") == "(no name)"


def test_quoted_printable_soft_breaks_are_joined_before_decoding() -> None:
    # The soft break falls inside the UTF-8 bytes of one character.
    text = ("BEGIN:VCARD\nVERSION:2.1\n"
            "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=97=D0=B0=D0=B3=D0=BE=D1=80=D1=81=D0=BA=D1=\n=96\n"
            "NOTE;ENCODING=QUOTED-PRINTABLE:first=0D=0Asecond, third=\n\t=3B fourth\n"
            "END:VCARD\n")
    draft = one(crlf(text))
    assert draft.name == "Загорскі"
    assert draft.note == "first\nsecond, third; fourth"


def test_lines_that_cannot_be_read_are_skipped_with_warnings() -> None:
    text = ("BEGIN:vCard\nVERSION:2.1\nPROFILE:VCard\nFN:Conference Call\n# a comment\n"
            "NOTE;ENCODING=QUOTED-PRINTABLE:sharp ->=\n#<- kept\n"
            "X-messaging/twitter-All:someone\nNOPARAM;:value\nTAIL;PARAM=value;:x\nFN\nTEL:1\nEND:vCard\n")
    draft = one(crlf(text))
    assert draft.name == "Conference Call"
    assert draft.note == "sharp ->#<- kept"
    assert [p.value for p in draft.phones] == ["1"]
    assert [w.split(":", 1)[0] for w in draft.warnings] == ["5", "8", "11"]


def test_backslash_continued_21_value_is_joined() -> None:
    text = ("BEGIN:VCARD\nVERSION:2.1\nN:bogus\nADR;HOME:;;Hermann v. Brevern\\\n9999999\\\n"
            "Packstation 999;Hamburg;;99999;Deutschland\nEND:VCARD\n")
    draft = one(crlf(text))
    assert draft.addresses[0].value == "Hermann v. Brevern, 9999999, Packstation 999, Hamburg, 99999, Deutschland"
    assert draft.warnings == []


def test_fields_uid_version_org_title_notes_addresses_tiecrm() -> None:
    text = ("BEGIN:VCARD\nVERSION:3.0\nUID:urn:uuid:42\nFN:A\nORG:Org;;Dept\nTITLE:CTO\nNOTE:one\nNOTE:two\n"
            "ADR;TYPE=HOME:;;1 Main St\\nFlat 2;Springfield;;12345;USA\n"
            "X-TIECRM-BUCKET:inner\nX-TIECRM-MINUTES:120\nEND:VCARD\n")
    draft = one(crlf(text))
    assert (draft.uid, draft.version, draft.org, draft.title) == ("urn:uuid:42", "3.0", "Org, Dept", "CTO")
    assert draft.note == "one\n\ntwo"
    assert [(a.value, a.label) for a in draft.addresses] == [
        ("1 Main St, Flat 2, Springfield, 12345, USA", "home")]
    assert draft.tiecrm == {"bucket": "inner", "minutes": "120"}
    assert draft.source == "test.vcf" and draft.line == 1


# --- types, labels, groups ----------------------------------------------------------------------

def test_type_shapes_merge_into_labels() -> None:
    samsung_label = "".join(f"={b:02X}" for b in "Büro".encode())
    text = ("BEGIN:VCARD\nVERSION:3.0\nFN:A\n"
            "TEL;WORK;VOICE;PREF:1\n"                       # 2.1 bare parameters
            "TEL;type=HOME;type=FAX;type=pref:2\n"           # 3.0 repeated TYPE
            'TEL;TYPE="voice,cell":3\n'                      # 4.0 quoted list
            f"TEL;X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,{samsung_label}):4\n"
            "TEL;X-NEC-SECRET:5\n"
            "item1.TEL:6\nitem1.X-ABLabel:_$!<Mobile>!$_\n"
            "item2.TEL;type=CELL:7\nITEM2.X-ABLabel:Boat\n"
            "EMAIL;type=INTERNET;type=WORK:a@example.org\nEMAIL:A@EXAMPLE.ORG\nEMAIL: \n"
            "TEL:1\nTEL: 2 \nEND:VCARD\n")
    draft = one(crlf(text))
    assert [(p.value, p.label) for p in draft.phones] == [
        ("1", "work"), ("2", "home fax"), ("3", "cell"), ("4", "Büro"), ("5", ""), ("6", "mobile"), ("7", "Boat")]
    assert [(e.value, e.label) for e in draft.emails] == [("a@example.org", "work")]


# --- photos -------------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "PHOTO;ENCODING=BASE64;TYPE=PNG:{b64}",
    "PHOTO;BASE64;PNG:{b64}",
    "PHOTO;ENCODING=b;TYPE=png:{b64}",
    "PHOTO:data:image/png;base64,{b64}",
    "PHOTO;VALUE=URI:DATA:IMAGE/PNG;BASE64\\,{b64}",
    "PHOTO;ENCODING=b;TYPE=png:data:image/png;base64,{b64}",
])
def test_photo_shapes(line: str) -> None:
    b64 = base64.b64encode(PNG).decode()
    folded = line.format(b64=b64[:40]) + "\n " + b64[40:]
    draft = one(crlf(f"BEGIN:VCARD\nVERSION:3.0\nFN:P\n{folded}\nEND:VCARD\n"))
    assert (draft.photo, draft.photo_type, draft.warnings) == (PNG, "png", [])


def test_photo_url_is_kept_as_url() -> None:
    draft = one(crlf("BEGIN:VCARD\nVERSION:3.0\nFN:P\nPHOTO;VALUE=uri:http\\://example.org/p.jpg\nEND:VCARD\n"))
    assert (draft.photo, draft.photo_url) == (None, "http://example.org/p.jpg")


def test_bad_base64_photo_drops_photo_keeps_contact_and_warns() -> None:
    text = ("BEGIN:VCARD\nVERSION:2.1\nN:name\nFN:fullname\n"
            "PHOTO;ENCODING=BASE64;TYPE=JPEG:qgEPAAIAAAAHAAAAugEQAAIAAAAG:ASDF==\n\nTEL:5\nEND:VCARD\n")
    result = read_vcard_bytes(crlf(text), "bad.vcf")
    draft = result.drafts[0]
    assert (draft.name, draft.photo, [p.value for p in draft.phones]) == ("fullname", None, ["5"])
    assert draft.warnings == ["5: photo dropped: bad base64"]
    assert result.problems == []


def test_unindented_21_base64_until_blank_line() -> None:
    b64 = base64.b64encode(PNG * 3).decode()
    chunks = "\n".join(b64[i:i + 60] for i in range(0, len(b64), 60))
    draft = one(crlf(f"BEGIN:VCARD\nVERSION:2.1\nFN:P\nPHOTO;ENCODING=BASE64;TYPE=PNG:{chunks}\n\nEND:VCARD\n"))
    assert draft.photo == PNG * 3


# --- birthdays ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("BDAY:19781229", Birthday(12, 29, 1978)),
    ("BDAY:1970-12-30", Birthday(12, 30, 1970)),
    ("BDAY:1955-07-19T00:00:00Z", Birthday(7, 19, 1955)),
    ("BDAY:19531015T231000Z", Birthday(10, 15, 1953)),
    ("BDAY:--0203", Birthday(2, 3, None)),
    ("BDAY:--02-14", Birthday(2, 14, None)),
    ("BDAY:--0229", Birthday(2, 29, None)),
    ("BDAY:1604-05-09", Birthday(5, 9, None)),
    ("BDAY:16040101", Birthday(1, 1, None)),
    ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-11-30", Birthday(11, 30, None)),
    ("BDAY;X-APPLE-OMIT-YEAR=1604:1985-11-30", Birthday(11, 30, None)),
    ("BDAY;value=date:2008-12-03", Birthday(12, 3, 2008)),
    ("BDAY;VALUE=DATE:20081203", Birthday(12, 3, 2008)),
    ("BDAY;VALUE=text:circa 1800", None),
    ("BDAY:17190000", None),
    ("BDAY:2001-02-29", None),
])
def test_birthday_forms(line: str, expected: Birthday | None) -> None:
    draft = one(crlf(f"BEGIN:VCARD\nVERSION:3.0\nFN:B\n{line}\nEND:VCARD\n"))
    assert draft.birthday == expected
    assert line in draft.raw  # text birthdays stay in the raw card for export


# --- files and paths ----------------------------------------------------------------------------

def test_unreadable_path_raises_one_clear_line(tmp_path: Path) -> None:
    missing = tmp_path / "nope.vcf"
    with pytest.raises(UnreadablePathError) as error:
        read_vcard_file(missing)
    assert str(error.value) == f"cannot read {missing}: No such file or directory"
    with pytest.raises(UnreadablePathError):
        collect_vcf_files([missing])


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_permission_denied_is_unreadable(tmp_path: Path) -> None:
    locked = tmp_path / "locked.vcf"
    locked.write_bytes(b"BEGIN:VCARD\nFN:x\nEND:VCARD\n")
    locked.chmod(0)
    with pytest.raises(UnreadablePathError, match="Permission denied"):
        read_vcard_file(locked)


def test_directory_of_files_is_read_recursively_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.vcf").write_bytes(b"BEGIN:VCARD\nFN:B\nEND:VCARD\n")
    (tmp_path / "sub" / "a.VCARD").write_bytes(b"BEGIN:VCARD\nFN:A\nEND:VCARD\n")
    (tmp_path / "notes.txt").write_bytes(b"BEGIN:VCARD\nFN:ignored\nEND:VCARD\n")
    single = tmp_path / "loose.card"
    single.write_bytes(b"BEGIN:VCARD\nFN:Given explicitly\nEND:VCARD\n")
    files = collect_vcf_files([tmp_path / "sub", tmp_path / "b.vcf", single, tmp_path])
    assert files == sorted({tmp_path / "b.vcf", tmp_path / "sub" / "a.VCARD", single})
    results = list(read_paths([tmp_path, single]))
    assert [(Path(r.source).name, [d.name for d in r.drafts]) for r in results] == [
        ("b.vcf", ["B"]), ("loose.card", ["Given explicitly"]), ("a.VCARD", ["A"])]


def test_many_distinct_property_heads_read_the_same_as_few():
    # Each head (`itemN.TEL;TYPE=...`) is taken apart once and remembered; past the memory's bound it
    # starts afresh, and cards keep reading the same.
    from tiecrm.vcard import card

    lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:Many Heads"]
    for n in range(card._HEADS_MAX + 50):
        lines.append(f"item{n}.TEL;TYPE=work:+1 555 {n:07d}")
    lines.append(f"item{card._HEADS_MAX + 10}.X-ABLabel:boat")
    lines.append("END:VCARD")
    draft = one("\r\n".join(lines).encode())
    assert len(card._HEADS) <= card._HEADS_MAX
    assert len(draft.phones) == card._HEADS_MAX + 50
    assert draft.phones[0].label == "work"
    assert draft.phones[card._HEADS_MAX + 10].label == "boat"
    assert draft.phones[-1].value == f"+1 555 {card._HEADS_MAX + 49:07d}"
