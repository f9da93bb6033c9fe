"""Paid providers from the TUI: estimate + confirmation before any call, per-session caps
across runs, and who served each task shown in its row — with a scripted provider chain."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_pipeline_fakes import FakeRouter, ScriptedProvider, Step
from test_tui_support import make_app, settle

from resume_tui.config import BudgetSettings, ProviderSettings, Settings
from resume_tui.models import Usage, WorkflowState
from resume_tui.providers.base import ErrorKind
from resume_tui.widgets.task_list import TaskRow

# Pilot-driven TUI flows against loopback providers: `pytest -m "not slow"` leaves them out of the inner loop.
pytestmark = pytest.mark.slow


def paid_settings(**budget: float | int) -> Settings:
    return Settings(
        provider="anthropic",
        fallback=["openai"],
        providers={"anthropic": ProviderSettings(api_key="sk-ant-test"), "openai": ProviderSettings(api_key="sk-test")},
        budget=BudgetSettings(**budget),
    )


def scripted_chain() -> tuple[FakeRouter, ScriptedProvider, ScriptedProvider]:
    """anthropic refuses (bad key: not retried), openai answers: analyze_* tasks fall back."""
    first = ScriptedProvider(name="anthropic", model="claude-haiku-4-5", default=Step(error=ErrorKind.AUTH))
    second = ScriptedProvider(name="openai", model="gpt-4.1-mini")
    return FakeRouter(per_task={"analyze_": [first, second]}), first, second


async def open_analysis(pilot) -> None:
    app = pilot.app
    await settle(pilot)
    app.show_step(WorkflowState.GAP_ANALYZED)
    await settle(pilot)


async def test_no_at_the_cost_confirmation_runs_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True, offline=False, settings=paid_settings(max_usd=1.0))
    router, first, second = scripted_chain()
    app.flow.router = lambda: router  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await open_analysis(pilot)
        assert type(app.screen).__name__ == "ConfirmScreen", "a paid run asks first"
        body = str(app.screen.query_one(".dialog-body").render())
        assert "Providers, in order: anthropic → openai → offline.\n" in body, body
        assert "calls" in body and "$" in body, body  # the estimate: calls, tokens, dollars
        assert "$1.00" in body, "the session cap is shown"
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "AnalysisScreen"
        assert first.calls == [] and second.calls == [] and router.asked == []
        assert app.flow.tasks == [] and app.flow.session.report is None
        assert app.flow.state == WorkflowState.JD_PROVIDED
        assert "nothing was spent" in list(app._notifications)[-1].message


async def test_yes_runs_the_chain_and_rows_show_who_served_each_task(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True, offline=False, settings=paid_settings(max_usd=1.0))
    router, first, second = scripted_chain()
    app.flow.router = lambda: router  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await open_analysis(pilot)
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("y")
        await settle(pilot)
        await settle(pilot)
        assert app.flow.state == WorkflowState.GAP_ANALYZED
        assert first.calls and second.calls and first.calls == second.calls
        served = [t for t in app.flow.tasks if t.provider != "offline"]
        assert served, "some tasks went to the chain"
        rows = {row.record.name: row for row in app.screen.query(TaskRow)}
        for task in app.flow.tasks:
            shown = rows[task.name].provider  # the provider column
            if task in served:  # anthropic refused, openai answered: a fallback
                assert task.name.startswith("analyze_") and task.fallback, task
                assert task.provider == "openai/gpt-4.1-mini"
                assert shown == "↪ openai", "a fallback is marked without relying on colour"
                tip = str(rows[task.name].tooltip)  # who served it, and why not the first
                assert tip == f"openai/gpt-4.1-mini — {task.error}" and "anthropic" in tip
            else:  # sections the pipeline keeps offline, and tasks with no chain
                assert shown == "offline", (task.name, shown)
        # what was spent is the session's, and the next run's budget starts from it
        spent = app.flow.usage
        assert spent.total_tokens == 120 * len(second.calls) and spent.cost_usd > 0
        assert app.flow.session.settings.spent.input_tokens == spent.input_tokens
        real = type(app.flow).router(app.flow)
        assert real is not None and real.budget.max_usd == 1.0
        assert real.budget.spent == spent, "per-session caps count earlier runs"


async def test_no_provider_set_up_runs_offline_without_asking(tmp_path: Path) -> None:
    settings = Settings(provider="anthropic")  # chosen, but no key: nothing can be called
    app = make_app(tmp_path, demo=True, offline=False, settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_analysis(pilot)
        await settle(pilot)
        assert type(app.screen).__name__ == "AnalysisScreen"
        assert app.flow.state == WorkflowState.GAP_ANALYZED
        assert {t.provider for t in app.flow.tasks} == {"offline"}
        assert app.flow.usage == Usage()


def test_the_session_budget_starts_from_what_the_session_spent(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=False, offline=False, settings=paid_settings(max_tokens=5000, max_usd=0.5))
    flow = app.flow
    flow.usage = Usage(input_tokens=4000, output_tokens=900, cost_usd=0.49)
    router = flow.router()
    assert router.budget.spent.total_tokens == 4900 and router.budget.max_tokens == 5000
    assert router.budget.remaining_usd() is not None and router.budget.remaining_usd() < 0.02
