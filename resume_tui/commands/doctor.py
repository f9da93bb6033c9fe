"""`resume-tui doctor`: is everything in place? Config, paths and permissions, the database,
versions, providers — one line each, and never a secret.

Doctor only looks: it opens the database read-only (a damaged file is reported, not moved),
writes nothing but a probe file it removes at once, and calls providers/doctor.py for
reachability (skipped with --offline). Exit 0 when nothing failed (warnings allowed),
2 when something needs fixing.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

OK, WARN, FAIL = "ok", "warn", "fail"
_MARK = {OK: "[green]✓[/green]", WARN: "[yellow]![/yellow]", FAIL: "[red]✗[/red]"}
_PLAIN = {OK: "ok", WARN: "warn", FAIL: "FAIL"}
_PACKAGES = ("textual", "rich", "pydantic", "platformdirs", "pypdf", "python-docx", "fpdf2", "anthropic", "openai", "google-genai")


@dataclass
class Check:
    name: str
    status: str
    detail: str
    data: dict[str, Any] = field(default_factory=dict)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--offline", action="store_true", help="do not contact providers (only report what is configured)")
    parser.add_argument("--timeout", type=float, default=5.0, metavar="S", help="seconds to wait for each provider (default 5)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def run(args: argparse.Namespace, console: Any = None) -> int:
    checks = collect(offline=getattr(args, "offline", False), timeout_s=getattr(args, "timeout", 5.0))
    failed = any(c.status == FAIL for c in checks)
    if getattr(args, "json", False):
        import json

        from resume_tui.textsafe import mask_credentials

        documents = [asdict(c) for c in checks]
        for check in documents:
            check["detail"] = mask_credentials(check["detail"])
        doc = {"ok": not failed, "checks": documents}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        _render(checks, console)
    return 2 if failed else 0


def collect(*, offline: bool = False, timeout_s: float = 5.0) -> list[Check]:
    from resume_tui.config import Settings

    checks: list[Check] = [_versions()]
    config_check, settings = _config()
    checks.append(config_check)
    settings = settings or Settings()
    checks.extend(_paths())
    checks.append(_database())
    checks.extend(_providers(settings, offline=offline, timeout_s=timeout_s))
    checks.append(_no_secrets_on_disk(settings))
    return checks


# ---------------------------------------------------------------------------- checks


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _versions() -> Check:
    import sqlite3

    from resume_tui import __version__

    versions = {"resume-tui": __version__, "python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    versions.update({p: _version(p) or "missing" for p in _PACKAGES})
    missing = [p for p in ("textual", "rich", "pydantic") if versions[p] == "missing"]
    detail = ", ".join(f"{k} {v}" for k, v in versions.items())
    if missing:
        return Check("versions", FAIL, f"required packages missing: {', '.join(missing)}; reinstall resume-tui", versions)
    return Check("versions", OK, detail, versions)


def _config() -> tuple[Check, Any]:
    from resume_tui.config import CONFIG_FILE, config_dir, load_settings
    from resume_tui.errors import ConfigError

    path = config_dir() / CONFIG_FILE
    try:
        settings = load_settings(path)
    except ConfigError as exc:
        return Check("config", FAIL, str(exc), {"path": str(path)}), None
    where = str(path) if path.exists() else f"{path} (not present: defaults in use)"
    detail = f"{where}; provider chain {' → '.join(settings.chain())}, level {settings.level}, TTL {settings.session_ttl_days} d"
    return Check("config", OK, detail, {"path": str(path), "exists": path.exists(), "chain": settings.chain()}), settings


def _writable(folder: Path) -> str | None:
    """None when we can create a file in `folder`; else why not."""
    probe = folder / f".resume-tui-doctor-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return exc.strerror or str(exc)
    if not os.access(folder, os.W_OK):
        return "no write permission"
    return None


def _paths() -> list[Check]:
    from resume_tui.config import config_dir, data_dir

    out = []
    for name, folder, env in (("data dir", data_dir(), "RESUME_TUI_DATA_DIR"), ("config dir", config_dir(), "RESUME_TUI_CONFIG_DIR")):
        data = {"path": str(folder), "env": bool(os.environ.get(env))}
        if folder.exists() and not folder.is_dir():
            out.append(Check(name, FAIL, f"{folder} is a file, not a folder; move it away or set {env}", data))
        elif not folder.exists():
            parent = next((p for p in folder.parents if p.exists()), None)
            problem = _writable(parent) if parent else "no existing parent"
            status = OK if problem is None else FAIL
            detail = f"{folder} (created on first use)" if problem is None else f"{folder} cannot be created ({problem}); set {env}"
            if name == "config dir" and problem is not None:
                status = WARN  # only needed if the user writes a config file
            out.append(Check(name, status, detail, data))
        else:
            problem = _writable(folder)
            if problem is None:
                out.append(Check(name, OK, f"{folder} (writable)", data))
            else:
                status = FAIL if name == "data dir" else WARN
                out.append(Check(name, status, f"{folder} is not writable ({problem}); make it writable or set {env}", data))
    return out


def _database() -> Check:
    import sqlite3

    from resume_tui.config import db_path
    from resume_tui.session import db

    path = db_path()
    if not path.exists():
        return Check("database", OK, f"{path} (not created yet)", {"path": str(path)})
    data: dict[str, Any] = {"path": str(path), "bytes": path.stat().st_size}
    try:
        conn = db.connect(path, readonly=True)
    except sqlite3.Error as exc:
        if db.is_corruption(exc):
            return Check("database", FAIL, f"{path} is damaged ({exc}); resume-tui will keep it aside and start a fresh one on next start", data)
        return Check("database", FAIL, str(db.describe(exc, path)), data)
    try:
        problems = db.integrity_check(conn)
        if problems:
            return Check("database", FAIL, f"{path} failed PRAGMA integrity_check ({problems[0]}); resume-tui will keep it aside and start fresh on next start", data)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = 0
        if "schema_version" in tables:
            row = conn.execute("SELECT version FROM schema_version WHERE component = ?", (db.COMPONENT,)).fetchone()
            version = int(row[0]) if row else 0
        data["schema_version"] = version
        counts = {}
        for table in ("sessions", "runs", "events"):
            if table in tables:
                counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        data.update(counts)
        interrupted = 0
        if "runs" in tables:
            interrupted = conn.execute("SELECT count(*) FROM runs WHERE status IN ('interrupted', 'running')").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    except sqlite3.Error as exc:
        return Check("database", FAIL, str(db.describe(exc, path)), data)
    finally:
        conn.close()
    if version > db.CURRENT_VERSION:
        return Check("database", FAIL, f"schema {version} is newer than this resume-tui ({db.CURRENT_VERSION}); upgrade resume-tui", data)
    size_mb = data["bytes"] / 1e6
    detail = (
        f"{path} integrity ok, schema {version}"
        + (f" (migrates to {db.CURRENT_VERSION} on next start)" if version < db.CURRENT_VERSION else "")
        + f", {counts.get('sessions', 0)} sessions, {counts.get('events', 0)} events, {size_mb:.1f} MB, journal {mode}"
    )
    if interrupted:
        detail += f"; {interrupted} run(s) interrupted or in progress (resumable)"
    return Check("database", OK, detail, data)


def _providers(settings: Any, *, offline: bool, timeout_s: float) -> list[Check]:
    from resume_tui.providers.doctor import check_providers

    try:
        statuses = check_providers(settings, timeout_s=timeout_s, probe=not offline)
    except Exception as exc:  # noqa: BLE001 - doctor reports, it never crashes
        from resume_tui.session.redact import Redactor

        detail = Redactor(settings.secrets())(f"provider check failed ({type(exc).__name__}: {exc})")
        return [Check("providers", WARN, detail)]
    from resume_tui.providers.catalog import redaction_note

    note = redaction_note(settings)
    return [*(_provider_check(st) for st in statuses), Check("contact redaction", OK, note.split(": ", 1)[1])]


def _provider_check(st: Any) -> Check:
    from resume_tui.textsafe import mask_credentials

    data = st.as_dict() if hasattr(st, "as_dict") else dict(vars(st))
    data.pop("api_key", None)
    # OPENAI_BASE_URL=http://user:pass@host must not print its password (text or --json).
    data = {k: mask_credentials(v) if isinstance(v, str) else v for k, v in data.items()}
    chain = " (in chain)" if data.get("in_chain") else ""
    if not data.get("configured"):
        status = WARN if data.get("in_chain") else OK
        return Check(f"provider {data['name']}", status, f"not configured{chain}: {data.get('detail') or ''}".rstrip(": "), data)
    parts = [p for p in (data.get("model"), data.get("base_url"), f"key from {data['key_source']}" if data.get("key_source") else None) if p]
    where = f" [{', '.join(parts)}]" if parts else ""
    if data.get("reachable") is False:
        return Check(f"provider {data['name']}", WARN, f"configured{chain}{where} but not reachable: {data.get('detail')}", data)
    reach = "reachable" if data.get("reachable") else "configured (not contacted)"
    if data["name"] == "offline":
        reach = "always available"
    detail = data.get("detail") if data.get("detail") and data["name"] == "offline" else ""
    return Check(f"provider {data['name']}", OK, f"{reach}{chain}{where}" + (f": {detail}" if detail else ""), data)


def _no_secrets_on_disk(settings: Any) -> Check:
    """Scan what we write (database, WAL, logs) for any configured key value."""
    from resume_tui.config import data_dir

    secrets = [s.encode() for s in settings.secrets()]
    folder = data_dir()
    if not secrets:
        return Check("secrets", OK, "no API keys configured, nothing to leak")
    if not folder.is_dir():
        return Check("secrets", OK, "no data written yet")
    leaked = []
    for path in folder.rglob("*"):
        if not path.is_file() or ".corrupt-" in path.name:
            continue
        try:
            blob = path.read_bytes()
        except OSError:
            continue
        if any(s in blob for s in secrets):
            leaked.append(path.name)
    if leaked:
        return Check("secrets", FAIL, f"an API key appears in {', '.join(sorted(leaked))} in {folder}; delete that file and rotate the key")
    return Check("secrets", OK, f"no API key found in {folder}")


# ---------------------------------------------------------------------------- output


def _render(checks: list[Check], console: Any) -> None:
    if console is None:
        from rich.console import Console

        console = Console(highlight=False)
    from rich.markup import escape
    from rich.table import Table

    from resume_tui.textsafe import display_safe

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column("CHECK", style="bold", no_wrap=True)
    table.add_column("DETAIL", overflow="fold")
    for c in checks:
        mark = _MARK[c.status] if console.color_system else _PLAIN[c.status]
        table.add_row(mark, c.name, escape(display_safe(c.detail)))
    console.print(table)
    failed = [c.name for c in checks if c.status == FAIL]
    warned = [c.name for c in checks if c.status == WARN]
    if failed:
        console.print(f"{len(failed)} problem(s) to fix: {', '.join(failed)}.")
    elif warned:
        console.print(f"Ready, with {len(warned)} warning(s).")
    else:
        console.print("All good.")
