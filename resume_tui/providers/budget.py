"""Token/cost estimates before a run, and per-session caps enforced before each call.

No tokenizer ships offline for these SDKs (SDK-NOTES §5), so estimates use ~4 characters
per token — good to ±25 % for English prose/JSON, which is what a pre-run estimate and a
cap need. Actual usage reported by each provider replaces the estimate once a call ends.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib import resources
from typing import Iterable, Mapping

from resume_tui.errors import BudgetExceeded
from resume_tui.models import Usage
from resume_tui.providers.base import ErrorKind, LLMRequest, ProviderError

CHARS_PER_TOKEN = 4.0
MESSAGE_OVERHEAD = 4  # role/format tokens per message


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN) if text else 0


def estimate_request_tokens(request: LLMRequest) -> tuple[int, int]:
    """(input, expected output) tokens for one request, schema included (it is sent too)."""
    schema = json.dumps(request.schema.model_json_schema(), separators=(",", ":"))
    tokens_in = sum(estimate_tokens(m.content) + MESSAGE_OVERHEAD for m in request.messages) + estimate_tokens(schema)
    # Answers here are JSON about the input: rarely longer than half of it, never past the cap.
    tokens_out = min(request.max_output_tokens, max(64, tokens_in // 2))
    return tokens_in, tokens_out


class PriceTable:
    """USD per million tokens; the bundled prices.json overlaid with Settings.prices."""

    def __init__(self, overrides: Mapping[str, Mapping[str, float]] | None = None) -> None:
        raw = json.loads(resources.files("resume_tui.providers").joinpath("prices.json").read_text(encoding="utf-8"))
        self._prices: dict[str, tuple[float, float]] = {
            k: (float(v["input"]), float(v["output"])) for k, v in raw.items() if not k.startswith("_")}
        for model, price in (overrides or {}).items():
            base = self._prices.get(model, (0.0, 0.0))
            self._prices[model] = (float(price.get("input", base[0])), float(price.get("output", base[1])))

    def lookup(self, model: str) -> tuple[float, float] | None:
        """Exact name, else the longest known prefix ("claude-sonnet-4-5-2025…" → "claude-sonnet-4")."""
        if model in self._prices:
            return self._prices[model]
        best = max((k for k in self._prices if model.startswith(k)), key=len, default=None)
        return self._prices[best] if best else None

    def cost(self, provider: str, model: str, input_tokens: int, output_tokens: int) -> float:
        if provider in FREE_PROVIDERS:
            return 0.0
        price = self.lookup(model)
        if price is None:
            return 0.0
        return (input_tokens * price[0] + output_tokens * price[1]) / 1_000_000

    def known(self, provider: str, model: str) -> bool:
        return provider in FREE_PROVIDERS or self.lookup(model) is not None


FREE_PROVIDERS = frozenset({"offline", "claude_cli"})  # the CLI runs on the user's subscription


@dataclass
class Estimate:
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    priced: bool = True  # False when a model had no price (cost shown as unknown)
    calls: int = 0

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def describe(self) -> str:
        if self.calls == 0 or self.total_tokens == 0:
            return "offline only: no model calls, no cost"
        cost = f"~${self.cost_usd:.4f}" if self.priced else "unknown cost (model not in the price table)"
        return f"{self.calls} calls, ~{self.total_tokens:,} tokens, {cost}"


@dataclass
class Budget:
    """Per-session caps; `spent` can be seeded from the session store when a session resumes.

    `reserve` happens before a call (estimate), `settle` after it (actual), so concurrent
    tasks cannot jointly overshoot a cap by starting at the same time.
    """

    max_tokens: int | None = None
    max_usd: float | None = None
    prices: PriceTable = field(default_factory=PriceTable)
    spent: Usage = field(default_factory=Usage)
    _reserved_tokens: int = 0
    _reserved_usd: float = 0.0

    @classmethod
    def from_settings(cls, settings: object, spent: Usage | None = None) -> "Budget":
        budget_cfg = getattr(settings, "budget", None)
        return cls(max_tokens=getattr(budget_cfg, "max_tokens", None), max_usd=getattr(budget_cfg, "max_usd", None),
                   prices=PriceTable(getattr(settings, "prices", None)), spent=spent or Usage())

    def estimate(self, provider: str, model: str, requests: Iterable[LLMRequest]) -> Estimate:
        est = Estimate(priced=self.prices.known(provider, model))
        for req in requests:
            tin, tout = estimate_request_tokens(req)
            est.input_tokens += tin
            est.output_tokens += tout
            est.calls += 1
        est.cost_usd = self.prices.cost(provider, model, est.input_tokens, est.output_tokens)
        return est

    def reserve(self, provider: str, model: str, request: LLMRequest) -> tuple[int, float]:
        """Check the caps for one call and hold its estimate; raise ProviderError(BUDGET) if over."""
        tin, tout = estimate_request_tokens(request)
        tokens = tin + tout
        usd = self.prices.cost(provider, model, tin, tout)
        if self.max_tokens is not None and self.spent.total_tokens + self._reserved_tokens + tokens > self.max_tokens:
            raise ProviderError(ErrorKind.BUDGET, f"The session token cap ({self.max_tokens:,}) would be exceeded by the next call "
                                f"({self.spent.total_tokens:,} used); raise budget.max_tokens or continue offline.", provider)
        if self.max_usd is not None and usd > 0 and self.spent.cost_usd + self._reserved_usd + usd > self.max_usd:
            raise ProviderError(ErrorKind.BUDGET, f"The session cost cap (${self.max_usd:.2f}) would be exceeded by the next call "
                                f"(${self.spent.cost_usd:.4f} spent); raise budget.max_usd or continue offline.", provider)
        self._reserved_tokens += tokens
        self._reserved_usd += usd
        return tokens, usd

    def settle(self, reservation: tuple[int, float], actual: Usage) -> None:
        self._reserved_tokens -= reservation[0]
        self._reserved_usd -= reservation[1]
        self.spent = self.spent + actual

    def remaining_usd(self) -> float | None:
        return None if self.max_usd is None else max(0.0, self.max_usd - self.spent.cost_usd)


def budget_exceeded(error: ProviderError) -> BudgetExceeded:
    """The user-facing error (exit code 3) for a BUDGET ProviderError."""
    return BudgetExceeded(error.message)


def estimate_run(resume: object, job: object, *, settings: object | None = None, level: object = "moderate") -> Estimate:
    """Pre-run estimate for a resume + JD with the configured chain (the TUI's confirm step).

    Same figure as `Router.estimate_texts`, which `tailor` prints; zero when the chain is
    offline-only. Accepts the domain objects so callers need not know the prompt shapes.
    """
    from resume_tui.providers.router import Router  # router imports this module

    sections = getattr(resume, "sections", [])
    texts = [s.text() for s in sections]
    router = Router(settings, cache=False) if settings is not None else Router(cache=False)
    if not any(router.configured(n) for n in router.names):
        return Estimate(calls=0, priced=True)
    return router.estimate_texts(texts, getattr(job, "text", str(job)), str(getattr(level, "value", level)))
