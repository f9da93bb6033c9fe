"""Settings: TOML file in the user config dir, overridden by environment variables.

`RESUME_TUI_CONFIG_DIR` / `RESUME_TUI_DATA_DIR` relocate everything (tests and scripts
never touch a real home). API keys are read from the environment or the config file and
are never written anywhere by us.
"""

from __future__ import annotations

import os
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from resume_tui.errors import ConfigError

APP_NAME = "resume-tui"
CONFIG_FILE = "config.toml"


def config_dir() -> Path:
    env = os.environ.get("RESUME_TUI_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    env = os.environ.get("RESUME_TUI_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME))


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProviderSettings(_Section):
    """One provider's settings; keys may come from here or (preferably) the environment."""

    model: str | None = None
    api_key: str | None = Field(default=None, repr=False)
    base_url: str | None = None
    timeout_s: float = 45.0
    max_retries: int = 2
    # Models per customization level (cheap for extraction, stronger for plan/customize).
    models: dict[str, str] = Field(default_factory=dict)


class BudgetSettings(_Section):
    max_tokens: int | None = None  # per session
    max_usd: float | None = None  # per session
    confirm_over_usd: float = 0.0  # ask before any paid run costing more than this


class LimitsSettings(_Section):
    max_file_mb: float = 10.0
    concurrency: int = 4
    extract_timeout_s: float = 30.0
    task_timeout_s: float = 45.0
    run_timeout_s: float = 600.0
    max_steps: int = 200


class Settings(_Section):
    provider: str = "offline"  # first provider in the chain; offline is always last
    fallback: list[str] = Field(default_factory=list)
    level: Literal["light", "moderate", "extensive"] = "moderate"
    auto_approve: bool = False
    session_ttl_days: int = 30
    budget: BudgetSettings = Field(default_factory=BudgetSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    providers: dict[str, ProviderSettings] = Field(default_factory=dict)
    prices: dict[str, dict[str, float]] = Field(default_factory=dict)  # model → {input, output} USD/Mtok

    @cached_property
    def max_file_bytes(self) -> int:
        return int(self.limits.max_file_mb * 1024 * 1024)


def load_settings(path: Path | None = None) -> Settings:
    """Read the TOML config (missing file → defaults); raise ConfigError naming the bad key."""
    path = path or config_dir() / CONFIG_FILE
    raw: dict = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"The config file {path} is not valid TOML ({exc}); fix it or delete it to use defaults.") from None
        except OSError as exc:
            raise ConfigError(f"The config file {path} cannot be read ({exc.strerror}); check its permissions.") from None
    _apply_env(raw)
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        raise ConfigError(f"Config key '{key}' in {path}: {err['msg']}; fix the value or remove the key.") from None


_ENV_MAP = {
    "RESUME_TUI_PROVIDER": ("provider",),
    "RESUME_TUI_LEVEL": ("level",),
    "RESUME_TUI_MAX_FILE_MB": ("limits", "max_file_mb"),
    "RESUME_TUI_MAX_USD": ("budget", "max_usd"),
    "RESUME_TUI_MAX_TOKENS": ("budget", "max_tokens"),
}


def _apply_env(raw: dict) -> None:
    for var, keys in _ENV_MAP.items():
        value = os.environ.get(var)
        if value is None or value == "":
            continue
        node = raw
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value
