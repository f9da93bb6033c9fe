"""Every bad input, generated here, through the real commands: exit 2, one stderr line, nothing on stdout."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from resume_tui import cli

DATA = Path(__file__).resolve().parents[1] / "resume_tui" / "data"
RESUME = DATA / "sample_resume.md"
JD = DATA / "sample_jd.md"


def _pdf_bytes(text: str = "Jane Doe\nExperience\nEngineer at Acme") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in text.splitlines():
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_pdf_bytes())).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image_only_pdf() -> bytes:
    from fpdf import FPDF
    from PIL import Image

    img = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(img, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(img.getvalue()), x=10, y=10, w=50)
    return bytes(pdf.output())


def _corrupt_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document><w:body><w:p>unclosed")
    return out.getvalue()


BAD_FILES = {
    "empty.txt": b"",
    "blank.md": b"   \n\n\t \n",
    "fake.pdf": bytes(range(256)) * 8,  # binary junk named .pdf
    "truncated.pdf": _pdf_bytes()[:300],
    "locked.pdf": _encrypted_pdf(),
    "scanned.pdf": _image_only_pdf(),
    "legacy.doc": bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600,
    "broken.docx": _corrupt_docx(),
    "notzip.docx": b"PK\x03\x04" + b"garbage" * 20,
    "letter.rtf": b"{\\rtf1\\ansi Jane Doe resume}",
    "photo.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 200,
}


def _assert_one_clear_line(code: int, out: str, err: str) -> None:
    assert code == 2, err
    assert out == ""
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "Error:" not in err.split(":", 1)[0]
    assert len(lines[0]) > 30  # a sentence, not a bare code


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_resume_files(capsys, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    code = cli.main(["inspect", str(path), "--json"])
    out, err = capsys.readouterr()
    _assert_one_clear_line(code, out, err)


@pytest.mark.parametrize("name", ["empty.txt", "fake.pdf", "locked.pdf", "scanned.pdf", "legacy.doc", "photo.png"])
def test_bad_job_description_files(capsys, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD_FILES[name])
    code = cli.main(["analyze", str(RESUME), str(path), "--json"])
    out, err = capsys.readouterr()
    _assert_one_clear_line(code, out, err)


def test_oversize_file_is_refused_by_the_configured_limit(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RESUME_TUI_MAX_FILE_MB", "0.001")
    big = tmp_path / "big.md"
    big.write_text("# Jane\n\n## Experience\n\n" + "- did things\n" * 500)
    code = cli.main(["inspect", str(big)])
    out, err = capsys.readouterr()
    _assert_one_clear_line(code, out, err)
    assert "limit" in err


def test_broken_config_is_one_line(capsys, isolated_env: Path) -> None:
    config = isolated_env / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text("[limits]\nconcurrency = 'lots'\n")
    code = cli.main(["inspect", str(RESUME)])
    out, err = capsys.readouterr()
    _assert_one_clear_line(code, out, err)
    assert "concurrency" in err


def test_unknown_provider_is_exit_2(capsys) -> None:
    code = cli.main(["analyze", str(RESUME), str(JD), "--provider", "nonesuch"])
    out, err = capsys.readouterr()
    _assert_one_clear_line(code, out, err)


def test_provider_without_key_is_exit_4(capsys) -> None:
    code = cli.main(["analyze", str(RESUME), str(JD), "--provider", "anthropic"])
    out, err = capsys.readouterr()
    assert code == 4 and out == ""
    assert len(err.strip().splitlines()) == 1 and "ANTHROPIC_API_KEY" in err


def test_no_resume_sections_still_usable_with_warning(capsys, tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Jane Doe\njane@example.com\n\nI have worked with Python and Kubernetes for years at Acme.\n")
    code = cli.main(["analyze", str(path), str(JD), "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "warning" in err.lower()
