"""Documents -> index: a searchlib index on disk, backed by Whoosh.

An :class:`Index` owns one directory. It holds the Whoosh segment files and a small
``searchlib.json`` manifest that records which analyzer and schema built the index, so that an
index built by another analyzer is refused with a clear message instead of silently matching
badly.

>>> import tempfile
>>> from searchlib import Document, Index
>>> with Index.create(tempfile.mkdtemp()) as ix:
...     ix.add(Document(id="a", body="Perusahaan-perusahaan Korea mengekspor mobil."))
...     ix.commit()
...     [hit.id for hit in ix.search("perusahaan").hits]
['a']

Writes are buffered in one Whoosh writer that is opened lazily (taking the index's write lock)
and released by :meth:`Index.commit` or :meth:`Index.rollback`. Readers never block writers:
every search runs on the snapshot of the last commit.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import fields, formats
from whoosh import index as whoosh_index
from whoosh.analysis import IDTokenizer, LowercaseFilter
from whoosh.system import _INT_SIZE, pack_uint, unpack_uint

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
from searchlib.version import __version__, analyzer_fingerprint

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
    {"id", "title", "body", "title_exact", "body_exact", "date", "year", "dated", "source", "site"}
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
            while gap > 0x7F:
                out.append((gap & 0x7F) | 0x80)
                gap >>= 7
            out.append(gap)
        return bytes(out)

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
    ...     ix.add(Document(id="x", body="Menteri Luar Negeri bertemu di Seoul."))
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
    ) -> Index:
        """Create a new, empty index in ``path`` (made if missing).

        Raises :class:`~searchlib.errors.IndexExistsError` if an index is already there, unless
        ``overwrite=True``, which deletes it first.
        """
        directory = Path(path)
        if (directory / MANIFEST_NAME).exists() or _has_whoosh_index(directory):
            if not overwrite:
                raise IndexExistsError(
                    f"an index already exists at {directory}; open it with Index.open() "
                    "or pass overwrite=True to replace it"
                )
            _remove_index_files(directory)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            ix = whoosh_index.create_in(str(directory), build_schema())
        except OSError as exc:
            raise SearchlibError(f"cannot create an index at {directory}: {exc}") from exc
        _write_manifest(directory)
        return cls(directory, ix, lock_timeout=lock_timeout)

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    ) -> Index:
        """Open an existing index.

        Raises :class:`~searchlib.errors.IndexNotFoundError` when there is none,
        :class:`~searchlib.errors.IndexVersionError` when another analyzer or schema built it,
        and :class:`~searchlib.errors.IndexCorruptError` when its files are damaged.
        """
        directory = Path(path)
        if not directory.is_dir():
            raise IndexNotFoundError(f"no index at {directory}: the directory does not exist")
        manifest = _read_manifest(directory)
        _check_manifest(directory, manifest)
        try:
            ix = whoosh_index.open_dir(str(directory))
        except whoosh_index.EmptyIndexError as exc:
            raise IndexNotFoundError(f"no index at {directory}") from exc
        except Exception as exc:  # Whoosh raises many types on damaged files
            raise IndexCorruptError(
                f"the index at {directory} is damaged ({type(exc).__name__}: {exc}); "
                f"rebuild it with `searchlib index PATH... --index {directory}`"
            ) from exc
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

    def _get_writer(self) -> Any:
        with self._writer_lock:
            if self._writer is None:
                try:
                    self._writer = self._ix.writer(timeout=self.lock_timeout)
                except whoosh_index.LockError as exc:
                    raise IndexLockedError(
                        f"the index at {self.path} is locked by another writer "
                        f"(waited {self.lock_timeout:g} s); try again when it has committed"
                    ) from exc
            return self._writer

    def add(self, documents: Document | Iterable[Document]) -> int:
        """Add documents (replacing any with the same id); visible after :meth:`commit`.

        Returns how many documents were added.
        """
        return self._write(documents)

    def update(self, documents: Document | Iterable[Document]) -> int:
        """Replace documents by id (adding those not yet indexed). Same as :meth:`add`."""
        return self._write(documents)

    def _write(self, documents: Document | Iterable[Document]) -> int:
        batch = [documents] if isinstance(documents, Document) else documents
        count = 0
        with self._writer_lock:
            writer = self._get_writer()
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
            writer.commit()

    def rollback(self) -> None:
        """Discard buffered writes since the last commit and release the write lock."""
        with self._writer_lock:
            if self._writer is not None:
                writer, self._writer = self._writer, None
                writer.cancel()

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


def _remove_index_files(directory: Path) -> None:
    for child in directory.iterdir():
        if child.name == MANIFEST_NAME or child.name.startswith(("_MAIN_", "MAIN_")):
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()


def _write_manifest(directory: Path) -> None:
    name, fingerprint = analyzer_fingerprint()
    manifest = {
        "format": "searchlib-index",
        "schema_version": SCHEMA_VERSION,
        "analyzer": name,
        "analyzer_fingerprint": fingerprint,
        "searchlib_version": __version__,
    }
    tmp = directory / (MANIFEST_NAME + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, directory / MANIFEST_NAME)


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


def _check_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    name, fingerprint = analyzer_fingerprint()
    how = f"rebuild it with `searchlib reindex --index {directory}`"
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise IndexVersionError(
            f"the index at {directory} has schema version {manifest.get('schema_version')}, "
            f"this searchlib uses {SCHEMA_VERSION}; {how}"
        )
    if manifest.get("analyzer") != name or manifest.get("analyzer_fingerprint") != fingerprint:
        raise IndexVersionError(
            f"the index at {directory} was built by analyzer {manifest.get('analyzer')} "
            f"({manifest.get('analyzer_fingerprint')}), this searchlib's is {name} "
            f"({fingerprint}); {how}"
        )
