"""Contract tests: the real SDKs against a loopback fake server, and the fake `claude` CLI.

Every fault a provider can show (429, 5xx, 529, hang, malformed body, schema-invalid or
truncated answer, refused connection) must end in one ProviderError of the right kind
with a one-sentence, key-free message — never a raw library exception.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Literal

import pytest
from fakes.claude_cli import FakeClaude
from fakes.llm_server import free_port
from pydantic import BaseModel

from resume_tui.providers.base import ErrorKind, LLMRequest, Message, ProviderError

SECRET = "sk-test-SECRET-0123456789"
ANSWER = '{"label": "pos", "score": 0.5, "reasons": ["python on the resume"]}'


class Verdict(BaseModel):
    label: Literal["pos", "neg"]
    score: float
    reasons: list[str]


def request(timeout: float = 5.0, **kw) -> LLMRequest:
    msgs = (Message("system", "You judge fit. Answer JSON."), Message("user", "Resume: Python, SQL. Job: Python."))
    return LLMRequest(task="extract_requirements", messages=msgs, schema=Verdict, timeout_s=timeout, **kw)


def make(kind: str, url: str, timeout: float = 5.0, key: str | None = SECRET):  # the hang tests pass 0.3
    if kind == "anthropic":
        from resume_tui.providers.anthropic_provider import AnthropicProvider

        return AnthropicProvider("claude-test", api_key=key, base_url=url, timeout_s=timeout)
    if kind == "anthropic_tool":
        from resume_tui.providers.anthropic_provider import AnthropicProvider

        return AnthropicProvider("claude-test", api_key=key, base_url=url, timeout_s=timeout, structured="tool")
    if kind == "openai":
        from resume_tui.providers.openai_provider import OpenAIProvider

        return OpenAIProvider("gpt-test", api_key=key, base_url=url + "/v1", timeout_s=timeout)
    from resume_tui.providers.gemini_provider import GeminiProvider

    return GeminiProvider("gemini-test", api_key=key, base_url=url, timeout_s=timeout)


SDK_KINDS = ["anthropic", "openai", "gemini"]


def assert_clean(err: ProviderError) -> None:
    msg = str(err)
    assert SECRET not in msg and "Traceback" not in msg
    assert msg and "\n" not in msg and msg.endswith(".")


# --------------------------------------------------------------------------- success paths


@pytest.mark.parametrize("kind", [*SDK_KINDS, "anthropic_tool"])
async def test_success_validates_and_reports_usage(srv, kind):
    p = make(kind, srv.url)
    try:
        res = await p.complete(request())
    finally:
        await p.aclose()
    assert res.value == Verdict(label="pos", score=0.5, reasons=["python on the resume"])
    assert (res.usage.input_tokens, res.usage.output_tokens) == (11, 7)
    assert len(srv.requests) == 1
    assert SECRET not in json.dumps(srv.requests[0].body)


async def test_wire_details_per_sdk(srv):
    """What each adapter actually sends: auth, structured-output parameter, our timeout, no SDK retries."""
    for kind in SDK_KINDS:
        p = make(kind, srv.url, timeout=2.0)
        await p.complete(request())
        await p.aclose()
    a, o, g = srv.requests
    assert a.path == "/v1/messages" and a.headers["Authorization"] == f"Bearer {SECRET}"
    assert a.body["output_config"]["format"]["type"] == "json_schema"
    assert "temperature" not in a.body and a.body["system"].startswith("You judge")
    assert a.headers["x-stainless-retry-count"] == "0"
    assert o.path == "/v1/chat/completions" and o.body["response_format"]["type"] == "json_schema"
    assert o.body["response_format"]["json_schema"]["schema"]["additionalProperties"] is False
    assert g.path.endswith(":generateContent") and g.headers["x-goog-api-key"] == SECRET
    assert g.body["generationConfig"]["responseMimeType"] == "application/json"
    assert "responseJsonSchema" in g.body["generationConfig"]
    assert g.body["systemInstruction"]["parts"][0]["text"].startswith("You judge")


@pytest.mark.parametrize("kind", SDK_KINDS)
async def test_fenced_json_is_accepted(srv, kind):
    srv.answer("Here you go:\n```json\n" + ANSWER + "\n```")
    p = make(kind, srv.url)
    res = await p.complete(request())
    await p.aclose()
    assert res.value.label == "pos"


# --------------------------------------------------------------------------- fault matrix

FAULTS = [
    ("429", ErrorKind.RATE_LIMIT),
    ("500", ErrorKind.API_ERROR),
    ("529", ErrorKind.API_ERROR),
    ("401", ErrorKind.AUTH),
    ("hang", ErrorKind.TIMEOUT),
    ("badjson", ErrorKind.PARSE_ERROR),
    ("wrongshape", ErrorKind.PARSE_ERROR),
    ("truncated", ErrorKind.PARSE_ERROR),
    ("empty", ErrorKind.PARSE_ERROR),
]


@pytest.mark.parametrize("kind", SDK_KINDS)
@pytest.mark.parametrize("fault,expected", FAULTS)
async def test_fault_matrix(srv, kind, fault, expected):
    srv.queue(fault)
    p = make(kind, srv.url, timeout=0.3)
    try:
        with pytest.raises(ProviderError) as info:
            await p.complete(request(timeout=0.3))
    finally:
        await p.aclose()
    err = info.value
    assert err.kind == expected, err.message
    assert err.provider == p.name
    assert_clean(err)
    assert len(srv.requests) == 1  # SDK retries are off: the pipeline's policy decides
    if fault == "429":
        assert err.retry_after == pytest.approx(0.01)
    if fault in ("truncated", "empty"):
        assert err.usage.output_tokens == 7  # tokens of a failed answer still count


@pytest.mark.parametrize("kind", SDK_KINDS)
async def test_connection_refused(kind):
    p = make(kind, f"http://127.0.0.1:{free_port()}")
    with pytest.raises(ProviderError) as info:
        await p.complete(request())
    await p.aclose()
    assert info.value.kind == ErrorKind.API_ERROR
    assert "connect" in str(info.value).lower()
    assert_clean(info.value)


@pytest.mark.parametrize("kind", SDK_KINDS)
async def test_missing_key_is_auth_error_without_request(srv, kind):
    if kind == "openai":  # a custom base URL is a local server (no key needed); the official one needs a key
        from resume_tui.providers.openai_provider import OpenAIProvider

        p = OpenAIProvider("gpt-test", api_key=None, base_url=None)
    else:
        p = make(kind, srv.url, key=None)
    with pytest.raises(ProviderError) as info:
        await p.complete(request())
    await p.aclose()
    assert info.value.kind == ErrorKind.AUTH
    assert srv.requests == []


# --------------------------------------------------------------------------- repair


@pytest.mark.parametrize("kind", SDK_KINDS)
async def test_schema_invalid_then_repaired(srv, kind):
    srv.answer('{"label": "maybe", "score": "high"}', ANSWER)
    p = make(kind, srv.url)
    res = await p.complete(request())
    await p.aclose()
    assert res.value.label == "pos"
    assert len(srv.requests) == 2
    assert (res.usage.input_tokens, res.usage.output_tokens) == (22, 14)  # both calls counted
    second = json.dumps(srv.requests[1].body)
    assert "did not match the required JSON schema" in second and "label" in second


@pytest.mark.parametrize("kind", SDK_KINDS)
async def test_schema_invalid_twice_is_validation_error(srv, kind):
    srv.answer('{"label": "maybe"}', '{"label": "still no"}')
    p = make(kind, srv.url)
    with pytest.raises(ProviderError) as info:
        await p.complete(request())
    await p.aclose()
    assert info.value.kind == ErrorKind.VALIDATION_ERROR
    assert len(srv.requests) == 2
    assert_clean(info.value)


async def test_prose_twice_is_parse_error(srv):
    srv.answer("I think the candidate fits.", "Sure! The candidate fits well.")
    p = make("openai", srv.url)
    with pytest.raises(ProviderError) as info:
        await p.complete(request())
    await p.aclose()
    assert info.value.kind == ErrorKind.PARSE_ERROR
    assert "not valid JSON" in str(info.value)


# --------------------------------------------------------------------------- OpenAI-compatible local servers


async def test_llamacpp_refusing_json_schema_falls_back_once(srv):
    from resume_tui.providers.openai_provider import OpenAIProvider

    OpenAIProvider._mode_by_base_url.clear(); OpenAIProvider._mode_settled.clear()
    srv.state.refuse_json_schema = True
    p = OpenAIProvider("local-model", base_url=srv.url + "/v1", timeout_s=2.0)  # no key: local server
    first = await p.complete(request())
    second = await p.complete(request())
    await p.aclose()
    assert first.value == second.value
    kinds = [(r.body.get("response_format") or {}).get("type") for r in srv.requests]
    assert kinds == ["json_schema", "json_object", "json_object"]  # detected once, remembered
    assert srv.requests[1].body["max_tokens"] == 2048 and srv.requests[1].body["temperature"] == 0
    headers = {k.lower(): v for k, v in srv.requests[0].headers.items()}
    assert headers["authorization"] == "Bearer not-needed"  # placeholder: local servers ignore it
    OpenAIProvider._mode_by_base_url.clear(); OpenAIProvider._mode_settled.clear()


async def test_server_refusing_both_formats_gets_prompted_json(srv):
    from resume_tui.providers.openai_provider import OpenAIProvider

    OpenAIProvider._mode_by_base_url.clear(); OpenAIProvider._mode_settled.clear()
    srv.state.refuse_json_schema = srv.state.refuse_json_object = True
    p = OpenAIProvider("local-model", base_url=srv.url + "/v1", timeout_s=2.0)
    res = await p.complete(request())
    await p.aclose()
    assert res.value.label == "pos"
    last = srv.requests[-1].body
    assert "response_format" not in last
    assert last["messages"][0]["role"] == "system" and '"reasons"' in last["messages"][0]["content"]
    assert p.mode == "prompted"
    OpenAIProvider._mode_by_base_url.clear(); OpenAIProvider._mode_settled.clear()


async def test_other_400_is_not_mistaken_for_format_refusal(srv):
    from resume_tui.providers.openai_provider import OpenAIProvider

    OpenAIProvider._mode_by_base_url.clear(); OpenAIProvider._mode_settled.clear()
    srv.queue("401")
    p = OpenAIProvider("m", api_key=SECRET, base_url=srv.url + "/v1", timeout_s=2.0)
    with pytest.raises(ProviderError):
        await p.complete(request())
    await p.aclose()
    assert p.mode == "json_schema"


async def test_anthropic_model_without_structured_outputs_uses_a_tool(srv):
    srv.state.refuse_output_config = True
    p = make("anthropic", srv.url, timeout=2.0)
    first = await p.complete(request())
    second = await p.complete(request())
    await p.aclose()
    assert first.value == second.value and first.value.label == "pos"
    assert ["output_config" in r.body for r in srv.requests] == [True, False, False]
    assert srv.requests[1].body["tool_choice"] == {"type": "tool", "name": "answer"}


# --------------------------------------------------------------------------- claude CLI


@pytest.fixture
def claude(tmp_path, monkeypatch):
    fake = FakeClaude(tmp_path / "bin")
    monkeypatch.setenv("PATH", fake.path_env())
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)  # must not be handed to the CLI
    return fake


def cli(timeout: float = 5.0):
    from resume_tui.providers.claude_cli import ClaudeCLIProvider

    return ClaudeCLIProvider("sonnet", timeout_s=timeout)


async def test_claude_cli_success_prompt_on_stdin(claude):
    claude.script([{"mode": "ok", "answer": ANSWER}])
    res = await cli().complete(request())
    assert res.value.label == "pos"
    assert (res.usage.input_tokens, res.usage.output_tokens) == (25, 9)
    (call,) = claude.calls()
    assert call["argv"] == ["-p", "--output-format", "json", "--model", "sonnet"]
    assert "Resume: Python" in call["stdin"] and '"reasons"' in call["stdin"]
    assert not any("Resume" in a for a in call["argv"])
    assert call["has_key"] is False


@pytest.mark.parametrize("mode,kind", [
    ("fail", ErrorKind.API_ERROR),
    ("garbage", ErrorKind.PARSE_ERROR),
    ("is_error", ErrorKind.API_ERROR),
    ("ratelimit", ErrorKind.RATE_LIMIT),
    ("nologin", ErrorKind.AUTH),
])
async def test_claude_cli_faults(claude, mode, kind):
    claude.script([{"mode": mode}])
    with pytest.raises(ProviderError) as info:
        await cli().complete(request())
    assert info.value.kind == kind
    assert_clean(info.value)


async def test_claude_cli_hang_is_killed(claude):
    claude.script([{"mode": "hang"}])
    with pytest.raises(ProviderError) as info:
        await cli(timeout=0.5).complete(request(timeout=0.5))
    assert info.value.kind == ErrorKind.TIMEOUT
    assert "stopped" in str(info.value)


async def test_claude_cli_cancel_kills_the_child(claude):
    import asyncio
    import os

    claude.script([{"mode": "hang"}])
    task = asyncio.create_task(cli(timeout=10).complete(request(timeout=10)))
    for _ in range(200):  # wait until the fake CLI has started and logged its pid
        await asyncio.sleep(0.02)
        if claude.calls():
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    pid = claude.calls()[0]["pid"]
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # reaped, not left running


async def test_claude_cli_missing_binary(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ProviderError) as info:
        await cli().complete(request())
    assert info.value.kind == ErrorKind.UNAVAILABLE
    assert "not installed" in str(info.value)


async def test_claude_cli_repair(claude):
    claude.script([{"mode": "ok", "answer": '{"label": 3}'}, {"mode": "ok", "answer": ANSWER}])
    res = await cli().complete(request())
    assert res.value.label == "pos"
    calls = claude.calls()
    assert len(calls) == 2 and "did not match the required JSON schema" in calls[1]["stdin"]


# --------------------------------------------------------------------------- normalization


async def test_same_answer_same_result_from_every_provider(srv, claude):
    claude.script([{"mode": "ok", "answer": ANSWER}])
    values = []
    for kind in [*SDK_KINDS, "anthropic_tool"]:
        p = make(kind, srv.url, timeout=2.0)
        values.append((await p.complete(request())).value)
        await p.aclose()
    values.append((await cli().complete(request())).value)
    assert all(v == values[0] for v in values) and len(values) == 5


# --------------------------------------------------------------------------- lazy import


def test_importing_providers_does_not_import_sdks():
    code = (
        "import sys, resume_tui.providers, resume_tui.providers.router, resume_tui.providers.budget, "
        "resume_tui.providers.cache, resume_tui.providers.doctor, resume_tui.providers.anthropic_provider, "
        "resume_tui.providers.openai_provider, resume_tui.providers.gemini_provider, resume_tui.providers.claude_cli\n"
        "from resume_tui.providers.router import Router\n"
        "from resume_tui.config import Settings\n"
        "r = Router(Settings(provider='anthropic'), cache=False)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('anthropic', 'openai', 'httpx2') or m.startswith('google.genai'))\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr


async def test_gemini_flash_thinking_off_so_answers_fit(srv):
    from resume_tui.providers.gemini_provider import GeminiProvider

    for model in ("gemini-2.5-flash-lite", "gemini-2.5-pro"):
        p = GeminiProvider(model, api_key=SECRET, base_url=srv.url, timeout_s=2.0)
        await p.complete(request())
        await p.aclose()
    flash, pro = (r.body["generationConfig"] for r in srv.requests)
    # this SDK version passes the nested config through in snake_case (the API accepts both)
    assert list(flash["thinkingConfig"].values()) == [0] and "budget" in next(iter(flash["thinkingConfig"])).lower()
    assert "thinkingConfig" not in pro  # Pro cannot turn thinking off
