"""assemble_validate: guard every change again in whole-resume context, apply, score.

The last task of a run, and the only one that builds the tailored resume.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from resume_tui.models import (
    Change,
    ChangeAction,
    Resume,
    Verdict,
)
from resume_tui.pipeline.progress import task_weight
from resume_tui.pipeline.tasks.base import (
    ASSEMBLE,
    PLAN,
    Assembly,
    MicroTask,
    RunContext,
)


def diff_stats(original: Resume, tailored: Resume, changes: Sequence[Change]) -> dict[str, Any]:
    by_action: dict[str, int] = {}
    by_verdict: dict[str, int] = {}
    by_section: dict[str, int] = {}
    for c in changes:
        by_action[c.action.value] = by_action.get(c.action.value, 0) + 1
        by_verdict[c.verdict.value] = by_verdict.get(c.verdict.value, 0) + 1
        by_section[c.section_id] = by_section.get(c.section_id, 0) + 1
    return {
        "changes": len(changes),
        "by_action": by_action,
        "by_verdict": by_verdict,
        "by_section": by_section,
        "chars_before": len(original.full_text()),
        "chars_after": len(tailored.full_text()),
        "sections": len(tailored.sections),
    }


def keeps_layout(original: Resume, tailored: Resume) -> bool:
    """Every original section is still there, in its original order (a new summary may be added)."""
    wanted = [(s.id, s.title, s.kind) for s in original.sections]
    have = iter((s.id, s.title, s.kind) for s in tailored.sections)
    return all(any(w == h for h in have) for w in wanted)


def assemble(ctx: RunContext) -> Assembly:
    """Guard every change again in whole-resume context, apply the safe ones, score before/after."""
    assert ctx.job_final is not None
    ordered: list[Change] = []
    for section in ctx.resume.sections:
        ordered.extend(ctx.section_changes.get(section.id, []))
    guarded = ctx.guard(ordered)
    safe = [c for c in guarded if c.verdict == Verdict.SAFE]
    tailored = ctx.apply(safe)
    if not keeps_layout(ctx.resume, tailored):
        # Never lose or move a section: keep only in-place edits and check again.
        safe = [c for c in safe if c.action in (ChangeAction.REPLACE, ChangeAction.INSERT)]
        tailored = ctx.apply(safe)
        if not keeps_layout(ctx.resume, tailored):
            raise RuntimeError("applying the changes would drop or move a section")
        kept = {c.id for c in safe}
        guarded = [
            c
            if c.id in kept or c.verdict != Verdict.SAFE
            else c.model_copy(update={"verdict": Verdict.BLOCKED, "reasons": [*c.reasons, "would drop or move a section"]})
            for c in guarded
        ]
    return Assembly(
        changes=guarded,
        tailored=tailored,
        score_before=ctx.engine.score(ctx.resume, ctx.job_final),
        score_after=ctx.engine.score(tailored, ctx.job_final),
        diff_stats=diff_stats(ctx.resume, tailored, guarded),
    )


def _assemble_commit(ctx: RunContext, assembly: Assembly) -> None:
    ctx.assembly = assembly


def _dump_assembly(ctx: RunContext, a: Assembly) -> Any:
    return {
        "changes": [c.model_dump(mode="json") for c in a.changes],
        "tailored": a.tailored.model_dump(mode="json"),
        "score_before": a.score_before,
        "score_after": a.score_after,
        "diff_stats": a.diff_stats,
    }


def _restore_assembly(ctx: RunContext, data: Any) -> None:
    ctx.assembly = Assembly(
        changes=[Change.model_validate(c) for c in data["changes"]],
        tailored=Resume.model_validate(data["tailored"]),
        score_before=float(data["score_before"]),
        score_after=float(data["score_after"]),
        diff_stats=dict(data.get("diff_stats", {})),
    )


def assemble_task(customize_names: Sequence[str], timeout: float) -> MicroTask:
    """Runs after every customize task (or right after the plan for an empty resume)."""
    return MicroTask(
        name=ASSEMBLE,
        deps=tuple(customize_names) or (PLAN,),
        hard_deps=(PLAN,),
        timeout=timeout,
        weight=task_weight(ASSEMBLE),
        offline=assemble,
        commit=_assemble_commit,
        dump=_dump_assembly,
        restore=_restore_assembly,
    )
