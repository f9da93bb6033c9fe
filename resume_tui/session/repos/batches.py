"""Provider batches and the batch jobs that submitted them, so a crash or a closed terminal loses nothing.

A batch job is one `resume-tui batch` invocation (its arguments, to run it again on `--resume`).
A provider batch is one submission to a provider's batch API: its remote id, its state, and one
row per request (custom id → the response-cache key its answer fills, and what became of it).
A batch is recorded *before* it is submitted (state "submitting", with the key of its request set
and each request as sent) and gets its remote id in the same instant it is known, so a request is
never sent twice: open keys are never submitted again, and a "submitting" row left by a crash
between the provider's answer and our save is reconciled with the provider before anything is
resent (session/services/batch_reconcile.py).

The tables are created on first use under their own component in `schema_version`, beside the
session schema, which they do not change.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from resume_tui.session.base import _guarded, _now, new_id
from resume_tui.session.repos.database import Repo

COMPONENT, VERSION = "provider_batches", 2
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS batch_jobs (
        id TEXT PRIMARY KEY, state TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        args TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS provider_batches (
        id TEXT PRIMARY KEY, job_id TEXT NOT NULL, provider TEXT NOT NULL, family TEXT NOT NULL,
        model TEXT NOT NULL, remote_id TEXT, state TEXT NOT NULL, created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL, input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0, cost_usd REAL NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE IF NOT EXISTS provider_batch_items (
        batch_id TEXT NOT NULL, custom_id TEXT NOT NULL, cache_key TEXT NOT NULL, task TEXT NOT NULL,
        schema TEXT NOT NULL, state TEXT NOT NULL, error TEXT, PRIMARY KEY (batch_id, custom_id))""",
    "CREATE INDEX IF NOT EXISTS provider_batches_job ON provider_batches(job_id)",
    "CREATE INDEX IF NOT EXISTS provider_batch_items_key ON provider_batch_items(cache_key)",
)
# Version 2: the request set's key on the batch and each request as sent, to reconcile an interrupted submission.
_ADDED = (("provider_batches", "request_key", "TEXT NOT NULL DEFAULT ''"), ("provider_batch_items", "request", "TEXT"))
OPEN_STATES = ("submitting", "pending")


@dataclass
class BatchItemRow:
    custom_id: str
    cache_key: str
    task: str
    schema: str  # "module:QualName" of the answer's pydantic schema
    state: str = "pending"  # pending | done | failed
    error: str | None = None
    request: str | None = None  # the request as sent (JSON), to send it again if its submission was lost


@dataclass
class ProviderBatch:
    id: str
    job_id: str
    provider: str
    family: str
    model: str
    remote_id: str | None
    state: str  # submitting | pending | ended | expired | cancelled | failed | lost
    items: list[BatchItemRow] = field(default_factory=list)
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    message: str = ""
    request_key: str = ""  # the key of the request set (sent as the batch's label where the API keeps one)
    created_at: str = ""  # when it was recorded, just before the create call


class BatchRepo(Repo):
    _ready = False

    def _ensure(self) -> None:
        if self._ready:
            return
        with self.db.tx() as conn:
            for statement in _SCHEMA:
                conn.execute(statement)
            for table, column, kind in _ADDED:  # a version-1 database gains the columns in place
                if column not in {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
            conn.execute("INSERT INTO schema_version (component, version) VALUES (?, ?) ON CONFLICT(component) "
                         "DO UPDATE SET version = MAX(version, excluded.version)", (COMPONENT, VERSION))
        self._ready = True

    def exists(self) -> bool:
        """Whether any batch was ever recorded here (reading never creates the tables: a read-only database stays so)."""
        if self._ready:
            return True
        with self.db.lock:
            row = self.db.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'provider_batches'"
                                       ).fetchone()
        return row is not None

    # ------------------------------------------------------------------ jobs
    @_guarded
    def create_job(self, args: dict[str, Any], job_id: str | None = None) -> str:
        self._ensure()
        job_id = job_id or new_id("b")
        now = _now()
        with self.db.tx() as conn:
            conn.execute("INSERT OR IGNORE INTO batch_jobs (id, state, created_at, updated_at, args) VALUES (?,?,?,?,?)",
                         (job_id, "running", now, now, json.dumps(args)))
        return job_id

    @_guarded
    def finish_job(self, job_id: str, state: str = "done") -> None:
        self._ensure()
        with self.db.tx() as conn:
            conn.execute("UPDATE batch_jobs SET state = ?, updated_at = ? WHERE id = ?", (state, _now(), job_id))

    @_guarded
    def job(self, job_id: str | None = None) -> tuple[str, str, dict[str, Any]] | None:
        """(id, state, args) of the given job, or of the newest one not done; None when there is none."""
        self._ensure()
        with self.db.lock:
            if job_id:
                row = self.db.conn.execute("SELECT id, state, args FROM batch_jobs WHERE id = ? OR id LIKE ?",
                                           (job_id, job_id + "%")).fetchone()
            else:
                row = self.db.conn.execute("SELECT id, state, args FROM batch_jobs WHERE state != 'done' "
                                           "ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()
        return (row[0], row[1], json.loads(row[2])) if row else None

    # ------------------------------------------------------------------ provider batches
    @_guarded
    def record(self, job_id: str, provider: str, family: str, model: str, items: Sequence[BatchItemRow], *,
               request_key: str = "") -> str:
        """Before submitting: the batch (with the key of its request set) and its requests, state "submitting"."""
        self._ensure()
        local_id = new_id("pb")
        now = _now()
        with self.db.tx() as conn:
            conn.execute("INSERT INTO provider_batches (id, job_id, provider, family, model, remote_id, state, created_at, "
                         "updated_at, request_key) VALUES (?,?,?,?,?,?,?,?,?,?)",
                         (local_id, job_id, provider, family, model, None, "submitting", now, now, request_key))
            conn.executemany("INSERT INTO provider_batch_items (batch_id, custom_id, cache_key, task, schema, state, "
                             "request) VALUES (?,?,?,?,?,?,?)",
                             [(local_id, i.custom_id, i.cache_key, i.task, i.schema, "pending", i.request)
                              for i in items])
        return local_id

    @_guarded
    def submitted(self, local_id: str, remote_id: str) -> None:
        self._ensure()
        with self.db.tx() as conn:
            conn.execute("UPDATE provider_batches SET remote_id = ?, state = 'pending', updated_at = ? WHERE id = ?",
                         (remote_id, _now(), local_id))

    @_guarded
    def close(self, local_id: str, state: str, outcomes: Sequence[tuple[str, str, str | None]] = (), *,
              input_tokens: int = 0, output_tokens: int = 0, cost_usd: float = 0.0, message: str = "") -> None:
        """The batch's final state and each request's (custom id, done|failed, error), in one transaction."""
        self._ensure()
        with self.db.tx() as conn:
            conn.execute("UPDATE provider_batches SET state = ?, updated_at = ?, input_tokens = ?, output_tokens = ?, "
                         "cost_usd = ?, message = ? WHERE id = ?",
                         (state, _now(), input_tokens, output_tokens, cost_usd, message, local_id))
            conn.executemany("UPDATE provider_batch_items SET state = ?, error = ? WHERE batch_id = ? AND custom_id = ?",
                             [(s, e, local_id, cid) for cid, s, e in outcomes])
            conn.execute("UPDATE provider_batch_items SET state = 'failed', error = COALESCE(error, ?) "
                         "WHERE batch_id = ? AND state = 'pending'", ("the provider returned no result for it", local_id))

    @_guarded
    def batches(self, job_id: str | None = None, *, open_only: bool = False) -> list[ProviderBatch]:
        self._ensure()
        where, params = [], []
        if job_id:
            where.append("job_id = ?")
            params.append(job_id)
        if open_only:
            where.append("state IN ('submitting', 'pending')")
        sql = ("SELECT id, job_id, provider, family, model, remote_id, state, input_tokens, output_tokens, cost_usd, message, "
               "request_key, created_at FROM provider_batches" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY created_at, id")
        with self.db.read() as conn:
            rows = conn.execute(sql, params).fetchall()
            out = []
            for r in rows:
                items = [BatchItemRow(*i) for i in conn.execute(
                    "SELECT custom_id, cache_key, task, schema, state, error, request FROM provider_batch_items "
                    "WHERE batch_id = ? "
                    "ORDER BY custom_id", (r[0],))]
                out.append(ProviderBatch(id=r[0], job_id=r[1], provider=r[2], family=r[3], model=r[4], remote_id=r[5],
                                         state=r[6], items=items, input_tokens=r[7], output_tokens=r[8],
                                         cost_usd=r[9], message=r[10], request_key=r[11], created_at=r[12]))
        return out

    @_guarded
    def pending_keys(self) -> set[str]:
        """Cache keys some open batch is answering — or may be, when its submission was interrupted
        ("submitting" until reconciled with the provider): never submit them again."""
        self._ensure()
        with self.db.lock:
            rows = self.db.conn.execute(
                "SELECT i.cache_key FROM provider_batch_items i JOIN provider_batches b ON b.id = i.batch_id "
                "WHERE b.state IN ('submitting', 'pending') AND i.state = 'pending'").fetchall()
        return {r[0] for r in rows}

    @_guarded
    def remote_ids(self, provider: str) -> set[str]:
        """Every batch id this provider gave us: a lost submission is never matched to one of them."""
        self._ensure()
        with self.db.lock:
            rows = self.db.conn.execute("SELECT remote_id FROM provider_batches WHERE provider = ? AND remote_id IS NOT "
                                        "NULL", (provider,)).fetchall()
        return {r[0] for r in rows}

    @_guarded
    def open_jobs(self) -> list[str]:
        """Jobs with a provider batch still open (oldest first): what `collect` has to visit."""
        self._ensure()
        with self.db.lock:
            rows = self.db.conn.execute("SELECT job_id, MIN(created_at) FROM provider_batches WHERE state IN "
                                        "('submitting', 'pending') GROUP BY job_id ORDER BY 2").fetchall()
        return [r[0] for r in rows]
