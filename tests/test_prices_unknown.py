"""A model missing from the price table: "unknown price" — never "$0.0000" — in the estimate, the
cost modal, the task rows and the CLI; and the cost cap counts its tokens instead (at the
dearest listed price), against a loopback fake."""

from __future__ import annotations

import contextlib
import io
import json
from importlib import resources
from pathlib import Path
from typing import Literal

import anthropic  # noqa: F401 - imported up front: SDK import time is not what these tests measure
from pydantic import BaseModel

from resume_tui.config import BudgetSettings, ProviderSettings, Settings
from resume_tui.models import JobDescription, Resume, TaskRecord, TaskStatus, Usage
from resume_tui.pipeline import Orchestrator
from resume_tui.pipeline.recovery import RetryPolicy
from resume_tui.pipeline.tasks import MicroTask
from resume_tui.providers.base import ErrorKind, LLMRequest, Message, ProviderError
from resume_tui.providers.budget import Budget, Estimate, PriceTable
from resume_tui.providers.estimate import estimate_run

SECRET = "sk-test-SECRET-0123456789"
ANSWER = '{"label": "pos", "score": 0.5, "reasons": ["x"]}'
FAST = RetryPolicy(max_retries=0, base_backoff_s=0.01, max_backoff_s=0.02, max_wait_s=0.05)


class Verdict(BaseModel):
    label: Literal["pos", "neg"]
    score: float
    reasons: list[str]


def request(task: str = "extract_requirements", chars: int = 4000) -> LLMRequest:
    return LLMRequest(task=task, schema=Verdict, timeout_s=5.0,
                      messages=(Message("system", "Answer JSON."), Message("user", "x" * chars)))


def sample():
    from resume_tui.analysis.requirements import parse_job_description
    from resume_tui.documents.ingest import parse_resume_text

    text = resources.files("resume_tui.data").joinpath("sample_resume.md").read_text(encoding="utf-8")
    return parse_resume_text(text), parse_job_description("Backend engineer.\n- Python\n- PostgreSQL")


def test_the_estimate_says_unknown_price_never_zero_dollars() -> None:
    resume, job = sample()
    unknown = Settings(provider="anthropic", providers={"anthropic": ProviderSettings(api_key="k", model="claude-custom-x")})
    described = estimate_run(resume, job, settings=unknown).describe()
    assert "unknown price" in described and "$0.0000" not in described, described
    known = Settings(provider="anthropic", providers={"anthropic": ProviderSettings(api_key="k", model="claude-haiku-4-5")})
    priced = estimate_run(resume, job, settings=known)
    assert priced.priced and priced.cost_usd > 0 and priced.describe().endswith(f"~${priced.cost_usd:.4f}")
    # a server on this machine costs nothing per token: said so, not as "$0.0000"
    local = Settings(provider="openai", providers={"openai": ProviderSettings(base_url="http://127.0.0.1:9/v1",
                                                                              model="gpt-4o-mini")})
    free = estimate_run(resume, job, settings=local).describe()
    assert "no per-token charge" in free and "$0.0000" not in free, free
    # a mix says both
    mixed = Estimate(input_tokens=900, output_tokens=100, cost_usd=0.002, calls=2, priced=False, unpriced_tokens=400)
    assert mixed.describe() == "2 calls, ~1,000 tokens, ~$0.0020 plus unknown price for ~400 tokens (model not in the price table)"


def test_the_cost_cap_counts_tokens_when_the_price_is_unknown() -> None:
    prices = PriceTable()
    assert prices.dearest() == 75.0  # the dearest listed price, USD per million tokens
    budget = Budget(max_usd=0.05, prices=prices)
    small = request(chars=400)
    held = budget.reserve("anthropic", "claude-custom-x", small)  # an unknown model is not free
    assert held[1] == prices.unknown_cost(held[0]) > 0
    budget.settle(held, Usage(input_tokens=100, output_tokens=30, unpriced_tokens=130))
    assert budget.counted_usd() == prices.unknown_cost(130) and budget.spent.cost_usd == 0.0
    try:
        budget.reserve("anthropic", "claude-custom-x", request(chars=20_000))
    except ProviderError as exc:
        assert exc.kind == ErrorKind.BUDGET
        assert "claude-custom-x has no price in the price table, so the $0.05 cap counts its tokens" in exc.message
        assert "tokens are left" in exc.message and '[prices."claude-custom-x"]' in exc.message
    else:
        raise AssertionError("a call past the cap, counted in tokens, must be refused")
    # the same call to a known cheap model fits the same cap
    assert Budget(max_usd=0.05, prices=prices).reserve("anthropic", "claude-haiku-4-5", request(chars=20_000))


async def test_usage_of_an_unpriced_model_is_marked_and_the_run_stops_at_the_cap(srv) -> None:
    """anthropic (hosted, so not free) with a model the table does not know and a $0.05 cap: the
    first call (~150 tokens) fits when counted at the dearest price; the next (~7,000) does not."""
    settings = Settings.model_validate({"provider": "anthropic", "budget": {"max_usd": 0.05}, "providers": {
        "anthropic": {"api_key": SECRET, "base_url": srv.url, "model": "claude-custom-x"}}})
    from resume_tui.providers.router import Router

    router = Router(settings, cache=False)

    def task(name: str) -> MicroTask:
        return MicroTask(name, timeout=10.0, requests=lambda ctx: [request(name, chars=40)],
                         map_output=lambda ctx, outs, source: ("model", source), offline=lambda ctx: ("offline", None))

    orch = Orchestrator(Resume(), JobDescription(text="Python"), router=router, policy=FAST,
                        tasks=[task("extract_requirements"), MicroTask("analyze_s0", deps=["extract_requirements"],
                                                                       timeout=10.0, requests=lambda ctx: [request("analyze_s0", chars=20_000)],
                                                                       map_output=lambda ctx, outs, source: ("model", source),
                                                                       offline=lambda ctx: ("offline", None))])
    result = await orch.run()
    await router.aclose()
    first, second = result.tasks
    assert first.provider == "anthropic/claude-custom-x" and first.usage.unpriced_tokens == 18
    assert first.usage.cost_usd == 0.0 and result.usage.unpriced_tokens == 18
    assert second.provider == "offline" and second.fallback and "has no price in the price table" in (second.error or "")
    from resume_tui.widgets.task_list import cost_text

    assert cost_text(first) == "$?" and cost_text(TaskRecord(name="x", status=TaskStatus.COMPLETED)) == ""


def test_the_cost_modal_says_unknown_price(tmp_path: Path) -> None:
    from test_tui_support import make_app

    from resume_tui.screens.analysis import cost_question

    settings = Settings(provider="anthropic", budget=BudgetSettings(max_usd=1.0),
                        providers={"anthropic": ProviderSettings(api_key="k", model="claude-custom-x")})
    app = make_app(tmp_path, demo=True, offline=False, settings=settings)
    app.flow.usage = Usage(input_tokens=1_000, output_tokens=200, unpriced_tokens=1_200)
    resume, job = sample()
    estimate = estimate_run(resume, job, settings=app.flow.settings)
    text = cost_question(app.flow, estimate)
    assert "unknown price" in text and "$0.0000" not in text.split("Spent")[0], text
    assert "Spent in this session so far: $0.0000 plus 1,200 tokens at unknown price" in text
    assert "the price is unknown, so the cost cap counts tokens" in text


def test_the_cli_estimate_and_summary_say_unknown_price(srv, tmp_path: Path, isolated_env: Path) -> None:
    config = isolated_env / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(
        f'provider = "anthropic"\n[providers.anthropic]\nbase_url = "{srv.url}"\nmodel = "claude-custom-x"\n'
        f'api_key = "{SECRET}"\n', encoding="utf-8")
    jd = tmp_path / "jd.md"
    jd.write_text("Backend engineer.\n- Python\n- PostgreSQL", encoding="utf-8")
    resume = resources.files("resume_tui.data").joinpath("sample_resume.md")
    from resume_tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["tailor", str(resume), str(jd)])
    assert code == 0, err.getvalue()
    (estimate,) = [line for line in err.getvalue().splitlines() if "estimate before running" in line]
    assert "unknown price" in estimate and "$0.0000" not in estimate, estimate
    (tokens,) = [line for line in out.getvalue().splitlines() if line.startswith("Tokens: ")]
    assert "unknown price for" in tokens and "$0.0000" not in tokens, tokens
    toml = (config / "config.toml").read_text(encoding="utf-8")  # another unknown model: no cached answers
    (config / "config.toml").write_text(toml.replace("claude-custom-x", "claude-custom-y"), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["tailor", str(resume), str(jd), "--json"]) == 0
    doc = json.loads(out.getvalue())
    assert doc["unpriced_tokens"] > 0 and doc["cost_usd"] == 0.0
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["sessions", "show", doc["session_id"]]) == 0
    shown = out.getvalue()  # the COST cell may wrap ("unknown" / "price") in a narrow table
    assert "unknown" in shown and "price" in shown and "$0.0000" not in shown, shown
