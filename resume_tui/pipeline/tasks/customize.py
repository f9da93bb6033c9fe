"""customize_<section>: rewriting one section (or a batch of small ones) within the level's actions.

Model output becomes a Change only after ids, length bounds and the guard have judged it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from resume_tui.models import (
    Change,
    ChangeAction,
    Priority,
    Requirement,
    Section,
)
from resume_tui.pipeline import prompts
from resume_tui.pipeline.chunking import (
    CHARS_PER_TOKEN,
    chunk_items,
    fits,
)
from resume_tui.pipeline.progress import task_weight
from resume_tui.pipeline.schemas import SectionRewriteOut
from resume_tui.pipeline.tasks.base import (
    LENGTH_BOUNDS,
    MODEL_CUSTOMIZE_KINDS,
    PLAN,
    MicroTask,
    OutputRejected,
    RunContext,
    _batch_name,
    _norm,
    _request,
)
from resume_tui.providers.base import LLMRequest

ALLOWED_ACTIONS = prompts.ALLOWED_ACTIONS


def _customize_offline(ctx: RunContext, section: Section) -> list[Change]:
    assert ctx.report is not None and ctx.job_final is not None
    return ctx.engine.section_changes(ctx.resume, section.id, ctx.job_final, ctx.report, ctx.level)


def relevant_requirements(ctx: RunContext, section: Section) -> list[Requirement]:
    """Only what this section can serve: planned for it, or evidenced by its items.

    Gaps are left out on purpose (a model shown a gap is tempted to fill it); with nothing
    relevant, the top critical requirements still let it align terminology.
    """
    assert ctx.report is not None and ctx.plan is not None
    wanted = {r for step in ctx.plan.steps if step.section_id == section.id for r in step.requirement_ids}
    item_ids = {i.id for i in section.items}
    wanted |= {e.requirement_id for e in ctx.report.evidence if e.item_id in item_ids}
    reqs = ctx.requirements()
    chosen = [r for r in reqs if r.id in wanted]
    if not chosen:
        gaps = {r.id for r in ctx.report.gaps()}
        chosen = [r for r in reqs if r.priority == Priority.CRITICAL and r.id not in gaps][:5]
    return chosen


def _customize_requests(ctx: RunContext, section: Section, timeout: float, batch: tuple[Section, ...] = ()) -> list[LLMRequest]:
    assert ctx.report is not None and ctx.plan is not None
    if batch:
        key = ("customize", *(s.id for s in batch))
        if key not in ctx.batch_requests:
            wanted = {r.id for s in batch for r in relevant_requirements(ctx, s)}
            reqs = [r for r in ctx.requirements() if r.id in wanted]
            messages = prompts.customize_batch_messages(batch, ctx.plan, reqs, ctx.report, ctx.level, ctx.facts)
            fits_budget = prompts.prompt_chars(messages) <= ctx.text_budget_chars(0)
            ctx.batch_requests[key] = (
                [_request(ctx, _batch_name("customize_", batch), messages, SectionRewriteOut, timeout)] if fits_budget else []
            )
        if ctx.batch_requests[key]:
            return ctx.batch_requests[key]
    plan, reqs, report = ctx.plan, relevant_requirements(ctx, section), ctx.report
    overhead = prompts.prompt_chars(prompts.customize_messages(section, [], plan, reqs, report, ctx.level, True, ctx.facts))
    budget = ctx.text_budget_chars(overhead) // CHARS_PER_TOKEN
    # An item too long for one request is not shown to the model (it cannot be rewritten in part).
    editable = [i for i in section.items if fits(i, budget)]
    groups = chunk_items(editable, budget)
    whole = len(groups) == 1 and len(editable) == len(section.items)
    return [
        _request(
            ctx,
            f"customize_{section.id}",
            prompts.customize_messages(section, group, plan, reqs, report, ctx.level, whole, ctx.facts),
            SectionRewriteOut,
            timeout,
        )
        for group in groups
    ]


def section_length_ratio(section: Section, changes: Sequence[Change]) -> float:
    """Length of the section's text after `changes`, over its original length.

    Computed from the changes themselves (cheap and exact for text length): a replace swaps
    lengths, an insert adds one line, a delete removes one, a reorder changes nothing.
    """
    lengths = {i.id: len(i.text) for i in section.items}
    original = len(section.text())
    new_lengths = dict(lengths)
    added = 0
    for c in changes:
        if c.action == ChangeAction.REPLACE and c.item_id in new_lengths:
            new_lengths[c.item_id] = len(c.after)
        elif c.action == ChangeAction.DELETE and c.item_id in new_lengths:
            del new_lengths[c.item_id]
        elif c.action == ChangeAction.INSERT:
            added += len(c.after) + 1
    kept = list(new_lengths.values())
    new = sum(kept) + max(0, len(kept) - 1) + added
    if original == 0:
        return 1.0 if new == 0 else float("inf")
    return new / original


def _customize_map(
    ctx: RunContext, section: Section, outputs: list[BaseModel], source: str, batch: tuple[Section, ...] = ()
) -> list[Change]:
    if batch:  # keep only this section's part of a shared answer
        outputs = [_own_changes(out, section, batch) for out in outputs]
    items = {i.id: i for i in section.items}
    reqs = {r.id for r in ctx.requirements()}
    all_ids = {i.id for i in ctx.resume.items()}
    allowed = ALLOWED_ACTIONS[ctx.level]
    changes: list[Change] = []
    for out in outputs:
        assert isinstance(out, SectionRewriteOut)
        for c in out.changes:
            action = ChangeAction(c.action)
            item_id = c.item_id.strip() or None  # "" in the schema: none (insert at the top)
            if action not in allowed:
                continue
            if action == ChangeAction.REORDER:
                if len(outputs) > 1 or sorted(c.order or []) != sorted(items):
                    raise OutputRejected("the model's reorder does not list every item of the section exactly once")
            elif action == ChangeAction.INSERT:
                if item_id is not None and item_id not in items:
                    raise OutputRejected(f"the model inserted after an unknown item {item_id!r}")
            elif item_id not in items:
                raise OutputRejected(f"the model changed an unknown item {item_id!r}")
            if action in (ChangeAction.REPLACE, ChangeAction.INSERT) and not c.after.strip():
                raise OutputRejected("the model proposed an empty replacement")
            before = items[item_id].text if item_id in items and action != ChangeAction.INSERT else ""
            if action == ChangeAction.REPLACE and _norm(before) == _norm(c.after):
                continue
            changes.append(
                Change(
                    id=f"{section.id}.c{len(changes) + 1}",
                    section_id=section.id,
                    item_id=item_id,
                    action=action,
                    before=before,
                    after=c.after.strip() if action != ChangeAction.DELETE else "",
                    order=list(c.order) if action == ChangeAction.REORDER and c.order else None,
                    rationale=c.rationale.strip(),
                    requirement_ids=[r for r in c.requirement_ids if r in reqs],
                    evidence_item_ids=[i for i in c.evidence_item_ids if i in all_ids],
                    source=source,
                )
            )
    if not changes:
        return []  # "nothing to change here" is a valid answer
    ratio = section_length_ratio(section, changes)
    low, high = LENGTH_BOUNDS
    if not low <= ratio <= high:
        raise OutputRejected(
            f"the rewritten section is {ratio:.1f}× its original length (allowed {low}–{high}×)", to_offline=True
        )
    # Model output becomes a Change only after the guard has judged it.
    return ctx.guard(changes)


def _own_changes(out: BaseModel, section: Section, batch: tuple[Section, ...]) -> SectionRewriteOut:
    assert isinstance(out, SectionRewriteOut)
    owner = {i.id: s.id for s in batch for i in s.items}

    def section_of(c) -> str | None:
        anchor = c.order[0] if c.action == "reorder" and c.order else c.item_id
        return owner.get(anchor.strip())

    # A change naming no item of the batch (or an unknown one) is this section's problem only
    # if it is the first member: it is then rejected once, not silently dropped everywhere.
    first = section.id == batch[0].id
    return SectionRewriteOut(changes=[c for c in out.changes if section_of(c) == section.id or (first and section_of(c) is None)])


def _customize_commit(ctx: RunContext, section: Section, changes: list[Change]) -> None:
    ctx.section_changes[section.id] = changes


def _dump_changes(ctx: RunContext, changes: list[Change]) -> Any:
    return [c.model_dump(mode="json") for c in changes]


def _restore_changes(ctx: RunContext, section_id: str, data: Any) -> None:
    ctx.section_changes[section_id] = [Change.model_validate(c) for c in data]


def customize_task(section: Section, timeout: float, batch: tuple[Section, ...] = ()) -> MicroTask:
    """Rewriting one section once the plan exists; `batch` as for analyze_task."""
    name = f"customize_{section.id}"
    return MicroTask(
        name=name,
        deps=(PLAN,),
        hard_deps=(PLAN,),
        timeout=timeout,
        weight=task_weight(name, section.kind),
        section_id=section.id,
        kind=section.kind,
        offline=lambda ctx: _customize_offline(ctx, section),
        requests=(lambda ctx: _customize_requests(ctx, section, timeout, batch))
        if section.kind in MODEL_CUSTOMIZE_KINDS
        else None,
        map_output=lambda ctx, outs, src: _customize_map(ctx, section, outs, src, batch),
        commit=lambda ctx, changes: _customize_commit(ctx, section, changes),
        dump=_dump_changes,
        restore=lambda ctx, data: _restore_changes(ctx, section.id, data),
    )
