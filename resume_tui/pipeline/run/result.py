"""What a run returns and how it is decided: the task graph's order, the tier, the final result.

Pure functions of the run's tasks and context, so the orchestrator only schedules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from resume_tui.errors import InputError
from resume_tui.models import Change, GapReport, JobDescription, Plan, Resume, TaskRecord, TaskStatus, Usage
from resume_tui.pipeline.run.records import describe, total_usage
from resume_tui.pipeline.tasks import ASSEMBLE, PLAN, MicroTask, RunContext, assemble, general_suggestions, offline_plan

Tier = Literal["normal", "partial", "offline"]
RunStatusName = Literal["completed", "failed", "cancelled"]


class RunAlreadyActive(InputError):
    """A second start of a run that is still live (no duplicate runs)."""


class RunAborted(Exception):
    """Stops the run from inside (max steps); finished tasks are kept."""


@dataclass
class PipelineResult:
    run_id: str
    session_id: str
    status: RunStatusName
    tier: Tier
    report: GapReport | None
    plan: Plan | None
    changes: list[Change]
    tasks: list[TaskRecord]
    usage: Usage
    score_before: float | None
    score_after: float | None
    job: JobDescription | None = None
    tailored: Resume | None = None
    diff_stats: dict[str, Any] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)
    budget_exceeded: bool = False
    error: str | None = None
    success_ratio: float = 0.0
    providers: list[dict[str, Any]] = field(default_factory=list)  # the router's provider_summary: health per provider


def tier_for(ratio: float) -> Tier:
    """How much of the run the first-choice path served: below half, the offline result is used."""
    if ratio >= 0.8:
        return "normal"
    if ratio >= 0.5:
        return "partial"
    return "offline"


def dag_order(tasks: Mapping[str, MicroTask]) -> list[str]:
    """The tasks in dependency order; an unknown dependency or a cycle is a programming error."""
    names = set(tasks)
    for t in tasks.values():
        unknown = [d for d in t.deps if d not in names]
        if unknown:
            raise ValueError(f"task {t.name} depends on unknown task(s) {unknown}")
    seen: set[str] = set()
    order: list[str] = []
    pending = dict(tasks)
    while pending:
        ready = [n for n, t in pending.items() if all(d in seen for d in t.deps)]
        if not ready:
            raise ValueError(f"the task graph has a cycle among {sorted(pending)}")
        for n in ready:
            seen.add(n)
            order.append(n)
            del pending[n]
    return order


def success_ratio(tasks: Iterable[MicroTask]) -> float:
    """Share of tasks completed by their first choice (the model, or offline when no model was asked)."""
    tasks = list(tasks)
    if not tasks:
        return 1.0
    ok = sum(1 for t in tasks if t.status == TaskStatus.COMPLETED and t.first_choice)
    return ok / len(tasks)


def target_done(tasks: Mapping[str, MicroTask]) -> bool:
    target = tasks.get(ASSEMBLE) or tasks.get(PLAN)
    return target is None or target.status == TaskStatus.COMPLETED


def first_error(tasks: Iterable[MicroTask]) -> str | None:
    for t in tasks:
        if t.status in (TaskStatus.FAILED, TaskStatus.SKIPPED) and t.error:
            return f"{t.name}: {t.error}"
    return None


def offline_redo(ctx: RunContext) -> None:
    """Below the partial tier, a mix of a few model answers is not trustworthy: use the offline result."""
    if ctx.report is None or ctx.job_final is None:
        return
    ctx.plan = offline_plan(ctx)
    ctx.section_changes = {
        s.id: ctx.engine.section_changes(ctx.resume, s.id, ctx.job_final, ctx.report, ctx.level) for s in ctx.resume.sections
    }
    ctx.assembly = assemble(ctx)


def finish(
    ctx: RunContext,
    tasks: Mapping[str, MicroTask],
    records: list[TaskRecord],
    run_id: str,
    session_id: str,
    status: RunStatusName,
    error: str | None,
    budget_exceeded: bool,
) -> PipelineResult:
    """The run's result; a completed run in the offline tier is redone offline first."""
    ratio = success_ratio(tasks.values())
    tier = tier_for(ratio)
    if status == "completed" and tier == "offline" and ASSEMBLE in tasks:
        try:
            offline_redo(ctx)
        except Exception as exc:  # keep the mixed result rather than lose the run
            error = f"The offline re-run failed ({describe(exc)}); showing the mixed result."
    assembly = ctx.assembly
    changes = assembly.changes if assembly else [c for s in ctx.resume.sections for c in ctx.section_changes.get(s.id, [])]
    return PipelineResult(
        run_id=run_id,
        session_id=session_id,
        status=status,
        tier=tier,
        report=ctx.report,
        plan=ctx.plan,
        changes=changes,
        tasks=records,
        usage=total_usage(tasks.values()),
        score_before=assembly.score_before if assembly else (ctx.report.score if ctx.report else None),
        score_after=assembly.score_after if assembly else None,
        job=ctx.job_final,
        tailored=assembly.tailored if assembly else None,
        diff_stats=assembly.diff_stats if assembly else {},
        suggestions=general_suggestions(ctx),
        budget_exceeded=budget_exceeded,
        error=error,
        success_ratio=round(ratio, 4),
    )
