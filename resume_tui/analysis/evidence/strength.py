"""How strong a piece of evidence is: the weights per signal, the matched/partial thresholds,
the sections that are not work, and how documents name languages.
"""

from __future__ import annotations

from resume_tui.models import SectionKind

# how a document names each language, for "Excellent English communication skills" and for
# the engine's check that a resume names the language of a foreign-language posting
LANGUAGE_WORDS = {
    "en": r"english|inglés|ingles|anglais|englisch",
    "es": r"spanish|español|espanol|castellano",
    "de": r"german|deutsch|alemán",
    "fr": r"french|français|francais|francés",
    "it": r"italian|italiano",
    "pt": r"portuguese|português|portugues",
    "nl": r"dutch|nederlands|flemish",
}
# a resume written in the language a requirement names shows that language in writing,
# though not the speaking or the rest of the requirement: partial evidence
WRITTEN_IN_LANGUAGE = 0.5

MATCHED_AT = 0.7  # strength at or above which a requirement counts as matched
# a requirement naming a tool, acronym or credential the resume does not name is partial at most
NOT_NAMED_CAP = 0.5
PARTIAL_AT = 0.25  # below this it is missing
MAX_EVIDENCE = 3  # items quoted per requirement

# "Present" needs a reference date; the clock would make scores drift from day to day, so
# we use the latest year the documents themselves mention, and never earlier than this.
REFERENCE_YEAR_FLOOR = 2025

_W_JD_WORDING = 1.0
_W_ALIAS = 0.9
_W_FUZZY = 0.75
_W_IMPLIED = 0.8  # "Terraform" shown, "infrastructure as code" asked
_LISTED_ONLY = 0.9  # factor for a skill named only in a skills list

_LIST_SECTIONS = {SectionKind.SKILLS, SectionKind.INTERESTS, SectionKind.LANGUAGES}
_NON_WORK_SECTIONS = {
    SectionKind.EDUCATION,
    SectionKind.CERTIFICATIONS,
    SectionKind.PUBLICATIONS,
    SectionKind.AWARDS,
    SectionKind.VOLUNTEERING,
    SectionKind.SKILLS,
    SectionKind.INTERESTS,
    SectionKind.LANGUAGES,
}
