"""The bucket board: four columns of people, sorted by dragging with the mouse or carrying with the keys."""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.errors import NoWidget
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from tiecrm import board_moves
from tiecrm.board_moves import COLUMNS, KEY_BUCKETS, BoardColumns, Lift, MoveRequest, Step
from tiecrm.collector import CollectorHold
from tiecrm.domain import Bucket
from tiecrm.search import PeopleIndex
from tiecrm.timeline import trailing_period
from tiecrm.ui.widgets.board_card import CARD_HEIGHT, CardFaces
from tiecrm.ui.widgets.board_column import BoardColumn

RECENT_DAYS = 90
"""Time invested is counted over this many days in the column headers."""

FIRST_PAGE = 100
"""Cards per column read before the first frame; a longer board is read in full once that frame is drawn."""

DRAG_THRESHOLD = 2
"""Cells the pointer must travel before a press becomes a drag (a shaky click stays a click)."""


@dataclass
class _Press:
    """A mouse press on a card that has not (yet) become a drag."""

    bucket: Bucket
    index: int
    x: int
    y: int


class BoardFilter(Input):
    """The board's filter box: Escape clears it, Enter hands the keys back to the board."""

    BINDINGS = [Binding("escape", "clear", "Clear filter", id="board.filter_clear")]

    def action_clear(self) -> None:
        self.value = ""
        self.screen.query_one(BoardFilter).display = False
        self.screen.set_focus(None)


class BoardScreen(Screen):
    """Sort people into inner circle, nurture and vanity.

    | Key | Id | Action |
    | :- | :- | :- |
    | arrows, `h` `j` `k` `l` | `board.left` ... | Move between cards and columns (carry a picked-up card). |
    | `shift`+arrows, `H` `J` `K` `L` | `board.carry_left` ... | Carry the card left, right, up, down. |
    | `1` `2` `3` `0` | `board.to_inner` ... | Send the card to inner circle, nurture, vanity, unsorted. |
    | `space` | `board.lift` | Pick the card up; `space` again drops it. |
    | `enter` | `board.open` | Open the person (drop a picked-up card). |
    | `u` | `board.undo` | Undo the last move. |
    | `/` | `board.filter` | Filter every column. |
    | `escape` | `board.back` | Cancel a drag, clear the filter, or leave the board. |
    """

    AUTO_FOCUS = ""  # nothing takes the keys: the board handles them itself
    DEFAULT_CSS = """
    BoardScreen #board-status { height: 1; padding: 0 1; }
    BoardScreen #board-filter { display: none; }
    BoardScreen #board-columns { height: 1fr; }
    """

    BINDINGS = [
        Binding("up,k", "cursor('up')", "Up", id="board.up", show=False),
        Binding("down,j", "cursor('down')", "Down", id="board.down", show=False),
        Binding("left,h", "cursor('left')", "Left", id="board.left", show=False),
        Binding("right,l", "cursor('right')", "Right", id="board.right", show=False),
        Binding("shift+up,K", "carry('up')", "Carry up", id="board.carry_up", show=False),
        Binding("shift+down,J", "carry('down')", "Carry down", id="board.carry_down", show=False),
        Binding("shift+left,H", "carry('left')", "Carry left", id="board.carry_left", show=False),
        Binding("shift+right,L", "carry('right')", "Carry right", id="board.carry_right", show=False),
        Binding("1", "send('1')", "Inner", id="board.to_inner"),
        Binding("2", "send('2')", "Nurture", id="board.to_nurture"),
        Binding("3", "send('3')", "Vanity", id="board.to_vanity"),
        Binding("0", "send('0')", "Unsorted", id="board.to_unsorted"),
        Binding("space", "lift", "Pick up", id="board.lift"),
        Binding("enter", "open", "Open", id="board.open", show=False),
        Binding("u", "undo", "Undo", id="board.undo"),
        Binding("slash", "filter", "Filter", id="board.filter", priority=True),
        Binding("g,home", "jump('first')", "First", id="board.first", show=False),
        Binding("G,end", "jump('last')", "Last", id="board.last", show=False),
        Binding("pageup", "jump('page_up')", "Page up", id="board.page_up", show=False),
        Binding("pagedown", "jump('page_down')", "Page down", id="board.page_down", show=False),
        Binding("escape", "back", "Back", id="board.back"),
    ]

    def __init__(self) -> None:
        super().__init__(id="board-screen")
        self.faces = CardFaces()
        self.board = BoardColumns({})
        self.active: Bucket = Bucket.UNSORTED
        self.cursor: dict[Bucket, int] = dict.fromkeys(COLUMNS, 0)
        self.lifted: Lift | None = None
        self._press: _Press | None = None
        self._swallow_click = False
        self._recent: dict[int, int] = {}
        self._index: PeopleIndex | None = None
        self._message = Text()
        self._others_stale = False
        self._status_shown: Text | None = None
        self._counts: dict[Bucket, int] | None = None  # while only the first page is read: the real counts
        self._collector = CollectorHold()
        self._move_collector = CollectorHold()

    def compose(self) -> ComposeResult:
        self._hold_collector()
        yield Header()
        yield Static(id="board-status")
        yield BoardFilter(placeholder="/ filter by name, org, email, phone, notes", id="board-filter")
        with Horizontal(id="board-columns"):
            for bucket in COLUMNS:
                yield BoardColumn(bucket, self.faces)
        yield Footer()

    def on_mount(self) -> None:
        if not self._load_first_page():
            self.load()
            self.call_after_refresh(self._release_collector)

    def on_unmount(self) -> None:
        self._release_collector()
        self._move_collector.release()

    def _hold_collector(self) -> None:
        """Keep Python's cycle collector off until the first frame is drawn.

        Drawing a screen makes thousands of short-lived objects, enough to set off a full collection,
        and a full collection walks every object the app holds: with 50,000 people loaded that is a
        pause of about 0.2 s before the board appears. It runs once the frame is on screen instead.
        """
        self._collector.hold()

    def _release_collector(self) -> None:
        self._collector.release()

    @property
    def reading(self) -> bool:
        """Only the first page of each column is on the board; the rest is being read."""
        return self._counts is not None

    def count(self, bucket: Bucket) -> int:
        """How many people a column holds, those not read yet included."""
        return self._counts[bucket] if self._counts is not None else len(self.board.full(bucket))

    # ------------------------------------------------------------ data

    def _set_faces_context(self) -> None:
        app = self.app
        self.faces.today, self.faces.now, self.faces.tz = app.today(), app.now(), app.tz
        self.faces.cadence, self.faces.floors = app.settings.cadence, app.settings.warmth_floor

    def _load_first_page(self) -> bool:
        """On a long board, show the first FIRST_PAGE cards of each column at once and read everyone once
        that frame is drawn. False, with nothing done, when the board is short."""
        repo = self.app.repo
        counts = {bucket: repo.count_people(bucket) for bucket in COLUMNS}
        if max(counts.values()) <= FIRST_PAGE:
            return False
        self._set_faces_context()
        first = {bucket: repo.list_rows(bucket, limit=FIRST_PAGE) for bucket in COLUMNS}
        self.faces.names = {p.id: p.name for rows in first.values() for p in rows}
        self.faces.last_contact = {
            p.id: p.last_interaction for rows in first.values() for p in rows if p.last_interaction is not None
        }
        self.board = BoardColumns({bucket: [p.id for p in rows] for bucket, rows in first.items()})
        self._counts = counts
        self._load_recent()
        self._clamp_cursors()
        self.draw(everything=True)
        # Read on this thread, not in a worker: a worker's Python loop over 50,000 rows fights the
        # event loop for the interpreter lock and took several times as long. Keys pressed meanwhile
        # wait in the queue, so none of them acts on a half-read board.
        self.call_after_refresh(self._read_all)
        return True

    def _read_all(self) -> None:
        self._release_collector()
        if self.reading and self.is_attached:  # else a full load happened meanwhile, or the board closed
            self.load(keep_id=self.current_person_id())

    def load(self, keep_id: int | None = None) -> None:
        """Read everyone from the store and draw the board, the cursor on `keep_id` if given."""
        app = self.app
        self._counts = None
        self._set_faces_context()
        names: dict[int, str] = {}
        columns: dict[Bucket, list[int]] = {}
        for bucket, rows in app.repo.board_columns().items():
            # 50,000 rows: map and dict.update do the per-person work in C.
            columns[bucket] = list(map(itemgetter(0), rows))
            names.update(rows)
        self.faces.names = names
        self.faces.last_contact = app.repo.last_contacts()
        old_filter = self.board
        self.board = BoardColumns(columns)
        if old_filter.filtered:
            self._apply_filter()
        self._load_recent()
        if keep_id is not None:
            self._focus_person(keep_id)
        self._clamp_cursors()
        self.draw(everything=True)

    def _load_recent(self) -> None:
        """Minutes in the last 90 local days, and warmth, of each person who has any.

        Only people last seen inside the window can have minutes in it, so only they are asked about:
        a few indexed lookups, however many thousands sit in Unsorted.
        """
        app = self.app
        period = trailing_period(app.today(), RECENT_DAYS, app.tz)
        recent = [pid for pid, at in self.faces.last_contact.items() if at >= period.utc_start]
        minutes = {pid: app.repo.minutes_per_period(pid, [period])[0] for pid in recent}
        self._recent = {pid: spent for pid, spent in minutes.items() if spent}
        self.faces.warmth = app.repo.warmth_by_person(app.settings.half_life_days, app.now())

    def refresh_data(self, person_id: int | None = None) -> None:
        """The store changed elsewhere (quick-add, import, merge): update what the board shows."""
        self._cancel_lift()
        keep = self.current_person_id()
        if person_id is None:
            self.load(keep_id=keep)
            return
        person = self.app.repo.get_summary(person_id)
        if person is None or self.board.bucket_of(person_id) != person.bucket:
            self.load(keep_id=keep)
            return
        self.faces.names[person_id] = person.name
        self.faces.last_contact.pop(person_id, None)
        if person.last_interaction is not None:
            self.faces.last_contact[person_id] = person.last_interaction
        self._load_recent()
        self.draw(everything=True)

    def current_person_id(self) -> int | None:
        """The person on the focused card, so `n` adds a note about them."""
        shown = self.board.shown(self.active)
        index = self.cursor[self.active]
        return shown[index] if 0 <= index < len(shown) else None

    # ------------------------------------------------------------ drawing

    def column(self, bucket: Bucket) -> BoardColumn:
        return self.query_one(f"#column-{bucket.value}", BoardColumn)

    def draw(self, buckets: set[Bucket] | None = None, *, everything: bool = False) -> None:
        """Redraw columns (all, or the given ones), their headers and the status line.

        Only the cards whose person or highlight changed are repainted, unless `everything`: what the
        cards say changed (names, last contacts, warmth, the day).
        """
        lifted = self.lifted
        for bucket in COLUMNS if buckets is None else [b for b in COLUMNS if b in buckets]:
            column = self.column(bucket)
            shown = self.board.shown(bucket)
            placeholder = None
            if lifted is not None and lifted.target == bucket and not lifted.stays:
                placeholder = lifted.slot
                if bucket == lifted.source and lifted.slot > lifted.index:
                    placeholder += 1  # the lifted card is still drawn above the slot
            column.cards.show(
                shown,
                cursor=self.cursor[bucket] if bucket == self.active and lifted is None else None,
                lifted_id=lifted.person_id if lifted is not None and bucket == lifted.source else None,
                placeholder=placeholder,
                everything=everything,
            )
            column.set_state(bucket == self.active and lifted is None, lifted is not None and lifted.target == bucket)
        self._draw_headers()
        self._draw_status()

    def _draw_headers(self) -> None:
        minutes = dict.fromkeys(COLUMNS, 0)
        for person_id, spent in self._recent.items():
            bucket = self.board.bucket_of(person_id)
            if bucket is not None:
                minutes[bucket] += spent
        guides = self.app.settings.guides
        for bucket in COLUMNS:
            count = self.count(bucket)
            guide = {Bucket.INNER: guides.inner, Bucket.NURTURE: guides.nurture}.get(bucket)
            spent = minutes[bucket] if bucket in (Bucket.INNER, Bucket.NURTURE) else None
            self.column(bucket).set_header(count, guide, spent, count if bucket == Bucket.UNSORTED else None)

    def _draw_status(self) -> None:
        left = self.count(Bucket.UNSORTED)
        text = Text()
        if left:
            text.append(f"{left} left to sort", style="bold")
            if self.lifted is None:
                text.append("  1 inner · 2 nurture · 3 vanity · 0 unsorted · space pick up · u undo",
                            style="dim")
        else:
            text.append("Everyone is sorted", style="bold")
        if self.board.filtered:
            shown = sum(len(self.board.shown(bucket)) for bucket in COLUMNS)
            text.append(f"   filter: {shown} shown", style="italic")
        if self.lifted is not None:
            text.append("   carrying ", style="bold")
            text.append(self.faces.name(self.lifted.person_id))
            target = self.lifted.target
            text.append(f" to {target.title}" if target is not None else " (outside: dropping does nothing)")
            text.append("   release or space drops, escape cancels", style="dim")
        elif self._message:
            text.append("   ")
            text.append_text(self._message)
        if self.reading:
            text.append("   reading the rest of the board…", style="dim italic")
        if text != self._status_shown:  # an unchanged line is not laid out and drawn again
            self._status_shown = text
            self.query_one("#board-status", Static).update(text, layout=False)  # always one line high

    def _clamp_cursors(self) -> None:
        for bucket in COLUMNS:
            count = len(self.board.shown(bucket))
            self.cursor[bucket] = max(0, min(self.cursor[bucket], count - 1))

    def _focus_person(self, person_id: int) -> None:
        bucket = self.board.bucket_of(person_id)
        index = self.board.shown_index(person_id)
        if bucket is not None and index is not None:
            self.active = bucket
            self.cursor[bucket] = index

    def _scroll_to_cursor(self) -> None:
        self.column(self.active).cards.scroll_to_card(self.cursor[self.active])

    # ------------------------------------------------------------ the one way a card moves

    def commit(self, lifted: Lift, *, triage: bool = True) -> MoveRequest | None:
        """Drop a lifted card: save the move (one transaction, with history), update the board, focus.

        The mouse, `space`, `shift`+arrows and `1` `2` `3` `0` all end here.
        """
        self.lifted = None
        request = None if self.reading else board_moves.drop(self.board, lifted)
        if request is None:
            if self.reading:
                self._message = Text("moves wait until the whole board is read", style="dim")
            self.draw()
            return None
        self._hold_collector_until_drawn()
        self.app.repo.move(request.person_id, request.bucket, request.position)
        self.board.apply(request)
        bucket, index = board_moves.focus_after(
            self.board, request, lifted.source, lifted.index, triage=triage
        )
        self.active = bucket
        self.cursor[bucket] = index
        self._others_stale = True
        self._message = Text()
        self._message.append("moved ")
        self._message.append(self.faces.name(request.person_id))
        self._message.append(f" to {request.bucket.title}", style="bold")
        self._message.append(" · u undoes", style="dim")
        self._clamp_cursors()
        self.draw({lifted.source, request.bucket})
        self._scroll_to_cursor()
        return request

    def _hold_collector_until_drawn(self) -> None:
        """Keep the cycle collector off from a move until its frame is on screen.

        Repainting a move makes a few hundred strips, each with a dozen small objects, enough to set off
        several collections; one that reaches the older generations walks everything the app holds and
        can take longer than the move itself. The objects are freed by their reference counts anyway,
        so the collector loses nothing by running once the frame is drawn.
        """
        if not self._move_collector.held:
            self._move_collector.hold()
            if self._move_collector.held:
                self.call_after_refresh(self._move_collector.release)

    def _cancel_lift(self) -> None:
        if self.lifted is None and self._press is None:
            return
        self.lifted = None
        self._press = None
        self._swallow_click = True
        self.app.capture_mouse(None)
        self.draw()

    def _lift_focused(self) -> Lift | None:
        return board_moves.lift(self.board, self.active, self.cursor[self.active])

    # ------------------------------------------------------------ keys

    def action_cursor(self, step: str) -> None:
        if self.lifted is not None:
            self._carry_lifted(Step(step))
            return
        shown = self.board.shown(self.active)
        left = self.active
        if step in ("up", "down"):
            if shown:
                delta = -1 if step == "up" else 1
                self.cursor[self.active] = max(0, min(self.cursor[self.active] + delta, len(shown) - 1))
        else:
            column = COLUMNS.index(self.active) + (-1 if step == "left" else 1)
            if 0 <= column < len(COLUMNS):
                row = self.cursor[self.active]
                self.active = COLUMNS[column]
                self.cursor[self.active] = max(0, min(row, len(self.board.shown(self.active)) - 1))
        self.draw({left, self.active})  # the other columns look the same
        self._scroll_to_cursor()

    def action_jump(self, where: str) -> None:
        if self.lifted is not None:
            return
        count = len(self.board.shown(self.active))
        page = max(1, self.column(self.active).cards.scrollable_content_region.height // CARD_HEIGHT)
        index = self.cursor[self.active]
        index = {"first": 0, "last": count - 1, "page_up": index - page, "page_down": index + page}[where]
        self.cursor[self.active] = max(0, min(index, count - 1))
        self.draw({self.active})
        self._scroll_to_cursor()

    def _carry_lifted(self, step: Step) -> None:
        assert self.lifted is not None
        self.lifted = board_moves.carry(self.board, self.lifted, step)
        self.draw()
        target = self.lifted.target
        if target is not None:
            slot = self.lifted.slot
            if target == self.lifted.source and slot > self.lifted.index:
                slot += 1  # the lifted card is still drawn above its slot
            self.column(target).cards.scroll_to_card(slot)

    def action_carry(self, step: str) -> None:
        """Shift+arrow: pick up, carry one step, drop; focus stays with the card."""
        if self.lifted is not None:
            self._carry_lifted(Step(step))
            return
        lifted = self._lift_focused()
        if lifted is not None:
            self.commit(board_moves.carry(self.board, lifted, Step(step)), triage=False)

    def action_send(self, key: str) -> None:
        lifted = self.lifted if self.lifted is not None else self._lift_focused()
        if lifted is not None:
            self.commit(board_moves.send(self.board, lifted, KEY_BUCKETS[key]))

    def action_lift(self) -> None:
        if self.lifted is not None:
            self.commit(self.lifted)
            return
        self.lifted = self._lift_focused()
        self.draw()

    def action_open(self) -> None:
        if self.lifted is not None:
            self.commit(self.lifted)
            return
        person_id = self.current_person_id()
        if person_id is not None:
            self.app.action_open_person(person_id)

    def action_undo(self) -> None:
        self._cancel_lift()
        if self.reading:
            return  # the board cannot follow a move yet
        move = self.app.repo.undo_last_move()
        if move is None:
            self._message = Text("nothing to undo", style="dim")
            self._draw_status()
            return
        in_memory = self.board.bucket_of(move.person_id)
        if move.from_bucket is None or in_memory != move.to_bucket:
            self.load(keep_id=move.person_id)
        else:
            self.board.apply(MoveRequest(move.person_id, move.from_bucket, move.from_position or 0))
            self._focus_person(move.person_id)
            self._clamp_cursors()
            self.draw()
            self._scroll_to_cursor()
        self._others_stale = True
        self._message = Text()
        self._message.append("undone: ")
        self._message.append(self.faces.name(move.person_id))
        self._message.append(f" is back in {(move.from_bucket or Bucket.UNSORTED).title}")
        self._draw_status()

    def action_back(self) -> None:
        if self.lifted is not None or self._press is not None:
            self._cancel_lift()
            return
        if self.board.filtered:
            self.query_one(BoardFilter).action_clear()
            return
        if self._others_stale:
            # The screens underneath show buckets too; they catch up once, when the board closes.
            for screen in self.app.screen_stack:
                refresh = getattr(screen, "refresh_data", None)
                if screen is not self and refresh is not None:
                    refresh(None)
            self._others_stale = False
        self.app.pop_screen()

    # ------------------------------------------------------------ filter

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `/` is a priority key, as on the people screen (see PeopleScreen.check_action); in the box it is text.
        return not (action == "filter" and isinstance(self.focused, Input))

    def action_filter(self) -> None:
        self._cancel_lift()
        box = self.query_one(BoardFilter)
        box.display = True
        self.set_focus(box)  # at once: `focus()` waits behind the queued keys
        if self._index is None:
            self._build_index()

    @work(thread=True, exclusive=True, group="board-index")
    def _build_index(self) -> None:
        index = PeopleIndex(self.app.repo.search_rows())
        self.app.call_from_thread(self._index_ready, index)

    def _index_ready(self, index: PeopleIndex) -> None:
        self._index = index
        if self.board.filtered:
            self._apply_filter()
            self._clamp_cursors()
            self.draw()

    @on(Input.Changed, "#board-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        keep = self.current_person_id()
        self._apply_filter()
        if keep is not None:
            self._focus_person(keep)
        if not self.board.shown(self.active):
            # Focus the first column that shows anyone, so the keys act on a match at once.
            self.active = next((b for b in COLUMNS if self.board.shown(b)), self.active)
            self.cursor[self.active] = 0
        self._clamp_cursors()
        self.draw()

    @on(Input.Submitted, "#board-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.set_focus(None)

    def _apply_filter(self) -> None:
        query = self.query_one(BoardFilter).value.strip()
        if not query:
            self.board.set_filter(None)
        elif self._index is not None:
            self.board.set_filter(self._index.search(query))
        else:
            # The index is still being built: a plain substring match on names meanwhile.
            needle = query.casefold()
            names = self.faces.names.items()
            self.board.set_filter([pid for pid, name in names if needle in name.casefold()])

    # ------------------------------------------------------------ mouse

    def _column_at(self, x: int, y: int) -> BoardColumn | None:
        try:
            widget, _ = self.get_widget_at(x, y)
        except NoWidget:
            return None
        node = widget
        while node is not None and node is not self:
            if isinstance(node, BoardColumn):
                return node
            node = node.parent
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._swallow_click = False
        if event.button not in (0, 1):
            return
        column = self._column_at(event.screen_x, event.screen_y)
        if column is None:
            return
        if self.lifted is not None:
            self._cancel_lift()
            self._swallow_click = False
        cards = column.cards
        index = cards.card_at(event.screen_y)
        if index is None:
            return
        self._press = _Press(column.bucket, index, event.screen_x, event.screen_y)
        # Captured, so the release ends the drag wherever it happens, even outside the board.
        cards.capture_mouse()
        event.stop()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        press = self._press
        if press is None:
            return
        if self.lifted is None:
            moved = max(abs(event.screen_x - press.x), abs(event.screen_y - press.y))
            if moved < DRAG_THRESHOLD:
                return
            self.lifted = board_moves.lift(self.board, press.bucket, press.index)
            if self.lifted is None:
                self._press = None
                self.app.capture_mouse(None)
                return
        self._hover(event.screen_x, event.screen_y)
        event.stop()

    def _hover(self, x: int, y: int) -> None:
        """Aim the dragged card at the column and slot under the pointer, and redraw what changed."""
        assert self.lifted is not None
        before = self.lifted
        column = self._column_at(x, y)
        if column is None:
            self.lifted = board_moves.hover(self.board, before, None)
        else:
            cards = column.cards
            region = cards.scrollable_content_region
            # Near the top or bottom edge of a long column, the drag scrolls it.
            if y <= region.y and cards.scroll_offset.y > 0:
                cards.scroll_relative(y=-CARD_HEIGHT, animate=False, immediate=True)
            elif y >= region.bottom - 1 and cards.scroll_offset.y < cards.max_scroll_y:
                cards.scroll_relative(y=CARD_HEIGHT, animate=False, immediate=True)
            own = column.bucket == before.source
            drawn = len(self.board.shown(column.bucket))
            lifted_at = before.index if own else None
            slot = board_moves.slot_at_line(cards.line_at(y), CARD_HEIGHT, drawn, lifted_at)
            self.lifted = board_moves.hover(self.board, before, column.bucket, slot)
        self.draw()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        press = self._press
        if press is None:
            return
        self._press = None
        self.app.capture_mouse(None)
        event.stop()
        if self.lifted is None:
            # A click without movement only selects.
            self.active = press.bucket
            self.cursor[press.bucket] = press.index
            self.draw()
            return
        self._hover(event.screen_x, event.screen_y)
        self._swallow_click = True
        self.commit(self.lifted)

    def on_click(self, event: events.Click) -> None:
        if self._swallow_click:
            self._swallow_click = False
            return
        if event.chain < 2:
            return
        column = self._column_at(event.screen_x, event.screen_y)
        if column is None:
            return
        index = column.cards.card_at(event.screen_y)
        if index is not None:
            shown = self.board.shown(column.bucket)
            self.active = column.bucket
            self.cursor[column.bucket] = index
            self.app.action_open_person(shown[index])
