"""Task records and event payloads: how a MicroTask's runtime state is reported and persisted.

Pure functions of a task and the clock, so the orchestrator, the event stream and the
session store all describe a task the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from resume_tui.models import TaskRecord, TaskStatus, Usage
from resume_tui.pipeline.clock import Clock
from resume_tui.pipeline.tasks import MicroTask, RunContext

FINISHED = frozenset({TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.SKIPPED, TaskStatus.CANCELLED})
OFFLINE = "offline"


def task_record(task: MicroTask, clock: Clock) -> TaskRecord:
    """The task as the store keeps it; monotonic start/finish times become wall-clock datetimes."""
    epoch_now, mono_now = clock.now(), clock.monotonic()

    def at(mono: float | None) -> datetime | None:
        if mono is None:
            return None
        return epoch_now - timedelta(seconds=mono_now - mono)

    return TaskRecord(
        name=task.name,
        deps=list(task.deps),
        status=task.status,
        started_at=at(task.started),
        finished_at=at(task.finished),
        attempts=task.attempts,
        usage=task.usage,
        provider=task.provider,
        fallback=task.fallback,
        error=task.error if task.status != TaskStatus.COMPLETED or task.fallback else None,
        progress=1.0 if task.status == TaskStatus.COMPLETED else task.progress,
    )


def task_payload(task: MicroTask, clock: Clock, overall: float, eta: float | None) -> dict[str, Any]:
    """The payload of every task_* event."""
    record = task_record(task, clock)
    return {
        "task": task.name,
        "deps": list(task.deps),
        "status": task.status.value,
        "started_at": record.started_at.isoformat() if record.started_at else None,
        "finished_at": record.finished_at.isoformat() if record.finished_at else None,
        "usage": task.usage.model_dump(mode="json"),
        "progress": round(task.progress, 4),
        "attempts": task.attempts,
        "provider": task.provider,
        "fallback": task.fallback,
        "tokens": task.tokens,
        "cost_usd": task.cost,
        "elapsed_s": round(task.elapsed(clock.monotonic()), 4),
        "error": task.error,
        "overall": round(overall, 4),
        "eta_s": None if eta is None else round(eta, 2),
    }


def total_usage(tasks: Iterable[MicroTask]) -> Usage:
    total = Usage()
    for t in tasks:
        total = total + t.usage
    return total


def run_summary(tasks: Iterable[MicroTask], reused: list[str], overall: float, elapsed: float) -> dict[str, Any]:
    """The payload shared by run_completed, run_failed and run_interrupted."""
    tasks = list(tasks)
    usage = total_usage(tasks)
    return {
        "tasks": dict(Counter(t.status.value for t in tasks)),
        "usage": usage.model_dump(mode="json"),
        "reused": list(reused),
        "tokens": usage.total_tokens,
        "cost_usd": usage.cost_usd,
        "overall": round(overall, 4),
        "elapsed_s": round(elapsed, 4),
    }


def unpack(stored: Any) -> tuple[TaskRecord | None, Any]:
    """Accept the session store's StoredTask (record, result), a {"record", "result"} dict, or a bare result."""
    if hasattr(stored, "result"):
        record = getattr(stored, "record", None)
        return (record if isinstance(record, TaskRecord) else None), stored.result
    if isinstance(stored, dict) and "result" in stored:
        record = stored.get("record")
        if isinstance(record, dict):
            record = TaskRecord.model_validate(record)
        return (record if isinstance(record, TaskRecord) else None), stored["result"]
    return None, stored


def why(label: str, message: str) -> str:
    """A task's reason for leaving a provider: "openai/m: connection refused at …". The
    breaker's sentences already start with the provider's name; it is not said twice."""
    name = label.split("/", 1)[0]
    if message.startswith(f"{name}: "):
        message = message[len(name) + 2:]
    return f"{label}: {message}"


def describe(exc: BaseException) -> str:
    """An exception as one line: its type, and its message when it has one."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def restore_completed(
    ctx: RunContext,
    tasks: Mapping[str, MicroTask],
    order: Sequence[str],
    completed: Mapping[str, Any],
    clock: Clock,
    on_reused: Callable[[MicroTask], None],
) -> None:
    """Restore the tasks a previous attempt of this run finished, calling `on_reused` after each.

    A task is reused only when every task it depends on is reused too, so nothing is built
    on a result that this attempt would compute differently.
    """
    reused_names: set[str] = set()
    if not completed:
        return
    for name in order:
        task = tasks[name]
        stored = completed.get(name)
        if stored is None or task.restore is None or not all(d in reused_names for d in task.deps):
            continue
        record, result = unpack(stored)
        if result is None:
            continue
        try:
            task.restore(ctx, result)
        except Exception:  # a stale or foreign result: redo the task
            continue
        task.status = TaskStatus.COMPLETED
        task.progress = 1.0
        task.started = task.finished = clock.monotonic()
        if record is not None:
            task.attempts = record.attempts
            task.usage = record.usage
            task.provider = record.provider
            task.fallback = record.fallback
            task.error = record.error
        task.provider = task.provider or OFFLINE
        task.first_choice = not task.fallback
        reused_names.add(name)
        on_reused(task)
