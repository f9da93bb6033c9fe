"""Settings: defaults, TOML validation naming the bad key, env overrides, keys never dumped."""

from __future__ import annotations

from pathlib import Path

import pytest

from resume_tui.config import (
    Settings,
    api_key_for,
    config_dir,
    data_dir,
    db_path,
    key_source,
    load_settings,
)
from resume_tui.errors import ConfigError


def write(text: str) -> Path:
    path = config_dir() / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(isolated_env: Path) -> None:
    s = load_settings()
    assert s.provider == "offline" and s.level == "moderate" and s.session_ttl_days == 30
    assert s.chain() == ["offline"]
    assert data_dir() == isolated_env / "data" and db_path() == isolated_env / "data" / "resume-tui.sqlite3"


def test_full_valid_config() -> None:
    write(
        """
        provider = "anthropic"
        fallback = ["openai", "ollama", "offline"]
        level = "extensive"
        session_ttl_days = 7
        [budget]
        max_usd = 0.5
        [limits]
        concurrency = 8
        [providers.anthropic]
        model = "claude-x"
        models = { light = "claude-small" }
        [providers.ollama]
        base_url = "http://127.0.0.1:11434/v1"
        model = "llama3"
        [prices."gpt-4.1"]
        input = 2.0
        output = 8.0
        """
    )
    s = load_settings()
    assert s.chain() == ["anthropic", "openai", "ollama", "offline"]
    assert s.budget.max_usd == 0.5 and s.limits.concurrency == 8
    assert s.providers["anthropic"].models == {"light": "claude-small"}
    assert s.prices["gpt-4.1"] == {"input": 2.0, "output": 8.0}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('level = "huge"', "level"),
        ('provider = "chatgpt"', "provider"),
        ('fallback = ["openai", "nope"]', "fallback.1"),
        ("session_ttl_days = -1", "session_ttl_days"),
        ("auto_approve = \"perhaps\"", "auto_approve"),
        ("[limits]\nconcurrency = 0", "limits.concurrency"),
        ("[limits]\nmax_file_mb = -3", "limits.max_file_mb"),
        ("[limits]\ntimeout = 3", "limits.timeout"),
        ("[budget]\nmax_usd = -1", "budget.max_usd"),
        ("colour = 'blue'", "colour"),
        ("[providers.openai]\nbase_url = 'localhost:8080'", "providers.openai.base_url"),
        ("[providers.openai]\nmodels = { huge = 'x' }", "providers.openai.models"),
        ("[providers.openai]\nmax_retries = 99", "providers.openai.max_retries"),
        ("[prices.\"gpt-4.1\"]\ninput = -2.0", "prices.gpt-4.1"),
        ("[prices.m]\ninptu = 1.0", "prices.m"),
        ("[prices.m]\ninput = 'cheap'", "prices.m.input"),
        ("budget = 5", "budget"),
    ],
)
def test_bad_values_name_the_key(text: str, key: str) -> None:
    path = write(text)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert f"'{key}'" in message and str(path) in message
    assert "\n" not in message and info.value.exit_code == 2


def test_local_server_names_need_no_section() -> None:
    write('provider = "ollama"\nfallback = ["lmstudio"]')
    assert load_settings().chain() == ["ollama", "lmstudio", "offline"]


def test_invalid_toml_and_unreadable_file() -> None:
    write("level = ")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings()
    path = write("")
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings()


def test_env_overrides_file(monkeypatch: pytest.MonkeyPatch) -> None:
    write('provider = "anthropic"\nlevel = "light"\n[limits]\nconcurrency = 2')
    monkeypatch.setenv("RESUME_TUI_PROVIDER", "openai")
    monkeypatch.setenv("RESUME_TUI_FALLBACK", "gemini, claude_cli")
    monkeypatch.setenv("RESUME_TUI_LEVEL", "extensive")
    monkeypatch.setenv("RESUME_TUI_CONCURRENCY", "6")
    monkeypatch.setenv("RESUME_TUI_AUTO_APPROVE", "true")
    monkeypatch.setenv("RESUME_TUI_SESSION_TTL_DAYS", "3")
    monkeypatch.setenv("RESUME_TUI_MAX_USD", "1.25")
    monkeypatch.setenv("RESUME_TUI_MAX_TOKENS", "")  # empty = not set
    s = load_settings()
    assert (s.provider, s.fallback, s.level) == ("openai", ["gemini", "claude_cli"], "extensive")
    assert s.limits.concurrency == 6 and s.auto_approve is True and s.session_ttl_days == 3
    assert s.budget.max_usd == 1.25 and s.budget.max_tokens is None


def test_bad_env_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESUME_TUI_CONCURRENCY", "lots")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert "RESUME_TUI_CONCURRENCY" in str(info.value) and "'limits.concurrency'" in str(info.value)


def test_keys_come_from_env_first_and_are_never_dumped(monkeypatch: pytest.MonkeyPatch) -> None:
    write('[providers.openai]\napi_key = "sk-fromconfig-0123456789abcdef"\nmodel = "gpt-x"')
    s = load_settings()
    assert api_key_for("openai", s) == "sk-fromconfig-0123456789abcdef"
    assert key_source("openai", s) == "config file"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fromenv-0123456789abcdef")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("GOOGLE_API_KEY", "AIza-google-0123456789")
    assert api_key_for("openai", s) == "sk-fromenv-0123456789abcdef"
    assert key_source("openai", s) == "env OPENAI_API_KEY"
    assert key_source("gemini", s) == "env GOOGLE_API_KEY" and key_source("anthropic", s) is None
    ps = s.provider_settings("openai")
    assert ps.api_key == "sk-fromenv-0123456789abcdef" and ps.base_url == "http://127.0.0.1:9/v1" and ps.model == "gpt-x"
    dumped = s.model_dump_json() + repr(s) + str(s.model_dump()) + ps.model_dump_json() + repr(ps)
    assert "sk-from" not in dumped and "AIza" not in dumped
    assert set(s.secrets()) == {"sk-fromconfig-0123456789abcdef", "sk-fromenv-0123456789abcdef", "AIza-google-0123456789"}


def test_settings_round_trip_without_keys() -> None:
    s = Settings.model_validate({"provider": "openai", "providers": {"openai": {"api_key": "sk-zzzzzzzzzzzz", "model": "m"}}})
    again = Settings.model_validate(s.model_dump())
    assert again.providers["openai"].model == "m" and again.providers["openai"].api_key is None
