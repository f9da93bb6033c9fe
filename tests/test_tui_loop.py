"""Never freeze: loading and analysing long documents leaves the event loop free to draw and take keys.

A watchdog coroutine (tests/loop_watch.py) ticks every 10 ms on the app's loop and records the
longest stretch it could not run. Parsing and the offline analysis run in threads, so that
stretch is the loop's own work (drawing a frame, applying an event), never the engine's.

The bound, 2 s, is for a loaded machine. On the 2-core machine these tests were written on, shared
by about seven test runs at once (load average 6–14), the loop's own frames took up to 0.75 s and
the longest gaps measured were 0.07–0.3 s loading and 0.6–1.2 s analysing — while the same steps
before (engine and preview layout on the loop) held it 3.6–8.8 s analysing the 12-page CV and
5.3–6.3 s loading the 2 MB resume (its analysis held it for minutes). A tighter bound (250 ms)
fails there for reasons that have nothing to do with this code (the OS not scheduling the process
while other runs hold both cores), so it would only teach people to ignore the test.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from loop_watch import LoopWatch, one_line_resume, twelve_page_cv
from test_tui_support import make_app, settle
from textual.widgets import Input

from resume_tui.app import SAMPLE_JD
from resume_tui.models import TaskStatus, WorkflowState

pytestmark = pytest.mark.slow

BOUND_S = 2.0
ANALYSIS_WINDOW_S = 6.0  # the offline engine needs minutes on a 2 MB item; the loop is watched while it works


async def load(pilot, path: Path) -> None:
    app = pilot.app
    app.screen.query_one("#path", Input).value = str(path)
    app.screen.action_load()
    await settle(pilot)
    assert app.flow.session.resume is not None, [n.message for n in app._notifications]


async def set_job(pilot) -> None:
    """The posting, as the Job step commits it (parsed in a thread there too); not what is measured."""
    app = pilot.app
    job = await asyncio.to_thread(app.flow.preview_job, SAMPLE_JD.read_text(encoding="utf-8"))
    app.flow.set_job(job)
    await settle(pilot)


async def test_a_2mb_one_line_resume_loads_and_analyses_without_blocking_the_loop(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    paste = one_line_resume(tmp_path / "paste.txt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.new_session()
        await settle(pilot)
        async with LoopWatch() as loading:
            await load(pilot, paste)
        await set_job(pilot)
        async with LoopWatch() as watch:
            app.show_step(WorkflowState.GAP_ANALYZED)
            await asyncio.sleep(ANALYSIS_WINDOW_S)
            screen = app.screen
            assert screen.running, "still analysing: the window watched the engine at work"
            assert any(t.status == TaskStatus.RUNNING for t in screen._orch.records)
            await pilot.press("escape")  # cancel: returns at once, the engine's thread is stopped
            await settle(pilot)
        assert not screen.running
    assert loading.max_gap_s < BOUND_S, f"loading held the loop {loading.max_gap_s:.2f} s"
    assert watch.max_gap_s < BOUND_S, f"the loop was held {watch.max_gap_s:.2f} s (ticks: {watch.ticks})"


async def test_a_12_page_cv_loads_and_analyses_without_blocking_the_loop(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    cv = twelve_page_cv(tmp_path / "cv.pdf")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.new_session()
        await settle(pilot)
        async with LoopWatch() as loading:
            await load(pilot, cv)
        await set_job(pilot)
        async with LoopWatch() as watch:
            app.show_step(WorkflowState.GAP_ANALYZED)
            await settle(pilot)
            await settle(pilot)
        assert app.flow.state == WorkflowState.GAP_ANALYZED and app.flow.session.report is not None
    assert loading.max_gap_s < BOUND_S, f"loading held the loop {loading.max_gap_s:.2f} s"
    assert watch.max_gap_s < BOUND_S, f"the loop was held {watch.max_gap_s:.2f} s (ticks: {watch.ticks})"
