"""The Settings screen's save: config.toml for every later session, the session's own choices now.

Provider, model, base URL, key source, level, caps, theme and export folder go to config.toml
(config_file.save_edit: validated, atomic, 0600) and are read back through `load_settings`, so
the app runs on exactly what the next start will load — environment overrides included.
The same choices are recorded in the session (SessionSettings), which a reopened session
folds over the config; auto-approve is recorded only there (it is never a default).
"""

from __future__ import annotations

from pathlib import Path

from resume_tui.config import Settings, load_settings
from resume_tui.config_file import ConfigEdit, Saved, save_edit
from resume_tui.models import CustomizationLevel, SessionSettings


def save(edit: ConfigEdit, chosen: SessionSettings, *, auto_approve: bool, path: Path | None = None) -> tuple[Settings, Saved]:
    """Write `edit` to config.toml, record it in the session; returns the settings as loaded back."""
    saved = save_edit(edit, path)
    settings = load_settings(saved.path)
    chosen.provider = edit.provider
    chosen.model = edit.model
    chosen.level = CustomizationLevel(edit.level)
    chosen.max_usd = edit.max_usd
    chosen.max_tokens = edit.max_tokens
    chosen.auto_approve = auto_approve
    return settings, saved
