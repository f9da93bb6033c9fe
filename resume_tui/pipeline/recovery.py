"""What to do after a provider error, by kind: retry, move down the chain, or stop.

Transient faults (timeout, rate limit, 5xx) are retried with exponential backoff,
honouring a provider's `retry_after` but never waiting longer than `max_wait_s` (some
SDKs would happily sleep for minutes). Output that failed to parse or validate moves to the
next provider at once: the adapter has already sent its one repair request, so a provider
answering garbage costs 2 calls, not 4; auth/unavailable go straight to the next provider;
a budget error stops all provider calls for the run (finished work is kept). A provider
the router has marked unhealthy for this run (no answer once: providers/health.py) is never
retried: the next provider at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from resume_tui.providers.base import ErrorKind, ProviderError


class Action(StrEnum):
    RETRY = "retry"
    NEXT_PROVIDER = "next_provider"
    STOP_PROVIDERS = "stop_providers"


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 2  # transient faults: attempts per provider = 1 + max_retries
    output_retries: int = 0  # parse/schema faults: extra tries here (the adapter already repaired once)
    base_backoff_s: float = 0.5
    max_backoff_s: float = 8.0
    max_wait_s: float = 10.0  # cap on any single wait, retry_after included

    def decide(self, error: ProviderError, failures_of_kind: int) -> Action:
        """`failures_of_kind` counts this provider's failures so far, this one included."""
        if error.kind == ErrorKind.BUDGET:
            return Action.STOP_PROVIDERS
        if error.unhealthy:
            return Action.NEXT_PROVIDER
        if error.kind in (ErrorKind.AUTH, ErrorKind.UNAVAILABLE):
            return Action.NEXT_PROVIDER
        if error.kind in (ErrorKind.PARSE_ERROR, ErrorKind.VALIDATION_ERROR):
            return Action.RETRY if failures_of_kind <= self.output_retries else Action.NEXT_PROVIDER
        return Action.RETRY if failures_of_kind <= self.max_retries else Action.NEXT_PROVIDER

    def delay(self, error: ProviderError, retry_number: int) -> float:
        """Seconds to wait before retry number `retry_number` (1-based)."""
        if error.retry_after is not None and error.retry_after >= 0:
            return min(error.retry_after, self.max_wait_s)
        if error.kind in (ErrorKind.PARSE_ERROR, ErrorKind.VALIDATION_ERROR):
            return 0.0
        return min(self.base_backoff_s * (2 ** (retry_number - 1)), self.max_backoff_s, self.max_wait_s)
