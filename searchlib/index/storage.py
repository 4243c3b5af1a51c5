"""The index directory: Whoosh's storage, the write lock, damage reporting, clean-up.

Internal to :mod:`searchlib.index`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from searchlib._whoosh import is_missing_file
from searchlib.errors import (
    IndexCorruptError,
    IndexLockedError,
    IndexNotFoundError,
    IndexPermissionError,
    IndexProblem,
    IndexReadOnlyError,
    IndexWriteError,
    SearchlibError,
)
from searchlib.index.manifest import MANIFEST_NAME
from searchlib.index.safety import CHECKSUMS_NAME, REBUILD_ADVICE, SafeFileStorage, check_segments

T = TypeVar("T")


def storage(directory: Path, allow_unsafe_pickles: bool) -> Any:
    # SafeFileStorage reads every table of contents through a restricted unpickler.
    return (FileStorage if allow_unsafe_pickles else SafeFileStorage)(str(directory))


def open_whoosh(directory: Path, schema: Any, allow_unsafe_pickles: bool) -> Any:
    """The Whoosh index in ``directory``, searched with this searchlib's own ``schema``.

    Passing the schema means Whoosh never loads the pickled one (the manifest has already said
    that they match).
    """

    def read() -> Any:
        try:
            return storage(directory, allow_unsafe_pickles).open_index(schema=schema)
        except whoosh_index.EmptyIndexError as exc:
            raise IndexNotFoundError(f"no index at {directory}") from exc

    return on_latest_commit(directory, read)


def check_files(directory: Path, ix: Any, *, checksums: bool) -> None:
    """Check the latest commit's segment files (``safety.check_segments``), racing no commit."""
    on_latest_commit(directory, lambda: check_segments(directory, ix, checksums=checksums))


_TOC = re.compile(r"_.+_([0-9]+)\.toc")
_ATTEMPTS = 40


def latest_generation(directory: Path) -> int:
    """The generation of the newest table of contents in ``directory`` (-1 when none)."""
    try:
        names = os.listdir(directory)
    except OSError:
        return -1
    found = (_TOC.fullmatch(name) for name in names)
    return max((int(m.group(1)) for m in found if m), default=-1)


def on_latest_commit(directory: Path, read: Callable[[], T]) -> T:
    """``read()`` on the index's latest commit, started again while newer commits replace it.

    A commit in another process deletes the files of the segments it merged away, so a reader
    that read the previous table of contents a moment earlier may find a file gone. That is a
    race, not damage: the read starts again on the newer commit. A file still missing when no
    newer commit has come is damage; a file this user may not read is said to be that.
    """
    failure: BaseException | None = None
    for attempt in range(_ATTEMPTS):
        before = latest_generation(directory)
        try:
            return read()
        except SearchlibError:
            raise
        except PermissionError as exc:
            raise IndexPermissionError(
                f"cannot read the index at {directory}: {exc.strerror} for "
                f"{exc.filename or directory}; make its files readable by this user (an index "
                "built by another user needs the group or others to have read access)"
            ) from exc
        except Exception as exc:  # Whoosh raises many types on damaged files
            if not is_missing_file(exc):
                raise damaged(directory, exc) from exc
            failure = exc
            if latest_generation(directory) == before and attempt >= 2:
                missing = Path(getattr(exc, "filename", None) or str(exc)).name
                raise IndexCorruptError(
                    f"the index at {directory} is damaged: a file of its latest commit is "
                    f"missing ({missing}); " + REBUILD_ADVICE.format(directory=directory)
                ) from exc
            time.sleep(min(0.05, 0.001 * 2**attempt))
    raise IndexCorruptError(
        f"the index at {directory} kept changing while it was being read ({failure}); "
        "try again when the writer has finished"
    )


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
