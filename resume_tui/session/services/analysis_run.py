"""Step 3: what a run needs — the provider chain within the session's budget, its estimate, the orchestrator.

A run's budget starts from what the session already spent, so the caps in Settings hold
for the whole session, not per run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from resume_tui.config import Settings
from resume_tui.models import CustomizationLevel, JobDescription, Resume, Usage


@dataclass(frozen=True)
class ResumableRun:
    """The part of a store `Run` that a resume needs (a run cancelled in this window)."""

    id: str
    level: CustomizationLevel


async def claim_resume_point(
    store: Any, run_id: str, submit: Callable[[Callable[[], Any]], Future[Any]] | None
) -> tuple[Any, str | None]:
    """Claim an interrupted run in the store: (its resume point, None), or (None, why not) — then a fresh run."""
    claim = lambda: store.resume_run(run_id)  # noqa: E731
    try:
        if submit is not None:
            return await asyncio.wrap_future(submit(claim)), None
        return claim(), None
    except Exception as exc:  # noqa: BLE001 - a fresh run is the fallback
        return None, f"The interrupted run could not be resumed ({exc}); starting a new run."


def build_router(settings: Settings, spent: Usage) -> Any:
    """The provider chain for a paid run, its budget already charged with `spent`."""
    from resume_tui.providers.budget import Budget
    from resume_tui.providers.router import build_router as chain_router

    return chain_router(settings, budget=Budget.from_settings(settings, spent=spent))


def estimate(resume: Resume, job: JobDescription, settings: Settings, level: CustomizationLevel) -> Any:
    """What a paid run is expected to cost (tokens, USD), shown before asking to go on."""
    from resume_tui.providers.budget import estimate_run

    return estimate_run(resume, job, settings=settings, level=level)


def build_orchestrator(
    resume: Resume,
    job: JobDescription,
    *,
    level: CustomizationLevel,
    router: Any,
    sinks: Sequence[Any],
    settings: Settings,
    clock: Any,
    session_id: str,
    resume_point: Any = None,
    facts: Sequence[str] = (),
) -> Any:
    """A pipeline run; a claimed resume point (the store's) restores its finished tasks."""
    from resume_tui.pipeline.orchestrator import Orchestrator

    return Orchestrator(
        resume,
        job,
        level=level,
        router=router,
        sinks=list(sinks),
        settings=settings,
        clock=clock,
        session_id=session_id,
        run_id=resume_point.run.id if resume_point is not None else None,
        completed=resume_point.completed if resume_point is not None else None,
        facts=facts,
    )
