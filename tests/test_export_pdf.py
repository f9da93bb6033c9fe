"""PDF export: selectable Unicode text in reading order, sane page breaks, honest about missing glyphs."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from resume_tui.documents.export import pdf as pdf_module
from resume_tui.documents.export import render, write_export
from resume_tui.models import Contact, Item, ItemKind, Resume, Section, SectionKind


def make_resume(name: str = "José Núñez", roles: int = 1, bullets: int = 4) -> Resume:
    experience = []
    for r in range(roles):
        experience.append(Item(id=f"s1.{len(experience)}", kind=ItemKind.ROLE,
                               text=f"Engineer {r + 1} — Firma Zoë & Łukasz, Kraków (201{r % 10} – 202{r % 10})"))
        for b in range(bullets):
            experience.append(Item(id=f"s1.{len(experience)}", kind=ItemKind.BULLET,
                                   text=f"Role {r + 1} bullet {b + 1}: shipped the payments service – p95 from 480 ms "
                                        f"to 120 ms – and wrote the runbook used by the whole on-call rotation."))
    return Resume(
        contact=Contact(name=name, email="jose.nunez@example.com", phone="+351 912 345 678"),
        header_lines=[name, "Backend Engineer · Lisboa · jose.nunez@example.com · +351 912 345 678"],
        sections=[
            Section(id="s0", kind=SectionKind.SUMMARY, title="Summary", items=[
                Item(id="s0.0", text="Backend engineer — Python, Go; señor of on-call. Zoë and Łukasz’s mentor.")]),
            Section(id="s1", kind=SectionKind.EXPERIENCE, title="Experience", items=experience),
            Section(id="s2", kind=SectionKind.SKILLS, title="Skills", items=[
                Item(id="s2.0", kind=ItemKind.BULLET, text="Languages: Python, Go, SQL")]),
            Section(id="s3", kind=SectionKind.EDUCATION, title="Education", items=[
                Item(id="s3.0", text="MSc Informática, Universidade do Porto (2014 – 2016)")]),
        ],
    )


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_unicode_text_is_selectable_and_in_order():
    data, notes = render(make_resume(), make_resume(), "pdf")
    assert notes == []
    texts = page_texts(data)
    assert len(texts) == 1
    text = flat(texts[0])
    for needle in ("José Núñez", "Zoë", "Łukasz", "Kraków", "•", "–", "Informática", "jose.nunez@example.com"):
        assert needle in text, needle
    positions = [text.index(s) for s in ("José Núñez", "Summary", "Experience", "Engineer 1", "bullet 4", "Skills", "Education")]
    assert positions == sorted(positions)


def test_metadata_names_the_candidate():
    data, _ = render(make_resume(), make_resume(), "pdf")
    info = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert info.title == "José Núñez — Résumé"
    assert info.author == "José Núñez"


def test_two_page_resume_reads_in_order_and_never_ends_a_page_on_a_heading():
    resume = make_resume(roles=5, bullets=5)
    data, _ = render(resume, resume, "pdf")
    texts = page_texts(data)
    assert len(texts) >= 2
    whole = flat(" ".join(texts))
    cursor = 0
    for item in resume.items():
        at = whole.find(flat(item.text), cursor)
        assert at >= 0, f"missing or out of order: {item.text}"
        cursor = at
    titles = {s.title for s in resume.sections} | {i.text for i in resume.items() if i.kind == ItemKind.ROLE}
    for page in texts[:-1]:
        last = [line.strip() for line in page.splitlines() if line.strip()][-1]
        assert last not in titles, f"page ends on heading {last!r}"
    for page in texts[1:]:
        first = [line.strip() for line in page.splitlines() if line.strip()][0]
        assert not first[0].islower(), f"a bullet was split across pages: {first!r}"


def test_ten_page_cv_renders():
    resume = make_resume(roles=30, bullets=6)
    data, _ = render(resume, resume, "pdf")
    assert len(page_texts(data)) >= 8


def test_missing_glyphs_are_reported_not_silently_dropped(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pdf_module, "find_fallback_fonts", lambda chars: [])
    resume = make_resume(name="李小龍")
    data, notes = render(resume, resume, "pdf")
    assert notes and "李小龍" in notes[0] and "CJK" in notes[0]
    assert "Zoë" in flat(page_texts(data)[0])


def test_cjk_name_survives_when_the_machine_has_a_cjk_font():
    if not pdf_module.find_fallback_fonts(["李"]):
        pytest.skip("no CJK font installed on this machine")
    resume = make_resume(name="李小龍")
    data, notes = render(resume, resume, "pdf")
    assert notes == []
    assert "李小龍" in flat(page_texts(data)[0])


def test_written_pdf_matches_reported_size_and_hash(tmp_path: Path):
    import hashlib

    out = tmp_path / "cv.pdf"
    written = write_export(make_resume(), make_resume(), out, "pdf")
    assert written.format == "pdf"
    assert written.bytes == out.stat().st_size
    assert written.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    assert out.read_bytes().startswith(b"%PDF-")


def test_bundled_font_is_small_and_licensed():
    fonts = pdf_module.FONT_DIR
    sizes = [p.stat().st_size for p in fonts.glob("*.ttf")]
    assert sizes and all(size < 200_000 for size in sizes)
    assert "Bitstream" in (fonts / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")


def test_rendered_page_has_ink_where_a_resume_has_it(tmp_path: Path):
    """Rasterise page 1 (poppler) and check the name block is dark and the right margin stays white."""
    import shutil
    import subprocess

    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from PIL import Image

    out = tmp_path / "cv.pdf"
    write_export(make_resume(), make_resume(), out, "pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    width, height = image.size

    def dark_fraction(box: tuple[float, float, float, float]) -> float:
        region = image.crop((int(box[0] * width), int(box[1] * height), int(box[2] * width), int(box[3] * height)))
        pixels = list(region.tobytes())
        return sum(1 for p in pixels if p < 128) / len(pixels)

    assert dark_fraction((0.08, 0.02, 0.45, 0.08)) > 0.03  # the name, top left
    assert dark_fraction((0.93, 0.0, 1.0, 1.0)) == 0.0  # nothing in the right margin
    assert dark_fraction((0.0, 0.6, 1.0, 1.0)) == 0.0  # a one-page resume leaves the bottom blank
