"""Settings: TOML file in the user config dir, overridden by environment variables.

`RESUME_TUI_CONFIG_DIR` / `RESUME_TUI_DATA_DIR` relocate everything (tests and scripts
never touch a real home). API keys are read from the environment or the config file and
are never written anywhere by us: `api_key` is excluded from every dump of the settings,
and `Settings.secrets()` lists the values the store redacts before writing.
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from resume_tui.errors import ConfigError

APP_NAME = "resume-tui"
CONFIG_FILE = "config.toml"
DB_FILE = "resume-tui.sqlite3"

# Providers the router knows; a config may add named sections (e.g. an "ollama" section
# with a base_url) which then also count as known names.
KNOWN_PROVIDERS = ("offline", "anthropic", "openai", "gemini", "claude_cli")
# OpenAI-compatible local servers the router knows by name (default base URLs live there).
LOCAL_SERVER_NAMES = ("ollama", "lmstudio", "vllm", "llamacpp")

# Where each provider's key (and base URL) comes from in the environment, first match wins.
PROVIDER_KEY_ENV: dict[str, tuple[str, ...]] = {
    "anthropic": ("ANTHROPIC_API_KEY",),
    "openai": ("OPENAI_API_KEY",),
    "gemini": ("GEMINI_API_KEY", "GOOGLE_API_KEY"),
}
PROVIDER_BASE_URL_ENV: dict[str, tuple[str, ...]] = {
    "anthropic": ("ANTHROPIC_BASE_URL",),
    "openai": ("OPENAI_BASE_URL",),
}
PRICE_FIELDS = ("input", "output", "cache_read", "cache_write")


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


def db_path() -> Path:
    """The one SQLite file shared by the session store and the provider cache."""
    return data_dir() / DB_FILE


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProviderSettings(_Section):
    """One provider's settings; keys may come from here or (preferably) the environment."""

    model: str | None = None
    # exclude=True: a dump of the settings (into a session, a log, JSON) never carries the key.
    api_key: str | None = Field(default=None, repr=False, exclude=True)
    base_url: str | None = None
    timeout_s: float = Field(default=45.0, gt=0)
    connect_timeout_s: float = Field(default=5.0, gt=0)  # to open a connection; timeout_s is for the answer
    max_retries: int = Field(default=2, ge=0, le=10)
    # Models per customization level (cheap for extraction, stronger for plan/customize).
    models: dict[str, str] = Field(default_factory=dict)

    @field_validator("models")
    @classmethod
    def _levels(cls, value: dict[str, str]) -> dict[str, str]:
        bad = sorted(set(value) - {"light", "moderate", "extensive"})
        if bad:
            raise ValueError(f"unknown level {bad[0]!r} (use light, moderate or extensive)")
        return value

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value


class BudgetSettings(_Section):
    max_tokens: int | None = Field(default=None, ge=0)  # per session
    max_usd: float | None = Field(default=None, ge=0)  # per session
    confirm_over_usd: float = Field(default=0.0, ge=0)  # ask before any paid run costing more than this


class LimitsSettings(_Section):
    max_file_mb: float = Field(default=10.0, gt=0, le=1024)
    concurrency: int = Field(default=4, ge=1, le=64)
    extract_timeout_s: float = Field(default=30.0, gt=0)
    task_timeout_s: float = Field(default=45.0, gt=0)
    run_timeout_s: float = Field(default=600.0, gt=0)
    max_steps: int = Field(default=200, ge=1)


class BatchAPISettings(_Section):
    """When `resume-tui batch` sends model calls through a provider's batch API (half price, results within 24 h)."""

    threshold: int = Field(default=20, ge=0)  # more model calls than this go through the batch API
    poll_s: float = Field(default=30.0, gt=0)  # how often to ask the provider whether the batch is done
    wait_s: float = Field(default=86400.0, gt=0)  # how long `batch` waits before leaving it to `batch --resume`


class Settings(_Section):
    provider: str = "offline"  # first provider in the chain; offline is always last
    fallback: list[str] = Field(default_factory=list)
    level: Literal["light", "moderate", "extensive"] = "moderate"
    auto_approve: bool = False
    # Contact details replaced by placeholders before model calls: None = on for hosted
    # providers, off for servers on loopback/private addresses; True/False = always/never.
    redact_contact: bool | None = None
    session_ttl_days: int = Field(default=30, ge=0)  # 0 = keep sessions forever
    budget: BudgetSettings = Field(default_factory=BudgetSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    batch_api: BatchAPISettings = Field(default_factory=BatchAPISettings)
    providers: dict[str, ProviderSettings] = Field(default_factory=dict)
    prices: dict[str, dict[str, float]] = Field(default_factory=dict)  # model → {input, output} USD/Mtok

    @field_validator("prices")
    @classmethod
    def _prices(cls, value: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for model, table in value.items():
            unknown = sorted(set(table) - set(PRICE_FIELDS))
            if unknown:
                raise ValueError(f"prices.{model}: unknown field {unknown[0]!r} (use {', '.join(PRICE_FIELDS)})")
            if not table:
                raise ValueError(f"prices.{model}: give at least 'input' or 'output' (USD per million tokens)")
            for name, price in table.items():
                if price < 0:
                    raise ValueError(f"prices.{model}: '{name}' cannot be negative")
        return value

    @model_validator(mode="after")
    def _provider_names(self) -> Settings:
        known = set(KNOWN_PROVIDERS) | set(LOCAL_SERVER_NAMES) | set(self.providers)
        named = [("provider", self.provider), *((f"fallback.{i}", n) for i, n in enumerate(self.fallback))]
        for key, name in named:
            if name not in known:
                raise ValueError(f"{key}: unknown provider {name!r} (known: {', '.join(sorted(known))})")
        return self

    @cached_property
    def max_file_bytes(self) -> int:
        return int(self.limits.max_file_mb * 1024 * 1024)

    def provider_settings(self, name: str) -> ProviderSettings:
        """The section for `name` with the key/base URL from the environment filled in."""
        section = self.providers.get(name, ProviderSettings())
        key = api_key_for(name, self)
        base = section.base_url or _first_env(PROVIDER_BASE_URL_ENV.get(name, ()))
        return section.model_copy(update={"api_key": key, "base_url": base})

    def chain(self) -> list[str]:
        """Provider names in the order they are tried; offline always last, no duplicates."""
        names = [self.provider, *self.fallback]
        out = [n for i, n in enumerate(names) if n != "offline" and n not in names[:i]]
        return [*out, "offline"]

    def secrets(self) -> list[str]:
        """Every key value we know of (env and config) so writers can redact them."""
        found = [p.api_key for p in self.providers.values() if p.api_key]
        for names in PROVIDER_KEY_ENV.values():
            found.extend(os.environ[n] for n in names if os.environ.get(n))
        return sorted({s for s in found if len(s) >= 6}, key=len, reverse=True)


def _first_env(names: tuple[str, ...]) -> str | None:
    return next((os.environ[n] for n in names if os.environ.get(n)), None)


def api_key_for(name: str, settings: Settings | None = None) -> str | None:
    """A provider's key: the environment wins over the config file; never logged or stored."""
    env = _first_env(PROVIDER_KEY_ENV.get(name, ()))
    if env:
        return env
    if settings is not None and name in settings.providers:
        return settings.providers[name].api_key
    return None


def key_source(name: str, settings: Settings | None = None) -> str | None:
    """Where a provider's key comes from ("env ANTHROPIC_API_KEY", "config file"), for doctor."""
    for var in PROVIDER_KEY_ENV.get(name, ()):
        if os.environ.get(var):
            return f"env {var}"
    if settings is not None and name in settings.providers and settings.providers[name].api_key:
        return "config file"
    return None


def load_settings(path: Path | None = None) -> Settings:
    """Read the TOML config (missing file → defaults); raise ConfigError naming the bad key."""
    path = path or config_dir() / CONFIG_FILE
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"The config file {path} is not valid TOML ({exc}); fix it or delete it to use defaults.") from None
        except OSError as exc:
            raise ConfigError(f"The config file {path} cannot be read ({exc.strerror}); check its permissions.") from None
    from_env = _apply_env(raw)
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path, from_env)) from None


def _describe(exc: ValidationError, path: Path, from_env: dict[tuple[str, ...], str]) -> str:
    err = exc.errors()[0]
    loc = tuple(str(p) for p in err["loc"])
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "is not a known setting (check the spelling)"
    # Validators on a whole mapping report "sub.key: problem"; lift that key into the location.
    head, sep, rest = msg.partition(": ")
    if sep and err["type"] == "value_error" and re.fullmatch(r"[\w.-]+", head):
        msg = rest
        loc = (*loc[:-1], *head.split(".", 1))  # model names may contain dots ("gpt-4.1")
    key = ".".join(loc) or "(top level)"
    for keys, var in from_env.items():
        if loc[: len(keys)] == keys:
            return f"Environment variable {var} (config key '{key}'): {msg}; fix or unset it."
    return f"Config key '{key}' in {path}: {msg}; fix the value or remove the key."


_ENV_MAP: dict[str, tuple[str, ...]] = {
    "RESUME_TUI_PROVIDER": ("provider",),
    "RESUME_TUI_FALLBACK": ("fallback",),
    "RESUME_TUI_LEVEL": ("level",),
    "RESUME_TUI_AUTO_APPROVE": ("auto_approve",),
    "RESUME_TUI_REDACT": ("redact_contact",),
    "RESUME_TUI_SESSION_TTL_DAYS": ("session_ttl_days",),
    "RESUME_TUI_MAX_FILE_MB": ("limits", "max_file_mb"),
    "RESUME_TUI_CONCURRENCY": ("limits", "concurrency"),
    "RESUME_TUI_RUN_TIMEOUT_S": ("limits", "run_timeout_s"),
    "RESUME_TUI_MAX_USD": ("budget", "max_usd"),
    "RESUME_TUI_MAX_TOKENS": ("budget", "max_tokens"),
}


def _apply_env(raw: dict[str, Any]) -> dict[tuple[str, ...], str]:
    """Overlay RESUME_TUI_* variables on the parsed file; return which keys they set."""
    applied: dict[tuple[str, ...], str] = {}
    for var, keys in _ENV_MAP.items():
        value: Any = os.environ.get(var)
        if value is None or value.strip() == "":
            continue
        if keys == ("fallback",):
            value = [v.strip() for v in value.split(",") if v.strip()]
        node = raw
        for key in keys[:-1]:
            child = node.setdefault(key, {})
            if not isinstance(child, dict):  # a scalar where a table belongs: let validation name it
                break
            node = child
        else:
            node[keys[-1]] = value
            applied[keys] = var
    return applied
