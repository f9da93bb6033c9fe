"""The SQLite store: sessions, transitions with run ids, decisions, versions, audit, events, recovery."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from resume_tui.config import data_dir
from resume_tui.errors import InputError
from resume_tui.models import (
    Change,
    ChangeAction,
    ChangeStatus,
    Contact,
    GapReport,
    Item,
    JobDescription,
    Resume,
    RunStatus,
    Section,
    SectionKind,
    TaskRecord,
    TaskStatus,
    Usage,
    utcnow,
)
from resume_tui.models import (
    WorkflowState as W,
)
from resume_tui.session.locks import LockBusy
from resume_tui.session.store import RunBusy, SessionNotFound, Store, open_store
from resume_tui.session.workflow import TransitionError


def resume() -> Resume:
    return Resume(
        contact=Contact(name="Ann Lee", email="ann@example.com"),
        sections=[Section(id="s0", kind=SectionKind.EXPERIENCE, title="Experience", items=[Item(id="s0.0", text="Built APIs in Go")])],
    )


def job() -> JobDescription:
    return JobDescription(text="We need Go and Kubernetes.", title="Backend Engineer", company="Acme")


def change(cid: str, after: str = "Built REST APIs in Go") -> Change:
    return Change(id=cid, section_id="s0", item_id="s0.0", action=ChangeAction.REPLACE, before="Built APIs in Go", after=after)


@pytest.fixture
def store() -> Store:
    s = Store.open()
    yield s
    s.close()


def analysed(store: Store) -> str:
    sid = store.create_session().id
    store.advance(sid, W.RESUME_UPLOADED, resume=resume())
    store.advance(sid, W.JD_PROVIDED, job=job())
    store.advance(sid, W.GAP_ANALYZED, report=GapReport(score=42.0), run_id="run-a", changes=[change("c1"), change("c2")])
    return sid


def test_default_location_and_wal(store: Store) -> None:
    assert store.path == data_dir() / "resume-tui.sqlite3"
    assert store.path.exists()
    mode = sqlite3.connect(store.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert store.schema_version() == 2


def test_session_round_trip_and_title(store: Store) -> None:
    sid = analysed(store)
    loaded = store.get_session(sid)
    assert loaded.state == W.GAP_ANALYZED
    assert loaded.resume == resume() and loaded.job == job() and loaded.report.score == 42.0
    assert [c.id for c in loaded.changes] == ["c1", "c2"]
    [summary] = store.list_sessions()
    assert summary.id == sid and summary.title == "Ann Lee → Backend Engineer @ Acme"
    assert summary.state == W.GAP_ANALYZED and summary.changes == 2


def test_transition_persisted_with_run_id_and_event(store: Store) -> None:
    sid = analysed(store)
    rows = store.transitions(sid)
    assert [(r["source"], r["target"]) for r in rows] == [
        ("draft", "resume_uploaded"), ("resume_uploaded", "jd_provided"), ("jd_provided", "gap_analyzed")
    ]
    assert rows[-1]["run_id"] == "run-a"
    events = store.events(session_id=sid, types=["state_changed"])
    assert [e["payload"]["target"] for e in events] == ["resume_uploaded", "jd_provided", "gap_analyzed"]
    assert events[-1]["run_id"] == "run-a"


def test_refused_transition_changes_nothing(store: Store) -> None:
    sid = store.create_session().id
    with pytest.raises(TransitionError):
        store.advance(sid, W.JD_PROVIDED, job=job())
    after = store.get_session(sid)
    assert after.state == W.DRAFT and after.job is None  # the artifact of a refused move is not saved
    assert store.transitions(sid) == []


def test_back_navigation_persists_stale_and_keeps_artifacts(store: Store) -> None:
    sid = analysed(store)
    store.advance(sid, W.REWRITE_APPLIED)
    new_job = job().model_copy(update={"title": "Platform Engineer"})
    s = store.advance(sid, W.JD_PROVIDED, job=new_job)
    assert s.state == W.JD_PROVIDED and s.stale == [W.GAP_ANALYZED, W.REWRITE_APPLIED]
    reopened = store.get_session(sid)
    assert reopened.stale == [W.GAP_ANALYZED, W.REWRITE_APPLIED]
    assert reopened.report is not None and len(reopened.changes) == 2  # kept, only marked stale
    assert reopened.job.title == "Platform Engineer"


def test_cancel_and_no_moves_after(store: Store) -> None:
    sid = analysed(store)
    assert store.cancel(sid, run_id="run-a").state == W.CANCELLED
    with pytest.raises(TransitionError):
        store.advance(sid, W.REWRITE_APPLIED)


def test_decisions_are_kept_across_reproposals(store: Store) -> None:
    sid = analysed(store)
    store.decide(sid, "c1", ChangeStatus.ACCEPTED)
    store.decide(sid, "c2", "rejected", who="user")
    edited = store.decide(sid, "c1", "accepted", after="Built REST APIs in Go at scale")
    assert edited.after == "Built REST APIs in Go at scale"
    # A resumed run proposes the same changes again (pending): the decisions stay.
    store.save_changes(sid, [change("c1"), change("c2"), change("c3")], run_id="run-b")
    got = {c.id: c for c in store.get_session(sid).changes}
    assert got["c1"].status == ChangeStatus.ACCEPTED and got["c2"].status == ChangeStatus.REJECTED
    assert got["c3"].status == ChangeStatus.PENDING
    assert [c.id for c in store.get_session(sid).changes] == ["c1", "c2", "c3"]
    types = [e["type"] for e in store.events(session_id=sid) if e["type"].startswith("change_")]
    assert types == ["change_accepted", "change_rejected", "change_accepted"]
    with pytest.raises(InputError, match="no change"):
        store.decide(sid, "nope", "accepted")


def test_versions_per_application(store: Store) -> None:
    sid = analysed(store)
    tailored = resume().model_copy(update={"sections": []})
    v1 = store.save_version(sid, tailored, label="Acme backend", score=71.5, change_ids=["c1"], run_id="run-a")
    v2 = store.save_version(sid, resume(), label="Globex platform", score=64.0)
    infos = store.versions(sid)
    assert [(v.id, v.label, v.score, v.change_ids) for v in infos] == [(v1, "Acme backend", 71.5, ["c1"]), (v2, "Globex platform", 64.0, [])]
    assert store.get_version(v1) == tailored


def test_audit_log_links_writes_to_approvals_and_survives_delete(store: Store, tmp_path: Path) -> None:
    sid = analysed(store)
    out = tmp_path / "out.docx"
    approval = store.record_approval(sid, decision="granted", who="user", subject=[{"path": str(out), "format": "docx"}])
    store.record_file_write(sid, path=out, sha256="ab" * 32, bytes=1234, format="docx", who="user", approval_id=approval)
    store.record_approval(sid, decision="rejected", who="user", subject=[str(tmp_path / "x.pdf")])
    entries = store.audit(sid)
    assert [(e.kind, e.action) for e in entries] == [("approval", "export"), ("file_write", "create"), ("approval", "export")]
    write = entries[1]
    assert write.detail["path"] == str(out) and write.detail["sha256"] == "ab" * 32 and write.detail["approval_id"] == approval
    assert [e["type"] for e in store.events(session_id=sid) if e["type"].startswith(("approval", "file"))] == [
        "approval_granted", "file_written", "approval_rejected"
    ]
    with pytest.raises(InputError):
        store.record_approval(sid, decision="maybe", who="user", subject=[])
    assert store.delete_session(sid)
    assert not store.exists(sid)
    assert len(store.audit(sid)) == 3  # who wrote what stays accounted for
    assert store.events(session_id=sid) == []


def test_prefix_resolution(store: Store) -> None:
    a = store.create_session(session_id="abc123000000").id
    store.create_session(session_id="abd456000000")
    assert store.resolve_id("abc") == a
    with pytest.raises(SessionNotFound, match="several"):
        store.resolve_id("ab")
    with pytest.raises(SessionNotFound, match="sessions list"):
        store.resolve_id("zzz")
    with pytest.raises(SessionNotFound):
        store.resolve_id("a%")  # LIKE wildcards are literal


def test_prune_by_ttl_skips_open_sessions(store: Store) -> None:
    old, busy, fresh = (store.create_session().id for _ in range(3))
    long_ago = (utcnow() - timedelta(days=40)).isoformat()
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE sessions SET updated_at = ? WHERE id IN (?, ?)", (long_ago, old, busy))
    lock = store.lock_session(busy)
    try:
        assert store.prune(30) == [old]
        assert store.prune(0) == []
    finally:
        lock.release()
    assert store.prune(30) == [busy]
    assert [s.id for s in store.list_sessions()] == [fresh]


def test_open_store_applies_ttl() -> None:
    from resume_tui.config import Settings

    with Store.open() as s:
        sid = s.create_session().id
        with sqlite3.connect(s.path) as conn:
            conn.execute("UPDATE sessions SET updated_at = ?", ((utcnow() - timedelta(days=8)).isoformat(),))
    with open_store(Settings(session_ttl_days=10)) as s:
        assert s.exists(sid)
    with open_store(Settings(session_ttl_days=7)) as s:
        assert not s.exists(sid)


def test_second_tui_on_same_session_is_refused(store: Store) -> None:
    sid = store.create_session().id
    lock = store.lock_session(sid)
    with Store.open() as other:
        with pytest.raises(LockBusy, match="already open in another resume-tui"):
            other.lock_session(sid)
        with pytest.raises(LockBusy):
            other.delete_session(sid)
    lock.release()
    with Store.open() as other:
        other.lock_session(sid).release()


# ---------------------------------------------------------------------------- runs & recovery


def test_run_lifecycle_and_duplicate_refused(store: Store) -> None:
    sid = analysed(store)
    run = store.start_run(sid, level="light")
    with pytest.raises(RunBusy):
        store.start_run(sid)
    store.save_task(run.id, TaskRecord(name="extract_requirements", status=TaskStatus.COMPLETED), {"requirements": [1, 2]})
    store.finish_run(run.id, RunStatus.COMPLETED, usage=Usage(input_tokens=10, output_tokens=5))
    got = store.get_run(run.id)
    assert got.status == RunStatus.COMPLETED and got.usage.total_tokens == 15 and got.finished_at is not None
    assert [t.name for t in got.tasks] == ["extract_requirements"]
    with pytest.raises(InputError, match="already completed"):
        store.resume_run(run.id)
    store.start_run(sid)  # the next run is fine once the first ended


def test_dead_runs_are_marked_interrupted_and_resume_reuses_tasks() -> None:
    s1 = Store.open()
    sid = analysed(s1)
    run = s1.start_run(sid)
    s1.save_task(run.id, TaskRecord(name="extract_requirements", status=TaskStatus.COMPLETED), {"requirements": ["r1"]})
    s1.save_task(run.id, TaskRecord(name="analyze_s0", status=TaskStatus.RUNNING))
    # A second store in the same process while the run is live: not interrupted.
    with Store.open() as s2:
        assert s2.recovered_runs == []
        assert s2.get_run(run.id).status == RunStatus.RUNNING
        with pytest.raises(RunBusy):
            s2.resume_run(run.id)
    s1.close()  # the owner goes away without finishing
    with Store.open() as s3:
        assert s3.recovered_runs == [run.id]
        got = s3.get_run(run.id)
        assert got.status == RunStatus.INTERRUPTED
        assert {t.name: t.status for t in got.tasks} == {"extract_requirements": TaskStatus.COMPLETED, "analyze_s0": TaskStatus.PENDING}
        assert [e["type"] for e in s3.events(run_id=run.id)][-1] == "run_interrupted"
        assert [r.id for r in s3.resumable_runs(sid)] == [run.id]
        point = s3.resume_run(run.id)
        assert point.run.status == RunStatus.RUNNING and point.run.id == run.id
        assert set(point.completed) == {"extract_requirements"}
        assert point.completed["extract_requirements"].result == {"requirements": ["r1"]}
        assert point.completed["extract_requirements"].record.status == TaskStatus.COMPLETED


# ---------------------------------------------------------------------------- events


def pipeline_event(seq: int, type_: str, sid: str, run_id: str, **payload):
    from resume_tui.pipeline.events import Event, EventType

    return Event(event_id=f"{run_id}-{seq}", seq=seq, run_id=run_id, session_id=sid, type=EventType(type_), ts=utcnow(), payload=payload)


async def test_sink_persists_pipeline_events_in_order_and_derives_runs_tasks_changes(store: Store) -> None:
    sid = analysed(store)
    sink = store.event_sink(batch_size=50)
    events = [pipeline_event(1, "run_started", sid, "run-x", level="extensive")]
    events += [pipeline_event(2 + i, "task_progress", sid, "run-x", task="plan", progress=i / 200) for i in range(200)]
    events += [
        pipeline_event(202, "task_started", sid, "run-x", task="extract_requirements"),
        pipeline_event(203, "task_completed", sid, "run-x", task={"name": "extract_requirements", "attempts": 1, "provider": "offline"},
                       result={"requirements": ["r1"]}),
        pipeline_event(204, "change_proposed", sid, "run-x", change=change("c9").model_dump(mode="json")),
        pipeline_event(205, "run_completed", sid, "run-x", tier="partial"),
    ]
    for event in events:
        await sink(event)
    # run_started flushed at once: this process now owns the run's lock.
    await sink.aclose()
    stored = store.events(run_id="run-x")
    assert [e["seq"] for e in stored] == list(range(1, 206))
    assert stored[0]["type"] == "run_started" and stored[-1]["payload"] == {"tier": "partial"}
    run = store.get_run("run-x")
    assert run.status == RunStatus.PARTIAL and run.level.value == "extensive"
    assert store.completed_tasks("run-x")["extract_requirements"].result == {"requirements": ["r1"]}
    assert "c9" in {c.id for c in store.get_session(sid).changes}
    assert store.append_events(events[:3]) == 0  # replays are ignored


# ---------------------------------------------------------------------------- secrets


def test_no_key_reaches_the_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = {
        "ANTHROPIC_API_KEY": "sk-ant-api03-FAKEFAKEFAKEfake0123456789abcdef",
        "OPENAI_API_KEY": "sk-proj-FAKEopenai0123456789abcdefghijkl",
        "GEMINI_API_KEY": "AIzaFAKEgemini0123456789abcdefghijklmnop",
    }
    for name, value in keys.items():
        monkeypatch.setenv(name, value)
    from resume_tui.config import load_settings

    settings = load_settings()
    with open_store(settings) as store:
        session = store.create_session(settings=settings.model_dump(mode="json") | {"openai_api_key": keys["OPENAI_API_KEY"]})
        sid = session.id
        store.advance(sid, W.RESUME_UPLOADED, resume=resume())
        run = store.start_run(sid)
        # Keys smuggled into events, task errors and change text (e.g. an SDK echoing a header).
        store.append_events([
            {"type": "task_failed", "session_id": sid, "run_id": run.id,
             "payload": {"task": "plan", "error": f"401 for key {keys['ANTHROPIC_API_KEY']}"}},
            {"type": "task_progress", "session_id": sid, "run_id": run.id,
             "payload": {"headers": {"Authorization": f"Bearer {keys['OPENAI_API_KEY']}"}}},
        ])
        store.save_task(run.id, TaskRecord(name="x", status=TaskStatus.FAILED, error=f"bad key {keys['GEMINI_API_KEY']}"))
        store.save_changes(sid, [change("k1", after=f"uses {keys['GEMINI_API_KEY']}")])
        store.finish_run(run.id, "failed")
        assert settings.providers.get("anthropic") is None or "api_key" not in settings.model_dump()
    found = []
    for path in data_dir().rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            found += [(path.name, name) for name, value in keys.items() if value.encode() in blob or value[8:30].encode() in blob]
    assert found == []


def test_settings_dump_never_contains_config_keys(tmp_path: Path) -> None:
    from resume_tui.config import Settings

    settings = Settings.model_validate({"providers": {"openai": {"api_key": "sk-config-secret-123456789", "model": "gpt-x"}}})
    assert settings.providers["openai"].api_key == "sk-config-secret-123456789"
    assert "sk-config" not in json.dumps(settings.model_dump(mode="json"))
    assert "sk-config" not in settings.model_dump_json() and "sk-config" not in repr(settings)
    assert "sk-config-secret-123456789" in settings.secrets()


def test_ui_save_logs_decisions(store: Store) -> None:
    sid = analysed(store)
    session = store.get_session(sid)
    session.changes[0].status = ChangeStatus.ACCEPTED
    store.save_session(session)
    session.changes[0].status = ChangeStatus.PENDING  # the UI's copy is authoritative: undo works
    session.changes[1].status = ChangeStatus.REJECTED
    store.save_session(session)
    got = {c.id: c.status for c in store.get_session(sid).changes}
    assert got == {"c1": ChangeStatus.PENDING, "c2": ChangeStatus.REJECTED}
    decisions = [(e["type"], e["payload"]["change_id"]) for e in store.events(session_id=sid) if e["type"].startswith("change_")]
    assert decisions == [("change_accepted", "c1"), ("change_reset", "c1"), ("change_rejected", "c2")]


async def test_real_offline_pipeline_streams_into_the_store(store: Store) -> None:
    from importlib import resources

    pytest.importorskip("resume_tui.analysis.engine")
    from resume_tui.analysis.requirements import parse_job_description
    from resume_tui.documents.ingest import parse_resume_text
    from resume_tui.pipeline import run_pipeline

    data = resources.files("resume_tui.data")
    cv = parse_resume_text(data.joinpath("sample_resume.md").read_text(encoding="utf-8"))
    jd = parse_job_description(data.joinpath("sample_jd.md").read_text(encoding="utf-8"))
    sid = store.create_session().id
    store.advance(sid, W.RESUME_UPLOADED, resume=cv)
    store.advance(sid, W.JD_PROVIDED, job=jd)
    sink = store.event_sink()
    result = await run_pipeline(cv, jd, sinks=[sink], session_id=sid, run_id="run-offline")
    await sink.aclose()
    run = store.get_run("run-offline")
    assert run.status.value in ("completed", "partial")
    assert store.run_summary("run-offline").get("tier") == result.tier
    names = {t.name for t in result.tasks}
    assert {t.name for t in run.tasks} == names
    assert all(t.status.value == "completed" for t in run.tasks if t.name in {r.name for r in result.tasks if r.status.value == "completed"})
    assert {c.id for c in store.get_session(sid).changes} == {c.id for c in result.changes}
    seqs = [e["seq"] for e in store.events(run_id="run-offline")]
    assert seqs == sorted(seqs) and seqs[0] == 1
    assert store.recover_interrupted() == []  # the run ended, so nothing to recover


def test_bad_enum_values_are_input_errors(store: Store) -> None:
    sid = analysed(store)
    with pytest.raises(InputError, match="not a workflow state"):
        store.advance(sid, "finished")
    with pytest.raises(InputError, match="not a change status"):
        store.decide(sid, "c1", "maybe")
    with pytest.raises(InputError, match="not a customization level"):
        store.start_run(sid, level="max")
    run = store.start_run(sid)
    with pytest.raises(InputError, match="not a run status"):
        store.finish_run(run.id, "done")
    with pytest.raises(InputError, match="cannot finish as running"):
        store.finish_run(run.id, "running")


def test_malformed_pipeline_payloads_are_kept_but_not_derived(store: Store) -> None:
    sid = analysed(store)
    bad = [
        {"type": "run_started", "session_id": sid, "run_id": "run-bad", "payload": {"level": "ultra"}},
        {"type": "change_proposed", "session_id": sid, "run_id": "run-bad", "payload": {"change": {"id": "x"}}},
        {"type": "task_completed", "session_id": sid, "run_id": "run-bad", "payload": {"task": {"name": "t", "attempts": "many"}}},
    ]
    assert store.append_events(bad) == 3
    assert [e["type"] for e in store.events(run_id="run-bad")] == ["run_started", "change_proposed", "task_completed"]
    assert "x" not in {c.id for c in store.get_session(sid).changes}


async def test_interrupted_run_resumes_through_the_pipeline_to_the_same_result(store: Store) -> None:
    """The hook with pipeline/: results persisted by the sink come back via resume_run and the
    pipeline restores those tasks instead of redoing them."""
    from importlib import resources

    from resume_tui.analysis.requirements import parse_job_description
    from resume_tui.documents.ingest import parse_resume_text
    from resume_tui.pipeline import run_pipeline

    data = resources.files("resume_tui.data")
    cv = parse_resume_text(data.joinpath("sample_resume.md").read_text(encoding="utf-8"))
    jd = parse_job_description(data.joinpath("sample_jd.md").read_text(encoding="utf-8"))
    sid = store.create_session().id
    sink = store.event_sink()
    baseline = await run_pipeline(cv, jd, sinks=[sink], session_id=sid, run_id="run-full")
    await sink.aclose()
    stored = store.completed_tasks("run-full")
    assert stored and all(t.result is not None for t in stored.values())  # results were persisted

    # A second run that got as far as the first wave (extract + analyze_*) before its process died.
    run = store.start_run(sid)
    first_wave = {name: t for name, t in stored.items() if name == "extract_requirements" or name.startswith("analyze_")}
    for task in first_wave.values():
        store.save_task(run.id, task.record, task.result)
    store.close()
    with Store.open() as reopened:
        assert reopened.recovered_runs == [run.id]
        point = reopened.resume_run(run.id)
        assert set(point.completed) == set(first_wave)
        sink = reopened.event_sink()
        resumed = await run_pipeline(cv, jd, sinks=[sink], session_id=sid, run_id=run.id, completed=point.completed)
        await sink.aclose()
        assert resumed.status == "completed"
        events = reopened.events(run_id=run.id)
        after = events[[e["type"] for e in events].index("run_resumed"):]
        started = {e["payload"]["task"] for e in after if e["type"] == "task_started"}
        assert started and not started & set(first_wave)  # restored, not redone
        assert resumed.report.score == baseline.report.score
        assert [(c.id, c.after, c.verdict) for c in resumed.changes] == [(c.id, c.after, c.verdict) for c in baseline.changes]
        assert reopened.get_run(run.id).status.value in ("completed", "partial")
        assert set(reopened.completed_tasks(run.id)) == set(stored)
