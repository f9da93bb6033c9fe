"""Provider batches still waiting, as the TUI shows them, and collecting all of them at once.

`resume-tui batch` may leave provider batches running (a long wait, a closed terminal, a crash);
their ids and states are in SQLite. The Postings board lists them (`pending`), and its collect
key calls `collect_open`, which visits every job with an open batch through the very `collect`
that `batch --resume` uses (batch_api.py): interrupted submissions reconciled, answers validated
into the response cache, each request's fate recorded — a failed, expired or cancelled request
simply has no answer, so the run that needs it calls interactively like after any failed call.

Only one process works on a job's batches at a time (`job_lock`, an flock that dies with its
process): a `batch` that is still submitting is never second-guessed by the TUI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from resume_tui.config import Settings
from resume_tui.session.locks import FileLock
from resume_tui.session.services import batch_api


@dataclass(frozen=True)
class PendingBatch:
    """One open provider batch, as a row of the board."""

    job_id: str
    provider: str
    model: str
    requests: int
    submitted_at: datetime
    state: str  # "submitting" (its id was never saved) or "pending" (the provider is working on it)

    @property
    def state_label(self) -> str:
        return "interrupted" if self.state == "submitting" else "running"  # interrupted: its id was never saved


@dataclass
class CollectOutcome:
    collected: batch_api.Collected = field(default_factory=batch_api.Collected)
    busy: list[str] = field(default_factory=list)  # jobs another process is working on
    jobs: int = 0

    def sentence(self) -> str:
        """What happened, in one sentence for a notification."""
        c = self.collected
        if not self.jobs:
            return "No provider batch is waiting."
        parts = [f"{c.done} answer{'s' if c.done != 1 else ''} collected"]
        if c.failed:
            parts.append(f"{c.failed} without a usable answer (they are sent one by one when the posting runs)")
        if c.pending:
            parts.append(f"{c.pending} batch{'es' if c.pending != 1 else ''} still waiting")
        if self.busy:
            parts.append(f"{len(self.busy)} job{'s' if len(self.busy) != 1 else ''} left to the `resume-tui batch` "
                         "working on it")
        return "; ".join(parts) + "."


def job_lock(store: Any, job_id: str) -> FileLock:
    return FileLock.for_name(store.lock_dir, f"batchjob-{job_id}")


def pending(store: Any) -> list[PendingBatch]:
    """Every open provider batch, oldest first."""
    if not store.batches.exists():
        return []
    out = []
    for batch in store.batches.batches(open_only=True):
        out.append(PendingBatch(batch.job_id, batch.provider, batch.model, len(batch.items),
                                datetime.fromisoformat(batch.created_at), batch.state))
    return out


def finishable(store: Any) -> list[str]:
    """Unfinished jobs whose provider batches have all ended: `batch --resume JOB` tailors and writes them
    (their answers are in the cache; nothing is sent again)."""
    if not store.batches.exists():
        return []
    open_jobs = set(store.batches.open_jobs())
    jobs = {b.job_id for b in store.batches.batches()} - open_jobs
    out = []
    for job_id in sorted(jobs):
        found = store.batches.job(job_id)
        if found is not None and found[1] != "done":
            out.append(job_id)
    return out


async def collect_open(store: Any, settings: Settings) -> CollectOutcome:
    """One collect round over every job with an open provider batch (no waiting: the board can be asked again)."""
    from resume_tui.providers.cache import ResponseCache
    from resume_tui.providers.prices import PriceTable

    outcome = CollectOutcome()
    cache = ResponseCache(store.path)
    prices = PriceTable(getattr(settings, "prices", None))
    try:
        for job_id in store.batches.open_jobs():
            outcome.jobs += 1
            lock = job_lock(store, job_id)
            if not lock.try_acquire():
                outcome.busy.append(job_id)
                continue
            try:
                got = await batch_api.collect(store, settings, cache, prices, job_id, wait_s=0.0, poll_s=0.0)
            finally:
                lock.release()
            c = outcome.collected
            c.done, c.failed, c.pending = c.done + got.done, c.failed + got.failed, c.pending + got.pending
            c.usage = c.usage + got.usage
            c.notes.extend(got.notes)
    finally:
        cache.close()
    return outcome
