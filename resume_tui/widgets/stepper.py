"""The five workflow steps in one line: done ✓, current ●, stale !, not yet ○ — plus the cost meter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from resume_tui.steps import STEP_LABELS, STEP_VALUES, STEPS

if TYPE_CHECKING:
    from resume_tui.models import Usage, WorkflowState

# The five steps as WorkflowState *values* (see steps.py: the one definition).
_STEPS = tuple((s.value, s.label) for s in STEPS)


class Stepper(Widget):
    """Renders the workflow position; the app refreshes it whenever the session changes.

    Marks use shapes as well as colour so the state reads the same with NO_COLOR.
    """

    DEFAULT_CSS = """
    Stepper {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $text-muted;
        padding: 0 1;
    }
    """

    current: reactive[WorkflowState | str | None] = reactive(None)
    done: reactive[frozenset[str]] = reactive(frozenset())
    stale: reactive[frozenset[str]] = reactive(frozenset())
    usage: reactive[Usage | None] = reactive(None)
    scores: reactive[tuple[float, float] | None] = reactive(None)  # (Fit, Keywords %) once analysed

    def set_state(
        self,
        current: WorkflowState | str | None,
        done: frozenset[str],  # WorkflowState values (a StrEnum member is one)
        stale: frozenset[str],
        usage: Usage | None,
        scores: tuple[float, float] | None = None,
    ) -> None:
        self.current, self.done, self.stale, self.usage, self.scores = current, done, stale, usage, scores

    def step_mark(self, state: WorkflowState | str) -> str:
        if state in self.stale:
            return "!"
        if state == self.current:
            return "●"
        if state in self.done:
            return "✓"
        return "○"

    def steps(self, compact: bool = False) -> Content:
        """The five steps; `compact` (a narrow terminal) keeps only the mark and number of the
        other steps ("✓1 › ✓2 ›  ● 3 Analysis  › ○4") — the current step keeps its label."""
        parts: list[Content | str | tuple[str, str]] = []
        for n, (state, label) in enumerate(_STEPS, start=1):
            if n > 1:
                parts.append((" › " if not compact else "›", "$text-disabled"))
            mark = self.step_mark(state)
            text = f"{mark} {n} {label}" if not compact or state == self.current else f"{mark}{n}"
            if state == self.current:
                style = "bold reverse $accent" if state not in self.stale else "bold reverse $warning"
                text = f" {text} "
            elif state in self.stale:
                style = "$text-warning"
            elif state in self.done:
                style = "$text-success"
            else:
                style = "$text-muted"
            parts.append((text, style))
        return Content.assemble(*parts)

    def render(self) -> Content:
        width = self.size.width
        left = self.steps()
        if left.cell_length + 8 > width:  # no room for the labels and the money: numbers only
            left = self.steps(compact=True)
        cost, tokens = (self.usage.cost_usd, self.usage.total_tokens) if self.usage is not None else (0.0, 0)
        money = f"${cost:.3f}"
        if self.usage is not None and self.usage.unpriced_tokens:
            money = "$?" if not cost else f"{money}+?"  # a model with no price: never a false $0
        meter = f"{money} · {_tokens(tokens)} tok"
        if self.scores is not None:
            fit, keywords = self.scores
            scored = f"Fit {fit:.0f} · Kw {keywords:.0f}% · {meter}"
            if left.cell_length + 2 + len(scored) <= self.size.width:
                meter = scored  # the scores go first when the line is short of room
        if left.cell_length + 1 + len(meter) > self.size.width:
            meter = money  # narrow terminal: the money matters more than the tokens
        gap = max(1, self.size.width - left.cell_length - len(meter) - 2)
        return Content.assemble(left, " " * gap, (meter, "$text-muted"))


def _tokens(n: int) -> str:
    return f"{n / 1000:.1f}k" if n >= 1000 else str(n)


__all__ = ["STEP_LABELS", "STEP_VALUES", "Stepper"]
