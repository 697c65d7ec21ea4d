"""Read what the user types when logging time: durations, dates and quick-add lines ("45m coffee")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from tiecrm.clock import to_local

KINDS = ("call", "coffee", "lunch", "dinner", "drinks", "meeting", "video", "message", "email", "walk",
         "visit", "event", "other")

MAX_MINUTES = 24 * 60

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_SHORT = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4,
                  "sat": 5, "sun": 6}
_WEEKDAY_TITLES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_TITLES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_DURATION_HINT = "try 45m, 45min, 1h30, 1.5h, 1:30 or 90"
_WHEN_HINT = "try today, yesterday, 3 days ago, last friday, 2026-11-20 or 2026-11-20 14:30"

_MINUTE_UNITS = r"(?:m|min|mins|minute|minutes)"
_HOUR_UNITS = r"(?:h|hr|hrs|hour|hours)"
_DURATION_FORMS = (
    # (pattern, how to turn the match into minutes)
    (re.compile(r"(\d+)"), lambda m: int(m[1])),
    (re.compile(rf"(\d+){_MINUTE_UNITS}"), lambda m: int(m[1])),
    (re.compile(rf"(\d+(?:\.\d+)?|\.\d+){_HOUR_UNITS}"), lambda m: round(float(m[1]) * 60)),
    (re.compile(rf"(\d+){_HOUR_UNITS}(\d+){_MINUTE_UNITS}?"), lambda m: int(m[1]) * 60 + int(m[2])),
    (re.compile(r"(\d+):([0-5]\d)"), lambda m: int(m[1]) * 60 + int(m[2])),
)

_AGO = re.compile(r"(\d+|an?)\s+(minute|minutes|min|mins|hour|hours|day|days|week|weeks)\s+ago")
_WEEKDAY = re.compile(r"(?:(last)\s+)?([a-z]+)")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:(?:\s+|t)(\d{1,2}):(\d{2})(?::(\d{2}))?)?")


# --- durations -------------------------------------------------------------------------------------


def _read_duration(text: str) -> int | None:
    """Minutes for a duration-shaped text, None when it is not shaped like a duration.

    Raises ValueError when it is a duration but outside 1 minute .. 24 hours.
    """
    compact = re.sub(r"\s+", "", text.strip().lower())
    for pattern, to_minutes in _DURATION_FORMS:
        match = pattern.fullmatch(compact)
        if match:
            minutes = to_minutes(match)
            if not 0 < minutes <= MAX_MINUTES:
                raise ValueError(f"duration {text.strip()!r} must be between 1 minute and 24 hours")
            return minutes
    return None


def parse_duration(text: str) -> int:
    """Minutes for `45m`, `45min`, `1h30`, `1h30m`, `1.5h`, `2h`, `90` (bare number = minutes) or `1:30`.

    Raises ValueError with a readable message when the text is not a duration or is not in 1 min .. 24 h.
    """
    minutes = _read_duration(text)
    if minutes is None:
        raise ValueError(f"cannot read duration {text.strip()!r} ({_DURATION_HINT})")
    return minutes


# --- dates -----------------------------------------------------------------------------------------


def _to_local(utc: datetime, tz: tzinfo | None) -> datetime:
    """Naive UTC -> naive wall-clock time in `tz` (or the system's zone, DST-aware for that instant)."""
    return to_local(utc, tz).replace(tzinfo=None)


def _to_utc(local: datetime, tz: tzinfo | None) -> datetime:
    """Naive wall-clock time in `tz` (or the system's zone) -> naive UTC."""
    try:
        aware = local.replace(tzinfo=tz) if tz is not None else local.astimezone()
        return aware.astimezone(timezone.utc).replace(tzinfo=None)
    except (OverflowError, OSError) as error:
        raise ValueError(f"date {local.date().isoformat()} is out of range") from error


def _days_back(now: datetime, days: int, tz: tzinfo | None) -> datetime:
    # Count days on the local wall clock, so "3 days ago" keeps the local time of day even when a
    # daylight-saving change lies in between (a plain 72 hours would land an hour off).
    return _to_utc(_to_local(now, tz) - timedelta(days=days), tz)


def _read_when(text: str, now: datetime, tz: tzinfo | None) -> datetime | None:
    """The instant (naive UTC) a when-phrase names, None when the text is not a when-phrase.

    Raises ValueError for a phrase that is readable but wrong (no such date, a date in the future).
    """
    phrase = re.sub(r"\s+", " ", text.strip().lower())
    if phrase in ("now", "today"):
        return now
    if phrase == "yesterday":
        return _days_back(now, 1, tz)

    match = _AGO.fullmatch(phrase)
    if match:
        count = 1 if match[1] in ("a", "an") else int(match[1])
        unit = match[2]
        if unit.startswith("week"):
            return _days_back(now, 7 * count, tz)
        if unit.startswith("day"):
            return _days_back(now, count, tz)
        if unit.startswith("hour"):
            return now - timedelta(hours=count)
        return now - timedelta(minutes=count)

    match = _WEEKDAY.fullmatch(phrase)
    if match:
        last, word = match[1], match[2]
        # Short names ("sun", "wed") only after "last": alone they are too easily the start of a note.
        target = _WEEKDAY_SHORT.get(word) if last else None
        if word in _WEEKDAYS:
            target = _WEEKDAYS.index(word)
        if target is not None:
            today = _to_local(now, tz).weekday()
            back = (today - target) % 7 or 7  # the most recent one before today, never today
            return _days_back(now, back, tz)
        return None

    match = _ISO.fullmatch(phrase)
    if match:
        return _read_iso(match, text.strip(), now, tz)
    return None


def _read_iso(match: re.Match[str], shown: str, now: datetime, tz: tzinfo | None) -> datetime:
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    try:
        day_ = date(year, month, day)
    except ValueError:
        raise ValueError(f"no such date: {shown!r}") from None
    local_now = _to_local(now, tz)
    if match[4] is None:
        if day_ > local_now.date():
            raise ValueError(f"{shown} is in the future")
        at = _to_utc(datetime.combine(day_, time(12, 0)), tz)
        # Today's date typed in the morning: noon has not come yet, so "today" means now.
        return min(at, now)
    hour, minute, second = int(match[4]), int(match[5]), int(match[6] or 0)
    try:
        clock = time(hour, minute, second)
    except ValueError:
        raise ValueError(f"no such time: {shown!r}") from None
    at = _to_utc(datetime.combine(day_, clock), tz)
    if at > now:
        raise ValueError(f"{shown} is in the future")
    return at


def parse_when(text: str, now: datetime, tz: tzinfo | None = None) -> datetime:
    """The instant a phrase names, as naive UTC.

    Understood: `now`, `today` (= now), `yesterday`, `N days ago`, `N weeks ago`, `a week ago`,
    `N hours ago`, `monday` / `last monday` (the most recent one before today), `2026-11-20` (12:00 local
    time that day), `2026-11-20 14:30` / `2026-11-20T14:30` (local time).

    Args:
        text: what the user typed.
        now: the current instant, naive UTC.
        tz: the user's time zone; None means the system's local zone.

    Raises ValueError with a readable message when the text cannot be read or names a future time.
    """
    at = _read_when(text, now, tz)
    if at is None:
        raise ValueError(f"cannot read date {text.strip()!r} ({_WHEN_HINT})")
    return at


# --- quick-add lines -------------------------------------------------------------------------------


def _format_minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest} min"
    if rest == 0:
        return f"{hours} h"
    return f"{hours} h {rest} min"


@dataclass(frozen=True)
class QuickEntry:
    """An interaction read from one quick-add line; `at` is naive UTC."""

    minutes: int | None
    kind: str
    at: datetime
    note: str
    # Only for describe(): the zone the date is shown in and the clock the line was read against.
    tz: tzinfo | None = field(default=None, compare=False, repr=False)
    now: datetime | None = field(default=None, compare=False, repr=False)

    def describe(self) -> str:
        """One-line preview, date in local time: `45 min · coffee · Tue 24 Nov · talked about her move`."""
        local = _to_local(self.at, self.tz)
        day = f"{_WEEKDAY_TITLES[local.weekday()]} {local.day} {_MONTH_TITLES[local.month - 1]}"
        if self.now is not None and _to_local(self.now, self.tz).year != local.year:
            day += f" {local.year}"
        parts = []
        if self.minutes is not None:
            parts.append(_format_minutes(self.minutes))
        if self.kind:
            parts.append(self.kind)
        parts.append(day)
        if self.note:
            parts.append(self.note)
        return " · ".join(parts)


_TOKEN = re.compile(r"\S+")
_CUSTOM_KIND = re.compile(r"#([\w-]+)")
_SEPARATORS = {"-", "--", "—", "–", ":", "|", "·"}
_TRAILING_PUNCTUATION = ",;"
_HAS_UNIT = re.compile(r".*[a-z]$")


def _read_kind(token: str) -> str | None:
    word = token.lower()
    if word in KINDS:
        return word
    match = _CUSTOM_KIND.fullmatch(word)
    return match[1] if match else None


def parse_quick_line(
    text: str, now: datetime, tz: tzinfo | None = None, default_kind: str = ""
) -> QuickEntry:
    """Read `45m coffee yesterday talked about her move` into minutes, kind, time and note.

    Leading tokens are read in any order while they are recognised, each part at most once: a duration
    (`45m`, `1h30`, `45 min`...), a kind (one of KINDS, or `#word` for a custom kind), a when-phrase
    (`today`, `yesterday`, `3 days ago`, `last friday`, `2026-11-20 14:30`...). The first token that is
    none of these starts the note, which is kept verbatim; a lone `-`, `:` or `|` also ends the header.
    Every part is optional: minutes is None without a duration, kind falls back to `default_kind`,
    the time to `now`.

    Raises ValueError when a part is recognised but wrong (`0m`, `25h`, a date in the future).
    """
    tokens = list(_TOKEN.finditer(text))
    minutes: int | None = None
    kind: str | None = None
    at: datetime | None = None
    note = ""
    index = 0
    while index < len(tokens):
        if tokens[index].group() in _SEPARATORS:
            index += 1
            break
        consumed = 0
        # Longest phrase first, so "3 days ago" is a date and not 3 minutes followed by a note.
        for length in (3, 2, 1):
            if index + length > len(tokens):
                continue
            phrase = " ".join(t.group() for t in tokens[index:index + length]).rstrip(_TRAILING_PUNCTUATION)
            # "now" is the default anyway; as a word it more likely begins the note ("now that...").
            if at is None and phrase.lower() != "now":
                found = _read_when(phrase, now, tz)
                if found is not None:
                    at, consumed = found, length
                    break
            # A two-token duration needs a unit on its second word ("45 min", "1h 30m"), so that
            # "2h 3 days ago" stays two hours three days ago.
            if minutes is None and length <= 2 and (length == 1 or _HAS_UNIT.fullmatch(phrase.lower())):
                found_minutes = _read_duration(phrase)
                if found_minutes is not None:
                    minutes, consumed = found_minutes, length
                    break
            if kind is None and length == 1:
                found_kind = _read_kind(phrase)
                if found_kind is not None:
                    kind, consumed = found_kind, length
                    break
        if not consumed:
            break
        index += consumed
    if index < len(tokens):
        note = text[tokens[index].start():].strip()
    return QuickEntry(minutes=minutes, kind=kind if kind is not None else default_kind,
                      at=at if at is not None else now, note=note, tz=tz, now=now)
