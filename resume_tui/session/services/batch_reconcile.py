"""Closing the crash window of a provider-batch submission: between the provider accepting a batch
and our saving its id, a crash (or a closed terminal) must not make us send the same requests again.

`submit` (batch_api.py) records the intent first — a row in state "submitting" with the key of its
request set (`request_key`) and every request as it will be sent — then calls create, then saves
the id. A "submitting" row found later is reconciled here: the provider is asked for its recent
batches (`BatchClient.find`: OpenAI by the key in the batch's metadata, Gemini by the job's display
name, Anthropic by creation time, size and — once ended — the custom ids in its results). A match
becomes the row's batch, nothing is sent; no match means the create never reached the provider,
so the stored requests are sent now, and the person is told so.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from resume_tui.providers.base import LLMRequest, Message, ProviderError


def request_key(provider: str, model: str, custom_ids: Iterable[str]) -> str:
    """The deterministic key of a request set (the custom ids are the hashes of the requests)."""
    blob = json.dumps([provider, model, sorted(custom_ids)], separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def encode_request(request: LLMRequest) -> str:
    """The request as sent (already redacted), to send it again if its submission is lost."""
    return json.dumps({"task": request.task, "messages": [[m.role, m.content] for m in request.messages],
                       "max_output_tokens": request.max_output_tokens, "timeout_s": request.timeout_s,
                       "level": request.level}, ensure_ascii=False)


def decode_request(raw: str, schema: type) -> LLMRequest:
    data = json.loads(raw)
    return LLMRequest(task=data["task"], messages=tuple(Message(role, content) for role, content in data["messages"]),
                      schema=schema, max_output_tokens=data["max_output_tokens"], timeout_s=data["timeout_s"],
                      level=data["level"])


async def reconcile(store: Any, client: Any, batch: Any, schema_of: Callable[[str], Any]) -> str:
    """Give an interrupted submission ("submitting", no remote id) its batch: the one the provider has, or a
    new one with the same requests. Returns what happened, in one sentence for the person.

    A provider error while asking leaves the row as it is (the next collect asks again), so a
    flaky list call never turns into a second submission."""
    from resume_tui.providers.batch_api import BatchItem
    from resume_tui.providers.batch_api.base import Intent

    count = len(batch.items)
    intent = Intent(tag=batch.request_key, custom_ids=frozenset(i.custom_id for i in batch.items),
                    recorded_at=datetime.fromisoformat(batch.created_at),
                    known=frozenset(store.batches.remote_ids(batch.provider)))
    found = await client.find(intent) if batch.request_key else None
    if found is not None:
        store.batches.submitted(batch.id, found)
        return (f"{batch.provider}: the batch of {count} requests whose submission was interrupted was found at the "
                f"provider ({found}); nothing was sent again.")
    if any(item.request is None for item in batch.items):  # recorded before requests were kept: cannot resend
        store.batches.close(batch.id, "lost", message="the submission was interrupted before the provider answered")
        return (f"{batch.provider}: an interrupted batch submission of {count} requests was not found at the provider; "
                "they are sent one by one instead.")
    items = [BatchItem(item.custom_id, decode_request(item.request, schema_of(item.schema))) for item in batch.items]
    try:
        remote_id = await client.submit(items, tag=batch.request_key)
    except ProviderError as exc:
        store.batches.close(batch.id, "failed", message=exc.message)
        return f"{batch.provider}: sending the interrupted batch again failed ({exc.message}); its calls go one by one."
    store.batches.submitted(batch.id, remote_id)
    return (f"{batch.provider}: the batch of {count} requests whose submission was interrupted never reached the "
            f"provider, so it was sent again ({remote_id}).")
