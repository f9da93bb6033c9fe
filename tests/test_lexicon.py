"""The skills lexicon: data file shape, alias/case rules, fuzzy variants, speed-independent behaviour."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from resume_tui.analysis.lexicon import Lexicon, SkillHit, default_lexicon, tokenize


def canon(text: str) -> list[str]:
    return [h.canonical for h in default_lexicon().find(text)]


def test_data_file_is_broad_and_well_formed() -> None:
    raw = json.loads(resources.files("resume_tui").joinpath("data/skills.json").read_text(encoding="utf-8"))
    skills = raw["skills"]
    assert len(skills) >= 400
    categories = {spec["category"] for spec in skills.values()}
    assert {"technical_skill", "soft_skill", "domain", "certification", "tool"} <= categories
    for name, spec in skills.items():
        assert isinstance(spec["aliases"], list)
        for target in spec.get("implies", []):
            assert target in skills, f"{name} implies unknown {target}"
        for surface in spec.get("exact", []) + spec.get("context", []):
            assert surface == name or surface in spec["aliases"]


@pytest.mark.parametrize(
    ("field", "terms"),
    [
        ("software", ["Kubernetes", "JavaScript", "TypeScript", "PostgreSQL", "CI/CD", "infrastructure as code", "Terraform"]),
        ("data", ["machine learning", "natural language processing", "SQL", "pandas", "Tableau", "Power BI", "A/B testing", "statistics"]),
        ("healthcare", ["registered nurse", "BSN", "Advanced Cardiac Life Support", "Basic Life Support", "Pediatric Advanced Life Support", "CCRN", "electronic health records", "Epic", "patient assessment", "ICU", "critical care", "telemetry", "medication administration"]),
        ("sales", ["CRM", "Salesforce", "SEO", "SEM", "B2B", "lead generation", "P&L"]),
        ("finance", ["Certified Public Accountant", "GAAP", "IFRS", "accounts payable", "accounts receivable", "reconciliation", "QuickBooks", "Microsoft Excel", "audit", "payroll", "budgeting", "forecasting"]),
        ("education", ["lesson planning", "curriculum development", "classroom management", "differentiated instruction", "IEP", "teaching certification", "chemistry", "STEM"]),
        ("operations", ["scheduling", "vendor management", "office management", "Microsoft Office", "bookkeeping"]),
        ("soft", ["communication", "leadership", "teamwork", "problem solving", "mentoring", "stakeholder management"]),
    ],
)
def test_every_field_is_covered(field: str, terms: list[str]) -> None:
    lex = default_lexicon()
    missing = [t for t in terms if lex.category(t) is None]
    assert not missing, f"{field}: {missing}"


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("k8s", "Kubernetes"),
        ("JS", "JavaScript"),
        ("TS", "TypeScript"),
        ("Postgres", "PostgreSQL"),
        ("ML", "machine learning"),
        ("NLP", "natural language processing"),
        ("IaC", "infrastructure as code"),
        ("RN", "registered nurse"),
        ("EMR", "electronic health records"),
        ("CPA", "Certified Public Accountant"),
        ("P&L", "P&L"),
        ("PowerBI", "Power BI"),
        ("Golang", "Go"),
        ("problem-solving", "problem solving"),
        ("lesson plans", "lesson planning"),
        ("MS Office", "Microsoft Office"),
    ],
)
def test_aliases_map_to_canonical(surface: str, expected: str) -> None:
    assert default_lexicon().canonical(surface) == expected


def test_canonical_of_unknown_term_is_none() -> None:
    assert default_lexicon().canonical("underwater basket weaving") is None
    assert default_lexicon().canonical("") is None


def test_hits_carry_offsets_surface_and_category() -> None:
    text = "Ran workloads on k8s and AWS."
    hits = default_lexicon().find(text)
    assert [h.canonical for h in hits] == ["Kubernetes", "AWS"]
    k8s = hits[0]
    assert isinstance(k8s, SkillHit)
    assert text[k8s.start : k8s.end] == k8s.surface == "k8s"
    assert k8s.category == "technical_skill"


def test_short_acronyms_are_case_sensitive() -> None:
    assert canon("Fluent in Python and Go.") == ["Python", "Go"]
    assert "Go" not in canon("Ready to go the extra mile")
    assert "information technology" not in canon("I did it because it mattered")
    assert canon("Worked as an RN in the ICU") == ["registered nurse", "ICU"]
    assert "registered nurse" not in canon("a turn of events")


def test_ambiguous_single_letters_need_a_technical_neighbour() -> None:
    assert canon("Python, R, SQL") == ["Python", "R", "SQL"]
    assert canon("Languages: C, C++, Rust") == ["C", "C++", "Rust"]
    assert canon("Plan B and vitamin C and grade C") == []
    assert "Go" not in canon("Go to the store for milk.")
    assert "Spring Boot" not in canon("Spring 2020 semester abroad")


def test_sentence_initial_verbs_are_not_tools() -> None:
    assert canon("Excel at teamwork.") == ["teamwork"]
    assert canon("Advanced Excel skills") == ["Microsoft Excel"]


def test_punctuated_terms_and_word_boundaries() -> None:
    assert canon("C++, C#, .NET, Node.js, scikit-learn, CI/CD, A/B testing") == [
        "C++", "C#", ".NET", "Node.js", "scikit-learn", "CI/CD", "A/B testing",
    ]
    assert canon("Javanese cuisine") == []  # no partial-word hit on "Java"
    assert canon("Docker/Kubernetes") == ["Docker", "Kubernetes"]


def test_longest_match_wins() -> None:
    assert canon("Ruby on Rails and Google Kubernetes Engine") == ["Ruby on Rails", "GKE"]
    assert canon("lead generation") == ["lead generation"]


def test_fuzzy_variants_of_longer_terms() -> None:
    hits = default_lexicon().find("Ran Kubernets clusters and Postgress")
    assert [(h.canonical, h.fuzzy) for h in hits] == [("Kubernetes", True), ("PostgreSQL", True)]
    assert default_lexicon().canonical("Kubernets") == "Kubernetes"
    assert canon("Pithon") == []  # short words are never fuzzy-matched


def test_custom_lexicon_rules() -> None:
    lex = Lexicon.from_dict(
        {
            "Widget Studio": {"category": "tool", "aliases": ["WS", "widgetstudio"]},
            "Go": {"category": "technical_skill", "aliases": [], "exact": ["Go"], "context": ["Go"]},
        }
    )
    assert [h.canonical for h in lex.find("We use WS and widgetstudio daily")] == ["Widget Studio", "Widget Studio"]
    assert lex.find("we use ws") == []  # two-letter aliases are exact-case
    assert lex.find("Go and Widget Studio")[0].canonical == "Go"
    assert lex.find("Go home") == []


def test_default_lexicon_is_cached() -> None:
    assert default_lexicon() is default_lexicon()


def test_tokenizer_keeps_offsets() -> None:
    text = "Node.js, C++ and CI/CD."
    for tok, start, end in tokenize(text):
        assert text[start:end] == tok


def test_huge_single_line_is_linear_and_safe() -> None:
    text = ("Python " * 50_000) + "x" * 200_000
    hits = default_lexicon().find(text)
    assert len(hits) == 50_000


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = st.sampled_from(
    ["Python", "go", "Go", "k8s", "C", "R", "/", "&", "CI", "CD", "A/B", "testing", "machine", "learning", "-", ".", ",",
     "Kubernets", "RN", "it", "IT", "Excel", "at", "P&L", "é", "\n", "  ", "(", ")", "C++", ".NET", "*nix"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=40).map(" ".join) | st.text(max_size=300))
def test_find_never_crashes_and_offsets_are_exact(text: str) -> None:
    hits = default_lexicon().find(text)
    last_end = -1
    for hit in hits:
        assert text[hit.start : hit.end] == hit.surface
        assert hit.start >= last_end  # in order, never overlapping
        last_end = hit.end
        assert default_lexicon().category(hit.canonical) == hit.category
    assert default_lexicon().find(text) == hits  # deterministic


def test_clinical_duties_are_implied_by_nursing_roles() -> None:
    lex = default_lexicon()
    assert canon("Monitoring patient recovery and care")[0] == "patient monitoring"
    assert "patient monitoring" in lex.implied_by("registered nurse")
    assert "patient monitoring" in lex.implied_by("nurse practitioner")
    assert {"triage", "trauma care"} <= set(lex.implied_by("emergency department"))
