"""Edit the text of one WordprocessingML paragraph without disturbing its runs.

A paragraph's visible text is spread over runs (`w:r`), each with its own formatting.
We map every character to the run that holds it, diff old and new text word by word, and
splice only the differing stretches: a surviving bold word stays bold, replaced text
takes the formatting of the first run it replaces, inserted text that of the run before it.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

W_P, W_R, W_T = qn("w:p"), qn("w:r"), qn("w:t")
_FIXED = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
# Containers whose text is not the paragraph's own (text boxes, drawings, properties).
_SKIP = {
    qn("w:pPr"), qn("w:rPr"), qn("w:txbxContent"), qn("w:drawing"), qn("w:pict"), qn("w:object"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass
class Segment:
    element: etree._Element  # a w:t (editable) or a fixed element (w:tab, w:br…)
    start: int
    end: int
    editable: bool

    @property
    def run(self) -> etree._Element | None:
        parent = self.element.getparent()
        return parent if parent is not None and parent.tag == W_R else None


def segments(p: etree._Element) -> list[Segment]:
    out: list[Segment] = []
    pos = 0

    def walk(el: etree._Element) -> None:
        nonlocal pos
        for child in el:
            if not isinstance(child.tag, str) or child.tag in _SKIP:
                continue
            if child.tag == W_T:
                text = child.text or ""
                out.append(Segment(child, pos, pos + len(text), True))
                pos += len(text)
            elif child.tag in _FIXED and el.tag == W_R:
                if child.tag == qn("w:br") and child.get(qn("w:type")) in ("page", "column"):
                    continue
                out.append(Segment(child, pos, pos + 1, False))
                pos += 1
            elif child.tag != W_P:
                walk(child)

    walk(p)
    return out


def text_of(p: etree._Element) -> str:
    parts = []
    for seg in segments(p):
        parts.append((seg.element.text or "") if seg.editable else _FIXED[seg.element.tag])
    return "".join(parts)


def _set_text(t: etree._Element, text: str) -> None:
    t.text = text
    if text != text.strip() or "  " in text:
        t.set(_XML_SPACE, "preserve")


def _drop_if_empty(t: etree._Element) -> None:
    """Remove an emptied w:t, and its run when nothing else (no tab, field, drawing) remains."""
    run = t.getparent()
    if run is None:
        return
    run.remove(t)
    if run.tag == W_R and all(child.tag == qn("w:rPr") for child in run):
        parent = run.getparent()
        if parent is not None:
            parent.remove(run)


def _new_run_after(anchor: etree._Element | None, p: etree._Element, text: str) -> None:
    """A fresh run (copying the anchor run's formatting) for text where the paragraph has none."""
    run = etree.SubElement(p, W_R) if anchor is None else etree.Element(W_R)
    if anchor is not None:
        rpr = anchor.find(qn("w:rPr"))
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        anchor.addnext(run)
    t = etree.SubElement(run, W_T)
    _set_text(t, text)


def replace_range(p: etree._Element, x: int, y: int, new: str) -> None:
    """Replace characters [x, y) of the paragraph's text with `new`, keeping run formatting."""
    segs = segments(p)
    if x == y:
        if not new:
            return
        before = next((s for s in segs if s.editable and s.start < x <= s.end), None)
        target = before or next((s for s in segs if s.editable and s.start >= x), None)
        if target is None:
            runs = [s.run for s in segs if s.run is not None and s.end <= x]
            _new_run_after(runs[-1] if runs else None, p, new)
            return
        text = target.element.text or ""
        offset = min(max(x - target.start, 0), len(text))
        _set_text(target.element, text[:offset] + new + text[offset:])
        return
    overlapping = [s for s in segs if s.start < y and s.end > x]
    placed = False
    for seg in overlapping:
        lo, hi = max(x, seg.start) - seg.start, min(y, seg.end) - seg.start
        if seg.editable:
            text = seg.element.text or ""
            fill = new if not placed else ""
            placed = placed or bool(new)
            remaining = text[:lo] + fill + text[hi:]
            if remaining:
                _set_text(seg.element, remaining)
            else:
                _drop_if_empty(seg.element)
        else:
            parent = seg.element.getparent()
            if parent is not None:
                parent.remove(seg.element)
    if new and not placed:
        replace_range(p, x, x, new)


def _tokens_with_offsets(text: str) -> tuple[list[str], list[int]]:
    tokens = _TOKEN.findall(text)
    offsets, pos = [], 0
    for tok in tokens:
        offsets.append(pos)
        pos += len(tok)
    offsets.append(pos)
    return tokens, offsets


def edit_text(p: etree._Element, start: int, end: int, new: str) -> None:
    """Turn paragraph text [start, end) into `new`, touching only the words that differ."""
    old = text_of(p)[start:end]
    if old == new:
        return
    a_tok, a_off = _tokens_with_offsets(old)
    b_tok, b_off = _tokens_with_offsets(new)
    ops = difflib.SequenceMatcher(None, a_tok, b_tok, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(ops):
        if tag == "equal":
            continue
        replace_range(p, start + a_off[i1], start + a_off[i2], new[b_off[j1] : b_off[j2]])


def find_span(haystack: str, needle: str) -> tuple[int, int] | None:
    """Where `needle` occurs in `haystack`, ignoring differences in whitespace."""
    needle = " ".join(needle.split())
    if not needle:
        return None
    exact = haystack.find(needle)
    if exact >= 0:
        return exact, exact + len(needle)
    collapsed, index = [], []
    previous_space = False
    for i, ch in enumerate(haystack):
        if ch.isspace():
            if previous_space:
                continue
            collapsed.append(" ")
            previous_space = True
        else:
            collapsed.append(ch)
            previous_space = False
        index.append(i)
    flat = "".join(collapsed)
    for candidate in (needle, needle.casefold()):
        source = flat if candidate is needle else flat.casefold()
        at = source.find(candidate)
        if at >= 0 and len(source) == len(flat):
            return index[at], index[at + len(candidate) - 1] + 1
    return None


def content_span(text: str) -> tuple[int, int]:
    """The paragraph's text minus a typed bullet glyph and surrounding spaces."""
    start = 0
    while start < len(text) and (text[start].isspace() or text[start] in "•◦▪▫●○■□–-*·‣⁃➢➤►✓✔"):
        start += 1
    end = len(text)
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def set_plain_text(p: etree._Element, text: str) -> None:
    """Give a (cloned) paragraph new text in one run carrying its dominant run formatting."""
    runs = [s for s in segments(p) if s.editable and s.run is not None]
    dominant = max(runs, key=lambda s: s.end - s.start).run if runs else None
    rpr = copy.deepcopy(dominant.find(qn("w:rPr"))) if dominant is not None and dominant.find(qn("w:rPr")) is not None else None
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    run = etree.SubElement(p, W_R)
    if rpr is not None:
        run.append(rpr)
    t = etree.SubElement(run, W_T)
    _set_text(t, text)
