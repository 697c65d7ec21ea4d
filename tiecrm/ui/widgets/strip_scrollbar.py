"""A vertical scrollbar's look drawn straight to lines: the cells Textual's own draws, without a Rich pass."""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.css.styles import RulesMap
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import RenderOptions, Visual


class StripScrollBarRender(ScrollBarRender, Visual):
    """Textual's vertical scrollbar renderer, handing its cells over as lines.

    Textual draws a scrollbar as a Rich renderable: every change of the thumb sends the whole bar through
    Rich's console and line splitting again, most of a millisecond for a column's height. The cells are
    the same few segments repeated, so each distinct cell becomes one line, shared down the bar. Set it
    as a vertical scrollbar's `renderer` (Textual's documented way of changing one scrollbar's look).
    """

    def render_strips(
        self, width: int, height: int | None, style: VisualStyle, options: RenderOptions
    ) -> list[Strip]:
        size = height if height is not None else self.virtual_size
        bar_style = self.style if isinstance(self.style, Style) else Style.parse(str(self.style))
        cells = self.render_bar(
            size=size,
            window_size=self.window_size,
            virtual_size=self.virtual_size,
            position=self.position,
            vertical=True,
            thickness=width,
            back_color=bar_style.bgcolor or Color.parse("#555555"),
            bar_color=bar_style.color or Color.parse("bright_magenta"),
        ).segments
        # The widget's own style goes under each cell's, as Textual's post-render step puts it.
        base = style.rich_style
        lines: dict[Segment, Strip] = {}
        strips: list[Strip] = []
        for cell in cells[:size]:
            line = lines.get(cell)
            if line is None:
                text, cell_style, _ = cell
                styled = Segment(text, base + cell_style if base else cell_style)
                line = lines[cell] = Strip([styled]).crop(0, width)
            strips.append(line)
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.thickness

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.virtual_size
