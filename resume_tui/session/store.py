"""The session store: everything a person did, kept across crashes, closed terminals and days.

A plain synchronous API (thread-safe: one connection behind a lock) that the UI calls
off its thread through `AsyncStore` (asyncio.to_thread). State that must agree — a
workflow transition and its event, a decision and its event, an approval and its audit
row — is written in one transaction, so a kill -9 at any instant leaves either both or
neither. Events are the history; the tables are the current state derived with them.

`Store` is assembled from mixins by concern: sessions and changes here, runs/tasks/locks
in runs.py, versions and the audit log in records.py, the event log in eventlog.py.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from resume_tui.config import Settings, db_path
from resume_tui.errors import InputError
from resume_tui.models import (
    Change,
    ChangeStatus,
    GapReport,
    JobDescription,
    Resume,
    RunStatus,
    Session,
    WorkflowState,
    utcnow,
)
from resume_tui.session import db
from resume_tui.session.base import _dt, _guarded, _now, as_enum, new_id
from resume_tui.session.db import StoreCorrupt, StoreError
from resume_tui.session.eventlog import EventLogMixin
from resume_tui.session.events import dumps, normalize
from resume_tui.session.locks import FileLock, LockBusy
from resume_tui.session.records import AuditEntry, RecordsMixin, VersionInfo
from resume_tui.session.redact import Redactor, env_secrets
from resume_tui.session.runs import ResumePoint, RunBusy, RunsMixin, StoredTask
from resume_tui.session.workflow import Transition, transition

_SECRET_KEYS = ("api_key", "apikey", "secret", "password", "authorization", "token_value")


class SessionNotFound(InputError):
    """No session with that id (or id prefix)."""


@dataclass(frozen=True)
class SessionSummary:
    id: str
    title: str
    state: WorkflowState
    stale: list[WorkflowState]
    created_at: datetime
    updated_at: datetime
    runs: int = 0
    last_run_status: RunStatus | None = None
    changes: int = 0
    accepted: int = 0
    rejected: int = 0






def _title(session_doc: dict[str, Any]) -> str:
    named = (session_doc.get("settings") or {}).get("name")  # given by the user (session/housekeeping.py)
    if isinstance(named, str) and named.strip():
        return named
    resume = session_doc.get("resume") or {}
    job = session_doc.get("job") or {}
    name = (resume.get("contact") or {}).get("name") or ""
    role = " @ ".join(x for x in (job.get("title"), job.get("company")) if x)
    return " → ".join(x for x in (name, role) if x)


def _scrub_settings(value: Any) -> Any:
    """Drop anything that looks like a credential from a settings mapping before storing it."""
    if isinstance(value, dict):
        return {k: _scrub_settings(v) for k, v in value.items() if not any(s in str(k).lower() for s in _SECRET_KEYS)}
    if isinstance(value, list):
        return [_scrub_settings(v) for v in value]
    return value


class Store(RunsMixin, RecordsMixin, EventLogMixin):
    """Open with `Store.open()` (default path: data_dir()/resume-tui.sqlite3)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        settings: Settings | None = None,
        timeout_s: float = db.BUSY_TIMEOUT_S,
        recover: bool = True,
    ) -> None:
        self.path = Path(path) if path is not None else db_path()
        self.lock_dir = self.path.parent / "locks"
        self.redact = Redactor(settings.secrets() if settings is not None else env_secrets())
        self.notice: str | None = None  # one sentence for the UI when something was repaired
        self.moved_aside: Path | None = None
        self.recovered_runs: list[str] = []
        self.migrated_from: int | None = None
        self._lock = threading.RLock()
        self._run_locks: dict[str, FileLock] = {}
        self._conn = self._open(timeout_s, recover)

    @classmethod
    def open(cls, path: Path | None = None, **kwargs: Any) -> Store:
        return cls(path, **kwargs)

    # ------------------------------------------------------------------ opening

    def _open(self, timeout_s: float, recover: bool) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._connect_checked(timeout_s)
        except (sqlite3.Error, OSError) as exc:
            if not db.is_corruption(exc) or not self.path.exists():
                raise db.describe(exc, self.path) from None
            if not recover:
                raise StoreCorrupt(
                    f"The session database {self.path} is damaged ({exc}); move it aside or run resume-tui to start fresh."
                ) from None
            try:
                self.moved_aside = db.move_aside(self.path)
                conn = self._connect_checked(timeout_s)
            except (sqlite3.Error, OSError) as again:
                raise db.describe(again, self.path) from None
            self.notice = (
                f"The session database was damaged; it was kept as {self.moved_aside.name} "
                "and a fresh one was started."
            )
        try:
            self.migrated_from = db.migrate(conn)
            self._conn = conn
            self.recovered_runs = self.recover_interrupted()
        except (sqlite3.Error, OSError) as exc:
            conn.close()
            raise db.describe(exc, self.path) from None
        except BaseException:
            conn.close()
            raise
        return conn

    def _connect_checked(self, timeout_s: float) -> sqlite3.Connection:
        conn = db.connect(self.path, timeout_s=timeout_s)
        problems = db.quick_check(conn)
        if problems:
            conn.close()
            raise sqlite3.DatabaseError(f"database disk image is malformed: {problems[0]}")
        return conn

    def close(self) -> None:
        with self._lock:
            for lock in self._run_locks.values():
                lock.release()
            self._run_locks.clear()
            try:
                self._conn.close()
            except sqlite3.Error:
                pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; BEGIN IMMEDIATE takes the write lock up front (busy_timeout waits)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for multi-statement reads."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")

    def _json(self, value: Any) -> str:
        return self.redact(dumps(value))

    def _emit(self, conn: sqlite3.Connection, type: str, *, session_id: str | None, run_id: str | None = None, **payload: Any) -> dict[str, Any]:
        row = normalize({"type": type, "session_id": session_id, "run_id": run_id, "payload": payload})
        self._insert_event(conn, row)
        return row

    def _insert_event(self, conn: sqlite3.Connection, row: dict[str, Any]) -> bool:
        cur = conn.execute(
            "INSERT OR IGNORE INTO events (event_id, run_id, session_id, seq, type, ts, payload) VALUES (?,?,?,?,?,?,?)",
            (row["event_id"], row["run_id"], row["session_id"], row["seq"], row["type"], row["ts"], self._json(row["payload"])),
        )
        return cur.rowcount == 1

    # ------------------------------------------------------------------ sessions

    @_guarded
    def create_session(self, *, settings: dict[str, Any] | None = None, session_id: str | None = None) -> Session:
        session = Session(id=session_id or new_id(), settings=_scrub_settings(settings or {}))
        doc = self._session_doc(session)
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO sessions (id, state, created_at, updated_at, data, title, stale) VALUES (?,?,?,?,?,?,?)",
                (session.id, session.state.value, session.created_at.isoformat(), session.updated_at.isoformat(), self._json(doc), "", "[]"),
            )
            self._emit(conn, "session_created", session_id=session.id)
        return session

    def _session_doc(self, session: Session) -> dict[str, Any]:
        doc = session.model_dump(mode="json", include={"resume", "job", "report", "settings"})
        doc["settings"] = _scrub_settings(doc.get("settings") or {})
        return doc

    @_guarded
    def resolve_id(self, prefix: str) -> str:
        """A full session id from an id or a unique prefix (as `sessions show 3fa2` accepts)."""
        prefix = prefix.strip()
        with self._lock:
            rows = self._conn.execute(
                "SELECT id FROM sessions WHERE id = ? OR id LIKE ? ESCAPE '\\' LIMIT 3",
                (prefix, prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"),
            ).fetchall()
        ids = {r[0] for r in rows}
        if prefix in ids:
            return prefix
        if not prefix or not ids:
            raise SessionNotFound(f"No session has the id {prefix!r}; run `resume-tui sessions list` to see them.")
        if len(ids) > 1:
            raise SessionNotFound(f"The id {prefix!r} matches several sessions; type more of it.")
        return ids.pop()

    @_guarded
    def get_session(self, session_id: str) -> Session:
        with self._read() as conn:
            row = conn.execute(
                "SELECT id, state, created_at, updated_at, data, stale FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            if row is None:
                raise SessionNotFound(f"No session has the id {session_id!r}; run `resume-tui sessions list` to see them.")
            changes = conn.execute(
                "SELECT data, status FROM changes WHERE session_id = ? ORDER BY position, id", (session_id,)
            ).fetchall()
        doc = json.loads(row[4])
        return Session(
            id=row[0],
            state=WorkflowState(row[1]),
            created_at=_dt(row[2]),
            updated_at=_dt(row[3]),
            stale=[WorkflowState(s) for s in json.loads(row[5])],
            changes=[Change.model_validate_json(data).model_copy(update={"status": ChangeStatus(status)}) for data, status in changes],
            **doc,
        )

    @_guarded
    def exists(self, session_id: str) -> bool:
        with self._lock:
            return self._conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is not None

    @_guarded
    def save_session(self, session: Session, *, who: str = "user") -> Session:
        """Save the UI's copy: artifacts (resume, job, report, settings) and changes with their
        statuses as given (status changes are logged as decisions). State only moves via `advance`."""
        with self._tx() as conn:
            current = self._load_state(conn, session.id)
            self._write_artifacts(conn, session.id, session)
            if session.changes:
                self._upsert_changes(conn, session.id, session.changes, run_id=None, authoritative=True, who=who)
            conn.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (_now(), session.id))
        return session.model_copy(update={"state": current[0], "stale": current[1]})

    def _load_state(self, conn: sqlite3.Connection, session_id: str) -> tuple[WorkflowState, list[WorkflowState], dict[str, Any]]:
        row = conn.execute("SELECT state, stale, data FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFound(f"No session has the id {session_id!r}; run `resume-tui sessions list` to see them.")
        return WorkflowState(row[0]), [WorkflowState(s) for s in json.loads(row[1])], json.loads(row[2])

    def _write_artifacts(self, conn: sqlite3.Connection, session_id: str, session: Session) -> dict[str, Any]:
        doc = self._session_doc(session)
        conn.execute(
            "UPDATE sessions SET data = ?, title = ? WHERE id = ?", (self._json(doc), _title(doc), session_id)
        )
        return doc

    @_guarded
    def advance(
        self,
        session_id: str,
        target: WorkflowState | str,
        *,
        run_id: str | None = None,
        resume: Resume | None = None,
        job: JobDescription | None = None,
        report: GapReport | None = None,
        changes: Sequence[Change] | None = None,
    ) -> Session:
        """Move the workflow (forward, back or cancel), saving the artifacts that justify the
        move, the transition row and a `state_changed` event in one transaction."""
        target = as_enum(WorkflowState, target, "workflow state")
        with self._tx() as conn:
            state, stale, doc = self._load_state(conn, session_id)
            session = Session(id=session_id, state=state, stale=stale, **doc)
            update = {k: v for k, v in (("resume", resume), ("job", job), ("report", report)) if v is not None}
            if update:
                session = session.model_copy(update=update)
            moved, move = transition(session, target)
            if update:
                self._write_artifacts(conn, session_id, moved)
            if changes is not None:
                self._upsert_changes(conn, session_id, changes, run_id=run_id, authoritative=True)
            self._record_transition(conn, session_id, moved, move, run_id)
        return self.get_session(session_id)

    @_guarded
    def cancel(self, session_id: str, *, run_id: str | None = None) -> Session:
        return self.advance(session_id, WorkflowState.CANCELLED, run_id=run_id)

    def _record_transition(self, conn: sqlite3.Connection, session_id: str, moved: Session, move: Transition, run_id: str | None) -> None:
        ts = moved.updated_at.isoformat()
        stale = [s.value for s in move.stale]
        conn.execute(
            "UPDATE sessions SET state = ?, stale = ?, updated_at = ? WHERE id = ?",
            (move.target.value, json.dumps(stale), ts, session_id),
        )
        conn.execute(
            "INSERT INTO transitions (session_id, run_id, source, target, kind, stale, ts) VALUES (?,?,?,?,?,?,?)",
            (session_id, run_id, move.source.value, move.target.value, move.kind, json.dumps(stale), ts),
        )
        self._emit(
            conn,
            "state_changed",
            session_id=session_id,
            run_id=run_id,
            source=move.source.value,
            target=move.target.value,
            kind=move.kind,
            stale=stale,
        )

    @_guarded
    def transitions(self, session_id: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT source, target, kind, run_id, stale, ts FROM transitions WHERE session_id = ? ORDER BY id", (session_id,)
            ).fetchall()
        return [
            {"source": r[0], "target": r[1], "kind": r[2], "run_id": r[3], "stale": json.loads(r[4]), "ts": r[5]} for r in rows
        ]

    @_guarded
    def list_sessions(self, *, limit: int | None = 100, include_cancelled: bool = True) -> list[SessionSummary]:
        """Most recently used first, with run and decision counts, for the picker and the CLI."""
        where = "" if include_cancelled else "WHERE s.state != 'cancelled'"
        sql = f"""
            SELECT s.id, s.title, s.state, s.stale, s.created_at, s.updated_at,
                   (SELECT count(*) FROM runs r WHERE r.session_id = s.id),
                   (SELECT status FROM runs r WHERE r.session_id = s.id ORDER BY started_at DESC LIMIT 1),
                   (SELECT count(*) FROM changes c WHERE c.session_id = s.id),
                   (SELECT count(*) FROM changes c WHERE c.session_id = s.id AND c.status = 'accepted'),
                   (SELECT count(*) FROM changes c WHERE c.session_id = s.id AND c.status = 'rejected')
            FROM sessions s {where} ORDER BY s.updated_at DESC, s.id LIMIT ?"""
        with self._lock:
            rows = self._conn.execute(sql, (-1 if limit is None else limit,)).fetchall()
        return [
            SessionSummary(
                id=r[0],
                title=r[1],
                state=WorkflowState(r[2]),
                stale=[WorkflowState(s) for s in json.loads(r[3])],
                created_at=_dt(r[4]),
                updated_at=_dt(r[5]),
                runs=r[6],
                last_run_status=RunStatus(r[7]) if r[7] else None,
                changes=r[8],
                accepted=r[9],
                rejected=r[10],
            )
            for r in rows
        ]

    @_guarded
    def delete_session(self, session_id: str, *, force: bool = False) -> bool:
        """Delete a session and its history; the audit log (approvals, file writes) is kept.
        Refused while the session is open in a TUI or has a live run, unless `force`."""
        if not force and not self.session_free(session_id):
            raise LockBusy(
                f"Session {session_id} is open in another resume-tui or has a live run; close it first."
            )
        with self._tx() as conn:
            return self._delete(conn, session_id)

    def _delete(self, conn: sqlite3.Connection, session_id: str) -> bool:
        runs = [r[0] for r in conn.execute("SELECT id FROM runs WHERE session_id = ?", (session_id,))]
        for run_id in runs:
            conn.execute("DELETE FROM tasks WHERE run_id = ?", (run_id,))
        for table in ("runs", "changes", "transitions", "versions", "events"):
            conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,))
        return conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount == 1

    @_guarded
    def prune(self, ttl_days: int | None = None, *, now: datetime | None = None) -> list[str]:
        """Delete sessions untouched for `ttl_days` (0 or None = keep all); skips busy ones."""
        if not ttl_days or ttl_days <= 0:
            return []
        cutoff = ((now or utcnow()) - timedelta(days=ttl_days)).isoformat()
        with self._lock:
            old = [r[0] for r in self._conn.execute("SELECT id FROM sessions WHERE updated_at < ?", (cutoff,))]
        removed = []
        for session_id in old:
            if not self.session_free(session_id):
                continue
            with self._tx() as conn:
                if self._delete(conn, session_id):
                    removed.append(session_id)
        return removed

    # ------------------------------------------------------------------ changes

    @_guarded
    def save_changes(self, session_id: str, changes: Sequence[Change], *, run_id: str | None = None) -> None:
        """Upsert proposed changes; a decision already taken is kept when the same change
        comes back pending (a resumed run re-proposing it)."""
        with self._tx() as conn:
            self._load_state(conn, session_id)
            self._upsert_changes(conn, session_id, changes, run_id=run_id)
            conn.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (_now(), session_id))

    def _upsert_changes(
        self,
        conn: sqlite3.Connection,
        session_id: str,
        changes: Sequence[Change],
        *,
        run_id: str | None,
        authoritative: bool = False,
        who: str = "user",
    ) -> None:
        """Insert/update changes. Not `authoritative` (a run proposing): a stored decision wins
        over an incoming pending one. `authoritative` (the UI's copy): statuses are written as
        given, and each status that changed is logged as a decision event."""
        base = conn.execute("SELECT coalesce(max(position), -1) + 1 FROM changes WHERE session_id = ?", (session_id,)).fetchone()[0]
        for offset, change in enumerate(changes):
            existing = conn.execute(
                "SELECT status, position FROM changes WHERE session_id = ? AND id = ?", (session_id, change.id)
            ).fetchone()
            status = change.status.value
            position = base + offset
            decided = False
            if existing is not None:
                position = existing[1]
                if change.status == ChangeStatus.PENDING and not authoritative:
                    status = existing[0]
                decided = authoritative and status != existing[0]
            else:
                decided = authoritative and status != ChangeStatus.PENDING.value
            conn.execute(
                "INSERT INTO changes (session_id, id, run_id, position, status, verdict, data) VALUES (?,?,?,?,?,?,?) "
                "ON CONFLICT(session_id, id) DO UPDATE SET run_id = coalesce(excluded.run_id, changes.run_id), "
                "status = excluded.status, verdict = excluded.verdict, data = excluded.data",
                (session_id, change.id, run_id, position, status, change.verdict.value,
                 self.redact(change.model_copy(update={"status": ChangeStatus(status)}).model_dump_json())),
            )
            if decided:
                self._log_decision(conn, session_id, change.id, ChangeStatus(status), who=who, run_id=run_id, edited=False)

    def _log_decision(
        self, conn: sqlite3.Connection, session_id: str, change_id: str, status: ChangeStatus, *, who: str,
        run_id: str | None, edited: bool,
    ) -> None:
        conn.execute(
            "UPDATE changes SET decided_at = ?, decided_by = ? WHERE session_id = ? AND id = ?",
            (_now(), who, session_id, change_id),
        )
        etype = {ChangeStatus.ACCEPTED: "change_accepted", ChangeStatus.REJECTED: "change_rejected"}.get(status, "change_reset")
        self._emit(conn, etype, session_id=session_id, run_id=run_id, change_id=change_id, who=who, edited=edited)

    @_guarded
    def decide(
        self,
        session_id: str,
        change_id: str,
        status: ChangeStatus | str,
        *,
        who: str = "user",
        after: str | None = None,
        run_id: str | None = None,
    ) -> Change:
        """Accept, reject (or reset to pending) one change; `after` keeps a user's edit.
        The decision and its event are one transaction."""
        status = as_enum(ChangeStatus, status, "change status")
        with self._tx() as conn:
            row = conn.execute("SELECT data FROM changes WHERE session_id = ? AND id = ?", (session_id, change_id)).fetchone()
            if row is None:
                raise InputError(f"Session {session_id} has no change {change_id!r}.")
            change = Change.model_validate_json(row[0])
            if after is not None:
                change = change.model_copy(update={"after": after})
            change = change.model_copy(update={"status": status})
            conn.execute(
                "UPDATE changes SET status = ?, data = ? WHERE session_id = ? AND id = ?",
                (status.value, self.redact(change.model_dump_json()), session_id, change_id),
            )
            conn.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (_now(), session_id))
            self._log_decision(conn, session_id, change_id, status, who=who, run_id=run_id, edited=after is not None)
        return change

    @_guarded
    def changes(self, session_id: str) -> list[Change]:
        return self.get_session(session_id).changes

    # ------------------------------------------------------------------ health

    @_guarded
    def integrity_check(self) -> list[str]:
        with self._lock:
            return db.integrity_check(self._conn)

    @_guarded
    def schema_version(self) -> int:
        with self._lock:
            return db.schema_version(self._conn)

    @_guarded
    def counts(self) -> dict[str, int]:
        tables = ("sessions", "runs", "tasks", "events", "changes", "versions", "approvals", "file_writes")
        with self._read() as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def open_store(settings: Settings | None = None, *, path: Path | None = None, prune: bool = True) -> Store:
    """The app's entry point: open (repairing/migrating/recovering) and apply the TTL."""
    store = Store(path, settings=settings)
    if prune and settings is not None and settings.session_ttl_days > 0:
        store.prune(settings.session_ttl_days)
    return store


__all__ = [
    "AuditEntry",
    "ResumePoint",
    "RunBusy",
    "SessionNotFound",
    "SessionSummary",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoredTask",
    "VersionInfo",
    "open_store",
    "new_id",
]
