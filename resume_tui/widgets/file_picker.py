"""Path input with completion, and a directory tree that shows only documents we can read."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from rich.text import Text, TextType
from textual.suggester import Suggester
from textual.widgets import DirectoryTree

from resume_tui.textsafe import display_safe

DOCUMENT_SUFFIXES = frozenset({".pdf", ".docx", ".md", ".markdown", ".txt", ".text"})


class PathSuggester(Suggester):
    """Completes the last path component from the file system (→ or End accepts)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        expanded = os.path.expanduser(value)
        folder, prefix = os.path.split(expanded)
        try:
            names = sorted(os.listdir(folder or "."))
        except OSError:
            return None
        for name in names:
            if name.startswith(prefix) and name != prefix and not (name.startswith(".") and not prefix.startswith(".")):
                completed = os.path.join(folder, name) if folder else name
                if os.path.isdir(completed):
                    completed += os.sep
                if value.startswith("~"):
                    completed = "~" + completed[len(os.path.expanduser("~")) :]
                return completed
        return None


def display_path(path: Path) -> str:
    """A path as a person reads it: under the home folder it starts with ~."""
    home = Path(os.path.expanduser("~"))
    try:
        return "~/" + str(path.resolve().relative_to(home.resolve()))
    except ValueError:
        return str(path)


class FilePicker(DirectoryTree):
    """A DirectoryTree without hidden files, listing only folders and readable documents."""

    def __init__(self, path: str | Path, *, id: str | None = None) -> None:
        super().__init__(path, id=id)
        self.root.set_label(display_path(Path(path)))

    def process_label(self, label: TextType) -> Text:
        """File names are untrusted: no control sequences, bidi overrides shown as <U+XXXX>."""
        return super().process_label(display_safe(label, single_line=True) if isinstance(label, str) else label)

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                if path.is_dir() or path.suffix.lower() in DOCUMENT_SUFFIXES:
                    yield path
            except OSError:
                continue
