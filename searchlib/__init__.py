"""searchlib: full-text search for Indonesian text.

An Indonesian-aware analyzer (affixes, clitics, reduplication, acronyms, old spelling) feeds a
Whoosh index; queries return ranked hits with highlighted snippets as plain dataclasses. Data
flows one way through four packages: ``documents`` (files -> :class:`Document`), ``analysis``
(text -> tokens), ``index`` (documents -> index on disk) and ``search`` (query -> results);
``export`` writes an index out for OpenSearch or Elasticsearch. This module only re-exports
their public names.

>>> import tempfile
>>> from searchlib import Document, Index
>>> with Index.create(tempfile.mkdtemp()) as ix:
...     _ = ix.add(Document(id="a", title="Kunjungan Menhan", body="Nakatani mengunjungi Seoul."))
...     ix.commit()
...     print(ix.search("kunjungan menteri pertahanan").hits[0].id)
a
"""

from searchlib._version import __version__
from searchlib.analysis import AnalyzedToken, IndonesianAnalyzer, analyze, stem
from searchlib.documents import Document, LoadReport, iter_documents, load_file, parse_article
from searchlib.errors import (
    DocumentError,
    ExportError,
    IndexCorruptError,
    IndexExistsError,
    IndexLockedError,
    IndexNotFoundError,
    IndexPermissionError,
    IndexProblem,
    IndexReadOnlyError,
    IndexVersionError,
    IndexWriteError,
    OptionError,
    OptionTypeError,
    QueryError,
    SearchlibError,
    UnsafeIndexError,
)
from searchlib.export import ExportReport, export_opensearch, to_query_dsl
from searchlib.index import (
    DEFAULT_LOCK_TIMEOUT,
    BufferedWriter,
    Index,
    SyncReport,
    reindex,
    sync,
)
from searchlib.search import (
    Explanation,
    Hit,
    Ranking,
    Results,
    ScoreBonus,
    SnippetOptions,
    TermMatch,
    batch_search,
)
from searchlib.seeds import seed_index, seeds_dir

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "AnalyzedToken",
    "BufferedWriter",
    "Document",
    "DocumentError",
    "Explanation",
    "ExportError",
    "ExportReport",
    "Hit",
    "Index",
    "IndexCorruptError",
    "IndexExistsError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexPermissionError",
    "IndexProblem",
    "IndexReadOnlyError",
    "IndexVersionError",
    "IndexWriteError",
    "IndonesianAnalyzer",
    "LoadReport",
    "OptionError",
    "OptionTypeError",
    "QueryError",
    "Ranking",
    "Results",
    "ScoreBonus",
    "SearchlibError",
    "SnippetOptions",
    "SyncReport",
    "TermMatch",
    "UnsafeIndexError",
    "__version__",
    "analyze",
    "batch_search",
    "export_opensearch",
    "iter_documents",
    "load_file",
    "parse_article",
    "reindex",
    "seed_index",
    "seeds_dir",
    "stem",
    "sync",
    "to_query_dsl",
]
