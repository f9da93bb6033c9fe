"""Per-session caps enforced before each call, and the estimate of a batch of requests.

Estimates use ~4 characters per token (tokens.py says why); actual usage reported by each
provider replaces the estimate once a call ends. The price table (prices.py), the token
estimates (tokens.py) and the pre-run estimate (estimate.py) live in modules of their own
and are re-exported here, so this module imports nothing above it in providers/.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from resume_tui.errors import BudgetExceeded
from resume_tui.models import Usage
from resume_tui.providers.base import ErrorKind, LLMRequest, ProviderError
from resume_tui.providers.estimate import Estimate, estimate_run
from resume_tui.providers.prices import FREE_PROVIDERS, PriceTable
from resume_tui.providers.tokens import (
    CHARS_PER_TOKEN,
    MESSAGE_OVERHEAD,
    estimate_request_tokens,
    estimate_tokens,
)

__all__ = ["CHARS_PER_TOKEN", "FREE_PROVIDERS", "MESSAGE_OVERHEAD", "Budget", "Estimate", "PriceTable", "budget_exceeded",
           "estimate_request_tokens", "estimate_run", "estimate_tokens"]


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
    def from_settings(cls, settings: object, spent: Usage | None = None) -> Budget:
        budget_cfg = getattr(settings, "budget", None)
        return cls(max_tokens=getattr(budget_cfg, "max_tokens", None), max_usd=getattr(budget_cfg, "max_usd", None),
                   prices=PriceTable(getattr(settings, "prices", None)), spent=spent or Usage())

    def estimate(self, provider: str, model: str, requests: Iterable[LLMRequest]) -> Estimate:
        est = Estimate(priced=self.prices.known(provider, model), free=provider in FREE_PROVIDERS)
        for req in requests:
            tin, tout = estimate_request_tokens(req)
            est.input_tokens += tin
            est.output_tokens += tout
            est.calls += 1
        est.cost_usd = self.prices.cost(provider, model, est.input_tokens, est.output_tokens)
        est.unpriced_tokens = 0 if est.priced else est.total_tokens
        return est

    def counted_usd(self) -> float:
        """What the cost cap counts as spent: priced calls at their price, calls to a model with an
        unknown price by their tokens, at the dearest listed price (never as $0)."""
        return self.spent.cost_usd + self.prices.unknown_cost(self.spent.unpriced_tokens)

    def reserve(self, provider: str, model: str, request: LLMRequest) -> tuple[int, float]:
        """Check the caps for one call and hold its estimate; raise ProviderError(BUDGET) if over.

        A model missing from the price table cannot be priced, so the cost cap counts its
        tokens instead (prices.unknown_cost), and the refusal says it in tokens."""
        tin, tout = estimate_request_tokens(request)
        tokens = tin + tout
        known = self.prices.known(provider, model)
        usd = self.prices.cost(provider, model, tin, tout) if known else self.prices.unknown_cost(tokens)
        if self.max_tokens is not None and self.spent.total_tokens + self._reserved_tokens + tokens > self.max_tokens:
            raise ProviderError(ErrorKind.BUDGET, f"The session token cap ({self.max_tokens:,}) would be exceeded by the next call "
                                f"({self.spent.total_tokens:,} used); raise budget.max_tokens or continue offline.", provider)
        if self.max_usd is not None and usd > 0 and self.counted_usd() + self._reserved_usd + usd > self.max_usd:
            if not known:
                per_m = self.prices.dearest()
                left = max(0, int((self.max_usd - self.counted_usd() - self._reserved_usd) / per_m * 1_000_000))
                raise ProviderError(ErrorKind.BUDGET, f"{model} has no price in the price table, so the ${self.max_usd:.2f} "
                                    f"cap counts its tokens (at the dearest listed price, ${per_m:g} per million): the next "
                                    f"call (~{tokens:,} tokens) would pass it, {left:,} tokens are left; add its price under "
                                    f'[prices."{model}"] in config.toml, raise budget.max_usd or continue offline.', provider)
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
        return None if self.max_usd is None else max(0.0, self.max_usd - self.counted_usd())


def budget_exceeded(error: ProviderError) -> BudgetExceeded:
    """The user-facing error (exit code 3) for a BUDGET ProviderError."""
    return BudgetExceeded(error.message)
