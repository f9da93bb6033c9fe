"""The proposed changes as one selectable row each: decision, guard verdict, where, what."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from resume_tui.models import Change, ChangeStatus, Resume, Verdict

STATUS_MARK = {ChangeStatus.PENDING: ("·", "$text-muted"), ChangeStatus.ACCEPTED: ("✓", "$text-success"), ChangeStatus.REJECTED: ("✗", "$text-error")}
VERDICT_MARK = {Verdict.SAFE: ("safe   ", "$text-success"), Verdict.FLAGGED: ("flagged", "$text-warning"), Verdict.BLOCKED: ("BLOCKED", "bold $text-error")}


def change_prompt(change: Change, resume: Resume | None, width: int = 44) -> Content:
    mark, mark_style = STATUS_MARK[change.status]
    verdict, verdict_style = VERDICT_MARK[change.verdict]
    section = resume.section(change.section_id) if resume else None
    where = (section.title or section.kind.value) if section else change.section_id
    text = change.after or change.before
    summary = " ".join(text.split())
    if len(summary) > width:
        summary = summary[: width - 1] + "…"
    return Content.assemble(
        (mark, mark_style),
        " ",
        (verdict, verdict_style),
        " ",
        (f"{where[:14]:<14}", "$text-accent"),
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

    def load(self, changes: list[Change], resume: Resume | None) -> None:
        width = self.text_width
        self.set_options(Option(change_prompt(c, resume, width), id=c.id) for c in changes)

    def refresh_change(self, change: Change, resume: Resume | None) -> None:
        self.replace_option_prompt(change.id, change_prompt(change, resume, self.text_width))
