"""The look of the user's DOCX — page, margins, and each paragraph's font, size and spacing.

The PDF export of a resume that came from a DOCX draws every item the way its source
paragraph looked (items carry `Origin(paragraph=i)` or a table cell from ingest), so a
two-page Word resume stays a two-page PDF in the same type and spacing, instead of the
generic layout. Reading never fails the export: a document that cannot be read gives
None and the PDF falls back to the generic layout.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ._layout import norm
from .docx_styles import Props, StyleSheet
from .pdf_faces import face_for, weight_in_name

EMU_MM = 1 / 36000
PT_MM = 25.4 / 72
# Word's page when a section states none: US Letter with one-inch margins.
LETTER = (215.9, 279.4)
INCH = 25.4


@dataclass(frozen=True)
class ParaLook:
    """How one paragraph is drawn, every value resolved (points unless said otherwise)."""

    family: str = "Calibri"
    size: float = 11.0
    bold: bool = False
    italic: bool = False
    color: tuple[int, int, int] | None = None
    scale: float = 1.0  # Word's horizontal character scale (w:w) of most of the text
    before: float = 0.0
    after: float = 0.0
    line: float = 1.0  # multiple of the font's single line when exact is None
    exact: float | None = None  # a fixed line height in points ("exact" / "at least")
    at_least: bool = False
    left: float = 0.0
    right: float = 0.0
    first: float = 0.0  # negative: hanging (the bullet sits in the hang)
    align: str = "L"
    numbered: bool = False  # a Word list paragraph: the exporter draws its bullet
    mark: str = "•"  # that bullet
    typed_bullets: bool = False  # its lines start with a bullet typed as text ("• Led…"), not a Word list
    contextual: bool = False
    border_below: bool = False
    style: str = ""
    tabs: tuple[tuple[float, str], ...] = ()  # the paragraph's tab stops: (points from the margin, alignment)


@dataclass
class DocxLook:
    page: tuple[float, float] = LETTER  # mm
    margins: tuple[float, float, float, float] = (INCH, INCH, INCH, INCH)  # top, right, bottom, left (mm)
    paragraphs: dict[int, ParaLook] = field(default_factory=dict)  # body paragraph index → look
    empty_height: dict[int, float] = field(default_factory=dict)  # empty body paragraphs → height in pt
    # (normalised line, look, paragraph key) for every paragraph: body ("b", i), cell ("c", t, r, c, n), other ("x", n)
    texts: list[tuple[str, ParaLook, tuple]] = field(default_factory=list)
    normal: ParaLook = field(default_factory=ParaLook)
    default_tab: float = 36.0  # points between Word's default tab stops (settings.xml)

    def by_text(self, text: str, within: tuple | None = None) -> tuple[ParaLook, tuple] | None:
        """The look and key of the paragraph that holds `text` (header lines, cells, text boxes):
        the one whose line is `text`, else the first that contains it."""
        key = norm(text)
        if not key:
            return None
        candidates = [t for t in self.texts if within is None or t[2][: len(within)] == within]
        for candidate, look, where in candidates:
            if candidate == key:
                return look, where
        for candidate, look, where in candidates:
            if key in candidate:
                return look, where
        return None

    def fonts(self) -> list[str]:
        """The font families in use, most used first."""
        counts = Counter(look.family for _, look, _ in self.texts)
        return [family for family, _ in counts.most_common()]


def read_look(path: str | Path) -> DocxLook | None:
    """The look of the DOCX at `path`, or None when it cannot be read (remembered while the file
    is unchanged: the export plan renders once for sizes and the write renders again)."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return _cached_look(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _cached_look(path: str, mtime_ns: int, size: int) -> DocxLook | None:  # noqa: ARG001 - the cache key
    try:
        from docx import Document

        from resume_tui.documents.readers.docx_limits import safe_package

        data = Path(path).read_bytes()
        document = Document(io.BytesIO(safe_package(data, Path(path).name)))
        return _read(document)
    except Exception:  # any damage: the generic PDF layout is the answer, not a failed export
        return None


def _related(part, reltype: str):  # noqa: ANN001, ANN202
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part
    return None


def _read(document) -> DocxLook:  # noqa: ANN001
    part = document.part
    theme = _related(part, RT.THEME)
    numbering = _related(part, RT.NUMBERING)
    sheet = StyleSheet(
        document.styles.element,
        theme.blob if theme is not None else None,
        numbering.element if numbering is not None else None,
    )
    look = DocxLook()
    look.page, look.margins = _page(document)
    look.default_tab = _default_tab(document)
    look.normal = _resolve(sheet, None, [])
    for index, paragraph in enumerate(document.paragraphs):
        text = paragraph.text  # python-docx rebuilds it on every access: once per paragraph
        resolved = _typed(_resolve(sheet, paragraph._p, _runs(paragraph._p)), text)
        if text.strip():
            look.paragraphs[index] = resolved
            look.texts.extend((norm(line), resolved, ("b", index)) for line in text.splitlines() if line.strip())
        elif not paragraph._p.xpath(".//w:drawing|.//w:pict|.//w:txbxContent"):
            line = resolved.exact or face_for(resolved.family).line_em * resolved.size * resolved.line
            look.empty_height[index] = resolved.before + line + resolved.after
    for t, table in enumerate(document.tables):
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                for n, paragraph in enumerate(cell.paragraphs):
                    text = paragraph.text
                    if text.strip():
                        resolved = _typed(_resolve(sheet, paragraph._p, _runs(paragraph._p)), text)
                        look.texts.extend((norm(line), resolved, ("c", t, r, c, n))
                                          for line in text.splitlines() if line.strip())
    boxes = document.element.body.xpath(".//w:txbxContent//w:p")
    for header in _header_paragraphs(document):
        boxes.append(header)
    for n, p in enumerate(boxes):
        text = "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
        if text:
            look.texts.append((norm(text), _resolve(sheet, p, _runs(p)), ("x", n)))
    return look


_TYPED_BULLET = re.compile(r"^\s*[•◦▪▫●○■□‣⁃➢➤►\u2013\u2014*-]\s")


def _typed(look: ParaLook, text: str) -> ParaLook:
    """Mark a paragraph whose lines carry typed bullets: the reader strips them, the PDF draws them back."""
    if any(_TYPED_BULLET.match(line) for line in text.splitlines()):
        return replace(look, typed_bullets=True)
    return look


def _header_paragraphs(document) -> list[etree._Element]:  # noqa: ANN001
    out: list[etree._Element] = []
    try:
        for section in document.sections[:1]:
            out.extend(p._p for p in section.header.paragraphs)
    except Exception:
        pass
    return out


def _page(document) -> tuple[tuple[float, float], tuple[float, float, float, float]]:  # noqa: ANN001
    try:
        section = document.sections[0]
    except IndexError:
        return LETTER, (INCH, INCH, INCH, INCH)

    def mm(value: int | None, default: float) -> float:
        return value * EMU_MM if value is not None else default

    width, height = mm(section.page_width, LETTER[0]), mm(section.page_height, LETTER[1])
    if not (70 <= width <= 600 and 70 <= height <= 900):
        width, height = LETTER
    margins = tuple(
        min(max(mm(value, INCH), 0.0), 80.0)
        for value in (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    )
    return (width, height), (margins[0], margins[1], margins[2], margins[3])


def _default_tab(document) -> float:  # noqa: ANN001
    try:
        settings = document.settings.element
        value = settings.find(qn("w:defaultTabStop"))
        points = float(value.get(qn("w:val"))) / 20 if value is not None else 36.0
        return points if 6 <= points <= 200 else 36.0
    except Exception:
        return 36.0


def _runs(p: etree._Element) -> list[etree._Element]:
    """The paragraph's text runs, hyperlinks included, text boxes excluded."""
    return [
        r
        for r in p.iter(qn("w:r"))
        if r.find(qn("w:t")) is not None and not any(a.tag == qn("w:txbxContent") for a in r.iterancestors())
    ]


def _resolve(sheet: StyleSheet, p: etree._Element | None, runs: list[etree._Element]) -> ParaLook:
    ppr = p.find(qn("w:pPr")) if p is not None else None
    sid = _style_id(ppr) or sheet.default_para
    base = sheet.style_chain(sid, "p").over(sheet.defaults)
    direct = sheet.para_props(ppr)
    num = direct.num or base.num
    props = direct.over(sheet.numbering_props(num).over(base))
    run_looks = [_run(sheet, r, props) for r in runs]
    chars = Counter[tuple[str | None, float | None, tuple[int, int, int] | None, float | None]]()
    for r, run_look in zip(runs, run_looks, strict=True):
        length = sum(len((t.text or "").strip()) for t in r.iter(qn("w:t")))
        chars[(run_look.family, run_look.size, run_look.color, run_look.scale)] += length
    family, size, color, scale = (
        chars.most_common(1)[0][0]
        if chars and chars.most_common(1)[0][1]
        else (props.family, props.size, props.color, props.scale)
    )
    visible = [(rl, r) for rl, r in zip(run_looks, runs, strict=True) if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()]
    bold = bool(visible) and all(rl.bold for rl, _ in visible) if visible else bool(props.bold)
    italic = bool(visible) and all(rl.italic for rl, _ in visible) if visible else bool(props.italic)
    line_rule = props.line_rule or "auto"
    if family and weight_in_name(family):  # "Cambria Bold" is Cambria, bold
        bold = bold or bool(visible)
    return ParaLook(
        family=family or "Calibri",
        size=size if size and 3 <= size <= 120 else 11.0,
        bold=bold,
        italic=italic,
        color=color,
        scale=scale or 1.0,
        before=_clamp(props.before, 0, 200),
        after=_clamp(props.after, 0, 200),
        line=_clamp(props.line, 0.5, 5) if line_rule == "auto" and props.line else 1.0,
        exact=_clamp(props.line, 1, 200) if line_rule != "auto" and props.line else None,
        at_least=line_rule == "atLeast",
        left=_clamp(props.left, -100, 400),
        right=_clamp(props.right, -100, 400),
        first=_clamp(props.first, -200, 200),
        align=props.align or "L",
        numbered=num is not None and num[0] != "0" and props.mark != "",
        mark=props.mark or "•",
        contextual=bool(props.contextual),
        border_below=bool(props.border_below),
        style=sheet.style_name(sid),
        tabs=tuple(sorted((pos, kind) for pos, kind in (props.tabs or {}).items() if kind != "clear" and 0 <= pos <= 1600)),
    )


def _style_id(ppr: etree._Element | None) -> str | None:
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return style.get(qn("w:val")) if style is not None else None


def _run(sheet: StyleSheet, r: etree._Element, para: Props) -> Props:
    rpr = r.find(qn("w:rPr"))
    rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
    char = sheet.style_chain(rstyle.get(qn("w:val")), "r") if rstyle is not None else Props()
    return sheet.run_props(rpr).over(char.over(para))


def _clamp(value: float | None, low: float, high: float) -> float:
    return min(max(value, low), high) if value is not None else 0.0
