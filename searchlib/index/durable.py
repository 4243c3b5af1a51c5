"""Writing files so that a crash or a power cut leaves either the old file or the new one.

Internal to :mod:`searchlib.index`. A file is written under a unique temporary name, flushed to
disk (``fsync``), renamed over the old one, and the directory entry flushed too, as SQLite and
Lucene do. Files are created with mode ``0o666`` less the process umask, like Whoosh's own
segment files, so an index built by one user (a batch job) is readable by another (a web
server) exactly when its segments are.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_atomically(folder / "a.json", b"{}")
>>> (folder / "a.json").read_bytes()
b'{}'
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

__all__ = ["fsync_directory", "fsync_files", "write_atomically"]


def write_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step (see the module notes)."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    # O_EXCL with a random name: two processes writing at once never share a temporary.
    handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        fsync_directory(path.parent)


def fsync_files(paths: Iterable[Path]) -> None:
    """Flush each file's data to disk (files that are gone are skipped)."""
    for path in paths:
        try:
            handle = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def fsync_directory(directory: Path) -> None:
    """Flush a directory's entries (new and renamed names) to disk, where the OS allows it."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # e.g. Windows cannot open a directory; its renames are durable by design
    try:
        with contextlib.suppress(OSError):  # some file systems refuse fsync on a directory
            os.fsync(handle)
    finally:
        os.close(handle)
