"""The patterns of checkable claims: figures, money, dates, degrees, certifications, titles, names; and
the normalisation that makes two writings of one fact compare equal."""

from __future__ import annotations

import re

# Re-exported: the guard and the rewrites read the vocabulary through this module.
from resume_tui.documents.vocabulary import ORG_SUFFIXES as ORG_SUFFIXES
from resume_tui.documents.vocabulary import RANKED_SENIORITY as RANKED_SENIORITY
from resume_tui.documents.vocabulary import ROLE_NOUNS as ROLE_NOUNS

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
