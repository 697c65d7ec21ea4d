"""A board column: a header with count and time invested, over a list that draws only the cards in view."""

from __future__ import annotations

from typing import Self

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widgets import Static

from tiecrm.domain import Bucket
from tiecrm.ui.format import minutes_label
from tiecrm.ui.widgets.board_card import CARD_HEIGHT, COLD_MARK, CardFaces, fit
from tiecrm.ui.widgets.strip_scrollbar import StripScrollBarRender

PLACEHOLDER = "placeholder"
"""The highlight of the row where a lifted card would land."""

LINES_KEPT = 512
"""Card lines a column keeps drawn: a dozen screens' worth, so scrolling back and forth reuses them too."""


class CardList(ScrollView):
    """The cards of one column, two lines each; with 50,000 people only the lines in view are drawn."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "card--name",
        "card--meta",
        "card--cold",
        "card--cursor",
        "card--lifted",
        "card--placeholder",
    }
    DEFAULT_CSS = """
    CardList { overflow-x: hidden; overflow-y: auto; height: 1fr; scrollbar-size-vertical: 1; }
    CardList > .card--name { text-style: bold; }
    CardList > .card--meta { color: $text-muted; }
    CardList > .card--cold { color: $accent; text-style: bold; }
    CardList > .card--cursor { background: $primary 35%; }
    CardList > .card--lifted { background: $warning 35%; text-style: italic; }
    CardList > .card--placeholder { background: $accent 25%; color: $accent; }
    """

    def __init__(self, bucket: Bucket, faces: CardFaces, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bucket = bucket
        self.faces = faces
        self.ids: list[int] = []
        self.cursor: int | None = None
        self.lifted_id: int | None = None
        self.placeholder: int | None = None
        self._styles: dict[str, Style] | None = None
        # What each card row in view showed when last drawn: a redraw repaints only the rows that differ.
        self._drawn: dict[int, tuple[int | None, str]] = {}
        # Card lines already drawn, by (person, line of the card, highlight), at `_lines_width` cells.
        self._lines: dict[tuple[int, int, str], Strip] = {}
        self._lines_width = 0
        # (width, scroll offset) while a frame is drawn: both walk the widget's styles, once is enough.
        self._frame: tuple[int, int] | None = None
        # The finished line at each row of the widget, with what it shows: a frame hands a row that shows
        # the same card line as before back as it was, and the compositor's cuts of it are reused too.
        self._painted: dict[int, tuple[tuple[int | None, str, int], Strip]] = {}
        self._painted_look: tuple[object, ...] | None = None
        # Bumped whenever what the rows show may have changed; a frame asking for the same rows, scroll
        # and look as the last one while it stands gets the last one's lines (the columns a move left alone).
        self._shown_version = 0
        self._last_frame: tuple[object, ...] | None = None
        self._last_strips: list[Strip] = []

    # -- what is drawn --------------------------------------------------------------------------

    def show(
        self,
        ids: list[int],
        *,
        cursor: int | None = None,
        lifted_id: int | None = None,
        placeholder: int | None = None,
        everything: bool = False,
    ) -> None:
        """Draw these people (board order), the cursor at a shown index, a lifted card, a drop slot.

        `placeholder` counts drawn cards, the lifted one included when it is in this column. Only the
        card rows in view whose person or highlight changed are repainted; `everything` repaints all
        of them (what a card says changed: names, last contacts, warmth, the day).
        """
        self.ids = ids
        self.cursor = cursor
        self.lifted_id = lifted_id
        self.placeholder = placeholder
        self._shown_version += 1
        rows = len(ids) + (1 if placeholder is not None else 0)
        if self.show_vertical_scrollbar:
            # Moves and scrolling move the thumb: the bar is drawn without a Rich pass. (Set on the bar
            # Textual made when the column overflowed: one made before that has no thickness.)
            self.vertical_scrollbar.renderer = StripScrollBarRender
        self._set_content_height(rows * CARD_HEIGHT)
        if everything:
            self.refresh()
        else:
            self._repaint_changed_rows()

    def _set_content_height(self, height: int) -> None:
        """Make the list `height` lines long, without a layout pass or a repaint of every card when the
        scrollbar neither comes nor goes (setting `virtual_size` would do both)."""
        size = Size(0, height)
        if size == self.virtual_size:
            return
        viewport = self.container_size.height
        if not viewport or (height > viewport) != self.show_vertical_scrollbar:
            self.virtual_size = size  # the cards get narrower or wider: lay them out again
            return
        self.set_reactive(CardList.virtual_size, size)
        if self.show_vertical_scrollbar:
            bar = self.vertical_scrollbar
            # One card more or less seldom moves the thumb by a cell: only the cells that would look
            # different are repainted (in fifty thousand cards, mostly none).
            looked = _thumb(bar, bar.window_virtual_size)
            bar.set_reactive(ScrollBar.window_virtual_size, height)
            looks = _thumb(bar, height)
            if len(looks) != len(looked):
                bar.refresh()
            else:
                width = bar.size.width
                changed = [Region(0, row, width, 1) for row, cells in enumerate(zip(looked, looks))
                           if cells[0] != cells[1]]
                if changed:
                    bar.refresh(*changed)
        if self.scroll_y > self.max_scroll_y:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        if repaint and not regions:
            # Everything is repainted (new styles, a new theme, new card text): nothing drawn is reused.
            self._forget_drawn_lines()
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _row_key(self, drawn: int) -> tuple[int | None, str]:
        """What card row `drawn` shows: (person, highlight: "", "card--cursor" or "card--lifted"), the
        placeholder as (None, PLACEHOLDER), empty space as (None, "")."""
        if self.placeholder is not None and drawn == self.placeholder:
            return None, PLACEHOLDER
        person_id = self.item_at(drawn)
        if person_id is None:
            return None, ""
        if person_id == self.lifted_id:
            return person_id, "card--lifted"
        index = drawn - (1 if self.placeholder is not None and drawn > self.placeholder else 0)
        return person_id, "card--cursor" if index == self.cursor else ""

    def _repaint_changed_rows(self) -> None:
        """Repaint the card rows in view that show another person or highlight than when last drawn."""
        top = self.scroll_offset.y // CARD_HEIGHT
        bottom = (self.scroll_offset.y + self.size.height - 1) // CARD_HEIGHT
        before = self._drawn
        now = {drawn: self._row_key(drawn) for drawn in range(top, bottom + 1)}
        self._drawn = now
        start: int | None = None
        # Consecutive changed rows become one region: a move shifts a run of cards, not scattered ones.
        for drawn in range(top, bottom + 2):
            changed = drawn <= bottom and before.get(drawn, (-1, "")) != now[drawn]
            if changed and start is None:
                start = drawn
            elif not changed and start is not None:
                self.refresh_lines(start * CARD_HEIGHT, (drawn - start) * CARD_HEIGHT)
                start = None

    def notify_style_update(self) -> None:
        self._forget_drawn_lines()
        super().notify_style_update()

    def _forget_drawn_lines(self) -> None:
        self._styles = None
        self._drawn.clear()
        self._lines.clear()
        self._painted.clear()
        self._shown_version += 1

    def _style(self, name: str) -> Style:
        """Styles worked out once per redraw: looking them up per line is what drawing would cost."""
        if self._styles is None:
            base = self.rich_style
            self._styles = {"base": base}
            for part in self.COMPONENT_CLASSES:
                self._styles[part] = self.get_component_rich_style(part)
            for state in ("", "card--cursor", "card--lifted"):
                background = base + self._styles[state] if state else base
                self._styles[f"{state}:bg"] = background
                for part in ("card--name", "card--meta", "card--cold"):
                    self._styles[f"{state}:{part}"] = background + self._styles[part]
            self._styles["placeholder"] = base + self._styles["card--placeholder"]
        return self._styles[name]

    def item_at(self, drawn: int) -> int | None:
        """The person drawn at card row `drawn`, or None for the placeholder and empty space."""
        if self.placeholder is not None:
            if drawn == self.placeholder:
                return None
            if drawn > self.placeholder:
                drawn -= 1
        return self.ids[drawn] if 0 <= drawn < len(self.ids) else None

    def line_at(self, screen_y: int) -> int:
        """The content line (scroll included) at a screen row; negative above the list."""
        return screen_y - self.scrollable_content_region.y + self.scroll_offset.y

    def card_at(self, screen_y: int) -> int | None:
        """The shown index of the card at a screen row, when no placeholder is drawn."""
        line = self.line_at(screen_y)
        if line < 0:
            return None
        index = line // CARD_HEIGHT
        return index if index < len(self.ids) else None

    def scroll_to_card(self, index: int) -> None:
        width = max(1, self.scrollable_content_region.width)
        region = Region(0, index * CARD_HEIGHT, width, CARD_HEIGHT)
        self.scroll_to_region(region, animate=False, immediate=True)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame = (self.scrollable_content_region.width, self.scroll_offset.y)
        try:
            if self._plainly_styled():
                return self._render_plain_lines(crop)
            # Tinted, translucent, bordered or padded: Textual's own line cache draws it, from scratch
            # the first time (it was not kept up to date while the lines were finished here).
            if self._painted_look is not None:
                self._painted.clear()
                self._painted_look = None
                self._styles_cache.clear()
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _plainly_styled(self) -> bool:
        """No border, outline, padding, tint, hatch or opacity: a finished line is the card line padded to
        the widget's width with its background, through the app's line filters."""
        styles = self.styles
        return (
            not self.BLANK
            and not any(edge for edge, _ in styles.border)
            and not any(edge for edge, _ in styles.outline)
            and not any(styles.padding)
            and not styles.tint.a
            and styles.text_opacity == 1.0
            and (not styles.has_rule("hatch") or styles.hatch == "none")
            and self.opacity == 1.0
        )

    def _render_plain_lines(self, crop: Region) -> list[Strip]:
        """The rows of `crop`, finished as Textual's line cache would finish them, without its per-line work.

        A move shifts every card below it by a row: each row that now shows another card line takes that
        line as drawn before (and Textual keeps its padded and filtered copies on it), so only card lines
        never drawn at this width cost anything.
        """
        assert self._frame is not None
        card_width, top = self._frame
        width = self.size.width
        base_background, background = self.background_colors
        filters = self.get_line_filters()
        look = (width, card_width, base_background, background, *filters)
        if look != self._painted_look:
            self._painted.clear()
            self._painted_look = look
        frame = (look, crop, top, self._shown_version)
        if frame == self._last_frame:
            return list(self._last_strips)
        pad_style = VisualStyle(background=base_background + background).rich_style
        painted = self._painted
        strips: list[Strip] = []
        for y in crop.line_range:
            drawn, within = divmod(top + y, CARD_HEIGHT)
            person_id, state = self._row_key(drawn)
            shows = (person_id, state, within if state == PLACEHOLDER or person_id is not None else 0)
            previous = painted.get(y)
            if previous is not None and previous[0] == shows:
                strips.append(previous[1])
                continue
            line = self.render_line(y).adjust_cell_length(width, pad_style)
            for line_filter in filters:
                line = line.apply_filter(line_filter, background)
            painted[y] = (shows, line)
            strips.append(line)
        if crop.column_span != (0, width):
            start, end = crop.column_span
            strips = [strip.crop(start, end) for strip in strips]
        self._last_frame, self._last_strips = frame, strips
        return list(strips)

    def render_line(self, y: int) -> Strip:
        width, top = self._frame or (self.scrollable_content_region.width, self.scroll_offset.y)
        drawn, within = divmod(top + y, CARD_HEIGHT)
        person_id, state = self._row_key(drawn)
        if state == PLACEHOLDER:
            text = " ┄┄ drop here ┄┄" if within == 0 else ""
            return Strip([Segment(fit(text, width), self._style("placeholder"))], width)
        if person_id is None:
            return Strip.blank(width, self._style("base"))
        # A move shifts every card below it by a row: their lines are taken as drawn, not drawn again.
        if width != self._lines_width:
            self._lines.clear()
            self._lines_width = width
        key = (person_id, within, state)
        line = self._lines.get(key)
        if line is None:
            if len(self._lines) >= LINES_KEPT:
                self._lines.clear()
            line = self._lines[key] = self._card_line(person_id, within, state, width)
        return line

    def _card_line(self, person_id: int, within: int, state: str, width: int) -> Strip:
        if within == 0:
            prefix = "⇅ " if state == "card--lifted" else " "
            text = fit(prefix + self.faces.name(person_id), width)
            return Strip([Segment(text, self._style(f"{state}:card--name"))], width)
        # The cold mark leads the line, so a narrow column cuts the warmth, never the mark.
        if self.faces.is_cold(person_id, self.bucket):
            lead = Segment(f" {COLD_MARK} ", self._style(f"{state}:card--cold"))
        else:
            lead = Segment("   ", self._style(f"{state}:card--meta"))
        segments = [lead, Segment(self.faces.meta(person_id), self._style(f"{state}:card--meta"))]
        return Strip(segments).adjust_cell_length(width, self._style(f"{state}:bg"))


def _thumb(bar: ScrollBar, virtual_height: int) -> list[Segment]:
    """The cells of a vertical scrollbar over `virtual_height` lines, as its renderer draws them."""
    window = bar.window_size if bar.window_size < virtual_height else 0
    return bar.renderer.render_bar(
        size=bar.size.height, virtual_size=virtual_height, window_size=window, position=bar.position,
        thickness=bar.thickness, vertical=True,
    ).segments


def header_text(bucket: Bucket, count: int, guide: int | None, minutes: int | None, left: int | None) -> Text:
    """The column's title and its numbers: count (against the guide), time invested in 90 days."""
    text = Text(bucket.title, style="bold")
    text.append("\n")
    if guide is not None:
        text.append(f"{count} / {guide}")
    else:
        text.append(f"{count}")
    if minutes is not None:
        text.append(f" · {minutes_label(minutes)} in 90 d", style="dim" if not minutes else "")
    if left is not None:
        text.append(" to sort" if left else " · all sorted")
    return text


class BoardColumn(Vertical):
    """One bucket's column: header, then its cards."""

    COMPONENT_CLASSES = {"board-column--focus"}
    DEFAULT_CSS = """
    BoardColumn { width: 1fr; height: 1fr; border: round $secondary 40%; padding: 0 0; }
    BoardColumn.-drop-target { border: heavy $accent; background: $accent 8%; }
    BoardColumn > .board-header { height: 2; padding: 0 1; }
    BoardColumn > .board-column--focus { background: $primary 35%; }
    BoardColumn > .board-header.-over { color: $error; }
    """

    def __init__(self, bucket: Bucket, faces: CardFaces) -> None:
        super().__init__(id=f"column-{bucket.value}")
        self.bucket = bucket
        self.faces = faces
        self._header_shown: tuple[int, int | None, int | None, int | None] | None = None
        self._lit = False

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: object) -> None:
        self._light_header()  # the lit colour is the new theme's (its styles are in place by now)

    def compose(self) -> ComposeResult:
        # Kept at hand: every move asks for them, and a query walks the column's children each time.
        self._header = Static(classes="board-header", id=f"header-{self.bucket.value}")
        self._cards = CardList(self.bucket, self.faces, id=f"cards-{self.bucket.value}")
        yield self._header
        yield self._cards

    @property
    def cards(self) -> CardList:
        return self._cards

    @property
    def header(self) -> Static:
        return self._header

    def set_header(self, count: int, guide: int | None, minutes: int | None, left: int | None = None) -> None:
        # Most moves change two headers at most: an unchanged one is not laid out and drawn again.
        if self._header_shown == (count, guide, minutes, left):
            return
        self._header_shown = (count, guide, minutes, left)
        # The header is two lines high whatever it says: no layout pass.
        self.header.update(header_text(self.bucket, count, guide, minutes, left), layout=False)
        self.header.set_class(guide is not None and count > guide, "-over")

    def set_state(self, active: bool, drop_target: bool) -> None:
        """Highlight the column as the one with focus and/or the one a lifted card would land in."""
        background_changes = self.has_class("-drop-target") != drop_target
        if self._lit == active and not background_changes:
            return
        self.set_class(drop_target, "-drop-target", update=False)
        if background_changes:
            # The header and the cards are painted over the column's background: restyle them all.
            self.update_node_styles()
            self.cards.refresh()
        if self._lit != active:
            self._lit = active
            self._light_header()

    def _light_header(self) -> None:
        """The focus shows on the header alone, as its background (the column's `board-column--focus`).

        A border of another colour would repaint every line of the column, restyling the cards would
        redraw them for nothing, and a class on the header would send it through the whole stylesheet
        on every move: the colour is set on the header's own style, which repaints just its two lines.
        """
        lit = self.get_component_styles("board-column--focus").background if self._lit else None
        self.header.styles.background = lit
