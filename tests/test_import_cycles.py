"""No import circles in resume_tui: not at module level, not inside functions, not behind TYPE_CHECKING.

A circle means two modules cannot be understood (or moved) apart; the fix is to move the
shared piece down or invert it with a protocol. Every import statement counts, wherever it
sits, because a function-level import that closes a circle is the same coupling, deferred.
`from pkg import name` counts as importing `pkg.name` when that is a module, else `pkg`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "resume_tui"

# Circles in modules this change did not own; each entry is one strongly connected set of
# modules. Delete an entry when its circle is broken (the test then keeps it broken).
ALLOWED: list[frozenset[str]] = []  # none left: the providers circle was broken (prices, catalog, estimate)


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imported(module: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in known:
                    yield full
                elif base in known:
                    yield base


def import_graph() -> dict[str, set[str]]:
    known = _modules()
    return {m: set(_imported(m, p, known)) - {m} for m, p in known.items()}


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected sets of two or more modules (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.add(member)
                    if member == node:
                        break
                if len(members) > 1:
                    found.append(frozenset(members))
    return found


def test_the_detector_finds_a_circle_hidden_in_a_function() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [frozenset({"a", "b", "c"})]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("from . import sibling\n\ndef f():\n    from resume_tui.pipeline import run_pipeline\n")
    known = {"pkg.m": source, "pkg.sibling": source, "resume_tui.pipeline": source}
    assert set(_imported("pkg.m", source, known)) == {"pkg.sibling", "resume_tui.pipeline"}


def test_no_import_circles() -> None:
    found = circles(import_graph())
    unexpected = [sorted(c) for c in found if c not in ALLOWED]
    assert not unexpected, f"import circles: {unexpected}"
    stale = [sorted(c) for c in ALLOWED if c not in found]
    assert not stale, f"these allowed circles are gone; delete them from ALLOWED: {stale}"


def test_every_module_imports() -> None:
    """The fast loop (`-m "not slow"`) leaves out the Pilot flows; this keeps every module,
    screens and widgets included, at least imported there, so a broken import fails fast."""
    import importlib

    for module in sorted(_modules()):
        if module.endswith("__main__"):
            continue
        importlib.import_module(module)
