"""The one session object the TUI's screens share, and the thin calls into the services.

Screens never hold domain state: they read it here and ask this object to move the
workflow on. Every method is a call into a service (documents/, analysis/, pipeline/,
session/) plus the state transition; nothing here decides *what* a resume says.
The session store, when present, persists the same `Session` model after each change.
"""

from __future__ import annotations

import uuid
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

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
    Verdict,
    WorkflowState,
)
from resume_tui.session import facts as facts_service

if TYPE_CHECKING:
    from resume_tui.config import Settings
    from resume_tui.documents.verify import ExportOutcome

STEPS: tuple[WorkflowState, ...] = (
    WorkflowState.RESUME_UPLOADED,
    WorkflowState.JD_PROVIDED,
    WorkflowState.GAP_ANALYZED,
    WorkflowState.REWRITE_APPLIED,
    WorkflowState.EXPORTED,
)
STEP_LABELS: dict[WorkflowState, str] = {
    WorkflowState.RESUME_UPLOADED: "Resume",
    WorkflowState.JD_PROVIDED: "Job",
    WorkflowState.GAP_ANALYZED: "Analysis",
    WorkflowState.REWRITE_APPLIED: "Review",
    WorkflowState.EXPORTED: "Export",
}


def step_index(state: WorkflowState) -> int:
    """DRAFT is -1, the five steps 0..4; CANCELLED keeps no position."""
    return STEPS.index(state) if state in STEPS else -1


class Flow:
    """Owns the Session; every screen reads and changes state only through it."""

    def __init__(self, settings: Settings, session: Session | None = None, *, offline: bool = False) -> None:
        self.settings = settings
        self.session = session or Session(id=uuid.uuid4().hex[:12])
        self.offline = offline
        self.tasks: list[TaskRecord] = []
        self.tier: str | None = None
        self.score_before: float | None = None
        self.exported: list[ExportOutcome] = []
        self.drafts: dict[str, str] = {}
        self.pipeline_clock: Any = None  # tests inject a manual clock for deterministic timings  # unsaved text typed on a screen (kept across navigation)
        self.listeners: list[Callable[[], None]] = []
        self._store: Any = None
        self._submit: Callable[[Callable[[], Any]], Future[Any]] | None = None
        self.store_warning: str | None = None
        self.resumable: Any = None  # an interrupted Run of this session the next analysis picks up
        self.reused: list[str] = []  # tasks the last run restored from an interrupted one
        self._resume_point: Any = None
        self._orch: Any = None

    # ------------------------------------------------------------------ state

    @property
    def state(self) -> WorkflowState:
        return self.session.state

    def reached(self, state: WorkflowState) -> bool:
        """True when the step was completed at some point (it may be stale since)."""
        return step_index(state) <= step_index(self.session.state) or state in self.session.stale

    def done(self, state: WorkflowState) -> bool:
        return self.reached(state) and state not in self.session.stale

    @property
    def usage(self) -> Usage:
        """Everything this session's runs have spent, kept in the session (so it survives a
        restart): the per-session budget caps count it, across runs."""
        return Usage.model_validate(self.session.settings.get("spent") or {})

    @usage.setter
    def usage(self, value: Usage) -> None:
        self.session.settings["spent"] = value.model_dump(mode="json")

    def is_stale(self, state: WorkflowState) -> bool:
        return state in self.session.stale

    def _reach(self, state: WorkflowState) -> None:
        """Move to `state` through the session's state machine (re-doing a step marks later ones stale).

        Skipping ahead (e.g. exporting without any decision) passes through the steps between.
        """
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
        """Persist this session in the session store (created there on first attach).

        With `submit` (the app's store thread) every store call runs off the UI thread, in
        the order made, and returns a Future; without it calls are made inline.
        """
        self._store = store
        self._submit = submit
        snapshot = self.session.model_copy(update={"changes": [c.model_copy() for c in self.session.changes],
                                                   "settings": dict(self.session.settings)})
        self._safely(lambda: self._register(snapshot))

    def _register(self, session: Session) -> None:
        """Create the session in the store; work done before the store opened (the demo's
        documents) is walked through the workflow one step at a time, as it happened."""
        if self._store.exists(session.id):
            return
        self._store.create_session(session_id=session.id, settings=session.settings)
        for state in STEPS[: step_index(session.state) + 1]:
            self._store.advance(session.id, state, resume=session.resume, job=session.job, report=session.report,
                                changes=session.changes if state == session.state else None)

    def _safely(self, action: Callable[[], Any]) -> Any:
        """A failing store must not lose the user's work in memory: remember one sentence to show."""
        if self._store is None:
            return None
        if self._submit is not None:
            return self._submit(action)  # a failure is reported by the app when the Future settles
        try:
            return action()
        except Exception as exc:  # noqa: BLE001 - surfaced through store_warning
            self.store_warning = f"The session could not be saved ({exc}); your work stays open in this window."
            return None

    def _persist(self, state: WorkflowState | None = None) -> None:
        if self._store is None:
            return
        # A snapshot: decisions mutate changes in place while the store thread may be writing.
        session = self.session.model_copy(update={"changes": [c.model_copy() for c in self.session.changes],
                                                  "settings": dict(self.session.settings)})
        if state is not None:
            self._safely(lambda: self._store.advance(session.id, state, resume=session.resume, job=session.job,
                                                     report=session.report, changes=session.changes))
        else:
            self._safely(lambda: self._store.save_session(session))

    def audit_approval(self, decision: str, files: Sequence[Any], *, auto: bool = False) -> int | None:
        """Every approval and rejection goes to the audit log (with the files it covered)."""
        subject = [{"path": str(f.path), "format": f.format, "overwrites": bool(f.overwrites)} for f in files]
        who = "auto-approve" if auto else "user"
        return self._safely(lambda: self._store.record_approval(self.session.id, decision=decision, who=who, subject=subject))

    def audit_write(self, outcome: ExportOutcome, approval_id: int | Future[Any] | None, *, auto: bool = False) -> None:
        session_id = self.session.id

        def record() -> None:
            # Through the store thread the approval id is a Future, settled (same thread, earlier job).
            try:
                approval = approval_id.result() if isinstance(approval_id, Future) else approval_id
            except Exception:  # noqa: BLE001 - the approval row failed; still account for the write
                approval = None
            self._store.record_file_write(
                session_id, path=outcome.path, sha256=outcome.sha256, bytes=outcome.bytes, format=outcome.format,
                who="auto-approve" if auto else "user", action="overwrite" if outcome.overwrote else "create",
                approval_id=approval,
            )

        self._safely(record)

    # ------------------------------------------------------------------ resume

    @property
    def level(self) -> CustomizationLevel:
        return CustomizationLevel(self.session.settings.get("level", self.settings.level))

    @property
    def auto_approve(self) -> bool:
        return bool(self.session.settings.get("auto_approve", self.settings.auto_approve))

    def read_resume(self, path: str | Path) -> Resume:
        """Parse a resume file (safe to call from a thread: it touches no state)."""
        from resume_tui.documents.ingest import load_resume

        resolved = _user_path(path, what="resume")
        return load_resume(resolved, max_bytes=self.settings.max_file_bytes)

    def read_resume_text(self, text: str) -> Resume:
        from resume_tui.documents.ingest import parse_resume_text
        from resume_tui.errors import InputError

        if not text.strip():
            raise InputError("The pasted resume is empty; paste its text or pick a file.")
        return parse_resume_text(text)

    def apply_session_settings(self) -> None:
        """Fold the settings screen's choices (kept in the session) into the run settings."""
        chosen = self.session.settings
        cfg = self.settings
        budget = cfg.budget.model_copy(update={"max_usd": chosen.get("max_usd"), "max_tokens": chosen.get("max_tokens")})
        provider = chosen.get("provider", cfg.provider)
        update: dict[str, Any] = {"provider": provider, "level": chosen.get("level", cfg.level), "budget": budget,
                                  "auto_approve": bool(chosen.get("auto_approve", False))}
        model = chosen.get("model")
        if model:
            from resume_tui.config import ProviderSettings

            providers = dict(cfg.providers)
            providers[provider] = (providers.get(provider) or ProviderSettings()).model_copy(update={"model": model})
            update["providers"] = providers
        self.settings = cfg.model_copy(update=update)
        self._changed()

    def load_resume_file(self, path: str | Path) -> Resume:
        resume = self.read_resume(path)
        self.set_resume(resume)
        return resume

    def set_resume(self, resume: Resume) -> None:
        from resume_tui.errors import InputError

        if not any(section.items for section in resume.sections):
            # A header line alone (or an image saved as text) must not replace a real resume.
            raise InputError("No resume content was found beyond a header line; pick another file or paste the text.")
        self.session.resume = resume
        self.resumable = None  # finished tasks of an earlier run were about another resume
        self._reach(WorkflowState.RESUME_UPLOADED)

    # ------------------------------------------------------------------ job

    def read_job_file(self, path: str | Path) -> tuple[str, Any]:
        """Read a JD saved as PDF/DOCX/MD/TXT; returns its text and the extraction."""
        from resume_tui.documents.ingest import read_document

        extracted = read_document(_user_path(path, what="job description"), max_bytes=self.settings.max_file_bytes)
        return extracted.text, extracted

    def preview_job(self, text: str, extracted: Any = None) -> JobDescription:
        from resume_tui.analysis.checks import with_pair_warnings
        from resume_tui.analysis.requirements import parse_job_description
        from resume_tui.models import SourceFormat

        if extracted is not None:
            job = parse_job_description(text, source_format=extracted.source_format, warnings=tuple(extracted.warnings))
        else:
            job = parse_job_description(text, source_format=SourceFormat.TEXT)
        # Language mismatch and instructions hidden in the posting: the same warnings the CLI prints.
        return with_pair_warnings(self.session.resume, job) if self.session.resume is not None else job

    def set_job(self, job: JobDescription, *, posting: dict[str, Any] | None = None) -> None:
        """`posting`: the record of a page fetched by URL, kept in the session's settings so
        going back to it (or resuming the session) does not fetch again."""
        from resume_tui.errors import InputError

        if self.session.resume is None:
            raise InputError("Import a resume first (step 1), then the job description.")
        if not job.text.strip():
            raise InputError("The job description is empty; paste it or load it from a file.")
        self.session.job = job
        self.resumable = None  # finished tasks of an earlier run were about another job
        had_posting = self.session.settings.pop("posting", None) is not None
        if posting is not None:
            self.session.settings["posting"] = posting
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
        """The provider chain for a run; None means the pipeline's offline path only.

        Its budget starts from what this session already spent, so the caps in Settings
        hold for the whole session, not per run.
        """
        if not self.paid:
            return None
        from resume_tui.providers.budget import Budget
        from resume_tui.providers.router import build_router

        return build_router(self.settings, budget=Budget.from_settings(self.settings, spent=self.usage))

    def estimate(self) -> Any:
        """What a paid run is expected to cost (tokens, USD), shown before asking to go on."""
        from resume_tui.providers.budget import estimate_run

        session = self.session
        assert session.resume is not None and session.job is not None
        return estimate_run(session.resume, session.job, settings=self.settings, level=self.level)

    async def prepare_run(self) -> None:
        """Before a run: claim the interrupted run to resume, if any (off the UI thread).

        The store hands back its finished tasks; `orchestrator` then reuses them. A run that
        cannot be claimed (busy elsewhere, already done) just means a fresh run.
        """
        import asyncio

        run, self.resumable, self._resume_point = self.resumable, None, None
        if run is None or self._store is None or run.level != self.level:
            return
        claim = lambda: self._store.resume_run(run.id)  # noqa: E731
        try:
            if self._submit is not None:
                self._resume_point = await asyncio.wrap_future(self._submit(claim))
            else:
                self._resume_point = claim()
        except Exception as exc:  # noqa: BLE001 - a fresh run is the fallback
            self.store_warning = f"The interrupted run could not be resumed ({exc}); starting a new run."
            self._notify()

    def orchestrator(self, sinks: Sequence[Any]) -> Any:
        """A pipeline run the analysis screen drives (progress, ETA, cancel); its events and
        tasks go to the session store, and a claimed resume point restores finished tasks."""
        from resume_tui.pipeline.orchestrator import Orchestrator

        session = self.session
        assert session.resume is not None and session.job is not None
        point, self._resume_point = self._resume_point, None
        store_sinks = [self._store.event_sink()] if self._store is not None else []
        self._orch = Orchestrator(
            session.resume,
            session.job,
            level=self.level,
            router=self.router(),
            sinks=[*sinks, *store_sinks],
            settings=self.settings,
            clock=self.pipeline_clock,
            session_id=session.id,
            run_id=point.run.id if point is not None else None,
            completed=point.completed if point is not None else None,
        )
        return self._orch

    def set_result(self, result: Any) -> None:
        """Keep every finished task; a completed run also brings the report and the changes."""
        self.tasks = list(result.tasks)
        if result.usage.total_tokens or result.usage.cost_usd:
            self.usage = self.usage + result.usage
            self._persist()  # the spend must outlive this window even if the run did not complete
        self.tier = result.tier
        self.reused = list(getattr(self._orch, "reused", None) or [])
        if result.status != "completed" and self._store is not None:
            self.resumable = _ResumableRun(result.run_id, self.level)  # `r` picks up the finished tasks
        if result.status == "completed" and result.report is not None:
            job = getattr(result, "job", None)
            if job is not None:
                self.session.job = job
            changes = list(result.changes)
            if self.reused:
                changes = _keep_decisions(changes, self.session.changes)
            self.set_report(result.report, changes)
        else:
            self._changed()

    def set_report(self, report: GapReport, changes: list[Change]) -> None:
        from resume_tui.analysis.keywords import keyword_report

        if self.session.resume is not None and self.session.job is not None and not report.keywords_matched:
            keywords = keyword_report(self.session.resume, self.session.job)  # a model's report has none
            report = report.model_copy(update={"keyword_score": keywords.score, "keywords_matched": keywords.matched,
                                               "keywords_missing": keywords.missing})
        self.session.report = report
        self.session.settings["base_report"] = report.model_dump(mode="json")
        self.session.changes = changes
        self.score_before = report.score
        if self.user_facts:
            facts_service.refresh(self.session)  # facts declared earlier still count after a re-run
        self._reach(WorkflowState.GAP_ANALYZED)

    # ------------------------------------------------------------------ review

    def change(self, change_id: str) -> Change:
        return next(c for c in self.session.changes if c.id == change_id)

    def decide(self, change_id: str, status: ChangeStatus, *, override: bool = False) -> Change:
        """Accept or reject one change; flagged needs `override`, blocked is never accepted."""
        from resume_tui.errors import InputError

        change = self.change(change_id)
        if status == ChangeStatus.ACCEPTED:
            if change.verdict == Verdict.BLOCKED:
                raise InputError(f"This change is blocked ({_reason(change)}); it cannot be accepted.")
            if change.verdict == Verdict.FLAGGED and not override:
                raise InputError(f"This change is flagged ({_reason(change)}); press o to accept it anyway.")
        change.status = status
        self._decided()
        return change

    def accept_all_safe(self) -> int:
        count = 0
        for change in self.session.changes:
            if change.verdict == Verdict.SAFE and change.status == ChangeStatus.PENDING:
                change.status = ChangeStatus.ACCEPTED
                count += 1
        self._decided()
        return count

    def edit(self, change_id: str, after: str) -> Change:
        """Replace a change's proposed text; the guard re-checks it before it can be accepted."""
        from resume_tui.analysis.guard import check_change

        change = self.change(change_id)
        edited = change.model_copy(update={"after": after, "status": ChangeStatus.PENDING, "source": "user"})
        session = self.session
        assert session.resume is not None
        checked = check_change(edited, session.resume, job=session.job, user_facts=self.user_facts)
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
        return {f["requirement_id"]: f["text"] for f in self.session.settings.get("user_facts", []) if f.get("requirement_id")}

    def declare_fact(self, text: str, requirement_id: str | None = None) -> list[Change]:
        """Keep a fact the user says is true; the report, the declared changes and every verdict follow
        (session/facts.py). Returns the changes whose verdict moved."""
        return self.declare_facts([text], requirement_id)

    def declare_facts(self, texts: Sequence[str], requirement_id: str | None = None) -> list[Change]:
        added = facts_service.add_facts(self.session, list(texts), requirement_id)
        for text in added:
            self._audit_fact("declare_fact", text)
        moved = facts_service.refresh(self.session)
        self._changed()
        return moved

    def remove_fact(self, text: str) -> list[Change]:
        """Withdraw a declared fact: scores, changes and verdicts return to what they are without it."""
        if not facts_service.remove_fact(self.session, text):
            return []
        self._audit_fact("withdraw_fact", text)
        moved = facts_service.refresh(self.session)
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
        from resume_tui.analysis.apply import apply_changes

        session = self.session
        assert session.resume is not None
        return apply_changes(session.resume, self.accepted(), job=session.job, user_facts=self.user_facts)

    def score_for(self, accepted: Sequence[Change]) -> float | None:
        """Fit after `accepted` (declared facts counted), the same scorer as the report (thread-safe)."""
        scores = self.scores_for(accepted)
        return None if scores is None else scores["fit_after"]

    def score_after(self) -> float | None:
        return self.score_for(self.accepted())

    # ------------------------------------------------------------------ export

    def default_stem(self) -> str:
        resume = self.session.resume
        name = (resume.contact.name if resume else None) or "resume"
        return "-".join(name.lower().split()) + "-tailored"

    def plan(self, directory: str | Path, stem: str, formats: Sequence[str]) -> list[Any]:
        """The exact files an export would write (exact sizes: rendered in memory, not written)."""
        from resume_tui.documents.export import plan_writes
        from resume_tui.errors import InputError

        if not formats:
            raise InputError("Pick at least one format to export.")
        stem = stem.strip()
        if not stem or "/" in stem or "\\" in stem:
            raise InputError("Give the file name without a folder or extension, e.g. maya-tailored.")
        folder = Path(str(directory).strip() or ".").expanduser()
        if folder.exists() and not folder.is_dir():
            raise InputError(f"{folder} is a file, not a folder; pick a folder to export into.")
        resume = self.session.resume
        if resume is None:
            raise InputError("Import a resume first; there is nothing to export yet.")
        outputs = [folder / f"{stem}.{fmt}" for fmt in formats]
        return plan_writes(outputs, source_path=resume.source_path, tailored=self.tailored(), original=resume)

    def write(self, planned: Sequence[Any]) -> list[ExportOutcome]:
        """Write exactly the approved plan, then verify each file by parsing it back.

        Touches only the disk (safe in a thread); `finish_export` records the result.
        """
        from resume_tui.documents.verify import write_verified

        assert self.session.resume is not None
        return write_verified(planned, self.tailored(), self.session.resume, self.accepted())

    def finish_export(self, outcomes: Sequence[ExportOutcome], approval_id: int | None = None, *, auto: bool = False) -> None:
        for outcome in outcomes:
            self.audit_write(outcome, approval_id, auto=auto)
        self.exported = list(outcomes)
        self._reach(WorkflowState.EXPORTED)


MAX_FACT_CHARS = 300


def _user_path(raw: str | Path, *, what: str) -> Path:
    """Turn what the user typed into a file path, or say plainly why it is not one."""
    from resume_tui.errors import InputError

    text = str(raw).strip().strip("'\"")
    if not text:
        raise InputError(f"Type the path of the {what} file, or pick it in the tree.")
    path = Path(text).expanduser()
    if not path.exists():
        raise InputError(f"{path} does not exist; check the path (→ completes names as you type).")
    if path.is_dir():
        raise InputError(f"{path} is a folder; pick a file inside it.")
    return path


@dataclass(frozen=True)
class _ResumableRun:
    """The part of a store `Run` that `prepare_run` needs (a run cancelled in this window)."""

    id: str
    level: CustomizationLevel


def _keep_decisions(proposed: list[Change], earlier: Sequence[Change]) -> list[Change]:
    """A resumed run re-proposes changes: a decision already taken on the very same change stays."""
    decided = {(c.id, c.after): c.status for c in earlier if c.status != ChangeStatus.PENDING}
    return [c.model_copy(update={"status": decided[(c.id, c.after)]}) if (c.id, c.after) in decided else c for c in proposed]


def _reason(change: Change) -> str:
    return change.reasons[0].rstrip(".") if change.reasons else change.verdict.value
