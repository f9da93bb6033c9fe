"""The cover letter as one model task: the prompt, the answer schema, and the run through the provider
chain (the same retries, fallbacks and offline path as every pipeline task).

The model sees only what the offline letter uses: the matched requirements (by id), the resume lines
that evidence them (by id), the declared facts and the role applied to. Its sentences then go through
the letter guard one by one (analysis/letter), and any that is not safe gives way to the offline
sentence for the same requirements — so a model can make the letter read better, never claim more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import Field

from resume_tui.analysis.letter import DraftSentence, Letter, LetterGuard, Part, Tone, merge_model, offline_letter
from resume_tui.config import Settings
from resume_tui.models import CustomizationLevel, GapReport, JobDescription, MatchStatus, Resume, Usage
from resume_tui.pipeline.prompts import SYSTEM, declared_block
from resume_tui.pipeline.schemas import _Out
from resume_tui.providers.base import LLMRequest, Message

TASK = "write_letter"
_TONE_RULES = {
    Tone.PLAIN: "Plain: short direct sentences, no flourishes.",
    Tone.WARM: "Warm: friendly and personal, still specific.",
    Tone.FORMAL: "Formal: courteous and measured.",
}


class LetterSentenceOut(_Out):
    text: str = ""
    requirement_ids: list[str] = Field(default_factory=list)
    evidence_item_ids: list[str] = Field(default_factory=list)


class LetterParagraphOut(_Out):
    sentences: list[LetterSentenceOut] = Field(default_factory=list)


class LetterOut(_Out):
    opening: LetterParagraphOut = Field(default_factory=LetterParagraphOut)
    paragraphs: list[LetterParagraphOut] = Field(default_factory=list)
    closing: LetterParagraphOut = Field(default_factory=LetterParagraphOut)


def letter_messages(resume: Resume, job: JobDescription, report: GapReport, tone: Tone,
                    facts: Sequence[str] = ()) -> tuple[Message, ...]:
    """Only the matched requirements and the lines that evidence them; gaps are not mentioned at all."""
    reqs: list[str] = []
    lines: dict[str, str] = {}
    for req in report.requirements:
        match = report.match_for(req.id)
        if match is None or match.status is MatchStatus.MISSING:
            continue
        reqs.append(f"{req.id} {req.priority.value}: {req.text}")
        for ev in report.evidence_for(req.id)[:3]:
            for line_id in with_headings(resume, ev.item_id):
                line = resume.item(line_id)
                if line is not None:
                    lines.setdefault(line.id, " ".join(line.text.split())[:400])
    target = " at ".join(x for x in (job.title, job.company) if x) or "the role in the posting"
    evidence = "\n".join(f"{i}: {text}" for i, text in lines.items())
    return (
        Message("system", SYSTEM),
        Message("user",
                f"Write a cover letter for {target}. {_TONE_RULES[tone]} 250–400 words: an opening naming the role and "
                "company, two or three paragraphs each built on the strongest requirements below and quoting or "
                "paraphrasing the resume lines that show them, a short closing. No salutation or sign-off. Every "
                "sentence cites the requirement_ids it serves and the evidence_item_ids backing it (with the role's heading "
                "lines when it names the employer or title). Use only what the "
                "lines say: no skill, employer, title, degree, figure or date they do not state, no restating a "
                "requirement as a claim, no generic filler (\"highly motivated\", \"team player\").\n"
                f"Requirements:\n{chr(10).join(reqs)}\n" + declared_block(facts)
                + "<resume>\n" + evidence + "\n</resume>"),
    )


def with_headings(resume: Resume, item_id: str) -> list[str]:
    """The lines that state the role an item sits under, then the item: a model that names the employer
    ("At Parcelio, I …") can cite the heading that says it, as the guard requires."""
    section = resume.section_of(item_id)
    entry = section.entry_of(item_id) if section is not None else None
    headings = [h for h in entry.header_ids if h != item_id] if entry is not None else []
    return [*headings, item_id]


def draft_sentences(answer: LetterOut) -> list[DraftSentence]:
    """The model's answer as sentences with their place in the letter (empty ones dropped)."""
    out: list[DraftSentence] = []
    blocks = [(Part.OPENING, answer.opening)] + [(Part.BODY, p) for p in answer.paragraphs] + [(Part.CLOSING, answer.closing)]
    for index, (part, block) in enumerate(blocks):
        for s in block.sentences:
            if s.text.strip():
                out.append(DraftSentence(s.text.strip(), list(s.requirement_ids), list(s.evidence_item_ids), part, index))
    return out


@dataclass
class LetterResult:
    letter: Letter
    usage: Usage = field(default_factory=Usage)
    source: str = "offline"
    notes: list[str] = field(default_factory=list)  # why the model's letter was not used, if it was not


async def write_letter(
    resume: Resume, job: JobDescription, report: GapReport, *, tone: Tone = Tone.PLAIN, facts: Sequence[str] = (),
    router: Any = None, settings: Settings | None = None,
) -> LetterResult:
    """The letter: the model's through the provider chain when there is one, guarded sentence by sentence;
    the offline letter otherwise, or when every provider fails."""
    def offline_draft() -> tuple[LetterGuard, Letter]:
        guard = LetterGuard(resume, job, facts)
        return guard, offline_letter(resume, job, report, tone=tone, facts=facts, guard=guard)

    # Indexing the resume for the guard and writing the offline letter are CPU work: in a thread, so the
    # TUI keeps drawing (a long resume held its loop for a third of a second).
    guard, offline = await asyncio.to_thread(offline_draft)
    if router is None:
        return LetterResult(offline)
    from resume_tui.pipeline.offline import AnalysisEngine
    from resume_tui.pipeline.recovery import RetryPolicy
    from resume_tui.pipeline.run.chain import ChainRunner, max_retries_for
    from resume_tui.pipeline.tasks import MicroTask, RunContext

    protect = getattr(router, "protect", None)
    if callable(protect):  # contact details never reach a hosted model
        protect(resume)
    settings = settings or Settings()
    ctx = RunContext(resume=resume, job=job, level=CustomizationLevel.MODERATE, engine=AnalysisEngine(), facts=list(facts))
    messages = letter_messages(resume, job, report, tone, facts)

    def requests(_ctx: RunContext) -> list[LLMRequest]:
        return [LLMRequest(task=TASK, messages=messages, schema=LetterOut, max_output_tokens=1500, timeout_s=60.0)]

    def map_output(_ctx: RunContext, values: list[Any], source: str) -> Letter:
        answer = values[0]
        if not isinstance(answer, LetterOut):
            from resume_tui.pipeline.tasks import OutputRejected

            raise OutputRejected("the answer is not a letter")
        return merge_model(offline, draft_sentences(answer), guard, source=source)

    task = MicroTask(name=TASK, timeout=90.0, weight=1.0, offline=lambda _ctx: offline, requests=requests,
                     map_output=map_output)
    notes: list[str] = []
    runner = ChainRunner(ctx, router, CustomizationLevel.MODERATE, RetryPolicy(max_retries=max_retries_for(settings)),
                         _Notes(notes))
    letter = await runner.run_paths(task)
    return LetterResult(letter, usage=task.usage, source=task.provider or "offline", notes=notes)


class _Notes:
    """The chain's reporter, keeping only the sentences that say why a provider was left."""

    def __init__(self, notes: list[str]) -> None:
        self.notes = notes

    def step(self) -> None:
        return None

    def retried(self, task: Any, kind: str, provider: str, next_step: str, delay: float, message: str) -> None:
        if next_step != "retry" and message:
            self.notes.append(f"{provider or 'the model'}: {message}")

    def progress(self, task: Any, value: float) -> None:
        return None
