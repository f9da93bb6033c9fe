"""What a real tiny local model did, replayed without the model.

Captured against llama-cpp-python 0.3.36's server with Gemma 3 270M (Q4_K_M): it refuses a
json_schema response_format with HTTP 500, accepts json_object (turning a `schema` into a
grammar), streams without a usage chunk, serves one request at a time and cuts a running
stream when another arrives; its answers are schema-shaped nonsense — the schema's title
echoed back, empty lists, a plan that loops over made-up section ids until the token limit.
These tests pin what our layer must make of that: the refusal met once, one request at a
time, usage estimated, and through the whole pipeline an offline fallback with nothing
invented surviving the guard.
"""

from __future__ import annotations

import asyncio
import json
from importlib import resources

import pytest
from fakes.llm_server import LLAMACPP_MODEL_ID
from pydantic import BaseModel

from resume_tui.config import Settings
from resume_tui.documents.ingest import parse_resume_text
from resume_tui.models import CustomizationLevel, TaskStatus, Verdict
from resume_tui.providers.base import ErrorKind, LLMRequest, Message, ProviderError
from resume_tui.providers.local_server import is_nearby
from resume_tui.providers.openai_provider import OpenAIProvider
from resume_tui.providers.router import Router

JD = (
    "Senior Backend Engineer at Shipwise.\n"
    "Requirements: 5+ years of Python, Kubernetes, PostgreSQL; experience with Snowflake is a plus."
)
INVENTED = ("Snowflake", "Google", "97%")

# Verbatim answers the real model gave (tests/fakes mimic the transport around them).
REAL_EXTRACT = '{"title":"RequirementsOut","requirements":[]}'
REAL_ANALYZE = '{"highlights":[],"notes":[]}'
REAL_PLAN_RUNAWAY = '{"steps":[' + ", ".join(
    f'{{"section_id":"{n}", "goal":"{"PlanOut" if n == 1 else "planout"}"}}' for n in range(1, 40))  # cut: finish=length


class Pick(BaseModel):
    label: str


def _request(timeout: float = 5.0) -> LLMRequest:
    return LLMRequest(task="extract_requirements", schema=Pick, timeout_s=timeout,
                      messages=(Message("system", "Answer JSON."), Message("user", "Pick a label.")))


@pytest.fixture
def llama(server):
    server.reset()
    server.state.llamacpp = True
    OpenAIProvider._mode_by_base_url.clear()
    OpenAIProvider._mode_settled.clear()
    yield server
    server.reset()
    OpenAIProvider._mode_by_base_url.clear()
    OpenAIProvider._mode_settled.clear()


def _formats(srv) -> list[tuple[str | None, bool]]:
    return [((r.body.get("response_format") or {}).get("type"), "schema" in (r.body.get("response_format") or {}))
            for r in srv.requests]


async def test_500_refusal_met_once_even_with_concurrent_first_calls(llama):
    llama.state.default_answer = '{"label": "x"}'
    p = OpenAIProvider("auto", base_url=llama.url + "/v1", timeout_s=5.0)
    await p.prepare(_request())
    assert p.model == LLAMACPP_MODEL_ID  # resolved from GET /v1/models
    results = await asyncio.gather(*(p.complete(_request()) for _ in range(4)))
    await p.aclose()
    assert [r.value.label for r in results] == ["x"] * 4
    # one json_schema request refused with HTTP 500, then json_object carrying the schema (a grammar there)
    assert _formats(llama) == [("json_schema", False)] + [("json_object", True)] * 4
    assert all(r.body["stream"] is True for r in llama.requests)
    assert p.mode == "json_object_schema"
    # no usage chunk in llama-cpp-python's stream: estimated from the text, never 0
    assert all(r.usage.input_tokens > 0 and r.usage.output_tokens > 0 for r in results)


async def test_a_real_500_is_not_mistaken_for_a_refusal(llama):
    llama.state.llamacpp = False
    llama.queue("500")
    p = OpenAIProvider("m", base_url=llama.url + "/v1", timeout_s=2.0)
    with pytest.raises(ProviderError) as info:
        await p.complete(_request())
    await p.aclose()
    assert info.value.kind == ErrorKind.API_ERROR and "HTTP 500" in str(info.value)
    assert p.mode == "json_schema" and len(llama.requests) == 1


async def test_local_server_gets_one_request_at_a_time(llama):
    """llama-cpp-python cuts a running stream when another request arrives (interrupt_requests)."""
    llama.state.default_answer = '{"label": "x"}'
    llama.state.latency_s = 0.05
    p = OpenAIProvider("m", base_url=llama.url + "/v1", timeout_s=5.0)
    await asyncio.gather(*(p.complete(_request()) for _ in range(4)))
    await p.aclose()
    assert len(llama.requests) == 5 and llama.state.max_in_flight == 1


def test_which_hosts_count_as_nearby():
    assert all(is_nearby(h) for h in ("127.0.0.1", "localhost", "::1", "192.168.1.20", "10.0.0.5", "gpu-box", "mac.local"))
    assert not any(is_nearby(h) for h in ("api.groq.com", "openrouter.ai", "8.8.8.8"))


async def test_runaway_answer_cut_at_the_token_limit_is_a_parse_error(llama):
    llama.answer((REAL_PLAN_RUNAWAY, "length"))
    p = OpenAIProvider("m", base_url=llama.url + "/v1", timeout_s=2.0)
    with pytest.raises(ProviderError) as info:
        await p.complete(_request())
    await p.aclose()
    assert info.value.kind == ErrorKind.PARSE_ERROR and "token limit" in str(info.value)
    assert info.value.usage.output_tokens > 0  # what it cost still counts


def _tiny_model(resume):
    """Answers shaped like the real model's, per task; the experience rewrite also invents."""
    experience = next(s for s in resume.sections if s.kind.value == "experience")
    bullet = next(i for i in experience.items if i.kind.value != "role")

    def answer(body: dict):
        prompt = body["messages"][-1]["content"]
        if prompt.startswith("List the job"):
            return REAL_EXTRACT
        if prompt.startswith("Plan how"):
            return (REAL_PLAN_RUNAWAY, "length")
        if prompt.startswith("Propose changes") and f"[{bullet.id}]" in prompt:
            return json.dumps({"changes": [
                {"action": "replace", "item_id": bullet.id, "after": bullet.text + ", migrating the warehouse to Snowflake",
                 "rationale": "planout", "requirement_ids": [], "evidence_item_ids": [bullet.id]},
                {"action": "insert", "item_id": bullet.id, "after": "Engineer at Google, improved uptime by 97%",
                 "rationale": "planout", "requirement_ids": [], "evidence_item_ids": []}]})
        if prompt.startswith("Propose changes"):
            return json.dumps({"changes": [{"action": "replace", "item_id": "1", "after": "PlanOut", "rationale": "planout"}]})
        return REAL_ANALYZE

    return answer


@pytest.mark.parametrize("via", ["pipeline", "cli"])
async def test_tiny_local_model_ends_offline_and_guarded(llama, via, tmp_path, monkeypatch):
    from resume_tui.pipeline import run_pipeline

    text = resources.files("resume_tui.data").joinpath("sample_resume.md").read_text(encoding="utf-8")
    resume = parse_resume_text(text)
    llama.state.default_answer = _tiny_model(resume)
    if via == "cli":  # the real command, configured the way a user would: only the environment
        from resume_tui.cli import main

        (tmp_path / "r.md").write_text(text, encoding="utf-8")
        (tmp_path / "jd.md").write_text(JD, encoding="utf-8")
        monkeypatch.setenv("OPENAI_BASE_URL", llama.url + "/v1")
        monkeypatch.setenv("OPENAI_API_KEY", "local")
        out = tmp_path / "out.md"
        code = await asyncio.to_thread(main, ["tailor", str(tmp_path / "r.md"), str(tmp_path / "jd.md"), "--provider", "openai",
                                              "-o", str(out), "--yes", "--json"])
        assert code == 0
        written = out.read_text(encoding="utf-8")
        assert not any(w in written for w in INVENTED)
        assert _formats(llama).count(("json_schema", False)) == 1
        return

    settings = Settings.model_validate({"provider": "openai", "providers": {"openai": {"base_url": llama.url + "/v1"}}})
    router = Router(settings, cache=False)
    events = []
    result = await run_pipeline(resume, JD, level=CustomizationLevel.MODERATE, router=router, settings=settings,
                                sinks=[events.append])
    await router.aclose()

    assert result.status == "completed"
    assert _formats(llama).count(("json_schema", False)) == 1  # the refusal, once for the whole run
    tasks = {t.name: t for t in result.tasks}
    assert all(t.status == TaskStatus.COMPLETED for t in tasks.values())
    for name in ("extract_requirements", "generate_plan"):  # nonsense rejected → offline, and said so
        assert tasks[name].provider == "offline" and tasks[name].fallback, tasks[name]
    retried = {e.payload["task"]: e.payload for e in events if e.type == "task_retried"}
    assert retried["extract_requirements"]["kind"] == "validation_error"
    assert retried["generate_plan"]["kind"] == "parse_error" and "token limit" in retried["generate_plan"]["message"]
    customizes = [t for t in tasks.values() if t.name.startswith("customize_") and t.fallback]
    assert customizes and all(t.provider == "offline" for t in customizes)  # unknown item "1" → offline
    dumped = json.dumps([e.model_dump(mode="json") for e in events])
    assert "Traceback" not in dumped and LLAMACPP_MODEL_ID not in dumped  # shown as the file name only

    safe = " ".join(c.after for c in result.changes if c.verdict == Verdict.SAFE)
    assert not any(w in safe for w in INVENTED)
    from_model = [c for c in result.changes if c.source.startswith("openai/")]
    for invented in INVENTED:  # the inventions reached the review list only as blocked, with a reason
        assert any(invented in c.after and c.verdict == Verdict.BLOCKED and c.reasons for c in from_model), invented
    assert result.tailored is None or not any(w in result.tailored.full_text() for w in INVENTED)
    # usage reported for the calls made (estimated: no usage chunk), and free: a local server
    assert result.usage.total_tokens > 0 and result.usage.cost_usd == 0
    assert llama.state.max_in_flight == 1


async def test_doctor_names_the_served_model_and_tells_busy_from_down(llama, monkeypatch):
    from resume_tui.providers.doctor import acheck_providers

    secret = "local-SECRET-0123456789"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    settings = Settings.model_validate({"provider": "openai", "providers": {"openai": {"base_url": llama.url + "/v1"}}})
    (st,) = [s for s in await acheck_providers(settings, timeout_s=0.5) if s.name == "openai"]
    assert st.reachable is True and st.model == "gemma-3-270m-q4_k_m.gguf"
    assert secret not in json.dumps(st.as_dict()) and st.key_source == "env OPENAI_API_KEY"

    llama.state.hang_s = 1.5
    llama.queue("hang")  # llama.cpp holds even GET /v1/models while it generates
    (st,) = [s for s in await acheck_providers(settings, timeout_s=0.3) if s.name == "openai"]
    assert st.reachable is False and "accepts connections" in st.detail and "busy" in st.detail


async def test_giving_up_on_a_local_answer_hangs_up_the_stream(llama):
    """Measured: an abandoned non-streamed request held llama.cpp's only slot for 310 s; a
    closed stream frees it within seconds. So a timeout must close the connection."""
    llama.state.default_answer = '{"label": "' + "x" * 400 + '"}'
    llama.state.chunk_delay_s = 0.05  # ~27 chunks: 1.3 s to answer in full
    p = OpenAIProvider("m", base_url=llama.url + "/v1", timeout_s=0.3)
    with pytest.raises(ProviderError) as info:
        await p.complete(_request(timeout=0.3))
    assert info.value.kind == ErrorKind.TIMEOUT
    for _ in range(100):  # the server notices on its next write
        if llama.state.streams_abandoned:
            break
        await asyncio.sleep(0.02)
    assert llama.state.streams_abandoned == 1 and llama.state.streams_finished == 0
    llama.state.chunk_delay_s = 0.0
    assert (await p.complete(_request())).value.label.startswith("x")  # the client stays usable
    await p.aclose()


async def test_prompt_longer_than_the_context_is_said_plainly_and_not_retried(llama):
    """Streaming, llama-cpp-python answers an over-long prompt with HTTP 200 and no event at all;
    asked again without streaming it names the problem, which no retry can fix."""
    llama.state.context_window = 50
    OpenAIProvider._mode_by_base_url[llama.url + "/v1"] = "json_object_schema"
    OpenAIProvider._mode_settled.add(llama.url + "/v1")
    long = LLMRequest(task="customize_s1", schema=Pick, timeout_s=5.0,
                      messages=(Message("system", "Answer JSON."), Message("user", "Python Kubernetes " * 40)))
    p = OpenAIProvider("m", base_url=llama.url + "/v1", timeout_s=5.0)
    with pytest.raises(ProviderError) as info:
        await p.complete(long)
    await p.aclose()
    err = info.value
    assert err.kind == ErrorKind.UNAVAILABLE and not err.retryable  # the pipeline moves on, no retries
    assert "context window of 2048 tokens" in str(err) and "--n_ctx" in str(err)
    assert [bool(r.body.get("stream")) for r in llama.requests] == [True, False]  # streamed, then asked plainly
