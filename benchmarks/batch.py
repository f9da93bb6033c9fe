"""`resume-tui batch` at scale, offline: wall time, growth and peak memory for 25, 50 and 100 postings.

Each size runs the real CLI three times (median wall time), each in a fresh process (`batch RESUME FOLDER --top 0 --yes --json`, offline,
its own data dir), so the figure includes start-up, reading every posting, analysing each against
the resume (indexed once), ranking, one session per posting in SQLite and the three reports.
Postings are generated (distinct texts from a pool of real-looking requirement lines across fields,
so the deduplication does not shortcut the work); the bundled sample resume is the resume.

    python benchmarks/batch.py            # prints a table and the pass/fail of each target
    python benchmarks/batch.py --json     # one JSON document

Targets (issue 16): 100 postings in < 10 s on 2 cores, time growing linearly, peak RSS < 250 MB.

    python benchmarks/batch.py --provider  # also: a simulated provider (loopback fake of the batch API)

With `--provider`, 20 postings are tailored against a loopback fake of Anthropic's Messages and
Message Batches endpoints (answers are instant, so this measures our overhead, not a provider's
queue): the wall time with the batch API vs interactive calls only, and the prompt tokens sent
(≈ characters / 4) vs 20 separate `tailor` runs, each with an empty cache.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESUME = ROOT / "resume_tui" / "data" / "sample_resume.md"
SIZES = (25, 50, 100)
TARGET_S, TARGET_RSS_MB = 10.0, 250.0

TITLES = ["Platform Engineer", "Backend Engineer", "Data Analyst", "Site Reliability Engineer", "ICU Nurse",
          "Chemistry Teacher", "Office Manager", "Data Scientist", "Frontend Developer", "Staff Accountant"]
COMPANIES = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Adatum", "Proseware", "Woodgrove"]
LINES = [
    "5+ years of professional experience in backend or platform engineering.",
    "Strong Python and Go skills.",
    "Hands-on experience running production workloads on Kubernetes (k8s).",
    "Experience with AWS and infrastructure as code (Terraform).",
    "Observability with Prometheus, Grafana and OpenTelemetry.",
    "Experience with PostgreSQL and Redis at scale.",
    "Comfortable with CI/CD pipelines in GitHub Actions.",
    "Bachelor's degree in Computer Science or a related field.",
    "Advanced SQL and experience with Tableau or Power BI dashboards.",
    "Statistics, A/B testing and experiment design.",
    "Python (pandas, scikit-learn) for analysis and modelling.",
    "Active RN license and BLS, ACLS certifications.",
    "2+ years of ICU nursing experience with ventilated patients.",
    "Experience with Epic charting and medication administration.",
    "State teaching certificate and a degree in Chemistry or Education.",
    "Lesson planning and laboratory safety for grades 9-12.",
    "QuickBooks and month-end close experience.",
    "Accounts payable, reconciliations and payroll.",
    "React, TypeScript and accessible HTML/CSS.",
    "Excellent written and verbal communication skills.",
    "Mentor engineers and lead design reviews.",
    "Take part in the on-call rotation and lead incident reviews.",
    "Kafka or another event streaming platform.",
    "Docker and container security basics.",
]


def write_postings(folder: Path, count: int, seed: int = 16) -> None:
    rng = random.Random(seed)
    for n in range(count):
        title, company = TITLES[n % len(TITLES)], COMPANIES[(n * 3) % len(COMPANIES)]
        picked = rng.sample(LINES, k=rng.randint(6, 11))
        body = [f"# {title} — {company} {n}", "", f"{company} {n} is hiring a {title}.", "", "## Requirements", ""]
        body += [f"- {line}" for line in picked]
        (folder / f"posting_{n:03d}.md").write_text("\n".join(body) + "\n", encoding="utf-8")


def run_batch(count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp:
        base = Path(tmp)
        postings = base / "postings"
        postings.mkdir()
        write_postings(postings, count)
        env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("ANTHROPIC_", "OPENAI_", "GEMINI_", "GOOGLE_"))}
        env.update(RESUME_TUI_DATA_DIR=str(base / "data"), RESUME_TUI_CONFIG_DIR=str(base / "config"))
        cmd = [sys.executable, "-m", "resume_tui", "batch", str(RESUME), str(postings), "-o", str(base / "out"),
               "--top", "0", "--yes", "--json", "--offline"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        peak_kb = after.ru_maxrss
        if done.returncode != 0:
            raise SystemExit(f"batch failed ({done.returncode}): {done.stderr.strip()[-400:]}")
        doc = json.loads(done.stdout)
        assert doc["counts"]["analysed"] == count, doc["counts"]
        return {"postings": count, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                "per_posting_ms": round(1000 * wall / count, 1),
                # ru_maxrss of children is the largest child so far: sizes run in increasing order
                "peak_rss_mb": round(peak_kb / 1024, 1)}


def median_run(count: int, repeats: int = 3) -> dict:
    """The median wall time of `repeats` runs (this machine is shared and noisy); the largest peak RSS."""
    runs = [run_batch(count) for _ in range(repeats)]
    wall = sorted(r["wall_s"] for r in runs)[len(runs) // 2]
    cpu = sorted(r["cpu_s"] for r in runs)[len(runs) // 2]
    return {"postings": count, "wall_s": wall, "cpu_s": cpu, "per_posting_ms": round(1000 * wall / count, 1),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs), "walls_s": [r["wall_s"] for r in runs]}


def _prompt_chars(params: dict) -> int:
    system = params.get("system") or ""
    return len(system if isinstance(system, str) else json.dumps(system)) + sum(
        len(m.get("content") if isinstance(m.get("content"), str) else json.dumps(m.get("content")))
        for m in params.get("messages") or [])


def provider_run(count: int = 20) -> dict:
    """Batch API vs interactive only vs separate single runs, against a loopback fake provider."""
    sys.path.insert(0, str(ROOT / "tests"))
    from fakes.batch_server import BatchState, FakeBatchServer

    def once(extra: list[str], *, single: bool = False) -> dict:
        with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp, \
                FakeBatchServer(BatchState(polls_to_finish=1)) as fake:
            base = Path(tmp)
            postings = base / "postings"
            postings.mkdir()
            write_postings(postings, count)
            (base / "config").mkdir()
            (base / "config" / "config.toml").write_text(
                f'provider = "anthropic"\n[providers.anthropic]\nbase_url = "{fake.url}"\nmodel = "m"\n'
                "[batch_api]\nthreshold = 1\npoll_s = 0.05\n", encoding="utf-8")
            env = {k: v for k, v in os.environ.items() if not k.upper().endswith("_PROXY")}
            env.update(RESUME_TUI_CONFIG_DIR=str(base / "config"), ANTHROPIC_API_KEY="k-bench", NO_PROXY="127.0.0.1")
            t0 = time.perf_counter()
            if single:  # N separate `tailor` runs, each with its own empty cache
                for n, posting in enumerate(sorted(postings.iterdir())):
                    env["RESUME_TUI_DATA_DIR"] = str(base / f"data{n}")
                    subprocess.run([sys.executable, "-m", "resume_tui", "tailor", str(RESUME), str(posting), "-o",
                                    str(base / f"out{n}.md"), "--yes", "--json"], cwd=ROOT, env=env,
                                   capture_output=True, check=True)
            else:
                env["RESUME_TUI_DATA_DIR"] = str(base / "data")
                subprocess.run([sys.executable, "-m", "resume_tui", "batch", str(RESUME), str(postings), "-o",
                                str(base / "out"), "--top", str(count), "--format", "md", "--yes", "--json", *extra],
                               cwd=ROOT, env=env, capture_output=True, check=True)
            wall = time.perf_counter() - t0
            batched = [params for b in fake.state.batches.values() for _, params in b.items]
            chars = sum(_prompt_chars(p) for p in batched) + sum(_prompt_chars(p) for p in fake.state.interactive)
            return {"wall_s": round(wall, 2), "batched_requests": len(batched),
                    "interactive_requests": len(fake.state.interactive), "prompt_tokens": chars // 4}

    return {"postings": count, "batch_api": once([]), "interactive": once(["--no-batch-api"]),
            "single_runs": once([], single=True)}


def in_process(count: int, repeats: int = 3) -> float:
    """Median seconds to read, analyse and rank `count` postings in this process (no start-up, no store)."""
    import statistics

    sys.path.insert(0, str(ROOT))
    from resume_tui.commands import common
    from resume_tui.config import Settings
    from resume_tui.session.services import triage

    cfg = Settings()
    resume = common.load_resume_arg(str(RESUME), cfg)
    samples = []
    with tempfile.TemporaryDirectory(prefix="batch-bench-") as tmp:
        write_postings(Path(tmp), count)
        sources = triage.expand_sources([tmp])
        for _ in range(repeats):
            t0 = time.process_time()
            triage.rank(triage.analyse(resume, sources, lambda s: common.load_job_arg(s, cfg, resume)))
            samples.append(time.process_time() - t0)
    return statistics.median(samples)


def main() -> int:
    if "--provider" in sys.argv:
        simulated = provider_run()
        if "--json" in sys.argv:
            print(json.dumps(simulated, indent=2))
        else:
            print(f"simulated provider, {simulated['postings']} postings tailored:")
            for name in ("batch_api", "interactive", "single_runs"):
                r = simulated[name]
                print(f"  {name:<12} wall {r['wall_s']:>6.2f} s · {r['batched_requests']:>3} batched + "
                      f"{r['interactive_requests']:>3} interactive requests · ~{r['prompt_tokens']:,} prompt tokens")
        return 0
    results = [median_run(n) for n in SIZES]
    # Linear growth, measured where it lives: reading, analysing and ranking in one process, on CPU time
    # (which other load on a shared machine disturbs far less than wall time); the CLI's runs above add a
    # fixed start-up. Doubling the postings should double the time: each doubling within 1.6–2.4×.
    (a, b, c) = results
    marginal_1 = (b["cpu_s"] - a["cpu_s"]) / (b["postings"] - a["postings"])
    marginal_2 = (c["cpu_s"] - b["cpu_s"]) / (c["postings"] - b["postings"])
    core = {n: in_process(n) for n in SIZES}
    doublings = [core[50] / core[25], core[100] / core[50]]
    verdict = {
        "under_10s_at_100": c["wall_s"] < TARGET_S,
        "linear (each doubling of postings costs 1.6–2.4× the CPU)": all(1.6 <= d <= 2.4 for d in doublings),
        "peak_rss_under_250mb": c["peak_rss_mb"] < TARGET_RSS_MB,
    }
    summary = {"cores": os.cpu_count(), "runs": results, "marginal_ms_per_posting": [round(1000 * marginal_1, 1),
               round(1000 * marginal_2, 1)], "analysis_cpu_s": {str(n): round(v, 3) for n, v in core.items()},
               "doublings": [round(d, 2) for d in doublings], "targets": verdict}
    if "--json" in sys.argv:
        print(json.dumps(summary, indent=2))
    else:
        print(f"cores: {summary['cores']}")
        print(f"{'postings':>8} {'wall s':>7} {'cpu s':>6} {'ms/posting':>10} {'peak RSS MB':>11}")
        for r in results:
            print(f"{r['postings']:>8} {r['wall_s']:>7.2f} {r['cpu_s']:>6.2f} {r['per_posting_ms']:>10.1f} "
                  f"{r['peak_rss_mb']:>11.1f}")
        print(f"marginal CPU per posting (CLI): {summary['marginal_ms_per_posting'][0]} ms (25→50), "
              f"{summary['marginal_ms_per_posting'][1]} ms (50→100)")
        print("analysis + ranking CPU in process: " + ", ".join(f"{n}: {v:.2f} s" for n, v in core.items())
              + f" (×{doublings[0]:.2f}, ×{doublings[1]:.2f} per doubling)")
        for name, ok in verdict.items():
            print(f"{'PASS' if ok else 'FAIL'}  {name}")
    return 0 if all(verdict.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
