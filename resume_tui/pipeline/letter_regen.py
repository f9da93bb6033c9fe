"""Regenerate one sentence of a cover letter: with a provider, the model writes that sentence again
from the same requirements and evidence only; offline, the next offline phrasing of the same evidence.

Either way the new sentence keeps the old one's provenance (the model may not widen it) and goes
through the letter guard. A model's sentence that is not safe is never kept: the offline sentence for
the same evidence comes back instead, and the message says why, so a person sees what the model tried.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from resume_tui.analysis.letter import Letter, LetterGuard, LetterSentence, Part, SentenceStatus, Tone, offline_alternative
from resume_tui.config import Settings
from resume_tui.models import CustomizationLevel, JobDescription, Resume, Usage, Verdict
from resume_tui.pipeline.letter import with_headings
from resume_tui.pipeline.prompts import SYSTEM, declared_block
from resume_tui.pipeline.schemas import _Out
from resume_tui.providers.base import LLMRequest, Message

TASK = "rewrite_letter_sentence"
_PLACE = {Part.OPENING: "the opening paragraph", Part.BODY: "a body paragraph", Part.CLOSING: "the closing"}
_TONE = {Tone.PLAIN: "plain and direct", Tone.WARM: "warm but specific", Tone.FORMAL: "formal and measured"}


class SentenceOut(_Out):
    text: str = ""


@dataclass
class Regenerated:
    """The sentence to put in the letter (guarded), or None when nothing new could be written, and why."""

    sentence: LetterSentence | None
    message: str
    usage: Usage = field(default_factory=Usage)


def sentence_messages(sentence: LetterSentence, resume: Resume, job: JobDescription, tone: Tone,
                      facts: Sequence[str] = ()) -> tuple[Message, ...]:
    """Only what the sentence already stands on: its requirements, its evidence lines, the role applied to."""
    reqs = {r.id: r.text for r in job.requirements}
    wanted = "\n".join(f"{rid}: {' '.join(reqs[rid].split())}" for rid in sentence.requirement_ids if rid in reqs)
    lines: dict[str, str] = {}
    for item_id in sentence.evidence_item_ids:
        if resume.item(item_id) is not None:
            for line_id in cited_lines(resume, [item_id]):
                line = resume.item(line_id)
                if line is not None:
                    lines.setdefault(line_id, f"{line_id}: {' '.join(line.text.split())[:400]}")
        elif item_id.startswith("user.") and item_id[5:].isdigit() and 0 < int(item_id[5:]) <= len(facts):
            lines.setdefault(item_id, f"{item_id} (declared by the person): {facts[int(item_id[5:]) - 1]}")
    target = " at ".join(x for x in (job.title, job.company) if x) or "the role in the posting"
    return (
        Message("system", SYSTEM),
        Message("user",
                f"Rewrite one sentence of a cover letter for {target}, for {_PLACE[sentence.part]}; {_TONE[tone]}. Say "
                "the same thing in other words, in the first person, in one sentence. Use only what the evidence lines "
                "state: no skill, employer, title, degree, figure or date they do not state, no restating a requirement "
                "as a claim, no generic filler. Answer with `text`, the sentence only.\n"
                f"Current sentence: {sentence.text}\n"
                f"Requirements it serves:\n{wanted or '(none: it names the role)'}\n" + declared_block(facts)
                + "<resume>\n" + ("\n".join(lines.values()) or "(no lines)") + "\n</resume>"),
    )


def cited_lines(resume: Resume, item_ids: Sequence[str]) -> list[str]:
    """The sentence's evidence with the headings of the roles it sits under: what the model is shown, and
    so what its sentence may cite ("At Parcelio, …" needs the heading that names Parcelio)."""
    out = dict.fromkeys(item_ids)  # the sentence's own evidence first, as it was cited
    for item_id in item_ids:
        if resume.item(item_id) is not None:
            out.update(dict.fromkeys(with_headings(resume, item_id)))
    return list(out)


def _offline(sentence: LetterSentence, letter: Letter, guard: LetterGuard, why: str | None,
             usage: Usage | None = None) -> Regenerated:
    usage = usage or Usage()
    if why is not None and sentence.source != "offline" and sentence.fallback and sentence.fallback != sentence.text:
        back = guard.check(sentence.model_copy(update={"text": sentence.fallback, "source": "offline", "reasons": []}))
        if back.verdict is Verdict.SAFE:
            return Regenerated(back.model_copy(update={"status": SentenceStatus.PENDING}),
                               f"{why}; the offline sentence is back.", usage)
    other = offline_alternative(sentence, letter, guard)
    if other is None:
        message = "There is no other offline phrasing of this sentence; edit it (e) or drop it (r)."
        return Regenerated(None, f"{why}; {message[0].lower()}{message[1:]}" if why else message, usage)
    other = other.model_copy(update={"status": SentenceStatus.PENDING})
    return Regenerated(other, f"{why}; another offline phrasing instead." if why else "Another offline phrasing of the same evidence.",
                       usage)


async def regenerate_sentence(
    sentence: LetterSentence, letter: Letter, resume: Resume, job: JobDescription, *, facts: Sequence[str] = (),
    router: Any = None, settings: Settings | None = None,
) -> Regenerated:
    """The model's new wording when there is a router (guarded; the offline sentence when it is not safe),
    else another offline phrasing."""
    guard = LetterGuard(resume, job, facts)
    if router is None:
        return _offline(sentence, letter, guard, None)
    from resume_tui.pipeline.offline import AnalysisEngine
    from resume_tui.pipeline.recovery import RetryPolicy
    from resume_tui.pipeline.run.chain import ChainRunner, max_retries_for
    from resume_tui.pipeline.tasks import MicroTask, OutputRejected, RunContext

    protect = getattr(router, "protect", None)
    if callable(protect):  # contact details never reach a hosted model
        protect(resume)
    settings = settings or Settings()
    ctx = RunContext(resume=resume, job=job, level=CustomizationLevel.MODERATE, engine=AnalysisEngine(), facts=list(facts))
    messages = sentence_messages(sentence, resume, job, letter.tone, facts)
    refusals: list[str] = []
    taken = {s.text for s in letter.sentences if s.id != sentence.id}

    def map_output(_ctx: RunContext, values: list[Any], source: str) -> LetterSentence:
        from resume_tui.analysis.letter.templates import tidy

        text = tidy(getattr(values[0], "text", "") or "")
        if not text:
            raise OutputRejected("the model answered with no sentence")
        if text == sentence.text or text in taken:
            refusals.append("The model gave back a sentence the letter already has")
            raise OutputRejected(refusals[-1], to_offline=True)
        checked = guard.check(sentence.model_copy(update={
            "text": text, "source": source, "reasons": [], "status": SentenceStatus.PENDING,
            "evidence_item_ids": cited_lines(resume, sentence.evidence_item_ids)}))
        if checked.verdict is Verdict.BLOCKED:
            refusals.append(f"The guard blocked the model's sentence ({checked.reasons[0]})")
            raise OutputRejected(refusals[-1], to_offline=True)
        return checked

    def no_model(_ctx: RunContext) -> None:
        return None

    task = MicroTask(name=TASK, timeout=60.0, weight=1.0, offline=no_model,
                     requests=lambda _ctx: [LLMRequest(task=TASK, messages=messages, schema=SentenceOut,
                                                       max_output_tokens=300)],
                     map_output=map_output)
    runner = ChainRunner(ctx, router, CustomizationLevel.MODERATE, RetryPolicy(max_retries=max_retries_for(settings)),
                         _Quiet())
    result = await runner.run_paths(task)
    if isinstance(result, LetterSentence):
        flag = f" The guard flagged it: {result.reasons[0]}" if result.verdict is Verdict.FLAGGED else ""
        return Regenerated(result, f"Rewritten by {result.source}; the guard checked it.{flag}", task.usage)
    why = refusals[0] if refusals else f"No model could rewrite it ({task.error or 'no provider answered'})"
    return _offline(sentence, letter, guard, why, task.usage)


class _Quiet:
    def step(self) -> None:
        return None

    def retried(self, *args: Any) -> None:
        return None

    def progress(self, *args: Any) -> None:
        return None
