"""extract_requirements and analyze_<section>: reading the posting and each section.

A model's answer is kept only where it quotes the text it read (requirements from the
posting, highlights from the section's own items); otherwise the offline parse serves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from resume_tui.models import (
    Evidence,
    JobDescription,
    Priority,
    Requirement,
    RequirementCategory,
    Section,
)
from resume_tui.pipeline import prompts
from resume_tui.pipeline.chunking import (
    CHARS_PER_TOKEN,
    chunk_items,
    chunk_text,
    split_oversized,
)
from resume_tui.pipeline.progress import task_weight
from resume_tui.pipeline.schemas import RequirementsOut, SectionAnalysisOut
from resume_tui.pipeline.tasks.base import (
    EXTRACT,
    MODEL_ANALYZE_KINDS,
    MicroTask,
    OutputRejected,
    RunContext,
    SectionAnalysis,
    _batch_name,
    _canonical,
    _norm,
    _request,
    _section_only,
)
from resume_tui.providers.base import LLMRequest


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


def _dump_job(ctx: RunContext, job: JobDescription) -> Any:
    return job.model_dump(mode="json")


def _restore_job(ctx: RunContext, data: Any) -> None:
    ctx.job_final = JobDescription.model_validate(data)


def _analyze_offline(ctx: RunContext, section: Section) -> SectionAnalysis:
    report = ctx.engine.analyze(_section_only(ctx.resume, section), ctx.offline_job())
    skills = sorted({k for m in report.matches for k in m.matched_keywords})
    return SectionAnalysis(section.id, evidence=list(report.evidence), skills=skills, source="offline")


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


def extract_task(timeout: float) -> MicroTask:
    """The one task reading the posting's requirements."""
    return MicroTask(
        name=EXTRACT,
        timeout=timeout,
        weight=task_weight(EXTRACT),
        offline=_extract_offline,
        requests=lambda ctx: _extract_requests(ctx, timeout),
        map_output=_extract_map,
        commit=_extract_commit,
        dump=_dump_job,
        restore=_restore_job,
    )


def analyze_task(section: Section, timeout: float, batch: tuple[Section, ...] = ()) -> MicroTask:
    """Reading one section; `batch` is the small sections sharing its model call (see plan_batches)."""
    name = f"analyze_{section.id}"
    return MicroTask(
        name=name,
        timeout=timeout,
        weight=task_weight(name, section.kind),
        section_id=section.id,
        kind=section.kind,
        offline=lambda ctx: _analyze_offline(ctx, section),
        requests=(lambda ctx: _analyze_requests(ctx, section, timeout, batch)) if section.kind in MODEL_ANALYZE_KINDS else None,
        map_output=lambda ctx, outs, src: _analyze_map(ctx, section, outs, src, batch),
        commit=_analyze_commit,
        dump=_dump_analysis,
        restore=_restore_analysis,
    )
