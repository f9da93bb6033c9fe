"""Pilot tests: the whole flow, cancel, approval rejected, stale marks, bad inputs on Resume."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import SlowRouter, analysed, make_app, settle
from textual.widgets import Input, TextArea

from resume_tui.models import (
    ChangeAction,
    ChangeStatus,
    TaskStatus,
    Verdict,
    WorkflowState,
)

# Pilot-driven TUI flows through every step (seconds each): `pytest -m "not slow"` leaves them out of the inner loop.
pytestmark = pytest.mark.slow


def screen_name(app) -> str:
    return type(app.screen).__name__


async def load_resume(pilot, path: str) -> None:
    app = pilot.app
    field = app.screen.query_one("#path", Input)
    field.value = path
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


async def to_review(pilot, docs: Path) -> None:
    """Start screen → new session → resume → JD → analysis → review."""
    app = pilot.app
    await pilot.press("n")
    await settle(pilot)
    assert screen_name(app) == "ResumeScreen"
    await load_resume(pilot, str(docs / "resume.md"))
    assert app.flow.state == WorkflowState.RESUME_UPLOADED
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert screen_name(app) == "JobScreen"
    app.screen.query_one("#jd-path", Input).value = str(docs / "job.md")
    await pilot.press("ctrl+l")
    await settle(pilot)
    assert "Northwind" in app.screen.query_one("#jd", TextArea).text
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert screen_name(app) == "AnalysisScreen"
    await settle(pilot)
    assert app.flow.state == WorkflowState.GAP_ANALYZED, [t.error for t in app.flow.tasks if t.error]
    assert app.flow.session.report is not None
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert screen_name(app) == "ReviewScreen"


async def test_whole_flow_exports_exactly_the_accepted_changes(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    docs = app.start_dir
    out = tmp_path / "out"
    async with app.run_test(size=(120, 40)) as pilot:
        await to_review(pilot, docs)
        changes = app.flow.session.changes
        safe = [
            c for c in changes
            if c.verdict == Verdict.SAFE and c.action == ChangeAction.REPLACE and c.before and c.after != c.before
        ]
        assert len(safe) >= 2, "the sample should yield at least two safe rewrites"
        accept, reject = safe[0], safe[1]
        ids = [c.id for c in changes]
        changes_list = app.screen.query_one("#changes")
        changes_list.highlighted = ids.index(accept.id)
        await pilot.press("a")
        changes_list.highlighted = ids.index(reject.id)
        await pilot.press("r")
        await settle(pilot)
        assert app.flow.change(accept.id).status == ChangeStatus.ACCEPTED
        assert app.flow.change(reject.id).status == ChangeStatus.REJECTED
        assert [c.id for c in app.flow.accepted()] == [accept.id]
        assert "→" in str(app.screen.query_one("#score-line").render())

        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen_name(app) == "ExportScreen"
        app.screen.query_one("#dest", Input).value = str(out)
        app.screen.query_one("#stem", Input).value = "maya"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen_name(app) == "ApprovalScreen"
        assert not out.exists(), "nothing may be written before approval"
        await pilot.press("y")
        await settle(pilot)
        assert screen_name(app) == "ExportScreen"
        written = out / "maya.md"
        assert written.exists()
        text = written.read_text(encoding="utf-8")
        assert accept.after in text
        assert reject.after not in text
        assert reject.before in text
        assert app.flow.state == WorkflowState.EXPORTED
        assert app.flow.exported and app.flow.exported[0].ok, app.flow.exported[0].problems
        entries = app.store.audit(app.flow.session.id)
        kinds = sorted(e.kind for e in entries)
        assert kinds == ["approval", "file_write"], entries


async def test_rejecting_the_approval_writes_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    out = tmp_path / "out"
    async with app.run_test(size=(80, 24)) as pilot:
        await analysed(app, pilot)
        assert app.flow.session.report is not None
        app.flow.accept_all_safe()
        app.show_step(WorkflowState.EXPORTED)
        await settle(pilot)
        app.screen.query_one("#dest", Input).value = str(out)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen_name(app) == "ApprovalScreen"
        await pilot.press("n")
        await settle(pilot)
        assert screen_name(app) == "ExportScreen"
        assert not out.exists() or not any(out.iterdir())
        assert app.flow.state != WorkflowState.EXPORTED
        assert "nothing was written" in str(app.screen.query_one("#export-result").render())


async def test_cancel_mid_analysis_stops_at_once_and_keeps_finished_tasks(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    router = SlowRouter()
    app.flow.router = lambda: router  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.show_step(WorkflowState.GAP_ANALYZED)
        await pilot.pause()
        await router.provider.started.wait()
        assert app.screen.running
        await pilot.press("escape")
        await settle(pilot)
        assert not app.screen.running
        assert screen_name(app) == "AnalysisScreen", "Esc during a run cancels, it does not navigate"
        statuses = {t.name: t.status for t in app.flow.tasks}
        assert statuses["extract_requirements"] == TaskStatus.COMPLETED, "finished work is kept"
        assert TaskStatus.CANCELLED in statuses.values()
        assert app.flow.state == WorkflowState.JD_PROVIDED
        assert app.flow.session.report is None


async def test_back_navigation_marks_later_results_stale(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await analysed(app, pilot)
        assert app.flow.state == WorkflowState.GAP_ANALYZED
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert app.flow.state == WorkflowState.REWRITE_APPLIED
        # back to the JD, change it, go on: analysis and review turn stale (kept, not deleted)
        await pilot.press("escape")
        await pilot.press("escape")
        await settle(pilot)
        assert screen_name(app) == "JobScreen"
        area = app.screen.query_one("#jd", TextArea)
        area.load_text(area.text + "\n- Experience with Rust in production.\n")
        await settle(pilot)
        changes_before = list(app.flow.session.changes)
        app.flow.set_job(app.flow.preview_job(area.text))
        assert app.flow.is_stale(WorkflowState.GAP_ANALYZED)
        assert app.flow.is_stale(WorkflowState.REWRITE_APPLIED)
        assert app.flow.session.changes == changes_before, "stale results are kept"
        stepper = app.screen.query_one("Stepper")
        assert stepper.step_mark(WorkflowState.GAP_ANALYZED) == "!"
        assert stepper.step_mark(WorkflowState.REWRITE_APPLIED) == "!"
        # going forward re-runs the stale analysis and clears its mark
        await pilot.press("ctrl+n")
        await settle(pilot)
        await settle(pilot)
        assert not app.flow.is_stale(WorkflowState.GAP_ANALYZED)
        assert app.flow.is_stale(WorkflowState.REWRITE_APPLIED)


def _bad_inputs(tmp_path: Path) -> list[tuple[str, str]]:
    """(path typed by the user, a word the notification must contain)."""
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    blank = tmp_path / "blank.md"
    blank.write_text("   \n\n\t\n", encoding="utf-8")
    binary = tmp_path / "photo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    fake_pdf = tmp_path / "broken.pdf"
    fake_pdf.write_bytes(b"%PDF-1.7\n this is not really a pdf")
    fake_docx = tmp_path / "broken.docx"
    fake_docx.write_bytes(b"PK\x03\x04 not a real zip")
    big = tmp_path / "huge.txt"
    big.write_bytes(b"a" * (11 * 1024 * 1024))
    return [
        ("", "path"),
        (str(tmp_path / "missing.pdf"), "does not exist"),
        # a folder is not a bad input: it opens in the tree (test_tui_keys.py)
        (str(empty), ""),
        (str(blank), ""),
        (str(binary), ""),
        (str(fake_pdf), ""),
        (str(fake_docx), ""),
        (str(big), ""),
    ]


async def test_every_bad_input_on_the_resume_screen_is_a_clear_notification(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        for typed, word in _bad_inputs(tmp_path):
            app.clear_notifications()
            await load_resume(pilot, typed)
            assert screen_name(app) == "ResumeScreen", typed
            notes = list(app._notifications)
            assert notes, f"no notification for {typed!r}"
            message = notes[-1].message
            assert notes[-1].severity == "error", (typed, message)
            assert word.lower() in message.lower(), (typed, message)
            assert "Traceback" not in message and "Something went wrong" not in message, (typed, message)
            assert app.flow.session.resume is None
        # paste: empty text is refused too, and good text parses
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen_name(app) == "ResumeScreen", "cannot go on without a resume"
        app.screen.query_one("#source-tabs").active = "tab-paste"
        await settle(pilot)
        app.clear_notifications()
        app.screen.query_one("#paste", TextArea).focus()
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert "empty" in list(app._notifications)[-1].message
        app.screen.query_one("#paste", TextArea).load_text(
            "Jane Roe\njane@example.com\n\nExperience\n- Built payment APIs in Python\n\nSkills\n- Python, SQL\n"
        )
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.flow.session.resume is not None
        assert app.flow.state == WorkflowState.RESUME_UPLOADED


async def test_blocked_changes_cannot_be_accepted_and_flagged_need_override(tmp_path: Path) -> None:
    from resume_tui.models import Change, ChangeAction

    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        flow = app.flow
        resume = flow.session.resume
        item = resume.sections[1].items[0]
        flagged = Change(id="x1", section_id=resume.sections[1].id, item_id=item.id, action=ChangeAction.REPLACE,
                         before=item.text, after=item.text + " Led 40 engineers.", verdict=Verdict.FLAGGED,
                         reasons=["'40' has no support in your resume"])
        blocked = Change(id="x2", section_id=resume.sections[1].id, item_id=item.id, action=ChangeAction.REPLACE,
                         before=item.text, after=item.text + " Rust expert.", verdict=Verdict.BLOCKED,
                         reasons=["Rust does not appear in your resume"])
        from resume_tui.models import GapReport

        flow.set_report(GapReport(score=50.0), [flagged, blocked])
        app.show_step(WorkflowState.REWRITE_APPLIED)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert flow.change("x1").status == ChangeStatus.PENDING
        assert "flagged" in list(app._notifications)[-1].message
        await pilot.press("o")
        await settle(pilot)
        assert flow.change("x1").status == ChangeStatus.ACCEPTED
        await pilot.press("a")  # cursor moved to the blocked one
        await pilot.press("o")
        await settle(pilot)
        assert flow.change("x2").status == ChangeStatus.PENDING
        assert "blocked" in list(app._notifications)[-1].message
        await pilot.press("A")
        await settle(pilot)
        assert flow.change("x2").status == ChangeStatus.PENDING
        why = str(app.screen.query_one("#why-text").render())
        assert "Rust does not appear" in why


async def test_inline_edit_is_rechecked_by_the_guard(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await analysed(app, pilot)
        app.show_step(WorkflowState.REWRITE_APPLIED)
        await settle(pilot)
        first = app.flow.session.changes[0]
        await pilot.press("e")
        editor = app.screen.query_one("#editor", TextArea)
        assert editor.display and editor.text == first.after
        editor.load_text(first.before + " Also ran a team of 250 engineers at Google.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        edited = app.flow.change(first.id)
        assert edited.after.endswith("Google.")
        assert edited.verdict != Verdict.SAFE, "an invented employer and number must not pass the guard"
        assert edited.source == "user"


async def test_screens_ask_the_app_to_navigate_with_a_go_to_step_message(tmp_path: Path) -> None:
    from resume_tui.messages import GoToStep

    app = make_app(tmp_path, demo=True)
    seen: list = []
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        assert screen_name(app) == "ResumeScreen"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen_name(app) == "JobScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert screen_name(app) == "ResumeScreen"
        posted = list({id(m): m for m in seen if isinstance(m, GoToStep)}.values())  # seen at screen and app
        asked = [(m.current, m.offset) for m in posted]
        assert asked == [(WorkflowState.RESUME_UPLOADED, 1), (WorkflowState.JD_PROVIDED, -1)]
