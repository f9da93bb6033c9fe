"""The router inside the real orchestrator: retries (pipeline/recovery.py, the one retry policy),
fallback down the chain, offline last, budget stop — and events that say what happened
without ever carrying a key."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from pydantic import BaseModel

from resume_tui.config import Settings
from resume_tui.models import JobDescription, Resume, TaskStatus
from resume_tui.pipeline import Orchestrator
from resume_tui.pipeline.recovery import RetryPolicy
from resume_tui.pipeline.tasks import MicroTask
from resume_tui.providers.base import LLMRequest, Message
from resume_tui.providers.router import Router

SECRET = "sk-test-SECRET-0123456789"
ANSWER = '{"label": "pos", "score": 0.5, "reasons": ["x"]}'
FAST = RetryPolicy(max_retries=2, base_backoff_s=0.01, max_backoff_s=0.02, max_wait_s=0.05)


class Verdict(BaseModel):
    label: Literal["pos", "neg"]
    score: float
    reasons: list[str]


def one_task() -> MicroTask:
    return MicroTask(
        "extract_requirements",
        timeout=10.0,
        requests=lambda ctx: [LLMRequest(task="extract_requirements", schema=Verdict, timeout_s=0.3,
                                         messages=(Message("system", "Answer JSON."), Message("user", "Python?")))],
        map_output=lambda ctx, outs, source: ("model", outs[0].label, source),
        offline=lambda ctx: ("offline", None, "offline"),
    )


def router_for(url: str, **budget) -> Router:
    s = Settings.model_validate({"provider": "anthropic", "fallback": ["openai"], "budget": budget, "providers": {
        "anthropic": {"api_key": SECRET, "base_url": url, "timeout_s": 0.3},
        "openai": {"api_key": SECRET, "base_url": url + "/v1", "timeout_s": 0.3}}})
    return Router(s, cache=False)


async def run(router: Router):
    events = []
    orch = Orchestrator(Resume(), JobDescription(text="Python"), router=router, policy=FAST,
                        tasks=[one_task()], sinks=[events.append])
    result = await orch.run()
    await router.aclose()
    (task,) = result.tasks
    retried = [e.payload for e in events if e.type == "task_retried"]
    assert SECRET not in json.dumps([e.model_dump(mode="json") for e in events])
    return orch, task, retried


async def test_rate_limit_retried_then_success(srv):
    srv.queue("429")
    orch, task, retried = await run(router_for(srv.url))
    assert task.status == TaskStatus.COMPLETED and task.provider == "anthropic/claude-haiku-4-5" and not task.fallback
    assert [(r["kind"], r["next"], r["delay_s"]) for r in retried] == [("rate_limit", "retry", 0.01)]
    assert len(srv.requests) == 2 and task.usage.input_tokens == 11


async def test_overloaded_falls_back_to_next_provider(srv):
    srv.queue("529", "529", "529")  # anthropic: first try + 2 retries
    orch, task, retried = await run(router_for(srv.url))
    assert task.status == TaskStatus.COMPLETED and task.provider.startswith("openai/") and task.fallback
    assert [r["next"] for r in retried] == ["retry", "retry", "next_provider"]
    assert all("overloaded" in r["message"] for r in retried)
    assert [r.path for r in srv.requests] == ["/v1/messages"] * 3 + ["/v1/chat/completions"]


@pytest.mark.slow  # waits out every provider's timeout
async def test_everything_hangs_then_offline(srv):
    srv.state.hang_s = 1.0
    srv.queue(*["hang"] * 6)
    orch, task, retried = await run(router_for(srv.url))
    assert task.status == TaskStatus.COMPLETED and task.provider == "offline" and task.fallback
    assert {r["kind"] for r in retried} == {"timeout"} and retried[-1]["next"] == "offline"


async def test_garbage_twice_moves_on_without_traceback(srv):
    srv.answer("not json at all", "still not json")  # anthropic: first answer + our one repair
    orch, task, retried = await run(router_for(srv.url))
    assert task.status == TaskStatus.COMPLETED
    assert retried and retried[0]["kind"] == "parse_error" and "Traceback" not in retried[0]["message"]


async def test_budget_cap_stops_providers_and_keeps_going_offline(srv):
    orch, task, retried = await run(router_for(srv.url, max_tokens=10))
    assert task.status == TaskStatus.COMPLETED and task.provider == "offline"
    assert [(r["kind"], r["next"]) for r in retried] == [("budget", "offline")]
    assert srv.requests == []
