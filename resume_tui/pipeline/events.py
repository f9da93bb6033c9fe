"""Pipeline events: one envelope, ordered delivery to any number of async sinks.

The TUI, the headless renderer and the store all consume the same stream, so every
event carries a monotonic `seq` and each sink gets its own queue: a slow sink delays
only itself and never sees events out of order.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

log = logging.getLogger(__name__)


class EventType(StrEnum):
    RUN_STARTED = "run_started"
    TASK_STARTED = "task_started"
    TASK_PROGRESS = "task_progress"
    TASK_COMPLETED = "task_completed"
    TASK_FAILED = "task_failed"
    TASK_RETRIED = "task_retried"
    CHANGE_PROPOSED = "change_proposed"
    CHANGE_ACCEPTED = "change_accepted"
    CHANGE_REJECTED = "change_rejected"
    APPROVAL_REQUESTED = "approval_requested"
    APPROVAL_GRANTED = "approval_granted"
    APPROVAL_REJECTED = "approval_rejected"
    FILE_WRITTEN = "file_written"
    RUN_INTERRUPTED = "run_interrupted"
    RUN_COMPLETED = "run_completed"
    RUN_FAILED = "run_failed"


class Event(BaseModel):
    """The envelope every consumer relies on; `payload` is plain JSON-able data."""

    model_config = ConfigDict(frozen=True)

    event_id: str
    seq: int
    run_id: str
    session_id: str
    type: EventType
    ts: datetime
    payload: dict[str, Any] = Field(default_factory=dict)


# A sink is an async (or plain) callable taking one Event.
Sink = Callable[[Event], Awaitable[None] | None]

_STOP = object()


class EventBus:
    """Fan-out with per-sink FIFO queues; `emit` never blocks the pipeline."""

    def __init__(self, run_id: str, session_id: str, clock: Callable[[], datetime], sinks: tuple[Sink, ...] = ()) -> None:
        self.run_id = run_id
        self.session_id = session_id
        self._clock = clock
        self._sinks = list(sinks)
        self._queues: list[asyncio.Queue] = []
        self._workers: list[asyncio.Task] = []
        self._seq = 0
        self.history: list[Event] = []
        self.sink_errors: list[str] = []

    @property
    def seq(self) -> int:
        return self._seq

    def start(self) -> None:
        for sink in self._sinks:
            queue: asyncio.Queue = asyncio.Queue()
            self._queues.append(queue)
            self._workers.append(asyncio.create_task(self._pump(sink, queue), name="pipeline-sink"))

    def emit(self, type: EventType, **payload: Any) -> Event:
        self._seq += 1
        event = Event(
            event_id=uuid.uuid4().hex,
            seq=self._seq,
            run_id=self.run_id,
            session_id=self.session_id,
            type=type,
            ts=self._clock(),
            payload=payload,
        )
        self.history.append(event)
        for queue in self._queues:
            queue.put_nowait(event)
        return event

    async def _pump(self, sink: Sink, queue: asyncio.Queue) -> None:
        while True:
            event = await queue.get()
            if event is _STOP:
                return
            try:
                outcome = sink(event)
                if inspect.isawaitable(outcome):
                    await outcome
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a broken sink must not break the run or the other sinks
                self.sink_errors.append(f"{type(exc).__name__}: {exc}")
                log.warning("pipeline event sink failed: %s", exc)

    async def close(self, timeout: float = 5.0) -> None:
        """Deliver everything already emitted, then stop the sink workers.

        A sink still busy after `timeout` seconds is abandoned so a hung consumer cannot
        keep a finished run alive.
        """
        for queue in self._queues:
            queue.put_nowait(_STOP)
        if self._workers:
            _, stuck = await asyncio.wait(self._workers, timeout=timeout)
            for worker in stuck:
                worker.cancel()
                self.sink_errors.append("a sink did not keep up and was abandoned after the run")
            if stuck:
                await asyncio.wait(stuck, timeout=0.5)
        self._workers.clear()
        self._queues.clear()


class QueueSink:
    """A sink you can iterate: `async for event in sink` until the run's final event."""

    FINAL = frozenset({EventType.RUN_COMPLETED, EventType.RUN_FAILED, EventType.RUN_INTERRUPTED})

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Event] = asyncio.Queue()

    async def __call__(self, event: Event) -> None:
        await self.queue.put(event)

    async def __aiter__(self) -> AsyncIterator[Event]:
        while True:
            event = await self.queue.get()
            yield event
            if event.type in self.FINAL:
                return
