"""Sessions and their changes: create, load, save, move through the workflow, list, delete, prune.

A workflow move and its event, a decision and its event, are written in one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from resume_tui.models import (
    Change,
    ChangeStatus,
    GapReport,
    JobDescription,
    Resume,
    RunStatus,
    Session,
    SessionSettings,
    WorkflowState,
    utcnow,
)
from resume_tui.session import db
from resume_tui.session.base import _at, _guarded, _now, as_enum, new_id
from resume_tui.session.locks import LockBusy
from resume_tui.session.repos.changes import ChangeRepo
from resume_tui.session.repos.database import Database, Repo, SessionNotFound
from resume_tui.session.repos.runs import RunRepo
from resume_tui.session.workflow import Transition, transition

_SECRET_KEYS = ("api_key", "apikey", "secret", "password", "authorization", "token_value")


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


class SessionRepo(Repo):
    """The sessions table and what hangs off it (transitions, changes, decisions)."""

    def __init__(self, db: Database, runs: RunRepo, changes: ChangeRepo) -> None:
        super().__init__(db)
        self.runs = runs
        self.change_repo = changes

    # ------------------------------------------------------------------ sessions

    @_guarded
    def create_session(self, *, settings: SessionSettings | dict[str, Any] | None = None,
                       session_id: str | None = None) -> Session:
        if isinstance(settings, SessionSettings):
            settings = settings.stored()
        session = Session(id=session_id or new_id(), settings=_scrub_settings(settings or {}))
        doc = self._session_doc(session)
        with self.db.tx() as conn:
            conn.execute(
                "INSERT INTO sessions (id, state, created_at, updated_at, data, title, stale) VALUES (?,?,?,?,?,?,?)",
                (session.id, session.state.value, session.created_at.isoformat(), session.updated_at.isoformat(), self.db.json(doc), "", "[]"),
            )
            self.db.emit(conn, "session_created", session_id=session.id)
        return session

    def _session_doc(self, session: Session) -> dict[str, Any]:
        doc = session.model_dump(mode="json", include={"resume", "job", "report"})
        doc["settings"] = _scrub_settings(session.settings.stored())
        return doc

    @_guarded
    def resolve_id(self, prefix: str) -> str:
        """A full session id from an id or a unique prefix (as `sessions show 3fa2` accepts)."""
        prefix = prefix.strip()
        with self.db.lock:
            rows = self.db.conn.execute(
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
        with self.db.read() as conn:
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
            created_at=_at(row[2]),
            updated_at=_at(row[3]),
            stale=[WorkflowState(s) for s in json.loads(row[5])],
            changes=[Change.model_validate_json(data).model_copy(update={"status": ChangeStatus(status)}) for data, status in changes],
            **doc,
        )

    @_guarded
    def exists(self, session_id: str) -> bool:
        with self.db.lock:
            return self.db.conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is not None

    @_guarded
    def save_session(self, session: Session, *, who: str = "user") -> Session:
        """Save the UI's copy: artifacts (resume, job, report, settings) and changes with their
        statuses as given (status changes are logged as decisions). State only moves via `advance`."""
        with self.db.tx() as conn:
            current = self.db.load_state(conn, session.id)
            self._write_artifacts(conn, session.id, session)
            if session.changes:
                self.change_repo.upsert_changes(conn, session.id, session.changes, run_id=None, authoritative=True, who=who)
            if session.report is not None:  # once analysed, the UI's list is the whole list
                self.change_repo.keep_only(conn, session.id, session.changes)
            conn.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (_now(), session.id))
        return session.model_copy(update={"state": current[0], "stale": current[1]})

    def _write_artifacts(self, conn: sqlite3.Connection, session_id: str, session: Session) -> dict[str, Any]:
        doc = self._session_doc(session)
        conn.execute(
            "UPDATE sessions SET data = ?, title = ? WHERE id = ?", (self.db.json(doc), _title(doc), session_id)
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
        with self.db.tx() as conn:
            state, stale, doc = self.db.load_state(conn, session_id)
            session = Session(id=session_id, state=state, stale=stale, **doc)
            update = {k: v for k, v in (("resume", resume), ("job", job), ("report", report)) if v is not None}
            if update:
                session = session.model_copy(update=update)
            moved, move = transition(session, target)
            if update:
                self._write_artifacts(conn, session_id, moved)
            if changes is not None:
                self.change_repo.upsert_changes(conn, session_id, changes, run_id=run_id, authoritative=True)
                self.change_repo.keep_only(conn, session_id, changes)
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
        self.db.emit(
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
        with self.db.lock:
            rows = self.db.conn.execute(
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
        with self.db.lock:
            rows = self.db.conn.execute(sql, (-1 if limit is None else limit,)).fetchall()
        return [
            SessionSummary(
                id=r[0],
                title=r[1],
                state=WorkflowState(r[2]),
                stale=[WorkflowState(s) for s in json.loads(r[3])],
                created_at=_at(r[4]),
                updated_at=_at(r[5]),
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
        if not force and not self.runs.session_free(session_id):
            raise LockBusy(
                f"Session {session_id} is open in another resume-tui or has a live run; close it first."
            )
        with self.db.tx() as conn:
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
        with self.db.lock:
            old = [r[0] for r in self.db.conn.execute("SELECT id FROM sessions WHERE updated_at < ?", (cutoff,))]
        removed = []
        for session_id in old:
            if not self.runs.session_free(session_id):
                continue
            with self.db.tx() as conn:
                if self._delete(conn, session_id):
                    removed.append(session_id)
        return removed

    @_guarded
    def changes(self, session_id: str) -> list[Change]:
        return self.get_session(session_id).changes

    # ------------------------------------------------------------------ health

    @_guarded
    def integrity_check(self) -> list[str]:
        with self.db.lock:
            return db.integrity_check(self.db.conn)

    @_guarded
    def schema_version(self) -> int:
        with self.db.lock:
            return db.schema_version(self.db.conn)

    @_guarded
    def counts(self) -> dict[str, int]:
        tables = ("sessions", "runs", "tasks", "events", "changes", "versions", "approvals", "file_writes")
        with self.db.read() as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
