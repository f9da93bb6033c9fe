"""Where a change comes from and what it must not carry: provenance (requirements and evidence
cited), contact details, instructions smuggled in from the posting, text copied from the posting,
and leadership verbs the cited items never use."""

from __future__ import annotations

import re
from functools import lru_cache

from resume_tui.analysis.facts import USER_FACTS_ID, FactBase, FactKind, extract_facts, norm_text, words
from resume_tui.analysis.guard.base import _Findings
from resume_tui.models import Change, ChangeAction, JobDescription, Resume
from resume_tui.shorten import one_line

_INJECTION_RES = [
    re.compile(p, re.I)
    for p in (
        r"\b(?:ignore|disregard|forget|override)\b[^.\n]{0,40}\b(?:instructions?|prompts?|directions?|rules|guidelines)\b",
        r"\bsystem\s+prompt\b",
        r"\b(?:you are|act as|pretend to be|you're)\s+(?:now\s+)?(?:a|an|the)?\s*[\w -]{0,30}\b(?:assistant|ai|model|chatbot|gpt|llm)\b",
        r"\bas an? (?:ai|language model|llm)\b",
        r"\b(?:say|state|tell|write|claim|respond|answer|report|conclude)\b[^.\n]{0,30}\bthat the (?:candidate|applicant)\b",
        r"\bthe (?:candidate|applicant) is (?:a )?(?:perfect|ideal|the best|an? excellent|exceptional)\b",
        r"\b(?:rate|score|rank|mark)\s+(?:this|the)\s+(?:candidate|applicant|resume|cv)\b",
        r"\b(?:new|updated|additional)\s+instructions?\s*:",
        r"\b(?:do not|don't|never)\s+(?:mention|flag|report|reveal)\b",
        r"<\s*/?\s*(?:system|instructions?|prompt)\s*>",
    )
]


def injection_sentences(text: str) -> list[str]:
    """Sentences of `text` that instruct a model: the analysis detector plus the guard's own patterns."""
    found: list[str] = []
    from resume_tui.analysis.injection import find_injections

    found.extend(find_injections(text))
    for rx in _INJECTION_RES:
        for m in rx.finditer(text):
            found.append(m.group(0))
    return list(dict.fromkeys(s.strip() for s in found if s.strip()))


def _check_identity(after: str, original_text: str, original: Resume, base: FactBase, f: _Findings) -> None:
    own = {key for key in base.by_key if key[0] in _IDENTITY_KINDS}  # header, contact and items
    contact = original.contact
    for fact in extract_facts(after):
        if fact.kind in _IDENTITY_KINDS and (fact.kind, fact.value) not in own:
            f.block(f"Contact details never change: '{fact.surface}' is not in your resume.")
    name = (contact.name or "").strip()
    if name and norm_text(name) in norm_text(original_text) and norm_text(name) not in norm_text(after):
        f.block("Your name is never changed.")
    kept = {(fa.kind, fa.value) for fa in extract_facts(after) if fa.kind in _IDENTITY_KINDS}
    for fact in extract_facts(original_text):
        if fact.kind in _IDENTITY_KINDS and (fact.kind, fact.value) not in kept:
            f.block(f"Removes your contact details ('{fact.surface}'), which are never changed.")
            break


def _holds_identity(text: str, original: Resume) -> bool:
    name = (original.contact.name or "").strip()
    if name and norm_text(name) in norm_text(text):
        return True
    return any(fa.kind in _IDENTITY_KINDS for fa in extract_facts(text))


_IDENTITY_KINDS = {FactKind.EMAIL, FactKind.PHONE, FactKind.URL}


def _check_injection(after: str, job: JobDescription | None, f: _Findings) -> None:
    hits = injection_sentences(after)
    if job is not None:
        after_norm = norm_text(after)
        for attempt in job.injection_attempts:
            attempt_words = norm_text(attempt).split()
            for k in range(0, max(1, len(attempt_words) - 3)):
                chunk = " ".join(attempt_words[k : k + 4])
                if len(attempt_words) >= 4 and chunk in after_norm:
                    hits.append(attempt)
                    break
    if hits:
        f.block(f"Contains an instruction aimed at an AI, not a fact about you: “{one_line(hits[0], 70)}”.")


def _check_jd_copy(after: str, base: FactBase, job: JobDescription | None, f: _Findings) -> None:
    """Six or more words copied from the posting (and not already in the resume) read as keyword stuffing."""
    if job is None or not job.text:
        return
    aw = words(after)
    jd = _joined_words(job.text)
    base_text = _joined_words(base.text)
    n = 6
    for k in range(0, len(aw) - n + 1):
        chunk = " " + " ".join(aw[k : k + n]) + " "
        if chunk in jd and chunk not in base_text:
            f.flag(f"Copies the job description word for word (“{chunk.strip()}”); say it in your own terms.")
            return


@lru_cache(maxsize=16)
def _joined_words(text: str) -> str:
    return " " + " ".join(words(text)) + " "


def _check_provenance(change: Change, original: Resume, job: JobDescription | None, f: _Findings) -> None:
    if change.action is ChangeAction.REORDER:
        return
    if not change.requirement_ids:
        f.flag("Does not say which job requirement it serves.")
    elif job is not None and job.requirements:
        known = {r.id for r in job.requirements}
        unknown = [r for r in change.requirement_ids if r not in known]
        if unknown:
            f.flag(f"Cites requirements the job description does not have: {', '.join(unknown)}.")
    if change.action is ChangeAction.DELETE:
        return
    if not change.evidence_item_ids:
        f.flag("Cites no item of your resume as evidence.")
    else:
        unknown = [i for i in change.evidence_item_ids if i.split(".")[0] != USER_FACTS_ID and original.item(i) is None]
        if unknown:
            f.flag(f"Cites evidence that is not in your resume: {', '.join(unknown)}.")


_LEADERSHIP = re.compile(
    r"\b(led|lead|leading|managed|manage|managing|headed|directed|supervised|oversaw|owned|founded|co-founded|"
    r"spearheaded|architected|launched|built and led|hired)\b",
    re.I,
)


def _check_responsibility(change: Change, original_text: str, original: Resume, f: _Findings) -> None:
    """Leadership or ownership verbs the cited items never use can overstate a role: the user should check."""
    cited_text = " ".join(
        [original_text] + [i.text for i in (original.item(x) for x in change.evidence_item_ids) if i is not None]
    ).lower()
    for m in _LEADERSHIP.finditer(change.after):
        verb = m.group(1).lower()
        stem = verb[:4]
        if not re.search(rf"\b{re.escape(stem)}", cited_text) and not (stem == "lead" and re.search(r"\bled\b", cited_text)) \
                and not (stem == "led" and re.search(r"\blead", cited_text)):
            f.flag(f"Says '{m.group(1)}', which the cited items never claim; keep it only if it is true.")
            return
