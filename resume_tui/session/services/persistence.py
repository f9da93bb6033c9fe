"""Keeping the TUI's session in the session store, off the UI thread, without ever losing work.

The store may be absent (no database), slow (calls go to the app's store thread through
`submit`, in order, as Futures) or failing (one sentence in `warning`; the work stays in
memory). Every write is of a snapshot, because decisions mutate changes in place while
the store thread may still be writing an earlier state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from resume_tui.models import Session, WorkflowState
from resume_tui.steps import STEP_VALUES, step_index

Submit = Callable[[Callable[[], Any]], Future[Any]]


def snapshot(session: Session) -> Session:
    return session.model_copy(
        update={"changes": [c.model_copy() for c in session.changes], "settings": session.settings.model_copy(deep=True)}
    )


class SessionSaver:
    """One session's link to the store; `store` None means nothing is persisted."""

    def __init__(self) -> None:
        self.store: Any = None
        self.submit: Submit | None = None
        self.warning: str | None = None

    def attach(self, store: Any, session: Session, submit: Submit | None) -> None:
        """Persist `session` in `store` (created there on first attach)."""
        self.store = store
        self.submit = submit
        copy = snapshot(session)
        self.safely(lambda: self._register(copy))

    def _register(self, session: Session) -> None:
        """Create the session in the store; work done before the store opened (the demo's
        documents) is walked through the workflow one step at a time, as it happened."""
        if self.store.exists(session.id):
            return
        self.store.create_session(session_id=session.id, settings=session.settings)
        for value in STEP_VALUES[: step_index(session.state) + 1]:
            state = WorkflowState(value)
            self.store.advance(session.id, state, resume=session.resume, job=session.job, report=session.report,
                               changes=session.changes if state == session.state else None)

    def safely(self, action: Callable[[], Any]) -> Any:
        """A failing store must not lose the user's work in memory: remember one sentence to show."""
        if self.store is None:
            return None
        if self.submit is not None:
            return self.submit(action)  # a failure is reported by the app when the Future settles
        try:
            return action()
        except Exception as exc:  # noqa: BLE001 - surfaced through warning
            self.warning = f"The session could not be saved ({exc}); your work stays open in this window."
            return None

    def persist(self, session: Session, state: WorkflowState | None = None) -> None:
        if self.store is None:
            return
        copy = snapshot(session)
        if state is not None:
            self.safely(lambda: self.store.advance(copy.id, state, resume=copy.resume, job=copy.job,
                                                   report=copy.report, changes=copy.changes))
        else:
            self.safely(lambda: self.store.save_session(copy))

    def record_approval(self, session_id: str, decision: str, who: str, subject: Sequence[Any]) -> Any:
        return self.safely(lambda: self.store.record_approval(session_id, decision=decision, who=who, subject=subject))
