"""Query -> results: parsing, top documents, rerank, snippets, explanations.

:meth:`searchlib.Index.search` runs :func:`~searchlib.search.searcher.search`. The modules:
``options`` (:class:`Ranking`), ``results`` (:class:`Results`, :class:`Hit`, :class:`Explanation`,
:class:`TermMatch`, :class:`ScoreBonus`), ``query`` (text -> a parsed query), ``topdocs``
(BM25F a posting block at a time, MaxScore), ``rerank`` (written forms, proximity, lede),
``snippets``, ``explain``, ``context`` (caches per index snapshot) and ``searcher`` (the steps
in order). Only the names below are public.

>>> Ranking().title_boost
2.0
"""

from searchlib.search.options import Ranking
from searchlib.search.results import Explanation, Hit, Results, ScoreBonus, TermMatch
from searchlib.search.searcher import batch_search
from searchlib.search.snippets import SnippetOptions

__all__ = [
    "Explanation",
    "Hit",
    "Ranking",
    "Results",
    "ScoreBonus",
    "SnippetOptions",
    "TermMatch",
    "batch_search",
]
