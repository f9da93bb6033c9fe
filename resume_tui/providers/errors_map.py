"""Map any exception an SDK (or its transport) can raise to one ProviderError.

SDK-NOTES §3/§6: besides the SDKs' own exception trees, raw `httpx2` transport errors and
`json.JSONDecodeError` leak out unwrapped, so each adapter's mapper falls back to these
generic rules. Messages are our own sentences with the status code only — never the
response body (it can echo headers) and never a key.
"""

from __future__ import annotations

import asyncio
import json

from resume_tui.providers.base import ErrorKind, ProviderError


def redact(message: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            message = message.replace(secret, "***")
    return message


def status_error(provider: str, status: int | None, retry_after: float | None = None, label: str | None = None) -> ProviderError:
    """An HTTP error status → the kind that drives recovery."""
    label = label or _LABEL.get(provider, provider)
    if status == 429:
        wait = f"it asked to retry after {seconds(retry_after)} s" if retry_after is not None else "it gave no retry time"
        return ProviderError(ErrorKind.RATE_LIMIT, f"{label} rate-limited the request (HTTP 429; {wait}).", provider, retry_after)
    if status in (401, 403):
        return ProviderError(ErrorKind.AUTH, f"{label} rejected the API key (HTTP {status}); check the key in your environment or config.", provider)
    if status == 408:
        return ProviderError(ErrorKind.TIMEOUT, f"{label} timed out on its side (HTTP 408).", provider, retry_after)
    if status == 404:
        return ProviderError(ErrorKind.UNAVAILABLE, f"{label} does not know this model or endpoint (HTTP 404); check the model name and base URL.", provider)
    if status is not None and (status >= 500 or status == 409):
        what = "is overloaded" if status == 529 else "had a server error"
        return ProviderError(ErrorKind.API_ERROR, f"{label} {what} (HTTP {status}).", provider, retry_after)
    return ProviderError(ErrorKind.API_ERROR, f"{label} refused the request (HTTP {status}); the request may be too large or use an unsupported option.", provider)


def seconds(value: float) -> str:
    """A duration for a sentence: "0.01", "1.5", "30"."""
    return f"{value:.0f}" if value >= 10 else f"{value:.2f}".rstrip("0").rstrip(".")


def timeout_message(label: str, timeout_s: float) -> str:
    return f"{label} did not answer within {seconds(timeout_s)} s."


def generic_error(exc: BaseException, provider: str, label: str | None = None) -> ProviderError:
    """Rules shared by all adapters for exceptions outside an SDK's own hierarchy."""
    label = label or _LABEL.get(provider, provider)
    if isinstance(exc, ProviderError):
        return exc
    if isinstance(exc, (asyncio.TimeoutError, TimeoutError)):
        return ProviderError(ErrorKind.TIMEOUT, f"{label} did not answer within the time limit.", provider)
    if isinstance(exc, json.JSONDecodeError):
        return ProviderError(ErrorKind.PARSE_ERROR, f"{label} sent a response body that is not valid JSON.", provider)
    import httpx2  # the SDKs' transport (it ships with every SDK we support); already imported when one raised

    if isinstance(exc, httpx2.TimeoutException):
        return ProviderError(ErrorKind.TIMEOUT, f"{label} did not answer within the time limit.", provider)
    if isinstance(exc, httpx2.ConnectError):
        return ProviderError(ErrorKind.API_ERROR, f"Cannot connect to {label}; check the base URL and that the server is running.", provider)
    if isinstance(exc, httpx2.TransportError):
        return ProviderError(ErrorKind.API_ERROR, f"The connection to {label} broke before the answer was complete.", provider)
    if isinstance(exc, httpx2.HTTPStatusError):
        return status_error(provider, exc.response.status_code, label=label)
    if isinstance(exc, (ValueError, TypeError, KeyError, AttributeError)):
        return ProviderError(ErrorKind.PARSE_ERROR, f"{label} returned a response we could not read ({type(exc).__name__}).", provider)
    if isinstance(exc, OSError):
        return ProviderError(ErrorKind.API_ERROR, f"Cannot reach {label} ({exc.strerror or type(exc).__name__}).", provider)
    return ProviderError(ErrorKind.API_ERROR, f"{label} failed unexpectedly ({type(exc).__name__}).", provider)


# Exception class names (over the whole cause chain) that mean "no answer at all", most specific first.
_TRANSPORT = (
    ("connect_timeout", ("ConnectTimeout",)),
    ("refused", ("ConnectionRefusedError", "ConnectError")),
    ("timeout", ("ReadTimeout", "WriteTimeout", "PoolTimeout", "TimeoutException", "APITimeoutError", "TimeoutError")),
    ("broken", ("RemoteProtocolError", "ReadError", "WriteError", "ConnectionResetError", "BrokenPipeError",
                "ConnectionAbortedError", "IncompleteRead", "APIConnectionError", "TransportError")),
)


def transport_failure(exc: BaseException) -> str | None:
    """Why a call got no answer at all, or None when the server answered (any HTTP status).

    "refused" (nothing listening), "connect_timeout" (no TCP connection within the connect
    timeout), "timeout" (connected, no answer in time), "broken" (the connection dropped
    mid-answer). Walks `__cause__`/`__context__` because the SDKs wrap httpx2's errors,
    which wrap the OS error; matched by class name so nothing here imports an SDK.
    """
    names: set[str] = set()
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 10:
        names.update(k.__name__ for k in type(current).__mro__)
        if getattr(current, "status_code", None) is not None:
            return None  # an HTTP status (APIStatusError and kin): the server did answer
        current = current.__cause__ or current.__context__
        seen += 1
    for kind, markers in _TRANSPORT:
        if names.intersection(markers):
            return kind
    return None


def parse_retry_after(headers: object) -> float | None:
    """Seconds from `retry-after-ms` / `retry-after` (numbers only; HTTP dates are rare here)."""
    get = getattr(headers, "get", None)
    if get is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = get(name)
        if value:
            try:
                seconds = float(value) * scale
            except ValueError:
                continue
            if seconds >= 0:
                return seconds
    return None


_LABEL = {
    "anthropic": "Anthropic",
    "openai": "The OpenAI-compatible server",
    "gemini": "Gemini",
    "claude_cli": "The claude CLI",
}
