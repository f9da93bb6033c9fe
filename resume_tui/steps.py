"""The five workflow steps, defined once: their state value, their label, their screen.

Everything that lists the steps (the workflow state machine, the session, the stepper,
the app's screen registry) derives its tuple from here. Plain strings on purpose: the
values equal `models.WorkflowState` members (a StrEnum), and this module imports nothing,
so the app can paint its first frame without importing pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    value: str  # the WorkflowState value reached when the step is done
    label: str  # what the stepper shows
    screen: str  # the app's screen registry key


STEPS: tuple[Step, ...] = (
    Step("resume_uploaded", "Resume", "resume"),
    Step("jd_provided", "Job", "job"),
    Step("gap_analyzed", "Analysis", "analysis"),
    Step("rewrite_applied", "Review", "review"),
    Step("exported", "Export", "export"),
)
STEP_VALUES: tuple[str, ...] = tuple(s.value for s in STEPS)
STEP_LABELS: tuple[str, ...] = tuple(s.label for s in STEPS)
STEP_SCREENS: dict[str, str] = {s.value: s.screen for s in STEPS}
# Named, so callers say which step they mean instead of indexing by number.
RESUME, JOB, ANALYSIS, REVIEW, EXPORT = STEP_VALUES


def step_index(state: str | None) -> int:
    """Position 0..4 of a step; -1 for anything else (draft, cancelled, None)."""
    return STEP_VALUES.index(state) if state in STEP_VALUES else -1
