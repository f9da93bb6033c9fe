"""Editing a change in the person's own editor ($VISUAL / $EDITOR): the command to run and a
private temp file round trip. Kept apart from the Review screen, which suspends the app around it."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from resume_tui.errors import InputError

__all__ = ["edit_text_externally", "editor_command"]


def editor_command(environ: Mapping[str, str] | None = None) -> list[str]:
    """$VISUAL, else $EDITOR, else vi — split like a shell would ("code --wait" is two words)."""
    env = os.environ if environ is None else environ
    return shlex.split(env.get("VISUAL") or env.get("EDITOR") or "vi") or ["vi"]


def edit_text_externally(
    text: str, command: Sequence[str], *, run: Callable[..., subprocess.CompletedProcess] = subprocess.run
) -> str:
    """Write `text` to a private temp file, run `command <file>`, return what the file holds
    afterwards. The file is always removed; an editor that fails leaves nothing applied."""
    fd, name = tempfile.mkstemp(prefix="resume-tui-", suffix=".txt")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        done = run([*command, str(path)], check=False)
        if done.returncode != 0:
            raise InputError(f"{command[0]} exited with status {done.returncode}; the change was left as it was")
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
