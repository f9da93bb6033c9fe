"""The lift a user sees (issue 12): Fit and Keywords before → after on every corpus pair, without facts and
with three of the tool's own missing keywords declared true — and an independent check that the
exported file claims nothing beyond the original plus those facts.

    python benchmarks/lift.py
"""

from __future__ import annotations

import asyncio
import csv
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
CORPUS = ROOT.parent / "shared" / "corpus"

from reread import raw_text  # noqa: E402

from resume_tui.analysis.apply import apply_changes  # noqa: E402
from resume_tui.analysis.declared import with_declared_changes  # noqa: E402
from resume_tui.analysis.engine import analyze  # noqa: E402
from resume_tui.analysis.facts import FactKind, build_fact_base, extract_facts  # noqa: E402
from resume_tui.analysis.requirements import parse_job_description  # noqa: E402
from resume_tui.documents.export import render  # noqa: E402
from resume_tui.documents.ingest import load_resume, read_document  # noqa: E402
from resume_tui.models import ChangeStatus, CustomizationLevel, Verdict  # noqa: E402
from resume_tui.pipeline import run_pipeline  # noqa: E402

CHECKED = {FactKind.SKILL, FactKind.NUMBER, FactKind.PERCENT, FactKind.MONEY, FactKind.YEAR, FactKind.DATE,
           FactKind.DEGREE, FactKind.CERTIFICATION}


def tailor(resume, job, facts: list[str]):
    """The offline run plus the declared-fact changes, safe ones accepted (what `tailor --fact` does)."""
    result = asyncio.run(run_pipeline(resume, job, level=CustomizationLevel.MODERATE))
    run_job = job.model_copy(update={"requirements": result.report.requirements})
    changes = with_declared_changes(result.changes, resume, run_job, facts)
    accepted = [c.model_copy(update={"status": ChangeStatus.ACCEPTED}) for c in changes if c.verdict == Verdict.SAFE]
    return apply_changes(resume, accepted, job=job, user_facts=facts)


def beyond(original, facts: list[str], exported: str) -> list[str]:
    """Claims in the exported text that neither the original (item by item or as a whole) nor a fact states."""
    base = build_fact_base(original, facts)
    whole = {(f.kind, f.value) for f in extract_facts(original.full_text() + "\n" + "\n".join(facts))}
    out = []
    for fact in extract_facts(exported):
        if fact.kind in CHECKED and not fact.generic and not base.sources(fact.kind, fact.value) \
                and (fact.kind, fact.value) not in whole:
            out.append(fact.surface.strip())
    return sorted(set(out))


def main() -> int:
    if not CORPUS.is_dir():
        print("corpus not present; nothing to do")
        return 0
    rows = list(csv.DictReader((CORPUS / "pairs.tsv").open(encoding="utf-8"), delimiter="\t"))
    print(f"{'resume':26} {'jd':22} {'fit':7} {'Fit':>11} {'Keywords':>13} | {'Fit +facts':>11} {'Kw +facts':>13} "
          f"{'in file':>7} {'beyond':>6}  facts")
    lifted = good = both = good_partial = 0
    for row in rows:
        resume = load_resume(CORPUS / row["resume_file"])
        jd = read_document(CORPUS / row["jd_file"])
        job = parse_job_description(jd.text, source_format=jd.source_format)
        before = analyze(resume, job)
        plain = analyze(tailor(resume, job, []), job)
        facts = before.keywords_missing[:3]
        tailored = tailor(resume, job, facts)
        with_facts = analyze(tailored, job, facts=facts)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "out.md"
            path.write_bytes(render(tailored, resume, "md")[0])
            text = raw_text(path)
        in_file = sum(f.lower() in text.lower() for f in facts)
        extra = beyond(resume, facts, text)
        print(f"{Path(row['resume_file']).stem[:26]:26} {Path(row['jd_file']).stem[:22]:22} {row['fit']:7} "
              f"{before.score:5.1f}→{plain.score:5.1f} {before.keyword_score:5.1f}→{plain.keyword_score:5.1f}% | "
              f"{with_facts.score:5.1f} {with_facts.keyword_score:5.1f}% {in_file:>4}/{len(facts)} {len(extra):>6}  "
              f"{', '.join(facts)}{'  BEYOND: ' + ', '.join(extra) if extra else ''}")
        if row["fit"] == "good":
            good += 1
            lifted += plain.keyword_score > before.keyword_score
        if row["fit"] in ("good", "partial"):
            good_partial += 1
            both += with_facts.score > before.score and with_facts.keyword_score > before.keyword_score
    print(f"Keywords rose without facts on {lifted}/{good} good-fit pairs; with three declared keywords both scores "
          f"rose on {both}/{good_partial} good/partial pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
