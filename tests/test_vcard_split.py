"""iter_cards' shortcut for plain exports finds exactly the cards its general path finds, and leaves every
other text to it."""

from __future__ import annotations

import pytest

from tests.bench.gen_phone_export import generate_phone_export
from tiecrm.vcard import split
from tiecrm.vcard.decode import decode_vcard_bytes
from tiecrm.vcard.reader import collect_vcf_files

PLAIN = "BEGIN:VCARD\nVERSION:3.0\nFN:Asha Rao\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Ravi\nEND:VCARD\n"


def _both_ways(text: str) -> tuple[list, list, list, list]:
    strays_any: list = []
    strays: list = []
    return list(split._any_cards(text, strays_any)), strays_any, list(split.iter_cards(text, strays)), strays


def test_a_generated_phone_export_takes_the_shortcut_and_gives_the_same_cards() -> None:
    text = decode_vcard_bytes(generate_phone_export(600, seed=21)).text
    assert split._plain_card_spans(text) is not None
    general, general_strays, got, strays = _both_ways(text)
    assert got == general and len(got) == 600 and strays == general_strays == []
    assert got[1].line == got[0].line + got[0].raw.count("\n")


@pytest.mark.parametrize("text", [
    PLAIN.replace("FN:Ravi", "BEGIN:VCARD\nFN:Inner\nEND:VCARD\nFN:Ravi"),  # a card inside another
    PLAIN.replace("END:VCARD\nBEGIN", "END:VCARD\nnotes between cards\nBEGIN"),  # text between cards
    PLAIN.replace("END:VCARD\nBEGIN", "END:VCARD\n\nBEGIN"),  # a blank line between cards
    PLAIN.replace("BEGIN:VCARD", "begin:vcard", 1),  # a marker in other capitals
    PLAIN.replace("END:VCARD\nBEGIN", "item1.END:VCARD\nBEGIN"),  # a marker with a group
    PLAIN + "trailing text\n",
    PLAIN[:-1],  # no newline at the end
    PLAIN.replace("FN:Ravi\nEND:VCARD\n", "FN:Ravi\n"),  # the last card never closed
    PLAIN.replace("FN:Asha Rao", "NOTE:see BEGIN:VCARD in the text"),
    "\n" + PLAIN,
])
def test_anything_but_plain_cards_goes_the_general_way(text: str) -> None:
    assert split._plain_card_spans(text) is None
    general, general_strays, got, strays = _both_ways(text)
    assert got == general and strays == general_strays


def test_the_plain_shape_gives_the_general_cards() -> None:
    general, _, got, _ = _both_ways(PLAIN)
    assert split._plain_card_spans(PLAIN) is not None
    assert got == general and [chunk.line for chunk in got] == [1, 5]


def test_every_corpus_file_gives_the_same_cards_either_way(corpus) -> None:
    shortcut = 0
    for path in collect_vcf_files([corpus]):
        text = decode_vcard_bytes(path.read_bytes()).text
        shortcut += split._plain_card_spans(text) is not None
        general, general_strays, got, strays = _both_ways(text)
        assert (got, strays) == (general, general_strays), path.name
    assert shortcut > 10, "plain exports in the corpus take the shortcut"
