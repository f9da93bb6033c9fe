"""Application services shared by the TUI's Flow and the headless commands.

Each module is one step of the workflow as plain functions over models (no Textual, no
session state): `inputs` (reading and checking a resume, a posting, a fact, the settings
a session chose), `analysis_run` (the provider chain, the estimate, the orchestrator),
`review` (the rules for decisions), `export` (the tailored resume, the plan, writing and
auditing the files). `Flow` holds the session state the screens observe and calls these;
`commands/` call the same functions, so the CLI and the TUI cannot drift apart.
"""
