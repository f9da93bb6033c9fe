"""The Settings screen against a temp config dir: fields saved to config.toml and seen again after
a restart, one-line errors that save nothing, the key never on screen or on disk outside
config.toml, doctor's check of a chosen provider and "test connection" against a loopback fake
that answers and one that is down."""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

import openai  # noqa: F401 - imported up front: SDK import time is not what these tests measure
import pytest
from fakes.llm_server import FakeLLMServer, free_port
from test_tui_support import make_app, settle
from textual.widgets import Input, Select, Static, Switch

from resume_tui.config import config_dir, data_dir

pytestmark = pytest.mark.slow  # Pilot-driven

ANSWER = "{}"
SECRET = "sk-test-NEVER-SHOWN-0123456789"


def config_path() -> Path:
    return config_dir() / "config.toml"


async def open_settings(pilot) -> None:
    await settle(pilot)
    await pilot.press("f2")
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == "SettingsScreen"


async def choose(pilot, provider: str) -> None:
    pilot.app.screen.query_one("#provider", Select).value = provider
    await settle(pilot)


def status(app) -> str:
    return str(app.screen.query_one("#provider-status", Static).render())


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_settings_round_trip_through_config_toml(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    app = make_app(tmp_path)  # no settings given: loaded from the (temp) config dir
    async with app.run_test(size=(100, 40)) as pilot:
        await open_settings(pilot)
        await choose(pilot, "openai")
        screen = app.screen
        screen.query_one("#model", Input).value = "gpt-4o-mini"
        screen.query_one("#base-url", Input).value = "http://127.0.0.1:9/v1"
        screen.query_one("#key-env", Input).value = "WORK_OPENAI_KEY"
        screen.query_one("#level", Select).value = "light"
        screen.query_one("#max-usd", Input).value = "2.5"
        screen.query_one("#max-tokens", Input).value = "50000"
        screen.query_one("#theme", Select).value = "nord"
        screen.query_one("#export-dir", Input).value = str(exports)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ != "SettingsScreen"
        assert any(m.startswith("Settings saved to ") for m in messages(app)), messages(app)
        assert app.theme == "nord", "the theme applies at once"
        assert app.flow.settings.provider == "openai" and app.flow.level.value == "light"
        assert app.flow.settings.budget.max_usd == 2.5
    saved = tomllib.loads(config_path().read_text(encoding="utf-8"))
    assert saved["provider"] == "openai" and saved["level"] == "light" and saved["theme"] == "nord"
    assert saved["export_dir"] == str(exports) and saved["budget"] == {"max_usd": 2.5, "max_tokens": 50000}
    assert saved["providers"]["openai"] == {"model": "gpt-4o-mini", "base_url": "http://127.0.0.1:9/v1",
                                            "api_key_env": "WORK_OPENAI_KEY"}
    assert stat.S_IMODE(os.stat(config_path()).st_mode) == 0o600

    restarted = make_app(tmp_path / "again")  # a new app, the same config dir
    async with restarted.run_test(size=(100, 40)) as pilot:
        await open_settings(pilot)
        screen = restarted.screen
        assert restarted.theme == "nord"
        assert screen.query_one("#provider", Select).value == "openai"
        assert screen.query_one("#model", Input).value == "gpt-4o-mini"
        assert screen.query_one("#base-url", Input).value == "http://127.0.0.1:9/v1"
        assert screen.query_one("#key-source", Select).value == "env"
        assert screen.query_one("#key-env", Input).value == "WORK_OPENAI_KEY"
        assert str(screen.query_one("#key-hint", Static).render()).startswith("WORK_OPENAI_KEY is not set")
        assert screen.query_one("#level", Select).value == "light"
        assert screen.query_one("#max-usd", Input).value == "2.5"
        assert screen.query_one("#max-tokens", Input).value == "50000"
        assert screen.query_one("#theme", Select).value == "nord"
        assert screen.query_one("#export-dir", Input).value == str(exports)
        await pilot.press("escape")
        await settle(pilot)
        assert restarted.flow.settings.export_dir == str(exports)


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("#base-url", "localhost:8080", "must start with http:// or https://; nothing was saved."),
    ("#export-dir", "/no/such/folder/here", "does not exist; create it or leave the field empty."),
    ("#key-env", "", None),  # empty is fine: the provider's usual variable
])
async def test_a_bad_field_is_one_line_and_saves_nothing(tmp_path: Path, field: str, value: str, expected: str | None) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_settings(pilot)
        await choose(pilot, "openai")
        app.screen.query_one(field, Input).value = value
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("ctrl+s")
        await settle(pilot)
        if expected is None:
            assert config_path().exists()
            return
        assert type(app.screen).__name__ == "SettingsScreen", "the form stays open to fix the field"
        (shown,) = messages(app)
        assert shown.endswith(expected) and "\n" not in shown
        assert not config_path().exists()


async def test_the_key_is_never_on_screen_in_a_log_or_outside_config_toml(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_settings(pilot)
        await choose(pilot, "openai")
        screen = app.screen
        screen.query_one("#key-source", Select).value = "config"
        await settle(pilot)
        assert "plain text" in str(screen.query_one("#key-hint", Static).render()), "storing a key warns"
        screen.query_one("#key-value", Input).focus()
        await pilot.press(*SECRET)
        await settle(pilot)
        assert screen.query_one("#key-value", Input).password
        typed = app.export_screenshot()
        await pilot.press("ctrl+s")
        await settle(pilot)
        after = app.export_screenshot() + " ".join(messages(app))
        assert SECRET in app._store.redact.secrets, "the store masks a key saved after it opened"
    assert SECRET not in typed and SECRET not in after
    assert f'api_key = "{SECRET}"' in config_path().read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(config_path()).st_mode) == 0o600

    again = make_app(tmp_path / "again")
    async with again.run_test(size=(100, 40)) as pilot:
        await open_settings(pilot)
        screen = again.screen
        assert screen.query_one("#key-source", Select).value == "config"
        key = screen.query_one("#key-value", Input)
        assert key.value == "" and "stored" in key.placeholder, "the stored key is never loaded into the form"
        shown = again.export_screenshot()
        await pilot.press("ctrl+s")  # saving again without typing keeps the stored key
        await settle(pilot)
    assert SECRET not in shown
    assert f'api_key = "{SECRET}"' in config_path().read_text(encoding="utf-8")
    written = [p for p in data_dir().rglob("*") if p.is_file()]
    assert all(SECRET.encode() not in p.read_bytes() for p in written), "no key in the database or any log"


async def test_choosing_a_provider_without_a_key_says_so_before_any_run(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_settings(pilot)
        assert status(app).startswith("✓ offline")
        await choose(pilot, "anthropic")
        assert status(app) == ("✗ anthropic is not set up (set ANTHROPIC_API_KEY); runs would use the offline engine.")
        assert str(app.screen.query_one("#key-hint", Static).render()).startswith("ANTHROPIC_API_KEY is not set")


async def test_test_connection_against_a_fake_that_answers_and_one_that_is_down(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    with FakeLLMServer() as fake:
        async with app.run_test(size=(100, 40)) as pilot:
            await open_settings(pilot)
            await choose(pilot, "openai")
            screen = app.screen
            screen.query_one("#base-url", Input).value = fake.url + "/v1"
            screen.query_one("#model", Input).value = "m"
            await settle(pilot)
            app.clear_notifications()
            await pilot.press("ctrl+t")
            await settle(pilot)
            assert status(app) == f"✓ openai answered at {fake.url}/v1 (model m)."
            assert messages(app) == [status(app)]
            assert [r.path for r in fake.state.requests if r.method == "GET"] == ["/v1/models"]

            down = f"http://127.0.0.1:{free_port()}/v1"
            screen.query_one("#base-url", Input).value = down
            await settle(pilot)
            app.clear_notifications()
            await pilot.press("ctrl+t")
            await settle(pilot)
            line = status(app)
            assert line == (f"✗ openai at {down}: connection refused: nothing is listening there; check the base URL "
                            "and that the server is running; runs would fall back to the offline engine."), line
            assert screen.query_one("#provider-status").has_class("-problem")
            assert not config_path().exists(), "testing saves nothing"
            switch = screen.query_one("#auto-approve", Switch)
            assert switch.value is False
