"""The proposed changes as one selectable row each: decision, guard verdict, where, what."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from resume_tui.models import Change, ChangeStatus, Resume, Verdict
from resume_tui.textsafe import display_safe
from resume_tui.widgets.fit import ellipsize

STATUS_MARK = {ChangeStatus.PENDING: ("·", "$text-muted"), ChangeStatus.ACCEPTED: ("✓", "$text-success"), ChangeStatus.REJECTED: ("✗", "$text-error")}
VERDICT_MARK = {Verdict.SAFE: ("safe   ", "$text-success"), Verdict.FLAGGED: ("flagged", "$text-warning"), Verdict.BLOCKED: ("BLOCKED", "bold $text-error")}


def change_prompt(change: Change, resume: Resume | None, width: int = 44, *, selected: bool = False) -> Content:
    """One row; `selected` adds a ▶ so the cursor shows without colour (NO_COLOR, monochrome)."""
    mark, mark_style = STATUS_MARK[change.status]
    verdict, verdict_style = VERDICT_MARK[change.verdict]
    section = resume.section(change.section_id) if resume else None
    where = (section.title or section.kind.value) if section else change.section_id
    text = change.after or change.before
    summary = " ".join(display_safe(text).split())
    summary = ellipsize(summary, width)
    return Content.assemble(
        ("▶ " if selected else "  ", "bold"),
        (mark, mark_style),
        " ",
        (verdict, verdict_style),
        " ",
        (f"{ellipsize(display_safe(where, single_line=True), 14):<14}", "$text-accent"),
        " ",
        (f"{change.action.value:<7}", "$text-muted"),
        " ",
        summary,
    )


class ChangeList(OptionList):
    """OptionList with vim keys; the screen re-renders a single row after each decision."""

    DEFAULT_CSS = """
    ChangeList { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    text_width = 160  # rows never wrap (CSS ellipsis); this only bounds very long texts

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rows: list[Change] = []
        self._resume: Resume | None = None
        self._marked: int | None = None

    def load(self, changes: list[Change], resume: Resume | None) -> None:
        self._rows, self._resume, self._marked = list(changes), resume, None
        width = self.text_width
        self.set_options(Option(change_prompt(c, resume, width), id=c.id) for c in changes)

    def sync(self, changes: list[Change], resume: Resume | None) -> None:
        """Show `changes`: rows re-rendered in place when the set is the same, else reloaded with the
        cursor kept on the same change (declaring a fact adds or withdraws changes)."""
        if [c.id for c in changes] == [c.id for c in self._rows]:
            for change in changes:
                self.refresh_change(change, resume)
            return
        current = self._rows[self.highlighted].id if self.highlighted is not None and self.highlighted < len(self._rows) else None
        self.load(changes, resume)
        ids = [c.id for c in changes]
        if changes:
            self.highlighted = ids.index(current) if current in ids else 0

    def refresh_change(self, change: Change, resume: Resume | None) -> None:
        index = next((i for i, c in enumerate(self._rows) if c.id == change.id), None)
        if index is not None:
            self._rows[index] = change
        self._resume = resume
        selected = index is not None and index == self._marked
        self.replace_option_prompt(change.id, change_prompt(change, resume, self.text_width, selected=selected))

    def watch_highlighted(self, highlighted: int | None) -> None:
        """Move the ▶ with the cursor (two rows re-rendered, whatever the list's length)."""
        super().watch_highlighted(highlighted)
        old, self._marked = self._marked, highlighted
        for index in {old, highlighted} - {None}:
            if index is not None and index < len(self._rows):
                change = self._rows[index]
                prompt = change_prompt(change, self._resume, self.text_width, selected=index == highlighted)
                self.replace_option_prompt_at_index(index, prompt)
