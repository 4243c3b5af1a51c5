"""Loading many files: walking folders, choosing each file's format, :func:`iter_documents`.

The rules of a load live here: which files of a folder are read and in what order
(:func:`walk_files`), which format a file is read in (:func:`format_of`), that ids are unique
across the whole load (:class:`UniqueIds`), and what happens to errors (``on_error``, for
example a :class:`LoadReport`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from searchlib.documents.corpora import iter_records
from searchlib.documents.files import DEFAULT_MAX_BYTES, load_file
from searchlib.documents.model import Document
from searchlib.errors import DocumentError, OptionError

__all__ = ["FORMATS", "LoadReport", "UniqueIds", "format_of", "iter_documents", "walk_files"]

#: Values accepted by ``iter_documents(format=...)``.
FORMATS = ("auto", "text", "jsonl", "tsv")

_EXTENSION_FORMATS = {".txt": "text", ".jsonl": "jsonl", ".tsv": "tsv"}


@dataclass
class LoadReport:
    """Collects the errors of a load; pass it as ``on_error`` to :func:`iter_documents`.

    >>> report = LoadReport()
    >>> docs = list(iter_documents(["/no/such/file.txt"], on_error=report))
    >>> docs, len(report.errors), report.errors[0].reason
    ([], 1, 'no such file or directory')
    """

    errors: list[DocumentError] = field(default_factory=list)

    def __call__(self, error: DocumentError) -> None:
        """Record ``error`` (this makes the report usable as an ``on_error`` callback)."""
        self.errors.append(error)

    @property
    def ok(self) -> bool:
        """True when nothing went wrong."""
        return not self.errors

    def summary(self) -> str:
        """One line per error, ``path: reason``, or ``"no errors"``."""
        if not self.errors:
            return "no errors"
        return "\n".join(str(error) for error in self.errors)


class UniqueIds:
    """The document ids of one load and where each was first used: the first one wins.

    :func:`iter_documents` keeps one for its whole call; a caller that loads file by file
    keeps one across the files to apply the same rule.

    >>> ids = UniqueIds()
    >>> ids.claim("a", "c.jsonl:1") is None
    True
    >>> print(ids.claim("a", "a.txt"))
    a.txt: duplicate id 'a' (first used by c.jsonl:1); this document was skipped
    """

    def __init__(self) -> None:
        self._first_used: dict[str, str] = {}

    def claim(self, doc_id: str, where: str) -> DocumentError | None:
        """Record that ``doc_id`` is used at ``where`` (a path, or ``file:line``).

        Returns None if the id is new; if it was used before, returns the error to report for
        this repeat (whose path is ``where``) and leaves the first use recorded.
        """
        if doc_id not in self._first_used:
            self._first_used[doc_id] = where
            return None
        first = self._first_used[doc_id]
        return DocumentError(
            where, f"duplicate id {doc_id!r} (first used by {first}); this document was skipped"
        )


def _walk(folder: str, format: str, visited: set[str]) -> Iterator[str | DocumentError]:
    """Files under ``folder`` in sorted path order; see :func:`walk_files` for the rule."""
    real = os.path.realpath(folder)
    if real in visited:  # a symlink loop
        return
    visited.add(real)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield DocumentError(folder, f"cannot list the folder: {exc.strerror}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, format, visited)
        elif format != "auto" or os.path.splitext(entry.name)[1].lower() in _EXTENSION_FORMATS:
            yield path  # broken symlinks included, so that they are reported


def walk_files(path: str | os.PathLike[str], format: str = "auto") -> Iterator[str | DocumentError]:
    """The files :func:`iter_documents` reads for one of its ``paths``, in the order it reads
    them.

    A path that is not a folder is yielded as it is (loading it reports what is wrong with
    it). A folder is searched recursively in sorted path order, skipping hidden entries; with
    ``format="auto"`` only its ``*.txt``, ``*.jsonl`` and ``*.tsv`` files are taken, with an
    explicit format every file. Problems are yielded as
    :class:`~searchlib.errors.DocumentError`, not raised: a folder that cannot be listed, and
    a folder that holds nothing to load.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.txt", "notes.md", ".draft.txt"):
    ...     _ = (folder / name).write_text("Isi.", "utf-8")
    >>> [os.path.basename(p) for p in walk_files(folder)]
    ['b.txt']
    >>> [os.path.basename(p) for p in walk_files(folder, "text")]
    ['b.txt', 'notes.md']
    """
    path = os.fspath(path)
    if not os.path.isdir(path):
        yield path
        return
    found = False
    for item in _walk(path, format, set()):
        found = found or isinstance(item, str)
        yield item
    if not found:
        wanted = "*.txt, *.jsonl or *.tsv files" if format == "auto" else "files"
        yield DocumentError(path, f"folder holds no {wanted} to load")


def format_of(path: str, format: str = "auto") -> str:
    """The format ``path`` is read in: ``format`` unless it is ``"auto"``, else by extension
    (``.jsonl``, ``.tsv``; anything else is ``"text"``).

    >>> format_of("corpus/docs.JSONL"), format_of("berita.md"), format_of("a.jsonl", "tsv")
    ('jsonl', 'text', 'tsv')
    """
    if format != "auto":
        return format
    return _EXTENSION_FORMATS.get(os.path.splitext(path)[1].lower(), "text")


def _file_documents(
    path: str, format: str, max_bytes: int, fail: Callable[[DocumentError], None]
) -> Iterator[tuple[str, Document]]:
    """The documents of one file as ``(where, document)``; its errors go to ``fail``."""
    if format == "text":
        try:
            document = load_file(path, max_bytes=max_bytes)
        except DocumentError as error:
            fail(error)
            return
        yield path, document
        return
    records = iter_records(path, format, max_bytes=max_bytes)
    # next() by hand, so that only the reader's own errors are caught, not those that
    # ``fail`` (the caller's on_error) raises.
    while True:
        try:
            item = next(records)
        except StopIteration:
            return
        except DocumentError as error:  # the file as a whole is unusable
            fail(error)
            return
        if isinstance(item, DocumentError):
            fail(item)
        else:
            yield item


def iter_documents(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    format: str = "auto",
    *,
    on_error: Callable[[DocumentError], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Document]:
    """Stream documents from files and folders.

    ``format``: ``"text"`` (one raw article per file, parsed by
    :func:`~searchlib.documents.parse_article`), ``"jsonl"`` (one JSON object per line:
    ``id`` and ``text`` required; ``title``, ``date``, ``source`` go to those attributes,
    ``category`` and any other scalar metadata to ``fields``), ``"tsv"`` (``id<TAB>text`` per
    line; a first line ``id<TAB>text`` is taken as a header) or ``"auto"`` (by extension:
    ``.jsonl``, ``.tsv``, anything else is text).

    Folders are searched recursively in sorted path order, skipping hidden entries (names
    starting with "."). With ``format="auto"`` only ``*.txt``, ``*.jsonl`` and ``*.tsv``
    files are taken from a folder (other files such as READMEs and images are ignored);
    with an explicit format every non-hidden file in the folder is read in that format.
    Files named directly are always read. A single path may be passed instead of a list.

    Corpus files are read line by line, never whole; ``max_bytes`` limits each text file
    and each corpus line. Ids must be unique across the whole call: a repeated id is
    reported and that document skipped (the first one wins).

    Every problem becomes a :class:`~searchlib.errors.DocumentError` whose ``path`` is the
    file (or ``file:line`` for a record). With ``on_error`` the error is passed to it and
    loading continues; without it the error is raised.

    >>> report = LoadReport()
    >>> [d.id for d in iter_documents("seeds", on_error=report)][:2]  # doctest: +SKIP
    ['000_e272fdfb7559d7d6', '001_0af768b52f2b990e']
    """
    if format not in FORMATS:
        raise OptionError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]

    def fail(error: DocumentError) -> None:
        if on_error is None:
            raise error
        on_error(error)

    ids = UniqueIds()
    for given in paths:
        for path in walk_files(given, format):
            if isinstance(path, DocumentError):
                fail(path)
                continue
            for where, document in _file_documents(path, format_of(path, format), max_bytes, fail):
                duplicate = ids.claim(document.id, where)
                if duplicate is None:
                    yield document
                else:
                    fail(duplicate)
