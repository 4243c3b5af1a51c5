"""The index directory: Whoosh's storage, the write lock, damage reporting, clean-up.

Internal to :mod:`searchlib.index`.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from searchlib.errors import (
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexProblem,
    IndexReadOnlyError,
    IndexWriteError,
    SearchlibError,
)
from searchlib.index.manifest import MANIFEST_NAME
from searchlib.index.safety import CHECKSUMS_NAME, REBUILD_ADVICE, SafeFileStorage, check_segments


def storage(directory: Path, allow_unsafe_pickles: bool) -> Any:
    # SafeFileStorage reads every table of contents through a restricted unpickler.
    return (FileStorage if allow_unsafe_pickles else SafeFileStorage)(str(directory))


def open_whoosh(directory: Path, schema: Any, allow_unsafe_pickles: bool) -> Any:
    """The Whoosh index in ``directory``, searched with this searchlib's own ``schema``.

    Passing the schema means Whoosh never loads the pickled one (the manifest has already said
    that they match).
    """
    try:
        return storage(directory, allow_unsafe_pickles).open_index(schema=schema)
    except whoosh_index.EmptyIndexError as exc:
        raise IndexNotFoundError(f"no index at {directory}") from exc
    except SearchlibError:
        raise
    except Exception as exc:  # Whoosh raises many types on damaged files
        raise damaged(directory, exc) from exc


def check_files(directory: Path, ix: Any, *, checksums: bool) -> None:
    try:
        check_segments(directory, ix, checksums=checksums)
    except SearchlibError:
        raise
    except Exception as exc:  # whoosh-ng validates segments as it opens them
        raise damaged(directory, exc) from exc


def damaged(directory: Path, exc: BaseException) -> IndexCorruptError:
    return IndexCorruptError(
        f"the index at {directory} is damaged ({type(exc).__name__}: {exc}); "
        + REBUILD_ADVICE.format(directory=directory)
    )


def abandon(writer: Any) -> None:
    """Discard a writer whose commit failed, making sure its write lock is released."""
    try:
        writer.cancel()
        return
    except Exception:
        pass
    lock = getattr(writer, "writelock", None)
    try:
        if lock is not None:
            lock.release()
    except Exception:
        pass  # already released


@contextlib.contextmanager
def write_lock(directory: Path, timeout: float) -> Iterator[None]:
    """Hold the index's write lock (as a writer does), or raise IndexLockedError."""
    lock = FileStorage(str(directory)).lock("MAIN_WRITELOCK")
    deadline = time.monotonic() + timeout
    while not lock.acquire(blocking=False):
        if time.monotonic() >= deadline:
            raise IndexLockedError(
                f"the index at {directory} is locked by another writer "
                f"(waited {timeout:g} s); try again when it has committed"
            )
        time.sleep(0.05)
    try:
        yield
    finally:
        lock.release()


def remove_index_files(directory: Path) -> None:
    for child in directory.iterdir():
        if child.name.endswith("LOCK"):
            continue  # lock files stay: another process may hold (or wait for) one
        if child.name in (MANIFEST_NAME, CHECKSUMS_NAME) or child.name.startswith(
            ("_MAIN_", "MAIN_")
        ):
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()


# errno values that mean "this process may not write here", as opposed to a failed write.
_READ_ONLY = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def write_error(directory: Path, exc: OSError, doing: str) -> IndexProblem:
    """The searchlib error for an ``OSError`` met while ``doing`` something to an index.

    >>> write_error(Path("ix"), OSError(errno.EROFS, "Read-only file system"), "add").args[0]
    'cannot add: the index at ix is on a read-only file system; searching it still works'
    """
    if exc.errno in _READ_ONLY:
        why = (
            "is on a read-only file system"
            if exc.errno == errno.EROFS
            else f"is not writable by this user ({exc.strerror}: {exc.filename or directory})"
        )
        return IndexReadOnlyError(
            f"cannot {doing}: the index at {directory} {why}; searching it still works"
        )
    return IndexWriteError(
        f"cannot {doing}: writing the index at {directory} failed ({exc}); it still holds the "
        "previous commit"
    )
