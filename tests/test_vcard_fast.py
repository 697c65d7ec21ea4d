"""The card reader's shortcuts give what the general rules give: fast path, unescaping, birthdays, prepared fields."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from tests.bench.gen_phone_export import generate_phone_export
from tiecrm.domain import Birthday, CardDraft, Email, Phone
from tiecrm.store.prepared import NO_NAME, prepared_fields
from tiecrm.vcard import card
from tiecrm.vcard.dates import parse_birthday
from tiecrm.vcard.decode import decode_vcard_bytes
from tiecrm.vcard.lines import NeedsLineByLine, unfolded_lines
from tiecrm.vcard.split import iter_cards
from tiecrm.vcard.values import _ESCAPE, _UNESCAPED, unescape

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "vcards"


def test_card_parts_are_a_card_drafts_fields_in_order() -> None:
    # draft_of passes a CardParts' fields to CardDraft positionally, from `org` on.
    assert list(card.CardParts._fields) == [field.name for field in dataclasses.fields(CardDraft)] == [
        "name", "raw", "source", "line", "uid", "version", "phones", "emails", "addresses", "org", "title",
        "birthday", "note", "photo", "photo_type", "photo_url", "tiecrm", "warnings",
    ]


def test_a_draft_and_its_parts_hold_the_same_card() -> None:
    for chunk in iter_cards(decode_vcard_bytes(generate_phone_export(200, seed=12)).text, []):
        parts = card.build_parts(chunk, "x.vcf")
        draft = card.build_draft(chunk, "x.vcf")
        assert card.draft_of(parts) == draft and card.parts_of(draft) == parts
        assert prepared_fields(draft) == prepared_fields(parts)


def _fast_and_slow(text: str) -> tuple[int, int]:
    """Every card the fast path reads is read line by line too; (cards compared, cards that differ)."""
    compared = differing = 0
    for chunk in iter_cards(text, []):
        try:
            fast = card._read(unfolded_lines(chunk.segments), True, chunk, "x.vcf", [])
        except NeedsLineByLine:
            continue
        compared += 1
        differing += fast != card._slow(chunk, "x.vcf")
    return compared, differing


def test_fast_path_reads_a_phone_export_as_the_line_by_line_path_does() -> None:
    compared, differing = _fast_and_slow(decode_vcard_bytes(generate_phone_export(400, seed=11)).text)
    assert compared > 350
    assert differing == 0


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_fast_path_reads_the_corpus_as_the_line_by_line_path_does() -> None:
    totals = [_fast_and_slow(decode_vcard_bytes(path.read_bytes()).text) for path in sorted(CORPUS.rglob("*.vcf"))]
    assert sum(compared for compared, _ in totals) > 100
    assert sum(differing for _, differing in totals) == 0


def test_every_kind_of_property_on_the_fast_path() -> None:
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nitem1.TEL;type=pref:tel:+1 555 0100\nitem1.X-ABLabel:_$!<Mobile>!$_\n"
        "ITEM1.X-ABLabel:second\nTEL;TYPE=WORK:+1 555 0100\nTEL;TYPE=CELL: 555\\,0101 \n"
        "EMAIL;TYPE=HOME:mailto:Ann@Example.org\nEMAIL:ann@example.ORG\nitem2.EMAIL:a2@example.org\n"
        "N:Doe;Ann;;;\nNOTE:one\\nline\nNOTE:\nNOTE:two\nORG:;ACME\\, Inc.;Lab\nORG:Other\nTITLE:Boss\\;s\n"
        "ADR;TYPE=HOME:;;1 Main St\\nFlat 2;Town;;;\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29\nBDAY:1999-01-01\n"
        "UID: u-1 \nX-TIECRM-BUCKET:inner\nX-OTHER:x\nEND:VCARD\n"
    )
    chunk = next(iter_cards(text, []))
    parts = card._read(unfolded_lines(chunk.segments), True, chunk, "x.vcf", [])
    assert parts == card._slow(chunk, "x.vcf")
    draft = card.draft_of(parts)
    assert draft.phones == [Phone("+1 555 0100", "mobile"), Phone("555,0101", "cell")]
    assert draft.emails == [Email("Ann@Example.org", "home"), Email("a2@example.org", "")]
    assert [address.value for address in draft.addresses] == ["1 Main St, Flat 2, Town"]
    assert (draft.name, draft.org, draft.title, draft.note) == ("Ann Doe", "ACME, Inc., Lab", "Boss;s", "one\nline\n\ntwo")
    assert (draft.birthday, draft.uid, draft.tiecrm, draft.version) == (Birthday(2, 29, None), "u-1", {"bucket": "inner"}, "3.0")


def test_unescape_gives_what_the_escape_pattern_gives() -> None:
    def by_pattern(value: str) -> str:
        return _ESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(0)), value)

    rng = random.Random(5)
    values = ["".join(rng.choice("\\nN,;:ab\n") for _ in range(rng.randint(0, 12))) for _ in range(20000)]
    values += ["a\\", "\\", "\\\\n", "\\\n", "x\\,y\\;z\\:w\\Nv\\q"]
    assert sum("\\" in value and "\\\\" not in value for value in values) > 5000  # the replacing shortcut
    assert [unescape(value) for value in values] == [by_pattern(value) for value in values]


@pytest.mark.parametrize("basic, extended", [
    ("19781229", "1978-12-29"), ("16040509", "1604-05-09"), ("00000101", "0000-01-01"),
    ("20000229", "2000-02-29"), ("19000229", "1900-02-29"), ("19781329", "1978-13-29"),
    ("١٩٧٨١٢٢٩", "1978-12-29T00:00:00Z"),  # Arabic-Indic digits are digits to the pattern as well
])
@pytest.mark.parametrize("omit_year", [False, True])
def test_eight_digit_birthdays_read_as_dated_ones(basic: str, extended: str, omit_year: bool) -> None:
    assert parse_birthday(basic, omit_year) == parse_birthday(extended, omit_year)


def test_eight_digit_birthdays() -> None:
    assert parse_birthday(" 19781229 ") == Birthday(12, 29, 1978)
    assert parse_birthday("16040509") == Birthday(5, 9, None)
    assert parse_birthday("19000229") is None
    assert parse_birthday("1978122") == Birthday(12, 2, 1978)  # seven digits still go through the pattern
    assert parse_birthday("17190000") is None


def test_prepared_fields_name_after_contact_and_stripped_values() -> None:
    def prepared(name: str, phones: list[Phone], emails: list[Email]) -> tuple:
        return prepared_fields(CardDraft(name=name, raw="r", phones=phones, emails=emails))

    fields = prepared(" +1 555 0100 ", [Phone(" +1 555 0100 ", "cell")], [Email(" A@B.org ", "home")])
    assert fields[7] is True
    assert fields[15] == (("+1 555 0100", "cell", "15550100"),)
    assert fields[16] == (("A@B.org", "home", "a@b.org"),)
    assert prepared("A@B.org", [Phone("1")], [Email("x@y.org"), Email(" A@B.org")])[7] is True
    assert prepared(NO_NAME, [], [])[7] is True
    assert prepared("Ann", [Phone("Ann2")], [Email("ann")])[7] is False


def test_soft_breaks_are_joined_on_the_fast_path_as_line_by_line() -> None:
    # Quoted-printable values broken at random, with what real exports put after a soft break: plain text, a
    # fold's space or tab (sometimes cutting an escape in two), an empty line, the card's end; and `=` at the
    # end of lines that are not quoted-printable.
    rng = random.Random(3)
    pieces = ["=C3=A9", "=D0=9A=D0=BE", "abc", " ", "=3D", "x=", ";", "=E9=88=B4", "Doe, J"]
    heads = ["FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE", "NOTE;ENCODING=quoted-printable", "N;QUOTED-PRINTABLE",
             "item1.ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE", "NOTE", "X-NOTE;ENCODING=8BIT"]
    cards = []
    for _ in range(3000):
        lines = ["BEGIN:VCARD", "VERSION:2.1"]
        for _ in range(rng.randint(1, 4)):
            value = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
            text = f"{rng.choice(heads)}:{value}"
            broken = []
            while len(text) > 8 and rng.random() < 0.7:
                cut = rng.randint(1, len(text) - 1)
                broken.append(text[:cut] + "=")
                text = rng.choice(["", "", " ", "\t", "  "]) + text[cut:]
            lines += broken + [text]
        if rng.random() < 0.1:
            lines.append("")
        lines.append("TEL:+1 555 0100" + rng.choice(["", "="]))
        lines.append("END:VCARD")
        cards.append("\n".join(lines) + "\n")
    text = "".join(cards)
    compared, differing = _fast_and_slow(text)
    assert differing == 0
    # Cards the fast path leaves to the line-by-line one (bytes not valid in the charset, which need a warning;
    # a soft break in a property's head, or before a blank line) are not compared.
    assert compared > 800
    folded = _fast_and_slow("".join(card for card in cards if "=\n " in card or "=\n\t" in card))
    assert folded[0] > 300 and folded[1] == 0
