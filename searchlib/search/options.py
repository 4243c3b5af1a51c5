"""Search options: how results are ranked (:class:`Ranking`) and sorted.

>>> Ranking().k1, Ranking().proximity > 0, Ranking(exact_boost=0).field_boosts()
(1.2, True, {'title': 2.0, 'body': 1.0})
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from searchlib.errors import OptionTypeError, QueryError
from searchlib.index.schema import BODY, BODY_EXACT, EXACT_FIELDS, TITLE, TITLE_EXACT
from searchlib.search.snippets import SnippetOptions

__all__ = ["FACETS", "SORTS", "Ranking", "check_count", "check_flag", "check_search_options"]

SORTS = ("score", "date", "-date")
# The Python types a Ranking option of each annotated type accepts.
_KINDS: dict[str, tuple[type, ...]] = {"bool": (bool,), "int": (int,), "float": (int, float)}
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

    def __post_init__(self) -> None:
        for option in fields(self):
            value = getattr(self, option.name)
            kinds = _KINDS[str(option.type)]
            if isinstance(value, bool) != (kinds == (bool,)) or not isinstance(value, kinds):
                kind = "True or False" if kinds == (bool,) else f"a number ({option.type})"
                raise OptionTypeError(f"Ranking.{option.name} must be {kind}, not {value!r}")
            if kinds != (bool,) and value < 0:
                raise QueryError(f"Ranking.{option.name} must not be negative, not {value!r}")
            if kinds != (bool,) and not math.isfinite(value):
                raise QueryError(f"Ranking.{option.name} must be a finite number, not {value!r}")
        if self.or_factor > 1:
            raise QueryError(f"Ranking.or_factor is between 0 and 1, not {self.or_factor!r}")
        if self.b > 1:
            raise QueryError(
                f"Ranking.b (BM25 length normalisation) is between 0 and 1, not {self.b!r}"
            )

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


def check_count(name: str, value: Any, minimum: int = 1) -> int:
    """``value`` as a whole number of at least ``minimum``, or a searchlib error saying so.

    >>> check_count("limit", 10)
    10
    >>> check_count("page", 1.5)
    Traceback (most recent call last):
    ...
    searchlib.errors.OptionTypeError: page must be a whole number, not 1.5
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise OptionTypeError(f"{name} must be a whole number, not {value!r}")
    if value < minimum:
        raise QueryError(f"{name} must be at least {minimum}, not {value}")
    return value


def check_flag(name: str, value: Any) -> bool:
    """``value`` if it is a bool, else a searchlib error."""
    if not isinstance(value, bool):
        raise OptionTypeError(f"{name} must be True or False, not {value!r}")
    return value


def check_search_options(
    *,
    sort: Any,
    date_from: Any,
    date_to: Any,
    facets: Any,
    snippets: Any,
    ranking: Any,
) -> None:
    """Refuse search arguments of the wrong type or value, naming the argument."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    for name, value in (("date_from", date_from), ("date_to", date_to)):
        if value is not None and not isinstance(value, str):
            raise OptionTypeError(
                f"{name} must be an ISO date string such as '2019-09', not {value!r}"
            )
    if not isinstance(facets, bool) and not (
        isinstance(facets, Sequence)
        and not isinstance(facets, str)
        and all(isinstance(name, str) for name in facets)
    ):
        raise OptionTypeError(f"facets must be True, False or a list of names, not {facets!r}")
    if not isinstance(snippets, bool | SnippetOptions):
        raise OptionTypeError(f"snippets must be True, False or SnippetOptions, not {snippets!r}")
    if ranking is not None and not isinstance(ranking, Ranking):
        raise OptionTypeError(f"ranking must be a Ranking or None, not {ranking!r}")
