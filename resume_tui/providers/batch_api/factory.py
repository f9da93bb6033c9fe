"""Which batch client serves a provider family (kept apart from base.py, which every client imports)."""

from __future__ import annotations

from typing import Any

from resume_tui.providers.base import ErrorKind, ProviderError
from resume_tui.providers.batch_api.base import BatchClient


def supports_batches(family: str) -> bool:
    return family in ("anthropic", "openai", "gemini")


def batch_client(family: str, model: str, **kwargs: Any) -> BatchClient:
    """The batch client for a provider family (anthropic, openai — also OpenAI-compatible servers — and gemini)."""
    if family == "anthropic":
        from resume_tui.providers.batch_api.anthropic_batch import AnthropicBatches

        return AnthropicBatches(model, **kwargs)
    if family == "openai":
        from resume_tui.providers.batch_api.openai_batch import OpenAIBatches

        return OpenAIBatches(model, **kwargs)
    if family == "gemini":
        from resume_tui.providers.batch_api.gemini_batch import GeminiBatches

        return GeminiBatches(model, **kwargs)
    raise ProviderError(ErrorKind.UNAVAILABLE, f"{family} has no batch API support here; its calls are sent one by one.",
                        family)
