"""The event log: persisting pipeline events in batches and deriving current state from them.

Each event is inserted once (its event_id is the key, replays are ignored) and, only when
new, applied: run_started registers the run (and this process takes its lock),
run_completed/failed/interrupted close it with the pipeline's summary, task_* events
upsert task records (a `result` in a task_completed payload is kept for resume), and
change_* events update proposed changes and decisions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from resume_tui.models import Change, CustomizationLevel, Run, RunStatus, TaskRecord, Usage
from resume_tui.session.base import _guarded
from resume_tui.session.events import RUN_END, normalize
from resume_tui.session.repos.changes import ChangeRepo
from resume_tui.session.repos.database import Database, Repo
from resume_tui.session.repos.runs import RunRepo


class EventRepo(Repo):
    """append_events, events, event_sink; applying an event updates runs, tasks and changes."""

    def __init__(self, db: Database, runs: RunRepo, changes: ChangeRepo) -> None:
        super().__init__(db)
        self.runs = runs
        self.changes = changes

    # ------------------------------------------------------------------ events

    @_guarded
    def append_events(self, events: Iterable[Any]) -> int:
        """Persist a batch of pipeline events in one transaction (duplicates ignored) and
        update runs/tasks/changes from them. Returns how many were new."""
        rows = [e if isinstance(e, dict) and "payload" in e and "event_id" in e else normalize(e) for e in events]
        if not rows:
            return 0
        new = 0
        with self.db.tx() as conn:
            for row in rows:
                if self.db.insert_event(conn, row):
                    new += 1
                    if row["type"] not in _NO_EFFECT:
                        try:
                            self._apply(conn, row)
                        except ValueError:  # a malformed payload: keep the event, derive nothing from it
                            pass
        for row in rows:  # locks outside the transaction: a finished run frees its lock
            if row["type"] in RUN_END:
                self.runs.release_run(row["run_id"])
        return new

    def _apply(self, conn: sqlite3.Connection, row: dict[str, Any]) -> None:
        """Derive current state from a pipeline event (runs, task results, proposed changes)."""
        etype, run_id, session_id, payload = row["type"], row["run_id"], row["session_id"], row["payload"]
        if etype == "run_started" and run_id:
            if conn.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone() is None:
                level = payload.get("level") or CustomizationLevel.MODERATE.value
                run = Run(id=run_id, session_id=session_id or "", level=CustomizationLevel(level))
                self.runs.insert_run(conn, run)
                if run_id not in self.runs.run_locks:  # this process runs it: hold its lock until it ends
                    lock = self.runs.run_lock(run_id)
                    if lock.try_acquire():
                        self.runs.run_locks[run_id] = lock
        elif etype in RUN_END and run_id:
            status = RunStatus(RUN_END[etype])
            if etype == "run_completed" and payload.get("tier") == "partial":
                status = RunStatus.PARTIAL
            usage = payload.get("usage")
            self.runs.set_run_status(
                conn, run_id, status, Usage.model_validate(usage) if isinstance(usage, dict) else None, summary=dict(payload)
            )
        elif etype.startswith("task_") and run_id:
            record = _task_record(payload, etype)
            if record is not None:
                self.runs.upsert_task(conn, run_id, record, payload.get("result") if etype == "task_completed" else None)
        elif etype == "change_proposed" and session_id and isinstance(payload.get("change"), dict):
            if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                change = Change.model_validate(payload["change"])
                self.changes.upsert_changes(conn, session_id, [change], run_id=run_id)
        elif etype in ("change_accepted", "change_rejected") and session_id and payload.get("change_id"):
            if etype == "change_rejected" and _withdrawn(payload):
                # A live (provisional) proposal the run's final result replaced: nobody decided
                # it, so it goes, and a reopened session lists exactly the final changes. A
                # change a person already decided is left as they decided it.
                conn.execute(
                    "DELETE FROM changes WHERE session_id = ? AND id = ? AND (decided_by IS NULL OR decided_by = 'pipeline')",
                    (session_id, payload["change_id"]),
                )
                return
            decision = "accepted" if etype == "change_accepted" else "rejected"
            conn.execute(
                "UPDATE changes SET status = ?, decided_at = ?, decided_by = coalesce(decided_by, ?) WHERE session_id = ? AND id = ?",
                (decision, row["ts"], payload.get("who", "pipeline"), session_id, payload["change_id"]),
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
        clauses: list[str] = ["rowid > ?"]
        args: list[Any] = [after]
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
        with self.db.lock:
            rows = self.db.conn.execute(sql, args).fetchall()
        return [
            {"pos": r[0], "event_id": r[1], "run_id": r[2], "session_id": r[3], "seq": r[4], "type": r[5], "ts": r[6], "payload": json.loads(r[7])}
            for r in rows
        ]


_NO_EFFECT = frozenset({"task_progress", "session_created", "state_changed", "version_saved"})
_TASK_STATUS = {"task_started": "running", "task_retried": "running", "task_completed": "completed", "task_failed": "failed"}


def _withdrawn(payload: dict[str, Any]) -> bool:
    """The pipeline's `change_rejected` for a superseded live proposal (not a decision)."""
    return payload.get("who") == "pipeline" and str(payload.get("reason") or "").startswith("superseded")


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
