"""Refine one change by a one-line instruction: the modal returns the text (Enter) or None (Esc) and
never acts; `open_refine` runs the refinement through the Flow in a worker and hands the outcome back.

Offline, "shorter", "lead with the number" and "use the word …" are done by rule; anything else needs
the session's model, and the modal says so before the person types.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from resume_tui.models import Change
from resume_tui.textsafe import display_safe

EXAMPLES = "shorter · lead with the result · use the word 'platform'"


class RefineScreen(ModalScreen[str | None]):
    """One line: what to do with the selected change."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Leave the change as it is"),
    ]

    def __init__(self, current: str, *, with_model: bool) -> None:
        super().__init__()
        self.current = current
        self.with_model = with_model

    def compose(self) -> ComposeResult:
        where = ("Your model rewrites only this change; the guard checks it again." if self.with_model else
                 "Offline: shorter, lead with a number and use a posting word are done here; others need a model.")
        with Vertical(id="dialog", classes="refine"):
            yield Static("Refine this change", classes="dialog-title")
            yield Static(Content(display_safe(self.current)), classes="dialog-body", id="refine-current")
            yield Static(where, classes="hint")
            yield Input(placeholder=EXAMPLES, max_length=200, id="instruction")
            yield Static("Enter refines · Esc cancels · u undoes a refinement later", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#instruction", Input).focus()

    @on(Input.Submitted, "#instruction")
    def _submitted(self, event: Input.Submitted) -> None:
        text = " ".join(event.value.split())
        if not text:
            self.notify("Type an instruction, e.g. “shorter”.", severity="warning")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


def open_refine(screen: Any, change: Change | None, refresh: Callable[[Change], None]) -> None:
    """Ask for the instruction, refine in a worker through the Flow, then refresh the row and say what happened."""
    from resume_tui.models import ChangeAction

    if change is None or change.action in (ChangeAction.DELETE, ChangeAction.REORDER) or not change.after.strip():
        screen.notify("Only a change that proposes text can be refined.", severity="warning")
        return

    def submitted(instruction: str | None) -> None:
        if instruction:
            _refine(screen, change.id, instruction, refresh)

    screen.app.push_screen(RefineScreen(change.after, with_model=screen.flow.paid), submitted)


@work(name="refine", group="refine", exclusive=True, exit_on_error=False)
async def _refine(screen: Any, change_id: str, instruction: str, refresh: Callable[[Change], None]) -> None:
    """A worker of `screen` (its first argument, as `self` is for a method): a refusal is a user-facing
    sentence, shown by the screen's one worker-failure handler."""
    outcome = await screen.flow.refine(change_id, instruction)
    if outcome.change is not None:
        refresh(outcome.change)
    screen.notify(outcome.message, severity="information" if outcome.change is not None else "warning", timeout=6)


def undo_refinement(screen: Any, change: Change | None, refresh: Callable[[Change], None]) -> bool:
    """Put back the version before the last refinement; False when the change was never refined."""
    previous = screen.flow.undo_refine(change.id) if change is not None else None
    if previous is None:
        return False
    refresh(previous)
    screen.notify("Back to the version before the refinement.", timeout=3)
    return True
