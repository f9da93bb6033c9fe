"""Async face of the store for the TUI: every call runs on a worker thread.

SQLite calls block (fsync, busy waits behind another process), so the event loop that
draws the UI must never make them directly. `AsyncStore` forwards each public method of
`Store` through `asyncio.to_thread`; the store's own lock keeps the calls serialised.
"""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path
from typing import Any

from resume_tui.config import Settings
from resume_tui.session.events import StoreSink
from resume_tui.session.store import Store, open_store

# Methods that are cheap and synchronous by nature stay synchronous.
_SYNC = frozenset({"event_sink", "session_lock", "close"})


class AsyncStore:
    """`await astore.get_session(id)` etc.; `astore.store` is the underlying sync Store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    async def open(cls, settings: Settings | None = None, *, path: Path | None = None, prune: bool = True) -> AsyncStore:
        return cls(await asyncio.to_thread(open_store, settings, path=path, prune=prune))

    @property
    def notice(self) -> str | None:
        return self.store.notice

    @property
    def recovered_runs(self) -> list[str]:
        return self.store.recovered_runs

    def event_sink(self, **kwargs: Any) -> StoreSink:
        return self.store.event_sink(**kwargs)

    async def aclose(self) -> None:
        await asyncio.to_thread(self.store.close)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.store, name)
        if name.startswith("_") or name in _SYNC or not callable(attr):
            return attr

        @functools.wraps(attr)
        async def call(*args: Any, **kwargs: Any) -> Any:
            return await asyncio.to_thread(attr, *args, **kwargs)

        return call
