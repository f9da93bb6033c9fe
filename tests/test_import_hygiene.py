"""Layering and start-up: the core never imports Textual; headless commands never import an LLM SDK."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "resume_tui"
SDKS = ("anthropic", "openai", "google.genai")
CORE = ("documents", "analysis", "pipeline", "providers", "session")


def _loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(__import__("json").loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("layer", CORE)
def test_core_layers_do_not_import_textual_or_sdks(layer: str) -> None:
    modules = [p for p in (PACKAGE / layer).rglob("*.py")]
    imports = "\n".join(
        f"import resume_tui.{'.'.join(p.relative_to(PACKAGE).with_suffix('').parts)}"
        for p in modules if p.name != "__main__.py"
    )
    loaded = _loaded_after(imports)
    assert not any(m == "textual" or m.startswith("textual.") for m in loaded)
    for sdk in SDKS:
        assert sdk not in loaded, f"{layer} imports {sdk} at module level"


def test_headless_cli_imports_neither_textual_nor_sdks() -> None:
    loaded = _loaded_after(
        "from resume_tui import cli; cli.build_parser()\n"
        "import resume_tui.commands.analyze, resume_tui.commands.tailor, resume_tui.commands.inspect"
    )
    assert "textual" not in loaded
    for sdk in SDKS:
        assert sdk not in loaded


def _imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


# layer → layers it must never import (imports point downward only)
FORBIDDEN = {
    "models": ("resume_tui.documents", "resume_tui.analysis", "resume_tui.pipeline", "resume_tui.providers",
               "resume_tui.session", "resume_tui.screens", "resume_tui.widgets", "resume_tui.app"),
    "documents": ("resume_tui.analysis", "resume_tui.pipeline", "resume_tui.providers", "resume_tui.session",
                  "resume_tui.screens", "resume_tui.widgets", "resume_tui.app", "resume_tui.commands"),
    "analysis": ("resume_tui.pipeline", "resume_tui.providers", "resume_tui.session", "resume_tui.screens",
                 "resume_tui.widgets", "resume_tui.app", "resume_tui.commands"),
    "providers": ("resume_tui.pipeline", "resume_tui.session", "resume_tui.screens", "resume_tui.widgets",
                  "resume_tui.app", "resume_tui.commands"),
    "pipeline": ("resume_tui.screens", "resume_tui.widgets", "resume_tui.app", "resume_tui.commands"),
    "session": ("resume_tui.screens", "resume_tui.widgets", "resume_tui.app", "resume_tui.commands"),
}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_imports_point_downward(layer: str) -> None:
    paths = list((PACKAGE / layer).rglob("*.py"))  # models is a package too (domain, session)
    for path in paths:
        for name in _imports_of(path):
            assert not name.startswith(FORBIDDEN[layer]), f"{path.relative_to(PACKAGE)} imports {name}"
