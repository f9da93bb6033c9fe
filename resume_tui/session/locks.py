"""Advisory file locks that die with their process.

A live run holds `run-<id>.lock` and an open TUI session holds `session-<id>.lock`. The OS
drops an flock when the process dies (even on SIGKILL), so "can I take the lock?" is an
exact answer to "is the owner gone?" — no pid files that go stale, no pid reuse issues.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from resume_tui.errors import InputError

if sys.platform != "win32":  # POSIX
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

else:  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


class LockBusy(InputError):
    """Someone else (another process, or another holder in this one) has the lock."""

    def __init__(self, message: str, *, holder_pid: int | None = None) -> None:
        super().__init__(message)
        self.holder_pid = holder_pid


_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


class FileLock:
    """One exclusive, non-blocking lock file. Not re-entrant: a second FileLock on the same
    path fails even in the same process, which is what we want for duplicate runs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @classmethod
    def for_name(cls, lock_dir: Path, name: str) -> FileLock:
        return cls(lock_dir / f"{_SAFE.sub('_', name)}.lock")

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return True

    def holder_pid(self) -> int | None:
        """The pid written by the current holder (informational only)."""
        try:
            text = self.path.read_text().strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def is_free(self) -> bool:
        """True when nobody holds the lock (takes and drops it to find out). A missing file is
        free, and the probe never creates one (probes used to leave stale lock files)."""
        if self._fd is not None:
            return False
        if not self.path.exists():
            return True
        probe = FileLock(self.path)
        try:
            fd = os.open(self.path, os.O_RDWR)
        except FileNotFoundError:
            return True
        if not _try_lock(fd):
            os.close(fd)
            return False
        probe._fd = fd
        probe.release()
        return True

    def release(self, *, remove: bool = False) -> None:
        """Drop the lock; `remove` also deletes the file (unlinked while still held, so no
        one can take a lock on a file that is about to vanish)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            if remove:
                try:
                    self.path.unlink()
                except OSError:
                    pass
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:  # a forgotten lock must not outlive its owner object
        try:
            self.release()
        except Exception:
            pass
