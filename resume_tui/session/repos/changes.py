"""Proposed changes and the decisions on them, each decision logged with its event.

The pipeline proposes (upsert, keeping a person's decision), a person decides (accept,
reject, edit), and both land in the same transaction as their event.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from resume_tui.errors import InputError
from resume_tui.models import (
    Change,
    ChangeStatus,
)
from resume_tui.session.base import _guarded, _now, as_enum
from resume_tui.session.repos.database import Repo


class ChangeRepo(Repo):
    """The changes table of every session."""

    @_guarded
    def save_changes(self, session_id: str, changes: Sequence[Change], *, run_id: str | None = None) -> None:
        """Upsert proposed changes; a decision already taken is kept when the same change
        comes back pending (a resumed run re-proposing it)."""
        with self.db.tx() as conn:
            self.db.load_state(conn, session_id)
            self.upsert_changes(conn, session_id, changes, run_id=run_id)
            conn.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (_now(), session_id))

    def upsert_changes(
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
                 self.db.redact(change.model_copy(update={"status": ChangeStatus(status)}).model_dump_json())),
            )
            if decided:
                self._log_decision(conn, session_id, change.id, ChangeStatus(status), who=who, run_id=run_id, edited=False)

    def keep_only(self, conn: sqlite3.Connection, session_id: str, changes: Sequence[Change]) -> None:
        """The UI's copy is the whole list: a change it no longer holds (a re-run stopped proposing it,
        a withdrawn fact took it) is deleted, so a reopened session shows exactly what was left."""
        ids = [c.id for c in changes]
        marks = ",".join("?" * len(ids))
        where = f"session_id = ? AND id NOT IN ({marks})" if ids else "session_id = ?"
        conn.execute(f"DELETE FROM changes WHERE {where}", (session_id, *ids))

    def _log_decision(
        self, conn: sqlite3.Connection, session_id: str, change_id: str, status: ChangeStatus, *, who: str,
        run_id: str | None, edited: bool,
    ) -> None:
        conn.execute(
            "UPDATE changes SET decided_at = ?, decided_by = ? WHERE session_id = ? AND id = ?",
            (_now(), who, session_id, change_id),
        )
        etype = {ChangeStatus.ACCEPTED: "change_accepted", ChangeStatus.REJECTED: "change_rejected"}.get(status, "change_reset")
        self.db.emit(conn, etype, session_id=session_id, run_id=run_id, change_id=change_id, who=who, edited=edited)

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
        with self.db.tx() as conn:
            row = conn.execute("SELECT data FROM changes WHERE session_id = ? AND id = ?", (session_id, change_id)).fetchone()
            if row is None:
                raise InputError(f"Session {session_id} has no change {change_id!r}.")
            change = Change.model_validate_json(row[0])
            if after is not None:
                change = change.model_copy(update={"after": after})
            change = change.model_copy(update={"status": status})
            conn.execute(
                "UPDATE changes SET status = ?, data = ? WHERE session_id = ? AND id = ?",
                (status.value, self.db.redact(change.model_dump_json()), session_id, change_id),
            )
            conn.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (_now(), session_id))
            self._log_decision(conn, session_id, change_id, status, who=who, run_id=run_id, edited=after is not None)
        return change
