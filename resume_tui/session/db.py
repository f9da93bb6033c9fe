"""The SQLite file: connection settings, schema versions and migrations, error mapping.

One file (`resume-tui.sqlite3` in the data dir) holds the session tables and the
providers' `cache` table, which providers/cache.py creates and owns. The session schema's
version lives in the shared `schema_version` table under the component name "session"
so other components can version their own tables beside it.

WAL + synchronous=NORMAL keeps every committed transaction across a kill -9 (only a power
cut can lose the last ones, never consistency); busy_timeout lets a second process wait
for the write lock instead of failing.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from resume_tui.errors import InputError

COMPONENT = "session"
BUSY_TIMEOUT_S = 10.0


class StoreError(InputError):
    """The session database cannot be used; the message says why and what to do."""


class StoreCorrupt(StoreError):
    """The database file is damaged (raised only when recovery was not asked for)."""


# --------------------------------------------------------------------------- schema

V1 = """
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    data TEXT NOT NULL
);
CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    run_id TEXT,
    session_id TEXT,
    seq INTEGER,
    type TEXT NOT NULL,
    ts TEXT NOT NULL,
    payload TEXT NOT NULL
);
"""

V2 = """
ALTER TABLE sessions ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN stale TEXT NOT NULL DEFAULT '[]';
ALTER TABLE runs ADD COLUMN level TEXT NOT NULL DEFAULT 'moderate';
ALTER TABLE runs ADD COLUMN resumed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS sessions_updated ON sessions(updated_at);
CREATE INDEX IF NOT EXISTS runs_session ON runs(session_id, started_at);
CREATE INDEX IF NOT EXISTS runs_status ON runs(status);
CREATE INDEX IF NOT EXISTS events_session ON events(session_id);
CREATE INDEX IF NOT EXISTS events_run ON events(run_id, seq);
CREATE TABLE tasks (
    run_id TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    record TEXT NOT NULL,
    result TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (run_id, name)
);
CREATE TABLE changes (
    session_id TEXT NOT NULL,
    id TEXT NOT NULL,
    run_id TEXT,
    position INTEGER NOT NULL,
    status TEXT NOT NULL,
    verdict TEXT NOT NULL,
    data TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT,
    PRIMARY KEY (session_id, id)
);
CREATE TABLE transitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    run_id TEXT,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    stale TEXT NOT NULL,
    ts TEXT NOT NULL
);
CREATE INDEX transitions_session ON transitions(session_id, id);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    run_id TEXT,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    score REAL,
    change_ids TEXT NOT NULL,
    resume TEXT NOT NULL
);
CREATE INDEX versions_session ON versions(session_id, id);
-- Audit log: kept when a session is deleted or pruned (it holds no resume text).
CREATE TABLE approvals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    run_id TEXT,
    action TEXT NOT NULL,
    decision TEXT NOT NULL,
    who TEXT NOT NULL,
    subject TEXT NOT NULL,
    ts TEXT NOT NULL
);
CREATE TABLE file_writes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    run_id TEXT,
    approval_id INTEGER,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    action TEXT NOT NULL,
    who TEXT NOT NULL,
    ts TEXT NOT NULL
);
CREATE INDEX approvals_session ON approvals(session_id, id);
CREATE INDEX file_writes_session ON file_writes(session_id, id);
"""


def _v1_to_v2_data(conn: sqlite3.Connection) -> None:
    """v1 kept changes and stale states inside the session JSON; move them to their columns/table."""
    rows = conn.execute("SELECT id, data FROM sessions").fetchall()
    for session_id, data in rows:
        doc = json.loads(data)
        changes = doc.pop("changes", []) or []
        stale = doc.pop("stale", []) or []
        conn.execute("UPDATE sessions SET stale = ?, data = ? WHERE id = ?", (json.dumps(stale), json.dumps(doc), session_id))
        for pos, change in enumerate(changes):
            conn.execute(
                "INSERT OR REPLACE INTO changes (session_id, id, run_id, position, status, verdict, data) VALUES (?,?,?,?,?,?,?)",
                (session_id, change["id"], None, pos, change.get("status", "pending"), change.get("verdict", "safe"), json.dumps(change)),
            )


Migration = Callable[[sqlite3.Connection], None]


def _script(sql: str) -> Migration:
    def run(conn: sqlite3.Connection) -> None:
        for statement in (s.strip() for s in sql.split(";")):
            if statement:
                conn.execute(statement)

    return run


def _v2(conn: sqlite3.Connection) -> None:
    _script(V2)(conn)
    _v1_to_v2_data(conn)


# version → the step that brings a database from version-1 to version.
MIGRATIONS: dict[int, Migration] = {1: _script(V1), 2: _v2}
CURRENT_VERSION = max(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
    row = conn.execute("SELECT version FROM schema_version WHERE component = ?", (COMPONENT,)).fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection, target: int = CURRENT_VERSION) -> int:
    """Bring the schema to `target`, each step in its own transaction; returns the old version."""
    start = schema_version(conn)
    if start > CURRENT_VERSION:
        raise StoreError(
            f"The session database was written by a newer resume-tui (schema {start}, this one knows {CURRENT_VERSION}); "
            "upgrade resume-tui or set RESUME_TUI_DATA_DIR to another folder."
        )
    version = start
    while version < target:
        version += 1
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if schema_version(conn) >= version:
                conn.execute("COMMIT")
                continue
            MIGRATIONS[version](conn)
            conn.execute(
                "INSERT INTO schema_version (component, version) VALUES (?, ?) "
                "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                (COMPONENT, version),
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return start


# --------------------------------------------------------------------------- connection


def private_dir(folder: Path) -> None:
    """Create `folder` (and parents) and make it 0700: it holds resumes and their history."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        if folder.stat().st_uid == os.getuid() and folder.stat().st_mode & 0o077:
            folder.chmod(0o700)
    except (OSError, AttributeError):  # not ours, or no getuid (Windows): leave it as it is
        pass


def private_file(path: Path) -> None:
    """Create `path` if missing and make it 0600 whatever the umask (SQLite creates its WAL
    and SHM files with the database's permissions, so this covers them too)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    except (OSError, AttributeError):
        pass
    finally:
        os.close(fd)


def connect(path: Path, *, timeout_s: float = BUSY_TIMEOUT_S, readonly: bool = False) -> sqlite3.Connection:
    """Open with our pragmas. Raises sqlite3 errors untouched; callers map them."""
    if not readonly:
        private_dir(path.parent)
        private_file(path)
        for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if extra.exists():
                private_file(extra)
    if readonly:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=timeout_s, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), timeout=timeout_s, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
        if not readonly:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"could not switch to WAL (got {mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads the header: fails on garbage
    except BaseException:
        conn.close()
        raise
    return conn


def quick_check(conn: sqlite3.Connection) -> list[str]:
    rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows


def integrity_check(conn: sqlite3.Connection) -> list[str]:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    return [] if rows == ["ok"] else rows


def is_corruption(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "corrupt" in text or "encrypted" in text
    )


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its WAL/SHM) to *.corrupt-<timestamp>; nothing is deleted."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    shutil.move(str(path), str(target))
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            shutil.move(str(side), str(target) + suffix)
    return target


def describe(exc: BaseException, path: Path) -> StoreError:
    """Map a sqlite3/OS error to one sentence: what is wrong and what to do."""
    folder = path.parent
    text = str(exc).lower()
    if isinstance(exc, StoreError):
        return exc
    if is_corruption(exc):
        return StoreCorrupt(f"The session database {path} is damaged; run `resume-tui doctor`, or move it aside to start fresh.")
    unwritable = folder.is_dir() and not os.access(folder, os.W_OK)
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError) or "permission" in text or (
        "unable to open" in text and unwritable
    ):
        return StoreError(
            f"The data folder {folder} is read-only; make it writable or set RESUME_TUI_DATA_DIR to a writable folder."
        )
    if "full" in text or getattr(exc, "errno", None) == 28:
        return StoreError(f"The disk holding {folder} is full; free some space and try again (saved work is kept).")
    if "locked" in text or "busy" in text:
        return StoreError("The session database is busy in another resume-tui process; wait a moment and try again.")
    if isinstance(exc, (FileExistsError, NotADirectoryError)) or (folder.exists() and not folder.is_dir()):
        return StoreError(
            f"The data folder {folder} is a file, not a folder; move that file away or set RESUME_TUI_DATA_DIR to a folder."
        )
    if "unable to open" in text or isinstance(exc, (FileNotFoundError, IsADirectoryError)):
        return StoreError(
            f"Cannot open the session database in {folder}; check the folder exists and is writable, "
            "or set RESUME_TUI_DATA_DIR to another folder."
        )
    return StoreError(f"The session database {path} failed ({exc}); run `resume-tui doctor` for details.")
