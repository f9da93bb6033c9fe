"""DOCX via python-docx: body paragraphs and tables in document order, headers, footers.

Every line records where it came from (body paragraph index in `Document.paragraphs`
order, or (table, row, cell)) and its bold/italic runs, so the DOCX exporter can apply
changes in place. A paragraph with soft line breaks yields several lines that share
the paragraph's origin.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Literal

from resume_tui.documents.readers.base import ExtractedText, normalize_newlines
from resume_tui.documents.readers.docx_limits import CpuBudget, check_body, safe_package
from resume_tui.documents.section_names import section_kind_for_heading
from resume_tui.errors import InputError
from resume_tui.models import Origin, SourceFormat, TextSpan


@dataclass
class _Out:
    lines: list[str] = field(default_factory=list)
    origins: list[Origin] = field(default_factory=list)
    hints: list[str | None] = field(default_factory=list)
    spans: list[list[TextSpan]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    def add(self, text: str, origin: Origin, hint: str | None, spans: list[TextSpan]) -> None:
        self.lines.append(text)
        self.origins.append(origin)
        self.hints.append(hint)
        self.spans.append(spans)


Part = Literal["body", "header", "footer"]  # where a line lives in the package (Origin.part)


def _heading_level(style) -> str | None:  # noqa: ANN001
    """"h1".."h6" / "title" for a heading style or one based on it (custom "Section Head"
    styles usually inherit from Heading 2), walking a few levels up the style chain."""
    for _ in range(6):
        if style is None:
            return None
        name = (style.name or "").lower()
        if name == "title":
            return "title"
        if name.startswith("heading"):
            digits = "".join(ch for ch in name if ch.isdigit())
            level = min(int(digits), 6) if digits else 1
            return f"h{max(level, 1)}"
        style = style.base_style
    return None


def _outline_level(paragraph) -> str | None:  # noqa: ANN001
    """Word's outline level (w:outlineLvl, 0-based) marks headings in styles named anything."""
    try:
        values = paragraph._p.xpath("./w:pPr/w:outlineLvl/@w:val")
        if values and 0 <= int(values[0]) <= 5:
            return f"h{int(values[0]) + 1}"
    except Exception:
        pass
    return None


def _style_cache(part) -> dict:  # noqa: ANN001
    """Per-document memo of style facts: python-docx resolves a style id by scanning the
    whole styles part each time, ~0.1 ms per lookup and nine per paragraph — the cost that
    made 50,000 paragraphs take minutes. A document has a handful of distinct styles."""
    cache = getattr(part, "_resume_tui_styles", None)
    if cache is None:
        cache = {}
        try:
            part._resume_tui_styles = cache
        except AttributeError:
            pass
    return cache


def _paragraph_style(paragraph) -> tuple[str, str | None, bool | None, bool | None]:  # noqa: ANN001
    """(lower-case name, heading level, font bold, font italic) of the paragraph's style."""
    cache = _style_cache(paragraph.part)
    key = ("p", paragraph._p.style)
    if key not in cache:
        try:
            style = paragraph.style
            name = (style.name or "").lower() if style is not None else ""
            level = _heading_level(style)
            bold = style.font.bold if style is not None else None
            italic = style.font.italic if style is not None else None
        except Exception:
            name, level, bold, italic = "", None, None, None
        cache[key] = (name, level, bold, italic)
    return cache[key]


def _run_style(run) -> tuple[bool | None, bool | None]:  # noqa: ANN001
    cache = _style_cache(run.part)
    key = ("r", run._r.style)
    if key not in cache:
        try:
            style = run.style
            cache[key] = (style.font.bold, style.font.italic) if style is not None else (None, None)
        except Exception:
            cache[key] = (None, None)
    return cache[key]


def _style_hint(paragraph) -> str | None:  # noqa: ANN001
    name, level, _, _ = _paragraph_style(paragraph)
    level = level or _outline_level(paragraph)
    if level is not None:
        return level
    try:
        ppr = paragraph._p.pPr
        numbered = ppr is not None and ppr.numPr is not None
    except Exception:
        numbered = False
    if numbered or "list" in name:
        return "bullet"
    return None


def _run_flags(run, paragraph) -> tuple[bool, bool]:  # noqa: ANN001
    bold, italic = run.bold, run.italic
    if bold is None or italic is None:
        run_bold, run_italic = _run_style(run)
        _, _, para_bold, para_italic = _paragraph_style(paragraph)
        bold = next((v for v in (bold, run_bold, para_bold) if v is not None), None)
        italic = next((v for v in (italic, run_italic, para_italic) if v is not None), None)
    return bool(bold), bool(italic)


def _pieces(paragraph, links: list[str]) -> tuple[str, list[TextSpan]]:  # noqa: ANN001
    """Paragraph text with spans; falls back to plain text if runs do not add up."""
    text_parts: list[str] = []
    spans: list[TextSpan] = []
    pos = 0
    try:
        from docx.text.hyperlink import Hyperlink

        for inner in paragraph.iter_inner_content():
            runs = inner.runs if isinstance(inner, Hyperlink) else [inner]
            if isinstance(inner, Hyperlink):
                address = inner.address or ""
                if address.startswith(("http", "mailto:")) and address not in links:
                    links.append(address)
            for run in runs:
                chunk = run.text
                if not chunk:
                    continue
                bold, italic = _run_flags(run, paragraph)
                if (bold or italic) and chunk.strip():
                    spans.append(TextSpan(start=pos, end=pos + len(chunk), bold=bold, italic=italic))
                text_parts.append(chunk)
                pos += len(chunk)
        text = "".join(text_parts)
        if text != paragraph.text:
            return paragraph.text, []
        return text, spans
    except Exception:
        return paragraph.text, []


def _split_paragraph(text: str, spans: list[TextSpan]) -> list[tuple[str, list[TextSpan]]]:
    """Split at soft breaks, strip each line, and re-base spans onto it."""
    out: list[tuple[str, list[TextSpan]]] = []
    offset = 0
    for raw in normalize_newlines(text).split("\n"):
        lead = len(raw) - len(raw.lstrip())
        line = raw.strip()
        start, end = offset + lead, offset + lead + len(line)
        line_spans = []
        for span in spans:
            s, e = max(span.start, start), min(span.end, end)
            if s < e:
                line_spans.append(TextSpan(start=s - start, end=e - start, bold=span.bold, italic=span.italic))
        out.append((line, line_spans))
        offset += len(raw) + 1
    return out


def _whole_bold(line: str, spans: list[TextSpan]) -> bool:
    if not line.strip():
        return False
    covered = [False] * len(line)
    for span in spans:
        if span.bold:
            for i in range(span.start, min(span.end, len(line))):
                covered[i] = True
    return all(covered[i] or line[i].isspace() for i in range(len(line)))


def _emit_paragraph(paragraph, origin: Origin, out: _Out, *, with_hints: bool = True) -> None:  # noqa: ANN001
    text, spans = _pieces(paragraph, out.links)
    hint = _style_hint(paragraph) if with_hints else None
    for line, line_spans in _split_paragraph(text, spans):
        line_hint = hint
        if line_hint is None and _whole_bold(line, line_spans):
            line_hint = "bold"
        out.add(line, origin.model_copy(), line_hint, line_spans)
    # Text boxes (shapes) hold names and sidebars in many templates; python-docx skips them.
    try:
        seen: set[str] = set()
        for node in paragraph._p.xpath(".//w:txbxContent//w:p"):
            box_text = "".join(t.text or "" for t in node.xpath(".//w:t")).strip()
            if box_text and box_text not in seen:
                seen.add(box_text)
                out.add(box_text, Origin(part=origin.part), None, [])
    except Exception:
        pass


_LIST_MARKS = (",", ";", "|", "•", "·")


def _single_line(cell) -> tuple[str, list[TextSpan]] | None:  # noqa: ANN001
    """The cell's only non-empty line (text, spans), or None when it has several or a table."""
    if cell.tables:
        return None
    found: list[tuple[str, list[TextSpan]]] = []
    for paragraph in cell.paragraphs:
        text, spans = _pieces(paragraph, [])
        found.extend((line, line_spans) for line, line_spans in _split_paragraph(text, spans) if line)
        if len(found) > 1:
            return None
    return found[0] if found else None


def _label_row(row) -> tuple[str, list[TextSpan]] | None:  # noqa: ANN001
    """"Languages | Python, Go" as one "Languages: Python, Go" line.

    Two-column skill tables put a label in the left cell; read cell by cell, the label
    looks like a section heading. A row counts as label + value only when the left cell
    is a short word-only label and something marks it as one (a colon, bold against a
    plain value, a list in the value, or a known section word), so grids of plain values
    ("Python | Go") stay separate items.
    """
    from resume_tui.documents.contact import looks_like_name
    try:
        cells = list(dict.fromkeys(cell._tc for cell in row.cells))
        if len(cells) != 2:
            return None
        left_cell, right_cell = row.cells[0], row.cells[-1]
        left, right = _single_line(left_cell), _single_line(right_cell)
    except Exception:
        return None
    if left is None or right is None:
        return None
    (label, label_spans), (value, value_spans) = left, right
    bare = label.rstrip(":").strip()
    if (
        not bare
        or len(bare) > 30
        or len(bare.split()) > 4
        or not bare[0].isalpha()
        or any(ch.isdigit() for ch in bare)
        or any(mark in bare for mark in _LIST_MARKS)
        or len(value) > 300
        or looks_like_name(bare)
    ):
        return None
    marked = (
        label.endswith(":")
        or (_whole_bold(label, label_spans) and not _whole_bold(value, value_spans))
        or any(mark in value for mark in _LIST_MARKS)
        or section_kind_for_heading(bare) is not None
    )
    if not marked:
        return None
    head = f"{bare}: "
    spans = [s.model_copy(update={"end": min(s.end, len(bare))}) for s in label_spans if s.start < len(bare)]
    spans += [s.model_copy(update={"start": s.start + len(head), "end": s.end + len(head)}) for s in value_spans]
    return head + value, spans


def _section_label(line: str) -> bool:
    """A label that names a whole section ("Experience", "Skills"), as layout tables have."""
    bare = line.split(":", 1)[0]
    return section_kind_for_heading(bare) is not None and len(bare.split()) <= 3


def _label_rows(table) -> list[tuple[str, list[TextSpan]] | None]:  # noqa: ANN001
    """Label rows of a table. A lone row labelled with a section name ("Summary | <text>")
    is a layout table's section column, not a label; a table of several label rows
    ("Languages | …", "Tools | …") is a skills table."""
    rows = [_label_row(row) for row in table.rows]
    count = sum(1 for pair in rows if pair is not None)
    return [
        None if pair is not None and _section_label(pair[0]) and (count < 2 or pair[0].endswith(".")) else pair
        for pair in rows
    ]


def _emit_table(table, t_index: int | None, out: _Out, part: Part) -> None:  # noqa: ANN001
    seen_cells: set[object] = set()  # holds the elements, so their identity stays stable
    try:
        pairs = _label_rows(table)
    except Exception:
        pairs = [None] * len(table.rows)
    for r, row in enumerate(table.rows):
        pair = pairs[r] if r < len(pairs) else None
        if pair is not None:
            # The value cell is what an edit changes, so the line points at it.
            origin = Origin(table=(t_index, r, len(row.cells) - 1), part=part) if t_index is not None else Origin(part=part)
            out.add(pair[0], origin, None, pair[1])
            out.add("", origin.model_copy(), None, [])
            seen_cells.update(cell._tc for cell in row.cells)
            continue
        for c, cell in enumerate(row.cells):
            if cell._tc in seen_cells:  # merged cells repeat across the grid
                continue
            seen_cells.add(cell._tc)
            origin = Origin(table=(t_index, r, c), part=part) if t_index is not None else Origin(part=part)
            for paragraph in cell.paragraphs:
                _emit_paragraph(paragraph, origin, out)
            for nested in cell.tables:
                _emit_table(nested, None, out, part)
            out.add("", origin.model_copy(), None, [])


def _emit_part(part, out: _Out, name: Part, seen: set[str]) -> None:  # noqa: ANN001
    """A header or footer: paragraphs then tables, skipped when identical to one seen."""
    try:
        texts = [p.text for p in part.paragraphs] + [c.text for t in part.tables for row in t.rows for c in row.cells]
    except Exception:
        return
    key = "\n".join(texts).strip()
    if not key or key in seen:
        return
    seen.add(key)
    for index, paragraph in enumerate(part.paragraphs):
        _emit_paragraph(paragraph, Origin(paragraph=index, part=name), out)
    for t_index, table in enumerate(part.tables):
        _emit_table(table, t_index, out, name)
    out.add("", Origin(part=name), None, [])


def read_docx(data: bytes, name: str) -> ExtractedText:
    package = safe_package(data, name)  # sizes checked, media never inflated
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(package))
    except Exception as exc:
        raise InputError(f"{name} is a damaged Word document — open it in Word and save it again as .docx.") from exc
    check_body(document.element.body, name)
    out = _Out()
    warnings: list[str] = []
    try:
        seen: set[str] = set()
        for section in document.sections:
            for header in (section.first_page_header, section.header):
                if header is not None and not header.is_linked_to_previous:
                    _emit_part(header, out, "header", seen)
        p_index = 0
        t_index = 0
        body = document.element.body
        budget = CpuBudget(name)
        for child in body.iterchildren():
            budget.check()
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                _emit_paragraph(Paragraph(child, document._body), Origin(paragraph=p_index), out)
                p_index += 1
            elif tag == "tbl":
                _emit_table(Table(child, document._body), t_index, out, "body")
                t_index += 1
            elif tag == "sdt":  # content controls: text without a body paragraph index
                for node in child.xpath(".//w:p"):
                    _emit_paragraph(Paragraph(node, document._body), Origin(), out)
        seen_footers: set[str] = set()
        for section in document.sections:
            for footer in (section.first_page_footer, section.footer):
                if footer is not None and not footer.is_linked_to_previous:
                    _emit_part(footer, out, "footer", seen_footers)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{name} is a damaged Word document — open it in Word and save it again as .docx.") from exc
    text = "\n".join(out.lines)
    if not text.strip():
        raise InputError(f"{name} is empty (it has no text) — check that it is the right file.")
    for i, origin in enumerate(out.origins):
        origin.line = i + 1
    return ExtractedText(
        text=text,
        source_format=SourceFormat.DOCX,
        warnings=warnings,
        lines=out.origins,
        hints=out.hints,
        spans=out.spans,
        links=out.links,
    )
