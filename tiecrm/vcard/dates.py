"""Birthdays in every form found in real cards: basic/extended dates, times, year-less, Apple's 1604."""

from __future__ import annotations

import calendar
import re

from tiecrm.domain import Birthday

_FULL = re.compile(r"(\d{4})-?(\d{1,2})-?(\d{1,2})(?:[T ][\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})(?:T.*)?")
# Years that mean "unknown": Apple, Android and CardBook write 1604; some writers 0000.
_NO_YEAR_MARKERS = {0, 1604}


def _valid(month: int, day: int, year: int | None) -> bool:
    if not 1 <= month <= 12:
        return False
    # Year-less dates are checked against a leap year so 29 February stays valid.
    days = calendar.monthrange(year if year else 2000, month)[1]
    return 1 <= day <= days


def parse_birthday(value: str, omit_year: bool = False) -> Birthday | None:
    """Read a BDAY value; None when it is not a date (`circa 1800`, `17190000`).

    Args:
        value: the unescaped value, e.g. `19781229`, `1970-12-30`, `1953-10-15T23:10:00Z`, `--0203`.
        omit_year: the property carried `X-APPLE-OMIT-YEAR`, so the year written is a placeholder.
    """
    text = value.strip()
    match = _NO_YEAR.fullmatch(text)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        return Birthday(month, day, None) if _valid(month, day, None) else None
    match = _FULL.fullmatch(text)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    if omit_year or year in _NO_YEAR_MARKERS:
        return Birthday(month, day, None) if _valid(month, day, None) else None
    return Birthday(month, day, year) if _valid(month, day, year) else None
