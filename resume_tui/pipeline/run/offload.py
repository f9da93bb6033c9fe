"""Deterministic CPU work off the event loop: a task's offline path runs in a thread.

The offline engine is plain Python that can take seconds on a long resume (a 12-page CV, a
2 MB paste). On the loop it would freeze whatever else the loop serves — the TUI's drawing
and keys, the CLI's progress, model calls in flight. In a thread the loop keeps turning
(the interpreter hands it the GIL every few milliseconds).

One offline path at a time, in the order the tasks asked (an asyncio.Lock is first come,
first served), and each result is committed on the loop before the next path starts — so a
run commits in the same order as when everything ran on the loop, and stays reproducible.
Cancelling stops the path itself, not only the wait: the thread gets an exception raised
into it (CPython's PyThreadState_SetAsyncExc, delivered between two bytecodes), so a cancelled
analysis of a 2 MB resume does not keep a core busy for minutes. The offline paths are pure
functions of their inputs, so stopping one midway leaves nothing half-written; its result was
going to be dropped anyway. The thread is also a daemon, so it can never hold up quitting.
"""

from __future__ import annotations

import asyncio
import ctypes
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class Offloader:
    """Runs one callable at a time in a daemon thread and awaits its result on the loop."""

    def __init__(self) -> None:
        self._lock: asyncio.Lock | None = None

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            return await in_thread(fn, *args)


async def in_thread(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` in a new daemon thread; cancelling the await stops the thread too."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    finished = threading.Event()

    def settle(value: Any, error: BaseException | None) -> None:
        if future.done():
            return  # cancelled meanwhile: the result is dropped
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    def target() -> None:
        try:
            value: Any = None
            error: BaseException | None = None
            try:
                value = fn(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to the awaiting coroutine
                error = exc
            finished.set()
            loop.call_soon_threadsafe(settle, value, error)
        except BaseException:  # noqa: BLE001 - the loop closed, or the stop arrived late: nobody waits
            finished.set()

    thread = threading.Thread(target=target, name="resume-tui-offline", daemon=True)
    thread.start()
    try:
        return await future
    except asyncio.CancelledError:
        if not finished.is_set():
            stop(thread)
        raise


class Stopped(Exception):
    """Raised inside an offline thread whose run was cancelled."""


def stop(thread: threading.Thread) -> bool:
    """Raise `Stopped` inside `thread` at its next bytecode; False when it is already gone."""
    if not thread.is_alive() or thread.ident is None:
        return False
    return ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(Stopped)) == 1
