"""Search results as plain dataclasses: :class:`Results`, :class:`Hit`, :class:`Explanation`.

>>> hit = Hit(rank=1, id="a", score=1.5, title=None, date=None, source=None, snippet="...")
>>> Results(query="korea", total=1, took_ms=0.4, hits=[hit]).to_dict()["hits"][0]["id"]
'a'
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from searchlib.errors import QueryError

__all__ = ["Explanation", "Hit", "Results", "TermMatch"]


@dataclass
class Hit:
    """One search result.

    ``snippet`` holds the best passages with matched words marked; ``fields`` any metadata the
    document brought (``category``...).
    """

    rank: int
    id: str
    score: float
    title: str | None
    date: str | None
    source: str | None
    snippet: str
    fields: dict[str, str] = field(default_factory=dict)
    _explainer: Callable[[], Explanation] | None = field(default=None, repr=False, compare=False)

    def explain(self) -> Explanation:
        """Why this document matched: query words -> document words, fields and scores."""
        if self._explainer is None:
            raise QueryError("no explanation is available for this hit")
        return self._explainer()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's ``--json`` hit)."""
        return {
            "rank": self.rank,
            "id": self.id,
            "score": round(self.score, 4),
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "snippet": self.snippet,
            **({"fields": self.fields} if self.fields else {}),
        }


@dataclass(frozen=True)
class TermMatch:
    """One query term's contribution to a hit's score."""

    query_word: str
    field: str
    term: str
    document_words: list[str]
    score: float


@dataclass(frozen=True)
class Explanation:
    """What matched in a hit and what each match contributed."""

    doc_id: str
    score: float
    matches: list[TermMatch]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "score": round(self.score, 4),
            "matches": [
                {
                    "query_word": m.query_word,
                    "field": m.field,
                    "term": m.term,
                    "document_words": m.document_words,
                    "score": round(m.score, 4),
                }
                for m in self.matches
            ],
        }


@dataclass
class Results:
    """One page of results for a query.

    ``total`` counts every matching document (not just this page); when ``total_exact`` is
    False it is a lower bound (a broad query of 1,000 or more matches whose long posting lists
    were skipped; ``search(..., exact_total=True)`` counts them). ``suggestion`` is a
    spelling correction built from the index's vocabulary, and ``corrected`` says whether the
    hits are those of the suggestion because the query as written found nothing.
    """

    query: str
    total: int
    took_ms: float
    hits: list[Hit]
    page: int = 1
    page_size: int = 10
    suggestion: str | None = None
    corrected: bool = False
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    notice: str | None = None
    total_exact: bool = True

    @property
    def pages(self) -> int:
        """How many pages the results fill."""
        return max(1, math.ceil(self.total / self.page_size)) if self.page_size else 1

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's ``--json`` output)."""
        out: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "total_exact": self.total_exact,
            "took_ms": round(self.took_ms, 2),
            "page": self.page,
            "page_size": self.page_size,
            "hits": [hit.to_dict() for hit in self.hits],
        }
        if self.suggestion:
            out["suggestion"] = self.suggestion
            out["corrected"] = self.corrected
        if self.facets:
            out["facets"] = self.facets
        if self.notice:
            out["notice"] = self.notice
        return out
