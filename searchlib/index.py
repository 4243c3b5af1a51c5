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
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import fields, formats
from whoosh import index as whoosh_index
from whoosh.analysis import IDTokenizer, LowercaseFilter
from whoosh.filedb.filestore import FileStorage
from whoosh.system import _INT_SIZE, pack_uint, unpack_uint

from searchlib._indexing import new_writer, parallel_plan
from searchlib.analysis import IndonesianAnalyzer
from searchlib.documents import Document
from searchlib.errors import (
    IndexCorruptError,
    IndexExistsError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    SearchlibError,
)
from searchlib.safety import (
    CHECKSUMS_NAME,
    REBUILD_ADVICE,
    SafeFileStorage,
    check_segments,
    record_checksums,
    remove_temporaries,
)
from searchlib.version import __version__, analyzer_fingerprint, fingerprint_matches

if TYPE_CHECKING:
    from searchlib.search import Results

MANIFEST_NAME = "searchlib.json"
SCHEMA_VERSION = 1
DEFAULT_LOCK_TIMEOUT = 5.0

# Fields every searchlib index has. Text is indexed twice: stemmed (``title``/``body``), so
# word families match, and as folded surface forms (``*_exact``), so exact forms score higher
# and quoted phrases can require the written words.
TEXT_FIELDS = ("title", "body")
EXACT_SUFFIX = "_exact"
META_PREFIX = "meta_"
RESERVED_FIELDS = frozenset(
    {
        "id",
        "title",
        "body",
        "title_exact",
        "body_exact",
        "date",
        "year",
        "dated",
        "source",
        "site",
        "origin",
    }
)


class VarintPositions(formats.Positions):
    """Whoosh's ``Positions`` postings format with one unambiguous encoding.

    whoosh-ng 5.4 writes positions as varints but decides whether a stored value is its legacy
    pickle format by testing whether it ends with ``b"."``; a position gap of 46 encodes as
    ``b"."`` and the phrase query then crashes (``UnpicklingError``). Whoosh 2.7 pickles
    positions instead. This format encodes the same way on both: a count, then varint gaps.

    >>> f = VarintPositions()
    >>> f.decode_positions(f.encode([3, 49, 200]))
    [3, 49, 200]
    """

    def encode(self, poslist: list[int]) -> bytes:
        out = bytearray(pack_uint(len(poslist)))
        base = 0
        for position in poslist:
            gap = position - base
            base = position
            if gap < _SMALL_GAP:
                out += _GAP_BYTES[gap]
                continue
            while gap > 0x7F:
                out.append((gap & 0x7F) | 0x80)
                gap >>= 7
            out.append(gap)
        return bytes(out)

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        # searchlib's analyzer gives each term's positions in one call, with no token object
        # per word; other analyzers (and other modes) take Whoosh's token-by-token path.
        term_positions = getattr(analyzer, "term_positions", None)
        if term_positions is None or not isinstance(value, str) or kwargs.get("mode") != "index":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        encode = self.encode
        for term, poslist in term_positions(value).items():
            if len(poslist) == 1 and poslist[0] < _SMALL_GAP:  # most terms occur once
                yield term, 1, boost, _ONCE_AT[poslist[0]]
            else:
                yield term, len(poslist), len(poslist) * boost, encode(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        count = unpack_uint(valuestring[:_INT_SIZE])[0]
        positions = []
        position = 0
        index = _INT_SIZE
        for _ in range(count):
            gap = shift = 0
            while True:
                byte = valuestring[index]
                index += 1
                gap |= (byte & 0x7F) << shift
                shift += 7
                if byte < 0x80:
                    break
            position += gap
            positions.append(position)
        return positions

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(position, 1.0) for position in self.decode_positions(valuestring)]

    def combine(self, vs: list[bytes]) -> bytes:
        merged: set[int] = set()
        for value in vs:
            merged.update(self.decode_positions(value))
        return self.encode(sorted(merged))


# Varint bytes of the gaps that fit two bytes, precomputed: encoding is on the indexing hot path.
_SMALL_GAP = 1 << 14
_GAP_BYTES = tuple(
    bytes([gap]) if gap < 0x80 else bytes([(gap & 0x7F) | 0x80, gap >> 7])
    for gap in range(_SMALL_GAP)
)
_ONCE_AT = tuple(pack_uint(1) + gap for gap in _GAP_BYTES)  # the encoding of [position]


def _text(analyzer: Any, **kwargs: Any) -> Any:
    field = fields.TEXT(analyzer=analyzer, phrase=True, **kwargs)
    field.format = VarintPositions(field_boost=field.format.field_boost)
    # A word that analyses to several tokens (an acronym's expansion `Korut` -> `korea utara`, a
    # compound `Jepang-Korea`) must match them in order, not any one of them.
    field.multitoken_query = "phrase"
    return field


def _keyword_analyzer() -> Any:
    # Metadata values match whole and case-insensitively: `category:Showbiz` == `showbiz`.
    return IDTokenizer() | LowercaseFilter()


def build_schema() -> fields.Schema:
    """The Whoosh schema of a searchlib index (metadata goes to the ``meta_*`` glob field)."""
    stemmed = IndonesianAnalyzer()
    exact = IndonesianAnalyzer(stem=False, stopwords=False)
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        title=_text(stemmed, stored=True),
        title_exact=_text(exact),
        body=_text(stemmed, stored=True),
        body_exact=_text(exact),
        # ISO date at its stated precision ("2019-09-20", "2020-01"); sorts lexicographically.
        date=fields.ID(stored=True, sortable=True),
        year=fields.ID(sortable=True),
        # "0" dated, "1" undated: the first sort key, so undated documents sort last both ways.
        dated=fields.ID(sortable=True),
        source=fields.STORED,
        # The file a document came from and its content hash ("path<TAB>hash"), for `sync`.
        origin=fields.ID(),
        # The source's site (host name or JSONL source label), for filters and facets.
        site=fields.ID(stored=True, analyzer=_keyword_analyzer(), sortable=True),
    )
    # Metadata a corpus brings (`category`...) lands in `meta_<name>`; the query language
    # maps `category:` to it.
    schema.add(META_PREFIX + "*", fields.ID(stored=True, analyzer=_keyword_analyzer()), glob=True)
    return schema


def site_of(source: str | None) -> str | None:
    """The site a source belongs to: a URL's host without ``www.``, or a plain label as is.

    >>> site_of("https://www.baothanhhoa.vn/a/b.htm")
    'baothanhhoa.vn'
    >>> site_of("suara")
    'suara'
    """
    if not source:
        return None
    text = source.strip()
    if "://" in text:
        host = text.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0].lower()
        return host.removeprefix("www.") or None
    return text.lower()


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

    def __init__(self, path: Path, whoosh_ix: Any, *, lock_timeout: float) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self._ix = whoosh_ix
        self._writer: Any = None
        self._writer_lock = threading.RLock()
        self._local = threading.local()

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        overwrite: bool = False,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        allow_unsafe_pickles: bool = False,
    ) -> Index:
        """Create a new, empty index in ``path`` (made if missing).

        Raises :class:`~searchlib.errors.IndexExistsError` if an index is already there, unless
        ``overwrite=True``, which deletes it first. ``lock_timeout`` and
        ``allow_unsafe_pickles`` are as for :meth:`open`.
        """
        directory = Path(path)
        replacing = (directory / MANIFEST_NAME).exists() or _has_whoosh_index(directory)
        if replacing and not overwrite:
            raise IndexExistsError(
                f"an index already exists at {directory}; open it with Index.open() "
                "or pass overwrite=True to replace it"
            )
        schema = build_schema()
        # Replacing an index takes its write lock first: a live writer is never pulled from under.
        with _write_lock(directory, lock_timeout) if replacing else contextlib.nullcontext():
            if replacing:
                _remove_index_files(directory)
            try:
                directory.mkdir(parents=True, exist_ok=True)
                ix = _storage(directory, allow_unsafe_pickles).create_index(schema)
            except OSError as exc:
                raise SearchlibError(f"cannot create an index at {directory}: {exc}") from exc
            _write_manifest(directory, schema)
        return cls(directory, ix, lock_timeout=lock_timeout)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
        verify: bool = True,
        allow_unsafe_pickles: bool = False,
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
        """
        directory = Path(path)
        if not directory.is_dir():
            raise IndexNotFoundError(f"no index at {directory}: the directory does not exist")
        manifest = _read_manifest(directory)
        schema = build_schema()
        _check_manifest(directory, manifest, schema)
        ix = _open_whoosh(directory, schema, allow_unsafe_pickles)
        _check_files(directory, ix, checksums=verify)
        return cls(directory, ix, lock_timeout=lock_timeout)

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
                    self._writer = new_writer(self._ix, procs, timeout=self.lock_timeout)
                except whoosh_index.LockError as exc:
                    raise IndexLockedError(
                        f"the index at {self.path} is locked by another writer "
                        f"(waited {self.lock_timeout:g} s); try again when it has committed"
                    ) from exc
                # Only the lock holder writes a table of contents: any half-written one was left
                # by a writer killed mid-commit (the kernel released its lock when it died).
                remove_temporaries(self.path, "_MAIN_*.toc.*")
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
            for document in batch:
                writer.update_document(**self._fields_of(document))
                count += 1
        return count

    def _fields_of(self, document: Document) -> dict[str, Any]:
        title = document.title or ""
        values: dict[str, Any] = {
            "id": document.id,
            "title": title,
            "title_exact": title,
            "body": document.body,
            "body_exact": document.body,
        }
        values["dated"] = "0" if document.date else "1"
        if document.date:
            values["date"] = document.date
            values["year"] = document.date[:4]
        if document.source:
            values["source"] = document.source
            values["site"] = site_of(document.source)
        for name, value in document.fields.items():
            values[META_PREFIX + metadata_key(name)] = str(value)
        origin = getattr(document, "origin", None)  # set by searchlib.sync
        if origin:
            values["origin"] = origin
        return values

    def delete(self, doc_id: str) -> int:
        """Delete the document with this id; visible after :meth:`commit`. Returns 0 or 1."""
        with self._writer_lock:
            return int(self._get_writer().delete_by_term("id", doc_id))

    def commit(self) -> None:
        """Make every buffered add, update and delete durable and visible, atomically."""
        with self._writer_lock:
            if self._writer is None:
                return
            writer, self._writer = self._writer, None
            try:
                writer.commit()
            except BaseException as exc:
                # The previous commit's table of contents is still the latest: nothing half-done
                # is visible. Give up the lock so the next writer can proceed.
                _abandon(writer)
                if isinstance(exc, OSError):
                    raise SearchlibError(
                        f"could not commit to the index at {self.path} ({exc}); "
                        "it still holds the previous commit"
                    ) from exc
                raise
            with contextlib.suppress(OSError):  # the commit stands, just not verifiable later
                record_checksums(self.path, self._ix)

    def rollback(self) -> None:
        """Discard buffered writes since the last commit and release the write lock."""
        with self._writer_lock:
            if self._writer is not None:
                writer, self._writer = self._writer, None
                _abandon(writer)

    # -- reading -----------------------------------------------------------------------------

    def searcher(self) -> Any:
        """This thread's Whoosh searcher of the latest commit (internal: Whoosh stays inside).

        Each thread gets its own searcher, so concurrent searches never share matcher state, and
        each search runs on one snapshot. A stale searcher is replaced by a fresh one rather than
        ``refresh()``-ed: Whoosh's refresh reuses segment readers by segment id and so misses
        deletions committed since. The old searcher is left to the garbage collector, since a
        search on another reference to it may still be running.
        """
        current = getattr(self._local, "searcher", None)
        if current is None or not current.up_to_date():
            current = self._ix.searcher()
            self._local.searcher = current
        return current

    def doc_count(self) -> int:
        """How many documents the last commit holds."""
        return int(self._ix.doc_count())

    def __len__(self) -> int:
        return self.doc_count()

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.get(doc_id) is not None

    def get(self, doc_id: str) -> Document | None:
        """The stored document with this id, or None."""
        stored = self.searcher().document(id=doc_id)
        return None if stored is None else document_from_stored(stored)

    def ids(self) -> Iterator[str]:
        """Every document id in the last commit, in index order."""
        for stored in self.searcher().all_stored_fields():
            yield stored["id"]

    def metadata_fields(self) -> list[str]:
        """Names of the metadata fields documents brought (``category``...)."""
        return metadata_fields(self.searcher())

    def search(self, query: str, **options: Any) -> Results:
        """Search the index; see :func:`searchlib.search.search` for the options.

        >>> import tempfile
        >>> from searchlib import Document, Index
        >>> ix = Index.create(tempfile.mkdtemp())
        >>> _ = ix.add(Document(id="d1", body="Menteri Pertahanan Jepang Nakatani tiba."))
        >>> ix.commit()
        >>> ix.search("Nakatani").hits[0].id
        'd1'
        """
        from searchlib.search import search

        return search(self, query, **options)

    def more_like(self, doc_id: str, **options: Any) -> Results:
        """Documents similar to ``doc_id``; see :func:`searchlib.search.more_like`.

        >>> import tempfile
        >>> from searchlib import Document, Index
        >>> ix = Index.create(tempfile.mkdtemp())
        >>> _ = ix.add([Document(id="a", body="Menlu AS bertemu Menlu Korsel di Seoul."),
        ...             Document(id="b", body="Menlu Korsel tiba di Washington.")])
        >>> ix.commit()
        >>> ix.more_like("a").hits[0].id
        'b'
        """
        from searchlib.search import more_like

        return more_like(self, doc_id, **options)


def metadata_fields(searcher: Any) -> list[str]:
    """Metadata field names (without prefix) present in a searcher's index (internal)."""
    names = searcher.reader().indexed_field_names()
    return sorted(n[len(META_PREFIX) :] for n in names if n.startswith(META_PREFIX))


def stored_metadata(stored: dict[str, Any]) -> dict[str, str]:
    """The metadata of a stored-fields dict, without the field prefix."""
    return {k[len(META_PREFIX) :]: v for k, v in stored.items() if k.startswith(META_PREFIX)}


def document_from_stored(stored: dict[str, Any]) -> Document:
    """Rebuild a :class:`Document` from a Whoosh stored-fields dict."""
    extra = stored_metadata(stored)
    return Document(
        id=stored["id"],
        body=stored.get("body", ""),
        title=stored.get("title") or None,
        date=stored.get("date"),
        source=stored.get("source"),
        fields=extra,
    )


def metadata_key(name: str) -> str:
    """A metadata name as a field key: lower case, letters, digits and ``_``.

    >>> metadata_key("Sub Category")
    'sub_category'
    """
    key = "".join(ch if ch.isalnum() else "_" for ch in name.strip().lower()).strip("_")
    return key or "_"


def _has_whoosh_index(directory: Path) -> bool:
    return directory.is_dir() and any(directory.glob("_MAIN_*.toc"))


def _storage(directory: Path, allow_unsafe_pickles: bool) -> Any:
    # SafeFileStorage reads every table of contents through a restricted unpickler.
    return (FileStorage if allow_unsafe_pickles else SafeFileStorage)(str(directory))


def _open_whoosh(directory: Path, schema: Any, allow_unsafe_pickles: bool) -> Any:
    """The Whoosh index in ``directory``, searched with this searchlib's own ``schema``.

    Passing the schema means Whoosh never loads the pickled one (the manifest has already said
    that they match).
    """
    try:
        return _storage(directory, allow_unsafe_pickles).open_index(schema=schema)
    except whoosh_index.EmptyIndexError as exc:
        raise IndexNotFoundError(f"no index at {directory}") from exc
    except SearchlibError:
        raise
    except Exception as exc:  # Whoosh raises many types on damaged files
        raise _damaged(directory, exc) from exc


def _check_files(directory: Path, ix: Any, *, checksums: bool) -> None:
    try:
        check_segments(directory, ix, checksums=checksums)
    except SearchlibError:
        raise
    except Exception as exc:  # whoosh-ng validates segments as it opens them
        raise _damaged(directory, exc) from exc


def _damaged(directory: Path, exc: BaseException) -> IndexCorruptError:
    return IndexCorruptError(
        f"the index at {directory} is damaged ({type(exc).__name__}: {exc}); "
        + REBUILD_ADVICE.format(directory=directory)
    )


def _abandon(writer: Any) -> None:
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
def _write_lock(directory: Path, timeout: float) -> Iterator[None]:
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


def _remove_index_files(directory: Path) -> None:
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


def _write_manifest(directory: Path, schema: Any) -> None:
    name, fingerprint = analyzer_fingerprint()
    manifest = {
        "format": "searchlib-index",
        "schema_version": SCHEMA_VERSION,
        "analyzer": name,
        "analyzer_fingerprint": fingerprint,
        "searchlib_version": __version__,
        "schema": describe_schema(schema),
    }
    # A unique temporary name: two processes writing at once must not share one file.
    handle, tmp = tempfile.mkstemp(prefix=".manifest-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        os.replace(tmp, directory / MANIFEST_NAME)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def describe_schema(schema: Any) -> dict[str, str]:
    """Each field of a schema as a line of text: type, postings format, flags, analyzer.

    Recorded in the manifest, so that an index built with another schema (a field added, a
    format or an analyzer option changed) is refused even if nobody bumped ``SCHEMA_VERSION``.

    >>> describe_schema(build_schema())["id"]
    'ID format=Existence stored unique sortable analyzer=IDTokenizer'
    """
    names = sorted(schema.names())
    described = {name: _describe_field(schema[name]) for name in names}
    with contextlib.suppress(KeyError):  # the metadata glob field, if the schema has one
        described[META_PREFIX + "*"] = _describe_field(schema[META_PREFIX + "probe"])
    return described


def _describe_field(field: Any) -> str:
    parts = [type(field).__name__]
    if getattr(field, "format", None) is not None:
        parts.append(f"format={type(field.format).__name__}")
    for flag in ("stored", "unique", "scorable"):
        if getattr(field, flag, False):
            parts.append(flag)
    if getattr(field, "column_type", None) is not None:
        parts.append("sortable")
    if getattr(field, "multitoken_query", "default") != "default":
        parts.append(f"multitoken={field.multitoken_query}")
    analyzer = getattr(field, "analyzer", None)
    if analyzer is not None:
        parts.append(f"analyzer={_describe_analyzer(analyzer)}")
    return " ".join(parts)


def _describe_analyzer(analyzer: Any) -> str:
    items = getattr(analyzer, "items", None)
    if isinstance(items, list):  # a Whoosh CompositeAnalyzer: tokenizer | filter | ...
        return "|".join(type(item).__name__ for item in items)
    text = type(analyzer).__name__
    options = getattr(analyzer, "options", None)
    if isinstance(options, dict):
        text += json.dumps(options, sort_keys=True, separators=(",", ":"), default=repr)
    return text


def _read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST_NAME
    if not path.is_file():
        if _has_whoosh_index(directory):
            raise IndexVersionError(
                f"{directory} holds a Whoosh index that searchlib did not build; "
                f"rebuild it with `searchlib index PATH... --index {directory}`"
            )
        raise IndexNotFoundError(
            f"no index at {directory}; "
            f"create one with `searchlib index PATH... --index {directory}`"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"the manifest {path} is unreadable: {exc}") from exc
    if not isinstance(manifest, dict):
        raise IndexCorruptError(f"the manifest {path} is not a JSON object")
    return manifest


def _check_manifest(directory: Path, manifest: dict[str, Any], schema: Any = None) -> None:
    name, fingerprint = analyzer_fingerprint()
    how = f"rebuild it with `searchlib reindex --index {directory}`"
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise IndexVersionError(
            f"the index at {directory} has schema version {manifest.get('schema_version')}, "
            f"this searchlib uses {SCHEMA_VERSION}; {how}"
        )
    recorded = manifest.get("analyzer_fingerprint")
    if manifest.get("analyzer") != name or not fingerprint_matches(recorded):
        raise IndexVersionError(
            f"the index at {directory} was built by analyzer {manifest.get('analyzer')} "
            f"({recorded}), this searchlib's is {name} "
            f"({fingerprint}); {how}"
        )
    recorded = manifest.get("schema")
    if schema is not None and recorded is not None:  # manifests before 0.1.0 did not record it
        current = describe_schema(schema)
        if recorded != current:
            changed = sorted(
                n for n in set(current) | set(recorded) if current.get(n) != recorded.get(n)
            )
            raise IndexVersionError(
                f"the index at {directory} was built with another schema (fields that differ: "
                f"{', '.join(changed)}); {how}"
            )
