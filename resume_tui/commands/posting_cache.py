"""Linked postings are fetched once: `tailor` stores the page's posting with its session and a
re-run (`analyze` or `tailor` with the same link) reads it from there instead of the network.

The stored copy is the session's JobDescription text (what the analysis read) plus a small
record in the session's settings (`posting`: url, fetched_at, format, title, company).
`--refetch` skips the lookup. A store that cannot be opened only means fetching again.
"""

from __future__ import annotations

from typing import Any

from resume_tui.config import Settings, db_path
from resume_tui.documents.postings import Posting

LOOKBACK_SESSIONS = 50

# postings loaded in this process, by URL, so the command that loaded one can store its record
_LOADED: dict[str, Posting] = {}


def remember(posting: Posting) -> None:
    if posting.source_path:
        _LOADED[posting.source_path] = posting


def session_settings(job: Any) -> dict[str, Any]:
    """`{"posting": record}` for a job read from a link in this process, else {}."""
    posting = _LOADED.get(getattr(job, "source_path", None) or "")
    return {"posting": posting.record()} if posting is not None else {}


def stored_posting(url: str, cfg: Settings) -> Posting | None:
    """The posting an earlier session fetched from `url`, newest first, or None."""
    if not db_path().exists():
        return None
    from resume_tui.session.db import StoreError
    from resume_tui.session.store import open_store

    try:
        store = open_store(cfg, prune=False)
    except (StoreError, OSError, ValueError):
        return None
    try:
        for summary in store.list_sessions(limit=LOOKBACK_SESSIONS):
            session = store.get_session(summary.id)
            record = session.settings.posting
            job = session.job
            if not isinstance(record, dict) or record.get("url") != url or job is None or job.source_path != url:
                continue
            when = str(record.get("fetched_at") or "")[:10] or "an earlier run"
            note = (f"Using the posting fetched from this link on {when} (session {session.id[:8]}); "
                    "pass --refetch to fetch it again.")
            return Posting(text=job.text, title=record.get("title") or job.title, company=record.get("company") or job.company,
                           source_format=job.source_format, warnings=[note], label=str(record.get("format") or "web page"),
                           source_path=url, fetched_at=record.get("fetched_at"))
    except (StoreError, OSError, ValueError):
        return None
    finally:
        store.close()
    return None
