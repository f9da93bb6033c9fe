"""The session store's repositories, over one shared Database.

`database` (the connection, transactions, events, repair on open), `sessions` (sessions,
transitions, changes, decisions), `runs` (runs, tasks, run and session locks), `audit`
(versions, approvals, file writes), `events` (the event log and what it derives). The
`Store` (session/store.py) is the facade the rest of the app uses.
"""
