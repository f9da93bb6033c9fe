"""Checkable claims in a piece of text, and the fact base a resume supports.

The guard compares the facts of a proposed text with the facts the original resume (plus
anything the user typed) already states. Everything here is deterministic, regex/lexicon based
and canonicalised, so that "k8s" == "Kubernetes", "40 %" == "40%" and "€40M" == "€40 million".
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any, Protocol

# Re-exported: the guard and the rewrites read the vocabulary through this module.
from resume_tui.documents.vocabulary import ORG_SUFFIXES as ORG_SUFFIXES
from resume_tui.documents.vocabulary import RANKED_SENIORITY as RANKED_SENIORITY
from resume_tui.documents.vocabulary import ROLE_NOUNS as ROLE_NOUNS
from resume_tui.models import Resume


class FactKind(StrEnum):
    SKILL = "skill"
    NUMBER = "number"
    PERCENT = "percent"
    MONEY = "money"
    YEAR = "year"
    DATE = "date"  # month + year, e.g. "jan 2020"
    YEARS_EXP = "years_experience"
    DEGREE = "degree"
    CERTIFICATION = "certification"
    TITLE = "title"
    EMPLOYER = "employer"
    NAME = "name"  # any other capitalised token that could be a tool, product, place or organisation
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"


@dataclass(frozen=True)
class Fact:
    kind: FactKind
    value: str  # canonical, comparable form
    surface: str  # as written
    start: int = 0
    end: int = 0
    category: str = ""  # lexicon category for skills/certifications
    canonical: str = ""  # the lexicon's canonical name, original case

    @property
    def generic(self) -> bool:
        """A concept ("logistics", "event streaming") rather than a named tool ("Kubernetes", "AWS")."""
        return self.kind is FactKind.SKILL and (
            self.category in {"domain", "soft_skill"} or self.canonical == self.canonical.lower()
        )


class _LexiconLike(Protocol):
    def find(self, text: str, *, context_free: bool = False) -> list[Any]: ...


# --------------------------------------------------------------------------- lexicon access


@lru_cache(maxsize=1)
def _default_lexicon() -> _LexiconLike | None:
    """The analysis colleague's lexicon; without it skills are still caught as unknown names."""
    try:
        from resume_tui.analysis.lexicon import default_lexicon
    except ImportError:
        return None
    return default_lexicon()


def skill_hits(text: str, lexicon: _LexiconLike | None = None) -> list[Any]:
    lex = lexicon if lexicon is not None else _default_lexicon()
    if lex is None or not text:
        return []
    return list(lex.find(text))


# --------------------------------------------------------------------------- patterns

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:k|K|m|M|mm|MM|bn|BN|b|B|thousand|million|billion|mln|mio)"
_SCALES = {
    "k": 1e3, "thousand": 1e3,
    "m": 1e6, "mm": 1e6, "million": 1e6, "mln": 1e6, "mio": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9,
}
_CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR"}
_CURRENCY_CODES = {"eur", "usd", "gbp", "chf", "jpy", "inr", "cad", "aud"}

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
URL_RE = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|me|app|co|in|ai)/\S*", re.I)
PHONE_RE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{7,18}\d(?!\w)")

_MONEY_RE = re.compile(
    rf"(?P<sym>[€$£¥₹])\s?(?P<num>{_NUM})\s?(?P<scale>{_SCALE})?(?![\w])"
    rf"|(?<![\w.])(?P<num2>{_NUM})\s?(?P<scale2>{_SCALE})?\s?(?P<code>EUR|USD|GBP|CHF|JPY|INR|CAD|AUD|euros?|dollars?|pounds?)\b",
    re.I,
)
_PERCENT_RE = re.compile(rf"(?<![\w.])(?P<num>{_NUM})\s?(?:%|percent\b|per cent\b|pct\b)", re.I)
_YEARS_EXP_RE = re.compile(
    rf"(?<![\w.])(?P<num>{_NUM}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
    r"\s*(?:\+|plus)?\s*(?:years?|yrs?)\b",
    re.I,
)
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE_RE = re.compile(
    rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<year>(?:19|20)\d\d)\b|\b(?P<m2>0?[1-9]|1[0-2])/(?P<y2>(?:19|20)\d\d)\b",
    re.I,
)
_YEAR_RE = re.compile(r"(?<![\w.,])(?P<year>(?:19|20)\d\d)(?![\w%])|(?<![\w])['’](?P<short>\d\d)(?!\w)")
_NUMBER_RE = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE})(?![\w]))?(?![\w])")
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
    "hundred": 100, "thousand": 1000, "hundreds": 100, "thousands": 1000, "dozens": 12,
}
# Multipliers are figures too: "10x faster", "doubled throughput", "cut costs in half".
_MULTIPLIER_RE = re.compile(
    r"(?<![\w.])(?P<num>\d+(?:\.\d+)?)\s?[x×](?![\w])"
    r"|\b(?P<word>doubl(?:ed|ing|e)|tripl(?:ed|ing|e)|quadrupl(?:ed|ing|e)|halv(?:ed|ing)|twofold|threefold|"
    r"fourfold|tenfold|in half)\b",
    re.I,
)
_MULTIPLIER_WORDS = {"doubl": 2, "tripl": 3, "quadrupl": 4, "halv": 0.5, "in half": 0.5, "twofold": 2,
                     "threefold": 3, "fourfold": 4, "tenfold": 10}
# An open end date: "2019 – present".
_PRESENT_RE = re.compile(r"[-–—]\s*(?P<word>present|current|now|today|ongoing|date)\b", re.I)
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)

_DEGREES: list[tuple[str, str]] = [
    (r"ph\.?\s?d\.?|doctorate|doctor of philosophy|d\.phil", "phd"),
    (r"m\.?b\.?a\.?", "mba"),
    (r"m\.?\s?sc\.?|master(?:['’]?s)?(?=\s+(?:degree|of|in)\b)|master['’]s|masters|m\.?eng\.?|m\.ed\.|msn|mph|llm", "master"),
    (r"b\.?\s?sc\.?|bachelor(?:['’]?s)?|b\.?eng\.?|b\.?tech\.?|bba|bsn|llb", "bachelor"),
    (r"associate(?:['’]?s)?(?=\s+(?:degree|of|in)\b)|associate['’]s", "associate"),
    (r"diploma|hnd|ged", "diploma"),
    (r"dnp|pharm\.?\s?d", "doctorate_professional"),
]
_DEGREE_RE = re.compile(
    r"(?<![\w])(?:" + "|".join(f"(?P<d{i}>{p})" for i, (p, _) in enumerate(_DEGREES)) + r")(?![\w])",
    re.I,
)
# Short degrees that only case tells apart from words ("BS" vs "bs", "MS Office" is no degree).
_DEGREE_CAPS_RE = re.compile(
    r"(?<![\w.])(?P<deg>B\.?S\.?|B\.?A\.?|M\.?S\.?|M\.?A\.?|A\.S\.|A\.A\.|M\.D\.)(?![\w])"
    r"(?!\s*(?:Office|Excel|Word|SQL|Project|Teams|Access|PowerPoint|Outlook|Dynamics|Azure|Visio|365))"
)
_DEGREE_CAPS = {"BS": "bachelor", "BA": "bachelor", "MS": "master", "MA": "master", "AS": "associate",
                "AA": "associate", "MD": "doctorate_professional"}

CERT_ACRONYMS = {
    "CPA", "PMP", "CKAD", "CKA", "CKS", "RN", "LPN", "BLS", "ACLS", "PALS", "NRP", "CFA", "CISSP", "CISA",
    "CISM", "CCNA", "CCNP", "CCIE", "PHR", "SPHR", "SHRM-CP", "SHRM-SCP", "CSM", "PSM", "CSPO", "ITIL",
    "CNA", "CPR", "TEFL", "TESOL", "CELTA", "CMA", "ACCA", "CIMA", "OSCP", "CEH", "FNP", "APRN",
    "FNP-BC", "AGACNP", "CCRN", "CEN", "EIT", "CAPM", "PMI-ACP", "CSCP", "CPIM", "CQE",
    "GCP-PCA", "AWS-SAA", "RHCE", "RHCSA", "MCSE", "OCP", "CDMP", "CFP", "FRM", "CAIA", "CHRP",
}
_CERT_ACRONYM_RE = re.compile(
    r"(?<![\w-])(" + "|".join(sorted((re.escape(a) for a in CERT_ACRONYMS), key=len, reverse=True)) + r")(?![\w]|-[A-Z])"
)
_CERT_PHRASE_RE = re.compile(
    r"\b(?:(?:[A-Z][\w+#.-]*\s+){0,3}Certified(?:\s+[A-Z][\w+#.-]*){1,6}"
    r"|Certificate\s+(?:in|of)\s+(?:[A-Z][\w+#.-]*\s?){1,5}"
    r"|(?:[A-Z][\w+#.-]*\s+){1,5}Certification)",
)

SENIORITY = {
    "junior", "jr", "senior", "sr", "lead", "principal", "staff", "head", "chief", "director", "vp",
    "vice", "president", "executive", "distinguished", "associate", "assistant", "deputy", "managing",
    "manager", "supervisor", "chair", "dean", "partner", "founder", "co-founder", "cto", "ceo", "cfo",
    "coo", "cio", "ciso",
}
_TITLE_LEAD_WORDS = {
    "junior", "jr", "jr.", "senior", "sr", "sr.", "lead", "principal", "staff", "head", "chief", "associate",
    "assistant", "deputy", "executive", "distinguished", "managing", "vice", "president", "vp",
}

_ORG_RE = re.compile(
    r"(?P<org>(?:[A-Z][\w&'.-]*\s+){1,4}(?:" + "|".join(re.escape(s) for s in ORG_SUFFIXES) + r")(?![\w])"
    r"|(?:University|College|Institute|School|Hospital|Bank)\s+of\s+(?:[A-Z][\w&'-]*\s?){1,4})"
)
_EMPLOYER_CONTEXT_RE = re.compile(
    r"(?:\b(?:at|joined)\s+|\s[—–-]\s|\s@\s?)(?P<org>[A-Z][\w&'.-]*(?:\s+(?:(?:for|of|and|&|the|de)\s+)?[A-Z][\w&'.-]*){0,3})"
)

_CAP_TOKEN_RE = re.compile(r"(?<![\w@/.-])([A-Z][\w+#&'’.-]*[\w+#]|[A-Z])(?![\w@])")
_WORD_RE = re.compile(r"[A-Za-z][\w+#'’-]*")

# Words that start a sentence or a heading in ordinary resume prose: not names, not tools.
COMMON_WORDS = set(
    """
    a an the and or but of in on at to for from by with as into onto over under per via about across after
    before during since until within without between among through throughout while when where which who whom
    whose what why how this that these those it its it's our my your their his her we i you they he she them us
    me is are was were be been being am has have had do does did can could will would shall should may might
    must not no nor so than then too very also just only both each every all any some more most less least
    few many much other another such own same new first last next key main primary core strong solid proven
    team teams company companies client clients customer customers user users product products service services
    project projects system systems data process processes business role roles work working experience
    experienced years year month months day days week weeks summary profile skills education experience
    certifications certification projects publications volunteering awards languages interests references
    responsibilities achievements highlights objective career professional personal technical other tools
    technologies languages frameworks platforms infrastructure practices methods soft hard core areas expertise
    led lead leading managed manage managing built build building designed design designing developed develop
    developing created create creating delivered deliver delivering drove drive driving improved improve
    improving increased increase increasing reduced reduce reducing cut cutting launched launch launching
    implemented implement implementing introduced introduce introducing migrated migrate moved move
    owned own owning ran run running wrote write writing worked work mentored mentor mentoring coached coach
    trained train training taught teach teaching supported support supporting collaborated collaborate
    partnered partner coordinated coordinate organized organised organize organise planned plan planning
    analysed analyzed analyse analyze analysing analyzing automated automate automating optimized optimised
    optimize optimise scaled scale scaling shipped ship shipping maintained maintain maintaining operated
    operate operating established establish spearheaded architected orchestrated streamlined championed
    facilitated facilitate oversaw oversee directed direct administered administer handled handle handling
    prepared prepare performed perform conducted conduct provided provide providing produced produce
    reviewed review reviewing tested test testing deployed deploy deploying monitored monitor monitoring
    resolved resolve resolving ensured ensure achieved achieve generated generate won secured negotiated
    presented present researched research researching published publish contributed contribute served serve
    assisted assist helped help advised advise guided guide consulted worked responsible accountable
    comfortable passionate skilled proficient familiar expert experienced hands-on adept versed focused
    background track record ability abilities knowledge understanding including include includes such like
    across end-to-end high low large small fast reliable scalable secure daily weekly monthly annual yearly
    present current currently previous previously recent recently today now here there above below
    relevant highlighted strengths strength selected select notable additional further certified
    seasoned accomplished dedicated motivated versatile dynamic highly hardworking hard-working innovative
    creative strategic enthusiastic results-driven detail-oriented self-motivated self-starter customer-focused
    goal-oriented team-oriented data-driven well-rounded talented skilful skillful diligent reliable
    grew took made gave sold set kept brought began chose drew fed found got held knew left met paid put rose
    said saw sent sought spent stood struck thought told understood went became wrote ran drove oversaw won
    member part over cross-functional end key day-to-day hands various several multiple numerous diverse
    successfully effectively closely directly actively regularly consistently quickly significantly
    internal external global local regional national international remote hybrid onsite on-site full-time
    part-time contract freelance volunteer junior mid-level level entry entry-level graduate student
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    mr ms mrs dr prof
    """.split()
)


# --------------------------------------------------------------------------- normalisation


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _fmt(value: float) -> str:
    return f"{value:.6g}" if value != int(value) else str(int(value))


def norm_text(text: str) -> str:
    """Lowercase, unify dashes/quotes/whitespace: for phrase containment checks."""
    text = text.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    out = []
    for w in _WORD_RE.findall(text):
        w = w.lower().replace("’", "'").rstrip("-'")
        if w.endswith("'s"):
            out.append(w[:-2])  # "Porto's" also states "Porto"
        out.append(w)
    return out


def title_words(title: str) -> list[str]:
    return [w.rstrip(".") for w in norm_text(title).split()]


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


# --------------------------------------------------------------------------- fact base


USER_FACTS_ID = "user"


@dataclass
class FactBase:
    """What a resume (plus user-typed facts) supports: fact values, where each appears, and its words."""

    by_key: dict[tuple[FactKind, str], set[str]] = field(default_factory=dict)  # (kind, value) -> item ids
    words: set[str] = field(default_factory=set)
    text: str = ""  # normalised full text, for phrase containment
    item_words: dict[str, set[str]] = field(default_factory=dict)
    item_text: dict[str, str] = field(default_factory=dict)
    # (kind, value) -> surface as written -> item ids: "spreadsheets" and "Excel" share a value, not a surface
    surfaces: dict[tuple[FactKind, str], dict[str, set[str]]] = field(default_factory=dict)

    def add_text(self, text: str, source_id: str, *, lexicon: _LexiconLike | None = None, declared: bool = False) -> None:
        found = extract_facts(text, lexicon=lexicon)
        if declared:
            found += _declared_skills(text, found, lexicon)
        for fact in found:
            self.by_key.setdefault((fact.kind, fact.value), set()).add(source_id)
            written = self.surfaces.setdefault((fact.kind, fact.value), {})
            written.setdefault(fact.surface.strip(), set()).add(source_id)
            if fact.kind is FactKind.YEARS_EXP:  # "6 years" also states the number 6
                self.by_key.setdefault((FactKind.NUMBER, fact.value), set()).add(source_id)
        ws = set(words(text))
        self.words |= ws
        self.item_words.setdefault(source_id, set()).update(ws)
        normalised = norm_text(text)
        self.item_text[source_id] = (self.item_text.get(source_id, "") + "\n" + normalised).strip()
        self.text = (self.text + "\n" + normalised).strip()

    def sources(self, kind: FactKind, value: str) -> set[str]:
        return self.by_key.get((kind, value), set())

    def values(self, kind: FactKind) -> set[str]:
        return {v for (k, v) in self.by_key if k is kind}

    def has_word(self, word: str) -> bool:
        return word.lower().replace("’", "'") in self.words

    def phrase_sources(self, phrase: str) -> set[str]:
        p = norm_text(phrase)
        return {sid for sid, t in self.item_text.items() if p and p in t}


def build_fact_base(
    resume: Resume, user_facts: Sequence[str] = (), *, lexicon: _LexiconLike | None = None
) -> FactBase:
    """Facts of every item, the section titles, the header lines and the user's own statements."""
    base = FactBase()
    for line in resume.header_lines:
        base.add_text(line, "header", lexicon=lexicon)
    contact = resume.contact
    for value in (contact.name, contact.email, contact.phone, contact.location, *contact.links):
        if value:
            base.add_text(value, "header", lexicon=lexicon)
    for section in resume.sections:
        if section.title:
            base.add_text(section.title, f"{section.id}:title", lexicon=lexicon)
        for item in section.items:
            base.add_text(item.text, item.id, lexicon=lexicon)
    for fact_text in user_facts:
        if fact_text and fact_text.strip():
            base.add_text(fact_text, USER_FACTS_ID, lexicon=lexicon, declared=True)
    return base


def _declared_skills(text: str, found: list[Fact], lexicon: _LexiconLike | None) -> list[Fact]:
    """Skills in a declared fact that the lexicon keeps only beside other tools ("Go", "R", "C"): the user
    named them on purpose, so "I have used Go in production since 2020" declares Go."""
    lex = lexicon if lexicon is not None else _default_lexicon()
    if lex is None or not hasattr(lex, "find"):
        return []
    have = {(f.start, f.end) for f in found if f.kind in (FactKind.SKILL, FactKind.CERTIFICATION)}
    out = []
    for hit in lex.find(text, context_free=True):
        if (hit.start, hit.end) not in have:
            out.append(Fact(FactKind.SKILL, str(hit.canonical).lower(), str(hit.surface), int(hit.start), int(hit.end),
                            str(hit.category), str(hit.canonical)))
    return out


def facts_of(texts: Iterable[str], *, lexicon: _LexiconLike | None = None) -> set[tuple[FactKind, str]]:
    return {(f.kind, f.value) for t in texts for f in extract_facts(t, lexicon=lexicon)}
