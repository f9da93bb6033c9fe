"""Anthropic Messages adapter (official SDK, imported lazily).

SDK-NOTES facts this relies on: structured output is the plain `output_config.format`
parameter (or a forced tool); `create()` has no `temperature` kwarg; the SDK retries and
honours any retry-after unless `max_retries=0`, so we set it to 0 and let the router retry;
529 arrives as `OverloadedError`; malformed bodies raise raw `json.JSONDecodeError`.
"""

from __future__ import annotations

from typing import Any, Literal

from resume_tui.providers.adapter import Finish, LLMAdapter, Reply, split_system
from resume_tui.providers.base import ErrorKind, LLMRequest, Message, ProviderError
from resume_tui.providers.errors_map import generic_error, parse_retry_after, status_error
from resume_tui.providers.jsonout import json_schema

DEFAULT_MODEL = "claude-sonnet-4-6"
CHEAP_MODEL = "claude-haiku-4-5"


class AnthropicProvider(LLMAdapter):
    name = "anthropic"
    sdk_modules = ("anthropic",)
    label = "Anthropic"

    def __init__(self, model: str = DEFAULT_MODEL, *, structured: Literal["output_config", "tool"] = "output_config",
                 **kwargs: Any) -> None:
        super().__init__(model, **kwargs)
        self.structured = structured
        self._client: Any = None

    def _get_client(self) -> Any:
        if self._client is None:
            import anthropic

            self._client = anthropic.AsyncAnthropic(api_key=self._api_key, base_url=self.base_url,
                                                    timeout=self._http_timeout(self.timeout_s), max_retries=0)
        return self._client

    async def _send(self, request: LLMRequest, messages: tuple[Message, ...], timeout: float) -> Reply:
        if not self._api_key:
            raise ProviderError(ErrorKind.AUTH, "No Anthropic API key is set; export ANTHROPIC_API_KEY or add it to the config.", self.name)
        client = self._get_client()
        system, chat = split_system(messages)
        kwargs: dict[str, Any] = {"model": self.model, "max_tokens": request.max_output_tokens,
                                  "messages": chat, "timeout": self._http_timeout(timeout)}
        if system:
            kwargs["system"] = system
        schema = json_schema(request.schema)
        if self.structured == "tool":
            kwargs["tools"] = [{"name": "answer", "description": "Return the answer as structured data.", "input_schema": schema}]
            kwargs["tool_choice"] = {"type": "tool", "name": "answer"}
        else:
            kwargs["output_config"] = {"format": {"type": "json_schema", "schema": schema}}
        import anthropic

        try:
            msg = await client.messages.create(**kwargs)
        except anthropic.BadRequestError as exc:
            # Models without structured outputs reject output_config: use a forced tool instead,
            # once, and remember it for this provider instance.
            if self.structured == "tool" or "output_config" not in str(exc.message):
                raise
            self.structured = "tool"
            return await self._send(request, messages, timeout)
        if msg.content is None and msg.stop_reason is None:
            raise ProviderError(ErrorKind.PARSE_ERROR, "Anthropic sent a response without the expected fields.", self.name)
        usage = msg.usage
        text_parts: list[str] = []
        data = None
        for block in msg.content or []:
            if block.type == "text":
                text_parts.append(block.text)
            elif block.type == "tool_use":
                data = block.input
        stop = msg.stop_reason
        finish: Finish = "length" if stop == "max_tokens" else "none" if stop is None else "stop"
        return Reply("".join(text_parts), finish, getattr(usage, "input_tokens", 0) or 0,
                     getattr(usage, "output_tokens", 0) or 0, data)

    def _map_error(self, exc: Exception) -> ProviderError:
        import anthropic

        if isinstance(exc, anthropic.APITimeoutError):
            return ProviderError(ErrorKind.TIMEOUT, "Anthropic did not answer within the time limit.", self.name)
        if isinstance(exc, anthropic.APIConnectionError):
            return ProviderError(ErrorKind.API_ERROR, "Cannot connect to Anthropic; check the network and base URL.", self.name)
        if isinstance(exc, anthropic.APIStatusError):
            status = exc.status_code
            body = exc.body if isinstance(exc.body, dict) else {}
            etype = (body.get("error") or {}).get("type") if isinstance(body.get("error"), dict) else None
            if status == 200 and etype:  # an error event inside a 200 stream (SDK-NOTES §3)
                status = {"overloaded_error": 529, "rate_limit_error": 429}.get(etype, 500)
            return status_error(self.name, status, parse_retry_after(exc.response.headers), self.label)
        if isinstance(exc, anthropic.APIResponseValidationError):
            return ProviderError(ErrorKind.PARSE_ERROR, "Anthropic sent a response without the expected fields.", self.name)
        if isinstance(exc, TypeError) and "authentication" in str(exc).lower():
            return ProviderError(ErrorKind.AUTH, "No Anthropic API key is set; export ANTHROPIC_API_KEY or add it to the config.", self.name)
        return generic_error(exc, self.name, self.label)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None
