"""Live change proposals: a provisional change the run's final result withdraws is not kept."""

from __future__ import annotations

import pytest

from resume_tui.models import Change, ChangeAction, ChangeStatus
from resume_tui.session.store import Store


def change(cid: str, after: str = "Built REST APIs in Go") -> dict:
    return Change(id=cid, section_id="s0", item_id="s0.0", action=ChangeAction.REPLACE,
                  before="Built APIs in Go", after=after).model_dump(mode="json")


def event(n: int, sid: str, etype: str, **payload) -> dict:
    return {"event_id": f"e{n}", "seq": n, "run_id": "run-1", "session_id": sid, "type": etype,
            "ts": f"2026-01-15T09:30:{n:02d}+00:00", "payload": payload}


@pytest.fixture
def store() -> Store:
    s = Store.open()
    yield s
    s.close()


def test_a_withdrawn_live_proposal_is_dropped_and_the_final_ones_stay(store: Store) -> None:
    sid = store.create_session().id
    store.append_events([
        event(1, sid, "run_started", level="moderate"),
        event(2, sid, "change_proposed", change=change("c1"), provisional=True, task="customize_s0"),
        event(3, sid, "change_proposed", change=change("c2"), provisional=True, task="customize_s0"),
        event(4, sid, "change_proposed", change=change("c3", "Built Go APIs"), provisional=False),
        event(5, sid, "change_rejected", change_id="c1", who="pipeline", reason="superseded by the final result"),
        event(6, sid, "run_completed", change_ids=["c2", "c3"]),
    ])
    changes = store.get_session(sid).changes
    assert [c.id for c in changes] == ["c2", "c3"]
    assert all(c.status == ChangeStatus.PENDING for c in changes)
    assert "change_rejected" in [e["type"] for e in store.events(session_id=sid)], "the history keeps the withdrawal"


def test_a_withdrawal_never_undoes_a_persons_decision(store: Store) -> None:
    sid = store.create_session().id
    store.append_events([event(1, sid, "change_proposed", change=change("c1"))])
    store.decide(sid, "c1", ChangeStatus.ACCEPTED, who="user")
    store.append_events([event(2, sid, "change_rejected", change_id="c1", who="pipeline", reason="superseded by the final result")])
    assert [(c.id, c.status) for c in store.get_session(sid).changes] == [("c1", ChangeStatus.ACCEPTED)]


def test_a_pipeline_rejection_that_is_not_a_withdrawal_is_still_a_rejection(store: Store) -> None:
    sid = store.create_session().id
    store.append_events([
        event(1, sid, "change_proposed", change=change("c1")),
        event(2, sid, "change_rejected", change_id="c1", who="pipeline", reason="blocked by the guard"),
    ])
    assert [(c.id, c.status) for c in store.get_session(sid).changes] == [("c1", ChangeStatus.REJECTED)]
