"""A whole pipeline run without a screen or a terminal: the Postings board finishes batch jobs with it.

It is `commands/common.run_headless` without the printing (no progress lines, no estimate on
stderr: the board shows its own busy state and one sentence): the provider chain within the budget
(`spent` already charged, so a batch's caps hold for all its postings), the run, and its outcome as
our errors — a reached budget, a cancel or a failed run is an exception with its sentence, never a
half result taken for a whole one. Answers a provider batch already gave are served from the
response cache by the chain, so nothing is sent twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from resume_tui.config import Settings
from resume_tui.errors import BudgetExceeded, Cancelled, NoProviderError
from resume_tui.models import JobDescription, Resume, Usage


def run(resume: Resume, job: JobDescription, *, cfg: Settings, level: Any, provider: str | None = None,
        show_progress: bool = False, sinks: list | None = None, session_id: str = "", facts: Sequence[str] = (),
        spent: Usage | None = None) -> Any:
    """Run to completion on a loop of this thread's own (call it from a worker thread); the PipelineResult."""
    from resume_tui.pipeline import run_pipeline
    from resume_tui.providers.budget import Budget
    from resume_tui.providers.router import build_router

    del show_progress  # the same signature as the CLI's run; nothing is printed here
    router = build_router(cfg, provider=provider, budget=Budget.from_settings(cfg, spent=spent or Usage()))

    async def go() -> Any:
        try:
            return await run_pipeline(resume, job, level=level, router=router, settings=cfg, sinks=list(sinks or []),
                                      session_id=session_id, facts=facts)
        finally:
            if router is not None:
                await router.aclose()

    result = asyncio.run(go())
    if result.budget_exceeded:
        raise BudgetExceeded((result.error or "The session's token or cost cap was reached")
                             + "; finished work was kept. Raise budget.max_usd / budget.max_tokens in the settings.")
    if result.status == "cancelled":
        raise Cancelled("cancelled; nothing was written.")
    if result.status == "failed" or result.report is None:
        raise NoProviderError(result.error or "The run failed and no provider, offline included, could finish it.")
    return result
