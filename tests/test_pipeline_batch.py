"""Small sections share one model call (fixed prompt cost paid once) but keep a task each."""

from __future__ import annotations

import asyncio

from test_pipeline_fakes import FakeRouter, ScriptedProvider, Step, StubEngine, job, make_resume

from resume_tui.models import SectionKind, TaskStatus
from resume_tui.pipeline import EventType, Orchestrator
from resume_tui.pipeline.recovery import RetryPolicy
from resume_tui.pipeline.schemas import ChangeOut, HighlightOut, SectionAnalysisOut, SectionRewriteOut
from resume_tui.pipeline.tasks import plan_batches
from resume_tui.providers.base import ErrorKind

FAST = RetryPolicy(max_retries=2, base_backoff_s=0.001, max_backoff_s=0.002, max_wait_s=0.005)


def orch(provider, *, second=None, **kw) -> Orchestrator:
    chain = (provider,) if second is None else (provider, second)
    return Orchestrator(make_resume(), job(), router=FakeRouter(*chain), engine=StubEngine(), policy=FAST, **kw)


def by_name(result):
    return {t.name: t for t in result.tasks}


def test_plan_batches_packs_small_sections_and_leaves_big_ones_alone():
    resume = make_resume()
    batches = plan_batches(resume.sections, max_chars=10_000, max_section_chars=60)
    assert "s1" not in batches  # experience renders longer than 60 chars
    assert batches["s0"] == batches["s2"] and [s.id for s in batches["s0"]][:2] == ["s0", "s2"]
    assert plan_batches(resume.sections[:1], max_chars=10_000) == {}  # a group of one is no batch
    tight = plan_batches(resume.sections, max_chars=80)
    assert all(sum(len(i.text) + 8 for s in g for i in s.items) <= 80 + 16 for g in tight.values())


async def test_batched_sections_share_one_call_but_keep_a_row_each():
    provider = ScriptedProvider()
    events = []
    result = await orch(provider, sinks=[events.append]).run()
    tasks = by_name(result)
    assert provider.calls == ["extract_requirements", "analyze_s0+s1+s4", "generate_plan", "customize_s0+s1+s2+s4"]
    for name in ("analyze_s0", "analyze_s1", "analyze_s4", "customize_s0", "customize_s1", "customize_s2", "customize_s4"):
        assert tasks[name].status == TaskStatus.COMPLETED and tasks[name].provider == "fake/m1" and not tasks[name].fallback
    # the shared call is billed once, to one member
    billed = [n for n in ("analyze_s0", "analyze_s1", "analyze_s4") if tasks[n].usage.total_tokens]
    assert len(billed) == 1 and result.usage.total_tokens == 4 * provider.usage_per_call.total_tokens
    completed = [e.payload["task"] for e in events if e.type == EventType.TASK_COMPLETED]
    assert {"analyze_s0", "analyze_s1", "analyze_s4"} <= set(completed)
    # each member kept only its own part of the shared answer
    from_model = [c for c in result.changes if c.source != "offline"]
    assert from_model and {c.section_id for c in from_model} <= {"s0", "s1", "s2", "s4"}
    assert all(c.item_id is None or c.item_id.startswith(c.section_id + ".") for c in result.changes)


async def test_each_member_reads_only_its_own_part_of_a_batched_answer():
    def answer(request):
        return SectionAnalysisOut(
            highlights=[HighlightOut(item_id="s1.0", quote="Built APIs in Python", skills=["Python"]),
                        HighlightOut(item_id="s4.0", quote="Kafka connector", skills=["Kafka"])],
            notes=["s1: strong on APIs", "s4 - one project only", "general remark"],
        )

    provider = ScriptedProvider(script={"analyze_": [Step(answer=answer)]})
    o = orch(provider)
    await o.run()
    analyses = o.ctx.analyses
    assert analyses["s1"].skills == ["Python"] and analyses["s4"].skills == ["Kafka"] and analyses["s0"].skills == []
    assert analyses["s1"].notes == ["strong on APIs"] and analyses["s4"].notes == ["one project only"]
    assert analyses["s0"].notes == ["general remark"]  # unprefixed: the first member's


async def test_an_invented_quote_sends_only_that_member_down_the_chain():
    def answer(request):
        return SectionAnalysisOut(highlights=[HighlightOut(item_id="s1.0", quote="Led a team of 40 at Google"),
                                              HighlightOut(item_id="s4.0", quote="Kafka connector")])

    first = ScriptedProvider(name="first", script={"analyze_": [Step(answer=answer)]})
    second = ScriptedProvider(name="second")
    result = await orch(first, second=second).run()
    tasks = by_name(result)
    assert tasks["analyze_s1"].provider == "second/m1" and tasks["analyze_s1"].fallback
    assert tasks["analyze_s4"].provider == "first/m1" and tasks["analyze_s0"].provider == "first/m1"
    assert first.calls.count("analyze_s0+s1+s4") == 1 and second.calls.count("analyze_s0+s1+s4") == 1


async def test_a_failing_batched_call_is_retried_together_not_once_per_member():
    provider = ScriptedProvider(script={"analyze_": [Step(error=ErrorKind.RATE_LIMIT, retry_after=0.001)]})
    result = await orch(provider).run()
    tasks = by_name(result)
    assert provider.calls.count("analyze_s0+s1+s4") == 2  # the failure, then one shared retry
    assert all(tasks[n].provider == "fake/m1" for n in ("analyze_s0", "analyze_s1", "analyze_s4"))
    assert result.status == "completed"


async def test_a_change_for_one_section_in_a_batched_rewrite_lands_in_that_task():
    def answer(request):
        return SectionRewriteOut(changes=[ChangeOut(action="replace", item_id="s2.0", after="Python, Go, Kubernetes, Docker, AWS")])

    provider = ScriptedProvider(script={"customize_": [Step(answer=answer)]})
    o = orch(provider)
    await o.run()
    sections = o.ctx.section_changes
    assert [c.item_id for c in sections["s2"]] == ["s2.0"]
    assert sections["s0"] == [] and sections["s1"] == [] and sections["s4"] == []


async def test_cancel_stops_a_shared_call_promptly():
    provider = ScriptedProvider(default=Step(hang=True))
    o = orch(provider)
    run = asyncio.create_task(o.run())
    while provider.active < 2:  # extract + the one batched analyze call
        await asyncio.sleep(0.001)
    # Model-calling tasks only: an offline-only task may be running in its thread at this moment.
    assert sum(t.status == TaskStatus.RUNNING and o.chain.may_call_model(t) for t in o.tasks.values()) == 4
    o.cancel()
    result = await asyncio.wait_for(run, timeout=0.5)
    assert result.status == "cancelled" and provider.active == 0


async def test_unbatched_runs_make_one_call_per_task():
    provider = ScriptedProvider()
    await orch(provider, batch=False).run()
    assert sorted(provider.calls) == sorted(
        ["extract_requirements", "analyze_s0", "analyze_s1", "analyze_s4", "generate_plan",
         "customize_s0", "customize_s1", "customize_s2", "customize_s4"])


def test_factual_sections_are_never_batched_into_a_model_call():
    resume = make_resume((SectionKind.SUMMARY, SectionKind.EDUCATION, SectionKind.PROJECTS))
    o = Orchestrator(resume, job(), router=FakeRouter(ScriptedProvider()), engine=StubEngine())
    assert o.tasks["analyze_s1"].requests is None and o.tasks["customize_s1"].requests is None


async def test_model_calls_predicts_the_calls_a_run_makes():
    from resume_tui.pipeline.tasks import model_calls

    for batch in (True, False):
        provider = ScriptedProvider()
        await orch(provider, batch=batch).run()
        assert sorted(name for name, _ in model_calls(make_resume(), batch=batch)) == sorted(provider.calls)
    assert model_calls(make_resume())[1] == ("analyze_s0+s1+s4", ("s0", "s1", "s4"))


async def test_an_instant_failure_is_shared_too_so_a_batch_falls_back_like_one_task():
    first = ScriptedProvider(name="first", default=Step(error=ErrorKind.AUTH))  # fails with no await at all
    second = ScriptedProvider(name="second")
    result = await orch(first, second=second).run()
    tasks = by_name(result)
    assert first.calls.count("analyze_s0+s1+s4") == 1 and second.calls.count("analyze_s0+s1+s4") == 1
    assert first.calls.count("customize_s0+s1+s2+s4") == 1
    assert all(tasks[n].provider == "second/m1" and tasks[n].fallback for n in ("analyze_s0", "analyze_s1", "analyze_s4"))
