"""The async micro-task pipeline: a DAG of small tasks, run concurrently, recoverable.

Public entry: `run_pipeline(...)`. The TUI may hold an `Orchestrator` instead: `await o.run(cancel_event)`,
`o.cancel()`, and live `o.records` / `o.overall()` / `o.eta()`; or just consume the `Event` stream
(pass any async or plain callables as `sinks`, or a `QueueSink` to iterate). `router` is anything
with `chain_for(task, level) -> list[Provider]` (see router.py); None means offline only.
Knows nothing of Textual and imports no LLM SDK.

Small sections share one model call per task kind (`batch=True`, the default) but keep their
own task, progress row and offline fallback. `change_proposed` events arrive live as each
customize task finishes (`provisional: true`, the per-section guard's verdict); at the end
the final list is settled — any change assemble_validate re-guarded differently is re-emitted
with `provisional: false`, a superseded one is withdrawn with `change_rejected` (who
"pipeline") — so the last `change_proposed` per change id is authoritative, and
run_completed carries `change_ids`, the final set in resume order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from resume_tui.config import Settings
from resume_tui.models import CustomizationLevel, JobDescription, Resume
from resume_tui.pipeline.events import Event, EventBus, EventType, QueueSink, Sink
from resume_tui.pipeline.orchestrator import Orchestrator
from resume_tui.pipeline.router import ChainRouter
from resume_tui.pipeline.run.result import PipelineResult, RunAlreadyActive, tier_for


async def run_pipeline(
    resume: Resume,
    job: JobDescription | str,
    *,
    level: CustomizationLevel | str = CustomizationLevel.MODERATE,
    router: ChainRouter | None = None,
    sinks: Sequence[Sink] = (),
    settings: Settings | None = None,
    cancel_event: asyncio.Event | None = None,
    run_id: str | None = None,
    session_id: str = "",
    analyze_only: bool = False,
    completed: Mapping[str, Any] | None = None,
    batch: bool = True,
    facts: Sequence[str] = (),
) -> PipelineResult:
    """Tailor `resume` to `job` through the micro-task DAG; `router=None` means offline only.

    `completed` (name → the session store's StoredTask, or the `result` of an earlier
    task_completed event) resumes an interrupted run: those tasks are restored, not redone.
    `batch=False` gives every task its own model calls (small sections otherwise share one).
    `facts`: what the user declared true, the only additions a model may make (and the guard accepts).
    """
    orchestrator = Orchestrator(
        resume,
        job,
        level=level,
        router=router,
        sinks=sinks,
        settings=settings,
        run_id=run_id,
        session_id=session_id,
        analyze_only=analyze_only,
        completed=completed,
        batch=batch,
        facts=facts,
    )
    return await orchestrator.run(cancel_event)


__all__ = [
    "ChainRouter",
    "Event",
    "EventBus",
    "EventType",
    "Orchestrator",
    "PipelineResult",
    "QueueSink",
    "RunAlreadyActive",
    "Sink",
    "run_pipeline",
    "tier_for",
]
