"""The score and analyze(): the priority-weighted share of requirements met (partial = half), nothing
hidden, reproducible, comparable before/after tailoring."""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path

import pytest

from resume_tui.analysis.engine import analyze
from resume_tui.analysis.language import LANGUAGE_ROW_ID
from resume_tui.analysis.requirements import parse_job_description
from resume_tui.analysis.score import score_resume, weighted_score
from resume_tui.models import (
    PRIORITY_WEIGHT,
    GapReport,
    Item,
    MatchStatus,
    Priority,
    Requirement,
    RequirementCategory,
    RequirementMatch,
    Resume,
    Section,
    SectionKind,
    SourceFormat,
)


def data(name: str) -> str:
    return resources.files("resume_tui").joinpath(f"data/{name}").read_text(encoding="utf-8")


def sample_resume() -> Resume:
    from resume_tui.documents.ingest import parse_resume_text

    return parse_resume_text(data("sample_resume.md"), source_format=SourceFormat.MARKDOWN)


def sample_job():
    return parse_job_description(data("sample_jd.md"), source_format=SourceFormat.MARKDOWN)


def resume_of(*sections: tuple[SectionKind, list[str]]) -> Resume:
    return Resume(
        sections=[
            Section(id=f"s{n}", kind=kind, title=kind.value, items=[Item(id=f"s{n}.{i + 1}", text=t) for i, t in enumerate(lines)])
            for n, (kind, lines) in enumerate(sections)
        ]
    )


def _req(rid: str, priority: Priority) -> Requirement:
    return Requirement(id=rid, text=rid, category=RequirementCategory.TECHNICAL_SKILL, priority=priority)


def _match(rid: str, status: MatchStatus) -> RequirementMatch:
    strength = {MatchStatus.MATCHED: 0.8, MatchStatus.PARTIAL: 0.4, MatchStatus.MISSING: 0.0}[status]
    return RequirementMatch(requirement_id=rid, status=status, strength=strength)


# --------------------------------------------------------------------------- weighting

MET, HALF, NONE = MatchStatus.MATCHED, MatchStatus.PARTIAL, MatchStatus.MISSING


def test_weighted_score_is_the_priority_weighted_share_met_with_partial_as_half() -> None:
    reqs = [_req("r1", Priority.CRITICAL), _req("r2", Priority.IMPORTANT), _req("r3", Priority.NICE_TO_HAVE)]
    assert PRIORITY_WEIGHT == {Priority.CRITICAL: 3.0, Priority.IMPORTANT: 2.0, Priority.NICE_TO_HAVE: 1.0}
    assert weighted_score(reqs, [_match("r1", MET), _match("r2", NONE), _match("r3", NONE)]) == 50.0  # 3 / 6
    assert weighted_score(reqs, [_match("r1", NONE), _match("r2", NONE), _match("r3", MET)]) == round(100 / 6, 1)
    assert weighted_score(reqs, [_match("r1", HALF), _match("r2", MET), _match("r3", HALF)]) == round(100 * 4 / 6, 1)
    assert weighted_score(reqs, [_match("r1", MET), _match("r2", MET), _match("r3", MET)]) == 100.0
    assert weighted_score(reqs, [_match("r1", MET)]) == 50.0  # a requirement with no match row counts as missing
    assert weighted_score([], []) == 0.0


def test_the_score_is_recomputable_from_the_rows_the_user_sees() -> None:
    report = analyze(sample_resume(), sample_job())
    credit = {MatchStatus.MATCHED: 1.0, MatchStatus.PARTIAL: 0.5, MatchStatus.MISSING: 0.0}
    total = sum(PRIORITY_WEIGHT[r.priority] for r in report.requirements)
    met = sum(PRIORITY_WEIGHT[r.priority] * credit[report.match_for(r.id).status] for r in report.requirements)
    assert report.score == round(100 * met / total, 1)


# --------------------------------------------------------------------------- the sample


def test_sample_analysis() -> None:
    report = analyze(sample_resume(), sample_job())
    assert isinstance(report, GapReport)
    assert 60 <= report.score <= 95
    job = sample_job()
    assert [m.requirement_id for m in report.matches] == [r.id for r in job.requirements]
    status = {r.text: report.match_for(r.id).status for r in report.requirements}
    assert status["Strong Python and Go skills."] == MatchStatus.MATCHED
    assert status["Hands-on experience running production workloads on Kubernetes (k8s)."] == MatchStatus.MATCHED
    assert status["5+ years of professional experience in backend or platform engineering."] == MatchStatus.MATCHED
    assert status["Rust is a bonus."] == MatchStatus.MISSING
    assert "Rust" in report.missing_keywords and "Python" not in report.missing_keywords
    assert any(r.text == "Rust is a bonus." for r in report.gaps())
    # evidence quotes are verbatim resume text, pointing at real items
    resume = sample_resume()
    for ev in report.evidence:
        item = resume.item(ev.item_id)
        assert item is not None and ev.quote in item.text
    kafka = next(r for r in report.requirements if "event streaming" in r.text)
    assert any("Kafka" in e.quote for e in report.evidence_for(kafka.id))


def test_analysis_is_reproducible() -> None:
    first = analyze(sample_resume(), sample_job()).model_dump()
    second = analyze(sample_resume(), sample_job()).model_dump()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert score_resume(sample_resume(), sample_job()) == first["score"]


def test_missing_keywords_put_critical_first() -> None:
    job = parse_job_description("Requirements:\n- Kafka required\n\nNice to have:\n- Rust\n")
    report = analyze(resume_of((SectionKind.SKILLS, ["Python"])), job)
    assert report.missing_keywords == ["Kafka", "Rust"]
    assert report.score == 0.0


def test_empty_resume_scores_zero() -> None:
    report = analyze(Resume(), sample_job())
    assert report.score == 0.0
    assert all(m.status == MatchStatus.MISSING for m in report.matches)


def test_better_resume_scores_higher() -> None:
    job = sample_job()
    strong = analyze(sample_resume(), job).score
    weak = analyze(resume_of((SectionKind.EXPERIENCE, ["Barista — Café Central (2019 – 2023)", "Served coffee."])), job).score
    assert weak < 15 < strong


def test_terminology_alignment_moves_keywords_not_fit() -> None:
    """Fit counts what the resume shows, so "k8s" and "Kubernetes" meet the requirement alike; writing
    the posting's own word is what the Keywords score (an ATS's view) rewards."""
    job = parse_job_description("Platform engineer\n\nRequirements:\n- Kubernetes in production\n- PostgreSQL\n")
    before = resume_of((SectionKind.EXPERIENCE, ["Ran k8s in production (2019 – 2023)", "Tuned Postgres queries."]))
    after = resume_of((SectionKind.EXPERIENCE, ["Ran Kubernetes in production (2019 – 2023)", "Tuned PostgreSQL queries."]))
    a, b = analyze(before, job), analyze(after, job)
    assert a.score == b.score == 100.0
    assert a.keyword_score < b.keyword_score
    # an unsupported claim is never needed: the aligned resume adds no new skill
    assert a.missing_keywords == b.missing_keywords == []


SUMMARY = (
    "I am a developer and I have built services for the bank with the team. I have worked on the payments "
    "platform for four years, and I am the one who answers the pager when the nightly jobs fail, which is "
    "not often now that the tests run on every change."
)


def test_a_posting_in_another_language_is_a_visible_row_not_a_multiplier() -> None:
    job = parse_job_description(
        "Desarrollador Java\n\nRequisitos:\n- Experiencia con Java y SQL para el equipo de desarrollo de la empresa.\n"
    )
    english = resume_of(
        (SectionKind.SUMMARY, [SUMMARY]),
        (SectionKind.SKILLS, ["Java, SQL"]),
    )
    bilingual = resume_of(
        (SectionKind.SUMMARY, [SUMMARY]),
        (SectionKind.SKILLS, ["Java, SQL"]),
        (SectionKind.LANGUAGES, ["English, Spanish (fluent)"]),
    )
    unmet, met = analyze(english, job), analyze(bilingual, job)
    for report in (unmet, met):
        row = report.requirements[-1]
        assert row.id == LANGUAGE_ROW_ID and row.text == "Works in Spanish — the posting is written in Spanish"
        assert row.priority == Priority.CRITICAL
        assert len(report.requirements) == len(job.requirements) + 1
    assert unmet.match_for(LANGUAGE_ROW_ID).status == MatchStatus.MISSING
    assert unmet.evidence_for(LANGUAGE_ROW_ID) == [] and "Spanish" in unmet.missing_keywords
    assert met.match_for(LANGUAGE_ROW_ID).status == MatchStatus.MATCHED
    assert [e.quote for e in met.evidence_for(LANGUAGE_ROW_ID)] == ["English, Spanish (fluent)"]
    # the same weighted share as every other row: Java and SQL met (critical, 3), the language row missing (3)
    java = job.requirements[0]
    assert PRIORITY_WEIGHT[java.priority] == 3.0 and unmet.match_for(java.id).status == MatchStatus.MATCHED
    assert unmet.score == 50.0 and met.score == 100.0
    # declaring the language counts as a languages section does
    declared = analyze(english, job, facts=["Spanish — worked in Spanish in Lima"])
    assert declared.match_for(LANGUAGE_ROW_ID).status == MatchStatus.MATCHED
    # a posting in the resume's language has no such row
    same = parse_job_description("Java developer\n\nRequirements:\n- Experience with Java and SQL.\n")
    assert all(r.id != LANGUAGE_ROW_ID for r in analyze(english, same).requirements)


def test_time_grows_roughly_linearly_with_size() -> None:
    """Work, not wall-clock: a 20× longer resume is analysed item by item, with no blow-up."""
    base = sample_resume()
    sections = []
    for _copy in range(20):
        for s in base.sections:
            sid = f"s{len(sections)}"
            sections.append(
                Section(id=sid, kind=s.kind, title=s.title, items=[Item(id=f"{sid}.{i + 1}", text=it.text) for i, it in enumerate(s.items)])
            )
    big = Resume(sections=sections)
    report = analyze(big, sample_job())
    assert len(report.evidence) <= 3 * len(report.requirements)
    assert report.score == pytest.approx(analyze(base, sample_job()).score, abs=3)


# --------------------------------------------------------------------------- corpus


def _text_rendering(path: Path) -> Path:
    for ext in (".md", ".txt"):
        candidate = path.with_suffix(ext)
        if candidate.exists():
            return candidate
    raise AssertionError(f"no text rendering for {path}")


@pytest.mark.slow  # reads the real corpus
@pytest.mark.corpus
def test_corpus_good_fit_beats_partial_beats_poor(corpus: Path) -> None:
    from resume_tui.documents.ingest import parse_resume_text

    rows = list(csv.DictReader((corpus / "pairs.tsv").open(encoding="utf-8"), delimiter="\t"))
    rank = {"good": 2, "partial": 1, "poor": 0}
    by_resume: dict[str, list[tuple[int, float, str]]] = {}
    for row in rows:
        rpath = _text_rendering(corpus / row["resume_file"])
        jpath = _text_rendering(corpus / row["jd_file"])
        fmt = SourceFormat.MARKDOWN if rpath.suffix == ".md" else SourceFormat.TEXT
        resume = parse_resume_text(rpath.read_text(encoding="utf-8"), source_format=fmt)
        job = parse_job_description(jpath.read_text(encoding="utf-8"))
        report = analyze(resume, job)
        assert 0.0 <= report.score <= 100.0
        by_resume.setdefault(row["resume_file"], []).append((rank[row["fit"]], report.score, row["jd_file"]))
    compared = 0
    for resume_file, results in by_resume.items():
        for fit_a, score_a, jd_a in results:
            for fit_b, score_b, jd_b in results:
                if fit_a > fit_b:
                    compared += 1
                    assert score_a > score_b, f"{resume_file}: {jd_a} ({score_a}) should beat {jd_b} ({score_b})"
    assert compared >= 7


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LINES = st.sampled_from(
    ["Python developer (2015 – 2020)", "Kubernetes on AWS", "k8s", "BSc Computer Science", "Mentored engineers",
     "Led incident reviews", "Oct. 2021 – Current", "Rust", "", "Postgres and SQL", "12/2014-01/2016", "PhD", "é"]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_LINES, max_size=6), max_size=5))
def test_any_resume_scores_within_bounds_reproducibly(sections: list[list[str]]) -> None:
    kinds = [SectionKind.EXPERIENCE, SectionKind.SKILLS, SectionKind.EDUCATION, SectionKind.OTHER, SectionKind.SUMMARY]
    resume = resume_of(*[(kinds[n % len(kinds)], lines) for n, lines in enumerate(sections)])
    job = sample_job()
    report = analyze(resume, job)
    assert 0.0 <= report.score <= 100.0
    # one row per requirement, plus the language row when the resume reads as another language
    assert [m.requirement_id for m in report.matches] == [r.id for r in report.requirements]
    assert [r.id for r in report.requirements if r.id == LANGUAGE_ROW_ID] == [
        r.id for r in report.requirements if r not in job.requirements
    ]
    assert analyze(resume, job).model_dump() == report.model_dump()


def test_the_cli_and_the_tui_explain_the_formula_they_show() -> None:
    from rich.console import Console

    from resume_tui.commands.render import render_report
    from resume_tui.widgets.gap_report import FIT_EXPLAINED

    job = sample_job()
    report = analyze(sample_resume(), job)
    console = Console(record=True, width=120, color_system=None)
    render_report(console, job, report)
    text = " ".join(console.export_text().split())
    assert f"Fit: {report.score:.0f}/100" in text
    assert "weighted by priority (critical 3, important 2, nice-to-have 1); a partial one counts half" in text
    assert "critical 3, important 2, nice-to-have 1" in FIT_EXPLAINED and "partial one counts half" in FIT_EXPLAINED
