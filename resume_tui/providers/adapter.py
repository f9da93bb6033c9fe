"""Shared body of every LLM adapter: timeout, parse, validate, one repair attempt.

Subclasses implement only `_send` (one raw call → `Reply`) and `_map_error` (their SDK's
exceptions → ProviderError). Retries are NOT done here (nor in the SDKs, which are built
with max_retries=0): the router owns the single retry policy.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Literal

from resume_tui.models import Usage
from resume_tui.providers.base import ErrorKind, LLMRequest, Message, ProviderError, Result, T
from resume_tui.providers.errors_map import generic_error, redact, timeout_message, transport_failure
from resume_tui.providers.jsonout import InvalidOutput, validate

Finish = Literal["stop", "length", "none"]


@dataclass
class Reply:
    """One raw answer: the text (or already-parsed tool input), why it ended, tokens used."""

    text: str | None
    finish: Finish
    input_tokens: int = 0
    output_tokens: int = 0
    data: object | None = None  # tool-use input (dict) when the API returned parsed JSON

    @property
    def usage(self) -> Usage:
        return Usage(input_tokens=self.input_tokens, output_tokens=self.output_tokens)


REPAIR_PROMPT = (
    "Your previous answer did not match the required JSON schema: {error}. "
    "Reply again with only the corrected JSON object, no prose, and do not add any fact "
    "that is not in the material you were given."
)


class LLMAdapter(ABC):
    """Base adapter; `name` is the provider family, `model` the model id sent to it."""

    name = "llm"
    label = "The provider"
    sdk_modules: tuple[str, ...] = ()  # imported off the event loop before the first call

    def __init__(self, model: str, *, api_key: str | None = None, base_url: str | None = None,
                 timeout_s: float = 45.0, connect_timeout_s: float = 5.0) -> None:
        self.model = model
        self.base_url = base_url
        self.timeout_s = timeout_s
        self.connect_timeout_s = connect_timeout_s
        self._api_key = api_key
        self.calls = 0  # raw calls sent (repairs included), for tests and benchmarks

    def __repr__(self) -> str:  # never shows the key
        return f"{type(self).__name__}(model={self.model!r}, base_url={self.base_url!r})"

    @property
    def identity(self) -> str:
        """What distinguishes cached answers: the family plus a non-default endpoint."""
        return f"{self.name}@{self.base_url}" if self.base_url else self.name

    def _secrets(self) -> tuple[str, ...]:
        return (self._api_key,) if self._api_key else ()

    def _timeout(self, request: LLMRequest) -> float:
        return max(0.05, min(self.timeout_s, request.timeout_s))

    def _http_timeout(self, timeout: float) -> Any:
        """An httpx2 timeout for the SDKs built on it: `timeout` for reading, but at most
        `connect_timeout_s` to open the connection, so an address that swallows packets costs
        seconds, not the whole read timeout."""
        import httpx2  # the SDKs' transport, already imported with them

        return httpx2.Timeout(timeout, connect=min(self.connect_timeout_s, timeout))

    async def complete(self, request: LLMRequest[T]) -> Result[T]:
        messages = list(request.messages)
        usage = Usage()
        for attempt in range(2):
            reply = await self._guarded_send(request, tuple(messages))
            usage = usage + reply.usage
            if reply.finish == "length":
                raise self._err(ErrorKind.PARSE_ERROR, f"{self.label} stopped at the output token limit, so the answer is incomplete.", usage)
            if reply.finish == "none":
                raise self._err(ErrorKind.PARSE_ERROR, f"{self.label} ended the answer without a stop reason, so it may be cut off.", usage)
            try:
                value = validate(request.schema, reply.data if reply.data is not None else (reply.text or ""))
            except InvalidOutput as bad:
                if attempt == 0:
                    messages.append(Message("assistant", (reply.text or "")[:4000] or "{}"))
                    messages.append(Message("user", REPAIR_PROMPT.format(error=bad.detail[:500])))
                    continue
                what = "was not valid JSON" if bad.kind == ErrorKind.PARSE_ERROR else "did not match the expected structure"
                raise self._err(ErrorKind.VALIDATION_ERROR if bad.kind == ErrorKind.VALIDATION_ERROR else ErrorKind.PARSE_ERROR,
                                f"{self.label}'s answer {what} even after one repair request ({bad.detail[:160]}).", usage) from bad
            return Result(value=value, usage=usage, provider=self.name, model=self.model)  # type: ignore[arg-type]
        raise AssertionError("unreachable")  # pragma: no cover

    def _err(self, kind: ErrorKind, message: str, usage: Usage | None = None) -> ProviderError:
        return ProviderError(kind, redact(message, self._secrets()), self.name, usage=usage or Usage())

    async def prepare(self, request: LLMRequest) -> None:
        """Work needed once before the first call (default none); errors are ProviderErrors."""
        return None

    async def warm(self) -> None:
        """Import the SDK in a worker thread (≈1–2 s) so it neither blocks the event loop
        nor eats into the first call's timeout."""
        missing = [m for m in self.sdk_modules if m not in sys.modules]
        if missing:
            await asyncio.to_thread(lambda: [importlib.import_module(m) for m in missing])

    async def _guarded_send(self, request: LLMRequest, messages: tuple[Message, ...]) -> Reply:
        """One call with our own deadline; every failure becomes a ProviderError."""
        self.calls += 1
        timeout = self._timeout(request)
        try:
            await self.warm()
        except ImportError:
            raise self._err(ErrorKind.UNAVAILABLE, f"The Python package for {self.name} is not installed; reinstall resume-tui.") from None
        try:
            return await asyncio.wait_for(self._send(request, messages, timeout), timeout + 1.0)
        except asyncio.CancelledError:
            raise
        except ProviderError as exc:
            exc.message = redact(exc.message, self._secrets())
            raise
        except BaseException as exc:  # noqa: BLE001 - the whole point is that nothing leaks
            if not isinstance(exc, Exception):
                raise
            err = self._map_error(exc)
            if err.kind == ErrorKind.TIMEOUT and "within the time limit" in err.message:
                err.message = timeout_message(self.label, timeout)  # how long it was given, in the sentence
            err.message = redact(err.message, self._secrets())
            if err.kind in (ErrorKind.TIMEOUT, ErrorKind.API_ERROR) and err.unreachable is None:
                err.unreachable = transport_failure(exc)
            raise err from None

    @abstractmethod
    async def _send(self, request: LLMRequest, messages: tuple[Message, ...], timeout: float) -> Reply:
        """Send one raw request with `timeout` seconds; return the reply or raise."""

    def _map_error(self, exc: Exception) -> ProviderError:
        return generic_error(exc, self.name, self.label)

    async def aclose(self) -> None:
        return None


def split_system(messages: tuple[Message, ...]) -> tuple[str, list[dict[str, str]]]:
    """System text joined, the rest as role/content dicts (APIs that take `system` separately)."""
    system = "\n\n".join(m.content for m in messages if m.role == "system")
    rest = [{"role": m.role, "content": m.content} for m in messages if m.role != "system"]
    return system, rest
