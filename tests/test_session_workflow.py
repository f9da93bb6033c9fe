"""Every workflow move, allowed and refused, and how going back marks later work stale."""

from __future__ import annotations

import itertools

import pytest

from resume_tui.errors import InputError
from resume_tui.models import Contact, GapReport, JobDescription, Resume, Session
from resume_tui.models import WorkflowState as W
from resume_tui.session.workflow import TransitionError, allowed_targets, transition

ALL = list(W)
# The spec table, written out by hand: (from, to) pairs that are allowed.
ALLOWED = {
    (W.DRAFT, W.RESUME_UPLOADED), (W.DRAFT, W.CANCELLED),
    (W.RESUME_UPLOADED, W.RESUME_UPLOADED), (W.RESUME_UPLOADED, W.JD_PROVIDED), (W.RESUME_UPLOADED, W.CANCELLED),
    (W.JD_PROVIDED, W.RESUME_UPLOADED), (W.JD_PROVIDED, W.JD_PROVIDED), (W.JD_PROVIDED, W.GAP_ANALYZED),
    (W.JD_PROVIDED, W.CANCELLED),
    (W.GAP_ANALYZED, W.RESUME_UPLOADED), (W.GAP_ANALYZED, W.JD_PROVIDED), (W.GAP_ANALYZED, W.GAP_ANALYZED),
    (W.GAP_ANALYZED, W.REWRITE_APPLIED), (W.GAP_ANALYZED, W.CANCELLED),
    (W.REWRITE_APPLIED, W.RESUME_UPLOADED), (W.REWRITE_APPLIED, W.JD_PROVIDED), (W.REWRITE_APPLIED, W.GAP_ANALYZED),
    (W.REWRITE_APPLIED, W.REWRITE_APPLIED), (W.REWRITE_APPLIED, W.EXPORTED), (W.REWRITE_APPLIED, W.CANCELLED),
    (W.EXPORTED, W.RESUME_UPLOADED), (W.EXPORTED, W.JD_PROVIDED), (W.EXPORTED, W.GAP_ANALYZED),
    (W.EXPORTED, W.REWRITE_APPLIED), (W.EXPORTED, W.EXPORTED), (W.EXPORTED, W.CANCELLED),
}


def full_session(state: W) -> Session:
    """A session in `state` that has every artifact, so only the state rules decide."""
    return Session(
        id="s1",
        state=state,
        resume=Resume(contact=Contact(name="Ann")),
        job=JobDescription(text="Engineer"),
        report=GapReport(score=50.0),
    )


@pytest.mark.parametrize(("source", "target"), list(itertools.product(ALL, ALL)), ids=lambda s: s.value)
def test_every_transition(source: W, target: W) -> None:
    session = full_session(source)
    if (source, target) in ALLOWED:
        moved, move = transition(session, target)
        assert moved.state == target
        assert move.source == source and move.target == target
        assert session.state == source  # the input is not mutated
    else:
        with pytest.raises(TransitionError) as info:
            transition(session, target)
        err = info.value
        assert isinstance(err, InputError) and err.exit_code == 2
        assert err.current == source and err.target == target
        assert "\n" not in str(err) and str(err).endswith(".")


def test_refusals_say_what_to_do() -> None:
    with pytest.raises(TransitionError, match="needs a job description first"):
        transition(full_session(W.RESUME_UPLOADED), W.GAP_ANALYZED)
    with pytest.raises(TransitionError, match="start a new session"):
        transition(full_session(W.CANCELLED), W.RESUME_UPLOADED)
    with pytest.raises(TransitionError, match="cannot go back to draft"):
        transition(full_session(W.JD_PROVIDED), W.DRAFT)


def test_allowed_targets_matches_table() -> None:
    for state in ALL:
        assert set(allowed_targets(full_session(state))) == {t for s, t in ALLOWED if s == state}


def test_artifacts_required_before_entering_a_state() -> None:
    empty = Session(id="s", state=W.DRAFT)
    with pytest.raises(TransitionError, match="no resume"):
        transition(empty, W.RESUME_UPLOADED)
    with_resume = empty.model_copy(update={"resume": Resume()})
    moved, _ = transition(with_resume, W.RESUME_UPLOADED)
    with pytest.raises(TransitionError, match="no job description"):
        transition(moved, W.JD_PROVIDED)
    moved = moved.model_copy(update={"job": JobDescription(text="x")})
    moved, _ = transition(moved, W.JD_PROVIDED)
    with pytest.raises(TransitionError, match="no gap report"):
        transition(moved, W.GAP_ANALYZED)


def test_going_back_marks_later_states_stale_and_keeps_artifacts() -> None:
    session = full_session(W.EXPORTED)
    back, move = transition(session, W.JD_PROVIDED)  # a new JD
    assert back.state == W.JD_PROVIDED
    # Analysis, review and export were all built on the old JD.
    assert back.stale == [W.GAP_ANALYZED, W.REWRITE_APPLIED, W.EXPORTED]
    assert move.kind == "back" and move.newly_stale == (W.GAP_ANALYZED, W.REWRITE_APPLIED, W.EXPORTED)
    assert back.report == session.report and back.resume == session.resume  # nothing deleted

    s, _ = transition(back, W.GAP_ANALYZED)  # redoing a stale step makes it fresh, the rest stays stale
    assert s.stale == [W.REWRITE_APPLIED, W.EXPORTED]
    s, _ = transition(s, W.JD_PROVIDED)  # back again
    assert s.stale == [W.GAP_ANALYZED, W.REWRITE_APPLIED, W.EXPORTED]
    for target in (W.GAP_ANALYZED, W.REWRITE_APPLIED, W.EXPORTED):
        s, _ = transition(s, target)
    assert s.stale == []


def test_going_back_from_a_midpoint_stales_only_what_was_reached() -> None:
    s, _ = transition(full_session(W.GAP_ANALYZED), W.RESUME_UPLOADED)
    assert s.stale == [W.JD_PROVIDED, W.GAP_ANALYZED]  # never reached review or export


def test_repeat_of_an_earlier_step_marks_what_followed() -> None:
    s = full_session(W.GAP_ANALYZED)
    s, move = transition(s, W.GAP_ANALYZED)  # re-run the analysis in place
    assert move.kind == "repeat" and s.stale == []
    s, _ = transition(s, W.REWRITE_APPLIED)
    s, _ = transition(s, W.RESUME_UPLOADED)  # a new resume: everything after it is stale
    assert s.stale == [W.JD_PROVIDED, W.GAP_ANALYZED, W.REWRITE_APPLIED]
    assert s.state == W.RESUME_UPLOADED


def test_cancel_from_anywhere_keeps_stale_list() -> None:
    s = full_session(W.EXPORTED)
    s, _ = transition(s, W.JD_PROVIDED)
    s, move = transition(s, W.CANCELLED)
    assert s.state == W.CANCELLED and move.kind == "cancel"
    assert s.stale == [W.GAP_ANALYZED, W.REWRITE_APPLIED, W.EXPORTED]
