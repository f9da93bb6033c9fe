"""The DAG: which tasks a run has, what each depends on, and which calls it plans to make.

extract ∥ analyze_<s>… → generate_plan → customize_<s>… → assemble_validate.
"""

from __future__ import annotations

from dataclasses import dataclass

from resume_tui.models import Resume, SectionKind
from resume_tui.pipeline.tasks.analyze import analyze_task, extract_task
from resume_tui.pipeline.tasks.assemble import assemble_task
from resume_tui.pipeline.tasks.base import (
    ANALYZE_BATCH_CHARS,
    CUSTOMIZE_BATCH_CHARS,
    CUSTOMIZE_SMALL_CHARS,
    EXTRACT,
    MODEL_ANALYZE_KINDS,
    MODEL_CUSTOMIZE_KINDS,
    PLAN,
    MicroTask,
    _batch_name,
    plan_batches,
)
from resume_tui.pipeline.tasks.customize import customize_task
from resume_tui.pipeline.tasks.plan import plan_task


@dataclass(frozen=True)
class Timeouts:
    extract: float = 30.0
    other: float = 45.0


def build_tasks(
    resume: Resume, *, timeouts: Timeouts = Timeouts(), analyze_only: bool = False, batch: bool = True
) -> list[MicroTask]:
    """extract ∥ analyze_<s>… → generate_plan → customize_<s>… → assemble_validate.

    With `batch`, small sections' analyze (and customize) tasks share one model call each
    (see plan_batches); without it every task makes its own calls.
    """
    eligible = [s for s in resume.sections if s.kind in MODEL_ANALYZE_KINDS]
    analyze_batches = plan_batches(eligible, max_chars=ANALYZE_BATCH_CHARS) if batch else {}
    analyze = [analyze_task(s, timeouts.other, analyze_batches.get(s.id, ())) for s in resume.sections]
    tasks = [extract_task(timeouts.extract), *analyze, plan_task([t.name for t in analyze], timeouts.other)]
    if analyze_only:
        return tasks
    customize_batches = (
        plan_batches(
            [s for s in resume.sections if s.kind in MODEL_CUSTOMIZE_KINDS],
            max_chars=CUSTOMIZE_BATCH_CHARS,
            max_section_chars=CUSTOMIZE_SMALL_CHARS,
        )
        if batch
        else {}
    )
    customize = [customize_task(s, timeouts.other, customize_batches.get(s.id, ())) for s in resume.sections]
    return [*tasks, *customize, assemble_task([t.name for t in customize], timeouts.other)]


def model_calls(resume: Resume, *, batch: bool = True, analyze_only: bool = False) -> list[tuple[str, tuple[str, ...]]]:
    """The model calls a run plans to make (one per chunk aside), as (request task name, section ids).

    For pre-run estimates: factual sections never reach a model, and batched small sections
    share one call ("analyze_s0+s2"), so counting one call per section overestimates.
    """
    out: list[tuple[str, tuple[str, ...]]] = [(EXTRACT, ())]
    stages: list[tuple[str, frozenset[SectionKind], int, int | None]] = [("analyze_", MODEL_ANALYZE_KINDS, ANALYZE_BATCH_CHARS, None)]
    if not analyze_only:
        stages.append(("customize_", MODEL_CUSTOMIZE_KINDS, CUSTOMIZE_BATCH_CHARS, CUSTOMIZE_SMALL_CHARS))
    for prefix, kinds, max_chars, max_section in stages:
        eligible = [s for s in resume.sections if s.kind in kinds]
        batches = plan_batches(eligible, max_chars=max_chars, max_section_chars=max_section) if batch else {}
        seen: set[str] = set()
        for section in eligible:
            group = batches.get(section.id, (section,))
            if group[0].id in seen:
                continue
            seen.add(group[0].id)
            ids = tuple(s.id for s in group)
            out.append((_batch_name(prefix, group) if len(group) > 1 else f"{prefix}{section.id}", ids))
        if prefix == "analyze_":
            out.append((PLAN, tuple(s.id for s in resume.sections)))
    return out
