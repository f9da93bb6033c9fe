"""Build a letter: the offline one from the plan and the frames, or a model's draft with every sentence
guarded and each unusable one replaced by the offline sentence for the same requirements.

Every sentence that reaches a letter has been through the letter guard. Offline, a frame the guard
does not pass is skipped in favour of the next candidate (down to a plain quote of the line), so the
offline letter holds only safe sentences. A model's sentence that is blocked or flagged is replaced by
the offline sentence serving the same requirements, or dropped when there is none.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from resume_tui.analysis.letter import templates as t
from resume_tui.analysis.letter.guard import LetterGuard
from resume_tui.analysis.letter.model import Letter, LetterSentence, Part, Tone
from resume_tui.analysis.letter.paragraphs import Paragraph, group_points
from resume_tui.analysis.letter.plan import LetterPlan, Point, build_plan, clip_quote, is_meta_line
from resume_tui.models import GapReport, JobDescription, Resume, Verdict

MAX_WORDS = 400
TARGET_WORDS = 330  # stop adding further evidence lines here (the issue asks for ~250–400 words)


@dataclass(frozen=True)
class DraftSentence:
    """A sentence a model proposed, with the provenance it claims."""

    text: str
    requirement_ids: list[str]
    evidence_item_ids: list[str]
    part: Part
    paragraph: int  # 0 = opening; then body paragraphs in order; the closing paragraph last


def offline_letter(
    resume: Resume, job: JobDescription, report: GapReport, *, tone: Tone = Tone.PLAIN, facts: Sequence[str] = (),
    guard: LetterGuard | None = None,
) -> Letter:
    """A letter made only of guarded frames filled with the resume's own lines: an opening (the role,
    the resume's current role and summary, the terms argued), up to three paragraphs of evidence, the
    further terms the resume names, a closing. Evidence is added until the letter reaches TARGET_WORDS
    or runs out; it is never padded."""
    guard = guard or LetterGuard(resume, job, facts)
    plan = build_plan(resume, job, report, list(facts))
    variant = zlib.crc32(job.text.encode("utf-8"))
    builder = _Builder(guard)
    paragraphs = group_points(plan.points)
    leads = [p.lead for p in paragraphs]
    role_ids = list(plan.role.header_ids) if plan.role else []
    used = {q.item_id for p in paragraphs for q in p.points}
    line = _role_line(resume, plan, used)
    if line is None or not builder.add(Part.OPENING, 0, t.opening_target(tone, plan, plan.role, line[1]),
                                       [], [*role_ids, line[0]]):
        builder.add(Part.OPENING, 0, t.opening_target(tone, plan, plan.role), [], role_ids)
    if plan.summary is not None:
        builder.add(Part.OPENING, 0, t.opening_summary(tone, plan), [p.requirement.id for p in leads[:1]],
                    [plan.summary[0]])
    terms = [kw for p in leads for kw in p.keywords[:1]]
    builder.add(Part.OPENING, 0, t.opening_match(tone, terms, plan), [p.requirement.id for p in leads],
                [i for p in leads for i in p.evidence_ids])
    kept: list[Paragraph] = []
    for paragraph in paragraphs:
        n = len(kept) + 1
        lead = paragraph.lead
        if builder.add(Part.BODY, n, [t.capitalised(s) for s in t.body_lead(tone, lead, plan, variant + n)],
                       [lead.requirement.id], lead.evidence_ids):
            builder.points.append(lead)
            kept.append(paragraph)
    closing_paragraph = len(kept) + 1
    for sentence in t.closing(tone, plan):
        builder.add(Part.CLOSING, closing_paragraph, [sentence], [], [])
    # Further evidence, one line per paragraph in turn, until the letter is long enough.
    for depth in range(max((len(p.support) for p in kept), default=0)):
        for n, paragraph in enumerate(kept, start=1):
            if depth >= len(paragraph.support) or _letter(builder, plan, resume, tone).words() >= TARGET_WORDS:
                continue
            point = paragraph.support[depth]
            candidates = t.body_more(tone, point, variant + n + depth, plan, paragraph.lead)
            if builder.add(Part.BODY, n, [t.capitalised(s) for s in candidates], [point.requirement.id],
                           point.evidence_ids, check_words=(_letter(builder, plan, resume, tone), MAX_WORDS)):
                builder.points.append(point)
    if kept and _letter(builder, plan, resume, tone).words() < TARGET_WORDS:
        _add_named(builder, plan, resume, tone, len(kept))
    letter = _fit(_letter(builder, plan, resume, tone))
    return letter.model_copy(update={"backed": plan.backed, "requirements": plan.requirements})


def _role_line(resume: Resume, plan: LetterPlan, used: set[str]) -> tuple[str, str] | None:
    """A line of the current (or latest) role, said in the first person in the opening ("…, where I
    reviewed monthly payroll"): the first one under that role that reads as an action and that no
    paragraph quotes."""
    if plan.role is None:
        return None
    for item_id in plan.role.item_ids:
        item = resume.item(item_id)
        if item is None or item_id in used or is_meta_line(item.text):
            continue
        quote, clipped = clip_quote(item.text, [])
        clause = None if clipped else t.first_person(quote)
        if clause and len(clause.split()) <= 24:
            return item_id, clause
    return None


def _add_named(builder: _Builder, plan: LetterPlan, resume: Resume, tone: Tone, paragraph: int) -> None:
    """The posting's further terms the resume writes (none argued above), closing the last paragraph."""
    said = {kw.casefold() for p in builder.points for kw in p.keywords}
    named = [(term, rid, iid) for term, rid, iid in plan.named if term.casefold() not in said
             and not any(term.casefold() in s.text.casefold() for s in builder.sentences)][:6]
    if not named:
        return
    builder.add(Part.BODY, paragraph, t.also_named(tone, [n[0] for n in named], plan),
                list(dict.fromkeys(n[1] for n in named)), list(dict.fromkeys(n[2] for n in named)),
                check_words=(_letter(builder, plan, resume, tone), MAX_WORDS))


class _Builder:
    def __init__(self, guard: LetterGuard) -> None:
        self.guard = guard
        self.sentences: list[LetterSentence] = []
        self.points: list[Point] = []  # the points the letter makes so far

    def add(self, part: Part, paragraph: int, candidates: list[str], requirement_ids: list[str],
            evidence_ids: list[str], check_words: tuple[Letter, int] | None = None) -> LetterSentence | None:
        """Keep the first candidate the guard passes (and, if asked, that keeps the letter under a word limit)."""
        taken = {s.text for s in self.sentences}
        index = sum(1 for s in self.sentences if s.paragraph == paragraph)
        openings = {_opening(s.text) for s in self.sentences}
        # A frame whose opening words another sentence already used goes last: the letter should not read
        # "With the role in mind, …" three times.
        candidates = sorted(candidates, key=lambda c: _opening(t.tidy(c)) in openings)
        for text in candidates:
            text = t.tidy(text)
            if text in taken:
                continue
            if check_words is not None:
                letter, limit = check_words
                if letter.words() + len(text.split()) > limit:
                    return None
            sentence = LetterSentence(
                id=f"p{paragraph}.s{index + 1}", text=text, part=part, paragraph=paragraph,
                requirement_ids=list(requirement_ids), evidence_item_ids=list(dict.fromkeys(evidence_ids)),
            )
            checked = self.guard.check(sentence)
            if checked.verdict is Verdict.SAFE:
                others = [t.tidy(c) for c in candidates if t.tidy(c) != text]
                checked = checked.model_copy(update={"fallback": checked.text, "alternatives": others})
                self.sentences.append(checked)
                return checked
        return None


def _opening(text: str) -> str:
    return " ".join(text.casefold().split()[:3])


def _letter(builder: _Builder, plan: LetterPlan, resume: Resume, tone: Tone) -> Letter:
    ordered = sorted(builder.sentences, key=lambda s: (s.paragraph, int(s.id.rsplit("s", 1)[1])))
    return Letter(
        tone=tone, title=plan.title, company=plan.company, name=(resume.contact.name or "").strip(),
        contact_lines=contact_block(resume), salutation=t.salutation(tone, plan.company), sign_off=t.SIGN_OFF[tone],
        sentences=ordered,
    )


def contact_block(resume: Resume) -> list[str]:
    """The resume's own contact lines (name first), never rewritten; the contact fields when there are none."""
    lines = [" ".join(line.split()) for line in resume.header_lines if line.strip()]
    if lines:
        return lines
    c = resume.contact
    return [v for v in (c.name, c.email, c.phone, c.location, *c.links[:2]) if v]


def _fit(letter: Letter) -> Letter:
    """Drop further-evidence lines (last paragraph first) until the letter is within MAX_WORDS."""
    while letter.words() > MAX_WORDS:
        body = [s for s in letter.sentences if s.part is Part.BODY]
        extras = [s for s in body if not s.id.endswith(".s1")]
        framing = [s for s in letter.sentences if s.part is not Part.BODY and not s.id.endswith(".s1")]
        victim = extras[-1] if extras else body[-1] if len(body) > 1 else framing[-1] if framing else None
        if victim is None:
            break
        letter = letter.model_copy(update={"sentences": [s for s in letter.sentences if s is not victim]})
    return letter


def merge_model(
    offline: Letter, draft: Sequence[DraftSentence], guard: LetterGuard, *, source: str
) -> Letter:
    """The model's letter, each sentence guarded; one that is not safe gives way to the offline sentence
    for its requirements (or for its place, in the opening and closing), never kept as written."""
    used: set[str] = set()
    by_requirement: dict[str, LetterSentence] = {}
    for s in offline.sentences:
        for rid in s.requirement_ids:
            by_requirement.setdefault(rid, s)
    offline_parts = {part: [s for s in offline.sentences if s.part is part] for part in Part}
    out: list[LetterSentence] = []
    counters: dict[int, int] = {}
    paragraphs = sorted({d.paragraph for d in draft})
    renumber = {p: i for i, p in enumerate(paragraphs)}
    seen: set[str] = set()
    for d in draft:
        key = " ".join(d.text.split()).casefold()
        if key in seen:
            continue  # a sentence said twice is said once
        seen.add(key)
        paragraph = renumber[d.paragraph]
        counters[paragraph] = counters.get(paragraph, 0) + 1
        sentence = LetterSentence(
            id=f"p{paragraph}.s{counters[paragraph]}", text=t.tidy(d.text), part=d.part, paragraph=paragraph,
            requirement_ids=list(d.requirement_ids), evidence_item_ids=list(d.evidence_item_ids), source=source,
        )
        stand_in = _stand_in(sentence, by_requirement, offline_parts, used)
        checked = guard.check(sentence)
        if stand_in is not None:
            checked = checked.model_copy(update={"fallback": stand_in.text})
        if checked.verdict is Verdict.SAFE:
            out.append(checked)
            continue
        if stand_in is not None:
            used.add(stand_in.id)
            out.append(stand_in.model_copy(update={"id": sentence.id, "paragraph": paragraph,
                                                   "reasons": [f"Replaces the model's sentence: {checked.reasons[0]}"]}))
    letter = offline.model_copy(update={"sentences": out})
    if not any(s.part is Part.OPENING for s in out):
        letter = letter.model_copy(update={"sentences": offline_parts[Part.OPENING] + out})
    return _fit(letter)


def _stand_in(sentence: LetterSentence, by_requirement: dict[str, LetterSentence],
              parts: dict[Part, list[LetterSentence]], used: set[str]) -> LetterSentence | None:
    for rid in sentence.requirement_ids:
        candidate = by_requirement.get(rid)
        if candidate is not None and candidate.id not in used:
            return candidate
    if sentence.part is not Part.BODY:
        return next((s for s in parts[sentence.part] if s.id not in used), None)
    return None


def offline_alternative(sentence: LetterSentence, letter: Letter, guard: LetterGuard) -> LetterSentence | None:
    """Another offline phrasing of the same evidence: the next frame after the current one (the offline
    sentence first when the current one is a model's or a person's), guarded again; None when there is
    no other phrasing the guard passes that the letter does not already hold."""
    options = list(dict.fromkeys(x for x in [sentence.fallback, *sentence.alternatives] if x))
    start = options.index(sentence.text) + 1 if sentence.text in options else 0
    taken = {s.text for s in letter.sentences}
    for text in options[start:] + options[:start]:
        if text == sentence.text or text in taken:
            continue
        checked = guard.check(sentence.model_copy(update={"text": text, "source": "offline", "reasons": []}))
        if checked.verdict is Verdict.SAFE:
            return checked
    return None


def regenerate(sentence: LetterSentence, guard: LetterGuard) -> LetterSentence:
    """Re-check a sentence a person edited (its provenance stays; the guard decides again)."""
    return guard.check(sentence.model_copy(update={"text": t.tidy(sentence.text)}))
