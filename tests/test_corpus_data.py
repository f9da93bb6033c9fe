"""The real resumes kept in tests/data/corpus (see SOURCES.md there): their gold files are well formed
and say only what the documents say, and the contact details the parser reads from them are right —
a ZIP code is not glued onto a phone, an icon glyph or a glyph name is not part of a location or a
number, a ligature glyph does not cut a word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resume_tui.documents.ingest import load_resume
from resume_tui.models import SectionKind

DATA = Path(__file__).parent / "data" / "corpus"
GOLD = sorted((DATA / "gold").glob("*.json"))


def test_there_are_at_least_four_documents_with_gold() -> None:
    assert len(GOLD) >= 4
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    for path in GOLD:
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert (DATA / gold["document"]).exists()
        assert Path(gold["document"]).name in sources  # every file names its origin and licence


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.stem)
def test_gold_files_are_well_formed(path: Path) -> None:
    gold = json.loads(path.read_text(encoding="utf-8"))
    assert set(gold["contact"]) <= {"name", "email", "phone", "location", "links"}
    kinds = {k.value for k in SectionKind}
    assert gold["sections"] and all(s["kind"] in kinds and s["title"] for s in gold["sections"])
    assert all(e["section"] in kinds and e["header"] for e in gold["entries"])


def _contact(name: str):
    return load_resume(DATA / "resumes" / name).contact


def test_a_zip_code_beside_a_phone_stays_in_the_location() -> None:
    contact = _contact("t01_solutions_architect_textboxes.docx")
    assert contact.name == "Mickey Mouse" and contact.phone == "123-456-7890"
    assert contact.location == "Oak Park, CA 91377"


def test_a_french_infographic_resume_keeps_its_contact_details() -> None:
    contact = _contact("t03_physicien_fr_infographic.pdf")
    assert contact.name == "ACHRAF NAJMI" and contact.email == "najmi.achraf@gmail.com"
    assert contact.phone == "+212 6 22 90 22 21" and contact.location == "Casablanca, Maroc"
    assert {"github.com/NajmiAchraf", "linkedin.com/in/najmiachraf"} <= set(contact.links)


def test_glyph_names_become_digits_and_letters() -> None:
    resume = load_resume(DATA / "resumes" / "t04_engineer_rotated_labels.pdf")
    assert resume.contact.phone == "+49 176 313"  # the rest is masked ("XXX XX") in the document
    text = resume.full_text()
    assert "Scientific Employee / Software Development" in text and "/f_" not in text and ".lnum" not in text


def test_a_title_line_above_its_dates_opens_the_next_entry() -> None:
    resume = load_resume(DATA / "resumes" / "t02_office_practice_manager.pdf")
    experience = next(s for s in resume.sections if s.kind is SectionKind.EXPERIENCE)
    headers = [[resume.item(i).text for i in e.header_ids] for e in experience.entries]
    assert headers == [
        ["Brightside Dental, Practice Manager", "Aug. 2019 – Current"],
        ["Marsshine Engineering, Office Manager", "Sep. 2015 – Aug. 2019"],
    ]


def test_a_spanish_cv_with_a_postal_code_address_keeps_its_contact_details() -> None:
    contact = _contact("t06_ingeniero_es_margin_dates.pdf")
    assert contact.name == "Pablo Miangolarra Tejada" and contact.email == "pablo.miangolarra@gmail.com"
    assert contact.phone == "+34 665 111 427" and contact.location == "28054 Madrid"
    assert "https://twitter.com/miangolarra" in contact.links
