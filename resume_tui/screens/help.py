"""The keys of the screen the user is on (`?` or F1): every binding, with what it does and why.

The footer holds only the everyday keys at 80 columns; this list holds all of them, read from
the live bindings (screen, focused widget, app) so it can never drift from what the keys do.
The modal only shows; it returns nothing and never acts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static


@dataclass(frozen=True)
class KeyRow:
    """One key as the help screen lists it."""

    keys: str  # "a", "ctrl+s", "n / esc"
    description: str
    tooltip: str = ""
    group: str = "This screen"


def key_rows(screen: Any) -> list[KeyRow]:
    """The active keys of `screen` (and its focused widget, and the app), grouped, one row per
    action — keys bound to the same action are joined ("n / esc")."""
    app = screen.app
    generic = {b.action for b in Screen.BINDINGS if isinstance(b, Binding)}  # tab, shift+tab, copy
    rows: dict[tuple[str, str], list[str]] = {}
    info: dict[tuple[str, str], tuple[str, str, str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.system:
            continue
        node = active.node
        group = "Everywhere" if node is app or binding.action in generic else \
            "This screen" if node is screen else "In the focused box"
        ident = (group, binding.action)
        display = app.get_key_display(Binding(key, binding.action, key_display=binding.key_display))
        rows.setdefault(ident, []).append(display)
        tip = active.tooltip or binding.tooltip or ""
        if ident not in info or (tip and not info[ident][1]):  # the first that explains itself
            info[ident] = (binding.description, tip, group)
    order = {"This screen": 0, "In the focused box": 1, "Everywhere": 2}
    result = [KeyRow(" / ".join(keys), *info[ident]) for ident, keys in rows.items()]
    return sorted(result, key=lambda r: order[r.group])


def help_lines(rows: Iterable[KeyRow]) -> Iterable[tuple[str, str | None, Content]]:
    """(group heading or "", key, what it does) — one per row, a heading before each group."""
    group = None
    for row in rows:
        if row.group != group:
            group = row.group
            yield row.group, None, Content("")
        what: list[str | tuple[str, str]] = [row.description]
        if row.tooltip and row.tooltip != row.description:
            what.append((f" — {row.tooltip}", "$text-muted"))
        yield "", row.keys, Content.assemble(*what)


KEY_WIDTH = 15  # the key column, with its two cells of indent


class HelpRow(Widget):
    """One key and what it does, the description wrapped under itself (one widget per row: three per
    row made a long key list the slowest screen to open)."""

    DEFAULT_CSS = """
    HelpRow { height: auto; }
    """

    def __init__(self, keys: str, what: Content) -> None:
        super().__init__(classes="help-row")
        self.keys, self.what = keys, what

    def _row_lines(self, width: int) -> list[Content]:
        room = max(10, width - KEY_WIDTH)
        lines = self.what.wrap(room) or [Content("")]
        key = Content.styled(self.keys, "bold").truncate(KEY_WIDTH - 3, ellipsis=True, pad=True)
        head = Content.assemble("  ", key, " ", lines[0])
        return [head, *(Content.assemble(" " * KEY_WIDTH, line) for line in lines[1:])]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._row_lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._row_lines(self.content_region.width or self.size.width))


class HelpScreen(ModalScreen[None]):
    """Lists the keys it is given; Esc, q, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close", tooltip="Back to the screen"),
    ]

    def __init__(self, title: str, rows: list[KeyRow]) -> None:
        super().__init__()
        self.title_text, self.rows = title, rows

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="help"):
            yield Static(f"Keys — {self.title_text}", classes="dialog-title")
            with VerticalScroll(id="help-keys"):
                for heading, keys, what in help_lines(self.rows):
                    if heading:
                        yield Static(Content.styled(heading, "bold $text-accent"), classes="help-group")
                    else:
                        yield HelpRow(keys or "", what)
            yield Static(Content.styled("Esc closes · ctrl+p finds any action by name", "$text-muted"),
                         classes="hint")

    def on_mount(self) -> None:
        self.query_one("#help-keys").focus()

    def action_close(self) -> None:
        self.dismiss(None)
