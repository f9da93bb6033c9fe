"""Every checkable claim in a text, in order of position, canonicalised ("40 %" == "40%", "k8s" == "Kubernetes")."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from resume_tui.analysis.facts.kinds import Fact, FactKind, _LexiconLike, skill_hits
from resume_tui.analysis.facts.patterns import (
    _CAP_TOKEN_RE,
    _CERT_ACRONYM_RE,
    _CERT_PHRASE_RE,
    _CURRENCY_SYMBOLS,
    _DATE_RE,
    _DEGREE_CAPS,
    _DEGREE_CAPS_RE,
    _DEGREE_RE,
    _DEGREES,
    _EMPLOYER_CONTEXT_RE,
    _MONEY_RE,
    _MONTHS,
    _MULTIPLIER_RE,
    _MULTIPLIER_WORDS,
    _NUMBER_RE,
    _NUMBER_WORD_RE,
    _NUMBER_WORDS,
    _ORG_RE,
    _PERCENT_RE,
    _PRESENT_RE,
    _SCALES,
    _TITLE_LEAD_WORDS,
    _YEAR_RE,
    _YEARS_EXP_RE,
    COMMON_WORDS,
    EMAIL_RE,
    PHONE_RE,
    SENIORITY,
    URL_RE,
    _fmt,
    _num,
    norm_text,
    title_words,
)

# Re-exported: the guard and the rewrites read the vocabulary through this module.
from resume_tui.documents.vocabulary import ORG_SUFFIXES as ORG_SUFFIXES
from resume_tui.documents.vocabulary import RANKED_SENIORITY as RANKED_SENIORITY
from resume_tui.documents.vocabulary import ROLE_NOUNS as ROLE_NOUNS

# --------------------------------------------------------------------------- extraction


class _Spans:
    """Disjoint character spans with an O(log n) overlap test (a resume line can hold thousands of facts)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)  # spans starting before `end`
        if i == 0:
            return False
        return self.ends[i - 1] > start or (i >= 2 and self.ends[i - 2] > start)

    def covers(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos)
        return i > 0 and self.ends[i - 1] > pos


def _overlaps(spans: _Spans, start: int, end: int) -> bool:
    return spans.overlaps(start, end)


def extract_facts(text: str, *, lexicon: _LexiconLike | None = None) -> list[Fact]:
    """All checkable claims in `text`, in order of position; spans of different numeric kinds never overlap."""
    if not text:
        return []
    facts: list[Fact] = []
    taken = _Spans()  # numeric spans already explained

    def add(kind: FactKind, value: str, m_start: int, m_end: int, *, claim: bool = True) -> None:
        facts.append(Fact(kind, value, text[m_start:m_end], m_start, m_end))
        if claim:
            taken.add(m_start, m_end)

    for rx, kind in ((EMAIL_RE, FactKind.EMAIL), (URL_RE, FactKind.URL)):
        for m in rx.finditer(text):
            if not _overlaps(taken, m.start(), m.end()):
                link = m.group(0).lower().rstrip(".,;)")
                link = re.sub(r"^(?:https?://)?(?:www\.)?", "", link).rstrip("/")
                add(kind, link, m.start(), m.end())
    for m in PHONE_RE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 9 <= len(digits) <= 15 and not _overlaps(taken, m.start(), m.end()) and not re.fullmatch(
            r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d", m.group(0).strip()
        ):
            add(FactKind.PHONE, digits[-9:], m.start(), m.end())

    for m in _MONEY_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        if m.group("sym"):
            cur, num, scale = _CURRENCY_SYMBOLS[m.group("sym")], m.group("num"), m.group("scale")
        else:
            code = m.group("code").lower()
            cur = {"euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "pound": "GBP",
                   "pounds": "GBP"}.get(code, code.upper())
            num, scale = m.group("num2"), m.group("scale2")
        value = _num(num) * (_SCALES.get(scale.lower(), 1.0) if scale else 1.0)
        add(FactKind.MONEY, f"{cur} {_fmt(value)}", m.start(), m.end())

    for m in _PERCENT_RE.finditer(text):
        if not _overlaps(taken, m.start(), m.end()):
            add(FactKind.PERCENT, _fmt(_num(m.group("num"))), m.start(), m.end())

    for m in _YEARS_EXP_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        raw = m.group("num").lower()
        value = float(_NUMBER_WORDS.get(raw, 0)) or {"one": 1.0}.get(raw) or _num(raw)
        add(FactKind.YEARS_EXP, _fmt(value), m.start(), m.end())

    for m in _DATE_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        if m.group("mon"):
            month = _MONTHS[m.group("mon").lower()[:3]]
            year = m.group("year")
        else:
            month, year = int(m.group("m2")), m.group("y2")
        add(FactKind.DATE, f"{year}-{month:02d}", m.start(), m.end())
        ys = m.start("year") if m.group("year") else m.start("y2")
        facts.append(Fact(FactKind.YEAR, year, year, ys, ys + 4))

    for m in _MULTIPLIER_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        if m.group("num"):
            value = _num(m.group("num"))
        else:
            word = m.group("word").lower()
            value = next(v for k, v in _MULTIPLIER_WORDS.items() if word.startswith(k))
        add(FactKind.NUMBER, "x" + _fmt(value), m.start(), m.end())
    for m in _PRESENT_RE.finditer(text):
        facts.append(Fact(FactKind.DATE, "present", m.group("word"), m.start("word"), m.end("word")))

    for m in _YEAR_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        if m.group("year"):
            add(FactKind.YEAR, m.group("year"), m.start(), m.end())
        else:
            short = int(m.group("short"))
            add(FactKind.YEAR, str(2000 + short if short < 50 else 1900 + short), m.start(), m.end())

    for m in _NUMBER_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        scale = m.group("scale")
        value = _num(m.group("num")) * (_SCALES.get(scale.lower(), 1.0) if scale else 1.0)
        add(FactKind.NUMBER, _fmt(value), m.start(), m.end())
    for m in _NUMBER_WORD_RE.finditer(text):
        if not _overlaps(taken, m.start(), m.end()):
            add(FactKind.NUMBER, _fmt(float(_NUMBER_WORDS[m.group(1).lower()])), m.start(), m.end())

    # Degrees.
    deg_spans = _Spans()
    for m in _DEGREE_RE.finditer(text):
        for i, (_, level) in enumerate(_DEGREES):
            if m.group(f"d{i}"):
                facts.append(Fact(FactKind.DEGREE, level, m.group(0), m.start(), m.end()))
                deg_spans.add(m.start(), m.end())
                break
    for m in _DEGREE_CAPS_RE.finditer(text):
        if not _overlaps(deg_spans, m.start(), m.end()):
            key = m.group("deg").replace(".", "").upper()
            facts.append(Fact(FactKind.DEGREE, _DEGREE_CAPS[key], m.group(0), m.start(), m.end()))

    # Skills and certifications via the lexicon (canonical names, so "ACLS" == "Advanced Cardiac Life Support").
    lex_certs = _Spans()
    for hit in skill_hits(text, lexicon):
        canonical = str(hit.canonical)
        category = str(getattr(hit, "category", "") or "")
        kind = FactKind.CERTIFICATION if category.lower().startswith("cert") else FactKind.SKILL
        facts.append(Fact(kind, canonical.lower(), str(hit.surface), int(hit.start), int(hit.end), category, canonical))
        if kind is FactKind.CERTIFICATION:
            lex_certs.add(int(hit.start), int(hit.end))
    # Certifications the lexicon does not know: acronyms and "Certified …" phrases.
    for m in _CERT_ACRONYM_RE.finditer(text):
        if not _overlaps(lex_certs, m.start(), m.end()):
            facts.append(Fact(FactKind.CERTIFICATION, m.group(1).upper(), m.group(1), m.start(), m.end()))
    for m in _CERT_PHRASE_RE.finditer(text):
        if not _overlaps(lex_certs, m.start(), m.end()):
            facts.append(Fact(FactKind.CERTIFICATION, norm_text(m.group(0)), m.group(0), m.start(), m.end()))

    facts.extend(_titles(text))
    for m in _CLAIM_WORD_RE.finditer(text):
        facts.append(Fact(FactKind.CERTIFICATION, "claim:" + m.group(1).lower(),
                          m.group(0), m.start(), m.end()))

    # Employers / organisations.
    seen_orgs = _Spans()
    for m in _ORG_RE.finditer(text):
        org = m.group("org").strip()
        seen_orgs.add(m.start(), m.end())
        facts.append(Fact(FactKind.EMPLOYER, norm_text(org), org, m.start(), m.end()))
    for m in _EMPLOYER_CONTEXT_RE.finditer(text):
        org = m.group("org").strip().rstrip(".,")
        org = org[:-2] if org.endswith(" I") else org  # "At Parcelio I led…": the pronoun is not part of the name
        first = org.split()[0].lower()
        if first in COMMON_WORDS or first in ROLE_NOUNS or first in SENIORITY:
            continue
        if seen_orgs.covers(m.start("org")):
            continue
        facts.append(Fact(FactKind.EMPLOYER, norm_text(org), org, m.start("org"), m.start("org") + len(org)))

    # Any other capitalised token: a possible name of a tool, product, place or organisation.
    for m in _CAP_TOKEN_RE.finditer(text):
        token = m.group(1).rstrip(".'’")
        lower = token.lower()
        if len(token) < 2 or lower in COMMON_WORDS:
            continue
        if token[1:].islower() and _sentence_initial(text, m.start()) and lower.endswith(_VERB_ENDINGS):
            continue  # "Added …", "Streamlining …": an ordinary verb opening a sentence
        facts.append(Fact(FactKind.NAME, lower, token, m.start(), m.start() + len(token)))

    facts.sort(key=lambda f: (f.start, f.end, f.kind.value))
    return facts


# A credential claimed in plain words ("board-certified", "licensed") needs the resume to say so too.
_CLAIM_WORD_RE = re.compile(r"\b((?:board-)?certified|licen[sc]ed|chartered|accredited)\b", re.I)

_VERB_ENDINGS = ("ed", "ing", "ize", "ise", "izes", "ises")
_TOKEN_RE = re.compile(r"[A-Za-z][\w+#/&-]*\.?|[,;:()\[\]—–|·•]")


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 40) : pos].rstrip(" \t*#>")
    if not before and pos > 40:
        return False  # only spaces for 40 characters: treat as mid-text
    return not before or before[-1] in ".!?:;\n•-–—(|·"


def _titles(text: str) -> list[Fact]:
    """Job titles: a role noun ("engineer") with the words that qualify it ("Senior Backend")."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    out: list[Fact] = []
    for i, (tok, _start, end) in enumerate(tokens):
        low = tok.lower().rstrip(".")
        if low not in ROLE_NOUNS:
            continue
        nxt = tokens[i + 1][0].lower().rstrip(".") if i + 1 < len(tokens) else ""
        if nxt in ROLE_NOUNS and tokens[i + 1][1] - end <= 1:
            continue  # "Lead Engineer": "lead" qualifies the head noun that follows
        j = i
        while j > 0 and i - j < 4:
            prev, p_start, p_end = tokens[j - 1]
            plow = prev.lower().rstrip(".")
            if not prev[0].isalpha() or tokens[j][1] - p_end > 1:
                break
            if plow.endswith(("-driven", "-oriented", "-focused", "-minded", "-motivated", "-based")):
                break  # "Results-driven engineer": an adjective, not part of the title
            if plow in _TITLE_LEAD_WORDS or plow in {"vice"} or (
                plow not in COMMON_WORDS and not plow.endswith(("ed", "ing")) and plow not in {"a", "an", "as"}
            ):
                j -= 1
                continue
            break
        first_start = tokens[j][1]
        last_end = end
        # "Head of Engineering", "Director of Nursing"
        if i + 2 < len(tokens) and tokens[i + 1][0].lower() in {"of", "for"} and tokens[i + 2][0][:1].isupper():
            k = i + 2
            while k + 1 < len(tokens) and tokens[k + 1][0][:1].isupper() and tokens[k + 1][1] - tokens[k][2] <= 1:
                k += 1
            last_end = tokens[k][2]
        surface = text[first_start:last_end]
        tw = title_words(surface)
        if len(tw) == 1 and tw[0] in _LONE_NOT_TITLE:
            continue
        out.append(Fact(FactKind.TITLE, " ".join(tw), surface, first_start, last_end))
    return out


_LONE_NOT_TITLE = {"lead", "head", "principal", "partner", "associate", "assistant", "mentor", "owner", "agent",
                   "fellow", "executive", "president", "buyer", "writer", "editor", "producer", "trainer"}
