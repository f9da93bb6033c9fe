"""Every key can be found and does what a user expects (issue 14, item 5; item 1's quit).

Help on ? / F1 / the palette, the file picker up and down and on a typed folder, file names
shortened in the middle, select-all in the inline editor, focus on the Job step, picking the
gap with f, and ctrl+q asking before an unsaved edit is dropped."""

from __future__ import annotations

from pathlib import Path

from test_tui_support import make_app, reviewed, settle
from textual import events
from textual.widgets import Input, TextArea

from resume_tui.models import ChangeAction, WorkflowState
from resume_tui.widgets.file_picker import FilePicker, middle_ellipsis


def name(app) -> str:
    return type(app.screen).__name__


def help_text(app) -> str:
    """The help screen's rows as text: "key | what it does" per line."""
    from resume_tui.screens.help import HelpRow

    return "\n".join(f"{row.keys} | {row.what.plain}" for row in app.screen.query(HelpRow))


to_review = reviewed  # the shared preamble (test_tui_support.reviewed)


async def test_question_mark_f1_and_the_palette_open_the_keys_of_this_screen(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_review(pilot)
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            await settle(pilot)
            assert name(app) == "HelpScreen", key
            text = help_text(app)
            # the screen's keys, the footer-less ones too, with what they do; and the app's
            for shown in ("Accept", "Accept all safe", "Declare a gap true", "Skills checklist", "Settings", "Quit"):
                assert shown in text, (key, shown)
            assert "Select all" not in text, "the editor is closed: its keys are not active"
            assert "a | Accept — Accept the selected change" in text
            await pilot.press("escape")
            await settle(pilot)
            assert name(app) == "ReviewScreen"
        from textual.widgets._footer import FooterKey

        footer = [(k.key_display, k.description) for k in app.screen.query(FooterKey)]
        assert footer.count(("?", "Keys")) == 1, footer

        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"help")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert name(app) == "HelpScreen", "the palette finds help"


async def test_the_palette_finds_settings_keys_and_every_screen_action(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_review(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Help", "Settings", "Keys", "Accept all safe", "Skills checklist", "Declare a gap true",
                       "Edit in $EDITOR", "Undo"):
            assert any(wanted in t for t in titles), (wanted, titles)
        command = next(c for c in app.get_system_commands(app.screen) if c.title.startswith("Accept all safe"))
        await command.callback()  # the palette awaits what a command returns
        await settle(pilot)
        assert any(c.status.value == "accepted" for c in app.flow.session.changes), "the command runs the action"


def test_a_long_file_name_is_cut_in_the_middle_never_before_the_extension() -> None:
    assert middle_ellipsis("r01_swe_senior_architect_v2.pdf", 20) == "r01_swe_…tect_v2.pdf"
    assert middle_ellipsis("short.md", 20) == "short.md"
    for width in range(1, 40):
        cut = middle_ellipsis("r01_swe_senior_architect_resume_v2.docx", width)
        assert len(cut) <= width
        if width >= 8:
            assert cut.endswith(".docx"), cut


async def test_the_picker_goes_up_and_down_and_opens_a_typed_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    deep = home / "docs" / "applications" / "2026"
    deep.mkdir(parents=True)
    long_a = "r01_swe_senior_architect_resume_version_one_final.pdf"
    long_b = "r01_swe_senior_architect_resume_version_two_final.md"
    (deep / long_a).write_bytes(b"%PDF-1.4")
    (deep / long_b).write_text("# A", encoding="utf-8")
    app = make_app(tmp_path, start_dir=home / "docs")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.new_session()
        await settle(pilot)
        tree = app.screen.query_one(FilePicker)
        field = app.screen.query_one("#path", Input)
        field.value = str(deep)
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert Path(tree.path) == deep and tree.has_focus, "a typed folder opens in the tree"
        assert app.flow.session.resume is None, "a folder is not loaded as a resume"
        # at 80 columns both long names keep their extensions and stay different
        rows = [str(tree.render_line(y).text) for y in range(tree.size.height)]
        shown = "\n".join(rows)
        assert ".pdf" in shown and ".md" in shown, shown
        assert "…" in shown
        # the full name is shown for the highlighted file
        tree.move_cursor(next(n for n in tree.root.children if n.data and n.data.path.name == long_a))
        await settle(pilot)
        assert tree.border_subtitle == long_a
        # up: backspace, then the ".." row
        await pilot.press("backspace")
        await settle(pilot)
        assert Path(tree.path) == deep.parent
        assert str(tree.root.children[0].label) == ".."
        tree.move_cursor(tree.root.children[0])
        await pilot.press("enter")
        await settle(pilot)
        assert Path(tree.path) == home / "docs"
        # down: a folder expands in place, and a file in it loads
        apps = next(n for n in tree.root.children if n.data and n.data.path.name == "applications")
        tree.move_cursor(apps)
        await pilot.press("enter")
        await settle(pilot)
        assert apps.is_expanded and apps.children


async def test_ctrl_a_selects_all_in_the_inline_editor_and_typing_replaces(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_review(pilot)
        flow = app.flow
        target = next(c for c in flow.session.changes if c.action == ChangeAction.REPLACE and c.before)
        app.screen.query_one("#changes").highlighted = flow.session.changes.index(target)
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen.query_one("#editor", TextArea)
        assert "ctrl+a selects all" in str(editor.border_title)
        await pilot.press("ctrl+a", *"New text")
        assert editor.text == "New text"
        await pilot.press("f1")
        await settle(pilot)
        assert "^a / f7 | Select all — Select the whole text; typing replaces it" in help_text(app), help_text(app)


async def test_the_job_step_starts_in_the_path_box_and_a_pasted_posting_goes_to_the_posting(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.show_step(WorkflowState.JD_PROVIDED)
        await settle(pilot)
        path = app.screen.query_one("#jd-path", Input)
        assert path.has_focus, "what a user types first is the file's path"
        area = app.screen.query_one("#jd", TextArea)
        area.load_text("")
        path.post_message(events.Paste("Senior engineer\nWe need Python.\nAnd Rust."))
        await settle(pilot)
        assert path.value == "" and area.text.startswith("Senior engineer") and area.has_focus


async def test_f_in_review_lets_the_user_pick_which_gap_to_declare(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_review(pilot)
        gaps = app.flow.session.report.gaps()
        assert len(gaps) >= 2
        await pilot.press("f")
        await settle(pilot)
        choice = app.screen.query_one("#gap-choice")
        assert choice.option_count == len(gaps) + 1, "every open gap, plus 'not tied to one gap'"
        assert [str(choice.get_option_at_index(i).prompt) for i in range(len(gaps))] == [g.text for g in gaps], \
            "each gap in full, never cut"
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.query_one("#fact", Input).has_focus
        await pilot.press(*"I have done this for years")
        await pilot.press("enter")
        await settle(pilot)
        assert name(app) == "ReviewScreen"
        assert app.flow.declared() == {gaps[1].id: "I have done this for years"}


async def test_quitting_with_an_unsaved_edit_asks_first(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_review(pilot)
        target = next(c for c in app.flow.session.changes if c.action == ChangeAction.REPLACE and c.before)
        app.screen.query_one("#changes").highlighted = app.flow.session.changes.index(target)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*" and more")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert name(app) == "ConfirmScreen" and app.is_running, "an unsaved edit is never dropped silently"
        await pilot.press("n")
        await settle(pilot)
        assert name(app) == "ReviewScreen" and app.screen.editing
        assert app.screen.query_one("#editor", TextArea).text.endswith(" and more"), "the edit is still there"
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert app.return_code == 0 and not app.is_running


async def test_quitting_without_an_unsaved_edit_does_not_ask(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_review(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running


def test_the_footer_drops_keys_from_the_right_and_keeps_help() -> None:
    from resume_tui.widgets.footer import fit_keys

    assert fit_keys([10, 10, 8, 13], [False, False, True, False], 40) == [True, True, True, False]
    assert fit_keys([10, 10, 8, 13], [False, False, True, False], 20) == [True, False, True, False]
    assert fit_keys([10, 10, 8, 13], [False, False, True, False], 9) == [False, False, True, False]
    assert fit_keys([10, 10], [False, False], 30) == [True, True]


async def test_no_footer_key_is_cut_at_80_or_60_columns(tmp_path: Path) -> None:
    from textual.widgets._footer import FooterKey

    for size in ((80, 24), (60, 20)):
        app = make_app(tmp_path / f"{size[0]}", demo=True)
        async with app.run_test(size=size) as pilot:
            for step in (WorkflowState.RESUME_UPLOADED, WorkflowState.JD_PROVIDED, WorkflowState.GAP_ANALYZED,
                         WorkflowState.REWRITE_APPLIED, WorkflowState.EXPORTED):
                app.show_step(step)
                await settle(pilot)
                await settle(pilot)
                keys = [k for k in app.screen.query(FooterKey) if k.display]
                palette = next(k for k in keys if k.has_class("-command-palette"))
                others = [k for k in keys if k is not palette]
                assert others and ("?", "Keys") in [(k.key_display, k.description) for k in others], step
                right = max(k.region.right for k in others)
                assert right <= palette.region.x, (size, step, right, palette.region.x)
