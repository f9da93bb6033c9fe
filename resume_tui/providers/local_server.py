"""What OpenAI-compatible servers on the user's own machine or network need beyond the API:
recognising their refusals and limits by the error body, and being asked one at a time.

Facts measured against llama-cpp-python 0.3.36's server (Gemma 3 270M) are in the docstrings;
tests/fakes/llm_server.py replays them.
"""

from __future__ import annotations

import asyncio
import ipaddress
import weakref
from urllib.parse import urlsplit

# event loop → base URL → the one-at-a-time slot for a server on this machine or network
_SLOTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Semaphore]] = weakref.WeakKeyDictionary()


def local_slot(base_url: str) -> asyncio.Semaphore | None:
    """One request at a time to a server on this machine or LAN (None: no limit).

    llama-cpp-python's server has one slot and, by default (interrupt_requests=True), cuts a
    running stream as soon as another request arrives: with our 4 concurrent tasks every
    answer was interrupted (the stream ended after ~350 bytes) and retried until the task
    timed out. LM Studio and a default Ollama also answer one at a time, so queueing here
    costs nothing. Hosted OpenAI-compatible APIs keep full concurrency.
    """
    host = (urlsplit(base_url).hostname or "").lower()
    if not is_nearby(host):
        return None
    loop = asyncio.get_running_loop()
    per_loop = _SLOTS.setdefault(loop, {})
    if base_url not in per_loop:
        per_loop[base_url] = asyncio.Semaphore(1)
    return per_loop[base_url]


def is_nearby(host: str) -> bool:
    if host in ("localhost", "host.docker.internal") or host.endswith((".local", ".lan", ".internal")) or "." not in host:
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local


def context_overflow(exc: Exception) -> bool:
    """A 400 saying the prompt does not fit the model's context (llama-cpp-python: code
    context_length_exceeded; llama.cpp's own server: type exceed_context_size_error). Sending it
    again cannot help, so it is not a retryable API error."""
    if getattr(exc, "status_code", None) != 400:
        return False
    text = f"{getattr(exc, 'message', '') or exc} {getattr(exc, 'body', '') or ''}".lower()
    return "context_length_exceeded" in text or "exceed_context_size" in text or "maximum context length" in text


def refuses_format(exc: Exception) -> bool:
    """An error that complains about response_format / json_schema, whatever its status:
    400 (LM Studio, OpenAI), 422 (FastAPI servers) or 500 (llama-cpp-python's server wraps its
    request-validation error as an internal_server_error). A 5xx only counts when the body
    names response_format, so a real server fault is never mistaken for a refusal."""
    status = getattr(exc, "status_code", None)
    if status not in (400, 422, 500):
        return False
    body = getattr(exc, "body", None)
    text = f"{getattr(exc, 'message', '') or exc} {body if body is not None else ''}".lower()
    if status == 500:
        return "response_format" in text
    return "response_format" in text or "json_schema" in text or "json_object" in text
