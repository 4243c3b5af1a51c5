"""Documents -> index: a searchlib index on disk, backed by Whoosh.

An :class:`Index` owns one directory. It holds the Whoosh segment files and a small
``searchlib.json`` manifest that records which analyzer and schema built the index, so that an
index built by another analyzer is refused with a clear message instead of silently matching
badly.

>>> import tempfile
>>> from searchlib import Document, Index
>>> with Index.create(tempfile.mkdtemp()) as ix:
...     _ = ix.add(Document(id="a", body="Perusahaan-perusahaan Korea mengekspor mobil."))
...     ix.commit()
...     [hit.id for hit in ix.search("perusahaan").hits]
['a']

Writes are buffered in one Whoosh writer that is opened lazily (taking the index's write lock)
and released by :meth:`Index.commit` or :meth:`Index.rollback`. Readers never block writers:
every search runs on the snapshot of the last commit.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Never

from whoosh import index as whoosh_index

from searchlib._whoosh import map_compound_files, restrict_data_pickles, use_private_random_names
from searchlib.documents import Document
from searchlib.errors import (
    IndexExistsError,
    IndexLockedError,
    IndexNotFoundError,
    IndexProblem,
    OptionTypeError,
)
from searchlib.index.manifest import (
    MANIFEST_NAME,
    check_manifest,
    has_whoosh_index,
    read_manifest,
    recorded_schema,
    use_recorded_phrases,
    write_manifest,
)
from searchlib.index.phrases import PHRASES
from searchlib.index.safety import record_checksums, remove_leftovers, safe_loads
from searchlib.index.schema import (
    ID,
    build_schema,
    document_from_stored,
    fields_of,
    metadata_fields,
)
from searchlib.index.segments import new_writer, parallel_plan
from searchlib.index.storage import (
    abandon,
    check_files,
    damaged,
    on_latest_commit,
    open_whoosh,
    remove_index_files,
    storage,
    write_error,
    write_lock,
)

if TYPE_CHECKING:
    from searchlib.search.options import Ranking
    from searchlib.search.results import Results
    from searchlib.search.snippets import SnippetOptions

DEFAULT_LOCK_TIMEOUT = 5.0
_WARMED = False  # whether this process has warmed up the search code (Index._warm_up)

use_private_random_names()
restrict_data_pickles(safe_loads)
map_compound_files()


class Index:
    """A searchlib index in one directory.

    Create one with :meth:`create`, open an existing one with :meth:`open`; use it as a context
    manager (or call :meth:`close`) so an uncommitted writer releases its lock.

    >>> import tempfile
    >>> from searchlib import Document, Index
    >>> path = tempfile.mkdtemp()
    >>> with Index.create(path) as ix:
    ...     _ = ix.add(Document(id="x", body="Menteri Luar Negeri bertemu di Seoul."))
    ...     ix.commit()
    >>> Index.open(path).doc_count()
    1
    """

    path: Path
    lock_timeout: float
    warm_up_ms: float

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        verify: bool = True,
        allow_unsafe_pickles: bool = False,
        durable: bool = True,
    ) -> None:
        """``Index(path)`` is :meth:`Index.open`."""
        directory = Path(path)
        if not directory.is_dir():
            raise IndexNotFoundError(f"no index at {directory}: the directory does not exist")
        manifest = read_manifest(directory)
        schema = recorded_schema(manifest)
        check_manifest(directory, manifest, schema)
        use_recorded_phrases(schema, manifest)
        ix = open_whoosh(directory, schema, allow_unsafe_pickles)
        check_files(directory, ix, checksums=verify)
        self._attach(directory, ix, lock_timeout, durable)
        self._warm_up()

    def _warm_up(self) -> None:
        """The one-off work of a process's first search, done at open (once per process) so
        that search's ``took_ms`` does not include it; ``warm_up_ms`` says what it cost."""
        global _WARMED
        if _WARMED:
            return
        from searchlib.search.searcher import warm_up

        _WARMED = True
        self.warm_up_ms = warm_up(self._searcher())

    def _attach(self, path: Path, whoosh_ix: Any, lock_timeout: float, durable: bool) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        #: Whether :meth:`commit` waits until the commit is on disk (``fsync``); False trades
        #: that for speed in bulk loads, where a power cut may lose the latest commits.
        self.durable = durable
        self._ix = whoosh_ix
        #: Milliseconds :meth:`open` spent on the one-off work of the process's first search
        #: (0.0 when the process had warmed up already, and for :meth:`create`).
        self.warm_up_ms = 0.0
        self._writer: Any = None
        self._writer_lock = threading.RLock()
        self._local = threading.local()

    @classmethod
    def _of(cls, path: Path, whoosh_ix: Any, lock_timeout: float, durable: bool) -> Index:
        """An Index over a Whoosh index this package has just opened or created (internal)."""
        index = cls.__new__(cls)
        index._attach(path, whoosh_ix, lock_timeout, durable)
        return index

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        allow_unsafe_pickles: bool = False,
        durable: bool = True,
    ) -> Index:
        """Create a new, empty index in ``path`` (made if missing).

        Raises :class:`~searchlib.errors.IndexExistsError` if an index is already there, unless
        ``overwrite=True``, which deletes it first, and
        :class:`~searchlib.errors.IndexReadOnlyError` where the directory cannot be written.
        ``lock_timeout``, ``allow_unsafe_pickles`` and ``durable`` are as for :meth:`open`.
        """
        directory = Path(path)
        replacing = (directory / MANIFEST_NAME).exists() or has_whoosh_index(directory)
        if replacing and not overwrite:
            raise IndexExistsError(
                f"an index already exists at {directory}; open it with Index.open() "
                "or pass overwrite=True to replace it"
            )
        schema = build_schema()
        # Replacing an index takes its write lock first: a live writer is never pulled from under.
        try:
            with write_lock(directory, lock_timeout) if replacing else contextlib.nullcontext():
                if replacing:
                    remove_index_files(directory)
                directory.mkdir(parents=True, exist_ok=True)
                ix = storage(directory, allow_unsafe_pickles).create_index(schema)
                write_manifest(directory, schema)
        except IndexProblem:
            raise
        except OSError as exc:
            raise write_error(directory, exc, "create an index") from exc
        return cls._of(directory, ix, lock_timeout, durable)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        verify: bool = True,
        allow_unsafe_pickles: bool = False,
        durable: bool = True,
    ) -> Index:
        """Open an existing index.

        Raises :class:`~searchlib.errors.IndexNotFoundError` when there is none,
        :class:`~searchlib.errors.IndexVersionError` when another analyzer or schema built it
        (``searchlib reindex`` rebuilds it), :class:`~searchlib.errors.IndexCorruptError` when its
        files are damaged, and :class:`~searchlib.errors.UnsafeIndexError` when its table of
        contents names classes outside Whoosh and searchlib.

        ``lock_timeout`` is how long a write waits for another writer's lock before raising
        :class:`~searchlib.errors.IndexLockedError`. ``verify=True`` compares each segment file
        with the size and CRC-32 recorded when it was committed, reading each file once per
        process; ``verify=False`` checks only that the files exist and have their recorded size.

        Opening an index loads pickles from it, and unpickling can run code. searchlib only lets
        the table of contents name Whoosh and searchlib classes; ``allow_unsafe_pickles=True``
        lifts that restriction. Open only indexes you trust: Whoosh also unpickles postings and
        stored fields from the segment files, which no option here restricts.

        ``durable=True`` (the default) makes :meth:`commit` return only once the commit is on
        disk; ``durable=False`` skips the ``fsync`` calls for bulk loads (``Index.durable``
        can be changed at any time).
        """
        return cls(
            path,
            lock_timeout=lock_timeout,
            verify=verify,
            allow_unsafe_pickles=allow_unsafe_pickles,
            durable=durable,
        )

    @classmethod
    def exists(cls, path: str | os.PathLike[str]) -> bool:
        """Whether a searchlib index exists in ``path``."""
        return (Path(path) / MANIFEST_NAME).is_file()

    def close(self) -> None:
        """Release the searcher and roll back any uncommitted writes (releasing the lock)."""
        self.rollback()
        current = getattr(self._local, "searcher", None)
        if current is not None:
            current.close()
            self._local.searcher = None
        self._ix.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Index({str(self.path)!r})"

    # -- writing -----------------------------------------------------------------------------

    def _get_writer(self, procs: int = 1) -> Any:
        with self._writer_lock:
            if self._writer is None:
                try:
                    # With the lock held (no writer is running), whatever no commit names (a
                    # half-written table of contents, temporaries, unnamed segments) was left
                    # by a writer that died (the kernel released its lock) or failed. Cleaned
                    # before the new writer makes its own temporaries: Whoosh 2.7 reuses the
                    # fixed name MAIN.tmp.
                    with write_lock(self.path, self.lock_timeout), contextlib.suppress(OSError):
                        remove_leftovers(self.path, self._ix)
                    writer = new_writer(
                        self._ix, procs, timeout=self.lock_timeout, durable=self.durable
                    )
                except IndexProblem:
                    raise
                except whoosh_index.LockError as exc:
                    raise IndexLockedError(
                        f"the index at {self.path} is locked by another writer "
                        f"(waited {self.lock_timeout:g} s); try again when it has committed"
                    ) from exc
                except OSError as exc:
                    raise write_error(self.path, exc, "write") from exc
                self._writer = writer
            return self._writer

    def add(self, documents: Document | Iterable[Document], *, workers: int | None = None) -> int:
        """Add documents (replacing any with the same id); visible after :meth:`commit`.

        Returns how many documents were added. A batch of 1,000 documents or more that starts
        a commit is analysed and written by one process per CPU (``workers`` or the
        ``SEARCHLIB_WORKERS`` environment variable sets how many; 1 keeps it in this process).
        """
        return self._write(documents, workers)

    def update(
        self, documents: Document | Iterable[Document], *, workers: int | None = None
    ) -> int:
        """Replace documents by id (adding those not yet indexed). Same as :meth:`add`."""
        return self._write(documents, workers)

    def _write(self, documents: Document | Iterable[Document], workers: int | None = None) -> int:
        batch = [documents] if isinstance(documents, Document) else documents
        count = 0
        with self._writer_lock:
            procs = 1
            if self._writer is None:
                procs, batch = parallel_plan(batch, workers)
            writer = self._get_writer(procs)
            phrases = PHRASES in self._ix.schema  # not in an index built by 0.1
            for document in batch:
                if not isinstance(document, Document):
                    raise OptionTypeError(
                        f"add() and update() take Document objects, not {type(document).__name__}"
                        " (build one with Document(id=..., body=...))"
                    )
                try:
                    origin = getattr(document, "origin", None)
                    writer.update_document(**fields_of(document, origin, phrases=phrases))
                except IndexProblem:
                    raise
                except OSError as exc:  # a pool spilling to a full disk
                    raise write_error(self.path, exc, "add documents") from exc
                count += 1
        return count

    # -- package-internal writes (sync, reindex): one writer, taken like add() takes it ----------

    def _reserve_writer(self, expected_documents: int, workers: int | None) -> None:
        """Open the writer for a run of about ``expected_documents`` documents (in parallel for
        a large run), before they are added one by one."""
        with self._writer_lock:
            if self._writer is None:
                procs, _ = parallel_plan(range(expected_documents), workers)
                self._get_writer(procs)

    def _delete_term(self, field: str, text: str) -> int:
        """Delete every document whose ``field`` holds the term ``text``; the count deleted."""
        with self._writer_lock:
            return int(self._get_writer().delete_by_term(field, text))

    def delete(self, doc_id: str) -> int:
        """Delete the document with this id; visible after :meth:`commit`. Returns 0 or 1."""
        if not isinstance(doc_id, str):
            raise OptionTypeError(f"delete() takes a document id (a string), not {doc_id!r}")
        with self._writer_lock:
            return self._delete_term(ID, doc_id)

    def commit(self) -> None:
        """Make every buffered add, update and delete durable and visible, atomically."""
        with self._writer_lock:
            if self._writer is None:
                return
            writer, self._writer = self._writer, None
            writer.durable = self.durable
            try:
                writer.commit()
            except BaseException as exc:
                # The previous commit's table of contents is still the latest: nothing half-done
                # is visible. Give up the lock, then remove what the failed commit wrote (a full
                # disk must not stay full) if the lock is still free; else the next writer will.
                abandon(writer)
                with contextlib.suppress(Exception), write_lock(self.path, 0.2):
                    remove_leftovers(self.path, self._ix)
                if isinstance(exc, OSError) and not isinstance(exc, IndexProblem):
                    raise write_error(self.path, exc, "commit") from exc
                raise
            with contextlib.suppress(OSError):  # the commit stands, just not verifiable later
                record_checksums(self.path, self._ix)

    def rollback(self) -> None:
        """Discard buffered writes since the last commit and release the write lock."""
        with self._writer_lock:
            if self._writer is not None:
                writer, self._writer = self._writer, None
                abandon(writer)

    # -- reading -----------------------------------------------------------------------------

    def _searcher(self) -> Any:
        """This thread's Whoosh searcher of the latest commit (package-internal).

        Each thread gets its own searcher, so concurrent searches never share matcher state, and
        each search runs on one snapshot. A stale searcher is replaced by a fresh one rather than
        ``refresh()``-ed: Whoosh's refresh reuses segment readers by segment id and so misses
        deletions committed since. The old searcher is left to the garbage collector, since a
        search on another reference to it may still be running.
        """
        current = getattr(self._local, "searcher", None)
        if current is None or not current.up_to_date():
            current = on_latest_commit(self.path, self._ix.searcher)
            self._local.searcher = current
        return current

    def doc_count(self) -> int:
        """How many documents the last commit holds."""
        return int(on_latest_commit(self.path, self._ix.doc_count))

    def __len__(self) -> int:
        return self.doc_count()

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.get(doc_id) is not None

    def get(self, doc_id: str) -> Document | None:
        """The stored document with this id, or None."""
        stored = self._searcher().document(**{ID: doc_id})
        return None if stored is None else document_from_stored(stored)

    def ids(self) -> Iterator[str]:
        """Every document id in the last commit, in index order."""
        for stored in self._searcher().all_stored_fields():
            yield stored[ID]

    def documents(self) -> Iterator[Document]:
        """Every stored document of the last commit, in index order, read one at a time.

        The documents come from one snapshot, so a commit made meanwhile does not change what
        is read; memory stays flat however large the index. A damaged segment raises
        :class:`~searchlib.errors.IndexCorruptError`.

        >>> import tempfile
        >>> from searchlib import Document, Index
        >>> with Index.create(tempfile.mkdtemp()) as ix:
        ...     _ = ix.add(Document(id="a", body="Isi.", date="2021", fields={"k": "v"}))
        ...     ix.commit()
        ...     [(d.id, d.date, d.fields) for d in ix.documents()]
        [('a', '2021', {'k': 'v'})]
        """
        stored_fields = self._searcher().reader().iter_docs()  # live documents only
        while True:
            try:
                _docnum, stored = next(stored_fields)
            except StopIteration:
                return
            except Exception as exc:  # a damaged segment fails deep inside Whoosh
                raise damaged(self.path, exc) from exc
            yield document_from_stored(stored)

    def metadata_fields(self) -> list[str]:
        """Names of the metadata fields documents brought (``category``...)."""
        return metadata_fields(self._searcher().reader())

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        page: int = 1,
        page_size: int | None = None,
        sort: str = "score",
        date_from: str | None = None,
        date_to: str | None = None,
        facets: bool | Sequence[str] = False,
        snippets: SnippetOptions | bool = True,
        suggest: bool = True,
        ranking: Ranking | None = None,
        exact_total: bool = False,
        **unknown: Never,
    ) -> Results:
        """Search the last commit for ``query`` and return one page of :class:`Results`.

        ``limit`` (or its alias ``page_size``) is the page size; ``page`` counts from 1. ``sort``
        is ``"score"`` (default), ``"date"`` (oldest first) or ``"-date"`` (newest first;
        undated documents last in both). ``date_from``/``date_to`` are inclusive ISO dates at
        any precision (``"2019"``, ``"2020-06"``). ``facets=True`` counts hits by site, year and
        every metadata field over the whole result set (or name the facets). ``snippets`` takes
        :class:`SnippetOptions`, or False to skip snippets (faster). ``suggest`` corrects
        words the index has never seen (and searches the correction when the query finds
        nothing). ``ranking`` takes :class:`Ranking` parameters. A broad query's ``total`` may
        be a lower bound (``Results.total_exact``) unless ``exact_total=True`` or facets are
        asked for. Raises :class:`~searchlib.errors.QueryError` for unusable queries.

        >>> import tempfile
        >>> from searchlib import Document, Index
        >>> ix = Index.create(tempfile.mkdtemp())
        >>> _ = ix.add(Document(id="d1", body="Menteri Pertahanan Jepang Nakatani tiba."))
        >>> ix.commit()
        >>> ix.search("Nakatani").hits[0].id
        'd1'
        """
        # Imported here, as Whoosh's index imports its searching module: search depends on the
        # index's schema, never the other way round.
        from searchlib.search.searcher import search

        _refuse_unknown("search", unknown)
        return search(
            self._searcher(),
            query,
            limit=limit,
            page=page,
            page_size=page_size,
            sort=sort,
            date_from=date_from,
            date_to=date_to,
            facets=facets,
            snippets=snippets,
            suggest=suggest,
            ranking=ranking,
            exact_total=exact_total,
        )

    def more_like(
        self,
        doc_id: str,
        *,
        limit: int = 10,
        terms: int = 12,
        snippets: SnippetOptions | bool = True,
        **unknown: Never,
    ) -> Results:
        """Documents similar to the one with ``doc_id``, most similar first (itself excluded).

        The document's ``terms`` most characteristic stems become a weighted OR query. Raises
        :class:`~searchlib.errors.QueryError` for an unknown id.

        >>> import tempfile
        >>> from searchlib import Document, Index
        >>> ix = Index.create(tempfile.mkdtemp())
        >>> _ = ix.add([Document(id="a", body="Menlu AS bertemu Menlu Korsel di Seoul."),
        ...             Document(id="b", body="Menlu Korsel tiba di Washington.")])
        >>> ix.commit()
        >>> ix.more_like("a").hits[0].id
        'b'
        """
        from searchlib.search.searcher import more_like

        _refuse_unknown("more_like", unknown)
        return more_like(self._searcher(), doc_id, limit=limit, terms=terms, snippets=snippets)


def _refuse_unknown(method: str, unknown: dict[str, Any]) -> None:
    """A misspelt option is a searchlib error at run time (type checkers refuse it already)."""
    if unknown:
        parameters = inspect.signature(getattr(Index, method)).parameters.values()
        names = [p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY]
        raise OptionTypeError(
            f"{method}() has no option {', '.join(sorted(unknown))}; its options are "
            f"{', '.join(names)}"
        )
