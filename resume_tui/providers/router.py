"""Builds the provider chain for each pipeline task from Settings + environment.

Contract with the pipeline (resume_tui/pipeline/router.py `ChainRouter`):
`Router.chain_for(task, level) -> list[Provider]`, first choice first, offline NOT included
(the pipeline runs each task's offline path when the chain is empty or exhausted). Retries
and fallback are the pipeline's (pipeline/recovery.py RetryPolicy is the one retry policy);
every adapter here is built with SDK retries off so nothing retries behind its back.

Each provider in a chain is wrapped in `ManagedProvider`, which adds — in this one place —
the response cache, the budget check before the call and the priced usage after it.

Model choice: cheap tasks (extract_requirements, analyze_*) use `models.light`, else
`model`, else the family's cheap default; plan/customize/assemble use `models.<level>`,
else `model`, else the family's stronger default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Iterable, Sequence

from resume_tui.config import KNOWN_PROVIDERS, Settings
from resume_tui.errors import InputError, NoProviderError
from resume_tui.models import Usage
from resume_tui.providers.adapter import LLMAdapter
from resume_tui.providers.base import LLMRequest, Provider, ProviderError, Result, T
from resume_tui.providers.budget import Budget, Estimate, estimate_tokens
from resume_tui.providers.cache import ResponseCache, cache_key

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


def price_name(adapter: LLMAdapter) -> str:
    if adapter.name == "claude_cli" or getattr(adapter, "local", False):
        return "offline"  # FREE_PROVIDERS: no per-token bill
    return type(adapter).name


def family_of(name: str) -> str:
    """Which adapter serves a configured name: the four families, else OpenAI-compatible."""
    return name if name in DEFAULT_MODELS else "openai"


def is_cheap_task(task: str) -> bool:
    return task.startswith(CHEAP_TASK_PREFIXES)


class ManagedProvider:
    """A Provider that adds cache lookup, budget reservation and pricing around an adapter."""

    def __init__(self, inner: LLMAdapter, *, name: str, budget: Budget | None, cache: ResponseCache | None) -> None:
        self.inner = inner
        self.name = name
        self.budget = budget
        self.cache = cache

    def __repr__(self) -> str:
        return f"ManagedProvider({self.name}/{self.model})"

    @property
    def model(self) -> str:
        """The adapter's model — for a local server, the one it reported once resolved.

        llama.cpp reports its model as the absolute path of the GGUF file; labels, events and
        change sources show just the file name (the adapter still sends the full id)."""
        model = self.inner.model
        return PurePath(model).name if model.startswith("/") else model

    @property
    def label(self) -> str:
        return f"{self.name}/{self.model}" if self.model else self.name

    @property
    def price_name(self) -> str:
        """Local OpenAI-compatible servers and the CLI subscription cost nothing per token."""
        return price_name(self.inner)

    def _priced(self, usage: Usage) -> Usage:
        if self.budget is None:
            return usage
        cost = self.budget.prices.cost(self.price_name, self.model, usage.input_tokens, usage.output_tokens)
        return usage.model_copy(update={"cost_usd": cost})

    async def complete(self, request: LLMRequest[T]) -> Result[T]:
        await self.inner.prepare(request)  # e.g. resolve "auto" to a local server's model
        key = cache_key(self.inner.identity, self.inner.model, request) if self.cache is not None else None
        if key is not None and self.cache is not None:
            hit = self.cache.get(key, request.schema)
            if hit is not None:
                return Result(value=hit[0], usage=Usage(cached=True), provider=self.name, model=self.model, cached=True)  # type: ignore[arg-type]
        reservation = None
        if self.budget is not None:
            try:
                reservation = self.budget.reserve(self.price_name, self.model, request)
            except ProviderError as exc:
                exc.provider = self.name
                raise
        try:
            result = await self.inner.complete(request)
        except ProviderError as exc:
            exc.usage = self._priced(exc.usage)
            exc.provider = self.name
            if self.budget is not None and reservation is not None:
                self.budget.settle(reservation, exc.usage)
            raise
        except BaseException:
            if self.budget is not None and reservation is not None:
                self.budget.settle(reservation, Usage())
            raise
        usage = self._priced(result.usage)
        if self.budget is not None and reservation is not None:
            self.budget.settle(reservation, usage)
        if key is not None and self.cache is not None:
            self.cache.put(key, self.name, self.model, request.task, result.value, usage.input_tokens, usage.output_tokens)
        return Result(value=result.value, usage=usage, provider=self.name, model=self.model)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class ChainEntry:
    name: str
    family: str
    model: str


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

    # ------------------------------------------------------------------ chain
    def plan_for(self, task: str, level: str) -> list[ChainEntry]:
        """Which (name, model) would serve a task, without constructing anything."""
        out = []
        for name in self.names:
            family = family_of(name)
            if not self.configured(name):
                continue
            out.append(ChainEntry(name, family, self.model_for(name, task, level)))
        return out

    def chain_for(self, task: str, level: str) -> list[Provider]:
        return [self._provider(e.name, e.family, e.model) for e in self.plan_for(task, level)]

    def describe(self, task: str, level: str) -> list[str]:
        """Labels for display ("anthropic/claude-haiku-4-5", …, "offline")."""
        return [f"{e.name}/{e.model}" if e.model else e.name for e in self.plan_for(task, level)] + ["offline"]

    def model_for(self, name: str, task: str, level: str) -> str:
        section = self.settings.providers.get(name)
        family = family_of(name)
        strong, cheap = DEFAULT_MODELS.get(family, ("", ""))
        if family == "openai" and self._local(name):
            # A local server serves whatever it has loaded: ask it (GET /models) at first use.
            strong = cheap = AUTO_MODEL
        models = section.models if section else {}
        explicit = section.model if section else None
        if is_cheap_task(task):
            return models.get("light") or explicit or cheap
        return models.get(level) or explicit or strong

    def configured(self, name: str) -> bool:
        """Has what it needs to be tried: a key, a base URL (local servers) or the CLI binary."""
        family = family_of(name)
        ps = self.settings.provider_settings(name)
        if family == "claude_cli":
            import shutil

            return shutil.which("claude") is not None
        if family == "openai":
            return bool(ps.api_key or ps.base_url or name in LOCAL_SERVERS)
        return bool(ps.api_key)

    def _provider(self, name: str, family: str, model: str) -> ManagedProvider:
        key = (name, model)
        if key not in self._providers:
            self._providers[key] = ManagedProvider(self._adapter(name, family, model), name=name,
                                                   budget=self.budget, cache=self.cache)
        return self._providers[key]

    def _adapter(self, name: str, family: str, model: str) -> LLMAdapter:
        ps = self.settings.provider_settings(name)
        common: dict[str, Any] = {"api_key": ps.api_key, "base_url": ps.base_url, "timeout_s": ps.timeout_s}
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
        base = self.settings.provider_settings(name).base_url or LOCAL_SERVERS.get(name)
        return bool(base) and base.rstrip("/") != OFFICIAL_OPENAI

    # ------------------------------------------------------------------ estimates
    def _price_name(self, entry: ChainEntry) -> str:
        if entry.family == "claude_cli":
            return "claude_cli"
        if entry.family == "openai" and self._local(entry.name):
            return "offline"  # priced like offline: free
        return entry.family

    def estimate(self, requests: Iterable[LLMRequest]) -> Estimate:
        """Cost of sending these requests to each one's first-choice provider (0 when offline-only)."""
        total = Estimate()
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
            total.calls += 1
        return total

    def estimate_texts(self, section_texts: Sequence[str], jd_text: str, level: str) -> Estimate:
        """Pre-run estimate from text sizes alone (before any prompt exists), for `tailor` and the TUI.

        Mirrors the micro-task shape: one extraction over the JD, one analysis and one
        customization per section (each quoting that section plus the requirement list),
        one plan over an outline.
        """
        system = 400  # system prompt + instructions, in characters
        req_list = min(len(jd_text), 3000)
        calls: list[tuple[str, int]] = [("extract_requirements", system + len(jd_text))]
        for i, text in enumerate(section_texts):
            calls.append((f"analyze_s{i}", system + len(text)))
            calls.append((f"customize_s{i}", system + len(text) + req_list))
        calls.append(("generate_plan", system + req_list + 150 * len(section_texts)))
        total = Estimate()
        for task, chars in calls:
            plan = self.plan_for(task, level)
            tin = estimate_tokens("x" * chars) + 300  # + the schema
            tout = max(64, tin // 3)
            total.calls += 1
            total.input_tokens += tin
            total.output_tokens += tout
            if plan:
                who = self._price_name(plan[0])
                total.cost_usd += self.budget.prices.cost(who, plan[0].model, tin, tout)
                total.priced = total.priced and self.budget.prices.known(who, plan[0].model)
        if not self.names:
            return Estimate(calls=total.calls)
        return total

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
        from resume_tui.providers.doctor import how_to_configure

        raise NoProviderError(f"Provider '{provider}' is not set up: {how_to_configure(provider, family_of(provider))}.")
    if not any(router.configured(n) for n in router.names):
        return None
    return router
