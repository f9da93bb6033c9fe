"""Ingest: every supported format, every bad input (generated here), one clear sentence each."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from resume_tui.documents.ingest import load_resume, read_document
from resume_tui.documents.quality import assess, guess_language, looks_like_gibberish
from resume_tui.documents.sniff import Kind, sniff_bytes
from resume_tui.errors import InputError
from resume_tui.models import ItemKind, SectionKind, SourceFormat

RESUME_TEXT = """Jane Doe
Berlin, Germany | +49 30 1234 5678 | jane.doe@example.com | linkedin.com/in/janedoe

Summary
Backend engineer with eight years of experience building payment systems for the retail sector.

Experience
Senior Engineer, Acme Payments, 2019 - Present
- Led the migration of the ledger to PostgreSQL and Kubernetes for the whole team
- Cut p99 latency by 40% across the checkout services

Education
MSc Computer Science, TU Berlin, 2014 - 2016

Skills
Python, Go, PostgreSQL, Kubernetes
"""

CAESAR = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "defghijklmnopqrstuvwxyzabcDEFGHIJKLMNOPQRSTUVWXYZABC",
)


def _pdf(lines: list[str], *, columns: list[tuple[float, list[str]]] | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    if columns:
        for x, col_lines in columns:
            for i, text in enumerate(col_lines):
                pdf.set_xy(x, 15 + i * 6)
                pdf.cell(85, 6, text)
    else:
        for i, text in enumerate(lines):
            pdf.set_xy(15, 15 + i * 6)
            pdf.cell(180, 6, text)
    return bytes(pdf.output())


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _error(path: Path, **kwargs: int) -> str:
    with pytest.raises(InputError) as info:
        load_resume(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


# ------------------------------------------------------------------ good inputs


def test_text_resume_sections_and_contact(tmp_path: Path) -> None:
    resume = load_resume(_write(tmp_path, "r.txt", RESUME_TEXT))
    kinds = [s.kind for s in resume.sections]
    assert kinds == [SectionKind.SUMMARY, SectionKind.EXPERIENCE, SectionKind.EDUCATION, SectionKind.SKILLS]
    assert resume.contact.name == "Jane Doe"
    assert resume.contact.email == "jane.doe@example.com"
    assert resume.contact.phone == "+49 30 1234 5678"
    assert resume.contact.location == "Berlin, Germany"
    assert resume.contact.links == ["linkedin.com/in/janedoe"]
    assert resume.header_lines[0] == "Jane Doe"
    experience = resume.sections[1]
    assert [i.kind for i in experience.items] == [ItemKind.ROLE, ItemKind.BULLET, ItemKind.BULLET]
    assert experience.items[1].text.startswith("Led the migration")
    assert [s.id for s in resume.sections] == ["s0", "s1", "s2", "s3"]
    assert experience.items[0].id == "s1.1"
    assert resume.source_format == SourceFormat.TEXT


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("cp1252", b""),
        ("latin-1", b""),
    ],
)
def test_text_encodings(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = RESUME_TEXT.replace("Jane Doe", "Zoë Müller").replace("retail", "café and résumé")
    if encoding == "cp1252":
        text = text.replace("Backend engineer", "Backend engineer – “payments”")
    path = _write(tmp_path, "r.txt", prefix + text.encode(encoding))
    resume = load_resume(path)
    assert resume.contact.name == "Zoë Müller"
    assert "café and résumé" in resume.full_text()
    if encoding == "cp1252":
        assert "– “payments”" in resume.full_text()
    assert "\ufeff" not in resume.full_text()


def test_markdown_resume(tmp_path: Path) -> None:
    md = (
        "# Jane Doe\n\njane@example.com · [GitHub](https://github.com/jane)\n\n"
        "## Work History\n\n### Engineer — Acme, 2020 – 2023\n\n"
        "* Built **Kafka** pipelines\n+ Wrote \\*escaped\\* docs\n1. Numbered item\n\n"
        "## Side Quests\n\nSailing\n\n**Certifications**\n\n- AWS Solutions Architect\n"
    )
    resume = load_resume(_write(tmp_path, "cv.md", md))
    assert resume.source_format == SourceFormat.MARKDOWN
    assert resume.contact.name == "Jane Doe"
    assert "https://github.com/jane" in resume.contact.links
    titles = [(s.kind, s.title) for s in resume.sections]
    assert titles == [
        (SectionKind.EXPERIENCE, "Work History"),
        (SectionKind.OTHER, "Side Quests"),
        (SectionKind.CERTIFICATIONS, "Certifications"),
    ]
    items = resume.sections[0].items
    assert items[0].kind == ItemKind.ROLE and items[0].text == "Engineer — Acme, 2020 – 2023"
    assert [i.text for i in items[1:]] == ["Built Kafka pipelines", "Wrote *escaped* docs", "Numbered item"]
    assert all(i.kind == ItemKind.BULLET for i in items[1:])
    bold = items[1].spans[0]
    assert items[1].text[bold.start : bold.end] == "Kafka" and bold.bold


def test_pdf_resume(tmp_path: Path) -> None:
    path = _write(tmp_path, "cv.pdf", _pdf(RESUME_TEXT.splitlines()))
    resume = load_resume(path)
    assert resume.source_format == SourceFormat.PDF
    assert [s.kind for s in resume.sections][:3] == [SectionKind.SUMMARY, SectionKind.EXPERIENCE, SectionKind.EDUCATION]
    assert resume.contact.email == "jane.doe@example.com"
    assert all(i.origin is not None and i.origin.page == 1 for i in resume.items())


def test_pdf_two_columns_read_column_by_column(tmp_path: Path) -> None:
    left = ["CONTACT", "jane@example.com", "SKILLS", "Python and Go", "Kubernetes clusters", "LANGUAGES", "German native"]
    left += [f"Sidebar note number {i}" for i in range(6)]
    right = ["EXPERIENCE", "Engineer at Acme Payments 2019 - 2023"]
    right += [f"Built the payment service number {i} with the team" for i in range(12)]
    path = _write(tmp_path, "two.pdf", _pdf([], columns=[(10, left), (110, right)]))
    extracted = read_document(path)
    lines = [ln for ln in extracted.text.split("\n") if ln.strip()]
    assert lines.index("Sidebar note number 5") < lines.index("EXPERIENCE")
    assert lines.index("CONTACT") < lines.index("SKILLS") < lines.index("LANGUAGES")
    assert not any("Sidebar" in ln and "payment" in ln for ln in lines)  # never interleaved on one line
    assert any("multi-column" in w for w in extracted.warnings)
    resume = load_resume(path)
    kinds = {s.kind for s in resume.sections}
    assert {SectionKind.SKILLS, SectionKind.EXPERIENCE, SectionKind.LANGUAGES} <= kinds


def test_docx_paragraphs_tables_headers_and_spans(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Jane Doe | jane@example.com | +1 415 555 0100"
    document.add_paragraph("Summary", style="Heading 1")
    document.add_paragraph("Engineer who ships reliable payment systems for retail clients.")
    document.add_paragraph("Experience", style="Heading 1")
    role = document.add_paragraph()
    role.add_run("Senior Engineer, Acme").bold = True
    document.add_paragraph("Jan 2019 – Present")
    bullet = document.add_paragraph(style="List Bullet")
    bullet.add_run("Led ")
    bullet.add_run("Kubernetes").bold = True
    bullet.add_run(" migration").italic = True
    document.add_paragraph("Skills", style="Heading 1")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Python"
    table.cell(0, 1).text = "Go"
    table.cell(1, 0).text = "SQL"
    table.cell(1, 1).text = "Terraform"
    document.add_paragraph("Education", style="Heading 1")
    document.add_paragraph("BSc Mathematics, MIT, 2012 - 2016")
    buffer = io.BytesIO()
    document.save(buffer)
    path = _write(tmp_path, "cv.docx", buffer.getvalue())

    resume = load_resume(path)
    assert resume.source_format == SourceFormat.DOCX
    assert resume.contact.email == "jane@example.com" and resume.contact.name == "Jane Doe"
    assert [s.kind for s in resume.sections] == [
        SectionKind.SUMMARY,
        SectionKind.EXPERIENCE,
        SectionKind.SKILLS,
        SectionKind.EDUCATION,
    ]
    body = docx.Document(io.BytesIO(path.read_bytes())).paragraphs
    for item in resume.items():
        if item.origin and item.origin.paragraph is not None and item.origin.part == "body":
            assert body[item.origin.paragraph].text.strip().endswith(item.text)
    experience = resume.sections[1]
    assert [i.kind for i in experience.items] == [ItemKind.ROLE, ItemKind.ROLE, ItemKind.BULLET]
    led = experience.items[2]
    assert led.text == "Led Kubernetes migration"
    assert [(s.start, s.end, s.bold, s.italic) for s in led.spans] == [(4, 14, True, False), (14, 24, False, True)]
    skills = resume.sections[2].items
    assert [(i.text, i.origin.table) for i in skills] == [
        ("Python", (0, 0, 0)),
        ("Go", (0, 0, 1)),
        ("SQL", (0, 1, 0)),
        ("Terraform", (0, 1, 1)),
    ]


# ------------------------------------------------------------------ bad inputs


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in _error(tmp_path / "nope.pdf")


def test_directory(tmp_path: Path) -> None:
    assert "folder" in _error(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    assert "empty" in _error(_write(tmp_path, "empty.txt", b""))


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "no text" in _error(_write(tmp_path, "blank.md", "  \n\n\t \n"))


def test_oversize_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)  # sparse: cheap to create

    def no_open(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr(Path, "open", no_open)
    message = _error(path)
    assert "over the 10.0 MB limit" in message and "11.0 MB" in message
    monkeypatch.undo()
    small = _write(tmp_path, "small.txt", RESUME_TEXT)
    assert "limit" in _error(small, max_bytes=100)


def test_not_really_a_pdf(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "cv.pdf", bytes(range(256)) * 8))
    assert "not a real PDF" in message and "PDF, DOCX" in message


def test_damaged_pdf_structure(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "cv.pdf", b"%PDF-1.7\n" + b"garbage " * 200 + b"\n%%EOF\n"))
    assert "PDF" in message


def test_truncated_pdf(tmp_path: Path) -> None:
    data = _pdf(RESUME_TEXT.splitlines())
    message = _error(_write(tmp_path, "cv.pdf", data[: len(data) * 2 // 3]))
    assert "incomplete" in message


def test_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(RESUME_TEXT.splitlines()))))
    writer.encrypt(user_password="s3cret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    message = _error(_write(tmp_path, "cv.pdf", buffer.getvalue()))
    assert "password-protected" in message


def test_pdf_with_empty_user_password_opens(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(RESUME_TEXT.splitlines()))))
    writer.encrypt(user_password="", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    resume = load_resume(_write(tmp_path, "cv.pdf", buffer.getvalue()))
    assert resume.contact.email == "jane.doe@example.com"


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    from fpdf import FPDF
    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (120, 160), "white").save(image, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=180)
    message = _error(_write(tmp_path, "scan.pdf", bytes(pdf.output())))
    assert "scanned" in message and "text PDF or as DOCX" in message


def test_gibberish_text_layer(tmp_path: Path) -> None:
    lines = [line.translate(CAESAR) for line in RESUME_TEXT.splitlines() * 3]
    message = _error(_write(tmp_path, "cv.pdf", _pdf(lines[:45])))
    assert "gibberish" in message


def test_corrupt_docx(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "this is not xml <<<")
    assert "damaged Word document" in _error(_write(tmp_path, "cv.docx", buffer.getvalue()))


def test_truncated_zip_docx(tmp_path: Path) -> None:
    assert "damaged Word document" in _error(_write(tmp_path, "cv.docx", b"PK\x03\x04" + b"\x00garbage" * 50))


def test_zip_without_document_named_docx(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "damaged Word file (no document body)" in _error(_write(tmp_path, "cv.docx", buffer.getvalue()))


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("cv.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy Word .doc"),
        ("cv.rtf", b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Jane Doe\\par }", "RTF"),
        ("cv.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image"),
        ("cv.bin", b"\x00\x01\x02\x03" * 100, "binary"),
        ("cv.html", b"<!DOCTYPE html><html><body>Jane</body></html>", "web page"),
    ],
)
def test_unsupported_formats_are_refused(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    message = _error(_write(tmp_path, name, data))
    assert expected in message
    if name != "cv.html":
        assert "supported formats: PDF, DOCX, Markdown (.md), plain text (.txt) or JSON Resume (.json)" in message


def test_odt_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    message = _error(_write(tmp_path, "cv.odt", buffer.getvalue()))
    assert "OpenDocument" in message and "PDF, DOCX" in message


def test_content_wins_over_extension(tmp_path: Path) -> None:
    pdf_named_txt = _write(tmp_path, "cv.txt", _pdf(RESUME_TEXT.splitlines()))
    resume = load_resume(pdf_named_txt)
    assert resume.source_format == SourceFormat.PDF
    assert any("named .txt but contains PDF" in w for w in resume.warnings)
    text_named_pdf = _write(tmp_path, "cv2.pdf", RESUME_TEXT)
    resume = load_resume(text_named_pdf)
    assert resume.source_format == SourceFormat.TEXT
    assert any("named .pdf" in w for w in resume.warnings)


def test_two_million_character_line(tmp_path: Path) -> None:
    line = ("lorem ipsum dolor (sit) **amet** - 2019 - " * 48_000)[:2_000_000]
    path = _write(tmp_path, "long.md", "Experience\n" + line + "\n")
    resume = load_resume(path)
    assert resume.sections[0].kind == SectionKind.EXPERIENCE
    assert sum(len(i.text) for i in resume.items()) >= 1_999_000
    assert len(resume.items()) == 1


def test_no_recognisable_sections_is_one_section_with_warning(tmp_path: Path) -> None:
    text = "Worked on things at places for many years and liked it a lot.\nAlso did other things with people."
    resume = load_resume(_write(tmp_path, "cv.txt", text))
    assert len(resume.sections) == 1 and resume.sections[0].kind == SectionKind.OTHER
    assert any("No section headings" in w for w in resume.warnings)
    assert "liked it a lot" in resume.full_text()


def test_read_document_for_job_descriptions(tmp_path: Path) -> None:
    jd = "Senior Backend Engineer\n\nRequirements:\n- 5+ years of Python\n- Kubernetes\n"
    extracted = read_document(_write(tmp_path, "jd.pdf", _pdf(jd.splitlines())))
    assert extracted.source_format == SourceFormat.PDF
    assert "5+ years of Python" in extracted.text
    assert len(extracted.lines) == extracted.text.count("\n") + 1


# ------------------------------------------------------------------ sniff and quality


def test_sniff_bytes() -> None:
    assert sniff_bytes(b"%PDF-1.4 ...") is Kind.PDF
    assert sniff_bytes(b"junk\n%PDF-1.4") is Kind.PDF
    assert sniff_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") is Kind.DOC
    assert sniff_bytes(b"{\\rtf1") is Kind.RTF
    assert sniff_bytes("héllo".encode("utf-16-le")) is Kind.TEXT
    assert sniff_bytes(b"") is Kind.EMPTY
    assert sniff_bytes(b"\xff\xd8\xff\xe0") is Kind.IMAGE


def test_guess_language() -> None:
    assert guess_language(RESUME_TEXT) == "en"
    assert guess_language("Wir suchen eine erfahrene Entwicklerin für unser Team in Berlin und die Arbeit mit der Cloud.") == "de"
    assert guess_language("Nous cherchons un développeur pour notre équipe dans la ville de Paris et le projet.") == "fr"
    assert guess_language("Buscamos un desarrollador para el equipo de la empresa en Lima con experiencia en Java.") == "es"
    assert guess_language("Python SQL") is None


def test_gibberish_detection() -> None:
    assert not looks_like_gibberish(RESUME_TEXT)
    assert looks_like_gibberish(RESUME_TEXT.translate(CAESAR))
    assert looks_like_gibberish("(cid:12)(cid:45)(cid:3) " * 40)
    assert looks_like_gibberish("\ue000\ue001\ue002 abc " * 40)
    assert looks_like_gibberish("!\"#$%&'()*+,-./ " * 10)  # glyph ids mapped onto ASCII punctuation
    # Unusual but real text is not refused: code, maths, mixed scripts.
    assert not looks_like_gibberish("def f(x): return x**2 + 3*x - 1  # Σ, π ≈ 3.14159; Ünïcödé naïve café Ωμέγα " * 5)
    assert assess("Резюме инженера по данным, опыт работы с Python и SQL, образование МГУ. " * 5).gibberish is False


def test_docx_text_boxes_are_read(tmp_path: Path) -> None:
    """Templates often put the name in a shape; python-docx's paragraph text skips it."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    holder = document.add_paragraph()
    holder._p.append(
        parse_xml(
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
            "<w:p><w:r><w:t>Jane Doe</w:t></w:r></w:p><w:p><w:r><w:t>jane@example.com</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        )
    )
    document.add_paragraph("Experience", style="Heading 1")
    document.add_paragraph("Engineer, Acme, 2019 - 2021")
    buffer = io.BytesIO()
    document.save(buffer)
    resume = load_resume(_write(tmp_path, "boxed.docx", buffer.getvalue()))
    assert resume.header_lines == ["Jane Doe", "jane@example.com"]
    assert resume.contact.name == "Jane Doe" and resume.contact.email == "jane@example.com"
    assert resume.sections[0].items[0].kind == ItemKind.ROLE


def test_utf16_whitespace_only_is_empty(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, "jd.txt", b"\xff\xfe" + " \n\t\n".encode("utf-16-le") * 3000))
    assert "jd.txt is empty" in message


def test_very_long_pdf_reads_first_pages_with_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from resume_tui.documents.readers import pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 1)
    from fpdf import FPDF

    doc = FPDF()
    doc.set_font("Helvetica", size=10)
    for page in range(3):
        doc.add_page()
        doc.multi_cell(0, 5, f"Experience\nPage {page} engineer at the company building the platform for the team.")
    extracted = read_document(_write(tmp_path, "long.pdf", bytes(doc.output())))
    assert "Page 0" in extracted.text and "Page 2" not in extracted.text
    assert any("only the first 1" in w for w in extracted.warnings)


# ------------------------------------------------------------------ fuzzing: only InputError ever escapes


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Experience", style="Heading 1")
    document.add_paragraph("Engineer, Acme, 2019 - 2021")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_SEEDS = {".pdf": _pdf(RESUME_TEXT.splitlines()), ".docx": _docx_bytes(), ".txt": RESUME_TEXT.encode()}


def test_mutated_documents_never_leak_library_errors(tmp_path: Path) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(
        suffix=st.sampled_from(sorted(_SEEDS)),
        cuts=st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=0, max_size=16)), max_size=4),
        keep=st.floats(0.05, 1.0),
    )
    def check(suffix: str, cuts: list[tuple[float, bytes]], keep: float) -> None:
        data = bytearray(_SEEDS[suffix])
        for where, junk in cuts:
            at = int(where * (len(data) - 1))
            data[at : at + len(junk)] = junk
        data = data[: max(1, int(len(data) * keep))]
        path = tmp_path / f"fuzz{suffix}"
        path.write_bytes(bytes(data))
        try:
            resume = load_resume(path)
        except InputError as err:
            assert str(err) and "\n" not in str(err)
        else:
            assert resume.sections or resume.header_lines

    check()


def _placed_pdf(rows: list[tuple[float, float, str]]) -> bytes:
    """A PDF with text cells at (x, row) positions."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for x, row, text in rows:
        pdf.set_xy(x, 15 + row * 7)
        pdf.cell(150 if x < 100 else 45, 7, text)
    return bytes(pdf.output())


def test_pdf_section_labels_in_a_left_margin(tmp_path: Path) -> None:
    rows = [
        (10, 0, "Summary"),
        (50, 0, "Backend engineer with eight years of experience in payments and retail."),
        (10, 1, "Experience"),
        (50, 1, "Senior Engineer, Acme Payments, 2019 - Present"),
        (50, 2, "Led the migration of the ledger to PostgreSQL and Kubernetes clusters."),
        (50, 3, "Cut p99 latency by forty percent across all checkout services today."),
        (10, 4, "Education"),
        (50, 4, "MSc Computer Science, TU Berlin, 2014 - 2016"),
        (10, 5, "Skills"),
        (50, 5, "Python, Go, PostgreSQL, Kubernetes, Terraform and many other tools"),
    ]
    resume = load_resume(_write(tmp_path, "labels.pdf", _placed_pdf(rows)))
    assert [(s.kind, len(s.items)) for s in resume.sections] == [
        (SectionKind.SUMMARY, 1),
        (SectionKind.EXPERIENCE, 3),
        (SectionKind.EDUCATION, 1),
        (SectionKind.SKILLS, 1),
    ]
    assert resume.sections[1].items[0].text == "Senior Engineer, Acme Payments, 2019 - Present"


def test_pdf_right_aligned_dates_are_not_a_second_column(tmp_path: Path) -> None:
    rows = [(10, 0, "Experience")]
    for n, (title, dates) in enumerate([("Senior Engineer, Acme", "2019 - Present"), ("Engineer, Beta", "2016 - 2019")]):
        rows += [(10, 1 + 3 * n, title), (160, 1 + 3 * n, dates)]
        rows += [(10, 2 + 3 * n, "Led the migration of the ledger to PostgreSQL"), (10, 3 + 3 * n, "Mentored two engineers")]
    extracted = read_document(_write(tmp_path, "dates.pdf", _placed_pdf(rows)))
    assert "Senior Engineer, Acme 2019 - Present" in extracted.text.split("\n")
    assert not any("multi-column" in w for w in extracted.warnings)


def test_pdf_link_annotations_reach_contact(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(60, 8, "Jane Doe", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(60, 8, "GitHub", link="https://github.com/janedoe", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "Experience\nEngineer at Acme building the payment platform for the whole team, 2019 - 2021")
    resume = load_resume(_write(tmp_path, "links.pdf", bytes(pdf.output())))
    assert "https://github.com/janedoe" in resume.contact.links
