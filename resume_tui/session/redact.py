"""Keep API keys out of everything we write (database rows, events, logs, exports).

Known key values (from the environment and the config file) are replaced verbatim, and
common key shapes are masked too, so a key echoed inside a provider's error message is
caught even if it was never configured here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "[redacted]"

# Anthropic sk-ant-…, OpenAI sk-… / sk-proj-…, Google AIza…, bearer tokens in headers.
_SHAPES = re.compile(
    r"sk-(?:ant-|proj-)?[A-Za-z0-9_\-]{16,}"
    r"|AIza[0-9A-Za-z_\-]{30,}"
    r"|(?i:bearer\s+)[A-Za-z0-9._\-]{16,}"
)


class Redactor:
    """Callable that masks secrets in a string; cheap enough to run on every event."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first so a key that contains another is masked whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def learn(self, secrets: Iterable[str]) -> None:
        """Also mask these (a key saved from the Settings screen after the store opened); the list
        is replaced in one assignment, so a writer thread sees the old list or the new one."""
        self.secrets = sorted({*self.secrets, *(s for s in secrets if s and len(s) >= 6)}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        if "sk-" in text or "AIza" in text or "earer" in text:
            text = _SHAPES.sub(MASK, text)
        return text


def env_secrets() -> list[str]:
    """Key values present in the environment (used when no Settings object is at hand)."""
    import os

    from resume_tui.config import PROVIDER_KEY_ENV

    return [os.environ[n] for names in PROVIDER_KEY_ENV.values() for n in names if os.environ.get(n)]


class RedactingFilter(logging.Filter):
    """Attach to any log handler: formats the record, then masks keys in the final text."""

    def __init__(self, redactor: Redactor | None = None) -> None:
        super().__init__()
        self.redactor = redactor or Redactor(env_secrets())

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redactor(record.getMessage())
        record.args = None
        return True
