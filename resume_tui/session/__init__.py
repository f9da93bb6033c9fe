"""Session layer: workflow state machine, SQLite store, event log, audit log.

Import what you need from the submodules (`session.store`, `session.workflow`,
`session.aio`); this package imports nothing heavy so `import resume_tui.session` is cheap.
"""
