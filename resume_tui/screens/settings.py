"""Settings that persist: provider, model, base URL, key source, level, caps, theme, export folder.

ctrl+s validates the form and saves it to config.toml (atomically, mode 0600; see
config_file.py), so the next start loads the same choices; they also apply to this session
at once. Auto-approve is this session's only. Choosing a provider runs doctor's check for
it in a worker — no key, or a server that does not answer, is said here before any run —
and ctrl+t ("test connection") runs the full check (one free request) for what the form
says now, saved or not. A key is never shown: the key field is a password field that
starts empty, and the line under it says only where the key comes from.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static, Switch

from resume_tui.config import KNOWN_PROVIDERS, LOCAL_SERVER_NAMES, PROVIDER_KEY_ENV, ProviderSettings, Settings
from resume_tui.config_file import ConfigEdit
from resume_tui.errors import ConfigError
from resume_tui.widgets.footer import FittingFooter

LEVELS = ("light", "moderate", "extensive")
CHECK_TIMEOUT_S = 5.0  # doctor's own default: long enough for a hosted API, short for a dead one
KEYLESS = ("offline", "claude_cli")  # nothing to configure but the name
KEY_SOURCES = [("environment variable", "env"), ("in config.toml (plain text)", "config")]


def provider_names(settings: Settings) -> list[str]:
    return list(dict.fromkeys([*KNOWN_PROVIDERS, *LOCAL_SERVER_NAMES, *settings.providers]))


class SettingsScreen(Screen[None]):
    """The form; the check and the test connection run in one exclusive worker group."""

    class Saved(Message):
        """The settings were saved to config.toml: the app runs on them from now on (theme included)."""

        def __init__(self, settings: Settings) -> None:
            super().__init__()
            self.settings = settings

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Save to config.toml and use these settings now", priority=True),
        Binding("ctrl+t", "test_connection", "Test connection", priority=True,
                tooltip="Ask the chosen provider for its model list (free): is the key accepted, does the server answer?"),
        Binding("escape", "close", "Close", tooltip="Close without saving"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._typed_key = False  # the key field was typed in (a key to store); never read back otherwise

    @property
    def flow(self) -> Any:
        return self.app.flow  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        flow = self.flow
        cfg: Settings = flow.settings
        names = provider_names(cfg)
        provider = cfg.provider if cfg.provider in names else "offline"
        with VerticalScroll(id="settings-form"):
            yield Static("Settings — saved to config.toml; ctrl+s saves, ctrl+t tests, Esc closes", classes="dialog-title")
            yield _field("Provider", Select([(p, p) for p in names], value=provider, allow_blank=False, compact=True,
                                            id="provider"))
            yield Static("", id="provider-status", classes="hint status")
            yield _field("Model", Input(compact=True, id="model"), id="model-row")
            yield _field("Base URL", Input(compact=True, id="base-url"), id="base-url-row")
            yield _field("Key from", Select(KEY_SOURCES, value="env", allow_blank=False, compact=True, id="key-source"),
                         id="key-source-row")
            yield _field("Key variable", Input(compact=True, id="key-env", restrict=r"[A-Za-z0-9_]*"), id="key-env-row")
            yield _field("API key", Input(compact=True, password=True, id="key-value"), id="key-value-row")
            yield Static("", id="key-hint", classes="hint")
            yield _field("Level", Select([(lv, lv) for lv in LEVELS], value=cfg.level, allow_blank=False, compact=True,
                                         id="level"))
            caps = cfg.budget
            yield _field("Max USD", Input("" if caps.max_usd is None else f"{caps.max_usd:g}", placeholder="no cap",
                                          type="number", compact=True, id="max-usd"))
            yield _field("Max tokens", Input("" if caps.max_tokens is None else str(caps.max_tokens), placeholder="no cap",
                                             type="integer", compact=True, id="max-tokens"))
            themes = sorted(self.app.available_themes)
            yield _field("Theme", Select([(t, t) for t in themes], value=self.app.theme if self.app.theme in themes
                                         else Select.BLANK, compact=True, id="theme"))
            yield _field("Export folder", Input(cfg.export_dir or "", placeholder="the folder the app started in",
                                                compact=True, id="export-dir"))
            with Horizontal(classes="field"):
                yield Label("Auto-approve", classes="field-label")
                auto = bool(flow.auto_approve)
                yield Switch(auto, id="auto-approve")
                yield Label(auto_approve_hint(auto), classes="hint", id="auto-approve-hint")
            with Horizontal(id="settings-buttons"):
                yield Button("Test connection (ctrl+t)", id="test", compact=True)
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
            if flow.offline:
                yield Static("Demo mode: the offline engine serves every task; nothing is sent anywhere.", classes="hint")
        yield FittingFooter()  # keys never cut at 60 columns, and no double restyle per key (widgets/footer.py)

    def on_mount(self) -> None:
        self._fill_provider(str(self.query_one("#provider", Select).value))

    # ------------------------------------------------------------------ the provider's fields

    def _fill_provider(self, name: str) -> None:
        """Show the chosen provider's saved model, base URL and key source; then check it."""
        from resume_tui.providers.catalog import DEFAULT_MODELS, LOCAL_SERVERS, OFFICIAL_OPENAI, family_of

        cfg: Settings = self.flow.settings
        section = cfg.providers.get(name) or ProviderSettings()
        family = family_of(name)
        model = self.query_one("#model", Input)
        model.value = section.model or ""
        strong = DEFAULT_MODELS.get(family, ("", ""))[0]
        model.placeholder = f"default: {strong}" if strong else "the server's own model"
        base = self.query_one("#base-url", Input)
        base.value = section.base_url or ""
        env_base = os.environ.get(f"{family.upper()}_BASE_URL") if family in ("openai", "anthropic") else None
        default = env_base or LOCAL_SERVERS.get(name) or (OFFICIAL_OPENAI if family == "openai" else "official endpoint")
        base.placeholder = f"default: {default}"
        stored = bool(section.api_key)
        env_set = any(os.environ.get(v) for v in _usual_vars(name, section))
        self.query_one("#key-source", Select).value = "config" if stored and not env_set else "env"
        self.query_one("#key-env", Input).value = section.api_key_env or ""
        self.query_one("#key-env", Input).placeholder = (PROVIDER_KEY_ENV.get(name) or ("none needed",))[0]
        key = self.query_one("#key-value", Input)
        key.value = ""  # never the stored key: typing replaces it
        key.placeholder = "a key is stored — type to replace it" if stored else "paste the key"
        self._typed_key = False
        for row in ("#model-row", "#base-url-row"):
            self.query_one(row).display = name != "offline"
        self.query_one("#key-source-row").display = name not in KEYLESS
        self._show_key_rows()
        self.check(probe=True)

    def _show_key_rows(self) -> None:
        name = str(self.query_one("#provider", Select).value)
        source = str(self.query_one("#key-source", Select).value)
        keyed = name not in KEYLESS
        self.query_one("#key-env-row").display = keyed and source == "env"
        self.query_one("#key-value-row").display = keyed and source == "config"
        hint = self.query_one("#key-hint", Static)
        hint.display = keyed
        if not keyed:
            return
        if source == "config":
            hint.update("⚠ Stored in plain text in config.toml (readable only by you); an environment variable is safer.")
            return
        section = self.flow.settings.providers.get(name) or ProviderSettings()
        var = self.query_one("#key-env", Input).value.strip() or (_usual_vars(name, section) or ("",))[0]
        if not var:
            hint.update("No key needed if the server is on this machine; else name the variable that holds it.")
        else:
            hint.update(f"{var} is {'set' if os.environ.get(var) else 'not set'} in this environment (its value is never shown).")

    @on(Select.Changed, "#provider")
    def _provider_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.BLANK:
            self._fill_provider(str(event.value))

    @on(Select.Changed, "#key-source")
    def _key_source_changed(self) -> None:
        self._show_key_rows()

    @on(Input.Changed, "#key-env")
    def _key_env_changed(self) -> None:
        self._show_key_rows()

    @on(Input.Changed, "#key-value")
    def _key_typed(self, event: Input.Changed) -> None:
        self._typed_key = bool(event.value)

    @on(Switch.Changed, "#auto-approve")
    def _auto_approve_changed(self, event: Switch.Changed) -> None:
        """The switch's state in words too: without colour its knob alone does not show it."""
        self.query_one("#auto-approve-hint", Label).update(auto_approve_hint(event.value))

    # ------------------------------------------------------------------ checks

    def action_test_connection(self) -> None:
        self.check(probe=True, explicit=True)

    @on(Button.Pressed, "#test")
    def _test_pressed(self) -> None:
        self.action_test_connection()

    @work(exclusive=True, group="provider-check", exit_on_error=False)
    async def check(self, probe: bool = True, explicit: bool = False) -> str:
        """doctor's check of the provider the form names now (a draft; nothing is saved)."""
        from resume_tui.providers.doctor import acheck_provider, status_line

        status = self.query_one("#provider-status", Static)
        name = str(self.query_one("#provider", Select).value)
        try:
            draft = self._draft(name)
        except ValueError as exc:
            line = f"✗ {exc}"
        else:
            if probe and name != "offline":
                status.update(f"… checking {name}" + (" (test connection)" if explicit else ""))
            try:
                line = status_line(await acheck_provider(draft, name, timeout_s=CHECK_TIMEOUT_S, probe=probe))
            except Exception as exc:  # noqa: BLE001 - a check that breaks says so; it never takes the screen down
                line = f"✗ The check of {name} failed ({type(exc).__name__}); `resume-tui doctor` says more."
        status.update(Text(line))  # Text: a server's error may contain [brackets]
        status.set_class(line.startswith("✗"), "-problem")
        if explicit:
            self.notify(line, title="Test connection", severity="error" if line.startswith("✗") else "information",
                        timeout=6)
        return line

    def _draft(self, name: str) -> Settings:
        """The settings the form describes (in memory only), for the check; ValueError names a bad field."""
        from pydantic import ValidationError

        cfg: Settings = self.flow.settings
        if name == "offline":
            return cfg.model_copy(update={"provider": name})
        edit = self._provider_fields(name)
        section = cfg.providers.get(name) or ProviderSettings()
        key = (edit.api_key or section.api_key) if edit.key_in_config else None
        try:
            fresh = ProviderSettings.model_validate(
                section.model_dump() | {"model": edit.model, "base_url": edit.base_url, "api_key_env": edit.key_env})
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ValueError(f"{_LABELS.get(str(err['loc'][0]), err['loc'][0])}: {err['msg']}".replace("Value error, ", "")) from None
        providers = dict(cfg.providers) | {name: fresh.model_copy(update={"api_key": key})}
        return cfg.model_copy(update={"provider": name, "providers": providers})

    def _provider_fields(self, name: str) -> ConfigEdit:
        source = str(self.query_one("#key-source", Select).value)
        key = self.query_one("#key-value", Input).value if self._typed_key else ""
        return ConfigEdit(
            provider=name, level=str(self.query_one("#level", Select).value),
            model=self.query_one("#model", Input).value.strip() or None,
            base_url=self.query_one("#base-url", Input).value.strip() or None,
            key_env=self.query_one("#key-env", Input).value.strip() or None,
            key_in_config=name not in KEYLESS and source == "config", api_key=key.strip() or None)

    # ------------------------------------------------------------------ save

    def form(self) -> ConfigEdit:
        """The whole form as a ConfigEdit; ValueError says which field is wrong, in one line."""
        name = str(self.query_one("#provider", Select).value)
        edit = self._provider_fields(name)
        usd = self.query_one("#max-usd", Input).value.strip()
        tokens = self.query_one("#max-tokens", Input).value.strip()
        try:
            max_usd = float(usd) if usd else None
        except ValueError:
            raise ValueError(f"Max USD must be a number of dollars such as 1.50, not “{usd}”.") from None
        try:
            max_tokens = int(tokens) if tokens else None
        except ValueError:
            raise ValueError(f"Max tokens must be a whole number such as 200000, not “{tokens}”.") from None
        theme = self.query_one("#theme", Select).value
        folder = self.query_one("#export-dir", Input).value.strip() or None
        if folder is not None and not Path(folder).expanduser().is_dir():
            raise ValueError(f"The export folder “{folder}” does not exist; create it or leave the field empty.")
        if edit.key_in_config and not edit.api_key and not (self.flow.settings.providers.get(name) or ProviderSettings()).api_key:
            raise ValueError("Paste the API key to store in config.toml, or choose “environment variable”.")
        from dataclasses import replace

        return replace(edit, max_usd=max_usd, max_tokens=max_tokens, export_dir=folder,
                       theme=None if theme is Select.BLANK else str(theme))

    def action_save(self) -> None:
        from resume_tui.session.services import preferences
        from resume_tui.widgets.file_picker import display_path

        try:
            edit = self.form()
            auto = self.query_one("#auto-approve", Switch).value
            settings, saved = preferences.save(edit, self.flow.session.settings, auto_approve=auto)
        except (ValueError, ConfigError) as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=8)
            return
        self.app.post_message(self.Saved(settings))  # to the app itself: this screen closes below
        self.flow.apply_session_settings(settings)
        notes = "".join(f" {n}" for n in saved.notes)
        for var, key, value in (("RESUME_TUI_PROVIDER", "provider", edit.provider), ("RESUME_TUI_LEVEL", "level", edit.level)):
            if os.environ.get(var) and getattr(settings, key) != value:  # the environment wins over the file
                notes += f" {var}={getattr(settings, key)} overrides the saved {key} in this environment."
        self.notify(f"Settings saved to {display_path(saved.path)}.{notes}", timeout=5)
        self.dismiss()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    def action_close(self) -> None:
        self.notify("Settings closed without saving (ctrl+s saves).", timeout=3)
        self.dismiss()


_LABELS = {"model": "Model", "base_url": "Base URL", "api_key_env": "Key variable"}


def _usual_vars(name: str, section: ProviderSettings) -> tuple[str, ...]:
    return tuple(v for v in (section.api_key_env, *PROVIDER_KEY_ENV.get(name, ())) if v)


def _field(label: str, widget: Any, *, id: str | None = None) -> Horizontal:
    return Horizontal(Label(label, classes="field-label"), widget, classes="field", id=id)


def auto_approve_hint(on: bool) -> str:
    if on:
        return "ON: exports are written without asking (this session only)"
    return "off: you approve every file before it is written"
