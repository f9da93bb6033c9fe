"""Declare a gap true: the user types one short fact; the modal returns it and never acts."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from resume_tui.textsafe import display_safe

EXAMPLE = "I have used Rust in production since 2022"


class FactScreen(ModalScreen[str | None]):
    """Returns the typed fact (Enter) or None (Esc); the caller stores it through the Flow."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without declaring anything"),
    ]

    def __init__(self, gap: str | None = None, *, hint: str = "") -> None:
        super().__init__()
        self.gap, self.hint = gap, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Add only if true", classes="dialog-title")
            lines = [f"Gap: {self.gap}"] if self.gap else []
            if self.hint:
                lines.append(self.hint)
            lines.append(
                "Type what is true in one short sentence. The guard then lets edits that rely on it "
                "through; it is kept in this session. Enter saves, Esc cancels."
            )
            # The gap is posting text: plain Content, never markup.
            yield Static(Content(display_safe("\n".join(lines))), classes="dialog-body")
            yield Input(placeholder=f"e.g. {EXAMPLE}", id="fact")

    def on_mount(self) -> None:
        self.query_one("#fact", Input).focus()

    @on(Input.Submitted, "#fact")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
