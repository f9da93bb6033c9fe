"""Every fallback says why, against a loopback fake: a refused connection, a 401, a 429 with its
retry time, a timeout and invalid JSON output each reach the task records, the Analysis
screen's row (a line under it, not only a tooltip), and the one-sentence run summary the
CLI prints."""

from __future__ import annotations

import contextlib
import io
import json
import re
from importlib import resources
from pathlib import Path

import openai  # noqa: F401 - imported up front: SDK import time is not what these tests measure
import pytest
from fakes.llm_server import FakeLLMServer, free_port
from test_tui_support import make_app, settle

from resume_tui.config import Settings
from resume_tui.documents.ingest import parse_resume_text
from resume_tui.models import CustomizationLevel, TaskStatus, WorkflowState
from resume_tui.pipeline import run_pipeline
from resume_tui.pipeline.run.summary import served_summary
from resume_tui.providers.router import Router

ANSWER = "{}"
KEY = "sk-test-REASONS-0123456789"
JD = "Senior Backend Engineer.\nRequirements:\n- 5+ years of Python\n- PostgreSQL\n- Kubernetes"


def deadline_for(fault: str) -> float:
    """A short task deadline for the hung server; a long one otherwise: a server on this machine is
    asked one request at a time (providers/local_server.py), and a loaded CI machine must not turn
    a 401 into "no answer in 1.5 s"."""
    return 1.5 if fault == "timeout" else 30.0


# fault → (how the fake misbehaves, what the task's reason must say)
REASONS = {
    "refused": (None, r"connection refused at http://127\.0\.0\.1:\d+/v1"),
    "401": ("401", r"rejected the API key \(HTTP 401\)"),
    "429": ("429", r"rate-limited the request \(HTTP 429; it asked to retry after 0\.01 s\)"),
    "timeout": ("hang", r"no answer in [\d.]+ s"),
    "invalid-json": ("notjson", r"answer was not valid JSON even after one repair request"),
}


@pytest.fixture(scope="module")
def fake():
    with FakeLLMServer() as srv:
        yield srv


def arm(fake: FakeLLMServer, fault: str) -> str:
    """Make the fake misbehave in one way; returns the base URL to use."""
    fake.reset()
    kind = REASONS[fault][0]
    if kind is None:
        return f"http://127.0.0.1:{free_port()}/v1"
    if kind == "notjson":
        fake.state.default_answer = "Sure! Here are the requirements you asked for."
    else:
        fake.state.hang_s = 10.0
        fake.queue(*[kind] * 400)
    return fake.url + "/v1"


def settings_for(base_url: str, deadline: float) -> Settings:
    return Settings.model_validate({
        "provider": "openai",
        "limits": {"extract_timeout_s": deadline, "task_timeout_s": deadline},
        "providers": {"openai": {"api_key": KEY, "base_url": base_url, "model": "m", "max_retries": 1}},
    })


def sample_resume():
    return parse_resume_text(resources.files("resume_tui.data").joinpath("sample_resume.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("fault", sorted(REASONS))
async def test_each_reason_reaches_the_task_records_and_the_summary(fake, fault):
    settings = settings_for(arm(fake, fault), deadline_for(fault))
    router = Router(settings, cache=False)
    try:
        result = await run_pipeline(sample_resume(), JD, level=CustomizationLevel.MODERATE, router=router,
                                    settings=settings)
    finally:
        await router.aclose()
    assert result.status == "completed"
    fell = [t for t in result.tasks if t.fallback]
    assert fell, "some task left openai"
    pattern = REASONS[fault][1]
    for task in fell:
        assert task.status == TaskStatus.COMPLETED and task.provider == "offline"
        assert task.error and re.search(pattern, task.error), (fault, task.error)
        assert KEY not in task.error
    summary = served_summary(result.tasks)
    assert re.search(rf"\d+ fell back to offline: .*{pattern}", summary), summary


@pytest.mark.slow
@pytest.mark.parametrize("fault", sorted(REASONS))
def test_the_cli_summary_says_who_served_what_and_why(fake, fault, tmp_path: Path, isolated_env: Path):
    base = arm(fake, fault)
    config = isolated_env / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(
        f'provider = "openai"\n[limits]\nextract_timeout_s = {deadline_for(fault)}\ntask_timeout_s = {deadline_for(fault)}\n'
        f'[providers.openai]\nbase_url = "{base}"\nmodel = "m"\nmax_retries = 1\napi_key = "{KEY}"\n', encoding="utf-8")
    jd = tmp_path / "jd.md"
    jd.write_text(JD, encoding="utf-8")
    resume = resources.files("resume_tui.data").joinpath("sample_resume.md")
    from resume_tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["tailor", str(resume), str(jd), "--json"])
    assert code == 0, err.getvalue()
    lines = [line for line in err.getvalue().splitlines() if "fell back to offline" in line]
    assert len(lines) == 1, err.getvalue()
    assert re.fullmatch(rf"resume-tui: .*\d+ fell back to offline: .*{REASONS[fault][1]}.*", lines[0]), lines[0]
    doc = json.loads(out.getvalue())
    assert doc["served"] == lines[0].removeprefix("resume-tui: ")
    assert KEY not in out.getvalue() + err.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("fault", sorted(REASONS))
async def test_the_analysis_screen_shows_the_reason_under_the_row(fake, fault, tmp_path: Path) -> None:
    from resume_tui.widgets.task_list import TaskRow

    app = make_app(tmp_path, demo=True, offline=False, settings=settings_for(arm(fake, fault), deadline_for(fault)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.show_step(WorkflowState.GAP_ANALYZED)
        await settle(pilot)
        if type(app.screen).__name__ == "ConfirmScreen":  # a paid run asks first
            await pilot.press("y")
        for _ in range(40):
            await settle(pilot)
            if app.flow.state == WorkflowState.GAP_ANALYZED:
                break
        assert app.flow.state == WorkflowState.GAP_ANALYZED
        await pilot.press("t")
        await settle(pilot)
        rows = [row for row in app.screen.query(TaskRow) if row.record.fallback]
        assert rows
        for row in rows:
            assert row.why is not None and row.why.startswith("↳ ")
            lines = str(row.render()).splitlines()  # the row as drawn: its line, then the reason, wrapped
            shown = " ".join(" ".join(lines[1:]).split())
            assert len(lines) > 1 and shown.startswith("↳ ") and re.search(REASONS[fault][1], shown), lines
            assert KEY not in shown
        toasts = " ".join(n.message for n in app._notifications)
        assert re.search(rf"fell back to offline: .*{REASONS[fault][1]}", toasts), toasts


def test_analyze_prints_the_same_summary(fake, tmp_path: Path, isolated_env: Path):
    base = arm(fake, "401")
    config = isolated_env / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(
        f'provider = "openai"\n[providers.openai]\nbase_url = "{base}"\nmodel = "m"\napi_key = "{KEY}"\n', encoding="utf-8")
    jd = tmp_path / "jd.md"
    jd.write_text(JD, encoding="utf-8")
    resume = resources.files("resume_tui.data").joinpath("sample_resume.md")
    from resume_tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["analyze", str(resume), str(jd), "--json"]) == 0
    (line,) = [line for line in err.getvalue().splitlines() if "fell back to offline" in line]
    assert re.search(REASONS["401"][1], line) and KEY not in err.getvalue() + out.getvalue()
