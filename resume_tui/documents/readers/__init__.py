"""Format readers: bytes on disk → `ExtractedText` (lines plus where each came from)."""

from resume_tui.documents.readers.base import ExtractedText, normalize_newlines

__all__ = ["ExtractedText", "normalize_newlines"]
