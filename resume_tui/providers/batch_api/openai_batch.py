"""The OpenAI Batch API (and OpenAI-compatible servers that implement it) through the official SDK.

A JSONL file of `/v1/chat/completions` bodies is uploaded (`files.create`, purpose "batch"), a
batch is created over it (`batches.create`, 24 h window), polled (`batches.retrieve`), and its
output and error files are read back (`files.content`). An expired or cancelled batch can still
have an output file with the requests it finished: those are used, the rest fall back.
A batch carries the key of its request set in `metadata`, so one whose id never reached us (a
crash after create) is found again by listing the recent batches (`batches.list`).
"""

from __future__ import annotations

import json
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

ENDPOINT = "/v1/chat/completions"
METADATA_KEY = "resume_tui_request_set"
# `openai.types.Batch.status` is one of validating, failed, in_progress, finalizing, completed, expired,
# cancelling, cancelled; the four final ones are mapped, the others are still working (tests check the Literal).
_STATES = {"completed": ENDED, "expired": EXPIRED, "cancelled": CANCELLED, "failed": FAILED}


class OpenAIBatches(BatchClient):
    family = "openai"
    label = "OpenAI"

    def _get_client(self) -> Any:
        if self._client is None:
            if not self._api_key and not self.base_url:
                raise ProviderError(ErrorKind.AUTH, "No OpenAI API key is set; export OPENAI_API_KEY.", self.family)
            import openai

            self._client = openai.AsyncOpenAI(api_key=self._api_key or "not-needed", base_url=self.base_url,
                                              timeout=self.timeout_s, max_retries=2)
        return self._client

    def body(self, item: BatchItem) -> dict[str, Any]:
        request = item.request
        return {"model": self.model, "max_completion_tokens": request.max_output_tokens,
                "messages": [{"role": m.role, "content": m.content} for m in request.messages],
                "response_format": {"type": "json_schema", "json_schema": {
                    "name": request.schema.__name__, "strict": True, "schema": json_schema(request.schema)}}}

    async def submit(self, items: Sequence[BatchItem], *, tag: str = "") -> str:
        lines = [json.dumps({"custom_id": item.custom_id, "method": "POST", "url": ENDPOINT, "body": self.body(item)},
                            ensure_ascii=False) for item in items]
        try:
            client = self._get_client()
            upload = await client.files.create(file=("batch.jsonl", ("\n".join(lines) + "\n").encode("utf-8")),
                                               purpose="batch")
            labels: dict[str, Any] = {"metadata": {METADATA_KEY: tag}} if tag else {}
            batch = await client.batches.create(input_file_id=upload.id, endpoint=ENDPOINT, completion_window="24h",
                                                **labels)
            return str(batch.id)
        except Exception as exc:  # noqa: BLE001 - one ProviderError sentence
            raise self._fail(exc) from None

    async def find(self, intent: Intent) -> str | None:
        """The newest batch labelled with this request set's key that we do not already know."""
        try:
            seen = 0
            async for batch in self._get_client().batches.list(limit=100):
                seen += 1
                if (batch.metadata or {}).get(METADATA_KEY) == intent.tag and batch.id not in intent.known:
                    return str(batch.id)
                if seen >= FIND_SCAN:
                    break
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None
        return None

    async def poll(self, remote_id: str) -> BatchPoll:
        try:
            batch = await self._get_client().batches.retrieve(remote_id)
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None
        counts = batch.request_counts
        done = {"completed": counts.completed, "failed": counts.failed, "total": counts.total} if counts else {}
        state = _STATES.get(batch.status, PENDING)
        message = ""
        if state == FAILED:
            errors = getattr(getattr(batch, "errors", None), "data", None) or []
            message = "; ".join(str(getattr(e, "message", "")) for e in errors[:2]) or "the provider rejected the batch"
        return BatchPoll(state, done, message)

    async def results(self, remote_id: str, schemas: Mapping[str, type[BaseModel]]) -> list[ItemOutcome]:
        out: list[ItemOutcome] = []
        try:
            client = self._get_client()
            batch = await client.batches.retrieve(remote_id)
            for file_id in (batch.output_file_id, batch.error_file_id):
                if not file_id:
                    continue
                content = await client.files.content(file_id)
                for raw in content.text.splitlines():
                    if raw.strip():
                        out.append(self._line(json.loads(raw), schemas))
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None
        return out

    def _line(self, line: dict[str, Any], schemas: Mapping[str, type[BaseModel]]) -> ItemOutcome:
        custom_id = str(line.get("custom_id") or "")
        response = line.get("response") or {}  # codes per the Batch API docs: batch_expired, batch_cancelled
        error = line.get("error")
        body = response.get("body") if isinstance(response, dict) else None
        code = error.get("code") if isinstance(error, dict) else None
        if code in ("batch_expired", "batch_cancelled"):
            why = "expired" if code == "batch_expired" else "was cancelled"
            return ItemOutcome(custom_id, None, error=f"the batch {why} before this request ran")
        if error or not isinstance(body, dict) or response.get("status_code") != 200:
            detail = (error or {}).get("message") if isinstance(error, dict) else None
            if not detail and isinstance(body, dict):
                detail = (body.get("error") or {}).get("message")
            return ItemOutcome(custom_id, None, error=f"{self.label} refused the request ({detail or 'no answer'})")
        choice = (body.get("choices") or [{}])[0]
        text = (choice.get("message") or {}).get("content")
        reason = choice.get("finish_reason")
        finish = "length" if reason == "length" else None if reason is None else "stop"
        usage = body.get("usage") or {}
        return self._outcome(custom_id, schemas.get(custom_id), text, finish,
                             int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))

    async def cancel(self, remote_id: str) -> None:
        try:
            await self._get_client().batches.cancel(remote_id)
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None

    def _map_error(self, exc: BaseException) -> ProviderError:
        from resume_tui.providers.openai_provider import OpenAIProvider

        return OpenAIProvider(self.model, api_key=self._api_key, base_url=self.base_url)._map_error(exc)  # type: ignore[arg-type]
