"""The footer, rebuilt once for a batch of binding changes and only when the keys it shows changed."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class SettledFooter(Footer):
    """The footer, rebuilt once for a batch of binding changes, and only when the keys it shows changed.

    Textual's footer rebuilds all its keys (a dozen widgets mounted, tens of milliseconds) for every call
    to `refresh_bindings`; opening the screen makes three (the focus given, the screen resumed, and the
    focus's own later call), so the same keys were built three times just after the first frame.
    """

    def __init__(self) -> None:
        super().__init__()
        self._rebuild_queued = False
        self._keys_shown: tuple | None = None

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_queued:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._rebuild_queued = False
        app = self.app
        # Everything `Footer.compose` reads: each active binding as it is shown, and the palette's key.
        keys = (
            self.show_command_palette,
            app.ENABLE_COMMAND_PALETTE,
            tuple(
                (key, active.binding, active.enabled, active.tooltip, app.get_key_display(active.binding))
                for key, active in self.screen.active_bindings.items()
            ),
        )
        if keys != self._keys_shown:
            self._keys_shown = keys
            await self.recompose()
