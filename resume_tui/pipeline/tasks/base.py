"""What every micro-task shares: the task record, the run context it reads and writes, batching.

Each task is data (name, deps, timeout, weight) plus functions: `requests` builds the
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
    CustomizationLevel,
    Evidence,
    GapReport,
    JobDescription,
    Plan,
    Requirement,
    Resume,
    Section,
    SectionKind,
    TaskRecord,
    TaskStatus,
    Usage,
)
from resume_tui.pipeline.chunking import (
    CHARS_PER_TOKEN,
    pack,
    render_items,
)
from resume_tui.pipeline.offline import OfflineEngine
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


def plan_batches(
    sections: Sequence[Section], *, max_chars: int, max_section_chars: int | None = None
) -> dict[str, tuple[Section, ...]]:
    """Section id → the sections sharing its call (only groups of two or more), packed in reading order."""
    sized = [(s, _rendered_chars(s)) for s in sections]
    small = [(s, n) for s, n in sized if n <= max_chars and (max_section_chars is None or n <= max_section_chars)]
    groups = [[s for s, _ in group] for group in pack(small, lambda pair: pair[1], max_chars)]
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
    # Facts the user declared true: the only additions a model may make, and the guard's too.
    facts: list[str] = field(default_factory=list)

    def guard(self, changes: Sequence[Change]) -> list[Change]:
        """The engine's guard over `changes`, counting the declared facts (engines without facts keep working)."""
        if self.facts:
            return self.engine.guard(changes, self.resume, self.job_final, user_facts=self.facts)  # type: ignore[call-arg]
        return self.engine.guard(changes, self.resume, self.job_final)

    def apply(self, changes: Sequence[Change]) -> Resume:
        if self.facts:
            return self.engine.apply(self.resume, changes, self.job_final, user_facts=self.facts)  # type: ignore[call-arg]
        return self.engine.apply(self.resume, changes, self.job_final)

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


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _section_only(resume: Resume, section: Section) -> Resume:
    return resume.model_copy(update={"sections": [section]})


def _request(ctx: RunContext, task: str, messages, schema, timeout: float) -> LLMRequest:
    return LLMRequest(task=task, messages=messages, schema=schema, timeout_s=timeout, level=ctx.level.value)


def _canonical(term: str) -> str:
    from resume_tui.analysis.lexicon import default_lexicon

    return default_lexicon().canonical(term) or term.strip().lower()


def _batch_name(prefix: str, batch: Sequence[Section]) -> str:
    return prefix + "+".join(s.id for s in batch)  # "analyze_s0+s1+s5": routed like any analyze_ task
