"""The five-step workflow as a pure state machine (no I/O), so the store, the TUI and the
tests all agree on which moves are legal.

draft → resume_uploaded → jd_provided → gap_analyzed → rewrite_applied → exported, and
cancelled from any state. Moving back (a new resume or JD, re-running the analysis) is
allowed and marks every later state that had been reached as *stale* instead of deleting
its artifacts; moving forward into a stale state makes it fresh again.
"""

from __future__ import annotations

from dataclasses import dataclass

from resume_tui.errors import InputError
from resume_tui.models import Session, WorkflowState, utcnow
from resume_tui.steps import STEP_VALUES

# draft, then the five steps (steps.py is the one definition of those).
ORDER: tuple[WorkflowState, ...] = (WorkflowState.DRAFT, *(WorkflowState(v) for v in STEP_VALUES))

# States that can be entered again while already in them: a new resume, a new JD, a new
# analysis, another round of decisions, another export.
_REENTRANT = frozenset(ORDER[1:])

_LABEL = {
    WorkflowState.DRAFT: "a new session",
    WorkflowState.RESUME_UPLOADED: "a resume",
    WorkflowState.JD_PROVIDED: "a job description",
    WorkflowState.GAP_ANALYZED: "a gap analysis",
    WorkflowState.REWRITE_APPLIED: "reviewed changes",
    WorkflowState.EXPORTED: "an export",
}


class TransitionError(InputError):
    """A workflow move that is not allowed; the message says what to do instead."""

    def __init__(self, message: str, *, current: WorkflowState, target: WorkflowState) -> None:
        super().__init__(message)
        self.current = current
        self.target = target


@dataclass(frozen=True)
class Transition:
    """What a move did: the store persists this together with the run id."""

    source: WorkflowState
    target: WorkflowState
    stale: tuple[WorkflowState, ...]  # the session's stale states after the move
    newly_stale: tuple[WorkflowState, ...]
    kind: str  # "forward" | "back" | "repeat" | "cancel"


def rank(state: WorkflowState) -> int:
    return ORDER.index(state) if state in ORDER else -1


def check(current: WorkflowState, target: WorkflowState) -> str:
    """Return the kind of move ("forward", "back", "repeat", "cancel") or raise
    TransitionError with one clear sentence."""
    try:
        target, current = WorkflowState(target), WorkflowState(current)
    except ValueError:
        raise InputError(f"{target!r} is not a workflow state; use one of {', '.join(s.value for s in WorkflowState)}.") from None
    if current == WorkflowState.CANCELLED:
        raise TransitionError(
            "This session was cancelled and cannot change any more; start a new session.",
            current=current,
            target=target,
        )
    if target == WorkflowState.CANCELLED:
        return "cancel"
    if target == WorkflowState.DRAFT:
        raise TransitionError(
            "A session cannot go back to draft; load a new resume or start a new session instead.",
            current=current,
            target=target,
        )
    cur, tgt = rank(current), rank(target)
    if tgt == cur:
        if target in _REENTRANT:
            return "repeat"
    elif tgt < cur:
        return "back"
    elif tgt == cur + 1:
        return "forward"
    needed = ORDER[tgt - 1]
    raise TransitionError(
        f"Cannot go from {current.value} to {target.value}: it needs {_LABEL[needed]} first "
        f"(state {needed.value}).",
        current=current,
        target=target,
    )


def transition(session: Session, target: WorkflowState) -> tuple[Session, Transition]:
    """Apply a move to a copy of `session`; artifacts are never removed, only marked stale."""
    source = session.state
    kind = check(source, target)
    target = WorkflowState(target)
    missing = _missing_artifact(session, target)
    if missing:
        raise TransitionError(
            f"Cannot move to {target.value}: the session has no {missing} yet; provide it first.",
            current=source,
            target=target,
        )
    stale = [s for s in session.stale if s != target]
    newly: list[WorkflowState] = []
    if kind in ("back", "repeat"):
        # Every state after the target that had been reached (up to the current one, or
        # already stale from an earlier step back) was built on what is now replaced.
        for state in ORDER[rank(target) + 1 :]:
            reached = rank(state) <= rank(source) or state in session.stale
            if reached and state not in stale:
                stale.append(state)
                newly.append(state)
    stale.sort(key=rank)
    updated = session.model_copy(update={"state": target, "stale": stale, "updated_at": utcnow()})
    return updated, Transition(source, target, tuple(stale), tuple(newly), kind)


def _missing_artifact(session: Session, target: WorkflowState) -> str | None:
    """The artifact a state stands for must exist before the state is entered."""
    if rank(target) >= rank(WorkflowState.RESUME_UPLOADED) and session.resume is None:
        return "resume"
    if rank(target) >= rank(WorkflowState.JD_PROVIDED) and session.job is None:
        return "job description"
    if rank(target) >= rank(WorkflowState.GAP_ANALYZED) and session.report is None:
        return "gap report"
    return None


def allowed_targets(session: Session) -> list[WorkflowState]:
    """States the session may move to now (for the stepper and the command palette)."""
    out = []
    for state in (*ORDER, WorkflowState.CANCELLED):
        try:
            check(session.state, state)
        except TransitionError:
            continue
        out.append(state)
    return out


def is_stale(session: Session, state: WorkflowState) -> bool:
    return WorkflowState(state) in session.stale
