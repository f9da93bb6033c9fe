"""What every batch client shares: the items, a poll's answer, one request's outcome, validation."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from resume_tui.models import Usage
from resume_tui.providers.base import ErrorKind, LLMRequest, ProviderError
from resume_tui.providers.errors_map import generic_error, redact
from resume_tui.providers.jsonout import InvalidOutput, validate

BATCH_DISCOUNT = 0.5  # both Anthropic and OpenAI bill batch requests at half the interactive price

# A poll's state, the same words for every provider.
PENDING, ENDED, EXPIRED, CANCELLED, FAILED = "pending", "ended", "expired", "cancelled", "failed"
FINAL_STATES = frozenset({ENDED, EXPIRED, CANCELLED, FAILED})

# How far back `find` looks for a batch whose creation was interrupted: the provider's clock may
# differ from ours, and the create request may have taken its time.
FIND_WINDOW = timedelta(minutes=15)
FIND_SCAN = 200  # the most recent batches looked at; a lost one is among the newest


@dataclass(frozen=True)
class BatchItem:
    custom_id: str
    request: LLMRequest  # exactly as it would be sent interactively (already redacted)


@dataclass(frozen=True)
class Intent:
    """A submission that was recorded but whose batch id never came back (a crash, a closed terminal):
    what `find` needs to recognise the batch at the provider if it was created after all."""

    tag: str  # the deterministic key of the request set, sent with the batch where the API keeps one
    custom_ids: frozenset[str]
    recorded_at: datetime  # just before the create call (UTC)
    known: frozenset[str] = frozenset()  # remote ids already accounted for: never adopt one of them


@dataclass
class BatchPoll:
    state: str  # PENDING until the provider stops working on it; then one of FINAL_STATES
    counts: dict[str, int] = field(default_factory=dict)  # done / failed / total, as far as the provider says
    message: str = ""

    @property
    def final(self) -> bool:
        return self.state in FINAL_STATES


@dataclass
class ItemOutcome:
    custom_id: str
    value: BaseModel | None  # schema-valid answer, or None (then `error` says why)
    usage: Usage = field(default_factory=Usage)
    error: str | None = None


class BatchClient(ABC):
    """One provider's batch API for one model."""

    family = "llm"
    label = "The provider"

    def __init__(self, model: str, *, api_key: str | None = None, base_url: str | None = None,
                 timeout_s: float = 60.0) -> None:
        self.model = model
        self.base_url = base_url
        self.timeout_s = timeout_s
        self._api_key = api_key
        self._client: Any = None

    @abstractmethod
    async def submit(self, items: Sequence[BatchItem], *, tag: str = "") -> str:
        """Create the batch (labelled with `tag` where the API keeps a label); returns the provider's batch id."""

    @abstractmethod
    async def find(self, intent: Intent) -> str | None:
        """The remote id of the batch this interrupted submission created, or None when the provider has none."""

    @abstractmethod
    async def poll(self, remote_id: str) -> BatchPoll: ...

    @abstractmethod
    async def results(self, remote_id: str, schemas: Mapping[str, type[BaseModel]]) -> list[ItemOutcome]:
        """Every result the provider has (partial after expiry or cancel); custom ids not listed have none."""

    @abstractmethod
    async def cancel(self, remote_id: str) -> None: ...

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    # ------------------------------------------------------------------ shared
    def _fail(self, exc: BaseException) -> ProviderError:
        err = exc if isinstance(exc, ProviderError) else self._map_error(exc)
        err.message = redact(err.message, (self._api_key,) if self._api_key else ())
        return err

    def _map_error(self, exc: BaseException) -> ProviderError:
        return generic_error(exc, self.family, self.label)

    def _outcome(self, custom_id: str, schema: type[BaseModel] | None, text: Any, finish: str | None,
                 input_tokens: int, output_tokens: int) -> ItemOutcome:
        """One answered request → a validated value, or the reason it cannot be used (like an interactive call)."""
        usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens)
        if schema is None:
            return ItemOutcome(custom_id, None, usage, "the provider returned a result for a request we did not send")
        if finish == "length":
            return ItemOutcome(custom_id, None, usage, f"{self.label} stopped at the output token limit")
        if finish is None:
            return ItemOutcome(custom_id, None, usage, f"{self.label} ended the answer without a stop reason")
        try:
            return ItemOutcome(custom_id, validate(schema, text if text is not None else ""), usage)
        except InvalidOutput as bad:
            what = "was not valid JSON" if bad.kind == ErrorKind.PARSE_ERROR else "did not match the expected structure"
            return ItemOutcome(custom_id, None, usage, f"{self.label}'s answer {what} ({bad.detail[:120]})")

