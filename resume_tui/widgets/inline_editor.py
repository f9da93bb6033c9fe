"""The Review step's inline editor: a TextArea whose ctrl+a selects all, as in most editors.

TextArea binds ctrl+a to "line start" (emacs style), so a user who selects all and types a
replacement got their words inserted mid-text. Here ctrl+a selects everything (home still
goes to the line start), and the border names the keys.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import TextArea

EDITOR_KEYS = "ctrl+s saves · Esc cancels · ctrl+a selects all"


class InlineEditor(TextArea):
    """Soft-wrapped TextArea with select-all on ctrl+a; its keys are listed in its border."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+a", "select_all", "Select all", tooltip="Select the whole text; typing replaces it"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True)
        self.border_title = f"edit the proposed text — {EDITOR_KEYS}"
