"""Search options: how results are ranked (:class:`Ranking`) and sorted.

>>> Ranking().k1, Ranking().proximity > 0, Ranking(exact_boost=0).field_boosts()
(1.2, True, {'title': 2.0, 'body': 1.0})
"""

from __future__ import annotations

from dataclasses import dataclass

from searchlib.index.schema import BODY, BODY_EXACT, EXACT_FIELDS, TITLE, TITLE_EXACT

__all__ = ["FACETS", "SORTS", "Ranking"]

SORTS = ("score", "date", "-date")
#: The facets ``facets=True`` counts (``category`` where documents brought one).
FACETS = ("site", "year", "category")


@dataclass(frozen=True)
class Ranking:
    """Ranking parameters (BM25F, query construction, rerank); the defaults are the measured best.

    Pass one to a search (``ix.search(q, ranking=Ranking(proximity=0))``); the README's
    effectiveness section has the measurements behind each default.

    - ``title_boost``/``body_boost`` weight the stemmed fields; ``exact_boost`` multiplies the
      field boost for the exact written form (so ``pengalaman`` prefers ``pengalaman`` over
      ``alami``); a boost of 0 leaves that field out. ``k1``/``b`` are BM25's; ``or_factor``
      (0 to 1; 0 is off) is Whoosh's coordination bonus for documents matching more of the
      query's clauses, measured as no gain on any set and so off by default.
    - ``question_words`` drops question words (``apakah``, ``siapakah``, ``di manakah``,
      ``berapa``, ``kapan``...) from the query: they ask for the answer and are not in it.
    - ``proximity`` rewards documents where neighbouring query words stand within
      ``proximity_window`` words of each other (up to twice as much in the lede);
      ``lede_boost`` rewards query words that appear early in the body (within
      ``lede_window`` words). Both rerank the
      ``rerank_depth`` best BM25F documents (0 turns the rerank off); see
      :mod:`searchlib.search.rerank`.

    >>> Ranking().k1, Ranking().proximity > 0, Ranking(exact_boost=0).field_boosts()
    (1.2, True, {'title': 2.0, 'body': 1.0})
    """

    title_boost: float = 2.0
    body_boost: float = 1.0
    exact_boost: float = 0.5
    k1: float = 1.2
    b: float = 0.75
    or_factor: float = 0.0
    question_words: bool = True
    proximity: float = 0.4
    proximity_window: int = 5
    lede_boost: float = 2.0
    lede_window: int = 100
    rerank_depth: int = 50

    def field_boosts(self) -> dict[str, float]:
        """Boost per indexed text field (fields boosted 0 are left out)."""
        boosts = {
            TITLE: self.title_boost,
            BODY: self.body_boost,
            TITLE_EXACT: self.title_boost * self.exact_boost,
            BODY_EXACT: self.body_boost * self.exact_boost,
        }
        return {name: boost for name, boost in boosts.items() if boost > 0}

    def exact_boosts(self) -> dict[str, float]:
        """The boosts of the exact-form fields (empty when ``exact_boost`` is 0)."""
        return {k: v for k, v in self.field_boosts().items() if k in EXACT_FIELDS}
