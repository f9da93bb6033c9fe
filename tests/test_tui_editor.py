"""The $EDITOR path: the command comes from the environment, the temp file round-trips and
is always removed, and the review screen applies (and re-guards) what the editor saved."""

from __future__ import annotations

import contextlib
import stat
from pathlib import Path

import pytest
from test_tui_support import make_app, reviewed, settle

from resume_tui.errors import InputError
from resume_tui.models import ChangeAction
from resume_tui.screens.editor import edit_text_externally, editor_command

# Pilot-driven TUI flows (seconds each): `pytest -m "not slow"` leaves them out of the inner loop.
pytestmark = pytest.mark.slow


def fake_editor(tmp_path: Path, body: str, *, exit_code: int = 0) -> tuple[Path, Path]:
    """A tiny 'editor': logs the file it was given and what it held, then rewrites it."""
    log = tmp_path / "editor.log"
    saved = tmp_path / "editor.saves"  # what it writes, kept apart so quotes need no escaping
    saved.write_text(body, encoding="utf-8")
    script = tmp_path / "fake-editor"
    script.write_text(
        "#!/bin/sh\n"
        "for f; do :; done\n"  # the file is the last argument
        f'printf "%s\\n" "$@" > "{log}"\n'
        f'cat "$f" >> "{log}"\n'
        f'cat "{saved}" > "$f"\n'
        f"exit {exit_code}\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, log


def test_editor_command_prefers_visual_then_editor_then_vi() -> None:
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "nano"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "nano -w"}) == ["nano", "-w"]
    assert editor_command({}) == ["vi"]
    assert editor_command({"EDITOR": "  "}) == ["vi"]


def test_the_temp_file_round_trips_and_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script, log = fake_editor(tmp_path, "Rewritten by the editor.")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{script} --flag")
    out = edit_text_externally("Original text.", editor_command())
    assert out == "Rewritten by the editor."
    logged = log.read_text(encoding="utf-8")
    args, original = logged.split("\n")[0:2], logged
    assert args[0] == "--flag" and "Original text." in original
    temp = Path(args[1])
    assert temp.name.startswith("resume-tui-") and not temp.exists(), "the temp file is removed"


def test_an_editor_that_fails_applies_nothing(tmp_path: Path) -> None:
    script, log = fake_editor(tmp_path, "half-written", exit_code=3)
    with pytest.raises(InputError, match="status 3"):
        edit_text_externally("Original text.", [str(script)])
    temp = Path(log.read_text(encoding="utf-8").splitlines()[0])
    assert not temp.exists()


_review = reviewed  # the shared preamble (test_tui_support.reviewed)


async def test_headless_terminal_cannot_suspend_so_the_change_is_untouched(tmp_path: Path) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await _review(pilot)
        first = app.flow.session.changes[0]
        await pilot.press("E")
        await settle(pilot)
        assert "cannot hand over to an editor" in list(app._notifications)[-1].message
        assert app.flow.change(first.id) == first


async def test_review_applies_what_the_editor_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await _review(pilot)
        flow = app.flow
        target = next(c for c in flow.session.changes if c.action == ChangeAction.REPLACE and c.before)
        app.screen.query_one("#changes").highlighted = flow.session.changes.index(target)
        edited_text = target.before.rstrip(".") + " at Google."
        script, log = fake_editor(tmp_path, edited_text)
        monkeypatch.delenv("VISUAL", raising=False)
        monkeypatch.setenv("EDITOR", str(script))
        # Pilot's headless driver cannot give the terminal away: stand in for a real one.
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
        await pilot.press("E")
        await settle(pilot)
        assert target.after in log.read_text(encoding="utf-8"), "the editor got the proposed text"
        edited = flow.change(target.id)
        assert edited.after == edited_text and edited.source == "user"
        assert edited.verdict.value != "safe", "an employer the resume never names is re-guarded"
