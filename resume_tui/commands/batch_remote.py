"""`batch`'s provider-batch step: submit the tailored postings' first model calls through the provider's
batch API when there are more than `batch_api.threshold` of them, then wait for the answers.

Waiting shows progress and may be left at any moment (Ctrl-C, a closed terminal, a crash): the
batch ids are in SQLite, and `resume-tui batch --resume` collects the same batches later without
sending any request again. Whatever the batches do not answer goes through interactive calls.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field
from typing import Any

from resume_tui.commands.progress import count_progress
from resume_tui.models import CustomizationLevel, Resume, Usage
from resume_tui.session.services import batch_api, batch_pending


@dataclass
class Step:
    used: bool = False  # a provider batch was submitted or collected for this job
    calls: int = 0
    usage: Usage = field(default_factory=Usage)
    pending: int = 0
    estimate: str | None = None
    notes: list[str] = field(default_factory=list)


def run(store: Any, router: Any, cfg: Any, resume: Resume, jobs: list, level: CustomizationLevel, job_id: str, *,
        quiet: bool) -> Step:
    step = Step()
    groups = batch_api.plan(router, store, resume, jobs, level=level, settings=cfg)
    step.calls = sum(len(g.items) for g in groups)
    waiting = store.batches.batches(job_id, open_only=True)
    if step.calls <= cfg.batch_api.threshold and not waiting:
        return step  # few calls: interactive ones answer sooner, and cost about the same in total
    cap = cfg.budget.max_usd
    if groups and cap is not None and batch_api.batch_cost(router, groups) > cap:
        # The session budget covers the whole batch: never submit what the cap cannot pay for.
        step.notes.append(f"The batched calls would cost more than budget.max_usd (${cap:g}); they are sent one by one "
                          "instead, and stop where the budget does.")
        groups = []
        if not waiting:
            return step
    step.used = True
    if groups and step.calls > cfg.batch_api.threshold:
        step.estimate = batch_api.estimate(router, groups)
        if not quiet:
            print(f"resume-tui: sending {step.estimate}", file=sys.stderr)
    else:
        groups = []  # below the threshold now: only collect what an earlier run submitted

    async def go() -> batch_api.Collected:
        await batch_api.submit(store, cfg, job_id, groups)
        with count_progress("provider batch", enabled=not quiet) as progress:
            return await batch_api.collect(store, cfg, router.cache, router.budget.prices, job_id,
                                           wait_s=cfg.batch_api.wait_s, poll_s=cfg.batch_api.poll_s, progress=progress)

    lock = batch_pending.job_lock(store, job_id)  # one process submits or collects a job at a time (the TUI too)
    if not lock.try_acquire():
        from resume_tui.errors import InputError

        raise InputError(f"Another resume-tui is collecting the provider batches of {job_id} right now; run "
                         f"`resume-tui batch --resume {job_id}` again when it is done.")
    try:
        collected = asyncio.run(go())
    except KeyboardInterrupt:
        from resume_tui.errors import Cancelled

        raise Cancelled(f"stopped waiting; nothing was written. The provider batches keep running: "
                        f"`resume-tui batch --resume {job_id}` collects them (no request is sent again).") from None
    finally:
        lock.release()
    step.usage, step.pending, step.notes = collected.usage, collected.pending, collected.notes
    if collected.failed and not quiet:
        print(f"resume-tui: {collected.failed} batched call(s) got no usable answer; they are sent interactively instead.",
              file=sys.stderr)
    return step
