"""Every use of Whoosh internals, and every difference between Whoosh versions, in one place.

searchlib builds on the classic Whoosh 2.7 API and runs on PyPI ``whoosh`` 2.7.4 and on
``whoosh-ng`` 5.x. Where speed or correctness needs more than the public API (reading posting
blocks whole, a segment's length column, BM25F's per-field ``B``, Whoosh's error types), the
access is written here,
guarded so that a matcher or reader without those internals takes the public, slower path; and
``tests/test_whoosh_compat.py`` pins each one on the installed Whoosh.

One other place relies on Whoosh internals by design: :mod:`searchlib.index.segments`
subclasses ``whoosh.writing.SegmentWriter`` (Whoosh's extension point for writers), overriding
``add_document``, ``_flush_segment`` and ``_commit_toc``; its tests check that it writes what
Whoosh's own writer writes.

>>> text_of(b"korea"), text_of("korea")
('korea', 'korea')
"""

from __future__ import annotations

import bisect
import io
import itertools
import random
from collections.abc import Sequence
from typing import Any

from whoosh import index as whoosh_index
from whoosh import matching as whoosh_matching
from whoosh import query as whoosh_query
from whoosh.filedb.structfile import BufferFile
from whoosh.query import QueryError as WhooshQueryError
from whoosh.support.levenshtein import damerau_levenshtein as damerau_levenshtein
from whoosh.system import _INT_SIZE, pack_uint, unpack_uint
from whoosh.util.numeric import length_to_byte

__all__ = [
    "AndNot",
    "AndNotMatcher",
    "block_postings",
    "damerau_levenshtein",
    "deleted_docnums",
    "field_b",
    "is_missing_file",
    "is_query_error",
    "load_ids",
    "map_compound_files",
    "pack_uint",
    "postings_at",
    "restrict_data_pickles",
    "search_keeping_matchers",
    "segment_length_bytes",
    "text_of",
    "true_negations",
    "unpack_count",
    "use_private_random_names",
]

# The matcher attributes of Whoosh's on-disk posting lists (whoosh.codec.whoosh3.W3LeafMatcher,
# the same in 2.7.4 and whoosh-ng 5.x) that block-at-a-time reading needs.
_BLOCK_API = ("_read_ids", "_read_weights", "_read_values", "_next_block", "_i")


# Whoosh modules that unpickle segment data with a module-level ``loads`` (both versions).
_DATA_PICKLE_MODULES = (
    "whoosh.codec.whoosh3",
    "whoosh.columns",
    "whoosh.codec.whoosh2",
    "whoosh.codec.plaintext",
    "whoosh.filedb.misc",
)


def restrict_data_pickles(loads: Any) -> list[str]:
    """Make Whoosh unpickle segment data (posting blocks, stored fields, columns) with
    ``loads``; the modules patched.

    Whoosh's codecs call a module-level ``loads`` (``from pickle import loads``, or
    ``whoosh.compat.loads`` in 2.7.4) on bytes read from segment files: replacing that name
    puts a restricted unpickler on every path that reads a segment, in both versions. Tables of
    contents are read elsewhere (:class:`searchlib.index.safety.SafeFileStorage`).
    """
    import importlib

    patched = []
    for name in _DATA_PICKLE_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for attribute in ("loads", "depickle"):
            if callable(getattr(module, attribute, None)):
                setattr(module, attribute, loads)
                patched.append(f"{name}.{attribute}")
    return patched


def use_private_random_names() -> None:
    """Make Whoosh's segment and temporary-file names independent of the global ``random``.

    Whoosh names new segments and temporaries with ``whoosh.util.random_name``, which draws
    from the ``random`` module's global generator: an application that calls
    ``random.seed(42)`` before each run (tests, ML scripts) gets the same names every run, and
    the second run's commit collides with the first's segment. Both Whoosh versions look the
    generator up as ``whoosh.util.random``; it becomes a ``SystemRandom`` (the OS's entropy,
    no state to seed or to share across a fork). Called when :mod:`searchlib.index` loads.
    """
    import whoosh.util

    if not isinstance(getattr(whoosh.util, "random", None), random.SystemRandom):
        whoosh.util.random = random.SystemRandom()  # type: ignore[attr-defined]


class _ViewFile:
    """A read-only file over a memoryview: ``read``, ``readline``, ``readinto``, ``seek`` and
    ``tell`` as ``io.BytesIO`` has them, copying only the bytes each read returns."""

    def __init__(self, view: Any) -> None:
        self._view = memoryview(view)
        self._pos = 0
        self.closed = False

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        end = max(start, end)
        self._pos = end
        return bytes(self._view[start:end])

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        view, start = self._view, self._pos
        end = len(view) if size is None or size < 0 else min(start + size, len(view))
        # Look for the newline a few KB at a time: a line is short, the file may not be.
        stop = end
        for chunk in range(start, end, 4096):
            found = bytes(view[chunk : min(chunk + 4096, end)]).find(b"\n")
            if found >= 0:
                stop = chunk + found + 1
                break
        return self.read(max(0, stop - start))

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._view)}[whence]
        if base + offset < 0:
            raise ValueError(f"negative seek position {base + offset}")
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        return self._pos

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True
        self._view.release()


class MappedBufferFile(BufferFile):  # type: ignore[misc]
    """A file inside a memory-mapped compound segment, read in place.

    Whoosh opens each file of a segment as a ``BufferFile`` over a slice of the segment's
    memory map, and that class copies the slice into a ``BytesIO`` for the few reads that
    stream (headers: ``read``, ``seek``, ``read_pickle``); the term table, postings and stored
    fields are read by position (``get``), straight from the map. So every reader copied its
    whole segment into private memory as it opened (166 MB in 106 ms for a 20k index's two
    segments, opened twice). Here streamed reads slice the map (:class:`_ViewFile`).
    """

    def __init__(self, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        self._buf = buf
        self._name = name
        self.file = _ViewFile(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False


def map_compound_files() -> None:
    """Make Whoosh read the files of a memory-mapped compound segment in place
    (:class:`MappedBufferFile`); both versions look the class up as
    ``whoosh.filedb.compound.BufferFile`` when a segment opens a file. Called when
    :mod:`searchlib.index` loads."""
    import whoosh.filedb.compound as compound

    if compound.BufferFile is BufferFile:
        compound.BufferFile = MappedBufferFile  # type: ignore[misc]


def text_of(value: Any) -> str:
    """A term as text: Whoosh gives terms as bytes or str depending on version and call."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def unpack_count(valuestring: bytes) -> tuple[int, int]:
    """The count that starts a positions value, and the offset of what follows it."""
    return unpack_uint(valuestring[:_INT_SIZE])[0], _INT_SIZE


def field_b(weighting: Any, field: str) -> float:
    """BM25F's ``B`` for ``field`` (Whoosh keeps per-field overrides in ``_field_B``)."""
    return float(getattr(weighting, "_field_B", {}).get(field, weighting.B))


def has_field_b_overrides(weighting: Any) -> bool:
    """Whether a BM25F weighting has per-field ``B`` values."""
    return bool(getattr(weighting, "_field_B", None))


def is_missing_file(exc: BaseException) -> bool:
    """Whether ``exc`` says a file of the index is not there (a race with a commit, or damage).

    whoosh-ng checks segments as it opens them and raises ``IndexCorruptedError`` ("Segment file
    ... is missing"); 2.7.4 lets the ``FileNotFoundError`` through.

    >>> is_missing_file(FileNotFoundError(2, "No such file")), is_missing_file(ValueError())
    (True, False)
    """
    if isinstance(exc, FileNotFoundError):
        return True
    corrupted = getattr(whoosh_index, "IndexCorruptedError", None)
    return corrupted is not None and isinstance(exc, corrupted) and "missing" in str(exc)


def is_query_error(exc: BaseException) -> bool:
    """Whether ``exc`` is Whoosh's own "this query cannot run" error (``whoosh.query.QueryError``,
    the same class in 2.7.4 and whoosh-ng: e.g. a phrase on a field without positions).

    >>> is_query_error(WhooshQueryError("x")), is_query_error(ValueError("x"))
    (True, False)
    """
    return isinstance(exc, WhooshQueryError)


def block_postings(matcher: Any, values: bool = False, weights: bool = True) -> Any:
    """``(ids, weights, values)`` of a posting list, a decoded block at a time where the matcher
    is Whoosh's on-disk one, else one posting at a time (weights and values are None unless
    asked for)."""
    if all(hasattr(matcher, a) for a in _BLOCK_API):
        while matcher.is_active():
            load_ids(matcher)
            start = matcher._i
            if not weights:
                yield matcher._ids[start:], None, None
                matcher._next_block()
                continue
            matcher._read_weights()
            if values:
                matcher._read_values()
                block_values = matcher._values[start:]
            else:
                block_values = None
            yield matcher._ids[start:], matcher._weights[start:], block_values
            matcher._next_block()
        return
    ids, weights, vals = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        vals.append(matcher.value() if values else None)
        matcher.next()
    yield ids, weights, vals if values else None


def postings_at(
    matcher: Any, targets: Sequence[int], values: bool = False
) -> dict[int, tuple[float, Any]]:
    """``docnum -> (weight, value)`` of a posting list at the ``targets`` (sorted docnums) it
    has; whole blocks without a target are skipped unread (values are None unless asked for).

    The rerank and the written-form bonus look up a few dozen documents in long posting lists,
    which Whoosh's ``skip_to`` walks a posting at a time inside each block.
    """
    out: dict[int, tuple[float, Any]] = {}
    if not all(hasattr(matcher, a) for a in (*_BLOCK_API, "block_max_id")):
        for docnum in targets:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                out[docnum] = (matcher.weight(), matcher.value() if values else None)
        return out
    i, count = 0, len(targets)
    while i < count and matcher.is_active():
        last = matcher.block_max_id()
        if targets[i] > last:
            matcher._next_block()
            continue
        load_ids(matcher)
        ids = matcher._ids
        read = False
        while i < count and targets[i] <= last:
            j = bisect.bisect_left(ids, targets[i])
            if j < len(ids) and ids[j] == targets[i]:
                if not read:
                    matcher._read_weights()
                    if values:
                        matcher._read_values()
                    read = True
                out[targets[i]] = (matcher._weights[j], matcher._values[j] if values else None)
            i += 1
        matcher._next_block()
    return out


def load_ids(matcher: Any) -> None:
    """Decode the current block's document numbers (Whoosh's ``_read_ids``, with the running
    sum of the stored gaps taken in C rather than by a Python generator)."""
    if getattr(matcher, "_ids", None) is not None:
        return
    if not all(hasattr(matcher, a) for a in ("_data", "_byteids", "_read_data")):
        matcher._read_ids()
        return
    if matcher._data is None:
        matcher._read_data()
    ids = matcher._data[0]
    matcher._ids = ids if matcher._byteids else tuple(itertools.accumulate(ids))


def deleted_docnums(sub: Any) -> Any:
    """The deleted document numbers of the segment reader ``sub`` (its per-document reader's
    list where it has one, else asked document by document)."""
    perdoc = getattr(sub, "_perdoc", None)
    if perdoc is not None and hasattr(perdoc, "deleted_docs"):
        return perdoc.deleted_docs()
    return (docnum for docnum in range(sub.doc_count_all()) if sub.is_deleted(docnum))


def segment_length_bytes(sub: Any, field: str, count: int) -> bytes | bytearray:
    perdoc = getattr(sub, "_perdoc", None)
    column = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is not None and all(hasattr(column, a) for a in ("_dbfile", "_basepos", "_count")):
        raw = column._dbfile.get(column._basepos, min(column._count, count))
        return raw + bytes(count - len(raw))
    # Any other reader: ask for each document's length (slower, once per searcher).
    out = bytearray(count)
    for docnum in range(count):
        length = sub.doc_field_length(docnum, field, 0) or 0
        out[docnum] = length_to_byte(length) if length else 0
    return out


def search_keeping_matchers(searcher: Any, q: Any, **kwargs: Any) -> Any:
    """``searcher.search(q, **kwargs)`` with the collector never rebuilding the matcher tree.

    Whoosh's collectors replace the matcher tree every ten matches, dropping finished
    sub-matchers; a ``CoordMatcher`` (an OR's coordination scale) rebuilt that way counts fewer
    terms, so a document's score would depend on where it lies in the index, and no
    explanation could reproduce it. Used for queries with a coordination scale.
    """
    collector = searcher.collector(**kwargs)
    inner = collector
    while inner is not None:
        if isinstance(getattr(inner, "replace", None), int):
            inner.replace = 0
        inner = getattr(inner, "child", None)
    searcher.search_with_collector(q, collector)
    return collector.results()


class AndNotMatcher(whoosh_matching.AndNotMatcher):  # type: ignore[misc]
    """Whoosh's AND-NOT matcher with its first match excluded like every other.

    Whoosh's ``AndNotMatcher`` (2.7.4 and whoosh-ng alike) looks for an excluded document at
    the start only when both sides already stand on the same document. When the excluded list
    starts earlier (``b`` at 2, ``a`` at 5, ``b`` also holding 5) it never moves ``b`` up, so
    ``a``'s first document is returned although it is excluded: ``x ANDNOT y`` could match a
    document with ``y``. Here the start moves ``b`` up to ``a`` as every later step does, and a
    step that leaves ``a`` finished stops (Whoosh read the id of the finished matcher).
    """

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            self._find_next()

    def _find_next(self) -> Any:
        if not self.a.is_active():
            return False
        return super()._find_next()


class AndNot(whoosh_query.AndNot):  # type: ignore[misc]
    """``a ANDNOT b``, matched by :class:`AndNotMatcher`; otherwise Whoosh's ``AndNot``.

    Whoosh rebuilds a query through ``self.__class__`` (``normalize``, ``apply``,
    ``with_boost``), so the class survives every rewrite.

    >>> q = AndNot(whoosh_query.Term("body", "a"), whoosh_query.Term("body", "b"))
    >>> type(q.normalize()).__name__, isinstance(q, whoosh_query.AndNot)
    ('AndNot', True)
    """

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        scored = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return AndNotMatcher(scored, excluded)


def true_negations(q: Any) -> Any:
    """``q`` with every Whoosh ``AndNot`` node an :class:`AndNot` (see its matcher's fix)."""

    def fix(node: Any) -> Any:
        return AndNot(node.a, node.b) if type(node) is whoosh_query.AndNot else node

    return q.accept(fix)
