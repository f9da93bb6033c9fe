"""Saving settings to config.toml: edited in place (comments and other keys kept), validated
before writing, atomic, mode 0600, a key written only when asked and removed when the key
moves to the environment — and the typed session settings read old stored sessions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from resume_tui.config import api_key_for, config_dir, key_source, load_settings
from resume_tui.config_file import ConfigEdit, save_edit
from resume_tui.errors import ConfigError
from resume_tui.models import CustomizationLevel, Session, SessionSettings

HAND_WRITTEN = """# my settings — keep this comment
provider = "offline"
fallback = ["gemini"]

[limits]
concurrency = 2  # the laptop is small

[providers.gemini]
model = "gemini-2.5-flash"
"""


def config_file(text: str | None = None) -> Path:
    path = config_dir() / "config.toml"
    if text is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def test_a_save_keeps_comments_and_every_key_it_does_not_edit() -> None:
    path = config_file(HAND_WRITTEN)
    saved = save_edit(ConfigEdit(provider="openai", level="light", model="gpt-4o-mini", base_url="http://127.0.0.1:9/v1",
                                 key_env="WORK_OPENAI_KEY", max_usd=2.5, max_tokens=50_000, theme="nord",
                                 export_dir="/tmp"))
    assert saved.path == path and saved.notes == ()
    text = path.read_text(encoding="utf-8")
    assert "# my settings — keep this comment" in text and "concurrency = 2  # the laptop is small" in text
    s = load_settings()
    assert s.provider == "openai" and s.fallback == ["gemini"] and s.level == "light"
    assert s.limits.concurrency == 2 and s.providers["gemini"].model == "gemini-2.5-flash"
    assert s.providers["openai"].model == "gpt-4o-mini" and s.providers["openai"].base_url == "http://127.0.0.1:9/v1"
    assert s.providers["openai"].api_key_env == "WORK_OPENAI_KEY" and s.providers["openai"].api_key is None
    assert s.budget.max_usd == 2.5 and s.budget.max_tokens == 50_000
    assert s.theme == "nord" and s.export_dir == "/tmp"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"], "no temporary file is left behind"
    # emptied fields remove their keys: the defaults apply again
    save_edit(ConfigEdit(provider="openai", level="moderate"))
    again = load_settings()
    assert again.budget.max_usd is None and again.theme is None and again.providers["openai"].model is None


def test_a_bad_value_is_one_sentence_and_the_file_is_untouched() -> None:
    path = config_file(HAND_WRITTEN)
    with pytest.raises(ConfigError) as info:
        save_edit(ConfigEdit(provider="openai", level="moderate", base_url="localhost:8080"))
    message = str(info.value)
    assert "'providers.openai.base_url'" in message and "must start with http:// or https://" in message
    assert message.endswith("nothing was saved.") and "\n" not in message
    with pytest.raises(ConfigError, match="'budget.max_usd'"):
        save_edit(ConfigEdit(provider="offline", level="moderate", max_usd=-1))
    with pytest.raises(ConfigError, match="'providers.openai.api_key_env'"):
        save_edit(ConfigEdit(provider="openai", level="moderate", key_env="not a name"))
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN


def test_a_broken_config_is_not_overwritten() -> None:
    path = config_file('provider = "openai\n')
    with pytest.raises(ConfigError, match="not valid TOML"):
        save_edit(ConfigEdit(provider="offline", level="moderate"))
    assert path.read_text(encoding="utf-8") == 'provider = "openai\n'


def test_a_key_is_written_only_when_asked_and_removed_when_it_moves_to_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = config_file()
    save_edit(ConfigEdit(provider="openai", level="moderate", key_in_config=True, api_key="sk-stored-0123456789"))
    assert 'api_key = "sk-stored-0123456789"' in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    s = load_settings()
    assert api_key_for("openai", s) == "sk-stored-0123456789" and key_source("openai", s) == "config file"
    # saving again without typing a key keeps the stored one
    save_edit(ConfigEdit(provider="openai", level="light", key_in_config=True))
    assert api_key_for("openai", load_settings()) == "sk-stored-0123456789"
    # the key comes from a named environment variable now: the plain-text copy goes
    saved = save_edit(ConfigEdit(provider="openai", level="light", key_env="WORK_OPENAI_KEY"))
    assert "sk-stored" not in path.read_text(encoding="utf-8")
    assert saved.notes and "removed" in saved.notes[0] and "sk-" not in saved.notes[0]
    monkeypatch.setenv("WORK_OPENAI_KEY", "sk-from-work-var-0123")
    s = load_settings()
    assert api_key_for("openai", s) == "sk-from-work-var-0123" and key_source("openai", s) == "env WORK_OPENAI_KEY"
    assert "sk-from-work-var-0123" in s.secrets(), "the store redacts a key read from a named variable too"


def test_old_stored_session_settings_stay_readable() -> None:
    """A session saved by an earlier version: a plain dict with keys this version does not know
    and a value that no longer validates; it loads, keeps the unknown keys and drops the bad one."""
    stored = {"provider": "openai", "level": "huge", "user_facts": [{"text": "I know Rust", "requirement_id": "r2"}],
              "spent": {"input_tokens": 10, "output_tokens": 5, "cost_usd": 0.001, "cached": False},
              "posting": {"url": "https://example.com/job", "format": "web page"}, "some_future_key": [1, 2]}
    session = Session.model_validate({"id": "s1", "settings": stored})
    settings = session.settings
    assert isinstance(settings, SessionSettings)
    assert settings.provider == "openai" and settings.level is None, "an invalid level falls back to the config's"
    assert settings.facts() == ["I know Rust"] and settings.user_facts[0].requirement_id == "r2"
    assert settings.spent.total_tokens == 15 and settings.posting == stored["posting"]
    dumped = session.model_dump(mode="json")["settings"]
    assert dumped["some_future_key"] == [1, 2], "unknown keys are written back unchanged"
    assert Session.model_validate({"id": "s1", "settings": dumped}).settings == settings
    settings.level = "light"  # type: ignore[assignment]  # assignments are validated
    assert settings.level is CustomizationLevel.LIGHT
    with pytest.raises(ValueError):
        settings.max_usd = -3
