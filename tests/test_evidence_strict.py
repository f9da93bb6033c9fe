"""Evidence that really supports the requirement (issue 13): a requirement naming a tool, acronym or
credential is matched only by a resume that names it or an alias of it; sharing a generic word
("security", "APIs", "up to date") is partial evidence at most; every quote contains the term."""

from __future__ import annotations

import pytest

from resume_tui.analysis.engine import analyze
from resume_tui.analysis.lexicon import default_lexicon
from resume_tui.analysis.requirements import parse_job_description
from resume_tui.models import Item, MatchStatus, Resume, Section, SectionKind


def resume_of(*sections: tuple[SectionKind, list[str]]) -> Resume:
    return Resume(
        sections=[
            Section(id=f"s{n}", kind=kind, title=kind.value, items=[Item(id=f"s{n}.{i + 1}", text=t) for i, t in enumerate(lines)])
            for n, (kind, lines) in enumerate(sections)
        ]
    )


def row(requirement: str, resume: Resume):
    job = parse_job_description(f"Engineer\n\nRequirements:\n- {requirement}\n")
    assert [r.text for r in job.requirements] == [requirement]
    report = analyze(resume, job)
    req = job.requirements[0]
    return report.match_for(req.id), report.evidence_for(req.id)


AI_ENGINEER = resume_of(
    (SectionKind.SUMMARY, ["AI engineer designing scalable applications. Skilled in developing APIs with Python, "
                           "FastAPI, and Docker, and deploying them on Azure."]),
    (SectionKind.SKILLS, ["Cloud: Azure App Service, Azure Functions, AKS, ACR"]),
)
ARCHITECT = resume_of(
    (SectionKind.EXPERIENCE, ["Hardware: HP BladeSystem c7000, HP Virtual Connect, Dell PowerEdge Servers; "
                              "Barracuda Security products; routers and switches from Cisco, HP, 3Com, Intel and others."]),
    (SectionKind.OTHER, ["Security Clearance: None"]),
)

BAD_EXAMPLES = [
    ("Strong understanding of Azure architecture and infrastructure, including Azure Resource Manager (ARM) templates, "
     "Azure Active Directory (AAD), and Azure networking", AI_ENGINEER, "Skilled in developing APIs with Python"),
    ("Run SAST/DAST security scans in the CI pipeline", ARCHITECT, "Security Clearance: None"),
    ("Stay up to date with emerging trends and technologies in the field of Generative AI.", ARCHITECT,
     "Hardware: HP BladeSystem c7000"),
]


@pytest.mark.parametrize(("requirement", "resume", "bad_quote"), BAD_EXAMPLES)
def test_the_issues_bad_matches_are_no_longer_matched(requirement: str, resume: Resume, bad_quote: str) -> None:
    match, evidence = row(requirement, resume)
    assert match.status != MatchStatus.MATCHED, (match, evidence)
    # quoted at all only where the line holds one of the requirement's own terms (the next test)
    assert all(bad_quote not in e.quote or "Azure" in e.quote or "Security" in e.quote for e in evidence)


def test_an_acronym_the_resume_does_not_name_is_missing_and_named_once_it_is() -> None:
    requirement = "Azure Active Directory (AAD) for identity"
    match, _ = row(requirement, AI_ENGINEER)
    assert match.status != MatchStatus.MATCHED and "AAD" in match.missing_keywords
    for line in ("Set up Azure Active Directory conditional access for 400 users.", "AAD, Intune, Entra ID"):
        named = resume_of((SectionKind.EXPERIENCE, [line]), (SectionKind.SKILLS, ["Python, Docker"]))
        match, evidence = row(requirement, named)
        assert match.status == MatchStatus.MATCHED, line
        assert [e.quote for e in evidence] == [line]  # the line that names it, not the Python one


def test_a_credential_needs_its_name_or_alias() -> None:
    asked = "ACLS certification"
    alias = resume_of((SectionKind.CERTIFICATIONS, ["Advanced Cardiac Life Support, American Heart Association, 2024"]))
    match, evidence = row(asked, alias)
    assert match.status == MatchStatus.MATCHED and "Advanced Cardiac Life Support" in evidence[0].quote
    generic = resume_of((SectionKind.CERTIFICATIONS, ["Basic certification in workplace first aid, 2024"]))
    match, _ = row(asked, generic)
    assert match.status != MatchStatus.MATCHED


def test_generic_words_alone_are_partial_but_a_line_saying_the_requirement_matches() -> None:
    asked = "At least one previous internship experience in Finance"
    match, _ = row(asked, resume_of((SectionKind.EXPERIENCE, ["Reviewed the General Accounting and Finance System reports."])))
    assert match.status == MatchStatus.PARTIAL
    match, _ = row(asked, resume_of((SectionKind.EXPERIENCE, ["Finance internship at Acme Capital (summer 2023), one previous internship"])))
    assert match.status == MatchStatus.MATCHED


def test_a_narrower_tool_shows_a_practice_but_is_not_an_alias_of_a_named_tool() -> None:
    terraform = resume_of((SectionKind.EXPERIENCE, ["Provisioned AWS accounts with Terraform."]))
    assert row("Infrastructure as code", terraform)[0].status == MatchStatus.MATCHED  # a practice Terraform shows
    eks = resume_of((SectionKind.EXPERIENCE, ["Ran services on Amazon EKS."]))
    match, evidence = row("Kubernetes", eks)
    assert match.status == MatchStatus.PARTIAL and "EKS" in evidence[0].quote  # EKS implies Kubernetes; not its name


@pytest.mark.parametrize(("requirement", "resume", "bad_quote"), BAD_EXAMPLES)
def test_every_quote_of_a_matched_or_partial_row_contains_a_term_of_the_requirement(requirement, resume, bad_quote) -> None:
    lex = default_lexicon()
    match, evidence = row(requirement, resume)
    if match.status == MatchStatus.MISSING:
        assert evidence == []
        return
    asked = {h.canonical for h in lex.find(requirement)} | {"AAD", "SAST", "DAST", "ARM"}
    for e in evidence:
        shown = {h.canonical for h in lex.find(e.quote, context_free=True)} | {a for a in asked if a in e.quote}
        assert asked & shown, (e.quote, asked)
