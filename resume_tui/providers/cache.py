"""Response cache in the app's SQLite file, so re-running identical inputs costs nothing.

Key = sha256 over (provider identity, model, the prompt messages, the schema JSON). The
provider identity is the family plus a non-default base URL — never an API key, which is
neither hashed nor stored. The session store shares this database file (WAL); we only
ever create and touch the `cache` table.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from resume_tui.providers.base import LLMRequest

DB_NAME = "resume-tui.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cache (
    key TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    task TEXT NOT NULL,
    value TEXT NOT NULL,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
)
"""


def cache_key(provider: str, model: str, request: LLMRequest) -> str:
    payload = {
        "provider": provider,
        "model": model,
        "messages": [[m.role, m.content] for m in request.messages],
        "schema": request.schema.model_json_schema(),
        "max_output_tokens": request.max_output_tokens,
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """Small, thread-safe wrapper; one connection, short transactions."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            from resume_tui.config import db_path  # the one file shared with the session store

            path = db_path()
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=5000")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: consistent after a crash, no fsync per answer
            conn.execute(_SCHEMA)
            self._conn = conn
        return self._conn

    def get(self, key: str, schema: type[BaseModel]) -> tuple[BaseModel, int, int] | None:
        """(value, original input tokens, original output tokens) or None; stale rows are misses."""
        try:
            with self._lock:
                row = self._db().execute("SELECT value, input_tokens, output_tokens FROM cache WHERE key = ?", (key,)).fetchone()
        except (sqlite3.Error, OSError):
            row = None  # a locked/corrupt/unwritable cache must never break a run
        if row is None:
            self.misses += 1
            return None
        try:
            value = schema.model_validate_json(row[0])
        except ValidationError:  # the schema changed since this row was written
            self.misses += 1
            return None
        self.hits += 1
        return value, int(row[1]), int(row[2])

    def put(self, key: str, provider: str, model: str, task: str, value: BaseModel, input_tokens: int, output_tokens: int) -> None:
        try:
            with self._lock:
                self._db().execute(
                    "INSERT OR REPLACE INTO cache (key, provider, model, task, value, input_tokens, output_tokens, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (key, provider, model, task, value.model_dump_json(), input_tokens, output_tokens, time.time()))
        except (sqlite3.Error, OSError):
            pass  # caching is an optimisation; failing to store is not an error for the run

    def prune(self, max_age_days: float) -> int:
        """Drop answers older than `max_age_days` (for `sessions prune`); returns rows removed."""
        cutoff = time.time() - max_age_days * 86400
        try:
            with self._lock:
                return self._db().execute("DELETE FROM cache WHERE created_at < ?", (cutoff,)).rowcount
        except (sqlite3.Error, OSError):
            return 0

    def clear(self) -> int:
        with self._lock:
            return self._db().execute("DELETE FROM cache").rowcount

    def stats(self) -> dict[str, Any]:
        with self._lock:
            rows = self._db().execute("SELECT COUNT(*) FROM cache").fetchone()[0]
        return {"rows": rows, "hits": self.hits, "misses": self.misses, "path": str(self.path)}

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
