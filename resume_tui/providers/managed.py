"""One provider in a chain, with everything the router adds around its adapter, in one place:
contact redaction, the response cache, the budget check before the call, the priced usage
after it, and the circuit breaker.

Order of a call: refuse at once if the provider is already unhealthy this run → redact the
prompt (hosted providers) → cache lookup on the redacted prompt → reserve budget → send
(abandoned the moment the provider is marked unhealthy by another call) → settle budget →
cache the redacted answer → restore the real values, refusing an answer that altered a
placeholder.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import PurePath

from resume_tui.models import Usage
from resume_tui.providers.adapter import LLMAdapter
from resume_tui.providers.base import ErrorKind, LLMRequest, ProviderError, Result, T
from resume_tui.providers.budget import Budget
from resume_tui.providers.cache import ResponseCache, cache_key
from resume_tui.providers.health import ProviderHealth, failure_reason
from resume_tui.providers.redact import AlteredPlaceholder, Redactor

# A call cancelled from outside (the task's own deadline) after waiting this long counts as
# "no answer": the pipeline's deadline and the SDK's read timeout are the same number, and
# whichever fires first, the provider did not answer in time. The floor keeps a call that
# only just started (its task's time spent on earlier attempts) from condemning a provider.
CANCELLED_AS_TIMEOUT_SHARE = 0.5  # of the call's own timeout…
CANCELLED_AS_TIMEOUT_MAX_S = 5.0  # …or this many seconds, whichever is less


def price_name(adapter: LLMAdapter) -> str:
    if adapter.name == "claude_cli" or getattr(adapter, "local", False):
        return "offline"  # FREE_PROVIDERS: no per-token bill
    return type(adapter).name


class ManagedProvider:
    """A Provider that adds redaction, cache lookup, budget reservation, pricing and the
    circuit breaker around an adapter."""

    def __init__(self, inner: LLMAdapter, *, name: str, budget: Budget | None, cache: ResponseCache | None,
                 health: ProviderHealth | None = None, redactor: Redactor | None = None,
                 then: Callable[[], str] = lambda: "the offline engine") -> None:
        self.inner = inner
        self.name = name
        self.budget = budget
        self.cache = cache
        self.health = health
        self.redactor = redactor  # None: this provider gets the prompt as written (a local server)
        self._then = then  # who gets the later tasks if this provider is marked unhealthy

    def __repr__(self) -> str:
        return f"ManagedProvider({self.name}/{self.model})"

    @property
    def model(self) -> str:
        """The adapter's model — for a local server, the one it reported once resolved.

        llama.cpp reports its model as the absolute path of the GGUF file; labels, events and
        change sources show just the file name (the adapter still sends the full id)."""
        model = self.inner.model
        return PurePath(model).name if model.startswith("/") else model

    @property
    def label(self) -> str:
        return f"{self.name}/{self.model}" if self.model else self.name

    @property
    def price_name(self) -> str:
        """Local OpenAI-compatible servers and the CLI subscription cost nothing per token."""
        return price_name(self.inner)

    def _priced(self, usage: Usage) -> Usage:
        if self.budget is None:
            return usage
        if not self.budget.prices.known(self.price_name, self.model):  # "unknown price", never a false $0
            return usage.model_copy(update={"cost_usd": 0.0, "unpriced_tokens": usage.total_tokens})
        cost = self.budget.prices.cost(self.price_name, self.model, usage.input_tokens, usage.output_tokens)
        return usage.model_copy(update={"cost_usd": cost})

    # ------------------------------------------------------------------ the call
    async def complete(self, request: LLMRequest[T]) -> Result[T]:
        sent = self.redactor.redact_request(request) if self.redactor is not None else request
        try:
            await self.inner.warm()  # importing the SDK (1–2 s) is not waiting for the provider
        except ImportError:
            pass  # the adapter says so, as a ProviderError, on the call itself
        started = time.monotonic()
        try:
            if self.health is None:
                result = await self._complete(sent)
            else:
                result = await self.health.guard(self._complete(sent))
        except ProviderError as exc:
            if exc.unreachable and self.health is not None:
                self.health.trip(failure_reason(self.name, exc.unreachable, base_url=self.inner.base_url,
                                                waited_s=time.monotonic() - started,
                                                connect_s=self.inner.connect_timeout_s, then=self._then()))
            if self.health is not None and not self.health.healthy:
                exc.unhealthy = True  # no retry: the next provider at once
                if exc.unreachable:
                    exc.message = self.health.reason
            raise
        except asyncio.CancelledError:
            self._cancelled(request, time.monotonic() - started)
            raise
        if self.redactor is None:
            return result
        try:
            value = self.redactor.restore_value(result.value)
        except AlteredPlaceholder as bad:
            raise ProviderError(
                ErrorKind.VALIDATION_ERROR,
                f"{self.name}'s answer was not used: the placeholder {bad.token} {bad.why}; "
                "contact details stay exactly as in the resume.", self.name, usage=result.usage) from None
        return Result(value=value, usage=result.usage, provider=result.provider, model=result.model,  # type: ignore[arg-type]
                      cached=result.cached)

    def _cancelled(self, request: LLMRequest, waited: float) -> None:
        """The task's deadline cancelled a call that had waited a good while: the provider gave
        no answer in time, so later tasks should not wait for it too. (A user's cancel ends the
        run anyway, so reading it the same way costs nothing.)"""
        limit = min(self.inner.timeout_s, request.timeout_s)
        task = asyncio.current_task()
        enough = min(CANCELLED_AS_TIMEOUT_SHARE * limit, CANCELLED_AS_TIMEOUT_MAX_S)
        if self.health is not None and task is not None and task.cancelling() and waited >= enough:
            self.health.trip(failure_reason(self.name, "timeout", base_url=None, waited_s=waited,
                                            connect_s=self.inner.connect_timeout_s, then=self._then()))

    async def _complete(self, request: LLMRequest[T]) -> Result[T]:
        await self.inner.prepare(request)  # e.g. resolve "auto" to a local server's model
        key = cache_key(self.inner.identity, self.inner.model, request) if self.cache is not None else None
        if key is not None and self.cache is not None:
            hit = self.cache.get(key, request.schema)
            if hit is not None:
                return Result(value=hit[0], usage=Usage(cached=True), provider=self.name, model=self.model, cached=True)  # type: ignore[arg-type]
        reservation = None
        if self.budget is not None:
            try:
                reservation = self.budget.reserve(self.price_name, self.model, request)
            except ProviderError as exc:
                exc.provider = self.name
                raise
        try:
            result = await self.inner.complete(request)
        except ProviderError as exc:
            exc.usage = self._priced(exc.usage)
            exc.provider = self.name
            if self.budget is not None and reservation is not None:
                self.budget.settle(reservation, exc.usage)
            raise
        except BaseException:
            if self.budget is not None and reservation is not None:
                self.budget.settle(reservation, Usage())
            raise
        usage = self._priced(result.usage)
        if self.budget is not None and reservation is not None:
            self.budget.settle(reservation, usage)
        if key is not None and self.cache is not None:
            self.cache.put(key, self.name, self.model, request.task, result.value, usage.input_tokens, usage.output_tokens)
        return Result(value=result.value, usage=usage, provider=self.name, model=self.model)

    async def aclose(self) -> None:
        await self.inner.aclose()
