"""The price table: USD per million tokens, bundled prices.json overlaid with Settings.prices.

Its own module so that the budget, the router's estimates and doctor can all price a call
without importing one another (they used to form an import circle through the budget).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources

FREE_PROVIDERS = frozenset({"offline", "claude_cli"})  # the CLI runs on the user's subscription


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

    def dearest(self) -> float:
        """The highest listed price, USD per million tokens: what a cost cap charges a token of a
        model whose price is unknown, so the cap holds whatever that price turns out to be
        (for any model priced at most like the dearest one listed)."""
        return max((max(p) for p in self._prices.values()), default=0.0)

    def unknown_cost(self, tokens: int) -> float:
        """What a cost cap counts for `tokens` at an unknown price: the dearest listed price."""
        return tokens * self.dearest() / 1_000_000
