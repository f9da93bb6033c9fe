"""Find the resume items that support each requirement, with a strength in 0–1.

Signals, all offline and deterministic:
- skills: the requirement's canonical keywords found in items through the lexicon. The
  JD's own wording counts fully, another alias of the same skill ("k8s" for "Kubernetes")
  a little less, a fuzzy variant less again, and a skill only *listed* in a skills section
  a little less than one shown in experience — so aligning terminology (where the skill is
  already evidenced) raises the score slightly, and nothing unsupported is ever needed;
- years: role date ranges in the experience section, merged, against "5+ years";
- degree: the highest degree level named in the education section against the required one;
- wording: for requirements with no skill keyword (duties), overlap of content words.

Parts: strength (weights, thresholds), dates, index (the resume indexed once), match (one
requirement), rank (which items are quoted; the posting's own wording).
"""

from __future__ import annotations

from resume_tui.analysis.evidence.dates import date_ranges, merged_years, reference_year
from resume_tui.analysis.evidence.index import ResumeIndex, content_stems, degree_windows, index_resume, stem
from resume_tui.analysis.evidence.match import match_requirement
from resume_tui.analysis.evidence.rank import jd_surfaces
from resume_tui.analysis.evidence.strength import (
    LANGUAGE_WORDS,
    MATCHED_AT,
    MAX_EVIDENCE,
    PARTIAL_AT,
    REFERENCE_YEAR_FLOOR,
    WRITTEN_IN_LANGUAGE,
)

__all__ = [
    "LANGUAGE_WORDS",
    "MATCHED_AT",
    "MAX_EVIDENCE",
    "PARTIAL_AT",
    "REFERENCE_YEAR_FLOOR",
    "ResumeIndex",
    "WRITTEN_IN_LANGUAGE",
    "content_stems",
    "date_ranges",
    "degree_windows",
    "index_resume",
    "jd_surfaces",
    "match_requirement",
    "merged_years",
    "reference_year",
    "stem",
]
