"""Scanned PDFs: with the OCR extra a page with no text layer is read from its image (word recall
≥ 0.9 against the original's text layer), every line is marked OCR-read and the resume warns;
without the extra the message says how to install it; a real text layer is never OCR'd."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest

from resume_tui.documents.ingest import load_resume
from resume_tui.documents.readers import ocr
from resume_tui.errors import InputError

CORPUS_PDF = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "resumes" / "r05_data_analyst_msan.pdf"
needs_ocr = pytest.mark.skipif(
    not ocr.ocr_available(), reason='the OCR extra is not installed (pip install "resume-tui[ocr]"); CI installs it'
)

LINES = [
    "Jane Doe",
    "Berlin, Germany | jane.doe@example.com | +49 30 1234 5678",
    "",
    "Experience",
    "Senior Engineer, Acme Payments, 2019 - Present",
    "- Led the migration of the ledger to PostgreSQL and Kubernetes",
    "- Cut checkout latency by 40% across the payment services",
    "",
    "Education",
    "MSc Computer Science, Technical University of Berlin, 2014 - 2016",
    "",
    "Skills",
    "Python, Go, PostgreSQL, Kubernetes, Terraform",
]


def text_pdf(lines: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for index, line in enumerate(lines):
        pdf.set_xy(20, 20 + index * 7)
        pdf.cell(170, 7, line)
    return bytes(pdf.output())


def scanned(pdf_bytes: bytes, page: int = 0, dpi: int = 150) -> bytes:
    """The page drawn as a PNG and put back alone into a PDF: a scan with no text layer."""
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 comes with the OCR extra")
    from fpdf import FPDF

    document = pdfium.PdfDocument(pdf_bytes)
    image = document[page].render(scale=dpi / 72).to_pil().convert("L")
    document.close()
    png = io.BytesIO()
    image.save(png, format="PNG")
    width, height = (side * 72 / dpi for side in image.size)
    out = FPDF(unit="pt", format=(width, height))
    out.add_page()
    out.image(io.BytesIO(png.getvalue()), x=0, y=0, w=width, h=height)
    return bytes(out.output())


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in re.findall(r"[^\W_]+", text))


def recall(original: str, read: str) -> float:
    want, got = words(original), words(read)
    return sum((want & got).values()) / max(1, sum(want.values()))


def test_without_the_extra_a_scan_is_refused_naming_the_install_command(tmp_path: Path, monkeypatch) -> None:
    from PIL import Image

    png = io.BytesIO()
    Image.new("L", (400, 300), 255).save(png, format="PNG")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(png.getvalue()), x=10, y=10, w=150)
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    monkeypatch.setattr(ocr, "ocr_available", lambda: False)
    with pytest.raises(InputError) as info:
        load_resume(path)
    message = str(info.value)
    assert "scanned PDF with no text layer" in message and 'pip install "resume-tui[ocr]"' in message
    assert "\n" not in message


def test_a_pdf_with_a_text_layer_is_never_read_by_ocr(tmp_path: Path, monkeypatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("OCR ran on a PDF that has a text layer")

    monkeypatch.setattr(ocr, "_engine", refuse)
    path = tmp_path / "cv.pdf"
    path.write_bytes(text_pdf(LINES))
    resume = load_resume(path)
    assert resume.contact.name == "Jane Doe"
    assert not any(item.origin and item.origin.ocr for item in resume.items())
    assert not any("OCR" in w for w in resume.warnings)


@pytest.mark.slow
@needs_ocr
@pytest.mark.e2e
def test_a_scanned_resume_is_read_by_ocr_and_marked(tmp_path: Path) -> None:
    original = text_pdf(LINES)
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned(original))
    pages: list[tuple[int, int]] = []
    resume = load_resume(path, progress=lambda page, count: pages.append((page, count)))
    assert pages == [(1, 1)]
    assert any(w.startswith("Read by OCR — check names and numbers") for w in resume.warnings)
    items = resume.items()
    assert items and all(item.origin is not None and item.origin.ocr for item in items)
    assert recall("\n".join(LINES), resume.full_text() + "\n" + "\n".join(resume.header_lines)) >= 0.9
    assert resume.contact.email == "jane.doe@example.com"
    assert [s.kind.value for s in resume.sections][:3] == ["experience", "education", "skills"]


@pytest.mark.slow
@needs_ocr
@pytest.mark.skipif(not CORPUS_PDF.exists(), reason="the shared corpus is not beside the repository")
@pytest.mark.e2e
def test_a_scanned_corpus_page_keeps_nine_tenths_of_its_words(tmp_path: Path) -> None:
    from pypdf import PdfReader

    data = CORPUS_PDF.read_bytes()
    original = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned(data, page=0))
    resume = load_resume(path)
    read = "\n".join(resume.header_lines) + "\n" + resume.full_text()
    assert recall(original, read) >= 0.9


@pytest.mark.slow
@needs_ocr
@pytest.mark.e2e
def test_a_garbled_text_layer_is_read_from_the_drawn_page(tmp_path: Path) -> None:
    """A text layer that extracts as gibberish (here: the letters shifted, as fonts without a
    Unicode map give) is drawn and read by OCR, and the warning says why."""
    from resume_tui.documents.quality import looks_like_gibberish

    shifted = str.maketrans("abcdefghijklmnopqrstuvwxyz", "defghijklmnopqrstuvwxyzabc")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    body = LINES * 3
    for index, line in enumerate(body):
        pdf.set_xy(20, 12 + index * 6.5)
        pdf.cell(170, 6, line)
    # A visible copy of the real text, then an invisible garbled layer: PDFium draws the real
    # one, pypdf extracts the garbled one first.
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("Helvetica", size=1)
    pdf.set_xy(1, 1)
    pdf.multi_cell(200, 1, " ".join(line.translate(shifted) for line in body * 4))
    data = bytes(pdf.output())
    from pypdf import PdfReader

    if not looks_like_gibberish(PdfReader(io.BytesIO(data)).pages[0].extract_text()):
        pytest.skip("this fpdf2 version's text order does not make the layer read as gibberish")
    path = tmp_path / "garbled.pdf"
    path.write_bytes(data)
    resume = load_resume(path)
    assert any("unreadable" in w and "OCR" in w for w in resume.warnings)
    assert resume.contact.email == "jane.doe@example.com"


def test_an_engine_that_cannot_start_is_one_clear_sentence(tmp_path: Path, monkeypatch) -> None:
    from PIL import Image

    def broken() -> None:
        raise ImportError("libGL.so.1: cannot open shared object file")

    png = io.BytesIO()
    Image.new("L", (400, 300), 255).save(png, format="PNG")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(png.getvalue()), x=10, y=10, w=150)
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    monkeypatch.setattr(ocr, "ocr_available", lambda: True)
    monkeypatch.setattr(ocr, "_engine", broken)
    with pytest.raises(InputError) as info:
        load_resume(path)
    assert "cannot start" in str(info.value) and "libGL" in str(info.value) and "\n" not in str(info.value)
