"""No import circle inside providers/: not at module level, not hidden in a function.

The budget, the router, doctor and the OpenAI adapter used to import one another (the budget
imported the router for `estimate_run`, the router imported doctor for `how_to_configure`,
the adapter imported the budget for token estimates). The shared pieces now sit below them
(tokens.py, prices.py, catalog.py, estimate.py); this keeps it so.
"""

from __future__ import annotations

import ast
from pathlib import Path

PROVIDERS = Path(__file__).resolve().parents[1] / "resume_tui" / "providers"
PREFIX = "resume_tui.providers."


def _edges() -> dict[str, set[str]]:
    """module → provider modules it imports anywhere in its body (functions included)."""
    graph: dict[str, set[str]] = {}
    for path in PROVIDERS.glob("*.py"):
        name = path.stem
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.level == 0 and node.module.startswith(PREFIX):
                    targets.add(node.module[len(PREFIX):].split(".")[0])
                elif node.level == 0 and node.module == "resume_tui.providers":
                    targets.update(a.name for a in node.names if (PROVIDERS / f"{a.name}.py").exists())
                elif node.level == 1:
                    targets.add((node.module or "").split(".")[0])
            elif isinstance(node, ast.Import):
                targets.update(a.name[len(PREFIX):].split(".")[0] for a in node.names if a.name.startswith(PREFIX))
        graph[name] = {t for t in targets if t and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every elementary circle found by depth-first search (small graph: fine)."""
    found: set[tuple[str, ...]] = set()

    def visit(start: str, node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                cycle = path[:]
                i = cycle.index(min(cycle))
                found.add(tuple(cycle[i:] + cycle[:i]))
            elif nxt not in path and nxt > start:
                visit(start, nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, start, [start])
    return [list(c) for c in sorted(found)]


def test_cycle_finder_finds_a_planted_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_in_providers():
    graph = _edges()
    assert {"budget", "router", "doctor", "openai_provider"} <= set(graph)
    assert _cycles(graph) == []


def test_the_broken_circle_stays_broken():
    graph = _edges()
    assert "router" not in graph["budget"] and "doctor" not in graph["router"]
    assert "budget" not in graph["openai_provider"]
