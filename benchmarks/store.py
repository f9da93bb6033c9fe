"""Session store figures, measured in one run (not a test: it prints, it does not assert).

    .venv/bin/python benchmarks/store.py [--events 20000]

- events persisted per second while a run streams them through the pipeline's EventBus
  into `StoreSink` (target ≥ 5,000/s), and through `append_events` batches directly;
- time to reopen a session with 10,000 events: open the store (quick_check, migrations,
  recovery), load the session, and replay all its events (target < 0.2 s);
- latency of the writes a person triggers (a workflow transition, a decision).

Runs in a temporary data dir; never touches a real home.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _resume():
    from resume_tui.models import Contact, Item, Resume, Section, SectionKind

    sections = [
        Section(id=f"s{i}", kind=SectionKind.EXPERIENCE, title=f"Section {i}",
                items=[Item(id=f"s{i}.{j}", text=f"Did thing {j} with Python and SQL for team {i}") for j in range(8)])
        for i in range(6)
    ]
    return Resume(contact=Contact(name="Bench Mark"), sections=sections)


def _payload(i: int) -> dict:
    # The shape of the orchestrator's task payload.
    return {"task": f"customize_s{i % 6}", "status": "running", "progress": (i % 100) / 100, "attempts": 1,
            "provider": "offline", "fallback": False, "tokens": i, "cost_usd": 0.0, "elapsed_s": i / 1000,
            "error": None, "overall": (i % 1000) / 1000, "eta_s": 12.5}


async def stream_through_bus(store, session_id: str, n: int) -> float:
    """Emit n events on the pipeline's EventBus with a StoreSink attached; seconds until all are stored."""
    from resume_tui.models import utcnow
    from resume_tui.pipeline.events import EventBus, EventType

    sink = store.event_sink()
    bus = EventBus("run-bench-bus", session_id, utcnow, (sink,))
    bus.start()
    t0 = time.perf_counter()
    bus.emit(EventType.RUN_STARTED, level="moderate")
    for i in range(n - 2):
        bus.emit(EventType.TASK_PROGRESS, **_payload(i))
        if i % 200 == 0:
            await asyncio.sleep(0)  # a live run yields to the loop between model calls
    bus.emit(EventType.RUN_COMPLETED, tier="normal")
    await bus.close()
    await sink.aclose()
    return time.perf_counter() - t0


def direct_batches(store, session_id: str, n: int, batch: int = 500) -> float:
    rows = [{"type": "task_progress", "session_id": session_id, "run_id": "run-bench-direct", "seq": i + 1, "payload": _payload(i)}
            for i in range(n)]
    t0 = time.perf_counter()
    for k in range(0, n, batch):
        store.append_events(rows[k : k + batch])
    return time.perf_counter() - t0


def reopen(path: Path, session_id: str) -> tuple[float, float, float, int]:
    from resume_tui.session.store import Store

    t0 = time.perf_counter()
    store = Store.open(path)
    t1 = time.perf_counter()
    store.get_session(session_id)
    t2 = time.perf_counter()
    events = store.events(session_id=session_id)
    t3 = time.perf_counter()
    store.close()
    return t1 - t0, t2 - t1, t3 - t2, len(events)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20000, help="events to stream (default 20000)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="resume-tui-bench-"))
    os.environ["RESUME_TUI_DATA_DIR"] = str(tmp / "data")
    os.environ["RESUME_TUI_CONFIG_DIR"] = str(tmp / "config")

    from resume_tui.models import GapReport, JobDescription
    from resume_tui.session.store import Store

    store = Store.open()
    print(f"store: {store.path}  (sqlite {__import__('sqlite3').sqlite_version}, WAL, synchronous=NORMAL)")

    sid = store.create_session().id
    store.advance(sid, "resume_uploaded", resume=_resume())
    seconds = asyncio.run(stream_through_bus(store, sid, args.events))
    print(f"streaming via EventBus → StoreSink: {args.events} events in {seconds:.3f} s = {args.events / seconds:,.0f} events/s (target ≥ 5,000)")
    seconds = direct_batches(store, sid, args.events)
    print(f"append_events, batches of 500:      {args.events} events in {seconds:.3f} s = {args.events / seconds:,.0f} events/s")

    # Writes a person triggers: one transaction each (fsync-free in WAL/NORMAL, still atomic).
    timings = []
    store.advance(sid, "jd_provided", job=JobDescription(text="bench"))
    for i in range(100):
        t0 = time.perf_counter()
        store.advance(sid, "gap_analyzed" if i % 2 == 0 else "jd_provided", report=GapReport(score=50.0))
        timings.append(time.perf_counter() - t0)
    print(f"workflow transition (load+check+write+event): median {statistics.median(timings) * 1000:.2f} ms")

    # A session with exactly 10,000 events, reopened cold (new process state: new Store).
    sid10 = store.create_session().id
    store.advance(sid10, "resume_uploaded", resume=_resume())
    rows = [{"type": "task_progress", "session_id": sid10, "run_id": "run-10k", "seq": i + 1, "payload": _payload(i)}
            for i in range(10000 - 2)]  # + session_created + state_changed = 10,000
    for k in range(0, len(rows), 1000):
        store.append_events(rows[k : k + 1000])
    path = store.path
    store.close()
    size_mb = path.stat().st_size / 1e6
    samples = [reopen(path, sid10) for _ in range(7)]
    opened, loaded, replayed, count = (statistics.median(s[i] for s in samples) for i in range(4))
    total = opened + loaded + replayed
    print(
        f"reopen a session with {int(count):,} events (db {size_mb:.1f} MB, median of 7): open {opened * 1000:.1f} ms + "
        f"load session {loaded * 1000:.1f} ms + replay events {replayed * 1000:.1f} ms = {total * 1000:.1f} ms (target < 200)"
    )
    print(f"reopen without replaying events (what the session picker needs): {(opened + loaded) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
