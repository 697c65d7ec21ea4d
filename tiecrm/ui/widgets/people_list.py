"""The people list: one line per person, drawn with Textual's Line API so 50,000 rows cost nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from operator import attrgetter, indexOf

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tiecrm.domain import Bucket, PersonSummary
from tiecrm.textsafe import visible
from tiecrm.ui.widgets.strip_scrollbar import StripScrollBarRender

BUCKET_TAGS = {
    Bucket.INNER: "inner",
    Bucket.NURTURE: "nurture",
    Bucket.VANITY: "vanity",
    Bucket.UNSORTED: "·",  # the starting state: kept quiet so sorted people stand out
}
TAG_WIDTH = max(len(tag) for tag in BUCKET_TAGS.values())
DAYS_WIDTH = 5  # "999d", "12y", "—"
RIGHT_WIDTH = 1 + TAG_WIDTH + 1 + DAYS_WIDTH + 1

# Rows drawn are kept for reuse: a search keystroke often shows many of the rows it just showed, and a
# scroll shows all of them again one line off. A few screenfuls are enough; past this many the cache
# starts afresh, as every row kept is a dozen objects the garbage collector walks.
ROW_CACHE_SIZE = 256

_person_id = attrgetter("id")


def days_label(person: PersonSummary, today: date) -> str:
    """Days since the last contact, as shown in the list: `0d`, `45d`, `3y` past 999 days, `—` if never."""
    if person.last_interaction is None:
        return "—"
    days = max(0, (today - person.last_interaction.date()).days)
    return f"{days}d" if days < 1000 else f"{days // 365}y"


class PeopleList(ScrollView, can_focus=True):
    """A scrolling list of people with a cursor; only the lines on screen are ever drawn.

    Each row shows the name, the organisation (dimmed), the bucket as a short tag and the days since
    the last contact, right-aligned. Contact text is drawn as literal segments, never as markup, with
    control characters made visible.

    | Key | Action | Binding id |
    | :- | :- | :- |
    | `j`, `down` | Move the cursor down | `people.down` |
    | `k`, `up` | Move the cursor up | `people.up` |
    | `g`, `home` | First person | `people.first` |
    | `G`, `end` | Last person | `people.last` |
    | `pageup` | Up one screen | `people.page_up` |
    | `pagedown` | Down one screen | `people.page_down` |
    | `enter` | Open the highlighted person (posts `Selected`) | `people.select` |

    A click moves the cursor to the clicked row; a double click also opens it.

    Attributes:
        people: the people shown, in order (set them with `set_people`).
        cursor: index of the highlighted row in `people` (0 when the list is empty).
        today: the date days-since-contact are counted from; None means the real today.
    """

    BINDINGS: list[BindingType] = [
        Binding("j,down", "cursor_down", "Down", id="people.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="people.up", show=False),
        Binding("g,home", "first", "First", id="people.first", show=False),
        Binding("G,end", "last", "Last", id="people.last", show=False),
        Binding("pageup", "page_up", "Page up", id="people.page_up", show=False),
        Binding("pagedown", "page_down", "Page down", id="people.page_down", show=False),
        Binding("enter", "select", "Open", id="people.select"),
    ]

    COMPONENT_CLASSES = {
        "people-list--cursor",
        "people-list--org",
        "people-list--tag",
        "people-list--days",
    }
    """
    | Class | Description |
    | :- | :- |
    | `people-list--cursor` | The highlighted row. |
    | `people-list--org` | The organisation after the name. |
    | `people-list--tag` | The bucket tag. |
    | `people-list--days` | Days since the last contact. |
    """

    DEFAULT_CSS = """
    PeopleList {
        width: 1fr;
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        color: $foreground;
        & > .people-list--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .people-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .people-list--org {
            color: $text-muted;
        }
        & > .people-list--tag {
            color: $accent;
        }
        & > .people-list--days {
            color: $text-muted;
        }
    }
    """

    class _PersonMessage(Message):
        """A message about one person in this list."""

        def __init__(self, person_id: int, people_list: PeopleList | None = None) -> None:
            super().__init__()
            self.person_id = person_id
            self.people_list = people_list

        @property
        def control(self) -> PeopleList | None:
            return self.people_list

    class Highlighted(_PersonMessage):
        """The cursor moved to another person."""

    class Selected(_PersonMessage):
        """The user asked to open a person (Enter, or a double click)."""

    cursor: reactive[int] = reactive(0)
    today: reactive[date | None] = reactive(None)

    def __init__(
        self,
        people: Sequence[PersonSummary] = (),
        *,
        today: date | None = None,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's own name for it
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.people: list[PersonSummary] = list(people)
        self._row_of: dict[int, int] | None = None
        self._announced: int | None = None
        self._rows_drawn: dict[tuple, Strip] = {}
        self._row_styles: dict[tuple[bool, bool, bool, bool], tuple[Style, Style, Style, Style]] = {}
        self.set_reactive(PeopleList.today, today)
        self.virtual_size = Size(0, len(self.people))

    # -- data ------------------------------------------------------------------------------------

    def set_people(
        self,
        people: Sequence[PersonSummary],
        keep_id: int | None = None,
        *,
        today: date | None = None,
        first: bool = False,
    ) -> None:
        """Show `people`, keeping the cursor on `keep_id` (else on whoever it was on) when still listed.

        With `first=True` the cursor goes to the first row instead (a new search puts its best match there).
        """
        previous = self.highlighted_person
        self.people = list(people)
        self._row_of = None
        if today is not None:
            self.set_reactive(PeopleList.today, today)
        self._set_height(len(self.people))
        if first:
            row = 0
        else:
            wanted = keep_id if keep_id is not None else (previous.id if previous else None)
            row = self._find_row(wanted) if wanted is not None else None
            if row is None:
                row = min(self.cursor, len(self.people) - 1)
        self.set_reactive(PeopleList.cursor, self.validate_cursor(row))
        self.refresh()
        self._scroll_to_cursor()
        self._announce()

    def _set_height(self, rows: int) -> None:
        """Make the scrollable height `rows` lines without a layout pass.

        The list's own size never depends on how many rows it holds (it fills its container), so the
        layout of the whole screen that setting `virtual_size` asks for would only redraw every widget
        for nothing; the scroll limits and the scrollbar are updated directly instead. A scrollbar that
        appears or disappears still asks for its layout itself.
        """
        size = Size(0, rows)
        if size == self.virtual_size:
            return
        self.set_reactive(PeopleList.virtual_size, size)
        if not self.is_mounted:
            return
        if not self.container_size and rows > self.app.size.height:
            # Before the first layout, a list taller than the whole terminal will need its scrollbar:
            # shown now, the first layout makes room for it, where finding it missing would take a
            # second layout and frame just after the first. Any later layout still decides.
            self.set_reactive(PeopleList.show_vertical_scrollbar, True)
        if self.show_vertical_scrollbar:
            # The bar is drawn straight to lines, without a Rich pass: in the first frame, and again each
            # time a search changes how many people the list holds.
            self.vertical_scrollbar.renderer = StripScrollBarRender
        self._scroll_update(size)

    @property
    def highlighted_person(self) -> PersonSummary | None:
        """The person under the cursor, or None when the list is empty."""
        if not self.people:
            return None
        return self.people[self.cursor]

    def highlight_id(self, person_id: int) -> bool:
        """Move the cursor to this person; False (and no move) if they are not in the list."""
        row = self._row_of_id(person_id)
        if row is None:
            return False
        self.cursor = row
        return True

    def _find_row(self, person_id: int) -> int | None:
        """The row of one person, found without a map of every row: a search keystroke replaces the
        list and asks once, so a map of 50,000 rows would be built to be thrown away. The row under
        the cursor is tried first, then the list is walked in C until the person turns up."""
        people = self.people
        if 0 <= self.cursor < len(people) and people[self.cursor].id == person_id:
            return self.cursor
        try:
            return indexOf(map(_person_id, people), person_id)
        except ValueError:
            return None

    def _row_of_id(self, person_id: int) -> int | None:
        if self._row_of is None:
            self._row_of = {person.id: row for row, person in enumerate(self.people)}
        return self._row_of.get(person_id)

    # -- cursor ----------------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.people) - 1))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # The rows' colours may have changed.
        self._row_styles.clear()
        self._rows_drawn.clear()

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_to_cursor()
        self._announce()

    def _announce(self) -> None:
        """Post `Highlighted` when the highlighted person is not the one last announced."""
        person = self.highlighted_person
        person_id = person.id if person else None
        if person_id != self._announced:
            self._announced = person_id
            if person_id is not None:
                self.post_message(self.Highlighted(person_id, self))

    def _scroll_to_cursor(self) -> None:
        """Scroll just enough to bring the cursor row on screen."""
        if not self.is_mounted:
            return
        # The scroll limits already know the list's height: `_set_height` gives it to them.
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, force=True)

    def on_resize(self, event: events.Resize) -> None:
        self._scroll_to_cursor()

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.people) - 1

    def action_page_down(self) -> None:
        self.cursor += self._page()

    def action_page_up(self) -> None:
        self.cursor -= self._page()

    def action_select(self) -> None:
        person = self.highlighted_person
        if person is not None:
            self.post_message(self.Selected(person.id, self))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + round(self.scroll_y)
        if 0 <= row < len(self.people):
            self.focus()
            self.cursor = row
            if event.chain >= 2:
                self.action_select()

    # -- drawing ---------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = round(self.scroll_y) + y
        if not 0 <= row < len(self.people):
            return Strip.blank(width, self.get_visual_style().rich_style)
        person = self.people[row]
        highlighted = row == self.cursor
        today = self.today or date.today()
        # What picks the row's colours: focus, hover and disabled change the component styles (`:focus`
        # in the CSS) without a style update.
        look = (highlighted, self.has_focus, self.mouse_hover, self.is_disabled)
        key = (person.name, person.org, person.bucket, person.last_interaction, today, width, look)
        strip = self._rows_drawn.get(key)
        if strip is None:
            if len(self._rows_drawn) >= ROW_CACHE_SIZE:
                self._rows_drawn.clear()
            styles = self._row_styles.get(look)
            if styles is None:
                styles = self._row_styles[look] = self._styles_for_row(highlighted)
            strip = self._rows_drawn[key] = self._render_row(person, styles, width, today)
        return strip

    def _styles_for_row(self, highlighted: bool) -> tuple[Style, Style, Style, Style]:
        """The row's own style, then the organisation's, the tag's and the days' (asked once per look, not
        for every row drawn)."""
        # Component colours are blended over the row's own background, cursor or not.
        row_classes = ("people-list--cursor",) if highlighted else ()
        return (
            self.get_visual_style(*row_classes).rich_style,
            self.get_visual_style(*row_classes, "people-list--org").rich_style,
            self.get_visual_style(*row_classes, "people-list--tag").rich_style,
            self.get_visual_style(*row_classes, "people-list--days").rich_style,
        )

    def _render_row(
        self, person: PersonSummary, styles: tuple[Style, Style, Style, Style], width: int, today: date
    ) -> Strip:
        """` name  org ........ tag  days ` fitted to `width` cells."""
        base, org_style, tag_style, days_style = styles
        name = visible(person.name)
        left: list[Segment] = [Segment(" ", base), Segment(name, base)]
        left_cells = 1 + cell_len(name)
        if person.org:
            org = visible(person.org)
            left += [Segment("  ", base), Segment(org, org_style)]
            left_cells += 2 + cell_len(org)
        right = [
            Segment(" ", base),
            Segment(BUCKET_TAGS[person.bucket].rjust(TAG_WIDTH), tag_style),
            Segment(" ", base),
            Segment(days_label(person, today).rjust(DAYS_WIDTH), days_style),
            Segment(" ", base),
        ]
        left_width = width - RIGHT_WIDTH
        if left_cells <= left_width:
            # The usual row: the name and organisation fit. One strip, padded in place, the same
            # segments as the general case below makes.
            if left_cells < left_width:
                left.append(Segment(" " * (left_width - left_cells), base))
            return Strip(left + right, width)
        left_strip = Strip(left).crop_extend(0, max(0, left_width), base)
        return Strip.join([left_strip, Strip(right)]).crop_extend(0, width, base)
