"""Orchestration behaviour with a scripted fake provider and a stub offline engine."""

from __future__ import annotations

import asyncio
import random

import pytest
from test_pipeline_fakes import FakeRouter, ScriptedProvider, Step, StubEngine, job, make_resume

from resume_tui.config import LimitsSettings, Settings
from resume_tui.models import ChangeAction, CustomizationLevel, SectionKind, TaskStatus, Verdict
from resume_tui.pipeline import EventType, Orchestrator, QueueSink, RunAlreadyActive, run_pipeline
from resume_tui.pipeline.recovery import RetryPolicy
from resume_tui.pipeline.schemas import ChangeOut, HighlightOut, SectionAnalysisOut, SectionRewriteOut
from resume_tui.providers.base import ErrorKind

FAST = RetryPolicy(max_retries=2, base_backoff_s=0.001, max_backoff_s=0.002, max_wait_s=0.005)


def settings(**limits) -> Settings:
    return Settings(limits=LimitsSettings(**limits))


def orch(router=None, *, engine=None, sinks=(), policy=FAST, level=CustomizationLevel.MODERATE, resume=None, batch=False, **limits) -> Orchestrator:
    """Unbatched by default: these tests are about each task's own calls (batching has its own tests)."""
    return Orchestrator(
        resume or make_resume(),
        job(),
        level=level,
        router=router,
        sinks=sinks,
        settings=settings(**limits),
        engine=engine or StubEngine(),
        policy=policy,
        batch=batch,
    )


def by_name(result):
    return {t.name: t for t in result.tasks}


def types(o: Orchestrator) -> list[str]:
    return [e.type.value for e in o.bus.history]


# --------------------------------------------------------------------------- DAG


async def test_offline_only_run_completes_every_task_offline_as_first_choice():
    o = orch(None)
    result = await o.run()
    assert result.status == "completed" and result.tier == "normal"
    assert {t.status for t in result.tasks} == {TaskStatus.COMPLETED}
    assert {t.provider for t in result.tasks} == {"offline"}
    assert not any(t.fallback for t in result.tasks)
    names = [t.name for t in result.tasks]
    assert names[0] == "extract_requirements" and names[-1] == "assemble_validate"
    assert sum(n.startswith("analyze_s") for n in names) == 5 and sum(n.startswith("customize_s") for n in names) == 5
    assert result.report is not None and result.plan is not None and result.score_before is not None


async def test_dependencies_start_only_after_their_deps_complete():
    provider = ScriptedProvider(latency=0.002)
    o = orch(FakeRouter(provider))
    await o.run()
    completed_at: dict[str, int] = {}
    for e in o.bus.history:
        if e.type == EventType.TASK_COMPLETED:
            completed_at[e.payload["task"]] = e.seq
        if e.type == EventType.TASK_STARTED:
            task = o.tasks[e.payload["task"]]
            for dep in task.deps:
                assert dep in completed_at and completed_at[dep] < e.seq, f"{task.name} started before {dep}"


async def test_independent_tasks_run_concurrently_and_never_exceed_the_limit():
    for limit in (1, 2, 4):
        provider = ScriptedProvider(latency=0.005)
        o = orch(FakeRouter(provider), concurrency=limit)
        result = await o.run()
        assert result.status == "completed"
        assert provider.max_active <= limit and o.max_running <= limit
        assert provider.max_active == limit  # six tasks are ready at once, so the limit is reached


async def test_cycle_and_unknown_dependency_are_rejected():
    from resume_tui.pipeline.tasks import MicroTask

    with pytest.raises(ValueError, match="cycle"):
        Orchestrator(make_resume(), job(), engine=StubEngine(), tasks=[MicroTask("a", deps=("b",)), MicroTask("b", deps=("a",))])
    with pytest.raises(ValueError, match="unknown"):
        Orchestrator(make_resume(), job(), engine=StubEngine(), tasks=[MicroTask("a", deps=("zz",))])


async def test_failed_hard_dependency_skips_dependents_and_run_fails_cleanly():
    class Broken(StubEngine):
        def parse_job(self, job):
            raise RuntimeError("boom")

    o = orch(None, engine=Broken())
    result = await o.run()
    tasks = by_name(result)
    assert tasks["extract_requirements"].status == TaskStatus.FAILED
    assert tasks["generate_plan"].status == TaskStatus.SKIPPED
    assert tasks["assemble_validate"].status == TaskStatus.SKIPPED
    assert result.status == "failed" and "boom" in (result.error or "")
    assert types(o)[-1] == "run_failed"


# --------------------------------------------------------------------------- timeouts


async def test_task_timeout_fires_and_the_task_falls_back_to_offline():
    provider = ScriptedProvider(script={"extract_requirements": [Step(hang=True)]})
    o = orch(FakeRouter(provider), extract_timeout_s=0.05)
    result = await o.run()
    extract = by_name(result)["extract_requirements"]
    assert extract.status == TaskStatus.COMPLETED and extract.provider == "offline" and extract.fallback
    assert (extract.error or "").endswith("no answer in 0.05 s")  # the task deadline, in the words the breaker uses
    retried = [e.payload for e in o.bus.history if e.type == EventType.TASK_RETRIED]
    assert any(p["task"] == "extract_requirements" and p["kind"] == "timeout" and p["next"] == "offline" for p in retried)
    assert provider.active == 0 and provider.cancelled == 1
    assert result.status == "completed"


async def test_hard_run_timeout_stops_the_run_and_keeps_finished_tasks():
    provider = ScriptedProvider(script={"generate_plan": [Step(hang=True)]})
    o = orch(FakeRouter(provider), run_timeout_s=0.2, task_timeout_s=30)
    result = await o.run()
    tasks = by_name(result)
    assert result.status == "failed" and "longer than" in (result.error or "")
    assert tasks["extract_requirements"].status == TaskStatus.COMPLETED
    assert tasks["generate_plan"].status == TaskStatus.CANCELLED
    assert tasks["assemble_validate"].status == TaskStatus.CANCELLED
    assert provider.active == 0
    assert types(o)[-1] == "run_failed"


async def test_max_steps_guard_stops_a_runaway_run():
    o = orch(FakeRouter(ScriptedProvider()), max_steps=4)
    result = await o.run()
    assert result.status == "failed" and "4 steps" in (result.error or "")
    assert any(t.status == TaskStatus.CANCELLED for t in result.tasks)


# --------------------------------------------------------------------------- recovery


async def test_rate_limit_is_retried_on_the_same_provider_with_retry_after():
    provider = ScriptedProvider(script={"extract_requirements": [Step(error=ErrorKind.RATE_LIMIT, retry_after=0.001)]})
    o = orch(FakeRouter(provider))
    result = await o.run()
    extract = by_name(result)["extract_requirements"]
    assert extract.provider == "fake/m1" and not extract.fallback and extract.attempts == 2
    retried = [e.payload for e in o.bus.history if e.type == EventType.TASK_RETRIED]
    assert retried[0]["kind"] == "rate_limit" and retried[0]["next"] == "retry" and retried[0]["delay_s"] == 0.001
    assert result.tier == "normal"


def test_backoff_honours_retry_after_but_caps_it():
    from resume_tui.providers.base import ProviderError

    policy = RetryPolicy(base_backoff_s=0.5, max_backoff_s=4, max_wait_s=10)
    assert policy.delay(ProviderError(ErrorKind.RATE_LIMIT, "x", retry_after=3), 1) == 3
    assert policy.delay(ProviderError(ErrorKind.RATE_LIMIT, "x", retry_after=600), 1) == 10
    assert [policy.delay(ProviderError(ErrorKind.API_ERROR, "x"), n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4]
    assert policy.decide(ProviderError(ErrorKind.AUTH, "x"), 1).value == "next_provider"
    assert policy.decide(ProviderError(ErrorKind.BUDGET, "x"), 1).value == "stop_providers"
    assert policy.decide(ProviderError(ErrorKind.PARSE_ERROR, "x"), 1).value == "next_provider"
    assert policy.decide(ProviderError(ErrorKind.VALIDATION_ERROR, "x"), 1).value == "next_provider"
    assert RetryPolicy(output_retries=1).decide(ProviderError(ErrorKind.PARSE_ERROR, "x"), 1).value == "retry"
    assert policy.decide(ProviderError(ErrorKind.TIMEOUT, "x"), 2).value == "retry"
    assert policy.decide(ProviderError(ErrorKind.TIMEOUT, "x"), 3).value == "next_provider"


async def test_retries_then_next_provider_then_offline():
    always = [Step(error=ErrorKind.API_ERROR)] * 10
    first = ScriptedProvider(name="first", script={"extract_requirements": list(always), "analyze_s1": list(always)})
    second = ScriptedProvider(name="second", script={"analyze_s1": list(always)})
    o = orch(FakeRouter(first, second))
    result = await o.run()
    tasks = by_name(result)
    # extract: 3 attempts on `first` (1 + 2 retries), then served by `second`
    assert first.calls.count("extract_requirements") == 3 and second.calls.count("extract_requirements") == 1
    assert tasks["extract_requirements"].provider == "second/m1" and tasks["extract_requirements"].fallback
    # analyze_s1: both providers exhausted → offline
    assert tasks["analyze_s1"].provider == "offline" and tasks["analyze_s1"].fallback
    assert tasks["analyze_s1"].attempts == 7  # 3 + 3 provider attempts + 1 offline
    nexts = [e.payload["next"] for e in o.bus.history if e.type == EventType.TASK_RETRIED and e.payload["task"] == "analyze_s1"]
    assert nexts == ["retry", "retry", "next_provider", "retry", "retry", "offline"]
    # untouched tasks stayed on the first choice
    assert tasks["analyze_s0"].provider == "first/m1" and not tasks["analyze_s0"].fallback
    assert result.status == "completed"


async def test_auth_error_moves_to_the_next_provider_without_retrying():
    first = ScriptedProvider(name="first", default=Step(error=ErrorKind.AUTH))
    second = ScriptedProvider(name="second")
    result = await orch(FakeRouter(first, second)).run()
    assert len(first.calls) == len(second.calls) == 9  # every model task tried once on each
    model_tasks = {t.name for t in result.tasks if t.provider != "offline"}
    assert len(model_tasks) == 9 and all(t.fallback for t in result.tasks if t.name in model_tasks)
    assert result.tier == "offline"  # 4/13 first-choice successes (the offline-only tasks)


async def test_schema_error_moves_to_next_provider_without_retrying():
    # The adapter already spent its one repair request; retrying here would double the calls.
    first = ScriptedProvider(name="first", script={"generate_plan": [Step(error=ErrorKind.VALIDATION_ERROR)] * 5})
    second = ScriptedProvider(name="second")
    result = await orch(FakeRouter(first, second)).run()
    assert first.calls.count("generate_plan") == 1 and second.calls.count("generate_plan") == 1
    assert by_name(result)["generate_plan"].provider == "second/m1"


async def test_invented_quote_is_rejected_and_the_next_provider_serves():
    bad = lambda request: SectionAnalysisOut(highlights=[HighlightOut(item_id="s1.0", quote="Led a team of 40 at Google")])  # noqa: E731
    first = ScriptedProvider(name="first", script={"analyze_s1": [Step(answer=bad)]})
    second = ScriptedProvider(name="second")
    o = orch(FakeRouter(first, second))
    result = await o.run()
    assert by_name(result)["analyze_s1"].provider == "second/m1"
    retried = [e.payload for e in o.bus.history if e.type == EventType.TASK_RETRIED]
    assert retried and retried[0]["kind"] == "validation_error" and "not in item" in retried[0]["message"]


async def test_budget_error_stops_all_provider_calls_and_finishes_offline():
    provider = ScriptedProvider(script={"generate_plan": [Step(error=ErrorKind.BUDGET)]}, latency=0.001)
    result = await orch(FakeRouter(provider)).run()
    tasks = by_name(result)
    assert result.status == "completed" and result.budget_exceeded
    assert not any(c.startswith("customize_") for c in provider.calls)
    assert all(tasks[n].provider == "offline" for n in tasks if n.startswith("customize_"))
    assert tasks["extract_requirements"].provider == "fake/m1"  # finished work is kept


async def test_customize_output_passes_the_guard_and_blocked_changes_are_not_applied():
    invent = lambda request: SectionRewriteOut(  # noqa: E731
        changes=[ChangeOut(action="replace", item_id="s1.0", after="Built APIs in Python and Go at INVENTED Corp.")]
    )
    provider = ScriptedProvider(script={"customize_s1": [Step(answer=invent)]})
    engine = StubEngine()
    result = await orch(FakeRouter(provider), engine=engine).run()
    change = next(c for c in result.changes if c.item_id == "s1.0")
    assert change.verdict == Verdict.BLOCKED and change.source == "fake/m1"
    assert result.tailored.item("s1.0").text == "Built APIs in Python and Go."
    assert result.diff_stats["by_verdict"]["blocked"] == 1


async def test_customize_outside_length_bounds_falls_back_to_offline_directly():
    bloat = lambda request: SectionRewriteOut(  # noqa: E731
        changes=[ChangeOut(action="replace", item_id="s4.0", after="Open-source Kafka connector " * 10)]
    )
    first = ScriptedProvider(name="first", script={"customize_s4": [Step(answer=bloat)]})
    second = ScriptedProvider(name="second")
    o = orch(FakeRouter(first, second))
    result = await o.run()
    task = by_name(result)["customize_s4"]
    assert task.provider == "offline" and task.fallback and "length" in (task.error or "")
    assert "customize_s4" not in second.calls
    assert [c.source for c in result.changes if c.section_id == "s4"] == ["offline"]


async def test_light_level_drops_actions_it_does_not_allow():
    delete = lambda request: SectionRewriteOut(changes=[ChangeOut(action="delete", item_id="s1.2")])  # noqa: E731
    provider = ScriptedProvider(script={"customize_s1": [Step(answer=delete)]})
    result = await orch(FakeRouter(provider), level=CustomizationLevel.LIGHT).run()
    assert not [c for c in result.changes if c.action == ChangeAction.DELETE]


async def test_assemble_keeps_every_section_in_order():
    result = await orch(FakeRouter(ScriptedProvider())).run()
    original = make_resume()
    assert [(s.id, s.title) for s in result.tailored.sections] == [(s.id, s.title) for s in original.sections]
    assert result.tailored.contact == original.contact


# --------------------------------------------------------------------------- tiers


def test_tier_thresholds():
    from resume_tui.pipeline import tier_for

    assert [tier_for(x) for x in (1.0, 0.8, 0.79, 0.5, 0.49, 0.0)] == ["normal", "normal", "partial", "partial", "offline", "offline"]


async def test_partial_tier_when_customize_tasks_fall_back():
    provider = ScriptedProvider(default=Step(), script={"customize_": [Step(error=ErrorKind.AUTH)] * 5})
    result = await orch(FakeRouter(provider)).run()
    assert result.success_ratio == pytest.approx(9 / 13, abs=1e-3)
    assert result.tier == "partial"
    assert {c.source for c in result.changes} == {"offline"}


async def test_offline_tier_uses_the_offline_result_and_general_suggestions():
    auth = Step(error=ErrorKind.AUTH)
    failing = {"extract_": [auth], "analyze_": [auth] * 3, "customize_s0": [auth], "customize_s1": [auth], "customize_s2": [auth]}
    provider = ScriptedProvider(script=failing)
    result = await orch(FakeRouter(provider)).run()
    assert result.success_ratio == pytest.approx(6 / 13, abs=1e-3) and result.tier == "offline"
    assert result.plan.source == "offline"
    assert {c.source for c in result.changes} == {"offline"}  # model answers for other sections discarded
    assert result.suggestions  # the JD's Postgres requirement has no evidence


# --------------------------------------------------------------------------- cancellation and duplicates


async def test_cancel_event_mid_run_keeps_finished_results_and_leaves_nothing_running():
    provider = ScriptedProvider(script={"generate_plan": [Step(hang=True)]})
    cancel = asyncio.Event()

    async def trip(event):
        if event.type == EventType.TASK_STARTED and event.payload["task"] == "generate_plan":
            asyncio.ensure_future(when_calling())

    async def when_calling():
        # The plan prepares its report (offline, in a thread) before it calls the model: cancel
        # during the hung call, once that report is there.
        while provider.active == 0:
            await asyncio.sleep(0.001)
        cancel.set()

    o = orch(FakeRouter(provider), sinks=[trip])
    before = {t for t in asyncio.all_tasks() if not t.done()}
    result = await asyncio.wait_for(o.run(cancel), timeout=5)
    tasks = by_name(result)
    assert result.status == "cancelled"
    assert tasks["extract_requirements"].status == TaskStatus.COMPLETED
    assert all(tasks[f"analyze_s{i}"].status == TaskStatus.COMPLETED for i in range(5))
    assert tasks["generate_plan"].status == TaskStatus.CANCELLED
    assert all(tasks[f"customize_s{i}"].status == TaskStatus.CANCELLED for i in range(5))
    assert provider.active == 0 and provider.cancelled == 1
    assert result.report is not None  # prepared before the hang: finished work is kept
    assert types(o)[-1] == "run_interrupted"
    await asyncio.sleep(0)
    assert {t for t in asyncio.all_tasks() if not t.done()} <= before
    assert not o.live


async def test_cancelling_the_run_task_propagates_and_records_cancellation():
    provider = ScriptedProvider(default=Step(hang=True))
    o = orch(FakeRouter(provider))
    run = asyncio.create_task(o.run())
    while provider.active < 4:
        await asyncio.sleep(0.001)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    assert provider.active == 0
    statuses = {n: t.status for n, t in o.tasks.items()}
    assert set(statuses.values()) <= {TaskStatus.CANCELLED, TaskStatus.COMPLETED}
    assert all(statuses[n] == TaskStatus.CANCELLED for n in ("extract_requirements", "analyze_s1", "generate_plan", "assemble_validate"))
    assert types(o)[-1] == "run_interrupted"
    assert o.result is not None and o.result.status == "cancelled"


async def test_cancel_method_stops_promptly():
    provider = ScriptedProvider(default=Step(hang=True))
    o = orch(FakeRouter(provider))
    run = asyncio.create_task(o.run())
    while provider.active < 4:
        await asyncio.sleep(0.001)
    o.cancel()
    result = await asyncio.wait_for(run, timeout=0.5)
    assert result.status == "cancelled" and provider.active == 0


async def test_second_start_while_live_is_refused():
    provider = ScriptedProvider(default=Step(hang=True))
    o = orch(FakeRouter(provider))
    run = asyncio.create_task(o.run())
    await asyncio.sleep(0.01)
    with pytest.raises(RunAlreadyActive, match="already in progress"):
        await o.run()
    twin = Orchestrator(make_resume(), job(), router=FakeRouter(provider), engine=StubEngine(), run_id=o.run_id)
    with pytest.raises(RunAlreadyActive):
        await twin.run()
    o.cancel()
    await run
    with pytest.raises(RunAlreadyActive, match="already finished"):
        await o.run()
    # Once the first run is over, the same run id may be started afresh by a new orchestrator.
    again = Orchestrator(make_resume(), job(), engine=StubEngine(), run_id=o.run_id)
    assert (await again.run()).status == "completed"


# --------------------------------------------------------------------------- events and progress


async def test_events_are_ordered_with_monotonic_seq_for_every_sink_even_a_slow_one():
    rng = random.Random(7)
    fast: list = []
    slow: list = []

    async def slow_sink(event):
        await asyncio.sleep(rng.random() * 0.002)
        slow.append(event)

    def broken(event):
        raise RuntimeError("sink bug")

    queue = QueueSink()
    o = orch(FakeRouter(ScriptedProvider(latency=0.001)), sinks=[fast.append, slow_sink, broken, queue])
    result = await o.run()
    streamed = [e async for e in queue]
    assert result.status == "completed"
    for got in (fast, slow, streamed):
        assert [e.seq for e in got] == list(range(1, len(o.bus.history) + 1))
        assert [e.event_id for e in got] == [e.event_id for e in o.bus.history]
    first, last = fast[0], fast[-1]
    assert first.type == EventType.RUN_STARTED and last.type == EventType.RUN_COMPLETED
    assert {e.run_id for e in fast} == {o.run_id}
    assert len({e.event_id for e in fast}) == len(fast)
    assert [e.ts for e in fast] == sorted(e.ts for e in fast)
    assert o.bus.sink_errors and "sink bug" in o.bus.sink_errors[0]
    kinds = {e.type for e in fast}
    assert {EventType.TASK_STARTED, EventType.TASK_PROGRESS, EventType.TASK_COMPLETED, EventType.CHANGE_PROPOSED} <= kinds
    last = {}
    for e in fast:
        if e.type == EventType.CHANGE_PROPOSED:
            last[e.payload["change"]["id"]] = e.payload["change"]
    assert last == {c.id: c.model_dump(mode="json") for c in result.changes}  # the last event per change is final
    assert fast[-1].payload["change_ids"] == [c.id for c in result.changes]


async def test_changes_are_proposed_live_as_each_customize_task_finishes():
    slow = ScriptedProvider(latency=0.001)
    slow_s1 = ScriptedProvider(latency=0.05)
    o = orch(FakeRouter(slow, per_task={"customize_s1": [slow_s1]}))
    result = await o.run()
    history = o.bus.history
    done_at = {e.payload["task"]: e.seq for e in history if e.type == EventType.TASK_COMPLETED}
    live = [e for e in history if e.type == EventType.CHANGE_PROPOSED and e.payload["provisional"]]
    assert live and all(e.seq > done_at[e.payload["task"]] for e in live)
    # a fast section's changes arrive before the slow customize_s1 has finished
    s0 = [e for e in live if e.payload["task"] == "customize_s0"]
    assert s0 and s0[0].seq < done_at["customize_s1"]
    assert all(e.seq < done_at["assemble_validate"] for e in live)
    ids = [c.id for c in result.changes]
    assert {e.payload["change"]["id"] for e in live} <= set(ids)


async def test_a_verdict_changed_by_assemble_is_re_proposed_as_final():
    class Stricter(StubEngine):
        """The whole-resume guard blocks what the per-section guard let through."""

        def guard(self, changes, original, job):
            guarded = super().guard(changes, original, job)
            if len(guarded) > 1:  # assemble: the whole list at once
                return [c.model_copy(update={"verdict": Verdict.BLOCKED, "reasons": ["whole-resume check"]}) for c in guarded]
            return guarded

    o = orch(FakeRouter(ScriptedProvider()), engine=Stricter())
    result = await o.run()
    proposed = [e.payload for e in o.bus.history if e.type == EventType.CHANGE_PROPOSED]
    finals = {p["change"]["id"]: p for p in proposed if not p["provisional"]}
    assert result.changes and all(c.verdict == Verdict.BLOCKED for c in result.changes)
    assert set(finals) == {c.id for c in result.changes}
    assert all(p["change"]["verdict"] == "blocked" for p in finals.values())


async def test_provisional_changes_replaced_by_the_offline_tier_are_withdrawn():
    failing = ScriptedProvider(default=Step(error=ErrorKind.AUTH))
    model = ScriptedProvider(name="model")
    o = orch(FakeRouter(failing, per_task={"customize_": [failing, model]}))
    result = await o.run()
    assert result.tier == "offline"  # most tasks fell back: the offline result replaces the mix
    live = {e.payload["change"]["id"] for e in o.bus.history if e.type == EventType.CHANGE_PROPOSED and e.payload["provisional"]}
    withdrawn = {e.payload["change_id"] for e in o.bus.history if e.type == EventType.CHANGE_REJECTED}
    assert live and withdrawn == live - {c.id for c in result.changes}


async def test_overall_progress_is_monotonic_and_ends_at_one():
    o = orch(FakeRouter(ScriptedProvider(latency=0.001)))
    await o.run()
    overall = [e.payload["overall"] for e in o.bus.history if "overall" in e.payload]
    assert overall == sorted(overall) and overall[-1] == 1.0
    task_progress = [e.payload["progress"] for e in o.bus.history if e.type == EventType.TASK_PROGRESS]
    assert task_progress and all(0 < p < 1 for p in task_progress)


def test_weights_follow_the_design_and_normalise():
    from resume_tui.pipeline.progress import normalised, overall_progress, task_weight

    o = orch(None)
    w = o.weights
    assert w["extract_requirements"] == 0.1 and w["generate_plan"] == 0.4 and w["assemble_validate"] == 0.2
    kinds = {s.id: s.kind for s in make_resume().sections}
    for sid, kind in kinds.items():
        heavy = kind in (SectionKind.EXPERIENCE, SectionKind.SKILLS)
        assert w[f"analyze_{sid}"] == (0.2 if heavy else 0.1)
        assert w[f"customize_{sid}"] == (0.3 if heavy else 0.2)
    assert sum(w.values()) == pytest.approx(0.1 + 0.2 * 2 + 0.1 * 3 + 0.4 + 0.3 * 2 + 0.2 * 3 + 0.2)
    assert sum(normalised(w).values()) == pytest.approx(1.0)
    assert overall_progress(w, {"generate_plan": 1.0}) == pytest.approx(0.4 / sum(w.values()))
    assert task_weight("analyze_s9", SectionKind.AWARDS) == 0.1


def test_eta_from_observed_rate_is_capped_at_five_minutes():
    from resume_tui.pipeline.progress import eta_seconds

    assert eta_seconds(10, 0.5) == pytest.approx(10)
    assert eta_seconds(10, 0.001) == 300.0
    assert eta_seconds(0, 0.0) is None and eta_seconds(5, 1.0) == 0.0


async def test_eta_uses_the_injected_clock():
    from resume_tui.pipeline.clock import ManualClock

    clock = ManualClock()
    etas = []

    class Ticking(StubEngine):
        def analyze(self, resume, job):
            clock.advance(1.0)
            return super().analyze(resume, job)

    o = Orchestrator(make_resume(), job(), engine=Ticking(), clock=clock, sinks=[lambda e: etas.append(e.payload.get("eta_s"))])
    result = await o.run()
    assert result.status == "completed"
    assert all(e is None or 0 <= e <= 300 for e in etas)
    started = next(e for e in o.bus.history if e.type == EventType.RUN_STARTED)
    assert started.ts == clock.epoch


async def test_run_pipeline_entry_point_and_string_job():
    from resume_tui.pipeline import orchestrator as mod

    seen = []
    original = mod.AnalysisEngine
    mod.AnalysisEngine = StubEngine
    try:
        result = await run_pipeline(make_resume(), job().text, level="light", sinks=[seen.append], session_id="sess1")
    finally:
        mod.AnalysisEngine = original
    assert result.status == "completed" and result.session_id == "sess1"
    assert seen and {e.session_id for e in seen} == {"sess1"}
    assert result.plan.level == CustomizationLevel.LIGHT


async def test_analyze_only_stops_after_the_plan():
    o = Orchestrator(make_resume(), job(), engine=StubEngine(), analyze_only=True)
    result = await o.run()
    assert result.status == "completed" and result.report is not None and result.changes == []
    assert not any(n.startswith("customize_") for n in o.tasks) and "assemble_validate" not in o.tasks


def test_pipeline_imports_no_textual_and_no_llm_sdk():
    import subprocess
    import sys

    code = (
        "import sys, resume_tui.pipeline, resume_tui.pipeline.tasks, resume_tui.pipeline.orchestrator;"
        "bad = [m for m in sys.modules if m.split('.')[0] in {'textual', 'anthropic', 'openai', 'google'}];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


async def test_a_hung_sink_cannot_keep_a_finished_run_alive():
    from resume_tui.pipeline.events import EventBus

    async def hung(event):
        await asyncio.Event().wait()

    got = []
    bus = EventBus("r", "s", lambda: __import__("datetime").datetime(2026, 1, 1), (hung, got.append))
    bus.start()
    bus.emit(EventType.RUN_STARTED)
    bus.emit(EventType.RUN_COMPLETED)
    await bus.close(timeout=0.05)
    assert [e.seq for e in got] == [1, 2]
    assert bus.sink_errors and "abandoned" in bus.sink_errors[0]


def test_layout_check_allows_a_new_summary_but_not_a_lost_or_moved_section():
    from resume_tui.models import Section
    from resume_tui.pipeline.tasks import keeps_layout

    original = make_resume()
    added = original.model_copy(update={"sections": [Section(id="+summary", kind=SectionKind.SUMMARY, title="Summary"), *original.sections]})
    dropped = original.model_copy(update={"sections": original.sections[1:]})
    moved = original.model_copy(update={"sections": [original.sections[1], original.sections[0], *original.sections[2:]]})
    assert keeps_layout(original, original) and keeps_layout(original, added)
    assert not keeps_layout(original, dropped) and not keeps_layout(original, moved)


async def test_factual_list_sections_never_go_to_a_model():
    provider = ScriptedProvider()
    result = await orch(FakeRouter(provider)).run()
    tasks = by_name(result)
    # s2 skills: analysed by the lexicon, customized by a model; s3 education: offline both ways
    assert "analyze_s2" not in provider.calls and "customize_s2" in provider.calls
    assert "analyze_s3" not in provider.calls and "customize_s3" not in provider.calls
    assert tasks["analyze_s3"].provider == "offline" and not tasks["analyze_s3"].fallback
    assert sorted(set(provider.calls)) == sorted(
        ["extract_requirements", "analyze_s0", "analyze_s1", "analyze_s4", "generate_plan", "customize_s0", "customize_s1", "customize_s2", "customize_s4"]
    )


def test_section_length_ratio_from_changes():
    from resume_tui.models import Change
    from resume_tui.pipeline.tasks import section_length_ratio

    section = make_resume().section("s1")  # three bullets
    n = len(section.text())
    first = section.items[0]
    grow = Change(id="c", section_id="s1", item_id=first.id, action=ChangeAction.REPLACE, before=first.text, after=first.text * 2)
    drop = [Change(id=f"d{i}", section_id="s1", item_id=i.id, action=ChangeAction.DELETE) for i in section.items[1:]]
    add = Change(id="i", section_id="s1", item_id=None, action=ChangeAction.INSERT, after="x" * 9)
    reorder = Change(id="o", section_id="s1", action=ChangeAction.REORDER, order=[i.id for i in reversed(section.items)])
    assert section_length_ratio(section, []) == 1.0 and section_length_ratio(section, [reorder]) == 1.0
    assert section_length_ratio(section, [grow]) == pytest.approx((n + len(first.text)) / n)
    assert section_length_ratio(section, drop) == pytest.approx(len(first.text) / n)
    assert section_length_ratio(section, [add]) == pytest.approx((n + 10) / n)


async def test_model_calls_go_out_before_offline_work_in_the_same_wave():
    provider = ScriptedProvider(latency=0.002)
    o = orch(FakeRouter(provider))
    await o.run()
    started = [e.payload["task"] for e in o.bus.history if e.type == EventType.TASK_STARTED]
    first_wave = started[:6]
    assert set(first_wave) == {"extract_requirements", "analyze_s0", "analyze_s1", "analyze_s2", "analyze_s3", "analyze_s4"}
    assert set(first_wave[:4]) == {"extract_requirements", "analyze_s0", "analyze_s1", "analyze_s4"}  # the model tasks
    wave3 = [n for n in started if n.startswith("customize_")]
    assert wave3[-1] == "customize_s3"  # education: offline-only, after every model call is on the wire


async def test_a_router_that_raises_still_leaves_the_offline_path():
    from resume_tui.providers.base import ProviderError

    class Broken:
        def chain_for(self, task, level):
            raise ProviderError(ErrorKind.UNAVAILABLE, "Unknown provider 'nope'; use one of anthropic, openai.")

    o = orch(Broken())
    result = await o.run()
    assert result.status == "completed"
    assert all(t.provider == "offline" for t in result.tasks)
    extract = by_name(result)["extract_requirements"]
    assert extract.fallback and "Unknown provider" in extract.error
    assert any(e.payload.get("kind") == "unavailable" for e in o.bus.history if e.type == EventType.TASK_RETRIED)
