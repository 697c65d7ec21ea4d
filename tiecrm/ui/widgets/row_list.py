"""A one-line-per-row list with a cursor, drawn with Textual's Line API: only rows on screen are drawn."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


class RowList(ScrollView, can_focus=True):
    """Rows of any kind, each drawn on demand by `draw(row) -> Text`, with a cursor that skips headings.

    A row for which `is_heading(row)` is true is drawn but never highlighted (section titles). Thousands of
    rows cost no more than the screenful drawn.

    | Key | Action | Binding id |
    | :- | :- | :- |
    | `j`, `down` | Next row | `rows.down` |
    | `k`, `up` | Previous row | `rows.up` |
    | `g`, `home` | First row | `rows.first` |
    | `G`, `end` | Last row | `rows.last` |
    | `pageup` / `pagedown` | Up / down one screen | `rows.page_up` / `rows.page_down` |
    | `enter` | Choose the highlighted row (posts `Selected`) | `rows.select` |
    """

    BINDINGS: list[BindingType] = [
        Binding("j,down", "cursor_down", "Down", id="rows.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="rows.up", show=False),
        Binding("g,home", "first", "First", id="rows.first", show=False),
        Binding("G,end", "last", "Last", id="rows.last", show=False),
        Binding("pageup", "page(-1)", "Page up", id="rows.page_up", show=False),
        Binding("pagedown", "page(1)", "Page down", id="rows.page_down", show=False),
        Binding("enter", "select", "Open", id="rows.select", show=False),
    ]

    COMPONENT_CLASSES = {"row-list--cursor"}

    DEFAULT_CSS = """
    RowList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        & > .row-list--cursor {
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .row-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    class Selected(Message):
        """Enter (or a double click) on a row."""

        def __init__(self, row_list: RowList, row: Any) -> None:
            super().__init__()
            self.row_list = row_list
            self.row = row

        @property
        def control(self) -> RowList:
            return self.row_list

    cursor: reactive[int] = reactive(0, init=False)

    def __init__(
        self,
        draw: Callable[[Any], Text],
        *,
        is_heading: Callable[[Any], bool] = lambda row: False,
        empty: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._draw = draw
        self._is_heading = is_heading
        self._empty = empty
        self.rows: Sequence[Any] = ()
        self._cache: dict[int, Text] = {}

    # ------------------------------------------------------------ content

    def set_rows(self, rows: Sequence[Any], keep: Callable[[Any], bool] | None = None) -> None:
        """Show `rows`; the cursor goes to the first row `keep` accepts, else stays at its index."""
        self.rows = rows
        self._cache.clear()
        self.virtual_size = Size(self.size.width, max(len(rows), 1))
        target = self.cursor
        if keep is not None:
            target = next((i for i, row in enumerate(rows) if keep(row)), target)
        self._move_to(min(target, max(len(rows) - 1, 0)), step=1)
        self.refresh()

    @property
    def highlighted(self) -> Any | None:
        if not self.rows or self._is_heading(self.rows[self.cursor]):
            return None
        return self.rows[self.cursor]

    def row_texts(self) -> list[str]:
        """The rows as plain text, as drawn (for search and for tests)."""
        return [self._text(i).plain for i in range(len(self.rows))]

    def _text(self, index: int) -> Text:
        text = self._cache.get(index)
        if text is None:
            text = self._cache[index] = self._draw(self.rows[index])
        return text

    # ------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if not self.rows:
            if y == 0 and self._empty:
                segments = list(Text(self._empty, style="dim").render(self.app.console))
                return Strip(segments).crop_extend(0, width, base)
            return Strip.blank(width, base)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        text = self._text(index).copy()
        text.truncate(width, overflow="ellipsis")
        if index == self.cursor and not self._is_heading(self.rows[index]):
            text.stylize(self.get_component_rich_style("row-list--cursor"))
            text.pad_right(width - text.cell_len)
            text.stylize(self.get_component_rich_style("row-list--cursor"))
        segments = list(text.render(self.app.console))
        return Strip(segments).apply_style(base).crop_extend(0, width, base)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, max(len(self.rows), 1))
        self._cache.clear()

    # ------------------------------------------------------------ the cursor

    def _move_to(self, index: int, step: int) -> None:
        """Put the cursor on `index`, or the nearest non-heading row in the direction of `step`."""
        if not self.rows:
            self.cursor = 0
            return
        index = max(0, min(index, len(self.rows) - 1))
        probe = index
        while 0 <= probe < len(self.rows) and self._is_heading(self.rows[probe]):
            probe += step
        if not 0 <= probe < len(self.rows):
            probe = index
            while 0 <= probe < len(self.rows) and self._is_heading(self.rows[probe]):
                probe -= step
        self.cursor = max(0, min(probe, len(self.rows) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)

    def refresh_line(self, index: int) -> None:
        y = index - self.scroll_offset.y
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def action_cursor_down(self) -> None:
        self._move_to(self.cursor + 1, step=1)

    def action_cursor_up(self) -> None:
        self._move_to(self.cursor - 1, step=-1)

    def action_first(self) -> None:
        self._move_to(0, step=1)

    def action_last(self) -> None:
        self._move_to(len(self.rows) - 1, step=-1)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor + direction * max(self.size.height - 1, 1), step=direction)

    def action_select(self) -> None:
        row = self.highlighted
        if row is not None:
            self.post_message(self.Selected(self, row))

    async def _on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self.rows) and not self._is_heading(self.rows[index]):
            self.cursor = index
            if event.chain >= 2:
                self.action_select()
