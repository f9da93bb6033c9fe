"""The guard proves what each change claims (issue 11): nothing dropped or moved across roles, names kept
whole, implied skills never written, one proposal per target, a rationale that says only what was checked.

The adversarial cases are what a careless model (or the old offline engine) really produced on real
resumes; each must be blocked or flagged — never safe.
"""

from __future__ import annotations

import pytest

from resume_tui.analysis.guard import check_change, guard_changes
from resume_tui.analysis.names import inflects, name_runs, same_referent, tokens
from resume_tui.documents.ingest import parse_resume_text
from resume_tui.models import Change, ChangeAction, SourceFormat, Verdict

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


# ------------------------------------------------------------------ the same, from a model through a real SDK


async def test_a_careless_model_gets_none_of_its_losses_accepted(server) -> None:
    """A fake OpenAI-compatible model that drops a list entry, moves a bullet to another role, inflects a
    product name and writes an implied skill: through the real SDK and the pipeline's schema, none is safe."""
    import json

    from resume_tui.config import Settings
    from resume_tui.models import CustomizationLevel, GapReport, Plan
    from resume_tui.pipeline.prompts import customize_messages
    from resume_tui.pipeline.schemas import SectionRewriteOut
    from resume_tui.providers.base import LLMRequest
    from resume_tui.providers.router import Router

    skills_line = _item("Cloud & DevOps")
    api = _item("Built API gateways")
    sheets = _item("Tracked licences")
    first, second = EXP.entries
    ids = [i.id for i in EXP.items]
    moved = [i for i in ids if i != second.item_ids[0]]
    moved.insert(moved.index(first.item_ids[0]), second.item_ids[0])
    answer = {"changes": [
        {"action": "replace", "item_id": skills_line.id, "after": "Cloud & DevOps: Azure, Azure API Management, AKS, Terraform",
         "rationale": "Tighter list; nothing is added or removed.", "requirement_ids": ["r1"], "evidence_item_ids": [skills_line.id]},
        {"action": "replace", "item_id": api.id, "after": api.text.replace("API", "APIs"),
         "rationale": "Use the posting's word.", "requirement_ids": ["r1"], "evidence_item_ids": [api.id]},
        {"action": "replace", "item_id": sheets.id, "after": "Tracked licences and budgets in Excel.",
         "rationale": "Posting asks for Excel.", "requirement_ids": ["r1"], "evidence_item_ids": [sheets.id]},
    ]}
    server.reset()
    server.state.default_answer = json.dumps(answer)
    settings = Settings.model_validate({"provider": "openai", "providers": {"openai": {"api_key": "k-test-123456",
                                                                                      "base_url": server.url + "/v1"}}})
    router = Router(settings, cache=False)
    messages = customize_messages(SKILLS, SKILLS.items, Plan(), [], GapReport(score=0), CustomizationLevel.MODERATE, True)
    provider = router.chain_for("customize_s0", "moderate")[0]
    result = await provider.complete(LLMRequest(task="customize_s0", messages=messages, schema=SectionRewriteOut, timeout_s=5))
    await router.aclose()
    proposed = [
        Change(id=f"m{n}", section_id=RESUME.section_of(out.item_id).id, item_id=out.item_id, action=ChangeAction(out.action),
               before=RESUME.item(out.item_id).text, after=out.after, rationale=out.rationale,
               requirement_ids=out.requirement_ids, evidence_item_ids=out.evidence_item_ids, source=result.source)
        for n, out in enumerate(result.value.changes)
    ]
    proposed.append(_reorder(moved).model_copy(update={"source": result.source}))
    guarded = guard_changes(proposed, RESUME)
    assert len(guarded) == 4
    assert all(c.verdict is not Verdict.SAFE for c in guarded), [(c.after, c.reasons) for c in guarded]
    dropped, inflected, implied, reorder = guarded
    assert "Drops 'ACR'" in " ".join(dropped.reasons) and "nothing is added" not in dropped.rationale.lower()
    assert "'API' to 'APIs'" in " ".join(inflected.reasons)
    assert implied.verdict is Verdict.BLOCKED and "only implied by 'spreadsheets'" in " ".join(implied.reasons)
    assert reorder.verdict is Verdict.BLOCKED


# ------------------------------------------------------------------ nesting and labelled skill groups (held-out resume shapes)

NESTED = parse_resume_text("""\
# Jane Roe

## Technical Skills

### Azure Cloud Services
- **Compute**: Azure Kubernetes Service (AKS), Azure Functions
- **Messaging**: Service Bus, Event Grid

### Programming
- Python
- PowerShell

## Professional Experience

### Lead Cloud Engineer | Contoso
*2023 - Present*

#### Key Achievements:

- **Zero Trust**: designed a security model incorporating:
  - Private endpoints for all services
  - Azure Key Vault for secrets
- **Cost**: cut spend by 40% with Terraform policies
- **AKS**: ran 12 clusters across three zones
""", source_format=SourceFormat.MARKDOWN)


def test_a_sub_heading_inside_a_role_keeps_its_bullets_in_that_role() -> None:
    exp = next(s for s in NESTED.sections if s.kind.value == "experience")
    assert [s.title for s in NESTED.sections] == ["Technical Skills", "Professional Experience"]
    (entry,) = exp.entries
    texts = [NESTED.item(i).text for i in entry.item_ids]
    assert texts[0] == "Key Achievements:" and texts[-1].startswith("AKS:")
    nested = [NESTED.item(i) for i in entry.item_ids if NESTED.item(i).depth == 1]
    assert [i.text for i in nested] == ["Private endpoints for all services", "Azure Key Vault for secrets"]


def test_skills_under_their_own_labels_never_move_to_another_label() -> None:
    skills = NESTED.sections[0]
    assert [e.title for e in skills.entries] == ["Azure Cloud Services", "Programming"]
    ids = [i.id for i in skills.items]
    python = next(i.id for i in skills.items if i.text == "Python")
    moved = [i for i in ids if i != python]
    moved.insert(1, python)  # up under "Azure Cloud Services"
    change = Change(id="o", section_id=skills.id, action=ChangeAction.REORDER, order=moved, requirement_ids=["r1"])
    out = check_change(change, NESTED)
    assert out.verdict is Verdict.BLOCKED


def test_a_nested_bullet_never_leaves_its_parent() -> None:
    exp = next(s for s in NESTED.sections if s.kind.value == "experience")
    ids = [i.id for i in exp.items]
    child = next(i.id for i in exp.items if i.depth == 1)
    moved = [i for i in ids if i != child] + [child]  # under the last bullet instead
    out = check_change(Change(id="o", section_id=exp.id, action=ChangeAction.REORDER, order=moved, requirement_ids=["r1"]),
                       NESTED)
    assert out.verdict is Verdict.BLOCKED and any("belongs under" in r for r in out.reasons)


def test_the_engine_moves_a_parent_bullet_with_its_children() -> None:
    from resume_tui.analysis.engine import analyze
    from resume_tui.analysis.requirements import parse_job_description
    from resume_tui.analysis.rewrites import propose_changes
    from resume_tui.models import CustomizationLevel

    job = parse_job_description("Cloud Engineer\n\nRequirements\n- Running AKS clusters across zones\n- Terraform\n")
    changes = propose_changes(NESTED, job, analyze(NESTED, job), CustomizationLevel.MODERATE)
    exp = next(s for s in NESTED.sections if s.kind.value == "experience")
    order = next(c for c in changes if c.action is ChangeAction.REORDER and c.section_id == exp.id)
    assert order.verdict is Verdict.SAFE, order.reasons
    texts = [NESTED.item(i).text for i in order.order]
    assert texts.index("AKS: ran 12 clusters across three zones") < texts.index("Zero Trust: designed a security model incorporating:")
    zero = texts.index("Zero Trust: designed a security model incorporating:")
    assert texts[zero + 1 : zero + 3] == ["Private endpoints for all services", "Azure Key Vault for secrets"]
