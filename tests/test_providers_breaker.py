"""The router's circuit breaker against loopback fakes: a hung server, a refused connection, a
connection that cannot even open and a server that dies mid-run each cost at most one
timeout per run, and the reason reaches the task records, the events, the run summary, the
CLI (a real subprocess) and the TUI's task rows."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import UTC
from importlib import resources
from pathlib import Path

import anthropic  # noqa: F401 - imported up front: SDK import time (1–2 s) is not what these tests time
import openai  # noqa: F401
import pytest
from fakes.llm_server import FakeLLMServer, free_port

from resume_tui.config import Settings
from resume_tui.documents.ingest import parse_resume_text
from resume_tui.models import CustomizationLevel, TaskRecord, TaskStatus
from resume_tui.pipeline import run_pipeline
from resume_tui.pipeline.recovery import Action, RetryPolicy
from resume_tui.providers.base import ErrorKind, ProviderError
from resume_tui.providers.router import Router

ANSWER = "{}"
SECRET = "sk-test-SECRET-0123456789"
JD = ("Senior Backend Engineer.\nRequirements:\n- 5+ years of Python\n- Kubernetes and Terraform\n"
      "- PostgreSQL\n- Experience with Kafka is a plus")
TIMEOUT = 1.5  # the task deadline for every task in these runs


def sample_resume():
    return parse_resume_text(resources.files("resume_tui.data").joinpath("sample_resume.md").read_text(encoding="utf-8"))


def settings_for(url: str, *, family: str = "openai", fallback: list[str] | None = None, **provider) -> Settings:
    base = url + "/v1" if family == "openai" else url
    return Settings.model_validate({
        "provider": family, "fallback": fallback or [],
        "limits": {"extract_timeout_s": TIMEOUT, "task_timeout_s": TIMEOUT},
        "providers": {family: {"api_key": SECRET, "base_url": base, "model": "m", "max_retries": 2, **provider}},
    })


async def run(settings: Settings):
    router = Router(settings, cache=False)
    events: list = []
    started = time.monotonic()
    result = await run_pipeline(sample_resume(), JD, level=CustomizationLevel.MODERATE, router=router,
                                settings=settings, sinks=[events.append])
    wall = time.monotonic() - started
    await router.aclose()
    return result, events, wall


def model_tasks(result) -> list[TaskRecord]:
    return [t for t in result.tasks if t.name.startswith(("extract_", "analyze_", "generate_plan", "customize_"))]


@pytest.mark.parametrize("family", ["openai", "anthropic"])  # a local server (one at a time) and a hosted API (concurrent)
async def test_a_hung_server_costs_one_timeout_per_run(srv, family):
    srv.state.hang_s = 30.0
    srv.queue(*["hang"] * 40)
    result, events, wall = await run(settings_for(srv.url, family=family))

    assert result.status == "completed" and result.tier == "offline"
    assert wall < TIMEOUT + 2.0, f"{wall:.1f}s: more than one timeout"  # before: one timeout per task, and retries
    # Only the calls in flight when the first one gave up ever reached the server.
    assert len(srv.requests) <= (1 if family == "openai" else 4), len(srv.requests)
    (summary,) = result.providers
    assert summary["name"] == family and summary["healthy"] is False and summary["tasks_served"] == 0
    assert summary["reason"].startswith(f"{family}: no answer in ") and "later tasks went to the offline engine" in summary["reason"]
    # Tasks that asked the model (small sections share their batch leader's call) went offline,
    # each saying why: the calls in flight together hit their own deadline, later ones the reason.
    rows = [t for t in model_tasks(result) if t.error]
    assert rows and all(t.provider == "offline" and t.fallback for t in rows)
    said = summary["reason"].removeprefix(f"{family}: ")  # each row: "openai/m: no answer in …" (the name once)
    assert all(t.error in (f"{family}/m: {said}", f"{family}/m: no answer in {TIMEOUT:g} s") for t in rows)
    assert any(said in t.error for t in rows)
    retried = [e.payload for e in events if e.type == "task_retried"]
    assert not [r for r in retried if r["next"] == "retry"]  # a provider with no answer is never retried
    assert any(summary["reason"] == r["message"] for r in retried)


async def test_a_refused_connection_is_learned_once_and_named():
    port = free_port()
    result, events, wall = await run(settings_for(f"http://127.0.0.1:{port}"))
    assert wall < 3.0
    (summary,) = result.providers
    assert summary["reason"] == (f"openai: connection refused at http://127.0.0.1:{port}/v1 — later tasks went to "
                                 "the offline engine")
    retried = [e.payload for e in events if e.type == "task_retried"]
    assert [r["kind"] for r in retried].count("api_error") == 1  # one real attempt; the rest skip at once
    assert {r["kind"] for r in retried} == {"api_error", "unavailable"}
    said = summary["reason"].removeprefix("openai: ")
    assert all(t.error == f"openai/m: {said}" for t in model_tasks(result) if t.error)


async def test_the_next_provider_takes_over_and_is_named_in_the_reason(srv):
    """openai refuses connections; anthropic (the fake, answering) serves the later tasks."""
    port = free_port()
    settings = Settings.model_validate({
        "provider": "openai", "fallback": ["anthropic"],
        "limits": {"extract_timeout_s": TIMEOUT, "task_timeout_s": TIMEOUT},
        "providers": {"openai": {"api_key": SECRET, "base_url": f"http://127.0.0.1:{port}/v1", "model": "m"},
                      "anthropic": {"api_key": SECRET, "base_url": srv.url, "model": "m"}}})
    result, _events, _wall = await run(settings)
    openai_state, anthropic_state = result.providers
    assert openai_state["reason"].endswith("later tasks went to anthropic") and anthropic_state["healthy"]
    assert all(r.path == "/v1/messages" for r in srv.requests)  # every task asked anthropic


def _full_backlog() -> tuple[socket.socket, list[socket.socket], int]:
    """A listener whose accept queue is full: the kernel drops new SYNs, so connect() hangs —
    what a firewalled or unplugged host looks like, on 127.0.0.1."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(s)
    time.sleep(0.1)
    return listener, fillers, port


async def test_connect_timeout_is_separate_from_the_read_timeout():
    listener, fillers, port = _full_backlog()
    try:
        settings = settings_for(f"http://127.0.0.1:{port}", connect_timeout_s=0.3, timeout_s=30)
        result, _events, wall = await run(settings)
    finally:
        for s in [listener, *fillers]:
            s.close()
    assert wall < TIMEOUT, wall  # 0.3 s to give up connecting, not the 1.5 s task deadline
    (summary,) = result.providers
    assert summary["reason"].startswith(f"openai: no connection at http://127.0.0.1:{port}/v1 within 0.3 s")


async def test_a_server_that_dies_mid_run_costs_one_failure():
    with FakeLLMServer() as dying:
        dying.state.default_answer = ANSWER
        dying.queue("ok", *["refused"] * 40)  # answers once, then drops every connection
        result, _events, wall = await run(settings_for(dying.url))
        received = len(dying.requests)
    assert wall < TIMEOUT + 2.0
    assert received <= 3  # the one answer (+ its repair request), then the single drop that tripped the breaker
    (summary,) = result.providers
    assert summary["healthy"] is False
    assert "broke before the answer was complete" in summary["reason"] or "connection refused" in summary["reason"]


def test_recovery_never_retries_an_unhealthy_provider():
    policy = RetryPolicy(max_retries=5)
    err = ProviderError(ErrorKind.TIMEOUT, "openai: no answer in 30 s", "openai", unhealthy=True)
    assert policy.decide(err, 1) == Action.NEXT_PROVIDER
    assert policy.decide(ProviderError(ErrorKind.TIMEOUT, "x"), 1) == Action.RETRY


def test_a_selected_provider_without_a_key_is_said_up_front(tmp_path: Path, isolated_env: Path):
    """provider = anthropic in the config, no key: one warning line and an entry in the summary."""
    config = isolated_env / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text('provider = "anthropic"\n', encoding="utf-8")
    from resume_tui.cli import main

    jd = tmp_path / "jd.md"
    jd.write_text(JD, encoding="utf-8")
    resume = resources.files("resume_tui.data").joinpath("sample_resume.md")
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["tailor", str(resume), str(jd), "--json"])
    assert code == 0
    lines = [line for line in err.getvalue().splitlines() if "not set up" in line]
    expected = ("resume-tui: warning: anthropic is selected but not set up (set ANTHROPIC_API_KEY); "
                "tasks run on the offline engine.")
    assert lines == [expected]
    doc = json.loads(out.getvalue())
    assert doc["providers"] == [{"name": "anthropic", "healthy": False, "reason": lines[0].split("warning: ", 1)[1],
                                 "tasks_served": 0}]


def test_cli_tailor_against_a_hung_server(tmp_path: Path, isolated_env: Path):
    """The real command in a subprocess: finishes within one task deadline plus the offline
    work, the fake saw one request, and stderr and --json both say why."""
    with FakeLLMServer() as hung:
        hung.state.hang_s = 60.0
        hung.queue(*["hang"] * 40)
        config = isolated_env / "config"
        config.mkdir(parents=True, exist_ok=True)
        (config / "config.toml").write_text(
            f'provider = "openai"\n[limits]\nextract_timeout_s = 3\ntask_timeout_s = 3\n'
            f'[providers.openai]\nbase_url = "{hung.url}/v1"\nmodel = "m"\n', encoding="utf-8")
        jd = tmp_path / "jd.md"
        jd.write_text(JD, encoding="utf-8")
        resume = resources.files("resume_tui.data").joinpath("sample_resume.md")
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "resume_tui", "tailor", str(resume), str(jd), "-o",
                               str(tmp_path / "out.md"), "--yes", "--json"],
                              check=False, capture_output=True, text=True, env=dict(os.environ), timeout=120)
        wall = time.monotonic() - started
        received = len(hung.requests)
    assert proc.returncode == 0, proc.stderr
    assert received == 1
    assert wall < 3 + 8, wall  # one 3 s deadline + start-up and offline work (before: a deadline per task)
    doc = json.loads(proc.stdout)
    (summary,) = doc["providers"]
    assert summary["healthy"] is False and summary["reason"].startswith("openai: no answer in ")
    assert f"resume-tui: warning: {summary['reason']}" in proc.stderr.splitlines()
    assert (tmp_path / "out.md").exists() and doc["tier"] == "offline"


async def test_task_rows_show_the_reason():
    """The TUI's task list: the row's detail (tooltip) carries why the task left its provider."""
    from textual.app import App, ComposeResult

    from resume_tui.widgets.task_list import TaskList, TaskRow, detail_text

    reason = "openai: no answer in 30 s — later tasks went to the offline engine"
    records = [TaskRecord(name="extract_requirements", status=TaskStatus.COMPLETED, provider="offline", fallback=True,
                          error=f"openai/m: {reason}"),
               TaskRecord(name="analyze_s0", status=TaskStatus.COMPLETED, provider="anthropic/claude-haiku-4-5")]

    class Harness(App):
        def compose(self) -> ComposeResult:
            from datetime import datetime

            yield TaskList(lambda: datetime.now(UTC), id="tasks")

    app = Harness()
    async with app.run_test() as pilot:
        app.query_one(TaskList).show(records)
        await pilot.pause()
        rows = {r.record.name: r for r in app.query(TaskRow)}
        fell_back = rows["extract_requirements"]
        assert reason in str(fell_back.tooltip) and reason in " ".join(str(fell_back.render()).split())
        assert str(rows["analyze_s0"].tooltip) == "anthropic/claude-haiku-4-5"  # who served it; no reason
    assert detail_text(records[0]) == f"offline — openai/m: {reason}"


def test_the_run_summary_says_who_served_what_and_why():
    """Besides each row's reason, the end of a run says in one sentence which provider served
    what and why the others fell back — the same sentence for the TUI's toast and the CLI."""
    from types import SimpleNamespace

    from resume_tui.screens.analysis import run_summary

    refused = "openai/m: connection refused at http://127.0.0.1:9/v1 — later tasks went to the offline engine"
    tasks = [TaskRecord(name=f"analyze_s{i}", status=TaskStatus.COMPLETED, provider="openai/m") for i in range(6)]
    tasks += [TaskRecord(name=f"customize_s{i}", status=TaskStatus.COMPLETED, provider="offline", fallback=True,
                         error=refused) for i in range(3)]
    assert run_summary(SimpleNamespace(tasks=tasks)) == (
        "openai served 6 tasks; 3 fell back to offline: connection refused at http://127.0.0.1:9/v1")
    offline = [TaskRecord(name="plan", status=TaskStatus.COMPLETED, provider="offline")] * 2
    assert run_summary(SimpleNamespace(tasks=offline)) == "the offline engine served every task"
    assert run_summary(SimpleNamespace(tasks=[])) == ""
