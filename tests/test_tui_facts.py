"""Facts the user declares true: typed on a gap, kept in the session, counted by the guard
in every re-check and at apply time (so an edit that relies on one is no longer blocked)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_support import analysed, make_app, reviewed, settle
from textual.widgets import DataTable, Input, TextArea

from resume_tui.models import (
    ChangeAction,
    ChangeStatus,
    MatchStatus,
    Verdict,
    WorkflowState,
)

# Pilot-driven TUI flows (seconds each): `pytest -m "not slow"` leaves them out of the inner loop.
pytestmark = pytest.mark.slow

FACT = "I have used Rust in production since 2022"


to_review = reviewed  # the shared preamble (test_tui_support.reviewed)


async def type_fact(pilot, text: str) -> None:
    app = pilot.app
    assert type(app.screen).__name__ == "FactScreen"
    app.screen.query_one("#fact", Input).value = text
    app.screen.query_one("#fact", Input).focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_an_edit_adding_rust_is_blocked_until_the_user_declares_it_true(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_review(pilot)
        flow = app.flow
        target = next(c for c in flow.session.changes if c.action == ChangeAction.REPLACE and c.before)
        app.screen.query_one("#changes").highlighted = flow.session.changes.index(target)
        await pilot.press("e")
        app.screen.query_one("#editor", TextArea).load_text(target.before.rstrip(".") + ", in Rust.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        edited = flow.change(target.id)
        assert edited.verdict == Verdict.BLOCKED and any("Rust" in r for r in edited.reasons), edited.reasons
        await pilot.press("a")
        await settle(pilot)
        assert flow.change(target.id).status == ChangeStatus.PENDING, "blocked: not acceptable"

        await pilot.press("f")
        await settle(pilot)
        await type_fact(pilot, FACT)
        assert type(app.screen).__name__ == "ReviewScreen"
        assert flow.user_facts == [FACT]
        assert [f.model_dump() for f in flow.session.settings.user_facts] == [{"text": FACT, "requirement_id": None}]
        rechecked = flow.change(target.id)
        assert rechecked.verdict == Verdict.SAFE, rechecked.reasons
        assert "is safe" in list(app._notifications)[-1].message

        await pilot.press("a")
        await settle(pilot)
        assert flow.change(target.id).status == ChangeStatus.ACCEPTED
        assert any(i.text.endswith("in Rust.") for i in flow.tailored().items()), "apply_changes counts the fact too"
        assert flow.score_after() is not None


async def test_declaring_a_gap_on_the_gap_report(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await analysed(app, pilot)
        report = app.flow.session.report
        gaps = report.gaps()
        assert gaps, "the sample job has requirements the sample resume does not show"
        table = app.screen.query_one("#requirements", DataTable)
        matched = next(i for i, r in enumerate(report.requirements) if report.match_for(r.id) and report.match_for(r.id).status == MatchStatus.MATCHED)
        table.move_cursor(row=matched)
        await pilot.press("f")
        await settle(pilot)
        assert type(app.screen).__name__ == "AnalysisScreen", "a matched requirement is not a gap"
        gap = gaps[0]
        table.move_cursor(row=report.requirements.index(gap))
        await pilot.press("f")
        await settle(pilot)
        assert gap.text in str(app.screen.query_one(".dialog-body").render())
        await type_fact(pilot, "   ")
        assert "short sentence" in list(app._notifications)[-1].message
        assert app.flow.user_facts == []
        await pilot.press("f")
        await settle(pilot)
        await type_fact(pilot, FACT)
        assert app.flow.declared() == {gap.id: FACT}
        shown = str(app.screen.query_one("#gaps").render())
        assert "Declared true by you" in shown and "Rust in production" in shown
        await pilot.press("f")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.flow.user_facts == [FACT], "Esc declares nothing"


async def test_the_palette_command_asks_for_a_fact_from_any_step(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_review(pilot)
        app.show_step(WorkflowState.JD_PROVIDED)
        await settle(pilot)
        app.action_declare_fact()
        await settle(pilot)
        assert [type(s).__name__ for s in app.screen_stack][-2:] == ["ReviewScreen", "FactScreen"]
        assert app.screen.query_one("#gap-choice").option_count >= 2, "the open gaps to pick from"
        await type_fact(pilot, FACT)
        assert app.flow.user_facts == [FACT]
