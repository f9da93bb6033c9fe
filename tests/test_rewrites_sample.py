"""The whole offline stack on the bundled sample (and the shared corpus when present)."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from resume_tui.analysis.apply import apply_changes
from resume_tui.analysis.engine import analyze
from resume_tui.analysis.facts import FactKind, build_fact_base, extract_facts, words
from resume_tui.analysis.guard import check_change, guard_changes
from resume_tui.analysis.requirements import parse_job_description
from resume_tui.analysis.rewrites import propose_changes
from resume_tui.analysis.score import score_resume
from resume_tui.documents.ingest import load_resume, parse_resume_text, read_document
from resume_tui.models import Change, ChangeAction, CustomizationLevel, SourceFormat, Verdict

DATA = resources.files("resume_tui") / "data"


@pytest.fixture(scope="module")
def sample():
    resume = parse_resume_text((DATA / "sample_resume.md").read_text(encoding="utf-8"), source_format=SourceFormat.MARKDOWN)
    job = parse_job_description((DATA / "sample_jd.md").read_text(encoding="utf-8"), source_format=SourceFormat.MARKDOWN)
    return resume, job, analyze(resume, job)


@pytest.mark.parametrize("level", list(CustomizationLevel))
def test_sample_changes_are_honest_and_never_lower_the_score(sample, level) -> None:
    resume, job, report = sample
    changes = propose_changes(resume, job, report, level)
    assert changes
    for c in changes:
        assert c.verdict in (Verdict.SAFE, Verdict.FLAGGED), (c.id, c.reasons)
        if c.action is not ChangeAction.REORDER:
            assert c.requirement_ids and c.evidence_item_ids
    tailored = apply_changes(resume, [c for c in changes if c.verdict is Verdict.SAFE], job=job)
    assert score_resume(tailored, job) >= score_resume(resume, job)
    _assert_no_new_claims(resume, tailored)


def test_sample_gaps_stay_gaps(sample) -> None:
    resume, job, report = sample
    tailored = apply_changes(resume, propose_changes(resume, job, report, CustomizationLevel.EXTENSIVE), job=job)
    for word in ("Rust", "OpenTelemetry", "Argo"):
        assert word not in tailored.full_text()


def test_an_llm_style_dishonest_batch_is_blocked_on_the_sample(sample) -> None:
    resume, job, _ = sample
    bullet = next(i for i in resume.items() if "Kafka" in i.text and i.kind.value == "bullet")
    role = next(i for i in resume.items() if i.kind.value == "role" and "Lendwise" in i.text)
    section = resume.section_of(bullet.id).id
    lies = [
        Change(id="a", section_id=section, item_id=bullet.id, action=ChangeAction.REPLACE, before=bullet.text,
               after=bullet.text.replace("Kafka", "Kafka and Rust"), requirement_ids=["r1"], evidence_item_ids=[bullet.id]),
        Change(id="b", section_id=section, item_id=bullet.id, action=ChangeAction.REPLACE, before=bullet.text,
               after=bullet.text.rstrip(".") + ", cutting cloud costs by 35%.", requirement_ids=["r1"], evidence_item_ids=[bullet.id]),
        Change(id="c", section_id=section, item_id=role.id, action=ChangeAction.REPLACE, before=role.text,
               after=role.text.replace("Backend Engineer", "Lead Backend Engineer"), requirement_ids=["r1"], evidence_item_ids=[role.id]),
        Change(id="d", section_id=section, item_id=bullet.id, action=ChangeAction.INSERT,
               after="Previously a platform engineer at Google with an MSc and PMP certification.",
               requirement_ids=["r1"], evidence_item_ids=[bullet.id]),
    ]
    for lie in lies:  # each on its own
        assert check_change(lie, resume, job=job).verdict is Verdict.BLOCKED, lie.id
    guarded = guard_changes(lies, resume, job=job)  # together: one proposal per target (a and b edit one bullet)
    assert [c.id for c in guarded] == ["a", "c", "d"]
    assert [c.verdict for c in guarded] == [Verdict.BLOCKED] * 3, [c.reasons for c in guarded]
    assert apply_changes(resume, lies, job=job).full_text() == resume.full_text()


def _assert_no_new_claims(original, tailored) -> None:
    """Every skill, figure, date, degree, certification and employer in the output is in the original."""
    base = build_fact_base(original)
    checked = {FactKind.SKILL, FactKind.NUMBER, FactKind.PERCENT, FactKind.MONEY, FactKind.YEAR, FactKind.DATE,
               FactKind.DEGREE, FactKind.CERTIFICATION, FactKind.YEARS_EXP}
    for item in tailored.items():
        facts = extract_facts(item.text)
        # A named tool may be written as the posting writes it ("HTML" for "HTML5"): same canonical skill.
        skill_spans = [(f.start, f.end) for f in facts if f.kind in (FactKind.SKILL, FactKind.CERTIFICATION)]
        for fact in facts:
            if fact.kind in checked:
                assert base.sources(fact.kind, fact.value), (item.id, fact)
            if fact.kind is FactKind.NAME and not any(s <= fact.start < e for s, e in skill_spans):
                assert all(base.has_word(w) for w in words(fact.surface)), (item.id, fact)


CORPUS_LEVEL = CustomizationLevel.EXTENSIVE


@pytest.mark.slow
@pytest.mark.corpus
def test_corpus_pairs_have_zero_unsupported_claims(corpus: Path) -> None:
    rows = list(csv.DictReader((corpus / "pairs.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert rows
    for row in rows:
        resume = load_resume(corpus / row["resume_file"])
        extracted = read_document(corpus / row["jd_file"])
        job = parse_job_description(extracted.text, source_format=extracted.source_format)
        report = analyze(resume, job)
        changes = propose_changes(resume, job, report, CORPUS_LEVEL)
        assert all(c.verdict is not Verdict.BLOCKED for c in changes), (row, [c.reasons for c in changes])
        tailored = apply_changes(resume, [c for c in changes if c.verdict is Verdict.SAFE], job=job)
        _assert_no_new_claims(resume, tailored)
        if row["fit"] == "good":
            assert score_resume(tailored, job) >= score_resume(resume, job), row
