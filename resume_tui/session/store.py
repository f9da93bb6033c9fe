"""The session store: everything a person did, kept across crashes, closed terminals and days.

A plain synchronous API (thread-safe: one connection behind a lock) that the UI calls
off its thread through `AsyncStore` (asyncio.to_thread). State that must agree — a
workflow transition and its event, a decision and its event, an approval and its audit
row — is written in one transaction, so a kill -9 at any instant leaves either both or
neither. Events are the history; the tables are the current state derived with them.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from resume_tui.config import Settings, db_path
from resume_tui.errors import InputError
from resume_tui.models import (
    Change,
    ChangeStatus,
    CustomizationLevel,
    GapReport,
    JobDescription,
    Resume,
    Run,
    RunStatus,
    Session,
    TaskRecord,
    TaskStatus,
    Usage,
    WorkflowState,
    utcnow,
)
from resume_tui.session import db
from resume_tui.session.db import StoreCorrupt, StoreError
from resume_tui.session.events import RUN_END, StoreSink, dumps, normalize
from resume_tui.session.locks import FileLock, LockBusy
from resume_tui.session.redact import Redactor, env_secrets
from resume_tui.session.workflow import Transition, transition

F = TypeVar("F", bound=Callable[..., Any])
_SECRET_KEYS = ("api_key", "apikey", "secret", "password", "authorization", "token_value")


class SessionNotFound(InputError):
    """No session with that id (or id prefix)."""


class RunBusy(LockBusy):
    """The run (or another run of the session) is live in some process."""


@dataclass(frozen=True)
class StoredTask:
    """A finished task as the pipeline left it: the record and its JSON result."""

    record: TaskRecord
    result: Any = None


@dataclass(frozen=True)
class ResumePoint:
    """What `resume_run` hands the pipeline: the run and the tasks it may skip."""

    run: Run
    completed: dict[str, StoredTask]


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


@dataclass(frozen=True)
class VersionInfo:
    id: int
    session_id: str
    label: str
    created_at: datetime
    score: float | None
    change_ids: list[str]
    run_id: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    kind: str  # "approval" | "file_write"
    id: int
    session_id: str
    ts: datetime
    who: str
    action: str
    detail: dict[str, Any] = field(default_factory=dict)


def _now() -> str:
    return utcnow().isoformat()


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def new_id(prefix: str = "") -> str:
    return prefix + secrets.token_hex(6)


def _guarded(method: F) -> F:
    """Every public method raises StoreError (one sentence), never a raw sqlite3/OS error."""

    @wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except InputError:
            raise
        except (sqlite3.Error, OSError) as exc:
            raise db.describe(exc, self.path) from None

    return wrapper  # type: ignore[return-value]


def _title(session_doc: dict[str, Any]) -> str:
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


class Store:
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
        target = WorkflowState(target)
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

    # ------------------------------------------------------------------ locks

    def session_lock(self, session_id: str) -> FileLock:
        return FileLock.for_name(self.lock_dir, f"session-{session_id}")

    def lock_session(self, session_id: str) -> FileLock:
        """Claim a session for this TUI; a second TUI on the same session gets a clear refusal.
        Release with `.release()` (the OS releases it if the process dies)."""
        lock = self.session_lock(session_id)
        try:
            acquired = lock.try_acquire()
        except OSError as exc:
            raise db.describe(exc, self.path) from None
        if not acquired:
            pid = lock.holder_pid()
            who = f" (pid {pid})" if pid else ""
            raise LockBusy(
                f"Session {session_id} is already open in another resume-tui{who}; "
                "close that one first or pick another session.",
                holder_pid=pid,
            )
        return lock

    def session_free(self, session_id: str) -> bool:
        """True when no TUI holds the session and none of its runs is live."""
        if not self.session_lock(session_id).is_free():
            return False
        with self._lock:
            running = [r[0] for r in self._conn.execute(
                "SELECT id FROM runs WHERE session_id = ? AND status = 'running'", (session_id,)
            )]
        return all(self._run_lock_free(run_id) for run_id in running)

    def _run_lock(self, run_id: str) -> FileLock:
        return FileLock.for_name(self.lock_dir, f"run-{run_id}")

    def _run_lock_free(self, run_id: str) -> bool:
        return run_id not in self._run_locks and self._run_lock(run_id).is_free()

    def _claim_run(self, run_id: str) -> None:
        if run_id in self._run_locks:
            raise RunBusy(f"Run {run_id} is already running in this window; wait for it or cancel it.")
        lock = self._run_lock(run_id)
        if not lock.try_acquire():
            raise RunBusy(f"Run {run_id} is running in another resume-tui; wait for it or cancel it there.")
        self._run_locks[run_id] = lock

    def _release_run(self, run_id: str) -> None:
        lock = self._run_locks.pop(run_id, None)
        if lock is not None:
            lock.release()

    # ------------------------------------------------------------------ runs

    @_guarded
    def recover_interrupted(self) -> list[str]:
        """Mark runs left 'running' by a dead process as 'interrupted' (with an event)."""
        with self._lock:
            running = [tuple(r) for r in self._conn.execute("SELECT id, session_id FROM runs WHERE status = 'running'")]
        marked = []
        for run_id, session_id in running:
            if run_id in self._run_locks:
                continue
            probe = self._run_lock(run_id)
            if not probe.try_acquire():
                continue  # its process is alive
            try:
                with self._tx() as conn:
                    row = conn.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()
                    if row and row[0] == RunStatus.RUNNING.value:
                        self._set_run_status(conn, run_id, RunStatus.INTERRUPTED)
                        conn.execute(
                            "UPDATE tasks SET status = 'pending' WHERE run_id = ? AND status = 'running'", (run_id,)
                        )
                        self._emit(conn, "run_interrupted", session_id=session_id, run_id=run_id, reason="process ended")
                        marked.append(run_id)
            finally:
                probe.release()
        return marked

    def _set_run_status(
        self,
        conn: sqlite3.Connection,
        run_id: str,
        status: RunStatus,
        usage: Usage | None = None,
        summary: dict[str, Any] | None = None,
    ) -> None:
        finished = None if status == RunStatus.RUNNING else _now()
        conn.execute("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?", (status.value, finished, run_id))
        if usage is not None or summary:
            row = conn.execute("SELECT data FROM runs WHERE id = ?", (run_id,)).fetchone()
            data = json.loads(row[0]) if row else {}
            if usage is not None:
                data["usage"] = usage.model_dump(mode="json")
            if summary:
                data["summary"] = summary
            conn.execute("UPDATE runs SET data = ? WHERE id = ?", (self._json(data), run_id))

    @_guarded
    def start_run(self, session_id: str, *, level: CustomizationLevel | str = CustomizationLevel.MODERATE, run_id: str | None = None) -> Run:
        """Register a new run and hold its lock; refused while another run of the session is live."""
        self.recover_interrupted()
        with self._lock:
            live = [r[0] for r in self._conn.execute(
                "SELECT id FROM runs WHERE session_id = ? AND status = 'running'", (session_id,)
            )]
        if live:
            raise RunBusy(f"Session {session_id} already has a run in progress ({live[0]}); wait for it or cancel it.")
        run = Run(id=run_id or new_id("run-"), session_id=session_id, level=CustomizationLevel(level))
        self._claim_run(run.id)
        try:
            with self._tx() as conn:
                self._load_state(conn, session_id)
                self._insert_run(conn, run)
        except BaseException:
            self._release_run(run.id)
            raise
        return run

    def _insert_run(self, conn: sqlite3.Connection, run: Run) -> None:
        conn.execute(
            "INSERT INTO runs (id, session_id, status, started_at, finished_at, data, level) VALUES (?,?,?,?,?,?,?)",
            (
                run.id,
                run.session_id,
                run.status.value,
                run.started_at.isoformat(),
                None,
                self._json({"usage": run.usage.model_dump(mode="json")}),
                run.level.value,
            ),
        )

    @_guarded
    def finish_run(self, run_id: str, status: RunStatus | str, *, usage: Usage | None = None) -> None:
        """End a run (completed/partial/failed/cancelled/interrupted) and release its lock."""
        status = RunStatus(status)
        etype = {RunStatus.COMPLETED: "run_completed", RunStatus.PARTIAL: "run_completed", RunStatus.FAILED: "run_failed",
                 RunStatus.INTERRUPTED: "run_interrupted", RunStatus.CANCELLED: "run_cancelled"}.get(status)
        if etype is None:
            raise InputError(f"A run cannot finish as {status.value}; use completed, partial, failed, cancelled or interrupted.")
        with self._tx() as conn:
            row = conn.execute("SELECT session_id FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                raise InputError(f"No run has the id {run_id!r}.")
            self._set_run_status(conn, run_id, status, usage)
            self._emit(conn, etype, session_id=row[0], run_id=run_id, status=status.value)
        self._release_run(run_id)

    @_guarded
    def get_run(self, run_id: str) -> Run:
        with self._read() as conn:
            row = conn.execute(
                "SELECT id, session_id, status, level, started_at, finished_at, data FROM runs WHERE id = ?", (run_id,)
            ).fetchone()
            if row is None:
                raise InputError(f"No run has the id {run_id!r}.")
            tasks = conn.execute("SELECT record, status FROM tasks WHERE run_id = ? ORDER BY rowid", (run_id,)).fetchall()
        return self._run_from_row(row, tasks)

    @staticmethod
    def _run_from_row(row: Sequence[Any], tasks: Iterable[Sequence[Any]] = ()) -> Run:
        data = json.loads(row[6])
        return Run(
            id=row[0],
            session_id=row[1],
            status=RunStatus(row[2]),
            level=CustomizationLevel(row[3]),
            started_at=_dt(row[4]),
            finished_at=_dt(row[5]),
            usage=Usage.model_validate(data.get("usage") or {}),
            tasks=[TaskRecord.model_validate_json(rec).model_copy(update={"status": TaskStatus(st)}) for rec, st in tasks],
        )

    @_guarded
    def run_summary(self, run_id: str) -> dict[str, Any]:
        """What the pipeline reported when the run ended (tier, task counts, tokens, cost)."""
        with self._lock:
            row = self._conn.execute("SELECT data FROM runs WHERE id = ?", (run_id,)).fetchone()
        return dict(json.loads(row[0]).get("summary") or {}) if row else {}

    @_guarded
    def runs(self, session_id: str) -> list[Run]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, session_id, status, level, started_at, finished_at, data FROM runs WHERE session_id = ? ORDER BY started_at, rowid",
                (session_id,),
            ).fetchall()
            out = []
            for row in rows:
                tasks = conn.execute("SELECT record, status FROM tasks WHERE run_id = ? ORDER BY rowid", (row[0],)).fetchall()
                out.append(self._run_from_row(row, tasks))
        return out

    @_guarded
    def resumable_runs(self, session_id: str | None = None) -> list[Run]:
        """Interrupted/failed/cancelled runs whose finished tasks can be reused."""
        sql = "SELECT id FROM runs WHERE status IN ('interrupted','failed','cancelled')"
        args: tuple[Any, ...] = ()
        if session_id:
            sql += " AND session_id = ?"
            args = (session_id,)
        with self._lock:
            ids = [r[0] for r in self._conn.execute(sql + " ORDER BY started_at DESC", args)]
        return [self.get_run(i) for i in ids]

    @_guarded
    def resume_run(self, run_id: str) -> ResumePoint:
        """Reopen an interrupted run under the same id: returns the tasks already completed
        (with results) so the pipeline skips them. Refused while the run is live elsewhere."""
        self.recover_interrupted()
        run = self.get_run(run_id)
        if run.status == RunStatus.COMPLETED:
            raise InputError(f"Run {run_id} already completed; start a new run to tailor again.")
        if run.status == RunStatus.RUNNING:
            raise RunBusy(f"Run {run_id} is running in another resume-tui; wait for it or cancel it there.")
        self._claim_run(run_id)
        try:
            with self._tx() as conn:
                self._set_run_status(conn, run_id, RunStatus.RUNNING)
                conn.execute("UPDATE runs SET resumed = resumed + 1 WHERE id = ?", (run_id,))
                completed = self._completed(conn, run_id)
                self._emit(conn, "run_resumed", session_id=run.session_id, run_id=run_id, reused=sorted(completed))
        except BaseException:
            self._release_run(run_id)
            raise
        return ResumePoint(run=self.get_run(run_id), completed=completed)

    # ------------------------------------------------------------------ tasks

    @_guarded
    def save_task(self, run_id: str, record: TaskRecord, result: Any = None) -> None:
        """Upsert one task's record (and its result when completed) — the pipeline's resume hook."""
        with self._tx() as conn:
            self._upsert_task(conn, run_id, record, result)

    def _upsert_task(self, conn: sqlite3.Connection, run_id: str, record: TaskRecord, result: Any) -> None:
        payload = None if result is None else self._json(result)
        conn.execute(
            "INSERT INTO tasks (run_id, name, status, record, result, updated_at) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT(run_id, name) DO UPDATE SET status = excluded.status, record = excluded.record, "
            "result = coalesce(excluded.result, tasks.result), updated_at = excluded.updated_at",
            (run_id, record.name, record.status.value, self.redact(record.model_dump_json()), payload, _now()),
        )

    def _completed(self, conn: sqlite3.Connection, run_id: str) -> dict[str, StoredTask]:
        rows = conn.execute(
            "SELECT name, record, result FROM tasks WHERE run_id = ? AND status = 'completed' ORDER BY rowid", (run_id,)
        ).fetchall()
        return {
            name: StoredTask(TaskRecord.model_validate_json(rec), None if res is None else json.loads(res))
            for name, rec, res in rows
        }

    @_guarded
    def completed_tasks(self, run_id: str) -> dict[str, StoredTask]:
        with self._lock:
            return self._completed(self._conn, run_id)

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
        status = ChangeStatus(status)
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

    # ------------------------------------------------------------------ versions

    @_guarded
    def save_version(
        self,
        session_id: str,
        resume: Resume,
        *,
        label: str = "",
        score: float | None = None,
        change_ids: Sequence[str] = (),
        run_id: str | None = None,
    ) -> int:
        """Keep one tailored resume (per application/export) so earlier versions stay reachable."""
        with self._tx() as conn:
            self._load_state(conn, session_id)
            cur = conn.execute(
                "INSERT INTO versions (session_id, run_id, label, created_at, score, change_ids, resume) VALUES (?,?,?,?,?,?,?)",
                (session_id, run_id, label, _now(), score, json.dumps(list(change_ids)), self.redact(resume.model_dump_json())),
            )
            version_id = int(cur.lastrowid)
            self._emit(conn, "version_saved", session_id=session_id, run_id=run_id, version_id=version_id, label=label, score=score)
        return version_id

    @_guarded
    def versions(self, session_id: str) -> list[VersionInfo]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, session_id, label, created_at, score, change_ids, run_id FROM versions WHERE session_id = ? ORDER BY id",
                (session_id,),
            ).fetchall()
        return [VersionInfo(r[0], r[1], r[2], _dt(r[3]), r[4], json.loads(r[5]), r[6]) for r in rows]

    @_guarded
    def get_version(self, version_id: int) -> Resume:
        with self._lock:
            row = self._conn.execute("SELECT resume FROM versions WHERE id = ?", (version_id,)).fetchone()
        if row is None:
            raise InputError(f"No saved version has the id {version_id}.")
        return Resume.model_validate_json(row[0])

    # ------------------------------------------------------------------ audit

    @_guarded
    def record_approval(
        self,
        session_id: str,
        *,
        decision: str,
        who: str,
        subject: Any,
        action: str = "export",
        run_id: str | None = None,
    ) -> int:
        """Log that `who` ("user", "auto-approve", "--yes") granted/rejected `action` on `subject`
        (e.g. the planned files). Returns the approval id to link the writes to."""
        if decision not in ("granted", "rejected"):
            raise InputError(f"An approval is 'granted' or 'rejected', not {decision!r}.")
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT INTO approvals (session_id, run_id, action, decision, who, subject, ts) VALUES (?,?,?,?,?,?,?)",
                (session_id, run_id, action, decision, who, self._json(subject), _now()),
            )
            approval_id = int(cur.lastrowid)
            self._emit(conn, f"approval_{decision}", session_id=session_id, run_id=run_id, approval_id=approval_id,
                       action=action, who=who, subject=subject)
        return approval_id

    @_guarded
    def record_file_write(
        self,
        session_id: str,
        *,
        path: str | Path,
        sha256: str,
        bytes: int,
        format: str,
        who: str,
        action: str = "create",
        approval_id: int | None = None,
        run_id: str | None = None,
    ) -> int:
        """Log one written file (action "create" or "overwrite") with its hash and approver."""
        with self._tx() as conn:
            cur = conn.execute(
                "INSERT INTO file_writes (session_id, run_id, approval_id, path, format, bytes, sha256, action, who, ts) "
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                (session_id, run_id, approval_id, str(path), format, int(bytes), sha256, action, who, _now()),
            )
            write_id = int(cur.lastrowid)
            self._emit(conn, "file_written", session_id=session_id, run_id=run_id, path=str(path), sha256=sha256,
                       bytes=int(bytes), format=format, action=action, who=who, approval_id=approval_id)
        return write_id

    @_guarded
    def audit(self, session_id: str | None = None) -> list[AuditEntry]:
        where, args = ("WHERE session_id = ?", (session_id,)) if session_id else ("", ())
        with self._read() as conn:
            approvals = conn.execute(f"SELECT id, session_id, ts, who, action, decision, subject, run_id FROM approvals {where}", args).fetchall()
            writes = conn.execute(
                f"SELECT id, session_id, ts, who, action, path, format, bytes, sha256, approval_id FROM file_writes {where}", args
            ).fetchall()
        entries = [
            AuditEntry("approval", r[0], r[1], _dt(r[2]), r[3], r[4], {"decision": r[5], "subject": json.loads(r[6]), "run_id": r[7]})
            for r in approvals
        ] + [
            AuditEntry("file_write", r[0], r[1], _dt(r[2]), r[3], r[4],
                       {"path": r[5], "format": r[6], "bytes": r[7], "sha256": r[8], "approval_id": r[9]})
            for r in writes
        ]
        return sorted(entries, key=lambda e: (e.ts, e.kind != "approval", e.id))

    # ------------------------------------------------------------------ events

    @_guarded
    def append_events(self, events: Iterable[Any]) -> int:
        """Persist a batch of pipeline events in one transaction (duplicates ignored) and
        update runs/tasks/changes from them. Returns how many were new."""
        rows = [e if isinstance(e, dict) and "payload" in e and "event_id" in e else normalize(e) for e in events]
        if not rows:
            return 0
        new = 0
        with self._tx() as conn:
            for row in rows:
                if self._insert_event(conn, row):
                    new += 1
                    if row["type"] not in _NO_EFFECT:
                        self._apply(conn, row)
        for row in rows:  # locks outside the transaction: a finished run frees its lock
            if row["type"] in RUN_END:
                self._release_run(row["run_id"])
        return new

    def _apply(self, conn: sqlite3.Connection, row: dict[str, Any]) -> None:
        """Derive current state from a pipeline event (runs, task results, proposed changes)."""
        etype, run_id, session_id, payload = row["type"], row["run_id"], row["session_id"], row["payload"]
        if etype == "run_started" and run_id:
            if conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                level = payload.get("level") or CustomizationLevel.MODERATE.value
                run = Run(id=run_id, session_id=session_id or "", level=CustomizationLevel(level))
                self._insert_run(conn, run)
                if run_id not in self._run_locks:  # this process runs it: hold its lock until it ends
                    lock = self._run_lock(run_id)
                    if lock.try_acquire():
                        self._run_locks[run_id] = lock
        elif etype in RUN_END and run_id:
            status = RunStatus(RUN_END[etype])
            if etype == "run_completed" and payload.get("tier") == "partial":
                status = RunStatus.PARTIAL
            usage = payload.get("usage")
            self._set_run_status(
                conn, run_id, status, Usage.model_validate(usage) if isinstance(usage, dict) else None, summary=dict(payload)
            )
        elif etype.startswith("task_") and run_id:
            record = _task_record(payload, etype)
            if record is not None:
                self._upsert_task(conn, run_id, record, payload.get("result") if etype == "task_completed" else None)
        elif etype == "change_proposed" and session_id and isinstance(payload.get("change"), dict):
            if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                change = Change.model_validate(payload["change"])
                self._upsert_changes(conn, session_id, [change], run_id=run_id)
        elif etype in ("change_accepted", "change_rejected") and session_id and payload.get("change_id"):
            status = "accepted" if etype == "change_accepted" else "rejected"
            conn.execute(
                "UPDATE changes SET status = ?, decided_at = ?, decided_by = coalesce(decided_by, ?) WHERE session_id = ? AND id = ?",
                (status, row["ts"], payload.get("who", "pipeline"), session_id, payload["change_id"]),
            )

    @_guarded
    def events(
        self,
        *,
        session_id: str | None = None,
        run_id: str | None = None,
        after: int = 0,
        limit: int | None = None,
        types: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Events in write order; each dict has `pos` (use as `after` to page) and the envelope."""
        clauses, args = ["rowid > ?"], [after]
        if session_id:
            clauses.append("session_id = ?")
            args.append(session_id)
        if run_id:
            clauses.append("run_id = ?")
            args.append(run_id)
        if types:
            clauses.append(f"type IN ({','.join('?' * len(types))})")
            args.extend(types)
        sql = f"SELECT rowid, event_id, run_id, session_id, seq, type, ts, payload FROM events WHERE {' AND '.join(clauses)} ORDER BY rowid"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        return [
            {"pos": r[0], "event_id": r[1], "run_id": r[2], "session_id": r[3], "seq": r[4], "type": r[5], "ts": r[6], "payload": json.loads(r[7])}
            for r in rows
        ]

    def event_sink(self, *, batch_size: int = 500, max_delay_s: float = 0.25) -> StoreSink:
        """An async sink for `run_pipeline(..., sinks=[store.event_sink()])`."""
        return StoreSink(self, batch_size=batch_size, max_delay_s=max_delay_s)

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


_NO_EFFECT = frozenset({"task_progress", "session_created", "state_changed", "version_saved"})
_TASK_STATUS = {"task_started": "running", "task_retried": "running", "task_completed": "completed", "task_failed": "failed"}


def _task_record(payload: dict[str, Any], etype: str) -> TaskRecord | None:
    """A TaskRecord from a task_* event payload: `{"task": {...record...}}` or `{"task": name, ...}`."""
    task = payload.get("task")
    if isinstance(task, dict):
        data = dict(task)
    elif isinstance(task, str):
        data = {"name": task, **{k: v for k, v in payload.items() if k != "task"}}
    elif isinstance(payload.get("name"), str):
        data = dict(payload)
    else:
        return None
    allowed = set(TaskRecord.model_fields)
    if etype not in _TASK_STATUS:
        return None  # progress ticks carry nothing worth a row write
    data["status"] = _TASK_STATUS[etype]
    try:
        return TaskRecord.model_validate({k: v for k, v in data.items() if k in allowed})
    except ValueError:
        return None


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
