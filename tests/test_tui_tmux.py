"""The real `resume-tui --demo` in tmux at 80×24, driven with keys to an approved export."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

ROOT = Path(__file__).resolve().parents[1]


def _command(*args: str) -> list[str]:
    """The app from this checkout (PYTHONPATH below), not whatever `resume-tui` the venv points at."""
    return [sys.executable, "-m", "resume_tui", *args]


class Tmux:
    def __init__(self, socket: str, session: str, env: dict[str, str] | None = None) -> None:
        self.socket, self.session = socket, session
        self.env = env or {}  # what the app was started with (a restart reuses it)

    def run(self, *args: str) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        return out.stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.session, key)
            time.sleep(0.15)  # a person's pace; the assertions below poll for the screen, not time

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, *texts: str, timeout: float = 30.0) -> str:
        """Poll until every text is on screen at once (a half-painted frame does not count)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{texts!r} never all appeared; the screen was:\n{screen}")


@pytest.fixture
def tmux(tmp_path: Path):
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    socket = f"rt-{uuid.uuid4().hex[:8]}"
    session = "demo"
    env = {
        "RESUME_TUI_DATA_DIR": str(tmp_path / "data"),
        "RESUME_TUI_CONFIG_DIR": str(tmp_path / "config"),
        "HOME": str(tmp_path / "home"),
        "TEXTUAL_ANIMATIONS": "none",
        "TERM": "xterm-256color",
        "NO_PROXY": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
    }
    work = tmp_path / "work"
    work.mkdir()
    command = "env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + shlex.join(_command("--demo"))
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", "-c", str(work), command],
        check=True, timeout=20,
    )
    subprocess.run(["tmux", "-L", socket, "set-option", "-t", session, "remain-on-exit", "on"], timeout=20)
    try:
        yield Tmux(socket, session, env), work
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=20)


def test_demo_in_tmux_to_an_approved_export(tmux) -> None:
    term, work = tmux
    term.wait_for("parsed resume", "Maya Okafor", "1 Resume")
    term.keys("C-n")
    term.wait_for("what was found")
    term.keys("C-n")
    term.wait_for("Fit 79/100", "met,", "partial of")
    term.keys("C-n")
    term.wait_for("proposed changes")
    term.keys("A")
    screen = term.wait_for("· 0 pending")
    term.keys("C-n")
    term.wait_for("Formats")
    term.keys("C-n")
    term.wait_for("Nothing is written until you approve", "maya-okafor-tailored.md", "overwrites")
    assert not (work / "maya-okafor-tailored.md").exists()
    term.keys("y")
    screen = term.wait_for("verified", "5 Export")
    written = work / "maya-okafor-tailored.md"
    assert written.exists()
    text = written.read_text(encoding="utf-8")
    assert "Data: PostgreSQL, Kafka, Redis" in text  # an accepted rewrite from the offline engine
    assert "Maya Okafor" in text and "maya.okafor@example.com" in text  # identity untouched
    assert "✓ 5 Export" in screen or "● 5 Export" in screen
    term.keys("C-q")


def test_a_session_quit_and_reopened_in_tmux_is_the_one_that_was_left(tmux) -> None:
    """Review a change, move the cursor, quit; start resume-tui again and open the session from the
    list: the same step, the same score line, the same change highlighted (its explanation shown)."""
    term, _work = tmux
    term.wait_for("parsed resume", "Maya Okafor", "1 Resume")
    term.keys("C-n")
    term.wait_for("what was found")
    term.keys("C-n")
    term.wait_for("Fit 79/100", "met,", "partial of")
    term.keys("C-n")
    term.wait_for("proposed changes")
    term.keys("a")
    on_first = term.wait_for("1 accepted", "Keywords", "Why:")
    term.keys("j")
    # The cursor has moved once the explanation is another change's (reading the screen at once could
    # catch it before j was drawn, and compare the first change with the one the session kept).
    first_why = next(line for line in on_first.splitlines() if "Why:" in line)
    deadline = time.monotonic() + 30
    while True:
        left = term.wait_for("1 accepted", "Keywords", "Why:")
        why = next(line for line in left.splitlines() if "Why:" in line)
        if why != first_why:
            break
        assert time.monotonic() < deadline, "j did not move to the next change"
        time.sleep(0.1)
    score = next(line for line in left.splitlines() if line.lstrip().startswith("Fit "))
    term.keys("C-q")
    deadline = time.monotonic() + 20
    while term.run("display-message", "-p", "-t", term.session, "#{pane_dead}").strip() != "1":
        assert time.monotonic() < deadline, "ctrl+q did not quit"
        time.sleep(0.2)

    command = shlex.join(_command())
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in term.env.items())
    term.run("respawn-pane", "-t", term.session, f"env {env} {command}")
    term.wait_for("sessions — Enter opens", "demo · Maya Okafor")
    term.keys("j", "j", "Enter")
    back = term.wait_for("1 accepted", "Keywords", "Why:")
    assert next(line for line in back.splitlines() if line.lstrip().startswith("Fit ")) == score
    # The explanation's first line: a scrollbar may take the last cells on one screen and not the other.
    again = next(line for line in back.splitlines() if "Why:" in line)
    first, second = (x.rstrip(" ▌▐█▁▂▃▄▅▆▇").strip() for x in (why, again))
    assert first.startswith(second) or second.startswith(first), ("the same change is highlighted", why, again)
    term.keys("C-q")
