"""match_requirement: one requirement against the index — skills, years, degree, wording —
with the items quoted as evidence.
"""

from __future__ import annotations

import math
import re

from resume_tui.analysis.evidence.index import ResumeIndex, _norm_surface, content_stems
from resume_tui.analysis.evidence.rank import _EQUIVALENT_RE, _degree_lines, _rank_evidence, _written_language_item
from resume_tui.analysis.evidence.strength import (
    _LIST_SECTIONS,
    _LISTED_ONLY,
    _W_ALIAS,
    _W_FUZZY,
    _W_IMPLIED,
    _W_JD_WORDING,
    MATCHED_AT,
    NOT_NAMED_CAP,
    PARTIAL_AT,
    WRITTEN_IN_LANGUAGE,
)
from resume_tui.analysis.evidence.terms import acronym_items, acronyms, inside_acronyms, is_specific
from resume_tui.analysis.lexicon import SkillHit, default_lexicon
from resume_tui.analysis.requirements.degrees import DEGREE_ORDER, find_degrees
from resume_tui.models import Evidence, Item, MatchStatus, Requirement, RequirementMatch, SectionKind

# --------------------------------------------------------------------------- matching


_OR_RE = re.compile(
    r"\bor\b|\beither\b|\bat least one\b|\bany\b|\bo\b|\bou\b|\boder\b|/|\bsimilar\b|\bsuch as\b|\be\.g\b|\bi\.e\b|\bfor example\b",
    re.I,
)


_WORDING_BACKS = 0.34  # share of a requirement's content words a line must repeat to count as saying it


def _same_wording(surface: str, jd_surfaces: set[str]) -> bool:
    """The resume writes the skill as the JD does ("Kubernetes clusters" ⊇ "Kubernetes")."""
    padded = f" {surface} "
    return any(f" {js} " in padded or padded in f" {js} " for js in jd_surfaces)


def _hit_weight(hit: SkillHit, kind: SectionKind, jd_surfaces: set[str], implied: bool = False) -> float:
    if implied:
        w = _W_IMPLIED
    elif hit.fuzzy:
        w = _W_FUZZY
    elif _same_wording(_norm_surface(hit.surface), jd_surfaces):
        w = _W_JD_WORDING
    else:
        w = _W_ALIAS
    return w * (_LISTED_ONLY if kind in _LIST_SECTIONS else 1.0)


def _coverage(weights: list[float], any_of: bool) -> float:
    """Combine per-keyword weights: all needed for short lists, most for long ones, one for "A or B"."""
    if not weights:
        return 0.0
    n = len(weights)
    if any_of:
        return 0.6 * max(weights) + 0.4 * (sum(weights) / n)
    need = n if n <= 3 else max(3, math.ceil(n * 0.6))
    top = sorted(weights, reverse=True)[:need]
    return min(1.0, sum(top) / need)


def _quote(item: Item, hit: SkillHit | None) -> str:
    """The item text verbatim, or for long items the sentence that holds the match."""
    text = item.text
    if len(text) <= 240 or hit is None:
        return text
    starts = [0] + [m.end() for m in re.finditer(r"(?<=[.!?;])\s+", text)]
    start = max(s for s in starts if s <= hit.start)
    ends = [m.start() + 1 for m in re.finditer(r"[.!?;](?=\s|$)", text) if m.start() >= hit.end - 1]
    end = ends[0] if ends else len(text)
    quote = text[start:end].strip()
    return quote or text


_CREDENTIAL_SECTIONS = {SectionKind.EDUCATION, SectionKind.CERTIFICATIONS}


def _item_field_coverage(
    req: Requirement, index: ResumeIndex, pos: int, jd_surfaces: dict[str, set[str]], any_of: bool
) -> float:
    """Field coverage of one degree line, so the quoted degree is the one in the asked field."""
    kind = index.items[pos].section_kind
    weights = []
    for kw in req.keywords:
        best = 0.0
        for p, hit, implied in index.by_canonical.get(kw, ()):
            if p != pos:
                continue
            spans = index.field_spans.get(pos, ())
            if spans and not any(s <= hit.start < e for s, e in spans):
                continue
            best = max(best, _hit_weight(hit, kind, jd_surfaces.get(kw, set()), implied))
        weights.append(best)
    return _coverage(weights, any_of)


def _field_coverage(req: Requirement, index: ResumeIndex, jd_surfaces: dict[str, set[str]], any_of: bool) -> float:
    """How well the resume's degrees name the field a degree requirement asks for.

    Only the words next to a degree count ("MSc Computer Science"), so an institution's
    name ("Institute of Science Education") or a job title does not pass for a field;
    without any degree mention, the education and certification sections are read.
    """
    has_edu = any(e.section_kind in _CREDENTIAL_SECTIONS for e in index.items)
    weights = []
    for kw in req.keywords:
        best = 0.0
        for pos, hit, implied in index.by_canonical.get(kw, ()):
            kind = index.items[pos].section_kind
            if index.field_spans:
                if not any(s <= hit.start < e for s, e in index.field_spans.get(pos, ())):
                    if kind != SectionKind.CERTIFICATIONS:  # "teaching certification" lives there
                        continue
            elif has_edu and kind not in _CREDENTIAL_SECTIONS:
                continue
            best = max(best, _hit_weight(hit, kind, jd_surfaces.get(kw, set()), implied))
        weights.append(best)
    return _coverage(weights, any_of)


def match_requirement(
    req: Requirement, index: ResumeIndex, jd_surfaces: dict[str, set[str]]
) -> tuple[RequirementMatch, list[Evidence]]:
    """Strength, status and quoted evidence for one requirement."""
    n_items = len(index.items)
    item_scores: dict[int, float] = {}
    item_hit: dict[int, SkillHit] = {}
    any_of = bool(_OR_RE.search(req.text))

    # -- skills: the lexicon's terms, then acronyms it does not know ("AAD", "SAST")
    lex = default_lexicon()
    acrs = acronyms(req.text, lex)
    n_terms = len(req.keywords) + len(acrs)
    best_w: list[float] = []
    matched_kw: list[str] = []
    missing_kw: list[str] = []
    per_item_weights: dict[int, list[float]] = {}
    named_w: list[float] = []  # per specific term: how well the resume *names* it (implied does not count)
    named_items: set[int] = set()
    implied_items: set[int] = set()  # lines naming a narrower tool that shows a generic skill (Terraform: IaC)
    part_of_acronym = inside_acronyms(req.text, acrs, lex) if acrs else set()
    for k, kw in enumerate(req.keywords):
        surfaces = jd_surfaces.get(kw, set())
        best = named = 0.0
        specific = is_specific(kw, lex) and kw not in part_of_acronym
        for pos, hit, implied in index.by_canonical.get(kw, ()):
            w = _hit_weight(hit, index.items[pos].section_kind, surfaces, implied)
            best = max(best, w)
            if specific and not implied:
                named = max(named, w)
                named_items.add(pos)
            if implied:
                implied_items.add(pos)
            weights = per_item_weights.setdefault(pos, [0.0] * n_terms)
            if w > weights[k]:
                weights[k] = w
                if pos not in item_hit:
                    item_hit[pos] = hit
        best_w.append(best)
        if specific:
            named_w.append(named)
        (matched_kw if best > 0 else missing_kw).append(kw)
    for k, acr in enumerate(acrs, start=len(req.keywords)):
        found = acronym_items(acr, index)
        best = max((_LISTED_ONLY if index.items[p].section_kind in _LIST_SECTIONS else 1.0 for p in found), default=0.0)
        for pos in found:
            per_item_weights.setdefault(pos, [0.0] * n_terms)[k] = best
        named_items.update(found)
        best_w.append(best)
        named_w.append(best)
        (matched_kw if best > 0 else missing_kw).append(acr.name)
    if part_of_acronym:  # "Azure" in "Azure Active Directory (AAD)" is that name's, counted with it
        skip = {k for k, kw in enumerate(req.keywords) if kw in part_of_acronym}
        best_w = [w for k, w in enumerate(best_w) if k not in skip]
        per_item_weights = {p: [w for k, w in enumerate(ws) if k not in skip] for p, ws in per_item_weights.items()}
        per_item_weights = {p: ws for p, ws in per_item_weights.items() if any(ws)}
    for pos, weights in per_item_weights.items():
        item_scores[pos] = _coverage(weights, any_of)
    named_strength = _coverage(named_w, any_of) if named_w else None

    # -- wording overlap (duties and anything the lexicon does not name)
    req_stems = content_stems(req.text)
    overlap_strength = 0.0
    item_ratio: dict[int, float] = {}
    if req_stems:
        for entry in index.items:
            common = len(req_stems & entry.stems)
            if not common:
                continue
            ratio = common / len(req_stems)
            item_ratio[entry.order] = ratio
            if ratio < _WORDING_BACKS or common < 2 and len(req_stems) > 2:
                continue
            s = min(1.0, ratio) * 0.9
            overlap_strength = max(overlap_strength, s)
            if s > item_scores.get(entry.order, 0.0) * 0.999:
                item_scores[entry.order] = max(item_scores.get(entry.order, 0.0), s)

    kw_strength: float | None = None
    if named_w:  # named tools and credentials count wherever the resume names them
        kw_strength = _coverage(best_w, any_of)
    elif n_terms:
        # generic words ("teaching", "science", "finance") count only together, in one line that shows
        # them; without the requirement's own wording around them they count half (partial at most),
        # unless the line names a tool that shows the skill ("Terraform" for infrastructure as code)
        def backed(pos: int) -> bool:
            return item_ratio.get(pos, 0.0) >= _WORDING_BACKS or pos in implied_items

        lines = [
            item_scores.get(pos, 0.0) * (1.0 if backed(pos) else NOT_NAMED_CAP)
            for pos in per_item_weights
        ]
        kw_strength = max(lines, default=0.0)

    # a requirement naming specific terms is quoted from the lines that name them (else from lines
    # with any of its skills); a line sharing only its generic words proves nothing about them
    if named_w:
        pool = named_items if named_strength is not None and named_strength >= MATCHED_AT else set(per_item_weights)
        if pool:
            item_scores = {pos: s for pos, s in item_scores.items() if pos in pool}

    parts: list[tuple[float, float]] = []  # (strength, weight)
    kw_part = max(kw_strength, overlap_strength * 0.8) if kw_strength is not None else None
    if kw_part is not None and req.degree is None:
        parts.append((kw_part, 1.0))
    elif req.years is None and req.degree is None:
        parts.append((overlap_strength, 1.0))

    # -- years
    if req.years is not None:
        need = max(req.years, 0.5)
        y = min(1.0, index.years / need) if index.years > 0 else 0.0
        if kw_part is not None and req.degree is None:
            # "2+ years of Kubernetes": years count only as far as the skill itself is shown
            parts[-1] = (kw_part * (0.5 + 0.5 * y), 2.0)
            y *= kw_part
        else:
            parts.append((y, 1.0))
        if y > 0:
            for pos in index.year_items:
                item_scores[pos] = max(item_scores.get(pos, 0.0), y)

    # -- degree: the level, scaled by whether the named field (or certification) is shown
    if req.degree is not None:
        need_rank = DEGREE_ORDER[req.degree]
        have = DEGREE_ORDER[index.degree_level] if index.degree_level else -1
        if have >= need_rank:
            d = 1.0
        elif have >= 0:
            d = 0.4
        else:
            d = 0.0
        if d < 0.6 and re.search(r"\bequivalent\b", req.text, re.I) and index.years >= 4:
            d = 0.6
        # the field of study (or certification) named next to the degree; a degree in another
        # field is partial evidence only when the posting accepts an equivalent or related one
        base = 0.4 if _EQUIVALENT_RE.search(req.text) else 0.2
        if req.keywords:
            d *= base + (1 - base) * _field_coverage(req, index, jd_surfaces, any_of)
        parts.append((d, 1.0))
        # the field's words elsewhere ("Institute of Science Education", a job title) are not
        # what the degree part scored, so they are not quoted; credentials lines still are
        item_scores = {
            pos: min(s, d) for pos, s in item_scores.items() if index.items[pos].section_kind in _CREDENTIAL_SECTIONS
        }
        for pos in index.degree_items if not req.keywords else _degree_lines(index):
            levels = find_degrees(index.items[pos].item.text)
            own = 1.0 if levels and max(DEGREE_ORDER[lv] for lv in levels) >= need_rank else 0.4
            if req.keywords:
                own *= base + (1 - base) * _item_field_coverage(req, index, pos, jd_surfaces, any_of)
            item_d = min(d, own)
            if item_d > 0:
                item_scores[pos] = max(item_scores.get(pos, 0.0), item_d)

    total_w = sum(w for _, w in parts)
    strength = sum(s * w for s, w in parts) / total_w if total_w else 0.0
    prose = _written_language_item(req, index)
    if prose is not None and strength < WRITTEN_IN_LANGUAGE:
        strength = WRITTEN_IN_LANGUAGE
        item_scores[prose] = max(item_scores.get(prose, 0.0), WRITTEN_IN_LANGUAGE)
    if named_strength is not None and named_strength < MATCHED_AT:
        strength = min(strength, NOT_NAMED_CAP)  # partial at most: the resume does not name what is asked
    strength = round(min(1.0, max(0.0, strength)), 4)
    if strength >= MATCHED_AT:
        status = MatchStatus.MATCHED
    elif strength >= PARTIAL_AT:
        status = MatchStatus.PARTIAL
    else:
        status = MatchStatus.MISSING

    credential = any(lex.category(kw) == "certification" for kw in req.keywords)
    ranked = _rank_evidence(item_scores, index, req_stems, credential)
    evidence = [
        Evidence(
            requirement_id=req.id,
            item_id=index.items[pos].item.id,
            quote=_quote(index.items[pos].item, item_hit.get(pos)),
            strength=round(min(1.0, item_scores[pos]), 4),
        )
        for pos in ranked
        if pos < n_items
    ]
    if status == MatchStatus.MISSING:
        evidence = []
    match = RequirementMatch(
        requirement_id=req.id,
        status=status,
        strength=strength if status != MatchStatus.MISSING else round(strength, 4),
        matched_keywords=matched_kw,
        missing_keywords=missing_kw,
    )
    return match, evidence


# the posting names a kind of field, not one field: "or equivalent", "related", "a quantitative field (e.g. …)"
