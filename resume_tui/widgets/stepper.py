"""The five workflow steps in one line: done ✓, current ●, stale !, not yet ○ — plus the cost meter."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from resume_tui.models import Usage, WorkflowState

_STEPS = (
    (WorkflowState.RESUME_UPLOADED, "Resume"),
    (WorkflowState.JD_PROVIDED, "Job"),
    (WorkflowState.GAP_ANALYZED, "Analysis"),
    (WorkflowState.REWRITE_APPLIED, "Review"),
    (WorkflowState.EXPORTED, "Export"),
)


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

    current: reactive[WorkflowState | None] = reactive(None)
    done: reactive[frozenset[WorkflowState]] = reactive(frozenset())
    stale: reactive[frozenset[WorkflowState]] = reactive(frozenset())
    usage: reactive[Usage] = reactive(Usage)

    def set_state(
        self,
        current: WorkflowState | None,
        done: frozenset[WorkflowState],
        stale: frozenset[WorkflowState],
        usage: Usage,
    ) -> None:
        self.current, self.done, self.stale, self.usage = current, done, stale, usage

    def step_mark(self, state: WorkflowState) -> str:
        if state in self.stale:
            return "!"
        if state == self.current:
            return "●"
        if state in self.done:
            return "✓"
        return "○"

    def render(self) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        for n, (state, label) in enumerate(_STEPS, start=1):
            if n > 1:
                parts.append((" › ", "$text-disabled"))
            mark = self.step_mark(state)
            text = f"{mark} {n} {label}"
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
        left = Content.assemble(*parts)
        meter = f"${self.usage.cost_usd:.3f} · {_tokens(self.usage.total_tokens)} tok"
        gap = max(1, self.size.width - left.cell_length - len(meter) - 2)
        return Content.assemble(left, " " * gap, (meter, "$text-muted"))


def _tokens(n: int) -> str:
    return f"{n / 1000:.1f}k" if n >= 1000 else str(n)
