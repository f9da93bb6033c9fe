"""Run every resume/JD pair of ../shared/corpus through the offline pipeline and report.

For each pair (pairs.tsv): sections found, requirements extracted, score before/after, changes
proposed/applied/blocked, and whether the tailored resume says anything the original does not
support (re-checked by the guard on the final text). Then, per resume, whether good > partial
> poor. The corpus is not part of the repository; this script skips when it is absent.

    python benchmarks/corpus.py
"""

from __future__ import annotations

import asyncio
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
CORPUS = ROOT.parent / "shared" / "corpus"

from resume_tui.analysis.apply import apply_changes  # noqa: E402
from resume_tui.analysis.requirements import parse_job_description  # noqa: E402
from resume_tui.analysis.score import score_resume  # noqa: E402
from resume_tui.documents.ingest import load_resume, read_document  # noqa: E402
from resume_tui.models import ChangeStatus, CustomizationLevel, Verdict  # noqa: E402
from resume_tui.pipeline import run_pipeline  # noqa: E402

FIT_RANK = {"good": 2, "partial": 1, "poor": 0}


def unsupported_claims(original, tailored) -> list[str]:
    """Re-check every changed or new item of the final text with the guard, as a change from nothing."""
    from resume_tui.analysis.guard import NEW_SUMMARY_SECTION, check_change
    from resume_tui.models import Change, ChangeAction

    problems = []
    for section in tailored.sections:
        for item in section.items:
            before = original.item(item.id)
            if before is not None and before.text == item.text:
                continue
            if before is not None:
                probe = Change(id="probe", section_id=section.id, item_id=item.id, action=ChangeAction.REPLACE,
                               before=before.text, after=item.text)
            else:  # a new line: checked as an insert into its section, citing nothing
                original_section = original.section(section.id)
                section_id = section.id if original_section is not None else NEW_SUMMARY_SECTION
                probe = Change(id="probe", section_id=section_id, item_id=None, action=ChangeAction.INSERT,
                               after=item.text)
            checked = check_change(probe, original)
            if checked.verdict == Verdict.BLOCKED:
                problems.append(f"{item.id}: {'; '.join(checked.reasons)}")
    return problems


def main() -> int:
    if not CORPUS.is_dir():
        print("corpus not present; nothing to do")
        return 0
    rows = list(csv.DictReader((CORPUS / "pairs.tsv").open(), delimiter="\t"))
    results = []
    rereads = []
    print(f"{'resume':34} {'jd':28} {'fit':7} {'secs':>4} {'reqs':>4} {'before':>6} {'after':>6} "
          f"{'prop':>4} {'appl':>4} {'blk':>3} {'unsup':>5} {'ms':>5}")
    for row in rows:
        t0 = time.perf_counter()
        resume = load_resume(CORPUS / row["resume_file"])
        jd_doc = read_document(CORPUS / row["jd_file"])
        job = parse_job_description(jd_doc.text, source_format=jd_doc.source_format)
        result = asyncio.run(run_pipeline(resume, job, level=CustomizationLevel.MODERATE))
        accepted = [c.model_copy(update={"status": ChangeStatus.ACCEPTED}) for c in result.changes
                    if c.verdict == Verdict.SAFE]
        tailored = apply_changes(resume, accepted)
        after = score_resume(tailored, job)
        unsupported = unsupported_claims(resume, tailored)
        ms = (time.perf_counter() - t0) * 1000
        results.append((row, result.score_before, after))
        rereads.append((row, _reread_all(resume, tailored, accepted)))
        print(f"{Path(row['resume_file']).stem[:34]:34} {Path(row['jd_file']).stem[:28]:28} {row['fit']:7} "
              f"{len(resume.sections):>4} {len(job.requirements):>4} {result.score_before:>6.1f} {after:>6.1f} "
              f"{len(result.changes):>4} {len(accepted):>4} "
              f"{sum(c.verdict == Verdict.BLOCKED for c in result.changes):>3} {len(unsupported):>5} {ms:>5.0f}")
        for problem in unsupported:
            print(f"    UNSUPPORTED {problem}")
    print()
    by_resume: dict[str, list[tuple[str, float]]] = {}
    for row, before, _ in results:
        by_resume.setdefault(row["resume_file"], []).append((row["fit"], before))
    ordered = total = 0
    for resume_file, fits in by_resume.items():
        for fit_a, score_a in fits:
            for fit_b, score_b in fits:
                if FIT_RANK[fit_a] > FIT_RANK[fit_b]:
                    total += 1
                    ordered += score_a > score_b
                    if score_a <= score_b:
                        print(f"  ORDER {Path(resume_file).stem}: {fit_a} {score_a:.1f} <= {fit_b} {score_b:.1f}")
    print(f"fit ordering respected in {ordered}/{total} comparisons (good > partial > poor per resume)")
    good = [(r, b, a) for r, b, a in results if r["fit"] == "good"]
    print(f"score_after >= score_before on {sum(a >= b for _, b, a in good)}/{len(good)} good-fit pairs")
    _print_rereads(rereads)
    from entries_gold import report as entries_report
    from lift import main as lift_table
    from structure_gold import report as structure_report

    entries_report()
    structure_report()
    print()
    lift_table()
    return 0


def _reread_all(resume, tailored, accepted):
    """Export the tailored resume as DOCX (in place when the source is DOCX), PDF and Markdown and re-read
    each file independently (benchmarks/reread.py)."""
    import tempfile

    from reread import reread

    from resume_tui.documents.export import render

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("docx", "pdf", "md"):
            data, _ = render(tailored, resume, fmt)
            path = Path(tmp) / f"out.{fmt}"
            path.write_bytes(data)
            out[fmt] = reread(path, resume, accepted)
    return out


def _print_rereads(rereads) -> None:
    print()
    print("Independent re-read of the exported files (pdftotext / python-docx / bytes):")
    print(f"{'resume':34} {'jd':28} {'fmt':4} {'bullets':>7} {'misplaced':>9} {'lost':>4} {'unsupported':>11}")
    totals = {"bullets": 0, "misplaced": 0, "lost": 0, "unsupported": 0}
    for row, by_format in rereads:
        for fmt, r in by_format.items():
            print(f"{Path(row['resume_file']).stem[:34]:34} {Path(row['jd_file']).stem[:28]:28} {fmt:4} "
                  f"{r.bullets:>7} {len(r.misplaced):>9} {len(r.missing_facts):>4} {len(r.unsupported):>11}")
            for line in (r.misplaced + r.missing_facts + r.unsupported)[:5]:
                print("      ", line)
            totals["bullets"] += r.bullets
            totals["misplaced"] += len(r.misplaced)
            totals["lost"] += len(r.missing_facts)
            totals["unsupported"] += len(r.unsupported)
    placed = 1 - totals["misplaced"] / max(1, totals["bullets"])
    print(f"bullets under their own role: {placed:.3f} of {totals['bullets']}; original skills/figures lost: "
          f"{totals['lost']}; claims absent from the original: {totals['unsupported']}")


if __name__ == "__main__":
    raise SystemExit(main())
