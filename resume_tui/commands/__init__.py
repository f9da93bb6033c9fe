"""Headless command handlers (`resume-tui inspect|analyze|tailor|doctor|sessions`).

Each module exposes `add_arguments(parser)` and `run(args) -> int`. They compose the
services below (documents, analysis, pipeline, session) and render with rich; none of
them imports Textual or an LLM SDK at module level, so scripts start fast.
"""
