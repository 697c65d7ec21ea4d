"""Phone and email keys, and name-similarity blocking, used when an import decides who is who."""

from __future__ import annotations

import random
import re

import pytest

from tiecrm.matching import email_key, name_key, name_tokens, phone_key, phones_match, similar_name_pairs


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("+91 98450 55501", "098450 55501"),
        ("+1 (555) 123-4567", "555-123-4567"),
        ("+44 20 7946 0958", "020 7946 0958"),
        ("0044 20 7946 0958", "+44 (0)20 7946 0958"),
        ("tel:+1-555-123-4567", "555.123.4567"),
        ("555 123 4567 ext. 12", "+1 555 123 4567"),
        ("123 4567", "+1 555 123 4567"),  # a local number saved without its area code
    ],
)
def test_same_line_written_differently_matches(a: str, b: str) -> None:
    assert phones_match(a, b)
    assert phones_match(b, a)
    assert phone_key(a) == phone_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("+1 555 123 4567", "+1 666 123 4567"),  # same last 7 digits, different area codes
        ("020 7946 0958", "030 7946 0958"),
        ("+49 89 1234 5678", "+49 30 1234 5678"),
        ("+91 98450 55501", "+91 98450 55502"),
        ("12345", "112345"),  # too short to match as a suffix
        ("112", "112"),  # fewer than 5 digits never matches
    ],
)
def test_different_lines_do_not_match(a: str, b: str) -> None:
    assert not phones_match(a, b)


def test_phone_key_is_last_seven_significant_digits() -> None:
    assert phone_key("+91 98450 55501") == "5055501"
    assert phone_key("98450 55501") == "5055501"
    assert phone_key("12345") == "12345"
    assert phone_key("1234") is None
    assert phone_key("") is None
    assert phone_key("call me") is None


def test_full_numbers_differing_by_more_than_a_country_code_do_not_match() -> None:
    # 9+ digits each, one a suffix of the other, but 4 extra digits in front is not a country code.
    assert not phones_match("2079460958", "99992079460958")
    assert phones_match("2079460958", "4402079460958")


def test_email_key_ignores_case_space_and_mailto() -> None:
    assert email_key("  Asha.Rao@Example.ORG ") == "asha.rao@example.org"
    assert email_key("mailto:asha.rao@example.org") == "asha.rao@example.org"


def test_name_key_folds_case_accents_and_order() -> None:
    assert name_key("Müller, Jörg") == name_key("jorg MULLER") == "jorg muller"
    assert name_key("José  Núñez") == "jose nunez"
    assert name_key("") == ""


def test_similar_names_are_paired_only_when_one_is_new() -> None:
    names = [(1, "John Smith"), (2, "Jon Smith"), (3, "Smith, John"), (4, "Jane Doe"), (5, "Jon Smiths")]
    pairs = similar_name_pairs(names, new_ids={2})
    assert {(a, b) for a, b, _ in pairs} == {(1, 2), (2, 3), (2, 5)}
    assert all(90 <= score <= 100 for _, _, score in pairs)
    # Nothing new, nothing to report, however similar the old names are.
    assert similar_name_pairs(names, new_ids=set()) == []


def test_identical_names_score_100_and_short_token_names_still_pair() -> None:
    names = [(1, "Li Na"), (2, "Na Li"), (3, "Wu Li"), (4, "Priya Sharma"), (5, "PRIYA SHARMA")]
    pairs = similar_name_pairs(names, new_ids={2, 5})
    assert (1, 2, 100.0) in pairs
    assert (4, 5, 100.0) in pairs
    assert all(3 not in (a, b) for a, b, _ in pairs)


def test_names_sharing_no_block_are_not_compared() -> None:
    # "Asha Rao" and "Asha Rau" differ by one letter, but only "Asha" is shared and the whole names
    # score below 90: no pair. A different first name with the same surname does not pair either.
    names = [(1, "Asha Rao"), (2, "Asha Rau"), (3, "Ravi Rao")]
    assert similar_name_pairs(names, new_ids={1, 2, 3}) == []
    assert similar_name_pairs(names, new_ids={1, 2, 3}, threshold=85) == [(1, 2, 87.5)]


def test_a_very_common_token_does_not_hide_near_equal_names() -> None:
    # 300 people named Rahul push the "rahul" block past its split size; the near-equal pair survives.
    names = [(n, f"Rahul Surname{n:03d}x") for n in range(1, 301)]
    names += [(1000, "Rahul Sharma"), (1001, "Rahul Sharmaa")]
    pairs = similar_name_pairs(names, new_ids={1001})
    assert (1000, 1001) in {(a, b) for a, b, _ in pairs}



def test_a_different_first_name_with_the_same_surname_is_not_a_candidate() -> None:
    names = [(1, "Priya Sharma"), (2, "Pooja Sharma"), (3, "Priya Sharma")]
    assert similar_name_pairs(names, new_ids={2, 3}) == [(1, 3, 100.0)]


def test_phone_digits_reads_ascii_numbers_as_the_general_rule_does() -> None:
    import random
    import re

    from tiecrm.matching import phone_digits

    table = str.maketrans("", "", " ()-.+/\t\u00a0")

    def general(value: str) -> str:  # the rule for any text, without the ASCII shortcut
        text = value.strip().replace("(0)", "")
        digits = text.translate(table)
        if not (digits.isascii() and digits.isdigit()):
            if text[:4].lower() == "tel:":
                text = text[4:]
            text = re.split(r"(?:ext\.?|extension|[,;xXpPwW#])", text, maxsplit=1, flags=re.IGNORECASE)[0]
            digits = re.sub(r"\D+", "", text)
        if digits.startswith("00"):
            return digits[2:]
        return digits[1:] if digits.startswith("0") else digits

    alphabet = "0123456789 ()-.+/\t\u00a0xXpPwW#;,extEXT:tel\u0660\u0661"
    rnd = random.Random(11)
    samples = ["+44 (0)20 7946 0000", "tel:+1-555-0100", "0049 30 1234567 ext 12", "(030) 123-4567"]
    samples += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 18))) for _ in range(20_000)]
    assert [phone_digits(s) for s in samples] == [general(s) for s in samples]
    assert phone_digits("+44 (0)20 7946 0000") == "442079460000"


def _tokens_of_the_whole_name(name: str) -> list[str]:
    """name_tokens as it was first written: the whole name casefolded, accents stripped, then split."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return sorted(re.findall(r"\w+", "".join(ch for ch in decomposed if not unicodedata.combining(ch))))


def test_name_tokens_word_by_word_are_those_of_the_whole_name() -> None:
    # Spaces of every kind, punctuation inside words, compatibility forms that decompose to several
    # characters or to a space, and letters whose case folding changes their length.
    names = ["Müller, Jörg", "O'Brien  Seán\u00a0Ó\u3000Súilleabháin", "Ⅻ ﬁ ⑴ ½ ¨a", "ΣΑΣ σας", "Straße STRASSE",
             "\u2028x\u205fy\tz", "İstanbul \u212aelvin", "陈 王芳-李娜", "", "   ", "José José"]
    rng = random.Random(7)
    alphabet = [chr(code) for code in range(0x20, 0x3100) if chr(code).isprintable() or chr(code).isspace()]
    names += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 16))) for _ in range(20_000)]
    for name in names * 2:  # the second time round, every word comes from the cache
        assert name_tokens(name) == _tokens_of_the_whole_name(name), name
    first = name_tokens("Jörg Müller")
    first.append("changed")  # a caller's list is its own: the cache keeps its words
    assert name_tokens("Jörg Müller") == ["jorg", "muller"]
