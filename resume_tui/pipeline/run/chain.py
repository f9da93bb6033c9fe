"""One task's paths: its provider chain (retries, fallbacks, shared batched calls), then offline.

A result always comes back unless the run is cancelled or aborted: a provider that fails
or answers unusably hands over to the next one, the last one to the offline path, and an
adapter bug is treated like an API error rather than sinking the task.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import Counter
from typing import Any, Protocol

from resume_tui.config import Settings
from resume_tui.models import CustomizationLevel
from resume_tui.pipeline.chunking import request_tokens
from resume_tui.pipeline.recovery import Action, RetryPolicy
from resume_tui.pipeline.router import provider_label
from resume_tui.pipeline.run.offload import Offloader
from resume_tui.pipeline.run.records import OFFLINE, describe, why
from resume_tui.pipeline.run.result import RunAborted
from resume_tui.pipeline.tasks import MicroTask, OutputRejected, RunContext
from resume_tui.providers.base import ErrorKind, ProviderError


class Router(Protocol):
    def chain_for(self, task: str, level: str) -> Any: ...


class Reporter(Protocol):
    """What the chain tells the orchestrator (which turns it into events and step counts)."""

    def step(self) -> None: ...

    def retried(self, task: MicroTask, kind: str, provider: str, next_step: str, delay: float, message: str) -> None: ...

    def progress(self, task: MicroTask, value: float) -> None: ...


def max_retries_for(settings: Settings) -> int:
    """The retry budget of the first configured provider of the chain (2 when none is)."""
    chain = [settings.provider, *settings.fallback]
    for name in chain:
        cfg = settings.providers.get(name)
        if cfg is not None:
            return cfg.max_retries
    return 2


class _LeaderGone(Exception):
    """The task making a shared call was cancelled; a member still waiting calls again."""


class ChainRunner:
    """Runs tasks' model paths for one run; `providers_stopped` turns every later task offline."""

    def __init__(
        self, ctx: RunContext, router: Router | None, level: CustomizationLevel, policy: RetryPolicy, reporter: Reporter
    ) -> None:
        self.ctx = ctx
        self.router = router
        self.level = level
        self.policy = policy
        self.reporter = reporter
        self.providers_stopped = False
        self.stopped_reason = ""  # why model calls stopped (a budget cap), for every later task's row
        self._shared_calls: dict[tuple[str, int, int], asyncio.Future[Any]] = {}  # batched requests: one call, many tasks
        self._offload = Offloader()  # offline paths run in a thread, one at a time: the loop stays free

    def may_call_model(self, task: MicroTask) -> bool:
        return task.requests is not None and self.router is not None and not self.providers_stopped

    def cancel_shared(self) -> None:
        for call in list(self._shared_calls.values()):
            call.cancel()

    async def run_paths(self, task: MicroTask) -> Any:
        """Provider chain (bounded by the task timeout) first, then the offline path."""
        if task.prepare is not None:  # may run the offline analysis (the plan's input): off the loop too
            await self._offload.run(task.prepare, self.ctx)
        chain: list[Any] = []
        requests: list[Any] = []
        broken = False
        if task.requests is not None and self.router is not None and not self.providers_stopped:
            try:
                chain = list(self.router.chain_for(task.name, self.level.value))
                requests = task.requests(self.ctx) if chain else []
            except Exception as exc:  # a misconfigured chain or prompt must not cost the task its offline path
                task.error = f"no model call possible: {describe(exc)}"
                kind = getattr(getattr(exc, "kind", None), "value", "api_error")
                self.reporter.retried(task, kind, "", "offline", 0.0, task.error)
                chain, requests, broken = [], [], True
            if chain and not requests:
                chain = []  # nothing a model could be asked within the token budget
            budget = self.ctx.max_request_tokens
            if any(request_tokens(r) > budget for r in requests):
                task.error = f"a request would exceed the {budget}-token budget"
                chain = []
        if chain:
            try:
                async with asyncio.timeout(task.timeout):
                    outcome = await self._via_chain(task, chain, requests)
            except TimeoutError:
                waited = f"no answer in {task.timeout:g} s"  # the breaker's words, so the summary counts one reason
                task.error = why(task.provider, waited) if task.provider else waited
                self.reporter.retried(task, ErrorKind.TIMEOUT.value, task.provider or "", "offline", 0.0, task.error)
                outcome = None
            if outcome is not None:
                return outcome
            task.fallback = True
        # Offline: first choice when there is no chain, a fallback otherwise.
        if task.offline is None:
            raise RuntimeError(f"task {task.name} has no offline implementation")
        task.attempts += 1
        value = await self._offload.run(task.offline, self.ctx)
        if inspect.isawaitable(value):
            value = await value
        task.provider = OFFLINE
        task.first_choice = not chain and not broken
        task.fallback = task.fallback or broken
        if not chain and self.providers_stopped and task.requests is not None and self.router is not None:
            task.fallback = True  # it would have asked a model: say why it did not (tiers still count it as before)
            task.error = task.error or self.stopped_reason
        return value

    async def _via_chain(self, task: MicroTask, chain: list[Any], requests: list[Any]) -> Any | None:
        assert task.map_output is not None
        for index, provider in enumerate(chain):
            label = provider_label(provider)
            task.provider = label
            failures: Counter[ErrorKind] = Counter()
            values: list[Any] = [None] * len(requests)
            while True:
                task.attempts += 1
                lead = [True]
                try:
                    for i, request in enumerate(requests):
                        if values[i] is not None:
                            continue  # keep chunks already answered by this provider
                        self.reporter.step()
                        result = await self._complete(provider, label, request, lead, sum(failures.values()))
                        if lead[0]:
                            task.usage = task.usage + result.usage
                        values[i] = result.value
                        self.reporter.progress(task, 0.9 * (i + 1) / len(requests))
                    value = task.map_output(self.ctx, values, getattr(result, "source", label))
                    task.fallback = index > 0
                    task.first_choice = index == 0
                    task.provider = getattr(result, "source", label)
                    return value
                except OutputRejected as exc:
                    task.error = f"{label}: {exc}"
                    nxt = "offline" if exc.to_offline or index == len(chain) - 1 else "next_provider"
                    self.reporter.retried(task, ErrorKind.VALIDATION_ERROR.value, label, nxt, 0.0, str(exc))
                    if exc.to_offline:
                        return None
                    break
                except ProviderError as exc:
                    if lead[0]:
                        task.usage = task.usage + exc.usage
                    failures[exc.kind] += 1
                    task.error = why(label, exc.message)
                    action = self.policy.decide(exc, failures[exc.kind])
                    if action == Action.RETRY:
                        delay = self.policy.delay(exc, failures[exc.kind])
                        self.reporter.retried(task, exc.kind.value, label, "retry", delay, exc.message)
                        if delay > 0:
                            await asyncio.sleep(delay)
                        continue
                    if action == Action.STOP_PROVIDERS:
                        self.providers_stopped = True
                        self.stopped_reason = self.stopped_reason or why(label, exc.message)
                        self.reporter.retried(task, exc.kind.value, label, "offline", 0.0, exc.message)
                        return None
                    nxt = "offline" if index == len(chain) - 1 else "next_provider"
                    self.reporter.retried(task, exc.kind.value, label, nxt, 0.0, exc.message)
                    break
                except (asyncio.CancelledError, RunAborted):
                    raise
                except Exception as exc:  # an adapter bug must not sink the task: treat as an API error
                    task.error = f"{label}: {describe(exc)}"
                    nxt = "offline" if index == len(chain) - 1 else "next_provider"
                    self.reporter.retried(task, ErrorKind.API_ERROR.value, label, nxt, 0.0, describe(exc))
                    break
        return None

    def _is_batched(self, request: Any) -> bool:
        return any(request is r for reqs in self.ctx.batch_requests.values() for r in reqs)

    async def _complete(self, provider: Any, label: str, request: Any, lead: list[bool], attempt: int) -> Any:
        """One provider call; a batched request shared by several tasks is sent once per attempt.

        Members asking the same provider for the same attempt (0 = first try, 1 = first retry…)
        share one call and its outcome, success or error, so a batch recovers exactly like one
        task. The member that makes the call is billed its usage (`lead[0]` stays True); it makes
        it itself so the call is on the wire at once. If that member is cancelled (its own
        timeout), a waiting member takes over and calls again.
        """
        if not self._is_batched(request):
            return await provider.complete(request)
        key = (label, id(request), attempt)
        while True:
            shared = self._shared_calls.get(key)
            if shared is None:
                lead[0] = True
                shared = asyncio.get_running_loop().create_future()
                self._shared_calls[key] = shared
                try:
                    result = await provider.complete(request)
                except BaseException as exc:
                    gone = isinstance(exc, asyncio.CancelledError)
                    if gone:
                        self._shared_calls.pop(key, None)
                    if not shared.done():  # (cancel() may have cancelled it already)
                        shared.set_exception(_LeaderGone() if gone else exc)
                        shared.exception()  # retrieved: no "never retrieved" warning when nobody waits
                    raise
                if not shared.done():
                    shared.set_result(result)
                return result
            lead[0] = False
            try:
                return await asyncio.shield(shared)
            except _LeaderGone:
                continue
