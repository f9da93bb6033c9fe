"""The one SQLite connection every repository shares: opening (with repair), transactions, events.

Opening checks the file and moves a damaged one aside (the UI shows `notice`), then
migrates the schema. `tx()` is one write transaction, `read()` one consistent snapshot;
`emit` writes an event row inside the caller's transaction, so state and its event are
committed together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from resume_tui.errors import InputError
from resume_tui.models import WorkflowState
from resume_tui.session import db
from resume_tui.session.db import StoreCorrupt
from resume_tui.session.events import dumps, normalize
from resume_tui.session.redact import Redactor


class SessionNotFound(InputError):
    """No session with that id (or id prefix)."""


class Database:
    """Open with the path; `conn` and `lock` are shared by the repositories (one connection, thread-safe)."""

    def __init__(self, path: Path, redact: Redactor, *, timeout_s: float, recover: bool) -> None:
        self.path = path
        self.redact = redact
        self.notice: str | None = None  # one sentence for the UI when something was repaired
        self.moved_aside: Path | None = None
        self.migrated_from: int | None = None
        self.lock = threading.RLock()
        self.conn = self._open(timeout_s, recover)

    def _open(self, timeout_s: float, recover: bool) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self.connect_checked(timeout_s)
        except (sqlite3.Error, OSError) as exc:
            if not db.is_corruption(exc) or not self.path.exists():
                raise db.describe(exc, self.path) from None
            if not recover:
                raise StoreCorrupt(
                    f"The session database {self.path} is damaged ({exc}); move it aside or run resume-tui to start fresh."
                ) from None
            try:
                self.moved_aside = db.move_aside(self.path)
                conn = self.connect_checked(timeout_s)
            except (sqlite3.Error, OSError) as again:
                raise db.describe(again, self.path) from None
            self.notice = (
                f"The session database was damaged; it was kept as {self.moved_aside.name} "
                "and a fresh one was started."
            )
        try:
            self.migrated_from = db.migrate(conn)
        except (sqlite3.Error, OSError) as exc:
            conn.close()
            raise db.describe(exc, self.path) from None
        except BaseException:
            conn.close()
            raise
        return conn

    def connect_checked(self, timeout_s: float) -> sqlite3.Connection:
        conn = db.connect(self.path, timeout_s=timeout_s)
        problems = db.quick_check(conn)
        if problems:
            conn.close()
            raise sqlite3.DatabaseError(f"database disk image is malformed: {problems[0]}")
        return conn

    def close(self) -> None:
        with self.lock:
            try:
                self.conn.close()
            except sqlite3.Error:
                pass

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; BEGIN IMMEDIATE takes the write lock up front (busy_timeout waits)."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for multi-statement reads."""
        with self.lock:
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("COMMIT")

    def json(self, value: Any) -> str:
        return self.redact(dumps(value))

    def emit(self, conn: sqlite3.Connection, type: str, *, session_id: str | None, run_id: str | None = None, **payload: Any) -> dict[str, Any]:
        row = normalize({"type": type, "session_id": session_id, "run_id": run_id, "payload": payload})
        self.insert_event(conn, row)
        return row

    def insert_event(self, conn: sqlite3.Connection, row: dict[str, Any]) -> bool:
        cur = conn.execute(
            "INSERT OR IGNORE INTO events (event_id, run_id, session_id, seq, type, ts, payload) VALUES (?,?,?,?,?,?,?)",
            (row["event_id"], row["run_id"], row["session_id"], row["seq"], row["type"], row["ts"], self.json(row["payload"])),
        )
        return cur.rowcount == 1

    def load_state(self, conn: sqlite3.Connection, session_id: str) -> tuple[WorkflowState, list[WorkflowState], dict[str, Any]]:
        row = conn.execute("SELECT state, stale, data FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFound(f"No session has the id {session_id!r}; run `resume-tui sessions list` to see them.")
        return WorkflowState(row[0]), [WorkflowState(s) for s in json.loads(row[1])], json.loads(row[2])



class Repo:
    """A repository: a view of some tables over the shared Database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def path(self) -> Path:  # read by `_guarded` to name the file in its one-sentence errors
        return self.db.path
