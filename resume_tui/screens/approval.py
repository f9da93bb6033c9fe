"""The approval modal: every file that would be written; returns the approved plan, never writes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Static

from resume_tui.widgets.file_picker import display_path, middle_ellipsis


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def shorten_left(text: str, limit: int) -> str:
    """Keep the end of a long path (the file name) and drop the start."""
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


class ApprovalScreen(ModalScreen[list[Any] | None]):
    """Dismisses with the plan when approved, or None when rejected; the caller writes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "approve", "Approve", tooltip="Write exactly these files"),
        Binding("n,escape", "reject", "Reject", tooltip="Write nothing"),
    ]

    def __init__(self, planned: Sequence[Any]) -> None:
        super().__init__()
        self.planned = list(planned)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            count = len(self.planned)
            yield Static(f"Write {count} file{'s' if count != 1 else ''}?", classes="dialog-title")
            folders = {Path(item.path).parent for item in self.planned}
            single = len(folders) == 1
            if single:
                # A typed folder name may hold "[": plain Content, never markup.
                yield Static(Content(f"into {display_path(next(iter(folders)))}"), classes="dialog-body", id="folder")
            table: DataTable[str | Text] = DataTable(id="files", cursor_type="row", show_cursor=False)
            table.add_column("file", key="path")
            table.add_column("format", key="format")
            table.add_column("size", key="size")
            table.add_column("overwrites", key="overwrites")
            room = self._name_room()
            for item in self.planned:
                overwrite = Text("YES", style="bold") if item.overwrites else Text("no")
                name = middle_ellipsis(Path(item.path).name, room) if single \
                    else shorten_left(display_path(item.path), room)
                table.add_row(Text(name), item.format, "~" + human_size(item.approx_bytes), overwrite)
            yield table
            overwrites = sum(1 for item in self.planned if item.overwrites)
            note = f"{overwrites} existing file(s) will be replaced. " if overwrites else ""
            yield Static(note + "Nothing is written until you approve.", classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Approve (y)", id="approve", variant="success")
                yield Button("Reject (n)", id="reject", variant="error")

    def _name_room(self) -> int:
        """Cells left for the file column once the others fit: the dialog is 76 wide, or 95%
        of a narrower terminal; format, size and overwrites take 8 + 10 + 12 with their cell
        padding, the border and padding 4, the file cell's padding 2. Never under 12 (the
        table then scrolls sideways rather than cut a column)."""
        dialog = min(76, int(self.app.size.width * 0.95))
        return max(12, dialog - 4 - 30 - 2)

    def on_mount(self) -> None:
        self.query_one("#reject", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "approve":
            self.action_approve()
        else:
            self.action_reject()

    def action_approve(self) -> None:
        self.dismiss(self.planned)

    def action_reject(self) -> None:
        self.dismiss(None)
