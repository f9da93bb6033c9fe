"""Property tests: the guard never passes a new name or a new number, and never crashes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_guard_support import make_job, resume_from_md

from resume_tui.analysis.facts import COMMON_WORDS, FactKind, build_fact_base, extract_facts, skill_hits
from resume_tui.analysis.guard import check_change, guard_changes
from resume_tui.models import Change, ChangeAction, Verdict

RESUME = resume_from_md()
JOB = make_job()
BASE = build_fact_base(RESUME)
NUMERIC_VALUES = {v for (k, v) in BASE.by_key if k.value in {"number", "percent", "years_experience", "year"}} | {
    v.split(" ", 1)[1] for (k, v) in BASE.by_key if k.value == "money"
}
BULLETS = [i for i in RESUME.items() if i.kind.value == "bullet" and RESUME.section_of(i.id).kind.value == "experience"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


def _is_new_name(word: str) -> bool:
    if word.lower() in COMMON_WORDS or BASE.has_word(word):
        return False
    supported = {k[1] for k in BASE.by_key if k[0].value in {"skill", "certification"}}
    return all(h.canonical.lower() not in supported for h in skill_hits(word))


names = st.one_of(
    st.from_regex(r"[A-Z][a-z]{3,10}", fullmatch=True),  # Zorblax, Fintrek
    st.from_regex(r"[A-Z][a-z]{2,6}[A-Z][a-z]{2,6}", fullmatch=True),  # DataZorb
    st.from_regex(r"[A-Z]{3,5}", fullmatch=True),  # ZQX
).filter(_is_new_name)
templates = st.sampled_from([
    "{text} Used {w} daily.",
    "{text} Worked closely with {w} on this.",
    "{text} Later joined {w} as a contractor.",
    "{text} Rolled out with {w}, Terraform and Go.",
    "{text} The platform, later {w}, was adopted widely.",
])


@SETTINGS
@given(word=names, template=templates, item=st.sampled_from(BULLETS))
def test_a_new_capitalised_name_is_never_safe(word: str, template: str, item) -> None:
    after = template.format(text=item.text, w=word)
    change = Change(id="p", section_id=RESUME.section_of(item.id).id, item_id=item.id, action=ChangeAction.REPLACE,
                    before=item.text, after=after, requirement_ids=["r2"], evidence_item_ids=[item.id])
    result = check_change(change, RESUME, job=JOB)
    assert result.verdict is not Verdict.SAFE, (after, result.reasons)
    assert any(word in r for r in result.reasons), result.reasons


def _new_number(n: int) -> bool:
    return str(n) not in NUMERIC_VALUES


numbers = st.integers(min_value=2, max_value=250_000).filter(_new_number)
number_forms = st.sampled_from(["{n}", "{n}%", "€{n}", "${n}k", "{n} million", "{n}+ years", "{n} percent"])


@SETTINGS
@given(n=numbers, form=number_forms, item=st.sampled_from(BULLETS))
def test_a_new_number_is_never_safe(n: int, form: str, item) -> None:
    figure = form.format(n=n)
    assume(all(f.value.split(" ")[-1] not in NUMERIC_VALUES for f in extract_facts(figure)))
    after = f"{item.text.rstrip('.')}, with {figure} more."
    change = Change(id="p", section_id=RESUME.section_of(item.id).id, item_id=item.id, action=ChangeAction.REPLACE,
                    before=item.text, after=after, requirement_ids=["r2"], evidence_item_ids=[item.id])
    result = check_change(change, RESUME, job=JOB)
    if form == "{n}+ years" and any(f.kind.value == "years_experience" and float(f.value) >= n
                                    for f in extract_facts(RESUME.full_text())):
        return  # fewer years than the resume states is true
    assert result.verdict is Verdict.BLOCKED, (after, result.reasons)


@settings(max_examples=80, deadline=None)
@given(after=st.text(max_size=300), action=st.sampled_from(list(ChangeAction)))
def test_the_guard_never_crashes_and_always_decides(after: str, action: ChangeAction) -> None:
    item = BULLETS[0]
    change = Change(id="p", section_id="s1", item_id=item.id, action=action, after=after,
                    order=[i.id for i in RESUME.section("s1").items] if action is ChangeAction.REORDER else None)
    [result] = guard_changes([change], RESUME, job=JOB)
    assert result.verdict in set(Verdict)
    if result.verdict is not Verdict.SAFE:
        assert result.reasons


@pytest.mark.slow  # a megabyte-scale input
def test_a_huge_single_line_resume_is_handled() -> None:
    """A 2-million-character line must not hang the fact extractor (ingest lets such lines through)."""
    from resume_tui.models import Item, ItemKind, Resume, Section, SectionKind

    line = "Built Kafka pipelines at Acme Ltd, 40% faster, €3M saved, 2019 – present. " * 2_000
    resume = Resume(sections=[Section(id="s0", kind=SectionKind.EXPERIENCE, title="Experience",
                                      items=[Item(id="s0.1", kind=ItemKind.BULLET, text=line)])])
    base = build_fact_base(resume)
    assert base.sources(FactKind.PERCENT, "40") == {"s0.1"}
    change = Change(id="h", section_id="s0", item_id="s0.1", action=ChangeAction.REPLACE, before=line,
                    after=line[:200] + " Also Rust.", requirement_ids=["r1"], evidence_item_ids=["s0.1"])
    assert check_change(change, resume).verdict is Verdict.BLOCKED
