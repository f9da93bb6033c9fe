"""Persisting the pipeline's event stream.

The pipeline emits envelopes (event_id, seq, run_id, session_id, type, ts, payload) to
async sinks. `StoreSink` is such a sink: it buffers events and writes them in batches,
one transaction per batch, on a worker thread — so a run streaming thousands of progress
events never blocks the event loop and never costs one fsync per event. Lifecycle events
(run/task finished, decisions, approvals, writes) flush at once, so what a crash can lose
is at most the last few progress ticks, never a finished task.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from enum import Enum
from typing import Any, Protocol


class EventWriter(Protocol):
    """Where a StoreSink writes its batches (the Store); a protocol so this module needs no Store import."""

    def append_events(self, events: Iterable[Any]) -> int: ...


# Events after which the buffer is written immediately.
FLUSH_NOW = frozenset(
    {
        "run_started",
        "run_completed",
        "run_failed",
        "run_interrupted",
        "run_cancelled",
        "task_completed",
        "task_failed",
        "change_proposed",
        "change_accepted",
        "change_rejected",
        "approval_requested",
        "approval_granted",
        "approval_rejected",
        "file_written",
    }
)
RUN_END = {"run_completed": "completed", "run_failed": "failed", "run_interrupted": "interrupted", "run_cancelled": "cancelled"}


def _iso(ts: Any) -> str:
    if ts is None:
        return datetime.now(UTC).isoformat()
    if isinstance(ts, datetime):
        return (ts if ts.tzinfo else ts.replace(tzinfo=UTC)).isoformat()
    if isinstance(ts, (int, float)):
        return datetime.fromtimestamp(ts, UTC).isoformat()
    return str(ts)


def _plain(value: Any) -> Any:
    """JSON fallback for pydantic models, dataclasses, enums, datetimes, paths, sets."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def dumps(value: Any) -> str:
    return json.dumps(value, default=_plain, ensure_ascii=False, separators=(",", ":"))


def normalize(event: Any) -> dict[str, Any]:
    """Any envelope shape (pydantic model, dataclass, mapping, plain object) → a dict."""
    if isinstance(event, Mapping):
        get = event.get
    else:
        get = lambda name, default=None: getattr(event, name, default)  # noqa: E731
    etype = get("type")
    if isinstance(etype, Enum):
        etype = etype.value
    if not etype:
        raise ValueError("an event needs a type")
    payload = get("payload") or {}
    if not isinstance(payload, Mapping):
        payload = _plain(payload)
    seq = get("seq")
    return {
        "event_id": str(get("event_id") or uuid.uuid4().hex),
        "run_id": get("run_id"),
        "session_id": get("session_id"),
        "seq": int(seq) if seq is not None else None,
        "type": str(etype),
        "ts": _iso(get("ts")),
        "payload": payload,
    }


class StoreSink:
    """An async event sink backed by the store. Use one per run (or share; it is ordered).

    `await sink(event)` / `await sink.emit(event)` buffer; `await sink.flush()` writes;
    `await sink.aclose()` writes what is left. `emit_nowait` is the sync variant.
    """

    def __init__(self, store: EventWriter, *, batch_size: int = 500, max_delay_s: float = 0.25) -> None:
        self.store = store
        self.batch_size = batch_size
        self.max_delay_s = max_delay_s
        self._buffer: list[dict[str, Any]] = []
        self._last_flush = time.monotonic()
        self._lock: asyncio.Lock | None = None
        self.written = 0

    def emit_nowait(self, event: Any) -> bool:
        """Buffer one event; True when the caller should flush now."""
        row = normalize(event)
        self._buffer.append(row)
        return (
            row["type"] in FLUSH_NOW
            or len(self._buffer) >= self.batch_size
            or time.monotonic() - self._last_flush >= self.max_delay_s
        )

    async def emit(self, event: Any) -> None:
        if self.emit_nowait(event):
            await self.flush()

    __call__ = emit

    async def flush(self) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:  # batches reach the database in emission order
            batch, self._buffer = self._buffer, []
            self._last_flush = time.monotonic()
            if batch:
                await asyncio.to_thread(self.store.append_events, batch)
                self.written += len(batch)

    async def aclose(self) -> None:
        await self.flush()

    async def __aenter__(self) -> StoreSink:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
