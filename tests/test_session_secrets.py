"""After a real run with fake keys set (providers failing over to offline), no key is on disk:
not in the database (events, tasks, cache), not in logs, not in exports."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from resume_tui.config import config_dir, data_dir, load_settings
from resume_tui.models import WorkflowState as W
from resume_tui.session.store import open_store

KEYS = {
    "ANTHROPIC_API_KEY": "sk-ant-api03-E2EFAKEanthropic0123456789abcdef",
    "OPENAI_API_KEY": "sk-proj-E2EFAKEopenai0123456789abcdefghij",
    "GEMINI_API_KEY": "AIzaE2EFAKEgemini0123456789abcdefghijklm",
}


def grep_keys(*folders: Path) -> list[str]:
    hits = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                blob = path.read_bytes()
                for name, value in KEYS.items():
                    for needle in (value, value[10:34]):
                        if needle.encode() in blob or needle.encode("utf-16-le") in blob:
                            hits.append(f"{path} contains {name}")
    return hits


@pytest.mark.slow
async def test_no_key_on_disk_after_a_real_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("resume_tui.providers.router")
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    # Providers configured but unreachable (nothing listens on port 9): every call fails fast
    # and falls back to offline, so error paths (which is where keys leak) all run.
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    config_dir().mkdir(parents=True)
    (config_dir() / "config.toml").write_text(
        'provider = "anthropic"\nfallback = ["openai"]\n'
        "[providers.anthropic]\nmax_retries = 0\ntimeout_s = 2\n[providers.openai]\nmax_retries = 0\ntimeout_s = 2\n"
    )
    settings = load_settings()
    from resume_tui.analysis.requirements import parse_job_description
    from resume_tui.documents.ingest import parse_resume_text
    from resume_tui.pipeline import run_pipeline
    from resume_tui.providers.router import build_router

    data = resources.files("resume_tui.data")
    cv = parse_resume_text(data.joinpath("sample_resume.md").read_text(encoding="utf-8"))
    jd = parse_job_description(data.joinpath("sample_jd.md").read_text(encoding="utf-8"))
    with open_store(settings) as store:
        sid = store.create_session(settings=settings.model_dump(mode="json")).id
        store.advance(sid, W.RESUME_UPLOADED, resume=cv)
        store.advance(sid, W.JD_PROVIDED, job=jd)
        sink = store.event_sink()
        router = build_router(settings)
        try:
            result = await run_pipeline(cv, jd, router=router, sinks=[sink], settings=settings, session_id=sid)
        finally:
            if router is not None and hasattr(router, "aclose"):
                await router.aclose()
        await sink.aclose()
        store.advance(sid, W.GAP_ANALYZED, report=result.report, changes=result.changes, run_id=None)
        done = store.events(session_id=sid, types=["task_completed"])
        assert done and all(e["payload"].get("provider") in (None, "offline") for e in done)  # the providers really failed
        retried_or_failed = store.events(session_id=sid, types=["task_retried", "task_failed"])
        errors = " ".join(str(e["payload"].get("error")) for e in retried_or_failed)

    # The headless CLI with the same environment writes an export (and maybe a log).
    out = tmp_path / "exports"
    out.mkdir()
    env = {**os.environ}
    proc = subprocess.run(
        [sys.executable, "-m", "resume_tui", "tailor", str(data.joinpath("sample_resume.md")), str(data.joinpath("sample_jd.md")),
         "-o", str(out / "tailored.md"), "--yes"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode in (0, 4), proc.stderr
    if proc.returncode == 0:
        assert (out / "tailored.md").read_text(encoding="utf-8").strip()
    assert not [k for k in KEYS.values() if k in errors]
    assert not [k for k in KEYS.values() if k in proc.stdout + proc.stderr]
    assert grep_keys(data_dir(), out, config_dir().parent / "home") == []
