"""The skills checklist (issue 12) driven like a user: tick what is true, see both scores move, review the
changes that write it, untick to withdraw — scores and changes return to what they were."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import analysed, make_app, settle
from textual.widgets import Input, SelectionList

from resume_tui.models import ChangeStatus, WorkflowState


async def _open_checklist(pilot) -> SelectionList:
    await pilot.press("k")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "SkillsChecklistScreen"
    return pilot.app.screen.query_one(SelectionList)


async def test_ticking_skills_moves_both_scores_and_unticking_restores_them(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await analysed(app, pilot)
        flow = app.flow
        before = flow.session.report.model_copy(deep=True)
        changes_before = [c.id for c in flow.session.changes]
        keywords = await _open_checklist(pilot)
        first = keywords.get_option_at_index(0).value
        assert first == before.keywords_missing[0]  # most important first
        await pilot.press("space")  # tick the first
        await pilot.press("down", "tab")  # context for the second, typed in the box
        box = app.screen.query_one("#context", Input)
        assert box.has_focus
        second = keywords.get_option_at_index(1).value
        box.value = "instrumented services at Parcelio"
        await pilot.press("enter")  # enter in the box ticks the keyword it describes
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert flow.user_facts == [first, f"{second} — instrumented services at Parcelio"]
        report = flow.session.report
        # Fit counts what the user declared, at once: quoted as declared; the number rises when a declared
        # skill meets a requirement that was not met yet (these two strengthen ones the sample already meets)
        assert report.score >= before.score
        rank = {"missing": 0, "partial": 1, "matched": 2}
        for old in before.matches:  # a declared fact never lowers a row
            assert rank[report.match_for(old.requirement_id).status.value] >= rank[old.status.value]
        assert "Fit " in str(app.screen.query_one("#score").render())
        declared = [c for c in flow.session.changes if c.source == "declared"]
        assert declared and all(c.verdict.value == "safe" for c in declared)

        app.show_step(WorkflowState.REWRITE_APPLIED)
        await settle(pilot)
        for change in declared:
            flow.decide(change.id, ChangeStatus.ACCEPTED)
        scores = flow.scores_for(flow.accepted())
        assert scores["keywords_after"] > scores["keywords_before"] and scores["fit_after"] >= scores["fit_before"]

        app.show_step(WorkflowState.GAP_ANALYZED)
        await settle(pilot)
        keywords = await _open_checklist(pilot)
        assert set(keywords.selected) == {first, f"{second} — instrumented services at Parcelio"}
        keywords.deselect_all()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert flow.user_facts == []
        assert flow.session.report == before  # both scores and every row exactly as before
        assert [c.id for c in flow.session.changes] == changes_before  # the declared changes are withdrawn
        assert not flow.accepted()


async def test_escape_declares_nothing_and_each_fact_is_audited(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await analysed(app, pilot)
        await _open_checklist(pilot)
        await pilot.press("space", "escape")
        await settle(pilot)
        assert app.flow.user_facts == []
        await _open_checklist(pilot)
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        [fact] = app.flow.user_facts
        app.flow.remove_fact(fact)
        await settle(pilot)
        store = app.flow._store
        entries = [(e.action, e.detail["subject"]["text"]) for e in store.audit(app.flow.session.id)
                   if e.action in ("declare_fact", "withdraw_fact")]
        assert entries == [("declare_fact", fact), ("withdraw_fact", fact)]
