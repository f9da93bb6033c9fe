"""Resumes in any language and encoding: section headings in six languages (from the data file),
headings with dates or decorations or run into their text, legacy code pages decided by which
decoding reads as real words, international phones, whole names and links."""

from __future__ import annotations

import io
import json
from importlib import resources
from pathlib import Path

import pytest

from resume_tui.documents.contact import extract_contact, find_phone
from resume_tui.documents.ingest import load_resume
from resume_tui.documents.readers.text import decode_bytes
from resume_tui.documents.section_names import section_kind_for_heading
from resume_tui.models import SectionKind

# ------------------------------------------------------------------ headings in six languages

HEADINGS = {
    "es": [("EXPERIENCIA LABORAL", "experience"), ("Educación", "education"), ("APTITUDES", "skills"),
           ("Idiomas", "languages"), ("Proyectos", "projects"), ("Perfil profesional", "summary"),
           ("Certificaciones", "certifications"), ("ACTIVIDADES", "other")],
    "pt": [("Experiência Profissional", "experience"), ("Formação Acadêmica", "education"),
           ("Habilidades", "skills"), ("Idiomas", "languages"), ("Projetos", "projects"), ("Resumo", "summary")],
    "fr": [("Expérience professionnelle", "experience"), ("FORMATION", "education"), ("Compétences", "skills"),
           ("Langues", "languages"), ("Centres d'intérêt", "interests"), ("Projets", "projects")],
    "de": [("Berufserfahrung", "experience"), ("Ausbildung", "education"), ("Kenntnisse", "skills"),
           ("Sprachkenntnisse", "languages"), ("Projekte", "projects"), ("Persönliche Daten", "other")],
    "it": [("Esperienze lavorative", "experience"), ("Istruzione e formazione", "education"),
           ("Competenze", "skills"), ("Lingue", "languages"), ("Progetti", "projects"), ("Profilo", "summary")],
    "nl": [("Werkervaring", "experience"), ("Opleiding", "education"), ("Vaardigheden", "skills"),
           ("Talen", "languages"), ("Projecten", "projects"), ("Profiel", "summary")],
}


def test_the_data_file_names_headings_in_six_languages() -> None:
    raw = json.loads(resources.files("resume_tui").joinpath("data/languages.json").read_text(encoding="utf-8"))
    with_headings = {code for code, lang in raw["languages"].items() if lang.get("headings")}
    assert {"es", "pt", "fr", "de", "it", "nl"} <= with_headings
    for code in with_headings:
        kinds = set(raw["languages"][code]["headings"])
        assert {"experience", "education", "skills", "languages"} <= kinds, code
        assert kinds <= {k.value for k in SectionKind}, code


@pytest.mark.parametrize(("heading", "kind"), [pair for pairs in HEADINGS.values() for pair in pairs])
def test_headings_in_other_languages(heading: str, kind: str) -> None:
    assert section_kind_for_heading(heading) is SectionKind(kind)


@pytest.mark.parametrize("text", ["Diseño de tableros en Power BI", "Analista de datos", "Resume", "Lima, Perú"])
def test_ordinary_lines_are_not_headings(text: str) -> None:
    assert section_kind_for_heading(text) is None


def _sections(tmp_path: Path, text: str, name: str = "cv.txt") -> list[tuple[SectionKind, str, list[str]]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    resume = load_resume(path)
    return [(s.kind, s.title, [i.text for i in s.items]) for s in resume.sections]


def test_headings_with_dates_decorations_and_run_into_text(tmp_path: Path) -> None:
    text = (
        "Lucía Fernández\nlucia@example.com\n\n"
        "EXPERIENCIA (10/2022-05/2023)\nAnalista de Datos — Minera Andina SAC\n• Diseño de tableros en Power BI.\n\n"
        "— Educación —\nUniversidad Nacional de Ingeniería, 2016 – 2021\n\n"
        "== COMPÉTENCES ==\nPython, SQL\n\n"
        "APTITUDES Python, SQL, Power BI, Excel\n"
        "IDIOMAS Español (nativo), Inglés (avanzado)\n"
        "PROJECT MANAGER Acme Corp, Lima\n"
    )
    sections = _sections(tmp_path, text)
    kinds = [(kind, title) for kind, title, _ in sections]
    assert kinds == [
        (SectionKind.EXPERIENCE, "EXPERIENCIA (10/2022-05/2023)"),
        (SectionKind.EDUCATION, "— Educación —"),
        (SectionKind.SKILLS, "== COMPÉTENCES =="),
        (SectionKind.SKILLS, "APTITUDES"),
        (SectionKind.LANGUAGES, "IDIOMAS"),
    ]
    assert sections[3][2] == ["Python, SQL, Power BI, Excel"]
    # A role line in capitals is not cut into a heading: "PROJECT MANAGER" is not only a section name.
    assert sections[4][2] == ["Español (nativo), Inglés (avanzado)", "PROJECT MANAGER Acme Corp, Lima"]


# ------------------------------------------------------------------ encodings in five languages

SAMPLES = {
    "Spanish": ("Diseño gráfico y comunicación. Español nativo, inglés avanzado. Cinco años de experiencia en "
                "diseño de interfaces; formación en la Universidad de Alcalá. Compañía: Señales S.A.", "latin-1"),
    "French": ("Expérience professionnelle : développeur à Paris, créé des systèmes de sécurité. Compétences : "
               "Python, bases de données, maîtrise de l'anglais. Diplôme d'ingénieur, école supérieure.", "cp1252"),
    "German": ("Berufserfahrung: Softwareentwickler in München. Größere Projekte für Kunden in Österreich und der "
               "Schweiz. Kenntnisse: Python, Datenbanken. Fähigkeiten: Teamführung, Präsentationen.", "cp1252"),
    "Portuguese": ("Experiência profissional: desenvolvedor em São Paulo. Formação acadêmica em Ciência da "
                   "Computação. Conhecimentos: Python, gestão de projetos, comunicação. Línguas: inglês.", "latin-1"),
    "Polish": ("Doświadczenie zawodowe: programista w Łodzi. Umiejętności: Python, bazy danych, zarządzanie "
               "zespołem. Wykształcenie: Politechnika Wrocławska, inżynier. Języki: polski, angielski.", "cp1250"),
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_legacy_encodings_decode_to_real_words(language: str) -> None:
    text, encoding = SAMPLES[language]
    decoded, used = decode_bytes(text.encode(encoding))
    assert decoded == text, (language, used)


def test_a_latin1_spanish_resume_reads_as_spanish_not_cp1250(tmp_path: Path) -> None:
    path = tmp_path / "cv.txt"
    path.write_bytes("María Pérez\n\nExperiencia\nDiseño web, cinco años.\n\nIdiomas\nEspañol, inglés\n".encode("latin-1"))
    resume = load_resume(path)
    assert "Diseño web" in resume.full_text() and "Español" in resume.full_text()
    assert not any("1250" in w for w in resume.warnings)


# ------------------------------------------------------------------ phones

@pytest.mark.parametrize(
    ("line", "phone"),
    [
        ("Calle 5, 91377 123-456-7890", "123-456-7890"),  # a postcode is not glued onto the number
        ("28013 Madrid · 28013 91 377 12 34", "91 377 12 34"),
        ("Lima 15046 (+51) 987 654 321", "(+51) 987 654 321"),
        ("Tel: +34 612 34 56 78", "+34 612 34 56 78"),
        ("+33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("+55 11 98765 4321", "+55 11 98765 4321"),
        ("+48 512 345 678", "+48 512 345 678"),
        ("+4930123456", "+4930123456"),  # E.164
        ("+44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
        ("06 12 34 56 78", "06 12 34 56 78"),
        ("(11) 98765-4321", "(11) 98765-4321"),
        ("555.123.4567", "555.123.4567"),
        ("Cel. 987654321", "987654321"),
    ],
)
def test_phones_in_international_and_national_formats(line: str, phone: str) -> None:
    assert find_phone(line) == phone


@pytest.mark.parametrize("line", ["Saved $12,000.00) 2014", "0.00) 2014", "DNI 12345678", "2019 - 2021", "GPA 3.75, 2018.10"])
def test_figures_and_ids_are_not_phones(line: str) -> None:
    assert find_phone(line) is None


# ------------------------------------------------------------------ names and links

@pytest.mark.parametrize(
    ("header", "name"),
    [
        (["JUAN CARLOS LARICO DEPAZ", "Lima, Perú"], "JUAN CARLOS LARICO DEPAZ"),
        (["JUAN", "CARLOS LARICO DEPAZ", "juan@example.com"], "JUAN CARLOS LARICO DEPAZ"),
        (["Maria", "Fernanda de Souza", "maria@example.com"], "Maria Fernanda de Souza"),
        (["CURRICULUM VITAE", "ANA MARÍA GÓMEZ"], "ANA MARÍA GÓMEZ"),
        (["Jane Doe", "Nurse Practitioner"], "Jane Doe"),
    ],
)
def test_a_first_name_is_never_dropped(header: list[str], name: str) -> None:
    assert extract_contact(header).name == name


def test_a_linkedin_url_wrapped_across_lines_is_kept_whole(tmp_path: Path) -> None:
    text = (
        "JUAN CARLOS LARICO DEPAZ\n+51 987 654 321 | juan@example.com\nlinkedin.com/in/juan-carlos-\nlarico-depaz\n\n"
        "EXPERIENCIA\nAnalista — Minera SAC, 2022 – 2023\n"
    )
    path = tmp_path / "cv.txt"
    path.write_text(text, encoding="utf-8")
    resume = load_resume(path)
    assert resume.contact.links == ["linkedin.com/in/juan-carlos-larico-depaz"]
    assert resume.contact.name == "JUAN CARLOS LARICO DEPAZ" and resume.contact.phone == "+51 987 654 321"
    assert "linkedin.com/in/juan-carlos-larico-depaz" in resume.header_lines


def test_a_name_only_in_a_docx_page_header_or_text_box(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "ANA MARÍA GÓMEZ"
    doc.sections[0].header.add_paragraph("ana.gomez@example.com | +34 612 34 56 78")
    doc.add_paragraph("EXPERIENCIA")
    doc.add_paragraph("Analista de datos — Banco Sur, 2020 – 2023")
    buffer = io.BytesIO()
    doc.save(buffer)
    path = tmp_path / "cv.docx"
    path.write_bytes(buffer.getvalue())
    resume = load_resume(path)
    assert resume.contact.name == "ANA MARÍA GÓMEZ"
    assert resume.contact.phone == "+34 612 34 56 78"
    assert resume.sections[0].kind is SectionKind.EXPERIENCE


def test_a_document_title_beside_the_name_is_not_part_of_it() -> None:
    assert extract_contact(["JAN KÜSTER RESUME", "Bremen, Germany"]).name == "JAN KÜSTER"


def test_a_location_in_a_sidebar_contact_block() -> None:
    contact = extract_contact(["Athul SIVAN"], ["CONTACT DETAILS", "athul@example.com", "+49 1754 5758 410", "48167 Münster, Germany"])
    assert contact.location == "48167 Münster, Germany"
    # A role's place far from any contact detail is not the person's location.
    far = extract_contact(["Jane Doe"], ["EXPERIENCE", "Nurse — Mercy Hospital", "Seattle, WA", "Cared for patients."])
    assert far.location is None


def test_pdf_glyph_names_are_read_as_text() -> None:
    from resume_tui.documents.readers.cleanup import glyph_names as _glyph_names

    assert _glyph_names("+/four.lnum/nine.lnum /one.lnum/seven.lnum/six.lnum") == "+49 176"
    assert _glyph_names("Scienti/f_ic Employee, a /f_lexible plan") == "Scientific Employee, a flexible plan"
    assert _glyph_names("J/A.sc/N.sc K\u00fc/S.sc/T.sc/E.sc/R.sc") == "JAN K\u00fcSTER"
    assert _glyph_names("/github github.com/jane") == "github.com/jane"
    assert _glyph_names("see https://example.com/a/b") == "see https://example.com/a/b"


def test_an_employer_line_and_its_first_position_are_one_entry(tmp_path: Path) -> None:
    text = (
        "Jane Doe\njane@example.com\n\nExperience\n"
        "Hershey Medical Center (August 2017 – September 2019)\n"
        "Nurse Practitioner - Emergency Department (December 2017 – September 2019)\n"
        "Nurse Practitioner - Medical Intensive Care (August 2017 – December 2017)\n"
        "Acme Clinic (2015 – 2017)\n- Triaged patients\n"
    )
    path = tmp_path / "cv.txt"
    path.write_text(text, encoding="utf-8")
    resume = load_resume(path)
    headers = [[resume.item(i).text for i in e.header_ids] for e in resume.sections[0].entries]
    assert headers[0] == ["Hershey Medical Center (August 2017 – September 2019)",
                          "Nurse Practitioner - Emergency Department (December 2017 – September 2019)"]
    assert len(headers) == 3


def test_a_capitals_heading_wrapped_onto_two_lines_is_one_heading(tmp_path: Path) -> None:
    sections = _sections(tmp_path, "Jane Doe\n\nFELLOWSHIPS AND\nRECOGNITIONS\nINSPIRE Fellowship, 2012 – 2017\n\nHOBBIES\nSketching\n")
    assert [(kind, title) for kind, title, _ in sections] == [
        (SectionKind.AWARDS, "FELLOWSHIPS AND RECOGNITIONS"),
        (SectionKind.INTERESTS, "HOBBIES"),
    ]


def test_a_labelled_detail_line_is_not_an_entry_header(tmp_path: Path) -> None:
    text = (
        "Jane Doe\njane@example.com\n\nEducation\n"
        "Bachelor of Science, Applied Mathematics March 2011\nUniversity of California, Davis\n"
        "Minors: Economics, & Education\nStudy Abroad: Semester at Sea (Summer 2010)\n"
    )
    path = tmp_path / "cv.txt"
    path.write_text(text, encoding="utf-8")
    resume = load_resume(path)
    assert len(resume.sections[0].entries) == 1


@pytest.mark.parametrize(
    "line",
    [
        "Analista de Datos — Minera SAC, enero 2020 – actualidad",
        "Développeur, Thales — janv. 2019 – déc. 2021",
        "Entwickler, SAP — März 2018 bis heute",
        "Desenvolvedor — Itaú, março 2019 – atual",
        "Sviluppatore, Eni — gennaio 2017 – oggi",
        "Ontwikkelaar — ING, maart 2016 – heden",
    ],
)
def test_role_lines_with_dates_in_other_languages(line: str) -> None:
    from resume_tui.documents.segment.dates import is_role_line

    assert is_role_line(line)


def test_open_ended_words_match_whole_words_only() -> None:
    from resume_tui.documents.segment.dates import DATE

    assert DATE.search("actually fine") is None and DATE.search("2019 – actualidad")


def test_a_name_only_in_a_docx_text_box(tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = Document()
    box = parse_xml(
        f'<w:p {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:pict><v:shape><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>LUCÍA FERNÁNDEZ</w:t></w:r></w:p><w:p><w:r><w:t>lucia@example.com | +34 612 34 56 78</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
    )
    doc.element.body.insert(0, box)
    doc.add_paragraph("EXPERIENCIA")
    doc.add_paragraph("Analista de datos — Banco Sur, enero 2020 – actualidad")
    buffer = io.BytesIO()
    doc.save(buffer)
    path = tmp_path / "cv.docx"
    path.write_bytes(buffer.getvalue())
    resume = load_resume(path)
    assert resume.contact.name == "LUCÍA FERNÁNDEZ" and resume.contact.phone == "+34 612 34 56 78"
    assert [(s.kind, len(s.entries)) for s in resume.sections] == [(SectionKind.EXPERIENCE, 1)]
