"""Which bundled face stands in for a DOCX font, and how to make it set text the same width.

The PDF can only embed fonts it ships (DejaVu Sans and DejaVu Serif, Bitstream Vera
licence), so a Calibri or Times resume is drawn in the DejaVu face of the same class
(sans or serif) at the same point size. DejaVu is wide: set at Calibri's size it takes
about 24% more room per line, which alone turns a one-page resume into two. Each known
font therefore carries the ratio of its text width to DejaVu's, and the PDF scales the
glyphs horizontally (PDF `Tz`) by that ratio, so lines break where Word broke them; and
its single line height (Word's "single" spacing is the font's own ascent + descent), so
paragraphs are as tall.

Ratios were measured on the corpus resumes' text with fontTools, through the open fonts
made to the same metrics (Carlito = Calibri, Caladea = Cambria, Liberation = Arial, Times
New Roman, Courier New) or close designs (TeX Gyre Heros/Pagella/Bonum/Schola/Adventor,
EB Garamond); see benchmarks/pdf_look.py --fonts. Line heights are those fonts' ascender +
descender + line gap where they share the original's vertical metrics (Carlito, Liberation);
Cambria's is its own (1.172 em: Caladea is shorter), and the TeX Gyre/EB Garamond stand-ins
keep the 1.15–1.17 em of ordinary text faces rather than their own tall ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parents[2] / "data" / "fonts"

# family → (class, width ratio regular, width ratio bold, single line height in em)
_KNOWN: dict[str, tuple[str, float, float, float]] = {
    "calibri": ("sans", 0.807, 0.731, 1.221),
    "carlito": ("sans", 0.807, 0.731, 1.221),
    "cambria": ("serif", 0.796, 0.789, 1.172),
    "caladea": ("serif", 0.796, 0.789, 1.172),
    "arial": ("sans", 0.886, 0.841, 1.150),
    "liberation sans": ("sans", 0.886, 0.841, 1.150),
    "helvetica": ("sans", 0.885, 0.841, 1.150),
    "helvetica neue": ("sans", 0.885, 0.841, 1.150),
    "arial narrow": ("sans", 0.726, 0.689, 1.150),
    "times new roman": ("serif", 0.796, 0.764, 1.150),
    "times": ("serif", 0.796, 0.764, 1.150),
    "liberation serif": ("serif", 0.796, 0.764, 1.150),
    "courier new": ("sans", 1.169, 1.036, 1.133),
    "courier": ("sans", 1.169, 1.036, 1.133),
    "palatino": ("serif", 0.870, 0.814, 1.170),
    "palatino linotype": ("serif", 0.870, 0.814, 1.170),
    "book antiqua": ("serif", 0.870, 0.814, 1.170),
    "bookman old style": ("serif", 0.961, 0.927, 1.170),
    "century schoolbook": ("serif", 0.912, 0.921, 1.170),
    "century gothic": ("sans", 0.954, 0.850, 1.170),
    "garamond": ("serif", 0.748, 0.699, 1.120),
    "eb garamond": ("serif", 0.748, 0.699, 1.120),
    "dejavu sans": ("sans", 1.0, 1.0, 1.164),
    "dejavu serif": ("serif", 1.0, 1.0, 1.164),
}
_SERIF_WORDS = ("times", "cambria", "georgia", "garamond", "book", "palatino", "antiqua", "baskerville", "bodoni",
                "caslon", "century", "constantia", "didot", "minion", "merriweather", "charter", "serif", "roman",
                "goudy", "perpetua", "sabon", "lora", "playfair", "cochin", "hoefler", "rockwell", "cambo", "crimson")
# Fonts not measured: the middle of the measured ones of their class.
_DEFAULT = {"sans": (0.86, 0.80, 1.17), "serif": (0.80, 0.77, 1.17)}

FACES = {
    "sans": {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf", "BI": "DejaVuSans-BoldOblique.ttf"},
    "serif": {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf", "BI": "DejaVuSerif-BoldItalic.ttf"},
}
FACE_NAMES = {"sans": "DejaVu Sans", "serif": "DejaVu Serif"}


@dataclass(frozen=True)
class Face:
    source: str  # the DOCX font name as written
    face: str  # "sans" | "serif": the bundled DejaVu face drawn
    width: float  # horizontal scale, regular
    width_bold: float
    line_em: float  # the source font's single line height, in em
    measured: bool


_WEIGHT = re.compile(r"\s+(bold|semibold|light|medium|black|italic|regular)\b.*$", re.I)


def weight_in_name(family: str) -> bool:
    """"Cambria Bold": a family name that is itself the bold weight."""
    return bool(re.search(r"\b(bold|black|heavy|semibold)\b", family, re.I))


def face_for(family: str) -> Face:
    name = " ".join(family.split()).strip()
    key = _WEIGHT.sub("", name).casefold()
    known = _KNOWN.get(key)
    if known is not None:
        return Face(name, known[0], known[1], known[2], known[3], True)
    face = "serif" if any(word in key for word in _SERIF_WORDS) else "sans"
    width, bold, line = _DEFAULT[face]
    return Face(name, face, width, bold, line, False)


def font_files() -> dict[str, dict[str, str]]:
    """face → style → file path of the bundled fonts."""
    return {face: {style: str(FONT_DIR / file) for style, file in styles.items()} for face, styles in FACES.items()}


def stand_in_note(families: list[str]) -> str | None:
    """One sentence naming which bundled face drew which of the document's fonts."""
    pairs: dict[str, list[str]] = {}
    for family in families:
        face = face_for(family)
        if face.source.casefold().startswith("dejavu"):
            continue
        name = _WEIGHT.sub("", face.source) or face.source  # "Cambria Bold" is Cambria
        label = name if face.measured else f"{name} (width estimated)"
        pairs.setdefault(FACE_NAMES[face.face], [])
        if label not in pairs[FACE_NAMES[face.face]]:
            pairs[FACE_NAMES[face.face]].append(label)
    if not pairs:
        return None
    parts = [f"{drawn} for {', '.join(sources)}" for drawn, sources in pairs.items()]
    return (
        "The PDF follows your DOCX's page, margins, font sizes and spacing; resume-tui cannot embed your DOCX's fonts, so it draws "
        + "; ".join(parts)
        + ", narrowed to the same text width."
    )
