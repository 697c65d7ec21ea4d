"""What one card on the board says: the name as written, days since the last contact, a mark when going cold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from rich.cells import cell_len, set_cell_size

from tiecrm.domain import Bucket, Cadence
from tiecrm.textsafe import visible
from tiecrm.ui.format import days_since

CARD_HEIGHT = 2
"""Lines per card: the name, then when you last saw them."""

COLD_MARK = "❄"


@dataclass
class CardFaces:
    """Names and last contacts of everyone on the board, read once, looked up per visible card."""

    names: dict[int, str] = field(default_factory=dict)
    last_contact: dict[int, datetime | None] = field(default_factory=dict)
    today: date = date.min
    cadence: Cadence = field(default_factory=Cadence)

    def name(self, person_id: int) -> str:
        """The name with control characters written out, so it shows literally."""
        return visible(self.names.get(person_id, "")) or "(no name)"

    def days(self, person_id: int) -> int | None:
        return days_since(self.last_contact.get(person_id), self.today)

    def is_cold(self, person_id: int, bucket: Bucket) -> bool:
        """Going cold: the bucket expects contact every N days and N have passed (or there was none)."""
        cadence = self.cadence.for_bucket(bucket)
        if cadence is None:
            return False
        days = self.days(person_id)
        return days is None or days >= cadence

    def meta(self, person_id: int) -> str:
        days = self.days(person_id)
        if days is None:
            return "never"
        if days <= 0:
            return "today"
        return "1 day" if days == 1 else f"{days} days"


def fit(text: str, width: int) -> str:
    """Cut `text` to `width` cells, ending in … when it was longer; pad it to exactly `width`."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
