"""A bar chart of minutes invested per week or per month, with a labelled time axis and minute axis."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from rich.text import Text
from textual.widget import Widget

from tiecrm.timeline import Period

EIGHTHS = " ▁▂▃▄▅▆▇█"
NICE_MAXIMA = (15, 30, 60, 90, 120, 180, 240, 360, 480, 600, 720, 900, 1200, 1500, 1800, 2400, 3000, 3600)
AXIS_WIDTH = 6  # "12h30" plus the tick
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def compact_minutes(minutes: int) -> str:
    """`45m`, `2h`, `1h30`: short enough for the axis."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


def nice_maximum(value: int) -> int:
    """The top of the minute axis: the first round figure at or above the largest bar."""
    for nice in NICE_MAXIMA:
        if value <= nice:
            return nice
    return -(-value // 600) * 600


class MinutesChart(Widget):
    """Bars of minutes per period, oldest on the left, scaled to a round maximum, in eighth-block steps.

    Three lines are not bars: a title with the range shown, the time axis, and its labels.
    """

    DEFAULT_CSS = """
    MinutesChart { height: 9; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.periods: Sequence[Period] = ()
        self.minutes: Sequence[int] = ()
        self.unit = "week"
        self.hint = ""

    def show(self, periods: Sequence[Period], minutes: Sequence[int], unit: str, hint: str = "") -> None:
        """Draw `minutes[i]` for `periods[i]`; `unit` is `week` or `month`; `hint` goes right of the title."""
        self.periods, self.minutes, self.unit, self.hint = periods, minutes, unit, hint
        self.refresh()

    def render(self) -> Text:
        width, height = self.content_size.width, self.content_size.height
        out = Text(no_wrap=True, overflow="crop")
        out.append_text(self._title(width))
        rows = max(height - 3, 1)
        count = len(self.minutes)
        if not count:
            return out
        slot = max((width - AXIS_WIDTH - 1) // count, 1)
        bar = max(slot - 1, 1)
        top = nice_maximum(max(self.minutes))
        for row in range(rows, 0, -1):
            out.append("\n")
            if row == rows:
                label = compact_minutes(top)
            elif rows % 2 == 0 and row == rows // 2:
                label = compact_minutes(top // 2)
            else:
                label = ""
            tick = f"{label:>{AXIS_WIDTH - 1}}┤" if label else " " * (AXIS_WIDTH - 1) + "│"
            out.append(tick, style="dim")
            for index, minutes in enumerate(self.minutes):
                # Eighths of a row this bar reaches above the bottom of this row; any time at all shows.
                eighths = minutes * rows * 8 / top
                if minutes:
                    eighths = max(eighths, 1)
                fill = min(max(round(eighths - (row - 1) * 8), 0), 8)
                # The current (unfinished) period stands out.
                out.append(EIGHTHS[fill] * bar, style="bold cyan" if index == count - 1 else "green")
                out.append(" " * (slot - bar))
        out.append("\n")
        out.append(f"{'0':>{AXIS_WIDTH - 1}}└" + "─" * (slot * count), style="dim")
        out.append("\n")
        out.append_text(self._labels(slot))
        return out

    def _title(self, width: int) -> Text:
        total = sum(self.minutes)
        if self.periods:
            first = self.periods[0].first
            start = f"{first.day} {MONTHS[first.month - 1]} {first.year}" if self.unit == "week" else \
                f"{MONTHS[first.month - 1]} {first.year}"
            plural = f"{len(self.periods)} {self.unit}s"
            title = f"Minutes per {self.unit} · last {plural} since {start}"
            title += f" · {compact_minutes(total)} in all"
        else:
            title = f"Minutes per {self.unit}"
        text = Text(title, style="bold")
        if self.hint:
            gap = max(width - len(title) - len(self.hint), 2)
            text.append(" " * gap)
            text.append(self.hint, style="dim")
        return text

    def _labels(self, slot: int) -> Text:
        """Month names under the first bar of each month (weeks), or under each month with room (months);
        a year where it starts, or under the first bar."""
        line = [" "] * (AXIS_WIDTH + slot * len(self.periods) + 6)
        free_from = 0
        previous_month = None
        for index, period in enumerate(self.periods):
            # A week belongs to the month its Thursday is in, as ISO weeks do.
            day = period.first if self.unit == "month" else period.first + timedelta(days=3)
            if day.month == previous_month:
                continue
            previous_month = day.month
            label = MONTHS[day.month - 1]
            if day.month == 1 or index == 0:
                label = f"{label} {day.year}"
            column = AXIS_WIDTH + index * slot
            if column < free_from:
                continue
            if column + len(label) > len(line):
                break
            line[column:column + len(label)] = label
            free_from = column + len(label) + 1
        return Text("".join(line).rstrip(), style="dim")
