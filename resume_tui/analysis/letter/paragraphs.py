"""Which points a letter's body paragraphs make: up to three leads, each on a different requirement,
and the further lines that support them, placed where they read as one argument.

A paragraph is one topic. Its lead is the strongest line for a requirement the other paragraphs do not
argue; a further line joins the paragraph of the same requirement ("another example"), else the
paragraph about the same employer, else one that shares a term, else the shortest. Another piece of
work is new evidence even for a term already argued; a list line that only repeats such a term adds
nothing and is left out, so length comes from new evidence, never from saying the same thing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from resume_tui.analysis.letter.plan import Point

MAX_PARAGRAPHS = 3
MAX_SUPPORT = 4  # further lines per paragraph
MAX_ROLE_ONLY = 3  # lines that name no posting term (framed by the role), in the whole letter


@dataclass
class Paragraph:
    lead: Point
    support: list[Point] = field(default_factory=list)

    @property
    def points(self) -> list[Point]:
        return [self.lead, *self.support]


def _terms(point: Point) -> set[str]:
    return {kw.casefold() for kw in point.keywords}


def group_points(points: list[Point], *, max_paragraphs: int = MAX_PARAGRAPHS,
                 max_support: int = MAX_SUPPORT) -> list[Paragraph]:
    """The body paragraphs for `points` (ordered strongest first, as the plan gives them)."""
    # Leads: work done before list lines and degrees, then the plan's own order.
    by_rank = sorted(points, key=lambda p: (p.rank > 1, points.index(p)))
    paragraphs: list[Paragraph] = []
    led_terms: set[str] = set()
    for point in by_rank:
        if len(paragraphs) >= max_paragraphs:
            break
        if any(p.lead.requirement.id == point.requirement.id for p in paragraphs):
            continue
        if _terms(point) and _terms(point) <= led_terms:
            continue  # a second paragraph "for Kubernetes" through another requirement: support, not a lead
        paragraphs.append(Paragraph(point))
        led_terms |= _terms(point)
    if not paragraphs:
        return []
    leads = {id(p.lead) for p in paragraphs}
    said = set(led_terms)
    role_only = 0
    for point in points:
        if id(point) in leads:
            continue
        home = _home(paragraphs, point)
        same_requirement = home is not None and home.lead.requirement.id == point.requirement.id
        if _terms(point) and _terms(point) <= said and point.rank > (2 if same_requirement else 1):
            continue  # "Kafka" again from a skills line, after a paragraph about Kafka: nothing new
        if not _terms(point) and not point.declared:
            if role_only >= MAX_ROLE_ONLY:
                continue
        target = home if home is not None and len(home.support) < max_support else _shortest(paragraphs, max_support)
        if target is None:
            continue
        if not _terms(point) and not point.declared:
            if not same_requirement and any(not _terms(s) and not s.declared for s in target.support):
                continue  # one line framed by the role alone per paragraph
            role_only += 1
        target.support.append(point)
        said |= _terms(point)
    return paragraphs


def _home(paragraphs: list[Paragraph], point: Point) -> Paragraph | None:
    for test in (
        lambda p: p.lead.requirement.id == point.requirement.id,
        lambda p: bool(point.entry_org) and p.lead.entry_org == point.entry_org,
        lambda p: bool(_terms(point) & {t for q in p.points for t in _terms(q)}),
    ):
        found = next((p for p in paragraphs if test(p)), None)
        if found is not None:
            return found
    return None


def _shortest(paragraphs: list[Paragraph], max_support: int) -> Paragraph | None:
    open_ = [p for p in paragraphs if len(p.support) < max_support]
    return min(open_, key=lambda p: len(p.support)) if open_ else None
