"""What the router knows without constructing anything: provider families, default models,
well-known local servers, whether a name is set up, which model serves a task, how to set
one up.

Pure functions of `Settings`, below the router, doctor and the estimates, so that none of
them has to import another to answer these questions (doctor and the router used to import
each other for `how_to_configure`).

Model choice: cheap tasks (extract_requirements, analyze_*) use `models.light`, else
`model`, else the family's cheap default; plan/customize/assemble use `models.<level>`,
else `model`, else the family's stronger default.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from resume_tui.config import Settings
from resume_tui.providers.local_server import is_nearby

CHEAP_TASK_PREFIXES = ("extract_", "analyze_")
OFFICIAL_OPENAI = "https://api.openai.com/v1"
AUTO_MODEL = "auto"  # resolved by the adapter from the server's model list

# family → (strong default, cheap default)
DEFAULT_MODELS: dict[str, tuple[str, str]] = {
    "anthropic": ("claude-sonnet-4-6", "claude-haiku-4-5"),
    "openai": ("gpt-4.1", "gpt-4.1-mini"),
    "gemini": ("gemini-2.5-flash", "gemini-2.5-flash-lite"),
    "claude_cli": ("", ""),  # the CLI's own default model
}
# Well-known local OpenAI-compatible servers: a config section with just a model works.
LOCAL_SERVERS: dict[str, str] = {
    "ollama": "http://localhost:11434/v1",
    "lmstudio": "http://localhost:1234/v1",
    "vllm": "http://localhost:8000/v1",
    "llamacpp": "http://localhost:8080/v1",
}


@dataclass
class ChainEntry:
    name: str
    family: str
    model: str


def family_of(name: str) -> str:
    """Which adapter serves a configured name: the four families, else OpenAI-compatible."""
    return name if name in DEFAULT_MODELS else "openai"


def is_cheap_task(task: str) -> bool:
    return task.startswith(CHEAP_TASK_PREFIXES)


def base_url_of(settings: Settings, name: str) -> str | None:
    """The endpoint a name talks to: configured or from the environment, else a local server's default."""
    return settings.provider_settings(name).base_url or LOCAL_SERVERS.get(name)


def is_local(settings: Settings, name: str) -> bool:
    """An OpenAI-compatible endpoint other than api.openai.com (Ollama, LM Studio, vLLM…)."""
    if family_of(name) != "openai":
        return False
    base = base_url_of(settings, name)
    return base is not None and base.rstrip("/") != OFFICIAL_OPENAI


def configured(settings: Settings, name: str) -> bool:
    """Has what it needs to be tried: a key, a base URL (local servers) or the CLI binary."""
    family = family_of(name)
    ps = settings.provider_settings(name)
    if family == "claude_cli":
        return shutil.which("claude") is not None
    if family == "openai":
        return bool(ps.api_key or ps.base_url or name in LOCAL_SERVERS)
    return bool(ps.api_key)


def model_for(settings: Settings, name: str, task: str, level: str) -> str:
    section = settings.providers.get(name)
    family = family_of(name)
    strong, cheap = DEFAULT_MODELS.get(family, ("", ""))
    if is_local(settings, name):
        # A local server serves whatever it has loaded: ask it (GET /models) at first use.
        strong = cheap = AUTO_MODEL
    models = section.models if section else {}
    explicit = section.model if section else None
    if is_cheap_task(task):
        return models.get("light") or explicit or cheap
    return models.get(level) or explicit or strong


def plan_for(settings: Settings, names: Sequence[str], task: str, level: str) -> list[ChainEntry]:
    """Which (name, model) would serve a task, first choice first, skipping names not set up."""
    return [ChainEntry(n, family_of(n), model_for(settings, n, task, level)) for n in names if configured(settings, n)]


def price_name_of(settings: Settings, entry: ChainEntry) -> str:
    """The price-table name for a chain entry: local servers are priced like offline (free)."""
    if entry.family == "claude_cli":
        return "claude_cli"
    if is_local(settings, entry.name):
        return "offline"
    return entry.family


def how_to_configure(name: str, family: str) -> str:
    if family == "anthropic":
        return "set ANTHROPIC_API_KEY"
    if family == "gemini":
        return "set GEMINI_API_KEY or GOOGLE_API_KEY"
    if family == "claude_cli":
        return "install Claude Code (the `claude` command) and log in"
    if name == "openai":
        return "set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server"
    return f"set providers.{name}.base_url in the config"


def not_set_up(settings: Settings, names: Sequence[str]) -> dict[str, str]:
    """One sentence per chosen provider that cannot be tried, so a run never goes offline
    silently: "anthropic is selected but not set up (set ANTHROPIC_API_KEY); its tasks go to openai."."""
    out: dict[str, str] = {}
    chosen = [n for n in names if n != "offline"]
    usable = [n for n in chosen if configured(settings, n)]
    for i, name in enumerate(chosen):
        if name in usable:
            continue
        after = [n for n in usable if chosen.index(n) > i]
        where = f"its tasks go to {after[0]}" if after else "tasks run on the offline engine"
        out[name] = f"{name} is selected but not set up ({how_to_configure(name, family_of(name))}); {where}."
    return out


def redaction_on(settings: Settings, name: str) -> bool:
    """Whether contact details are replaced by placeholders before calls to `name`.

    `redact_contact` (or RESUME_TUI_REDACT=1/0, which sets it) decides when given; unset, it
    is on for every hosted provider and off only for a server on this machine or a private
    network (loopback, 10.x, 192.168.x, *.local…), where the data does not leave the user's hands.
    """
    if settings.redact_contact is not None:
        return settings.redact_contact
    if family_of(name) == "claude_cli":
        return True  # the CLI talks to Anthropic's hosted models
    base = base_url_of(settings, name)
    if not base:
        return True  # the official hosted endpoint
    return not is_nearby((urlsplit(base).hostname or "").lower())


def redaction_note(settings: Settings, names: Sequence[str] | None = None) -> str:
    """One line for the cost question and doctor: is contact redaction on, and for whom."""
    chosen = [n for n in (names if names is not None else settings.chain()) if n != "offline"]
    if not chosen:
        return "Contact redaction: no model is called (offline only)."
    on = [n for n in chosen if redaction_on(settings, n)]
    off = [n for n in chosen if n not in on]
    if settings.redact_contact is False:
        return "Contact redaction: off (redact_contact = false) — name, email, phone and links are sent as written."
    if not off:
        return "Contact redaction: on — name, email, phone, location and links go out as placeholders."
    if not on:
        return f"Contact redaction: off for {', '.join(off)} (on this machine or network); RESUME_TUI_REDACT=1 turns it on."
    return f"Contact redaction: on for {', '.join(on)}; off for {', '.join(off)} (on this machine or network)."
