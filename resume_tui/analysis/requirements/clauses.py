"""Splitting a line into requirement clauses: shared leads, lists of skills, labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resume_tui.analysis.lexicon import Lexicon, SkillHit
from resume_tui.analysis.requirements.cues import _BOILER, _NICE, _REQ, _RESP, _kind_of, _top_level_commas
from resume_tui.analysis.requirements.degrees import find_degrees, find_years
from resume_tui.analysis.requirements.lines import _LABEL


@dataclass
class _Clause:
    text: str
    kind: str
    prose: bool
    bullet: bool = True


class _Extractor:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon

    def _signals(self, text: str) -> tuple[list[SkillHit], float | None, list[str]]:
        return self.lex.find(text), find_years(text), find_degrees(text)

    def split_clause(self, text: str) -> list[str]:
        """Split a long sentence into independent requirements where each part stands alone.

        A part stands alone when it has two or more words and its own skill, years or degree;
        other parts (single words of a list, "packing slip") stay with their neighbour, and a
        field of study stays with its degree. Every part is a verbatim slice of `text`.
        """
        spans = _top_level_commas(text) if len(text) <= _MAX_SPLIT_CHARS else []
        if len(spans) < 2:
            return [text]
        # "Able to assess patients, prioritize and assist in procedures": every verb hangs on
        # the shared lead, so a later bare verb would read as a fragment on its own
        shared_lead = bool(_SHARED_LEAD.match(text))
        groups: list[list[int]] = []  # [start, end, has_degree]
        for start, end in spans:
            part = text[start:end]
            hits, years, degrees = self._signals(part)
            standalone = (
                len(part.split()) >= 2
                and bool(hits or years is not None or degrees)
                and not _CONTINUATION.match(part)
                and not (shared_lead and _BARE_VERB.match(part))
                and (_starts_clause(part, hits) or _free_words(part, hits) >= 3 or years is not None or bool(degrees))
            )
            only_fields = bool(hits) and all(h.category == "domain" for h in hits) and not degrees
            if groups and (not standalone or (groups[-1][2] and only_fields)):
                groups[-1][1] = end
                groups[-1][2] = groups[-1][2] or int(bool(degrees))
            elif groups and groups[-1][3]:  # a leading fragment ("Maintain") joins the first real part
                groups[-1] = [groups[-1][0], end, int(bool(degrees)), 0]
            else:
                groups.append([start, end, int(bool(degrees)), 0 if standalone else 1])
        if len(groups) < 2:
            return [text]
        # a joining word left at the front ("and assist in …") is the list's, not the requirement's
        return [_LEADING_CONJ.sub("", text[g[0] : g[1]].strip().rstrip(",;").strip()) for g in groups]


_SHARED_LEAD = re.compile(r"^\s*(?:(?:must|should)\s+)?(?:be\s+)?(?:able|ability|willing(?:ness)?)\s+to\b", re.I)
_LEADING_CONJ = re.compile(r"^(?:and|or|but)\s+(?=\S)", re.I)
_MAX_SPLIT_CHARS = 1500  # longer "sentences" are not lists a recruiter wrote; keep them whole
_CONTINUATION = re.compile(r"^\s*(?:as well as|such as|including|like|e\.g|i\.e|etc|or similar)\b", re.I)
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
_BARE_VERB = re.compile(
    r"^\s*(?:(?:and|or)\s+)?(?!able\b|ability\b|knowledge\b|experience\b|experienced\b|understanding\b|"
    r"familiarity\b|proficiency\b|proficient\b|strong\b|excellent\b|solid\b|be\b|have\b)"
    + _CLAUSE_START.pattern.removeprefix(r"^\s*(?:(?:and|or|but|to)\s+)?"),
    re.I,
)
_STOP = frozenset(
    "a an the and or of in on for to with by at as from into via per such other any all our your their its "
    "e.g i.e etc is are be this that these those".split()
)


def _starts_clause(part: str, hits: list[SkillHit]) -> bool:
    """Does the part open a new requirement (a verb, "knowledge of", "strong …") rather than continue a list?"""
    return bool(_CLAUSE_START.match(part))


def _free_words(part: str, hits: list[SkillHit]) -> int:
    """Content words outside skill mentions: few means the part is just an item of a list."""
    masked = list(part)
    for h in hits:
        masked[h.start : h.end] = " " * (h.end - h.start)
    words = re.findall(r"[^\W\d_][\w'’-]*", "".join(masked))
    return sum(1 for w in words if w.lower() not in _STOP)


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
