"""A board column: a header with count and time invested, over a list that draws only the cards in view."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from tiecrm.domain import Bucket
from tiecrm.ui.format import minutes_label
from tiecrm.ui.widgets.board_card import CARD_HEIGHT, COLD_MARK, CardFaces, fit


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

    # -- what is drawn --------------------------------------------------------------------------

    def show(
        self,
        ids: list[int],
        *,
        cursor: int | None = None,
        lifted_id: int | None = None,
        placeholder: int | None = None,
    ) -> None:
        """Draw these people (board order), the cursor at a shown index, a lifted card, a drop slot.

        `placeholder` counts drawn cards, the lifted one included when it is in this column.
        """
        self.ids = ids
        self.cursor = cursor
        self.lifted_id = lifted_id
        self.placeholder = placeholder
        rows = len(ids) + (1 if placeholder is not None else 0)
        self.virtual_size = Size(0, rows * CARD_HEIGHT)
        self._styles = None  # the column's highlight may have changed its background
        self.refresh()

    def notify_style_update(self) -> None:
        self._styles = None
        super().notify_style_update()

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

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        drawn, within = divmod(self.scroll_offset.y + y, CARD_HEIGHT)
        if self.placeholder is not None and drawn == self.placeholder:
            text = " ┄┄ drop here ┄┄" if within == 0 else ""
            return Strip([Segment(fit(text, width), self._style("placeholder"))], width)
        person_id = self.item_at(drawn)
        if person_id is None:
            return Strip.blank(width, self._style("base"))
        index = drawn - (1 if self.placeholder is not None and drawn > self.placeholder else 0)
        state = ""
        if person_id == self.lifted_id:
            state = "card--lifted"
        elif index == self.cursor:
            state = "card--cursor"
        if within == 0:
            prefix = "⇅ " if person_id == self.lifted_id else " "
            text = fit(prefix + self.faces.name(person_id), width)
            return Strip([Segment(text, self._style(f"{state}:card--name"))], width)
        # The cold mark leads the line, so a narrow column cuts the warmth, never the mark.
        if self.faces.is_cold(person_id, self.bucket):
            lead = Segment(f" {COLD_MARK} ", self._style(f"{state}:card--cold"))
        else:
            lead = Segment("   ", self._style(f"{state}:card--meta"))
        segments = [lead, Segment(self.faces.meta(person_id), self._style(f"{state}:card--meta"))]
        return Strip(segments).adjust_cell_length(width, self._style(f"{state}:bg"))


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

    DEFAULT_CSS = """
    BoardColumn { width: 1fr; height: 1fr; border: round $secondary 40%; padding: 0 0; }
    BoardColumn.-active { border: round $primary; }
    BoardColumn.-drop-target { border: heavy $accent; background: $accent 8%; }
    BoardColumn > .board-header { height: 2; padding: 0 1; }
    BoardColumn > .board-header.-over { color: $error; }
    """

    def __init__(self, bucket: Bucket, faces: CardFaces) -> None:
        super().__init__(id=f"column-{bucket.value}")
        self.bucket = bucket
        self.faces = faces
        self._header_shown: tuple[int, int | None, int | None, int | None] | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="board-header", id=f"header-{self.bucket.value}")
        yield CardList(self.bucket, self.faces, id=f"cards-{self.bucket.value}")

    @property
    def cards(self) -> CardList:
        return self.query_one(CardList)

    @property
    def header(self) -> Static:
        return self.query_one(".board-header", Static)

    def set_header(self, count: int, guide: int | None, minutes: int | None, left: int | None = None) -> None:
        # Most moves change two headers at most: an unchanged one is not laid out and drawn again.
        if self._header_shown == (count, guide, minutes, left):
            return
        self._header_shown = (count, guide, minutes, left)
        self.header.update(header_text(self.bucket, count, guide, minutes, left))
        self.header.set_class(guide is not None and count > guide, "-over")

    def set_state(self, active: bool, drop_target: bool) -> None:
        """Highlight the column as the one with focus and/or the one a lifted card would land in."""
        background_changes = self.has_class("-drop-target") != drop_target
        if self.has_class("-active") == active and not background_changes:
            return
        self.set_class(active, "-active", update=False)
        self.set_class(drop_target, "-drop-target", update=False)
        if background_changes:
            # The header and the cards are painted over the column's background: restyle them all.
            self.update_node_styles()
        else:
            # Only the border changes: restyling the cards and their scrollbar would redraw them for nothing.
            self.app.stylesheet.update_nodes([self], animate=True)
