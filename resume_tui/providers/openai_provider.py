"""OpenAI Chat Completions adapter for api.openai.com and any compatible server.

Local servers (Ollama, LM Studio, vLLM, llama.cpp) differ in what `response_format` they
accept: llama.cpp's server answers json_schema with an error. We try json_schema, and on
a refusal remember per base URL to use json_object, then plain prompted JSON — detected
once per process, not once per call.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from resume_tui.providers.adapter import LLMAdapter, Reply
from resume_tui.providers.base import ErrorKind, LLMRequest, Message, ProviderError
from resume_tui.providers.errors_map import generic_error, parse_retry_after, status_error
from resume_tui.providers.jsonout import json_schema, schema_text

DEFAULT_MODEL = "gpt-4.1"
CHEAP_MODEL = "gpt-4.1-mini"
OFFICIAL = "https://api.openai.com/v1"
MODES = ("json_schema", "json_object", "prompted")

PROMPTED_SUFFIX = "Answer with one JSON object only (no prose, no code fence) that matches this JSON schema: {schema}"


class OpenAIProvider(LLMAdapter):
    name = "openai"
    sdk_modules = ("openai",)
    label = "OpenAI"
    # base URL → the response_format mode that server accepts (learned on refusal)
    _mode_by_base_url: ClassVar[dict[str, str]] = {}

    def __init__(self, model: str = DEFAULT_MODEL, **kwargs: Any) -> None:
        super().__init__(model, **kwargs)
        if self.base_url and self.base_url.rstrip("/") != OFFICIAL:
            self.label = "The OpenAI-compatible server"
        self._client: Any = None
        self._resolving: asyncio.Lock | None = None

    @property
    def local(self) -> bool:
        return bool(self.base_url) and self.base_url.rstrip("/") != OFFICIAL

    @property
    def mode(self) -> str:
        return self._mode_by_base_url.get(self.base_url or OFFICIAL, "json_schema")

    async def prepare(self, request: LLMRequest) -> None:
        """Model "auto" (a local server with no model configured): use the first model it lists."""
        if self.model != "auto":
            return
        if self._resolving is None:
            self._resolving = asyncio.Lock()
        async with self._resolving:  # concurrent first tasks ask the server once
            if self.model == "auto":
                await self._resolve_model(request)

    async def _resolve_model(self, request: LLMRequest) -> None:
        await self.warm()
        try:
            page = await self._get_client().with_options(timeout=min(10.0, self._timeout(request))).models.list()
            ids = [m.id for m in getattr(page, "data", None) or [] if getattr(m, "id", None)]
        except Exception as exc:  # noqa: BLE001 - mapped like any call failure
            err = self._map_error(exc)
            raise self._err(err.kind, err.message) from None
        if not ids:
            raise self._err(ErrorKind.UNAVAILABLE, f"{self.label} lists no models; load one there or set providers.{self.name}.model in the config.")
        self.model = ids[0]

    def _get_client(self) -> Any:
        if self._client is None:
            import openai

            # Local servers need no key, but the SDK refuses to construct without one.
            self._client = openai.AsyncOpenAI(api_key=self._api_key or "not-needed", base_url=self.base_url,
                                              timeout=self.timeout_s, max_retries=0)
        return self._client

    async def _send(self, request: LLMRequest, messages: tuple[Message, ...], timeout: float) -> Reply:
        if not self._api_key and not self.local:
            raise ProviderError(ErrorKind.AUTH, "No OpenAI API key is set; export OPENAI_API_KEY, or set OPENAI_BASE_URL for a local server.", self.name)
        import openai

        while True:
            mode = self.mode
            try:
                return await self._send_mode(request, messages, timeout, mode)
            except openai.BadRequestError as exc:
                if mode == "prompted" or not _refuses_format(exc):
                    raise
                nxt = MODES[MODES.index(mode) + 1]
                self._mode_by_base_url[self.base_url or OFFICIAL] = nxt

    async def _send_mode(self, request: LLMRequest, messages: tuple[Message, ...], timeout: float, mode: str) -> Reply:
        client = self._get_client()
        chat = [{"role": m.role, "content": m.content} for m in messages]
        kwargs: dict[str, Any] = {"model": self.model, "messages": chat, "timeout": timeout}
        if self.local:  # local servers know max_tokens; deterministic output helps the cache
            kwargs["max_tokens"] = request.max_output_tokens
            kwargs["temperature"] = 0
        else:  # reasoning models reject max_tokens and non-default temperature
            kwargs["max_completion_tokens"] = request.max_output_tokens
        if mode == "json_schema":
            kwargs["response_format"] = {"type": "json_schema", "json_schema": {
                "name": request.schema.__name__[:64], "strict": False, "schema": json_schema(request.schema)}}
        else:
            if mode == "json_object":
                kwargs["response_format"] = {"type": "json_object"}
            suffix = PROMPTED_SUFFIX.format(schema=schema_text(request.schema))
            if chat and chat[0]["role"] == "system":  # many chat templates want one leading system turn
                chat[0] = {"role": "system", "content": chat[0]["content"] + "\n\n" + suffix}
            else:
                chat.insert(0, {"role": "system", "content": suffix})
        resp = await client.chat.completions.create(**kwargs)
        if not resp.choices:
            raise ProviderError(ErrorKind.PARSE_ERROR, f"{self.label} sent a response without any answer.", self.name)
        choice = resp.choices[0]
        finish = {"length": "length", None: "none"}.get(choice.finish_reason, "stop")
        usage = resp.usage
        text = choice.message.content if choice.message else None
        if getattr(choice.message, "refusal", None):
            raise ProviderError(ErrorKind.VALIDATION_ERROR, f"{self.label} refused to answer this request.", self.name)
        return Reply(text or "", finish, getattr(usage, "prompt_tokens", 0) or 0, getattr(usage, "completion_tokens", 0) or 0)

    def _map_error(self, exc: Exception) -> ProviderError:
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return ProviderError(ErrorKind.TIMEOUT, f"{self.label} did not answer within the time limit.", self.name)
        if isinstance(exc, openai.APIConnectionError):
            return ProviderError(ErrorKind.API_ERROR, f"Cannot connect to {_lower(self.label)}; check the base URL and that the server is running.", self.name)
        if isinstance(exc, openai.APIStatusError):
            return status_error(self.name, exc.status_code, parse_retry_after(exc.response.headers), self.label)
        if isinstance(exc, openai.APIResponseValidationError):
            return ProviderError(ErrorKind.PARSE_ERROR, f"{self.label} sent a response without the expected fields.", self.name)
        if isinstance(exc, openai.APIError):  # e.g. an error event inside a stream
            return ProviderError(ErrorKind.API_ERROR, f"{self.label} reported an error while answering.", self.name)
        return generic_error(exc, self.name, self.label)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


def _lower(label: str) -> str:
    return label[0].lower() + label[1:] if label.startswith("The ") else label


def _refuses_format(exc: Exception) -> bool:
    """A 400 that complains about response_format / json_schema (llama.cpp, old LM Studio)."""
    text = str(getattr(exc, "message", "") or exc).lower()
    return "response_format" in text or "json_schema" in text or "json_object" in text
