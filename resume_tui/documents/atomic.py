"""Atomic file writes: a reader (or a crash) never sees a half-written export.

The bytes go to a temp file in the destination folder (same filesystem, so the final
rename is atomic), are fsynced, then renamed into place. Without `overwrite` the final
step is a hard link, which fails if the name appeared in the meantime, so an existing
file is never clobbered even in a race: of two writers racing for one new name, exactly
one wins and the other gets an InputError.

`WriteBatch` makes a multi-file export all-or-nothing: each overwritten file is first
hard-linked aside, so a later failure puts every earlier file back as it was (created
ones are removed), and a file that fails its read-back check is moved aside under a
name that says so, with the previous file restored.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from resume_tui.errors import InputError


@dataclass(frozen=True)
class AtomicResult:
    path: Path
    bytes: int
    sha256: str


def same_file(a: str | os.PathLike[str] | None, b: str | os.PathLike[str] | None) -> bool:
    """True when both name the same file (resolving symlinks, `..`, and hard links when both exist)."""
    if not a or not b:
        return False
    pa, pb = Path(a).expanduser(), Path(b).expanduser()
    try:
        if pa.exists() and pb.exists():
            return os.path.samefile(pa, pb)
    except OSError:
        pass
    return os.path.normcase(str(pa.resolve())) == os.path.normcase(str(pb.resolve()))


def _fsync_dir(folder: Path) -> None:
    # Directory fsync makes the rename durable on POSIX; Windows cannot open folders.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes, *, overwrite: bool = False) -> AtomicResult:
    """Write `data` to `path` atomically; refuse an existing file unless `overwrite`."""
    path = Path(path).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"The folder {folder} does not exist; create it or choose another destination.")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give a file name such as {path / 'resume.pdf'}.")
    if path.exists() and not overwrite:
        raise InputError(f"{path} already exists; approve overwriting it or choose another file name.")
    try:
        # A short prefix: a name near the 255-byte limit must not overflow in its temp name.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise InputError(f"Cannot write to {folder} ({exc.strerror or exc}); choose a folder you can write to.") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():  # keep the destination's permission bits when replacing it
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            with contextlib.suppress(OSError):
                os.chmod(tmp, 0o666 & ~umask)
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_no_clobber(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, FileExistsError):
            raise InputError(f"{path} already exists; approve overwriting it or choose another file name.") from None
        if isinstance(exc, OSError):
            raise InputError(f"Could not write {path} ({exc.strerror or exc}); check the folder and free space.") from None
        raise
    _fsync_dir(folder)
    return AtomicResult(path=path, bytes=len(data), sha256=hashlib.sha256(data).hexdigest())


def _link_no_clobber(tmp: Path, path: Path) -> None:
    """Move tmp to path only if path does not exist (hard link + unlink; rename where links are unsupported)."""
    try:
        os.link(tmp, path)
    except OSError as exc:
        if exc.errno == errno.EEXIST:
            raise FileExistsError(str(path)) from None
        # Filesystems without hard links (FAT, some network shares): best effort check + rename.
        if path.exists():
            raise FileExistsError(str(path)) from None
        os.replace(tmp, path)
        return
    tmp.unlink()


class WriteBatch:
    """Atomic writes of several files that commit or roll back together."""

    def __init__(self) -> None:
        self._done: list[tuple[Path, Path | None]] = []  # (path, backup of what it replaced)

    def write(self, path: Path, data: bytes, *, overwrite: bool = False) -> AtomicResult:
        path = Path(path).expanduser()
        backup = _backup(path) if overwrite and path.exists() else None
        try:
            result = atomic_write(path, data, overwrite=overwrite)
        except BaseException:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
            raise
        self._done.append((path, backup))
        return result

    def set_aside(self, path: Path) -> Path:
        """Move a written file that failed its check to "<stem>.unverified<suffix>" (never over
        an existing file) and put back what it replaced; returns where it now is."""
        path = Path(path).expanduser()
        backup = next((b for p, b in self._done if p == path), None)
        self._done = [(p, b) for p, b in self._done if p != path]
        for n in range(1, 100):
            tag = ".unverified" if n == 1 else f".unverified-{n}"
            target = path.with_name(f"{path.stem}{tag}{path.suffix}")
            try:
                _link_no_clobber(path, target)
                break
            except FileExistsError:
                continue
        else:  # pragma: no cover - 99 earlier failures side by side
            target = path
        if backup is not None:
            os.replace(backup, path)
        return target

    def rollback(self) -> None:
        """Undo every write of this batch: restore replaced files, remove created ones."""
        for path, backup in reversed(self._done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, path)
                else:
                    path.unlink()
        self._done.clear()

    def commit(self) -> None:
        """Keep every write: drop the backups."""
        for _, backup in self._done:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()
        self._done.clear()


def _backup(path: Path) -> Path:
    """A hard link (or, where links are unsupported, a copy) of `path` beside it."""
    import shutil

    backup = path.with_name(f".{path.name[:40]}.{os.getpid()}.{os.urandom(4).hex()}.bak")
    try:
        os.link(path, backup)
    except OSError:
        try:
            shutil.copy2(path, backup)
        except OSError as exc:
            raise InputError(f"Could not keep a copy of {path} before replacing it ({exc.strerror or exc}).") from None
    return backup
