"""The chain router: which providers to try for each pipeline task, in order.

`Router.chain_for(task, level) -> list[Provider]`, first choice first, offline NOT included
(the pipeline runs each task's offline path when the chain is empty or exhausted). Retries
and fallback are the pipeline's (pipeline/recovery.py RetryPolicy is the one retry policy);
every adapter here is built with SDK retries off so nothing retries behind its back.

Each provider in a chain is wrapped in `ManagedProvider` (managed.py), which adds — in this
one place — contact redaction for hosted providers (redact.py), the response cache, the
budget check before the call, the priced usage after it, and the circuit breaker
(health.py): a provider that gives no answer once is skipped for the rest of the run, and
the router keeps its health for the run summary. What needs no adapter — families, default
models, which names are set up — is in catalog.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from resume_tui.config import KNOWN_PROVIDERS, Settings
from resume_tui.errors import InputError, NoProviderError
from resume_tui.models import TaskRecord
from resume_tui.providers.adapter import LLMAdapter
from resume_tui.providers.base import LLMRequest, Provider
from resume_tui.providers.budget import Budget, Estimate
from resume_tui.providers.cache import ResponseCache
from resume_tui.providers.catalog import (
    AUTO_MODEL,
    CHEAP_TASK_PREFIXES,
    DEFAULT_MODELS,
    LOCAL_SERVERS,
    OFFICIAL_OPENAI,
    ChainEntry,
    configured,
    family_of,
    how_to_configure,
    is_cheap_task,
    is_local,
    model_for,
    not_set_up,
    plan_for,
    price_name_of,
    redaction_on,
)
from resume_tui.providers.estimate import estimate_texts
from resume_tui.providers.health import HealthBoard
from resume_tui.providers.managed import ManagedProvider, price_name
from resume_tui.providers.redact import Redactor

__all__ = ["AUTO_MODEL", "CHEAP_TASK_PREFIXES", "DEFAULT_MODELS", "LOCAL_SERVERS", "OFFICIAL_OPENAI", "ChainEntry",
           "ManagedProvider", "Router", "build_router", "family_of", "is_cheap_task", "price_name"]


class Router:
    """Chains per (task, level); adapters are created lazily and reused per (name, model)."""

    def __init__(self, settings: Settings | None = None, *, budget: Budget | None = None,
                 cache: ResponseCache | bool | None = True, names: Sequence[str] | None = None) -> None:
        self.settings = settings or Settings()
        self.budget = budget if budget is not None else Budget.from_settings(self.settings)
        if cache is True:
            cache = ResponseCache()
        self.cache: ResponseCache | None = cache or None
        chain = list(names) if names is not None else self.settings.chain()
        self.names = [n for n in chain if n != "offline"]
        self._providers: dict[tuple[str, str], ManagedProvider] = {}
        self.health = HealthBoard(self.names)  # this run's circuit breakers, in chain order
        for name, sentence in not_set_up(self.settings, self.names).items():
            self.health.not_set_up(name, sentence)
        self.redactor = Redactor()  # one per run: the same value keeps its placeholder in every call

    # ------------------------------------------------------------------ run state
    def protect(self, resume: Any) -> None:
        """Learn the resume's personal data up front, so no prompt of this run carries it to a
        hosted model (the orchestrator calls this for every run)."""
        self.redactor.learn_resume(resume)

    def redacts(self, name: str) -> bool:
        return redaction_on(self.settings, name)

    def warnings(self) -> list[str]:
        """One sentence per chosen provider that is not set up (no key, no binary)."""
        return list(not_set_up(self.settings, self.names).values())

    def provider_summary(self, tasks: Iterable[TaskRecord] = ()) -> list[dict[str, Any]]:
        """[{"name", "healthy", "reason", "tasks_served"}] for the run summary."""
        return self.health.summary(tasks)

    def _then(self, name: str) -> str:
        """Who serves the tasks a provider can no longer take: the next usable one, else offline."""
        after = self.names[self.names.index(name) + 1:] if name in self.names else []
        nxt = next((n for n in after if self.configured(n) and self.health.get(n).healthy), None)
        return nxt or "the offline engine"

    # ------------------------------------------------------------------ chain
    def plan_for(self, task: str, level: str) -> list[ChainEntry]:
        """Which (name, model) would serve a task, without constructing anything."""
        return plan_for(self.settings, self.names, task, level)

    def chain_for(self, task: str, level: str) -> list[Provider]:
        """Unhealthy providers stay in the chain: they fail at once with their reason, so each
        task's row says why it went to the next one."""
        return [self._provider(e.name, e.family, e.model) for e in self.plan_for(task, level)]

    def describe(self, task: str, level: str) -> list[str]:
        """Labels for display ("anthropic/claude-haiku-4-5", …, "offline")."""
        return [f"{e.name}/{e.model}" if e.model else e.name for e in self.plan_for(task, level)] + ["offline"]

    def model_for(self, name: str, task: str, level: str) -> str:
        return model_for(self.settings, name, task, level)

    def configured(self, name: str) -> bool:
        """Has what it needs to be tried: a key, a base URL (local servers) or the CLI binary."""
        return configured(self.settings, name)

    def _provider(self, name: str, family: str, model: str) -> ManagedProvider:
        key = (name, model)
        if key not in self._providers:
            self._providers[key] = ManagedProvider(
                self._adapter(name, family, model), name=name, budget=self.budget, cache=self.cache,
                health=self.health.get(name), redactor=self.redactor if self.redacts(name) else None,
                then=lambda: self._then(name))
        return self._providers[key]

    def _adapter(self, name: str, family: str, model: str) -> LLMAdapter:
        ps = self.settings.provider_settings(name)
        common: dict[str, Any] = {"api_key": ps.api_key, "base_url": ps.base_url, "timeout_s": ps.timeout_s,
                                  "connect_timeout_s": ps.connect_timeout_s}
        if family == "anthropic":
            from resume_tui.providers.anthropic_provider import AnthropicProvider

            return AnthropicProvider(model, **common)
        if family == "gemini":
            from resume_tui.providers.gemini_provider import GeminiProvider

            return GeminiProvider(model, **common)
        if family == "claude_cli":
            from resume_tui.providers.claude_cli import ClaudeCLIProvider

            return ClaudeCLIProvider(model, timeout_s=ps.timeout_s)
        from resume_tui.providers.openai_provider import OpenAIProvider

        if not common["base_url"] and name in LOCAL_SERVERS:
            common["base_url"] = LOCAL_SERVERS[name]
        adapter = OpenAIProvider(model, **common)
        adapter.name = name if name != "openai" else adapter.name
        return adapter

    def _local(self, name: str) -> bool:
        """An OpenAI-compatible endpoint other than api.openai.com (Ollama, LM Studio, vLLM…)."""
        return is_local(self.settings, name)

    # ------------------------------------------------------------------ estimates
    def _price_name(self, entry: ChainEntry) -> str:
        return price_name_of(self.settings, entry)

    def estimate(self, requests: Iterable[LLMRequest]) -> Estimate:
        """Cost of sending these requests to each one's first-choice provider (0 when offline-only)."""
        total = Estimate(free=True)
        for req in requests:
            plan = self.plan_for(req.task, req.level)
            if not plan:
                total.calls += 1
                continue
            entry = plan[0]
            one = self.budget.estimate(self._price_name(entry), entry.model, [req])
            total.input_tokens += one.input_tokens
            total.output_tokens += one.output_tokens
            total.cost_usd += one.cost_usd
            total.priced = total.priced and one.priced
            total.unpriced_tokens += one.unpriced_tokens
            total.free = total.free and one.free
            total.calls += 1
        return total

    def estimate_texts(self, section_texts: Sequence[str], jd_text: str, level: str) -> Estimate:
        """Pre-run estimate from text sizes alone (before any prompt exists), for `tailor` and the TUI."""
        return estimate_texts(self.settings, self.names, self.budget.prices, section_texts, jd_text, level)

    async def aclose(self) -> None:
        for provider in self._providers.values():
            try:
                await provider.aclose()
            except Exception:  # noqa: BLE001 - closing must never fail a finished run
                pass
        self._providers.clear()
        if self.cache is not None:
            self.cache.close()


def build_router(settings: Settings | None = None, *, provider: str | None = None, **kwargs: Any) -> Router | None:
    """The router for a run, or None when no provider in the chain is usable (offline-only,
    which is what the pipeline expects for `router=None`).

    `provider` is the CLI's `--provider NAME`: it goes first, ahead of the configured chain.
    An unknown name is an InputError (exit 2); a known one that is not set up (no key, no
    `claude` binary) is a NoProviderError (exit 4) saying how to set it up — asking for a
    provider explicitly and silently getting offline results would be a surprise.
    """
    settings = settings or Settings()
    names = settings.chain()
    if provider and provider != "offline":
        known = set(KNOWN_PROVIDERS) | set(settings.providers) | set(LOCAL_SERVERS)
        if provider not in known:
            raise InputError(f"Unknown provider '{provider}'; use one of {', '.join(sorted(known))}.")
        names = [provider, *[n for n in names if n != provider]]
    elif provider == "offline":
        names = []
    router = Router(settings, names=names, **kwargs)
    if provider and provider != "offline" and not router.configured(provider):
        raise NoProviderError(f"Provider '{provider}' is not set up: {how_to_configure(provider, family_of(provider))}.")
    if not any(router.configured(n) for n in router.names):
        return None
    return router
