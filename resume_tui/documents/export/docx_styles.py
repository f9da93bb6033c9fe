"""Word's formatting cascade, resolved: what a paragraph and its runs really look like.

A DOCX states formatting in layers — document defaults, the paragraph style and the styles
it is based on, list numbering, the run's character style, and finally the paragraph's
and run's own properties — and the last layer that says something wins. The PDF export
needs the *result* (Calibri 11 pt, 6 pt after, a hanging bullet indent…) to draw a
tailored resume the way the user's document looks, so this module folds the layers,
reading the raw XML with lxml: python-docx resolves only the direct properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.oxml.ns import qn
from lxml import etree

_FALSE = {"0", "false", "off", "none"}
TWIP_PT = 1 / 20  # Word measures indents and spacing in twentieths of a point


@dataclass
class Props:
    """The formatting one layer states; None where the layer is silent."""

    family: str | None = None
    size: float | None = None  # points
    bold: bool | None = None
    italic: bool | None = None
    color: tuple[int, int, int] | None = None
    scale: float | None = None  # the run's horizontal scale (w:w), 1.0 = as designed
    before: float | None = None  # points
    after: float | None = None
    line: float | None = None  # a multiple of single spacing when line_rule is "auto", else points
    line_rule: str | None = None  # "auto" | "exact" | "atLeast"
    left: float | None = None  # points
    right: float | None = None
    first: float | None = None  # first-line offset in points; negative for a hanging indent
    align: str | None = None  # "L" | "C" | "R" | "J"
    contextual: bool | None = None  # no space between paragraphs of the same style
    border_below: bool | None = None
    num: tuple[str, int] | None = None  # (numId, level) of a list paragraph
    tabs: dict[float, str] | None = None  # tab stop position in points → "left"/"right"/"center"/"clear"
    mark: str | None = None  # a list level's mark as the PDF draws it ("" for numFmt "none" or an empty lvlText)

    def _values(self) -> list[object]:
        return [getattr(self, name) for name in self.__dataclass_fields__]

    def over(self, below: Props) -> Props:
        """This layer on top of `below`: every field this one states wins; tab stops add up
        (a style's stops stay unless this layer clears them)."""
        merged = Props(*(mine if mine is not None else theirs  # type: ignore[arg-type]
                         for mine, theirs in zip(self._values(), below._values(), strict=True)))
        if self.tabs is not None and below.tabs:
            merged.tabs = {**below.tabs, **self.tabs}
        return merged


def _val(el: etree._Element | None, attr: str = "val") -> str | None:
    if el is None:
        return None
    return el.get(qn(f"w:{attr}"))


def _on(el: etree._Element | None) -> bool | None:
    if el is None:
        return None
    value = _val(el)
    return value is None or value.lower() not in _FALSE


def _twips(value: str | None) -> float | None:
    try:
        return float(value) * TWIP_PT if value is not None else None
    except ValueError:
        return None


def _color(el: etree._Element | None) -> tuple[int, int, int] | None:
    value = _val(el)
    if not value or len(value) != 6:
        return None
    try:
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    except ValueError:
        return None


# Word's bullet characters (Symbol/Wingdings code points, Courier's "o") → what DejaVu draws and
# verification reads as a bullet; anything else, numbers included, is drawn as "•".
_MARKS = {"o": "◦", "\uf0a7": "▪", "\uf0a8": "▪", "§": "▪", "\uf06f": "◦", "▪": "▪", "◦": "◦", "■": "■", "○": "○"}

_ALIGN = {"center": "C", "right": "R", "end": "R", "both": "J", "distribute": "J", "left": "L", "start": "L"}


class StyleSheet:
    """styles.xml, the theme's fonts and numbering.xml of one document, folded on demand."""

    def __init__(self, styles: etree._Element | None, theme: bytes | None, numbering: etree._Element | None) -> None:
        self._styles: dict[str, etree._Element] = {}
        self.default_para: str | None = None
        self.default_char: str | None = None
        self._theme = _theme_fonts(theme)
        self.defaults = Props()
        if styles is not None:
            for style in styles.iter(qn("w:style")):
                sid = style.get(qn("w:styleId"))
                if sid:
                    self._styles[sid] = style
                if style.get(qn("w:default")) in ("1", "true"):
                    kind = style.get(qn("w:type"))
                    if kind == "paragraph":
                        self.default_para = sid
                    elif kind == "character":
                        self.default_char = sid
            defaults = styles.find(qn("w:docDefaults"))
            if defaults is not None:
                rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
                ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
                self.defaults = self.run_props(rpr).over(self.para_props(ppr))
        self._numbering = _numbering(numbering)
        self._memo: dict[tuple[str, str | None], Props] = {}

    def style_name(self, sid: str | None) -> str:
        style = self._styles.get(sid or "")
        name = style.find(qn("w:name")) if style is not None else None
        return (_val(name) or sid or "").strip()

    def style_chain(self, sid: str | None, kind: str) -> Props:
        """The folded properties of a style and everything it is based on (root first)."""
        key = (kind, sid)
        if key in self._memo:
            return self._memo[key]
        chain: list[etree._Element] = []
        seen: set[str] = set()
        current = sid
        while current and current not in seen and current in self._styles and len(chain) < 20:
            seen.add(current)
            style = self._styles[current]
            chain.append(style)
            current = _val(style.find(qn("w:basedOn")))
        props = Props()
        for style in reversed(chain):
            layer = self.para_props(style.find(qn("w:pPr"))) if kind == "p" else Props()
            layer = self.run_props(style.find(qn("w:rPr"))).over(layer)
            props = layer.over(props)
        self._memo[key] = props
        return props

    def para_props(self, ppr: etree._Element | None) -> Props:
        props = Props()
        if ppr is None:
            return props
        spacing = ppr.find(qn("w:spacing"))
        if spacing is not None:
            props.before = 14.0 if _on_attr(spacing, "beforeAutospacing") else _twips(_val(spacing, "before"))
            props.after = 14.0 if _on_attr(spacing, "afterAutospacing") else _twips(_val(spacing, "after"))
            line = _val(spacing, "line")
            if line is not None:
                rule = _val(spacing, "lineRule") or "auto"
                try:
                    props.line = float(line) / 240 if rule == "auto" else float(line) * TWIP_PT
                    props.line_rule = rule
                except ValueError:
                    pass
        ind = ppr.find(qn("w:ind"))
        if ind is not None:
            props.left = _twips(_val(ind, "left") or _val(ind, "start"))
            props.right = _twips(_val(ind, "right") or _val(ind, "end"))
            hanging, first = _twips(_val(ind, "hanging")), _twips(_val(ind, "firstLine"))
            props.first = -hanging if hanging is not None else first
        jc = _val(ppr.find(qn("w:jc")))
        if jc:
            props.align = _ALIGN.get(jc, "L")
        props.contextual = _on(ppr.find(qn("w:contextualSpacing")))
        border = ppr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
        if border is not None:
            props.border_below = (_val(border) or "nil") not in ("nil", "none")
        tabs = ppr.find(qn("w:tabs"))
        if tabs is not None:
            props.tabs = {}
            for tab in tabs.iter(qn("w:tab")):
                position = _twips(_val(tab, "pos"))
                if position is not None:
                    props.tabs[position] = (_val(tab) or "left").replace("start", "left").replace("end", "right")
        num = ppr.find(qn("w:numPr"))
        if num is not None:
            num_id = _val(num.find(qn("w:numId")))
            try:
                level = int(_val(num.find(qn("w:ilvl"))) or 0)
            except ValueError:
                level = 0
            if num_id is not None:
                props.num = (num_id, level)
        return props

    def run_props(self, rpr: etree._Element | None) -> Props:
        props = Props()
        if rpr is None:
            return props
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            theme = _val(fonts, "asciiTheme") or _val(fonts, "hAnsiTheme")
            props.family = _val(fonts, "ascii") or _val(fonts, "hAnsi") or (self._theme_font(theme) if theme else None)
        size = _val(rpr.find(qn("w:sz")))
        if size is not None:
            try:
                props.size = float(size) / 2
            except ValueError:
                pass
        props.bold = _on(rpr.find(qn("w:b")))
        props.italic = _on(rpr.find(qn("w:i")))
        props.color = _color(rpr.find(qn("w:color")))
        width = _val(rpr.find(qn("w:w")))
        if width is not None:
            try:
                props.scale = min(max(float(width.rstrip("%")) / 100, 0.3), 3.0)
            except ValueError:
                pass
        return props

    def numbering_props(self, num: tuple[str, int] | None) -> Props:
        """The indent a list level gives its paragraphs (numbering.xml), when it is a real list."""
        if num is None or num[0] == "0":
            return Props()
        return self._numbering.get(num, Props())

    def _theme_font(self, theme: str) -> str | None:
        return self._theme.get("major" if theme.startswith("major") else "minor")

    def numbering_ppr(self, level: etree._Element) -> Props:
        return self.para_props(level.find(qn("w:pPr")))


def _on_attr(el: etree._Element, attr: str) -> bool:
    value = _val(el, attr)
    return value is not None and value.lower() not in _FALSE


def _theme_fonts(theme: bytes | None) -> dict[str, str]:
    """{"major": "Calibri Light", "minor": "Calibri"} from the theme part."""
    if not theme:
        return {}
    try:
        root = etree.fromstring(theme, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return {}
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    out: dict[str, str] = {}
    for key in ("major", "minor"):
        latin = root.find(f".//{ns}{key}Font/{ns}latin")
        if latin is not None and latin.get("typeface"):
            out[key] = latin.get("typeface", "")
    return out


@dataclass
class _Numbering:
    by_level: dict[tuple[str, int], Props] = field(default_factory=dict)

    def get(self, key: tuple[str, int], default: Props) -> Props:
        return self.by_level.get(key, default)


def _numbering(root: etree._Element | None) -> _Numbering:
    """(numId, level) → the indent of that list level, through its abstract definition."""
    out = _Numbering()
    if root is None:
        return out
    sheet = StyleSheet(None, None, None)
    abstract: dict[str, dict[int, Props]] = {}
    for definition in root.iter(qn("w:abstractNum")):
        levels: dict[int, Props] = {}
        for level in definition.iter(qn("w:lvl")):
            try:
                index = int(_val(level, "ilvl") or 0)
            except ValueError:
                continue
            props = sheet.numbering_ppr(level)
            fmt, text = _val(level.find(qn("w:numFmt"))), _val(level.find(qn("w:lvlText")))
            props.mark = "" if fmt == "none" or (text is not None and not text.strip()) else _MARKS.get(text or "", "•")
            levels[index] = props
        abstract[_val(definition, "abstractNumId") or ""] = levels
    for num in root.iter(qn("w:num")):
        num_id = _val(num, "numId")
        levels = abstract.get(_val(num.find(qn("w:abstractNumId"))) or "", {})
        if num_id is None:
            continue
        for index, props in levels.items():
            out.by_level[(num_id, index)] = props
    return out
