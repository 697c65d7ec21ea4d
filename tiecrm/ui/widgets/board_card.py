"""What a board card says: the name as written, days since the last contact, warmth, a mark when going cold."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from rich.cells import cell_len, set_cell_size

from tiecrm.config import WarmthFloor
from tiecrm.domain import Bucket, Cadence
from tiecrm.textsafe import visible
from tiecrm.timeline import going_cold
from tiecrm.ui.format import days_since

CARD_HEIGHT = 2
"""Lines per card: the name, then when you last saw them."""

COLD_MARK = "❄"


@dataclass
class CardFaces:
    """Names and last contacts of everyone on the board, read once, looked up per visible card."""

    names: dict[int, str] = field(default_factory=dict)
    last_contact: dict[int, datetime] = field(default_factory=dict)
    warmth: dict[int, float] = field(default_factory=dict)
    today: date = date.min
    now: datetime = datetime.min
    tz: tzinfo | None = None
    cadence: Cadence = field(default_factory=Cadence)
    floors: WarmthFloor = field(default_factory=WarmthFloor)

    def name(self, person_id: int) -> str:
        """The name with control characters written out, so it shows literally."""
        return visible(self.names.get(person_id, "")) or "(no name)"

    def days(self, person_id: int) -> int | None:
        return days_since(self.last_contact.get(person_id), self.today)

    def is_cold(self, person_id: int, bucket: Bucket) -> bool:
        """Going cold by the rule the due list uses: overdue for the bucket's cadence, never seen, or
        warmth below the bucket's floor."""
        if bucket not in (Bucket.INNER, Bucket.NURTURE):
            return False
        coldness = going_cold(
            bucket, self.last_contact.get(person_id), self.warmth.get(person_id, 0.0), self.now,
            self.cadence, self.floors, self.tz,
        )
        return coldness is not None

    def meta(self, person_id: int) -> str:
        """Days since the last contact, then warmth (decayed minutes) when there is any."""
        days = self.days(person_id)
        if days is None:
            return "never"
        since = "today" if days <= 0 else "1 day" if days == 1 else f"{days} days"
        warmth = round(self.warmth.get(person_id, 0.0))
        return f"{since} · warmth {warmth}" if warmth else since


def fit(text: str, width: int) -> str:
    """Cut `text` to `width` cells, ending in … when it was longer; pad it to exactly `width`."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)
