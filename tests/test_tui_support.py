"""Shared helpers for the TUI tests (no tests here): fixed clock, documents, slow provider."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from resume_tui.app import SAMPLE_JD, SAMPLE_RESUME, ResumeTuiApp
from resume_tui.models import Usage
from resume_tui.providers.base import Result

FIXED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def fixed_clock() -> datetime:
    return FIXED


def docs_dir(tmp_path: Path) -> Path:
    """A folder under the test's HOME holding the sample resume and JD (shown as ~/docs)."""
    docs = tmp_path / "home" / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLE_RESUME, docs / "resume.md")
    shutil.copy(SAMPLE_JD, docs / "job.md")
    return docs


def make_app(tmp_path: Path, **kwargs: Any) -> ResumeTuiApp:
    from resume_tui.pipeline.clock import ManualClock

    kwargs.setdefault("start_dir", docs_dir(tmp_path))
    kwargs.setdefault("clock", fixed_clock)
    app = ResumeTuiApp(**kwargs)
    app.flow.pipeline_clock = ManualClock(epoch=FIXED)
    app.animation_level = "none"
    return app


async def wait_workers(app: Any) -> None:
    """Wait for the app's own workers (the DirectoryTree's loader never ends by design)."""
    from textual.worker import WorkerCancelled, WorkerFailed

    mine = [w for w in app.workers if w.group != "_loader" and not w.is_finished]
    for worker in mine:
        try:
            await worker.wait()
        except (WorkerCancelled, WorkerFailed):
            pass


async def settle(pilot: Any) -> None:
    """Let messages, timers and workers finish (never a fixed sleep)."""
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        await wait_workers(app)
    await pilot.pause()


class SlowProvider:
    """A provider that never answers in time: lets a test cancel a run mid-flight."""

    name = "slow"
    model = "fake"

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.calls = 0

    async def complete(self, request: Any) -> Result:
        self.calls += 1
        self.started.set()
        await asyncio.sleep(60)
        raise AssertionError("never reached")  # pragma: no cover

    async def aclose(self) -> None:
        return None


class SlowRouter:
    def __init__(self) -> None:
        self.provider = SlowProvider()

    def chain_for(self, task: str, level: str) -> list[Any]:
        return [self.provider] if task.startswith("analyze") or task == "generate_plan" else []


__all__ = ["FIXED", "SlowRouter", "Usage", "analysed", "docs_dir", "fixed_clock", "make_app", "reviewed", "settle"]


async def analysed(app: Any, pilot: Any) -> None:
    """Let the app start, then go to the Analysis step and let the run finish and render."""
    from resume_tui.models import WorkflowState

    await settle(pilot)
    app.show_step(WorkflowState.GAP_ANALYZED)
    await settle(pilot)
    await settle(pilot)


async def reviewed(pilot: Any) -> None:
    """Let the app start, run the analysis, then open Review (the preamble of every Review test)."""
    from resume_tui.models import WorkflowState

    await analysed(pilot.app, pilot)
    pilot.app.show_step(WorkflowState.REWRITE_APPLIED)
    await settle(pilot)
