"""`resume-tui sessions [list|show ID|delete ID|prune]`: saved sessions from the shell.

Ids may be given as a unique prefix (like git). Deleting removes a session's content and
history but keeps the audit log (approvals and file writes). Errors are InputErrors, so
the CLI prints one line and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from resume_tui.errors import InputError
from resume_tui.textsafe import display_safe


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(action="list", json=False, all=False, limit=50)
    # `sessions --json` (as the README shows it) and `sessions list --json` both work: the
    # sub-commands' flags default to SUPPRESS so they never reset one given before them.
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    p = sub.add_parser("list", help="recent sessions, newest first (default)")
    p.add_argument("--all", action="store_true", default=argparse.SUPPRESS, help="include cancelled sessions")
    p.add_argument("--limit", type=int, default=argparse.SUPPRESS, help="show at most N sessions (default 50)")
    _json_flag(p)
    p = sub.add_parser("show", help="one session: state, documents, runs, changes, audit log")
    p.add_argument("id", metavar="ID", help="session id or a unique prefix of it")
    _json_flag(p)
    p = sub.add_parser("delete", help="delete a session (its audit log is kept)")
    p.add_argument("id", metavar="ID", help="session id or a unique prefix of it")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _json_flag(p)
    p = sub.add_parser("track", help="set where an application stands: applied, interview, offer, rejected (or clear)")
    p.add_argument("id", metavar="ID", help="session id or a unique prefix of it")
    p.add_argument("state", metavar="STATE", help="applied, interview, offer, rejected, or clear")
    _json_flag(p)
    p = sub.add_parser("prune", help="delete sessions untouched for longer than the TTL")
    p.add_argument("--older-than", type=int, metavar="DAYS", help="override session_ttl_days from the config")
    p.add_argument("--dry-run", action="store_true", help="only list what would be deleted")
    _json_flag(p)


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document")


def run(args: argparse.Namespace, console: Any = None) -> int:
    from resume_tui.config import load_settings
    from resume_tui.session.store import Store

    settings = load_settings()
    with Store.open(settings=settings) as store:
        if store.notice:
            print(f"resume-tui: warning: {store.notice}", file=sys.stderr)
        action = getattr(args, "action", None) or "list"
        handler = {"list": _list, "show": _show, "delete": _delete, "prune": _prune, "track": _track}[action]
        return handler(store, args, settings, console)


# ---------------------------------------------------------------------------- helpers


def _console(console: Any) -> Any:
    if console is not None:
        return console
    from rich.console import Console

    return Console(highlight=False)


def _print_json(document: Any) -> None:
    import json

    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()


def _ago(when: datetime | None) -> str:
    if when is None:
        return "-"
    from resume_tui.models import utcnow

    seconds = max(0, int((utcnow() - when).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return "just now"


def _summary_doc(s: Any, tracker: str | None = None) -> dict[str, Any]:
    return {
        "tracker": tracker,
        "id": s.id,
        "title": s.title,
        "state": s.state.value,
        "stale": [x.value for x in s.stale],
        "created_at": s.created_at.isoformat(),
        "updated_at": s.updated_at.isoformat(),
        "runs": s.runs,
        "last_run_status": s.last_run_status.value if s.last_run_status else None,
        "changes": {"total": s.changes, "accepted": s.accepted, "rejected": s.rejected},
    }


# ---------------------------------------------------------------------------- actions


def _list(store: Any, args: argparse.Namespace, settings: Any, console: Any) -> int:
    from resume_tui.session.services.batch_pending import pending
    from resume_tui.session.tracker import states

    sessions = store.list_sessions(limit=max(1, args.limit), include_cancelled=args.all)
    tracked = states(store, [s.id for s in sessions])
    waiting = pending(store)
    if args.json:
        doc: dict[str, Any] = {"sessions": [_summary_doc(s, tracked[s.id][0] if s.id in tracked else None)
                                            for s in sessions]}
        if waiting:
            doc["provider_batches"] = [{"job_id": b.job_id, "provider": b.provider, "model": b.model,
                                        "requests": b.requests, "submitted_at": b.submitted_at.isoformat(),
                                        "state": b.state_label} for b in waiting]
        _print_json(doc)
        return 0
    out = _console(console)
    if not sessions:
        out.print("No saved sessions. Run `resume-tui` to start one.")
        _print_waiting(out, waiting)
        return 0
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold")
    tracking = any(flag for _, flag in tracked.values())  # the tracker column appears once there is something to track
    for column in ("ID", "STATE", *(("TRACKER",) if tracking else ()), "TITLE", "UPDATED", "RUNS", "CHANGES"):
        table.add_column(column, overflow="fold")
    for s in sessions:
        state = s.state.value + (f" (stale: {', '.join(x.value for x in s.stale)})" if s.stale else "")
        runs = f"{s.runs}" + (f" ({s.last_run_status.value})" if s.last_run_status else "")
        changes = f"{s.accepted}✓ {s.rejected}✗ / {s.changes}" if s.changes else "-"
        tracker = (tracked[s.id][0] if s.id in tracked else "-",) if tracking else ()
        table.add_row(s.id, state, *tracker, Text(display_safe(s.title or "(untitled)", single_line=True)), _ago(s.updated_at), runs, changes)
    out.print(table)
    _print_waiting(out, waiting)
    return 0


def _print_waiting(out: Any, waiting: list[Any]) -> None:
    """One line per provider batch a `batch` left waiting, and how to finish its job."""
    from rich.text import Text

    for b in waiting:
        out.print(Text(f"Provider batch waiting: job {b.job_id} · {display_safe(b.provider + '/' + b.model, single_line=True)}"
                       f" · {b.requests} request{'s' if b.requests != 1 else ''} · sent {b.submitted_at:%Y-%m-%d %H:%M} "
                       f"UTC · {b.state_label} — `resume-tui batch --resume {b.job_id}` collects it"), soft_wrap=True)


def _track(store: Any, args: argparse.Namespace, settings: Any, console: Any) -> int:
    from resume_tui.session.tracker import USER_STATES, set_state, states

    wanted = args.state.strip().lower()
    if wanted not in (*USER_STATES, "clear"):
        raise InputError(f"{args.state!r} is not a state you set; use one of {', '.join(USER_STATES)}, or clear.")
    session_id = store.resolve_id(args.id)
    set_state(store, session_id, None if wanted == "clear" else wanted)
    now = states(store, [session_id]).get(session_id, (None, False))[0]
    if args.json:
        _print_json({"id": session_id, "tracker": now})
    else:
        _console(console).print(f"Session {session_id}: {now}")
    return 0


def session_document(store: Any, session_id: str) -> dict[str, Any]:
    """Everything `sessions show --json` prints (no resume text beyond names and counts)."""
    session = store.get_session(session_id)
    runs = []
    for run in store.runs(session_id):
        summary = store.run_summary(run.id)
        runs.append(
            {
                "id": run.id,
                "status": run.status.value,
                "level": run.level.value,
                "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                "tasks": {"completed": sum(t.status.value == "completed" for t in run.tasks), "total": len(run.tasks)},
                "tier": summary.get("tier"),
                "tokens": summary.get("tokens", run.usage.total_tokens),
                "cost_usd": summary.get("cost_usd", run.usage.cost_usd),
                "unpriced_tokens": run.usage.unpriced_tokens,  # a model with no price: cost_usd leaves these out
            }
        )
    resume, job = session.resume, session.job
    from resume_tui.session.tracker import tracker_state

    return {
        "id": session.id,
        "state": session.state.value,
        "tracker": tracker_state(session.state, session.settings.stored()) if session.job is not None else None,
        "stale": [s.value for s in session.stale],
        "created_at": session.created_at.isoformat(),
        "updated_at": session.updated_at.isoformat(),
        "resume": None
        if resume is None
        else {"name": resume.contact.name, "source_path": resume.source_path, "format": resume.source_format.value,
              "sections": len(resume.sections)},
        "job": None
        if job is None
        else {"title": job.title, "company": job.company, "requirements": len(job.requirements)},
        "score": None if session.report is None else round(session.report.score, 1),
        "changes": [
            {"id": c.id, "section": c.section_id, "action": c.action.value, "verdict": c.verdict.value, "status": c.status.value}
            for c in session.changes
        ],
        "runs": runs,
        "versions": [
            {"id": v.id, "label": v.label, "score": v.score, "created_at": v.created_at.isoformat(), "changes": len(v.change_ids)}
            for v in store.versions(session_id)
        ],
        "audit": [
            {"kind": a.kind, "ts": a.ts.isoformat(), "who": a.who, "action": a.action, **a.detail} for a in store.audit(session_id)
        ],
        "in_use": not store.session_free(session_id),
    }


def _show(store: Any, args: argparse.Namespace, settings: Any, console: Any) -> int:
    doc = session_document(store, store.resolve_id(args.id))
    if args.json:
        _print_json(doc)
        return 0
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    def plain(value: object) -> str:  # names, titles and paths come from documents: inert text only
        return escape(display_safe(value, single_line=True))

    out = _console(console)
    out.print(f"[bold]Session {doc['id']}[/bold]" + ("  (open in another resume-tui)" if doc["in_use"] else ""))
    stale = f"  stale: {', '.join(doc['stale'])}" if doc["stale"] else ""
    out.print(f"State: {doc['state']}{stale}")
    out.print(f"Created {doc['created_at']}, updated {doc['updated_at']}")
    if doc["resume"]:
        r = doc["resume"]
        out.print(f"Resume: {plain(r['name'] or '(no name)')} — {r['sections']} sections ({r['format']}{', ' + plain(r['source_path']) if r['source_path'] else ''})")
    if doc["job"]:
        j = doc["job"]
        out.print(f"Job: {plain(' @ '.join(x for x in (j['title'], j['company']) if x) or '(untitled)')} — {j['requirements']} requirements")
    if doc["score"] is not None:
        out.print(f"Match score: {doc['score']}")
    changes = doc["changes"]
    if changes:
        counts = {k: sum(c["status"] == k for c in changes) for k in ("accepted", "rejected", "pending")}
        out.print(f"Changes: {len(changes)} ({counts['accepted']} accepted, {counts['rejected']} rejected, {counts['pending']} pending)")
    if doc["runs"]:
        table = Table(title="Runs", box=None, header_style="bold", title_justify="left")
        for column in ("RUN", "STATUS", "LEVEL", "TASKS", "TOKENS", "COST", "STARTED"):
            table.add_column(column)
        for r in doc["runs"]:
            table.add_row(r["id"], r["status"] + (f" ({r['tier']})" if r["tier"] else ""), r["level"],
                          f"{r['tasks']['completed']}/{r['tasks']['total']}", str(r["tokens"] or 0),
                          _cost(r), r["started_at"][:19])
        out.print(table)
    for v in doc["versions"]:
        out.print(f"Version {v['id']}: {plain(v['label'] or '(unlabelled)')} score {v['score']} ({v['changes']} changes) {v['created_at'][:19]}")
    if doc["audit"]:
        table = Table(title="Audit log", box=None, header_style="bold", title_justify="left")
        for column in ("TIME", "WHO", "WHAT", "DETAIL"):
            table.add_column(column, overflow="fold")
        for a in doc["audit"]:
            if a["kind"] == "approval":
                files = a.get("subject")
                detail = f"{a['decision']} {a['action']}: {files}"
            else:
                detail = f"{a['action']} {a['path']} ({a['format']}, {a['bytes']} B, sha256 {a['sha256'][:12]}…)"
            table.add_row(a["ts"][:19], a["who"], a["kind"], Text(display_safe(detail)))
        out.print(table)
    return 0


def _delete(store: Any, args: argparse.Namespace, settings: Any, console: Any) -> int:
    session_id = store.resolve_id(args.id)
    if not args.yes:
        if not sys.stdin or not sys.stdin.isatty():
            raise InputError(f"Deleting session {session_id} needs confirmation; add --yes to delete without asking.")
        from rich.prompt import Confirm

        if not Confirm.ask(f"Delete session {session_id} and its history (the audit log is kept)?", default=False):
            print("Nothing deleted.", file=sys.stderr)
            return 0
    store.delete_session(session_id)
    if args.json:
        _print_json({"deleted": [session_id]})
    else:
        _console(console).print(f"Deleted session {session_id} (its audit log is kept).")
    return 0


def _prune(store: Any, args: argparse.Namespace, settings: Any, console: Any) -> int:
    days = settings.session_ttl_days if args.older_than is None else args.older_than
    if args.older_than is not None and args.older_than < 1:
        raise InputError("--older-than needs a number of days of 1 or more.")
    if days <= 0:
        message = "session_ttl_days is 0 (keep sessions forever); nothing pruned. Use --older-than DAYS to prune anyway."
        if args.json:
            _print_json({"deleted": [], "older_than_days": 0})
        else:
            _console(console).print(message)
        return 0
    if args.dry_run:
        from datetime import timedelta

        from resume_tui.models import utcnow

        cutoff = utcnow() - timedelta(days=days)
        would = [s.id for s in store.list_sessions(limit=None) if s.updated_at < cutoff and store.session_free(s.id)]
        if args.json:
            _print_json({"would_delete": would, "older_than_days": days})
        else:
            _console(console).print(f"Would delete {len(would)} session(s) untouched for {days}+ days: {' '.join(would) or '-'}")
        return 0
    removed = store.prune(days)
    if args.json:
        _print_json({"deleted": removed, "older_than_days": days})
    else:
        _console(console).print(f"Deleted {len(removed)} session(s) untouched for {days}+ days" + (f": {' '.join(removed)}" if removed else "."))
    return 0


def _cost(run: dict) -> str:
    """"$0.0123"; "unknown price" for a run whose model had none (never a false "$0.0000")."""
    cost = f"${(run['cost_usd'] or 0):.4f}"
    if not run.get("unpriced_tokens"):
        return cost
    return "unknown price" if not run["cost_usd"] else f"{cost} + unknown price"
