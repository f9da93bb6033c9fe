"""Refining one change by instruction: by rule when the instruction allows it, else by a model through
the provider chain — and either way the guard re-checks the new version before it replaces the proposal.

The model sees only the change's original line, its current proposal, the lines cited as evidence and
the declared facts. A rewrite that the guard blocks, or that does not do what was asked (longer when
asked to shorten, unchanged, missing the named word), is refused with a sentence and the proposal
stays as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from resume_tui.analysis.refine import Instruction, NeedsModel, follows, new_version, parse_instruction, refine_offline
from resume_tui.config import Settings
from resume_tui.models import Change, CustomizationLevel, JobDescription, Resume, Usage, Verdict
from resume_tui.pipeline.prompts import SYSTEM, declared_block
from resume_tui.pipeline.schemas import _Out
from resume_tui.providers.base import LLMRequest, Message

TASK = "refine_change"
_RANK = {Verdict.SAFE: 0, Verdict.FLAGGED: 1, Verdict.BLOCKED: 2}


class RefineOut(_Out):
    after: str = ""


@dataclass
class Refined:
    """The outcome: the new version (guarded, history kept), or a sentence saying why there is none."""

    change: Change | None
    message: str
    usage: Usage = field(default_factory=Usage)


def refine_messages(change: Change, original: str, evidence: Sequence[str], instruction: str,
                    facts: Sequence[str] = ()) -> tuple[Message, ...]:
    lines = "\n".join(f"- {e}" for e in evidence) or "- (none)"
    return (
        Message("system", SYSTEM),
        Message("user",
                f"Rewrite one resume line following the person's instruction: \"{instruction}\". Keep every fact of the "
                "original line that the instruction does not ask to drop; use only what the original line, the evidence "
                "lines and the declared facts state. Answer with `after`, the new line only.\n"
                f"<resume>\nOriginal line: {original or '(new line)'}\nCurrent proposal: {change.after}\n"
                f"Evidence lines:\n{lines}\n</resume>\n" + declared_block(facts)),
    )


def _guarded(candidate: Change, instruction: Instruction, before: str, resume: Resume, job: JobDescription | None,
             facts: Sequence[str]) -> tuple[Change | None, str]:
    from resume_tui.analysis.guard import check_change

    ignored = follows(instruction, before, candidate.after)
    if ignored:
        return None, f"Not applied: {ignored}"
    checked = check_change(candidate, resume, job=job, user_facts=list(facts))
    if checked.verdict is Verdict.BLOCKED:
        return None, f"Not applied — the guard blocked the rewrite: {checked.reasons[0]}"
    note = f" The guard flagged it: {checked.reasons[0]}" if checked.verdict is Verdict.FLAGGED else ""
    return checked, f"Refined; the earlier version is kept (u undoes).{note}"


async def refine_change(
    change: Change, instruction_text: str, resume: Resume, job: JobDescription | None, *, facts: Sequence[str] = (),
    router: Any = None, settings: Settings | None = None,
) -> Refined:
    """Rule first; the model only for what rules cannot do (and only when there is a router)."""
    instruction = parse_instruction(instruction_text)
    if not instruction.text:
        return Refined(None, "Type an instruction, e.g. “shorter” or “lead with the result”.")
    item = resume.item(change.item_id) if change.item_id else None
    original = item.text if item is not None else ""
    evidence = [i.text for i in (resume.item(x) for x in change.evidence_item_ids) if i is not None]
    try:
        after = refine_offline(change, instruction, job, "\n".join([original, *evidence]))
    except NeedsModel as why:
        if router is None or not _model_may_help(str(why)):
            return Refined(None, str(why))
        return await _by_model(change, instruction, original, evidence, resume, job, facts, router, settings)
    candidate = new_version(change, after, instruction=instruction.text, source="offline")
    checked, message = _guarded(candidate, instruction, change.after, resume, job, facts)
    return Refined(checked, message)


def _model_may_help(reason: str) -> bool:
    """A rule refused for want of a model (not because the request cannot be honest or is already done)."""
    return "needs a model" in reason


async def _by_model(change: Change, instruction: Instruction, original: str, evidence: list[str], resume: Resume,
                    job: JobDescription | None, facts: Sequence[str], router: Any, settings: Settings | None) -> Refined:
    from resume_tui.pipeline.offline import AnalysisEngine
    from resume_tui.pipeline.recovery import RetryPolicy
    from resume_tui.pipeline.run.chain import ChainRunner, max_retries_for
    from resume_tui.pipeline.tasks import MicroTask, OutputRejected, RunContext

    protect = getattr(router, "protect", None)
    if callable(protect):
        protect(resume)
    settings = settings or Settings()
    ctx = RunContext(resume=resume, job=job or JobDescription(text=""), level=CustomizationLevel.MODERATE,
                     engine=AnalysisEngine(), facts=list(facts))
    messages = refine_messages(change, original, evidence, instruction.text, facts)
    refusals: list[str] = []

    def map_output(_ctx: RunContext, values: list[Any], source: str) -> Change:
        answer = values[0]
        after = getattr(answer, "after", "").strip()
        if not after:
            raise OutputRejected("the model answered with no text")
        candidate = new_version(change, after, instruction=instruction.text, source=source)
        checked, message = _guarded(candidate, instruction, change.after, resume, job, facts)
        if checked is None:
            refusals.append(message)
            raise OutputRejected(message, to_offline=True)
        return checked

    def no_model(_ctx: RunContext) -> None:
        return None

    task = MicroTask(name=TASK, timeout=60.0, weight=1.0, offline=no_model,
                     requests=lambda _ctx: [LLMRequest(task=TASK, messages=messages, schema=RefineOut, max_output_tokens=400)],
                     map_output=map_output)
    runner = ChainRunner(ctx, router, CustomizationLevel.MODERATE, RetryPolicy(max_retries=max_retries_for(settings)),
                         _Quiet())
    result = await runner.run_paths(task)
    if isinstance(result, Change):
        return Refined(result, f"Refined by {result.source}; the earlier version is kept (u undoes).", task.usage)
    reason = refusals[0] if refusals else f"No model could refine it ({task.error or 'no provider answered'}); it is unchanged."
    return Refined(None, reason, task.usage)


class _Quiet:
    def step(self) -> None:
        return None

    def retried(self, *args: Any) -> None:
        return None

    def progress(self, *args: Any) -> None:
        return None


async def refine_all(
    changes: Sequence[Change], instruction: str, resume: Resume, job: JobDescription | None, *,
    facts: Sequence[str] = (), router: Any = None, settings: Settings | None = None,
) -> tuple[list[Change], list[str], Usage]:
    """One instruction applied to every change that proposes text (`tailor --instruct`): each refined
    version replaces its proposal only when it passes; the notes say what was not done and why."""
    from resume_tui.models import ChangeAction

    out: list[Change] = []
    notes: dict[str, list[str]] = {}
    usage = Usage()
    for change in changes:
        if change.action not in (ChangeAction.REPLACE, ChangeAction.INSERT) or change.verdict is Verdict.BLOCKED:
            out.append(change)
            continue
        outcome = await refine_change(change, instruction, resume, job, facts=facts, router=router, settings=settings)
        usage = usage + outcome.usage
        refined = outcome.change
        message = outcome.message
        if refined is not None and _RANK[refined.verdict] > _RANK[change.verdict]:
            # Headless, nobody can weigh a new flag: a refinement may not make a proposal less safe.
            message = f"Not applied: the refined line would be {refined.verdict.value} — {refined.reasons[0]}"
            refined = None
        out.append(refined or change)
        if refined is None:
            notes.setdefault(message, []).append(change.id)
    return out, [f"{message} ({', '.join(ids)})" for message, ids in notes.items()], usage
