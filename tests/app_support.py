"""Builders the app tests share: a real database seeded from real vCard text, the app on a fixed clock, and
keys typed faster than the app handles them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from textual import events

from tiecrm.domain import Bucket
from tiecrm.store.repository import Repository
from tiecrm.vcard.reader import read_vcard_bytes

NOW = datetime(2026, 11, 20, 15, 30, 0)

SEED_VCF = """\
BEGIN:VCARD
VERSION:3.0
FN:Priya Sharma
N:Sharma;Priya;;;
ORG:Infosys
item1.TEL:+91 98450 55501
item1.X-ABLabel:_$!<Mobile>!$_
EMAIL;type=INTERNET:priya@example.com
BDAY:--0509
END:VCARD
BEGIN:VCARD
VERSION:2.1
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller
TEL;CELL:+49 30 1234567
ORG:Brauhaus Berlin
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Sam Carter
TEL:+1 555 0101
EMAIL:sam.carter@example.org
NOTE:Climbing partner\\, knows everyone at the gym
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Sam Okafor
TEL:+1 555 0102
ORG:Okafor & Sons
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:[bold red]Mallory[/]
TEL:+1 555 0199
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Ada Lovelace
EMAIL;TYPE=work:ada@example.net
BDAY:--1210
END:VCARD
"""


def seed_repo(path: Path, now: datetime = NOW) -> Repository:
    """A repository on `path` with six people, some buckets and a few interactions."""
    repo = Repository(path, now=lambda: now)
    result = read_vcard_bytes(SEED_VCF.encode("utf-8"), "seed.vcf")
    assert not result.problems, result.problems
    repo.import_drafts(result.drafts, result.problems, source="seed.vcf")
    ids = {p.name: p.id for p in repo.list_people()}
    repo.move(ids["Priya Sharma"], Bucket.INNER)
    repo.move(ids["Sam Carter"], Bucket.NURTURE)
    repo.move(ids["Ada Lovelace"], Bucket.VANITY)
    repo.log_interaction(ids["Priya Sharma"], 45, kind="coffee", note="talked about her new job",
                         at=now - timedelta(days=3))
    repo.log_interaction(ids["Priya Sharma"], 90, kind="dinner", note="birthday plans", at=now - timedelta(days=20))
    repo.log_interaction(ids["Sam Carter"], 30, kind="call", note="route setting", at=now - timedelta(days=50))
    return repo


def person_id(repo: Repository, name: str) -> int:
    return next(p.id for p in repo.list_people() if p.name == name)


def type_at_once(app, text: str) -> None:
    """`/` and `text` handed over in one go, as the terminal driver does for a fast typist or tmux send-keys."""
    for key, char in [("slash", "/"), *(("space" if c == " " else c, c) for c in text)]:
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
