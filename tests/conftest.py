"""Shared fixtures: every test runs with data/config dirs in tmp_path and no network env."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# Set in many users' shells; each changes colour, width or language of what we print.
_SHELL_VARS = {"NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM", "LANG", "LANGUAGE", "ALL_PROXY", "NO_PROXY"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--e2e", action="store_true",
                     help="also run the end-to-end tests: the real binary in tmux, kill -9 crash tests, OCR, "
                          "whole-corpus sweeps, large-file loop checks (the README's test command and CI do)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Plain `pytest` leaves out the end-to-end tests (marked e2e, plus the whole-corpus sweeps marked
    corpus) to stay under 4 minutes on 2 cores; `--e2e` or any `-m` expression chooses for itself."""
    if config.getoption("--e2e") or config.getoption("markexpr"):
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("e2e") or item.get_closest_marker("corpus") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point data and config at tmp_path; drop everything the calling shell may have set that
    changes output or reaches the network: keys and base URLs, proxies, colour and terminal
    size (NO_COLOR, FORCE_COLOR, COLUMNS, LINES, TERM) and locale (LANG, LC_*). Tests that
    need one of them set it themselves; subprocesses inherit this cleaned environment."""
    for name in list(os.environ):
        upper = name.upper()
        if (
            upper.startswith(("ANTHROPIC_", "OPENAI_", "GEMINI_", "GOOGLE_", "RESUME_TUI_", "LC_"))
            or upper.endswith("_PROXY")
            or upper in _SHELL_VARS
        ):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("RESUME_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RESUME_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


@pytest.fixture(autouse=True)
def thawed_heap():
    """The app freezes the heap after start-up (resume_tui/heap.py), which is right for one app per
    process; a test process runs hundreds, so each test gives back what its app froze."""
    import gc

    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.fixture(autouse=True)
def steady_cursor(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In snapshot tests the text cursor stays drawn: a blinking cursor is caught on or off
    depending on how busy the machine is when the picture is taken, so a loaded CI machine
    failed the Job and Refine snapshots now and then."""
    if "snap_compare" not in request.fixturenames:
        return
    from textual.widgets import Input, TextArea

    def shown(widget) -> None:
        widget._cursor_visible = True

    monkeypatch.setattr(Input, "_toggle_cursor", shown)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", shown)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture(scope="module")
def server():
    """One loopback fake LLM server (Anthropic, OpenAI and Gemini wire formats) per test module."""
    from fakes.llm_server import FakeLLMServer

    with FakeLLMServer() as srv:
        yield srv


@pytest.fixture
def srv(server, request):
    """The module's server, reset, answering the module's `ANSWER` by default."""
    server.reset()
    server.state.default_answer = request.module.ANSWER
    yield server
    server.reset()
