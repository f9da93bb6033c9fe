""""Skills you have but didn't write": the posting's missing keywords as a checklist.

The user ticks what is true (space), optionally with a few words of context typed for the highlighted
keyword ("provisioned AWS accounts at Parcelio"). Facts declared earlier are listed ticked; unticking
one withdraws it. The modal returns what changed and never acts: the caller declares and withdraws
through the Flow, which audits each fact and recomputes scores and changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

MAX_LISTED = 30


@dataclass
class ChecklistResult:
    declare: list[str] = field(default_factory=list)  # new facts: "Terraform" or "Terraform — context"
    withdraw: list[str] = field(default_factory=list)  # facts declared before and now unticked


class SkillsChecklistScreen(ModalScreen[ChecklistResult | None]):
    """Returns the ticks (ctrl+s / enter in the list) or None (esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without declaring anything"),
        Binding("ctrl+s", "save", "Save", tooltip="Declare the ticked keywords true"),
    ]

    def __init__(self, missing: list[str], declared: list[str]) -> None:
        super().__init__()
        self.missing = missing[:MAX_LISTED]
        self.declared = declared
        self.context: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="checklist"):
            yield Static("Skills you have but didn't write", classes="dialog-title")
            yield Static(
                "The posting asks for these and your resume does not write them (most important first). "
                "Tick only what is true (space); type a few words of context for the highlighted one if you "
                "like (tab). Ticked skills are written into your resume as declared by you. ctrl+s saves, esc cancels.",
                classes="dialog-body",
            )
            options = [Selection(_prompt(text, True), text, True, id=f"d{n}") for n, text in enumerate(self.declared)]
            options += [Selection(_prompt(text, False), text, False, id=f"m{n}") for n, text in enumerate(self.missing)
                        if text not in self.declared]
            yield SelectionList[str](*options, id="keywords")
            yield Input(placeholder="context, e.g. provisioned AWS accounts at Parcelio", id="context")
            if not options:
                yield Static("The posting's keywords are all in your resume.", classes="dialog-body")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    @property
    def _highlighted(self) -> str | None:
        keywords = self.query_one(SelectionList)
        if keywords.highlighted is None:
            return None
        return keywords.get_option_at_index(keywords.highlighted).value

    @on(SelectionList.SelectedChanged, "#keywords")
    def _ticks_changed(self) -> None:
        """A visible word for each tick, so the state reads without colour (NO_COLOR, screen readers)."""
        keywords = self.query_one(SelectionList)
        ticked = set(keywords.selected)
        for index in range(keywords.option_count):
            value = keywords.get_option_at_index(index).value
            keywords.replace_option_prompt_at_index(index, _prompt(value, value in ticked))

    @on(SelectionList.SelectionHighlighted, "#keywords")
    def _highlight(self) -> None:
        keyword = self._highlighted
        self.query_one("#context", Input).value = self.context.get(keyword, "") if keyword else ""

    @on(Input.Changed, "#context")
    def _typed(self, event: Input.Changed) -> None:
        keyword = self._highlighted
        if keyword is not None and keyword not in self.declared:
            self.context[keyword] = event.value.strip()

    @on(Input.Submitted, "#context")
    def _context_done(self) -> None:
        """Enter in the context box ticks the keyword it describes and goes back to the list."""
        keywords = self.query_one(SelectionList)
        keyword = self._highlighted
        if keyword is not None and self.context.get(keyword):
            keywords.select(keyword)
        keywords.focus()

    def action_save(self) -> None:
        ticked = set(self.query_one(SelectionList).selected)
        declare = [self._fact(k) for k in self.missing if k in ticked and k not in self.declared]
        withdraw = [fact for fact in self.declared if fact not in ticked]
        self.dismiss(ChecklistResult(declare, withdraw))

    def _fact(self, keyword: str) -> str:
        context = self.context.get(keyword, "")
        return f"{keyword} — {context}" if context else keyword

    def action_cancel(self) -> None:
        self.dismiss(None)


def _prompt(text: str, ticked: bool) -> Content:
    return Content.assemble(Content(text), (" — I have this" if ticked else "", "$text-success"))


def open_checklist(screen: Any, refresh: Callable[[], None]) -> None:
    """Show the checklist over `screen`, then declare and withdraw through the Flow and call `refresh`."""
    flow = screen.flow
    report = flow.base_report()
    if report is None:
        screen.notify("Run the analysis first; its missing keywords can then be ticked.", severity="warning")
        return
    declared = flow.user_facts
    missing = [k for k in report.keywords_missing if not any(f.split(" — ")[0] == k for f in declared)]

    def done(result: ChecklistResult | None) -> None:
        if result is None or not (result.declare or result.withdraw):
            return
        before = flow.session.report.score if flow.session.report else 0.0
        try:
            for text in result.withdraw:
                flow.remove_fact(text)
            if result.declare:
                flow.declare_facts(result.declare)
        except Exception as exc:  # noqa: BLE001 - refusals are user-facing sentences
            screen.tui.show_error(exc)
            return
        refresh()
        after = flow.session.report.score if flow.session.report else 0.0
        parts = [f"declared {len(result.declare)}"] if result.declare else []
        parts += [f"withdrew {len(result.withdraw)}"] if result.withdraw else []
        screen.notify(f"Skills {' and '.join(parts)}: Fit {before:.0f} → {after:.0f}; the changes that write them "
                      "are in Review.", timeout=5)

    screen.app.push_screen(SkillsChecklistScreen(missing, declared), done)
