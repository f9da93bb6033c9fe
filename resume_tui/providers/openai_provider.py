"""OpenAI Chat Completions adapter for api.openai.com and any compatible server.

Local servers (Ollama, LM Studio, vLLM, llama.cpp) differ in what `response_format` they
accept. llama-cpp-python's server (0.3.x) answers json_schema with **HTTP 500** and an
`internal_server_error` body quoting its pydantic error ("Input should be 'text' or
'json_object'"); other servers use 400 or 422. We try json_schema, and on a refusal —
whatever the status, recognised by the body — remember per base URL to use json_object
carrying the schema (llama.cpp turns `schema` into a grammar, others ignore the key), then
bare json_object, then plain prompted JSON. The first call to a server settles the mode
while concurrent calls wait, so the refusal is met once per process, not once per task.

Servers on the user's machine or network are streamed from (abandoning a stream stops the
generation) and asked one request at a time (local_server.py says why).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any, ClassVar

from resume_tui.providers.adapter import Finish, LLMAdapter, Reply
from resume_tui.providers.base import ErrorKind, LLMRequest, Message, ProviderError
from resume_tui.providers.errors_map import generic_error, parse_retry_after, status_error, transport_failure
from resume_tui.providers.jsonout import json_schema, schema_text
from resume_tui.providers.local_server import context_overflow, local_slot, refuses_format
from resume_tui.providers.tokens import MESSAGE_OVERHEAD, estimate_tokens

DEFAULT_MODEL = "gpt-4.1"
CHEAP_MODEL = "gpt-4.1-mini"
OFFICIAL = "https://api.openai.com/v1"
MODES = ("json_schema", "json_object_schema", "json_object", "prompted")

PROMPTED_SUFFIX = "Answer with one JSON object only (no prose, no code fence) that matches this JSON schema: {schema}"


class OpenAIProvider(LLMAdapter):
    name = "openai"
    sdk_modules = ("openai",)
    label = "OpenAI"
    # base URL → the response_format mode that server accepts (learned on refusal)
    _mode_by_base_url: ClassVar[dict[str, str]] = {}
    # base URLs whose mode a completed call has confirmed (no more probing needed)
    _mode_settled: ClassVar[set[str]] = set()

    def __init__(self, model: str = DEFAULT_MODEL, **kwargs: Any) -> None:
        super().__init__(model, **kwargs)
        if self.base_url and self.base_url.rstrip("/") != OFFICIAL:
            self.label = "The OpenAI-compatible server"
        self._client: Any = None
        self._resolving: asyncio.Lock | None = None
        self._probing: asyncio.Lock | None = None

    @property
    def local(self) -> bool:
        return bool(self.base_url) and (self.base_url or "").rstrip("/") != OFFICIAL

    @property
    def _server(self) -> str:
        return self.base_url or OFFICIAL

    @property
    def mode(self) -> str:
        return self._mode_by_base_url.get(self._server, "json_schema")

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
            out = self._err(err.kind, err.message)
            out.unreachable = transport_failure(exc) if err.kind in (ErrorKind.TIMEOUT, ErrorKind.API_ERROR) else None
            raise out from None
        if not ids:
            raise self._err(ErrorKind.UNAVAILABLE, f"{self.label} lists no models; load one there or set providers.{self.name}.model in the config.")
        self.model = ids[0]

    def _get_client(self) -> Any:
        if self._client is None:
            import openai

            # Local servers need no key, but the SDK refuses to construct without one.
            self._client = openai.AsyncOpenAI(api_key=self._api_key or "not-needed", base_url=self.base_url,
                                              timeout=self._http_timeout(self.timeout_s), max_retries=0)
        return self._client

    async def _send(self, request: LLMRequest, messages: tuple[Message, ...], timeout: float) -> Reply:
        if not self._api_key and not self.local:
            raise ProviderError(ErrorKind.AUTH, "No OpenAI API key is set; export OPENAI_API_KEY, or set OPENAI_BASE_URL for a local server.", self.name)
        slot = local_slot(self._server)
        if slot is None:
            return await self._send_once_settled(request, messages, timeout)
        async with slot:  # waiting for the slot counts against this call's deadline
            return await self._send_once_settled(request, messages, timeout)

    async def _send_once_settled(self, request: LLMRequest, messages: tuple[Message, ...], timeout: float) -> Reply:
        if self._server in self._mode_settled:
            return await self._send_learning(request, messages, timeout)
        if self._probing is None:
            self._probing = asyncio.Lock()
        import openai

        async with self._probing:  # concurrent first calls wait for the first to learn the mode
            if self._server not in self._mode_settled:
                try:
                    reply = await self._send_learning(request, messages, timeout)
                except openai.APIStatusError:
                    self._mode_settled.add(self._server)  # it answered: the mode is known, the fault is another
                    raise
                self._mode_settled.add(self._server)
                return reply
        return await self._send_learning(request, messages, timeout)

    async def _send_learning(self, request: LLMRequest, messages: tuple[Message, ...], timeout: float) -> Reply:
        """Send in the server's mode; on a response_format refusal step down a mode and resend."""
        import openai

        while True:
            mode = self.mode
            try:
                return await self._send_mode(request, messages, timeout, mode)
            except openai.APIStatusError as exc:
                if mode == "prompted" or not refuses_format(exc):
                    raise
                self._mode_by_base_url[self._server] = MODES[MODES.index(mode) + 1]

    async def _send_mode(self, request: LLMRequest, messages: tuple[Message, ...], timeout: float, mode: str) -> Reply:
        client = self._get_client()
        chat = [{"role": m.role, "content": m.content} for m in messages]
        kwargs: dict[str, Any] = {"model": self.model, "messages": chat, "timeout": self._http_timeout(timeout)}
        if self.local:  # local servers know max_tokens; deterministic output helps the cache
            kwargs["max_tokens"] = request.max_output_tokens
            kwargs["temperature"] = 0
        else:  # reasoning models reject max_tokens and non-default temperature
            kwargs["max_completion_tokens"] = request.max_output_tokens
        if mode == "json_schema":
            kwargs["response_format"] = {"type": "json_schema", "json_schema": {
                "name": request.schema.__name__[:64], "strict": False, "schema": json_schema(request.schema)}}
        else:
            if mode == "json_object_schema":  # llama.cpp: constrained by a grammar built from the schema
                kwargs["response_format"] = {"type": "json_object", "schema": json_schema(request.schema)}
            elif mode == "json_object":
                kwargs["response_format"] = {"type": "json_object"}
            suffix = PROMPTED_SUFFIX.format(schema=schema_text(request.schema))
            if chat and chat[0]["role"] == "system":  # many chat templates want one leading system turn
                chat[0] = {"role": "system", "content": chat[0]["content"] + "\n\n" + suffix}
            else:
                chat.insert(0, {"role": "system", "content": suffix})
        if self.local:
            streamed = await self._stream(client, kwargs, chat)
            if streamed is not None:
                return streamed
            # Not one chunk: llama-cpp-python fails a prompt longer than its context *inside* the
            # stream (HTTP 200, empty body) and drops the connection. Asked again without
            # streaming, it says why at once — after one stale pooled connection, maybe.
            import openai

            try:
                resp = await client.chat.completions.create(**kwargs)
            except openai.APIConnectionError:
                resp = await client.chat.completions.create(**kwargs)
        else:
            resp = await client.chat.completions.create(**kwargs)
        if not resp.choices:
            raise ProviderError(ErrorKind.PARSE_ERROR, f"{self.label} sent a response without any answer.", self.name)
        choice = resp.choices[0]
        reason = choice.finish_reason
        finish: Finish = "length" if reason == "length" else "none" if reason is None else "stop"
        usage = resp.usage
        text = choice.message.content if choice.message else None
        if getattr(choice.message, "refusal", None):
            raise ProviderError(ErrorKind.VALIDATION_ERROR, f"{self.label} refused to answer this request.", self.name)
        return Reply(text or "", finish, getattr(usage, "prompt_tokens", 0) or 0, getattr(usage, "completion_tokens", 0) or 0)

    async def _stream(self, client: Any, kwargs: dict[str, Any], chat: list[dict[str, str]]) -> Reply | None:
        """Local servers are asked to stream so that giving up on an answer stops its generation.

        Measured against llama-cpp-python's server: a non-streamed request we abandon at our
        deadline keeps its single slot generating to max_tokens (a tiny model looping inside a
        JSON list held it 310 s), so every later call queued behind it timed out too; closing a
        stream frees the slot within seconds. Servers that send no usage chunk (llama-cpp-python
        ignores stream_options) get the usage estimated from the text, so it is never reported as 0.
        """
        stream = await client.chat.completions.create(**kwargs, stream=True, stream_options={"include_usage": True})
        parts: list[str] = []
        finish_reason: str | None = None
        usage: Any = None
        refused = False
        chunks = 0
        try:
            async for chunk in stream:
                chunks += 1
                usage = getattr(chunk, "usage", None) or usage
                for choice in getattr(chunk, "choices", None) or ():
                    delta = getattr(choice, "delta", None)
                    if delta is not None and getattr(delta, "content", None):
                        parts.append(delta.content)
                    refused = refused or bool(getattr(delta, "refusal", None))
                    finish_reason = getattr(choice, "finish_reason", None) or finish_reason
        finally:
            await stream.close()  # also on cancel/timeout: closing the connection stops the server's work
        if chunks == 0:
            return None
        if refused:
            raise ProviderError(ErrorKind.VALIDATION_ERROR, f"{self.label} refused to answer this request.", self.name)
        text = "".join(parts)
        finish: Finish = "length" if finish_reason == "length" else "none" if finish_reason is None else "stop"
        if usage is not None:
            return Reply(text, finish, getattr(usage, "prompt_tokens", 0) or 0, getattr(usage, "completion_tokens", 0) or 0)
        tokens_in = sum(estimate_tokens(m["content"]) + MESSAGE_OVERHEAD for m in chat)
        return Reply(text, finish, tokens_in, estimate_tokens(text))

    def _map_error(self, exc: Exception) -> ProviderError:
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return ProviderError(ErrorKind.TIMEOUT, f"{self.label} did not answer within the time limit.", self.name)
        if isinstance(exc, openai.APIConnectionError):
            return ProviderError(ErrorKind.API_ERROR, f"Cannot connect to {_lower(self.label)}; check the base URL and that the server is running.", self.name)
        if isinstance(exc, openai.APIStatusError) and context_overflow(exc):
            window = re.search(r"context (?:length|window|size) (?:is |of )?(\d+)", str(exc.body or exc.message))
            size = f" of {window.group(1)} tokens" if window else ""
            return ProviderError(ErrorKind.UNAVAILABLE, f"{self.label} cannot fit this request in its context window{size}; "
                                 "restart it with a larger context (llama.cpp: -c / --n_ctx 8192).", self.name)
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
