"""Offline analysis speed and footprint, as ratios measured in one run (machines here are noisy).

Prints: in-process analysis time for the bundled sample and for generated CVs of 1–20 pages
(with growth relative to size), CLI `analyze` wall time vs `python -c pass`, whether the CLI
imported Textual or an LLM SDK, and peak RSS of the CLI run.

    python benchmarks/offline_analysis.py
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from resume_tui.analysis.engine import analyze  # noqa: E402
from resume_tui.analysis.requirements import parse_job_description  # noqa: E402
from resume_tui.analysis.rewrites import propose_changes  # noqa: E402
from resume_tui.documents.ingest import parse_resume_text  # noqa: E402
from resume_tui.models import CustomizationLevel, SourceFormat  # noqa: E402

DATA = ROOT / "resume_tui" / "data"
SAMPLE_RESUME = (DATA / "sample_resume.md").read_text()
SAMPLE_JD = (DATA / "sample_jd.md").read_text()

ROLE_WORDS = ["Platform", "Data", "Backend", "Payments", "Search", "Mobile", "Infrastructure", "Growth"]
BULLETS = [
    "Built {n} internal services in Python and Go with PostgreSQL and Redis behind a REST API.",
    "Ran the on-call rotation for {n} services on Kubernetes and wrote incident runbooks.",
    "Cut build times by {n}% by moving CI to GitHub Actions with Docker layer caching.",
    "Mentored {n} engineers and led design reviews for the {w} team.",
    "Migrated {n} batch jobs to Kafka streams, with Prometheus alerts and Grafana dashboards.",
    "Worked with product managers on {n} quarterly roadmaps and stakeholder updates.",
    "Reduced p95 latency of the {w} API by {n} ms through query tuning and connection pooling in PostgreSQL.",
    "Wrote design documents for {n} cross-team projects and presented them at the architecture review.",
]
ROLES_PER_PAGE = 3  # ~3,000 characters a page, like a dense real CV


def generated_cv(pages: int) -> str:
    """About one page per three roles of eight bullets each, plus the sample's other sections."""
    head, _, rest = SAMPLE_RESUME.partition("## Experience")
    lines = [head.rstrip(), "", "## Experience", ""]
    for r in range(pages * ROLES_PER_PAGE):
        word = ROLE_WORDS[r % len(ROLE_WORDS)]
        lines.append(f"### {word} Engineer — Company{r}, City{r % 7} ({2000 + r % 20} – {2001 + r % 20})")
        lines.append("")
        for b, bullet in enumerate(BULLETS):
            lines.append("- " + bullet.format(n=(r * 7 + b) % 90 + 3, w=word))
        lines.append("")
    _, _, tail = rest.partition("## Skills")
    lines.append("## Skills" + tail)
    return "\n".join(lines)


def time_analysis(text: str, jd_text: str, repeats: int = 5) -> float:
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        resume = parse_resume_text(text, source_format=SourceFormat.MARKDOWN)
        job = parse_job_description(jd_text)
        report = analyze(resume, job)
        propose_changes(resume, job, report, CustomizationLevel.MODERATE)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def wall(cmd: list[str], repeats: int = 5) -> float:
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    # Warm caches (lexicon load) once, as a long-lived process would.
    time_analysis(SAMPLE_RESUME, SAMPLE_JD, repeats=1)
    sample = time_analysis(SAMPLE_RESUME, SAMPLE_JD)
    print(f"sample resume (parse + analyze + rewrites, in-process): {sample * 1000:.1f} ms  (target < 300 ms)")

    base_pages, base_time = 1, time_analysis(generated_cv(1), SAMPLE_JD)
    print(f"{'pages':>6} {'chars':>8} {'time ms':>9} {'time ratio':>10} {'size ratio':>10}")
    print(f"{1:>6} {len(generated_cv(1)):>8} {base_time * 1000:>9.1f} {1.0:>10.2f} {1.0:>10.2f}")
    for pages in (5, 10, 20):
        text = generated_cv(pages)
        t = time_analysis(text, SAMPLE_JD, repeats=3)
        print(f"{pages:>6} {len(text):>8} {t * 1000:>9.1f} {t / base_time:>10.2f} {pages / base_pages:>10.2f}")
    print("  (20-page target < 2000 ms; growth roughly linear: time ratio ≈ size ratio or below)")

    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    bare = wall([sys.executable, "-c", "pass"])
    cmd = [sys.executable, "-m", "resume_tui", "analyze", str(DATA / "sample_resume.md"), str(DATA / "sample_jd.md"), "--json"]
    cli = wall(cmd)
    print(f"CLI analyze wall: {cli * 1000:.0f} ms vs python -c pass {bare * 1000:.0f} ms → ratio {cli / bare:.1f}×")

    resume_path, jd_path = str(DATA / "sample_resume.md"), str(DATA / "sample_jd.md")
    probe = (
        f"import sys, runpy; sys.argv=['resume-tui','analyze',{resume_path!r},{jd_path!r},'--json'];\n"
        "import io, contextlib\n"
        "buf=io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    from resume_tui.cli import main; main(sys.argv[1:])\n"
        "heavy=[m for m in ('textual','anthropic','openai','google.genai') if m in sys.modules]\n"
        "import resource; print(json.dumps({'heavy': heavy, 'rss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))"
    )
    out = subprocess.run([sys.executable, "-c", "import json\n" + probe], capture_output=True, text=True, env=env, check=True)
    info = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"CLI analyze imported heavy modules: {info['heavy'] or 'none'} (target none)")
    print(f"CLI analyze peak RSS: {info['rss_kb'] / 1024:.0f} MB (target < 150 MB)")

    with tempfile.TemporaryDirectory() as tmp:
        cv = Path(tmp) / "cv20.md"
        cv.write_text(generated_cv(20))
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "resume_tui", "analyze", str(cv), str(DATA / "sample_jd.md"), "--json"],
                       check=True, capture_output=True)
        print(f"CLI analyze of a 20-page CV: {(time.perf_counter() - t0) * 1000:.0f} ms wall")
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"this benchmark process peak RSS (after 20-page analyses): {rss_self:.0f} MB")


if __name__ == "__main__":
    main()
