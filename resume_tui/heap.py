"""Keep the garbage collector off what lives for the whole session.

A full collection walks every tracked object: after start-up and a finished analysis that is the
loaded modules, Textual's widget tree and the session's resume, report and changes, and each
walk held the event loop for 200–500 ms at whichever screen it landed on (benchmarks/first_paint.py:
the largest blocks left on the loop, up to 525 ms). `gc.freeze()` moves everything alive now into a
generation the collector never scans, so later collections look only at what was made since; a
larger first threshold (50,000 allocations instead of 700) makes the young collections rarer
without making any of them long. Measured together: the worst later opening of a screen went
from 525 ms to about 120–170 ms of loop work.

Frozen objects are still freed by reference counting; only a reference cycle among them would stay
until exit, which for objects that live as long as the app costs nothing. The app is one per
process; the test suite, which runs hundreds of apps in one process, unfreezes after each test.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000


def keep_long_lived() -> None:
    """Freeze what is alive now (start-up done, or a run's result in place); cheap and repeatable."""
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 20, 20)
