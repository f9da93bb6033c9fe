"""Declare a gap true: the user picks which gap (when there is a choice) and types one short
fact; the modal returns both and never acts (the caller stores it through the Flow)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from resume_tui.textsafe import display_safe

EXAMPLE = "I have used Rust in production since 2022"
ANY_GAP = "__any__"


class Fact(NamedTuple):
    """What the user declared, and for which gap (None: a fact not tied to one gap)."""

    text: str
    requirement_id: str | None = None


class FactScreen(ModalScreen[Fact | None]):
    """Returns the Fact (Enter) or None (Esc). With `gaps` (id, text) the user first picks one
    from a list (each gap in full, wrapped — never cut mid-word); Tab moves to the fact box."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without declaring anything"),
    ]

    def __init__(self, gap: str | None = None, *, gaps: Sequence[tuple[str, str]] = (),
                 requirement_id: str | None = None) -> None:
        super().__init__()
        self.gap, self.gaps, self.requirement_id = gap, list(gaps), requirement_id

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="fact"):
            yield Static("Add only if true", classes="dialog-title")
            if self.gaps:
                yield Static("Which gap is true for you? ↑/↓ then Enter picks it; Tab goes to the fact.", classes="hint")
                options = [Option(Content(display_safe(text, single_line=True)), id=rid) for rid, text in self.gaps]
                options.append(Option(Content.styled("(a fact not tied to one gap)", "italic"), id=ANY_GAP))
                yield OptionList(*options, id="gap-choice")
                yield Static("No gap picked yet: Enter picks the highlighted one.", id="gap-picked", classes="hint")
            lines = [f"Gap: {self.gap}"] if self.gap else []
            lines.append(
                "Type what is true in one short sentence. The guard then lets edits that rely on it "
                "through; it is kept in this session. Enter saves, Esc cancels."
            )
            # The gap is posting text: plain Content, never markup.
            yield Static(Content(display_safe("\n".join(lines))), classes="dialog-body")
            yield Input(placeholder=f"e.g. {EXAMPLE}", id="fact")

    def on_mount(self) -> None:
        if self.gaps:
            choice = self.query_one("#gap-choice", OptionList)
            choice.highlighted = 0
            choice.focus()
        else:
            self.query_one("#fact", Input).focus()

    @on(OptionList.OptionSelected, "#gap-choice")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        """Enter on a gap ties the fact to it (and says so); only a picked gap counts, never
        one merely highlighted on the way to the fact box."""
        picked = event.option.id if event.option.id != ANY_GAP else None
        self.requirement_id = picked
        text = next((t for rid, t in self.gaps if rid == picked), None)
        self.query_one("#gap-picked", Static).update(
            Content(display_safe(f"Gap: {text}" if text else "Not tied to one gap.")))
        self.query_one("#fact", Input).focus()

    @on(Input.Submitted, "#fact")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(Fact(event.value, self.requirement_id))

    def action_cancel(self) -> None:
        self.dismiss(None)
