"""Real documents (../shared/corpus): every resume loads and the expected sections are found."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from resume_tui.documents.ingest import load_resume, read_document
from resume_tui.errors import InputError
from resume_tui.models import SectionKind as K

# Reads every real resume and posting in the corpus: `pytest -m "not slow"` leaves it out of the inner loop.
pytestmark = pytest.mark.slow

# Sections a recruiter would see in each document (by file stem prefix).
EXPECTED: dict[str, set[K]] = {
    "r04": {K.EDUCATION, K.SUMMARY, K.PROJECTS, K.SKILLS, K.CERTIFICATIONS},
    "r05": {K.EDUCATION, K.EXPERIENCE, K.SKILLS},
    "r06": {K.EXPERIENCE, K.EDUCATION, K.SKILLS, K.PUBLICATIONS, K.AWARDS},
    "r10": {K.SUMMARY, K.EDUCATION, K.EXPERIENCE, K.CERTIFICATIONS, K.PROJECTS, K.AWARDS},
    "r12": {K.SUMMARY, K.CERTIFICATIONS, K.EDUCATION, K.EXPERIENCE, K.SKILLS},
    "r14": {K.SUMMARY, K.EDUCATION, K.EXPERIENCE, K.CERTIFICATIONS, K.SKILLS},
    "r17": {K.SUMMARY, K.EXPERIENCE, K.EDUCATION, K.SKILLS},
    "f01": {K.SUMMARY, K.EDUCATION, K.EXPERIENCE, K.CERTIFICATIONS, K.SKILLS},
    "f03": {K.SUMMARY, K.CERTIFICATIONS, K.EDUCATION, K.EXPERIENCE, K.SKILLS},
    "f08": {K.EDUCATION, K.EXPERIENCE, K.CERTIFICATIONS, K.PROJECTS, K.AWARDS},
}
# The pdftotext rendering of r06 interleaves its two columns; only check the main column there.
EXPECTED_TXT = {"r06": {K.EXPERIENCE, K.EDUCATION, K.SKILLS, K.PUBLICATIONS}}
EMAILS = {"r04": "chinmayashah123335@gmail.com", "r05": "kmhoo027@gmail.com", "r06": "athulsivan11@gmail.com",
          "r14": "emoore@email.com", "f01": "emoore@email.com"}
NAMES = {"r04": "CHINMAYA SHAH", "r05": "KAILEY HOO", "r06": "Athul SIVAN", "r10": "David M. Everly Jr",
         "r14": "Ebony Moore", "f01": "Ebony Moore", "f08": "David M. Everly Jr"}


def _documents(corpus: Path) -> list[Path]:
    return sorted(p for folder in ("resumes", "formats") for p in (corpus / folder).iterdir() if p.is_file())


def _tokens(text: str) -> Counter[str]:
    return Counter(
        w for line in text.splitlines() for n, w in enumerate(line.split())
        if any(ch.isalnum() for ch in w) and not (n == 0 and len(line.split()) > 1 and re.fullmatch(r"\d{1,3}[.)]", w))
    )


def test_every_corpus_resume_loads_with_expected_sections(corpus: Path) -> None:
    checked = 0
    for path in _documents(corpus):
        key = path.stem[:3]
        if path.suffix == ".aspx":  # an ASP.NET page: refused cleanly as a web page or read as text
            try:
                load_resume(path)
            except InputError as err:
                assert "\n" not in str(err)
            continue
        resume = load_resume(path)
        kinds = {s.kind for s in resume.sections}
        assert resume.sections, path.name
        expected = (EXPECTED_TXT.get(key) if path.suffix == ".txt" else None) or EXPECTED.get(key, set())
        assert expected <= kinds, f"{path.name}: missing {expected - kinds}"
        if key in EMAILS:
            assert resume.contact.email == EMAILS[key], path.name
        if key in NAMES:
            assert resume.contact.name == NAMES[key], path.name
        headless = any("No section headings" in w for w in resume.warnings)
        for section in resume.sections:
            if section.kind != K.OTHER and not headless:
                assert section.title, path.name
        checked += 1
    assert checked >= 15


def test_linkedin_paste_without_headings(corpus: Path) -> None:
    for suffix in (".docx", ".md"):
        resume = load_resume(corpus / "resumes" / f"r02_sre_linkedin_paste{suffix}")
        # A run of dated jobs with no heading is one work-experience section, untitled (no heading invented).
        assert [(s.kind, s.title) for s in resume.sections] == [(K.EXPERIENCE, "")]
        assert any("No section headings" in w and "dated jobs" in w for w in resume.warnings)
        if suffix == ".docx":
            headers = [" ".join(resume.item(i).text for i in e.header_ids) for e in resume.sections[0].entries]
            assert len(headers) == 6 and headers[2].startswith("Senior System Engineer University of Washington")
        text = resume.full_text()
        assert "OpenStack" in text and "Kubernetes" in text
        assert len(resume.items()) >= 20


def test_resume_without_name_or_contact(corpus: Path) -> None:
    resume = load_resume(corpus / "resumes" / "r12_teacher_chemistry.md")
    assert resume.contact.name is None and resume.contact.email is None and resume.contact.phone is None


def test_two_column_pdf_is_read_column_by_column(corpus: Path) -> None:
    extracted = read_document(corpus / "resumes" / "r06_ds_phd_twocolumn.pdf")
    lines = [ln for ln in extracted.text.split("\n") if ln.strip()]
    profile = next(i for i, ln in enumerate(lines) if ln.startswith("With a PhD in Quantitative Cell"))
    # The sidebar's profile paragraph is contiguous, not interleaved with the experience column.
    assert lines[profile + 1].startswith("Biology")
    assert not any("RESEARCH EXPERIENCE" in ln and ln != "RESEARCH EXPERIENCE" for ln in lines)
    resume = load_resume(corpus / "resumes" / "r06_ds_phd_twocolumn.pdf")
    experience = next(s for s in resume.sections if s.kind == K.EXPERIENCE)
    assert any(i.text.startswith("Developing and mantaining GitHub") for i in experience.items)


def _chars(text: str) -> Counter[str]:
    return Counter(ch for ch in text if ch.isalnum())


def test_text_renderings_lose_no_tokens(corpus: Path) -> None:
    for path in sorted((corpus / "resumes").glob("*.txt")):
        resume = load_resume(path)
        original = path.read_text(encoding="utf-8")
        source, parsed = _tokens(original), _tokens(resume.full_text())
        if parsed - source:  # only letter-spaced words joined ("S I VAN" -> "SIVAN"), and said so
            assert any("Letter-spaced" in w for w in resume.warnings), path.name
        assert not _chars(resume.full_text()) - _chars(original), path.name  # nothing invented
        missing = _chars(original) - _chars(resume.full_text())
        if any("Icon-font glyphs" in w for w in resume.warnings):  # "ï athul@…": a lone glyph, not text
            missing = Counter({ch: n for ch, n in missing.items() if ch.isascii()})
        if missing:  # only repeats of running page headers, kept once in the header lines
            assert any("page headers/footers" in w for w in resume.warnings), path.name
            assert not missing - _chars("\n".join(resume.header_lines)), path.name
        if not any("Letter-spaced" in w or "page headers" in w for w in resume.warnings):
            assert parsed == source, path.name


def test_corpus_job_descriptions_read(corpus: Path) -> None:
    for path in sorted((corpus / "jds").iterdir()):
        extracted = read_document(path)
        assert len(extracted.text.split()) > 50, path.name


def test_corpus_regressions_found_on_real_documents(corpus: Path) -> None:
    # Running page header (name + URL at the top of page 2) never becomes an item.
    for path in (corpus / "resumes" / "r10_nurse_practitioner.txt", corpus / "resumes" / "r10_nurse_practitioner.pdf",
                 corpus / "formats" / "f08_nurse_practitioner.docx", corpus / "formats" / "f08_nurse_practitioner.pdf"):
        resume = load_resume(path)
        assert not any("dmeverly.com" in i.text or "Everly" in i.text for i in resume.items()), path.name
        summary = next(s for s in resume.sections if s.kind == K.SUMMARY)
        assert summary.items and summary.items[0].text.startswith("As a Nurse Practitioner"), path.name
        education = next(s for s in resume.sections if s.kind == K.EDUCATION)
        assert education.items[0].text.startswith("Master of Science in Artificial"), path.name
    # Icon-font junk in front of contact details (r06).
    for suffix in (".pdf", ".txt"):
        resume = load_resume(corpus / "resumes" / f"r06_ds_phd_twocolumn{suffix}")
        lines = resume.full_text().split("\n")
        assert "athulsivan11@gmail.com" in lines and "+49 1754 5758 410" in lines, suffix
    # LinkedIn's doubled titles (r02) are kept once.
    for suffix in (".docx", ".md"):
        resume = load_resume(corpus / "resumes" / f"r02_sre_linkedin_paste{suffix}")
        text = resume.full_text()
        assert "EngineerSr." not in text and "Sr. System Reliability Engineer" in text
        assert any("Duplicated text" in w for w in resume.warnings)
        assert resume.contact.name is None
