"""A footer that drops its lowest-priority keys when the line is short, never cutting one.

Textual's Footer lays the keys in one row and clips at the edge ("f2 Se▏" at 80 columns).
This one measures the row against the terminal's width and hides keys from the right end
(the app's keys come last: Settings, then Quit) until the rest fit; the help key stays, so
every dropped key is still one `?` away (and in the command palette).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

KEEP = frozenset({"app.help", "help"})  # the way to every other key
PALETTE_EXTRA = 1  # the "▏" separator before the palette key


def key_width(key: FooterKey) -> int:
    """Cells one key takes: " key desc " (padding on both sides of the key, after the text)."""
    return len(key.key_display) + len(key.description) + 3


def fit_keys(widths: list[int], keep: list[bool], room: int) -> list[bool]:
    """Which keys to show: all if they fit, else drop from the right (never a kept one)."""
    shown = [True] * len(widths)
    total = sum(widths)
    for index in range(len(widths) - 1, -1, -1):
        if total <= room:
            break
        if not keep[index]:
            shown[index] = False
            total -= widths[index]
    return shown


class FittingFooter(Footer):
    """Footer whose keys never overflow the line (see the module docstring)."""

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        for widget in widgets:
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):  # that one is not bound
                # A FooterKey starts compact and is then bound to the footer's (not compact):
                # two restyles per key at every recompose, and the footer recomposes at each
                # focus change. Starting it in the footer's state costs none.
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
        keys = [w for w in widgets if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
        palette = [w for w in widgets if isinstance(w, FooterKey) and w.has_class("-command-palette")]
        width = self._fitted_width = self.size.width or self.app.size.width
        room = width - sum(key_width(p) + PALETTE_EXTRA for p in palette)
        shown = fit_keys([key_width(k) for k in keys], [k.action in KEEP for k in keys], room)
        hidden = {id(k) for k, show in zip(keys, shown) if not show}
        visible = [w for w in widgets if id(w) not in hidden]
        self.styles.grid_size_columns = len([w for w in visible if not w.has_class("-command-palette")])
        yield from visible

    _fitted_width: int | None = None  # the width the keys were fitted to (the first fit uses the app's)

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._fitted_width:  # not on the first paint: composing twice held the loop
            self._fitted_width = event.size.width
            self.call_after_refresh(self.recompose)
