"""Issue 12: two scores (Fit and Keywords), honest alignment that moves Keywords, and declared facts."""

from __future__ import annotations

import json

from resume_tui.analysis.apply import apply_changes
from resume_tui.analysis.declared import propose_declared_changes
from resume_tui.analysis.engine import analyze
from resume_tui.analysis.guard import check_change
from resume_tui.analysis.keywords import keyword_report, posting_keywords
from resume_tui.analysis.requirements import parse_job_description
from resume_tui.analysis.rewrites import propose_changes
from resume_tui.documents.ingest import parse_resume_text
from resume_tui.models import Change, ChangeAction, ChangeStatus, CustomizationLevel, Verdict

RESUME_TEXT = """\
Jane Roe
jane@example.com

SUMMARY
Platform engineer with 7 years of experience running services on Azure.

SKILLS
Cloud: Azure, AKS, ACR, Terraform
Languages: Python, Bash

EXPERIENCE
Parcelio, Lisbon
Senior Platform Engineer, Jan 2020 – Present
• Moved 14 services to AKS with zero downtime.
• Wrote deployment scripts in Python and Bash.
"""
JD_TEXT = """\
Platform Engineer — Globex

Requirements
- Experience with Azure Kubernetes Service in production
- Infrastructure as code with Terraform
- Strong Python skills
- Strong Go skills for backend tooling
- Experience with Helm charts
"""
RESUME = parse_resume_text(RESUME_TEXT)
JOB = parse_job_description(JD_TEXT)


def _accept(changes):
    return [c.model_copy(update={"status": ChangeStatus.ACCEPTED}) for c in changes if c.verdict is Verdict.SAFE]


def test_keywords_are_the_postings_words_matched_verbatim() -> None:
    names = [k.name for k in posting_keywords(JOB)]
    assert {"Azure Kubernetes Service", "Terraform", "Python", "Go", "Helm charts"} <= set(names)
    report = keyword_report(RESUME, JOB)
    assert "Terraform" in report.matched and "Python" in report.matched
    # An ATS reads words: "AKS" does not match "Azure Kubernetes Service", and nothing matches "Go" or "Helm".
    assert {"Azure Kubernetes Service", "Go", "Helm charts"} <= set(report.missing)
    assert report.score == round(100 * len(report.matched) / (len(report.matched) + len(report.missing)), 1)
    again = keyword_report(RESUME, JOB)
    assert again == report  # deterministic


def test_alias_alignment_raises_keywords_and_is_never_only_a_fit_change() -> None:
    before = analyze(RESUME, JOB)
    changes = propose_changes(RESUME, JOB, before, CustomizationLevel.MODERATE)
    tailored = apply_changes(RESUME, _accept(changes))
    after = analyze(tailored, JOB)
    assert after.keyword_score > before.keyword_score
    assert "Azure Kubernetes Service" in after.keywords_matched
    assert after.score >= before.score
    assert "AKS (Azure Kubernetes Service)" in tailored.full_text()  # the user's term stays


def test_declared_facts_count_for_fit_never_for_keywords() -> None:
    plain = analyze(RESUME, JOB)
    declared = analyze(RESUME, JOB, facts=["Go", "Helm — packaged services at Parcelio"])
    assert declared.score > plain.score
    assert declared.keyword_score == plain.keyword_score  # nothing new is written yet
    go = next(r for r in JOB.requirements if "Go skills" in r.text)
    assert declared.match_for(go.id).status.value != "missing"
    assert [e.item_id for e in declared.evidence_for(go.id)] == ["user.1"]
    # Withdrawing the facts restores both scores exactly.
    assert analyze(RESUME, JOB, facts=[]) == plain


def test_a_declared_short_skill_passes_the_guard_only_where_declared() -> None:
    bullet = next(i for i in RESUME.items() if i.text.startswith("Wrote deployment"))
    change = Change(id="c", section_id=RESUME.section_of(bullet.id).id, item_id=bullet.id, action=ChangeAction.REPLACE,
                    before=bullet.text, after="Wrote deployment scripts in Python, Bash and Go.",
                    requirement_ids=["r4"], evidence_item_ids=[bullet.id, "user.1"])
    assert check_change(change, RESUME, job=JOB).verdict is Verdict.BLOCKED
    ok = check_change(change, RESUME, job=JOB, user_facts=["I have used Go in production since 2020"])
    assert ok.verdict is not Verdict.BLOCKED, ok.reasons
    beyond = change.model_copy(update={"after": "Wrote deployment scripts in Python, Bash, Go and Rust."})
    assert check_change(beyond, RESUME, job=JOB, user_facts=["Go"]).verdict is Verdict.BLOCKED


def test_declared_facts_are_written_where_they_belong_and_nothing_more() -> None:
    facts = ["Go", "Helm — packaged services at Parcelio"]
    report = analyze(RESUME, JOB, facts=facts)
    changes = propose_declared_changes(RESUME, JOB, report, facts)
    assert all(c.verdict is Verdict.SAFE for c in changes), [c.reasons for c in changes]
    skills = next(c for c in changes if c.action is ChangeAction.REPLACE)
    assert skills.after.endswith("Go, Helm") or skills.after.endswith("Helm, Go") or "Go" in skills.after
    assert "user.1" in skills.evidence_item_ids and "declared true" in skills.rationale
    bullet = next(c for c in changes if c.action is ChangeAction.INSERT)
    assert bullet.after == "Packaged services (Helm)." and bullet.evidence_item_ids == ["user.2"]
    exp = next(s for s in RESUME.sections if s.kind.value == "experience")
    assert bullet.section_id == exp.id and bullet.item_id == exp.entries[0].item_ids[-1]
    tailored = apply_changes(RESUME, _accept(changes), job=JOB, user_facts=facts)
    after = analyze(tailored, JOB, facts=facts)
    assert after.keyword_score > report.keyword_score
    assert "Go" in after.keywords_matched
    # The user declared "Helm", not "Helm charts": the posting's longer phrase is not claimed for them.
    assert "Helm charts" in after.keywords_missing and "Helm" in tailored.full_text()
    assert propose_declared_changes(RESUME, JOB, analyze(RESUME, JOB), []) == []


def test_cli_fact_end_to_end_with_audit(tmp_path, capsys, monkeypatch) -> None:
    from resume_tui.cli import main
    from resume_tui.config import load_settings
    from resume_tui.session.store import open_store

    monkeypatch.setenv("RESUME_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RESUME_TUI_CONFIG_DIR", str(tmp_path / "config"))
    resume, jd, out = tmp_path / "cv.txt", tmp_path / "jd.txt", tmp_path / "out.md"
    resume.write_text(RESUME_TEXT, encoding="utf-8")
    jd.write_text(JD_TEXT, encoding="utf-8")
    assert main(["analyze", str(resume), str(jd), "--fact", "Go", "--json"]) == 0
    analyzed = json.loads(capsys.readouterr().out)
    assert analyzed["facts"] == ["Go"]
    code = main(["tailor", str(resume), str(jd), "-o", str(out), "--yes", "--json",
                 "--fact", "Go", "--fact", "Helm — packaged services at Parcelio"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["facts"] == ["Go", "Helm — packaged services at Parcelio"]
    assert doc["keyword_after"] > doc["keyword_before"] and doc["score_after"] > doc["score_before"]
    written = out.read_text(encoding="utf-8")
    assert "Helm" in written and "Packaged services (Helm)." in written
    assert "Rust" not in written
    with open_store(load_settings()) as store:
        audit = [e for e in store.audit(doc["session_id"]) if e.action == "declare_fact"]
    assert [e.detail["subject"]["text"] for e in audit] == doc["facts"]


def test_a_resume_without_a_skills_section_gets_one_for_declared_skills() -> None:
    resume = parse_resume_text("Jane Roe\njane@example.com\n\nEXPERIENCE\nParcelio, Lisbon\n"
                               "Platform Engineer, 2020 – 2024\n• Moved 14 services to AKS.\n")
    report = analyze(resume, JOB, facts=["Helm"])
    [change] = propose_declared_changes(resume, JOB, report, ["Helm"])
    assert change.verdict is Verdict.SAFE and change.action is ChangeAction.INSERT
    tailored = apply_changes(resume, _accept([change]), job=JOB, user_facts=["Helm"])
    skills = [s for s in tailored.sections if s.kind.value == "skills"]
    assert [s.title for s in skills] == ["Skills"] and skills[0].items[0].text == "Helm"
    assert tailored.sections[0].title == "EXPERIENCE"  # the new section comes last; nothing moves


def test_bare_keywords_the_lexicon_does_not_know_are_written_as_typed() -> None:
    report = analyze(RESUME, JOB, facts=["QuickBooks Online"])
    [change] = propose_declared_changes(RESUME, JOB, report, ["QuickBooks Online"])
    assert "QuickBooks Online" in change.after
    # This posting never asks for it: written only if the user accepts a change that serves no requirement.
    assert change.verdict is Verdict.FLAGGED and change.reasons == ["Does not say which job requirement it serves."]


def test_a_sentence_that_names_no_skill_writes_nothing() -> None:
    facts = ["I am a fast learner and enjoy working with people."]
    assert propose_declared_changes(RESUME, JOB, analyze(RESUME, JOB, facts=facts), facts) == []
