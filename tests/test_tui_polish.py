"""What a person walking through the app would notice: words instead of ids, feedback after
each action, a resume that cannot be replaced by an empty file, and footers that fit."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_flow import load_resume, screen_name
from test_tui_support import analysed, make_app, settle
from textual.widgets import TextArea

from resume_tui.errors import InputError
from resume_tui.models import (
    Change,
    ChangeAction,
    ChangeStatus,
    GapReport,
    Verdict,
    WorkflowState,
)
from resume_tui.screens.review import reorder_lines

# Pilot-driven TUI checks (seconds each): `pytest -m "not slow"` leaves them out of the inner loop.
pytestmark = pytest.mark.slow


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def _shown_keys(screen) -> list[str]:
    """The keys the footer offers, in order (hidden and disabled ones left out)."""
    return [key for key, (_, binding, enabled, _) in screen.active_bindings.items() if binding.show and enabled]


def _reorder(resume) -> Change:
    section = next(s for s in resume.sections if len(s.items) >= 3)
    ids = [item.id for item in section.items]
    return Change(id="ro", section_id=section.id, action=ChangeAction.REORDER, order=[ids[2], ids[0], ids[1], *ids[3:]])


async def test_a_reorder_shows_the_items_words_in_both_orders_not_their_ids(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        resume = app.flow.session.resume
        change = _reorder(resume)
        section = next(s for s in resume.sections if s.id == change.section_id)
        before, after = reorder_lines(change, resume)
        first = " ".join(section.items[0].text.split())[:30]
        third = " ".join(section.items[2].text.split())[:30]
        assert before.splitlines()[0].startswith("1. " + first)
        assert after.splitlines()[0].startswith("1. " + third)
        assert change.order[0] not in before + after, "item ids mean nothing to the reader"

        app.flow.set_report(GapReport(score=40.0), [change])
        app.show_step(WorkflowState.REWRITE_APPLIED)
        await settle(pilot)
        shown = str(app.screen.query_one("#after-text").render())
        assert third[:20] in shown and "new order:" not in shown
        app.clear_notifications()
        await pilot.press("e")
        assert not app.screen.query_one("#editor", TextArea).display
        assert "reorder" in _messages(app)[-1] and "accept (a) or reject (r)" in _messages(app)[-1]


async def test_refusals_name_the_change_in_words_not_by_its_internal_id(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        resume = app.flow.session.resume
        item = resume.sections[1].items[0]
        flagged = Change(id="s1-rewrite-7", section_id=resume.sections[1].id, item_id=item.id,
                         action=ChangeAction.REPLACE, before=item.text, after=item.text + " Led 40 people.",
                         verdict=Verdict.FLAGGED, reasons=["'40' has no support in your resume."])
        app.flow.set_report(GapReport(score=50.0), [flagged])
        with pytest.raises(InputError) as refused:
            app.flow.decide("s1-rewrite-7", ChangeStatus.ACCEPTED)
        message = str(refused.value)
        assert "s1-rewrite-7" not in message
        assert message.startswith("This change is flagged ('40' has no support in your resume)")


async def test_an_edit_types_at_the_end_and_saving_says_what_happened(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await analysed(app, pilot)
        app.show_step(WorkflowState.REWRITE_APPLIED)
        await settle(pilot)
        screen = app.screen
        first = app.flow.session.changes[0]
        assert "ctrl+s" not in _shown_keys(screen), "saving is offered only while editing"
        await pilot.press("e")
        await pilot.pause()
        assert "ctrl+s" in _shown_keys(screen)
        editor = screen.query_one("#editor", TextArea)
        assert editor.cursor_location == editor.document.end
        app.clear_notifications()
        await pilot.press("escape")
        await settle(pilot)
        assert not editor.display and screen_name(app) == "ReviewScreen"
        assert "cancelled" in _messages(app)[-1]
        assert "ctrl+s" not in _shown_keys(screen)

        await pilot.press("e")
        app.clear_notifications()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _messages(app)[-1] == "The text was not changed."
        assert app.flow.change(first.id).source != "user"

        await pilot.press("e")
        await pilot.press("!")  # typed at the end of the proposed text
        app.clear_notifications()
        await pilot.press("ctrl+s")
        await settle(pilot)
        edited = app.flow.change(first.id)
        assert edited.after == first.after.strip() + "!"
        assert _messages(app), "saving an edit must say what happened"


async def test_a_file_with_no_resume_content_does_not_replace_the_loaded_resume(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    docs = app.start_dir
    (docs / "scan.txt").write_text("x\n", encoding="utf-8")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await settle(pilot)
        await load_resume(pilot, str(docs / "resume.md"))
        good = app.flow.session.resume
        assert good is not None
        app.clear_notifications()
        await load_resume(pilot, str(docs / "scan.txt"))
        assert app.flow.session.resume is good
        note = list(app._notifications)[-1]
        assert note.severity == "error" and "No resume content" in note.message
        assert not app.flow.session.stale, "nothing later was made stale by a refused file"


async def test_export_summary_counts_in_words(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await analysed(app, pilot)
        changes = app.flow.session.changes
        app.flow.decide(changes[0].id, ChangeStatus.ACCEPTED)
        app.show_step(WorkflowState.EXPORTED)
        await settle(pilot)
        summary = str(app.screen.query_one("#export-summary").render())
        pending = sum(1 for c in changes if c.status == ChangeStatus.PENDING)
        assert summary.startswith("1 accepted change will be applied")
        assert "(s)" not in summary and f"{pending} pending change" in summary


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_footer_puts_the_everyday_review_keys_first(tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=size) as pilot:
        await analysed(app, pilot)
        analysis_keys = _shown_keys(app.screen)
        assert "t" not in analysis_keys and "g" not in analysis_keys, "the tabs say their own keys"
        assert analysis_keys[:5] == ["ctrl+n", "escape", "r", "k", "f"]  # the skills checklist before a single gap
        app.show_step(WorkflowState.REWRITE_APPLIED)
        await settle(pilot)
        keys = _shown_keys(app.screen)
        assert keys[:6] == ["ctrl+n", "escape", "a", "r", "e", "o"]
        assert not {"A", "E", "f", "u"} & set(keys), "those are in the list's title and the palette"


async def test_start_screen_footer_offers_only_what_works_there(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = _shown_keys(app.screen)
        assert "escape" not in keys and "ctrl+n" not in keys
        assert keys[:2] == ["n", "d"]


async def test_settings_say_the_auto_approve_state_in_words_and_esc_says_nothing_was_saved(tmp_path: Path) -> None:
    from textual.widgets import Switch

    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        hint = app.screen.query_one("#auto-approve-hint")
        assert str(hint.render()).startswith("off: you approve every file")
        app.screen.query_one("#auto-approve", Switch).value = True
        await pilot.pause()
        assert str(hint.render()).startswith("ON: exports are written without asking")
        app.clear_notifications()
        await pilot.press("escape")
        await settle(pilot)
        assert screen_name(app) != "SettingsScreen"
        assert "without saving" in _messages(app)[-1]
        assert not app.flow.auto_approve


def test_the_requirement_column_grows_with_the_terminal() -> None:
    from resume_tui.widgets.gap_report import requirement_width

    assert requirement_width(80) == 34  # the 80-column layout keeps room for the evidence
    assert requirement_width(120) == 45
    assert requirement_width(200) > requirement_width(120)


async def test_why_names_requirements_and_evidence_by_their_words_not_ids(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await analysed(app, pilot)
        app.show_step(WorkflowState.REWRITE_APPLIED)
        await settle(pilot)
        change = next(c for c in app.flow.session.changes if c.requirement_ids and c.evidence_item_ids)
        app.screen.query_one("#changes").highlighted = app.flow.session.changes.index(change)
        await pilot.pause()
        why = str(app.screen.query_one("#why-text").render())
        requirement = app.flow.session.job.requirement(change.requirement_ids[0]) if hasattr(
            app.flow.session.job, "requirement") else next(
            r for r in app.flow.session.job.requirements if r.id == change.requirement_ids[0])
        evidence = app.flow.session.resume.item(change.evidence_item_ids[0])
        assert f"• {' '.join(requirement.text.split())[:40]}" in why
        assert f"• {' '.join(evidence.text.split())[:40]}" in why
        assert f"{change.requirement_ids[0]} " not in why and f"{change.evidence_item_ids[0]}:" not in why
