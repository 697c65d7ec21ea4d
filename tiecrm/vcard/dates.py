"""Birthdays in every form found in real cards: basic/extended dates, times, year-less, Apple's 1604."""

from __future__ import annotations

import re

from tiecrm.domain import Birthday

_FULL = re.compile(r"(\d{4})-?(\d{1,2})-?(\d{1,2})(?:[T ][\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})(?:T.*)?")
# Years that mean "unknown": Apple, Android and CardBook write 1604; some writers 0000.
_NO_YEAR_MARKERS = {0, 1604}


_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid(month: int, day: int, year: int | None) -> bool:
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS[month - 1]:
        return False
    # Year-less dates allow 29 February; a real year must be a leap year for it.
    if month == 2 and day == 29 and year is not None:
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return True


def _birthday(year: int, month: int, day: int, omit_year: bool) -> Birthday | None:
    if omit_year or year in _NO_YEAR_MARKERS:
        return Birthday(month, day, None) if _valid(month, day, None) else None
    return Birthday(month, day, year) if _valid(month, day, year) else None


def parse_birthday(value: str, omit_year: bool = False) -> Birthday | None:
    """Read a BDAY value; None when it is not a date (`circa 1800`, `17190000`).

    Args:
        value: the unescaped value, e.g. `19781229`, `1970-12-30`, `1953-10-15T23:10:00Z`, `--0203`.
        omit_year: the property carried `X-APPLE-OMIT-YEAR`, so the year written is a placeholder.
    """
    text = value.strip()
    size = len(text)
    if size == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        # The common `YYYY-MM-DD`, without a regular expression.
        if text[5:7].isdigit() and text[8:].isdigit():
            return _birthday(int(text[:4]), int(text[5:7]), int(text[8:]), omit_year)
    elif size == 8 and text.isdecimal():
        # `YYYYMMDD`: what _FULL makes of eight digits (`\d` is a decimal digit, as for isdecimal).
        return _birthday(int(text[:4]), int(text[4:6]), int(text[6:]), omit_year)
    match = _NO_YEAR.fullmatch(text)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        return Birthday(month, day, None) if _valid(month, day, None) else None
    match = _FULL.fullmatch(text)
    if not match:
        return None
    year, month, day = match.groups()
    return _birthday(int(year), int(month), int(day), omit_year)
