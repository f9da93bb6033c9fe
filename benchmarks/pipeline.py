"""Pipeline benchmark: does wall time approach the critical path, not the sum of calls?

Runs the real micro-task DAG (real offline engine, real mapping and guard) on a 5-section
resume with a simulated provider that answers every call after a fixed latency, and prints,
from one run each:

* wall / critical path  — critical path = longest dependency chain of measured task times
  (target ≤ 1.15)
* sequential / wall — the wall time of the same run with concurrency 1 (every task one after
  another; a call shared by a batch of small sections is made once, as in the real run),
  over the concurrent wall time (target ≥ 2.5). Σ of task durations is printed too, for
  reference only: batched tasks each wait for the one shared call, so that sum counts a
  call several times and would flatter the figure.
* orchestration overhead per task at zero latency, with no-op task bodies (target < 2 ms)

Usage: python benchmarks/pipeline.py [--latency 0.2] [--concurrency N] [--runs 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from resume_tui.config import LimitsSettings, Settings  # noqa: E402
from resume_tui.models import (  # noqa: E402
    JobDescription,
    Resume,
    SourceFormat,
    TaskStatus,
    Usage,  # noqa: E402
)
from resume_tui.pipeline import Orchestrator  # noqa: E402
from resume_tui.pipeline.schemas import (  # noqa: E402
    PlanOut,
    RequirementOut,
    RequirementsOut,
    SectionAnalysisOut,
    SectionRewriteOut,
)
from resume_tui.pipeline.tasks import MicroTask  # noqa: E402
from resume_tui.providers.base import LLMRequest, Result  # noqa: E402


class LatencyProvider:
    """Answers every request validly after `latency` seconds (a model that is slow but right)."""

    name = "simulated"
    model = "latency"

    def __init__(self, latency: float, job: JobDescription) -> None:
        self.latency = latency
        self.job = job
        self.calls = 0

    async def complete(self, request: LLMRequest) -> Result:
        self.calls += 1
        if self.latency:
            await asyncio.sleep(self.latency)
        schema = request.schema
        if schema is RequirementsOut:
            value = RequirementsOut(
                requirements=[
                    RequirementOut(text=r.text, category=r.category.value, priority=r.priority.value, keywords=r.keywords)
                    for r in self.job.requirements
                ]
            )
        elif schema in (SectionAnalysisOut, PlanOut, SectionRewriteOut):
            value = schema()
        else:
            value = schema()
        return Result(value=value, usage=Usage(input_tokens=500, output_tokens=200), provider=self.name, model=self.model)

    async def aclose(self) -> None:
        return None


class Router:
    def __init__(self, provider: LatencyProvider) -> None:
        self.provider = provider

    def chain_for(self, task: str, level: str):
        return [self.provider]


RESUMES = {
    # summary, experience, skills, education, volunteering: four sections a model can improve
    "typical": ("summary", "experience", "skills", "education", "volunteering"),
    # the sample's first five: only summary/experience/skills go to a model, the rest is factual
    "factual-heavy": ("summary", "experience", "skills", "education", "certifications"),
}


def sample(variant: str = "typical") -> tuple[Resume, JobDescription]:
    from resume_tui.analysis.requirements import parse_job_description
    from resume_tui.documents.ingest import parse_resume_text

    data = resources.files("resume_tui") / "data"
    resume = parse_resume_text((data / "sample_resume.md").read_text(encoding="utf-8"), source_format=SourceFormat.MARKDOWN)
    job = parse_job_description((data / "sample_jd.md").read_text(encoding="utf-8"), source_format=SourceFormat.MARKDOWN)
    kinds = RESUMES[variant]
    sections = [s for s in resume.sections if s.kind.value in kinds]
    assert len(sections) == 5, [s.kind.value for s in resume.sections]
    return resume.model_copy(update={"sections": sections}), job


def critical_path(o: Orchestrator) -> float:
    """Longest chain of measured task durations through the DAG."""
    memo: dict[str, float] = {}

    def longest(name: str) -> float:
        if name not in memo:
            t = o.tasks[name]
            own = (t.finished or 0.0) - (t.started or 0.0)
            memo[name] = own + max((longest(d) for d in t.deps), default=0.0)
        return memo[name]

    return max(longest(n) for n in o.tasks)


async def latency_run(latency: float, concurrency: int, variant: str = "typical", batch: bool = True) -> dict[str, float]:
    resume, job = sample(variant)
    provider = LatencyProvider(latency, job)
    settings = Settings(limits=LimitsSettings(concurrency=concurrency))
    o = Orchestrator(resume, job, router=Router(provider), settings=settings, sinks=[lambda e: None], batch=batch)
    t0 = time.perf_counter()
    result = await o.run()
    wall = time.perf_counter() - t0
    assert result.status == "completed", result.error
    assert all(t.status == TaskStatus.COMPLETED for t in o.tasks.values())
    task_sum = sum((t.finished or 0) - (t.started or 0) for t in o.tasks.values())
    one_by_one = Orchestrator(resume, job, router=Router(LatencyProvider(latency, job)),
                              settings=Settings(limits=LimitsSettings(concurrency=1)), sinks=[lambda e: None], batch=batch)
    t0 = time.perf_counter()
    assert (await one_by_one.run()).status == "completed"
    sequential = time.perf_counter() - t0
    return {
        "tasks": len(o.tasks),
        "calls": provider.calls,
        "sections": len(resume.sections),
        "wall": wall,
        "critical": critical_path(o),
        "sequential": sequential,
        "task_sum": task_sum,
        "tier_normal": float(result.tier == "normal"),
    }


def noop_tasks(sections: int) -> list[MicroTask]:
    """The same DAG shape as a real run, with bodies that do nothing (pure orchestration cost)."""
    noop = lambda ctx: None  # noqa: E731
    analyze = [f"analyze_s{i}" for i in range(sections)]
    customize = [f"customize_s{i}" for i in range(sections)]
    tasks = [MicroTask("extract_requirements", offline=noop)]
    tasks += [MicroTask(n, offline=noop) for n in analyze]
    tasks.append(MicroTask("generate_plan", deps=("extract_requirements", *analyze), offline=noop))
    tasks += [MicroTask(n, deps=("generate_plan",), offline=noop) for n in customize]
    tasks.append(MicroTask("assemble_validate", deps=tuple(customize), offline=noop))
    return tasks


async def overhead_run(runs: int, concurrency: int) -> tuple[float, float]:
    resume, job = Resume(), JobDescription(text="x")
    settings = Settings(limits=LimitsSettings(concurrency=concurrency))
    per_task: list[float] = []
    for _ in range(runs):
        tasks = noop_tasks(5)
        o = Orchestrator(resume, job, settings=settings, tasks=tasks, sinks=[lambda e: None])
        t0 = time.perf_counter()
        result = await o.run()
        per_task.append((time.perf_counter() - t0) / len(tasks))
        assert result.status == "completed"
    return statistics.median(per_task), max(per_task)


async def zero_latency_full(runs: int, concurrency: int) -> float:
    """Full real tasks (mapping, guard, offline analysis) with an instant provider, per task."""
    resume, job = sample()
    settings = Settings(limits=LimitsSettings(concurrency=concurrency))
    out = []
    for _ in range(runs):
        o = Orchestrator(resume, job, router=Router(LatencyProvider(0.0, job)), settings=settings)
        t0 = time.perf_counter()
        await o.run()
        out.append((time.perf_counter() - t0) / len(o.tasks))
    return statistics.median(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=4, help="limits.concurrency (default 4, as shipped)")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-batch", action="store_true", help="every task its own calls (small sections not batched)")
    args = parser.parse_args()

    print(f"pipeline benchmark — simulated latency {args.latency * 1000:.0f} ms per model call, 5-section resumes")
    ok = True
    for variant, kinds in RESUMES.items():
        r = asyncio.run(latency_run(args.latency, args.concurrency, variant, batch=not args.no_batch))
        ratio_cp = r["wall"] / r["critical"]
        ratio_seq = r["sequential"] / r["wall"]
        print(f"  resume '{variant}' ({', '.join(kinds)}), concurrency {args.concurrency}{', unbatched' if args.no_batch else ''}:")
        print(
            f"    {int(r['tasks'])} tasks, {int(r['calls'])} model calls; wall {r['wall'] * 1000:.0f} ms, "
            f"critical path {r['critical'] * 1000:.0f} ms, sequential (concurrency 1) {r['sequential'] * 1000:.0f} ms "
            f"(Σ task durations {r['task_sum'] * 1000:.0f} ms)"
        )
        print(f"    wall / critical path   = {ratio_cp:.3f}  (target ≤ 1.15){'' if ratio_cp <= 1.15 else '  ✗'}")
        print(f"    sequential / wall      = {ratio_seq:.2f}   (target ≥ 2.5){'' if ratio_seq >= 2.5 else '  ✗ (fewer calls to overlap)'}")
        if variant == "typical":
            ok = ok and ratio_cp <= 1.15 and ratio_seq >= 2.5
    median, worst = asyncio.run(overhead_run(args.runs, args.concurrency))
    print(f"  orchestration overhead per task, zero latency, no-op bodies: median {median * 1000:.3f} ms, worst {worst * 1000:.3f} ms (target < 2 ms)")
    full = asyncio.run(zero_latency_full(max(5, args.runs // 20), args.concurrency))
    print(f"  full real task (mapping, guard, offline analysis) at zero latency: median {full * 1000:.3f} ms per task (info)")
    ok = ok and median < 0.002
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
