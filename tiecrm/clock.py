"""Time helpers: tiecrm stores naive UTC datetimes and shows local dates."""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo


def utc_now() -> datetime:
    """The current time as a naive UTC datetime, the form the store keeps."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_local(at: datetime, tz: tzinfo | None = None) -> datetime:
    """A stored naive-UTC datetime in the local zone (or `tz`)."""
    return at.replace(tzinfo=timezone.utc).astimezone(tz)


def local_date(at: datetime, tz: tzinfo | None = None) -> date:
    return to_local(at, tz).date()


def days_between(earlier: datetime, later: datetime, tz: tzinfo | None = None) -> int:
    """Whole calendar days between two UTC instants, counted on the local calendar."""
    return (local_date(later, tz) - local_date(earlier, tz)).days
