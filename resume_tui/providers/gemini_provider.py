"""Gemini adapter (google-genai, imported lazily).

SDK-NOTES: genai has no timeout and no retries by default — we set `HttpOptions.timeout`
in milliseconds per call and leave retry_options unset (the router retries). Timeouts and
transport errors surface as raw httpx2 exceptions, mapped by `generic_error`.
"""

from __future__ import annotations

from typing import Any

from resume_tui.providers.adapter import Finish, LLMAdapter, Reply
from resume_tui.providers.base import ErrorKind, LLMRequest, Message, ProviderError
from resume_tui.providers.errors_map import generic_error, status_error
from resume_tui.providers.jsonout import json_schema

DEFAULT_MODEL = "gemini-2.5-flash"
CHEAP_MODEL = "gemini-2.5-flash-lite"


class GeminiProvider(LLMAdapter):
    name = "gemini"
    sdk_modules = ("google.genai",)
    label = "Gemini"

    def __init__(self, model: str = DEFAULT_MODEL, **kwargs: Any) -> None:
        super().__init__(model, **kwargs)
        self._client: Any = None

    def _get_client(self) -> Any:
        if self._client is None:
            from google import genai
            from google.genai import types

            opts = types.HttpOptions(base_url=self.base_url, timeout=int(self.timeout_s * 1000))
            self._client = genai.Client(api_key=self._api_key, http_options=opts)
        return self._client

    async def _send(self, request: LLMRequest, messages: tuple[Message, ...], timeout: float) -> Reply:
        if not self._api_key:
            raise ProviderError(ErrorKind.AUTH, "No Gemini API key is set; export GEMINI_API_KEY (or GOOGLE_API_KEY) or add it to the config.", self.name)
        from google.genai import types

        client = self._get_client()
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        contents = [types.Content(role="model" if m.role == "assistant" else "user", parts=[types.Part(text=m.content)])
                    for m in messages if m.role != "system"]
        extra: dict[str, Any] = {}
        if self.model.startswith("gemini-2.5-flash"):
            # 2.5 Flash thinks by default and its thoughts spend max_output_tokens; these
            # extraction/rewrite tasks gain little from it, and a cut answer is a failed task.
            extra["thinking_config"] = types.ThinkingConfig(thinking_budget=0)
        config = types.GenerateContentConfig(
            system_instruction=system or None,
            response_mime_type="application/json",
            response_json_schema=json_schema(request.schema),
            max_output_tokens=request.max_output_tokens,
            temperature=0,
            http_options=types.HttpOptions(timeout=max(1, int(timeout * 1000))),
            **extra,
        )
        resp = await client.aio.models.generate_content(model=self.model, contents=contents, config=config)
        cands = resp.candidates or []
        if not cands:
            feedback = getattr(resp, "prompt_feedback", None)
            if feedback is not None and getattr(feedback, "block_reason", None):
                raise ProviderError(ErrorKind.VALIDATION_ERROR, "Gemini blocked the request for safety reasons.", self.name)
            raise ProviderError(ErrorKind.PARSE_ERROR, "Gemini sent a response without any answer.", self.name)
        reason = cands[0].finish_reason
        reason_name = getattr(reason, "value", reason)
        finish: Finish = "none" if reason is None else "length" if reason_name == "MAX_TOKENS" else "stop"
        if reason_name in ("SAFETY", "RECITATION", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII"):
            raise ProviderError(ErrorKind.VALIDATION_ERROR, f"Gemini stopped the answer ({reason_name.lower()}).", self.name)
        text = "".join(p.text or "" for p in (cands[0].content.parts if cands[0].content and cands[0].content.parts else []))
        meta = resp.usage_metadata
        return Reply(text, finish, getattr(meta, "prompt_token_count", 0) or 0,
                     (getattr(meta, "candidates_token_count", 0) or 0) + (getattr(meta, "thoughts_token_count", 0) or 0))

    def _map_error(self, exc: Exception) -> ProviderError:
        from google.genai import errors

        if isinstance(exc, errors.APIError):
            retry_after = None
            response = getattr(exc, "response", None)
            headers = getattr(response, "headers", None)
            if headers is not None:
                from resume_tui.providers.errors_map import parse_retry_after

                retry_after = parse_retry_after(headers)
            return status_error(self.name, exc.code, retry_after, self.label)
        return generic_error(exc, self.name, self.label)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aio.aclose()
            self._client = None
