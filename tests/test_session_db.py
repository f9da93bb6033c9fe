"""The database file under stress: old schemas, damage, read-only and full disks."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from resume_tui.config import data_dir
from resume_tui.models import ChangeStatus, Contact, Resume
from resume_tui.models import WorkflowState as W
from resume_tui.session import db
from resume_tui.session.db import StoreCorrupt, StoreError
from resume_tui.session.store import Store


def make_v1(path: Path) -> None:
    """A database exactly as schema v1 left it: changes and stale states inside the session JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = db.connect(path)
    db.migrate(conn, target=1)
    doc = {
        "resume": Resume(contact=Contact(name="Old Timer")).model_dump(mode="json"),
        "job": {"text": "Engineer wanted", "title": "Engineer", "company": "Initech"},
        "report": None,
        "settings": {},
        "stale": ["gap_analyzed"],
        "changes": [
            {"id": "c1", "section_id": "s0", "action": "replace", "before": "a", "after": "b", "status": "accepted"},
            {"id": "c2", "section_id": "s0", "action": "delete", "before": "x", "verdict": "flagged"},
        ],
    }
    conn.execute(
        "INSERT INTO sessions (id, state, created_at, updated_at, data) VALUES (?,?,?,?,?)",
        ("oldsession01", "jd_provided", "2026-01-01T00:00:00+00:00", "2026-01-02T00:00:00+00:00", json.dumps(doc)),
    )
    conn.execute(
        "INSERT INTO runs (id, session_id, status, started_at, data) VALUES (?,?,?,?,?)",
        ("run-old", "oldsession01", "running", "2026-01-02T00:00:00+00:00", "{}"),
    )
    conn.execute(
        "INSERT INTO events VALUES (?,?,?,?,?,?,?)",
        ("e1", "run-old", "oldsession01", 1, "run_started", "2026-01-02T00:00:00+00:00", "{}"),
    )
    conn.close()


def test_migrates_v1_database_keeping_data() -> None:
    path = data_dir() / "resume-tui.sqlite3"
    make_v1(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version FROM schema_version WHERE component='session'").fetchone()[0] == 1
    with Store.open() as store:
        assert store.migrated_from == 1 and store.schema_version() == db.CURRENT_VERSION
        session = store.get_session("oldsession01")
        assert session.state == W.JD_PROVIDED and session.stale == [W.GAP_ANALYZED]
        assert session.resume.contact.name == "Old Timer" and session.job.company == "Initech"
        assert [(c.id, c.status) for c in session.changes] == [("c1", ChangeStatus.ACCEPTED), ("c2", ChangeStatus.PENDING)]
        assert store.recovered_runs == ["run-old"]  # a v1 run left running is interrupted, not lost
        assert [e["event_id"] for e in store.events(session_id="oldsession01")][:1] == ["e1"]
        store.advance("oldsession01", W.RESUME_UPLOADED)  # and the migrated session keeps working
    with Store.open() as store:  # reopening a current database migrates nothing
        assert store.migrated_from == db.CURRENT_VERSION


def test_migration_is_idempotent_and_other_components_coexist() -> None:
    path = data_dir() / "resume-tui.sqlite3"
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:  # e.g. providers/cache.py got there first
        conn.execute("CREATE TABLE cache (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("CREATE TABLE schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES ('cache', 3)")
        conn.execute("INSERT INTO cache VALUES ('k', 'v')")
    with Store.open() as store:
        assert store.schema_version() == db.CURRENT_VERSION
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM cache").fetchone() == ("v",)
        assert dict(conn.execute("SELECT component, version FROM schema_version")) == {"cache": 3, "session": db.CURRENT_VERSION}


def test_newer_schema_is_refused_clearly() -> None:
    with Store.open() as store:
        path = store.path
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99 WHERE component = 'session'")
    with pytest.raises(StoreError, match="newer resume-tui"):
        Store.open()


@pytest.mark.parametrize("damage", ["garbage", "truncated-page"])
def test_corrupt_database_is_moved_aside_and_a_fresh_one_starts(damage: str) -> None:
    path = data_dir() / "resume-tui.sqlite3"
    with Store.open() as store:
        for _ in range(30):
            store.create_session()
    if damage == "garbage":
        path.write_bytes(b"this is not a database at all" * 200)
    else:  # keep the valid header, scribble over the b-tree pages
        for side in ("-wal", "-shm"):
            Path(str(path) + side).unlink(missing_ok=True)
        raw = bytearray(path.read_bytes())
        raw[4096 + 8 : 4096 * 3] = b"\xff" * (4096 * 3 - 4096 - 8)
        path.write_bytes(bytes(raw))
    original = path.read_bytes()
    with pytest.raises(StoreCorrupt, match="damaged"):
        Store.open(recover=False)
    assert path.read_bytes() == original  # refusing touched nothing

    with Store.open() as store:
        assert store.moved_aside is not None and store.moved_aside.name.startswith("resume-tui.sqlite3.corrupt-")
        assert store.moved_aside.read_bytes() == original  # the damaged file is kept, byte for byte
        assert "damaged" in store.notice and store.moved_aside.name in store.notice
        assert store.list_sessions() == [] and store.integrity_check() == []
        store.create_session()


def _readonly_child(folder: Path, mode: str) -> subprocess.CompletedProcess:
    """Run Store.open() in a child that cannot write `folder` (drops root if we are root)."""
    code = textwrap.dedent(
        f"""
        import os, sys
        from resume_tui.session.store import Store
        from resume_tui.errors import InputError
        if os.geteuid() == 0:
            os.setgid(65534); os.setuid(65534)
        try:
            with Store.open() as s:
                {"s.create_session()" if mode == "write" else "pass"}
        except InputError as e:
            print("INPUTERROR", e); sys.exit(e.exit_code)
        print("OPENED")
        """
    )
    env = {**os.environ, "RESUME_TUI_DATA_DIR": str(folder)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_read_only_data_dir_gives_one_clear_sentence() -> None:
    base = Path(tempfile.mkdtemp(prefix="rtui-ro-"))
    try:
        os.chmod(base, 0o755)
        folder = base / "data"
        folder.mkdir()
        os.chmod(folder, 0o555)
        result = _readonly_child(folder, "open")
        assert result.returncode == 2, result.stderr
        assert "INPUTERROR" in result.stdout and "read-only" in result.stdout and str(folder) in result.stdout
        assert "Traceback" not in result.stderr

        # An existing database in a folder that became read-only (files too).
        os.chmod(folder, 0o755)
        with Store.open(folder / "resume-tui.sqlite3") as store:
            store.create_session()
        for p in folder.iterdir():
            os.chmod(p, 0o444)
        os.chmod(folder, 0o555)
        result = _readonly_child(folder, "write")
        assert result.returncode == 2, result.stdout + result.stderr
        assert "read-only" in result.stdout and "RESUME_TUI_DATA_DIR" in result.stdout
    finally:
        for p in [base, *base.rglob("*")]:
            os.chmod(p, 0o755)
        import shutil

        shutil.rmtree(base, ignore_errors=True)


def test_data_dir_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "notadir"
    blocker.write_text("x")
    with pytest.raises(StoreError) as info:
        Store.open(blocker / "resume-tui.sqlite3")
    assert "RESUME_TUI_DATA_DIR" in str(info.value) and "\n" not in str(info.value)


def test_full_disk_keeps_saved_work() -> None:
    store = Store.open()
    sid = store.create_session().id
    store.advance(sid, W.RESUME_UPLOADED, resume=Resume(contact=Contact(name="Ann")))
    pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
    store.db.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now "full"
    big = [{"type": "task_progress", "session_id": sid, "run_id": "r", "payload": {"blob": "x" * 5000}} for _ in range(200)]
    with pytest.raises(StoreError, match="full"):
        store.append_events(big)
    assert store.get_session(sid).state == W.RESUME_UPLOADED  # the failed batch rolled back cleanly
    assert store.events(session_id=sid, types=["task_progress"]) == []
    store.close()
    with Store.open() as again:
        assert again.integrity_check() == []
        assert again.get_session(sid).resume.contact.name == "Ann"
