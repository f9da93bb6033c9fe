"""Pre-run estimates: tokens and cost of a run from text sizes, before any prompt exists.

Used by `tailor` (printed before running) and the TUI's confirmation step. It prices the
first-choice provider of each call from the catalog and the price table alone, so the
budget can offer `estimate_run` without importing the router (they used to import each
other).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from resume_tui.config import Settings
from resume_tui.providers.catalog import configured, plan_for, price_name_of
from resume_tui.providers.prices import FREE_PROVIDERS, PriceTable
from resume_tui.providers.tokens import estimate_tokens


@dataclass
class Estimate:
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    priced: bool = True  # False when a model had no price (cost shown as unknown)
    calls: int = 0
    unpriced_tokens: int = 0  # tokens for models missing from the price table (not in cost_usd)
    free: bool = False  # every call goes to a local server or the CLI subscription: no per-token charge

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def cost_text(self) -> str:
        """"~$0.0410", "unknown price", "no per-token charge" — never a "$0.0000" that only means we do not know."""
        if self.free:
            return "no per-token charge (local server or subscription)"
        if self.priced or not self.unpriced_tokens and self.cost_usd:
            return f"~${self.cost_usd:.4f}"
        if self.unpriced_tokens < self.total_tokens and self.cost_usd:
            return f"~${self.cost_usd:.4f} plus unknown price for ~{self.unpriced_tokens:,} tokens (model not in the price table)"
        return "unknown price (model not in the price table; the cost cap counts its tokens)"

    def describe(self) -> str:
        if self.calls == 0 or self.total_tokens == 0:
            return "offline only: no model calls, no cost"
        return f"{self.calls} calls, ~{self.total_tokens:,} tokens, {self.cost_text()}"


def estimate_texts(settings: Settings, names: Sequence[str], prices: PriceTable, section_texts: Sequence[str],
                   jd_text: str, level: str) -> Estimate:
    """Mirrors the micro-task shape: one extraction over the JD, one analysis and one
    customization per section (each quoting that section plus the requirement list),
    one plan over an outline."""
    system = 400  # system prompt + instructions, in characters
    req_list = min(len(jd_text), 3000)
    calls: list[tuple[str, int]] = [("extract_requirements", system + len(jd_text))]
    for i, text in enumerate(section_texts):
        calls.append((f"analyze_s{i}", system + len(text)))
        calls.append((f"customize_s{i}", system + len(text) + req_list))
    calls.append(("generate_plan", system + req_list + 150 * len(section_texts)))
    total = Estimate(free=True)
    for task, chars in calls:
        plan = plan_for(settings, names, task, level)
        tin = estimate_tokens("x" * chars) + 300  # + the schema
        tout = max(64, tin // 3)
        total.calls += 1
        total.input_tokens += tin
        total.output_tokens += tout
        if plan:
            who = price_name_of(settings, plan[0])
            total.cost_usd += prices.cost(who, plan[0].model, tin, tout)
            known = prices.known(who, plan[0].model)
            total.priced = total.priced and known
            total.unpriced_tokens += 0 if known else tin + tout
            total.free = total.free and who in FREE_PROVIDERS
    if not names:
        return Estimate(calls=total.calls)
    return total


def estimate_run(resume: object, job: object, *, settings: Settings | None = None, level: object = "moderate") -> Estimate:
    """Pre-run estimate for a resume + JD with the configured chain (the TUI's confirm step).

    Same figure as `Router.estimate_texts`, which `tailor` prints; zero when the chain is
    offline-only. Accepts the domain objects so callers need not know the prompt shapes.
    """
    settings = settings or Settings()
    names = [n for n in settings.chain() if n != "offline"]
    if not any(configured(settings, n) for n in names):
        return Estimate(calls=0, priced=True)
    texts = [s.text() for s in getattr(resume, "sections", [])]
    return estimate_texts(settings, names, PriceTable(settings.prices), texts, getattr(job, "text", str(job)),
                          str(getattr(level, "value", level)))
