"""What a line of a posting is: its section's kind and default priority, the cues that make a
sentence a requirement (or boilerplate, or logistics), and sentence splitting.
"""

from __future__ import annotations

import re

from resume_tui.models import Priority, RequirementCategory

# --------------------------------------------------------------------------- section kinds

_REQ, _NICE, _RESP, _TECH, _BOILER, _DESC = "required", "nice", "resp", "tech", "boiler", "desc"
_STACK = "stack"  # "Technology we're using": the team's stack, a plus rather than a requirement

_KIND_RULES: list[tuple[str, re.Pattern[str]]] = [
    (_BOILER, re.compile(
        r"\b(?:about (?:us|the company|(?!you\b|the\b|this\b|our role\b)\w+)|company description|who we are|our (?:company|story|values|culture|mission)|"
        r"benefits?|perks|what we offer|we offer|compensation|salary|pay range|how to apply|to apply|apply\b|"
        r"equal (?:employment )?opportunit|eeo|diversity|inclusion|additional information|in it for you|"
        r"job type|work authori[sz]ation|sobre nosotros|beneficios|c[oó]mo aplicar|postular|travel|location|"
        r"thinks big|see yourself|life at|our offer|ce que nous offrons|wir bieten|[uü]ber uns|excited to come to work|"
        r"we care for|by providing|work(?:ing)? conditions|reporting (?:&|and) work|"
        r"(?:interview|hiring|recruit(?:ment|ing)|selection|application) (?:process|steps|stages)|"
        r"what to expect|next steps)\b", re.I)),
    (_BOILER, re.compile(r"^the experience$", re.I)),  # "You'll be excited because… The Experience": the offer
    (_BOILER, re.compile(r"^why\b", re.I)),
    (_NICE, re.compile(
        r"\b(?:nice[- ]to[- ]haves?|preferred|bonus|desired|desirable|plus(?:es)?|good to have|ideally|"
        r"would be great|extra credit|deseable|wünschenswert|idealement|un plus)\b", re.I)),
    (_REQ, re.compile(r"\b(?:required|requirements?|must[- ]haves?|qualifications?|minimum|requisitos)\b", re.I)),
    (_RESP, re.compile(
        r"\b(?:responsibilit|duties|what you(?:'|’)?ll do|what you will do|what will you do|you will|in this role|"
        r"the role|your role|day[- ]to[- ]day|your mission|missions?|responsabilidades|funciones|aufgaben|"
        r"what you(?:'|’)?ll be doing|key accountabilities)", re.I)),
    (_STACK, re.compile(r"\b(?:technolog(?:y|ies)|tech stack|our stack|stack|tools we use|what we use|we(?:'|’)re using)\b", re.I)),
    (_TECH, re.compile(r"\b(?:tools|job skills|skills we use|key skills)\b", re.I)),
    (_REQ, re.compile(
        r"\b(?:requirements?|required|qualifications?|must[- ]haves?|what you bring|what you(?:'|’)?ll bring|"
        r"what you need|need to succeed|what we(?:'|’)?re looking for|what we are looking for|who you are|"
        r"about you|you have|you bring|candidate will have|you should have|your profile|your skills|skills|"
        r"experience|education|licen[cs]e|certifications?|"
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
    r"desirable|desired|advantage|advantageous|helpful|would be great|not required|optional|deseable|valorable|"
    r"an? (?:\w+ )?asset)\b",
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
    r"will perform|rely on you|certifi\w*|licen[cs]\w*|years?|comfortable|capable|conocimientos?|experiencia|habilidades)\b"
    r"|^you\b",
    re.I,
)
_BOILER_STRONG = re.compile(
    r"equal (?:employment )?opportunit|without regard to|discriminat|protected veteran|sexual orientation|"
    r"gender identity|reasonable accommodation|e-verify|401\s*\(?k\)?|health insurance|dental|paid time off|\bPTO\b|"
    r"parental leave|stock options|compensation package|competitive (?:pay|salary|compensation)|"
    r"authori[sz]ed to work|visa sponsorship|background check|drug (?:test|screen)|click to apply|apply now|"
    r"submit your (?:application|resume|cv)|cover letter|other duties as (?:assigned|required|needed)|"
    r"^special projects,? as needed|please apply|disability confident|disabled applicants|"
    # interview steps: what the employer will do, not what the candidate must have
    r"(?:phone|video|recruiter|initial) screen|(?:technical|final|on-?site|panel|first|second|hiring manager) interview|"
    r"take-home (?:assignment|exercise|test|challenge)|interview (?:process|loop|stages?)",
    re.I,
)
_BOILER_PROSE = re.compile(
    r"\b(?:we are (?:a|an|the)\b|founded in|headquartered|our mission|our values|we believe|we offer|join (?:us|our team)|"
    r"apply\b|salary|benefits|compensation|we care|our (?:clients|customers) (?:include|range)|we invite|"
    r"job openings|explore the following|great opportunity|opportunity for an?\b|not all applicants|we encourage|"
    r"we are always looking|find out more|learn more about)",
    re.I,
)
# A sentence of the posting's prose is a requirement only when it speaks of the candidate; "We are
# looking for an RN to work in an ICU unit" or "Flint is dedicated to …" describe the role or company.
_ABOUT_CANDIDATE = re.compile(
    r"\b(?:you|your|you're|you'll|candidates?|applicants?|ideal|successful|must|required|requirements?|should|who|"
    r"skilled|experienced|proficient|essential|responsible for|that will|usted|candidat[oa]s?|requisitos?)\b",
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
