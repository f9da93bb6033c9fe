"""The DAG orchestrator: start every ready task at once, bounded, recoverable, cancellable.

Wall time should approach the critical path, not the sum of calls, so a task starts the
moment its dependencies are done (subject to the concurrency semaphore). Each task tries
its provider chain with the recovery policy, then its offline path; a result always comes
back unless the run is cancelled, times out, or trips the max-steps guard.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from resume_tui.config import Settings
from resume_tui.errors import InputError
from resume_tui.models import (
    Change,
    CustomizationLevel,
    GapReport,
    JobDescription,
    Plan,
    Resume,
    TaskRecord,
    TaskStatus,
    Usage,
)
from resume_tui.pipeline.chunking import request_tokens
from resume_tui.pipeline.clock import Clock, SystemClock
from resume_tui.pipeline.events import EventBus, EventType, Sink
from resume_tui.pipeline.offline import AnalysisEngine, OfflineEngine
from resume_tui.pipeline.progress import eta_seconds, overall_progress
from resume_tui.pipeline.recovery import Action, RetryPolicy
from resume_tui.pipeline.router import ChainRouter, provider_label
from resume_tui.pipeline.tasks import (
    ASSEMBLE,
    PLAN,
    MicroTask,
    OutputRejected,
    RunContext,
    Timeouts,
    assemble,
    build_tasks,
    general_suggestions,
    offline_plan,
)
from resume_tui.providers.base import ErrorKind, ProviderError

Tier = Literal["normal", "partial", "offline"]
FINISHED = frozenset({TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.SKIPPED, TaskStatus.CANCELLED})
OFFLINE = "offline"

# Run ids currently executing in this process: a second start of the same run is refused.
_LIVE_RUNS: set[str] = set()


class RunAlreadyActive(InputError):
    """A second start of a run that is still live (no duplicate runs)."""


class _LeaderGone(Exception):
    """The task making a shared call was cancelled; a member still waiting calls again."""


class _Abort(Exception):
    """Stops the run from inside (max steps); finished tasks are kept."""


@dataclass
class PipelineResult:
    run_id: str
    session_id: str
    status: Literal["completed", "failed", "cancelled"]
    tier: Tier
    report: GapReport | None
    plan: Plan | None
    changes: list[Change]
    tasks: list[TaskRecord]
    usage: Usage
    score_before: float | None
    score_after: float | None
    job: JobDescription | None = None
    tailored: Resume | None = None
    diff_stats: dict[str, Any] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)
    budget_exceeded: bool = False
    error: str | None = None
    success_ratio: float = 0.0
    providers: list[dict[str, Any]] = field(default_factory=list)  # the router's provider_summary: health per provider


def tier_for(ratio: float) -> Tier:
    if ratio >= 0.8:
        return "normal"
    if ratio >= 0.5:
        return "partial"
    return "offline"


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
    ) -> None:
        settings = settings or Settings()
        limits = settings.limits
        if isinstance(job, str):
            job = JobDescription(text=job)
        self.level = CustomizationLevel(level)
        self.router = router
        if callable(getattr(router, "protect", None)):  # the router redacts this resume's contact details
            router.protect(resume)  # type: ignore[union-attr]
        self.clock = clock or SystemClock()
        self.run_id = run_id or uuid.uuid4().hex
        self.session_id = session_id
        self.concurrency = max(1, int(limits.concurrency))
        self.run_timeout = float(limits.run_timeout_s)
        self.max_steps = int(limits.max_steps)
        self.policy = policy or RetryPolicy(max_retries=_max_retries(settings))
        budget = max_request_tokens or int(getattr(limits, "max_request_tokens", 6000))
        self.ctx = RunContext(resume=resume, job=job, level=self.level, engine=engine or AnalysisEngine(), max_request_tokens=budget)
        timeouts = Timeouts(extract=float(limits.extract_timeout_s), other=float(limits.task_timeout_s))
        self.tasks: dict[str, MicroTask] = {
            t.name: t for t in (tasks if tasks is not None else build_tasks(resume, timeouts=timeouts, analyze_only=analyze_only, batch=batch))
        }
        self._order = self._check_dag()
        self._completed_before = dict(completed or {})
        self.reused: list[str] = []
        self._sinks = tuple(sinks)
        self.bus = EventBus(self.run_id, session_id, self.clock.now, self._sinks)
        self._sem = asyncio.Semaphore(self.concurrency)
        self._inflight: dict[asyncio.Task, str] = {}
        self._shared_calls: dict[tuple[str, int, int], asyncio.Future] = {}  # batched requests: one call, many tasks
        self._proposed: dict[str, dict[str, Any]] = {}  # change id → the change as last emitted
        self._live = False
        self._done = False
        self._cancel_requested = False
        self._providers_stopped = False
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
        return [self._record(t) for t in self.tasks.values()]

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
        for call in list(self._shared_calls.values()):
            call.cancel()

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
        status: Literal["completed", "failed", "cancelled"] = "completed"
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
            except _Abort as exc:
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
            elif self.tasks.get(ASSEMBLE, self.tasks.get(PLAN)) and not self._target_done():
                status, error = "failed", self._first_error() or "The pipeline could not finish."
            self.result = self._finish(status, error)
            if status == "completed":
                self._propose_final(self.result.changes)
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

    def _check_dag(self) -> list[str]:
        names = set(self.tasks)
        for t in self.tasks.values():
            unknown = [d for d in t.deps if d not in names]
            if unknown:
                raise ValueError(f"task {t.name} depends on unknown task(s) {unknown}")
        seen: set[str] = set()
        order: list[str] = []
        pending = dict(self.tasks)
        while pending:
            ready = [n for n, t in pending.items() if all(d in seen for d in t.deps)]
            if not ready:
                raise ValueError(f"the task graph has a cycle among {sorted(pending)}")
            for n in ready:
                seen.add(n)
                order.append(n)
                del pending[n]
        return order

    def _reuse_completed(self) -> None:
        """Resume: restore finished tasks from a previous attempt of this run instead of redoing them.

        A task is reused only when every task it depends on is reused too, so nothing is built
        on a result that this attempt would compute differently.
        """
        if not self._completed_before:
            return
        for name in self._order:
            task = self.tasks[name]
            stored = self._completed_before.get(name)
            if stored is None or task.restore is None or not all(d in self.reused for d in task.deps):
                continue
            record, result = _unpack(stored)
            if result is None:
                continue
            try:
                task.restore(self.ctx, result)
            except Exception:  # a stale or foreign result: redo the task
                continue
            task.status = TaskStatus.COMPLETED
            task.progress = 1.0
            task.started = task.finished = self.clock.monotonic()
            if record is not None:
                task.attempts = record.attempts
                task.usage = record.usage
                task.provider = record.provider
                task.fallback = record.fallback
                task.error = record.error
            task.provider = task.provider or OFFLINE
            task.first_choice = not task.fallback
            self.reused.append(name)
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
            ready.sort(key=lambda t: not self._may_call_model(t))
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
                if not finished.cancelled() and finished.exception() is not None:
                    exc = finished.exception()
                    if isinstance(exc, _Abort):
                        raise exc
                    task = self.tasks[name_of[finished]]
                    task.status, task.error = TaskStatus.FAILED, _describe(exc)

    async def _stop_inflight(self) -> None:
        for call in list(self._shared_calls.values()):
            call.cancel()
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

    def _step(self) -> None:
        self._steps += 1
        if self._steps > self.max_steps:
            raise _Abort(f"The run exceeded its limit of {self.max_steps} steps and was stopped; finished tasks are kept.")

    def _may_call_model(self, task: MicroTask) -> bool:
        return task.requests is not None and self.router is not None and not self._providers_stopped

    async def _execute(self, task: MicroTask) -> None:
        # The semaphore bounds model calls in flight; an offline-only task runs synchronously on
        # the loop and never overlaps anything, so it does not queue behind slow model calls.
        gated = self._may_call_model(task)
        try:
            async with self._sem if gated else contextlib.nullcontext():
                if self._cancel_requested:
                    return
                self._step()
                task.status = TaskStatus.RUNNING
                task.started = self.clock.monotonic()
                task.progress = 0.0
                if gated:
                    self._gated += 1
                    self.max_running = max(self.max_running, self._gated)
                self.bus.emit(EventType.TASK_STARTED, **self._task_payload(task))
                try:
                    value = await self._run_paths(task)
                    if task.commit is not None:
                        task.commit(self.ctx, value)
                    result_json = self._dump(task, value)
                except (asyncio.CancelledError, _Abort):
                    raise
                except Exception as exc:  # the offline path itself failed: this task fails, the run goes on
                    task.status = TaskStatus.FAILED
                    task.error = _describe(exc)
                    task.finished = self.clock.monotonic()
                    self.bus.emit(EventType.TASK_FAILED, **self._task_payload(task))
                    return
                task.status = TaskStatus.COMPLETED
                task.progress = 1.0
                task.finished = self.clock.monotonic()
                extra = {"result": result_json} if result_json is not None else {}
                self.bus.emit(EventType.TASK_COMPLETED, **self._task_payload(task), **extra)
                self._propose_live(task, value)
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

    async def _run_paths(self, task: MicroTask) -> Any:
        """Provider chain (bounded by the task timeout) first, then the offline path."""
        if task.prepare is not None:
            task.prepare(self.ctx)
        chain: list = []
        requests: list = []
        broken = False
        if task.requests is not None and self.router is not None and not self._providers_stopped:
            try:
                chain = list(self.router.chain_for(task.name, self.level.value))
                requests = task.requests(self.ctx) if chain else []
            except Exception as exc:  # a misconfigured chain or prompt must not cost the task its offline path
                task.error = f"no model call possible: {_describe(exc)}"
                self._retried(task, getattr(getattr(exc, "kind", None), "value", "api_error"), "", "offline", 0.0, task.error)
                chain, requests, broken = [], [], True
            if chain and not requests:
                chain = []  # nothing a model could be asked within the token budget
            budget = self.ctx.max_request_tokens
            if any(request_tokens(r) > budget for r in requests):
                task.error = f"a request would exceed the {budget}-token budget"
                chain = []
        if chain:
            try:
                async with asyncio.timeout(task.timeout):
                    outcome = await self._via_chain(task, chain, requests)
            except TimeoutError:
                task.error = f"timed out after {task.timeout:g} s"
                self._retried(task, ErrorKind.TIMEOUT.value, task.provider or "", "offline", 0.0, task.error)
                outcome = None
            if outcome is not None:
                return outcome
            task.fallback = True
        # Offline: first choice when there is no chain, a fallback otherwise.
        if task.offline is None:
            raise RuntimeError(f"task {task.name} has no offline implementation")
        task.attempts += 1
        value = task.offline(self.ctx)
        if inspect.isawaitable(value):
            value = await value
        task.provider = OFFLINE
        task.first_choice = not chain and not broken
        task.fallback = task.fallback or broken
        return value

    async def _via_chain(self, task: MicroTask, chain: list, requests: list) -> Any | None:
        assert task.map_output is not None
        for index, provider in enumerate(chain):
            label = provider_label(provider)
            task.provider = label
            failures: Counter[ErrorKind] = Counter()
            values: list[Any] = [None] * len(requests)
            while True:
                task.attempts += 1
                lead = [True]
                try:
                    for i, request in enumerate(requests):
                        if values[i] is not None:
                            continue  # keep chunks already answered by this provider
                        self._step()
                        result = await self._complete(provider, label, request, lead, sum(failures.values()))
                        if lead[0]:
                            task.usage = task.usage + result.usage
                        values[i] = result.value
                        self._progress(task, 0.9 * (i + 1) / len(requests))
                    value = task.map_output(self.ctx, values, getattr(result, "source", label))
                    task.fallback = index > 0
                    task.first_choice = index == 0
                    task.provider = getattr(result, "source", label)
                    return value
                except OutputRejected as exc:
                    task.error = f"{label}: {exc}"
                    nxt = "offline" if exc.to_offline or index == len(chain) - 1 else "next_provider"
                    self._retried(task, ErrorKind.VALIDATION_ERROR.value, label, nxt, 0.0, str(exc))
                    if exc.to_offline:
                        return None
                    break
                except ProviderError as exc:
                    if lead[0]:
                        task.usage = task.usage + exc.usage
                    failures[exc.kind] += 1
                    task.error = f"{label}: {exc.message}"
                    action = self.policy.decide(exc, failures[exc.kind])
                    if action == Action.RETRY:
                        delay = self.policy.delay(exc, failures[exc.kind])
                        self._retried(task, exc.kind.value, label, "retry", delay, exc.message)
                        if delay > 0:
                            await asyncio.sleep(delay)
                        continue
                    if action == Action.STOP_PROVIDERS:
                        self._providers_stopped = True
                        self._retried(task, exc.kind.value, label, "offline", 0.0, exc.message)
                        return None
                    nxt = "offline" if index == len(chain) - 1 else "next_provider"
                    self._retried(task, exc.kind.value, label, nxt, 0.0, exc.message)
                    break
                except (asyncio.CancelledError, _Abort):
                    raise
                except Exception as exc:  # an adapter bug must not sink the task: treat as an API error
                    task.error = f"{label}: {_describe(exc)}"
                    nxt = "offline" if index == len(chain) - 1 else "next_provider"
                    self._retried(task, ErrorKind.API_ERROR.value, label, nxt, 0.0, _describe(exc))
                    break
        return None

    def _is_batched(self, request: Any) -> bool:
        return any(request is r for reqs in self.ctx.batch_requests.values() for r in reqs)

    async def _complete(self, provider: Any, label: str, request: Any, lead: list[bool], attempt: int) -> Any:
        """One provider call; a batched request shared by several tasks is sent once per attempt.

        Members asking the same provider for the same attempt (0 = first try, 1 = first retry…)
        share one call and its outcome, success or error, so a batch recovers exactly like one
        task. The member that makes the call is billed its usage (`lead[0]` stays True); it makes
        it itself so the call is on the wire at once. If that member is cancelled (its own
        timeout), a waiting member takes over and calls again.
        """
        if not self._is_batched(request):
            return await provider.complete(request)
        key = (label, id(request), attempt)
        while True:
            shared = self._shared_calls.get(key)
            if shared is None:
                lead[0] = True
                shared = asyncio.get_running_loop().create_future()
                self._shared_calls[key] = shared
                try:
                    result = await provider.complete(request)
                except BaseException as exc:
                    gone = isinstance(exc, asyncio.CancelledError)
                    if gone:
                        self._shared_calls.pop(key, None)
                    if not shared.done():  # (cancel() may have cancelled it already)
                        shared.set_exception(_LeaderGone() if gone else exc)
                        shared.exception()  # retrieved: no "never retrieved" warning when nobody waits
                    raise
                if not shared.done():
                    shared.set_result(result)
                return result
            lead[0] = False
            try:
                return await asyncio.shield(shared)
            except _LeaderGone:
                continue

    def _dump(self, task: MicroTask, value: Any) -> Any:
        """The JSON result for resuming later; a result that will not serialise just is not resumable."""
        if task.dump is None:
            return None
        try:
            return task.dump(self.ctx, value)
        except Exception:
            return None

    # ------------------------------------------------------------------ events and records

    def _propose_live(self, task: MicroTask, value: Any) -> None:
        """`change_proposed` for a customize task's changes the moment it completes.

        These carry `provisional: true` and the verdict of the per-section guard. The run's
        final list is authoritative: assemble_validate re-guards every change in whole-resume
        context, so `_propose_final` re-emits any change whose verdict or text it altered.
        """
        if not task.name.startswith("customize_") or not isinstance(value, list):
            return
        for change in value:
            if isinstance(change, Change):
                data = change.model_dump(mode="json")
                self._proposed[change.id] = data
                self.bus.emit(EventType.CHANGE_PROPOSED, change=data, provisional=True, task=task.name)

    def _propose_final(self, changes: Sequence[Change]) -> None:
        """Settle the proposed changes: a change not yet emitted, or emitted with another
        verdict/text, is (re-)emitted with `provisional: false`; a provisional change that is
        not in the final list (the offline tier replaced the model's) is withdrawn with
        `change_rejected` by "pipeline". After this, the last `change_proposed` per change id
        is its final form, and run_completed's `change_ids` lists the final set in order."""
        final_ids = set()
        for change in changes:
            final_ids.add(change.id)
            data = change.model_dump(mode="json")
            if self._proposed.get(change.id) != data:
                self._proposed[change.id] = data
                self.bus.emit(EventType.CHANGE_PROPOSED, change=data, provisional=False)
        for change_id in [i for i in self._proposed if i not in final_ids]:
            del self._proposed[change_id]
            self.bus.emit(EventType.CHANGE_REJECTED, change_id=change_id, who="pipeline", reason="superseded by the final result")

    def _progress(self, task: MicroTask, value: float) -> None:
        task.progress = value
        self.bus.emit(EventType.TASK_PROGRESS, **self._task_payload(task))

    def _retried(self, task: MicroTask, kind: str, provider: str, next_step: str, delay: float, message: str) -> None:
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
        eta = self.eta()
        record = self._record(task)
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
            "elapsed_s": round(task.elapsed(self.clock.monotonic()), 4),
            "error": task.error,
            "overall": round(self.overall(), 4),
            "eta_s": None if eta is None else round(eta, 2),
        }

    def _record(self, task: MicroTask) -> TaskRecord:
        epoch_now, mono_now = self.clock.now(), self.clock.monotonic()

        def at(mono: float | None):
            if mono is None:
                return None
            from datetime import timedelta

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

    def _summary(self) -> dict[str, Any]:
        usage = self._usage()
        counts = Counter(t.status.value for t in self.tasks.values())
        return {
            "tasks": dict(counts),
            "usage": usage.model_dump(mode="json"),
            "reused": list(self.reused),
            "tokens": usage.total_tokens,
            "cost_usd": usage.cost_usd,
            "overall": round(self.overall(), 4),
            "elapsed_s": round(self.clock.monotonic() - (self._t0 or self.clock.monotonic()), 4),
        }

    def _usage(self) -> Usage:
        total = Usage()
        for t in self.tasks.values():
            total = total + t.usage
        return total

    def _target_done(self) -> bool:
        target = self.tasks.get(ASSEMBLE) or self.tasks.get(PLAN)
        return target is None or target.status == TaskStatus.COMPLETED

    def _first_error(self) -> str | None:
        for t in self.tasks.values():
            if t.status in (TaskStatus.FAILED, TaskStatus.SKIPPED) and t.error:
                return f"{t.name}: {t.error}"
        return None

    def success_ratio(self) -> float:
        if not self.tasks:
            return 1.0
        ok = sum(1 for t in self.tasks.values() if t.status == TaskStatus.COMPLETED and t.first_choice)
        return ok / len(self.tasks)

    # ------------------------------------------------------------------ result

    def _finish(self, status: Literal["completed", "failed", "cancelled"], error: str | None) -> PipelineResult:
        ratio = self.success_ratio()
        tier = tier_for(ratio)
        ctx = self.ctx
        if status == "completed" and tier == "offline" and ASSEMBLE in self.tasks:
            try:
                self._offline_redo()
            except Exception as exc:  # keep the mixed result rather than lose the run
                error = f"The offline re-run failed ({_describe(exc)}); showing the mixed result."
        assembly = ctx.assembly
        changes = assembly.changes if assembly else [c for s in ctx.resume.sections for c in ctx.section_changes.get(s.id, [])]
        return PipelineResult(
            run_id=self.run_id,
            session_id=self.session_id,
            status=status,
            tier=tier,
            report=ctx.report,
            plan=ctx.plan,
            changes=changes,
            tasks=self.records,
            usage=self._usage(),
            score_before=assembly.score_before if assembly else (ctx.report.score if ctx.report else None),
            score_after=assembly.score_after if assembly else None,
            job=ctx.job_final,
            tailored=assembly.tailored if assembly else None,
            diff_stats=assembly.diff_stats if assembly else {},
            suggestions=general_suggestions(ctx),
            budget_exceeded=self._providers_stopped,
            error=error,
            success_ratio=round(ratio, 4),
            providers=self.router.provider_summary(self.records) if hasattr(self.router, "provider_summary") else [],  # type: ignore[union-attr]
        )

    def _offline_redo(self) -> None:
        """Below the partial tier, a mix of a few model answers is not trustworthy: use the offline result."""
        ctx = self.ctx
        if ctx.report is None or ctx.job_final is None:
            return
        ctx.plan = offline_plan(ctx)
        ctx.section_changes = {
            s.id: ctx.engine.section_changes(ctx.resume, s.id, ctx.job_final, ctx.report, ctx.level) for s in ctx.resume.sections
        }
        ctx.assembly = assemble(ctx)


def _unpack(stored: Any) -> tuple[TaskRecord | None, Any]:
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


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _max_retries(settings: Settings) -> int:
    chain = [settings.provider, *settings.fallback]
    for name in chain:
        cfg = settings.providers.get(name)
        if cfg is not None:
            return cfg.max_retries
    return 2
