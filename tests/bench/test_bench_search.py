"""Benchmarks: people search on 50,000 generated people, and the people list's first frame at 50,000 rows."""

from __future__ import annotations

import random
import statistics
import time
import unicodedata
from datetime import date, datetime, timedelta

import pytest

from tiecrm.domain import Bucket, PersonSummary
from tiecrm.search import PeopleIndex, SearchRow

PEOPLE = 50_000
SEED = 20240611

FIRST = (
    "Priya Rahul Ananya Arjun Kavya Rohan Sneha Vikram Meera Aditya Lakshmi Karthik Divya Siddharth "
    "Aisha Imran Fatima Zainab Omar Yusuf Layla Hassan Noor Tariq Sam Samantha Samuel Alex Alexandra "
    "James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan "
    "Joseph Jessica Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony Helen "
    "José María Jesús Lucía Andrés Sofía Martín Valentina Joaquín Camila Sebastián Inés Héctor Ramón "
    "François Zoë Chloé Benoît Hélène Jérôme Björn Søren Åsa Jürgen Müller Łukasz Agnieszka Wojciech "
    "Chen Wei Li Na Zhang Min Hiroshi Yuki Haruto Sakura Minjun Jiwoo Seoyeon Thanh Linh Quang "
    "Oluwaseun Chinedu Amara Kwame Abena Tendai Ngozi Emeka Ifeoma Sipho Thandiwe Mandla Aroha Tane "
    "Siobhan Niamh Aoife Ciarán Eoghan Dmitri Olga Natasha Sergei Ivan Anastasia Yelena Nikolai Katya "
    "Ravi Deepa Suresh Geeta Manoj Pooja Nikhil Shreya Varun Anjali Gaurav Neha Harish Swati Prakash"
).split()
LAST = (
    "Sharma Patel Iyer Reddy Nair Gupta Singh Kumar Menon Rao Joshi Desai Mehta Kapoor Chatterjee "
    "Banerjee Mukherjee Pillai Krishnan Subramanian Khan Ahmed Hussain Rahman Siddiqui Qureshi Malik "
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez "
    "Wilson Anderson Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker "
    "O'Brien O'Connor McCarthy Fitzgerald D'Souza D'Costa Fernandes Pereira Rodrigues Almeida Silva "
    "Núñez Muñoz Peña Ibáñez Gómez Sánchez Pérez Díaz Álvarez Jiménez Dubois Lefèvre Moreau Laurent "
    "Schröder Müller Schäfer Weiß Köhler Nowak Wiśniewski Dąbrowski Kowalczyk Lindqvist Ødegård "
    "Wang Liu Chen Yang Huang Zhao Wu Zhou Tanaka Suzuki Takahashi Watanabe Kim Park Choi Nguyen Tran "
    "Okafor Adeyemi Mensah Owusu Dlamini Ndlovu Moyo Kariuki Otieno Wanjiru Te-Whare Ivanov Petrova"
).split()
ORGS = (
    "Infosys|Wipro|Tata Consultancy Services|HCL Technologies|Tech Mahindra|Reliance Jio|Flipkart|Swiggy|"
    "Zomato|Razorpay|Freshworks|Zoho|Accenture|Deloitte|KPMG|PwC|McKinsey|Google|Microsoft|Amazon|"
    "Apple|Meta|Netflix|Spotify|Shopify|Atlassian|Canva|SAP|Siemens|Bosch|Volkswagen|Nestlé|Unilever|"
    "Société Générale|BNP Paribas|Banco Santander|Telefónica|Mercado Libre|Samsung|Sony|Toyota|"
    "Alibaba|Tencent|Safaricom|MTN Group|Standard Bank|Dangote|Apollo Hospitals|AIIMS|IIT Madras|"
    "St. Xavier's School|Riverside Book Club|City Running Club|Greenfield Residents' Association|"
    "Acme Plumbing|Blue Bottle Café|Smith & Sons Carpentry|Dr. Rao's Dental Clinic|Kumar Law Associates"
).split("|")
DOMAINS = (
    "gmail.com yahoo.com outlook.com hotmail.com icloud.com proton.me rediffmail.com fastmail.com "
    "yahoo.co.in btinternet.co.uk web.de"
).split()
NOTE_WORDS = (
    "met at conference wedding birthday party college school friend neighbour colleague mentor cousin "
    "introduced by loves hiking cricket football chess photography cooking baking travel startup "
    "investor lawyer doctor dentist plumber electrician architect designer teacher professor student "
    "moved to Bangalore Mumbai Delhi Chennai Pune Hyderabad London Berlin Toronto Singapore Nairobi "
    "daughter son wife husband twins dog cat allergic vegetarian coffee tea wine owes book recommended "
    "call about project follow up quarterly catch-up gift ideas anniversary marathon yoga guitar piano"
).split()


def generate_rows(count: int = PEOPLE, seed: int = SEED) -> list[SearchRow]:
    """Varied people: names from many cultures (accents included), orgs, emails, phones, some notes."""
    rng = random.Random(seed)
    rows: list[SearchRow] = []
    for person_id in range(1, count + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}" if rng.random() > 0.08 else f"{first} {rng.choice(FIRST)} {last}"
        org = rng.choice(ORGS) if rng.random() < 0.55 else ""
        # Addresses are ASCII in practice: josé.núñez signs up as jose.nunez.
        local = _ascii(f"{first}.{last}".lower().replace("'", ""))
        if rng.random() < 0.5:
            local += str(rng.randint(1, 99))
        addresses = rng.choice((0, 1, 1, 1, 2))
        emails = " ".join(f"{local}{i or ''}@{rng.choice(DOMAINS)}" for i in range(addresses))
        phones = " ".join(_phone(rng) for _ in range(rng.choice((0, 1, 1, 1, 2, 3))))
        notes = " ".join(rng.choices(NOTE_WORDS, k=rng.randint(3, 18))) if rng.random() < 0.45 else ""
        rows.append((person_id, name, org, emails, phones, notes))
    return rows


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _phone(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.5:
        return f"+91 {rng.randint(70000, 99999)} {rng.randint(0, 99999):05d}"
    if kind < 0.7:
        return f"0{rng.randint(7000, 9999)} {rng.randint(100000, 999999)}"
    if kind < 0.85:
        return f"+1 ({rng.randint(200, 999)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
    return f"+44 {rng.randint(7000, 7999)} {rng.randint(100000, 999999)}"


def generate_queries(rows: list[SearchRow], count: int = 400, seed: int = 7) -> list[str]:
    """Queries of 1-10 characters a person would type: prefixes, typos, two words, digits, emails, notes."""
    rng = random.Random(seed)
    queries: list[str] = []
    while len(queries) < count:
        _, name, org, emails, phones, notes = rng.choice(rows)
        first, *_, last = name.split()
        kind = rng.randrange(7)
        if kind == 0:
            query = name[: rng.randint(1, 10)]
        elif kind == 1:
            query = last[: rng.randint(1, 8)]
        elif kind == 2 and len(first) >= 4:
            i = rng.randrange(len(first) - 1)
            query = (first[:i] + first[i + 1] + first[i] + first[i + 2:])[:10]  # swapped letters
        elif kind == 3 and org:
            query = f"{first[:rng.randint(2, 5)]} {org.split()[0][:3]}"
        elif kind == 4 and phones:
            digits = "".join(ch for ch in phones if ch.isdigit())
            start = rng.randrange(max(1, len(digits) - 6))
            query = digits[start:start + rng.randint(4, 7)]
        elif kind == 5 and emails:
            query = emails[: rng.randint(2, 10)]
        elif kind == 6 and notes:
            query = rng.choice(notes.split())[:10]
        else:
            continue
        if query.strip():
            queries.append(query)
    return queries


def _timings(index: PeopleIndex, queries: list[str], rounds: int = 3) -> list[float]:
    """Milliseconds per query, the best of `rounds` runs of each: the machine is shared, and the
    fastest run is the one least disturbed by other work."""
    best = [float("inf")] * len(queries)
    for _ in range(rounds):
        for n, query in enumerate(queries):
            start = time.perf_counter()
            index.search(query)
            best[n] = min(best[n], (time.perf_counter() - start) * 1000)
    return best


def _report(label: str, spent: list[float]) -> tuple[float, float]:
    median = statistics.median(spent)
    p90 = statistics.quantiles(spent, n=10)[-1]
    print(f"{label}: {len(spent)} queries, median {median:.2f} ms, p90 {p90:.2f} ms, max {max(spent):.2f} ms")
    return median, p90


def _build_seconds(rows: list[SearchRow], rounds: int = 3) -> tuple[float, float, PeopleIndex]:
    """Best wall-clock and CPU seconds to build the index over `rounds` builds."""
    wall = cpu = float("inf")
    for _ in range(rounds):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        index = PeopleIndex(rows)
        wall = min(wall, time.perf_counter() - start_wall)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu, index


@pytest.mark.bench
def test_search_speed_on_50k_people() -> None:
    rows = generate_rows()
    build, build_cpu, index = _build_seconds(rows)
    print(f"\nindex build, {len(rows)} people: {build * 1000:.0f} ms, CPU {build_cpu * 1000:.0f} ms "
          "(best of 3)")

    queries = generate_queries(rows)
    spent = _timings(index, queries)
    median, p90 = _report("mixed queries 1-10 chars, best of 3 runs each", spent)
    by_length: dict[int, list[float]] = {}
    for query, ms in zip(queries, spent):
        by_length.setdefault(min(len(query), 10), []).append(ms)
    for length in sorted(by_length):
        values = by_length[length]
        print(f"  length {length:2d}: {len(values):3d} queries, median {statistics.median(values):.2f} ms, "
              f"max {max(values):.2f} ms")
    single = _timings(index, queries, rounds=1)
    _report("the same, single runs", single)

    typing = [name[:n] for _, name, *_ in rows[:40] for n in range(1, min(len(name), 10) + 1)]
    _report("typing a name letter by letter", _timings(index, typing))

    start = time.perf_counter()
    for person_id in range(1, 21):
        index.upsert((person_id, f"Edited Person {person_id}", "", "", "", "note"))
        assert index.search(f"edited person {person_id}")[0] == person_id
    print(f"upsert + search, 20 edits: {(time.perf_counter() - start) * 1000 / 20:.1f} ms each")

    # CPU time is what building costs; wall time on a shared machine adds whatever else is running.
    assert build_cpu <= 0.5
    assert median <= 15
    assert p90 <= 25


@pytest.mark.bench
def test_one_query_on_a_fresh_index_at_10k_people() -> None:
    """What `tiecrm list QUERY` spends after reading the rows: build an index, ask it once. Printed for
    the vocabulary index the app keeps and for the scanning one the command line builds."""
    rows = generate_rows(10_000)
    queries = generate_queries(rows)[:60]
    spent: dict[bool, list[float]] = {True: [], False: []}
    for query in queries:
        for vocabulary in (True, False):
            start = time.process_time()
            found = PeopleIndex(rows, vocabulary=vocabulary).search(query)
            spent[vocabulary].append((time.process_time() - start) * 1000)
            if vocabulary:
                expected = found
            else:
                assert found == expected, query
    print()
    for vocabulary, label in ((True, "vocabulary"), (False, "scanning")):
        _report(f"build + one query, {len(rows)} people, {label} index, CPU", spent[vocabulary])
    assert statistics.median(spent[False]) < statistics.median(spent[True])


def generate_people(count: int = PEOPLE, seed: int = SEED) -> list[PersonSummary]:
    rng = random.Random(seed)
    buckets = list(Bucket)
    noon = datetime(2024, 6, 1, 12)
    people = []
    for person_id, name, org, *_ in generate_rows(count, seed):
        contacted = noon - timedelta(days=rng.randint(0, 900)) if rng.random() < 0.6 else None
        people.append(PersonSummary(id=person_id, name=name, org=org, bucket=rng.choice(buckets),
                                    last_interaction=contacted))
    return people


@pytest.mark.bench
@pytest.mark.asyncio
async def test_people_list_first_frame_at_50k_rows() -> None:
    from textual.app import App, ComposeResult

    from tiecrm.ui.widgets.people_list import PeopleList

    people = generate_people()

    class ListApp(App[None]):
        def compose(self) -> ComposeResult:
            yield PeopleList()

    start = time.perf_counter()
    app = ListApp()
    async with app.run_test(size=(100, 40)) as pilot:
        widget = app.query_one(PeopleList)
        widget.set_people(people, today=date(2024, 6, 1))
        await pilot.pause()
        first_frame = time.perf_counter() - start
        assert widget.render_line(0).text.strip()
        start = time.perf_counter()
        await pilot.press("G")
        await pilot.pause()
        to_end = time.perf_counter() - start
        # A search keystroke replaces the list; the cursor stays on its person if still listed.
        shuffled = people[::-1]
        replace = []
        for shown in (shuffled, people[:3000], shuffled[:3000], people):
            start = time.perf_counter()
            widget.set_people(shown)
            replace.append((time.perf_counter() - start) * 1000)
    print(f"\npeople list: mount + {len(people)} rows + first frame {first_frame * 1000:.0f} ms, "
          f"jump to end {to_end * 1000:.0f} ms, set_people "
          + ", ".join(f"{ms:.1f}" for ms in replace) + " ms")
    assert first_frame < 2.0
