"""searchlib: full-text search for Indonesian text.

An Indonesian-aware analyzer (affixes, clitics, reduplication, acronyms, old spelling) feeds a
Whoosh index; queries return ranked hits with highlighted snippets as plain dataclasses.

>>> import tempfile
>>> from searchlib import Document, Index
>>> with Index.create(tempfile.mkdtemp()) as ix:
...     _ = ix.add(Document(id="a", title="Kunjungan Menhan", body="Nakatani mengunjungi Seoul."))
...     ix.commit()
...     print(ix.search("kunjungan menteri pertahanan").hits[0].id)
a
"""

from searchlib.analysis import AnalyzedToken, IndonesianAnalyzer, analyze, stem
from searchlib.documents import Document, iter_documents, load_file, parse_article
from searchlib.errors import (
    DocumentError,
    IndexCorruptError,
    IndexExistsError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    QueryError,
    SearchlibError,
    UnsafeIndexError,
)
from searchlib.index import Index
from searchlib.search import Explanation, Hit, Ranking, Results, TermMatch
from searchlib.seeds import seed_index, seeds_dir
from searchlib.snippets import SnippetOptions
from searchlib.version import __version__
from searchlib.writer import BufferedWriter

__all__ = [
    "AnalyzedToken",
    "BufferedWriter",
    "Document",
    "DocumentError",
    "Explanation",
    "Hit",
    "Index",
    "IndexCorruptError",
    "IndexExistsError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexVersionError",
    "IndonesianAnalyzer",
    "QueryError",
    "Ranking",
    "Results",
    "SearchlibError",
    "SnippetOptions",
    "TermMatch",
    "UnsafeIndexError",
    "__version__",
    "analyze",
    "iter_documents",
    "load_file",
    "parse_article",
    "seed_index",
    "seeds_dir",
    "stem",
]
