"""Format readers: bytes on disk → `ExtractedText` (lines plus where each came from).

A JSON Resume is already structured, so `jsonresume.py` returns the Resume itself (sections and
entries from its fields) instead of text to segment."""

from resume_tui.documents.readers.base import ExtractedText, normalize_newlines

__all__ = ["ExtractedText", "normalize_newlines"]
