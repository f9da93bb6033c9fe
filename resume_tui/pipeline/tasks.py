"""The micro-tasks: what each one needs, its offline path, and its LLM path.

Each task is data (name, deps, timeout, weight) plus three functions: `requests` builds the
LLMRequests (chunked to the token budget), `map_output` turns validated model output into
domain objects (raising `OutputRejected` when the answer is not usable), and `offline`
computes the same thing deterministically. The orchestrator decides which path runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from resume_tui.models import (
    Change,
    ChangeAction,
    CustomizationLevel,
    Evidence,
    GapReport,
    JobDescription,
    MatchStatus,
    Plan,
    PlanStep,
    Priority,
    Requirement,
    RequirementCategory,
    Resume,
    Section,
    SectionKind,
    TaskRecord,
    TaskStatus,
    Usage,
    Verdict,
)
from resume_tui.pipeline import prompts
from resume_tui.pipeline.chunking import (
    CHARS_PER_TOKEN,
    chunk_items,
    chunk_text,
    estimate_tokens,
    fits,
    render_items,
    split_oversized,
)
from resume_tui.pipeline.offline import OfflineEngine
from resume_tui.pipeline.progress import task_weight
from resume_tui.pipeline.schemas import PlanOut, RequirementsOut, SectionAnalysisOut, SectionRewriteOut
from resume_tui.providers.base import LLMRequest

EXTRACT = "extract_requirements"
PLAN = "generate_plan"
ASSEMBLE = "assemble_validate"
LENGTH_BOUNDS = (0.5, 2.0)

# Which sections a model is asked about. Prose is where a model helps; a skills list is read
# exactly by the lexicon, and factual lists (education, certifications, languages, awards,
# publications, interests) have nothing to rewrite honestly — their deterministic path is
# both better and free, and every call saved is latency and tokens saved.
MODEL_ANALYZE_KINDS = frozenset(
    {SectionKind.SUMMARY, SectionKind.EXPERIENCE, SectionKind.PROJECTS, SectionKind.VOLUNTEERING, SectionKind.OTHER}
)
MODEL_CUSTOMIZE_KINDS = MODEL_ANALYZE_KINDS | {SectionKind.SKILLS}  # skills: align terminology with the posting

# Batching: each call carries a fixed cost (system prompt, output schema, instructions), so
# small sections share one call while keeping one task — one progress row, one offline
# fallback — each. Analysis (reading) batches every eligible section up to a size; rewriting
# batches only small sections, so a long one (experience) keeps its own focused call and
# runs in parallel with the rest.
ANALYZE_BATCH_CHARS = 4000
CUSTOMIZE_SMALL_CHARS = 700
CUSTOMIZE_BATCH_CHARS = 1500


def _rendered_chars(section: Section) -> int:
    return len(render_items(section.items))


def plan_batches(sections: Sequence[Section], *, max_chars: int, max_section_chars: int | None = None) -> dict[str, tuple[Section, ...]]:
    """Section id → the sections sharing its call (only groups of two or more), packed in reading order."""
    groups: list[list[Section]] = []
    current: list[Section] = []
    size = 0
    for section in sections:
        chars = _rendered_chars(section)
        if max_section_chars is not None and chars > max_section_chars or chars > max_chars:
            continue
        if current and size + chars > max_chars:
            groups.append(current)
            current, size = [], 0
        current.append(section)
        size += chars
    if current:
        groups.append(current)
    return {s.id: tuple(g) for g in groups if len(g) > 1 for s in g}


class OutputRejected(Exception):
    """The model answered in schema but the answer is unusable (invented quote, unknown id…)."""

    def __init__(self, message: str, *, to_offline: bool = False) -> None:
        super().__init__(message)
        self.to_offline = to_offline  # skip the rest of the chain: the offline path is the remedy


@dataclass
class SectionAnalysis:
    section_id: str
    evidence: list[Evidence] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: str = "offline"


@dataclass
class Assembly:
    changes: list[Change]
    tailored: Resume
    score_before: float
    score_after: float
    diff_stats: dict[str, Any]


@dataclass
class RunContext:
    """Everything tasks read and write during one run (single event loop, no locking needed)."""

    resume: Resume
    job: JobDescription
    level: CustomizationLevel
    engine: OfflineEngine
    max_request_tokens: int = 6000
    offline_job_cache: JobDescription | None = None
    job_final: JobDescription | None = None
    analyses: dict[str, SectionAnalysis] = field(default_factory=dict)
    report: GapReport | None = None
    plan: Plan | None = None
    section_changes: dict[str, list[Change]] = field(default_factory=dict)
    assembly: Assembly | None = None
    # Batched requests, built once per batch: every member task gets the very same objects,
    # which is how the orchestrator knows to make one call for all of them.
    batch_requests: dict[tuple[str, ...], list[LLMRequest]] = field(default_factory=dict)

    def offline_job(self) -> JobDescription:
        if self.offline_job_cache is None:
            self.offline_job_cache = self.engine.parse_job(self.job)
        return self.offline_job_cache

    def requirements(self) -> list[Requirement]:
        job = self.job_final or self.offline_job()
        return job.requirements

    def text_budget_chars(self, overhead_chars: int) -> int:
        """Characters of document text that fit in one request next to the prompt's own text."""
        return max(200, self.max_request_tokens * CHARS_PER_TOKEN - overhead_chars - 16)


@dataclass
class MicroTask:
    name: str
    deps: tuple[str, ...] = ()
    hard_deps: tuple[str, ...] = ()  # must have COMPLETED; others only need to have finished
    timeout: float = 45.0
    weight: float = 0.1
    section_id: str | None = None
    kind: SectionKind | None = None
    offline: Callable[[RunContext], Any] | None = None
    requests: Callable[[RunContext], list[LLMRequest]] | None = None
    map_output: Callable[[RunContext, list[BaseModel], str], Any] | None = None
    commit: Callable[[RunContext, Any], None] | None = None
    prepare: Callable[[RunContext], None] | None = None
    # JSON form of the committed result (persisted with task_completed) and its inverse, so an
    # interrupted run can be resumed without redoing finished tasks.
    dump: Callable[[RunContext, Any], Any] | None = None
    restore: Callable[[RunContext, Any], None] | None = None
    # runtime state (the orchestrator owns it)
    status: TaskStatus = TaskStatus.PENDING
    started: float | None = None
    finished: float | None = None
    attempts: int = 0
    usage: Usage = field(default_factory=Usage)
    provider: str | None = None
    fallback: bool = False
    first_choice: bool = False
    error: str | None = None
    progress: float = 0.0
    record: TaskRecord | None = None

    @property
    def tokens(self) -> int:
        return self.usage.total_tokens

    @property
    def cost(self) -> float:
        return self.usage.cost_usd

    def elapsed(self, now: float) -> float:
        if self.started is None:
            return 0.0
        return (self.finished if self.finished is not None else now) - self.started


# --------------------------------------------------------------------------- helpers


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _section_only(resume: Resume, section: Section) -> Resume:
    return resume.model_copy(update={"sections": [section]})


def _request(ctx: RunContext, task: str, messages, schema, timeout: float) -> LLMRequest:
    return LLMRequest(task=task, messages=messages, schema=schema, timeout_s=timeout, level=ctx.level.value)


def _canonical(term: str) -> str:
    from resume_tui.analysis.lexicon import default_lexicon

    return default_lexicon().canonical(term) or term.strip().lower()


# --------------------------------------------------------------------------- extract_requirements


def _extract_offline(ctx: RunContext) -> JobDescription:
    return ctx.offline_job()


def _extract_requests(ctx: RunContext, timeout: float) -> list[LLMRequest]:
    overhead = prompts.prompt_chars(prompts.extract_messages("", 99999, 99999))
    chunks = chunk_text(ctx.job.text, ctx.text_budget_chars(overhead) // CHARS_PER_TOKEN)
    return [
        _request(ctx, EXTRACT, prompts.extract_messages(chunk, n, len(chunks)), RequirementsOut, timeout)
        for n, chunk in enumerate(chunks, 1)
    ]


def _extract_map(ctx: RunContext, outputs: list[BaseModel], source: str) -> JobDescription:
    base = ctx.offline_job()  # injection attempts and warnings come from the deterministic parse
    jd = _norm(ctx.job.text)
    seen: set[str] = set()
    requirements: list[Requirement] = []
    offered = 0
    title = company = None
    for out in outputs:
        assert isinstance(out, RequirementsOut)
        title = title or out.title.strip() or None
        company = company or out.company.strip() or None
        for req in out.requirements:
            offered += 1
            key = _norm(req.text)
            if not key or key not in jd or key in seen:
                continue
            seen.add(key)
            requirements.append(
                Requirement(
                    id=f"r{len(requirements) + 1}",
                    text=req.text.strip(),
                    category=RequirementCategory(req.category),
                    priority=Priority(req.priority),
                    keywords=list(dict.fromkeys(_canonical(k) for k in req.keywords if k.strip())),
                    years=req.years or None,
                    degree=req.degree.strip() or None,
                )
            )
    if not requirements:
        raise OutputRejected("the model quoted no requirement from the job description")
    if len(requirements) < offered / 2:
        raise OutputRejected("most requirements the model gave are not quotes from the job description")
    return base.model_copy(
        update={"requirements": requirements, "title": base.title or title, "company": base.company or company}
    )


def _extract_commit(ctx: RunContext, job: JobDescription) -> None:
    ctx.job_final = job


# --------------------------------------------------------------------------- analyze_<section>


def _analyze_offline(ctx: RunContext, section: Section) -> SectionAnalysis:
    report = ctx.engine.analyze(_section_only(ctx.resume, section), ctx.offline_job())
    skills = sorted({k for m in report.matches for k in m.matched_keywords})
    return SectionAnalysis(section.id, evidence=list(report.evidence), skills=skills, source="offline")


def _batch_name(prefix: str, batch: Sequence[Section]) -> str:
    return prefix + "+".join(s.id for s in batch)  # "analyze_s0+s1+s5": routed like any analyze_ task


def _analyze_requests(ctx: RunContext, section: Section, timeout: float, batch: tuple[Section, ...] = ()) -> list[LLMRequest]:
    if batch:
        key = ("analyze", *(s.id for s in batch))
        if key not in ctx.batch_requests:
            messages = prompts.analyze_batch_messages(batch)
            fits_budget = prompts.prompt_chars(messages) <= ctx.text_budget_chars(0)
            ctx.batch_requests[key] = (
                [_request(ctx, _batch_name("analyze_", batch), messages, SectionAnalysisOut, timeout)] if fits_budget else []
            )
        if ctx.batch_requests[key]:
            return ctx.batch_requests[key]
    overhead = prompts.prompt_chars(prompts.analyze_messages(section, []))
    budget = ctx.text_budget_chars(overhead) // CHARS_PER_TOKEN
    groups = chunk_items(split_oversized(section.items, budget), budget)
    return [
        _request(ctx, f"analyze_{section.id}", prompts.analyze_messages(section, group), SectionAnalysisOut, timeout)
        for group in groups
    ]


def _analyze_map(
    ctx: RunContext, section: Section, outputs: list[BaseModel], source: str, batch: tuple[Section, ...] = ()
) -> SectionAnalysis:
    items = {i.id: i for i in section.items}
    others = {i.id for s in batch if s.id != section.id for i in s.items}
    evidence: list[Evidence] = []
    skills: list[str] = []
    notes: list[str] = []
    for out in outputs:
        assert isinstance(out, SectionAnalysisOut)
        notes.extend(_own_notes(out.notes, section, batch))
        for h in out.highlights:
            if h.item_id in others:
                continue  # another member of the batch reads its own part of the answer
            item = items.get(h.item_id)
            if item is None or _norm(h.quote) not in _norm(item.text):
                raise OutputRejected(f"the model quoted text that is not in item {h.item_id!r}")
            skills.extend(h.skills)
            evidence.append(Evidence(requirement_id="", item_id=item.id, quote=h.quote.strip(), strength=1.0))
    return SectionAnalysis(section.id, evidence=evidence, skills=list(dict.fromkeys(skills)), notes=notes, source=source)


def _own_notes(notes: Sequence[str], section: Section, batch: tuple[Section, ...]) -> list[str]:
    """A batched answer prefixes notes with a section id ("s1: …"); unprefixed ones go to the first section."""
    if not batch:
        return [n for n in notes if n.strip()]
    out = []
    for note in (n.strip() for n in notes):
        m = re.match(r"\[?(s\d+)\]?\s*[:\-–]\s*(.*)", note, re.S)
        if m and any(s.id == m.group(1) for s in batch):
            if m.group(1) == section.id and m.group(2).strip():
                out.append(m.group(2).strip())
        elif note and section.id == batch[0].id:
            out.append(note)
    return out


def _analyze_commit(ctx: RunContext, analysis: SectionAnalysis) -> None:
    ctx.analyses[analysis.section_id] = analysis


# --------------------------------------------------------------------------- generate_plan


def _plan_prepare(ctx: RunContext) -> None:
    """The gap report is deterministic whatever path extracted the requirements."""
    job = ctx.job_final or ctx.offline_job()
    ctx.job_final = job
    ctx.report = ctx.engine.analyze(ctx.resume, job)


def offline_plan(ctx: RunContext) -> Plan:
    """A plan from the gap report alone; also the fallback when the model's plan is unusable."""
    assert ctx.report is not None
    report = ctx.report
    section_of = {}
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
        steps.append(PlanStep(section_id=section.id, goal=f"{verbs[ctx.level]} for {', '.join(req_ids)}", requirement_ids=req_ids))
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


# --------------------------------------------------------------------------- customize_<section>

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
            messages = prompts.customize_batch_messages(batch, ctx.plan, reqs, ctx.report, ctx.level)
            fits_budget = prompts.prompt_chars(messages) <= ctx.text_budget_chars(0)
            ctx.batch_requests[key] = (
                [_request(ctx, _batch_name("customize_", batch), messages, SectionRewriteOut, timeout)] if fits_budget else []
            )
        if ctx.batch_requests[key]:
            return ctx.batch_requests[key]
    plan, reqs, report = ctx.plan, relevant_requirements(ctx, section), ctx.report
    overhead = prompts.prompt_chars(prompts.customize_messages(section, [], plan, reqs, report, ctx.level, True))
    budget = ctx.text_budget_chars(overhead) // CHARS_PER_TOKEN
    # An item too long for one request is not shown to the model (it cannot be rewritten in part).
    editable = [i for i in section.items if fits(i, budget)]
    groups = chunk_items(editable, budget)
    whole = len(groups) == 1 and len(editable) == len(section.items)
    return [
        _request(
            ctx,
            f"customize_{section.id}",
            prompts.customize_messages(section, group, plan, reqs, report, ctx.level, whole),
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
    return ctx.engine.guard(changes, ctx.resume, ctx.job_final)


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


# --------------------------------------------------------------------------- assemble_validate


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
    guarded = ctx.engine.guard(ordered, ctx.resume, ctx.job_final)
    safe = [c for c in guarded if c.verdict == Verdict.SAFE]
    tailored = ctx.engine.apply(ctx.resume, safe, ctx.job_final)
    if not keeps_layout(ctx.resume, tailored):
        # Never lose or move a section: keep only in-place edits and check again.
        safe = [c for c in safe if c.action in (ChangeAction.REPLACE, ChangeAction.INSERT)]
        tailored = ctx.engine.apply(ctx.resume, safe, ctx.job_final)
        if not keeps_layout(ctx.resume, tailored):
            raise RuntimeError("applying the changes would drop or move a section")
        kept = {c.id for c in safe}
        guarded = [
            c if c.id in kept or c.verdict != Verdict.SAFE
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


# --------------------------------------------------------------------------- resume support


def _dump_job(ctx: RunContext, job: JobDescription) -> Any:
    return job.model_dump(mode="json")


def _restore_job(ctx: RunContext, data: Any) -> None:
    ctx.job_final = JobDescription.model_validate(data)


def _dump_analysis(ctx: RunContext, a: SectionAnalysis) -> Any:
    return {
        "section_id": a.section_id,
        "evidence": [e.model_dump(mode="json") for e in a.evidence],
        "skills": a.skills,
        "notes": a.notes,
        "source": a.source,
    }


def _restore_analysis(ctx: RunContext, data: Any) -> None:
    a = SectionAnalysis(
        section_id=data["section_id"],
        evidence=[Evidence.model_validate(e) for e in data.get("evidence", [])],
        skills=list(data.get("skills", [])),
        notes=list(data.get("notes", [])),
        source=data.get("source", "offline"),
    )
    ctx.analyses[a.section_id] = a


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


def _dump_changes(ctx: RunContext, changes: list[Change]) -> Any:
    return [c.model_dump(mode="json") for c in changes]


def _restore_changes(ctx: RunContext, section_id: str, data: Any) -> None:
    ctx.section_changes[section_id] = [Change.model_validate(c) for c in data]


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


# --------------------------------------------------------------------------- the DAG


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
    tasks: list[MicroTask] = [
        MicroTask(
            name=EXTRACT,
            timeout=timeouts.extract,
            weight=task_weight(EXTRACT),
            offline=_extract_offline,
            requests=lambda ctx, t=timeouts.extract: _extract_requests(ctx, t),
            map_output=_extract_map,
            commit=_extract_commit,
            dump=_dump_job,
            restore=_restore_job,
        )
    ]
    eligible = [s for s in resume.sections if s.kind in MODEL_ANALYZE_KINDS]
    analyze_batches = plan_batches(eligible, max_chars=ANALYZE_BATCH_CHARS) if batch else {}
    analyze_names = []
    for section in resume.sections:
        batch_of = analyze_batches.get(section.id, ())
        name = f"analyze_{section.id}"
        analyze_names.append(name)
        tasks.append(
            MicroTask(
                name=name,
                timeout=timeouts.other,
                weight=task_weight(name, section.kind),
                section_id=section.id,
                kind=section.kind,
                offline=lambda ctx, s=section: _analyze_offline(ctx, s),
                requests=(lambda ctx, s=section, t=timeouts.other, b=batch_of: _analyze_requests(ctx, s, t, b))
                if section.kind in MODEL_ANALYZE_KINDS
                else None,
                map_output=lambda ctx, outs, src, s=section, b=batch_of: _analyze_map(ctx, s, outs, src, b),
                commit=_analyze_commit,
                dump=_dump_analysis,
                restore=_restore_analysis,
            )
        )
    tasks.append(
        MicroTask(
            name=PLAN,
            deps=(EXTRACT, *analyze_names),
            hard_deps=(EXTRACT,),
            timeout=timeouts.other,
            weight=task_weight(PLAN),
            prepare=_plan_prepare,
            offline=offline_plan,
            requests=lambda ctx, t=timeouts.other: _plan_requests(ctx, t),
            map_output=_plan_map,
            commit=_plan_commit,
            dump=_dump_plan,
            restore=_restore_plan,
        )
    )
    if analyze_only:
        return tasks
    customize_batches = plan_batches(
        [s for s in resume.sections if s.kind in MODEL_CUSTOMIZE_KINDS],
        max_chars=CUSTOMIZE_BATCH_CHARS,
        max_section_chars=CUSTOMIZE_SMALL_CHARS,
    ) if batch else {}
    customize_names = []
    for section in resume.sections:
        batch_of = customize_batches.get(section.id, ())
        name = f"customize_{section.id}"
        customize_names.append(name)
        tasks.append(
            MicroTask(
                name=name,
                deps=(PLAN,),
                hard_deps=(PLAN,),
                timeout=timeouts.other,
                weight=task_weight(name, section.kind),
                section_id=section.id,
                kind=section.kind,
                offline=lambda ctx, s=section: _customize_offline(ctx, s),
                requests=(lambda ctx, s=section, t=timeouts.other, b=batch_of: _customize_requests(ctx, s, t, b))
                if section.kind in MODEL_CUSTOMIZE_KINDS
                else None,
                map_output=lambda ctx, outs, src, s=section, b=batch_of: _customize_map(ctx, s, outs, src, b),
                commit=lambda ctx, changes, s=section: _customize_commit(ctx, s, changes),
                dump=_dump_changes,
                restore=lambda ctx, data, s=section: _restore_changes(ctx, s.id, data),
            )
        )
    tasks.append(
        MicroTask(
            name=ASSEMBLE,
            deps=tuple(customize_names) or (PLAN,),
            hard_deps=(PLAN,),
            timeout=timeouts.other,
            weight=task_weight(ASSEMBLE),
            offline=assemble,
            commit=_assemble_commit,
            dump=_dump_assembly,
            restore=_restore_assembly,
        )
    )
    return tasks


def model_calls(resume: Resume, *, batch: bool = True, analyze_only: bool = False) -> list[tuple[str, tuple[str, ...]]]:
    """The model calls a run plans to make (one per chunk aside), as (request task name, section ids).

    For pre-run estimates: factual sections never reach a model, and batched small sections
    share one call ("analyze_s0+s2"), so counting one call per section overestimates.
    """
    out: list[tuple[str, tuple[str, ...]]] = [(EXTRACT, ())]
    stages = [("analyze_", MODEL_ANALYZE_KINDS, ANALYZE_BATCH_CHARS, None)]
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


__all__ = [
    "ASSEMBLE",
    "EXTRACT",
    "PLAN",
    "Assembly",
    "MicroTask",
    "OutputRejected",
    "RunContext",
    "SectionAnalysis",
    "Timeouts",
    "build_tasks",
    "estimate_tokens",
    "general_suggestions",
    "model_calls",
    "offline_plan",
    "plan_batches",
    "render_items",
]
