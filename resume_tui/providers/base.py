"""The provider protocol every LLM adapter implements, and the errors it may raise.

A provider turns an `LLMRequest` (messages + the pydantic schema the answer must match)
into a validated model instance plus usage. Adapters raise only `ProviderError`, whose
`kind` drives the pipeline's recovery (retry → next provider → offline). The offline
engine is not an LLM: pipeline tasks implement their offline path directly and the router
calls it when the chain reaches "offline".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, Literal, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel

from resume_tui.models import Usage

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Message:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class LLMRequest(Generic[T]):
    task: str  # pipeline task name, e.g. "extract_requirements", "customize_s2"
    messages: tuple[Message, ...]
    schema: type[T]
    max_output_tokens: int = 2048
    timeout_s: float = 45.0
    level: str = "moderate"  # customization level; routers may pick a model per level


@dataclass(frozen=True)
class Result(Generic[T]):
    value: T
    usage: Usage
    provider: str  # "anthropic", "openai", "gemini", "claude_cli", "offline", …
    model: str = ""
    cached: bool = False

    @property
    def source(self) -> str:
        return f"{self.provider}/{self.model}" if self.model else self.provider


class ErrorKind(StrEnum):
    TIMEOUT = "timeout"
    RATE_LIMIT = "rate_limit"
    API_ERROR = "api_error"  # 5xx, overloaded, connection refused/reset, cut stream
    PARSE_ERROR = "parse_error"  # not JSON / truncated output
    VALIDATION_ERROR = "validation_error"  # JSON that fails the schema
    AUTH = "auth"  # missing/invalid key: not retried, next provider
    BUDGET = "budget"  # a cap would be exceeded: stop, keep finished work
    UNAVAILABLE = "unavailable"  # not configured / binary missing


RETRYABLE = frozenset({ErrorKind.TIMEOUT, ErrorKind.RATE_LIMIT, ErrorKind.API_ERROR})


@dataclass
class ProviderError(Exception):
    kind: ErrorKind
    message: str  # one sentence, never containing a key
    provider: str = ""
    retry_after: float | None = None
    usage: Usage = field(default_factory=Usage)
    # The provider gave no answer at all — "refused", "connect_timeout", "timeout" or "broken"
    # (errors_map.transport_failure) — which trips the router's circuit breaker (health.py).
    unreachable: str | None = None
    # Set once the provider is marked unhealthy for the run: never retried, next provider at once.
    unhealthy: bool = False

    def __str__(self) -> str:
        return self.message

    @property
    def retryable(self) -> bool:
        return self.kind in RETRYABLE


@runtime_checkable
class Provider(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def model(self) -> str: ...

    async def complete(self, request: LLMRequest[T]) -> Result[T]:
        """Return the schema-validated answer or raise ProviderError."""

    async def aclose(self) -> None:
        """Release the SDK client and its connections."""
