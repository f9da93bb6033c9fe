"""The application tracker: where each posting of a job search stands, per session.

Three states follow from the work itself — analysed, tailored (changes proposed and decided),
exported (a file was written) — and four are the person's to set, because only they know:
applied, interview, offer, rejected. A set state is kept in the session's settings
(`tracker`), with when it was set, and wins over the derived one; clearing it goes back to the
derived state. The Postings board and `resume-tui sessions` both read it from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from resume_tui.errors import InputError
from resume_tui.models import WorkflowState

TRACKER_STATES = ("analysed", "tailored", "exported", "applied", "interview", "offer", "rejected")
USER_STATES = ("applied", "interview", "offer", "rejected")


def derived_state(workflow: WorkflowState | str) -> str:
    state = WorkflowState(workflow)
    if state == WorkflowState.EXPORTED:
        return "exported"
    if state in (WorkflowState.REWRITE_APPLIED,):
        return "tailored"
    return "analysed"


def tracker_state(workflow: WorkflowState | str, settings: dict[str, Any] | None) -> str:
    chosen = (settings or {}).get("tracker")
    state = chosen.get("state") if isinstance(chosen, dict) else None
    return state if state in USER_STATES else derived_state(workflow)


@dataclass
class PostingRow:
    """One posting on the board (a session with a job), as the board and the CLI show it."""

    session_id: str
    title: str
    company: str
    state: str  # the tracker state
    workflow: str
    fit: float | None
    keywords: float | None
    rank: int | None
    batch_id: str | None
    updated_at: datetime
    files: list[str] = field(default_factory=list)  # paths written (the audit log), oldest first
    source: str | None = None


def postings(store: Any, *, limit: int = 500) -> list[PostingRow]:
    """Every session that has a posting (batch ones and single ones), best Fit first."""
    from resume_tui.models import utcnow

    conn, lock = store.db.conn, store.db.lock
    with lock:
        rows = conn.execute(
            "SELECT id, state, updated_at, json_extract(data, '$.settings'), json_extract(data, '$.job.title'), "
            "json_extract(data, '$.job.company'), json_extract(data, '$.report.score'), "
            "json_extract(data, '$.report.keyword_score'), json_extract(data, '$.job.source_path') FROM sessions "
            "WHERE json_extract(data, '$.job') IS NOT NULL AND state != 'cancelled' ORDER BY updated_at DESC LIMIT ?",
            (limit,)).fetchall()
        writes: dict[str, list[str]] = {}
        for session_id, path in conn.execute("SELECT session_id, path FROM file_writes ORDER BY id"):
            writes.setdefault(session_id, []).append(path)
    out = []
    for sid, workflow, updated, settings_json, title, company, score, keywords, source in rows:
        settings = json.loads(settings_json) if settings_json else {}
        found = settings.get("batch")
        batch: dict[str, Any] = found if isinstance(found, dict) else {}
        out.append(PostingRow(
            session_id=sid, title=title or "", company=company or "", state=tracker_state(workflow, settings),
            workflow=workflow, fit=round(float(score), 1) if score is not None else batch.get("fit"),
            keywords=round(float(keywords), 1) if keywords is not None else batch.get("keywords"),
            rank=batch.get("rank"), batch_id=batch.get("id"),
            updated_at=datetime.fromisoformat(updated) if updated else utcnow(),
            files=writes.get(sid, []), source=batch.get("source") or source))
    out.sort(key=lambda r: (-(r.fit if r.fit is not None else -1.0), r.title.lower()))
    return out


def set_state(store: Any, session_id: str, state: str | None) -> None:
    """Set (or with None clear) the person's tracker state of a session, with an event, in one transaction."""
    from resume_tui.models import utcnow
    from resume_tui.session.repos.database import SessionNotFound

    if state is not None and state not in USER_STATES:
        raise InputError(f"{state!r} is not a state you set; use one of {', '.join(USER_STATES)}.")
    db = store.db
    with db.tx() as conn:
        row = conn.execute("SELECT data FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFound(f"No session has the id {session_id!r}; run `resume-tui sessions list` to see them.")
        doc = json.loads(row[0])
        settings = doc.setdefault("settings", {}) or {}
        if state is None:
            settings.pop("tracker", None)
        else:
            settings["tracker"] = {"state": state, "at": utcnow().isoformat()}
        doc["settings"] = settings
        conn.execute("UPDATE sessions SET data = ?, updated_at = ? WHERE id = ?", (db.json(doc), utcnow().isoformat(),
                                                                                  session_id))
        db.emit(conn, "tracker_changed", session_id=session_id, state=state)


def states(store: Any, session_ids: list[str]) -> dict[str, tuple[str, bool]]:
    """(tracker state, tracked?) of each of these sessions that has a posting (others are left out);
    tracked: it came from a batch or the person set its state."""
    if not session_ids:
        return {}
    marks = ",".join("?" * len(session_ids))
    with store.db.lock:
        rows = store.db.conn.execute(
            f"SELECT id, state, json_extract(data, '$.settings') FROM sessions WHERE id IN ({marks}) "
            "AND json_extract(data, '$.job') IS NOT NULL", session_ids).fetchall()
    out = {}
    for sid, workflow, raw in rows:
        settings = json.loads(raw) if raw else {}
        out[sid] = (tracker_state(workflow, settings), "batch" in settings or "tracker" in settings)
    return out
