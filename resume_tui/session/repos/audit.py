"""Tailored versions per application and the audit log (approvals and file writes).

The audit tables hold no resume text and are kept when a session is deleted or pruned:
every file resume-tui wrote stays accounted for (path, sha256, time, who approved).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from resume_tui.errors import InputError
from resume_tui.models import Resume
from resume_tui.session.base import _at, _guarded, _now
from resume_tui.session.repos.database import Repo


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


class AuditRepo(Repo):
    """Versions and the audit log (approvals, file writes)."""

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
        with self.db.tx() as conn:
            self.db.load_state(conn, session_id)
            cur = conn.execute(
                "INSERT INTO versions (session_id, run_id, label, created_at, score, change_ids, resume) VALUES (?,?,?,?,?,?,?)",
                (session_id, run_id, label, _now(), score, json.dumps(list(change_ids)), self.db.redact(resume.model_dump_json())),
            )
            version_id = _rowid(cur)
            self.db.emit(conn, "version_saved", session_id=session_id, run_id=run_id, version_id=version_id, label=label, score=score)
        return version_id

    @_guarded
    def versions(self, session_id: str) -> list[VersionInfo]:
        with self.db.lock:
            rows = self.db.conn.execute(
                "SELECT id, session_id, label, created_at, score, change_ids, run_id FROM versions WHERE session_id = ? ORDER BY id",
                (session_id,),
            ).fetchall()
        return [VersionInfo(r[0], r[1], r[2], _at(r[3]), r[4], json.loads(r[5]), r[6]) for r in rows]

    @_guarded
    def get_version(self, version_id: int) -> Resume:
        with self.db.lock:
            row = self.db.conn.execute("SELECT resume FROM versions WHERE id = ?", (version_id,)).fetchone()
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
        with self.db.tx() as conn:
            cur = conn.execute(
                "INSERT INTO approvals (session_id, run_id, action, decision, who, subject, ts) VALUES (?,?,?,?,?,?,?)",
                (session_id, run_id, action, decision, who, self.db.json(subject), _now()),
            )
            approval_id = _rowid(cur)
            self.db.emit(conn, f"approval_{decision}", session_id=session_id, run_id=run_id, approval_id=approval_id,
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
        with self.db.tx() as conn:
            cur = conn.execute(
                "INSERT INTO file_writes (session_id, run_id, approval_id, path, format, bytes, sha256, action, who, ts) "
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                (session_id, run_id, approval_id, str(path), format, int(bytes), sha256, action, who, _now()),
            )
            write_id = _rowid(cur)
            self.db.emit(conn, "file_written", session_id=session_id, run_id=run_id, path=str(path), sha256=sha256,
                       bytes=int(bytes), format=format, action=action, who=who, approval_id=approval_id)
        return write_id

    @_guarded
    def audit(self, session_id: str | None = None) -> list[AuditEntry]:
        where, args = ("WHERE session_id = ?", (session_id,)) if session_id else ("", ())
        with self.db.read() as conn:
            approvals = conn.execute(f"SELECT id, session_id, ts, who, action, decision, subject, run_id FROM approvals {where}", args).fetchall()
            writes = conn.execute(
                f"SELECT id, session_id, ts, who, action, path, format, bytes, sha256, approval_id FROM file_writes {where}", args
            ).fetchall()
        entries = [
            AuditEntry("approval", r[0], r[1], _at(r[2]), r[3], r[4], {"decision": r[5], "subject": json.loads(r[6]), "run_id": r[7]})
            for r in approvals
        ] + [
            AuditEntry("file_write", r[0], r[1], _at(r[2]), r[3], r[4],
                       {"path": r[5], "format": r[6], "bytes": r[7], "sha256": r[8], "approval_id": r[9]})
            for r in writes
        ]
        return sorted(entries, key=lambda e: (e.ts, e.kind != "approval", e.id))


def _rowid(cur: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just wrote (always set after a successful INSERT)."""
    assert cur.lastrowid is not None
    return cur.lastrowid
