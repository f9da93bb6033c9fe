"""Contact details from a resume's header block (name, email, phone, location, links).

Patterns are linear (no nested quantifiers) and only run on short lines, so a
pathological input cannot make them slow.

Phones: a permissive pattern finds digit runs, and Google's libphonenumber (the `phonenumbers`
package) decides where a number starts and ends. It knows every country's numbering plan, so it
validates "+34 612 34 56 78" or "(+51) 987 654 321" wherever the resume comes from and cuts
"91377 123-456-7890" (a postcode before a US number) down to the number — things a regex can
only guess at. It cannot know the country of a national number without a "+", so when it
finds nothing the pattern's own span is kept ("(512) 555-0199", "06 12 34 56 78").
"""

from __future__ import annotations

import re

import phonenumbers

from resume_tui.documents.section_names import section_kind_for_heading
from resume_tui.models import Contact

MAX_LINE = 300  # longer lines are body text, never a contact line

EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}")
PHONE = re.compile(r"(?:\(\+|\+|\(|\b)\d[\d \t().·-]{5,20}\d\b")
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>()\[\]|,;]{2,200}|\b(?:linkedin\.com|github\.com|gitlab\.com|twitter\.com|stackoverflow\.com"
    r"|kaggle\.com|orcid\.org|behance\.net|dribbble\.com|medium\.com)/[^\s<>()\[\]|,;]{1,200}",
    re.IGNORECASE,
)
MD_LINK = re.compile(r"\[([^\]\n]{0,200})\]\(([^)\s]{1,300})\)")
_DATEISH = re.compile(r"(?:19|20)\d{2}\s*[-–—]|[-–—]\s*(?:19|20)\d{2}\b|\b\d{1,2}[./](?:19|20)\d{2}\b")
_YEARS = re.compile(r"^(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)\d{2}$")
_SEPARATORS = re.compile(r"\s*(?:[|•·⋄◦▪●♦\x01-\x08]|\s{3,}|\s[-–—]\s)\s*")
_LOCATION = re.compile(
    r"^(?:\d{4,6}\s)?[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ .'-]{1,40},\s?[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ .'-]{1,30}(?:\s\d{4,6})?$"
)
# "28054 Madrid", "80331 München": a postal code before the city, as much of Europe writes an address
# (five digits, or four that are not a year: "2019 Berlin" is not a place)
_POSTAL_CITY = re.compile(r"^(?:\d{5}|(?!19|20)\d{4})\s[A-ZÀ-Þ][a-zà-ÿ'.-]+(?:[ -][A-ZÀ-Þa-zà-ÿ][a-zà-ÿ'.-]+){0,3}$")
_STREET = re.compile(r"\b(?:drive|dr|street|st|avenue|ave|road|rd|lane|ln|boulevard|blvd|way|court|ct|place|pl)\.?$", re.I)
_ICON_PREFIX = re.compile(r"^[^A-Za-zÀ-ÿ0-9\s]{1,3}\s+")  # "( Casablanca, Maroc", "½ Bremen, Germany": an icon font's glyph
_NAME_TOKEN = re.compile(r"^[A-ZÀ-Þ][A-Za-zÀ-ÿ'’.-]*$")
_PARTICLES = frozenset("de la le du da di del della der den van von ten ter bin binti al el y e dos das".split())
# Words of job titles that are (almost) never part of a person's name.
_TITLE_WORDS = frozenset(
    "sr snr senior junior principal engineer engineering developer manager analyst consultant director "
    "specialist administrator designer scientist intern assistant associate technician accountant architect "
    "coordinator executive officer supervisor representative programmer practitioner reliability system systems "
    "software senior-level head vp ceo cto cfo coo founder co-founder lead tech technical".split()
)
# Words of a document's title line ("CURRICULUM VITAE", "Hoja de vida"), never part of a name.
_DOCUMENT_WORDS = frozenset("resume résumé cv curriculum currículum currículo vitae vita hoja lebenslauf".split())
_CREDENTIAL = re.compile(r"^[A-Z][A-Za-z-]{1,9}$")


def find_emails(text: str) -> list[str]:
    return EMAIL.findall(text) if len(text) <= MAX_LINE else []


# National numbering plans tried when a digit run is too long to be one national number
# ("28013 91 377 12 34": a Madrid postcode, then the phone).
_REGIONS = ("US", "GB", "ES", "FR", "DE", "IT", "NL", "PT", "BR", "MX", "AR", "PE", "CO", "CL", "PL", "IN", "AU")


def find_phone(text: str) -> str | None:
    if len(text) > MAX_LINE:
        return None
    for match in PHONE.finditer(text):
        candidate = match.group(0).strip()
        digits = sum(ch.isdigit() for ch in candidate)
        dotted_short = "." in candidate and re.fullmatch(r"[\d.]+", candidate) is not None and digits < 10  # "2019.05"
        unbalanced = candidate.count("(") != candidate.count(")")  # "0.00) 2014": the tail of a figure
        glued_to_figure = match.start() > 0 and text[match.start() - 1] in ".,$€£%"
        if (
            7 <= digits <= 15
            and not _YEARS.match(candidate)
            and not dotted_short
            and not _DATEISH.search(candidate)
            and not unbalanced
            and not glued_to_figure
        ):
            trimmed = _trim_phone(candidate, digits)
            if trimmed is not None:
                return trimmed
    return None


def _trim_phone(candidate: str, digits: int) -> str | None:
    """The number inside a digit run: libphonenumber's span for a valid international number;
    a national number without the postcode glued before it; a bare digit string only when some
    country's plan calls it valid (a "12345678" ID number is not a phone); else the run itself."""
    for found in phonenumbers.PhoneNumberMatcher(candidate, None, leniency=phonenumbers.Leniency.VALID):
        return str(found.raw_string)
    if candidate.startswith(("+", "(+")):
        return candidate
    if candidate.isdigit():
        # A bare run of digits is a phone only when long enough and valid in some plan
        # ("987654321", "0612345678"); "DNI 12345678" is an identity number.
        return candidate if digits >= 9 and _valid_somewhere(candidate) else None
    groups = candidate.split()
    if digits > 10 and len(groups) > 1 and groups[0].isdigit() and 4 <= len(groups[0]) <= 6 and not groups[0].startswith("0"):
        # "91377 123-456-7890", "28013 91 377 12 34": a postcode, then the phone.
        tail = " ".join(groups[1:])
        if _valid_somewhere(tail) or _possible_us(tail):
            return tail
    return candidate


def _valid_somewhere(number: str) -> bool:
    for region in _REGIONS:
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(number, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


def _possible_us(number: str) -> bool:
    """Ten digits in the North American shape ("123-456-7890", "(555) 010-9999"): the
    placeholder numbers of many resumes, which no plan calls valid."""
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(parsed) and len(str(parsed.national_number)) == 10


def find_links(text: str) -> list[str]:
    if len(text) > MAX_LINE * 3:
        return []
    links = [url for _label, url in MD_LINK.findall(text) if not url.startswith("mailto:")]
    stripped = MD_LINK.sub(" ", text)
    links += [url.rstrip(".") for url in URL.findall(stripped)]
    return links


def looks_like_name(line: str) -> str | None:
    """The name part of a line like "Jane Q. Doe" or "David Everly Jr, MSN, CRNP", else None."""
    text = line.strip().strip("*#_ ").strip()
    if not text or len(text) > 60 or any(ch.isdigit() for ch in text) or "@" in text or "/" in text:
        return None
    head, _, tail = text.partition(",")
    if tail and not all(_CREDENTIAL.match(part.strip()) for part in tail.split(",") if part.strip()):
        return None
    tokens = head.split()
    if len(tokens) > 2 and tokens[-1].lower() in _DOCUMENT_WORDS:
        tokens.pop()  # "JAN KÜSTER RESUME": the document's title set beside the name
        head = " ".join(tokens)
    if not 2 <= len(tokens) <= 6:
        return None
    if not all(_NAME_TOKEN.match(tok) or tok in _PARTICLES for tok in tokens):
        return None
    if not (_NAME_TOKEN.match(tokens[0]) and _NAME_TOKEN.match(tokens[-1])):
        return None
    if any(tok.lower().strip(".") in _TITLE_WORDS | _DOCUMENT_WORDS for tok in tokens):
        return None  # "Sr. System Reliability Engineer" is a job title, "CURRICULUM VITAE" a document's
    if section_kind_for_heading(head) is not None:
        return None
    return head.strip()


def _name_fragment(line: str) -> str | None:
    """A line that is only 1–3 name words ("JUAN", "Maria José"): part of a name set on two lines."""
    text = line.strip().strip("*#_ ").strip()
    tokens = text.split()
    if not 1 <= len(tokens) <= 3 or len(text) > 40 or any(ch.isdigit() or ch in "@/:," for ch in text):
        return None
    if not all(_NAME_TOKEN.match(tok) or tok in _PARTICLES for tok in tokens) or not _NAME_TOKEN.match(tokens[0]):
        return None
    if any(tok.lower().strip(".") in _TITLE_WORDS | _DOCUMENT_WORDS for tok in tokens) or section_kind_for_heading(text) is not None:
        return None
    return text


def _whole_name(name: str, header_lines: list[str], index: int) -> str:
    """Never drop a first name: a name split over two header lines ("JUAN" / "CARLOS LARICO
    DEPAZ", "Maria" / "Fernanda Souza") is read whole — a line of name words, in the same
    case, just before the name is its first part. A line after the name is not joined: there
    a job title ("ANALISTA DE DATOS") is far more common than the rest of a name."""
    if index > 0 and name == header_lines[index].strip().strip("*#_ ").strip():
        before = _name_fragment(header_lines[index - 1])
        if before is not None and before.isupper() == name.isupper() and len(before.split()) + len(name.split()) <= 6:
            return f"{before} {name}"
    return name


def looks_like_location(segment: str) -> bool:
    segment = _ICON_PREFIX.sub("", segment.strip())
    return bool(segment) and len(segment) <= 80 and bool(_LOCATION.match(segment))


def _location_near_contact(lines: list[str], name: str | None) -> str | None:
    """A location line in a contact block outside the header (a sidebar's "CONTACT DETAILS"):
    only within three lines of an email, phone or link, so a role's "Seattle, WA" is not taken."""
    anchors = [i for i, line in enumerate(lines) if len(line) <= MAX_LINE and (find_emails(line) or find_phone(line) or find_links(line))]
    for anchor in anchors:
        for line in lines[max(0, anchor - 3) : anchor + 4]:
            text = _ICON_PREFIX.sub("", line.strip())
            if looks_like_location(text) and not find_phone(text) and text != name:
                return text
    return None


def is_contact_line(line: str) -> bool:
    """A line that belongs in the header: email, phone, URL, or a short location line."""
    if len(line) > MAX_LINE:
        return False
    if find_emails(line) or find_phone(line) or find_links(line):
        return True
    parts = [p for p in _SEPARATORS.split(line) if p.strip()]
    return any(looks_like_location(p) for p in parts) and len(line.split()) <= 12


def extract_contact(header_lines: list[str], extra_lines: list[str] = (), links: list[str] = ()) -> Contact:  # type: ignore[assignment]
    """Read contact fields from the header first, then from `extra_lines` (e.g. a sidebar)."""
    contact = Contact()
    for index, line in enumerate(header_lines):
        segments = [p for p in _SEPARATORS.split(line) if p.strip()] if len(line) <= MAX_LINE else []
        contact.name = looks_like_name(line) or (looks_like_name(segments[0]) if len(segments) > 1 else None)
        if contact.name:
            contact.name = _whole_name(contact.name, header_lines, index)
            break
    for source in (header_lines, list(extra_lines)):
        for line in source:
            if len(line) > MAX_LINE:
                continue
            if contact.email is None:
                emails = find_emails(line)
                contact.email = emails[0] if emails else None
            if contact.phone is None:
                contact.phone = find_phone(EMAIL.sub(" ", line))
            for link in find_links(line):
                if link not in contact.links and "@" not in link:
                    contact.links.append(link)
            if contact.location is None and source is header_lines:
                cleaned = URL.sub(" | ", EMAIL.sub(" | ", line))
                phone = find_phone(cleaned)
                if phone:  # "Oak Park, CA 91377 123-456-7890": the phone ends the location
                    cleaned = cleaned.replace(phone, " | ")
                for part in _SEPARATORS.split(cleaned):
                    bare = _ICON_PREFIX.sub("", part.strip())
                    if looks_like_location(bare) and not find_phone(bare) and bare != contact.name:
                        contact.location = bare
                        break
        if contact.email and contact.phone and contact.links:
            break  # (a header without links: a profile link may stand in a sidebar or footer)
    if contact.location is None:  # no "City, Region": a postal code and city line of the header
        contact.location = next(
            (bare for line in header_lines if len(line) <= MAX_LINE for part in _SEPARATORS.split(line)
             if _POSTAL_CITY.match(bare := _ICON_PREFIX.sub("", part.strip())) and not _STREET.search(bare)),
            None,
        )
    if contact.location is None:
        contact.location = _location_near_contact(list(extra_lines)[:80], contact.name)
    for link in links:
        if link.startswith("mailto:"):
            if contact.email is None:
                contact.email = link[len("mailto:") :].split("?")[0] or None
        elif link not in contact.links:
            contact.links.append(link)
    return contact
