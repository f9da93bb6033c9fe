"""An independent re-read of exported files (benchmarks/reread.py): every original bullet under its own role,
every skill and figure kept, nothing claimed beyond the original — on our own fixture, on a deliberately
broken export (the check must fail), and on every corpus pair when ../shared/corpus is present."""

from __future__ import annotations

import asyncio
import csv
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from reread import reread  # noqa: E402

from resume_tui.analysis.apply import apply_changes  # noqa: E402
from resume_tui.analysis.requirements import parse_job_description  # noqa: E402
from resume_tui.documents.export import render  # noqa: E402
from resume_tui.documents.ingest import load_resume, parse_resume_text, read_document  # noqa: E402
from resume_tui.models import ChangeStatus, CustomizationLevel, Verdict  # noqa: E402
from resume_tui.pipeline import run_pipeline  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
FORMATS = ["docx", "md"] + (["pdf"] if shutil.which("pdftotext") else [])

RESUME = """\
Jane Roe
jane@example.com

EXPERIENCE
Contoso Ltd, Seattle, WA
Senior Cloud Engineer, Jan 2020 – Present
• Led migration of 40 services to AKS, cutting hosting cost by 30%.
• Built API gateways with Azure API Management.
• Automated infrastructure with Terraform modules used by 12 teams.

Northwind Traders, Portland, OR
Systems Administrator, Jun 2013 – Feb 2016
• Managed Windows Server for 800 users.
• Tracked licences and budgets in spreadsheets.

SKILLS
Cloud & DevOps: Azure, Azure API Management, AKS, ACR, Terraform
"""
JD = "Azure Platform Engineer\n\nRequirements\n- Azure Kubernetes Service (AKS)\n- Terraform\n- Excel\n- APIs\n"


def _tailor(resume, jd_text: str):
    job = parse_job_description(jd_text)
    result = asyncio.run(run_pipeline(resume, job, level=CustomizationLevel.MODERATE))
    accepted = [c.model_copy(update={"status": ChangeStatus.ACCEPTED}) for c in result.changes if c.verdict == Verdict.SAFE]
    return apply_changes(resume, accepted), accepted


def _export(tmp_path: Path, tailored, original, fmt: str) -> Path:
    data, _ = render(tailored, original, fmt)
    path = tmp_path / f"out.{fmt}"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_tailored_export_keeps_every_bullet_under_its_role(tmp_path, fmt) -> None:
    resume = parse_resume_text(RESUME)
    tailored, accepted = _tailor(resume, JD)
    assert accepted  # the run did change something
    result = reread(_export(tmp_path, tailored, resume, fmt), resume, accepted)
    assert result.bullets == 5
    assert result.ok, (result.misplaced, result.missing_facts, result.unsupported)


def test_the_reread_catches_a_moved_bullet_a_lost_skill_and_an_invented_one(tmp_path) -> None:
    resume = parse_resume_text(RESUME)
    exp = next(s for s in resume.sections if s.kind.value == "experience")
    first, second = exp.entries
    moved = second.item_ids[0]
    order = [i.id for i in exp.items]
    order.remove(moved)
    order.insert(order.index(first.item_ids[0]), moved)
    broken = resume.model_copy(deep=True)
    broken_exp = next(s for s in broken.sections if s.kind.value == "experience")
    by_id = {i.id: i for i in broken_exp.items}
    broken_exp.items = [by_id[i] for i in order]
    skills = next(s for s in broken.sections if s.kind.value == "skills")
    skills.items[0].text = "Cloud & DevOps: Azure, Azure API Management, AKS, Terraform, Snowflake"  # ACR lost, Snowflake new
    result = reread(_export(tmp_path, broken, resume, "md"), resume, [])
    assert any(moved in m for m in result.misplaced)
    assert any("ACR" in m for m in result.missing_facts)
    assert any("Snowflake" in u for u in result.unsupported)


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_every_corpus_pair_rereads_clean(tmp_path) -> None:
    rows = list(csv.DictReader((CORPUS / "pairs.tsv").open(encoding="utf-8"), delimiter="\t"))
    problems = []
    for row in rows:
        resume = load_resume(CORPUS / row["resume_file"])
        jd = read_document(CORPUS / row["jd_file"])
        tailored, accepted = _tailor(resume, jd.text)
        for fmt in FORMATS:
            result = reread(_export(tmp_path, tailored, resume, fmt), resume, accepted)
            if not result.ok:
                problems.append((row["resume_file"], row["jd_file"], fmt, result.misplaced[:2],
                                 result.missing_facts[:2], result.unsupported[:2]))
    assert not problems, problems


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_corpus_lift_with_and_without_declared_facts() -> None:
    """Issue 12 on real pairs: Keywords never drop and rise on at least half of the good fits without facts;
    with three of the tool's own missing keywords declared, Keywords rise on every good/partial pair and Fit on
    at least 80% of them (it never drops),
    the facts are in the exported file and nothing beyond the original plus the facts is claimed."""
    from lift import beyond, tailor

    from resume_tui.analysis.engine import analyze

    rows = list(csv.DictReader((CORPUS / "pairs.tsv").open(encoding="utf-8"), delimiter="\t"))
    lifted = good = declared = fit_lifted = 0
    for row in rows:
        resume = load_resume(CORPUS / row["resume_file"])
        jd = read_document(CORPUS / row["jd_file"])
        job = parse_job_description(jd.text, source_format=jd.source_format)
        before = analyze(resume, job)
        plain = analyze(tailor(resume, job, []), job)
        assert plain.keyword_score >= before.keyword_score, row
        if row["fit"] == "good":
            good += 1
            lifted += plain.keyword_score > before.keyword_score
        if row["fit"] == "poor":
            continue
        facts = before.keywords_missing[:3]
        tailored = tailor(resume, job, facts)
        after = analyze(tailored, job, facts=facts)
        assert after.keyword_score > before.keyword_score and after.score >= before.score, (row, facts)
        declared += 1
        fit_lifted += after.score > before.score
        text = render(tailored, resume, "md")[0].decode("utf-8")
        assert all(f.lower() in text.lower() for f in facts), (row, facts)
        assert beyond(resume, facts, text) == [], row
    assert lifted * 2 >= good
    # Fit is the share of requirements met: a declared word can leave it unchanged when the rows it touches
    # ask for more than the word (r04/j05: "cloud" inside "build the SDKs … for the cloud contact center
    # platform" stays partial). Most pairs still rise.
    assert fit_lifted * 10 >= declared * 8, (fit_lifted, declared)
