"""Gemini batch mode through the official SDK: `aio.batches.create/get/cancel` with inlined requests.

Each request is a generateContent call with the same config an interactive call sends (system
instruction, JSON schema, output limit) and carries its custom id in `metadata.key`; the finished
job holds one inlined response (or error) per request, matched back by that key. A job's
`display_name` carries the key of its request set, so one whose name never reached us (a crash
after create) is found again by listing the recent jobs (`aio.batches.list`).

The states are the SDK's `types.JobState` names: the SDK turns the Gemini API's BATCH_STATE_* into
JOB_STATE_* (`_transformers.t_job_state`) before we see them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from resume_tui.providers.base import ErrorKind, ProviderError
from resume_tui.providers.batch_api.base import (
    CANCELLED,
    ENDED,
    EXPIRED,
    FAILED,
    FIND_SCAN,
    PENDING,
    BatchClient,
    BatchItem,
    BatchPoll,
    Intent,
    ItemOutcome,
)
from resume_tui.providers.jsonout import json_schema

DISPLAY_PREFIX = "resume-tui "
_STATES = {"JOB_STATE_SUCCEEDED": ENDED, "JOB_STATE_EXPIRED": EXPIRED, "JOB_STATE_CANCELLED": CANCELLED,
           "JOB_STATE_FAILED": FAILED, "JOB_STATE_PARTIALLY_SUCCEEDED": ENDED}


class GeminiBatches(BatchClient):
    family = "gemini"
    label = "Gemini"

    def _get_client(self) -> Any:
        if not self._api_key:
            raise ProviderError(ErrorKind.AUTH, "No Gemini API key is set; export GEMINI_API_KEY (or GOOGLE_API_KEY).",
                                self.family)
        if self._client is None:
            from google import genai
            from google.genai import types

            self._client = genai.Client(api_key=self._api_key, http_options=types.HttpOptions(
                base_url=self.base_url, timeout=int(self.timeout_s * 1000)))
        return self._client

    def inlined(self, item: BatchItem) -> dict[str, Any]:
        messages = item.request.messages
        system = "\n\n".join(m.content for m in messages if m.role == "system")
        contents = [{"role": "model" if m.role == "assistant" else "user", "parts": [{"text": m.content}]}
                    for m in messages if m.role != "system"]
        config: dict[str, Any] = {"response_mime_type": "application/json",
                                  "response_json_schema": json_schema(item.request.schema),
                                  "max_output_tokens": item.request.max_output_tokens, "temperature": 0}
        if system:
            config["system_instruction"] = system
        return {"contents": contents, "config": config, "metadata": {"key": item.custom_id}}

    async def submit(self, items: Sequence[BatchItem], *, tag: str = "") -> str:
        config = {"display_name": DISPLAY_PREFIX + tag} if tag else None
        try:
            job = await self._get_client().aio.batches.create(model=self.model, src=[self.inlined(i) for i in items],
                                                              config=config)
            return str(job.name)
        except Exception as exc:  # noqa: BLE001 - one ProviderError sentence
            raise self._fail(exc) from None

    async def find(self, intent: Intent) -> str | None:
        """The newest job named after this request set's key that we do not already know."""
        try:
            seen = 0
            async for job in await self._get_client().aio.batches.list(config={"page_size": 50}):
                seen += 1
                if job.display_name == DISPLAY_PREFIX + intent.tag and job.name not in intent.known:
                    return str(job.name)
                if seen >= FIND_SCAN:
                    break
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None
        return None

    async def poll(self, remote_id: str) -> BatchPoll:
        try:
            job = await self._get_client().aio.batches.get(name=remote_id)
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None
        state = str(getattr(job.state, "value", job.state) or "")
        message = str(getattr(job.error, "message", "") or "") if getattr(job, "error", None) else ""
        return BatchPoll(_STATES.get(state, PENDING), {}, message)

    async def results(self, remote_id: str, schemas: Mapping[str, type[BaseModel]]) -> list[ItemOutcome]:
        try:
            job = await self._get_client().aio.batches.get(name=remote_id)
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None
        out = []
        state = _STATES.get(str(getattr(job.state, "value", job.state) or ""), PENDING)
        ended = {EXPIRED: "the batch expired", CANCELLED: "the batch was cancelled"}.get(state)
        for entry in (job.dest.inlined_responses if job.dest and job.dest.inlined_responses else []):
            key = str((entry.metadata or {}).get("key") or "")
            if entry.error is not None or entry.response is None:
                why = getattr(entry.error, "message", None) or "no answer"
                error = f"{ended} before this request was answered ({why})" if ended else \
                    f"{self.label} refused the request ({why})"
                out.append(ItemOutcome(key, None, error=error))
                continue
            out.append(self._response(key, entry.response, schemas))
        return out

    def _response(self, key: str, resp: Any, schemas: Mapping[str, type[BaseModel]]) -> ItemOutcome:
        cands = resp.candidates or []
        if not cands:
            return ItemOutcome(key, None, error=f"{self.label} sent a response without any answer")
        reason = cands[0].finish_reason
        name = getattr(reason, "value", reason)
        if name in ("SAFETY", "RECITATION", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII"):
            return ItemOutcome(key, None, error=f"{self.label} stopped the answer ({str(name).lower()})")
        finish = None if reason is None else "length" if name == "MAX_TOKENS" else "stop"
        parts = cands[0].content.parts if cands[0].content and cands[0].content.parts else []
        meta = resp.usage_metadata
        return self._outcome(key, schemas.get(key), "".join(p.text or "" for p in parts), finish,
                             getattr(meta, "prompt_token_count", 0) or 0, getattr(meta, "candidates_token_count", 0) or 0)

    async def cancel(self, remote_id: str) -> None:
        try:
            await self._get_client().aio.batches.cancel(name=remote_id)
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None

    def _map_error(self, exc: BaseException) -> ProviderError:
        from resume_tui.providers.gemini_provider import GeminiProvider

        return GeminiProvider(self.model, api_key=self._api_key)._map_error(exc)  # type: ignore[arg-type]

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aio.aclose()
            self._client = None
