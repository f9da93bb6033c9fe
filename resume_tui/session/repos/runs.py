"""Runs and their tasks: start, finish, crash recovery and resume with finished tasks reused.

A live run holds a lock file (see locks.py) for as long as its process lives, so "is the
run still going?" never depends on pids or clocks: on open, any run left 'running' whose
lock can be taken belongs to a dead process and is marked 'interrupted'.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resume_tui.errors import InputError
from resume_tui.models import CustomizationLevel, Run, RunStatus, TaskRecord, TaskStatus, Usage
from resume_tui.session import db
from resume_tui.session.base import _at, _dt, _guarded, _now, as_enum, new_id
from resume_tui.session.locks import FileLock, LockBusy
from resume_tui.session.repos.database import Database, Repo


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


class RunRepo(Repo):
    """Runs, tasks and the locks that tell live runs from dead ones."""

    def __init__(self, db: Database, lock_dir: Path) -> None:
        super().__init__(db)
        self.lock_dir = lock_dir
        self.run_locks: dict[str, FileLock] = {}

    def release_all(self) -> None:
        """On close: give up every run lock this process holds."""
        for lock in self.run_locks.values():
            lock.release()
        self.run_locks.clear()

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
        with self.db.lock:
            running = [r[0] for r in self.db.conn.execute(
                "SELECT id FROM runs WHERE session_id = ? AND status = 'running'", (session_id,)
            )]
        return all(self.run_lock_free(run_id) for run_id in running)

    def run_lock(self, run_id: str) -> FileLock:
        return FileLock.for_name(self.lock_dir, f"run-{run_id}")

    def run_lock_free(self, run_id: str) -> bool:
        return run_id not in self.run_locks and self.run_lock(run_id).is_free()

    def claim_run(self, run_id: str) -> None:
        if run_id in self.run_locks:
            raise RunBusy(f"Run {run_id} is already running in this window; wait for it or cancel it.")
        lock = self.run_lock(run_id)
        if not lock.try_acquire():
            raise RunBusy(f"Run {run_id} is running in another resume-tui; wait for it or cancel it there.")
        self.run_locks[run_id] = lock

    def release_run(self, run_id: str) -> None:
        lock = self.run_locks.pop(run_id, None)
        if lock is not None:
            lock.release(remove=True)  # a finished run leaves no lock file behind

    # ------------------------------------------------------------------ runs

    @_guarded
    def recover_interrupted(self) -> list[str]:
        """Mark runs left 'running' by a dead process as 'interrupted' (with an event)."""
        with self.db.lock:
            running = [tuple(r) for r in self.db.conn.execute("SELECT id, session_id FROM runs WHERE status = 'running'")]
        marked = []
        for run_id, session_id in running:
            if run_id in self.run_locks:
                continue
            probe = self.run_lock(run_id)
            if not probe.try_acquire():
                continue  # its process is alive
            try:
                with self.db.tx() as conn:
                    row = conn.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()
                    if row and row[0] == RunStatus.RUNNING.value:
                        self.set_run_status(conn, run_id, RunStatus.INTERRUPTED)
                        conn.execute(
                            "UPDATE tasks SET status = 'pending' WHERE run_id = ? AND status = 'running'", (run_id,)
                        )
                        self.db.emit(conn, "run_interrupted", session_id=session_id, run_id=run_id, reason="process ended")
                        marked.append(run_id)
            finally:
                probe.release()
        return marked

    def set_run_status(
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
            conn.execute("UPDATE runs SET data = ? WHERE id = ?", (self.db.json(data), run_id))

    @_guarded
    def start_run(self, session_id: str, *, level: CustomizationLevel | str = CustomizationLevel.MODERATE, run_id: str | None = None) -> Run:
        """Register a new run and hold its lock; refused while another run of the session is live."""
        self.recover_interrupted()
        with self.db.lock:
            live = [r[0] for r in self.db.conn.execute(
                "SELECT id FROM runs WHERE session_id = ? AND status = 'running'", (session_id,)
            )]
        if live:
            raise RunBusy(f"Session {session_id} already has a run in progress ({live[0]}); wait for it or cancel it.")
        run = Run(id=run_id or new_id("run-"), session_id=session_id, level=as_enum(CustomizationLevel, level, "customization level"))
        self.claim_run(run.id)
        try:
            with self.db.tx() as conn:
                self.db.load_state(conn, session_id)
                self.insert_run(conn, run)
        except BaseException:
            self.release_run(run.id)
            raise
        return run

    def insert_run(self, conn: sqlite3.Connection, run: Run) -> None:
        conn.execute(
            "INSERT INTO runs (id, session_id, status, started_at, finished_at, data, level) VALUES (?,?,?,?,?,?,?)",
            (
                run.id,
                run.session_id,
                run.status.value,
                run.started_at.isoformat(),
                None,
                self.db.json({"usage": run.usage.model_dump(mode="json")}),
                run.level.value,
            ),
        )

    @_guarded
    def finish_run(self, run_id: str, status: RunStatus | str, *, usage: Usage | None = None) -> None:
        """End a run (completed/partial/failed/cancelled/interrupted) and release its lock."""
        status = as_enum(RunStatus, status, "run status")
        etype = {RunStatus.COMPLETED: "run_completed", RunStatus.PARTIAL: "run_completed", RunStatus.FAILED: "run_failed",
                 RunStatus.INTERRUPTED: "run_interrupted", RunStatus.CANCELLED: "run_cancelled"}.get(status)
        if etype is None:
            raise InputError(f"A run cannot finish as {status.value}; use completed, partial, failed, cancelled or interrupted.")
        with self.db.tx() as conn:
            row = conn.execute("SELECT session_id FROM runs WHERE id = ?", (run_id,)).fetchone()
            if row is None:
                raise InputError(f"No run has the id {run_id!r}.")
            self.set_run_status(conn, run_id, status, usage)
            self.db.emit(conn, etype, session_id=row[0], run_id=run_id, status=status.value)
        self.release_run(run_id)

    @_guarded
    def get_run(self, run_id: str) -> Run:
        with self.db.read() as conn:
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
            started_at=_at(row[4]),
            finished_at=_dt(row[5]),
            usage=Usage.model_validate(data.get("usage") or {}),
            tasks=[TaskRecord.model_validate_json(rec).model_copy(update={"status": TaskStatus(st)}) for rec, st in tasks],
        )

    @_guarded
    def run_summary(self, run_id: str) -> dict[str, Any]:
        """What the pipeline reported when the run ended (tier, task counts, tokens, cost)."""
        with self.db.lock:
            row = self.db.conn.execute("SELECT data FROM runs WHERE id = ?", (run_id,)).fetchone()
        return dict(json.loads(row[0]).get("summary") or {}) if row else {}

    @_guarded
    def runs(self, session_id: str) -> list[Run]:
        with self.db.read() as conn:
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
        with self.db.lock:
            ids = [r[0] for r in self.db.conn.execute(sql + " ORDER BY started_at DESC", args)]
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
        self.claim_run(run_id)
        try:
            with self.db.tx() as conn:
                self.set_run_status(conn, run_id, RunStatus.RUNNING)
                conn.execute("UPDATE runs SET resumed = resumed + 1 WHERE id = ?", (run_id,))
                completed = self._completed(conn, run_id)
                self.db.emit(conn, "run_resumed", session_id=run.session_id, run_id=run_id, reused=sorted(completed))
        except BaseException:
            self.release_run(run_id)
            raise
        return ResumePoint(run=self.get_run(run_id), completed=completed)

    # ------------------------------------------------------------------ tasks

    @_guarded
    def save_task(self, run_id: str, record: TaskRecord, result: Any = None) -> None:
        """Upsert one task's record (and its result when completed) — the pipeline's resume hook."""
        with self.db.tx() as conn:
            self.upsert_task(conn, run_id, record, result)

    def upsert_task(self, conn: sqlite3.Connection, run_id: str, record: TaskRecord, result: Any) -> None:
        payload = None if result is None else self.db.json(result)
        conn.execute(
            "INSERT INTO tasks (run_id, name, status, record, result, updated_at) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT(run_id, name) DO UPDATE SET status = excluded.status, record = excluded.record, "
            "result = coalesce(excluded.result, tasks.result), updated_at = excluded.updated_at",
            (run_id, record.name, record.status.value, self.db.redact(record.model_dump_json()), payload, _now()),
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
        with self.db.lock:
            return self._completed(self.db.conn, run_id)
