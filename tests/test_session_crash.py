"""kill -9 at random moments: the database stays sound and tells the truth, and the run resumes.

A child process plays a tailoring run against the store (transitions back and forth,
streamed task events, task results, decisions, approvals, atomic exports) and is
SIGKILLed at random points. After each kill we check integrity, that the session's
state agrees with its events, that no export is half-written, and then let the next
child resume the interrupted run, reusing the tasks already finished. The last child runs
to the end and must produce exactly the result of an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from resume_tui.session.store import Store

TASKS = 80
CHILD = textwrap.dedent(
    f"""
    import hashlib, os, sys, time
    from pathlib import Path
    from resume_tui.models import Change, Contact, GapReport, JobDescription, Resume, TaskRecord, TaskStatus
    from resume_tui.session.store import Store
    try:
        from resume_tui.documents.atomic import atomic_write
    except ImportError:
        def atomic_write(path, data, overwrite=False):
            tmp = path.with_name("." + path.name + ".part")
            tmp.write_bytes(data); os.replace(tmp, path)

    out = Path(sys.argv[1])
    store = Store.open()
    sid = "crash-session"
    if not store.exists(sid):
        store.create_session(session_id=sid)
        store.advance(sid, "resume_uploaded", resume=Resume(contact=Contact(name="Ann")))
        store.save_changes(sid, [Change(id=f"c{{i}}", section_id="s0", action="replace", after=str(i)) for i in range({TASKS})])
    state = store.get_session(sid).state.value
    if state == "resume_uploaded":
        store.advance(sid, "jd_provided", job=JobDescription(text="the job"))
        state = "jd_provided"
    resumable = store.resumable_runs(sid)
    if resumable:
        point = store.resume_run(resumable[0].id)
        run_id, done = point.run.id, point.completed
    else:
        run_id, done = store.start_run(sid).id, {{}}
    seqs = [e["seq"] for e in store.events(run_id=run_id) if e["seq"] is not None]
    seq = max(seqs, default=0)
    print("ready", flush=True)

    def emit(events):
        global seq
        rows = []
        for etype, payload in events:
            seq += 1
            rows.append({{"type": etype, "seq": seq, "run_id": run_id, "session_id": sid, "payload": payload}})
        store.append_events(rows)

    for i in range({TASKS}):
        name = f"task_{{i:02d}}"
        if name in done:
            continue
        emit([("task_started", {{"task": name}})] + [("task_progress", {{"task": name, "progress": k / 40}}) for k in range(10)])
        for batch in range(1, 4):  # a provider call in flight: progress trickles in
            time.sleep(0.005)
            emit([("task_progress", {{"task": name, "progress": (batch * 10 + k) / 40}}) for k in range(10)])
        # Workflow moves in between, back and forth.
        if state == "jd_provided":
            store.advance(sid, "gap_analyzed", report=GapReport(score=float(i)), run_id=run_id)
            state = "gap_analyzed"
        else:
            store.advance(sid, "jd_provided", job=JobDescription(text=f"the job, edit {{i}}"), run_id=run_id)
            state = "jd_provided"
        store.decide(sid, f"c{{i}}", "accepted" if i % 3 else "rejected", run_id=run_id)
        if i % 6 == 5:
            target = out / f"v{{i}}.md"
            data = (f"version {{i}}\\n" * 20000).encode()
            approval = store.record_approval(sid, decision="granted", who="crash-test", subject=[str(target)], run_id=run_id)
            existed = target.exists()
            atomic_write(target, data, overwrite=True)
            store.record_file_write(sid, path=target, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), format="md",
                                    who="crash-test", action="overwrite" if existed else "create", approval_id=approval, run_id=run_id)
        # Completed only once its effects are recorded, so a resumed run redoes them if needed.
        result = {{"value": hashlib.sha256(name.encode()).hexdigest()[:12], "i": i}}
        emit([("task_completed", {{"task": {{"name": name, "attempts": 1, "provider": "offline"}}, "result": result}})])
    store.finish_run(run_id, "completed")
    print("finished", flush=True)
    """
)


def expected_results() -> dict[str, dict]:
    return {
        f"task_{i:02d}": {"value": hashlib.sha256(f"task_{i:02d}".encode()).hexdigest()[:12], "i": i} for i in range(TASKS)
    }


def check_consistent(store: Store, out: Path) -> None:
    assert store.integrity_check() == []
    sid = "crash-session"
    if not store.exists(sid):
        return
    session = store.get_session(sid)
    events = store.events(session_id=sid)
    moves = [e for e in events if e["type"] == "state_changed"]
    transitions = store.transitions(sid)
    assert len(moves) == len(transitions)
    assert session.state.value == moves[-1]["payload"]["target"] == transitions[-1]["target"]
    assert [m["payload"]["stale"] for m in moves][-1] == [s.value for s in session.stale]
    # Every change's status is the one its last decision event says.
    last: dict[str, str] = {}
    for e in events:
        if e["type"] in ("change_accepted", "change_rejected"):
            last[e["payload"]["change_id"]] = e["type"].removeprefix("change_")
    assert {c.id: c.status.value for c in session.changes if c.status.value != "pending"} == last
    # Pipeline events of each run form an unbroken sequence: batches land whole or not at all.
    for run in store.runs(sid):
        seqs = [e["seq"] for e in store.events(run_id=run.id) if e["seq"] is not None]
        assert seqs == list(range(1, len(seqs) + 1))
        completed_events = {e["payload"]["task"]["name"] for e in store.events(run_id=run.id, types=["task_completed"])}
        assert set(store.completed_tasks(run.id)) == completed_events
        assert run.status.value != "running"  # recovered on open
    # Audit rows and their events agree; recorded files exist whole with the recorded hash.
    audit = store.audit(sid)
    assert len([a for a in audit if a.kind == "approval"]) == len([e for e in events if e["type"] == "approval_granted"])
    writes = [a for a in audit if a.kind == "file_write"]
    assert len(writes) == len([e for e in events if e["type"] == "file_written"])
    for w in writes:
        assert hashlib.sha256(Path(w.detail["path"]).read_bytes()).hexdigest() == w.detail["sha256"]
    # No half-written export: every visible export is complete (temp files are hidden .part files).
    for f in out.glob("v*.md"):
        i = int(f.stem[1:])
        assert f.read_bytes() == (f"version {i}\n" * 20000).encode()


@pytest.mark.slow
@pytest.mark.e2e
def test_kill_dash_nine_at_random_points(tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    seed = int(os.environ.get("CRASH_SEED", time.time_ns() % 100000))
    rng = random.Random(seed)
    kills = 0
    finished = False
    deadline = time.monotonic() + 22
    while kills < 20 and time.monotonic() < deadline:
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = child.stdout.readline().strip()
        if line != "ready":
            child.wait(timeout=30)
            pytest.fail(f"seed {seed}: child failed to start: {child.stderr.read()}")
        time.sleep(rng.uniform(0.0, 0.1))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        kills += 1
        with Store.open() as store:
            check_consistent(store, out)
            with_runs = store.runs("crash-session")
            if with_runs and with_runs[-1].status.value == "completed":
                finished = True
                break  # the run outran the killer; the checks still held at every point
    assert kills >= 10, f"seed {seed}: too few kills"

    # Let the last child finish: it resumes the interrupted run and ends with the full result.
    if not finished:
        final = subprocess.run([sys.executable, "-c", CHILD, str(out)], capture_output=True, text=True, timeout=60)
        assert "finished" in final.stdout, f"seed {seed}: {final.stderr}"
    with Store.open() as store:
        check_consistent(store, out)
        runs = store.runs("crash-session")
        completed = [r for r in runs if r.status.value == "completed"]
        assert len(completed) == 1, f"seed {seed}: {[r.status for r in runs]}"
        assert len(runs) == 1  # one run, resumed each time, never restarted from scratch
        results = {name: task.result for name, task in store.completed_tasks(completed[0].id).items()}
        assert results == expected_results()
        resumed = store.events(run_id=completed[0].id, types=["run_resumed"])
        assert len(resumed) == len(store.events(run_id=completed[0].id, types=["run_interrupted"]))
        assert sorted(f.name for f in out.glob("v*.md")) == sorted(f"v{i}.md" for i in range(TASKS) if i % 6 == 5)
