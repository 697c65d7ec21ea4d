"""Every corpus card survives read -> write (3.0 and 4.0) -> read with its name, phones, emails, birthday, note, org."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from tiecrm.domain import Bucket, CardDraft, PersonDetail, PersonSummary
from tiecrm.vcard import read_vcard_bytes, read_vcard_file
from tiecrm.vcard.write import fallback_uid, write_card, write_cards

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "vcards"
CORPUS_FILES = sorted(CORPUS.rglob("*.vcf")) if CORPUS.is_dir() else []


def _detail(draft: CardDraft, bucket: Bucket = Bucket.NURTURE, minutes: int = 95) -> PersonDetail:
    summary = PersonSummary(
        id=1, name=draft.name, bucket=bucket,
        phones=tuple(p.value for p in draft.phones), emails=tuple(e.value for e in draft.emails),
        org=draft.org, title=draft.title, birthday=draft.birthday, note=draft.note,
        minutes_invested=minutes,
    )
    return PersonDetail(summary=summary, phones=tuple(draft.phones), emails=tuple(draft.emails),
                        addresses=tuple(draft.addresses), photo=draft.photo)


def _only_card(text: str) -> CardDraft:
    result = read_vcard_bytes(text.encode("utf-8"), "exported.vcf")
    assert result.problems == []
    assert len(result.drafts) == 1
    return result.drafts[0]


@pytest.mark.skipif(not CORPUS_FILES, reason="the real-export corpus (../shared/vcards) is not present")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_corpus_card_survives_export(path: Path, version: str) -> None:
    for draft in read_vcard_file(path).drafts:
        exported = write_card(_detail(draft), [draft.raw], version=version)
        again = _only_card(exported)
        assert again.version == version
        assert again.name == draft.name
        assert [p.value for p in again.phones] == [p.value for p in draft.phones]
        assert [e.value for e in again.emails] == [e.value for e in draft.emails]
        assert [a.value for a in again.addresses] == [a.value for a in draft.addresses]
        assert again.birthday == draft.birthday
        assert again.note == draft.note
        assert again.org == draft.org
        assert again.title == draft.title
        assert again.photo == draft.photo
        assert again.tiecrm == {"bucket": "nurture", "minutes": "95"}
        assert again.warnings == []
        for line in exported.split("\r\n"):
            assert len(line.encode("utf-8")) <= 75


@pytest.mark.skipif(not CORPUS_FILES, reason="the real-export corpus (../shared/vcards) is not present")
def test_unowned_properties_are_carried_over() -> None:
    draft = read_vcard_file(CORPUS / "ez-vcard" / "John_Doe_IPHONE.vcf").drafts[0]
    exported = write_card(_detail(draft), [draft.raw])
    assert "NICKNAME:Johny\r\n" in exported
    # The home page keeps its Apple label through the shared group name.
    url = re.search(r"^(\w+)\.URL;TYPE=pref:http\\://www\.ibm\.com\r$", exported, re.MULTILINE)
    assert url is not None
    assert f"{url.group(1)}.X-ABLABEL:_$!<HomePage>!$_\r\n" in exported


SAMSUNG_LIKE = (
    "BEGIN:VCARD\r\nVERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\n"
    "TEL;CELL:+49 151 1234567\r\n"
    "X-NICK;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgi=0AZweite Zeile\r\n"
    "URL;WORK:http://example.org/~jm\r\n"
    "X-TIECRM-BUCKET:vanity\r\n"
    "END:VCARD\r\n"
)


def test_quoted_printable_unknown_property_is_written_as_utf8_text() -> None:
    draft = _only_card(SAMSUNG_LIKE)
    exported = write_card(_detail(draft, Bucket.INNER, 30), [draft.raw], version="3.0")
    assert "X-NICK:Jürgi\\nZweite Zeile\r\n" in exported
    assert "URL;TYPE=WORK:http://example.org/~jm\r\n" in exported
    assert "QUOTED-PRINTABLE" not in exported and "CHARSET" not in exported
    # tiecrm's own properties come from the person, not from the old card.
    assert exported.count("X-TIECRM-BUCKET") == 1
    assert _only_card(exported).tiecrm == {"bucket": "inner", "minutes": "30"}


def test_text_is_escaped_per_version_and_survives() -> None:
    draft = _only_card("BEGIN:VCARD\nVERSION:3.0\nFN:Doe\\, John\nNOTE:a\\, b\\; c\\\\d\\nnext\nEND:VCARD\n")
    assert draft.note == "a, b; c\\d\nnext"
    three = write_card(_detail(draft), [draft.raw], version="3.0")
    four = write_card(_detail(draft), [draft.raw], version="4.0")
    assert "NOTE:a\\, b\\; c\\\\d\\nnext\r\n" in three
    assert "NOTE:a\\, b; c\\\\d\\nnext\r\n" in four  # RFC 6350 text has no \; outside structured values
    for exported in (three, four):
        again = _only_card(exported)
        assert (again.name, again.note) == ("Doe, John", "a, b; c\\d\nnext")


def test_year_less_birthday_is_written_as_dash_dash_in_both_versions() -> None:
    draft = _only_card("BEGIN:VCARD\nVERSION:3.0\nFN:A\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-05-09\nEND:VCARD\n")
    for version in ("3.0", "4.0"):
        exported = write_card(_detail(draft), [draft.raw], version=version)
        assert "BDAY:--0509\r\n" in exported
        assert _only_card(exported).birthday == draft.birthday


def test_long_lines_fold_without_splitting_characters() -> None:
    note = "Привет, мир! " * 20
    draft = _only_card(f"BEGIN:VCARD\nVERSION:3.0\nFN:A\nNOTE:{note.strip()}\nEND:VCARD\n")
    exported = write_card(_detail(draft), [draft.raw])
    lines = exported.split("\r\n")
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert all(line.encode("utf-8").decode("utf-8") == line for line in lines)
    assert _only_card(exported).note == note.strip()


def test_custom_label_travels_as_apple_label() -> None:
    text = ("BEGIN:VCARD\nVERSION:3.0\nFN:A\nitem1.TEL:+1 555 0100\nitem1.X-ABLabel:Boat phone\n"
            "TEL;TYPE=WORK,FAX:+1 555 0101\nEND:VCARD\n")
    draft = _only_card(text)
    assert [(p.value, p.label) for p in draft.phones] == [("+1 555 0100", "Boat phone"), ("+1 555 0101", "work fax")]
    again = _only_card(write_card(_detail(draft), [draft.raw], version="4.0"))
    assert [(p.value, p.label) for p in again.phones] == [(p.value, p.label) for p in draft.phones]


def test_write_cards_writes_one_card_per_person_with_given_uid() -> None:
    first = _only_card("BEGIN:VCARD\nVERSION:3.0\nUID:abc-1\nFN:One\nEND:VCARD\n")
    second = _only_card("BEGIN:VCARD\nVERSION:3.0\nFN:Two\nEND:VCARD\n")
    text = write_cards([(_detail(first), [first.raw]), (_detail(second), [second.raw])], version="4.0")
    result = read_vcard_bytes(text.encode("utf-8"))
    assert [d.name for d in result.drafts] == ["One", "Two"]
    assert result.drafts[0].uid == "abc-1"
    # A person whose cards had no UID gets a stable one, so two same-named people stay two.
    assert result.drafts[1].uid == fallback_uid(_detail(second).summary)
    assert result.drafts[1].uid.startswith("urn:uuid:")
    assert _only_card(write_card(_detail(second), [], uid="urn:uuid:1234")).uid == "urn:uuid:1234"
    explicit = write_cards([(_detail(first), [first.raw], "urn:uuid:person-7")])
    assert _only_card(explicit).uid == "urn:uuid:person-7"
    detail = _detail(first)
    own = PersonDetail(summary=replace(detail.summary, uid="store-uid-9"))
    assert _only_card(write_card(own, [first.raw])).uid == "store-uid-9"
