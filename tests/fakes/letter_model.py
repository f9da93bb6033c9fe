"""A scripted model for the cover letter and refine tasks: answers with the sentences a test gives it,
so a test can make it invent (a metric, an employer, a degree, a skill) or copy the posting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from resume_tui.models import Usage
from resume_tui.providers.base import LLMRequest, Result


@dataclass
class ScriptedModel:
    """Answers every request with `answer(request)` (a pydantic instance of the request's schema)."""

    answer: Callable[[LLMRequest], Any]
    name: str = "fake"
    model: str = "m1"
    calls: list[LLMRequest] = field(default_factory=list)
    usage: Usage = field(default_factory=lambda: Usage(input_tokens=900, output_tokens=400, cost_usd=0.002))

    async def complete(self, request: LLMRequest) -> Result:
        self.calls.append(request)
        return Result(value=self.answer(request), usage=self.usage, provider=self.name, model=self.model)

    async def aclose(self) -> None:
        return None


class OneModelRouter:
    """Every task goes to the one scripted model (the pipeline falls back to offline after it)."""

    def __init__(self, model: ScriptedModel) -> None:
        self.model = model

    def chain_for(self, task: str, level: str) -> list[Any]:
        return [self.model]

    async def aclose(self) -> None:
        return None


def letter_answer(opening: list[tuple[str, list[str], list[str]]], paragraphs: list[list[tuple[str, list[str], list[str]]]],
                  closing: list[tuple[str, list[str], list[str]]]) -> Callable[[LLMRequest], Any]:
    """A LetterOut built from (text, requirement_ids, evidence_item_ids) triples."""
    from resume_tui.pipeline.letter import LetterOut, LetterParagraphOut, LetterSentenceOut

    def para(sentences):
        return LetterParagraphOut(sentences=[LetterSentenceOut(text=t, requirement_ids=r, evidence_item_ids=e)
                                             for t, r, e in sentences])

    return lambda request: LetterOut(opening=para(opening), paragraphs=[para(p) for p in paragraphs], closing=para(closing))
