"""A posting's lines as requirement candidates: one per bullet or list line, one per sentence of prose.

A recruiter lists a bullet as one requirement, in the posting's words, so a bullet (or a line of a
requirements/duties section, which is a list without glyphs) is never cut into pieces: cutting
"2+ years …, knowledge of credit products preferred" in two doubles the row count and gives each
half a priority the posting did not give. Prose paragraphs are read sentence by sentence, and only
sentences that ask something of the candidate are kept (parse.py). Group labels written as
bullets ("- Vendor Management" above the vendor duties) are sub-headings, not requirements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resume_tui.analysis.lexicon import Lexicon, SkillHit
from resume_tui.analysis.requirements.cues import (
    _BOILER,
    _BOILER_PROSE,
    _DESC,
    _NICE,
    _REQ,
    _RESP,
    _kind_of,
    _sentences,
    _top_level_commas,
)
from resume_tui.analysis.requirements.degrees import find_degrees, find_years
from resume_tui.analysis.requirements.lines import _LABEL, _Line


@dataclass
class _Clause:
    text: str
    kind: str
    prose: bool
    bullet: bool = True
    dropped: bool = False  # a list item whose glyph was lost


class _Extractor:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon

    def _signals(self, text: str) -> tuple[list[SkillHit], float | None, list[str]]:
        return self.lex.find(text), find_years(text), find_degrees(text)


# a line of a list section this long or shorter is one item, glyph or not (LinkedIn pastes, PDFs)
_LIST_LINE_WORDS = 60


def line_clauses(lines: list[_Line], title: str | None) -> list[_Clause]:
    """The requirement candidates of a posting, in order, each tagged with its section's kind."""
    out: list[_Clause] = []
    kind = _DESC
    bulleted = _section_has_bullets(lines, 0)  # does the current section list with glyphs? then its other lines are prose
    for i, line in enumerate(lines):
        if line.heading:
            kind = _kind_of(line.text)
            if title and line.text.startswith(title):
                kind = _DESC
            bulleted = _section_has_bullets(lines, i + 1)
            continue
        if kind == _BOILER or _group_label(lines, i):
            continue
        content, label_kind = _strip_label(line.text)
        line_kind = label_kind or kind
        if line_kind == _BOILER:
            continue
        listed = line.bullet or (line_kind != _DESC and not bulleted and len(content.split()) <= _LIST_LINE_WORDS)
        # a line between bullets whose dash was lost ("- Assist in …" / "Demonstrate sound …")
        dropped_glyph = (
            i > 0
            and (lines[i - 1].bullet or (out and out[-1].dropped))
            and len(_sentences(content)) == 1
            and len(content.split()) <= 40
        )
        if not line.bullet and (listed or dropped_glyph) and _BOILER_PROSE.search(content):
            continue
        if listed or dropped_glyph:
            out.append(_Clause(content, line_kind, prose=False, bullet=True, dropped=not listed))
            continue
        for sentence in _sentences(content):
            out.append(_Clause(sentence, line_kind, prose=True, bullet=False))
    return out


def _section_has_bullets(lines: list[_Line], start: int) -> bool:
    for line in lines[start:]:
        if line.heading:
            return False
        if line.bullet:
            return True
    return False


def _group_label(lines: list[_Line], i: int) -> bool:
    """"- Vendor Management" between duty bullets: a short title-case bullet that heads two or more
    longer bullets after it, not a requirement of its own (a stack list of short items is not one)."""
    line = lines[i]
    words = line.text.split()
    if not line.bullet or len(words) > 3 or re.search(r"[.!?,;:)]$", line.text):
        return False
    if not all(w[0].isupper() or w == "&" for w in words if w[0].isalpha() or w == "&"):
        return False
    after = lines[i + 1 : i + 3]
    prev = lines[i - 1] if i > 0 else None
    long_next = len(after) == 2 and all(n.bullet and len(n.text.split()) >= 6 for n in after)
    long_prev = prev is None or prev.heading or not prev.bullet or len(prev.text.split()) >= 6
    return long_next and long_prev


def local_cue(text: str, cue: re.Match[str]) -> bool:
    """Is the cue inside a later clause, sentence or parenthesis of its own ("…, knowledge of credit
    products preferred"), so it qualifies that part rather than the whole line?"""
    before = text[: cue.start()]
    if before.count("(") > before.count(")"):
        return True  # "(Java familiarity is also helpful)"
    if len(_sentences(before + "x")) > 1:
        return True  # a later sentence of its own
    spans = _top_level_commas(text)
    for n, (start, end) in enumerate(spans):
        if start <= cue.start() < end:
            return n > 0 and bool(_CLAUSE_START.match(text[start:end]))
    return False


_CLAUSE_START = re.compile(
    r"^\s*(?:(?:and|or|but|to)\s+)?(?:able|ability|knowledge|experience|experienced|understanding|familiarity|"
    r"proficiency|proficient|strong|excellent|solid|be|have|create|facilitate|assess|collaborate|develop|provide|"
    r"teach|conduct|foster|manage|perform|maintain|support|build|design|deploy|define|debug|lead|mentor|own|write|"
    r"work|ensure|assist|coordinate|communicate|monitor|prepare|review|implement|drive|handle|track|analy[sz]e|"
    r"report|schedule|serve|assemble|identify|execute|optimi[sz]e|improve|establish|participate|take|demonstrate|"
    r"adjust|evolve|operate|raise|train|plan|organi[sz]e|oversee|process|reconcile|administer|answer|greet|"
    r"negotiate|prospect|sell|recruit|onboard|audit|order|deliver|respond|engage|motivate|guide|providing|"
    r"developing|building|working|managing|leading|maintaining|supporting|ensuring|designing|creating|serving|"
    r"assisting|coordinating|using|taking|handling|writing|delivering|performing|conducting|preparing)\b",
    re.I,
)


def _strip_label(text: str) -> tuple[str, str | None]:
    """"Qualifications: Bachelor's …" → ("Bachelor's …", required-kind)."""
    m = _LABEL.match(text)
    if not m:
        return text, None
    label = m.group(1).strip()
    kind = _kind_of(label)
    if kind in (_REQ, _NICE, _RESP, _BOILER) and len(label.split()) <= 4:
        if kind == _REQ and not re.search(r"qualif|requir|skills|requisit|must", label, re.I):
            return text, None  # "Office Management: 3 years" keeps its label (it names the field)
        return m.group(2).strip(), kind
    return text, None
