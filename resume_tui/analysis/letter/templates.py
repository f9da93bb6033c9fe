"""The offline letter's wording: a few plain sentence frames per tone, filled only with what the plan
holds — the posting's title, company and terms, and the resume's own lines, quoted or turned into the
first person ("Moved 14 services…" → "I moved 14 services…").

Frames never praise ("highly motivated"), never restate a requirement, and carry the posting's own
terms, so the same resume line reads differently in letters for different postings. Each slot offers
candidates in order of preference; the composer keeps the first one the guard passes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from resume_tui.analysis.letter.model import Tone
from resume_tui.analysis.letter.plan import LetterPlan, Point, Role
from resume_tui.models import SectionKind

# Past-tense verbs that are not "-ed" words: a resume line starting with one reads as "I <verb> …".
_IRREGULAR = frozenset(
    "built led ran wrote grew won made taught drove set cut brought began took gave held kept saw spoke met sold "
    "bought rebuilt oversaw undertook rewrote overtook shipped".split()
)
# "-ed" words that open a heading or a credential rather than an action ("Registered Nurse", "Advanced Cardiac…").
_NOT_VERBS = frozenset(
    "bed red shed seed need feed speed embed registered advanced certified licensed qualified experienced skilled "
    "detailed dedicated talented motivated accomplished seasoned related based distinguished selected featured "
    "invited published awarded honored honoured required expected tasked assigned located".split()
)

SALUTATION = {
    Tone.PLAIN: ("Dear {company} hiring team,", "Dear hiring team,"),
    Tone.WARM: ("Dear {company} team,", "Dear hiring team,"),
    Tone.FORMAL: ("Dear Hiring Manager,", "Dear Hiring Manager,"),
}
SIGN_OFF = {Tone.PLAIN: "Best regards,", Tone.WARM: "Warm regards,", Tone.FORMAL: "Yours sincerely,"}


def salutation(tone: Tone, company: str | None) -> str:
    with_company, without = SALUTATION[tone]
    return with_company.format(company=company) if company else without


def join_terms(terms: list[str]) -> str:
    terms = list(dict.fromkeys(terms))
    if len(terms) <= 1:
        return "".join(terms)
    return ", ".join(terms[:-1]) + " and " + terms[-1]


def _target(plan: LetterPlan, noun: str) -> str:
    """"the Senior Platform Engineer role at Northwind Freight", with whatever the posting names."""
    title = f"the {plan.title} {noun}" if plan.title else f"the {noun}"
    return f"{title} at {plan.company}" if plan.company else (title if plan.title else f"the {noun} in your posting")


def _rotate(frames: Sequence[str | None], variant: int) -> list[str]:
    """The frames that apply, starting from this posting's variant: the first one the guard passes is
    written, the others stay available as other phrasings (regenerate)."""
    kept = [f for f in frames if f]
    if not kept:
        return []
    start = variant % len(kept)
    return kept[start:] + kept[:start]


def _prefer(frames: Sequence[str | None], rest: Sequence[str | None], variant: int) -> list[str]:
    """First-person frames first (rotated by the variant), then the quoting ones, as fallbacks."""
    return _rotate(frames, variant) + [f for f in rest if f]


def opening_target(tone: Tone, plan: LetterPlan, role: Role | None, did: str | None = None) -> list[str]:
    """The first sentence: the role and company applied to, with the role the resume states now and,
    when given, what the resume says was done there (one sentence, so it is never the same sentence in
    two letters)."""
    if tone is Tone.WARM:
        base = f"I was glad to come across {_target(plan, 'role')}, and I would like to apply"
    elif tone is Tone.FORMAL:
        base = f"Please accept this letter as my application for {_target(plan, 'position')}"
    else:
        base = f"I am applying for {_target(plan, 'role')}"
    out = []
    if role is not None and role.title:
        now = "I currently work as" if role.current else "most recently I worked as"
        if tone is Tone.FORMAL:
            now = "I am currently employed as" if role.current else "most recently I held the role of"
        out.append(f"{base}; {now} {role.title} at {role.organization}, where I {did}." if did else
                   f"{base}; {now} {role.title} at {role.organization}.")
    elif role is not None and role.organization:
        now = "I currently work at" if role.current else "most recently I worked at"
        out.append(f"{base}; {now} {role.organization}, where I {did}." if did else f"{base}; {now} {role.organization}.")
    if did and role is not None:  # the same without the line, as another phrasing
        out += opening_target(tone, plan, role)[:1]
    out.append(base + ".")
    return out


def opening_match(tone: Tone, terms: list[str], plan: LetterPlan) -> list[str]:
    terms = list(dict.fromkeys(terms))
    if not terms:
        return []
    listed = join_terms(terms)
    them = "each of them" if len(terms) > 1 else "it"
    frames = {
        Tone.PLAIN: f"Your posting asks for {listed}, and below I point to where my resume shows {them}.",
        Tone.WARM: f"Reading the posting, I recognised my own work in its call for {listed}, and below I point to where it shows.",
        Tone.FORMAL: f"The posting's emphasis on {listed} corresponds to my experience, as set out below.",
    }
    return [frames[tone], f"The paragraphs below show where my resume covers {listed}."]


def opening_summary(tone: Tone, plan: LetterPlan) -> list[str]:
    """The resume's own summary line, framed by the role applied to (so no two letters share it)."""
    if plan.summary is None:
        return []
    quoted = f"“{plan.summary[1]}”"
    frames = {
        Tone.PLAIN: f"My resume sums up what I bring to {_target(plan, 'role')} in one line: {quoted}.",
        Tone.WARM: f"What I would bring to {_target(plan, 'role')} is summed up in the first line of my resume: {quoted}.",
        Tone.FORMAL: f"My resume summarises what I would bring to {_target(plan, 'position')} as follows: {quoted}.",
    }
    return [frames[tone]]


def first_person(quote: str) -> str | None:
    """"Moved 14 services to Kubernetes" → "moved 14 services to Kubernetes" (to follow "I"), or None
    when the line does not start with a past-tense verb and must be quoted instead."""
    first = quote.split(" ", 1)[0]
    word = first.lower().strip(",;:")
    if not first[:1].isupper() or first.isupper() or not word.isalpha():
        return None
    if not ((word.endswith("ed") and len(word) > 4 and word not in _NOT_VERBS) or word in _IRREGULAR):
        return None
    following = [w for w in quote.split()[1:5] if w[:1].isalpha()]
    if following and sum(w[:1].isupper() for w in following) * 2 >= len(following) + 1:
        return None  # "Managed Care Coordinator": a heading in title case, not an action
    return word + quote[len(first):]


def _where(point: Point) -> str | None:
    return f"{point.entry_title} at {point.entry_org}" if point.entry_title and point.entry_org else None


def body_lead(tone: Tone, point: Point, plan: LetterPlan, variant: int) -> list[str]:
    """The first sentence of a paragraph: the posting's terms, then the line that shows them. A partly met
    requirement says so ("my resume shows part of it") instead of claiming all of it."""
    terms = join_terms(list(point.keywords))
    clause = None if point.clipped or point.declared else first_person(point.quote)
    quoted = f"“{point.quote}”"
    where = _where(point)
    if point.declared:
        about = f"On {terms}" if terms else f"For {_target(plan, 'role')}"
        return [f"{about}, I would add something my resume does not yet say: {quoted}."]
    if not terms:
        target = _target(plan, "role" if tone is not Tone.FORMAL else "position")
        return _prefer([
            f"With {target} in mind, the clearest example is my work as {where}, where I {clause}." if clause and where else None,
            f"For {target}, I would point first to my time as {where}, where I {clause}." if clause and where else None,
            f"Also relevant to {target}: I {clause}." if clause else None,
        ], [
            f"For {target}, my resume notes of my work as {where}: {quoted}." if where else None,
            *_rotate([f"With {target} in mind, I would point to this line of my resume: {quoted}.",
                      f"Another part of my resume that bears on {target} reads: {quoted}.",
                      f"Turning to {target} more broadly, my resume records: {quoted}."], variant),
        ], variant)
    if point.partial:
        return _prefer([
            f"On {terms}, my resume shows part of what you ask for: as {where}, I {clause}." if clause and where else None,
            f"My resume covers {terms} in part: I {clause}." if clause else None,
            f"On {terms}, my resume shows part of what you ask for: I {clause}." if clause else None,
        ], [
            f"My resume covers {terms} in part, in this line from my work as {where}: {quoted}." if where else None,
            f"On {terms}, my resume shows part of what you ask for: {quoted}.",
        ], variant)
    frames = [
        f"For {terms}, the clearest example is my work as {where}, where I {clause}." if clause and where else None,
        f"My work as {where} shows {terms} best: there I {clause}." if clause and where else None,
        f"On {terms}, I can point to my time as {where}, where I {clause}." if clause and where else None,
        f"For {terms}, I can point to this: I {clause}." if clause else None,
        f"On {terms}, the best example is that I {clause}." if clause else None,
        f"Where {terms} is concerned, I {clause}." if clause else None,
        f"For {terms}, my role as {where} included this: {quoted}." if where else None,
        f"For {terms}, one line of my resume reads: {quoted}.",
        f"On {terms}, my resume notes: {quoted}.",
    ]
    # A first-person sentence about a role reads best: those come first, rotated among themselves.
    ranked = [f for f in frames[:3] if f] or [f for f in frames[3:6] if f]
    rest = [f for f in frames if f and f not in ranked]
    out = _rotate(list(ranked), variant) + rest
    if tone is Tone.FORMAL:
        out = [f.replace("I can point to", "I would point to") for f in out]
    return out


def body_more(tone: Tone, point: Point, variant: int, plan: LetterPlan, lead: Point | None = None) -> list[str]:
    """A further line in a paragraph: more evidence for the paragraph's requirement ("also"), or another
    requirement the same work shows. Every frame names the posting's terms or the role, so the same
    resume line reads differently in letters for different postings."""
    terms = join_terms(list(point.keywords))
    clause = None if point.clipped or point.declared else first_person(point.quote)
    quoted = f"“{point.quote}”"
    same = lead is not None and lead.requirement.id == point.requirement.id
    at = point.entry_org if point.entry_org and (lead is None or point.entry_org != lead.entry_org) else None
    if point.declared:
        about = f"On {terms}, I" if terms else "I"
        return [f"{about} would add something my resume does not yet say: {quoted}.",
                f"{about} can add what my resume does not yet say: {quoted}."]
    if not terms:
        target = _target(plan, "role")
        return _prefer([
            f"Also relevant to {target}, I {clause}." if clause else None,
            f"With {target} in mind, I would add that I {clause}." if clause else None,
        ], _rotate([
            f"Also relevant to {target}, my resume records: {quoted}.",
            f"With {target} in mind, I would add this line of my resume: {quoted}.",
            f"One more line of my resume bears on {target}: {quoted}.",
        ], variant), variant)
    if point.partial:
        return _prefer([
            f"On {terms}, which my resume covers in part, I {clause}." if clause else None,
            f"My resume also touches on {terms}: I {clause}." if clause else None,
        ], [f"On {terms}, my resume shows part of what the posting asks: {quoted}."], variant)
    return _prefer([
        f"{capitalised(terms)} also runs through my time at {at}, where I {clause}." if clause and at and same else None,
        f"Another example of {terms}: I {clause}." if clause and same else None,
        f"I have more than one example of {terms}: I also {clause}." if clause and same else None,
        f"At {at}, the work touched on {terms} as well: I {clause}." if clause and at and not same else None,
        f"On {terms}, I {clause}." if clause else None,
        f"As for {terms}, I {clause}." if clause else None,
        f"{capitalised(terms)} is part of my record too: I {clause}." if clause and not same else None,
    ], [*_quoting(point, terms, quoted), f"On {terms}, my resume also notes: {quoted}."], variant)


def _quoting(point: Point, terms: str, quoted: str) -> list[str]:
    """A further line quoted as what it is: a skills list, a degree, a certification, the summary, an
    award or publication, or a line of work (it names the posting's terms itself)."""
    plural = " and " in terms or "," in terms
    kind = point.section
    if kind in (SectionKind.SKILLS, SectionKind.LANGUAGES):
        return [f"{capitalised(terms)} {'are' if plural else 'is'} among the skills I list: {quoted}."]
    if kind is SectionKind.EDUCATION:
        return [f"My education covers {terms} as well: {quoted}."]
    if kind is SectionKind.CERTIFICATIONS:
        return [f"My certifications cover {terms} too: {quoted}."]
    if kind is SectionKind.SUMMARY:
        return [f"The summary at the top of my resume speaks to {terms}: {quoted}."]
    if kind in (SectionKind.AWARDS, SectionKind.PUBLICATIONS):
        return [f"{capitalised(terms)} also {'appear' if plural else 'appears'} in my {kind.value}: {quoted}."]
    return [f"{capitalised(terms)} {'come' if plural else 'comes'} up in my work too: {quoted}."]


def also_named(tone: Tone, terms: list[str], plan: LetterPlan) -> list[str]:
    """One sentence naming the posting's further terms that the resume writes too, so a reader sees them
    without another paragraph; each term is traced to the line that writes it."""
    if not terms:
        return []
    listed = join_terms(terms)
    frames = {
        Tone.PLAIN: [f"Beyond these examples, my resume also names {listed}, which your posting lists as well.",
                     f"My resume also names {listed}, which your posting lists too."],
        Tone.WARM: [f"Beyond these examples, my resume also names {listed}, which I was glad to see in your posting.",
                    f"My resume also names {listed}, which your posting lists too."],
        Tone.FORMAL: [f"In addition, my resume names {listed}, which the posting also lists.",
                      f"My resume also names {listed}, which the posting lists too."],
    }
    return frames[tone]


def closing(tone: Tone, plan: LetterPlan) -> list[str]:
    if tone is Tone.WARM:
        where = plan.company or "your team"
        return [f"I would be glad to talk about what I could bring to {where}.", "Thank you for reading."]
    if tone is Tone.FORMAL:
        return ["I would welcome the opportunity to discuss my application with you.", "Thank you for your consideration."]
    return [f"I would welcome the chance to talk about {_target(plan, 'role')}.", "Thank you for your time."]


def capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def tidy(sentence: str) -> str:
    """One space between words, no doubled full stop after a quote or a clause that ends in one."""
    sentence = " ".join(sentence.split())
    sentence = re.sub(r"([.!?…])([”]?)\.$", r"\1\2", sentence)
    return sentence
