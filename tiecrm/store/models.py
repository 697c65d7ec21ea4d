"""Peewee models of the current schema (version 2); migrations.py builds the same tables step by step."""

from __future__ import annotations

import peewee

from tiecrm.store.db import database_proxy


class BaseModel(peewee.Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class Person(BaseModel):
    # The card's UID, or a generated uuid4 when the card had none, so an export re-imports onto the same person.
    uid = peewee.TextField(unique=True)
    name = peewee.TextField()
    org = peewee.TextField(default="")
    title = peewee.TextField(default="")
    birthday = peewee.TextField(null=True)  # `YYYY-MM-DD` or year-less `--MM-DD`
    note = peewee.TextField(default="")
    photo = peewee.BlobField(null=True)
    photo_type = peewee.TextField(default="")
    bucket = peewee.TextField(default="unsorted")
    position = peewee.IntegerField(default=0)
    created_at = peewee.DateTimeField()
    updated_at = peewee.DateTimeField()

    class Meta:
        table_name = "person"
        indexes = ((("bucket", "position"), False),)


class Phone(BaseModel):
    person = peewee.ForeignKeyField(Person, on_delete="CASCADE", backref="phones")
    value = peewee.TextField()
    label = peewee.TextField(default="")
    key = peewee.TextField(null=True, index=True)  # matching.phone_key: last 7 significant digits

    class Meta:
        table_name = "phone"


class Email(BaseModel):
    person = peewee.ForeignKeyField(Person, on_delete="CASCADE", backref="emails")
    value = peewee.TextField()
    label = peewee.TextField(default="")
    key = peewee.TextField(index=True)  # matching.email_key: trimmed, lowercased

    class Meta:
        table_name = "email"


class Address(BaseModel):
    person = peewee.ForeignKeyField(Person, on_delete="CASCADE", backref="addresses")
    value = peewee.TextField()
    label = peewee.TextField(default="")

    class Meta:
        table_name = "address"


class ImportBatch(BaseModel):
    started_at = peewee.DateTimeField()
    finished_at = peewee.DateTimeField(null=True)
    source = peewee.TextField(default="")
    added = peewee.IntegerField(default=0)
    updated = peewee.IntegerField(default=0)
    unchanged = peewee.IntegerField(default=0)
    skipped = peewee.IntegerField(default=0)

    class Meta:
        table_name = "import_batch"


class Card(BaseModel):
    """The original text of a card merged into a person, so export loses nothing."""

    person = peewee.ForeignKeyField(Person, on_delete="CASCADE", backref="cards")
    raw = peewee.TextField()
    source = peewee.TextField(default="")
    line = peewee.IntegerField(default=0)
    uid = peewee.TextField(null=True, index=True)
    hash = peewee.TextField(index=True)  # sha1 of the normalised raw text; the index arrived in version 2
    # No index: batches are never deleted, and no query goes from a batch to its cards.
    batch = peewee.ForeignKeyField(ImportBatch, null=True, on_delete="SET NULL", backref="cards", index=False)
    imported_at = peewee.DateTimeField()

    class Meta:
        table_name = "card"


class Interaction(BaseModel):
    person = peewee.ForeignKeyField(Person, on_delete="CASCADE", backref="interactions", index=False)
    at = peewee.DateTimeField()  # naive UTC
    minutes = peewee.IntegerField()
    kind = peewee.TextField(default="")
    note = peewee.TextField(default="")
    created_at = peewee.DateTimeField()

    class Meta:
        table_name = "interaction"
        indexes = ((("person", "at"), False),)


class BucketMove(BaseModel):
    person = peewee.ForeignKeyField(Person, on_delete="CASCADE", backref="moves")
    at = peewee.DateTimeField()  # naive UTC
    from_bucket = peewee.TextField(null=True)
    to_bucket = peewee.TextField()
    from_position = peewee.IntegerField(null=True)
    to_position = peewee.IntegerField(null=True)

    class Meta:
        table_name = "bucket_move"


class DuplicateCandidate(BaseModel):
    """Two people who may be the same. Plain ids, not foreign keys: a dismissal outlives a merge or delete."""

    a = peewee.IntegerField()  # always the smaller person id
    b = peewee.IntegerField()
    reason = peewee.TextField()  # 'name', 'phone', 'email' or 'manual'
    score = peewee.FloatField(default=0.0)
    status = peewee.TextField(default="pending")  # 'pending' | 'dismissed' | 'merged'
    created_at = peewee.DateTimeField()

    class Meta:
        table_name = "duplicate_candidate"
        indexes = ((("a", "b"), True),)


class SchemaVersion(BaseModel):
    version = peewee.IntegerField(primary_key=True)
    applied_at = peewee.DateTimeField()

    class Meta:
        table_name = "schema_version"


MODELS: tuple[type[BaseModel], ...] = (
    Person, Phone, Email, Address, ImportBatch, Card, Interaction, BucketMove, DuplicateCandidate, SchemaVersion,
)
