"""Turn domain objects into literal Rich text for display: contact text is never read as markup."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.text import Text

from tiecrm.clock import local_date
from tiecrm.domain import Bucket, PersonSummary
from tiecrm.textsafe import visible

if TYPE_CHECKING:  # the people screen imports this module before its first frame, which has no details yet
    from tiecrm.domain import PersonDetail

BUCKET_STYLES = {
    Bucket.UNSORTED: "dim",
    Bucket.INNER: "bold magenta",
    Bucket.NURTURE: "bold green",
    Bucket.VANITY: "bold yellow",
}


def literal(text: str, style: str = "", *, multiline: bool = False) -> Text:
    """Contact text as a Text that shows brackets and escape codes as they are."""
    return Text(visible(text, multiline=multiline), style=style)


def minutes_label(minutes: int) -> str:
    hours, mins = divmod(int(minutes), 60)
    if not hours:
        return f"{mins} min"
    return f"{hours} h {mins:02d}" if mins else f"{hours} h"


def days_since(at: datetime | None, today: date) -> int | None:
    return None if at is None else (today - local_date(at)).days


def last_contact_label(at: datetime | None, today: date) -> str:
    days = days_since(at, today)
    if days is None:
        return "never"
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def person_details(detail: PersonDetail, today: date, latest_notes: int = 5) -> Text:
    """The detail pane's body: contact details, bucket, time invested, last contact, latest notes."""
    s: PersonSummary = detail.summary
    out = Text()
    out.append_text(literal(s.name, "bold"))
    out.append("\n")
    if s.title or s.org:
        out.append_text(literal(" · ".join(x for x in (s.title, s.org) if x), "italic"))
        out.append("\n")
    out.append("\n")
    _row(out, "Bucket", Text(s.bucket.title, BUCKET_STYLES[s.bucket]))
    _row(out, "Invested", Text(minutes_label(s.minutes_invested)))
    _row(out, "Last contact", Text(last_contact_label(s.last_interaction, today)))
    if s.birthday:
        _row(out, "Birthday", Text(s.birthday.iso()))
    for phone in detail.phones:
        _row(out, "Phone", literal(phone.value), phone.label)
    for email in detail.emails:
        _row(out, "Email", literal(email.value), email.label)
    for address in detail.addresses:
        _row(out, "Address", literal(address.value), address.label)
    if s.note:
        out.append("\nNote\n", style="bold")
        out.append_text(literal(s.note, multiline=True))
        out.append("\n")
    notes = [i for i in detail.interactions if i.note][:latest_notes]
    if notes:
        out.append("\nLatest notes\n", style="bold")
        for i in notes:
            out.append(f"{local_date(i.at):%d %b %Y}  ", style="dim")
            if i.kind:
                out.append_text(literal(i.kind, "cyan"))
                out.append(" ")
            out.append_text(literal(i.note))
            out.append("\n")
    return out


def _row(out: Text, label: str, value: Text, note: str = "") -> None:
    out.append(f"{label:<13}", style="dim")
    out.append_text(value)
    if note:
        out.append("  ")
        out.append_text(literal(note, "dim"))
    out.append("\n")
