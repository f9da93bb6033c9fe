"""Rename a session: the modal returns the typed name (Enter) or None (Esc), never acts."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from resume_tui.session.housekeeping import NAME_LIMIT
from resume_tui.textsafe import display_safe


class RenameScreen(ModalScreen[str | None]):
    """Pre-filled with the current name, all of it selected so typing replaces it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Keep the current name"),
    ]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Rename the session", classes="dialog-title")
            yield Static(Content(display_safe(f"Now: {self.current or '(untitled)'}", single_line=True)),
                         classes="dialog-body")
            yield Input(self.current, placeholder="e.g. Acme platform role, March", max_length=NAME_LIMIT,
                        id="name")
            yield Static("Enter saves · Esc cancels", classes="hint")

    def on_mount(self) -> None:
        field = self.query_one("#name", Input)
        field.focus()
        field.select_all()

    @on(Input.Submitted, "#name")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
