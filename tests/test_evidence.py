"""Evidence: which resume items support a requirement, and how strongly."""

from __future__ import annotations

import pytest

from resume_tui.analysis.evidence import (
    MATCHED_AT,
    REFERENCE_YEAR_FLOOR,
    content_stems,
    date_ranges,
    index_resume,
    jd_surfaces,
    match_requirement,
    merged_years,
    reference_year,
)
from resume_tui.models import Item, MatchStatus, Priority, Requirement, RequirementCategory, Resume, Section, SectionKind


def resume_of(*sections: tuple[SectionKind, list[str]]) -> Resume:
    out = []
    for n, (kind, lines) in enumerate(sections):
        sid = f"s{n}"
        out.append(Section(id=sid, kind=kind, title=kind.value, items=[Item(id=f"{sid}.{i + 1}", text=t) for i, t in enumerate(lines)]))
    return Resume(sections=out)


def req(text: str, keywords: list[str] = (), **kw) -> Requirement:
    return Requirement(
        id=kw.pop("id", "r1"),
        text=text,
        category=kw.pop("category", RequirementCategory.TECHNICAL_SKILL),
        priority=kw.pop("priority", Priority.CRITICAL),
        keywords=list(keywords),
        **kw,
    )


def run(resume: Resume, requirement: Requirement, jd_text: str | None = None):
    index = index_resume(resume)
    return match_requirement(requirement, index, jd_surfaces(jd_text if jd_text is not None else requirement.text))


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Engineer, Acme (2018 – 2021)", 3.0),
        ("Oct. 2021 – Current", 3.7),
        ("May 2019 - Aug. 2020", 1.2),
        ("12/2014-01/2016", 1.1),
        ("2018.10–2024.09", 5.9),
        ("July 2011 - September 2014", 3.2),
        ("Jul 2025 - Present", 0.0),
        ("Fall 2010", 0.0),
    ],
)
def test_date_ranges(text: str, years: float) -> None:
    assert merged_years(date_ranges(text, 2025)) == pytest.approx(years, abs=0.05)


def test_overlapping_roles_count_once() -> None:
    ranges = date_ranges("2018 – 2021 and 2020 – 2022 and 2010 – 2011", 2025)
    assert merged_years(ranges) == 5.0


def test_reference_year_comes_from_the_documents_not_the_clock() -> None:
    assert reference_year(["nothing here"]) == REFERENCE_YEAR_FLOOR
    assert reference_year(["Joined in 2031", "left 1999"]) == 2031


def test_years_from_roles_and_from_a_stated_claim() -> None:
    resume = resume_of(
        (SectionKind.SUMMARY, ["Analyst with 9 years of experience."]),
        (SectionKind.EXPERIENCE, ["Analyst — Acme (2019 – 2022)", "Built dashboards in Tableau."]),
        (SectionKind.EDUCATION, ["BSc Statistics (2010 – 2014)"]),
    )
    index = index_resume(resume)
    assert index.years == 9.0  # the claim beats three years of dated roles; education dates never count
    match, evidence = match_requirement(req("5+ years of experience", years=5, category=RequirementCategory.EXPERIENCE), index, {})
    assert match.status == MatchStatus.MATCHED
    assert [e.item_id for e in evidence] == ["s1.1"]


def test_too_few_years_is_partial() -> None:
    resume = resume_of((SectionKind.EXPERIENCE, ["Nurse — City Hospital (2022 – 2024)"]))
    match, _ = run(resume, req("4+ years as a nurse", years=4, category=RequirementCategory.EXPERIENCE))
    assert match.status == MatchStatus.PARTIAL and match.strength == 0.5


# --------------------------------------------------------------------------- skills


def test_skill_evidence_quotes_the_item_verbatim() -> None:
    resume = resume_of(
        (SectionKind.EXPERIENCE, ["Moved 14 services to Kubernetes on AWS.", "Wrote the billing service in Go."]),
        (SectionKind.SKILLS, ["Kubernetes, Docker"]),
    )
    match, evidence = run(resume, req("Hands-on Kubernetes experience", ["Kubernetes"]))
    assert match.status == MatchStatus.MATCHED and match.strength == 1.0
    assert match.matched_keywords == ["Kubernetes"] and match.missing_keywords == []
    assert [e.item_id for e in evidence] == ["s0.1", "s1.1"]  # experience before a skills list
    assert evidence[0].quote == "Moved 14 services to Kubernetes on AWS."
    assert evidence[1].strength < evidence[0].strength


def test_alias_counts_slightly_less_than_the_jds_own_wording() -> None:
    requirement = req("Experience with Kubernetes", ["Kubernetes"])
    alias = run(resume_of((SectionKind.EXPERIENCE, ["Ran k8s clusters."])), requirement)[0]
    same = run(resume_of((SectionKind.EXPERIENCE, ["Ran Kubernetes clusters."])), requirement)[0]
    assert alias.status == same.status == MatchStatus.MATCHED
    assert alias.strength < same.strength


def test_fuzzy_variant_is_weaker_evidence() -> None:
    requirement = req("Experience with Kubernetes", ["Kubernetes"])
    fuzzy = run(resume_of((SectionKind.EXPERIENCE, ["Ran Kubernets clusters."])), requirement)[0]
    assert fuzzy.status == MatchStatus.MATCHED and 0.7 <= fuzzy.strength < 0.9


def test_narrower_skill_implies_broader_one() -> None:
    requirement = req("Infrastructure as code", ["infrastructure as code"])
    match, evidence = run(resume_of((SectionKind.EXPERIENCE, ["Provisioned AWS with Terraform."])), requirement)
    assert match.status == MatchStatus.MATCHED and match.strength == 0.8
    assert evidence[0].item_id == "s0.1"


def test_missing_keywords_and_partial_coverage() -> None:
    resume = resume_of((SectionKind.EXPERIENCE, ["Python and SQL every day."]))
    match, _ = run(resume, req("Python, SQL, Tableau and SAS", ["Python", "SQL", "Tableau", "SAS"]))
    assert match.matched_keywords == ["Python", "SQL"]
    assert match.missing_keywords == ["Tableau", "SAS"]
    assert match.status == MatchStatus.PARTIAL


def test_alternatives_need_only_one() -> None:
    resume = resume_of((SectionKind.EXPERIENCE, ["Deployed on Azure."]))
    match, _ = run(resume, req("One cloud platform: GCP, AWS, or Azure", ["GCP", "AWS", "Azure"]))
    assert match.status in (MatchStatus.MATCHED, MatchStatus.PARTIAL)
    assert match.strength >= 0.6


def test_nothing_relevant_is_missing_with_no_evidence() -> None:
    resume = resume_of((SectionKind.EXPERIENCE, ["Taught chemistry to 11th graders."]))
    match, evidence = run(resume, req("Kafka experience", ["Kafka"]))
    assert match.status == MatchStatus.MISSING and match.strength == 0.0 and evidence == []


def test_long_item_quotes_the_matching_sentence() -> None:
    long = (
        "Senior member of a team managing hundreds of production servers for the university and its hospitals. "
        "Built a managed Kubernetes service for internal teams to run cloud-native applications. "
        "Led the email platform for a quarter of a million mailboxes until its retirement in 2019."
    )
    resume = resume_of((SectionKind.EXPERIENCE, [long]))
    _, evidence = run(resume, req("Kubernetes", ["Kubernetes"]))
    assert evidence[0].quote == "Built a managed Kubernetes service for internal teams to run cloud-native applications."
    assert evidence[0].quote in long


# --------------------------------------------------------------------------- degrees and wording


def test_degree_level_and_field() -> None:
    requirement = req("Bachelor's degree in Computer Science", ["computer science"], degree="bachelor", category=RequirementCategory.EDUCATION)
    cs = resume_of((SectionKind.EDUCATION, ["MSc Computer Science, 2015"]))
    match, evidence = run(cs, requirement)
    assert match.status == MatchStatus.MATCHED and evidence[0].item_id == "s0.1"
    other_field = resume_of((SectionKind.EDUCATION, ["MA History, 2015"]))
    assert run(other_field, requirement)[0].strength < MATCHED_AT
    lower = resume_of((SectionKind.EDUCATION, ["Associate of Science in Computer Science"]))
    assert run(lower, requirement)[0].strength < run(cs, requirement)[0].strength
    none = resume_of((SectionKind.EXPERIENCE, ["Programmer"]))
    assert run(none, requirement)[0].status == MatchStatus.MISSING


def test_equivalent_experience_softens_a_missing_degree() -> None:
    requirement = req("Bachelor's degree or equivalent experience", degree="bachelor", category=RequirementCategory.EDUCATION)
    resume = resume_of((SectionKind.EXPERIENCE, ["Developer — Acme (2010 – 2020)"]))
    assert run(resume, requirement)[0].status == MatchStatus.PARTIAL


def test_duties_without_keywords_match_on_wording() -> None:
    requirement = req("Write clean, efficient, and well-documented code", category=RequirementCategory.RESPONSIBILITY, priority=Priority.IMPORTANT)
    resume = resume_of((SectionKind.EXPERIENCE, ["Wrote clean, well-documented code for the billing system.", "Cooked dinner."]))
    match, evidence = run(resume, requirement)
    assert match.status in (MatchStatus.MATCHED, MatchStatus.PARTIAL)
    assert [e.item_id for e in evidence] == ["s0.1"]


def test_content_stems_ignore_filler() -> None:
    assert content_stems("Strong experience teaching the students") == {"teach", "student"}


def test_degree_field_comes_from_the_degree_not_the_institution() -> None:
    requirement = req("Bachelor's degree in Education", ["education"], degree="bachelor", category=RequirementCategory.EDUCATION)
    biologist = resume_of((SectionKind.EDUCATION, ["Integrated Bachelor-Master Degree - Biology. Indian Institute of Science Education and Research"]))
    teacher = resume_of((SectionKind.EDUCATION, ["DePaul University; Bachelor of Science in Secondary Education Chemistry; 2011"]))
    assert run(teacher, requirement)[0].status == MatchStatus.MATCHED
    # a degree in another field is no evidence for a field-specific degree…
    assert run(biologist, requirement)[0].status == MatchStatus.MISSING
    # …and partial evidence at most when the posting accepts a related field
    related = req("Bachelor's degree in Education or related field", ["education"], degree="bachelor",
                  category=RequirementCategory.EDUCATION)
    assert run(biologist, related)[0].status == MatchStatus.PARTIAL


# --------------------------------------------------------------------------- quote quality


def test_stems_keep_unrelated_words_apart() -> None:
    """A fixed-length cut made "communication" and "community" one word."""
    assert not content_stems("English communication") & content_stems("Hagerstown Community College")
    assert content_stems("monitoring reports") == content_stems("monitor report")
    assert content_stems("follow-up assessments") >= {"follow", "assess"}


def test_a_college_name_is_no_evidence_of_communication_skills() -> None:
    resume = resume_of(
        (SectionKind.EDUCATION, ["Hagerstown Community College - Graduation May 2013"]),
        (SectionKind.AWARDS, ["Award of Academic Excellence - Hagerstown Community College 2013"]),
    )
    match, evidence = run(resume, req("Excellent English communication skills", ["communication"]))
    assert match.status == MatchStatus.MISSING
    assert evidence == []


def test_degree_evidence_quotes_the_degree_in_the_asked_field() -> None:
    resume = resume_of(
        (SectionKind.EDUCATION, [
            "Master of Science in Artificial Intelligence and Machine Learning",
            "Master of Science in Nursing, Adult-Gerontology Acute Care Nurse Practitioner",
            "Bachelor of Science in Nursing",
        ]),
    )
    requirement = req("4-year Bachelor of Nursing Science or equivalent", ["BSN"], degree="bachelor",
                      category=RequirementCategory.EDUCATION)
    match, evidence = run(resume, requirement)
    assert match.status == MatchStatus.MATCHED
    quotes = [e.quote for e in evidence]
    assert quotes[0] == "Bachelor of Science in Nursing"
    assert "Master of Science in Artificial Intelligence and Machine Learning" not in quotes


def test_a_degree_in_another_field_is_partial_only_with_or_equivalent() -> None:
    resume = resume_of((SectionKind.EDUCATION, ["Master of Science in Artificial Intelligence and Machine Learning"]))
    strict = req("Bachelor of Nursing Science", ["BSN"], degree="bachelor", category=RequirementCategory.EDUCATION)
    lenient = req("Bachelor of Nursing Science or equivalent", ["BSN"], degree="bachelor",
                  category=RequirementCategory.EDUCATION)
    assert run(resume, strict)[0].status == MatchStatus.MISSING
    assert run(resume, lenient)[0].status == MatchStatus.PARTIAL


def test_among_equal_items_the_work_bullet_sharing_the_words_is_quoted_first() -> None:
    resume = resume_of(
        (SectionKind.SUMMARY, ["Python developer who loves clean code."]),
        (SectionKind.EXPERIENCE, ["Acme Corp (2019 – 2024)", "Built Python data pipelines for billing reports."]),
    )
    _, evidence = run(resume, req("Build data pipelines in Python", ["Python"]))
    assert evidence[0].quote == "Built Python data pipelines for billing reports."


def test_far_weaker_items_are_not_quoted_next_to_a_strong_one() -> None:
    resume = resume_of(
        (SectionKind.EXPERIENCE, ["Deployed services on Kubernetes and AWS with Terraform.", "Wrote AWS Lambda functions."]),
    )
    _, evidence = run(resume, req("Kubernetes, Terraform and AWS", ["Kubernetes", "Terraform", "AWS"]))
    assert [e.quote for e in evidence] == ["Deployed services on Kubernetes and AWS with Terraform."]


def test_a_degree_asked_as_a_kind_of_field_accepts_a_degree_of_that_kind() -> None:
    """"a quantitative field (e.g. Statistics, …)": an Analytics master's fits the kind."""
    resume = resume_of((SectionKind.EDUCATION, ["Master of Science, Analytics July 2015"]))
    requirement = req(
        "Bachelors /Masters degree in a quantitative field (e.g. Statistics, Computer Science, Economics)",
        ["quantitative analysis", "statistics", "computer science", "economics"],
        degree="bachelor", category=RequirementCategory.EDUCATION,
    )
    match, evidence = run(resume, requirement)
    assert match.status != MatchStatus.MISSING
    assert evidence[0].quote == "Master of Science, Analytics July 2015"


def test_for_a_years_requirement_work_lines_beat_a_degree_line_saying_as_much() -> None:
    resume = resume_of(
        (SectionKind.EDUCATION, ["Master of Science in Data Analytics 2015"]),
        (SectionKind.EXPERIENCE, ["Data analyst, Acme Bank (2016 – 2024)", "Built data analytics dashboards for lending"]),
    )
    _, evidence = run(resume, req("2+ years of data analytics experience", ["data analysis"], years=2.0))
    assert evidence[0].quote != "Master of Science in Data Analytics 2015"


def test_a_resume_written_in_the_asked_language_is_partial_evidence_of_it() -> None:
    summary = "Nurse practitioner with ten years of experience caring for critically ill adults in the hospital."
    resume = resume_of((SectionKind.SUMMARY, [summary]))
    match, evidence = run(resume, req("Excellent English communication skills", ["communication"]))
    assert match.status == MatchStatus.PARTIAL
    assert evidence[0].quote == summary
    # the line that names the language is the better quote
    named = resume_of((SectionKind.SUMMARY, [summary]), (SectionKind.LANGUAGES, ["Fluent in English and Hindi"]))
    assert run(named, req("Excellent English communication skills", ["communication"]))[1][0].quote == "Fluent in English and Hindi"
    # another language is not shown by writing in English
    assert run(resume, req("Fluent German", []))[0].status == MatchStatus.MISSING


def test_a_repeated_line_is_quoted_once() -> None:
    resume = resume_of(
        (SectionKind.EXPERIENCE, ["Sr. System Reliability Engineer", "Sr. System Reliability Engineer",
                                  "Ran site reliability engineering for 40 services"]),
    )
    _, evidence = run(resume, req("Foster site reliability principles", ["site reliability engineering"]))
    quotes = [e.quote for e in evidence]
    assert len(quotes) == len(set(quotes)) >= 2
