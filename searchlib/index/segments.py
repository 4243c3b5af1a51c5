"""Fast segment writing (internal): a compact posting pool and parallel indexing over processes.

Profiling ``Index.add`` showed where Whoosh's writer spends its time besides analysis: its
posting pool keeps one 5-tuple per posting, sorts all of them, spills them to disk one pickle
per posting and merges them back, and while writing postings it reads each posting's field
length back from the segment's length file. :class:`FastSegmentWriter` is Whoosh's
``SegmentWriter`` with those parts replaced:

- :class:`CompactPostingPool` groups postings by field and term as they arrive (document
  numbers, weights and encoded positions in one flat list), sorts only the distinct terms, and
  spills a whole term per pickle when it reaches its memory limit;
- a text field's value goes to its postings format in one call (searchlib's analyzer hands over
  each term's positions without a token object per word) and its postings to the pool in one;
- adding to an empty index skips Whoosh's search for a document to replace, per document;
- writing the segment reads each document's field lengths once, not once per posting.

:class:`ParallelWriter` spreads documents over worker processes, each with its own
:class:`FastSegmentWriter` writing one segment, and commits their segments with its own in one
table of contents: all of it, or (on any error, or :meth:`~ParallelWriter.cancel`) none of it.
Deletions (and so updates by id) run in the parent against the committed index, as they do in a
single writer. Which worker gets which batch depends on timing, so documents with equal scores
may come back in another order after a parallel rebuild.

Only Whoosh's classic 2.7 writer interface is used (``SegmentWriter`` and its segment
finalisation, as Whoosh's own ``MpWriter`` uses it), so this runs on PyPI whoosh 2.7.4 too.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import pickle
import queue
import signal
import sys
import tempfile
import traceback
from array import array
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.fields import FieldType
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from searchlib.errors import SearchlibError
from searchlib.index.durable import fsync_directory, fsync_files
from searchlib.index.schema import ID

__all__ = ["CompactPostingPool", "FastSegmentWriter", "ParallelWriter", "available_cpus"]

# Estimated bytes per pooled posting: a document number, a weight, a reference to the encoded
# positions and those bytes (Whoosh's own pool needs about four times as much).
_POSTING_BYTES = 64
DEFAULT_POOL_MB = 256


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class CompactPostingPool:
    """A posting pool that groups postings by field and term instead of one tuple per posting.

    Takes postings a document field at a time (:meth:`add_field`) or, as Whoosh's pool does,
    one ``(fieldname, termbytes, docnum, weight, value)`` tuple at a time (:meth:`add`, used
    when segments are merged), and hands them to a segment's field writer field by field and
    term by term, sorted (:meth:`write`). Beyond ``limitmb`` (estimated) it spills its terms,
    sorted, to a temporary file in ``spill_dir``; :meth:`write` merges the spills back.

    A term's postings are one flat list ``[docnum, weight, value, docnum, ...]``: one list
    extension per posting, the cheapest a pool can do in Python (three array appends cost
    twice as much), in about the memory of three arrays. Terms of text are kept as text and
    encoded once per term when written, not once per posting (UTF-8 sorts as text does).
    """

    def __init__(self, spill_dir: str | None = None, limitmb: int = DEFAULT_POOL_MB) -> None:
        self.spill_dir = spill_dir
        self.limit: int = max(1, limitmb * 1024 * 1024 // _POSTING_BYTES)
        self.runs: list[Any] = []  # spill files (Whoosh's pool calls its spills runs)
        # field -> term (text, or bytes from merges and non-text fields) -> flat postings
        self._fields: dict[str, dict[str | bytes, list[Any]]] = {}
        self._count = 0
        self._last_docnum = -1
        self._ordered = True  # postings arrived in document order (true unless merging)

    @property
    def fieldnames(self) -> set[str]:
        return set(self._fields)

    def add_field(self, fieldname: str, docnum: int, items: Any, boost: float) -> int:
        """Pool one document's postings for one field; return the sum of their frequencies.

        ``items`` are Whoosh's ``(term, frequency, weight, value)``, their terms text (encoded as
        UTF-8 when written) or bytes.
        """
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
        if docnum < self._last_docnum:
            self._ordered = False
        self._last_docnum = docnum
        length = count = 0
        for term, freq, weight, value in items:
            entry = terms.get(term)
            if entry is None:
                terms[term] = [docnum, weight * boost, value]
            else:
                entry += (docnum, weight * boost, value)
            length += freq
            count += 1
        self._count += count
        if self._count >= self.limit:
            self.save()
        return length

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, tbytes, docnum, weight, value = item
        self.add_field(fieldname, docnum, ((tbytes, 0, weight, value),), 1.0)

    def save(self) -> None:
        """Spill the pooled terms, sorted, to a temporary file."""
        if not self._count:
            return
        spill = tempfile.TemporaryFile(prefix="searchlib-pool-", dir=self.spill_dir)  # noqa: SIM115
        dump = pickle.dump
        for key, docnums, weights, values in self._current():
            docbytes, weightbytes = array("I", docnums).tobytes(), array("d", weights).tobytes()
            dump((key, docbytes, weightbytes, values), spill, 4)
        spill.seek(0)
        self.runs.append(spill)
        self._fields = {name: {} for name in self._fields}
        self._count = 0

    def _current(self) -> Iterator[tuple[tuple[str, bytes], Any, Any, list]]:
        for fieldname in sorted(self._fields):
            keyed: dict[bytes, list[Any]] = {}
            for term, flat in self._fields[fieldname].items():
                key = term.encode("utf-8") if isinstance(term, str) else term
                other = keyed.get(key)
                if other is None:
                    keyed[key] = flat
                else:  # added as text (new documents) and as bytes (a merged segment)
                    keyed[key] = _by_docnum(other + flat)
            for key in sorted(keyed):
                flat = keyed[key]
                yield (fieldname, key), flat[0::3], flat[1::3], flat[2::3]

    @staticmethod
    def _read_spill(spill: Any) -> Iterator[tuple[tuple[str, bytes], array, array, list]]:
        load = pickle.load
        while True:
            try:
                key, docbytes, weightbytes, values = load(spill)
            except EOFError:
                return
            docnums = array("I")
            docnums.frombytes(docbytes)
            weights = array("d")
            weights.frombytes(weightbytes)
            yield key, docnums, weights, values

    def terms(self) -> Iterator[tuple[tuple[str, bytes], Any, Any, list[Any]]]:
        """``(key, docnums, weights, values)`` per term, in term order, postings in doc order."""
        for key, docnums, weights, values in self._merged():
            if not self._ordered:
                order = sorted(range(len(docnums)), key=docnums.__getitem__)
                docnums = [docnums[i] for i in order]
                weights = [weights[i] for i in order]
                values = [values[i] for i in order]
            yield key, docnums, weights, values

    def _merged(self) -> Iterator[tuple[tuple[str, bytes], array, array, list]]:
        if not self.runs:
            yield from self._current()
            return
        # Spills hold earlier documents than later spills and the pool: merge is stable, so a
        # term's postings from several sources come in document order.
        sources = [self._read_spill(spill) for spill in self.runs] + [self._current()]
        merged = heapq.merge(*sources, key=itemgetter(0))
        pending = next(merged, None)
        for item in merged:
            if pending is not None and item[0] == pending[0]:
                pending[1].extend(item[1])
                pending[2].extend(item[2])
                pending[3].extend(item[3])
                continue
            if pending is not None:
                yield pending
            pending = item
        if pending is not None:
            yield pending

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes | None]]:
        """Whoosh's pool interface: every posting as a tuple, sorted."""
        for (fieldname, tbytes), docnums, weights, values in self.terms():
            for docnum, weight, value in zip(docnums, weights, values, strict=True):
                yield fieldname, tbytes, docnum, weight, value

    def write(self, fieldwriter: Any, schema: Any, lengths: _FieldLengths | None) -> None:
        """Write every pooled posting to a Whoosh field writer, field by field, term by term."""
        current_field = None
        column: list[int] = []
        add = fieldwriter.add
        for (fieldname, tbytes), docnums, weights, values in self.terms():
            if fieldname != current_field:
                if current_field is not None:
                    fieldwriter.finish_field()
                fieldwriter.start_field(fieldname, schema[fieldname])
                current_field = fieldname
                column = lengths.column(fieldname) if lengths is not None else []
            fieldwriter.start_term(tbytes)
            blocks = _block_writer(fieldwriter)
            if blocks is not None:
                _fill_blocks(blocks, docnums, weights, values, column)
            elif column:
                for docnum, weight, value in zip(docnums, weights, values, strict=True):
                    add(docnum, weight, b"" if value is None else value, column[docnum])
            else:
                for docnum, weight, value in zip(docnums, weights, values, strict=True):
                    add(docnum, weight, b"" if value is None else value, 0)
            fieldwriter.finish_term()
        if current_field is not None:
            fieldwriter.finish_field()

    def cleanup(self) -> None:
        for spill in self.runs:
            spill.close()
        self.runs = []
        self._fields = {}
        self._count = 0


#: Whether :meth:`CompactPostingPool.write` fills Whoosh's posting blocks a block at a time
#: (tests switch it off to compare with Whoosh's posting-at-a-time path).
BLOCK_FILL = True


def _block_writer(fieldwriter: Any) -> Any:
    """The Whoosh 3 postings writer behind ``fieldwriter`` whose block buffer
    :func:`_fill_blocks` may fill directly, or None (then postings go one at a time)."""
    if not BLOCK_FILL:
        return None
    writer = getattr(fieldwriter, "_postwriter", None)
    if type(writer) is not W3PostingsWriter or writer._byteids:
        return None
    return writer


def _fill_blocks(writer: Any, docnums: Any, weights: Any, values: list[Any], column: Any) -> None:
    """Buffer one term's postings in a Whoosh 3 postings writer a block at a time.

    Whoosh's ``add_posting`` takes one posting per call (type checks, appends and block
    statistics each time: a third of writing a segment). This leaves the writer in the state
    those calls would, with the same block boundaries: a block is written when the next
    posting would not fit, and the last stays buffered for ``finish_postings``, which (like the
    block encoding) stays Whoosh's own on each version. ``tests/index/test_block_fill.py``
    checks that the segment files come out byte for byte the same.
    """
    limit = writer._blocklimit
    total = len(docnums)
    for start in range(0, total, limit):
        if start:
            writer._write_block()
        # Each block starts from the empty buffer that ``start_postings`` and ``_write_block``
        # leave (no postings, no lengths, weight 0), so its statistics are the chunk's own.
        end = min(total, start + limit)
        ids = docnums[start:end]
        block_weights = weights[start:end]
        writer._ids.extend(ids)
        writer._weights.extend(
            block_weights.tolist() if isinstance(block_weights, array) else block_weights
        )
        top = max(block_weights)
        if top > writer._maxweight:
            writer._maxweight = top
        # add_posting keeps only non-empty values and non-zero lengths
        writer._values.extend([value for value in values[start:end] if value])
        if column:
            lengths = [length for length in map(column.__getitem__, ids) if length]
            if lengths:
                writer._minlength = min(lengths)
                writer._maxlength = max(lengths)


def _by_docnum(flat: list[Any]) -> list[Any]:
    """Flat postings ``[docnum, weight, value, ...]`` in document order (stable)."""
    order = sorted(range(0, len(flat), 3), key=flat.__getitem__)
    return [item for i in order for item in flat[i : i + 3]]


class _FieldLengths:
    """The field lengths of a new segment, read once per document and field."""

    def __init__(self, reader: Any, doc_count: int) -> None:
        self._reader = reader
        self._doc_count = doc_count

    def column(self, fieldname: str) -> list[int]:
        read = self._reader.doc_field_length
        return [read(docnum, fieldname, 0) for docnum in range(self._doc_count)]


def _direct_index(field: Any) -> bool:
    """Whether a field indexes text through its format (so terms can be pooled as text)."""
    return type(field).index is FieldType.index and field.format is not None


class FastSegmentWriter(SegmentWriter):
    """Whoosh's ``SegmentWriter`` with a :class:`CompactPostingPool` (see the module notes).

    ``limitmb`` is the pool's memory estimate before it spills to disk. ``durable`` makes the
    commit return only when the segment files, the table of contents and the directory entry
    are on disk (``fsync``, as Lucene and SQLite do); Whoosh itself never calls ``fsync``.
    """

    def __init__(
        self, ix: Any, limitmb: int = DEFAULT_POOL_MB, *, durable: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.durable = durable
        # Operations on one id apply in order within a batch, as Lucene's buffered deletes do:
        # Whoosh's own writer deletes only from committed segments, so a second add of an id
        # (or an add then a delete) would leave the earlier document in the new segment.
        self._buffered: dict[str, Any] = {}  # id -> where its latest buffered document is
        self._superseded: set[Any] = set()  # where the buffered documents replaced since are
        spill_dir = getattr(self.storage, "folder", None)
        self.pool: CompactPostingPool = CompactPostingPool(spill_dir, limitmb=limitmb)
        # Spelling and term-vector fields take Whoosh's own path (searchlib has neither).
        self._simple = not any(
            field.separate_spelling() or field.vector for _name, field in self.schema.items()
        )
        self._direct: dict[str, bool] = {}

    def update_document(self, **fields: Any) -> None:
        # Into an empty index there is nothing to replace: skip Whoosh's search per document.
        if not self.segments:
            self.add_document(**fields)
        else:
            super().update_document(**fields)

    def delete_by_term(self, fieldname: str, text: Any, searcher: Any = None) -> int:
        count = super().delete_by_term(fieldname, text, searcher=searcher)
        if fieldname == ID and self._supersede(str(text)):
            count += 1
        return int(count)

    def _supersede(self, doc_id: str) -> bool:
        """Mark the buffered document with ``doc_id``, if any, as replaced; whether there was."""
        docnum = self._buffered.pop(doc_id, None)
        if docnum is None:
            return False
        self._superseded.add(docnum)
        return True

    def add_document(self, **fields: Any) -> None:
        docnum = self.docnum
        self._add(**fields)
        # Noted once added: a document that failed to add replaces nothing.
        self._note_id(fields, docnum)

    def _note_id(self, fields: dict[str, Any], where: Any) -> None:
        doc_id = fields.get(ID)
        if isinstance(doc_id, str):
            self._supersede(doc_id)
            self._buffered[doc_id] = where

    def _add(self, **fields: Any) -> None:
        if not self._simple:
            super().add_document(**fields)
            return
        self._check_state()
        schema = self.schema
        perdoc = self.perdocwriter
        pool = self.pool
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, name, docboost)
                    direct = self._direct.get(name)
                    if direct is None:
                        direct = self._direct[name] = _direct_index(field)
                    if direct and isinstance(value, str):
                        items = field.format.word_values(value, field.analyzer, mode="index")
                        length = pool.add_field(name, docnum, items, boost)
                    else:
                        length = pool.add_field(name, docnum, field.index(value), boost)
                    if not field.scorable:
                        length = 0
                stored = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    perdoc.add_column_value(name, column, field.to_column_value(stored))
        except ValueError:
            cancel = getattr(perdoc, "cancel_doc", None)
            if cancel is not None:
                cancel()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _commit_toc(self, segments: Any) -> None:
        self._delete_superseded(segments)
        # Segment data reaches the disk before the table of contents that names it, and the
        # table of contents (renamed into place by Whoosh) before the commit returns.
        folder = getattr(self.storage, "folder", None)
        if not self.durable or folder is None:
            super()._commit_toc(segments)
            return
        directory = Path(folder)
        ids = tuple(f"{segment.segment_id()}." for segment in segments)
        fsync_files(directory / name for name in os.listdir(directory) if name.startswith(ids))
        super()._commit_toc(segments)
        fsync_files([directory / f"_{self.indexname}_{self.generation}.toc"])
        fsync_directory(directory)

    def _delete_superseded(self, segments: Any) -> None:
        """Record the replaced buffered documents as deleted in the new segment, which the table
        of contents then stores with its deletions (one commit: never visible twice)."""
        if not self._superseded:
            return
        new_id = self.newsegment.segment_id()
        for segment in segments:
            if segment.segment_id() == new_id:
                for docnum in sorted(self._superseded):
                    segment.delete_document(docnum - self.docbase)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        try:
            lengths = None
            if reader is not None:
                lengths = _FieldLengths(reader, self.docnum - self.docbase)
            self.pool.write(self.fieldwriter, self.schema, lengths)
            self.fieldwriter.close()
        finally:
            if reader is not None:
                reader.close()


# -- parallel indexing ------------------------------------------------------------------------

_STOP = None


def _mp_context() -> Any:
    # On Linux, fork: workers start at once, share the word tables learnt so far, and need no
    # `if __name__ == "__main__"` guard in the caller's script (spawn and forkserver re-run the
    # main module). Elsewhere, the platform's default (spawn on Windows and macOS).
    import multiprocessing  # here, not at import: searching needs none of it (start-up)

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


# How often a worker waiting for work checks that its parent is still alive, in seconds.
_PARENT_CHECK = 1.0
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _tie_to_parent(parent: int, inherited_fds: list[int]) -> None:
    """Make a forked worker die with its parent and give up the parent's write lock.

    A forked child shares the parent's open lock file: while any copy of that descriptor is
    open the kernel keeps the ``flock``, so an orphaned worker would hold the index's write lock
    after its parent was killed, and every later writer would wait forever. The worker closes
    its copy (the parent's stays locked) and, on Linux, asks the kernel for SIGKILL when the
    parent dies; the queue loop also checks the parent every second, for other systems.
    """
    for fd in inherited_fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was in place
        os._exit(1)


def _next_job(jobs: Any, parent: int) -> Any:
    while True:
        try:
            return jobs.get(timeout=_PARENT_CHECK)
        except queue.Empty:
            if os.getppid() != parent:
                os._exit(1)  # orphaned: nobody will commit this segment


def _worker_main(
    ix: Any,
    tempname: str,
    limitmb: int,
    jobs: Any,
    results: Any,
    parent: int,
    inherited_fds: list[int],
) -> None:
    """A worker: add every batch of documents from ``jobs`` to one segment, report it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what an interrupt means
    _tie_to_parent(parent, inherited_fds)
    try:
        writer = FastSegmentWriter(ix, _lk=False, tempname=tempname, limitmb=limitmb)
        added = 0
        starts: list[tuple[int, int]] = []
        while True:
            job = _next_job(jobs, parent)
            if job is _STOP:
                break
            batch_no, batch = job
            # Where each batch starts in this segment, so the parent can delete a document a
            # later operation on its id replaced.
            starts.append((batch_no, writer.docnum - writer.docbase))
            for fields in batch:
                writer.add_document(**fields)
            added += len(batch)
        segment = None
        if added:
            segment = writer._finalize_segment()
        else:
            writer._close_segment()
        results.put(("done", os.getpid(), (segment, starts)))
    except BaseException as exc:
        detail = traceback.format_exc()
        try:
            pickle.dumps(exc)
        except Exception:
            exc = SearchlibError(f"{type(exc).__name__}: {exc}")
        results.put(("error", os.getpid(), (exc, detail)))


class ParallelWriter(FastSegmentWriter):
    """Index documents in ``procs`` worker processes; commit their segments atomically.

    The parent holds the index's write lock (taken here, as by any writer), sends documents to
    the workers in batches of ``batch_size`` and applies deletions itself.
    """

    def __init__(
        self,
        ix: Any,
        procs: int,
        *,
        batch_size: int = 100,
        limitmb: int = DEFAULT_POOL_MB,
        **kwargs: Any,
    ) -> None:
        self._tempname = f"{ix.indexname}.tmp.{random_name()}"
        super().__init__(ix, limitmb=limitmb, tempname=self._tempname, **kwargs)
        self._ix = ix
        self._procs = max(1, procs)
        self._batch_size = batch_size
        self._limitmb = limitmb
        self._batch: list[dict[str, Any]] = []
        self._workers: list[Any] = []
        self._jobs: Any = None
        self._results: Any = None
        self._worker_segments: list[Any] = []
        self._failure: tuple[BaseException, str] | None = None
        self._sent = 0  # batches sent so far: the number of the batch being filled
        self._batch_starts: dict[int, tuple[Any, int]] = {}  # batch -> (segment, first docnum)

    # Documents go to the workers; everything else (deletions, merges) happens here.

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        if self._failure is not None:
            self._raise_failure()
        self._note_id(fields, (self._sent, len(self._batch)))
        self._batch.append(fields)
        if len(self._batch) >= self._batch_size:
            self._send_batch()

    def _start_workers(self) -> None:
        context = _mp_context()
        self._jobs = context.Queue(maxsize=self._procs)
        self._results = context.Queue()
        lock_fd = getattr(self.writelock, "fd", None)
        forked = context.get_start_method() == "fork"  # only a forked child has the parent's fds
        inherited = [lock_fd] if forked and isinstance(lock_fd, int) else []
        for _ in range(self._procs):
            process = context.Process(
                target=_worker_main,
                args=(
                    self._ix,
                    self._tempname,
                    self._limitmb,
                    self._jobs,
                    self._results,
                    os.getpid(),
                    inherited,
                ),
                daemon=True,
            )
            process.start()
            self._workers.append(process)

    def _send_batch(self) -> None:
        if not self._batch:
            return
        if not self._workers:
            self._start_workers()
        batch, self._batch = self._batch, []
        self._put((self._sent, batch))
        self._sent += 1

    def _put(self, item: Any) -> None:
        """Queue ``item`` for the workers, checking on them while the queue is full."""
        while True:
            try:
                self._jobs.put(item, timeout=0.5)
                return
            except queue.Full:
                self._check_workers()

    def _check_workers(self) -> None:
        """Raise if a worker reported an error or died (so the parent never waits forever)."""
        self._drain_results(block=False)
        if self._failure is None:
            for process in self._workers:
                if process.exitcode not in (None, 0):
                    self._failure = (
                        SearchlibError(f"an indexing worker died (exit code {process.exitcode})"),
                        "",
                    )
                    break
        if self._failure is not None:
            self._raise_failure()

    def _drain_results(self, block: bool, timeout: float = 0.5) -> None:
        while True:
            try:
                kind, _pid, payload = self._results.get(block=block, timeout=timeout)
            except queue.Empty:
                return
            if kind == "done":
                segment, starts = payload
                if segment is not None:
                    self._worker_segments.append(segment)
                    for batch_no, start in starts:
                        self._batch_starts[batch_no] = (segment, start)
                self._finished += 1
            elif self._failure is None:
                exc, detail = payload
                exc.add_note(f"in an indexing worker process:\n{detail}")
                self._failure = (exc, detail)
            if not block:
                continue
            return

    def _raise_failure(self) -> None:
        # The failed worker's documents are lost, so this writer can only be cancelled now:
        # stop the others, and raise the same error from every later call but cancel().
        self._stop_workers()
        raise self._failure[0]  # type: ignore[index]

    def _collect_segments(self) -> None:
        """Tell the workers to finish and wait for each one's segment (or first error)."""
        self._send_batch()
        if not self._workers:
            return
        for _ in self._workers:
            self._put(_STOP)
        self._finished = 0
        while self._finished < len(self._workers) and self._failure is None:
            self._drain_results(block=True)
            if self._finished < len(self._workers) and self._failure is None:
                alive = [p for p in self._workers if p.exitcode is None]
                crashed = [p for p in self._workers if p.exitcode not in (None, 0)]
                if crashed or (not alive and self._results.empty()):
                    self._check_workers()
                    if self._failure is None:
                        self._failure = (SearchlibError("an indexing worker stopped early"), "")
        if self._failure is not None:
            self._raise_failure()
        for process in self._workers:
            process.join()
        self._workers = []
        self._close_channels()

    def _stop_workers(self) -> None:
        for process in self._workers:
            if process.exitcode is None:
                process.terminate()
        for process in self._workers:
            process.join(timeout=5)
        self._workers = []
        self._close_channels()

    def _close_channels(self) -> None:
        for channel in (self._jobs, self._results):
            if channel is not None:
                channel.close()
                channel.cancel_join_thread()
        self._jobs = self._results = None

    # Commit adds the workers' segments to the table of contents this writer writes.

    _finished = 0

    def commit(self, *args: Any, **kwargs: Any) -> None:
        self._check_state()
        if self._failure is not None:
            self._raise_failure()
        self._collect_segments()
        super().commit(*args, **kwargs)

    def _commit_toc(self, segments: Any) -> None:
        super()._commit_toc(list(segments) + self._worker_segments)

    def _delete_superseded(self, segments: Any) -> None:
        # Replaced documents were written by workers: find them by batch and place in it.
        for batch_no, index in sorted(self._superseded):
            segment, start = self._batch_starts[batch_no]
            segment.delete_document(start + index)

    def cancel(self) -> None:
        self._stop_workers()
        self._batch = []
        super().cancel()


# -- choosing a writer ------------------------------------------------------------------------

#: A batch this large is worth starting worker processes for (starting them costs about as much
#: as indexing a few dozen documents; the gain is about 2x on two cores from a few thousand on).
PARALLEL_MIN_DOCS = 1000
WORKERS_ENV = "SEARCHLIB_WORKERS"


def parallel_plan(documents: Any, workers: int | None) -> tuple[int, Any]:
    """How many processes should write ``documents``, and the documents to write.

    ``workers=None`` means the ``SEARCHLIB_WORKERS`` environment variable, else every CPU; a
    batch shorter than :data:`PARALLEL_MIN_DOCS` is written in this process either way. An
    iterator is peeked at (and the peeked documents are put back in front).
    """
    if workers is None:
        try:
            workers = int(os.environ.get(WORKERS_ENV, "") or available_cpus())
        except ValueError:
            workers = available_cpus()
    if workers <= 1:
        return 1, documents
    try:
        size = len(documents)
    except TypeError:
        iterator = iter(documents)
        head = []
        for document in iterator:
            head.append(document)
            if len(head) >= PARALLEL_MIN_DOCS:
                break
        documents = _chain(head, iterator)
        size = len(head)
    return (workers if size >= PARALLEL_MIN_DOCS else 1), documents


def _chain(head: list[Any], rest: Iterator[Any]) -> Iterator[Any]:
    yield from head
    head.clear()
    yield from rest


def new_writer(ix: Any, procs: int = 1, **kwargs: Any) -> Any:
    """A writer for ``ix``: :class:`ParallelWriter` over ``procs`` processes, or in-process."""
    if procs > 1:
        return ParallelWriter(ix, procs, **kwargs)
    return FastSegmentWriter(ix, **kwargs)
