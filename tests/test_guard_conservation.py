"""The guard proves what each change claims (issue 11): nothing dropped or moved across roles, names kept
whole, implied skills never written, one proposal per target, a rationale that says only what was checked.

The adversarial cases are what a careless model (or the old offline engine) really produced on real
resumes; each must be blocked or flagged — never safe.
"""

from __future__ import annotations

import pytest

from resume_tui.analysis.guard import check_change, guard_changes
from resume_tui.analysis.guard.names import inflects, name_runs, same_referent, tokens
from resume_tui.documents.ingest import parse_resume_text
from resume_tui.models import Change, ChangeAction, Verdict

RESUME = parse_resume_text("""\
MARIA GONZALEZ
maria@example.com | (206) 555-0147

SKILLS
Cloud & DevOps: Azure, Azure API Management, AKS, ACR, Terraform
Leadership: Technical Leadership | Automation | Enterprise Architecture

EXPERIENCE
Contoso Ltd, Seattle, WA
Senior Cloud Engineer, Jan 2020 – Present
• Led migration of 40 services to AKS, cutting hosting cost by 30%.
• Built API gateways with Azure API Management and enforced API security policies.
• Automated infrastructure with Terraform modules used by 12 teams.

Northwind Traders, Portland, OR
Systems Administrator, Jun 2013 – Feb 2016
• Managed Windows Server and Active Directory for 800 users.
• Tracked licences and budgets in spreadsheets.
""")
SKILLS = next(s for s in RESUME.sections if s.kind.value == "skills")
EXP = next(s for s in RESUME.sections if s.kind.value == "experience")


def _item(fragment: str):
    return next(i for i in RESUME.items() if fragment in i.text)


def _replace(fragment: str, after: str, rationale: str = "") -> Change:
    item = _item(fragment)
    section = RESUME.section_of(item.id)
    return Change(id="c", section_id=section.id, item_id=item.id, action=ChangeAction.REPLACE, before=item.text,
                  after=after, rationale=rationale, requirement_ids=["r1"], evidence_item_ids=[item.id])


def _reorder(order: list[str]) -> Change:
    return Change(id="o", section_id=EXP.id, action=ChangeAction.REORDER, order=order, requirement_ids=["r1"])


# ------------------------------------------------------------------ names


@pytest.mark.parametrize(("a", "b", "same"), [
    ("AKS", "Azure Kubernetes Service", True), ("k8s", "Kubernetes", True), ("Postgres", "PostgreSQL", True),
    ("Excel", "Microsoft Excel", True), ("NodeJS", "Node.js", True), ("JS", "JavaScript", True),
    ("API", "APIs", False), ("spreadsheets", "Excel", False), ("REST", "RESTful APIs", False),
    ("API", "API design", False), ("Go", "Golang", False),
])
def test_same_referent_is_only_provable_renaming(a, b, same) -> None:
    assert same_referent(a, b) is same
    assert same_referent(b, a) is same


def test_inflection_and_name_runs() -> None:
    assert inflects("API", "APIs") and inflects("pipeline", "pipelines") and not inflects("API", "API")
    text = "Built API gateways with Azure API Management and Windows Server."
    toks = tokens(text)
    assert [" ".join(t.text for t in toks[s:e]) for s, e in name_runs(text)] == ["Azure API Management", "Windows Server"]


# ------------------------------------------------------------------ adversarial: each must not be safe


def test_a_list_that_loses_an_entry_is_flagged_and_names_it() -> None:
    line = "Cloud & DevOps: Azure, Azure API Management, AKS, ACR, Terraform"
    out = check_change(_replace(line, "Cloud & DevOps: Azure, Azure API Management, Azure Kubernetes Service, Terraform",
                                "Nothing is added or removed."), RESUME)
    assert out.verdict is Verdict.FLAGGED
    assert any("Drops 'ACR'" in r for r in out.reasons)
    assert "nothing is added or removed" not in out.rationale.lower()
    assert "Checked: drops 'ACR'." in out.rationale


def test_an_emptied_slot_in_a_list_is_a_drop() -> None:
    line = "Leadership: Technical Leadership | Automation | Enterprise Architecture"
    out = check_change(_replace(line, "Leadership: Technical Leadership | | Enterprise Architecture"), RESUME)
    assert out.verdict is not Verdict.SAFE and any("Automation" in r for r in out.reasons)


def test_an_inflected_product_name_is_flagged() -> None:
    bullet = "Built API gateways"
    out = check_change(_replace(bullet, _item(bullet).text.replace("API", "APIs")), RESUME)
    assert out.verdict is not Verdict.SAFE
    assert any("'API' to 'APIs'" in r for r in out.reasons)


def test_an_edit_inside_a_multi_word_name_is_flagged() -> None:
    bullet = "Built API gateways"
    after = _item(bullet).text.replace("Azure API Management", "Azure REST Management")
    out = check_change(_replace(bullet, after), RESUME)
    assert out.verdict is not Verdict.SAFE
    assert any("Azure API Management" in r for r in out.reasons)


def test_a_rewritten_label_is_flagged() -> None:
    line = "Cloud & DevOps: Azure, Azure API Management, AKS, ACR, Terraform"
    out = check_change(_replace(line, "Cloud Platforms: Azure, Azure API Management, AKS, ACR, Terraform"), RESUME)
    assert out.verdict is Verdict.FLAGGED and any("label 'Cloud & DevOps:'" in r for r in out.reasons)


def test_an_implied_skill_is_blocked_until_declared() -> None:
    bullet = "Tracked licences"
    change = _replace(bullet, "Tracked licences and budgets in Excel.")
    out = check_change(change, RESUME)
    assert out.verdict is Verdict.BLOCKED
    assert any("'Excel' is not written in your resume, only implied by 'spreadsheets'" in r for r in out.reasons)
    declared = check_change(change, RESUME, user_facts=["Excel"])
    assert declared.verdict is not Verdict.BLOCKED, declared.reasons


def test_an_llm_rewrite_that_loses_a_number_or_tool_says_so() -> None:
    bullet = "Led migration of 40 services"
    out = check_change(_replace(bullet, "Led a large migration to the cloud, cutting hosting cost by 30%."), RESUME)
    assert out.verdict is Verdict.FLAGGED
    assert any("'40'" in r and "'AKS'" in r for r in out.reasons), out.reasons


def test_a_bullet_moved_to_another_role_is_blocked() -> None:
    ids = [i.id for i in EXP.items]
    first, second = EXP.entries
    moved = second.item_ids[-1]
    order = [i for i in ids if i != moved]
    order.insert(order.index(first.item_ids[0]), moved)
    out = check_change(_reorder(order), RESUME)
    assert out.verdict is Verdict.BLOCKED and any("may only move within its own role" in r for r in out.reasons)


def test_a_bullet_moved_above_the_first_header_is_blocked() -> None:
    ids = [i.id for i in EXP.items]
    moved = EXP.entries[0].item_ids[1]
    order = [moved] + [i for i in ids if i != moved]
    out = check_change(_reorder(order), RESUME)
    assert out.verdict is Verdict.BLOCKED and any("above the first role" in r for r in out.reasons)


def test_whole_roles_swapped_keep_their_bullets_but_are_flagged() -> None:
    first, second = EXP.entries
    order = second.header_ids + second.item_ids + first.header_ids + first.item_ids
    out = check_change(_reorder(order), RESUME)
    assert out.verdict is Verdict.FLAGGED and any("order of your roles" in r for r in out.reasons)


def test_a_reorder_within_a_role_is_safe_and_says_what_was_checked() -> None:
    first = EXP.entries[0]
    bullets = list(reversed(first.item_ids))
    order = [i.id for i in EXP.items]
    order[order.index(first.item_ids[0]): order.index(first.item_ids[-1]) + 1] = bullets
    out = check_change(_reorder(order), RESUME)
    assert out.verdict is Verdict.SAFE, out.reasons
    assert "each bullet stays under its own role and the roles keep their order" in out.rationale


def test_one_proposal_per_target() -> None:
    bullet = "Automated infrastructure"
    a = _replace(bullet, _item(bullet).text)
    b = a.model_copy(update={"id": "d", "after": _item(bullet).text.replace("12 teams", "12 product teams")})
    summary = Change(id="s1", section_id=EXP.id, item_id=None, action=ChangeAction.INSERT,
                     after="Relevant strengths: Terraform.", requirement_ids=["r1"], evidence_item_ids=[_item(bullet).id])
    twice = summary.model_copy(update={"id": "s2"})
    out = guard_changes([a, b, summary, twice], RESUME)
    assert [c.id for c in out] == ["c", "s1"]


def test_checked_sentence_is_not_repeated_on_recheck() -> None:
    out = check_change(_replace("Automated infrastructure", "Automated infrastructure with Terraform modules used by 12 teams."), RESUME)
    again = check_change(out, RESUME)
    assert again.rationale.count("Checked:") == 1


def test_aligning_an_acronym_keeps_the_users_term_and_is_safe() -> None:
    bullet = "Led migration of 40 services"
    after = _item(bullet).text.replace("AKS", "AKS (Azure Kubernetes Service)")
    out = check_change(_replace(bullet, after), RESUME)
    assert out.verdict is Verdict.SAFE, out.reasons
    assert "only 'AKS' → 'AKS (Azure Kubernetes Service)' changes; every other word is kept" in out.rationale
