"""Generate a realistic mixed phone export (Android 2.1 quoted-printable, iOS 3.0 item groups) for benchmarks."""

from __future__ import annotations

import base64
import random
import sys
from pathlib import Path

# Pools wide enough that, as in a real export, most people have a name of their own (with a second given
# name on half the cards, 10,000 cards hold a few hundred namesakes, not thousands).
GIVEN = [
    "José", "Zoë", "Müller", "Søren", "Ñuria", "François", "Jürgen", "Ana", "Li", "Olga",
    "Алексей", "Мария", "Дмитрий", "Наталья", "Иван", "陈", "王芳", "李娜", "佐藤", "美咲",
    "John", "Mary", "Peter", "Aisha", "Kwame", "Priya", "Łukasz", "Çağrı", "Björk", "Émile",
    "Lucía", "Mateo", "Valentina", "Santiago", "Camila", "Joaquín", "Inés", "Andrés", "Renée", "Hélène",
    "Gaëlle", "Loïc", "Maëlys", "Jörg", "Käthe", "Ingrid", "Sven", "Astrid", "Håkon", "Sigrún",
    "Wojciech", "Małgorzata", "Zdeněk", "Bożena", "Ştefan", "Ioana", "Ανδρέας", "Ελένη", "Γιώργος", "Δήμητρα",
    "Сергей", "Екатерина", "Ольга", "Михаил", "Татьяна", "Юлия", "Нурлан", "Айгерим", "健太", "陽子",
    "翔太", "さくら", "민준", "서연", "Thảo", "Minh", "Huệ", "Arjun", "Lakshmi", "Rohan",
    "Fatima", "Omar", "Layla", "Yusuf", "Chinedu", "Amara", "Oluwaseun", "Thandiwe", "Siobhan", "Niamh",
    "Seán", "Aoife", "Bartholomew", "Gwendolyn", "Rafael", "Beatriz", "João", "Conceição", "Tomás", "Leonor",
]
FAMILY = [
    "García", "Núñez", "Schäfer", "Öztürk", "Dvořák", "Lefèvre", "Smith", "O'Brien", "Nguyễn",
    "Иванов", "Петрова", "Смирнов", "Кузнецова", "张", "刘", "高橋", "山本", "Kowalski", "Brown",
    "Fernández", "Rodríguez", "Gómez", "Muñoz", "Jiménez", "Peña", "Gonçalves", "Magalhães", "Araújo", "Simões",
    "Dubois", "Moreau", "Lemaître", "Bérenger", "Weiß", "Größer", "Schröder", "Bäcker", "Köhler", "Fuchs",
    "Lindqvist", "Åberg", "Sørensen", "Håland", "Jóhannsdóttir", "Nowak", "Wiśniewska", "Wójcik", "Novák", "Horváth",
    "Popescu", "Ionescu", "Παπαδόπουλος", "Νικολάου", "Соколов", "Морозова", "Волков", "Лебедева", "Ковальчук", "Шевченко",
    "王", "李", "陈", "黄", "鈴木", "田中", "渡辺", "김", "박", "Trần",
    "Phạm", "Iyer", "Reddy", "Chatterjee", "Haddad", "Al-Farsi", "Okafor", "Mensah", "Dlamini", "Mbeki",
    "McCarthy", "Ó Súilleabháin", "Fitzgerald", "MacLeod", "Kowalczyk", "Yılmaz", "Şahin", "Kaya", "Demir", "Çelik",
]
ORGS = ["ACME, Inc.", "Café Zürich", "Газпром", "株式会社テスト", "Smith & Sons", "", "", ""]
NOTES = [
    "Met at the conference, Berlin, 2019",
    "Likes coffee, not tea; call after 6",
    "Kids: Anna, Ben, and Carl",
    "Привет, как дела?",
    "",
    "",
]
APPLE_LABELS = ["_$!<Mobile>!$_", "_$!<Home>!$_", "_$!<Work>!$_", "_$!<Main>!$_", "Boat", "Grand Central"]
ANDROID_TYPES = ["CELL", "HOME", "WORK", "WORK;FAX", "CELL;PREF", "VOICE"]


def _qp(text: str) -> str:
    """Quoted-printable the Android way: every non-ASCII byte and `=` escaped."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        out.append(char if 32 <= byte < 127 and char not in "=;" else f"={byte:02X}")
    return "".join(out)


def _soft_break(head: str, encoded: str, width: int = 74) -> list[str]:
    """Split a QP value into lines ending in `=` (soft breaks), never inside an escape."""
    lines: list[str] = []
    current = head
    index = 0
    while index < len(encoded):
        piece = encoded[index:index + 3] if encoded[index] == "=" else encoded[index]
        if len(current) + len(piece) > width:
            lines.append(current + "=")
            current = ""
        current += piece
        index += len(piece)
    lines.append(current)
    return lines


def _fold(line: str, width: int = 75) -> list[str]:
    parts = [line[:width]]
    rest = line[width:]
    while rest:
        parts.append(" " + rest[: width - 1])
        rest = rest[width - 1:]
    return parts


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _phone(rng: random.Random, index: int, n: int) -> str:
    """A number no other card has: a serial from the card index and the phone's place on the card,
    scrambled (a bijection on six digits) so numbers do not look sequential, behind two random digits."""
    serial = (index * 4 + n) * 123457 % 1_000_000
    return rng.choice(["+1 555 ", "+33 6 ", "+49 151 ", "+7 912 ", "+81 90-", "0"]) + "".join(
        rng.choice("0123456789") for _ in range(2)) + f"{serial:06d}"


def _email(rng: random.Random, given: str, family: str, index: int, n: int) -> str:
    """An address no other card has: the name, the card index and the email's place on the card."""
    stem = "".join(c for c in (given + "." + family).lower() if c.isascii() and (c.isalnum() or c == "."))
    stem = stem.strip(".") or "user"
    local = f"{stem}.{index}" if n == 0 else f"{stem}{n + 1}.{index}"
    return f"{local}@{rng.choice(['example.com', 'mail.example.org', 'corp.example.net'])}"


def _birthday(rng: random.Random, apple: bool) -> str | None:
    roll = rng.random()
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if roll < 0.5:
        return None
    if roll < 0.75:
        return f"BDAY:{rng.randint(1940, 2010)}-{month:02d}-{day:02d}"
    if roll < 0.85:
        return f"BDAY:{rng.randint(1940, 2010)}{month:02d}{day:02d}"
    if apple and roll < 0.93:
        return f"BDAY;X-APPLE-OMIT-YEAR=1604:1604-{month:02d}-{day:02d}"
    return f"BDAY:--{month:02d}{day:02d}"


def _photo(rng: random.Random) -> str:
    size = rng.randint(300, 2000)
    data = b"\xff\xd8\xff\xe0" + bytes(rng.getrandbits(8) for _ in range(size))
    return base64.b64encode(data).decode("ascii")


def _person_name(rng: random.Random) -> tuple[str, str]:
    """Given name(s) and family name: a second given name on about half the cards."""
    given = rng.choice(GIVEN)
    if rng.random() < 0.5:
        given += " " + rng.choice(GIVEN)
    return given, rng.choice(FAMILY)


def _android_card(rng: random.Random, index: int) -> list[str]:
    given, family = _person_name(rng)
    lines = ["BEGIN:VCARD", "VERSION:2.1"]
    qp = "CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE"
    lines += _soft_break(f"N;{qp}:", _qp(family) + ";" + _qp(given) + ";;;")
    # Long display names make the soft breaks real (Android breaks at 76 columns).
    display = f"{given} {family}" + (f" {rng.choice(GIVEN)} {rng.choice(FAMILY)}" * rng.randint(0, 2))
    lines += _soft_break(f"FN;{qp}:", _qp(display))
    for n in range(rng.randint(1, 3)):
        lines.append(f"TEL;{rng.choice(ANDROID_TYPES)}:{_phone(rng, index, n)}")
    for n in range(rng.randint(0, 2)):
        lines.append(f"EMAIL;{rng.choice(['HOME', 'WORK', 'INTERNET'])}:{_email(rng, given, family, index, n)}")
    org = rng.choice(ORGS)
    if org:
        lines += _soft_break(f"ORG;{qp}:", _qp(org))
    note = rng.choice(NOTES)
    if note:
        lines += _soft_break(f"NOTE;{qp}:", _qp(note))
    bday = _birthday(rng, apple=False)
    if bday:
        lines.append(bday)
    if rng.random() < 0.05:
        lines += _fold("PHOTO;ENCODING=BASE64;JPEG:" + _photo(rng))
        lines.append("")  # 2.1 ends base64 with a blank line
    lines.append("END:VCARD")
    return lines


def _ios_card(rng: random.Random, index: int) -> list[str]:
    given, family = _person_name(rng)
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Apple Inc.//iPhone OS 17.4//EN",
             f"N:{_escape(family)};{_escape(given)};;;", f"FN:{_escape(given)} {_escape(family)}"]
    org = rng.choice(ORGS)
    if org:
        lines.append(f"ORG:{_escape(org)};")
    item = 0
    for n in range(rng.randint(1, 3)):
        if rng.random() < 0.5:
            item += 1
            lines.append(f"item{item}.TEL;type=pref:{_phone(rng, index, n)}")
            lines.append(f"item{item}.X-ABLabel:{rng.choice(APPLE_LABELS)}")
        else:
            lines.append(f"TEL;type={rng.choice(['CELL', 'HOME', 'WORK'])};type=VOICE:{_phone(rng, index, n)}")
    for n in range(rng.randint(0, 2)):
        item += 1
        lines.append(f"item{item}.EMAIL;type=INTERNET:{_email(rng, given, family, index, n)}")
        lines.append(f"item{item}.X-ABLabel:{rng.choice(APPLE_LABELS[:3])}")
    note = rng.choice(NOTES)
    if note:
        lines += _fold(f"NOTE:{_escape(note)}")
    bday = _birthday(rng, apple=True)
    if bday:
        lines.append(bday)
    if rng.random() < 0.05:
        lines += _fold("PHOTO;ENCODING=b;TYPE=JPEG:" + _photo(rng))
    lines.append("END:VCARD")
    return lines


def generate_phone_export(n: int, seed: int = 1) -> bytes:
    """`n` distinct people (no two share a phone or an email), about half Android 2.1 and half iOS 3.0,
    CRLF line endings; the same bytes for a seed."""
    rng = random.Random(seed)
    lines: list[str] = []
    for index in range(n):
        card = _android_card if rng.random() < 0.5 else _ios_card
        lines += card(rng, index)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m tests.bench.gen_phone_export OUT.vcf [N] [SEED]")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    Path(sys.argv[1]).write_bytes(generate_phone_export(count, seed))
