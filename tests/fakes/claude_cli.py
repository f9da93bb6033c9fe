"""A fake `claude` executable for claude_cli tests: a Python script written into a tmp dir
that the test puts first on PATH.

Behaviour per call is read from `<dir>/script.json`: a list of steps consumed in order
(the last one repeats), each {"mode": ok|fail|garbage|hang|is_error|ratelimit|nologin,
"answer": "<text the model says>"}. Every call's argv and stdin are appended to
`<dir>/calls.jsonl` so tests can assert the prompt went over stdin, not argv.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

SCRIPT = r'''#!{python}
import json, os, sys, time
d = {dir!r}
if sys.argv[1:] == ["--version"]:
    print("9.9.9 (Fake Claude Code)"); sys.exit(0)
prompt = sys.stdin.read()
with open(os.path.join(d, "calls.jsonl"), "a") as f:
    f.write(json.dumps({{"argv": sys.argv[1:], "stdin": prompt, "has_key": "ANTHROPIC_API_KEY" in os.environ, "pid": os.getpid()}}) + "\n")
steps = json.load(open(os.path.join(d, "script.json")))
n = sum(1 for _ in open(os.path.join(d, "calls.jsonl"))) - 1
step = steps[min(n, len(steps) - 1)]
mode = step.get("mode", "ok")
if mode == "hang":
    time.sleep(30); sys.exit(0)
if mode == "fail":
    sys.stderr.write("boom\n"); sys.exit(2)
if mode == "nologin":
    sys.stderr.write("Invalid API key · Please run /login\n"); sys.exit(1)
if mode == "garbage":
    print("<<< this is not json >>>"); sys.exit(0)
env = {{"type": "result", "subtype": "success", "is_error": mode in ("is_error", "ratelimit"),
       "result": step.get("answer", "{{}}") if mode == "ok" else ("Claude AI usage limit reached" if mode == "ratelimit" else "API Error: 500"),
       "session_id": "fake", "total_cost_usd": 0.01,
       "usage": {{"input_tokens": 21, "cache_read_input_tokens": 4, "output_tokens": 9}}}}
print(json.dumps(env))
'''


class FakeClaude:
    def __init__(self, directory: Path) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        exe = self.dir / "claude"
        exe.write_text(SCRIPT.format(python=sys.executable, dir=str(self.dir)), encoding="utf-8")
        exe.chmod(0o755)
        self.script([{"mode": "ok", "answer": "{}"}])

    def script(self, steps: list[dict]) -> None:
        (self.dir / "script.json").write_text(json.dumps(steps), encoding="utf-8")
        calls = self.dir / "calls.jsonl"
        if calls.exists():
            calls.unlink()

    def calls(self) -> list[dict]:
        path = self.dir / "calls.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def path_env(self) -> str:
        return f"{self.dir}{os.pathsep}{os.environ.get('PATH', '')}"
