"""Files -> index, incrementally: re-index only what changed since the last run.

:func:`sync` is what ``searchlib index PATH... --index DIR`` runs. Every document indexed
through it records where it came from: its file's path and a hash of the file's content. On the
next run over the same paths a file whose content hash is unchanged is skipped without being
parsed, a changed file's documents are replaced, a new file's are added, and the documents of
files that are gone from the given folders are removed. The run is one commit.

>>> import tempfile
>>> from pathlib import Path
>>> from searchlib import Index
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Judul Berita Pertama\\n\\nHarga beras naik.", "utf-8")
>>> ix = Index.create(tempfile.mkdtemp())
>>> sync(ix, [folder]).summary()
'1 file added (1 document); 1 document in the index'
>>> sync(ix, [folder]).summary()
'1 file unchanged; 1 document in the index'
>>> (folder / "a.txt").unlink()
>>> sync(ix, [folder]).summary()
'1 file removed (1 document); 0 documents in the index'

Only files under the paths of this run are compared: indexing another folder into the same
index later leaves the first folder's documents alone. Documents added through
:meth:`Index.add` carry no file and are never removed by a sync. A file that cannot be read is
reported and its documents are kept.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from searchlib._whoosh import text_of
from searchlib.documents import Document, UniqueIds, format_of, iter_documents, walk_files
from searchlib.errors import DocumentError
from searchlib.index.schema import ORIGIN, ORIGIN_SEPARATOR

if TYPE_CHECKING:
    from searchlib.index.core import Index

__all__ = [
    "SourcedDocument",
    "SyncPlan",
    "SyncReport",
    "origins",
    "plan_sync",
    "sync",
    "with_origin",
]
_CHUNK = 1 << 20

#: ``progress(documents_done, documents_expected, stage)``: called as documents are indexed
#: (stage ``"indexing"``) and once before the commit (``"committing"``).
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class SourcedDocument(Document):
    """A :class:`Document` with the file it came from (``path<TAB>content hash``)."""

    origin: str | None = None


@dataclass
class SyncReport:
    """What a :func:`sync` did, file by file (paths as indexed: absolute)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    documents_indexed: int = 0
    documents_removed: int = 0
    documents_total: int = 0
    errors: list[DocumentError] = field(default_factory=list)
    _added_docs: int = 0

    def summary(self) -> str:
        """One line: files added/updated/unchanged/removed, with document counts.

        >>> SyncReport(added=["a"], unchanged=["b", "c"], documents_indexed=3,
        ...            _added_docs=3, documents_total=9).summary()
        '1 file added (3 documents), 2 files unchanged; 9 documents in the index'
        """
        parts = []
        updated_docs = self.documents_indexed - self._added_docs
        if self.added:
            parts.append(f"{_count(len(self.added), 'file')} added ({_docs(self._added_docs)})")
        if self.updated:
            parts.append(f"{_count(len(self.updated), 'file')} updated ({_docs(updated_docs)})")
        if self.unchanged:
            parts.append(f"{_count(len(self.unchanged), 'file')} unchanged")
        if self.removed:
            parts.append(
                f"{_count(len(self.removed), 'file')} removed ({_docs(self.documents_removed)})"
            )
        done = ", ".join(parts) or "no files"
        return f"{done}; {_docs(self.documents_total)} in the index"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _docs(n: int) -> str:
    return _count(n, "document")


@dataclass
class _File:
    path: str
    format: str
    checksum: str
    records: int  # documents expected: 1 for a text file, lines for a corpus


@dataclass
class SyncPlan:
    """What a sync will do, decided from the scan and the index alone (nothing read or written).

    ``load`` are the new and changed files to read, in scan order; ``stale`` the
    ``(path, content hash)`` origins whose documents go (files gone, and the old versions of
    changed files); ``gone`` the paths of files no longer there.
    """

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    gone: dict[str, str] = field(default_factory=dict)
    load: list[_File] = field(default_factory=list)

    @property
    def expected_documents(self) -> int:
        return sum(f.records for f in self.load)


def plan_sync(
    files: Iterable[_File], indexed: dict[str, str], unreadable: Iterable[str] = ()
) -> SyncPlan:
    """Compare the files found with what the index holds (``path -> content hash``).

    A file whose hash is unchanged is skipped; a changed or new one is loaded; an indexed file
    that was not found is gone, unless it lies under a path that could not be read
    (``unreadable``): a folder that could not be listed is not empty.

    >>> plan = plan_sync([_File("/a", "text", "h1", 1), _File("/b", "text", "h2", 1)],
    ...                  {"/a": "h1", "/b": "old", "/c": "h3"})
    >>> plan.unchanged, plan.updated, plan.gone, [f.path for f in plan.load]
    (['/a'], ['/b'], {'/c': 'h3'}, ['/b'])
    """
    plan = SyncPlan()
    left = dict(indexed)
    for found in files:
        known = left.pop(found.path, None)
        if known == found.checksum:
            plan.unchanged.append(found.path)
            continue
        (plan.added if known is None else plan.updated).append(found.path)
        plan.load.append(found)
    blocked = list(unreadable)
    plan.gone = {path: sum_ for path, sum_ in left.items() if not _under(path, blocked)}
    return plan


def sync(
    index: Index,
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    format: str = "auto",
    on_error: Callable[[DocumentError], None] | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> SyncReport:
    """Bring ``index`` up to date with the files under ``paths``, and commit.

    ``format`` is as for :func:`~searchlib.documents.iter_documents`. Unreadable files and bad
    records go to ``on_error`` (and :attr:`SyncReport.errors`); without it the first one is
    raised. ``workers`` is as for :meth:`Index.add`.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    roots = [os.path.abspath(os.fspath(p)) for p in paths]
    report = SyncReport()

    def fail(error: DocumentError) -> None:
        report.errors.append(error)
        if on_error is None:
            raise error
        on_error(error)

    empty: list[DocumentError] = []
    files = list(_scan(roots, format, fail, empty))
    indexed = _indexed_files(index, roots)
    for error in empty:  # a folder left empty is news only if nothing was indexed from it
        if not any(_under(path, [os.path.abspath(error.path)]) for path in indexed):
            fail(error)
    plan = plan_sync(files, indexed, [os.path.abspath(e.path) for e in report.errors])
    _apply(index, plan, report, fail, progress, workers)
    return report


def _apply(
    index: Index,
    plan: SyncPlan,
    report: SyncReport,
    fail: Callable[[DocumentError], None],
    progress: Progress | None,
    workers: int | None,
) -> None:
    """Carry out a plan in one commit: load and add, then delete what is stale."""
    expected = plan.expected_documents
    if plan.load:
        # The run's size is known from the scan: open the writer for it (in parallel for a
        # large run) before adding documents one by one.
        index._reserve_writer(expected, workers)
    loaded: dict[str, int] = {}  # documents read from each file
    failed: set[str] = set()  # files with errors
    ids = UniqueIds()
    added = set(plan.added)
    done = added_docs = 0
    for item in plan.load:
        origin = f"{item.path}{ORIGIN_SEPARATOR}{item.checksum}"
        loaded[item.path] = 0
        for document in _documents(item, ids, failed, fail):
            index.add(with_origin(document, origin))
            loaded[item.path] += 1
            done += 1
            added_docs += item.path in added
            if progress is not None:
                progress(done, max(expected, done), "indexing")
    # A changed file that gave no document at all keeps whatever the index had from it.
    dropped = {path for path in failed if not loaded.get(path)}
    report.added = [path for path in plan.added if path not in dropped]
    report.updated = [path for path in plan.updated if path not in dropped]
    report.unchanged = plan.unchanged
    report.removed = sorted(plan.gone)
    stale = list(plan.gone.items()) + list(_old_checksums(index, report.updated))
    for path, checksum in stale:
        removed = index._delete_term(ORIGIN, f"{path}{ORIGIN_SEPARATOR}{checksum}")
        if path in plan.gone:
            report.documents_removed += removed
    if progress is not None:
        progress(done, max(expected, done), "committing")
    index.commit()
    report.documents_indexed = done
    report._added_docs = added_docs
    report.documents_total = index.doc_count()


def _documents(
    item: _File, ids: UniqueIds, failed: set[str], fail: Callable[[DocumentError], None]
) -> Iterator[Document]:
    """The documents of one file, each id used once in the run (``failed`` notes the file)."""

    def fail_here(error: DocumentError) -> None:
        failed.add(item.path)
        fail(error)

    for document in iter_documents([item.path], format=item.format, on_error=fail_here):
        duplicate = ids.claim(document.id, item.path)
        if duplicate is not None:
            fail_here(duplicate)
            continue
        yield document


def with_origin(document: Document, origin: str) -> SourcedDocument:
    """``document`` marked with the file it came from (``path<TAB>content hash``)."""
    fields = {f.name: getattr(document, f.name) for f in dataclasses.fields(document)}
    return SourcedDocument(**{**fields, "origin": origin})


def _origin_terms(reader: Any) -> Iterator[tuple[Any, str]]:
    """Each term of the origin field, raw (for postings) and as text."""
    if ORIGIN not in reader.indexed_field_names():
        return
    for term in reader.field_terms(ORIGIN):
        yield term, text_of(term)


def origins(reader: Any) -> dict[int, str]:
    """Document number -> origin, for every document :func:`sync` added.

    The field is indexed, not stored, so it is read back from its terms (``reindex`` uses
    this to keep each document's origin).
    """
    return {
        docnum: text
        for term, text in _origin_terms(reader)
        for docnum in reader.postings(ORIGIN, term).all_ids()
    }


def _scan(
    roots: list[str],
    fmt: str,
    fail: Callable[[DocumentError], None],
    empty: list[DocumentError],
) -> Iterator[_File]:
    """The loadable files under ``roots`` (as :func:`iter_documents` walks them), hashed.

    A root folder that can be listed but holds no loadable file goes to ``empty``.
    """
    seen: set[str] = set()
    for root in roots:
        for item in walk_files(root, fmt):
            if isinstance(item, DocumentError):
                if os.path.abspath(item.path) == root and _listable(root):
                    empty.append(item)
                else:
                    fail(item)
                continue
            path = os.path.abspath(item)
            if path in seen:
                continue
            seen.add(path)
            file_format = format_of(path, fmt)
            try:
                checksum, lines = _hash(path)
            except OSError:
                # Loading it will report why (missing, dangling link, permissions...).
                checksum, lines = "unreadable", 0
            records = 1 if file_format == "text" else max(1, lines)
            yield _File(path, file_format, checksum, records)


def _listable(folder: str) -> bool:
    try:
        os.listdir(folder)
    except OSError:
        return False
    return os.path.isdir(folder)


def _hash(path: str) -> tuple[str, int]:
    """The content hash of a file and its number of lines (for progress estimates)."""
    digest = hashlib.blake2b(digest_size=16)
    lines = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            lines += chunk.count(b"\n")
    return digest.hexdigest(), lines


def _under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _indexed_files(index: Index, roots: list[str]) -> dict[str, str]:
    """``path -> content hash`` of the files under ``roots`` that the index holds documents of."""
    searcher = index._searcher()
    out = {}
    for _term, text in _origin_terms(searcher.reader()):
        path, _, checksum = text.rpartition(ORIGIN_SEPARATOR)
        if not path or not _under(path, roots):
            continue
        # Terms of deleted documents linger until segments merge: check one is still live.
        if searcher.document_number(**{ORIGIN: text}) is not None:
            out[path] = checksum
    return out


def _old_checksums(index: Index, paths: list[str]) -> Iterator[tuple[str, str]]:
    if not paths:
        return
    wanted = set(paths)
    for _term, text in _origin_terms(index._searcher().reader()):
        path, _, checksum = text.rpartition(ORIGIN_SEPARATOR)
        if path in wanted:
            yield path, checksum
