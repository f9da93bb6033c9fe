"""Split extracted lines into a header block, sections and items.

Headings are recognised from what the format knows (DOCX heading styles, Markdown #,
whole-line bold) and from what text shows (ALL CAPS, a trailing colon, a standalone
known section name). Known names in many phrasings map to a SectionKind; unknown
headings are kept as OTHER sections with their title. Every non-empty line outside the
header ends up in exactly one item, so nothing a user wrote is silently dropped.
All patterns are linear and only run on lines of bounded length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from resume_tui.documents.contact import EMAIL, URL, extract_contact, is_contact_line, looks_like_name
from resume_tui.documents.readers.cleanup import collapse_repeats, join_letter_spaced, strip_icon_junk
from resume_tui.documents.readers.running import is_page_number, paged_running_lines, repeated_header_blocks
from resume_tui.models import Contact, Item, ItemKind, Origin, Section, SectionKind, SourceFormat, TextSpan

MAX_HEADING = 60  # characters; longer lines are never headings
MAX_PATTERN_LINE = 300  # lines longer than this skip role/heading/contact checks

# ------------------------------------------------------------------ section names

_KIND_STEMS: list[tuple[str, SectionKind]] = [
    ("summary", SectionKind.SUMMARY),
    ("profile", SectionKind.SUMMARY),
    ("objective", SectionKind.SUMMARY),
    ("about", SectionKind.SUMMARY),
    ("overview", SectionKind.SUMMARY),
    ("introduction", SectionKind.SUMMARY),
    ("bio", SectionKind.SUMMARY),
    ("statement", SectionKind.SUMMARY),
    ("experience", SectionKind.EXPERIENCE),
    ("employment", SectionKind.EXPERIENCE),
    ("work", SectionKind.EXPERIENCE),
    ("career", SectionKind.EXPERIENCE),
    ("positions", SectionKind.EXPERIENCE),
    ("internship", SectionKind.EXPERIENCE),
    ("appointments", SectionKind.EXPERIENCE),
    ("skill", SectionKind.SKILLS),
    ("competenc", SectionKind.SKILLS),
    ("expertise", SectionKind.SKILLS),
    ("technolog", SectionKind.SKILLS),
    ("tools", SectionKind.SKILLS),
    ("toolkit", SectionKind.SKILLS),
    ("stack", SectionKind.SKILLS),
    ("highlights", SectionKind.SKILLS),
    ("strengths", SectionKind.SKILLS),
    ("proficienc", SectionKind.SKILLS),
    ("abilities", SectionKind.SKILLS),
    ("programming", SectionKind.SKILLS),
    ("coursework", SectionKind.EDUCATION),
    ("education", SectionKind.EDUCATION),
    ("academic", SectionKind.EDUCATION),
    ("degree", SectionKind.EDUCATION),
    ("studies", SectionKind.EDUCATION),
    ("schooling", SectionKind.EDUCATION),
    ("project", SectionKind.PROJECTS),
    ("portfolio", SectionKind.PROJECTS),
    ("certif", SectionKind.CERTIFICATIONS),
    ("licen", SectionKind.CERTIFICATIONS),
    ("credential", SectionKind.CERTIFICATIONS),
    ("accreditation", SectionKind.CERTIFICATIONS),
    ("training", SectionKind.CERTIFICATIONS),
    ("courses", SectionKind.CERTIFICATIONS),
    ("publication", SectionKind.PUBLICATIONS),
    ("papers", SectionKind.PUBLICATIONS),
    ("presentations", SectionKind.PUBLICATIONS),
    ("patents", SectionKind.PUBLICATIONS),
    ("talks", SectionKind.PUBLICATIONS),
    ("volunteer", SectionKind.VOLUNTEERING),
    ("community", SectionKind.VOLUNTEERING),
    ("extracurricular", SectionKind.VOLUNTEERING),
    ("award", SectionKind.AWARDS),
    ("honor", SectionKind.AWARDS),
    ("honour", SectionKind.AWARDS),
    ("recognition", SectionKind.AWARDS),
    ("achievement", SectionKind.AWARDS),
    ("accomplishment", SectionKind.AWARDS),
    ("scholarship", SectionKind.AWARDS),
    ("distinction", SectionKind.AWARDS),
    ("language", SectionKind.LANGUAGES),
    ("interest", SectionKind.INTERESTS),
    ("hobbies", SectionKind.INTERESTS),
    ("hobby", SectionKind.INTERESTS),
]
# Stems that only decide when nothing more specific occurs ("Career Objective" is a summary).
_WEAK_STEMS = frozenset({"career", "work", "highlights"})
# Recognised headings that have no kind of their own (kept as OTHER with their title);
# matched only when no stem above occurs ("Research Experience" is experience).
_OTHER_WORDS = frozenset(
    "references referees memberships membership affiliations associations contact contacts "
    "personal information details additional leadership activities qualifications research "
    "teaching miscellaneous other".split()
)
_FILLER = frozenset(
    "and of my key professional relevant technical core other selected additional work personal "
    "general recent related select areas area the in a for summary history details".split()
)
_HEADING_WORDS = re.compile(r"[^\W\d_]+")


def section_kind_for_heading(text: str) -> SectionKind | None:
    """SectionKind for a heading's text ("Work History:" → EXPERIENCE), OTHER for known
    kind-less headings ("References"), None when it is not a section name."""
    if len(text) > MAX_HEADING:
        return None
    words = [w.lower() for w in _HEADING_WORDS.findall(text.replace("&", " and "))]
    if len(words) >= 2 and _is_caps(text) and sum(len(w) <= 2 for w in words) * 2 >= len(words):
        # Letter-spaced small caps ("R ESEARCH E XPERIENCE"): match stems inside the glued text.
        glued = "".join(words)
        if len(glued) <= 40:
            found = [(glued.find(stem), kind) for stem, kind in _KIND_STEMS if len(stem) >= 5 and stem in glued]
            if found:
                return min(found, key=lambda pair: pair[0])[1]
        return None
    if not 1 <= len(words) <= 6:
        return None
    weak: SectionKind | None = None
    found: list[SectionKind] = []
    for word in words:
        for stem, kind in _KIND_STEMS:
            if word.startswith(stem) and (len(stem) >= 5 or word in (stem, stem + "s")):
                if stem in _WEAK_STEMS:
                    weak = weak or kind
                else:
                    found.append(kind)
                break
    if found:
        # The first named kind wins, except that "Summary of Skills" is about skills and
        # "Languages & Tools" lists programming languages.
        if found[0] == SectionKind.SUMMARY and len(set(found)) > 1:
            return next(k for k in found if k != SectionKind.SUMMARY)
        if found[0] == SectionKind.LANGUAGES and SectionKind.SKILLS in found:
            return SectionKind.SKILLS
        return found[0]
    if weak is not None:
        return weak
    if all(w in _OTHER_WORDS or w in _FILLER for w in words) and any(w in _OTHER_WORDS for w in words):
        return SectionKind.OTHER
    return None


def _heading_words_only(text: str) -> bool:
    """True when every word is a section word or a filler ("Professional Experience")."""
    words = [w.lower() for w in _HEADING_WORDS.findall(text.replace("&", " and "))]
    if not words:
        return False
    for word in words:
        if word in _FILLER or word in _OTHER_WORDS:
            continue
        if any(word.startswith(stem) and (len(stem) >= 5 or word in (stem, stem + "s")) for stem, _ in _KIND_STEMS):
            continue
        return False
    return True


# ------------------------------------------------------------------ dates and roles

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_SEASON = r"(?:spring|summer|fall|autumn|winter)"
_YEAR = r"(?:19|20)\d{2}"
_DATE = rf"(?:(?:{_MONTH}|{_SEASON}),?[ \t]{{1,3}}{_YEAR}|\d{{1,2}}[/.-]{_YEAR}|{_YEAR}[/.-]\d{{1,2}}|{_YEAR})"
_OPEN_END = r"(?:present|current|now|today|ongoing|pres\b\.?)"
DATE_RANGE = re.compile(
    rf"\b{_DATE}[ \t]{{0,3}}(?:-|–|—|to|until|through|~)[ \t]{{0,3}}(?:{_DATE}|{_OPEN_END})", re.IGNORECASE
)
DATE = re.compile(rf"\b{_DATE}\b|\b{_OPEN_END}", re.IGNORECASE)

# ------------------------------------------------------------------ line markup

# Bullet glyphs, including the Symbol/Wingdings private-use code points Word PDFs carry.
_GLYPHS = "•·▪‣◦●○■□►▸▶➢➤✓✔❖⋄◆♦◊∙→»❑◼\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf0e0"
_BULLET = re.compile(rf"^[ \t]*(?:[{_GLYPHS}–—*+-]|\d{{1,3}}[.)]|\(\d{{1,3}}\))[ \t]+(?=\S)")
_BULLET_ONLY = re.compile(rf"^[ \t]*[{_GLYPHS}][ \t]*$")
_RULE = re.compile(r"^[ \t]*([-=_*~#.·•])(?:[ \t]*\1){2,}[ \t]*$")
_INLINE_GLYPHS = "•⋄▪●◆♦■❖➢➤►\uf0b7\uf0a7"
_MD_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_MD_LINK = re.compile(r"!?\[([^\]\n]{0,300})\]\(([^)\s]{0,500})\)")
_MD_EMPHASIS = re.compile(
    r"(\*\*|__)(?=\S)(.{1,500}?)(?<=\S)\1|(?<![\w*])\*(?=[^\s*])([^*\n]{1,300}?)(?<=\S)\*(?![\w*])"
)
_INLINE_HEADING = re.compile(r"^([A-Z][A-Z &/-]{2,40}):[ \t]+(\S.*)$")
_CONNECTORS = frozenset("and or of the to in for with on at by a an as from including via &".split())


@dataclass
class Line:
    text: str
    origin: Origin
    hint: str | None = None  # "h1".."h6", "bold", "bullet"
    spans: list[TextSpan] = field(default_factory=list)
    bullet: str | None = None  # the marker ("•", "1.", "docx") when the line is a list item
    indent: int = 0

    @property
    def blank(self) -> bool:
        return not self.text

    @property
    def level(self) -> int | None:
        return int(self.hint[1]) if self.hint and self.hint[0] == "h" else None


def _shift_spans(spans: list[TextSpan], cut: int, length: int) -> list[TextSpan]:
    out = []
    for span in spans:
        start, end = max(span.start - cut, 0), min(span.end - cut, length)
        if start < end:
            out.append(span.model_copy(update={"start": start, "end": end}))
    return out


def _markdown_inline(text: str) -> tuple[str, list[TextSpan], list[str]]:
    """Strip inline Markdown (links, **bold**, *italic*, escapes), returning spans and URLs."""
    if len(text) > 5_000:  # bounded work per line; such a line is not Markdown markup anyway
        return text, [], []
    urls: list[str] = []

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1).strip(), match.group(2)
        if url:
            urls.append(url)
        if not url or label == url:
            return label or url
        return f"{label} ({url})" if label else url

    # Escaped characters hide behind private-use placeholders so they are not markup.
    text = _MD_ESCAPE.sub(lambda m: chr(0xF0000 + ord(m.group(1))), text)
    text = _MD_LINK.sub(link, text)
    spans: list[TextSpan] = []
    out: list[str] = []
    length = 0
    pos = 0
    for match in _MD_EMPHASIS.finditer(text):
        before = text[pos : match.start()]
        out.append(before)
        length += len(before)
        bold = match.group(2) is not None
        inner = match.group(2) if bold else match.group(3)
        spans.append(TextSpan(start=length, end=length + len(inner), bold=bold, italic=not bold))
        out.append(inner)
        length += len(inner)
        pos = match.end()
    out.append(text[pos:])
    text = "".join(out)
    text = "".join(chr(ord(ch) - 0xF0000) if ord(ch) >= 0xF0000 else ch for ch in text)
    return text, spans, urls


def prepare_lines(
    raw_lines: list[str],
    origins: list[Origin],
    hints: list[str | None],
    spans: list[list[TextSpan]],
    source_format: SourceFormat,
    repairs: list[str] | None = None,
) -> tuple[list[Line], list[str]]:
    """Turn raw lines into `Line`s: markup stripped, bullets and heading hints recorded.

    Extraction artefacts are repaired on the way (icon glyphs before contact details,
    letter-spaced names, doubled text); what changed is described in `repairs`.
    """
    markdown = source_format == SourceFormat.MARKDOWN
    doubled: list[str] = []
    spaced: list[str] = []
    icons: list[str] = []
    lines: list[Line] = []
    urls: list[str] = []
    pending_bullet: str | None = None
    for raw, origin, hint, line_spans in zip(raw_lines, origins, hints, spans):
        text = raw.rstrip()
        indent = len(text) - len(text.lstrip(" \t"))
        text = text.strip()
        line_spans = list(line_spans)
        if not text:
            lines.append(Line("", origin))
            continue
        if len(text) <= MAX_PATTERN_LINE and _RULE.match(text):
            # "-----" / "=====" under a short line underlines a heading; otherwise a separator.
            if lines and not lines[-1].blank and lines[-1].hint is None and len(lines[-1].text) <= MAX_HEADING:
                lines[-1].hint = "h1" if "=" in text else "h2"
            lines.append(Line("", origin))
            continue
        if len(text) <= MAX_PATTERN_LINE and _BULLET_ONLY.match(text):
            pending_bullet = text.strip()
            lines.append(Line("", origin))
            continue
        bullet: str | None = None
        if markdown and len(text) <= 5_000:
            heading = _MD_HEADING.match(text)
            if heading:
                hint = f"h{len(heading.group(1))}"
                text = heading.group(2)
        if not (hint and hint.startswith("h")):
            match = _BULLET.match(text[:40])
            if match:
                bullet = match.group(0).strip()
                cut = match.end()
                text = text[cut:]
                line_spans = _shift_spans(line_spans, cut, len(text))
        if hint == "bullet":
            bullet = bullet or "list"
            hint = None
        if pending_bullet and bullet is None:
            bullet = pending_bullet
        pending_bullet = None
        if markdown:
            text, md_spans, found = _markdown_inline(text)
            urls.extend(found)
            line_spans = md_spans
            text = text.strip()
            if not text:
                lines.append(Line("", origin))
                continue
            if hint is None and _covers(text, md_spans):
                hint = "bold"
        text, line_spans = _repair(text, line_spans, doubled, spaced, icons)
        inline = _INLINE_HEADING.match(text) if (hint is None and bullet is None and len(text) <= MAX_PATTERN_LINE) else None
        if inline and source_format != SourceFormat.DOCX and section_kind_for_heading(inline.group(1)) not in (None, SectionKind.OTHER):
            # "SKILLS: Python, SQL" — a heading and its first item on one line.
            lines.append(Line(inline.group(1) + ":", origin, None, [], None, indent))
            lines.append(Line(inline.group(2), origin, None, [], None, indent))
            continue
        lines.append(Line(text, origin, hint, line_spans, bullet, indent))
    if repairs is not None and doubled:
        repairs.append(
            f"Duplicated text was removed from {len(doubled)} line(s) (a phrase repeated right after itself, as "
            f"LinkedIn copies produce), e.g. {doubled[0][:60]!r}."
        )
    if repairs is not None and icons:
        repairs.append(f"Icon-font glyphs before contact details were removed on {len(icons)} line(s), e.g. {icons[0][:60]!r}.")
    if repairs is not None and spaced:
        repairs.append(f"Letter-spaced words were joined on {len(spaced)} line(s), e.g. {spaced[0][:60]!r}.")
    return lines, urls


def _repair(
    text: str, spans: list[TextSpan], doubled: list[str], spaced: list[str], icons: list[str]
) -> tuple[str, list[TextSpan]]:
    """Apply the line repairs of `readers.cleanup`, keeping spans only where they still fit."""
    if len(text) > MAX_PATTERN_LINE * 20:
        return text, spans
    cleaned = strip_icon_junk(text)
    if cleaned != text:
        icons.append(text)
        cut = len(text) - len(cleaned) if text.endswith(cleaned) else None
        spans = _shift_spans(spans, cut, len(cleaned)) if cut is not None else []
        text = cleaned
    joined = join_letter_spaced(text)
    if joined != text:
        spaced.append(text)
        text, spans = joined, []
    collapsed, removed = collapse_repeats(text)
    if removed:
        doubled.append(removed[0][1].strip())
        first = removed[0][0]
        spans = [s.model_copy(update={"end": min(s.end, first)}) for s in spans if s.start < first]
        text = collapsed
    return text, spans


def _covers(text: str, spans: list[TextSpan]) -> bool:
    bold = [s for s in spans if s.bold]
    if not bold:
        return False
    covered = sum(s.end - s.start for s in bold)
    return covered >= len(text.strip("*_ :")) - 1


# ------------------------------------------------------------------ classification


def _is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def is_role_line(text: str) -> bool:
    """A job/degree line: carries a date range, or ends in a date, and is short."""
    if len(text) > 200 or len(text.split()) > 24:
        return False
    if DATE_RANGE.search(text):
        return True
    words = text.split()
    if len(words) <= 2:
        return False  # a bare "2019" or "June 2011" is a date column entry, not a role
    if len(words) <= 14 and words and DATE.fullmatch(words[-1].strip("()[],.;")) and not text.endswith("."):
        tail = " ".join(words[-3:])
        return bool(DATE.search(tail))
    return False


def _date_only(text: str) -> bool:
    rest = DATE.sub(" ", DATE_RANGE.sub(" ", text))
    return len([w for w in rest.split() if any(ch.isalnum() for ch in w)]) <= 1 and bool(DATE.search(text))


@dataclass
class HeadingCall:
    kind: SectionKind
    known: bool


def classify_heading(line: Line, main_level: int | None) -> HeadingCall | None:
    """Is this line a section heading, and of which kind?"""
    text = line.text
    if line.blank or line.bullet or len(text) > MAX_HEADING:
        return None
    kind = section_kind_for_heading(text)
    if line.hint == "title":
        # Word's Title style holds the name; it is a section only if it names one.
        return HeadingCall(kind, True) if kind not in (None, SectionKind.OTHER) and _heading_words_only(text) else None
    level = line.level
    strong = level is not None and (main_level is None or level <= main_level)
    if level is not None and not strong:
        # A deeper heading style: a section when it is only a section name (documents mix
        # Heading 1 and Heading 2 for sections), else a role/sub-heading item.
        if kind not in (None, SectionKind.OTHER) and _heading_words_only(text) and not text.endswith("."):
            return HeadingCall(kind, True)
        return None
    if kind is not None:
        colon = text.endswith(":") and len(text.split()) <= 3 and _heading_words_only(text)
        weak = strong or line.hint == "bold" or _is_caps(text) or colon
        if weak or (len(text.split()) <= 4 and _heading_words_only(text) and not text.endswith(".")):
            return HeadingCall(kind, True)
        return None
    if strong:
        return HeadingCall(SectionKind.OTHER, False)
    return None


def _unknown_weak_heading(line: Line) -> bool:
    """ALL CAPS or whole-bold short line that is not a role line: an unnamed heading."""
    text = line.text
    if line.blank or line.bullet or len(text) > 50 or len(text.split()) > 6:
        return False
    if not (_is_caps(text) or line.hint == "bold"):
        return False
    if is_role_line(text) or is_contact_line(text) or text.endswith((".", ",")):
        return False
    return any(ch.isalpha() for ch in text)


# ------------------------------------------------------------------ items


_ROLE_SECTIONS = frozenset(
    {SectionKind.EXPERIENCE, SectionKind.EDUCATION, SectionKind.PROJECTS, SectionKind.VOLUNTEERING, SectionKind.OTHER}
)


_LIST_SECTIONS = frozenset(
    {SectionKind.SKILLS, SectionKind.LANGUAGES, SectionKind.INTERESTS, SectionKind.CERTIFICATIONS, SectionKind.AWARDS}
)


@dataclass
class _Builder:
    kind: ItemKind
    parts: list[str]
    origin: Origin
    spans: list[TextSpan]
    glyph: str | None = None
    joinable: bool = True
    last_len: int = 0  # length of the last physical line (a full line suggests a wrap)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _join_reason(
    builder: _Builder,
    line: Line,
    source_format: SourceFormat,
    wrap: int = 0,
    prose: bool = False,
    listy: bool = False,
) -> str | None:
    """How `line` continues `builder` ("space", "tight") or None when it starts a new item."""
    if source_format == SourceFormat.DOCX or not builder.joinable or line.bullet or line.hint:
        return None
    prev = builder.text
    text = line.text
    if len(prev) > 4000 or len(text) > MAX_PATTERN_LINE * 4:
        return None
    first = text[0]
    if EMAIL.match(text) or URL.match(text):
        return None  # a contact detail on its own line is never a wrapped continuation
    if source_format == SourceFormat.PDF and len(prev) >= 2 and prev[-1] == "-" and prev[-2].isalpha() and first.islower():
        return "tight"
    last_word = prev.rsplit(" ", 1)[-1].lower()
    if prev[-1] in ",;&/–-(" or last_word in _CONNECTORS or (first == "(" and prev[-1] not in ".!?:"):
        return "space"
    if is_role_line(text) and builder.kind != ItemKind.ROLE:
        return None
    if first.islower():
        # In list-like sections ("numpy" / "pandas" one per line) only a long previous
        # line means a wrap.
        if not listy or (wrap > 0 and builder.last_len >= 0.6 * wrap):
            return "space"
        return None
    full_line = source_format == SourceFormat.PDF and wrap > 0 and builder.last_len >= 0.7 * wrap
    if builder.kind == ItemKind.BULLET and prev[-1] not in ".!?:" and builder.glyph != "list":
        if full_line or line.indent > 0:
            return "space"
    if builder.kind == ItemKind.LINE and prev[-1] not in ".!?:" and full_line:
        # A hard-wrapped PDF paragraph whose next line starts with a capital: only for
        # prose (summary, or long lines with many words), never for lists of entries.
        if prose or (builder.last_len >= 0.9 * wrap and len(prev.split()) >= 8):
            return "space"
    return None


def _split_inline_bullets(text: str, glyph: str | None) -> list[str]:
    """r06-style "⋄ one ⋄ two" lines: split at the glyph the bullets use."""
    if glyph is None or glyph not in _INLINE_GLYPHS or len(text) > MAX_PATTERN_LINE * 4:
        return [text]
    parts = [p.strip() for p in text.split(f" {glyph} ")]
    return [p for p in parts if p] or [text]


_SUFFIXES = ("tion", "sion", "ing", "ence", "ance", "ment", "ity", "ities", "ies", "ly", "ed", "er", "ers", "al", "ive", "ous", "ful", "ure", "ize", "ise", "ic", "ics", "ist", "ism", "ate", "able", "ible", "ness")
_WORD_CHARS = re.compile(r"[^\W\d_]+")


def _dehyphenate(prev: str, nxt: str, vocabulary: frozenset[str]) -> str:
    """Join a PDF line-end hyphenation: "experi-" + "ence" → "experience", but keep real
    compounds ("data-" + "driven"). The document's own words decide first."""
    head_match = _WORD_CHARS.findall(prev[-40:])
    tail_match = _WORD_CHARS.match(nxt)
    head = head_match[-1].lower() if head_match else ""
    tail = tail_match.group(0).lower() if tail_match else ""
    if head and tail:
        if f"{head}-{tail}" in vocabulary:
            return prev + nxt
        if head + tail in vocabulary or tail.endswith(_SUFFIXES) and len(tail) <= 6:
            return prev[:-1] + nxt
    return prev + nxt


def document_vocabulary(lines: list[Line]) -> frozenset[str]:
    words: set[str] = set()
    for line in lines:
        if len(line.text) <= MAX_PATTERN_LINE * 4:
            words.update(w.strip(".,;:()[]\"'").lower() for w in line.text.split())
            words.update(w.lower() for w in _WORD_CHARS.findall(line.text))
    return frozenset(words)


def build_items(
    lines: list[Line],
    section_id: str,
    kind: SectionKind,
    source_format: SourceFormat,
    vocabulary: frozenset[str] = frozenset(),
    wrap: int = 0,
) -> list[Item]:
    builders: list[_Builder] = []
    current: _Builder | None = None
    role_sections = kind in _ROLE_SECTIONS
    own = sorted(len(ln.text) for ln in lines if ln.text and len(ln.text) <= MAX_PATTERN_LINE)
    if kind == SectionKind.SUMMARY and len(own) >= 5:
        # Prose in a sidebar wraps narrower than the page's main column; lists elsewhere
        # must not be measured against their own short lines (they would all look "full").
        wrap = own[int(len(own) * 0.9)]
    for line in lines:
        if line.blank:
            current = None
            continue
        text = line.text
        reason = (
            _join_reason(current, line, source_format, wrap, kind == SectionKind.SUMMARY, kind in _LIST_SECTIONS)
            if current
            else None
        )
        glyph = current.glyph if current else None
        if reason is not None and current is not None:
            pieces = _split_inline_bullets(text, glyph) if glyph else [text]
            first_piece = pieces[0]
            if reason == "tight":
                joined = _dehyphenate(current.text, first_piece, vocabulary)
                current.parts = [joined]
            else:
                current.parts.append(" " + first_piece)
            current.last_len = len(text)
            if is_role_line(current.text) and current.kind == ItemKind.LINE and len(current.text) <= 200:
                current.kind = ItemKind.ROLE
            for piece in pieces[1:]:
                current = _Builder(ItemKind.BULLET, [piece], line.origin, [], glyph)
                builders.append(current)
            continue
        if line.bullet:
            glyph_now = line.bullet
            pieces = _split_inline_bullets(text, glyph_now) if source_format != SourceFormat.DOCX else [text]
            for n, piece in enumerate(pieces):
                current = _Builder(ItemKind.BULLET, [piece], line.origin, line.spans if n == 0 and len(pieces) == 1 else [], glyph_now)
                builders.append(current)
            current.last_len = len(text)
            continue
        if glyph and source_format != SourceFormat.DOCX and f" {glyph} " in text:
            pieces = _split_inline_bullets(text, glyph)
            for piece in pieces:
                current = _Builder(ItemKind.BULLET, [piece], line.origin, [], glyph)
                builders.append(current)
            continue
        item_kind = ItemKind.LINE
        if role_sections and (is_role_line(text) or (line.level is not None) or (line.hint == "bold" and len(text) <= 200)):
            item_kind = ItemKind.ROLE
        current = _Builder(item_kind, [text], line.origin, line.spans, last_len=len(text))
        builders.append(current)
    # A title line directly above a date-only line ("Acme Corp" / "Jan 2020 – Present").
    for prev, nxt in zip(builders, builders[1:]):
        if (
            role_sections
            and prev.kind == ItemKind.LINE
            and nxt.kind == ItemKind.ROLE
            and _date_only(nxt.text)
            and len(prev.text.split()) <= 14
            and not prev.text.endswith(".")
        ):
            prev.kind = ItemKind.ROLE
    # A short title line that opens a bullet list ("Digital Analyst, San Francisco").
    for prev, nxt in zip(builders, builders[1:]):
        if (
            role_sections
            and prev.kind == ItemKind.LINE
            and nxt.kind == ItemKind.BULLET
            and len(prev.parts) == 1
            and len(prev.text.split()) <= 10
            and not prev.text.endswith((".", ":", ";", ","))
        ):
            prev.kind = ItemKind.ROLE
    items = []
    for n, builder in enumerate(builders, start=1):
        text = builder.text
        spans = builder.spans if len(builder.parts) == 1 else [s for s in builder.spans if s.end <= len(builder.parts[0])]
        items.append(Item(id=f"{section_id}.{n}", text=text, kind=builder.kind, spans=spans, origin=builder.origin))
    return items


# ------------------------------------------------------------------ the document


@dataclass
class Segmented:
    contact: Contact
    header_lines: list[str]
    sections: list[Section]
    warnings: list[str]


def _main_level(lines: list[Line]) -> int | None:
    levels = [ln.level for ln in lines if ln.level is not None]
    if not levels:
        return None
    known = [ln.level for ln in lines if ln.level is not None and section_kind_for_heading(ln.text) not in (None,)]
    return min(known) if known else min(levels)


def _header_length(lines: list[Line], limit: int) -> int:
    """How many leading lines form the contact/identity block."""
    count = 0
    nonblank = 0
    seen_name = False
    for index, line in enumerate(lines[:limit]):
        if line.blank:
            count = index + 1
            continue
        text = line.text
        if nonblank >= 8 or line.bullet or len(text) > MAX_PATTERN_LINE:
            break
        if is_contact_line(text):
            pass
        elif not seen_name and looks_like_name(text):
            seen_name = True
        elif (
            len(text.split()) <= 10
            and not text.endswith(".")
            and not is_role_line(text)
            and (nonblank == 0 or seen_name or _is_caps(text))
            and nonblank < 3
        ):
            pass
        else:
            break
        nonblank += 1
        count = index + 1
    return count


def _drop_running_lines(
    lines: list[Line], header_count: int, calls: list[HeadingCall | None], header: list[str]
) -> tuple[list[str], str | None]:
    """Blank running page headers/footers so they never become items; keep one copy of each
    (page numbers aside) in the header lines, where contact extraction still sees them."""
    texts = [ln.text for ln in lines]
    protected = lambda i: calls[i] is not None  # noqa: E731 - a heading at a page top is content
    drop = paged_running_lines(texts, [ln.origin.page for ln in lines], protected)
    drop |= repeated_header_blocks(texts, header_count, lambda t: bool(looks_like_name(t) or is_contact_line(t)), protected)
    if not drop:
        return header, None
    header = list(header)
    seen = {" ".join(t.split()) for t in header}
    for index in sorted(drop):
        text = lines[index].text
        if index >= header_count and not is_page_number(text) and " ".join(text.split()) not in seen:
            header.append(text)
            seen.add(" ".join(text.split()))
    for index in drop:
        if index >= header_count:
            lines[index].text = ""
    removed = sum(1 for i in drop if i >= header_count)
    if not removed:
        return header, None
    dropped = [texts[i] for i in sorted(drop)]
    example = next((t for t in dropped if not is_page_number(t)), dropped[0])
    return header, (
        f"{removed} line(s) repeated at the top or bottom of pages (e.g. {example[:60]!r}) were read as page "
        "headers/footers and kept out of the sections."
    )


def _prose_item(item: Item) -> bool:
    """A sentence-like line: several words, mostly lower-case, no dates (not an entry title)."""
    words = item.text.split()
    if item.kind != ItemKind.LINE or len(words) < 6 or len(item.text) > 2000 or DATE_RANGE.search(item.text):
        return False
    return sum(1 for w in words if w[0].islower()) * 2 >= len(words)


def _reclaim_displaced_prose(sections: list[Section]) -> list[str]:
    """An empty Summary heading directly followed by another heading whose section opens
    with a paragraph: the paragraph is the summary's (sidebar headings get displaced in
    pdftotext/Word renderings: "Summary / Education / <summary prose> / <degrees>").
    Only whole paragraphs (ending in a full stop) move, and the next section keeps the rest."""
    notes: list[str] = []
    for first, second in zip(sections, sections[1:]):
        if first.kind != SectionKind.SUMMARY or first.items or second.kind == SectionKind.SUMMARY:
            continue
        run = 0
        while run < len(second.items) and _prose_item(second.items[run]):
            run += 1
        while run and not second.items[run - 1].text.rstrip().endswith((".", "!", "?")):
            run -= 1
        if run == 0 or run == len(second.items):
            continue
        moved, kept = second.items[:run], second.items[run:]
        first.items = [item.model_copy(update={"id": f"{first.id}.{n}"}) for n, item in enumerate(moved, start=1)]
        second.items = [item.model_copy(update={"id": f"{second.id}.{n}"}) for n, item in enumerate(kept, start=1)]
        notes.append(
            f"The paragraph at the top of '{second.title}' was read as the text of the empty '{first.title}' "
            "heading above it (the two headings looked displaced)."
        )
    return notes


def segment(
    lines: list[Line],
    source_format: SourceFormat,
    *,
    extra_links: list[str] = (),  # type: ignore[assignment]
) -> Segmented:
    warnings: list[str] = []
    main_level = _main_level(lines)
    calls = [classify_heading(line, main_level) for line in lines]
    # "# Jane Doe" is the name, not an unnamed section: unknown headings above the first
    # known one that look like a name or contact line belong to the header.
    for index, call in enumerate(calls):
        if call is not None and call.known:
            break
        if call is not None and (looks_like_name(lines[index].text) or is_contact_line(lines[index].text)):
            calls[index] = None
    first_heading = next((i for i, call in enumerate(calls) if call is not None), None)
    limit = first_heading if first_heading is not None else len(lines)
    header_count = _header_length(lines, limit)
    header = [ln.text for ln in lines[:header_count] if not ln.blank]
    header, running_warning = _drop_running_lines(lines, header_count, calls, header)
    if running_warning:
        warnings.append(running_warning)

    # Group lines into (title line, body lines) blocks.
    blocks: list[tuple[Line | None, HeadingCall | None, list[Line]]] = []
    current_title: Line | None = None
    current_call: HeadingCall | None = None
    body: list[Line] = []
    for index in range(header_count, len(lines)):
        line = lines[index]
        call = calls[index]
        if call is None and _unknown_weak_heading(line) and (
            current_call is None or current_call.kind == SectionKind.OTHER
        ) and index > (first_heading if first_heading is not None else len(lines)):
            call = HeadingCall(SectionKind.OTHER, False)
        if call is not None:
            if current_title is not None or any(not ln.blank for ln in body):
                blocks.append((current_title, current_call, body))
            current_title, current_call, body = line, call, []
            continue
        body.append(line)
    if current_title is not None or any(not ln.blank for ln in body):
        blocks.append((current_title, current_call, body))

    vocabulary = document_vocabulary(lines) if source_format == SourceFormat.PDF else frozenset()
    lengths = sorted(len(ln.text) for ln in lines if ln.text and len(ln.text) <= MAX_PATTERN_LINE)
    wrap = lengths[int(len(lengths) * 0.9)] if lengths else 0  # typical full line width
    sections: list[Section] = []
    for title_line, call, body_lines in blocks:
        section_id = f"s{len(sections)}"
        if title_line is None:
            kind = SectionKind.OTHER
            prose = [ln for ln in body_lines if not ln.blank]
            if blocks and len(blocks) > 1 and prose and all(not ln.bullet for ln in prose):
                words = sum(len(ln.text.split()) for ln in prose) / len(prose)
                if words >= 8 and not any(is_role_line(ln.text) for ln in prose):
                    kind = SectionKind.SUMMARY
            title, origin = "", None
        else:
            kind = call.kind if call else SectionKind.OTHER
            title, origin = title_line.text, title_line.origin
        items = build_items(body_lines, section_id, kind, source_format, vocabulary, wrap)
        sections.append(Section(id=section_id, kind=kind, title=title, items=items, origin=origin))
    warnings.extend(_reclaim_displaced_prose(sections))

    if not any(s.kind != SectionKind.OTHER or s.title for s in sections):
        if sections:
            warnings.append(
                "No section headings were recognised, so the resume is kept as one section; "
                "add headings such as Experience, Education and Skills for a better analysis."
            )
        else:
            warnings.append("The resume has no content beyond its header.")
    elif not any(s.kind != SectionKind.OTHER for s in sections):
        warnings.append(
            "None of the headings is a standard section name (Experience, Education, Skills…); "
            "all sections are kept as 'other'."
        )
    extra = [ln.text for ln in lines[header_count : header_count + 80] if not ln.blank]
    contact = extract_contact(header, extra, list(extra_links))
    return Segmented(contact=contact, header_lines=header, sections=sections, warnings=warnings)
