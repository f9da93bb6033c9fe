"""Side-by-side, word-level diff of one change, built with difflib (no AGPL diff widget)."""

from __future__ import annotations

import difflib
import re

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from resume_tui.textsafe import display_safe

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

# Shapes as well as colour: deletions are struck through, insertions underlined, so the
# diff still reads with NO_COLOR and in 16-colour terminals.
DELETED = "strike $text-error on $error-muted"
INSERTED = "bold underline $text-success on $success-muted"


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(before: str, after: str) -> tuple[Content, Content]:
    """Return (left, right) with removed words marked on the left and added words on the right."""
    a, b = tokens(display_safe(before)), tokens(display_safe(after))  # model text: inert, no control codes
    left: list[str | tuple[str, str]] = []
    right: list[str | tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            left.append(old)
            right.append(new)
            continue
        if old:
            left.append((old, DELETED))
        if new:
            right.append((new, INSERTED))
    return Content.assemble(*left), Content.assemble(*right)


class DiffPane(VerticalScroll):
    """One side of the diff. Its own type so the focus rule below names it: a `VerticalScroll:focus-within`
    rule marks every VerticalScroll in the app, and each focus change inside one (the settings form,
    the export form) then restyles all its widgets — a tenth of a second per screen shown."""


class DiffView(Horizontal):
    """Two panes, before | after, each scrollable, updated in place per selected change."""

    DEFAULT_CSS = """
    DiffView { height: auto; max-height: 12; }
    DiffView > DiffPane {
        width: 1fr;
        height: auto;
        max-height: 12;
        border: round $panel-lighten-2;
        padding: 0 1;
    }
    DiffPane:focus-within { border: round $accent; }
    """

    def compose(self) -> ComposeResult:
        with DiffPane(id="before") as before:
            before.border_title = "before"
            yield Static(id="before-text")
        with DiffPane(id="after") as after:
            after.border_title = "after"
            yield Static(id="after-text")

    def show(self, before: str, after: str, *, note_before: str = "", note_after: str = "") -> None:
        left, right = word_diff(before, after)
        if not before:
            left = Content.styled(note_before or "(new line)", "italic $text-muted")
        if not after:
            right = Content.styled(note_after or "(removed)", "italic $text-muted")
        self.query_one("#before-text", Static).update(left)
        self.query_one("#after-text", Static).update(right)
