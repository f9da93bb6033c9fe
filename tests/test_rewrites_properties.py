"""Property tests over generated resumes: whatever the offline engine proposes keeps every item in its
own entry, keeps every list entry and every multi-word name, and drops nothing (issue 11)."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resume_tui.analysis.engine import analyze
from resume_tui.analysis.guard.conservation import dropped_facts, split_list
from resume_tui.analysis.names import name_runs, tokens
from resume_tui.analysis.requirements import parse_job_description
from resume_tui.analysis.rewrites import propose_changes
from resume_tui.documents.ingest import parse_resume_text
from resume_tui.models import ChangeAction, CustomizationLevel, Verdict

# Resume wording vs the posting's wording of the same (or a merely related) thing.
TOOLS = [
    ("AKS", "Azure Kubernetes Service"), ("k8s", "Kubernetes"), ("Postgres", "PostgreSQL"), ("API", "APIs"),
    ("Azure API Management", "Azure APIs Management"), ("spreadsheets", "Excel"), ("Terraform", "Terraform"),
    ("Azure DevOps", "Azure DevOps"), ("JS", "JavaScript"), ("CI/CD pipelines", "CI/CD"), ("Python", "Python"),
    ("Windows Server", "Windows Server"), ("Service Bus", "Service Bus"), ("ACR", "container registries"),
]
VERBS = ["Built", "Ran", "Maintained", "Designed and tested", "Automated", "Migrated"]
OBJECTS = ["services on {t}", "{t} pipelines for 12 teams", "gateways with {t} and {u}", "a {t} rollout cutting cost by 30%"]
ORGS = ["Contoso Ltd", "Fabrikam Inc.", "Northwind Traders", "Globex Corporation"]
TITLES = ["Senior Cloud Engineer", "Systems Administrator", "Data Analyst", "Platform Engineer"]

tool = st.sampled_from(range(len(TOOLS)))


@st.composite
def resumes(draw):
    roles = draw(st.integers(min_value=1, max_value=3))
    lines = ["Jane Roe", "jane@example.com", "", "SKILLS"]
    skills = draw(st.lists(tool, min_size=3, max_size=6, unique=True))
    lines.append("Cloud & DevOps: " + ", ".join(TOOLS[i][0] for i in skills))
    lines += ["", "EXPERIENCE"]
    used = set(skills)
    for r in range(roles):
        lines.append(f"{ORGS[r]}, Seattle, WA")
        lines.append(f"{TITLES[r]}, Jan {2020 - 3 * r} – Dec {2022 - 3 * r}")
        for _ in range(draw(st.integers(min_value=1, max_value=4))):
            t, u = draw(tool), draw(tool)
            used |= {t, u}
            obj = draw(st.sampled_from(OBJECTS)).format(t=TOOLS[t][0], u=TOOLS[u][0])
            lines.append(f"• {draw(st.sampled_from(VERBS))} {obj}.")
        lines.append("")
    wanted = draw(st.lists(st.sampled_from(sorted(used)), min_size=2, max_size=6, unique=True))
    jd = "Platform Engineer\n\nRequirements\n" + "\n".join(f"- Experience with {TOOLS[i][1]}" for i in wanted)
    return "\n".join(lines), jd


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resumes(), st.sampled_from(list(CustomizationLevel)))
def test_offline_proposals_keep_entries_lists_and_names(docs, level) -> None:
    text, jd_text = docs
    resume = parse_resume_text(text)
    job = parse_job_description(jd_text)
    changes = propose_changes(resume, job, analyze(resume, job), level)
    for change in changes:
        # The engine never proposes what the guard would have to flag as a loss or a mangled name.
        assert not any(k in r for r in change.reasons for k in ("Drops", "inflected", "inside the name", "label")), change
        section = resume.section(change.section_id)
        if change.action is ChangeAction.REORDER and section is not None:
            order = change.order or []
            assert Counter(order) == Counter(i.id for i in section.items)
            for entry in section.entries:
                # Headers stay where they are and each entry keeps exactly its own items, contiguous.
                start = order.index(entry.header_ids[0])
                span = order[start : start + len(entry.header_ids) + len(entry.item_ids)]
                assert span[: len(entry.header_ids)] == entry.header_ids
                assert sorted(span[len(entry.header_ids) :]) == sorted(entry.item_ids)
        if change.action is ChangeAction.REPLACE and change.verdict is Verdict.SAFE:
            before = change.before
            old, new = split_list(before), split_list(change.after)
            if old is not None:
                assert new is not None and len(new) == len(old)
            toks = tokens(before)
            for s, e in name_runs(before):
                name = before[toks[s].start : toks[e - 1].end]
                assert name in change.after, (name, change.after)
            assert dropped_facts(before, change.after, renamed={"aks", "k8s", "js"}) == []
            assert "Excel" not in change.after  # implied by "spreadsheets", never written
