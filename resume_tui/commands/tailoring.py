"""One headless tailoring as a session, in the two halves `tailor` and `batch` share.

`propose` creates the session, runs the pipeline, decides by verdict and applies the accepted
changes in memory; `write_approved` writes exactly the approved files, verifies and audits
them and closes the session as exported. Between them sits the approval (`ask_approval`): one
prompt for `tailor`'s files, one for every file of a batch. Nothing here writes a file before
that approval.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from resume_tui.commands import common
from resume_tui.errors import InputError
from resume_tui.models import Change, ChangeStatus, CustomizationLevel, JobDescription, Resume
from resume_tui.session.services import export, review
from resume_tui.textsafe import display_safe as safe


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
    score_after: float
    facts: list[str]


def propose(store: Any, resume: Resume, job: JobDescription, *, cfg: Any, level: CustomizationLevel,
            provider: str | None, accept: str, facts: list[str], show_progress: bool,
            settings: dict[str, Any] | None = None, who_facts: str = "--fact", spent: Any = None,
            adjust: Callable[[list[Change], Any], list[Change]] | None = None) -> Proposal:
    """Create the session, run the pipeline, decide by verdict (`accept`), apply in memory.

    `spent` (a Usage): what earlier runs of the same command used, so the budget covers them all.
    `adjust` rewrites the proposals before the decision (`tailor --instruct`); its results are guarded."""
    from resume_tui.analysis.engine import analyze
    from resume_tui.analysis.score import score_resume
    from resume_tui.commands.posting_cache import session_settings
    from resume_tui.models import WorkflowState as State

    session = store.create_session(settings={"origin": "cli", "level": level.value, **session_settings(job),
                                             **(settings or {})})
    sid = session.id
    store.advance(sid, State.RESUME_UPLOADED, resume=resume)
    store.advance(sid, State.JD_PROVIDED, job=job)
    for fact in facts:  # audited like any approval: who declared what, when
        store.record_approval(sid, decision="granted", who=who_facts, subject={"text": fact}, action="declare_fact")
    result = common.run_headless(resume, job, cfg=cfg, level=level, provider=provider, show_progress=show_progress,
                                 sinks=[store.event_sink()], session_id=sid, facts=facts, spent=spent)
    proposed = with_declared(result, resume, job, facts)
    if adjust is not None:
        proposed = adjust(proposed, result)
    changes = review.decide_by_verdict(proposed, accept)
    accepted = [c for c in changes if c.status == ChangeStatus.ACCEPTED]
    tailored = export.tailored_resume(resume, accepted, job, facts)
    score_after = analyze(tailored, job, facts=facts).score if facts else score_resume(tailored, job)
    store.advance(sid, State.GAP_ANALYZED, run_id=result.run_id, report=result.report)
    store.advance(sid, State.REWRITE_APPLIED, run_id=result.run_id, changes=changes)
    return Proposal(sid, resume, job, result, changes, accepted, tailored, score_after, facts)


def with_declared(result: Any, resume: Resume, job: JobDescription, facts: list[str]) -> list[Change]:
    """The run's changes plus the declared-fact ones, checked against the requirements the run used."""
    from resume_tui.analysis.declared import with_declared_changes

    run_job = job.model_copy(update={"requirements": result.report.requirements})
    return with_declared_changes(result.changes, resume, run_job, facts)


def ask_approval(yes: bool, plans: Sequence[Any], *, extra: Sequence[str] = ()) -> tuple[bool, str]:
    """(approved?, who): `--yes`, or an explicit y on a terminal to the list of every file; never without one."""
    if yes:
        return True, "--yes"
    if not (sys.stdin and sys.stdin.isatty() and sys.stderr.isatty()):
        return False, "no terminal"
    print("resume-tui will write:", file=sys.stderr)
    for plan in plans:
        note = " (overwrites)" if plan.overwrites else ""
        print(f"  {safe(plan.path)}  [{plan.format}, ~{size(plan.approx_bytes)}]{note}", file=sys.stderr)
    for line in extra:
        print(f"  {safe(line)}", file=sys.stderr)
    try:
        answer = input("Write these files? [y/N] ")
    except EOFError:
        return False, "user"
    return answer.strip().lower() in {"y", "yes"}, "user"


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


def size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} B"
