"""The full task DAG through the providers' real Router and SDK against a loopback fake server:
every schema the pipeline asks for survives a real structured-output round trip."""

from __future__ import annotations

import json

import pytest
from fakes.llm_server import FakeLLMServer
from test_pipeline_fakes import StubEngine, job, make_resume

from resume_tui.config import Settings
from resume_tui.models import TaskStatus
from resume_tui.pipeline import Orchestrator
from resume_tui.pipeline.recovery import RetryPolicy

SECRET = "sk-test-PIPELINE-0123456789"


@pytest.fixture
def server():
    with FakeLLMServer() as srv:
        srv.state.default_answer = "{}"  # valid for every pipeline schema (all fields default)
        yield srv


async def test_full_dag_through_the_real_router(server):
    from resume_tui.providers.router import Router

    settings = Settings.model_validate(
        {"provider": "openai", "providers": {"openai": {"api_key": SECRET, "base_url": server.url + "/v1", "timeout_s": 2.0}}}
    )
    router = Router(settings, cache=False)
    events = []
    o = Orchestrator(
        make_resume(), job(), router=router, engine=StubEngine(), sinks=[events.append],
        policy=RetryPolicy(base_backoff_s=0.01, max_backoff_s=0.02, max_wait_s=0.05),
    )
    try:
        result = await o.run()
    finally:
        await router.aclose()
    tasks = {t.name: t for t in result.tasks}
    assert result.status == "completed"
    assert all(t.status == TaskStatus.COMPLETED for t in result.tasks)
    # "{}" carries no requirement quoted from the JD: extract is rejected and served offline
    assert tasks["extract_requirements"].provider == "offline" and tasks["extract_requirements"].fallback
    served = {n for n, t in tasks.items() if t.provider and t.provider.startswith("openai/")}
    assert served == {"analyze_s0", "analyze_s1", "analyze_s4", "generate_plan", "customize_s0", "customize_s1", "customize_s2", "customize_s4"}
    # small sections share calls: extract, analyze_s0+s1+s4, plan, customize_s0+s1+s2+s4
    assert len(server.requests) == 4
    assert result.usage.input_tokens > 0
    assert SECRET not in json.dumps([e.model_dump(mode="json") for e in events])


@pytest.mark.slow  # waits out real retry delays
async def test_garbage_costs_two_calls_per_provider_then_moves_on(server):
    """The adapter sends one repair request; the pipeline's policy adds no retry on top."""
    from resume_tui.models import JobDescription, Resume
    from resume_tui.pipeline.schemas import PlanOut
    from resume_tui.pipeline.tasks import MicroTask
    from resume_tui.providers.base import LLMRequest, Message
    from resume_tui.providers.router import Router

    def one_task() -> MicroTask:
        request = LLMRequest(task="generate_plan", schema=PlanOut, timeout_s=2.0,
                             messages=(Message("system", "Answer JSON."), Message("user", "Plan?")))
        return MicroTask("generate_plan", timeout=10.0, requests=lambda ctx: [request],
                         map_output=lambda ctx, outs, source: "model", offline=lambda ctx: "offline")

    settings = Settings.model_validate({"provider": "anthropic", "fallback": ["openai"], "providers": {
        "anthropic": {"api_key": SECRET, "base_url": server.url, "timeout_s": 2.0},
        "openai": {"api_key": SECRET, "base_url": server.url + "/v1", "timeout_s": 2.0}}})
    router = Router(settings, cache=False)
    server.answer("not json", "still not json", "nor this", "nor that")
    events = []
    o = Orchestrator(Resume(), JobDescription(text="Python"), router=router, tasks=[one_task()], sinks=[events.append],
                     policy=RetryPolicy(base_backoff_s=0.01, max_backoff_s=0.02, max_wait_s=0.05))
    try:
        result = await o.run()
    finally:
        await router.aclose()
    (task,) = result.tasks
    assert [r.path for r in server.requests] == ["/v1/messages"] * 2 + ["/v1/chat/completions"] * 2
    assert task.status == TaskStatus.COMPLETED and task.provider == "offline" and task.fallback
    nexts = [(e.payload["kind"], e.payload["next"]) for e in events if e.type == "task_retried"]
    assert nexts == [("parse_error", "next_provider"), ("parse_error", "offline")]
