"""Anthropic Message Batches through the official SDK: `messages.batches.create/retrieve/results/cancel`.

Each request carries the same parameters an interactive call sends (structured output through
`output_config.format`); results arrive as JSONL, one line per request — succeeded, errored,
canceled or expired — in any order, matched back by `custom_id`.

A message batch carries no label of ours (the API has no metadata field), so a batch whose id never
reached us (a crash after create) is recognised among the recent ones (`batches.list`, newest
first) by when it was created and how many requests it holds, and — once it has ended — by the
custom ids in its results, which are the hashes of our requests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC
from typing import Any

from pydantic import BaseModel

from resume_tui.providers.adapter import split_system
from resume_tui.providers.base import ErrorKind, ProviderError
from resume_tui.providers.batch_api.base import (
    CANCELLED,
    ENDED,
    EXPIRED,
    FIND_SCAN,
    FIND_WINDOW,
    PENDING,
    BatchClient,
    BatchItem,
    BatchPoll,
    Intent,
    ItemOutcome,
)
from resume_tui.providers.jsonout import json_schema


class AnthropicBatches(BatchClient):
    family = "anthropic"
    label = "Anthropic"

    def _get_client(self) -> Any:
        if not self._api_key:
            raise ProviderError(ErrorKind.AUTH, "No Anthropic API key is set; export ANTHROPIC_API_KEY or add it to the config.",
                                self.family)
        if self._client is None:
            import anthropic

            self._client = anthropic.AsyncAnthropic(api_key=self._api_key, base_url=self.base_url,
                                                    timeout=self.timeout_s, max_retries=2)
        return self._client

    def params(self, item: BatchItem) -> dict[str, Any]:
        request = item.request
        system, chat = split_system(tuple(request.messages))
        params: dict[str, Any] = {"model": self.model, "max_tokens": request.max_output_tokens, "messages": chat,
                                  "output_config": {"format": {"type": "json_schema", "schema": json_schema(request.schema)}}}
        if system:
            params["system"] = system
        return params

    async def submit(self, items: Sequence[BatchItem], *, tag: str = "") -> str:
        try:
            batch = await self._get_client().messages.batches.create(
                requests=[{"custom_id": item.custom_id, "params": self.params(item)} for item in items])
            return str(batch.id)
        except Exception as exc:  # noqa: BLE001 - one ProviderError sentence
            raise self._fail(exc) from None

    async def find(self, intent: Intent) -> str | None:
        """A recent batch created around `recorded_at` with as many requests as ours: one whose results
        carry exactly our custom ids wins; a still-running one (results not readable yet) is taken
        when it is the closest in time. A wrong guess cannot misplace an answer — results are matched
        by custom id, the hash of the request — it would only leave our requests unanswered."""
        client = self._get_client()
        closest: tuple[float, str] | None = None
        try:
            seen = 0
            async for batch in client.messages.batches.list(limit=100):
                seen += 1
                created = batch.created_at if batch.created_at.tzinfo else batch.created_at.replace(tzinfo=UTC)
                gap = (created - intent.recorded_at).total_seconds()
                if gap < -FIND_WINDOW.total_seconds() or seen > FIND_SCAN:
                    break  # newest first: everything after this is older still
                counts = batch.request_counts
                total = counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired
                if batch.id in intent.known or gap > FIND_WINDOW.total_seconds() or total != len(intent.custom_ids):
                    continue
                if batch.processing_status == "ended" and batch.archived_at is None:
                    ids = {line.custom_id async for line in await client.messages.batches.results(batch.id)}
                    if ids == intent.custom_ids:
                        return str(batch.id)
                    continue
                if closest is None or abs(gap) < closest[0]:
                    closest = (abs(gap), str(batch.id))
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None
        return closest[1] if closest else None

    async def poll(self, remote_id: str) -> BatchPoll:
        try:
            batch = await self._get_client().messages.batches.retrieve(remote_id)
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None
        counts = batch.request_counts
        done = {"succeeded": counts.succeeded, "errored": counts.errored, "canceled": counts.canceled,
                "expired": counts.expired, "processing": counts.processing}
        if batch.processing_status != "ended":
            return BatchPoll(PENDING, done)
        if batch.cancel_initiated_at is not None:
            return BatchPoll(CANCELLED, done, "the batch was cancelled; finished requests are kept")
        if counts.expired:
            return BatchPoll(EXPIRED, done, "the batch expired before every request was answered; finished ones are kept")
        return BatchPoll(ENDED, done)

    async def results(self, remote_id: str, schemas: Mapping[str, type[BaseModel]]) -> list[ItemOutcome]:
        out: list[ItemOutcome] = []
        try:
            lines = await self._get_client().messages.batches.results(remote_id)
            async for line in lines:
                out.append(self._line(line, schemas))
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None
        return out

    def _line(self, line: Any, schemas: Mapping[str, type[BaseModel]]) -> ItemOutcome:
        result = line.result
        if result.type != "succeeded":
            why = {"canceled": "the batch was cancelled before this request ran",
                   "expired": "the batch expired before this request ran"}.get(result.type)
            if why is None:
                error = getattr(getattr(result, "error", None), "error", None)
                why = f"{self.label} refused the request ({getattr(error, 'message', None) or result.type})"
            return ItemOutcome(line.custom_id, None, error=why)
        message = result.message
        text = "".join(block.text for block in message.content or [] if block.type == "text")
        stop = message.stop_reason
        finish = "length" if stop == "max_tokens" else None if stop is None else "stop"
        usage = message.usage
        return self._outcome(line.custom_id, schemas.get(line.custom_id), text, finish,
                             getattr(usage, "input_tokens", 0) or 0, getattr(usage, "output_tokens", 0) or 0)

    async def cancel(self, remote_id: str) -> None:
        try:
            await self._get_client().messages.batches.cancel(remote_id)
        except Exception as exc:  # noqa: BLE001
            raise self._fail(exc) from None

    def _map_error(self, exc: BaseException) -> ProviderError:
        from resume_tui.providers.anthropic_provider import AnthropicProvider

        return AnthropicProvider(self.model, api_key=self._api_key)._map_error(exc)  # type: ignore[arg-type]
