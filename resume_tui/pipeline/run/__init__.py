"""The parts of one pipeline run that the Orchestrator composes.

`result` (what a run returns), `records` (task records and event payloads), `proposals`
(live and final change_proposed events), `chain` (a task's provider chain, retries, shared
batched calls, then its offline path). The orchestrator (pipeline/orchestrator.py) keeps
the schedule: which task runs when, cancellation, limits.
"""
