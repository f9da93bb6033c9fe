"""Token estimates from text size, shared by the budget, the router and the adapters.

No tokenizer ships offline for these SDKs (SDK-NOTES §5), so estimates use ~4 characters
per token — good to ±25 % for English prose/JSON, which is what a pre-run estimate and a
cap need. This module sits below everything else in providers/ (it imports only `base`),
so an adapter can estimate a local server's usage without importing the budget.
"""

from __future__ import annotations

import json
import math

from resume_tui.providers.base import LLMRequest

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
