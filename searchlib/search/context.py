"""What lives as long as one snapshot of the index: caches shared by the searches on it.

A Whoosh reader is one snapshot (the last commit when it was opened). Length columns, the
spelling corrector and the searchers scoring with other BM25F parameters cost something to
build and stay valid for exactly that snapshot, so they are kept here, keyed weakly by the
reader: they go when the reader does, and nothing is hung on Whoosh's own objects.

>>> class Reader: ...
>>> reader = Reader()
>>> context_for(reader) is context_for(reader)
True
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from whoosh import scoring
from whoosh.searching import Searcher

from searchlib._whoosh import has_field_b_overrides
from searchlib.search.options import Ranking

__all__ = ["SearchContext", "bm25f", "context_for", "weighted_searcher"]


class SearchContext:
    """Caches for one reader: segment length bytes, searchers per BM25F setting, a corrector."""

    def __init__(self) -> None:
        #: ``(id(segment reader), field) -> one length byte per document``.
        self.lengths: dict[tuple[int, str], bytes] = {}
        #: ``(k1, b) -> Whoosh searcher`` scoring with those parameters on this reader.
        self.searchers: dict[tuple[float, float], Any] = {}
        #: ``field -> Whoosh corrector`` built from that field's terms.
        self.correctors: dict[str, Any] = {}


_CONTEXTS: weakref.WeakKeyDictionary[Any, SearchContext] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def context_for(reader: Any) -> SearchContext:
    """The caches of ``reader``'s snapshot (made on first use; safe across threads)."""
    found = _CONTEXTS.get(reader)
    if found is None:
        with _LOCK:
            found = _CONTEXTS.setdefault(reader, SearchContext())
    return found


def weighted_searcher(searcher: Any, ranking: Ranking) -> Any:
    """The searcher scoring with this ranking's BM25F parameters (shares the reader).

    The index's searcher scores with Whoosh's default BM25F, which is ``Ranking()``'s; other
    parameters get a searcher of their own on the same reader, kept for the snapshot.
    """
    current = getattr(searcher, "weighting", None)
    if (
        type(current) is scoring.BM25F
        and (ranking.k1, ranking.b) == (current.K1, current.B)
        and not has_field_b_overrides(current)
    ):
        return searcher
    reader = searcher.reader()
    cached = context_for(reader).searchers
    key = (ranking.k1, ranking.b)
    if key not in cached:
        cached[key] = Searcher(reader, weighting=bm25f(ranking), closereader=False)
    return cached[key]


def bm25f(ranking: Ranking) -> Any:
    """The Whoosh BM25F weighting for a ranking."""
    return scoring.BM25F(B=ranking.b, K1=ranking.k1)
