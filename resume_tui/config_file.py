"""Writing the Settings screen's choices to config.toml: edited in place, validated, atomic, 0600.

The file is edited with tomlkit, not regenerated from `Settings`, so a hand-written config
keeps its comments, its order and every key the screen does not show (fallbacks, limits,
prices, other providers). The edited text is validated exactly as `load_settings` would read
it before anything touches the disk, so a bad value is one sentence and never a broken file.
The write goes to a temporary file in the same folder (created 0600: it may hold a key),
is fsynced and renamed over the old file, so a crash leaves the old config or the new one.

A key is written only when the user chose "in config.toml" and typed one; choosing an
environment variable removes a stored key from the file (it is plain text there).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from resume_tui.config import CONFIG_FILE, Settings, _describe, config_dir
from resume_tui.errors import ConfigError


@dataclass(frozen=True)
class ConfigEdit:
    """What the Settings screen edits; None removes the key (the default applies)."""

    provider: str
    level: str
    model: str | None = None
    base_url: str | None = None
    key_env: str | None = None  # the environment variable holding the key; None: the provider's usual one
    key_in_config: bool = False  # the key is stored in config.toml (plain text, warned about)
    api_key: str | None = None  # a newly typed key (with key_in_config); None keeps the stored one
    max_usd: float | None = None
    max_tokens: int | None = None
    theme: str | None = None
    export_dir: str | None = None


@dataclass(frozen=True)
class Saved:
    path: Path
    notes: tuple[str, ...] = ()  # e.g. "the key stored in config.toml was removed"


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def save_edit(edit: ConfigEdit, path: Path | None = None) -> Saved:
    """Apply `edit` to config.toml (created if missing); raise ConfigError naming the bad value."""
    import tomlkit

    path = path or config_path()
    doc = _read(path)
    notes: list[str] = []
    _put(doc, "provider", edit.provider)
    _put(doc, "level", edit.level)
    _put(doc, "theme", edit.theme)
    _put(doc, "export_dir", edit.export_dir)
    budget = _table(doc, "budget")
    _put(budget, "max_usd", None if edit.max_usd is None else float(edit.max_usd))
    _put(budget, "max_tokens", edit.max_tokens)
    if edit.provider != "offline":
        providers = _table(doc, "providers", super_table=True)
        section = _table(providers, edit.provider)
        _put(section, "model", edit.model)
        _put(section, "base_url", edit.base_url)
        _put(section, "api_key_env", None if edit.key_in_config else edit.key_env)
        if edit.key_in_config and edit.api_key:
            _put(section, "api_key", edit.api_key)
        elif not edit.key_in_config and "api_key" in section:
            _put(section, "api_key", None)
            notes.append(f"The {edit.provider} key stored in {path.name} was removed: the key now comes from the environment.")
    text = tomlkit.dumps(doc)
    validate_text(text, path)
    write_private(path, text)
    return Saved(path, tuple(notes))


def validate_text(text: str, path: Path) -> Settings:
    """The settings `text` describes, checked as load_settings checks a file (without the env overlay)."""
    try:
        return Settings.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:  # pragma: no cover - tomlkit writes valid TOML
        raise ConfigError(f"The settings could not be written as TOML ({exc}).") from None
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path, {}).replace("; fix the value or remove the key.", "; nothing was saved.")) from None


def write_private(path: Path, text: str) -> None:
    """Atomically replace `path` with `text`, readable by the owner only (it may hold a key)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".config-", suffix=".toml.tmp")  # mkstemp creates it 0600
    except OSError as exc:
        raise ConfigError(f"Cannot save settings in {folder} ({exc.strerror}); check that the folder is writable.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ConfigError(f"Cannot save settings to {path} ({exc.strerror}); check its permissions.") from None
    with contextlib.suppress(OSError):  # the rename is durable once the folder is synced (POSIX)
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _read(path: Path) -> Any:
    import tomlkit

    if not path.exists():
        return tomlkit.document()
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"The config file {path} cannot be read ({exc.strerror}); nothing was saved.") from None
    except (tomlkit.exceptions.TOMLKitError, UnicodeDecodeError) as exc:
        raise ConfigError(f"The config file {path} is not valid TOML ({exc}); fix it by hand before saving from the app.") from None


def _table(parent: Any, key: str, *, super_table: bool = False) -> Any:
    import tomlkit

    if key not in parent:
        parent[key] = tomlkit.table(is_super_table=super_table)
    return parent[key]


def _put(table: Any, key: str, value: object) -> None:
    if value is None or value == "":
        if key in table:
            del table[key]
        return
    table[key] = value
