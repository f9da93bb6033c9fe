"""Re-run merge rules, the view kept in a session, and the offline thread that cancelling stops."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from resume_tui.models import Change, ChangeAction, ChangeStatus, Session, Verdict
from resume_tui.pipeline.run.offload import Offloader, in_thread
from resume_tui.session.services.rerun import merge, proposal_key
from resume_tui.session.view import ViewState


def change(cid: str, after: str, **kw) -> Change:
    return Change(id=cid, section_id="s1", item_id=f"{cid}.item", action=ChangeAction.REPLACE, before="old", after=after, **kw)


def test_decisions_on_the_same_proposal_carry_over_and_others_are_counted() -> None:
    earlier = [change("a", "A", status=ChangeStatus.ACCEPTED), change("b", "B", status=ChangeStatus.REJECTED),
               change("c", "C old", status=ChangeStatus.ACCEPTED), change("d", "D")]
    proposed = [change("a", "A"), change("b", "B"), change("c", "C new"), change("d", "D")]
    merged = merge(proposed, earlier, None, None, [])
    assert [c.status for c in merged.changes] == [ChangeStatus.ACCEPTED, ChangeStatus.REJECTED,
                                                  ChangeStatus.PENDING, ChangeStatus.PENDING]
    assert merged.kept == 2 and [c.id for c in merged.dropped] == ["c"], "an undecided change is nobody's work"
    assert merged.question() == "Re-run will drop 1 decision on changes that are no longer proposed — continue?"


def test_the_same_text_on_another_target_is_another_change() -> None:
    earlier = [change("a", "A", status=ChangeStatus.ACCEPTED)]
    moved = change("a", "A").model_copy(update={"item_id": "elsewhere"})
    assert proposal_key(moved) != proposal_key(earlier[0])
    assert merge([moved], earlier, None, None, []).dropped == earlier


def test_an_acceptance_the_guard_no_longer_allows_is_dropped_not_kept() -> None:
    earlier = [change("a", "A", status=ChangeStatus.ACCEPTED), change("b", "B", status=ChangeStatus.ACCEPTED,
                                                                      verdict=Verdict.FLAGGED)]
    proposed = [change("a", "A", verdict=Verdict.BLOCKED), change("b", "B", verdict=Verdict.FLAGGED)]
    merged = merge(proposed, earlier, None, None, [])
    assert [c.status for c in merged.changes] == [ChangeStatus.PENDING, ChangeStatus.ACCEPTED], "the override stands"
    assert [c.id for c in merged.dropped] == ["a"]


def test_declared_fact_changes_pass_through_for_the_facts_service() -> None:
    declared = change("facts-x", "X", status=ChangeStatus.ACCEPTED, source="declared")
    merged = merge([change("a", "A")], [declared], None, None, [])
    assert merged.changes[-1] == declared and not merged.dropped


def test_the_view_records_only_moves_and_saves_once() -> None:
    session = Session(id="s")
    saves: list[int] = []
    view = ViewState(lambda: session, save=lambda: saves.append(1))
    view.set(step="gap_analyzed", review_change="c3")
    view.save()
    view.set(step="gap_analyzed")
    view.save()
    assert saves == [1] and session.settings.view == {"step": "gap_analyzed", "review_change": "c3"}
    assert view.step == "gap_analyzed" and view.scroll("review") == 0.0
    session.settings.view["step"] = "nonsense"
    assert view.step is None


async def test_cancelling_an_offline_path_stops_its_thread() -> None:
    stopped = threading.Event()

    def spin() -> None:
        try:
            while True:
                pass
        finally:
            stopped.set()

    task = asyncio.ensure_future(in_thread(spin))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await asyncio.to_thread(stopped.wait, 5.0), "the thread was stopped, not left spinning"


async def test_offline_paths_run_one_at_a_time_in_the_order_asked() -> None:
    offload = Offloader()
    order: list[str] = []

    def work(name: str, seconds: float) -> str:
        order.append(f"start {name}")
        time.sleep(seconds)
        order.append(f"end {name}")
        return name

    results = await asyncio.gather(offload.run(work, "a", 0.05), offload.run(work, "b", 0.0))
    assert results == ["a", "b"] and order == ["start a", "end a", "start b", "end b"]
    with pytest.raises(ZeroDivisionError):
        await offload.run(lambda: 1 / 0)
