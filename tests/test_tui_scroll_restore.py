"""Reopening a session shows it scrolled as it was left: the resume preview, the warnings panel and
the task table (the Review list and the gap report's row have their own tests in test_tui_keep_work.py).

Each is scrolled, the app quits (ctrl+q) and a second app opens the saved session from the store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import make_app, settle

from resume_tui.models import WorkflowState
from resume_tui.widgets.resume_preview import Preview, Warnings
from resume_tui.widgets.task_list import TaskList

pytestmark = pytest.mark.slow

SIZE = (80, 16)  # small enough that the demo's task table scrolls
WARNINGS = [f"Line {n} of the PDF had characters the reader could not map; check the preview." for n in range(1, 13)]


async def scroll(pilot, widget, y: int) -> None:
    assert widget.max_scroll_y >= y, f"{widget!r} scrolls only to {widget.max_scroll_y}"
    widget.scroll_to(y=y, animate=False, immediate=True)
    await settle(pilot)
    assert widget.scroll_y == y


async def test_the_preview_the_warnings_and_the_task_table_reopen_scrolled_as_left(tmp_path: Path) -> None:
    first = make_app(tmp_path, demo=True)
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        flow = first.flow
        assert flow.session.resume is not None
        flow.session.resume.warnings.extend(WARNINGS)  # saved with the resume when the analysis moves the session on
        first.show_step(WorkflowState.GAP_ANALYZED)
        await settle(pilot)
        await settle(pilot)
        sid = flow.session.id
        await pilot.press("t")
        await settle(pilot)
        await scroll(pilot, first.screen.query_one(TaskList), 3)
        first.show_step(WorkflowState.RESUME_UPLOADED)
        await settle(pilot)
        await scroll(pilot, first.screen.query_one(Preview), 9)
        await scroll(pilot, first.screen.query_one(Warnings), 2)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert not first.is_running

    second = make_app(tmp_path)
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        second.open_saved(sid)
        await settle(pilot)
        assert type(second.screen).__name__ == "ResumeScreen"
        await settle(pilot)
        assert second.screen.query_one(Preview).scroll_y == 9
        assert second.screen.query_one(Warnings).scroll_y == 2
        second.show_step(WorkflowState.GAP_ANALYZED)
        await settle(pilot)
        await settle(pilot)
        assert second.screen.query_one("#analysis-tabs").active == "tab-tasks"
        assert second.screen.query_one(TaskList).scroll_y == 3


async def test_a_table_never_shown_keeps_the_scroll_it_was_left_with(tmp_path: Path) -> None:
    """Reopened on the gap report tab, the task table is hidden: leaving the screen must not record its 0."""
    first = make_app(tmp_path, demo=True)
    async with first.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first.show_step(WorkflowState.GAP_ANALYZED)
        await settle(pilot)
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await scroll(pilot, first.screen.query_one(TaskList), 2)
        await pilot.press("g")
        await settle(pilot)
        first.show_step(WorkflowState.REWRITE_APPLIED)
        await settle(pilot)
        sid = first.flow.session.id
        await pilot.press("ctrl+q")
        await settle(pilot)

    second = make_app(tmp_path)
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        second.open_saved(sid)
        await settle(pilot)
        second.show_step(WorkflowState.GAP_ANALYZED)
        await settle(pilot)
        assert second.screen.query_one("#analysis-tabs").active == "tab-report"
        second.show_step(WorkflowState.REWRITE_APPLIED)  # left without showing the tasks
        await settle(pilot)
        second.show_step(WorkflowState.GAP_ANALYZED)
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert second.screen.query_one(TaskList).scroll_y == 2
