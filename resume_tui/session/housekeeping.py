"""Keeping the session list tidy from the app: rename, delete, and demo sessions that do
not pile up (every demo used to add one).

A user-given name and the demo mark live in the session's own settings (`name`, `demo`),
so they travel with the session document and need no schema change; the store's `title`
column prefers the name. Runs on the store thread (the app's StoreLink), never on the UI.
"""

from __future__ import annotations

import json
from typing import Any

from resume_tui.errors import InputError

NAME_LIMIT = 80


def clean_name(name: str) -> str:
    """One line, trimmed, at most NAME_LIMIT characters; empty is refused."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InputError("A session name cannot be empty; type a few words or press Esc.")
    return cleaned[:NAME_LIMIT]


def rename_session(store: Any, session_id: str, name: str) -> str:
    """Give a session a name the list shows instead of "person → role"; returns the name kept."""
    cleaned = clean_name(name)
    with store.db.tx() as conn:  # one transaction of the store that owns the data
        row = conn.execute("SELECT data FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise InputError(f"Session {session_id} no longer exists; the list is refreshed.")
        doc = json.loads(row[0]) if row[0] else {}
        doc.setdefault("settings", {})["name"] = cleaned
        conn.execute("UPDATE sessions SET data = ?, title = ? WHERE id = ?",
                     (json.dumps(doc, ensure_ascii=False), cleaned, session_id))
    return cleaned


def demo_ids(store: Any) -> set[str]:
    """The sessions started from the bundled demo."""
    with store.db.read() as conn:
        rows = conn.execute("SELECT id FROM sessions WHERE json_extract(data, '$.settings.demo') = 1").fetchall()
    return {r[0] for r in rows}


def prune_demos(store: Any, keep: str) -> list[str]:
    """Delete every demo session but `keep` (the newest); one open elsewhere is left alone."""
    removed = []
    for session_id in sorted(demo_ids(store) - {keep}):
        if store.session_free(session_id) and store.delete_session(session_id):
            removed.append(session_id)
    return removed
