"""What a recruiter would not list as a requirement: interview steps, benefits and offers, company
descriptions, EEO and legal text, application instructions — each family with real-looking lines
beside the requirements that must survive them, in the posting's own words."""

from __future__ import annotations

import pytest

from resume_tui.analysis.requirements import parse_job_description
from resume_tui.models import Priority

REQUIREMENTS = """
## Requirements
- 3+ years of experience with Python and PostgreSQL
- Interview nurses for admission to the NCLEX course
"""

FAMILIES = {
    "interview steps": """
## Our interview process
- A 30-minute recruiter screen
- A technical interview with two engineers
- A final interview with the hiring manager

After a phone screen you will complete a take-home assignment of about three hours.
""",
    "benefits and offers": """
## We care for our employees by providing:
- 25 days of Annual leave + an option to purchase more through our Flexible Benefits
- Unlimited opportunities to learn in our Training platforms

Flint will provide training to the candidates that do not have the needed certifications, such as BLS and ACLS.

**You’ll be Excited to Come to Work Because…**

_The Experience_

\\- You’ll have the ability to make a significant, positive impact on a team, a company, and the world.

\\- You’ll get honest feedback that’s given in the service of helping us get better at what we do.
""",
    "company description": """
## About Roadie
Roadie, a UPS Company, is a logistics management and crowdsourced delivery platform founded in 2014 with Python systems.

To be a part of the solution, Flint is dedicated to streamlining the nursing licensing hurdles for nurses.
We are looking for an Internationally Educated Nurse (IEN), Registered Nurse (RN) to work in an ICU unit in New Mexico.
""",
    "EEO and legal": """
Employer provides equal employment opportunities to all employees and applicants and prohibits discrimination of any type.

As a Disability Confident employer, our aim is to ensure that disabled applicants who meet the minimum criteria are offered an interview.

### Reporting & Work Conditions
- Reports to: Varies by district and role
- FLSA: Exempt/Non-exempt (role-dependent)
""",
    "application instructions": """
#### How to Apply:
If you are passionate about shaping young minds, submit your application including your resume and cover letter.
Please specify the position you are applying for in the subject line.

If you're passionate about data science and is hungry to learn, please apply!
""",
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_non_requirement_family_adds_no_requirement(family: str) -> None:
    alone = parse_job_description("Backend Engineer\n" + REQUIREMENTS)
    job = parse_job_description("Backend Engineer\n" + FAMILIES[family] + REQUIREMENTS)
    assert [r.text for r in job.requirements] == [r.text for r in alone.requirements], family
    assert [r.text for r in job.requirements] == [
        "3+ years of experience with Python and PostgreSQL",
        "Interview nurses for admission to the NCLEX course",  # a duty that names an interview stays
    ]


def test_group_labels_written_as_bullets_are_not_requirements_but_a_short_stack_is() -> None:
    duties = parse_job_description(
        "_The Work_\n\n\\- Vendor Management\n\n"
        "\\- Oversee relationship with outsourced contracts for relevant services: cleaners, caterers etc.\n\n"
        "\\- Manage corporate travel partners & booking sites\n\n"
        "\\- Special projects, as needed\n"
    )
    assert [r.text for r in duties.requirements] == [
        "Oversee relationship with outsourced contracts for relevant services: cleaners, caterers etc.",
        "Manage corporate travel partners & booking sites",
    ]
    stack = parse_job_description("# Site Reliability Engineer\n\n**Technology We're Using Now**\n\n* Python, Golang\n* ArgoCD\n* Terraform/Crossplane\n")
    assert [r.text for r in stack.requirements] == ["Python, Golang", "ArgoCD", "Terraform/Crossplane"]
    assert {r.priority for r in stack.requirements} == {Priority.NICE_TO_HAVE}


def test_toml_front_matter_is_not_a_requirement() -> None:
    job = parse_job_description('+++\ntitle = "Account Executive"\ndraft = true\n+++\n\n'
                                "**Who you are**\n\n- 8-10+ years of enterprise software sales experience.\n")
    assert job.title == "Account Executive"
    assert [r.text for r in job.requirements] == ["8-10+ years of enterprise software sales experience."]


def test_lines_without_glyphs_in_a_requirements_section_are_each_a_requirement() -> None:
    job = parse_job_description(
        "Intern, Operations & Technology\n\nAs an Intern, Operations & Technology you will:\n"
        "Perform data reconciliation, data entry, auditing and compliance for our client portfolios.\n\n"
        "Populate and maintain client data in our internal systems (SF, APX).\n\n"
        "In addition to the above, the successful candidate will have:\n"
        "Excellent attention to detail.\n\n"
        "Experience and/or knowledge of JIRA is considered an asset.\n"
    )
    assert [(r.text, r.priority) for r in job.requirements] == [
        ("Perform data reconciliation, data entry, auditing and compliance for our client portfolios.", Priority.IMPORTANT),
        ("Populate and maintain client data in our internal systems (SF, APX).", Priority.IMPORTANT),
        ("Excellent attention to detail.", Priority.CRITICAL),
        ("Experience and/or knowledge of JIRA is considered an asset.", Priority.NICE_TO_HAVE),
    ]
