"""A posting as lines: markup cleaned, front matter split off, headings and bullets told apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resume_tui.analysis.requirements.cues import _DESC, _kind_of

# --------------------------------------------------------------------------- line model

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]{1,300}>")
_EMPH = re.compile(r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|`)")
_ESCAPE = re.compile(r"\\([-*_#`>\[\]().!+|])")
_BULLET = re.compile(r"^\s*(?:[-*+•●·⋄▪◦‣○■□➢➤✓✔]|\d{1,2}[.)](?=\s))\s*")
_HEADING_MD = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+){2,}$")
_LABEL = re.compile(r"^([A-Za-zÀ-ÿ][\w &/'’-]{1,40}?)\s*:\s+(\S.*)$")


@dataclass
class _Line:
    text: str  # cleaned text, the quote source
    heading: bool = False
    level: int = 0  # markdown heading level (0 = inferred)
    bullet: bool = False


def _clean_inline(s: str) -> str:
    s = _MD_LINK.sub(r"\1", s)
    s = _HTML_TAG.sub(" ", s)
    s = _ESCAPE.sub(r"\1", s)
    s = _EMPH.sub("", s)
    s = s.replace("\u00a0", " ").replace("\t", " ")
    return " ".join(s.split())


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    lines = text.lstrip("\ufeff").splitlines()
    fence = lines[0].strip() if lines else ""
    if fence in ("---", "+++"):  # YAML, or TOML (Hugo) front matter
        closers = ("---", "...") if fence == "---" else ("+++",)
        for i in range(1, min(len(lines), 60)):
            if lines[i].strip() in closers:
                meta: dict[str, str] = {}
                for raw in lines[1:i]:
                    m = re.match(r"^([A-Za-z_][\w-]*)\s*[:=]\s*(.*)$", raw)
                    if m:
                        meta[m.group(1).lower()] = m.group(2).strip().strip("'\"")
                return meta, "\n".join(lines[i + 1 :])
    return {}, text


_HEADING_WORDS = re.compile(
    r"^(?:job (?:description|summary|skills|type|requirements|duties)|requirements?|qualifications?|responsibilities|"
    r"duties|skills|nice to have|preferred|bonus|benefits|perks|about (?:us|the \w+|you)|overview|summary|"
    r"education|experience|licen[cs]e|certifications?|location|compensation|salary|how to apply|"
    r"requisitos|responsabilidades|beneficios|funciones|aufgaben|anforderungen|profil|missions?|"
    r"what (?:you|we)\b.*|who (?:you|we) are|why .*|your (?:role|profile|skills)|the role|the opportunity)$",
    re.I,
)


def _titleish(text: str) -> bool:
    """Every longer word capitalised: how headings look in PDFs and plain text."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words)


_MAX_WRAP_WIDTH = 130  # columns: PDF text and e-mail wrap well below this


def _to_lines(body: str) -> list[_Line]:
    """Clean markdown/PDF text into logical lines; wrapped lines of one paragraph are joined."""
    out: list[_Line] = []
    prev_blank = True
    last_words = 0
    last_len = 0
    # a wrapped line fills the page width; a shorter one ended where its writer ended it. Lines
    # longer than any page (a paragraph per line) mean nothing was wrapped at all.
    width = max((len(raw.strip()) for raw in body.splitlines()), default=0)
    if width > _MAX_WRAP_WIDTH:
        width = 10**6
    for raw in body.splitlines():
        if not raw.strip() or re.fullmatch(r"\s*(?:[-=_*]{3,}|<img[^>]*>)\s*", raw):
            prev_blank = True
            continue
        m = _HEADING_MD.match(raw)
        if m:
            text = _clean_inline(m.group(2))
            if text:
                out.append(_Line(text, heading=True, level=len(m.group(1))))
            prev_blank = False
            continue
        stripped = raw.strip()
        unescaped = _ESCAPE.sub(r"\1", stripped)
        bullet_m = _BULLET.match(unescaped)
        is_bullet = bullet_m is not None and not re.match(r"^\*\*", unescaped)
        content = unescaped[bullet_m.end() :] if bullet_m is not None and is_bullet else unescaped
        bold_only = bool(re.fullmatch(r"(\*\*|__|_|\*)[^*_]{1,100}\1\s*:?\s*", content))
        text = _clean_inline(content)
        if not text:
            continue
        words = len(text.split())
        is_heading = False
        if not is_bullet:
            if bold_only and words <= 10:
                is_heading = True
            elif words <= 10 and text.endswith(":") and not _LABEL.match(text):
                is_heading = True
            elif words <= 14 and re.search(r"(?:\?|\.\.\.|…)$", text) and not re.search(r"[.!?]\s", text):
                is_heading = True
            elif words <= 5 and _HEADING_WORDS.match(text.rstrip(":")):
                is_heading = True
            elif words <= 6 and not re.search(r"[.!?,;]$", text) and _titleish(text) and _kind_of(text) != _DESC:
                is_heading = True  # "QUALIFICATIONS AND SKILLS", "Key Responsibilities"
        if is_heading:
            out.append(_Line(re.sub(r"^[_*\s]+|[_*\s]+$", "", text).rstrip(":").strip(), heading=True))
            prev_blank = False
            continue
        last = out[-1] if out else None
        joinable = last is not None and not last.heading and not is_bullet and not prev_blank
        if last is not None and joinable and not re.search(r"[.!?:;]$", last.text) and (
            (last_words >= 8 and last_len >= 0.8 * width) or re.search(r"[,(&/–-]$", last.text) or text[:1].islower()
        ):
            last.text = f"{last.text} {text}"
        else:
            out.append(_Line(text, bullet=is_bullet))
        last_words = words
        last_len = len(stripped)
        prev_blank = False
    return out
