"""Path input with completion, and a directory tree that shows only documents we can read.

The tree moves up as well as down (backspace or its ".." row opens the parent folder; a
typed folder path re-roots it there), and a long file name is shortened in the middle so its
extension always shows ("r01_swe_senior_…_v2.pdf"); the highlighted file's full name is in
the tree's bottom border.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.style import Style
from rich.text import Text, TextType
from textual import on
from textual.binding import Binding, BindingType
from textual.suggester import Suggester
from textual.widgets import DirectoryTree, Tree
from textual.widgets._directory_tree import DirEntry
from textual.widgets._tree import TreeNode

from resume_tui.textsafe import display_safe

DOCUMENT_SUFFIXES = frozenset({".pdf", ".docx", ".md", ".markdown", ".txt", ".text", ".json"})  # .json: JSON Resume, job JSON


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


def middle_cut(name: str, width: int) -> tuple[int, int]:
    """How many characters to keep from the start and from the end of `name` so that
    start + "…" + end fits `width` cells and the end holds the whole extension when it can."""
    if len(name) <= width:
        return len(name), 0
    if width <= 1:
        return 0, 0
    stem, dot, ext = name.rpartition(".")
    suffix = len(dot + ext) if stem and len(ext) <= 8 else 0
    room = width - 1 - suffix
    if room < 2:  # too narrow for the stem: half start, half end
        tail = (width - 1) // 2
        return width - 1 - tail, tail
    head = (room + 1) // 2
    return head, room - head + suffix


def middle_ellipsis(name: str, width: int) -> str:
    """Shorten `name` to `width` cells by cutting its middle, never its extension:
    "r01_swe_senior_architect_v2.pdf" at 20 → "r01_swe_…ct_v2.pdf"."""
    head, tail = middle_cut(name, width)
    if head + tail >= len(name):
        return name
    return name[:head] + "…" + (name[len(name) - tail:] if tail else "")


UP = ".."


class FilePicker(DirectoryTree):
    """A DirectoryTree without hidden files, listing only folders and readable documents,
    that can move to the parent folder and re-root on a typed folder."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("backspace", "parent", "Parent folder", tooltip="Show the folder above this one"),
    ]

    def __init__(self, path: str | Path, *, id: str | None = None) -> None:
        super().__init__(path, id=id)
        self.root.set_label(display_path(Path(path)))

    async def watch_path(self) -> None:
        await super().watch_path()
        self.root.set_label(display_path(Path(self.path)))

    def open_folder(self, folder: Path) -> None:
        """Re-root the tree on `folder` (a typed path or the parent)."""
        self.path = folder
        self.border_subtitle = ""

    def action_parent(self) -> None:
        current = Path(self.path).resolve()
        if current.parent != current:
            self.open_folder(current.parent)

    def _populate_node(self, node: TreeNode[DirEntry], content: Iterable[Path]) -> None:
        super()._populate_node(node, content)
        if node is self.root:  # the first row goes up, as in every file manager
            parent = Path(self.path).resolve().parent
            if parent != Path(self.path).resolve():
                up = node.add(UP, data=DirEntry(parent), allow_expand=False, before=0)
                up.data = DirEntry(parent)
                self._up = up

    @on(DirectoryTree.DirectorySelected)
    def _maybe_up(self, event: DirectoryTree.DirectorySelected) -> None:
        if event.node is getattr(self, "_up", None):
            event.stop()
            self.open_folder(event.path)

    @on(Tree.NodeHighlighted)
    def _full_name(self, event: Tree.NodeHighlighted[DirEntry]) -> None:
        """The highlighted file's whole name, in case its row had to shorten it."""
        entry = event.node.data
        name = entry.path.name if entry is not None and event.node is not self.root else ""
        if event.node is getattr(self, "_up", None):
            name = ""
        self.border_subtitle = display_safe(name, single_line=True) if name else ""

    def process_label(self, label: TextType) -> Text:
        """File names are untrusted: no control sequences, bidi overrides shown as <U+XXXX>."""
        return super().process_label(display_safe(label, single_line=True) if isinstance(label, str) else label)

    def render_label(self, node: TreeNode[DirEntry], base_style: Style, style: Style) -> Text:
        if node is getattr(self, "_up", None) and self.is_mounted:  # a folder, though it never expands
            folder = self.get_component_rich_style("directory-tree--folder", partial=True)
            return Text.assemble((self.ICON_NODE, base_style), (UP + " (parent folder)", folder + style))
        text = super().render_label(node, base_style, style)
        if not self.is_mounted or node is self.root:
            return text
        depth, parent = 0, node.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        indent = self.guide_depth * (depth if self.show_root else depth - 1)
        width = self.scrollable_content_region.width - indent - 1
        label_length = len(node._label.plain)
        prefix = len(text.plain) - label_length
        room = width - prefix
        if room <= 0 or label_length <= room:
            return text
        label = text[prefix:]  # slices keep the folder/file/extension styles
        head, tail = middle_cut(label.plain, room)
        return Text.assemble(text[:prefix], label[:head], "…", label[len(label) - tail:] if tail else "")

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                if path.is_dir() or path.suffix.lower() in DOCUMENT_SUFFIXES:
                    yield path
            except OSError:
                continue
