"""People search: typo, prefix, multi-word, phone digits, accents, ranking, edits, and resolving a PERSON."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tiecrm import search
from tiecrm.search import PeopleIndex, query_words, resolve_person, word_lines

PRIYA = 1
PRIYANKA = 2
JOSE = 3
SAM_LEE = 4
SAM_PATEL = 5
SAMANTHA = 6
MEERA = 7
ANAND = 8
PRIYA_WIPRO = 9
OBRIEN = 10
ZOE = 11

ROWS = [
    (PRIYA, "Priya Sharma", "Infosys", "priya.sharma@infosys.com", "+91 98450 55123", "met at Pune offsite"),
    (PRIYANKA, "Priyanka Iyer", "Flipkart", "priyanka@gmail.com", "+91 70221 40001", ""),
    (JOSE, "José Álvarez", "Telefónica", "jose.alvarez@telefonica.es", "+34 612 345 678", "plays padel"),
    (SAM_LEE, "Sam Lee", "", "sam.lee@example.org", "", ""),
    (SAM_PATEL, "Sam Patel", "Acme Plumbing", "", "0161 496 0000", ""),
    (SAMANTHA, "Samantha Ruth", "", "", "", "cousin of Sam Lee"),
    (MEERA, "Meera Nair", "", "meera@nair.in", "", "introduced by Priya at the Infosys party"),
    (ANAND, "Anand Prithvi", "Wipro", "", "", ""),
    (PRIYA_WIPRO, "Priya Menon", "Wipro", "", "+91 99000 11122", ""),
    (OBRIEN, "Siobhan O'Brien", "", "", "", ""),
    (ZOE, "Zoë Ødegård", "", "zoe@example.no", "", ""),
]


@pytest.fixture(params=[True, False], ids=["vocabulary", "scanning"])
def index(request) -> PeopleIndex:
    return PeopleIndex(ROWS, vocabulary=request.param)


def test_a_typo_still_finds_the_name(index):
    found = index.search("priay")
    assert set(found[:2]) == {PRIYA, PRIYA_WIPRO}
    assert PRIYANKA not in found  # three edits away


def test_a_prefix_finds_names_that_start_with_it(index):
    found = index.search("pri")
    assert set(found[:3]) == {PRIYA, PRIYANKA, PRIYA_WIPRO}  # first names first
    assert ANAND in found  # "Prithvi" is a later word of the name
    assert found.index(ANAND) > found.index(PRIYANKA)


def test_every_word_must_match_somewhere(index):
    # Meera's notes mention both words; Priya has them in her name and organisation.
    assert index.search("priya infosys") == [PRIYA, MEERA]
    assert index.search("priya wipro") == [PRIYA_WIPRO]
    assert index.search("priya flipkart") == [PRIYANKA]  # "priya" starts "Priyanka"
    assert index.search("sharma wipro") == []


def test_digits_find_phone_numbers_whatever_the_punctuation(index):
    assert index.search("9845055") == [PRIYA]
    assert index.search("98450 55123") == [PRIYA]
    assert index.search("+91 98450-55123") == [PRIYA]
    assert index.search("612345") == [JOSE]


def test_a_national_number_with_a_leading_zero_finds_the_stored_number(index):
    assert index.search("0161 496") == [SAM_PATEL]


def test_accents_are_folded_both_ways(index):
    assert index.search("jose") == [JOSE]
    assert index.search("JOSÉ ÁLVAREZ") == [JOSE]
    assert index.search("telefonica") == [JOSE]
    assert index.search("zoe odegard") == [ZOE]
    assert index.search("Ødegård") == [ZOE]


def test_apostrophes_join_rather_than_split(index):
    assert index.search("obrien") == [OBRIEN]
    assert index.search("o'brien") == [OBRIEN]


def test_emails_and_organisations_are_searched(index):
    assert index.search("priya.sharma") == [PRIYA]
    assert index.search("flipkart") == [PRIYANKA]
    assert set(index.search("wipro")) == {ANAND, PRIYA_WIPRO}
    assert index.search("priya.sharma@infosys.com") == [PRIYA]
    assert index.search("gmail.com") == [PRIYANKA]
    assert index.search("meera@nair.in") == [MEERA]


def test_a_name_outranks_a_mention_in_someone_elses_notes(index):
    found = index.search("priya")
    assert MEERA in found  # her notes mention Priya
    assert found.index(MEERA) > found.index(PRIYA)
    assert found.index(MEERA) > found.index(PRIYA_WIPRO)


def test_the_exact_whole_name_comes_first(index):
    found = index.search("sam lee")
    assert found[0] == SAM_LEE
    assert SAMANTHA in found  # "cousin of Sam Lee" in her notes, ranked below
    found = index.search("sam")
    assert found[:2] == [SAM_LEE, SAM_PATEL]  # a whole word beats the start of "Samantha"
    assert found.index(SAMANTHA) == 2


def test_blank_query_gives_nothing_and_limit_cuts(index):
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("--") == []
    assert len(index.search("s", limit=2)) == 2
    assert index.search("s", limit=2) == index.search("s")[:2]


def test_nonsense_finds_nobody(index):
    assert index.search("xqzvw") == []


def test_upsert_and_remove_keep_the_index_current(index):
    index.upsert((PRIYANKA, "Priyanka Iyer", "Razorpay", "", "", ""))
    assert index.search("flipkart") == []
    assert index.search("razorpay") == [PRIYANKA]
    index.upsert((99, "Aarav Kulkarni", "", "", "+91 90000 12345", ""))
    assert index.search("aarav") == [99]
    assert index.search("9000012") == [99]
    index.remove(99)
    index.remove(12345)  # unknown ids are ignored
    assert index.search("aarav") == []
    assert len(index) == len(ROWS)


@pytest.mark.parametrize("compact_after", [500, 2])
def test_an_index_grown_by_upserts_answers_like_one_built_at_once(monkeypatch, compact_after):
    monkeypatch.setattr(search, "COMPACT_AFTER_EDITS", compact_after)
    built = PeopleIndex(ROWS)
    grown = PeopleIndex(ROWS[:3])
    for row in reversed(ROWS[3:]):
        grown.upsert(row)
    grown.upsert(ROWS[0])  # re-upserting unchanged is harmless
    grown.upsert((77, "Temporary Person", "Infosys", "", "", "pri"))
    grown.remove(77)
    for query in ("pri", "priay", "sam", "s", "wipro", "9845055", "zoe", "infosys", "a"):
        assert grown.search(query) == built.search(query), query


def test_folding_many_texts_at_once_matches_folding_each_alone():
    texts = [
        "José O'Brien", "", "  --  ", "Zoë—Ødegård “Zoe”", "王伟 Wang", "प्रिया शर्मा", "김민준",
        "ＡＢＣ １２３", "İstanbul Straße", "e\u0301cole", "tab\there\nnewline", "[bold red]Mallory[/]",
        "\x1b[31mred", "a.b@c.co.uk x@y.com",
    ]
    assert word_lines(texts) == [word_lines([text])[0] for text in texts]
    assert word_lines(texts, tidy=False) == [word_lines([text], tidy=False)[0] for text in texts]
    assert word_lines(["José O'Brien", "Zoë—Ødegård", "  --  "]) == [" jose obrien ", " zoe odegard ", " "]
    assert query_words("İstanbul Straße") == ["istanbul", "strasse"]


def test_a_record_separator_inside_contact_text_does_not_shift_anyone():
    rows = [
        (1, "Ada\x1eLovelace", "", "", "+44\x1e20", "note\x1e\x1ewith separators"),
        (2, "Grace Hopper", "Navy", "grace@navy.mil", "+1 555 0100", ""),
    ]
    index = PeopleIndex(rows)
    assert index.search("grace") == [2]
    assert index.search("navy") == [2]
    assert index.search("5550100") == [2]
    assert index.search("lovelace") == [1]
    assert index.search("separators") == [1]


def test_top_level_domains_are_not_searched(index):
    assert query_words("a.b@c.co.uk x@Y.COM") == ["a", "b", "c", "x", "y"]
    # "com" and "org" would otherwise match everyone with an address.
    assert index.search("com") == []


# -- resolve_person ------------------------------------------------------------------------------


def test_resolve_an_id():
    assert resolve_person(str(JOSE), ROWS) == (JOSE, [JOSE])
    assert resolve_person(f"#{JOSE}", ROWS) == (JOSE, [JOSE])


def test_resolve_an_exact_name_ignoring_case():
    assert resolve_person("sam lee", ROWS) == (SAM_LEE, [SAM_LEE])
    assert resolve_person("  PRIYA   SHARMA ", ROWS) == (PRIYA, [PRIYA])


def test_resolve_a_clear_fuzzy_winner():
    assert resolve_person("priya sharmaa", ROWS) == (PRIYA, [PRIYA])
    assert resolve_person("jose alvarez", ROWS) == (JOSE, [JOSE])


def test_two_people_of_the_same_name_are_ambiguous():
    rows = ROWS + [(42, "Sam Lee", "Wipro", "", "", "")]
    person, candidates = resolve_person("Sam Lee", rows)
    assert person is None
    assert set(candidates[:2]) == {SAM_LEE, 42}
    assert len(candidates) <= 10


def test_a_first_name_shared_by_several_is_ambiguous():
    person, candidates = resolve_person("sam", ROWS)
    assert person is None
    assert candidates[:2] == [SAM_LEE, SAM_PATEL]
    assert SAMANTHA in candidates


def test_resolve_nothing():
    assert resolve_person("xqzvw", ROWS) == (None, [])
    assert resolve_person("", ROWS) == (None, [])
    assert resolve_person("4242", ROWS) == (None, [])  # not an id, not a name


def test_an_empty_index_finds_nobody_and_can_grow():
    index = PeopleIndex([])
    assert index.search("anyone") == []
    assert resolve_person("anyone", []) == (None, [])
    index.upsert((1, "First Person", "", "", "", ""))
    assert index.search("first") == [1]


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "vcards"


def _queries_from(rows: list[search.SearchRow]) -> list[str]:
    """What people type: whole words, prefixes, a word with one letter dropped, two words, digits."""
    queries = ["a", "ma", "gmail", "+49 30", "0", "o brien", "straße"]
    for row in rows[::7]:
        words = query_words(row[1])
        for word in words[:2]:
            queries += [word, word[:3], word[:1] + word[2:]]
        if len(words) > 1:
            queries.append(f"{words[-1]} {words[0][:2]}")
        queries += query_words(row[2])[:1] + query_words(row[3])[:1]
        digits = "".join(filter(str.isdigit, row[4]))
        if digits:
            queries += [digits[-6:], row[4][:7]]
    return [query for query in queries if query.strip()]


def test_scanning_for_words_ranks_the_corpus_exactly_like_the_vocabulary(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip("the real-export corpus (../shared/vcards) is not present")
    from tiecrm.importing import import_paths
    from tiecrm.store.repository import Repository

    repo = Repository(tmp_path / "corpus.db")
    try:
        import_paths(repo, [CORPUS])
        rows = repo.search_rows()
    finally:
        repo.close()
    assert len(rows) > 100
    built = PeopleIndex(rows)
    scanning = PeopleIndex(rows, vocabulary=False)
    queries = _queries_from(rows)
    assert len(queries) > 100
    for query in queries:
        assert scanning.search(query) == built.search(query), query
    assert sum(map(bool, map(built.search, queries))) > len(queries) // 2  # the queries do find people


def test_a_scanning_index_stays_current_through_edits():
    built = PeopleIndex(ROWS)
    scanning = PeopleIndex(ROWS[:3], vocabulary=False)
    for row in ROWS[3:]:
        scanning.upsert(row)
    scanning.upsert((77, "Temporary Priya", "Wipro", "", "", ""))
    scanning.remove(77)
    for query in ("pri", "priay", "sam", "s", "wipro", "9845055", "zoe", "infosys", "a", "temporary"):
        assert scanning.search(query) == built.search(query), query


# People whose contact fields only fold into a match: accents, an apostrophe, upper case, punctuation.
FILTER_PEOPLE = [
    ("Maria Keller", ["+49 30 1234 5678"], ["MARIA.K@web.de"], "Met at the Zurich fair"),
    ("Jonas Weber", ["030 1234-9999", "0171 555"], ["j.weber@posteo.de", "jonas@keller-bau.de"], "knows maría"),
    ("Ana Lima", [], ["ana@exemplo.br"], "O'Keller's cousin; plays Zurich-style jass"),
    ("Ben Okafor", ["+44 20 7946 0958"], ["ben@okafor.uk"], "Ｋｅｌｌｅｒ in full width"),
    ("Chloé Martin", ["(01) 23 45 67 89"], ["chloe.martin@orange.fr"], ""),
    ("Dev Rao", ["98450 55123"], ["dev`rao@x.in", "d.rao@maria-labs.com"], "line one\nline two keller"),
]
FILTER_QUERIES = ["maria", "keller", "zurich", "okeller", "jass", "4930", "+49 30", "1234", "555",
                  "weber", "maria keller", "orange", "rao", "ana", "dev rao", "chloe", "z", "ke", "kelle",
                  "devrao", "two", "30 1234", "0171", "maría", "exemplo.br", "full width"]


def test_rows_left_out_by_a_field_filter_change_no_answer(tmp_path, fixed_now):
    from tiecrm.domain import CardDraft, Email, Phone
    from tiecrm.store.repository import Repository

    repo = Repository(tmp_path / "filter.db", now=lambda: fixed_now)
    try:
        repo.import_drafts([
            CardDraft(name=name, raw=f"BEGIN:VCARD\nFN:{name}\nEND:VCARD", phones=[Phone(p) for p in phones],
                      emails=[Email(e) for e in emails], note=note)
            for name, phones, emails, note in FILTER_PEOPLE
        ])
        ids = {p.name: p.id for p in repo.list_people()}
        # Only the latest interaction note is searched: an older one that matches must not be read.
        repo.log_interaction(ids["Ben Okafor"], 10, note="lunch with keller", at=datetime(2026, 1, 1))
        repo.log_interaction(ids["Ben Okafor"], 10, note="call about jass", at=datetime(2026, 2, 1))
        repo.log_interaction(ids["Ana Lima"], 10, note="Telefonat: Wéber", at=datetime(2026, 3, 1))
        full = repo.search_rows()
        for query in FILTER_QUERIES:
            filtered = repo.search_rows(search.field_filter(query))
            assert [row[:3] for row in filtered] == [row[:3] for row in full]
            expected = PeopleIndex(full).search(query)
            assert PeopleIndex(filtered, vocabulary=False).search(query) == expected, query
            assert PeopleIndex(filtered).search(query) == expected, query
        # The filter does leave texts out, and keeps every one that only folding turns into a match.
        kept = {row[1]: row for row in repo.search_rows(search.field_filter("keller"))}
        assert kept["Maria Keller"][3:] == ("", "", "")  # no "keller" in her email, no phones read
        assert kept["Jonas Weber"][3] == "jonas@keller-bau.de"  # of his two emails, the one that may match
        assert kept["Ana Lima"][5] == "O'Keller's cousin; plays Zurich-style jass\nTelefonat: Wéber"
        assert kept["Ben Okafor"][5] == "Ｋｅｌｌｅｒ in full width"  # not the older "lunch with keller"
        assert kept["Dev Rao"][3:] == ("dev`rao@x.in", "", "line one\nline two keller")
        assert repo.search_rows(search.field_filter("4930"))[0][4] == "+49 30 1234 5678"
        # Upper case in a text never hides a word: "MARIA" may match "maria".
        assert {row[1]: row for row in repo.search_rows(search.field_filter("maria"))}["Maria Keller"][3] == (
            "MARIA.K@web.de")
    finally:
        repo.close()


def test_one_search_from_columns_ranks_exactly_like_an_index_of_all_rows(tmp_path, fixed_now):
    from tiecrm.domain import CardDraft, Email, Phone
    from tiecrm.store.repository import Repository

    repo = Repository(tmp_path / "columns.db", now=lambda: fixed_now)
    try:
        people = FILTER_PEOPLE + [
            # The record separator inside a name or an organisation must not shift anyone's line.
            ("Sep\x1earated Keller", ["+49 30 999"], [], ""),
            ("Maria Zurich", [], [], ""),
            ("Nobody Special", [], [], ""),
        ]
        repo.import_drafts([
            CardDraft(name=name, raw=f"BEGIN:VCARD\nFN:{name}\nEND:VCARD", phones=[Phone(p) for p in phones],
                      emails=[Email(e) for e in emails], note=note, org="Acme\x1eLabs" if name == "Maria Zurich" else "")
            for name, phones, emails, note in people
        ])
        ids = {p.name: p.id for p in repo.list_people()}
        repo.log_interaction(ids["Ben Okafor"], 10, note="lunch with keller", at=datetime(2026, 1, 1))
        repo.log_interaction(ids["Ben Okafor"], 10, note="call about jass", at=datetime(2026, 2, 1))
        repo.log_interaction(ids["Ana Lima"], 10, note="Telefonat: Wéber", at=datetime(2026, 3, 1))
        repo.log_interaction(ids["Nobody Special"], 10, note="zurich trip", at=datetime(2026, 3, 1))
        full = PeopleIndex(repo.search_rows())
        for query in FILTER_QUERIES + ["sep", "arated", "labs", "acme labs", "zurich maria", "trip", "kellr", "  "]:
            columns = repo.search_columns(search.field_filter(query))
            assert search.search_once(query, columns) == full.search(query), query
        assert search.search_once("keller", repo.search_columns(search.field_filter("keller")))  # finds people
        columns = repo.search_columns(search.field_filter("keller"))
        assert columns[0] == sorted(ids.values())
        assert columns[1].count("\x1e") == len(ids) - 1  # the separator in a name became a space
        assert columns[4] == {}  # a word is not looked for in phones
    finally:
        repo.close()


def test_one_search_from_columns_of_an_empty_store(tmp_path):
    from tiecrm.store.repository import Repository

    repo = Repository(tmp_path / "empty.db")
    try:
        assert repo.search_columns(search.field_filter("maria")) == ([], "", "", {}, {}, {})
        assert search.search_once("maria", repo.search_columns(search.field_filter("maria"))) == []
    finally:
        repo.close()


def test_one_search_from_columns_ranks_a_generated_export_like_an_index(tmp_path):
    from tests.bench.gen_phone_export import generate_phone_export
    from tiecrm.importing import import_paths
    from tiecrm.store.repository import Repository

    export = tmp_path / "phone.vcf"
    export.write_bytes(generate_phone_export(600, seed=11))
    repo = Repository(tmp_path / "generated.db")
    try:
        import_paths(repo, [export])
        rows = repo.search_rows()
        built = PeopleIndex(rows)
        queries = _queries_from(rows) + ["maria", "fernandez", "+49 30", "kowalsk", "zurich", "привет", "cafe"]
        found = 0
        for query in queries:
            expected = built.search(query)
            assert search.search_once(query, repo.search_columns(search.field_filter(query))) == expected, query
            found += bool(expected)
        assert found > len(queries) // 2
    finally:
        repo.close()


def test_one_search_from_columns_ranks_the_corpus_like_an_index(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip("the real-export corpus (../shared/vcards) is not present")
    from tiecrm.importing import import_paths
    from tiecrm.store.repository import Repository

    repo = Repository(tmp_path / "corpus.db")
    try:
        import_paths(repo, [CORPUS])
        built = PeopleIndex(repo.search_rows())
        for query in _queries_from(repo.search_rows()):
            assert search.search_once(query, repo.search_columns(search.field_filter(query))) == (
                built.search(query)), query
    finally:
        repo.close()


def test_a_field_filter_says_which_fields_a_query_reads():
    assert search.field_filter("maria") == (("maria",), "'`", True, False, True)
    mail = search.field_filter("x@gmail.com")
    assert (mail.words, mail.emails, mail.phones, mail.notes) == (("x", "gmail"), True, False, True)
    phone = search.field_filter("+49 30")
    assert (phone.words, phone.emails, phone.phones, phone.notes) == (("4930",), True, True, True)
    short = search.field_filter("co")
    assert (short.words, short.emails, short.phones, short.notes) == (("co",), False, False, False)
    assert search.field_filter("  ").words == ()


def test_field_filtered_rows_rank_the_corpus_exactly_like_all_rows(tmp_path):
    if not CORPUS.is_dir():
        pytest.skip("the real-export corpus (../shared/vcards) is not present")
    from tiecrm.importing import import_paths
    from tiecrm.store.repository import Repository

    repo = Repository(tmp_path / "corpus.db")
    try:
        import_paths(repo, [CORPUS])
        rows = repo.search_rows()
        built = PeopleIndex(rows)
        queries = _queries_from(rows)
        assert len(queries) > 100
        for query in queries:
            filtered = repo.search_rows(search.field_filter(query))
            assert PeopleIndex(filtered, vocabulary=False).search(query) == built.search(query), query
    finally:
        repo.close()


def test_resolving_a_person_needs_names_only(tmp_path, fixed_now):
    from tiecrm.domain import CardDraft, Email, Phone
    from tiecrm.store.repository import Repository

    repo = Repository(tmp_path / "resolve.db", now=lambda: fixed_now)
    try:
        repo.import_drafts([
            CardDraft(name=name, raw=f"BEGIN:VCARD\nFN:{name}\nEND:VCARD", phones=[Phone(p) for p in phones],
                      emails=[Email(e) for e in emails], note=note)
            for name, phones, emails, note in FILTER_PEOPLE
        ])
        names_only = repo.search_rows(search.NAMES_ONLY)
        full = repo.search_rows()
        assert [row[:3] for row in names_only] == [row[:3] for row in full]
        assert {row[3:] for row in names_only} == {("", "", "")}
        for query in ("maria", "Maria Keller", "kelr", "jonas", "chloe martin", "rao", "1", "#2", "nobody", "ana"):
            assert resolve_person(query, names_only) == resolve_person(query, full), query
    finally:
        repo.close()


def test_a_typo_lookup_scores_words_as_rapidfuzz_does(tmp_path):
    import random

    from rapidfuzz import fuzz, process

    from tests.bench.gen_phone_export import generate_phone_export
    from tiecrm.importing import import_paths
    from tiecrm.store.repository import Repository

    export = tmp_path / "phone.vcf"
    export.write_bytes(generate_phone_export(300, seed=3))
    repo = Repository(tmp_path / "words.db")
    try:
        import_paths(repo, [export])
        names = sorted({word for row in repo.search_rows() for word in query_words(row[1])})
    finally:
        repo.close()
    picker = random.Random(5)
    # Few letters make many neighbours: some words have more than TYPO_WORDS within the cutoff.
    letters = "aeioumnrstlkéøß"
    vocabularies = [names] + [
        sorted({"".join(picker.choice(letters[:size]) for _ in range(picker.randint(1, 11))) for _ in range(400)})
        for size in (3, 4, 5, 8, 15) * 4
    ]
    checked = found = crowded = 0
    for vocabulary in vocabularies:
        words = picker.sample(vocabulary, 15) + ["".join(picker.choice(letters[:4]) for _ in range(picker.randint(4, 9)))
                                                 for _ in range(15)]
        for word in words:
            expected = process.extract(word, vocabulary, scorer=fuzz.ratio, score_cutoff=search.TYPO_CUTOFF,
                                       limit=search.TYPO_WORDS)
            assert search._nearest_words(word, vocabulary) == [tuple(match) for match in expected], word
            checked += 1
            found += len(expected) > 1
            crowded += len(expected) == search.TYPO_WORDS
    assert checked == 630 and found > 100 and crowded > 0


def test_a_one_off_typo_lookup_in_a_small_store_does_without_rapidfuzz(tmp_path):
    from tiecrm.store.repository import Repository

    repo = Repository(tmp_path / "small.db")
    try:
        from tiecrm.domain import CardDraft

        repo.import_drafts([CardDraft(name=row[1], raw=f"BEGIN:VCARD\nFN:{row[1]}\nEND:VCARD", org=row[2])
                            for row in ROWS])
        rows = repo.search_rows()
    finally:
        repo.close()
    expected = PeopleIndex(rows).search("priay")
    assert len(expected) >= 2
    code = (
        "import sys\n"
        "from tiecrm import search\n"
        "from tiecrm.store.repository import Repository\n"
        f"repo = Repository.for_reading({str(tmp_path / 'small.db')!r})\n"
        "found = search.search_once('priay', repo.search_columns(search.field_filter('priay')))\n"
        "assert 'rapidfuzz' not in sys.modules\n"
        "print(found)\n"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == str(expected)
