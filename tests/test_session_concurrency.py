"""Two resume-tui processes on one data dir: safe concurrent writes, clear refusal on one session."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from resume_tui.models import WorkflowState as W
from resume_tui.session.locks import LockBusy
from resume_tui.session.store import Store

WRITER = textwrap.dedent(
    """
    import sys
    from resume_tui.models import Resume, JobDescription, Contact, Change
    from resume_tui.session.store import Store
    tag, rounds = sys.argv[1], int(sys.argv[2])
    store = Store.open(timeout_s=30)
    sid = store.create_session(session_id="sess-" + tag).id
    store.advance(sid, "resume_uploaded", resume=Resume(contact=Contact(name=tag)))
    store.save_changes(sid, [Change(id=f"c{i}", section_id="s0", action="replace", after=str(i)) for i in range(rounds)])
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for i in range(rounds):
        store.advance(sid, "jd_provided", job=JobDescription(text=f"jd {i}"))
        store.append_events([{"type": "task_progress", "session_id": sid, "run_id": "run-" + tag, "seq": i * 20 + k,
                              "payload": {"i": i, "k": k}} for k in range(20)])
        store.decide(sid, f"c{i}", "accepted" if i % 2 else "rejected")
        store.advance(sid, "resume_uploaded", resume=Resume(contact=Contact(name=tag)))
    store.close()
    print("done", flush=True)
    """
)


def test_two_processes_write_at_once_without_loss() -> None:
    Store.open().close()  # create + migrate first, like a running TUI would have
    rounds = 60
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, tag, str(rounds)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for tag in ("a", "b")
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "done" in out
    with Store.open() as store:
        assert store.integrity_check() == []
        for tag in ("a", "b"):
            sid = f"sess-{tag}"
            s = store.get_session(sid)
            assert s.state == W.RESUME_UPLOADED
            seqs = [e["seq"] for e in store.events(run_id=f"run-{tag}")]
            assert seqs == list(range(rounds * 20))
            assert len(store.transitions(sid)) == 1 + 2 * rounds
            decided = {c.id: c.status.value for c in s.changes}
            assert decided == {f"c{i}": ("accepted" if i % 2 else "rejected") for i in range(rounds)}


HOLDER = textwrap.dedent(
    """
    import sys
    from resume_tui.session.store import Store
    store = Store.open()
    lock = store.lock_session(sys.argv[1])
    print("locked", flush=True)
    sys.stdin.readline()
    """
)


def test_second_process_on_the_same_session_is_refused_clearly() -> None:
    with Store.open() as store:
        sid = store.create_session().id
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, sid], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with Store.open() as store:
            with pytest.raises(LockBusy) as info:
                store.lock_session(sid)
            assert info.value.holder_pid == holder.pid
            assert f"pid {holder.pid}" in str(info.value) and "close that one first" in str(info.value)
            assert not store.session_free(sid)
            other = store.create_session().id  # other sessions stay usable meanwhile
            store.lock_session(other).release()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    with Store.open() as store:  # the holder exited: the lock went with it
        store.lock_session(sid).release()
        assert os.path.exists(store.lock_dir)
