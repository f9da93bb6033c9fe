"""The app's one road to the session store: off the UI thread, in order, one window per session.

SQLite calls block (fsync, a busy wait behind another process), so the event loop that
draws the UI never makes them. Every call goes to one store thread, which keeps them in
the order they were made (a decision is never overtaken by an older save). Calls made from
the UI are watched by an app worker (`watch_store_write`), so a failed save becomes one
notification and tests (and quitting) can wait for pending writes. The link also holds the lock of the
open session: a second resume-tui opening it is refused with a clear message.

Only the standard library is imported here: the app builds a link before the first paint.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

T = TypeVar("T")

RESUMABLE = frozenset({"interrupted", "failed", "cancelled"})
CLOSE_TIMEOUT_S = 10.0


class LinkHost(Protocol):
    """What the link needs from the app (ResumeTuiApp): whether it runs, notifications, and a worker
    that watches a queued write."""

    @property
    def is_running(self) -> bool: ...

    def notify(self, message: str, *, timeout: float | None = None) -> None: ...

    def watch_store_write(self, future: Future[Any]) -> object: ...


@dataclass(frozen=True)
class Opened:
    """A session loaded for the window: the session and its last run if that can be resumed."""

    session: Any
    resumable: Any = None
    last_run: Any = None  # its task table is shown again as it was left


class StoreLink:
    """Store thread + session lock for one app. `submit` for fire-and-forget writes (a Future),
    `call` to await a result; `open` loads a session under its lock."""

    def __init__(self, app: LinkHost, *, given_store: Any = None) -> None:
        self.app = app
        self._given = given_store  # a store passed in by the caller is theirs to close
        self._pool: ThreadPoolExecutor | None = None
        self._lock: Any = None  # the FileLock of the session this window has open
        self.locked_id: str | None = None

    @property
    def pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="resume-tui-store")
        return self._pool

    # ------------------------------------------------------------------ calls

    def submit(self, action: Callable[[], T]) -> Future[T]:
        """Run `action` on the store thread; a failure is shown once it settles."""
        future = self.pool.submit(action)
        if threading.get_ident() == getattr(self.app, "_thread_id", None) and self.app.is_running:
            self.app.watch_store_write(future)
        return future

    async def call(self, action: Callable[[], T]) -> T:
        """Await `action` run on the store thread (its exception is raised here)."""
        return await asyncio.wrap_future(self.pool.submit(action))

    # ------------------------------------------------------------------ sessions

    def attach(self, flow: Any, store: Any) -> None:
        """Persist `flow`'s session through the store thread and hold its lock."""
        flow.attach_store(store, submit=self.submit)
        if self.locked_id != flow.session.id:
            session_id = flow.session.id
            self.submit(lambda: self._claim(store, session_id))

    def _claim(self, store: Any, session_id: str) -> None:
        """(store thread) Hold `session_id`'s lock instead of the previous session's."""
        if self.locked_id == session_id:
            return
        lock = store.lock_session(session_id)
        self._release()
        self._lock, self.locked_id = lock, session_id

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
        self._lock, self.locked_id = None, None

    async def open(self, store: Any, session_id: str) -> Opened:
        """Lock and load a saved session. Raises the store's LockBusy ("already open in another
        resume-tui (pid N)") when another window has it; this window's lock is then unchanged."""

        def load() -> Opened:
            mine = self.locked_id == session_id
            lock = None if mine else store.lock_session(session_id)
            try:
                session = store.get_session(session_id)
                runs = store.runs(session_id)
            except BaseException:
                if lock is not None:
                    lock.release()
                raise
            if lock is not None:
                self._release()
                self._lock, self.locked_id = lock, session_id
            last = runs[-1] if runs else None
            resumable = last if last is not None and last.status.value in RESUMABLE else None
            return Opened(session, resumable, last)

        return await self.call(load)

    # ------------------------------------------------------------------ housekeeping

    async def rename(self, store: Any, session_id: str, name: str, *, open_flow: Any = None) -> str:
        """Rename a saved session; the flow open in this window (if it is that one) keeps the
        name too, so its next save does not undo it."""
        from resume_tui.session.housekeeping import clean_name, rename_session

        cleaned = clean_name(name)
        if open_flow is not None and open_flow.session.id == session_id:
            open_flow.session.settings.name = cleaned
        await self.call(lambda: rename_session(store, session_id, cleaned))
        self.app.notify(f"Renamed to “{cleaned}”.", timeout=3)
        return cleaned

    async def delete(self, store: Any, session_id: str) -> bool:
        """Delete a saved session; this window's lock on it is released first."""

        def delete() -> bool:
            if self.locked_id == session_id:
                self._release()
            return bool(store.delete_session(session_id))

        deleted = await self.call(delete)
        self.app.notify("Session deleted." if deleted else "That session was already gone.", timeout=3)
        return deleted

    def prune_demos(self, store: Any, *, keep: str) -> None:
        """Only the newest demo session is kept (queued after its registration)."""
        from resume_tui.session.housekeeping import prune_demos

        self.submit(lambda: prune_demos(store, keep))

    async def recent(self, store: Any, limit: int = 20) -> list[Any]:
        return await self.call(lambda: store.list_sessions(limit=limit))

    # ------------------------------------------------------------------ closing

    async def close(self, store: Any) -> None:
        """On quit: let pending writes finish, drop the session lock, close a store we opened."""
        if self._pool is None:
            return

        def finish() -> None:
            self._release()
            if store is not None and store is not self._given:
                store.close()

        try:
            await asyncio.wait_for(self.call(finish), CLOSE_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - quitting must not fail; the OS drops the locks
            pass
        self._pool.shutdown(wait=False)
        self._pool = None
