"""The Letter screen and the refine prompt: snapshots at 80×24 and 120×40, and the whole flow
resume → job → analysis → review (one refinement) → letter → one approval for resume and letter."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_textual_snapshot
from test_tui_flow import screen_name, to_review
from test_tui_support import make_app, reviewed, settle
from textual.widgets import Input, TextArea

from resume_tui.analysis.letter import SentenceStatus, writable
from resume_tui.models import ChangeAction, ChangeStatus, Verdict

pytestmark = pytest.mark.slow

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


class TopLevelSVG(pytest_textual_snapshot.SVGImageExtension):
    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(SNAPSHOTS / test_location.basename)


@pytest.fixture(autouse=True)
def _top_level_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pytest_textual_snapshot, "SVGImageExtension", TopLevelSVG)


def _refinable(app):
    """The sample's new summary line ("Relevant strengths: Backend, Python, …"): text with a trailing clause."""
    return next(c for c in app.flow.session.changes
                if c.action in (ChangeAction.INSERT, ChangeAction.REPLACE) and c.after.count(",") >= 2)


async def _select(pilot, change) -> None:
    app = pilot.app
    app.screen.query_one("#changes").highlighted = [c.id for c in app.flow.session.changes].index(change.id)
    await pilot.pause()


async def _letter_screen(pilot) -> None:
    await reviewed(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()
    await pilot.press("l")
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def _refine_prompt(pilot) -> None:
    await reviewed(pilot)
    await _select(pilot, _refinable(pilot.app))
    pilot.app.clear_notifications()
    await pilot.pause()
    await pilot.press("i")
    await settle(pilot)
    await settle(pilot)  # the score line's worker, started by the highlight, has finished
    pilot.app.clear_notifications()
    # A blinking cursor is drawn or not depending on when the screenshot falls: steady, the picture is the same
    # on every run (it was not, on a loaded machine).
    pilot.app.screen.query_one("#instruction", Input).cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_letter_screen(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=size, run_before=_letter_screen)


@pytest.mark.parametrize("size", SIZES)
def test_refine_prompt(snap_compare, tmp_path: Path, size) -> None:
    assert snap_compare(make_app(tmp_path, demo=True), terminal_size=size, run_before=_refine_prompt)


async def test_review_refine_then_letter_then_one_approval_writes_resume_and_letter(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    out = tmp_path / "out"
    async with app.run_test(size=(120, 40)) as pilot:
        await to_review(pilot, app.start_dir)
        flow = app.flow
        original = _refinable(app)
        await _select(pilot, original)

        # Refine: "shorter" drops the trailing clause; u puts back exactly what was there; refine again.
        await pilot.press("i")
        await settle(pilot)
        assert screen_name(app) == "RefineScreen"
        await pilot.press(*"shorter", "enter")
        await settle(pilot)
        refined = flow.change(original.id)
        assert refined.after == original.after.rsplit(",", 1)[0] + "." and refined.history == [original]
        await pilot.press("u")
        await settle(pilot)
        assert flow.change(original.id) == original
        await pilot.press("i")
        await settle(pilot)
        await pilot.press(*"shorter", "enter")
        await settle(pilot)
        refined = flow.change(original.id)
        assert len(refined.history) == 1 and refined.verdict is not Verdict.BLOCKED
        flow.accept_all_safe()
        if refined.verdict is Verdict.FLAGGED:
            flow.decide(refined.id, ChangeStatus.ACCEPTED, override=True)

        # The letter: every sentence guarded; an invented one is blocked and cannot be kept.
        await pilot.press("l")
        await settle(pilot)
        assert screen_name(app) == "LetterScreen"
        letter = flow.letter
        assert letter is not None and letter.words() <= 400
        assert "Northwind Freight" in letter.body_text()
        await pilot.press("down", "down")
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#letter-editor", TextArea).load_text("I spent five years at Google as a staff engineer.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        edited = app.screen.selected
        assert edited.verdict is Verdict.BLOCKED and not writable(edited)
        await pilot.press("a")
        await settle(pilot)
        assert flow.letter.sentences[2].status is not SentenceStatus.ACCEPTED
        assert "Google" not in flow.letter.body_text()
        await pilot.press("g")  # back to the sentence built from the resume
        await settle(pilot)
        assert app.screen.selected.verdict is Verdict.SAFE

        # Export: resume and letter listed together, one approval, both written and verified.
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen_name(app) == "ExportScreen"
        assert app.screen.query_one("#with-letter").value
        app.screen.query_one("#dest", Input).value = str(out)
        app.screen.query_one("#stem", Input).value = "maya"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen_name(app) == "ApprovalScreen"
        assert sorted(p.path.name for p in app.screen.planned) == ["maya-letter.md", "maya.md"]
        assert not out.exists()
        await pilot.press("y")
        await settle(pilot)
        resume_text = (out / "maya.md").read_text(encoding="utf-8")
        letter_text = (out / "maya-letter.md").read_text(encoding="utf-8")
        assert refined.after in resume_text
        assert "Dear Northwind Freight hiring team," in letter_text and "Google" not in letter_text
        assert all(o.ok for o in flow.exported), [o.problems for o in flow.exported]
        kinds = sorted(e.kind for e in app.store.audit(flow.session.id))
        assert kinds == ["approval", "file_write", "file_write"], kinds


async def test_regenerate_asks_the_model_and_says_why_a_blocked_answer_was_not_kept(tmp_path: Path) -> None:
    from fakes.letter_model import OneModelRouter, ScriptedModel

    from resume_tui.pipeline.letter_regen import SentenceOut

    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await _letter_screen(pilot)
        flow = app.flow
        model = ScriptedModel(lambda request: SentenceOut(text="At Parcelio, I cut AWS costs by 37% in one quarter."))
        flow.router = lambda: OneModelRouter(model)
        await pilot.press("down", "down")
        before = app.screen.selected
        await pilot.press("g")
        await settle(pilot)
        assert len(model.calls) == 1 and model.calls[0].task == "rewrite_letter_sentence"
        after = app.screen.selected
        assert after.id == before.id and "37%" not in flow.letter.body_text() and after.verdict is Verdict.SAFE
        assert "The guard blocked the model's sentence" in list(app._notifications)[-1].message
        flow.router = lambda: None  # offline: the next phrasing of the same evidence
        await pilot.press("g")
        await settle(pilot)
        again = app.screen.selected
        assert again.text != after.text and again.evidence_item_ids == before.evidence_item_ids
        assert again.source == "offline" and again.verdict is Verdict.SAFE
