"""The router's circuit breaker: a provider that gives no answer once is not asked again this run.

Before this, every task paid its own timeout against a hung server (`tailor` took 102 s to
fall back to offline against one that accepted connections and never answered) and retried
a refused connection three times per task. Now the first connection failure or timeout of a
provider marks it unhealthy for the rest of the run, with one sentence saying why; calls
already waiting on it are abandoned at once, and later calls fail instantly with that
sentence, so the pipeline moves each task straight to the next provider and every task
row, event and run summary carries the reason.

HTTP errors (429, 5xx) do not trip it: the server answered, and the retry policy handles them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from resume_tui.models import TaskRecord, TaskStatus
from resume_tui.providers.base import ErrorKind, ProviderError


def safe_url(url: str | None) -> str:
    """A base URL fit to print: user:password@ removed (the rest says where it went)."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _seconds(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")


def failure_reason(name: str, unreachable: str, *, base_url: str | None, waited_s: float, connect_s: float,
                   then: str) -> str:
    """"openai: no answer in 30 s — later tasks went to gemini" and its siblings."""
    where = f" at {safe_url(base_url)}" if base_url else ""
    what = {
        "refused": f"connection refused{where}",
        "connect_timeout": f"no connection{where} within {_seconds(connect_s)} s",
        "broken": f"the connection{where} broke before the answer was complete",
    }.get(unreachable, f"no answer in {_seconds(waited_s)} s")
    return f"{name}: {what} — later tasks went to {then}"


@dataclass
class ProviderHealth:
    """One provider's state for this run; `reason` is set when it is not usable."""

    name: str
    healthy: bool = True
    reason: str = ""
    configured: bool = True
    _tripped: asyncio.Event | None = field(default=None, repr=False)

    def _event(self) -> asyncio.Event:
        if self._tripped is None:
            self._tripped = asyncio.Event()
        return self._tripped

    def trip(self, reason: str) -> bool:
        """Mark unhealthy (the first reason wins); True if this call did it."""
        if not self.healthy:
            return False
        self.healthy, self.reason = False, reason
        self._event().set()
        return True

    def error(self, usage: Any = None) -> ProviderError:
        err = ProviderError(ErrorKind.UNAVAILABLE, self.reason, self.name, unhealthy=True)
        if usage is not None:
            err.usage = usage
        return err

    async def guard(self, call: Awaitable[Any]) -> Any:
        """Await `call`, unless this provider is (or becomes) unhealthy first: then the call
        is cancelled — a queued or hung request is abandoned at once — and the reason raised."""
        if not self.healthy:
            if asyncio.iscoroutine(call):
                call.close()
            raise self.error()
        work = asyncio.ensure_future(call)
        tripped = asyncio.ensure_future(self._event().wait())
        try:
            done, _ = await asyncio.wait({work, tripped}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:  # cancelled from outside (a task deadline, the user): stop both
            work.cancel()
            tripped.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.gather(work, tripped, return_exceptions=True)
            raise
        if work in done:
            tripped.cancel()
            return work.result()
        work.cancel()
        with contextlib.suppress(BaseException):
            await work
        raise self.error()


class HealthBoard:
    """Every provider's health for one run, in chain order."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._health: dict[str, ProviderHealth] = {}
        for name in names:
            self.get(name)

    def get(self, name: str) -> ProviderHealth:
        if name not in self._health:
            self._health[name] = ProviderHealth(name)
        return self._health[name]

    def all(self) -> list[ProviderHealth]:
        return list(self._health.values())

    def not_set_up(self, name: str, reason: str) -> None:
        health = self.get(name)
        health.healthy, health.configured, health.reason = False, False, reason

    def summary(self, tasks: Iterable[TaskRecord] = ()) -> list[dict[str, Any]]:
        """For run summaries: [{"name", "healthy", "reason", "tasks_served"}] in chain order."""
        records = list(tasks)
        out = []
        for health in self._health.values():
            served = sum(1 for t in records if t.status == TaskStatus.COMPLETED
                         and (t.provider or "").split("/", 1)[0] == health.name)
            out.append({"name": health.name, "healthy": health.healthy, "reason": health.reason or None,
                        "tasks_served": served})
        return out

    def reasons(self) -> list[str]:
        return [h.reason for h in self._health.values() if not h.healthy and h.reason]
