"""Router chains from Settings/env, the cache (no network on a re-run), budget caps, doctor."""

from __future__ import annotations

import sqlite3
from typing import Literal

import pytest
from pydantic import BaseModel

from resume_tui.config import Settings, db_path, load_settings
from resume_tui.errors import BudgetExceeded
from resume_tui.providers.base import ErrorKind, LLMRequest, Message, ProviderError
from resume_tui.providers.budget import Budget, PriceTable, budget_exceeded, estimate_tokens
from resume_tui.providers.cache import ResponseCache, cache_key
from resume_tui.providers.router import Router, build_router

SECRET = "sk-test-SECRET-0123456789"
ANSWER = '{"label": "pos", "score": 0.5, "reasons": ["x"]}'


class Verdict(BaseModel):
    label: Literal["pos", "neg"]
    score: float
    reasons: list[str]


def req(task: str = "extract_requirements", text: str = "Resume: Python.", level: str = "moderate") -> LLMRequest:
    return LLMRequest(task=task, messages=(Message("system", "Answer JSON."), Message("user", text)), schema=Verdict,
                      timeout_s=2.0, level=level)


def settings_for(url: str, **extra) -> Settings:
    raw = {"provider": "anthropic", "fallback": ["openai", "gemini"], "providers": {
        "anthropic": {"api_key": SECRET, "base_url": url, "timeout_s": 2.0,
                      "models": {"extensive": "claude-opus-4-5"}},
        "openai": {"api_key": SECRET, "base_url": url + "/v1", "timeout_s": 2.0, "model": "gpt-4.1"},
        "gemini": {"api_key": SECRET, "base_url": url, "timeout_s": 2.0},
    }}
    raw.update(extra)
    return Settings.model_validate(raw)


# --------------------------------------------------------------------------- chains


def test_chain_per_task_and_level(srv):
    r = Router(settings_for(srv.url), cache=False)
    assert r.describe("extract_requirements", "moderate") == [
        "anthropic/claude-haiku-4-5", "openai/gpt-4.1", "gemini/gemini-2.5-flash-lite", "offline"]
    assert r.describe("customize_s2", "moderate")[0] == "anthropic/claude-sonnet-4-6"
    assert r.describe("generate_plan", "extensive")[0] == "anthropic/claude-opus-4-5"
    chain = r.chain_for("generate_plan", "light")
    assert [p.name for p in chain] == ["anthropic", "openai", "gemini"]  # offline is the pipeline's
    assert chain is not r.chain_for("generate_plan", "light") and chain[0] is r.chain_for("generate_plan", "light")[0]


def test_unconfigured_providers_are_skipped_and_offline_only_gives_none(monkeypatch):
    s = Settings.model_validate({"provider": "anthropic", "fallback": ["gemini"]})
    assert Router(s, cache=False).chain_for("generate_plan", "moderate") == []
    assert build_router(s, cache=False) is None
    monkeypatch.setenv("GOOGLE_API_KEY", SECRET)
    r = build_router(load_settings(), provider="gemini", cache=False)
    assert r is not None and r.describe("generate_plan", "moderate") == ["gemini/gemini-2.5-flash", "offline"]


def test_env_keys_and_openai_base_url(monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # a local server: no key needed
    monkeypatch.setenv("RESUME_TUI_PROVIDER", "openai")
    monkeypatch.setenv("RESUME_TUI_FALLBACK", "anthropic")
    r = build_router(load_settings(), cache=False)
    assert [p.name for p in r.chain_for("extract_requirements", "moderate")] == ["openai", "anthropic"]
    assert r.chain_for("x", "moderate")[0].inner.base_url == "http://127.0.0.1:9/v1"
    assert SECRET not in repr(r.chain_for("x", "moderate"))


def test_named_local_server_section():
    s = Settings.model_validate({"provider": "ollama", "providers": {"ollama": {"model": "qwen2.5:7b"}}})
    r = Router(s, cache=False)
    (p,) = r.chain_for("customize_s1", "moderate")
    assert (p.name, p.model, p.inner.base_url) == ("ollama", "qwen2.5:7b", "http://localhost:11434/v1")
    assert p.price_name == "offline"  # local tokens cost nothing


async def test_local_server_without_a_model_uses_the_one_it_lists(srv):
    s = Settings.model_validate({"provider": "lmstudio", "providers": {"lmstudio": {"base_url": srv.url + "/v1"}}})
    r = Router(s, cache=False)
    assert r.describe("customize_s1", "moderate") == ["lmstudio/auto", "offline"]
    p = r.chain_for("customize_s1", "moderate")[0]
    res = await p.complete(req("customize_s1"))
    await r.aclose()
    assert res.model == "m" and p.model == "m" and res.usage.cost_usd == 0
    assert [(x.method, x.path) for x in srv.state.requests] == [("GET", "/v1/models"), ("POST", "/v1/chat/completions")]
    assert srv.requests[0].body["model"] == "m"


def test_cli_provider_errors_are_clear():
    from resume_tui.errors import InputError, NoProviderError

    with pytest.raises(InputError) as info:
        build_router(Settings(), provider="nope", cache=False)
    assert "nope" in str(info.value) and info.value.exit_code == 2
    with pytest.raises(NoProviderError) as missing:
        build_router(Settings(), provider="anthropic", cache=False)
    assert "ANTHROPIC_API_KEY" in str(missing.value) and missing.value.exit_code == 4
    assert build_router(Settings(), provider="offline", cache=False) is None


# --------------------------------------------------------------------------- cache


async def test_identical_rerun_hits_cache_with_no_request(srv):
    r = Router(settings_for(srv.url))
    p = r.chain_for("extract_requirements", "moderate")[0]
    first = await p.complete(req())
    assert len(srv.requests) == 1 and not first.cached and first.usage.cost_usd > 0
    await r.aclose()
    r2 = Router(settings_for(srv.url))  # a new process would do the same: the cache is on disk
    second = await r2.chain_for("extract_requirements", "moderate")[0].complete(req())
    assert len(srv.requests) == 1
    assert second.cached and second.usage.cached and second.usage.total_tokens == 0 and second.usage.cost_usd == 0
    assert second.value == first.value and second.provider == "anthropic"
    other = await r2.chain_for("extract_requirements", "moderate")[0].complete(req(text="Resume: Go."))
    assert not other.cached and len(srv.requests) == 2
    await r2.aclose()
    raw = db_path().read_bytes()
    assert SECRET.encode() not in raw
    with sqlite3.connect(db_path()) as conn:
        assert conn.execute("SELECT COUNT(*) FROM cache").fetchone()[0] == 2


def test_cache_key_covers_provider_model_prompt_schema():
    class Other(BaseModel):
        label: str

    base = cache_key("anthropic", "m", req())
    assert base == cache_key("anthropic", "m", req())
    assert base != cache_key("openai", "m", req())
    assert base != cache_key("anthropic", "m2", req())
    assert base != cache_key("anthropic", "m", req(text="other"))
    assert base != cache_key("anthropic", "m", LLMRequest(task="t", messages=req().messages, schema=Other))


async def test_failed_calls_are_not_cached(srv):
    r = Router(settings_for(srv.url))
    p = r.chain_for("extract_requirements", "moderate")[0]
    srv.queue("500")
    with pytest.raises(ProviderError):
        await p.complete(req())
    res = await p.complete(req())
    assert not res.cached and len(srv.requests) == 2
    await r.aclose()


def test_cache_coexists_with_other_tables(tmp_path):
    path = tmp_path / "shared.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE sessions (id TEXT)")
        conn.execute("INSERT INTO sessions VALUES ('s1')")
    cache = ResponseCache(path)
    cache.put("k", "anthropic", "m", "t", Verdict(label="neg", score=1, reasons=[]), 3, 4)
    assert cache.get("k", Verdict)[0].label == "neg"
    assert cache.get("missing", Verdict) is None
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE cache SET created_at = created_at - 40 * 86400")
    cache.put("fresh", "anthropic", "m", "t", Verdict(label="pos", score=0, reasons=[]), 1, 1)
    assert cache.prune(30) == 1 and cache.get("k", Verdict) is None and cache.get("fresh", Verdict) is not None
    cache.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT id FROM sessions").fetchall() == [("s1",)]


def test_unusable_cache_location_is_only_a_miss(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = ResponseCache(blocker / "sub" / "db.sqlite3")  # its parent cannot be created
    cache.put("k", "anthropic", "m", "t", Verdict(label="pos", score=0, reasons=[]), 1, 1)
    assert cache.get("k", Verdict) is None


# --------------------------------------------------------------------------- budget


def test_price_table_prefix_and_override():
    prices = PriceTable({"claude-haiku-4-5": {"input": 2.0}, "my-model": {"input": 1.0, "output": 1.0}})
    assert prices.lookup("claude-sonnet-4-5-20250929") == (3.0, 15.0)
    assert prices.lookup("claude-haiku-4-5") == (2.0, 5.0)
    assert prices.cost("openai", "my-model", 1_000_000, 0) == pytest.approx(1.0)
    assert prices.cost("claude_cli", "claude-sonnet-4", 10**6, 10**6) == 0.0
    assert not prices.known("openai", "mystery")


async def test_token_cap_stops_before_any_request(srv):
    s = settings_for(srv.url, budget={"max_tokens": 50})
    r = Router(s, cache=False)
    with pytest.raises(ProviderError) as info:
        await r.chain_for("generate_plan", "moderate")[0].complete(req(text="x" * 1000))
    assert info.value.kind == ErrorKind.BUDGET and srv.requests == []
    err = budget_exceeded(info.value)
    assert isinstance(err, BudgetExceeded) and err.exit_code == 3 and "max_tokens" in str(err)


async def test_usd_cap_counts_actual_spend(srv):
    srv.state.input_tokens, srv.state.output_tokens = 400_000, 100_000  # an expensive answer
    s = settings_for(srv.url, budget={"max_usd": 2.0})
    r = Router(s, cache=False)
    p = r.chain_for("generate_plan", "moderate")[0]
    first = await p.complete(req())
    assert first.usage.cost_usd == pytest.approx(0.4 * 3 + 0.1 * 15)  # sonnet prices: $2.70
    with pytest.raises(ProviderError) as info:
        await p.complete(req(text="another"))
    assert info.value.kind == ErrorKind.BUDGET and len(srv.requests) == 1
    assert r.budget.spent.cost_usd == pytest.approx(2.7)


def test_estimates():
    assert estimate_tokens("abcd" * 100) == 100
    budget = Budget()
    est = budget.estimate("anthropic", "claude-sonnet-4-5", [req(text="x" * 4000)])
    assert est.calls == 1 and est.input_tokens > 1000 and est.cost_usd > 0 and est.priced
    s = Settings.model_validate({"provider": "anthropic", "providers": {"anthropic": {"api_key": SECRET}}})
    r = Router(s, cache=False)
    pre = r.estimate_texts(["a" * 800, "b" * 1600], "j" * 2000, "moderate")
    assert pre.calls == 6 and pre.cost_usd > 0 and "calls" in pre.describe()
    offline = Router(Settings(), cache=False).estimate_texts(["a" * 800], "j", "moderate")
    assert offline.cost_usd == 0 and offline.total_tokens == 0


def test_estimate_run_for_the_tui():
    from importlib import resources

    from resume_tui.documents.ingest import parse_resume_text
    from resume_tui.models import JobDescription
    from resume_tui.providers.budget import estimate_run

    resume = parse_resume_text(resources.files("resume_tui.data").joinpath("sample_resume.md").read_text(encoding="utf-8"))
    job = JobDescription(text="Python and Kubernetes. " * 60)
    paid = Settings.model_validate({"provider": "anthropic", "providers": {"anthropic": {"api_key": SECRET}}})
    est = estimate_run(resume, job, settings=paid, level="moderate")
    assert est.calls == 2 * len(resume.sections) + 2 and est.cost_usd > 0 and "$" in est.describe()
    assert estimate_run(resume, job, settings=Settings()).describe().startswith("offline only")


# --------------------------------------------------------------------------- doctor


def test_doctor_reports_without_secrets(srv):
    from resume_tui.providers.doctor import check_providers

    s = settings_for(srv.url, fallback=["openai", "gemini", "lmstudio"],
                     providers={**settings_for(srv.url).model_dump(exclude_none=True)["providers"],
                                "lmstudio": {"base_url": "http://127.0.0.1:9/v1", "model": "m"}})
    # model_dump drops api_key (exclude=True); put the keys back for this check
    for name in ("anthropic", "openai", "gemini"):
        s.providers[name].api_key = SECRET
    statuses = {st.name: st for st in check_providers(s, timeout_s=2.0)}
    assert statuses["anthropic"].reachable and statuses["openai"].reachable and statuses["gemini"].reachable
    assert statuses["lmstudio"].configured and statuses["lmstudio"].reachable is False
    assert "connect" in statuses["lmstudio"].detail.lower()
    assert statuses["claude_cli"].configured is False and statuses["claude_cli"].reachable is None
    assert statuses["offline"].reachable and statuses["anthropic"].key_source == "config file"
    assert SECRET not in repr(list(statuses.values()))
    assert all(r.method == "GET" for r in srv.state.requests)  # free requests only


@pytest.mark.parametrize("family", ["anthropic", "openai", "gemini"])
async def test_cancel_mid_call_releases_budget_and_client_stays_usable(srv, family):
    import asyncio

    srv.state.hang_s = 2.0
    srv.queue("hang")
    r = Router(settings_for(srv.url, provider=family, fallback=[], budget={"max_tokens": 100_000}), cache=False)
    p = r.chain_for("generate_plan", "moderate")[0]
    task = asyncio.create_task(p.complete(req()))
    for _ in range(100):
        await asyncio.sleep(0.02)
        if srv.requests:
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):  # cancellation is not turned into a ProviderError
        await task
    assert r.budget._reserved_tokens == 0 and r.budget.spent.total_tokens == 0
    res = await p.complete(req())
    assert res.value.label == "pos"
    await r.aclose()
