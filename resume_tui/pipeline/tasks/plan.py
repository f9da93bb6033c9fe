"""generate_plan: which section serves which requirement, from the gap report and the analyses.

The gap report is always deterministic; the model only proposes the plan, and a plan that
names no section of this resume falls back to `offline_plan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from resume_tui.models import (
    CustomizationLevel,
    GapReport,
    JobDescription,
    MatchStatus,
    Plan,
    PlanStep,
    Priority,
)
from resume_tui.pipeline import prompts
from resume_tui.pipeline.chunking import (
    CHARS_PER_TOKEN,
)
from resume_tui.pipeline.progress import task_weight
from resume_tui.pipeline.schemas import PlanOut
from resume_tui.pipeline.tasks.base import (
    EXTRACT,
    PLAN,
    MicroTask,
    OutputRejected,
    RunContext,
    _request,
)
from resume_tui.providers.base import LLMRequest


def _plan_prepare(ctx: RunContext) -> None:
    """The gap report is deterministic whatever path extracted the requirements."""
    job = ctx.job_final or ctx.offline_job()
    ctx.job_final = job
    ctx.report = ctx.engine.analyze(ctx.resume, job)


def offline_plan(ctx: RunContext) -> Plan:
    """A plan from the gap report alone; also the fallback when the model's plan is unusable."""
    assert ctx.report is not None
    report = ctx.report
    section_of: dict[str, list[str]] = {}
    for ev in report.evidence:
        sec = ctx.resume.section_of(ev.item_id)
        if sec is not None:
            section_of.setdefault(sec.id, []).append(ev.requirement_id)
    verbs = {
        CustomizationLevel.LIGHT: "Align terminology and order items by relevance",
        CustomizationLevel.MODERATE: "Rewrite bullets to foreground evidence",
        CustomizationLevel.EXTENSIVE: "Rewrite and restructure to foreground evidence",
    }
    steps = []
    for section in ctx.resume.sections:
        req_ids = list(dict.fromkeys(section_of.get(section.id, [])))
        if not req_ids:
            continue
        steps.append(
            PlanStep(section_id=section.id, goal=f"{verbs[ctx.level]} for {', '.join(req_ids)}", requirement_ids=req_ids)
        )
    notes = [f"No evidence for {r.id} ({r.text}); add it only if true." for r in report.gaps()]
    return Plan(level=ctx.level, steps=steps, notes=notes, source="offline")


def _insights(ctx: RunContext) -> str:
    lines = []
    for section in ctx.resume.sections:
        a = ctx.analyses.get(section.id)
        if a is None:
            continue
        bits = [f"skills: {', '.join(a.skills[:20])}" if a.skills else "no skills found"]
        bits.extend(a.notes[:3])
        lines.append(f"{section.id}: " + "; ".join(bits))
    return "\n".join(lines)


def _plan_requests(ctx: RunContext, timeout: float) -> list[LLMRequest]:
    assert ctx.report is not None
    messages = prompts.plan_messages(ctx.resume.sections, ctx.requirements(), ctx.report, _insights(ctx), ctx.level)
    if prompts.prompt_chars(messages) > ctx.max_request_tokens * CHARS_PER_TOKEN:
        # The plan needs the whole picture; summarise harder rather than split it.
        messages = prompts.plan_messages(ctx.resume.sections, ctx.requirements(), ctx.report, "", ctx.level)
    if prompts.prompt_chars(messages) > ctx.max_request_tokens * CHARS_PER_TOKEN:
        return []  # too big even summarised: the offline plan serves
    return [_request(ctx, PLAN, messages, PlanOut, timeout)]


def _plan_map(ctx: RunContext, outputs: list[BaseModel], source: str) -> Plan:
    (out,) = outputs
    assert isinstance(out, PlanOut)
    sections = {s.id for s in ctx.resume.sections}
    reqs = {r.id for r in ctx.requirements()}
    steps = [
        PlanStep(section_id=s.section_id, goal=s.goal.strip(), requirement_ids=[r for r in s.requirement_ids if r in reqs])
        for s in out.steps
        if s.section_id in sections and s.goal.strip()
    ]
    if out.steps and not steps:
        raise OutputRejected("the model's plan names no section of this resume")
    return Plan(level=ctx.level, steps=steps, notes=[n for n in out.notes if n.strip()], source=source)


def _plan_commit(ctx: RunContext, plan: Plan) -> None:
    ctx.plan = plan


def _dump_plan(ctx: RunContext, plan: Plan) -> Any:
    assert ctx.report is not None and ctx.job_final is not None
    return {
        "plan": plan.model_dump(mode="json"),
        "report": ctx.report.model_dump(mode="json"),
        "job": ctx.job_final.model_dump(mode="json"),
    }


def _restore_plan(ctx: RunContext, data: Any) -> None:
    ctx.plan = Plan.model_validate(data["plan"])
    ctx.report = GapReport.model_validate(data["report"])
    ctx.job_final = JobDescription.model_validate(data["job"])


def general_suggestions(ctx: RunContext) -> list[str]:
    """Advice that needs no model: gaps to fill only if true, and missing keywords."""
    out: list[str] = []
    report = ctx.report
    if report is None:
        return out
    for req in report.gaps():
        prefix = "Must-have" if req.priority == Priority.CRITICAL else "Requirement"
        out.append(f"{prefix} with no evidence in your resume: “{req.text}” — add it only if it is true.")
    partial = [m for m in report.matches if m.status == MatchStatus.PARTIAL]
    if partial:
        out.append(f"{len(partial)} requirement(s) are only partly evidenced; name the tools and results explicitly where true.")
    if report.missing_keywords:
        out.append("Keywords from the posting not found in your resume: " + ", ".join(report.missing_keywords[:15]) + ".")
    return out


def plan_task(analyze_names: Sequence[str], timeout: float) -> MicroTask:
    """The plan waits for every analysis but needs only the requirements to have succeeded."""
    return MicroTask(
        name=PLAN,
        deps=(EXTRACT, *analyze_names),
        hard_deps=(EXTRACT,),
        timeout=timeout,
        weight=task_weight(PLAN),
        prepare=_plan_prepare,
        offline=offline_plan,
        requests=lambda ctx: _plan_requests(ctx, timeout),
        map_output=_plan_map,
        commit=_plan_commit,
        dump=_dump_plan,
        restore=_restore_plan,
    )
