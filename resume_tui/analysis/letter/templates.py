"""The offline letter's wording: a few plain sentence frames per tone, filled only with what the plan
holds — the posting's title, company and terms, and the resume's own lines, quoted or turned into the
first person ("Moved 14 services…" → "I moved 14 services…").

Frames never praise ("highly motivated"), never restate a requirement, and carry the posting's own
terms, so the same resume line reads differently in letters for different postings. Each slot offers
candidates in order of preference; the composer keeps the first one the guard passes.
"""

from __future__ import annotations

import re

from resume_tui.analysis.letter.model import Tone
from resume_tui.analysis.letter.plan import LetterPlan, Point, Role

# Past-tense verbs that are not "-ed" words: a resume line starting with one reads as "I <verb> …".
_IRREGULAR = frozenset(
    "built led ran wrote grew won made taught drove set cut brought began took gave held kept saw spoke met sold "
    "bought rebuilt oversaw undertook rewrote overtook shipped".split()
)
# "-ed" words that open a heading or a credential rather than an action ("Registered Nurse", "Advanced Cardiac…").
_NOT_VERBS = frozenset(
    "bed red shed seed need feed speed embed registered advanced certified licensed qualified experienced skilled "
    "detailed dedicated talented motivated accomplished seasoned related based distinguished selected featured "
    "invited published awarded honored honoured".split()
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


def opening_target(tone: Tone, plan: LetterPlan, role: Role | None) -> list[str]:
    """The first sentence: the role and company applied to, with the role the resume states now (one
    sentence, so it is never the same sentence in two letters)."""
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
        out.append(f"{base}; {now} {role.title} at {role.organization}.")
    out.append(base + ".")
    return out


def opening_match(tone: Tone, terms: list[str], plan: LetterPlan) -> list[str]:
    if not terms:
        return []
    listed = join_terms(terms)
    frames = {
        Tone.PLAIN: f"Your posting asks for {listed}; below is where my resume shows {'each of them' if len(terms) > 1 else 'it'}.",
        Tone.WARM: f"Reading the posting, I recognised my own work in its call for {listed}, and below I point to where it shows.",
        Tone.FORMAL: f"The posting's emphasis on {listed} corresponds to my experience, as set out below.",
    }
    return [frames[tone], f"Below is where my resume shows {listed}."]


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


def body_lead(tone: Tone, point: Point, plan: LetterPlan, variant: int) -> list[str]:
    """The first sentence of a paragraph: the posting's terms, then the line that shows them."""
    terms = join_terms(list(point.keywords))
    leads = ("For {}", "Also relevant to {}", "Further to {}")
    about = f"For {terms}" if terms else leads[variant % len(leads)].format(_target(plan, "role"))
    clause = None if point.clipped or point.declared else first_person(point.quote)
    quoted = f"“{point.quote}”"
    out: list[str] = []
    if point.declared:
        out.append(f"{about}, something my resume does not yet say: {quoted}.")
        return out
    if clause and point.entry_title and point.entry_org:
        where = f"{point.entry_title} at {point.entry_org}"
        frames = [
            f"{about}, the clearest example is my work as {where}, where I {clause}.",
            f"{about}, look at my time as {where}: I {clause}.",
            f"{about}, my work as {where} is the best evidence: I {clause}.",
        ]
        out.append(frames[variant % len(frames)])
        out.append(f"{about}, my work at {point.entry_org} is the best evidence: I {clause}.")
    if clause:
        frames = [f"{about}, one line of my resume says it best: I {clause}.", f"{about}, I can point to this: I {clause}.",
                  f"{about}, here is what I did: I {clause}.", f"{about}, my resume shows that I {clause}.",
                  f"{about}, the best example is that I {clause}."]
        out.append(frames[variant % len(frames)])
    if point.entry_title and point.entry_org:
        out.append(f"{about}, my resume says of my work as {point.entry_title} at {point.entry_org}: {quoted}.")
    out.append(f"{about}, my resume says: {quoted}.")
    if tone is Tone.FORMAL:
        out = [s.replace("look at my time", "consider my time") for s in out]
    return out


def body_more(tone: Tone, point: Point, variant: int, plan: LetterPlan) -> list[str]:
    """A further line in the same paragraph, for another requirement."""
    terms = join_terms(list(point.keywords))
    clause = None if point.clipped or point.declared else first_person(point.quote)
    quoted = f"“{point.quote}”"
    out: list[str] = []
    if point.declared:
        return [f"{'On ' + terms + ', s' if terms else 'S'}omething my resume does not yet say: {quoted}."]
    if clause and terms:
        frames = [f"It also speaks to {terms}: I {clause}.", f"On {terms}, I {clause}.", f"As for {terms}, I {clause}."]
        out.append(frames[variant % len(frames)])
    if terms:  # a further line always names the posting's terms (or role), so no two letters share it
        out.append(f"On {terms}, my resume also records: {quoted}.")
    else:
        target = _target(plan, "role")
        by_role: list[str | None] = [
            f"Also relevant to {target}, I {clause}." if clause else None,
            f"Also relevant to {target}, my resume records: {quoted}.",
            f"With {target} in mind, I would add that I {clause}." if clause else None,
            f"With {target} in mind, I would add this line of my resume: {quoted}.",
        ]
        start = 2 * (variant % 2)
        out += [f for f in by_role[start:] + by_role[:start] if f]
    return out


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
