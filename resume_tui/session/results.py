"""The Flow's run-result steps (a mixin): carry the review over, apply a finished run, keep its tasks.

Applying a run is split in two so the TUI's event loop never does the heavy half. `prepare_result`
(thread-safe) merges the review into the run's changes, fills in the Keywords score and re-applies
the declared facts — a deterministic analysis of the whole resume — on a draft of the session,
never touching the live one. `set_result` (on the loop) then only assigns what was prepared, moves
the workflow on and persists, in that order. A prepared result made for other declared facts than
the session now has is prepared again, so nothing stale is applied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from resume_tui.models import Change, GapReport, JobDescription, Session, TaskRecord, Usage, WorkflowState
from resume_tui.session import facts as facts_service
from resume_tui.session.services import analysis_run, rerun

if TYPE_CHECKING:
    from resume_tui.models import CustomizationLevel


@dataclass(frozen=True)
class Prepared:
    """A completed run made ready for the session: what `set_result` assigns."""

    job: JobDescription | None
    report: GapReport
    base_report: GapReport
    changes: list[Change]
    facts: tuple[str, ...]  # the declared facts it was prepared with


class ResultSteps:
    session: Session
    tasks: list[TaskRecord]
    usage: Usage
    tier: str | None
    reused: list[str]
    resumable: Any
    _orch: Any
    _store: Any
    _persist: Callable[..., None]
    _changed: Callable[[], None]
    _reach: Callable[[WorkflowState], None]

    @property
    def user_facts(self) -> list[str]:  # provided by Flow
        raise NotImplementedError

    @property
    def level(self) -> CustomizationLevel:  # provided by Flow
        raise NotImplementedError

    def merge_rerun(self, result: Any) -> rerun.Merge:
        """The run's changes with the review done so far carried over where the same change is still
        proposed, and what would be dropped (the screen asks first). Thread-safe: reads only."""
        session = self.session
        job = getattr(result, "job", None) or session.job
        return rerun.merge(result.changes, session.changes, session.resume, job, self.user_facts)

    def prepare_result(self, result: Any, merged: rerun.Merge | None = None) -> Prepared:
        """A completed run's report and changes as the session will hold them (the review carried over, the
        Keywords score, the declared facts counted). Thread-safe: works on a draft, writes nothing."""
        merged = merged if merged is not None else self.merge_rerun(result)
        session = self.session
        draft = session.model_copy(update={"settings": session.settings.model_copy()})
        job = getattr(result, "job", None)
        if job is not None:
            draft.job = job
        facts = tuple(self.user_facts)
        base = facts_service.set_base_report(draft, result.report, merged.changes)
        assert draft.report is not None
        return Prepared(job, draft.report, base, list(draft.changes), facts)

    def set_result(self, result: Any, merged: rerun.Merge | None = None, prepared: Prepared | None = None) -> None:
        """Keep every finished task; a completed run also brings the report and the changes, with the
        decisions and edits on changes it still proposes carried over (`prepared` off the loop, else here)."""
        self._take_run(result)
        if result.status == "completed" and result.report is not None:
            if prepared is None or prepared.facts != tuple(self.user_facts):
                prepared = self.prepare_result(result, merged)
            if prepared.job is not None:
                self.session.job = prepared.job
            self.session.report = prepared.report
            self.session.settings.base_report = prepared.base_report
            self.session.changes = prepared.changes
            self._reach(WorkflowState.GAP_ANALYZED)
        else:
            self._changed()

    def keep_review(self, result: Any) -> None:
        """The person kept the review they had: the run's tasks and spend are kept, not its changes."""
        self._take_run(result)
        self._changed()

    def _take_run(self, result: Any) -> None:
        self.tasks = list(result.tasks)
        if result.usage.total_tokens or result.usage.cost_usd:
            self.usage = self.usage + result.usage
            self._persist()  # the spend must outlive this window even if the run did not complete
        self.tier = result.tier
        self.reused = list(getattr(self._orch, "reused", None) or [])
        if result.status != "completed" and self._store is not None:
            self.resumable = analysis_run.ResumableRun(result.run_id, self.level)  # `r` picks up the finished tasks
