"""PDF: a clean single-column resume with real, selectable Unicode text (fpdf2).

The body font is a DejaVu Sans subset shipped in resume_tui/data/fonts (Latin, Greek,
Cyrillic, punctuation). Characters it lacks (CJK names…) are drawn per glyph from a
fallback font found on the machine; when none has them, the export says so in its notes
and verification fails on the missing text rather than passing silently.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos

from resume_tui.models import ItemKind, Resume, SourceFormat

from ._layout import Layout, layout_of
from .docx_look import DocxLook, read_look
from .pdf_faces import FONT_DIR, stand_in_note
from .pdf_look import Drawer, LookPDF
from .pdf_pieces import pieces_of

REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

# Fonts with CJK (and other wide-coverage) glyphs commonly present on Linux, macOS and Windows.
_FALLBACK_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/unifont/unifont.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/meiryo.ttc",
    "C:/Windows/Fonts/malgun.ttf",
)

INK = (30, 33, 38)
MUTED = (85, 90, 100)
ACCENT = (31, 56, 100)
RULE = (190, 196, 205)

MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 18.0, 16.0, 16.0
BODY_PT, LINE_MM = 10.0, 4.9


@lru_cache(maxsize=8)
def _cmap(path: str, number: int = 0) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=number, lazy=True)
        return frozenset(font.getBestCmap() or {})
    except Exception:  # an unreadable system font is simply not a candidate
        return frozenset()


def _needs_glyph(ch: str) -> bool:
    return not ch.isspace() and ord(ch) >= 0x20


def missing_chars(text: str, font: Path = REGULAR) -> list[str]:
    covered = _cmap(str(font))
    seen: dict[str, None] = {}
    for ch in text:
        if _needs_glyph(ch) and ord(ch) not in covered:
            seen.setdefault(ch, None)
    return list(seen)


def _fc_candidates(ch: str) -> list[str]:
    """Ask fontconfig (when installed) which font files cover `ch`."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        proc = subprocess.run(
            [fc_list, f":charset={ord(ch):x}", "file"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    files = [line.strip().rstrip(":") for line in proc.stdout.splitlines() if line.strip()]
    return sorted(f for f in files if f.lower().endswith((".ttf", ".otf", ".ttc")))


def find_fallback_fonts(chars: list[str]) -> list[Path]:
    """Font files that together cover as many of `chars` as the machine allows."""
    chosen: list[Path] = []
    remaining = list(chars)
    tried: set[str] = set()
    while remaining:
        candidates = [c for c in _FALLBACK_CANDIDATES if Path(c).is_file()] + _fc_candidates(remaining[0])
        best, best_cover = None, 0
        for cand in candidates:
            if cand in tried:
                continue
            cover = sum(1 for ch in remaining if ord(ch) in _cmap(cand))
            if cover > best_cover:
                best, best_cover = cand, cover
        if best is None:
            break
        tried.add(best)
        chosen.append(Path(best))
        remaining = [ch for ch in remaining if ord(ch) not in _cmap(best)]
    return chosen


class _ResumePDF(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(MARGIN_X, MARGIN_TOP, MARGIN_X)
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM)
        self.add_font("Body", "", str(REGULAR))
        self.add_font("Body", "B", str(BOLD))
        self.set_text_color(*INK)

    def height_of(self, text: str, width: float, line_h: float) -> float:
        height: Any = self.multi_cell(width, line_h, text, align=Align.L, dry_run=True, output=MethodReturnValue.HEIGHT)
        return float(height)  # with output=HEIGHT fpdf2 returns the height alone

    def room(self) -> float:
        return self.page_break_trigger - self.get_y()

    def ensure(self, needed: float) -> None:
        """Start a new page unless `needed` mm fit (blocks taller than a page just flow)."""
        if needed > self.room() and needed < self.page_break_trigger - self.t_margin:
            self.add_page()


def render_pdf(resume: Resume, original: Resume | None = None) -> tuple[bytes, list[str]]:
    """Return the PDF bytes and notes (e.g. characters no available font could draw).

    A resume that came from a DOCX still on disk is drawn in that document's look
    (pdf_look); any other keeps the generic single-column layout."""
    layout = layout_of(resume)
    notes: list[str] = []
    look = _docx_look(original or resume)
    pdf: FPDF = _ResumePDF() if look is None else LookPDF(look)
    all_text = _all_text(layout)
    missing = missing_chars(all_text)
    names: list[str] = []
    if isinstance(pdf, LookPDF):  # DejaVu Serif lacks a few of Sans's glyphs
        pdf.ensure_font("sans", "")
        names.append("sans")
    if missing:
        fallbacks = find_fallback_fonts(missing)
        for i, path in enumerate(fallbacks):
            name = f"Fallback{i}"
            try:
                if path.suffix.lower() == ".ttc":
                    pdf.add_font(name, "", str(path), collection_font_number=0)
                else:
                    pdf.add_font(name, "", str(path))
            except Exception:  # fpdf2 cannot embed every font flavour; try the next one
                continue
            names.append(name)
        covered = set().union(*(_cmap(str(p)) for p in fallbacks)) if fallbacks else set()
        undrawable = [ch for ch in missing if ord(ch) not in covered]
        if undrawable:
            notes.append(
                f"The PDF cannot show {len(undrawable)} character(s) ({''.join(undrawable[:20])}) because no font "
                "on this machine has them; install a CJK font such as Noto Sans CJK, or export DOCX/HTML instead."
            )
    if names:
        pdf.set_fallback_fonts(names, exact_match=False)
    title = f"{layout.name} — Résumé" if layout.name else "Résumé"
    pdf.set_title(title)
    if layout.name:
        pdf.set_author(layout.name)
    pdf.set_creator("resume-tui")
    pdf.set_lang("en")
    fpdf_logger = logging.getLogger("fpdf")
    level = fpdf_logger.level
    fpdf_logger.setLevel(logging.ERROR)  # missing glyphs are reported in `notes`, not as log noise
    try:
        if isinstance(pdf, LookPDF) and look is not None:
            drawer = Drawer(pdf, look)
            pieces = pieces_of(layout, look)
            drawer.draw(pieces)
            note = stand_in_note(list(dict.fromkeys(piece.look.family for piece in pieces)))
            if note:
                notes.append(note)
        else:
            assert isinstance(pdf, _ResumePDF)
            pdf.add_page()
            _draw(pdf, layout)
        data = bytes(pdf.output())
    finally:
        fpdf_logger.setLevel(level)
    return data, notes


def _docx_look(resume: Resume) -> DocxLook | None:
    source = resume.source_path
    if resume.source_format != SourceFormat.DOCX or not source or not Path(source).is_file():
        return None
    return read_look(source)


def _all_text(layout: Layout) -> str:
    parts = [layout.name, *layout.contact_lines]
    for section in layout.sections:
        parts.append(section.title)
        parts.extend(block.text for block in section.items)
    return "\n".join(parts)


def _draw(pdf: _ResumePDF, layout: Layout) -> None:
    width = pdf.epw
    if layout.name:
        pdf.set_font("Body", "B", 20)
        pdf.multi_cell(width, 9, layout.name, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.8)
    if layout.contact_lines:
        pdf.set_font("Body", "", 9.2)
        pdf.set_text_color(*MUTED)
        for line in layout.contact_lines:
            pdf.multi_cell(width, 4.5, line, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*INK)
    if layout.name or layout.contact_lines:
        pdf.ln(1.6)
        _rule(pdf, 0.35)
        pdf.ln(1.0)

    for section in layout.sections:
        heights = [_block_height(pdf, block, width) for block in section.items]
        if section.title:
            pdf.set_font("Body", "B", 11.5)
            head_h = pdf.height_of(section.title, width, 6) + 5.0
            # Keep the heading with its first item (and a role line with its first bullet).
            keep = head_h + (heights[0] if heights else 0)
            if section.items and section.items[0].kind == ItemKind.ROLE and len(heights) > 1:
                keep += heights[1]
            pdf.ensure(keep)
            pdf.ln(3.0)
            pdf.set_font("Body", "B", 11.5)
            pdf.set_text_color(*ACCENT)
            pdf.multi_cell(width, 6, section.title, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(*INK)
            pdf.ln(0.4)
            _rule(pdf, 0.2)
            pdf.ln(1.6)
        for index, block in enumerate(section.items):
            needed = heights[index]
            if block.kind == ItemKind.ROLE and index + 1 < len(heights):
                needed += heights[index + 1]
            pdf.ensure(needed)
            _draw_block(pdf, block, width, index)


BULLET_INDENT = 5.0


def _block_height(pdf: _ResumePDF, block, width: float) -> float:
    if block.kind == ItemKind.ROLE:
        pdf.set_font("Body", "B", 10.5)
        return pdf.height_of(block.text, width, 5.4) + 2.2
    pdf.set_font("Body", "", BODY_PT)
    if block.kind == ItemKind.BULLET:
        return pdf.height_of(block.text, width - BULLET_INDENT, LINE_MM) + 1.0
    return pdf.height_of(block.text, width, LINE_MM) + 1.4


def _draw_block(pdf: _ResumePDF, block, width: float, index: int) -> None:
    x0 = pdf.l_margin
    if block.kind == ItemKind.ROLE:
        if index:
            pdf.ln(1.6)
        pdf.set_font("Body", "B", 10.5)
        pdf.multi_cell(width, 5.4, block.text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(0.6)
    elif block.kind == ItemKind.BULLET:
        pdf.set_font("Body", "", BODY_PT)
        y = pdf.get_y()
        pdf.set_xy(x0 + 1.2, y)
        pdf.cell(BULLET_INDENT - 1.2, LINE_MM, "•")
        pdf.set_xy(x0 + BULLET_INDENT, y)
        pdf.multi_cell(width - BULLET_INDENT, LINE_MM, block.text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.0)
    else:
        pdf.set_font("Body", "", BODY_PT)
        pdf.multi_cell(width, LINE_MM, block.text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.4)
    pdf.set_x(x0)


def _rule(pdf: _ResumePDF, weight: float) -> None:
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(weight)
    y = pdf.get_y()
    pdf.line(pdf.l_margin, y, pdf.l_margin + pdf.epw, y)
