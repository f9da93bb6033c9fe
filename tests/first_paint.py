"""First paint of each screen, measured as the loop sees it (no tests here; the test and the benchmark share it).

`measure(pilot, name, show)` calls `show()` (which pushes or switches to a screen) with a
LoopWatch running, waits for the first frame the new screen composites, one more loop turn so a
block that ended in that frame is counted, and returns the longest stretch the loop was held
(`first_paint_s`), the wall time to that frame, and the longest stretch until the screen's
workers were done (`settled_s`: what the screen did after its first frame, on the loop).

`prepare(...)` makes the realistic state every screen is measured in: a resume and a posting
loaded, the offline analysis finished (report, changes, task table) and one change accepted.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loop_watch import LoopWatch
from textual.screen import Screen

FRAME_WAIT_S = 5.0  # a screen that has not painted by then has failed anyway


@dataclass
class Paint:
    name: str
    first_paint_s: float  # the longest loop block (wall) from the push to one turn after the first frame
    first_work_s: float  # the same block's CPU time on the loop's thread (what a loaded machine does not inflate)
    wall_s: float  # push → first frame
    settled_s: float  # the longest loop block (wall) from the push until the screen's workers finished
    settled_work_s: float  # its CPU time


async def measure(pilot: Any, name: str, show: Callable[[], Any], *, settle: Callable[[Any], Any],
                  collect: bool = False) -> Paint:
    """`collect`: run a full garbage collection first, so that one landing in the window (a third of a
    second on a loaded machine, whichever screen it falls in) is not counted as the screen's work."""
    app = pilot.app
    if collect:
        gc.collect()
    before = app.screen
    painted: list[float] = []
    original = Screen._compositor_refresh

    def timed(screen: Screen[Any]) -> None:
        original(screen)
        if not painted and screen is app.screen and screen is not before:
            painted.append(time.perf_counter())

    Screen._compositor_refresh = timed  # type: ignore[method-assign]
    try:
        async with LoopWatch() as settled:
            async with LoopWatch() as first:
                start = time.perf_counter()
                show()
                deadline = start + FRAME_WAIT_S
                while not painted and time.perf_counter() < deadline:
                    await asyncio.sleep(0.005)
                await asyncio.sleep(0.03)  # the watch turns at least once after the frame
            await settle(pilot)
    finally:
        Screen._compositor_refresh = original  # type: ignore[method-assign]
    assert painted, f"{name}: no frame within {FRAME_WAIT_S} s"
    return Paint(name, first.max_gap_s, first.max_work_s, painted[0] - start, max(first.max_gap_s, settled.max_gap_s),
                 max(first.max_work_s, settled.max_work_s))


async def prepare(pilot: Any, resume: Path, posting: Path, *, settle: Callable[[Any], Any]) -> None:
    """Load `resume` and `posting` into a new session, run the offline analysis, accept one change,
    write the letter: the state a person who lives in the app is in (done off the measured windows)."""
    from resume_tui.models import ChangeStatus, Verdict, WorkflowState

    app = pilot.app
    await settle(pilot)
    app.new_session()
    await settle(pilot)
    flow = app.flow
    resume_doc = await asyncio.to_thread(flow.read_resume, str(resume))
    flow.set_resume(resume_doc)
    job = await asyncio.to_thread(flow.preview_job, posting.read_text(encoding="utf-8", errors="replace"))
    flow.set_job(job)
    app.show_step(WorkflowState.GAP_ANALYZED)  # the analysis runs (offline) and its result is applied
    await settle(pilot)
    await settle(pilot)
    assert flow.session.report is not None, [n.message for n in app._notifications]
    safe = next((c for c in flow.session.changes if c.verdict is Verdict.SAFE), None)
    if safe is not None:
        flow.decide(safe.id, ChangeStatus.ACCEPTED)


async def walk(pilot: Any, *, settle: Callable[[Any], Any], collect: bool = False) -> list[Paint]:
    """Every screen and modal a person reaches, opened the way the app opens it, in the loaded state."""
    from resume_tui.steps import ANALYSIS, EXPORT, JOB, RESUME, REVIEW

    app = pilot.app
    paints: list[Paint] = []

    async def step(name: str, show: Callable[[], Any]) -> None:
        paints.append(await measure(pilot, name, show, settle=settle, collect=collect))

    async def modal(name: str, show: Callable[[], Any]) -> None:
        await step(name, show)
        app.pop_screen()
        await settle(pilot)

    for name, value in (("resume", RESUME), ("job", JOB), ("analysis", ANALYSIS), ("review", REVIEW)):
        await step(name, lambda v=value: app.show_step(v))
    await modal("checklist (modal)", lambda: app.screen.action_checklist())
    await modal("letter (writes it)", lambda: app.screen.action_letter())
    await modal("letter (written)", lambda: app.screen.action_letter())
    await step("export", lambda: app.show_step(EXPORT))
    await modal("settings", app.action_settings)
    await modal("help (modal)", app.action_help)
    app.home = "start"
    await step("start (sessions)", app.show_start)
    app.screen.query_one("#sessions").highlighted = 2  # the saved session, below "New" and "Demo"
    await modal("rename (modal)", lambda: app.screen.action_rename())
    await modal("delete confirm (modal)", lambda: app.screen.action_delete())

    def postings() -> None:
        app.home = "postings"
        app.show_start()

    await step("postings", postings)
    return paints
