"""The `claude` CLI as a provider, for people with a Claude subscription and no API key.

Runs `claude -p --output-format json` as an asyncio subprocess with the whole prompt on
stdin (never on argv, where `ps` would show it). The CLI prints one JSON envelope whose
`result` holds the model's text; we ask for JSON in the prompt and validate it like any
other provider. A missing binary, a non-zero exit, garbage on stdout and a hang (killed on
timeout) each become a ProviderError of the right kind.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
from typing import Any

from resume_tui.providers.adapter import Finish, LLMAdapter, Reply
from resume_tui.providers.base import ErrorKind, LLMRequest, Message, ProviderError
from resume_tui.providers.jsonout import schema_text

PROMPT_SUFFIX = ("Answer with one JSON object only — no prose, no code fence, no tool use — matching this JSON schema:\n{schema}")


class ClaudeCLIProvider(LLMAdapter):
    name = "claude_cli"
    label = "The claude CLI"

    def __init__(self, model: str = "", *, binary: str = "claude", **kwargs: Any) -> None:
        kwargs.pop("api_key", None)  # the CLI uses its own login; we never pass a key
        kwargs.pop("base_url", None)
        super().__init__(model, **kwargs)
        self.binary = binary

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def build_prompt(self, request: LLMRequest, messages: tuple[Message, ...]) -> str:
        parts = []
        for m in messages:
            tag = {"system": "Instructions", "user": "User", "assistant": "Your previous answer"}[m.role]
            parts.append(f"## {tag}\n{m.content}")
        parts.append(PROMPT_SUFFIX.format(schema=schema_text(request.schema)))
        return "\n\n".join(parts)

    async def _send(self, request: LLMRequest, messages: tuple[Message, ...], timeout: float) -> Reply:
        exe = shutil.which(self.binary)
        if exe is None:
            raise ProviderError(ErrorKind.UNAVAILABLE, "The claude CLI is not installed or not on PATH; install Claude Code or pick another provider.", self.name)
        argv = [exe, "-p", "--output-format", "json"]
        if self.model:
            argv += ["--model", self.model]
        prompt = self.build_prompt(request, messages).encode("utf-8")
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, env=_child_env(), start_new_session=True)
        except OSError as exc:
            raise ProviderError(ErrorKind.UNAVAILABLE, f"The claude CLI could not be started ({exc.strerror or type(exc).__name__}).", self.name) from None
        try:
            stdout, stderr = await asyncio.wait_for(proc.communicate(prompt), timeout)
        except (TimeoutError, asyncio.CancelledError) as exc:
            await _kill(proc)
            if isinstance(exc, asyncio.CancelledError):
                raise
            raise ProviderError(ErrorKind.TIMEOUT, f"The claude CLI did not answer within {timeout:g} s and was stopped.", self.name,
                                unreachable="timeout") from None
        return self._parse(proc.returncode or 0, stdout, stderr)

    def _parse(self, code: int, stdout: bytes, stderr: bytes) -> Reply:
        text = stdout.decode("utf-8", "replace").strip()
        envelope: Any = None
        if text:
            with contextlib.suppress(ValueError):
                envelope = json.loads(text.splitlines()[-1] if not text.startswith("{") else text)
        if (isinstance(envelope, dict) and envelope.get("is_error")) or code != 0:
            detail = (str(envelope.get("result", "")) if isinstance(envelope, dict) else "") + " " + stderr.decode("utf-8", "replace")
            low = detail.lower()
            if "rate limit" in low or "usage limit" in low or "429" in low:
                raise ProviderError(ErrorKind.RATE_LIMIT, "The claude CLI hit a usage or rate limit.", self.name)
            if "login" in low or "authenticat" in low or "api key" in low or "401" in low:
                raise ProviderError(ErrorKind.AUTH, "The claude CLI is not logged in; run `claude` once to log in.", self.name)
            raise ProviderError(ErrorKind.API_ERROR, f"The claude CLI failed (exit code {code}).", self.name)
        if not isinstance(envelope, dict) or not isinstance(envelope.get("result"), str):
            raise ProviderError(ErrorKind.PARSE_ERROR, "The claude CLI printed output that is not its JSON result envelope.", self.name)
        raw_usage = envelope.get("usage")
        usage: dict[str, Any] = raw_usage if isinstance(raw_usage, dict) else {}
        input_tokens = sum(int(usage.get(k) or 0) for k in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"))
        finish: Finish = "length" if envelope.get("subtype") == "error_max_tokens" else "stop"
        data = envelope.get("structured_output") if isinstance(envelope.get("structured_output"), dict) else None
        return Reply(envelope["result"], finish, input_tokens, int(usage.get("output_tokens") or 0), data)


def _child_env() -> dict[str, str]:
    """The CLI uses its own login; do not hand it our API keys (it would bill them instead)."""
    return {k: v for k, v in os.environ.items() if k not in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN")}


async def _kill(proc: asyncio.subprocess.Process) -> None:
    """Kill the CLI and its children (it runs in its own session), then reap it."""
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, 9)
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
    with contextlib.suppress(Exception):
        await asyncio.wait_for(proc.wait(), 2.0)
