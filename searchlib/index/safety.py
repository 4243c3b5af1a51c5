"""Checks an index must pass before searchlib trusts it: pickles it may load, files it may read.

**Pickles.** Whoosh keeps an index's schema and its list of segments as pickles in the table of
contents, ``_MAIN_<generation>.toc``, and reads it every time a reader or writer opens. Unpickling
runs code: a crafted TOC can name any importable callable (``os.system``) and have it called.
:class:`SafeFileStorage` therefore reads each TOC through a restricted unpickler that lets it name
only classes defined in Whoosh or searchlib and a short list of plain standard-library types;
anything else raises :class:`~searchlib.errors.UnsafeIndexError` before it is loaded. This is a
filter, not a sandbox. Whoosh also pickles posting blocks, inlined postings and stored fields inside
the segment files and unpickles them while searching; those pickles go through
:class:`DataUnpickler`, which allows plain standard-library values only (searchlib stores
nothing else there), whatever ``allow_unsafe_pickles`` says.

>>> allows = RestrictedUnpickler.allows
>>> allows("whoosh.fields", "Schema"), allows("os", "system"), allows("whoosh.index", "os.system")
(True, False, False)

**Damaged files.** Segment files never change once a commit has written them (deletions are kept
in the TOC), so a CRC-32 and size recorded for each one at commit time, in
``searchlib-checksums.json``, lets :func:`check_segments` tell a truncated or overwritten file
from a sound one before Whoosh trips over it in the middle of a search. Files without a record
(written by another program, or by a process killed between its commit and the record) are only
checked for existence and for a structure Whoosh can open.
"""

from __future__ import annotations

import _compat_pickle
import contextlib
import functools
import hashlib
import io
import json
import os
import pickle
import re
import shutil
import threading
import time
import zlib
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from searchlib.errors import IndexCorruptError, UnsafeIndexError
from searchlib.index.durable import write_atomically
from searchlib.index.manifest import MANIFEST_NAME

__all__ = [
    "CHECKSUMS_NAME",
    "RestrictedUnpickler",
    "SafeFileStorage",
    "check_segments",
    "record_checksums",
    "remove_leftovers",
    "remove_temporaries",
    "safe_loads",
]

CHECKSUMS_NAME = "searchlib-checksums.json"
REBUILD_ADVICE = (
    "restore it from a backup, or delete it and index the source files again "
    "(`searchlib index PATH... --index {directory}`)"
)

# Standard-library globals a TOC written by Whoosh 2.7 or whoosh-ng may name: containers and
# numbers pickled by reference, `re._compile` for compiled patterns in analyzers, and the helpers
# pickle itself uses for old protocols. None of them can reach the file system or run a command.
_STDLIB_GLOBALS = frozenset(
    {
        *(
            ("builtins", name)
            for name in (
                "bool",
                "bytearray",
                "bytes",
                "complex",
                "dict",
                "float",
                "frozenset",
                "int",
                "list",
                "object",
                "range",
                "set",
                "slice",
                "str",
                "tuple",
            )
        ),
        ("collections", "OrderedDict"),
        ("collections", "defaultdict"),
        ("collections", "deque"),
        ("copyreg", "_reconstructor"),
        ("_codecs", "encode"),
        ("array", "array"),
        ("array", "_array_reconstructor"),
        ("re", "_compile"),
        ("datetime", "date"),
        ("datetime", "datetime"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
    }
)
_TRUSTED_PACKAGES = ("whoosh", "searchlib")
# Trusted packages, but their classes load or run other code by design.
_DENIED_MODULES = frozenset({"whoosh.util.loading", "whoosh.multiproc"})
_TOC_NAME = re.compile(r"_.+_[0-9]+\.toc")


def _in_package(module: str, packages: tuple[str, ...] = _TRUSTED_PACKAGES) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that only resolves globals :meth:`allows`; ``where`` names the file for errors.

    >>> RestrictedUnpickler(io.BytesIO(pickle.dumps({"a": {1, 2}})), where="x").load()
    {'a': {1, 2}}
    >>> RestrictedUnpickler(io.BytesIO(pickle.dumps(os.getcwd)), where="x").load()
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    searchlib.errors.UnsafeIndexError: x names posix.getcwd, which is neither ...
    """

    def __init__(self, file: Any, *, where: str) -> None:
        super().__init__(file)
        self.where = where

    @staticmethod
    @functools.cache
    def allows(module: str, name: str) -> bool:
        """Whether a pickle may name ``module.name``: see the module docstring for the rule."""
        module, name = _python3_name(module, name)
        if (module, name) in _STDLIB_GLOBALS:
            return True
        # A class defined (not merely imported) in Whoosh or searchlib, named directly: a dotted
        # name such as "index.os.system" would walk attributes out of the package.
        if "." in name or not _in_package(module) or module in _DENIED_MODULES:
            return False
        try:
            found = pickle.Unpickler(io.BytesIO(b"")).find_class(module, name)
        except Exception:
            return False
        return (
            isinstance(found, type)
            and _in_package(getattr(found, "__module__", "") or "")
            and not issubclass(found, pickle.Unpickler)
        )

    def find_class(self, module: str, name: str) -> Any:
        if not self.allows(module, name):
            raise UnsafeIndexError(
                f"{self.where} names {module}.{name}, which is neither Whoosh's nor "
                "searchlib's; loading it could run arbitrary code, so searchlib refused. "
                "Open the index with allow_unsafe_pickles=True only if you trust where it "
                "came from"
            )
        module, name = _python3_name(module, name)
        return super().find_class(module, name)

    def persistent_load(self, pid: Any) -> Any:
        raise UnsafeIndexError(f"{self.where} holds a persistent reference; Whoosh writes none")


# Classes pickled into tables of contents by earlier releases, at their current homes (as
# _compat_pickle maps Python 2 names): 0.1.0 kept the postings format in ``searchlib.index``.
_MOVED = {("searchlib.index", "VarintPositions"): ("searchlib.index.positions", "VarintPositions")}


def _python3_name(module: str, name: str) -> tuple[str, str]:
    """Python 2 spellings (``__builtin__.set``, written by protocol 2) as Python 3 names, and
    classes searchlib has moved since a release pickled them, at their current homes."""
    if (module, name) in _MOVED:
        return _MOVED[(module, name)]
    if (module, name) in _compat_pickle.NAME_MAPPING:
        return _compat_pickle.NAME_MAPPING[(module, name)]
    return _compat_pickle.IMPORT_MAPPING.get(module, module), name


@functools.cache
def _data_global(module: str, name: str) -> Any:
    module, name = _python3_name(module, name)
    if (module, name) not in _STDLIB_GLOBALS:
        return None
    return pickle.Unpickler(io.BytesIO(b"")).find_class(module, name)


class DataUnpickler(pickle.Unpickler):
    """The unpickler of the data inside segment files: plain standard-library values only.

    Posting blocks, inlined postings, stored fields and column values are tuples, arrays,
    numbers, strings and dates; nothing in them names a class, so nothing may. Refused
    pickles raise :class:`~searchlib.errors.UnsafeIndexError`.

    >>> safe_loads(pickle.dumps({"id": "a", "n": (1, 2.5)}))
    {'id': 'a', 'n': (1, 2.5)}
    >>> safe_loads(pickle.dumps(os.getcwd))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    searchlib.errors.UnsafeIndexError: a segment file holds a pickle naming posix.getcwd...
    """

    def find_class(self, module: str, name: str) -> Any:
        found = _data_global(module, name)
        if found is None:
            raise UnsafeIndexError(
                f"a segment file holds a pickle naming {module}.{name}, which searchlib never "
                "writes there; loading it could run arbitrary code, so searchlib refused. The "
                "index was not written by searchlib: rebuild it from its source files"
            )
        return found

    def persistent_load(self, pid: Any) -> Any:
        raise UnsafeIndexError("a segment file holds a persistent pickle reference")


def safe_loads(data: bytes, *args: Any, **kwargs: Any) -> Any:
    """``pickle.loads`` for segment data, through :class:`DataUnpickler` (Whoosh's signature)."""
    # A buffered reader lets the C unpickler read ahead: about 1.5x pickle.loads, not 4x.
    return DataUnpickler(io.BufferedReader(io.BytesIO(data))).load()


# Digests of schema pickles already checked: Whoosh rereads the TOC for every new reader.
_checked_schemas: set[bytes] = set()


class _CheckedToc:
    """A TOC file as Whoosh reads it, with its two pickles checked on the way.

    Only the calls Whoosh's TOC reader makes are offered; anything else (the legacy loaders of
    very old formats read raw bytes) fails instead of bypassing the check.
    """

    def __init__(self, stream: Any, where: str) -> None:
        self._stream = stream
        self._where = where

    def read_varint(self) -> int:
        return self._stream.read_varint()

    def read_int(self) -> int:
        return self._stream.read_int()

    def read_string(self) -> bytes:
        data = self._stream.read_string()
        self._check_schema(data)
        return data

    def skip_string(self) -> None:
        # Whoosh skips the schema when searchlib supplies its own; check it all the same, so an
        # index that would run code when opened by anything else is refused here too.
        self._check_schema(self._stream.read_string())

    def read_pickle(self) -> Any:
        return RestrictedUnpickler(self._stream.file, where=self._where).load()

    def close(self) -> None:
        self._stream.close()

    def _check_schema(self, data: bytes) -> None:
        digest = hashlib.sha256(data).digest()
        if digest in _checked_schemas:
            return
        RestrictedUnpickler(io.BytesIO(data), where=self._where).load()
        if len(_checked_schemas) > 64:
            _checked_schemas.clear()
        _checked_schemas.add(digest)


class SafeFileStorage(FileStorage):
    """Whoosh's file storage, reading every table of contents through :class:`_CheckedToc`."""

    def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        stream = super().open_file(name, *args, **kwargs)
        if _TOC_NAME.fullmatch(name):
            return _CheckedToc(stream, os.path.join(self.folder, name))
        return stream


# -- segment checksums ---------------------------------------------------------------------


def _segment_files(directory: Path, ix: Any) -> dict[str, list[str]]:
    """Per segment id of the latest commit, the files in ``directory`` that belong to it.

    Read from the table of contents alone: no segment file is opened.
    """
    toc = TOC.read(ix.storage, ix.indexname, schema=ix.schema)
    names = sorted(os.listdir(directory))
    return {
        sid: [n for n in names if n.startswith(sid + ".")]
        for sid in (segment.segment_id() for segment in toc.segments)
    }


def _crc32(path: Path) -> str:
    crc = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return f"{crc:08x}"


# (path, size, mtime_ns, inode) -> crc: a process checks each segment file's bytes once.
_verified: dict[tuple[str, int, int, int], str] = {}
_verified_lock = threading.Lock()


def _cached_crc32(path: Path) -> str:
    info = path.stat()
    key = (str(path), info.st_size, info.st_mtime_ns, info.st_ino)
    with _verified_lock:
        if key in _verified:
            return _verified[key]
    value = _crc32(path)
    with _verified_lock:
        if len(_verified) > 4096:
            _verified.clear()
        _verified[key] = value
    return value


def _read_checksums(directory: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((directory / CHECKSUMS_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none recorded yet (or a damaged record): nothing to compare against
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def record_checksums(directory: Path, ix: Any) -> None:
    """Record size and CRC-32 of the latest commit's segment files not recorded yet.

    Called after a commit, once Whoosh has released the write lock; writers take turns through
    a lock of their own (``MAIN_CHECKSUMLOCK``), so none drops another's entries. Entries for
    files that no longer exist are dropped, and the record is replaced atomically. If the lock
    stays busy the record is skipped: those files then go unverified, never wrongly reported.
    """
    lock = ix.lock("CHECKSUMLOCK")
    deadline = time.monotonic() + 5.0
    while not lock.acquire(blocking=False):
        if time.monotonic() > deadline:
            return
        time.sleep(0.01)
    try:
        remove_temporaries(directory, f".{CHECKSUMS_NAME}.*.tmp")  # left by a writer killed here
        recorded = _read_checksums(directory)
        segments = _segment_files(directory, ix)
        present = set(os.listdir(directory))
        files = {name: entry for name, entry in recorded.items() if name in present}
        for names in segments.values():
            for name in names:
                if name not in files:
                    with contextlib.suppress(FileNotFoundError):  # merged away meanwhile
                        path = directory / name
                        files[name] = {"size": path.stat().st_size, "crc32": _cached_crc32(path)}
        if files != recorded:
            _replace_json(directory / CHECKSUMS_NAME, {"format": 1, "files": files})
    finally:
        lock.release()


def _replace_json(path: Path, data: Any) -> None:
    write_atomically(path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))


def remove_temporaries(directory: Path, pattern: str) -> None:
    """Delete files a killed process left half-written (call holding the lock that guards them)."""
    for leftover in directory.glob(pattern):
        leftover.unlink(missing_ok=True)


# What a writer writes besides committed segments: half-written tables of contents, temporary
# folders and files (Whoosh's own and searchlib's parallel writers'), compound-file temporaries.
_LEFTOVER = re.compile(r"_.+_[0-9]+\.toc\..+|.*\.tmp(\..*)?|.*\.ctmp|\..+\.[0-9a-f]{16}\.tmp")


def remove_leftovers(directory: Path, ix: Any) -> list[str]:
    """Delete what dead or failed writers left in ``directory``; the names removed.

    Call holding the index's write lock: no other writer is then running, so a temporary, or a
    segment file the latest table of contents does not name, belongs to a writer that died or
    whose commit failed (a full disk), and nothing will ever read it. Lock files, the manifest,
    the checksum record and the committed segments stay. Call it before the new writer makes
    temporaries of its own.
    """
    segments = _segment_files(directory, ix)
    live = {name for names in segments.values() for name in names}
    prefix = f"{ix.indexname}_"
    removed = []
    for child in directory.iterdir():
        name = child.name
        if name in live or name.endswith("LOCK") or name in (CHECKSUMS_NAME, MANIFEST_NAME):
            continue
        orphan_segment = name.startswith(prefix) and "." in name
        if not (orphan_segment or _LEFTOVER.fullmatch(name)):
            continue
        with contextlib.suppress(FileNotFoundError):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
            removed.append(name)
    return sorted(removed)


def check_segments(directory: Path, ix: Any, *, checksums: bool = True) -> None:
    """Raise :class:`IndexCorruptError` when a segment file of the latest commit is damaged.

    Every segment must have its files; a file with a recorded checksum must have the recorded
    size and, with ``checksums=True``, the recorded CRC-32 (each file's bytes are read once per
    process). A file that is gone raises ``FileNotFoundError``: the caller
    (:func:`~searchlib.index.storage.check_files`) tells a commit that merged it away meanwhile,
    and starts again, from damage.
    """
    segments = _segment_files(directory, ix)
    recorded = _read_checksums(directory)
    for segment_id, names in segments.items():
        if not names:
            raise FileNotFoundError(segment_id)
        for name in names:
            _check_file(directory / name, recorded.get(name), checksums)
    # Opening the segments checks their structure (whoosh-ng also validates them); a failure is
    # Whoosh's own exception, which the caller words.
    ix.reader().close()


def _check_file(path: Path, entry: dict[str, Any] | None, checksums: bool) -> None:
    size = path.stat().st_size
    if not isinstance(entry, dict):
        return
    if size != entry.get("size"):
        raise IndexCorruptError(
            f"the index at {path.parent} is damaged: {path.name} is {size} bytes, its commit "
            f"wrote {entry.get('size')} (truncated or overwritten); "
            + REBUILD_ADVICE.format(directory=path.parent)
        )
    if checksums and _cached_crc32(path) != entry.get("crc32"):
        raise IndexCorruptError(
            f"the index at {path.parent} is damaged: the bytes of {path.name} have changed "
            "since its commit wrote them (CRC-32 mismatch); "
            + REBUILD_ADVICE.format(directory=path.parent)
        )
