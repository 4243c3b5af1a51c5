"""The exceptions searchlib raises.

Every error the library raises on bad input derives from :class:`SearchlibError`, so a
program embedding searchlib can catch one type. Whoosh's own exceptions never escape the
public API; they are translated into these.

>>> from searchlib.errors import QueryError, SearchlibError
>>> issubclass(QueryError, SearchlibError)
True
"""

from __future__ import annotations


class SearchlibError(Exception):
    """Base class of every error searchlib raises on purpose."""


class OptionError(SearchlibError, ValueError):
    """An argument has a value searchlib cannot use (an unknown format, a snippet length under
    20...); the message says which values work. Also a ``ValueError``."""


class OptionTypeError(OptionError, TypeError):
    """An argument has the wrong type (``limit="10"``, ``ranking="bogus"``); also a
    ``TypeError``."""


class DocumentError(SearchlibError, ValueError):
    """A file or record could not be turned into a document (bad encoding, binary, empty...).

    ``path`` names the offending file (or ``file:line`` for a corpus record) and ``reason``
    says why, in words a user can act on.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class QueryError(OptionError):
    """A query or a search option cannot be used: empty, unbalanced quotes or brackets, too
    long, too broad, a bad page or sort."""


class IndexProblem(SearchlibError, OSError):
    """Base class for problems with an index on disk; also an ``OSError`` (not named
    ``IndexError``, which is the built-in for a sequence index out of range)."""


class IndexNotFoundError(IndexProblem):
    """No searchlib index exists at the given path."""


class IndexExistsError(IndexProblem):
    """``Index.create`` was asked to create an index where one already exists."""


class IndexLockedError(IndexProblem):
    """Another writer holds the index's write lock and did not release it in time."""


class IndexVersionError(IndexProblem):
    """The index was built with a different analyzer or schema version; it must be rebuilt."""


class IndexReadOnlyError(IndexProblem):
    """The index cannot be written here: a read-only file system, or no permission to write its
    directory or files. Searching it still works."""


class IndexPermissionError(IndexProblem):
    """This user may not read a file of the index (built by another user with a strict umask,
    or its permissions changed); the message names the file."""


class IndexWriteError(IndexProblem):
    """A write failed (a full disk, an I/O error); the index still holds its previous commit."""


class IndexCorruptError(IndexProblem):
    """A file of the index is truncated or damaged."""


class UnsafeIndexError(IndexProblem):
    """The index's table of contents references code outside Whoosh and searchlib."""


class ExportError(SearchlibError, OSError):
    """An export for OpenSearch or Elasticsearch cannot be written where it was asked to go: the
    folder is not empty (and not an earlier export to replace), is a file, or cannot be written
    (permissions, a full disk). The index is never changed by an export."""


__all__ = [
    "DocumentError",
    "ExportError",
    "IndexCorruptError",
    "IndexExistsError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexPermissionError",
    "IndexProblem",
    "IndexReadOnlyError",
    "IndexVersionError",
    "IndexWriteError",
    "OptionError",
    "OptionTypeError",
    "QueryError",
    "SearchlibError",
    "UnsafeIndexError",
]
