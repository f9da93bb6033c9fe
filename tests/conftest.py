"""Shared fixtures: every test runs with data/config dirs in tmp_path and no network env."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point data and config at tmp_path; drop keys, base URLs and proxies from the environment."""
    for name in list(os.environ):
        upper = name.upper()
        if upper.startswith(("ANTHROPIC_", "OPENAI_", "GEMINI_", "GOOGLE_", "RESUME_TUI_")) or upper.endswith("_PROXY"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("RESUME_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RESUME_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


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
    server.state.default_answer = getattr(request.module, "ANSWER")
    yield server
    server.reset()
