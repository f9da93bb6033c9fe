"""The DAG orchestrator: start every ready task at once, bounded, recoverable, cancellable.

Wall time should approach the critical path, not the sum of calls, so a task starts the
moment its dependencies are done (subject to the concurrency semaphore). Each task tries
its provider chain with the recovery policy, then its offline path; a result always comes
back unless the run is cancelled, times out, or trips the max-steps guard.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from resume_tui.config import Settings
from resume_tui.models import (
    CustomizationLevel,
    JobDescription,
    Resume,
    TaskRecord,
    TaskStatus,
)
from resume_tui.pipeline.clock import Clock, SystemClock
from resume_tui.pipeline.events import EventBus, EventType, Sink
from resume_tui.pipeline.offline import AnalysisEngine, OfflineEngine
from resume_tui.pipeline.progress import eta_seconds, overall_progress
from resume_tui.pipeline.recovery import RetryPolicy
from resume_tui.pipeline.router import ChainRouter
from resume_tui.pipeline.run.chain import ChainRunner, max_retries_for
from resume_tui.pipeline.run.proposals import ChangeProposals
from resume_tui.pipeline.run.records import (
    FINISHED,
    describe,
    restore_completed,
    run_summary,
    task_payload,
    task_record,
)
from resume_tui.pipeline.run.result import (
    PipelineResult,
    RunAborted,
    RunAlreadyActive,
    RunStatusName,
    dag_order,
    finish,
    first_error,
    target_done,
    tier_for,
)
from resume_tui.pipeline.tasks import (
    ASSEMBLE,
    PLAN,
    MicroTask,
    RunContext,
    Timeouts,
    build_tasks,
)

# Run ids currently executing in this process: a second start of the same run is refused.
_LIVE_RUNS: set[str] = set()


class Orchestrator:
    """One run of the pipeline; the TUI can hold it, read `records`/`overall`, and `cancel()` it."""

    def __init__(
        self,
        resume: Resume,
        job: JobDescription | str,
        *,
        level: CustomizationLevel | str = CustomizationLevel.MODERATE,
        router: ChainRouter | None = None,
        sinks: Sequence[Sink] = (),
        settings: Settings | None = None,
        clock: Clock | None = None,
        engine: OfflineEngine | None = None,
        policy: RetryPolicy | None = None,
        run_id: str | None = None,
        session_id: str = "",
        analyze_only: bool = False,
        tasks: Sequence[MicroTask] | None = None,
        max_request_tokens: int | None = None,
        completed: Mapping[str, Any] | None = None,
        batch: bool = True,
        facts: Sequence[str] = (),
    ) -> None:
        settings = settings or Settings()
        limits = settings.limits
        if isinstance(job, str):
            job = JobDescription(text=job)
        self.level = CustomizationLevel(level)
        self.router = router
        protect = getattr(router, "protect", None)
        if callable(protect):  # the router redacts this resume's contact details before any hosted call
            protect(resume)
        self.clock = clock or SystemClock()
        self.run_id = run_id or uuid.uuid4().hex
        self.session_id = session_id
        self.concurrency = max(1, int(limits.concurrency))
        self.run_timeout = float(limits.run_timeout_s)
        self.max_steps = int(limits.max_steps)
        self.policy = policy or RetryPolicy(max_retries=max_retries_for(settings))
        budget = max_request_tokens or int(getattr(limits, "max_request_tokens", 6000))
        self.ctx = RunContext(resume=resume, job=job, level=self.level, engine=engine or AnalysisEngine(),
                              max_request_tokens=budget, facts=[f for f in facts if f and f.strip()])
        timeouts = Timeouts(extract=float(limits.extract_timeout_s), other=float(limits.task_timeout_s))
        self.tasks: dict[str, MicroTask] = {
            t.name: t for t in (tasks if tasks is not None else build_tasks(resume, timeouts=timeouts, analyze_only=analyze_only, batch=batch))
        }
        self._order = dag_order(self.tasks)
        self._completed_before = dict(completed or {})
        self.reused: list[str] = []
        self._sinks = tuple(sinks)
        self.bus = EventBus(self.run_id, session_id, self.clock.now, self._sinks)
        self._sem = asyncio.Semaphore(self.concurrency)
        self._inflight: dict[asyncio.Task, str] = {}
        self._proposals = ChangeProposals(self.bus)
        self.chain = ChainRunner(self.ctx, router, self.level, self.policy, self)
        self._live = False
        self._done = False
        self._cancel_requested = False
        self._steps = 0
        self._t0: float | None = None
        self.max_running = 0  # highest number of tasks observed calling models at once
        self._gated = 0
        self.result: PipelineResult | None = None

    # ------------------------------------------------------------------ public state

    @property
    def live(self) -> bool:
        return self._live

    @property
    def records(self) -> list[TaskRecord]:
        return [task_record(t, self.clock) for t in self.tasks.values()]

    @property
    def weights(self) -> dict[str, float]:
        return {name: t.weight for name, t in self.tasks.items()}

    def overall(self) -> float:
        return overall_progress(self.weights, {n: (1.0 if t.status in FINISHED else t.progress) for n, t in self.tasks.items()})

    def eta(self) -> float | None:
        if self._t0 is None:
            return None
        return eta_seconds(self.clock.monotonic() - self._t0, self.overall())

    def cancel(self) -> None:
        """Stop in-flight work now; completed results are kept."""
        self._cancel_requested = True
        for task in list(self._inflight):
            task.cancel()
        self.chain.cancel_shared()

    # ------------------------------------------------------------------ run

    async def run(self, cancel_event: asyncio.Event | None = None) -> PipelineResult:
        if self._live or self.run_id in _LIVE_RUNS:
            raise RunAlreadyActive(
                f"Run {self.run_id} is already in progress; wait for it to finish or cancel it before starting it again."
            )
        if self._done:
            raise RunAlreadyActive(f"Run {self.run_id} has already finished; start a new run to tailor again.")
        self._live = True
        _LIVE_RUNS.add(self.run_id)
        self._t0 = self.clock.monotonic()
        self.bus.start()
        watcher = asyncio.create_task(self._watch(cancel_event)) if cancel_event is not None else None
        status: RunStatusName = "completed"
        error: str | None = None
        try:
            self.bus.emit(
                EventType.RUN_STARTED,
                level=self.level.value,
                tasks=[{"name": t.name, "deps": list(t.deps), "weight": t.weight} for t in self.tasks.values()],
                concurrency=self.concurrency,
                resumed=bool(self._completed_before),
            )
            self._reuse_completed()
            try:
                async with asyncio.timeout(self.run_timeout):
                    await self._schedule()
            except TimeoutError:
                status, error = "failed", f"The run took longer than {self.run_timeout:g} s and was stopped; finished tasks are kept."
            except RunAborted as exc:
                status, error = "failed", str(exc)
            except asyncio.CancelledError:
                # The caller cancelled the run itself: clean up, report, and propagate.
                await self._stop_inflight()
                self._mark_unfinished(TaskStatus.CANCELLED, "cancelled")
                self.result = self._finish("cancelled", "The run was cancelled.")
                self.bus.emit(EventType.RUN_INTERRUPTED, reason="cancelled", **self._summary())
                raise
            if self._cancel_requested and status == "completed":
                status, error = "cancelled", "The run was cancelled; finished tasks are kept."
            if status != "completed":
                await self._stop_inflight()
                self._mark_unfinished(TaskStatus.CANCELLED, "cancelled" if status == "cancelled" else error)
            elif self.tasks.get(ASSEMBLE, self.tasks.get(PLAN)) and not target_done(self.tasks):
                status, error = "failed", first_error(self.tasks.values()) or "The pipeline could not finish."
            self.result = self._finish(status, error)
            if status == "completed":
                self._proposals.settle(self.result.changes)
                self.bus.emit(
                    EventType.RUN_COMPLETED, tier=self.result.tier, change_ids=[c.id for c in self.result.changes], **self._summary()
                )
            elif status == "cancelled":
                self.bus.emit(EventType.RUN_INTERRUPTED, reason="cancelled", **self._summary())
            else:
                self.bus.emit(EventType.RUN_FAILED, error=error, **self._summary())
            return self.result
        finally:
            if watcher is not None:
                watcher.cancel()
            await asyncio.shield(self._close_bus())
            _LIVE_RUNS.discard(self.run_id)
            self._live = False
            self._done = True

    async def _close_bus(self) -> None:
        await self.bus.close()

    async def _watch(self, cancel_event: asyncio.Event) -> None:
        await cancel_event.wait()
        self.cancel()

    def _reuse_completed(self) -> None:
        """Resume: restore finished tasks from a previous attempt of this run instead of redoing them."""
        restore_completed(self.ctx, self.tasks, self._order, self._completed_before, self.clock, self._reused)

    def _reused(self, task: MicroTask) -> None:
        self.reused.append(task.name)
        self.bus.emit(EventType.TASK_COMPLETED, reused=True, **self._task_payload(task))

    async def _schedule(self) -> None:
        waiting = {n: t for n, t in self.tasks.items() if t.status == TaskStatus.PENDING}
        while True:
            if self._cancel_requested:
                return
            ready: list[MicroTask] = []
            for name, task in list(waiting.items()):
                deps = [self.tasks[d] for d in task.deps]
                hard = [self.tasks[h] for h in task.hard_deps if h in self.tasks]
                hard_broken = [d.name for d in hard if d.status in FINISHED and d.status != TaskStatus.COMPLETED]
                if hard_broken:
                    del waiting[name]
                    self._skip(task, f"dependency {hard_broken[0]} did not complete")
                elif all(d.status in FINISHED for d in deps):
                    del waiting[name]
                    ready.append(task)
            # Model calls first: they get on the wire before any offline task occupies the loop,
            # so local work overlaps their latency instead of delaying it.
            ready.sort(key=lambda t: not self.chain.may_call_model(t))
            for task in ready:
                self._inflight[asyncio.create_task(self._execute(task), name=f"task-{task.name}")] = task.name
            if not self._inflight:
                if waiting:  # unreachable with a checked DAG, but never spin
                    for task in waiting.values():
                        self._skip(task, "dependencies never finished")
                return
            done, _ = await asyncio.wait(set(self._inflight), return_when=asyncio.FIRST_COMPLETED)
            name_of = {f: self._inflight.get(f, "") for f in done}
            for finished in done:
                self._inflight.pop(finished, None)
                exc = None if finished.cancelled() else finished.exception()
                if exc is not None:
                    if isinstance(exc, RunAborted):
                        raise exc
                    task = self.tasks[name_of[finished]]
                    task.status, task.error = TaskStatus.FAILED, describe(exc)

    async def _stop_inflight(self) -> None:
        self.chain.cancel_shared()
        tasks = list(self._inflight)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=0.5)
        self._inflight.clear()

    def _mark_unfinished(self, status: TaskStatus, reason: str | None) -> None:
        now = self.clock.monotonic()
        for task in self.tasks.values():
            if task.status not in FINISHED:
                task.status = status
                task.error = task.error or reason
                if task.started is not None:
                    task.finished = now

    def _skip(self, task: MicroTask, reason: str) -> None:
        task.status = TaskStatus.SKIPPED
        task.error = reason
        self.bus.emit(EventType.TASK_FAILED, **self._task_payload(task))

    # ------------------------------------------------------------------ one task

    def step(self) -> None:
        self._steps += 1
        if self._steps > self.max_steps:
            raise RunAborted(f"The run exceeded its limit of {self.max_steps} steps and was stopped; finished tasks are kept.")

    async def _execute(self, task: MicroTask) -> None:
        # The semaphore bounds model calls in flight; an offline-only task runs synchronously on
        # the loop and never overlaps anything, so it does not queue behind slow model calls.
        gated = self.chain.may_call_model(task)
        try:
            async with self._sem if gated else contextlib.nullcontext():
                if self._cancel_requested:
                    return
                self.step()
                task.status = TaskStatus.RUNNING
                task.started = self.clock.monotonic()
                task.progress = 0.0
                if gated:
                    self._gated += 1
                    self.max_running = max(self.max_running, self._gated)
                self.bus.emit(EventType.TASK_STARTED, **self._task_payload(task))
                try:
                    value = await self.chain.run_paths(task)
                    if task.commit is not None:
                        task.commit(self.ctx, value)
                    result_json = self._dump(task, value)
                except (asyncio.CancelledError, RunAborted):
                    raise
                except Exception as exc:  # the offline path itself failed: this task fails, the run goes on
                    task.status = TaskStatus.FAILED
                    task.error = describe(exc)
                    task.finished = self.clock.monotonic()
                    self.bus.emit(EventType.TASK_FAILED, **self._task_payload(task))
                    return
                task.status = TaskStatus.COMPLETED
                task.progress = 1.0
                task.finished = self.clock.monotonic()
                extra = {"result": result_json} if result_json is not None else {}
                self.bus.emit(EventType.TASK_COMPLETED, **self._task_payload(task), **extra)
                self._proposals.live(task.name, value)
        except asyncio.CancelledError:
            if task.status == TaskStatus.RUNNING or task.status == TaskStatus.PENDING:
                task.status = TaskStatus.CANCELLED
                task.error = task.error or "cancelled"
                if task.started is not None:
                    task.finished = self.clock.monotonic()
                self.bus.emit(EventType.TASK_FAILED, **self._task_payload(task))
            raise
        finally:
            if gated and task.started is not None:
                self._gated -= 1

    def _dump(self, task: MicroTask, value: Any) -> Any:
        """The JSON result for resuming later; a result that will not serialise just is not resumable."""
        if task.dump is None:
            return None
        try:
            return task.dump(self.ctx, value)
        except Exception:
            return None

    # ------------------------------------------------------------------ events and records (the chain's Reporter)

    def progress(self, task: MicroTask, value: float) -> None:
        task.progress = value
        self.bus.emit(EventType.TASK_PROGRESS, **self._task_payload(task))

    def retried(self, task: MicroTask, kind: str, provider: str, next_step: str, delay: float, message: str) -> None:
        self.bus.emit(
            EventType.TASK_RETRIED,
            task=task.name,
            attempt=task.attempts,
            kind=kind,
            provider=provider,
            next=next_step,
            delay_s=round(delay, 3),
            message=message,
            overall=round(self.overall(), 4),
        )

    def _task_payload(self, task: MicroTask) -> dict[str, Any]:
        return task_payload(task, self.clock, self.overall(), self.eta())

    def _summary(self) -> dict[str, Any]:
        elapsed = self.clock.monotonic() - (self._t0 or self.clock.monotonic())
        return run_summary(self.tasks.values(), self.reused, self.overall(), elapsed)

    def _finish(self, status: RunStatusName, error: str | None) -> PipelineResult:
        result = finish(self.ctx, self.tasks, self.records, self.run_id, self.session_id, status, error,
                        self.chain.providers_stopped)
        summary = getattr(self.router, "provider_summary", None)  # per provider: served what, unhealthy and why
        return replace(result, providers=summary(self.records)) if callable(summary) else result


# Also importable from here, where they were defined before the run/ split.
__all__ = ["Orchestrator", "PipelineResult", "RunAlreadyActive", "tier_for"]
