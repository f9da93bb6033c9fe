"""The TUI on the session store: runs persisted, interrupted runs resumed, decisions kept,
one window per session, and no store call on the UI thread."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_tui_support import SlowRouter, make_app, settle
from textual.widgets import Input, OptionList

from resume_tui.models import ChangeStatus, RunStatus, TaskStatus, Verdict, WorkflowState
from resume_tui.session.store import Store

# Pilot-driven TUI sessions with a real store and reopened apps: `pytest -m "not slow"` leaves them out of the inner loop.
pytestmark = pytest.mark.slow


def screen_name(app) -> str:
    return type(app.screen).__name__


def session_rows(app) -> dict[str, str]:
    """The start screen's saved-session rows: id → the text shown."""
    options = app.screen.query_one("#sessions", OptionList)
    rows = {}
    for index in range(options.option_count):
        option = options.get_option_at_index(index)
        if option.id and not option.id.startswith("__"):
            rows[option.id] = str(option.prompt)
    return rows


async def highlight(pilot, session_id: str) -> None:
    options = pilot.app.screen.query_one("#sessions", OptionList)
    options.highlighted = options.get_option_index(session_id)
    await pilot.pause()


async def analysed_demo(pilot) -> None:
    app = pilot.app
    await settle(pilot)
    app.show_step(WorkflowState.GAP_ANALYZED)
    await settle(pilot)
    await settle(pilot)
    assert app.flow.state == WorkflowState.GAP_ANALYZED


def reopen(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "data" / "resume-tui.sqlite3")


async def test_a_run_in_the_tui_persists_its_events_tasks_and_changes(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await analysed_demo(pilot)
        sid = app.flow.session.id
        expected_tasks = {t.name for t in app.flow.tasks}
        expected_changes = [c.id for c in app.flow.session.changes]
    assert expected_tasks and expected_changes
    with reopen(tmp_path) as store:
        runs = store.runs(sid)
        assert [r.status for r in runs] == [RunStatus.COMPLETED]
        assert {t.name for t in runs[0].tasks} == expected_tasks
        assert all(t.status == TaskStatus.COMPLETED for t in runs[0].tasks)
        types = [e["type"] for e in store.events(run_id=runs[0].id)]
        assert types[0] == "run_started" and types[-1] == "run_completed"
        assert types.count("task_completed") == len(expected_tasks)
        assert [c.id for c in store.get_session(sid).changes] == expected_changes
        assert store.get_session(sid).state == WorkflowState.GAP_ANALYZED


KILLED = """
import asyncio, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from resume_tui.models import WorkflowState
from test_tui_support import SlowRouter, make_app, settle

async def main():
    app = make_app(Path(sys.argv[2]), demo=True)
    router = SlowRouter()
    app.flow.router = lambda: router
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.show_step(WorkflowState.GAP_ANALYZED)
        await pilot.pause()
        await router.provider.started.wait()
        print(app.flow.session.id, app.screen._orch.run_id, flush=True)
        await asyncio.Event().wait()  # hung on the provider until SIGKILL

asyncio.run(main())
"""


def run_until_killed(tmp_path: Path) -> tuple[str, str]:
    """A resume-tui process mid-analysis (two tasks hang on a provider), killed with SIGKILL
    once a finished task is in the store. Returns (session id, run id)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(Path(__file__).parent), str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )
    try:
        line = proc.stdout.readline().split()
        assert len(line) == 2, proc.stderr.read() if proc.poll() is not None else line
        sid, run_id = line
        deadline = time.monotonic() + 30
        with reopen(tmp_path) as store:  # the finished task's row is written by a background flush
            while "extract_requirements" not in store.completed_tasks(run_id):
                assert time.monotonic() < deadline, "the first task never reached the store"
                time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    return sid, run_id


@pytest.mark.e2e
async def test_a_killed_app_s_run_resumes_in_a_new_app_reusing_finished_tasks(tmp_path: Path) -> None:
    # Reference: the same demo analysed without interruption (offline engine, deterministic).
    reference = make_app(tmp_path / "ref", demo=True, use_store=False)
    async with reference.run_test(size=(120, 40)) as pilot:
        await analysed_demo(pilot)
        expected = [(c.id, c.after, c.verdict) for c in reference.flow.session.changes]
        expected_score = reference.flow.session.report.score

    sid, run_id = run_until_killed(tmp_path)
    with reopen(tmp_path) as store:  # opening notices the dead process and marks its run
        assert store.get_run(run_id).status == RunStatus.INTERRUPTED
        finished = sorted(store.completed_tasks(run_id))
    assert "extract_requirements" in finished
    assert "generate_plan" not in finished and "assemble_validate" not in finished, finished

    second = make_app(tmp_path, offline=True)
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert screen_name(second) == "StartScreen"
        rows = session_rows(second)
        assert sid in rows and "interrupted" in rows[sid] and "jd provided" in rows[sid], rows
        await highlight(pilot, sid)
        await pilot.press("u")
        await settle(pilot)
        await settle(pilot)
        assert screen_name(second) == "AnalysisScreen"
        flow = second.flow
        assert flow.session.id == sid
        assert flow.state == WorkflowState.GAP_ANALYZED, ([t.error for t in flow.tasks if t.error], [n.message for n in second._notifications], flow.tasks, flow.reused)
        assert sorted(flow.reused) == finished
        assert [(c.id, c.after, c.verdict) for c in flow.session.changes] == expected
        assert flow.session.report.score == expected_score
        assert any("reused" in n.message for n in second._notifications)
    with reopen(tmp_path) as store:
        run = store.get_run(run_id)
        assert run.status == RunStatus.COMPLETED, "the same run finished, not a new one"
        assert [r.id for r in store.runs(sid)] == [run_id]
        resumed = [e for e in store.events(run_id=run_id, types=["run_resumed"])]
        assert resumed and resumed[-1]["payload"]["reused"] == finished


async def test_cancel_then_rerun_in_the_same_window_resumes_the_run(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    router = SlowRouter()
    app.flow.router = lambda: router  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_step(WorkflowState.GAP_ANALYZED)
        await pilot.pause()
        await router.provider.started.wait()
        run_id = app.screen._orch.run_id
        await pilot.press("escape")
        await settle(pilot)
        assert app.flow.state == WorkflowState.JD_PROVIDED
        app.flow.router = lambda: None  # type: ignore[method-assign]
        await pilot.press("r")
        await settle(pilot)
        await settle(pilot)
        assert app.flow.state == WorkflowState.GAP_ANALYZED
        assert "extract_requirements" in app.flow.reused
        assert app.screen._orch.run_id == run_id
        assert app.store.get_run(run_id).status == RunStatus.COMPLETED


async def test_decisions_survive_closing_and_reopening(tmp_path: Path) -> None:
    first = make_app(tmp_path, demo=True)
    async with first.run_test(size=(120, 40)) as pilot:
        await analysed_demo(pilot)
        sid = first.flow.session.id
        safe = [c for c in first.flow.session.changes if c.verdict == Verdict.SAFE]
        assert len(safe) >= 2
        first.show_step(WorkflowState.REWRITE_APPLIED)
        await settle(pilot)
        ids = [c.id for c in first.flow.session.changes]
        changes_list = first.screen.query_one("#changes")
        changes_list.highlighted = ids.index(safe[0].id)
        await pilot.press("a")
        changes_list.highlighted = ids.index(safe[1].id)
        await pilot.press("r")
        await settle(pilot)
        decided = {c.id: c.status for c in first.flow.session.changes}
    assert decided[safe[0].id] == ChangeStatus.ACCEPTED and decided[safe[1].id] == ChangeStatus.REJECTED

    second = make_app(tmp_path)
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = session_rows(second)
        assert "rewrite applied" in rows[sid] and "interrupted" not in rows[sid], rows
        await highlight(pilot, sid)
        await pilot.press("enter")
        await settle(pilot)
        assert screen_name(second) == "ReviewScreen"
        assert {c.id: c.status for c in second.flow.session.changes} == decided
        assert [c.id for c in second.flow.accepted()] == [safe[0].id]


HOLDER = """
import sys
from resume_tui.session.store import Store
store = Store.open()
lock = store.lock_session(sys.argv[1])
print("locked", flush=True)
sys.stdin.readline()
"""


async def test_a_second_window_on_the_same_session_is_refused_clearly(tmp_path: Path) -> None:
    first = make_app(tmp_path, demo=True)
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        sid = first.flow.session.id
        with reopen(tmp_path) as probe:
            assert not probe.session_free(sid), "an open window holds its session"
    with reopen(tmp_path) as probe:
        assert probe.session_free(sid), "quitting releases the session"

    # Another resume-tui (another process) has the session open.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, sid], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        app = make_app(tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await highlight(pilot, sid)
            await pilot.press("enter")
            await settle(pilot)
            assert screen_name(app) == "StartScreen", "refused: this window stays where it was"
            assert app.flow.session.id != sid
            message = list(app._notifications)[-1].message
            assert f"already open in another resume-tui (pid {holder.pid})" in message, message
            assert "Traceback" not in message

            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(timeout=30)
            await pilot.press("enter")
            await settle(pilot)
            # The first window was left on the Resume step: reopening shows that step again.
            assert screen_name(app) == "ResumeScreen" and app.flow.session.id == sid
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


async def test_switching_to_another_session_releases_the_one_left(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        demo = app.flow.session.id
        with reopen(tmp_path) as probe:
            assert not probe.session_free(demo)
        app.new_session()
        await settle(pilot)
        fresh = app.flow.session.id
        with reopen(tmp_path) as probe:
            assert probe.session_free(demo), "the session left behind can be opened elsewhere"
            assert not probe.session_free(fresh)


class RecordingStore(Store):
    """Notes the thread of every store method used (event_sink/session_lock do no I/O)."""

    recording = False  # switched on once the test has opened it
    _METHODS = frozenset(
        n for n in dir(Store) if not n.startswith("_") and callable(getattr(Store, n)) and n not in {"event_sink", "session_lock", "open"}
    )

    def __getattribute__(self, name: str):
        attr = super().__getattribute__(name)
        if name not in RecordingStore._METHODS or not object.__getattribute__(self, "recording"):
            return attr
        calls = object.__getattribute__(self, "calls")

        def called(*args, **kwargs):  # the thread that *calls* (to_thread may look it up elsewhere)
            calls.append((name, threading.current_thread()))
            return attr(*args, **kwargs)

        return called


async def test_store_calls_never_run_on_the_ui_thread(tmp_path: Path) -> None:
    store = RecordingStore(tmp_path / "rec.sqlite3")
    store.calls = []
    store.recording = True
    app = make_app(tmp_path, demo=True, store=store)
    out = tmp_path / "out"
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await analysed_demo(pilot)
            app.show_step(WorkflowState.REWRITE_APPLIED)
            await settle(pilot)
            await pilot.press("A")
            await settle(pilot)
            app.show_step(WorkflowState.EXPORTED)
            await settle(pilot)
            app.screen.query_one("#dest", Input).value = str(out)
            await pilot.press("ctrl+n")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert app.flow.state == WorkflowState.EXPORTED
            sid = app.flow.session.id
            app.show_start()  # lists the saved sessions, then reopens this one
            await settle(pilot)
            await highlight(pilot, sid)
            await pilot.press("enter")
            await settle(pilot)
            assert screen_name(app) == "ExportScreen"
            ui_thread = threading.current_thread()
        store.recording = False
        used = {name for name, _ in store.calls}
        expected = {"create_session", "advance", "append_events", "lock_session", "record_approval", "record_file_write",
                    "list_sessions", "get_session", "runs"}
        assert expected <= used, expected - used
        on_ui = sorted({name for name, thread in store.calls if thread is ui_thread})
        assert on_ui == [], f"store calls on the UI thread: {on_ui}"
        audit = store.audit(app.flow.session.id)
        assert sorted(e.kind for e in audit) == ["approval", "file_write"]
    finally:
        store.close()
