"""Session layer: workflow state machine, SQLite store, event log, audit log.

Import from the submodules; this package imports nothing, so it stays cheap:

- `session.workflow`: `transition(session, target) -> (Session, Transition)`,
  `allowed_targets(session)`, `TransitionError` (an InputError). Pure, no I/O.
- `session.store`: `Store.open(path=None, settings=...)` / `open_store(settings)` (also
  applies the TTL). Sync and thread-safe; `store.notice` holds one sentence to show when a
  damaged database was kept aside; `store.recovered_runs` lists runs marked interrupted.
  Sessions: `create_session`, `get_session`, `save_session`, `advance(id, state, run_id=,
  resume=, job=, report=, changes=)`, `cancel`, `list_sessions`, `resolve_id`,
  `delete_session`, `prune`, `lock_session` (one TUI per session). Runs: `start_run`,
  `finish_run`, `resume_run -> ResumePoint(run, completed)`, `save_task`,
  `completed_tasks`. Changes: `save_changes`, `decide`. Versions: `save_version`,
  `versions`, `get_version`. Audit: `record_approval`, `record_file_write`, `audit`.
  Events: `event_sink()` (an async pipeline sink), `append_events`, `events`.
- `session.redact`: `Redactor`, `RedactingFilter` (keys out of anything written).
- `session.services`: the workflow steps as functions shared by `Flow` and `commands/`
  (inputs, analysis_run, review, export, persistence).
- `session.repos`: the store's repositories over one Database (the Store is their facade).
"""
