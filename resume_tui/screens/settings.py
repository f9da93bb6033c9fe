"""Provider, models, budget caps, customization level and auto-approve for this session."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static, Switch

PROVIDERS = ("offline", "anthropic", "openai", "gemini", "claude_cli")
LEVELS = ("light", "moderate", "extensive")


class SettingsScreen(Screen[None]):
    """Edits the session's settings in memory; the caps and level apply to the next run.

    Auto-approve is off by default and applies to this session only.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", tooltip="Keep these settings for this session", priority=True),
        Binding("escape", "close", "Close", tooltip="Close without saving"),
    ]

    def compose(self) -> ComposeResult:
        flow = self.app.flow  # type: ignore[attr-defined]
        cfg, chosen = flow.settings, flow.session.settings
        provider = chosen.get("provider", cfg.provider)
        model = chosen.get("model") or (cfg.providers.get(provider).model if cfg.providers.get(provider) else "") or ""
        with VerticalScroll(id="settings-form"):
            yield Static("Settings for this session — ctrl+s saves, Esc closes", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Provider", classes="field-label")
                yield Select([(p, p) for p in PROVIDERS], value=provider if provider in PROVIDERS else "offline",
                             allow_blank=False, id="provider")
            with Horizontal(classes="field"):
                yield Label("Model", classes="field-label")
                yield Input(model, placeholder="provider default", id="model")
            with Horizontal(classes="field"):
                yield Label("Level", classes="field-label")
                yield Select([(lv, lv) for lv in LEVELS], value=chosen.get("level", cfg.level), allow_blank=False, id="level")
            with Horizontal(classes="field"):
                yield Label("Max USD", classes="field-label")
                max_usd = chosen.get("max_usd", cfg.budget.max_usd)
                yield Input("" if max_usd is None else str(max_usd), placeholder="no cap", type="number", id="max-usd")
            with Horizontal(classes="field"):
                yield Label("Max tokens", classes="field-label")
                max_tokens = chosen.get("max_tokens", cfg.budget.max_tokens)
                yield Input("" if max_tokens is None else str(max_tokens), placeholder="no cap", type="integer", id="max-tokens")
            with Horizontal(classes="field"):
                yield Label("Auto-approve", classes="field-label")
                auto = bool(chosen.get("auto_approve", False))
                yield Switch(auto, id="auto-approve")
                yield Label(auto_approve_hint(auto), classes="hint", id="auto-approve-hint")
            if flow.offline:
                yield Static("Demo mode: the offline engine serves every task; nothing is sent anywhere.", classes="hint")
        yield Footer()

    @on(Switch.Changed, "#auto-approve")
    def _auto_approve_changed(self, event: Switch.Changed) -> None:
        """The switch's state in words too: without colour its knob alone does not show it."""
        self.query_one("#auto-approve-hint", Label).update(auto_approve_hint(event.value))

    def action_save(self) -> None:
        flow = self.app.flow  # type: ignore[attr-defined]
        values = flow.session.settings
        provider = str(self.query_one("#provider", Select).value)
        values["provider"] = provider
        values["model"] = self.query_one("#model", Input).value.strip() or None
        values["level"] = str(self.query_one("#level", Select).value)
        values["auto_approve"] = self.query_one("#auto-approve", Switch).value
        usd = self.query_one("#max-usd", Input).value.strip()
        tokens = self.query_one("#max-tokens", Input).value.strip()
        values["max_usd"] = float(usd) if usd else None
        values["max_tokens"] = int(tokens) if tokens else None
        flow.apply_session_settings()
        self.notify("Settings saved for this session.", timeout=3)
        self.dismiss()

    def action_close(self) -> None:
        self.notify("Settings closed without saving (ctrl+s saves).", timeout=3)
        self.dismiss()


def auto_approve_hint(on: bool) -> str:
    if on:
        return "ON: exports are written without asking (this session only)"
    return "off: you approve every file before it is written"
