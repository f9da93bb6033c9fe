"""The providers' own batch APIs (Anthropic Message Batches, the OpenAI Batch API and compatible servers, Gemini batch mode):
many independent model requests submitted at once, at about half the interactive price, answered
within 24 hours (usually minutes).

Only the wire protocol lives here — submit, poll, fetch results, cancel — behind one small
interface (`BatchClient`). Each result is validated against its request's schema the same way an
interactive answer is; a failed, expired or cancelled request simply has no value, so the caller
falls back to an interactive call exactly as for any failed call. What to submit, where batch ids
are kept and how results reach a run are the session layer's (session/services/batch_api.py).
SDKs are imported lazily inside each client.
"""

from __future__ import annotations

from resume_tui.providers.batch_api.base import (
    BATCH_DISCOUNT,
    BatchClient,
    BatchItem,
    BatchPoll,
    ItemOutcome,
)
from resume_tui.providers.batch_api.factory import batch_client, supports_batches

__all__ = ["BATCH_DISCOUNT", "BatchClient", "BatchItem", "BatchPoll", "ItemOutcome", "batch_client",
           "supports_batches"]
