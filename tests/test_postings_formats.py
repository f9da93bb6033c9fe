"""Postings from files: JSON (JobPosting, JSON Resume job), YAML front matter, saved HTML, PDF, DOCX."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from posting_pages import FRONT_MATTER, JOB_LD, json_resume_job, plain_page

from resume_tui.analysis.posting_job import job_from_posting, require_requirements
from resume_tui.documents.postings import load_posting, posting_from_text
from resume_tui.errors import InputError


def _requirements(posting) -> list[str]:
    return [r.text for r in job_from_posting(posting).requirements]


def test_json_jobposting_file(tmp_path: Path) -> None:
    path = tmp_path / "job.json"
    path.write_text(json.dumps({"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, JOB_LD]}))
    posting = load_posting(str(path))
    assert (posting.title, posting.company, posting.label) == ("Senior Backend Engineer", "Parcelio", "JSON JobPosting")
    reqs = " | ".join(_requirements(posting))
    assert "Python" in reqs and "Kubernetes" in reqs and "Run PostgreSQL at scale" in reqs


def test_json_resume_job_file(tmp_path: Path) -> None:
    path = tmp_path / "job.json"
    path.write_text(json_resume_job())
    posting = load_posting(str(path))
    assert (posting.title, posting.company, posting.label) == ("Frontend Developer", "Brightline Labs", "JSON job")
    assert "- Build accessible React components" in posting.text and "Web: CSS, GraphQL" in posting.text
    job = job_from_posting(posting)
    assert job.title == "Frontend Developer" and job.company == "Brightline Labs"
    assert any("TypeScript" in r.text for r in job.requirements)


def test_json_that_is_not_a_posting(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    path.write_text('{"users": [1, 2, 3]}')
    with pytest.raises(InputError, match="JSON but not a job posting"):
        load_posting(str(path))
    path.write_text('{"title": ')
    with pytest.raises(InputError, match="not valid JSON"):
        load_posting(str(path))


def test_front_matter_values_are_the_posting(tmp_path: Path) -> None:
    """The posting lives in the YAML values; reading only the body found no requirement."""
    path = tmp_path / "job.md"
    path.write_text(FRONT_MATTER)
    posting = load_posting(str(path))
    assert posting.title == "Site Reliability Engineer" and posting.company == "Northwind Cloud"
    assert posting.label == "Markdown with front matter"
    reqs = _requirements(posting)
    joined = " | ".join(reqs)
    assert "Terraform" in joined and "Prometheus and Grafana" in joined and "Linux servers" in joined
    assert not any("gym" in r for r in reqs)  # benefits stay boilerplate under their own heading


def test_broken_front_matter_warns_and_reads_the_body() -> None:
    posting = posting_from_text("---\ntitle: [unclosed\n---\n## Requirements\n- Experience with Python\n", where="job.md")
    assert any("could not be read" in w for w in posting.warnings)
    assert "Experience with Python" in posting.text


def test_yaml_alias_bomb_stays_bounded() -> None:
    bomb = "---\na: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n"
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        bomb += f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    bomb += "requirements: *i\n---\nbody\n"
    posting = posting_from_text(bomb, where="bomb.md")
    assert len(posting.text) <= 210_000


def test_saved_html_page_file(tmp_path: Path) -> None:
    path = tmp_path / "posting.html"
    path.write_text(plain_page(), encoding="utf-8")
    posting = load_posting(str(path))
    assert posting.label == "web page" and "Apache Airflow" in posting.text and "Privacy policy" not in posting.text


def test_pdf_posting(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in ("Warehouse Team Lead", "Requirements", "- 3+ years of experience in warehouse operations",
                 "- Forklift certification", "- Experience with SAP"):
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "posting.pdf"
    path.write_bytes(bytes(pdf.output()))
    posting = load_posting(str(path))
    assert posting.label == "PDF"
    assert any("SAP" in r for r in _requirements(posting))


def test_docx_posting(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Payroll Specialist", level=1)
    document.add_heading("Qualifications", level=2)
    for text in ("Experience with ADP payroll", "Knowledge of Excel pivot tables", "CPP certification preferred"):
        document.add_paragraph(text, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "posting.docx"
    path.write_bytes(buffer.getvalue())
    posting = load_posting(str(path))
    assert posting.label == "DOCX"
    assert any("ADP" in r for r in _requirements(posting))


def test_too_short_posting_is_refused_with_a_sentence() -> None:
    job = job_from_posting(posting_from_text("Great team player", where="paste"))
    with pytest.raises(InputError, match="too short to analyse: no requirement .* in its 3 words"):
        require_requirements(job, "the pasted text")


@pytest.mark.corpus
def test_corpus_front_matter_posting(corpus: Path) -> None:
    posting = load_posting(str(corpus / "jds" / "j11_teacher_openings.md"))
    assert posting.label == "Markdown with front matter"
    job = require_requirements(job_from_posting(posting))
    assert job.title == "School Teacher Job Openings"  # a blog post's "title:" does not name the job
    assert any("teaching certification" in r.text.lower() or "Bachelor" in r.text for r in job.requirements)


@pytest.mark.corpus
def test_corpus_pdf_posting(corpus: Path) -> None:
    posting = load_posting(str(corpus / "jds" / "j03_fullstack_engineer.pdf"))
    assert posting.label == "PDF"
    job = require_requirements(job_from_posting(posting))
    assert len(job.requirements) >= 5
