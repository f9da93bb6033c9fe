"""The model requests a run starts with, built exactly as the run will build them, without running it.

`resume-tui batch` sends these through a provider's batch API ahead of the runs (at batch prices);
their answers land in the response cache under the very key the run's own call computes, so the
run finds them there and maps and checks them like any answer (quotes verified, the guard on every
change). Only the tasks with no dependency qualify — reading the posting (extract_requirements)
and reading each section (analyze_*): what later tasks ask depends on those answers. Sections are
the same for every posting, so their requests repeat across a batch and are asked once.
"""

from __future__ import annotations

from resume_tui.config import Settings
from resume_tui.models import CustomizationLevel, JobDescription, Resume
from resume_tui.pipeline.chunking import request_tokens
from resume_tui.providers.base import LLMRequest


def first_requests(resume: Resume, job: JobDescription, *, level: CustomizationLevel | str,
                   settings: Settings | None = None) -> list[LLMRequest]:
    """The requests of the run's dependency-free tasks (each once, within the request token budget)."""
    from resume_tui.pipeline.orchestrator import Orchestrator

    orchestrator = Orchestrator(resume, job, level=level, router=None, settings=settings)
    ctx = orchestrator.ctx
    seen: set[int] = set()
    out: list[LLMRequest] = []
    for task in orchestrator.tasks.values():
        if task.deps or task.hard_deps or task.requests is None:
            continue
        if task.prepare is not None:
            task.prepare(ctx)
        requests = task.requests(ctx)
        if any(request_tokens(r) > ctx.max_request_tokens for r in requests):
            continue  # the run would not send them either (it goes offline for this task)
        for request in requests:
            if id(request) not in seen:  # batched sections share the very same request objects
                seen.add(id(request))
                out.append(request)
    return out
