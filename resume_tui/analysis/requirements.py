"""Turn a job description into quoted, categorised, prioritised requirements.

Offline and deterministic. The JD is read as lines: headings ("Requirements", "**Nice to
have:**", "What will you do?") set the default priority and kind of what follows, bullets
become requirements, prose sentences only when they read like a requirement (a skill plus
a cue such as "experience", "knowledge", "must"). Boilerplate (benefits, EEO, about us,
how to apply) and sentences that instruct a model are never requirements.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from resume_tui.analysis.injection import contains_injection, find_injections
from resume_tui.analysis.lexicon import Lexicon, SkillHit, default_lexicon
from resume_tui.errors import InputError
from resume_tui.models import JobDescription, Priority, Requirement, RequirementCategory, SourceFormat
from resume_tui.textsafe import clean_text, describe_removed

# --------------------------------------------------------------------------- degrees & years

DEGREE_ORDER = {"diploma": 0, "associate": 1, "bachelor": 2, "master": 3, "phd": 4}

_DEGREE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("phd", re.compile(r"\bph\.?\s?d\b|\bdoctorate\b|\bdoctoral\b|\bdoctor of\b|\bd\.?phil\b", re.I)),
    ("phd", re.compile(r"\b(?:EdD|DNP|PsyD|DBA)\b")),
    ("master", re.compile(r"\bmaster'?s?\b|\bmasters\b|\bmaestr[íi]a\b|\bm\.eng\b|\bmagister\b", re.I)),
    ("master", re.compile(r"\b(?:MSc|MBA|MSN|MEng|MPH|MFA|MEd|M\.Sc|M\.S\.|M\.A\.|M\.Tech)(?![\w])")),
    ("master", re.compile(r"\b(?:MS|MA)\b(?=\s*(?:\(|,|/|\bin\b|\bdegree\b|\bof\b|\bor\b|\)))")),
    ("bachelor", re.compile(r"\bbachelor'?s?\b|\bbachelors\b|\bbaccalaureate\b|\bundergraduate degree\b|\b(?:4|four)[- ]year (?:college |university )?degree\b|\blicenciatura\b", re.I)),
    ("bachelor", re.compile(r"\b(?:BSc|BSN|BBA|BEng|B\.Sc|B\.S\.|B\.A\.|B\.Tech|BTech|B\.E\.)(?![\w])")),
    ("bachelor", re.compile(r"\b(?:BS|BA)\b(?=\s*(?:\(|,|/|\bin\b|\bdegree\b|\bof\b|\bor\b|\)))")),
    ("associate", re.compile(r"\bassociate'?s?\s+(?:degree|of (?:science|arts|applied))\b", re.I)),
    ("associate", re.compile(r"\b(?:ADN|AAS)\b")),
    ("diploma", re.compile(r"\bhigh[- ]school diploma\b|\bGED\b|\bsecondary school\b", re.I)),
]


def find_degrees(text: str) -> list[str]:
    """Degree levels mentioned in `text` ("bachelor", "master", …), lowest first, no duplicates."""
    levels = {level for level, pattern in _DEGREE_PATTERNS if pattern.search(text)}
    return sorted(levels, key=DEGREE_ORDER.__getitem__)


_NUM_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
}
_NUM = r"(\d{1,2}(?:\.\d)?|" + "|".join(_NUM_WORDS) + r")"
_YEARS_RE = re.compile(
    _NUM + r"\s*(?:\+|plus)?\s*(?:(?:-|–|to|or)\s*" + _NUM + r"\s*\+?\s*)?(?:\(\d+\)\s*)?(?:years?|yrs?)\b(?!-)"
    r"(?P<after>[^.;\n]{0,60})",
    re.I,
)
_YEARS_CONTEXT = re.compile(
    r"experience|experienced|\bin\b|\bof\b|\bas\b|\bworking\b|\bbuilding\b|\bwith\b|\broles?\b|\bbackground\b|\bmanaging\b|\bleading\b",
    re.I,
)


def _num(s: str) -> float:
    return float(_NUM_WORDS.get(s.lower(), s)) if s.lower() in _NUM_WORDS else float(s)


def find_years(text: str, *, experience_context: bool = False) -> float | None:
    """Years of experience asked for ("5+ years of …", "2-3 years", "3 years (Required)")."""
    for m in _YEARS_RE.finditer(text):
        before = text[max(0, m.start() - 25) : m.start()].lower()
        if re.search(r"\b(?:within|after|every|for the (?:first|next)|over the (?:last|past)|in the (?:last|past))\s*$", before):
            continue
        after = m.group("after")
        if experience_context or _YEARS_CONTEXT.search(after[:40]) or "experience" in before or "minimum" in before:
            low = _num(m.group(1))
            return low
    return None


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
    if lines and lines[0].strip() == "---":
        for i in range(1, min(len(lines), 60)):
            if lines[i].strip() in ("---", "..."):
                meta: dict[str, str] = {}
                for raw in lines[1:i]:
                    m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", raw)
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


def _to_lines(body: str) -> list[_Line]:
    """Clean markdown/PDF text into logical lines; wrapped lines of one paragraph are joined."""
    out: list[_Line] = []
    prev_blank = True
    last_words = 0
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
        is_bullet = bool(bullet_m) and not re.match(r"^\*\*", unescaped)
        content = unescaped[bullet_m.end() :] if is_bullet else unescaped
        bold_only = bool(re.fullmatch(r"(\*\*|__)[^*_]{1,100}\1\s*:?\s*", content))
        text = _clean_inline(content)
        if not text:
            continue
        words = len(text.split())
        is_heading = False
        if not is_bullet:
            if bold_only and words <= 10:
                is_heading = True
            elif words <= 7 and text.endswith(":") and not _LABEL.match(text):
                is_heading = True
            elif words <= 9 and text.endswith("?"):
                is_heading = True
            elif words <= 5 and _HEADING_WORDS.match(text.rstrip(":")):
                is_heading = True
            elif words <= 6 and not re.search(r"[.!?,;]$", text) and _titleish(text) and _kind_of(text) != _DESC:
                is_heading = True  # "QUALIFICATIONS AND SKILLS", "Key Responsibilities"
        if is_heading:
            out.append(_Line(text.rstrip(":").strip(), heading=True))
            prev_blank = False
            continue
        last = out[-1] if out else None
        joinable = last is not None and not last.heading and not is_bullet and not prev_blank
        if joinable and not re.search(r"[.!?:;]$", last.text) and (
            last_words >= 8 or re.search(r"[,(&/–-]$", last.text) or text[:1].islower()
        ):
            last.text = f"{last.text} {text}"
        else:
            out.append(_Line(text, bullet=is_bullet))
        last_words = words
        prev_blank = False
    return out


# --------------------------------------------------------------------------- section kinds

_REQ, _NICE, _RESP, _TECH, _BOILER, _DESC = "required", "nice", "resp", "tech", "boiler", "desc"
_STACK = "stack"  # "Technology we're using": the team's stack, a plus rather than a requirement

_KIND_RULES: list[tuple[str, re.Pattern[str]]] = [
    (_BOILER, re.compile(
        r"\b(?:about (?:us|the company|[A-Z]\w+)|company description|who we are|our (?:company|story|values|culture|mission)|"
        r"benefits?|perks|what we offer|we offer|compensation|salary|pay range|how to apply|to apply|apply\b|"
        r"equal (?:employment )?opportunit|eeo|diversity|inclusion|additional information|in it for you|"
        r"job type|work authori[sz]ation|sobre nosotros|beneficios|c[oó]mo aplicar|postular|travel|location|"
        r"thinks big|see yourself|life at|our offer|ce que nous offrons|wir bieten|[uü]ber uns)\b", re.I)),
    (_BOILER, re.compile(r"^why\b", re.I)),
    (_NICE, re.compile(
        r"\b(?:nice[- ]to[- ]haves?|preferred|bonus|desired|desirable|plus(?:es)?|good to have|ideally|"
        r"would be great|extra credit|deseable|wünschenswert|idealement|un plus)\b", re.I)),
    (_REQ, re.compile(r"\b(?:required|requirements?|must[- ]haves?|qualifications?|minimum|requisitos)\b", re.I)),
    (_STACK, re.compile(r"\b(?:technolog(?:y|ies)|tech stack|our stack|stack|tools we use|what we use|we(?:'|’)re using)\b", re.I)),
    (_TECH, re.compile(r"\b(?:tools|job skills|skills we use|key skills)\b", re.I)),
    (_RESP, re.compile(
        r"\b(?:responsibilit|duties|what you(?:'|’)?ll do|what you will do|what will you do|you will|in this role|"
        r"the role|your role|day[- ]to[- ]day|your mission|missions?|responsabilidades|funciones|aufgaben|"
        r"what you(?:'|’)?ll be doing|key accountabilities)", re.I)),
    (_REQ, re.compile(
        r"\b(?:requirements?|required|qualifications?|must[- ]haves?|what you bring|what you(?:'|’)?ll bring|"
        r"what you need|need to succeed|what we(?:'|’)?re looking for|what we are looking for|who you are|"
        r"about you|you have|your profile|your skills|skills|experience|education|licen[cs]e|certifications?|"
        r"requisitos|anforderungen|profil|competen|minimum|basic)\b", re.I)),
    (_DESC, re.compile(r".*")),
]

_DEFAULT_PRIORITY = {
    _REQ: Priority.CRITICAL,
    _NICE: Priority.NICE_TO_HAVE,
    _RESP: Priority.IMPORTANT,
    _TECH: Priority.IMPORTANT,
    _STACK: Priority.NICE_TO_HAVE,
    _DESC: Priority.IMPORTANT,
}


def _kind_of(heading: str) -> str:
    for kind, pattern in _KIND_RULES:
        if pattern.search(heading):
            return kind
    return _DESC


# --------------------------------------------------------------------------- cues

_NICE_CUE = re.compile(
    r"\b(?:preferred|preferably|prefer|bonus|nice[- ]to[- ]have|a plus|is a plus|are a plus|plus\b(?! \d)|ideally|"
    r"desirable|desired|advantage|advantageous|helpful|would be great|not required|optional|deseable|valorable)\b",
    re.I,
)
_TRAINING_PROVIDED = re.compile(r"\b(?:will (?:provide|offer) training|training (?:is|will be) provided|we will train)\b", re.I)
_CRIT_CUE = re.compile(
    r"\b(?:must|required|requirement|minimum|essential|mandatory|at least|need to have|necessary|"
    r"obligatori[oa]|imprescindible|indispensable|requis|erforderlich)\b",
    re.I,
)
_PROSE_CUE = re.compile(
    r"\b(?:experience[ds]?|knowledge|skills?|skilled|proficien\w*|familiar\w*|expertise|expert|ability|able to|"
    r"must|required|essential|strong|solid|understanding|degree|background in|looking for|ideal candidate|"
    r"you have|you are|you will|should have|should be|need|hands[- ]on|passionate about|responsible for|"
    r"will perform|certifi\w*|licen[cs]\w*|years?|comfortable|capable|conocimientos?|experiencia|habilidades)\b"
    r"|^you\b",
    re.I,
)
_BOILER_STRONG = re.compile(
    r"equal (?:employment )?opportunit|without regard to|discriminat|protected veteran|sexual orientation|"
    r"gender identity|reasonable accommodation|e-verify|401\s*\(?k\)?|health insurance|dental|paid time off|\bPTO\b|"
    r"parental leave|stock options|compensation package|competitive (?:pay|salary|compensation)|"
    r"authori[sz]ed to work|visa sponsorship|background check|drug (?:test|screen)|click to apply|apply now|"
    r"submit your (?:application|resume|cv)|cover letter|other duties as assigned",
    re.I,
)
_BOILER_PROSE = re.compile(
    r"\b(?:we are (?:a|an|the)\b|founded in|headquartered|our mission|our values|we believe|we offer|join (?:us|our team)|"
    r"apply\b|salary|benefits|compensation|we care|our (?:clients|customers) (?:include|range)|we invite|"
    r"job openings|explore the following)",
    re.I,
)
_LOGISTICS = re.compile(r"^(?:full[- ]time|part[- ]time|contract|remote|hybrid|on[- ]site|temporary|permanent|"
                        r"\d+[- ]year initial commitment|[\w ]{0,20}commitment)\.?$", re.I)
_SOFT_WORDS = re.compile(
    r"\b(?:attitude|curious|motivated|independent\w*|mindset|passion\w*|willing\w*|team|interpersonal|"
    r"organi[sz]ed|proactive|detail|initiative|eager)\b",
    re.I,
)
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|etc|inc|ltd|co|jr|sr|dr|st|vs|approx|incl|no|dept)\.|\b[A-Z]\.)$", re.I)
_SENT_BREAK = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[A-Z0-9(¿¡\"“])")
_CATEGORY_MAP = {
    "technical_skill": RequirementCategory.TECHNICAL_SKILL,
    "tool": RequirementCategory.TECHNICAL_SKILL,
    "certification": RequirementCategory.EDUCATION,
    "soft_skill": RequirementCategory.SOFT_SKILL,
    "domain": RequirementCategory.DOMAIN,
}


def _sentences(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for m in _SENT_BREAK.finditer(text):
        piece = text[start : m.start()]
        if _ABBREV.search(piece.rstrip("\"”’)")):
            continue
        parts.append(piece.strip())
        start = m.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _top_level_commas(text: str) -> list[tuple[int, int]]:
    """Spans between commas/semicolons outside parentheses (keeps "(RDS, S3, VPC)" together)."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch in ",;" and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


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


def _title_company(meta: dict[str, str], lines: list[_Line]) -> tuple[str | None, str | None]:
    """Front matter, "Title: …"/"Company: …" labels, the first heading ("X — Y", "X at Y"), or a sentence."""
    title = meta.get("position") or meta.get("job_title") or meta.get("jobtitle") or None
    company = meta.get("company") or meta.get("companyname") or meta.get("employer") or meta.get("organization") or None
    meta_title = meta.get("title")
    if meta_title and not re.search(r"job openings?|apply|careers?|hiring", meta_title, re.I):
        t, c = _split_title(meta_title)
        title = title or t
        company = company or c
    for line in lines[:12]:
        m = re.match(r"^(?:job title|title|position|role|puesto(?: de trabajo)?|cargo|poste|stelle|vacancy)\s*:\s*(.+)$", line.text, re.I)
        if m and not title:
            title = m.group(1).strip()
        m = re.match(r"^(?:company|employer|organi[sz]ation|empresa|entreprise|unternehmen)\s*:\s*(.+)$", line.text, re.I)
        if m and not company:
            company = m.group(1).strip()
    if not title:
        for i, line in enumerate(lines[:6]):
            text = line.text.strip()
            if line.bullet:
                continue
            if _SLUG.match(text) or _HEADING_WORDS.match(text.rstrip(":")) or len(text.split()) > 12 or text.endswith("?"):
                continue
            if not (line.heading or i == 0 or (i <= 2 and not re.search(r"[.!?]$", text))):
                continue
            if re.search(r"[.!?]$", text) and not line.heading:
                continue
            title, c = _split_title(text)
            company = company or c
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if (  # "ACME CORP" / "Senior Accountant": a company line above the job title
                not c
                and not _JOB_WORD.search(text)
                and nxt is not None
                and not nxt.bullet
                and len(nxt.text.split()) <= 8
                and _JOB_WORD.search(nxt.text)
                and not re.search(r"[.!?]$", nxt.text)
            ):
                company = company or text
                title, c = _split_title(nxt.text)
                company = c or company
                break
            if line.heading and line.level and not company:
                nxt = lines[i + 1] if i + 1 < len(lines) else None
                if (
                    nxt is not None
                    and nxt.heading
                    and len(nxt.text.split()) <= 5
                    and _kind_of(nxt.text) == _DESC
                    and not re.search(r"remote|hybrid|on-?site|\d", nxt.text, re.I)
                ):
                    company = nxt.text.strip()
            break
    if not title:
        for line in lines:
            m = re.search(
                r"\b(?:seeking|hiring|looking for)\s+(?:an?|the)\s+((?:[A-Z][\w&/-]*\s?){1,5})|"
                r"\b(?:[Tt]he|[Oo]ur|[Aa]n?)\s+((?:[A-Z][\w&/-]*\s){1,4})(?:role|position)\b",
                line.text,
            )
            if m:
                title = (m.group(1) or m.group(2)).strip()
                break
    return (title or None), (company or None)


_JOB_WORD = re.compile(
    r"\b(?:engineer|developer|programmer|architect|manager|director|lead|head|officer|analyst|scientist|"
    r"accountant|bookkeeper|controller|auditor|nurse|physician|therapist|technician|teacher|tutor|instructor|"
    r"professor|designer|specialist|coordinator|assistant|associate|administrator|consultant|representative|"
    r"executive|intern|clerk|receptionist|recruiter|advisor|agent|planner|supervisor|operator|writer|editor|"
    r"marketer|strategist|desarrollador|ingeniero|enfermer[oa]|profesor|entwickler|ingenieur)s?\b",
    re.I,
)


def _split_title(text: str) -> tuple[str, str | None]:
    text = text.strip().strip("#").strip()
    for sep in (" — ", " – ", " | ", " @ ", " at "):
        if sep in text:
            left, right = text.split(sep, 1)
            if left.strip() and right.strip() and len(right.split()) <= 6:
                return left.strip(), right.strip()
    return text, None


def _priority_for(text: str, default: Priority) -> Priority:
    if _NICE_CUE.search(text):
        return Priority.NICE_TO_HAVE
    if _CRIT_CUE.search(text):
        return Priority.CRITICAL
    return default


def _category_for(text: str, hits: list[SkillHit], years: float | None, degree: str | None, kind: str) -> RequirementCategory:
    if degree:
        return RequirementCategory.EDUCATION
    if years is not None:
        return RequirementCategory.EXPERIENCE
    cats = [h.category for h in hits]
    technical = any(c in ("technical_skill", "tool") for c in cats)
    if kind == _RESP and not re.match(r"^(?:strong|solid|excellent|proficien|experience|knowledge)", text, re.I):
        return RequirementCategory.RESPONSIBILITY
    if re.search(r"\b(?:licen[cs]e[ds]?|certifications?|certified|certificates?)\b", text, re.I):
        return RequirementCategory.EDUCATION
    if technical:
        return RequirementCategory.TECHNICAL_SKILL
    if "certification" in cats:
        return RequirementCategory.EDUCATION
    if "soft_skill" in cats and "domain" not in cats:
        return RequirementCategory.SOFT_SKILL
    if "domain" in cats:
        return RequirementCategory.DOMAIN
    if "soft_skill" in cats:
        return RequirementCategory.SOFT_SKILL
    if re.search(r"\bexperience\b", text, re.I):
        return RequirementCategory.EXPERIENCE
    if _SOFT_WORDS.search(text):
        return RequirementCategory.SOFT_SKILL
    if kind in (_RESP, _DESC):
        return RequirementCategory.RESPONSIBILITY
    return RequirementCategory.DOMAIN


# Bounds that keep parsing (and every later step, which is per requirement) linear and short.
MAX_POSTING_CHARS = 200_000
MAX_REQUIREMENTS = 300


def parse_job_description(
    text: str,
    *,
    source_format: SourceFormat = SourceFormat.TEXT,
    source_path: str | None = None,
    warnings: Sequence[str] = (),
    lexicon: Lexicon | None = None,
) -> JobDescription:
    """Parse a posting into a JobDescription with requirements r1, r2, … in JD order."""
    if text is None or not text.strip():
        raise InputError("The job description is empty: paste or load the text of the posting and try again.")
    text, removed = clean_text(text)  # pasted or fetched text may carry terminal escape sequences
    notes = list(warnings) + ([note] if (note := describe_removed(removed, "the job description")) else [])
    if len(text) > MAX_POSTING_CHARS:
        # A real posting is under 30 KB; past this every step would only burn time on noise.
        notes.append(
            f"The job description is {len(text) / 1e6:.1f} million characters; only its first "
            f"{MAX_POSTING_CHARS // 1000}k characters were read — paste just the posting."
        )
        text = text[:MAX_POSTING_CHARS]
    lex = lexicon or default_lexicon()
    from resume_tui.documents.quality import guess_language

    meta, body = _split_front_matter(text)
    injections = find_injections(text)
    lines = _to_lines(body)
    title, company = _title_company(meta, lines)

    clauses: list[_Clause] = []
    kind = _DESC
    for idx, line in enumerate(lines):
        if line.heading:
            kind = _kind_of(line.text)
            if title and line.text.startswith(title):
                kind = _DESC
            continue
        if kind == _BOILER:
            continue
        content, label_kind = _strip_label(line.text)
        line_kind = label_kind or kind
        if line_kind == _BOILER:
            continue
        prose = not line.bullet and line_kind == _DESC
        sentences = _sentences(content)
        if len(sentences) > 1 and len(sentences[0].split()) <= 4:  # "Testing. You are passionate about …"
            sentences = [f"{sentences[0]} {sentences[1]}", *sentences[2:]]
        for sentence in sentences:
            clauses.append(_Clause(sentence, line_kind, prose, line.bullet))

    extractor = _Extractor(lex)
    requirements: list[Requirement] = []
    seen: set[str] = set()
    for clause in clauses:
        if len(requirements) >= MAX_REQUIREMENTS:
            notes.append(f"Only the first {MAX_REQUIREMENTS} requirements of the job description were kept.")
            break
        sentence = clause.text
        if sentence.strip().lower() in seen:
            continue
        if contains_injection(sentence) or _BOILER_STRONG.search(sentence):
            continue
        if title and sentence.strip().rstrip(".") == title:
            continue
        if _LOGISTICS.match(sentence.strip()):
            continue
        hits, years, degrees = extractor._signals(sentence)
        signal = bool(hits) or years is not None or bool(degrees)
        if clause.prose:
            if not signal or not _PROSE_CUE.search(sentence) or _BOILER_PROSE.search(sentence):
                continue
        elif not clause.bullet and (not signal or _BOILER_PROSE.search(sentence)):
            continue
        elif not signal and len(sentence.split()) < 3:
            continue
        default = _DEFAULT_PRIORITY.get(clause.kind, Priority.IMPORTANT)
        sentence_priority = Priority.CRITICAL if _CRIT_CUE.search(sentence) and not _NICE_CUE.search(sentence) else default
        if _TRAINING_PROVIDED.search(sentence):
            sentence_priority = Priority.NICE_TO_HAVE
        parts = extractor.split_clause(sentence)
        for part in parts:
            quote = part.strip()
            if len(quote) < 3 or quote.lower() in seen:
                continue
            if len(parts) == 1 and quote == sentence:
                p_hits, p_years, p_degrees = hits, years, degrees
            else:
                p_hits, p_years, p_degrees = extractor._signals(quote)
            if p_years is None and clause.kind == _REQ and re.search(r"\byears?\b", quote, re.I):
                p_years = find_years(quote, experience_context=True)
            priority = _priority_for(quote, sentence_priority)
            degree = p_degrees[0] if p_degrees else None
            keywords: list[str] = []
            for h in p_hits:
                if h.canonical not in keywords:
                    keywords.append(h.canonical)
            seen.add(quote.lower())
            requirements.append(
                Requirement(
                    id=f"r{len(requirements) + 1}",
                    text=quote,
                    category=_category_for(quote, p_hits, p_years, degree, clause.kind),
                    priority=priority,
                    keywords=keywords,
                    years=p_years,
                    degree=degree,
                )
            )

    out_warnings = notes
    if not requirements:
        out_warnings.append(
            "No requirements were found in the job description; check that it is the full posting with its "
            "responsibilities and qualifications."
        )
    return JobDescription(
        text=text,
        title=title,
        company=company,
        requirements=requirements,
        language=guess_language(text),
        source_format=source_format,
        source_path=source_path,
        warnings=out_warnings,
        injection_attempts=injections,
    )
