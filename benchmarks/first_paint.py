"""First paint of every screen, as the event loop sees it: the longest stretch the loop was held
from pushing the screen to its first frame, in a realistic session.

  python benchmarks/first_paint.py [RESUME POSTING] [--runs N]

The session holds a corpus resume and posting (default: r06, a two-column PhD CV, against j06,
from ../shared/corpus; else the bundled sample), a finished offline analysis and one accepted
change. Each screen is opened the way the app opens it (tests/first_paint.py, shared with
tests/test_tui_loop.py), watched by a coroutine ticking every 10 ms (tests/loop_watch.py).
Printed per screen: the longest loop block to the first frame, as CPU work on the loop's thread
(the figure the test bounds) and as wall time, the wall time to that frame, and the longest
block until the screen's workers finished.
Each run walks every screen twice in a fresh app; the first walk of the first run is reported apart
(each screen's module is imported then), the worst of all others beside it, with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
CORPUS = ROOT.parent / "shared" / "corpus"


def documents(args: argparse.Namespace) -> tuple[Path, Path]:
    if args.resume and args.posting:
        return Path(args.resume), Path(args.posting)
    resume, posting = CORPUS / "resumes" / "r06_ds_phd_twocolumn.pdf", CORPUS / "jds" / "j06_data_scientist.md"
    if resume.is_file() and posting.is_file():
        return resume, posting
    from resume_tui.app import SAMPLE_JD, SAMPLE_RESUME

    return SAMPLE_RESUME, SAMPLE_JD


async def one_run(resume: Path, posting: Path, size: tuple[int, int], collect: bool) -> tuple[list, list]:
    """Two walks through every screen in one app: the first opens each screen for the first time (its
    module imported then, in the first run), the second opens each again."""
    from first_paint import prepare, walk
    from test_tui_support import make_app, settle

    with tempfile.TemporaryDirectory(prefix="first-paint-") as tmp:
        base = Path(tmp)
        os.environ.update(RESUME_TUI_DATA_DIR=str(base / "data"), RESUME_TUI_CONFIG_DIR=str(base / "config"),
                          HOME=str(base / "home"), TEXTUAL_ANIMATIONS="none")
        app = make_app(base)
        async with app.run_test(size=size) as pilot:
            await prepare(pilot, resume, posting, settle=settle)
            first = await walk(pilot, settle=settle, collect=collect)
            return first, await walk(pilot, settle=settle, collect=collect)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("resume", nargs="?")
    parser.add_argument("posting", nargs="?")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--collect", action="store_true",
                        help="a full garbage collection before each screen (as the test does): its own work only")
    args = parser.parse_args()
    resume, posting = documents(args)
    width, height = (int(x) for x in args.size.split("x"))
    cold: dict[str, list[float]] = {}
    warm: dict[str, list[float]] = {}
    for run in range(args.runs):
        first, again = asyncio.run(one_run(resume, posting, (width, height), args.collect))
        for walked, into in ((first, cold if run == 0 else warm), (again, warm)):
            for paint in walked:
                now = [paint.first_work_s, paint.first_paint_s, paint.wall_s, paint.settled_work_s, paint.settled_s]
                row = into.setdefault(paint.name, [0.0] * len(now))
                row[:] = [max(a, b) for a, b in zip(row, now, strict=True)]
    print(f"{resume.name} + {posting.name} at {width}x{height}, {args.runs} run(s), "
          f"{'a full garbage collection before each screen, ' if args.collect else ''}"
          f"load average {os.getloadavg()[0]:.1f}")
    print("Longest loop block, as CPU work on the loop's thread (cpu) and as wall time (wall), from the push to the")
    print("first frame and until the screen's workers finished; and the wall time to the first frame.")
    print("first: each screen opened for the first time in the process (its module imported then);")
    print("again: the worst of every later opening.")
    print(f"{'screen':<24}{'':>6}{'1st frame cpu':>14}{'wall':>8}{'to frame':>10}{'settled cpu':>13}{'wall':>8}")
    for name in cold:
        for label, table in (("first", cold), ("again", warm)):
            if name not in table:
                continue
            cpu, block, wall, settled_cpu, settled = (round(v * 1000) for v in table[name])
            print(f"{name if label == 'first' else '':<24}{label:>6}{cpu:>11} ms{block:>5} ms{wall:>7} ms"
                  f"{settled_cpu:>10} ms{settled:>5} ms")

if __name__ == "__main__":
    main()
