"""Writing from many threads: a buffered writer that commits in the background.

An :class:`~searchlib.Index` has one writer, and a commit is worth batching: committing after
every document is slow, and threads taking turns at the write lock would wait on each other.
:class:`BufferedWriter` gives every thread a non-blocking :meth:`~BufferedWriter.add`; one
background thread applies the operations in the order they arrived and commits every
``batch_size`` operations, or ``interval`` seconds after the first uncommitted one.

>>> import tempfile
>>> from searchlib import Document, Index
>>> ix = Index.create(tempfile.mkdtemp())
>>> with BufferedWriter(ix, batch_size=100, interval=0.5) as writer:
...     writer.add(Document(id="a", body="Harga beras naik."))
...     _ = writer.flush()  # wait until everything added so far is committed
...     ix.doc_count()
1

Nothing is lost silently. If a commit fails (another writer kept the lock past ``lock_timeout``,
the disk is full), the uncommitted batch is rolled back, the writer stops, and the error is
raised from the next :meth:`~BufferedWriter.add`, :meth:`~BufferedWriter.flush` or
:meth:`~BufferedWriter.close`; :attr:`~BufferedWriter.unsaved` then lists, in order, every
operation that was not committed, so the application can retry or log them. Call
:meth:`~BufferedWriter.close` (or use ``with``) so the last batch is committed; an interpreter
exit closes writers that are still open. From asyncio code, ``add`` does not block (unless
``max_pending`` operations are already waiting) and ``await asyncio.to_thread(writer.flush)``
waits for a commit without blocking the event loop. While a buffered writer is open, write to
its index only through it.
"""

from __future__ import annotations

import atexit
import contextlib
import queue
import threading
import time
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from searchlib.documents import Document
from searchlib.errors import SearchlibError

if TYPE_CHECKING:
    from searchlib.index.core import Index

__all__ = ["BufferedWriter"]

_ADD = "add"
_DELETE = "delete"
_FLUSH = "flush"
_STOP = "stop"


class BufferedWriter:
    """Queue adds and deletes from any thread; a background thread commits them in batches.

    ``batch_size``: operations per commit at most. ``interval``: seconds an operation may wait
    uncommitted. ``max_pending``: operations that may wait in the queue before :meth:`add`
    blocks (back-pressure for producers faster than the index).
    """

    def __init__(
        self,
        index: Index,
        *,
        batch_size: int = 1000,
        interval: float = 1.0,
        max_pending: int = 100_000,
    ) -> None:
        if batch_size < 1 or interval <= 0 or max_pending < 1:
            raise SearchlibError("batch_size and max_pending must be >= 1 and interval > 0")
        self.index = index
        self.batch_size = batch_size
        self.interval = interval
        self._queue: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=max_pending)
        self._error: BaseException | None = None
        self._unsaved: list[tuple[str, Any]] = []
        self._committed = 0
        self._closed = False
        self._close_lock = threading.Lock()
        self._thread = threading.Thread(
            target=self._run, name=f"searchlib-writer-{index.path}", daemon=True
        )
        self._thread.start()
        _open_writers.add(self)

    # -- producer side -----------------------------------------------------------------------

    def add(self, documents: Document | Iterable[Document]) -> None:
        """Queue documents to add (replacing any with the same id); returns at once."""
        batch = [documents] if isinstance(documents, Document) else list(documents)
        for document in batch:
            if not isinstance(document, Document):
                raise SearchlibError(
                    f"BufferedWriter.add takes Document objects, not {type(document).__name__}"
                )
        for document in batch:
            self._put((_ADD, document))

    def update(self, documents: Document | Iterable[Document]) -> None:
        """Same as :meth:`add`: documents replace those with the same id."""
        self.add(documents)

    def delete(self, doc_id: str) -> None:
        """Queue the deletion of the document with this id."""
        if not isinstance(doc_id, str):
            raise SearchlibError(f"a document id is a string, not {type(doc_id).__name__}")
        self._put((_DELETE, doc_id))

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every operation queued before this call is committed.

        Returns False if ``timeout`` seconds passed first; raises the writer's error if a commit
        failed.
        """
        done = threading.Event()
        self._put((_FLUSH, done))
        finished = done.wait(timeout)
        self._raise_if_failed()
        return finished

    def close(self) -> None:
        """Commit what is queued, stop the background thread, and raise its error if any."""
        with self._close_lock:
            if not self._closed:
                self._closed = True
                done = threading.Event()
                self._queue.put((_STOP, done))
                done.wait()
                self._thread.join()
                _open_writers.discard(self)
        self._raise_if_failed()

    def __enter__(self) -> BufferedWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def committed(self) -> int:
        """How many operations this writer has committed."""
        return self._committed

    @property
    def unsaved(self) -> list[tuple[str, Any]]:
        """After a failure: every operation not committed, as ``("add", Document)`` or
        ``("delete", id)``, in the order they were queued."""
        return list(self._unsaved)

    def _put(self, item: tuple[str, Any]) -> None:
        if self._closed:
            raise SearchlibError(f"the buffered writer for {self.index.path} is closed")
        while True:
            self._raise_if_failed()
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    # -- the background thread ---------------------------------------------------------------

    def _run(self) -> None:
        batch: list[tuple[str, Any]] = []  # applied to the index, not yet committed
        deadline: float | None = None
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                kind, value = self._queue.get(timeout=wait)
            except queue.Empty:
                kind, value = _FLUSH, None  # the interval has passed
            if kind in (_ADD, _DELETE):
                if self._error is not None:  # stopped by a failure: keep, do not apply
                    self._unsaved.append((kind, value))
                    continue
                batch.append((kind, value))
                if deadline is None:
                    deadline = time.monotonic() + self.interval
                if not self._apply(kind, value, batch):
                    deadline = None
                    continue
                if len(batch) < self.batch_size:
                    continue
            # A commit point: the batch is full, the interval has passed, or a flush or stop.
            if batch:
                self._commit(batch)
            batch, deadline = [], None
            if kind in (_FLUSH, _STOP) and value is not None:
                value.set()  # everything queued before the marker is committed (or unsaved)
            if kind == _STOP:
                return

    def _apply(self, kind: str, value: Any, batch: list[tuple[str, Any]]) -> bool:
        try:
            if kind == _ADD:
                self.index.add(value)
            else:
                self.index.delete(value)
            return True
        except BaseException as exc:
            self._fail(exc, batch)
            return False

    def _commit(self, batch: list[tuple[str, Any]]) -> None:
        try:
            self.index.commit()
        except BaseException as exc:
            self._fail(exc, batch)
            return
        self._committed += len(batch)

    def _fail(self, exc: BaseException, batch: list[tuple[str, Any]]) -> None:
        try:
            self.index.rollback()
        finally:
            self._unsaved.extend(batch)
            batch.clear()
            self._error = exc


_open_writers: weakref.WeakSet[BufferedWriter] = weakref.WeakSet()


@atexit.register
def _close_open_writers() -> None:
    for writer in list(_open_writers):
        with contextlib.suppress(Exception):  # the error was the application's to collect
            writer.close()
