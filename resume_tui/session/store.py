"""The session store: everything a person did, kept across crashes, closed terminals and days.

A plain synchronous API (thread-safe: one connection behind a lock) that the UI calls
off its thread (asyncio.to_thread, in workers). State that must agree — a
workflow transition and its event, a decision and its event, an approval and its audit
row — is written in one transaction, so a kill -9 at any instant leaves either both or
neither. Events are the history; the tables are the current state derived with them.

`Store` is a facade over repositories sharing one connection (session/repos/): sessions
and changes, runs/tasks/locks, versions and the audit log, and the event log. Callers use
the Store; a repository is an implementation detail that can change without them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from resume_tui.config import Settings, db_path
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
    Usage,
    WorkflowState,
)
from resume_tui.session import db
from resume_tui.session.base import new_id
from resume_tui.session.db import StoreCorrupt, StoreError
from resume_tui.session.events import StoreSink
from resume_tui.session.locks import FileLock
from resume_tui.session.redact import Redactor, env_secrets
from resume_tui.session.repos.audit import AuditEntry, AuditRepo, VersionInfo
from resume_tui.session.repos.batches import BatchRepo
from resume_tui.session.repos.changes import ChangeRepo
from resume_tui.session.repos.database import Database, SessionNotFound
from resume_tui.session.repos.events import EventRepo
from resume_tui.session.repos.runs import ResumePoint, RunBusy, RunRepo, StoredTask
from resume_tui.session.repos.sessions import SessionRepo, SessionSummary


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
        self.db = Database(self.path, self.redact, timeout_s=timeout_s, recover=recover)
        self._runs = RunRepo(self.db, self.lock_dir)
        self._changes = ChangeRepo(self.db)
        self._sessions = SessionRepo(self.db, self._runs, self._changes)
        self._audit = AuditRepo(self.db)
        self._log = EventRepo(self.db, self._runs, self._changes)
        self.batches = BatchRepo(self.db)  # provider batch ids and states (`resume-tui batch`), tables made on first use
        try:
            self.recovered_runs: list[str] = self._runs.recover_interrupted()
        except BaseException:
            self.db.close()
            raise

    @classmethod
    def open(cls, path: Path | None = None, **kwargs: Any) -> Store:
        return cls(path, **kwargs)

    @property
    def notice(self) -> str | None:
        """One sentence for the UI when the database was repaired on open."""
        return self.db.notice

    @notice.setter
    def notice(self, value: str | None) -> None:
        self.db.notice = value

    @property
    def moved_aside(self) -> Path | None:
        return self.db.moved_aside

    @property
    def migrated_from(self) -> int | None:
        return self.db.migrated_from

    def close(self) -> None:
        with self.db.lock:
            self._runs.release_all()
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def event_sink(self, *, batch_size: int = 500, max_delay_s: float = 0.25) -> StoreSink:
        """An async sink for `run_pipeline(..., sinks=[store.event_sink()])`."""
        return StoreSink(self, batch_size=batch_size, max_delay_s=max_delay_s)

    # ------------------------------------------------------------------ _sessions
    def create_session(self, *, settings: dict[str, Any] | None = None, session_id: str | None = None) -> Session:
        return self._sessions.create_session(settings=settings, session_id=session_id)

    def resolve_id(self, prefix: str) -> str:
        """A full session id from an id or a unique prefix (as `sessions show 3fa2` accepts)."""
        return self._sessions.resolve_id(prefix)

    def get_session(self, session_id: str) -> Session:
        return self._sessions.get_session(session_id)

    def exists(self, session_id: str) -> bool:
        return self._sessions.exists(session_id)

    def save_session(self, session: Session, *, who: str = "user") -> Session:
        """Save the UI's copy: artifacts (resume, job, report, settings) and changes with their"""
        return self._sessions.save_session(session, who=who)

    def advance(self, session_id: str, target: WorkflowState | str, *, run_id: str | None = None, resume: Resume | None = None, job: JobDescription | None = None, report: GapReport | None = None, changes: Sequence[Change] | None = None) -> Session:
        """Move the workflow (forward, back or cancel), saving the artifacts that justify the"""
        return self._sessions.advance(session_id, target, run_id=run_id, resume=resume, job=job, report=report, changes=changes)

    def cancel(self, session_id: str, *, run_id: str | None = None) -> Session:
        return self._sessions.cancel(session_id, run_id=run_id)

    def transitions(self, session_id: str) -> list[dict[str, Any]]:
        return self._sessions.transitions(session_id)

    def list_sessions(self, *, limit: int | None = 100, include_cancelled: bool = True) -> list[SessionSummary]:
        """Most recently used first, with run and decision counts, for the picker and the CLI."""
        return self._sessions.list_sessions(limit=limit, include_cancelled=include_cancelled)

    def delete_session(self, session_id: str, *, force: bool = False) -> bool:
        """Delete a session and its history; the audit log (approvals, file writes) is kept."""
        return self._sessions.delete_session(session_id, force=force)

    def prune(self, ttl_days: int | None = None, *, now: datetime | None = None) -> list[str]:
        """Delete sessions untouched for `ttl_days` (0 or None = keep all); skips busy ones."""
        return self._sessions.prune(ttl_days, now=now)

    def save_changes(self, session_id: str, changes: Sequence[Change], *, run_id: str | None = None) -> None:
        """Upsert proposed changes; a decision already taken is kept when the same change"""
        return self._changes.save_changes(session_id, changes, run_id=run_id)

    def decide(self, session_id: str, change_id: str, status: ChangeStatus | str, *, who: str = "user", after: str | None = None, run_id: str | None = None) -> Change:
        """Accept, reject (or reset to pending) one change; `after` keeps a user's edit."""
        return self._changes.decide(session_id, change_id, status, who=who, after=after, run_id=run_id)

    def changes(self, session_id: str) -> list[Change]:
        return self._sessions.changes(session_id)

    def integrity_check(self) -> list[str]:
        return self._sessions.integrity_check()

    def schema_version(self) -> int:
        return self._sessions.schema_version()

    def counts(self) -> dict[str, int]:
        return self._sessions.counts()

    # ------------------------------------------------------------------ _runs
    def session_lock(self, session_id: str) -> FileLock:
        return self._runs.session_lock(session_id)

    def lock_session(self, session_id: str) -> FileLock:
        """Claim a session for this TUI; a second TUI on the same session gets a clear refusal."""
        return self._runs.lock_session(session_id)

    def session_free(self, session_id: str) -> bool:
        """True when no TUI holds the session and none of its runs is live."""
        return self._runs.session_free(session_id)

    def recover_interrupted(self) -> list[str]:
        """Mark runs left 'running' by a dead process as 'interrupted' (with an event)."""
        return self._runs.recover_interrupted()

    def start_run(self, session_id: str, *, level: CustomizationLevel | str = CustomizationLevel.MODERATE, run_id: str | None = None) -> Run:
        """Register a new run and hold its lock; refused while another run of the session is live."""
        return self._runs.start_run(session_id, level=level, run_id=run_id)

    def finish_run(self, run_id: str, status: RunStatus | str, *, usage: Usage | None = None) -> None:
        """End a run (completed/partial/failed/cancelled/interrupted) and release its lock."""
        return self._runs.finish_run(run_id, status, usage=usage)

    def get_run(self, run_id: str) -> Run:
        return self._runs.get_run(run_id)

    def run_summary(self, run_id: str) -> dict[str, Any]:
        """What the pipeline reported when the run ended (tier, task counts, tokens, cost)."""
        return self._runs.run_summary(run_id)

    def runs(self, session_id: str) -> list[Run]:
        return self._runs.runs(session_id)

    def resumable_runs(self, session_id: str | None = None) -> list[Run]:
        """Interrupted/failed/cancelled runs whose finished tasks can be reused."""
        return self._runs.resumable_runs(session_id)

    def resume_run(self, run_id: str) -> ResumePoint:
        """Reopen an interrupted run under the same id: returns the tasks already completed"""
        return self._runs.resume_run(run_id)

    def save_task(self, run_id: str, record: TaskRecord, result: Any = None) -> None:
        """Upsert one task's record (and its result when completed) — the pipeline's resume hook."""
        return self._runs.save_task(run_id, record, result)

    def completed_tasks(self, run_id: str) -> dict[str, StoredTask]:
        return self._runs.completed_tasks(run_id)

    # ------------------------------------------------------------------ _audit
    def save_version(self, session_id: str, resume: Resume, *, label: str = "", score: float | None = None, change_ids: Sequence[str] = (), run_id: str | None = None) -> int:
        """Keep one tailored resume (per application/export) so earlier versions stay reachable."""
        return self._audit.save_version(session_id, resume, label=label, score=score, change_ids=change_ids, run_id=run_id)

    def versions(self, session_id: str) -> list[VersionInfo]:
        return self._audit.versions(session_id)

    def get_version(self, version_id: int) -> Resume:
        return self._audit.get_version(version_id)

    def record_approval(self, session_id: str, *, decision: str, who: str, subject: Any, action: str = "export", run_id: str | None = None) -> int:
        """Log that `who` ("user", "auto-approve", "--yes") granted/rejected `action` on `subject`"""
        return self._audit.record_approval(session_id, decision=decision, who=who, subject=subject, action=action, run_id=run_id)

    def record_file_write(self, session_id: str, *, path: str | Path, sha256: str, bytes: int, format: str, who: str, action: str = "create", approval_id: int | None = None, run_id: str | None = None) -> int:
        """Log one written file (action "create" or "overwrite") with its hash and approver."""
        return self._audit.record_file_write(session_id, path=path, sha256=sha256, bytes=bytes, format=format, who=who, action=action, approval_id=approval_id, run_id=run_id)

    def audit(self, session_id: str | None = None) -> list[AuditEntry]:
        return self._audit.audit(session_id)

    # ------------------------------------------------------------------ _log
    def append_events(self, events: Iterable[Any]) -> int:
        """Persist a batch of pipeline events in one transaction (duplicates ignored) and"""
        return self._log.append_events(events)

    def events(self, *, session_id: str | None = None, run_id: str | None = None, after: int = 0, limit: int | None = None, types: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Events in write order; each dict has `pos` (use as `after` to page) and the envelope."""
        return self._log.events(session_id=session_id, run_id=run_id, after=after, limit=limit, types=types)


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
