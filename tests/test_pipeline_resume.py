"""Resuming an interrupted run: finished tasks are restored from their persisted results."""

from __future__ import annotations

import asyncio
import json

from test_pipeline_fakes import FakeRouter, ScriptedProvider, Step, StubEngine, job, make_resume

from resume_tui.models import TaskStatus
from resume_tui.pipeline import EventType, Orchestrator


def completed_from(events) -> dict:
    """What a store keeps: per task, the record fields and the JSON result of task_completed."""
    out = {}
    for e in events:
        if e.type == EventType.TASK_COMPLETED and "result" in e.payload:
            # round-trip through JSON, as a database would
            out[e.payload["task"]] = json.loads(json.dumps({"result": e.payload["result"], "record": None}))
    return out


async def interrupted_run():
    provider = ScriptedProvider(script={"generate_plan": [Step(hang=True)]})
    cancel = asyncio.Event()
    events = []

    def sink(event):
        events.append(event)
        if event.type == EventType.TASK_STARTED and event.payload["task"] == "generate_plan":
            cancel.set()

    o = Orchestrator(make_resume(), job(), router=FakeRouter(provider), engine=StubEngine(), sinks=[sink])
    result = await o.run(cancel)
    assert result.status == "cancelled"
    return o, events


async def test_resume_reuses_finished_tasks_and_matches_an_uninterrupted_run():
    first, events = await interrupted_run()
    stored = completed_from(events)
    assert set(stored) == {"extract_requirements", *(f"analyze_s{i}" for i in range(5))}

    provider = ScriptedProvider()
    resumed_events = []
    again = Orchestrator(
        make_resume(), job(), router=FakeRouter(provider), engine=StubEngine(), run_id=first.run_id,
        completed=stored, sinks=[resumed_events.append],
    )
    result = await again.run()
    assert result.status == "completed"
    assert sorted(again.reused) == sorted(stored)
    assert not any(c.startswith(("extract_", "analyze_")) for c in provider.calls)  # nothing redone
    assert "generate_plan" in provider.calls
    reused_events = [e for e in resumed_events if e.type == EventType.TASK_COMPLETED and e.payload.get("reused")]
    assert {e.payload["task"] for e in reused_events} == set(stored)

    fresh = await Orchestrator(make_resume(), job(), router=FakeRouter(ScriptedProvider()), engine=StubEngine()).run()
    strip = lambda r: [(c.id, c.after, c.verdict) for c in r.changes]  # noqa: E731
    assert strip(result) == strip(fresh)
    assert result.report == fresh.report and result.score_after == fresh.score_after


async def test_a_task_is_reused_only_when_its_dependencies_are():
    done = await Orchestrator(make_resume(), job(), engine=StubEngine()).run()
    assert done.status == "completed"
    # A customize result without the plan it was built on must be redone.
    events = []
    o = Orchestrator(make_resume(), job(), engine=StubEngine(), sinks=[events.append])
    await o.run()
    stored = completed_from(events)
    partial = {k: v for k, v in stored.items() if k != "generate_plan"}
    again = Orchestrator(make_resume(), job(), engine=StubEngine(), completed=partial)
    result = await again.run()
    assert result.status == "completed"
    assert "customize_s0" not in again.reused and "assemble_validate" not in again.reused
    assert "extract_requirements" in again.reused


async def test_garbage_results_are_recomputed_not_trusted():
    engine = StubEngine()
    o = Orchestrator(make_resume(), job(), engine=engine, completed={"extract_requirements": {"result": {"nonsense": 1}}})
    result = await o.run()
    assert result.status == "completed" and o.reused == []
    assert next(t for t in result.tasks if t.name == "extract_requirements").status == TaskStatus.COMPLETED
    assert result.job.requirements  # computed afresh


async def test_task_events_carry_a_full_record_for_the_store():
    from resume_tui.models import TaskRecord

    events = []
    await Orchestrator(make_resume(), job(), router=FakeRouter(ScriptedProvider()), engine=StubEngine(), sinks=[events.append]).run()
    done = [e for e in events if e.type == EventType.TASK_COMPLETED]
    for e in done:
        fields = {k: v for k, v in e.payload.items() if k in TaskRecord.model_fields}
        record = TaskRecord.model_validate({"name": e.payload["task"], **fields})
        assert record.started_at is not None and record.finished_at is not None
        assert record.provider
    assert any(e.payload["usage"]["input_tokens"] > 0 for e in done)
    final = events[-1]
    assert final.type == EventType.RUN_COMPLETED and final.payload["usage"]["input_tokens"] > 0


async def test_resume_through_the_session_store(tmp_path):
    from resume_tui.models import RunStatus
    from resume_tui.session.store import Store

    store = Store.open(tmp_path / "s.db")
    try:
        session = store.create_session()
        provider = ScriptedProvider(script={"generate_plan": [Step(hang=True)]})
        cancel = asyncio.Event()

        def trip(event):
            if event.type == EventType.TASK_STARTED and event.payload["task"] == "generate_plan":
                cancel.set()

        o = Orchestrator(make_resume(), job(), router=FakeRouter(provider), engine=StubEngine(),
                         sinks=[store.event_sink(), trip], session_id=session.id)
        assert (await o.run(cancel)).status == "cancelled"
        assert store.get_run(o.run_id).status == RunStatus.INTERRUPTED

        point = store.resume_run(o.run_id)
        again = Orchestrator(make_resume(), job(), router=FakeRouter(ScriptedProvider()), engine=StubEngine(),
                             run_id=o.run_id, session_id=session.id, completed=point.completed, sinks=[store.event_sink()])
        result = await again.run()
        assert result.status == "completed"
        assert sorted(again.reused) == sorted(point.completed) and "extract_requirements" in again.reused
        assert store.get_run(o.run_id).status == RunStatus.COMPLETED
        assert len(store.changes(session.id)) == len(result.changes)
    finally:
        store.close()
