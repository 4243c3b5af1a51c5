"""Search results as plain dataclasses: :class:`Results`, :class:`Hit`, :class:`Explanation`.

>>> hit = Hit(rank=1, id="a", score=1.5, title=None, date=None, source=None, snippet="...")
>>> Results(query="korea", total=1, took_ms=0.4, hits=[hit]).to_dict()["hits"][0]["id"]
'a'
"""

from __future__ import annotations

import copy
import html
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any, overload

from searchlib.errors import QueryError

__all__ = ["Explanation", "Hit", "Results", "ScoreBonus", "TermMatch"]


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
    snippet: str = field(repr=False)
    fields: dict[str, str] = field(default_factory=dict, repr=False)

    def explain(self) -> Explanation:
        """Why this document matched: every part of its score, which add up to ``score``.

        The explanation is computed on demand from the index snapshot the hit came from, so it
        needs that index open. Raises :class:`~searchlib.errors.QueryError` saying why when it
        cannot be computed: the index was closed, or the hit was unpickled or built by hand
        (a pickle carries only the plain data).

        >>> Hit(rank=1, id="a", score=1.0, title=None, date=None, source=None,
        ...     snippet="").explain()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        searchlib.errors.QueryError: no explanation for hit 'a': it was not returned by a ...
        """
        explainer = self.__dict__.get("_explainer")
        if explainer is None:
            raise QueryError(
                f"no explanation for hit {self.id!r}: it was not returned by a search in this "
                "process (unpickled or built by hand); search again to explain it"
            )
        return explainer()

    def _attach_explainer(self, explainer: Callable[[], Explanation]) -> None:
        """Attach the search's explainer (internal; not a dataclass field, so ``asdict``,
        ``pickle`` and ``deepcopy`` never see the searcher it holds)."""
        self.__dict__["_explainer"] = explainer

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_explainer"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def __copy__(self) -> Hit:
        clone = Hit(**{f.name: getattr(self, f.name) for f in fields(self)})
        clone.__dict__.update(self.__dict__)
        return clone

    def __deepcopy__(self, memo: dict[int, Any]) -> Hit:
        values = {f.name: copy.deepcopy(getattr(self, f.name), memo) for f in fields(self)}
        clone = Hit(**values)
        explainer = self.__dict__.get("_explainer")
        if explainer is not None:  # shared, not copied: it reads the same index snapshot
            clone._attach_explainer(explainer)
        return clone

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
    """One matched index term's contribution to a hit's score.

    ``kind`` is ``"bm25f"`` for a term (or quoted phrase, ``term`` then holds its words) of
    the matching query, and ``"written form"`` for the bonus the written form of a free word
    adds to the best documents (see :mod:`searchlib.search.rerank`).
    """

    query_word: str
    field: str
    term: str
    document_words: list[str]
    score: float
    kind: str = "bm25f"


@dataclass(frozen=True)
class ScoreBonus:
    """A part of a hit's score that belongs to no single term.

    ``kind`` is ``"proximity"`` (two neighbouring query words standing close together:
    ``words`` holds both), ``"lede"`` (a query word early in the body), ``"coordination"``
    (``Ranking.or_factor``'s adjustment for matching more of the query) or ``"clause"`` (a
    clause scored as a whole, such as a date range or ``AND`` group with a boost).
    """

    kind: str
    words: list[str]
    score: float


@dataclass(frozen=True)
class Explanation:
    """Every part of a hit's score: ``score`` is the sum of the ``matches`` and ``bonuses``.

    ``score`` equals the hit's score, except for a hit of a date-sorted search (whose score is
    0): there it is the relevance score the document would have had.

    >>> e = Explanation("a", 1.5, [TermMatch("kata", "body", "kata", ["kata"], 1.0)],
    ...                 [ScoreBonus("lede", ["kata"], 0.5)])
    >>> e.parts_total() == e.score
    True
    """

    doc_id: str
    score: float
    matches: list[TermMatch]
    bonuses: list[ScoreBonus] = field(default_factory=list)

    def parts_total(self) -> float:
        """The sum of every listed part (equal to ``score`` up to rounding)."""
        return math.fsum([m.score for m in self.matches] + [b.score for b in self.bonuses])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's ``--json --explain`` ``explain`` object)."""
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
                    "kind": m.kind,
                }
                for m in self.matches
            ],
            "bonuses": [
                {"kind": b.kind, "words": b.words, "score": round(b.score, 4)} for b in self.bonuses
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
    expansion_capped: bool = False
    warm_up_ms: float = 0.0

    def __len__(self) -> int:
        """How many hits this page holds (``total`` counts every match)."""
        return len(self.hits)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    @overload
    def __getitem__(self, index: int) -> Hit: ...

    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...

    def __getitem__(self, index: int | slice) -> Hit | list[Hit]:
        return self.hits[index]

    def __repr__(self) -> str:
        ids = ", ".join(repr(hit.id) for hit in self.hits[:3])
        more = f", ... {len(self.hits) - 3} more" if len(self.hits) > 3 else ""
        total = f"{self.total:,}" + ("" if self.total_exact else "+")
        return (
            f"<Results {self.query!r}: {total} hits, page {self.page} of {self.pages} "
            f"({self.took_ms:.1f} ms): [{ids}{more}]>"
        )

    def _repr_html_(self) -> str:
        """A table of the hits, for Jupyter and other notebooks."""
        esc = html.escape
        rows = "".join(
            f"<tr><td>{hit.rank}</td><td>{esc(hit.id)}</td><td>{hit.score:.3f}</td>"
            f"<td>{esc(hit.title or '')}</td><td>{esc(hit.date or '')}</td>"
            f"<td>{esc(hit.snippet)}</td></tr>"
            for hit in self.hits
        )
        notice = f"<p>{esc(self.notice)}</p>" if self.notice else ""
        total = f"{self.total:,}" + ("" if self.total_exact else "+")
        return (
            f"<div><p><b>{esc(self.query)}</b>: {total} hits, page {self.page} of "
            f"{self.pages} ({self.took_ms:.1f} ms)</p>{notice}<table><thead><tr><th>rank</th>"
            "<th>id</th><th>score</th><th>title</th><th>date</th><th>snippet</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )

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
        if self.expansion_capped:
            out["expansion_capped"] = True
        return out
