"""Fakes for the pipeline tests: a scripted provider, a router, and a tiny offline engine.

The stub engine lets orchestration tests run without depending on the analysis layer's
details; `test_pipeline_e2e.py` runs the real engine end to end.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel

from resume_tui.models import (
    Change,
    ChangeAction,
    Contact,
    Evidence,
    GapReport,
    Item,
    ItemKind,
    JobDescription,
    MatchStatus,
    Priority,
    Requirement,
    RequirementCategory,
    RequirementMatch,
    Resume,
    Section,
    SectionKind,
    Usage,
    Verdict,
)
from resume_tui.pipeline.schemas import (
    ChangeOut,
    HighlightOut,
    PlanOut,
    PlanStepOut,
    RequirementOut,
    RequirementsOut,
    SectionAnalysisOut,
    SectionRewriteOut,
)
from resume_tui.providers.base import ErrorKind, LLMRequest, ProviderError, Result

# --------------------------------------------------------------------------- documents

JD_TEXT = """Senior Backend Engineer
- 5+ years of Python
- Experience with Kubernetes
- PostgreSQL in production
- Nice to have: Kafka
"""


def make_resume(kinds: Sequence[SectionKind] = (SectionKind.SUMMARY, SectionKind.EXPERIENCE, SectionKind.SKILLS, SectionKind.EDUCATION, SectionKind.PROJECTS)) -> Resume:
    texts = {
        SectionKind.SUMMARY: ["Backend engineer who builds services in Python."],
        SectionKind.EXPERIENCE: ["Built APIs in Python and Go.", "Ran Kubernetes clusters on AWS.", "Mentored two engineers."],
        SectionKind.SKILLS: ["Python, Go, Kubernetes, Docker"],
        SectionKind.EDUCATION: ["BSc Computer Science"],
        SectionKind.PROJECTS: ["Open-source Kafka connector"],
    }
    sections = []
    for n, kind in enumerate(kinds):
        sid = f"s{n}"
        lines = texts.get(kind, [f"Some {kind.value} text"])
        sections.append(
            Section(
                id=sid,
                kind=kind,
                title=kind.value.title(),
                items=[Item(id=f"{sid}.{i}", text=t, kind=ItemKind.BULLET) for i, t in enumerate(lines)],
            )
        )
    return Resume(contact=Contact(name="Test Person"), sections=sections, header_lines=["Test Person"])


# --------------------------------------------------------------------------- stub offline engine


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z][a-z0-9+#]*", text.lower()))


class StubEngine:
    """Deterministic, tiny: keywords are the known tech words of each requirement line."""

    TECH = {"python", "kubernetes", "postgresql", "kafka", "go", "docker"}

    def __init__(self) -> None:
        self.calls: defaultdict[str, int] = defaultdict(int)

    def parse_job(self, job: JobDescription) -> JobDescription:
        self.calls["parse_job"] += 1
        reqs = []
        for line in job.text.splitlines():
            if not line.startswith("- "):
                continue
            text = line[2:].strip()
            reqs.append(
                Requirement(
                    id=f"r{len(reqs) + 1}",
                    text=text,
                    category=RequirementCategory.TECHNICAL_SKILL,
                    priority=Priority.NICE_TO_HAVE if "nice" in text.lower() else Priority.CRITICAL,
                    keywords=sorted(_words(text) & self.TECH),
                )
            )
        return job.model_copy(update={"requirements": reqs})

    def analyze(self, resume: Resume, job: JobDescription) -> GapReport:
        self.calls["analyze"] += 1
        evidence, matches = [], []
        for req in job.requirements:
            kws = {k.lower() for k in req.keywords}
            hits = [i for i in resume.items() if kws & _words(i.text)]
            evidence += [Evidence(requirement_id=req.id, item_id=i.id, quote=i.text, strength=1.0) for i in hits]
            matches.append(
                RequirementMatch(
                    requirement_id=req.id,
                    status=MatchStatus.MATCHED if hits else MatchStatus.MISSING,
                    strength=1.0 if hits else 0.0,
                    matched_keywords=req.keywords if hits else [],
                    missing_keywords=[] if hits else req.keywords,
                )
            )
        score = self._score(resume, job)
        missing = sorted({k for m in matches for k in m.missing_keywords})
        return GapReport(score=score, requirements=job.requirements, evidence=evidence, matches=matches, missing_keywords=missing)

    def _score(self, resume: Resume, job: JobDescription) -> float:
        if not job.requirements:
            return 0.0
        words = _words(resume.full_text())
        hit = sum(1 for r in job.requirements if {k.lower() for k in r.keywords} & words)
        return round(100.0 * hit / len(job.requirements), 2)

    def section_changes(self, resume, section_id, job, report, level) -> list[Change]:
        self.calls["section_changes"] += 1
        section = resume.section(section_id)
        item = section.items[0]
        return [
            Change(
                id=f"{section_id}.o1",
                section_id=section_id,
                item_id=item.id,
                action=ChangeAction.REPLACE,
                before=item.text,
                after=item.text.rstrip(".") + " (tailored).",
                rationale="offline",
            )
        ]

    def guard(self, changes, original, job) -> list[Change]:
        self.calls["guard"] += 1
        out = []
        for c in changes:
            blocked = "INVENTED" in c.after
            out.append(c.model_copy(update={"verdict": Verdict.BLOCKED if blocked else Verdict.SAFE, "reasons": ["invented"] if blocked else []}))
        return out

    def apply(self, resume: Resume, changes, job=None) -> Resume:
        self.calls["apply"] += 1
        by_item = {c.item_id: c for c in changes if c.action == ChangeAction.REPLACE}
        sections = []
        for s in resume.sections:
            items = [i.model_copy(update={"text": by_item[i.id].after}) if i.id in by_item else i for i in s.items]
            sections.append(s.model_copy(update={"items": items}))
        return resume.model_copy(update={"sections": sections})

    def score(self, resume: Resume, job: JobDescription) -> float:
        return self._score(resume, job)


# --------------------------------------------------------------------------- scripted provider


def default_answer(request: LLMRequest) -> BaseModel:
    """A valid answer for every task, built from the request's own text."""
    schema = request.schema
    text = request.messages[-1].content
    if schema is RequirementsOut:
        job = text.split("<job>\n", 1)[1].split("\n</job>", 1)[0]
        reqs = [
            RequirementOut(text=line[2:].strip(), priority="critical", keywords=[w for w in _words(line) if w in StubEngine.TECH])
            for line in job.splitlines()
            if line.startswith("- ")
        ]
        return RequirementsOut(title="Senior Backend Engineer", requirements=reqs)
    if schema is SectionAnalysisOut:
        body = text.split("<resume>\n", 1)[1].split("\n</resume>", 1)[0]
        highlights = []
        for line in body.splitlines():
            m = re.match(r"\[(\S+)\] (.*)", line)
            if m:
                highlights.append(HighlightOut(item_id=m.group(1), quote=m.group(2)[:20], skills=sorted(_words(m.group(2)) & StubEngine.TECH)))
        return SectionAnalysisOut(highlights=highlights, notes=["ok"])
    if schema is PlanOut:
        ids = re.findall(r"^(s\d+):", text, re.M)
        return PlanOut(steps=[PlanStepOut(section_id=i, goal="Foreground evidence", requirement_ids=["r1"]) for i in ids])
    if schema is SectionRewriteOut:
        body = text.split("<resume>\n", 1)[1].split("\n</resume>", 1)[0]
        m = re.search(r"^\[(\S+)\] (.*)$", body, re.M)
        return SectionRewriteOut(
            changes=[ChangeOut(action="replace", item_id=m.group(1), after=m.group(2).rstrip(".") + " (model).", requirement_ids=["r1"], evidence_item_ids=[m.group(1)])]
        )
    return schema()


def _member_names(task: str) -> list[str]:
    """A batched request "customize_s0+s2+s5" is scripted as any of its members ("customize_s2")."""
    head, _, rest = task.partition("+")
    kind = head.rsplit("_", 1)[0]
    return [head, *(f"{kind}_{sid}" for sid in rest.split("+") if sid)]


@dataclass
class Step:
    """One scripted outcome: an error kind to raise, a hang, or an answer (None = default)."""

    error: ErrorKind | None = None
    retry_after: float | None = None
    hang: bool = False
    answer: Callable[[LLMRequest], BaseModel] | None = None


@dataclass
class ScriptedProvider:
    name: str = "fake"
    model: str = "m1"
    latency: float = 0.0
    # per task-name prefix: a list of Steps consumed in order; then `default`
    script: dict[str, list[Step]] = field(default_factory=dict)
    default: Step = field(default_factory=Step)
    calls: list[str] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    cancelled: int = 0
    usage_per_call: Usage = field(default_factory=lambda: Usage(input_tokens=100, output_tokens=20, cost_usd=0.001))

    def _next(self, task: str) -> Step:
        names = _member_names(task)
        for prefix, steps in self.script.items():
            if any(n.startswith(prefix) for n in names) and steps:
                return steps.pop(0)
        return self.default

    async def complete(self, request: LLMRequest) -> Result:
        self.calls.append(request.task)
        step = self._next(request.task)
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            if step.hang:
                await asyncio.Event().wait()
            if self.latency:
                await asyncio.sleep(self.latency)
            if step.error is not None:
                raise ProviderError(kind=step.error, message=f"scripted {step.error.value}", provider=self.name, retry_after=step.retry_after)
            value = (step.answer or default_answer)(request)
            return Result(value=value, usage=self.usage_per_call, provider=self.name, model=self.model)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.active -= 1

    async def aclose(self) -> None:
        return None


class FakeRouter:
    def __init__(self, *providers: ScriptedProvider, per_task: dict[str, list[ScriptedProvider]] | None = None) -> None:
        self.providers = list(providers)
        self.per_task = per_task or {}
        self.asked: list[tuple[str, str]] = []

    def chain_for(self, task: str, level: str):
        self.asked.append((task, level))
        for prefix, chain in self.per_task.items():
            if task.startswith(prefix):
                return chain
        return self.providers


def job() -> JobDescription:
    return JobDescription(text=JD_TEXT)

