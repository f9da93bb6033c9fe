"""The providers' batch APIs as the scale-out engine of `resume-tui batch` (no queue of our own).

1. `plan`: the first requests of every posting's run (pipeline/prefetch.py), each addressed to the
   provider the run itself would call first, redacted as that call would be, and keyed as the
   response cache keys it. Requests already answered (in the cache), already waiting in a
   submitted batch, or repeated across postings are left out — nothing is ever sent twice.
2. `submit`: one provider batch per (provider, model), recorded in SQLite *before* it is sent (with
   the key of its request set and each request) and given its remote id the moment it is known.
3. `collect`: reconcile any submission a crash interrupted (batch_reconcile.py), then poll every
   open batch of the job; when one ends (or expires, or is cancelled), each schema-valid answer
   goes into the response cache and each request's fate into SQLite. `batch --resume` and the
   TUI's Postings board (`collect_open`, every job at once) both collect through it.

The runs then proceed as usual: a batched answer is a cache hit for the very call it answers, and
is mapped and checked like any answer (quotes verified, every change guarded). A request whose
answer failed, expired or never came is simply a cache miss, so the run calls interactively —
next provider, then offline — exactly as after any failed call.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from resume_tui.config import Settings
from resume_tui.models import CustomizationLevel, JobDescription, Resume, Usage
from resume_tui.session.repos.batches import BatchItemRow
from resume_tui.session.services.batch_reconcile import encode_request, reconcile, request_key

BATCH_NOTE = "batch: ~50% of the interactive price, results within 24 h, usually minutes"


@dataclass
class Group:
    """The requests for one (provider, model): what one provider batch will carry."""

    provider: str
    family: str
    model: str
    price_name: str
    items: list[tuple[BatchItemRow, Any]] = field(default_factory=list)  # (row, the request as sent)


@dataclass
class Collected:
    done: int = 0
    failed: int = 0
    pending: int = 0  # batches still open when collection stopped
    usage: Usage = field(default_factory=Usage)
    notes: list[str] = field(default_factory=list)


def _schema_name(schema: type) -> str:
    return f"{schema.__module__}:{schema.__qualname__}"


def _schema(name: str) -> Any:
    module, _, qualname = name.partition(":")
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


def plan(router: Any, store: Any, resume: Resume, jobs: Sequence[JobDescription], *, level: CustomizationLevel,
         settings: Settings) -> list[Group]:
    """Every first-stage request of these postings' runs that a batch API can answer and nobody has yet."""
    from resume_tui.pipeline.prefetch import first_requests
    from resume_tui.providers.batch_api import supports_batches
    from resume_tui.providers.cache import cache_key

    if router is None or router.cache is None:
        return []
    router.protect(resume)  # the same placeholders the runs will use (the redactor learns the resume in order)
    taken = store.batches.pending_keys()
    groups: dict[tuple[str, str], Group] = {}
    for job in jobs:
        for request in first_requests(resume, job, level=level, settings=settings):
            entries = router.plan_for(request.task, level.value)
            if not entries or not supports_batches(entries[0].family):
                continue
            entry = entries[0]
            managed = router.chain_for(request.task, level.value)[0]
            sent = managed.redactor.redact_request(request) if managed.redactor is not None else request
            key = cache_key(managed.inner.identity, managed.inner.model, sent)
            if key in taken or router.cache.get(key, request.schema) is not None:
                continue
            taken.add(key)
            group = groups.setdefault((entry.name, managed.inner.model), Group(
                entry.name, entry.family, managed.inner.model, managed.price_name))
            group.items.append((BatchItemRow(key[:64], key, request.task, _schema_name(request.schema),
                                             request=encode_request(sent)), sent))
    return list(groups.values())


def batch_cost(router: Any, groups: Sequence[Group]) -> float:
    """What the batched calls are expected to cost at batch prices (USD)."""
    from resume_tui.providers.batch_api import BATCH_DISCOUNT

    return BATCH_DISCOUNT * router.estimate([sent for g in groups for _, sent in g.items]).cost_usd


def estimate(router: Any, groups: Sequence[Group]) -> str:
    """The batched calls' cost at batch prices, in the estimate's own words."""
    calls = sum(len(g.items) for g in groups)
    cost = batch_cost(router, groups)
    names = ", ".join(sorted({f"{g.provider}/{g.model}" for g in groups}))
    return f"{calls} first-stage calls through the batch API of {names}, ~${cost:.4f} ({BATCH_NOTE})"


def _client(settings: Settings, provider: str, family: str, model: str) -> Any:
    from resume_tui.providers.batch_api import batch_client

    ps = settings.provider_settings(provider)
    return batch_client(family, model, api_key=ps.api_key, base_url=ps.base_url, timeout_s=max(30.0, ps.timeout_s))


async def submit(store: Any, settings: Settings, job_id: str, groups: Sequence[Group]) -> list[str]:
    """One provider batch per group; a group whose submission fails is closed as failed (its calls go interactive)."""
    from resume_tui.providers.base import ProviderError
    from resume_tui.providers.batch_api import BatchItem

    local_ids = []
    for group in groups:
        rows = [row for row, _ in group.items]
        key = request_key(group.provider, group.model, [row.custom_id for row in rows])
        local_id = store.batches.record(job_id, group.provider, group.family, group.model, rows, request_key=key)
        client = _client(settings, group.provider, group.family, group.model)
        try:
            remote_id = await client.submit([BatchItem(row.custom_id, sent) for row, sent in group.items], tag=key)
        except ProviderError as exc:
            store.batches.close(local_id, "failed", message=exc.message)
            continue
        finally:
            await client.aclose()
        store.batches.submitted(local_id, remote_id)
        local_ids.append(local_id)
    return local_ids


async def collect(store: Any, settings: Settings, cache: Any, prices: Any, job_id: str, *, wait_s: float,
                  poll_s: float, progress: Callable[[int, int, str], None] | None = None,
                  sleep: Callable[[float], Any] = asyncio.sleep) -> Collected:
    """Poll the job's open batches until all have ended or `wait_s` passed; file every answer in the cache."""
    from resume_tui.providers.base import ProviderError
    from resume_tui.providers.batch_api import BATCH_DISCOUNT

    summary = Collected()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while True:
        open_batches = [b for b in store.batches.batches(job_id, open_only=True)]
        for batch in [b for b in open_batches if b.remote_id is None]:
            # Recorded but its id never saved (a crash mid-submit): find it at the provider, or send it now.
            client = _client(settings, batch.provider, batch.family, batch.model)
            try:
                summary.notes.append(await reconcile(store, client, batch, _schema))
            except ProviderError as exc:
                summary.notes.append(f"{batch.provider}: could not check an interrupted batch submission "
                                     f"({exc.message}); it is checked again on the next collect.")
            finally:
                await client.aclose()
        open_batches = [b for b in store.batches.batches(job_id, open_only=True) if b.remote_id is not None]
        total = sum(len(b.items) for b in open_batches)
        for batch in open_batches:
            client = _client(settings, batch.provider, batch.family, batch.model)
            try:
                await _collect_one(store, client, batch, cache, prices, BATCH_DISCOUNT, summary)
            finally:
                await client.aclose()
        still = store.batches.batches(job_id, open_only=True)
        if progress is not None:
            progress(total - sum(len(b.items) for b in still), total, f"{len(still)} provider batch(es) running")
        if not still or loop.time() >= deadline:
            summary.pending = len(still)
            return summary
        await sleep(min(poll_s, max(0.0, deadline - loop.time())))


async def _collect_one(store: Any, client: Any, batch: Any, cache: Any, prices: Any, discount: float,
                       summary: Collected) -> None:
    from resume_tui.providers.base import ProviderError

    try:
        poll = await client.poll(batch.remote_id)
        if not poll.final:
            return
        schemas = {item.custom_id: _schema(item.schema) for item in batch.items}
        outcomes = await client.results(batch.remote_id, schemas)
    except ProviderError as exc:
        summary.notes.append(f"{batch.provider} batch {batch.remote_id}: {exc.message}")
        return  # still open: the next poll (or `batch --resume`) tries again
    by_id = {item.custom_id: item for item in batch.items}
    rows: list[tuple[str, str, str | None]] = []
    usage = Usage()
    for outcome in outcomes:
        item = by_id.get(outcome.custom_id)
        if item is None:
            continue
        usage = usage + outcome.usage
        if outcome.value is not None:
            cache.put(item.cache_key, batch.provider, batch.model, item.task, outcome.value,
                      outcome.usage.input_tokens, outcome.usage.output_tokens)
            rows.append((item.custom_id, "done", None))
            summary.done += 1
        else:
            rows.append((item.custom_id, "failed", outcome.error))
            summary.failed += 1
    summary.failed += len(by_id) - len(rows)  # no result at all: failed, they go interactive
    cost = discount * prices.cost(batch.provider, batch.model, usage.input_tokens, usage.output_tokens)
    usage = usage.model_copy(update={"cost_usd": cost})
    summary.usage = summary.usage + usage
    if poll.message:
        summary.notes.append(f"{batch.provider} batch {batch.remote_id}: {poll.message}")
    store.batches.close(batch.id, poll.state, rows, input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
                        cost_usd=cost, message=poll.message)
