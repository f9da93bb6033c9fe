"""The one session object the TUI's screens share, and the thin calls into the services.

Screens never hold domain state: they read it here and ask this object to move the
workflow on. Every method is a call into a service (documents/, analysis/, pipeline/,
session/) plus the state transition; nothing here decides *what* a resume says.
The session store, when present, persists the same `Session` model after each change.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resume_tui.models import (
    Change,
    ChangeStatus,
    CustomizationLevel,
    GapReport,
    JobDescription,
    Resume,
    Session,
    TaskRecord,
    Usage,
    WorkflowState,
)
from resume_tui.session import facts as facts_service
from resume_tui.session.lettering import LetterSteps
from resume_tui.session.refining import RefineSteps
from resume_tui.session.results import ResultSteps
from resume_tui.session.services import analysis_run, export, inputs, review
from resume_tui.session.services.persistence import SessionSaver
from resume_tui.session.view import ViewState
from resume_tui.steps import STEPS as _STEPS
from resume_tui.steps import step_index

if TYPE_CHECKING:
    from resume_tui.config import Settings
    from resume_tui.documents.verify import ExportOutcome

# The five steps as WorkflowState members (steps.py is the one definition).
STEPS: tuple[WorkflowState, ...] = tuple(WorkflowState(s.value) for s in _STEPS)


class Flow(ResultSteps, RefineSteps, LetterSteps):
    """Owns the Session; every screen reads and changes state only through it (+ results.py, refining.py,
    lettering.py)."""

    def __init__(self, settings: Settings, session: Session | None = None, *, offline: bool = False) -> None:
        self.session = session or Session(id=uuid.uuid4().hex[:12])
        self.settings = inputs.merge_session_settings(settings, self.session.settings)  # a reopened session's choices
        self.offline = offline
        self.tasks: list[TaskRecord] = []
        self.tier: str | None = None
        self.view = ViewState(lambda: self.session, save=self._persist)  # step, tab, cursor, scroll: kept
        self.exported: list[ExportOutcome] = []
        self.drafts: dict[str, str] = {}  # unsaved text typed on a screen (kept across navigation)
        self.pipeline_clock: Any = None  # tests inject a manual clock for deterministic timings
        self.listeners: list[Callable[[], None]] = []
        self._saver = SessionSaver()
        self.resumable: Any = None  # an interrupted Run of this session the next analysis picks up
        self.reused: list[str] = []  # tasks the last run restored from an interrupted one
        self._resume_point: Any = None
        self._orch: Any = None

    # ------------------------------------------------------------------ state

    @property
    def state(self) -> WorkflowState:
        return self.session.state

    def reached(self, state: WorkflowState | str) -> bool:
        """True when the step was completed at some point (it may be stale since)."""
        return step_index(state) <= step_index(self.session.state) or state in self.session.stale

    def done(self, state: WorkflowState | str) -> bool:
        return self.reached(state) and state not in self.session.stale

    @property
    def usage(self) -> Usage:
        """What this session's runs spent, kept in the session across restarts (the per-session caps count it)."""
        return self.session.settings.spent

    @usage.setter
    def usage(self, value: Usage) -> None:
        self.session.settings.spent = value

    def is_stale(self, state: WorkflowState | str) -> bool:
        return state in self.session.stale

    def _reach(self, state: WorkflowState) -> None:
        """Move to `state` through the session's state machine (re-doing a step marks later ones stale);
        skipping ahead (exporting with no decision) passes through the steps between."""
        from resume_tui.session.workflow import rank, transition

        while rank(self.session.state) + 1 < rank(state):
            nxt = STEPS[step_index(self.session.state) + 1]
            self.session, _ = transition(self.session, nxt)
        self.session, _ = transition(self.session, state)
        self._persist(state)
        self._notify()

    def cancel(self) -> None:
        """Any state can be cancelled; the artifacts stay for a later look at the session."""
        self._reach(WorkflowState.CANCELLED)

    def _changed(self) -> None:
        self._persist()
        self._notify()

    def _notify(self) -> None:
        for listener in list(self.listeners):
            listener()

    # ------------------------------------------------------------------ persistence

    def attach_store(self, store: Any, *, submit: Callable[[Callable[[], Any]], Future[Any]] | None = None) -> None:
        """Persist this session in the store (created there on first attach); with `submit` (the app's
        store thread) every store call runs off the UI thread, in order, as a Future."""
        self._saver.attach(store, self.session, submit)

    @property
    def _store(self) -> Any:
        return self._saver.store

    @property
    def store_warning(self) -> str | None:
        """One sentence to show when the store failed; the app clears it once shown."""
        return self._saver.warning

    @store_warning.setter
    def store_warning(self, value: str | None) -> None:
        self._saver.warning = value

    def _safely(self, action: Callable[[], Any]) -> Any:
        return self._saver.safely(action)

    def _persist(self, state: WorkflowState | None = None) -> None:
        self._saver.persist(self.session, state)

    def audit_approval(self, decision: str, files: Sequence[Any], *, auto: bool = False) -> int | None:
        """Every approval and rejection goes to the audit log (with the files it covered)."""
        subject = export.approval_subject(files)
        who = "auto-approve" if auto else "user"
        return self._saver.record_approval(self.session.id, decision, who, subject)

    def audit_write(self, outcome: ExportOutcome, approval_id: int | Future[Any] | None, *, auto: bool = False) -> None:
        session_id, who = self.session.id, "auto-approve" if auto else "user"
        self._safely(lambda: export.record_write(self._store, session_id, outcome, who=who, approval_id=approval_id))

    # ------------------------------------------------------------------ resume

    @property
    def level(self) -> CustomizationLevel:
        return CustomizationLevel(self.session.settings.level or self.settings.level)

    @property
    def auto_approve(self) -> bool:
        chosen = self.session.settings.auto_approve
        return bool(self.settings.auto_approve if chosen is None else chosen)

    def read_resume(self, path: str | Path) -> Resume:
        """Parse a resume file (safe to call from a thread: it touches no state)."""
        return inputs.read_resume(path, max_bytes=self.settings.max_file_bytes)

    def read_resume_text(self, text: str) -> Resume:
        return inputs.read_resume_text(text)

    def apply_session_settings(self, base: Settings | None = None) -> None:
        """Fold the session's choices into the run settings (`base`: a config just saved)."""
        self.settings = inputs.merge_session_settings(base or self.settings, self.session.settings)
        self._changed()

    def load_resume_file(self, path: str | Path) -> Resume:
        resume = self.read_resume(path)
        self.set_resume(resume)
        return resume

    def set_resume(self, resume: Resume) -> None:
        inputs.check_resume(resume)
        self.session.resume = resume
        self.resumable = None  # finished tasks of an earlier run were about another resume
        self._reach(WorkflowState.RESUME_UPLOADED)

    # ------------------------------------------------------------------ job

    def preview_job(self, text: str, extracted: Any = None) -> JobDescription:
        return inputs.preview_job(text, self.session.resume, extracted)

    def set_job(self, job: JobDescription, *, posting: dict[str, Any] | None = None) -> None:
        """`posting`: the record of a page fetched by URL, kept in the session's settings so
        going back to it (or resuming the session) does not fetch again."""
        inputs.check_job(self.session.resume, job)
        self.session.job = job
        self.resumable = None  # finished tasks of an earlier run were about another job
        had_posting = self.session.settings.posting is not None
        self.session.settings.posting = posting
        self._reach(WorkflowState.JD_PROVIDED)
        if posting is not None or had_posting:
            self._persist()  # advance() saves the artifacts; settings are saved with the session

    # ------------------------------------------------------------------ analysis

    def needs_analysis(self) -> bool:
        return self.session.report is None or not self.done(WorkflowState.GAP_ANALYZED)

    @property
    def paid(self) -> bool:
        """True when the first provider in the chain may cost money (offline and demo never do)."""
        return not self.offline and self.settings.provider != "offline"

    def router(self) -> Any:
        """The provider chain for a run (None: the offline path only); its budget starts from what this
        session already spent (see services.analysis_run)."""
        return analysis_run.build_router(self.settings, self.usage) if self.paid else None

    def estimate(self) -> Any:
        """What a paid run is expected to cost (tokens, USD), shown before asking to go on."""
        session = self.session
        assert session.resume is not None and session.job is not None
        return analysis_run.estimate(session.resume, session.job, self.settings, self.level)

    async def prepare_run(self) -> None:
        """Before a run: claim the interrupted run to resume, if any (off the UI thread); `orchestrator`
        reuses its finished tasks. A run that cannot be claimed (busy, done) just means a fresh run."""
        run, self.resumable, self._resume_point = self.resumable, None, None
        if run is None or self._store is None or run.level != self.level:
            return
        self._resume_point, warning = await analysis_run.claim_resume_point(self._store, run.id, self._saver.submit)
        if warning:
            self.store_warning = warning
            self._notify()

    def orchestrator(self, sinks: Sequence[Any]) -> Any:
        """A pipeline run the analysis screen drives (progress, ETA, cancel); its events and
        tasks go to the session store, and a claimed resume point restores finished tasks."""
        session = self.session
        assert session.resume is not None and session.job is not None
        point, self._resume_point = self._resume_point, None
        store_sinks = [self._store.event_sink()] if self._store is not None else []
        self._orch = analysis_run.build_orchestrator(
            session.resume, session.job, level=self.level, router=self.router(), sinks=[*sinks, *store_sinks],
            settings=self.settings, clock=self.pipeline_clock, session_id=session.id, resume_point=point,
            facts=self.user_facts)
        return self._orch

    @property
    def score_before(self) -> float | None:
        """Fit of the resume as it was (the last run's report, before any declared fact)."""
        base = self.base_report()
        return base.score if base is not None else None

    def set_report(self, report: GapReport, changes: list[Change]) -> None:
        facts_service.set_base_report(self.session, report, changes)
        self._reach(WorkflowState.GAP_ANALYZED)

    # ------------------------------------------------------------------ review

    def change(self, change_id: str) -> Change:
        return next(c for c in self.session.changes if c.id == change_id)

    def decide(self, change_id: str, status: ChangeStatus, *, override: bool = False) -> Change:
        """Accept or reject one change; flagged needs `override`, blocked is never accepted."""
        change = self.change(change_id)
        review.check_decision(change, status, override=override)
        change.status = status
        self._decided()
        return change

    def accept_all_safe(self) -> int:
        count = review.accept_all_safe(self.session.changes)
        self._decided()
        return count

    def edit(self, change_id: str, after: str) -> Change:
        """Replace a change's proposed text; the guard re-checks it before it can be accepted."""
        change = self.change(change_id)
        session = self.session
        assert session.resume is not None
        checked = review.edit_change(change, after, session.resume, session.job, self.user_facts)
        index = session.changes.index(change)
        session.changes[index] = checked
        self._decided()
        return checked

    # ------------------------------------------------------------------ facts the user declares

    @property
    def user_facts(self) -> list[str]:
        """Facts the user declared true (the checklist, or typed on a gap): the only additions any change may use."""
        return facts_service.facts_of(self.session)

    def declared(self) -> dict[str, str]:
        """Requirement id → the fact the user typed for that gap."""
        return {f.requirement_id: f.text for f in self.session.settings.user_facts if f.requirement_id}

    def declare_fact(self, text: str, requirement_id: str | None = None) -> list[Change]:
        """Keep a fact the user says is true; report, declared changes and verdicts follow (session/facts.py)."""
        return self.declare_facts([text], requirement_id)

    def declare_facts(self, texts: Sequence[str], requirement_id: str | None = None) -> list[Change]:
        moved = facts_service.declare(self.session, list(texts), requirement_id, audit=self._audit_fact)
        self._changed()
        return moved

    def remove_fact(self, text: str) -> list[Change]:
        """Withdraw a declared fact: scores, changes and verdicts return to what they are without it."""
        moved = facts_service.withdraw(self.session, text, audit=self._audit_fact)
        self._changed()
        return moved

    def _audit_fact(self, action: str, text: str) -> None:
        if self._store is not None:
            self._safely(lambda: self._store.record_approval(
                self.session.id, decision="granted", who="user", subject={"text": text}, action=action))

    def base_report(self) -> GapReport | None:
        """The report of the last analysis run, before any declared fact."""
        return facts_service.base_report(self.session)

    def scores_for(self, accepted: Sequence[Change]) -> dict[str, Any] | None:
        """Fit and Keywords before → after with `accepted` applied (thread-safe; writes nothing)."""
        return facts_service.scores(self.session, list(accepted))

    def _decided(self) -> None:
        if any(c.status != ChangeStatus.PENDING for c in self.session.changes):
            self._reach(WorkflowState.REWRITE_APPLIED)
        else:
            self._changed()

    def accepted(self) -> list[Change]:
        return [c for c in self.session.changes if c.status == ChangeStatus.ACCEPTED]

    def tailored(self) -> Resume:
        session = self.session
        assert session.resume is not None
        return export.tailored_resume(session.resume, self.accepted(), session.job, self.user_facts)

    def score_after(self) -> float | None:
        """Fit with the accepted changes applied (declared facts counted), the report's scorer (thread-safe)."""
        scores = self.scores_for(self.accepted())
        return None if scores is None else scores["fit_after"]

    # ------------------------------------------------------------------ export

    def default_stem(self) -> str:
        return export.default_stem(self.session.resume)

    def plan(self, directory: str | Path, stem: str, formats: Sequence[str]) -> list[Any]:
        """The exact files an export would write (exact sizes: rendered in memory, not written)."""
        return export.plan_export(directory, stem, formats, self.session.resume, self.tailored)

    def write(self, planned: Sequence[Any]) -> list[ExportOutcome]:
        """Write exactly the approved plan, then verify each file by parsing it back.

        Touches only the disk (safe in a thread); `finish_export` records the result.
        """
        assert self.session.resume is not None
        return export.write_files(planned, self.tailored(), self.session.resume, self.accepted())

    def finish_export(self, outcomes: Sequence[ExportOutcome], approval_id: int | None = None, *, auto: bool = False) -> None:
        for outcome in outcomes:
            self.audit_write(outcome, approval_id, auto=auto)
        self.exported = list(outcomes)
        self._reach(WorkflowState.EXPORTED)
