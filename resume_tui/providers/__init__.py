"""providers layer: LLM adapters, the chain router, budget, cache and doctor checks.

Importing this package is cheap on purpose: no SDK is imported until a provider makes
its first call (anthropic + openai + google-genai together take ~2 s to import).
"""

from resume_tui.providers.base import ErrorKind, LLMRequest, Message, Provider, ProviderError, Result

__all__ = ["ErrorKind", "LLMRequest", "Message", "Provider", "ProviderError", "Result"]
