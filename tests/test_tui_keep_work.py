"""Never lose work: a re-run keeps the review on changes it still proposes and asks before dropping
the rest; a reopened session is the session that was left (scores, task table, step, tab, cursor).

(Quitting with an unsaved inline edit asks first: tests/test_tui_keys.py covers it.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import make_app, reviewed, settle
from textual.widgets import DataTable, OptionList, ProgressBar, Static, TabbedContent, TextArea

from resume_tui.models import ChangeAction, ChangeStatus, Verdict, WorkflowState
from resume_tui.session.store import Store

# Pilot sessions with a real store, re-runs and reopened apps.
pytestmark = pytest.mark.slow


def name(app) -> str:
    return type(app.screen).__name__


def review_state(app) -> dict[str, tuple[ChangeStatus, str, str | None]]:
    return {c.id: (c.status, c.after, c.proposed) for c in app.flow.session.changes}


async def decide(pilot, change_id: str, key: str) -> None:
    app = pilot.app
    app.screen.query_one("#changes", OptionList).highlighted = [c.id for c in app.flow.session.changes].index(change_id)
    await pilot.pause()
    await pilot.press(key)
    await settle(pilot)


async def edit(pilot, change_id: str, extra: str) -> None:
    app = pilot.app
    app.screen.query_one("#changes", OptionList).highlighted = [c.id for c in app.flow.session.changes].index(change_id)
    await pilot.pause()
    await pilot.press("e")
    await settle(pilot)
    app.screen.query_one("#editor", TextArea).insert(extra)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def rerun(pilot, *, asks: bool = False) -> None:
    """Press r on Analysis; when the run `asks`, return with its question on screen (the run's worker
    waits for the answer, so waiting for every worker here would never end)."""
    app = pilot.app
    if name(app) != "AnalysisScreen":
        app.show_step(WorkflowState.GAP_ANALYZED)
        await settle(pilot)
    await pilot.press("r")
    if asks:
        await until_screen(pilot, "ConfirmScreen")
        return
    await settle(pilot)
    await settle(pilot)


async def until_screen(pilot, wanted: str, timeout: float = 60.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while name(pilot.app) != wanted or not pilot.app.screen.is_mounted:  # shown and composed
        assert time.monotonic() < deadline, f"{wanted} never showed; on {name(pilot.app)}"
        await pilot.pause(0.05)
    await pilot.pause()


async def worked_review(pilot) -> dict[str, tuple[ChangeStatus, str, str | None]]:
    """Accept 2, reject 1, edit 1 (the edit keeps the run's text in `proposed`)."""
    app = pilot.app
    await reviewed(pilot)
    safe = [c.id for c in app.flow.session.changes if c.verdict == Verdict.SAFE]
    text = [c.id for c in app.flow.session.changes if c.action == ChangeAction.REPLACE and c.before and c.id not in safe[:3]]
    assert len(safe) >= 3 and text, [(c.id, c.verdict, c.action) for c in app.flow.session.changes]
    await decide(pilot, safe[0], "a")
    await decide(pilot, safe[1], "a")
    await decide(pilot, safe[2], "r")
    await edit(pilot, text[0], " (edited by hand)")
    before = review_state(app)
    statuses = [s for s, _, _ in before.values()]
    assert statuses.count(ChangeStatus.ACCEPTED) == 2 and statuses.count(ChangeStatus.REJECTED) == 1
    assert before[text[0]][1].endswith("(edited by hand)") and before[text[0]][2] is not None
    return before


async def test_a_rerun_keeps_every_decision_and_edit_on_changes_still_proposed(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        before = await worked_review(pilot)
        await rerun(pilot)
        assert name(app) == "AnalysisScreen", "nothing dropped, so nothing to ask"
        assert review_state(app) == before
        app.show_step(WorkflowState.REWRITE_APPLIED)
        await settle(pilot)
        line = str(app.screen.query_one("#score-line", Static).render())
        assert "2 accepted" in line and "1 rejected" in line, line


async def test_a_rerun_asks_before_dropping_decisions_on_changes_no_longer_proposed(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        before = await worked_review(pilot)
        # The decision on this change was taken on a wording the next run no longer proposes.
        accepted = next(cid for cid, (status, _, _) in before.items() if status == ChangeStatus.ACCEPTED)
        changes = app.flow.session.changes
        index = [c.id for c in changes].index(accepted)
        changes[index] = changes[index].model_copy(update={"after": "A wording the analysis no longer proposes."})
        earlier = review_state(app)

        await rerun(pilot, asks=True)
        title = str(app.screen.query_one(".dialog-title", Static).render())
        assert title == "Re-run will drop 1 decision on changes that are no longer proposed — continue?"
        await pilot.press("n")
        await settle(pilot)
        assert name(app) == "AnalysisScreen" and review_state(app) == earlier, "keep: the review is untouched"

        await rerun(pilot, asks=True)
        await pilot.press("y")
        await settle(pilot)
        after = review_state(app)
        assert after[accepted][0] == ChangeStatus.PENDING and after[accepted][1] != earlier[accepted][1]
        kept = {cid: v for cid, v in earlier.items() if cid != accepted and (v[0] != ChangeStatus.PENDING or v[2])}
        assert {cid: after[cid] for cid in kept} == kept, "the other decisions and the edit stay"


async def test_a_reopened_session_is_the_session_that_was_left(tmp_path: Path) -> None:
    first = make_app(tmp_path, demo=True)
    async with first.run_test(size=(120, 40)) as pilot:
        await worked_review(pilot)
        sid = first.flow.session.id
        tasks = [t.model_dump() for t in first.flow.tasks]
        # The Analysis step on its gap report, third requirement highlighted…
        first.show_step(WorkflowState.GAP_ANALYZED)
        await settle(pilot)
        await pilot.press("g")
        table = first.screen.query_one("#requirements", DataTable)
        table.move_cursor(row=2)
        await settle(pilot)
        # …then Review, fourth change highlighted; quit from there.
        first.show_step(WorkflowState.REWRITE_APPLIED)
        await settle(pilot)
        first.screen.query_one("#changes", OptionList).highlighted = 3
        await settle(pilot)
        score = str(first.screen.query_one("#score-line", Static).render())
        decided = review_state(first)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert not first.is_running

    second = make_app(tmp_path)
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        second.open_saved(sid)
        await settle(pilot)
        assert name(second) == "ReviewScreen"
        first_paint = str(second.screen.query_one("#score-line", Static).render())
        assert not first_paint.startswith("Fit 0 "), first_paint
        await settle(pilot)
        assert str(second.screen.query_one("#score-line", Static).render()) == score
        assert second.screen.query_one("#changes", OptionList).highlighted == 3
        assert review_state(second) == decided
        assert [t.model_dump() for t in second.flow.tasks] == tasks, "the task table: times, tokens, providers"

        second.show_step(WorkflowState.GAP_ANALYZED)
        await settle(pilot)
        screen = second.screen
        assert screen.query_one(TabbedContent).active == "tab-report"
        assert screen.query_one("#requirements", DataTable).cursor_row == 2
        assert screen.query_one("#overall", ProgressBar).progress == 1.0
        assert len(screen.query_one("#tasks").rows) == len(tasks)


async def test_a_session_reopens_on_the_step_it_was_left_on(tmp_path: Path) -> None:
    """Reviewing without deciding anything leaves the session at "analysed"; it still reopens on Review."""
    first = make_app(tmp_path, demo=True)
    async with first.run_test(size=(120, 40)) as pilot:
        await reviewed(pilot)
        sid = first.flow.session.id
        assert first.flow.state == WorkflowState.GAP_ANALYZED and name(first) == "ReviewScreen"
        await pilot.press("ctrl+q")
        await settle(pilot)
    with Store.open(tmp_path / "data" / "resume-tui.sqlite3") as store:
        assert store.get_session(sid).settings.view["step"] == WorkflowState.REWRITE_APPLIED.value
    second = make_app(tmp_path)
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        second.open_saved(sid)
        await settle(pilot)
        assert name(second) == "ReviewScreen"


async def test_a_change_a_rerun_dropped_does_not_come_back_on_reopen(tmp_path: Path) -> None:
    first = make_app(tmp_path, demo=True)
    async with first.run_test(size=(120, 40)) as pilot:
        await reviewed(pilot)
        sid = first.flow.session.id
        first.flow.session.changes.pop()  # as if the last run had not proposed it
        first.flow.accept_all_safe()  # saves the session's list: the UI's copy is the whole list
        await settle(pilot)
        ids = [c.id for c in first.flow.session.changes]
    with Store.open(tmp_path / "data" / "resume-tui.sqlite3") as store:
        assert [c.id for c in store.get_session(sid).changes] == ids


async def test_leaving_review_with_an_unsaved_edit_is_refused_not_silent(tmp_path: Path) -> None:
    """ctrl+n (or the palette's "Go to …") while typing an edit would drop it: refused with a sentence."""
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await reviewed(pilot)
        target = next(c for c in app.flow.session.changes if c.action == ChangeAction.REPLACE and c.before)
        app.screen.query_one("#changes", OptionList).highlighted = app.flow.session.changes.index(target)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*" and more")
        await pilot.press("ctrl+n")
        await settle(pilot)
        app.show_step(WorkflowState.EXPORTED)
        await settle(pilot)
        assert name(app) == "ReviewScreen" and app.screen.editing
        assert app.screen.query_one("#editor", TextArea).text.endswith(" and more")
        assert any("Save the edit first" in n.message for n in app._notifications)
