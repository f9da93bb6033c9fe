"""One tailoring as a session, in two halves with the approval between them — shared by `tailor`,
`batch` and the Postings board (which finishes batch jobs).

`propose` creates the session, runs the pipeline (through the `run` the caller gives: the CLI's
prints progress and estimates, the board's is quiet), decides by verdict and applies the accepted
changes in memory; `write_approved` writes exactly the approved files, verifies and audits them
and closes the session as exported. Nothing here writes a file before that approval.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from resume_tui.errors import InputError
from resume_tui.models import Change, ChangeStatus, CustomizationLevel, GapReport, JobDescription, Resume
from resume_tui.session.services import export, review


@dataclass
class Proposal:
    """A finished run of one session, decided, with the tailored resume in memory (nothing written)."""

    session_id: str
    resume: Resume
    job: JobDescription
    result: Any  # PipelineResult
    changes: list[Change]
    accepted: list[Change]
    tailored: Resume
    facts: list[str]
    report_after: GapReport  # the tailored resume, over the requirements the run scored "before" on

    @property
    def score_after(self) -> float:
        return self.report_after.score


def propose(store: Any, resume: Resume, job: JobDescription, *, run: Callable[..., Any], cfg: Any,
            level: CustomizationLevel, provider: str | None, accept: str, facts: list[str], show_progress: bool,
            settings: dict[str, Any] | None = None, who_facts: str = "--fact", spent: Any = None,
            adjust: Callable[[list[Change], Any], list[Change]] | None = None, origin: str = "cli") -> Proposal:
    """Create the session, run the pipeline with `run` (headless.run's signature), decide by verdict
    (`accept`), apply in memory.

    `spent` (a Usage): what earlier runs of the same command used, so the budget covers them all.
    `adjust` rewrites the proposals before the decision (`tailor --instruct`); its results are guarded."""
    from resume_tui.analysis.engine import analyze
    from resume_tui.models import WorkflowState as State

    session = store.create_session(settings={"origin": origin, "level": level.value, **(settings or {})})
    sid = session.id
    store.advance(sid, State.RESUME_UPLOADED, resume=resume)
    store.advance(sid, State.JD_PROVIDED, job=job)
    for fact in facts:  # audited like any approval: who declared what, when
        store.record_approval(sid, decision="granted", who=who_facts, subject={"text": fact}, action="declare_fact")
    result = run(resume, job, cfg=cfg, level=level, provider=provider, show_progress=show_progress,
                 sinks=[store.event_sink()], session_id=sid, facts=facts, spent=spent)
    proposed = with_declared(result, resume, job, facts)
    if adjust is not None:
        proposed = adjust(proposed, result)
    changes = review.decide_by_verdict(proposed, accept)
    accepted = [c for c in changes if c.status == ChangeStatus.ACCEPTED]
    tailored = export.tailored_resume(resume, accepted, job, facts)
    # Over the run's own requirements, as its "before" score was: one analysis gives the after score
    # and the report that says why it moved (analysis/movement.py).
    final = job if result.report is None else job.model_copy(update={"requirements": result.report.requirements})
    report_after = analyze(tailored, final, facts=facts)
    store.advance(sid, State.GAP_ANALYZED, run_id=result.run_id, report=result.report)
    store.advance(sid, State.REWRITE_APPLIED, run_id=result.run_id, changes=changes)
    return Proposal(sid, resume, job, result, changes, accepted, tailored, facts, report_after)


def with_declared(result: Any, resume: Resume, job: JobDescription, facts: list[str]) -> list[Change]:
    """The run's changes plus the declared-fact ones, checked against the requirements the run used."""
    from resume_tui.analysis.declared import with_declared_changes

    run_job = job.model_copy(update={"requirements": result.report.requirements})
    return with_declared_changes(result.changes, resume, run_job, facts)


def write_approved(store: Any, proposal: Proposal, plans: Sequence[Any], *, who: str, approval_id: int) -> list[Any]:
    """Write the approved plan, verify and audit each file, keep the version, mark the session exported."""
    from resume_tui.models import WorkflowState as State

    sid, run_id = proposal.session_id, proposal.result.run_id
    try:
        outcomes = export.write_files(plans, proposal.tailored, proposal.resume, proposal.accepted)
    except InputError as exc:
        if "already exists" not in str(exc):
            raise
        # Another run created the file between our check and our write (create-exclusive caught it).
        raise InputError(f"{str(exc).split(' already exists')[0]} was created while this run was working; nothing "
                         "was written — pass --overwrite to replace it or choose another name.") from None
    for outcome in outcomes:
        export.record_write(store, sid, outcome, who=who, approval_id=approval_id, run_id=run_id)
    store.save_version(sid, proposal.tailored, label=", ".join(str(o.path) for o in outcomes),
                       score=proposal.score_after, change_ids=[c.id for c in proposal.accepted], run_id=run_id)
    store.advance(sid, State.EXPORTED, run_id=run_id)
    return outcomes


def outcome_document(outcome: Any) -> dict[str, Any]:
    return {
        "path": str(outcome.path), "format": outcome.format, "bytes": outcome.bytes, "sha256": outcome.sha256,
        "verified": outcome.ok, "problems": list(outcome.problems), "notes": list(outcome.notes),
    }
