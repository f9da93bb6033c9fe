"""Time and peak memory of ingest on hostile files and on the largest allowed documents.

Each file is built in a temporary folder (see tests/fakes/hostile.py), then read by a fresh
child process — `load_resume` for documents, `read_document` + `parse_job_description` for
postings — whose wall time, CPU time and peak RSS (RUSAGE_CHILDREN of a fresh parent) are
printed as a table with the outcome. The child runs under a 60 s timeout and a 2 GB
address-space cap, so measuring an unbounded build (`--source` pointing at another checkout,
to get "before" figures) cannot take the machine down.

    python benchmarks/ingest_limits.py                 # this checkout
    python benchmarks/ingest_limits.py --source ../main  # another checkout, for comparison
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fakes import hostile  # noqa: E402

TIMEOUT_S = 60
MEMORY_CAP = 2 << 30

_CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
    sys.path.insert(0, {source!r})
    kind, path = sys.argv[1], sys.argv[2]
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        from resume_tui.errors import ResumeTuiError
        if kind == "posting":
            from resume_tui.analysis.requirements import parse_job_description
            from resume_tui.documents.ingest import read_document
            job = parse_job_description(read_document(path).text)
            outcome = f"ok: {{len(job.requirements)}} requirements"
        else:
            from resume_tui.documents.ingest import load_resume
            outcome = f"ok: {{len(load_resume(path).items())}} items"
    except ResumeTuiError as exc:
        outcome = "refused: " + str(exc)
    except MemoryError:
        outcome = "MemoryError (over the {cap_gb} GB cap)"
    print(json.dumps({{"outcome": outcome, "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}}))
    """
)

_WRAPPER = textwrap.dedent(
    """
    import json, resource, subprocess, sys
    try:
        proc = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout={timeout})
        out, err, rc = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired:
        out, err, rc = "", "timeout", -1
    print(json.dumps({{"out": out, "err": err[-300:], "rc": rc,
                       "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}}))
    """
).format(timeout=TIMEOUT_S)


def _posting(size: int) -> bytes:
    rng = random.Random(7)
    words = ("python kubernetes terraform golang experience distributed systems monitoring incident "
             "linux networking aws sql postgres mentoring design reliability").split()
    lines = ["# Platform Engineer", "", "## Requirements", ""]
    total = 0
    while total < size:
        line = f"- {rng.randint(2, 9)}+ years of " + " ".join(rng.choices(words, k=10))
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines).encode()[:size]


CASES = [
    ("zip-bomb image (1 GB member)", "bomb.docx", "resume", lambda: hostile.zip_bomb_image(1 << 30)),
    ("bloated styles (300 MB part)", "styles.docx", "resume", lambda: hostile.bloated_styles(300 << 20)),
    ("50,000 paragraphs", "paras.docx", "resume", lambda: hostile.many_paragraphs(50_000)),
    ("5,000-row table", "table.docx", "resume", lambda: hostile.big_table(5_000)),
    ("billion laughs", "lol.docx", "resume", hostile.billion_laughs),
    ("external entity", "xxe.docx", "resume", lambda: hostile.external_entity("file:///etc/passwd")),
    ("PDF looping page tree", "loop.pdf", "resume", hostile.looping_page_tree),
    ("PDF 2,000 blank pages", "blank.pdf", "resume", lambda: hostile.blank_pages(2_000)),
    ("PDF operator bomb", "ops.pdf", "resume", lambda: hostile.operator_bomb(400_000)),
    ("largest allowed: 9,990 paragraphs", "max-paras.docx", "resume", lambda: hostile.many_paragraphs(9_990)),
    ("largest allowed: 3,300-row table", "max-table.docx", "resume", lambda: hostile.big_table(3_300)),
    ("1 MB posting", "posting.txt", "posting", lambda: _posting(1_000_000)),
]


def measure(source: Path, kind: str, path: Path) -> dict:
    child = _CHILD.format(cap=MEMORY_CAP, cap_gb=MEMORY_CAP >> 30, source=str(source))
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, "-c", child, kind, str(path)],
                          capture_output=True, text=True, timeout=TIMEOUT_S + 30)
    report = json.loads(proc.stdout)
    result = {"peak_mb": report["peak_kb"] / 1024, "wall": None, "cpu": None}
    if report["rc"] == -1:
        result["outcome"] = f"still running after {TIMEOUT_S} s (killed)"
    elif report["out"].strip():
        result.update(json.loads(report["out"]))
    else:
        result["outcome"] = "crashed: " + report["err"].strip().splitlines()[-1] if report["err"].strip() else "crashed"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT, help="checkout whose resume_tui is measured")
    parser.add_argument("--only", default="", help="run only cases whose name contains this text")
    args = parser.parse_args()
    source = args.source.resolve()
    print(f"resume_tui from {source}; child timeout {TIMEOUT_S} s, memory cap {MEMORY_CAP >> 30} GB")
    print(f"{'file':36} {'size':>9} {'wall s':>7} {'cpu s':>7} {'peak MB':>8}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for name, filename, kind, build in CASES:
            if args.only and args.only.lower() not in name.lower():
                continue
            path = Path(tmp) / filename
            path.write_bytes(build())
            r = measure(source, kind, path)
            wall = f"{r['wall']:.2f}" if r["wall"] is not None else "—"
            cpu = f"{r['cpu']:.2f}" if r["cpu"] is not None else "—"
            size = path.stat().st_size
            size_text = f"{size / 1024:.0f} KB" if size < 1 << 20 else f"{size / (1 << 20):.1f} MB"
            print(f"{name:36} {size_text:>9} {wall:>7} {cpu:>7} {r['peak_mb']:8.0f}  {r['outcome'][:110]}")
            path.unlink()


if __name__ == "__main__":
    main()
