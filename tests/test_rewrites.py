"""Offline rewrites: honest wording and order, summaries from evidence only, gaps stay gaps."""

from __future__ import annotations

from collections import Counter

import pytest
from test_guard_support import make_job, make_report, resume_from_md

from resume_tui.analysis.apply import apply_changes
from resume_tui.analysis.facts import build_fact_base, extract_facts
from resume_tui.analysis.guard import NEW_SUMMARY_SECTION, check_change
from resume_tui.analysis.names import same_referent
from resume_tui.analysis.rewrites import propose_changes, propose_section_changes
from resume_tui.models import ChangeAction, CustomizationLevel, ItemKind, SectionKind, Verdict

RESUME = resume_from_md()
JOB = make_job()
REPORT = make_report(RESUME, JOB)
LEVELS = list(CustomizationLevel)


def _changes(level: CustomizationLevel, resume=RESUME):
    return propose_changes(resume, JOB, make_report(resume, JOB) if resume is not RESUME else REPORT, level)


@pytest.mark.parametrize("level", LEVELS)
def test_every_change_is_guarded_safe_or_flagged_with_provenance(level: CustomizationLevel) -> None:
    changes = _changes(level)
    assert changes
    for c in changes:
        assert c.verdict in (Verdict.SAFE, Verdict.FLAGGED), (c.id, c.reasons)
        assert c.source == "offline" and c.rationale
        if c.action is not ChangeAction.REORDER:
            assert c.requirement_ids and c.evidence_item_ids, c.id
            assert all(RESUME.item(i) is not None for i in c.evidence_item_ids)
        # The verdict is the guard's own: checking again gives the same answer.
        assert check_change(c, RESUME, job=JOB).verdict is c.verdict
    assert len({c.id for c in changes}) == len(changes)


def test_terminology_is_aligned_only_for_skills_the_item_already_shows() -> None:
    changes = {c.item_id: c for c in _changes(CustomizationLevel.LIGHT) if c.action is ChangeAction.REPLACE}
    k8s = changes["s1.3"]
    # The user's own term stays and the posting's name of the same thing is written beside it.
    assert "k8s (Kubernetes)" in k8s.after
    assert k8s.after.replace("k8s (Kubernetes)", "k8s") == RESUME.item("s1.3").text
    assert "r3" in k8s.requirement_ids and k8s.evidence_item_ids == ["s1.3"]
    assert "PostgreSQL" in changes["s1.8"].after
    # Nothing anywhere gains a skill the resume lacks (OpenTelemetry, Rust are gaps).
    text = "\n".join(c.after for c in _changes(CustomizationLevel.EXTENSIVE))
    for missing in ("OpenTelemetry", "Rust", "tracing"):
        assert missing not in text


def test_skills_lines_put_the_requirements_first_without_adding_or_removing() -> None:
    changes = {c.item_id: c for c in _changes(CustomizationLevel.LIGHT) if c.action is ChangeAction.REPLACE}
    line = changes["s2.1"].after
    assert line.startswith("Languages: ")
    entries = line.removeprefix("Languages: ").split(", ")
    assert sorted(entries) == sorted(["Bash", "SQL", "Go", "Python"])
    assert set(entries[:2]) == {"Python", "Go"}  # the critical requirement r2
    infra = changes["s2.2"].after
    assert infra.index("Kubernetes") < infra.index("Docker")
    assert "AWS (EKS, RDS, SQS)" in infra  # bracketed groups stay whole


def test_bullets_are_reordered_only_within_their_role() -> None:
    [order] = [c for c in _changes(CustomizationLevel.LIGHT) if c.action is ChangeAction.REORDER and c.section_id == "s1"]
    section = RESUME.section("s1")
    assert sorted(order.order) == sorted(i.id for i in section.items)
    roles = [i.id for i in section.items if i.kind is ItemKind.ROLE]
    assert [i for i in order.order if i in roles] == roles
    assert order.order[0] == "s1.1" and order.order.index("s1.7") == 6  # role headings keep their places
    parcelio, lendwise = order.order[1:6], order.order[7:]
    assert set(parcelio) == {"s1.2", "s1.3", "s1.4", "s1.5", "s1.6"} and set(lendwise) == {"s1.8", "s1.9", "s1.10"}
    assert parcelio.index("s1.3") < parcelio.index("s1.5")  # Kubernetes/AWS/Terraform before mentoring


def test_light_level_is_terminology_and_order_only() -> None:
    for c in _changes(CustomizationLevel.LIGHT):
        assert c.section_id != "s0" and c.action in (ChangeAction.REPLACE, ChangeAction.REORDER)
        if c.action is ChangeAction.REPLACE:
            before = Counter(c.before.replace(",", " ").split())
            after = Counter(c.after.replace(",", " ").split())
            # Same words, maybe moved; only the posting's name of a tool the line names is added beside it.
            added = after - before
            assert all(w.startswith("(") or w.endswith(")") or w in c.after.split("(")[-1] for w in added), added
            # A word may go only when another name of the same thing took its place ("Postgres" → "PostgreSQL").
            for gone in before - after:
                assert any(same_referent(gone, new) for new in added), (gone, added)


def test_moderate_appends_a_strengths_line_from_evidence() -> None:
    [summary] = [c for c in _changes(CustomizationLevel.MODERATE) if c.section_id == "s0"]
    assert summary.action is ChangeAction.INSERT and summary.item_id == "s0.1"
    assert summary.verdict is Verdict.SAFE, summary.reasons
    assert "Kubernetes" in summary.after and "Rust" not in summary.after


def test_extensive_summary_keeps_the_original_sentences_and_adds_only_evidenced_skills() -> None:
    [summary] = [c for c in _changes(CustomizationLevel.EXTENSIVE) if c.section_id == "s0"]
    assert summary.action is ChangeAction.REPLACE and summary.verdict is Verdict.SAFE, summary.reasons
    original = RESUME.item("s0.1").text
    for sentence in original.split(". "):
        assert sentence.rstrip(".") in summary.after
    base = build_fact_base(RESUME)
    for fact in extract_facts(summary.after):
        if fact.kind.value in {"skill", "years_experience", "number", "title"}:
            assert (fact.kind, fact.value) in base.by_key or fact.kind.value == "title", fact
    assert 0.5 <= len(summary.after) / len(original) <= 2.0


def test_extensive_creates_a_summary_when_there_is_none() -> None:
    resume = RESUME.model_copy(update={"sections": RESUME.sections[1:]}, deep=True)
    changes = _changes(CustomizationLevel.EXTENSIVE, resume)
    [new] = [c for c in changes if c.section_id == NEW_SUMMARY_SECTION]
    assert new.verdict is Verdict.SAFE, new.reasons
    assert new.after.startswith("Senior Backend Engineer.")
    assert "years" not in new.after  # the years were only stated in the removed summary
    out = apply_changes(resume, [c for c in changes if c.verdict is Verdict.SAFE], job=JOB)
    assert out.sections[0].kind is SectionKind.SUMMARY
    assert not [c for c in _changes(CustomizationLevel.MODERATE, resume) if c.section_id == NEW_SUMMARY_SECTION]


def test_unmet_requirements_produce_no_text() -> None:
    gaps = {r.id for r in REPORT.gaps()}
    assert {"r7", "r8"} <= gaps  # OpenTelemetry, Rust
    for c in _changes(CustomizationLevel.EXTENSIVE):
        assert not gaps & set(c.requirement_ids), c


def test_section_lengths_stay_within_half_and_double() -> None:
    for level in LEVELS:
        out = apply_changes(RESUME, _changes(level), job=JOB)
        for before in RESUME.sections:
            after = out.section(before.id)
            ratio = len(after.text()) / len(before.text())
            assert 0.5 <= ratio <= 2.0, (level, before.id, ratio)


def test_per_section_proposals_add_up_to_the_whole() -> None:
    for level in LEVELS:
        whole = [c.model_dump() for c in _changes(level)]
        parts = [c.model_dump() for s in RESUME.sections
                 for c in propose_section_changes(RESUME, s.id, JOB, REPORT, level)]
        assert sorted(whole, key=lambda c: c["id"]) == sorted(parts, key=lambda c: c["id"])
    assert propose_section_changes(RESUME, "s99", JOB, REPORT, CustomizationLevel.MODERATE) == []


def test_deterministic() -> None:
    first = [c.model_dump() for c in _changes(CustomizationLevel.EXTENSIVE)]
    second = [c.model_dump() for c in _changes(CustomizationLevel.EXTENSIVE)]
    assert first == second


def test_contact_and_header_are_never_touched() -> None:
    for level in LEVELS:
        out = apply_changes(RESUME, _changes(level), job=JOB)
        assert out.contact == RESUME.contact and out.header_lines == RESUME.header_lines
        assert [s.id for s in out.sections] == [s.id for s in RESUME.sections]


def test_role_headings_and_degrees_are_kept_as_written() -> None:
    for c in _changes(CustomizationLevel.EXTENSIVE):
        if c.item_id:
            item = RESUME.item(c.item_id)
            if c.action is ChangeAction.REPLACE:
                assert item.kind is not ItemKind.ROLE
                assert RESUME.section_of(item.id).kind is not SectionKind.EDUCATION


def test_generic_concepts_are_not_renamed_to_the_postings_words() -> None:
    """'logistics' and 'Freight' may share a lexicon concept, but the resume's own word stays."""
    job = JOB.model_copy(update={"text": JOB.text + "\nWe move freight for Northwind Freight; event streaming at scale.",
                                 "company": "Northwind Freight"})
    resume = resume_from_md(RESUME_WITH_LOGISTICS)
    changes = propose_changes(resume, job, make_report(resume, job), CustomizationLevel.EXTENSIVE)
    text = "\n".join(c.after for c in changes)
    assert "Freight" not in text and "freight" not in text


RESUME_WITH_LOGISTICS = """\
## Summary
Backend engineer with 6 years of experience building payment and logistics services in Python and Go.
## Experience
### Backend Engineer — Parcelio, Lisbon (2021 – present)
- Led the redesign of the shipment-tracking API in Python, cutting p95 latency from 480 ms to 120 ms.
- Built an event pipeline on Kafka processing 3 million tracking updates per day.
"""


def test_no_english_summary_line_is_written_into_a_resume_in_another_language() -> None:
    """A German CV got "Skills relevant to this role: QA, …" in English at its top: the offline engine
    writes its summary lines only in English, so it writes none into a resume in another language."""
    german = """\
## Experience
### Senior Backend Engineer — Parcelio, Lisbon (2021 – present)
- Ich habe die Schnittstelle in Python (FastAPI) neu entworfen und die Latenz von 480 ms auf 120 ms gesenkt.
- Ich habe 14 Dienste mit Terraform auf k8s bei AWS (EKS) umgezogen, ohne dass die Kunden es gemerkt haben.
- Ich habe eine Pipeline mit Kafka gebaut, die jeden Tag 3 Millionen Meldungen verarbeitet.
- Ich habe vier Entwickler betreut und die wöchentliche Besprechung für das Design geleitet.
## Skills
- Sprachen: Bash, SQL, Go, Python
- Infrastruktur: Docker, Terraform, k8s, AWS (EKS, RDS, SQS)
"""
    resume = resume_from_md(german)
    from resume_tui.documents.quality import guess_language

    assert guess_language(resume.full_text()) == "de"
    for level in (CustomizationLevel.MODERATE, CustomizationLevel.EXTENSIVE):
        changes = _changes(level, resume)
        assert not [c for c in changes if c.section_id == NEW_SUMMARY_SECTION or c.id.endswith("-summary")]
        assert changes, "the language-neutral changes (reorders) are still offered"
