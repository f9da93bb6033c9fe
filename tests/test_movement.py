"""Why the scores moved or did not (analysis/movement.py): the sentence names what changed and the
line or declared fact that proves it, and an unmoved Fit says what would move it."""

from __future__ import annotations

from pathlib import Path

import pytest

from resume_tui.analysis.facts import USER_FACTS_ID
from resume_tui.analysis.movement import explain, fit_movement, keyword_movement
from resume_tui.models import (
    Evidence,
    GapReport,
    MatchStatus,
    Priority,
    Requirement,
    RequirementCategory,
    RequirementMatch,
)

REQS = [
    Requirement(id="r1", text="Strong Python skills", category=RequirementCategory.TECHNICAL_SKILL, priority=Priority.CRITICAL),
    Requirement(id="r2", text="Experience with Kubernetes in production", category=RequirementCategory.TECHNICAL_SKILL,
                priority=Priority.IMPORTANT),
    Requirement(id="r3", text="Familiarity with Jira", category=RequirementCategory.TECHNICAL_SKILL, priority=Priority.NICE_TO_HAVE),
]


def report(score: float, statuses: dict[str, MatchStatus], evidence: list[Evidence] = (), **kw) -> GapReport:
    matches = [RequirementMatch(requirement_id=r, status=s, strength=0.0 if s == MatchStatus.MISSING else 0.8)
               for r, s in statuses.items()]
    return GapReport(score=score, requirements=REQS, matches=matches, evidence=list(evidence), **kw)


M, P, X = MatchStatus.MATCHED, MatchStatus.PARTIAL, MatchStatus.MISSING


def test_an_unmoved_fit_says_why_and_what_would_move_it() -> None:
    same = {"r1": M, "r2": P, "r3": X}
    text = fit_movement(report(50, same), report(50, same))
    assert text.startswith("Fit 50 → 50: no requirement changed status")
    assert "1 missing, e.g. “Familiarity with Jira”: declare one if true" in text


def test_an_unmoved_fit_with_nothing_missing_says_only_evidence_moves_it() -> None:
    same = {"r1": M, "r2": P, "r3": M}
    text = fit_movement(report(80, same), report(80, same))
    assert "1 partly met: only more evidence moves them" in text and "declare" not in text


def test_a_rise_names_the_requirement_and_quotes_the_line_that_proves_it() -> None:
    line = Evidence(requirement_id="r2", item_id="s2.3", quote="Ran 14 services on Kubernetes (EKS)", strength=0.9)
    text = fit_movement(report(50, {"r1": M, "r2": P, "r3": X}),
                        report(67, {"r1": M, "r2": M, "r3": X}, [line]))
    assert text == ("Fit 50 → 67: “Experience with Kubernetes in production” is now met — shown by “Ran 14 services"
                    " on Kubernetes (EKS)”.")


def test_a_rise_from_a_declared_fact_says_the_person_declared_it() -> None:
    fact = Evidence(requirement_id="r3", item_id=f"{USER_FACTS_ID}.1", quote="Jira — tracked sprints", strength=0.7)
    text = fit_movement(report(50, {"r1": M, "r2": P, "r3": X}),
                        report(54, {"r1": M, "r2": P, "r3": P}, [fact]))
    assert "“Familiarity with Jira” is now partly met — you declared “Jira — tracked sprints”" in text


def test_a_fall_is_reported_never_hidden() -> None:
    text = fit_movement(report(67, {"r1": M, "r2": M, "r3": X}), report(50, {"r1": M, "r2": P, "r3": X}))
    assert text.startswith("Fit 67 → 50.") and "less well met than before" in text and "Kubernetes" in text


def test_keywords_name_the_words_now_written_or_why_none_were() -> None:
    assert keyword_movement(17, 22, ["Python"], ["Python", "HTML", "CSS"], ["Jira"]) == \
        "Keywords 17% → 22%: now written in your resume: “HTML”, “CSS”."
    text = keyword_movement(17, 17, ["Python"], ["Python"], ["Jira", "Scrum"])
    assert "none added; 2 not in your resume's words (e.g. “Jira”, “Scrum”)" in text
    assert "No longer written: “Go”" in keyword_movement(30, 20, ["Python", "Go"], ["Python"], ["Go"])


def test_explain_gives_fit_then_keywords() -> None:
    same = {"r1": M, "r2": P, "r3": X}
    before = report(50, same, keyword_score=20.0, keywords_matched=["Python"], keywords_missing=["Jira"])
    after = report(50, same, keyword_score=20.0, keywords_matched=["Python"], keywords_missing=["Jira"])
    fit, keywords = explain(before, after)
    assert fit.startswith("Fit 50 → 50") and keywords.startswith("Keywords 20% → 20%")


def test_tailor_prints_and_returns_why_the_scores_moved(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    from resume_tui.app import SAMPLE_JD, SAMPLE_RESUME

    out = subprocess.run([sys.executable, "-m", "resume_tui", "tailor", str(SAMPLE_RESUME), str(SAMPLE_JD),
                          "-o", str(tmp_path / "t.md"), "--yes", "--json"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    document = json.loads(out.stdout)
    fit, keywords = document["why"]
    assert fit.startswith(f"Fit {document['score_before']:.0f} → {document['score_after']:.0f}")
    assert keywords.startswith(f"Keywords {document['keyword_before']:.0f}% → {document['keyword_after']:.0f}%")


@pytest.mark.slow
async def test_export_and_review_say_why_the_scores_moved(tmp_path: Path) -> None:
    from test_tui_support import make_app, reviewed, settle
    from textual.widgets import Static

    from resume_tui.models import WorkflowState

    app = make_app(tmp_path, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await reviewed(pilot)
        app.flow.accept_all_safe()
        await settle(pilot)
        app.show_step(WorkflowState.EXPORTED)
        await settle(pilot)
        shown = str(app.screen.query_one("#export-why", Static).render())
        scores = app.flow.scores_for(app.flow.accepted())
        assert scores is not None and shown == "\n".join(scores["why"])
        assert shown.startswith(f"Fit {scores['fit_before']:.0f} → {scores['fit_after']:.0f}")
        assert "\nKeywords " in shown
