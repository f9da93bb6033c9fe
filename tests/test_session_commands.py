"""`resume-tui sessions …` and `resume-tui doctor` as scripts see them: output, JSON, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from resume_tui.cli import main
from resume_tui.config import config_dir, data_dir
from resume_tui.models import Contact, JobDescription, Resume, utcnow
from resume_tui.models import WorkflowState as W
from resume_tui.session.store import Store


def seed(n: int = 2) -> list[str]:
    ids = []
    with Store.open() as store:
        for i in range(n):
            sid = store.create_session(session_id=f"sess{i:02d}aaaaaa").id
            store.advance(sid, W.RESUME_UPLOADED, resume=Resume(contact=Contact(name=f"Person {i}")))
            store.advance(sid, W.JD_PROVIDED, job=JobDescription(text="x", title="Engineer", company="Acme"))
            ids.append(sid)
        store.record_approval(ids[0], decision="granted", who="user", subject=[{"path": "/tmp/out.pdf"}])
        store.record_file_write(ids[0], path="/tmp/out.pdf", sha256="f" * 64, bytes=10, format="pdf", who="user")
    return ids


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_empty_and_full(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "sessions")
    assert code == 0 and "No saved sessions" in out
    ids = seed()
    code, out, _ = run_cli(capsys, "sessions", "list")
    assert code == 0 and all(i in out for i in ids) and "Person 1 → Engineer @ Acme" in out
    code, out, _ = run_cli(capsys, "sessions", "list", "--json")
    doc = json.loads(out)
    assert {s["id"] for s in doc["sessions"]} == set(ids)
    assert doc["sessions"][0]["state"] == "jd_provided"


def test_show_by_prefix_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    ids = seed()
    code, out, _ = run_cli(capsys, "sessions", "show", "sess00", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["id"] == ids[0] and doc["state"] == "jd_provided"
    assert doc["resume"]["name"] == "Person 0" and doc["job"]["company"] == "Acme"
    assert [a["kind"] for a in doc["audit"]] == ["approval", "file_write"] and doc["audit"][1]["sha256"] == "f" * 64
    code, out, _ = run_cli(capsys, "sessions", "show", ids[1])
    assert code == 0 and "State: jd_provided" in out and "Person 1" in out


@pytest.mark.parametrize("argv", [("sessions", "show", "nope"), ("sessions", "show", "sess"), ("sessions", "delete", "nope", "--yes")])
def test_unknown_or_ambiguous_id_is_exit_2(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    seed()
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("resume-tui: ") and err.count("\n") == 1 and "Traceback" not in err


def test_delete_needs_yes_without_a_tty(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    ids = seed()
    monkeypatch.setattr(sys, "stdin", open("/dev/null"))
    code, _, err = run_cli(capsys, "sessions", "delete", ids[0])
    assert code == 2 and "--yes" in err
    code, out, _ = run_cli(capsys, "sessions", "delete", ids[0], "--yes")
    assert code == 0 and "audit log is kept" in out
    with Store.open() as store:
        assert not store.exists(ids[0]) and store.exists(ids[1])
        assert len(store.audit(ids[0])) == 2


def test_delete_refused_while_open_elsewhere(capsys: pytest.CaptureFixture[str]) -> None:
    ids = seed()
    with Store.open() as store:
        lock = store.lock_session(ids[0])
        code, _, err = run_cli(capsys, "sessions", "delete", ids[0], "--yes")
        lock.release()
    assert code == 2 and "open in another resume-tui" in err


def test_prune(capsys: pytest.CaptureFixture[str]) -> None:
    ids = seed(3)
    import sqlite3

    with sqlite3.connect(data_dir() / "resume-tui.sqlite3") as conn:
        conn.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", ((utcnow() - timedelta(days=45)).isoformat(), ids[0]))
        conn.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", ((utcnow() - timedelta(days=10)).isoformat(), ids[1]))
    code, out, _ = run_cli(capsys, "sessions", "prune", "--dry-run", "--json")
    assert json.loads(out) == {"would_delete": [ids[0]], "older_than_days": 30}
    code, out, _ = run_cli(capsys, "sessions", "prune", "--json")
    assert code == 0 and json.loads(out)["deleted"] == [ids[0]]
    code, out, _ = run_cli(capsys, "sessions", "prune", "--older-than", "7")
    assert code == 0 and ids[1] in out
    code, _, err = run_cli(capsys, "sessions", "prune", "--older-than", "0")
    assert code == 2 and "--older-than" in err
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "config.toml").write_text("session_ttl_days = 0\n")
    code, out, _ = run_cli(capsys, "sessions", "prune")
    assert code == 0 and "keep sessions forever" in out


# ---------------------------------------------------------------------------- doctor


def test_doctor_all_good_offline(capsys: pytest.CaptureFixture[str]) -> None:
    seed(1)
    code, out, _ = run_cli(capsys, "doctor", "--offline", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["ok"] is True
    by_name = {c["name"]: c for c in doc["checks"]}
    assert by_name["database"]["status"] == "ok" and "integrity ok" in by_name["database"]["detail"]
    assert by_name["database"]["data"]["sessions"] == 1
    assert by_name["config"]["status"] == "ok" and by_name["provider offline"]["status"] == "ok"
    assert by_name["versions"]["data"]["sqlite"]
    code, out, _ = run_cli(capsys, "doctor", "--offline")
    assert code == 0 and "database" in out and ("All good" in out or "Ready" in out)


def test_doctor_reports_bad_config_with_the_key(capsys: pytest.CaptureFixture[str]) -> None:
    config_dir().mkdir(parents=True)
    (config_dir() / "config.toml").write_text("[limits]\nconcurrency = 0\n")
    code, out, _ = run_cli(capsys, "doctor", "--offline", "--json")
    config = {c["name"]: c for c in json.loads(out)["checks"]}["config"]
    assert code == 2 and config["status"] == "fail" and "'limits.concurrency'" in config["detail"]


def test_doctor_reports_damaged_database_without_moving_it(capsys: pytest.CaptureFixture[str]) -> None:
    path = data_dir() / "resume-tui.sqlite3"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage" * 1000)
    code, out, _ = run_cli(capsys, "doctor", "--offline", "--json")
    database = {c["name"]: c for c in json.loads(out)["checks"]}["database"]
    assert code == 2 and database["status"] == "fail" and "damaged" in database["detail"]
    assert path.read_bytes() == b"garbage" * 1000 and not list(path.parent.glob("*.corrupt-*"))


def test_doctor_never_prints_keys_and_finds_leaks(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    key = "sk-ant-api03-DOCTORFAKE0123456789abcdefgh"
    monkeypatch.setenv("ANTHROPIC_API_KEY", key)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")  # nothing listens: unreachable, fast
    seed(1)
    code, out, err = run_cli(capsys, "doctor", "--timeout", "1")
    assert key not in out + err and key[10:30] not in out + err
    assert "ANTHROPIC_API_KEY" in out  # says where the key comes from, not what it is
    assert code == 0  # an unreachable provider is a warning: offline still works
    (data_dir() / "logs").mkdir(exist_ok=True)
    (data_dir() / "logs" / "resume-tui.log").write_text(f"oops {key}\n")
    code, out, err = run_cli(capsys, "doctor", "--offline", "--json")
    secrets = {c["name"]: c for c in json.loads(out)["checks"]}["secrets"]
    assert code == 2 and secrets["status"] == "fail" and "resume-tui.log" in secrets["detail"]
    assert key not in out + err


def test_session_layer_imports_no_textual_or_sdk(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import resume_tui.session.store, resume_tui.session.workflow\n"
        "import resume_tui.commands.sessions, resume_tui.commands.doctor\n"
        "from resume_tui.cli import main\n"
        "rc = main(['sessions', 'list', '--json'])\n"
        "bad = [m for m in ('textual', 'anthropic', 'openai', 'google.genai') if m in sys.modules]\n"
        "print(rc, bad)\n"
    )
    import os

    env = {**os.environ, "RESUME_TUI_DATA_DIR": str(tmp_path / "d"), "RESUME_TUI_CONFIG_DIR": str(tmp_path / "c")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stderr


def test_list_shows_the_provider_batches_a_batch_left_waiting(capsys: pytest.CaptureFixture[str]) -> None:
    """One line per waiting provider batch (also with no session yet: a waiting job has none), and how to
    finish it; JSON gains `provider_batches` only when there are some."""
    from resume_tui.session.repos.batches import BatchItemRow

    with Store.open() as store:
        job = store.batches.create_job({}, job_id="b20260112a")
        items = [BatchItemRow(f"k{i:063d}", f"k{i:063d}", "extract_requirements", "x:Y") for i in range(3)]
        local = store.batches.record(job, "anthropic", "anthropic", "claude-x", items, request_key="key")
        store.batches.submitted(local, "msgbatch_1")
    code, out, _ = run_cli(capsys, "sessions")
    lines = [line for line in out.splitlines() if "Provider batch waiting" in line]
    assert code == 0 and "No saved sessions" in out and len(lines) == 1
    assert "job b20260112a · anthropic/claude-x · 3 requests" in lines[0] and "running" in lines[0]
    assert "`resume-tui batch --resume b20260112a`" in lines[0]
    seed()
    code, out, _ = run_cli(capsys, "sessions", "list", "--json")
    [batch] = json.loads(out)["provider_batches"]
    assert batch["job_id"] == "b20260112a" and batch["requests"] == 3 and batch["state"] == "running"
