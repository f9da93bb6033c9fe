"""The one thing the pipeline needs from the providers layer: an ordered chain per task.

`chain_for` returns the providers to try, first choice first, for a task name such as
"extract_requirements" or "customize_s2" at a customization level. The offline engine is
NOT in the chain: the pipeline falls back to each task's offline implementation itself
when the chain is empty or exhausted. `router=None` means offline-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from resume_tui.providers.base import Provider


@runtime_checkable
class ChainRouter(Protocol):
    def chain_for(self, task: str, level: str) -> Sequence[Provider]: ...


def provider_label(provider: Provider) -> str:
    name = getattr(provider, "name", type(provider).__name__)
    model = getattr(provider, "model", "")
    return f"{name}/{model}" if model else str(name)
