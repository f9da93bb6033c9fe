"""`resume-tui analyze RESUME JD [--json]`: match score and a requirement-by-requirement gap report."""

from __future__ import annotations

from resume_tui.commands import common
from resume_tui.models import GapReport, JobDescription, Resume


def add_arguments(parser) -> None:
    common.add_resume_argument(parser)
    common.add_jd_argument(parser)
    parser.add_argument("--provider", default=None, help="first provider to use (default from config: offline)")
    common.add_fact_argument(parser)
    common.add_json_argument(parser)


def run(args) -> int:
    cfg, facts, resume, job = common.load_inputs(args)
    # Analysis is the pipeline's first stage (extract + analyze per section), offline by default.
    result = common.run_headless(resume, job, cfg=cfg, level=cfg.level, provider=common.provider_arg(args),
                                 show_progress=not args.json, analyze_only=True)
    report = with_keywords(result.report, resume, job, facts)
    if args.json:
        common.print_json(report_document(report) | ({"facts": facts} if facts else {}))
    else:
        from resume_tui.commands.render import render_report

        render_report(common.console(), job, report)
    return 0


def with_keywords(report: GapReport, resume: Resume, job: JobDescription, facts: list[str]) -> GapReport:
    """The run's report with the Keywords score, and — when facts were declared — Fit recomputed with them
    (deterministically, on the run's requirements)."""
    from resume_tui.analysis.engine import analyze
    from resume_tui.analysis.keywords import keyword_report

    if facts:
        return analyze(resume, job.model_copy(update={"requirements": report.requirements}), facts=facts)
    keywords = keyword_report(resume, job)
    return report.model_copy(update={"keyword_score": keywords.score, "keywords_matched": keywords.matched,
                                     "keywords_missing": keywords.missing})


def report_document(report: GapReport) -> dict:
    """The `analyze --json` contract from DESIGN §8."""
    requirements = []
    for req in report.requirements:
        match = report.match_for(req.id)
        requirements.append(
            {
                "id": req.id,
                "text": req.text,
                "category": req.category.value,
                "priority": req.priority.value,
                "keywords": req.keywords,
                "status": match.status.value if match else "missing",
                "evidence": [{"item_id": e.item_id, "quote": e.quote, "declared": e.item_id.startswith("user.")}
                             for e in report.evidence_for(req.id)],
            }
        )
    return {
        "score": round(report.score, 1),
        "requirements": requirements,
        "missing_keywords": report.missing_keywords,
        "keyword_score": round(report.keyword_score, 1),
        "keywords_matched": report.keywords_matched,
        "keywords_missing": report.keywords_missing,
    }
