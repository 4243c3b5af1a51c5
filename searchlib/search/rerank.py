"""Best documents -> reranked head: written-form bonus, proximity and lede.

:func:`searchlib.search.searcher.search` scores a query with BM25F over the stemmed fields,
then this module reorders the ``rerank_depth`` best documents (:func:`add_to_head` adds
non-negative bonuses, so the head still scores above the rest):

- **written forms**: the index keeps every text twice, stemmed (``title``, ``body``) and as
  written (``title_exact``, ``body_exact``), so ``pengalaman`` prefers ``pengalaman`` over
  ``alami``. Scoring the written forms inside the OR query would double the posting lists walked
  for every query word, though a written form only matches where its stem does; so
  :func:`split_exact` takes the written-form clauses of free words out of the matching query and
  :func:`exact_bonuses` scores them on the head, each with the BM25F score and boost it would
  have added inside the query.
- **proximity**: query words that are neighbours in the query and stand close together in the
  document add ``proximity * (idf(a) + idf(b)) * (1 + early) / distance``, for distances up to
  ``proximity_window`` words (written order; the reverse order counts one word further), where
  ``early`` falls from 1 at the start of the body to 0 at ``lede_window`` words: words standing
  together in the lede count up to twice.
- **lede**: news puts its subject in the first sentences, so each query word adds
  ``lede_boost * idf * (1 - first_position / lede_window)`` when it first appears within the
  first ``lede_window`` words of the body.

All three read only the postings of the query's words for the head's documents, so the cost
does not grow with the index.

>>> from whoosh import query as wq
>>> q = wq.Or([wq.Term("title", "alam", boost=2.0), wq.Term("body", "alam"),
...            wq.Term("title_exact", "pengalaman"),
...            wq.Term("body_exact", "pengalaman", boost=0.5)])
>>> matching, bonus = split_exact(q, {"title_exact": 1.0, "body_exact": 0.5})
>>> matching
Or([Term('title', 'alam', boost=2.0), Term('body', 'alam')])
>>> bonus
[('body_exact', ('pengalaman',), 0.5, 0), ('title_exact', ('pengalaman',), 1.0, 0)]
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from whoosh import query as wq

from searchlib._whoosh import text_of
from searchlib.index.schema import BODY, STEMMED_FIELDS
from searchlib.search.context import context_for
from searchlib.search.options import Ranking
from searchlib.search.query import or_like
from searchlib.search.topdocs import phrase_scores_at, term_postings_at, term_scores_at

__all__ = [
    "BonusTerm",
    "add_to_head",
    "bonus_parts",
    "exact_bonuses",
    "proximity_units",
    "rerank",
    "reranks",
    "split_exact",
]

PROXIMITY_FIELD = BODY

# (exact field, written words (one, or a phrase's), boost, phrase slop)
BonusTerm = tuple[str, tuple[str, ...], float, int]


def proximity_units(q: Any, fieldname: str = PROXIMITY_FIELD) -> list[tuple[str, ...]]:
    """The query's positive words in ``fieldname``, in query order, as proximity units.

    A word is one unit; a word the analyzer expanded to several (an acronym's expansion, a
    compound) is one multi-word unit, whose words are not paired with each other. Negated
    clauses are skipped.

    >>> q = wq.Or([wq.Term("body", "jepang"), wq.Phrase("body", ["korea", "selatan"]),
    ...            wq.Term("title", "jepang")])
    >>> proximity_units(q)
    [('jepang',), ('korea', 'selatan')]
    """
    if isinstance(q, wq.AndNot):
        return proximity_units(q.a, fieldname)
    if isinstance(q, wq.Not):
        return []
    if isinstance(q, wq.Term):
        return [(text_of(q.text),)] if q.fieldname == fieldname else []
    if isinstance(q, wq.Phrase):
        return [tuple(text_of(w) for w in q.words)] if q.fieldname == fieldname else []
    units: list[tuple[str, ...]] = []
    if not q.is_leaf():
        for child in q.children():
            units.extend(proximity_units(child, fieldname))
    return units


def reranks(ranking: Ranking) -> bool:
    """Whether a ranking reorders results by positions at all."""
    return ranking.rerank_depth > 0 and (ranking.proximity > 0 or ranking.lede_boost > 0)


def rerank(
    searcher: Any,
    top: Sequence[tuple[float, int]],
    units: Sequence[tuple[str, ...]],
    ranking: Ranking,
) -> list[tuple[float, int]]:
    """Reorder the first ``rerank_depth`` ``(score, docnum)`` pairs by proximity and lede."""
    if not units:
        return list(top)
    return add_to_head(
        top, ranking.rerank_depth, lambda docnums: _bonuses(searcher, docnums, units, ranking)
    )


def add_to_head(
    top: Sequence[tuple[float, int]],
    depth: int,
    bonuses_of: Callable[[list[int]], dict[int, float]],
) -> list[tuple[float, int]]:
    """Add ``bonuses_of(docnums)`` to the scores of the first ``depth`` ``(score, docnum)``
    pairs and reorder them (higher score, then lower docnum, first).

    Bonuses are never negative, so the reranked head still scores at least as high as the
    documents after it, which keep their order.

    >>> add_to_head([(3.0, 7), (2.0, 4), (1.0, 9)], 2, lambda docs: {4: 1.5})
    [(3.5, 4), (3.0, 7), (1.0, 9)]
    """
    head, tail = list(top[:depth]), list(top[depth:])
    if not head:
        return tail
    bonuses = bonuses_of([docnum for _, docnum in head])
    rescored = [(score + bonuses.get(docnum, 0.0), docnum) for score, docnum in head]
    rescored.sort(key=lambda pair: (-pair[0], pair[1]))
    return rescored + tail


def _bonuses(
    searcher: Any,
    docnums: Iterable[int],
    units: Sequence[tuple[str, ...]],
    ranking: Ranking,
) -> dict[int, float]:
    parts = bonus_parts(searcher, docnums, units, ranking)
    return {docnum: sum(score for _kind, _words, score in found) for docnum, found in parts.items()}


def bonus_parts(
    searcher: Any,
    docnums: Iterable[int],
    units: Sequence[tuple[str, ...]],
    ranking: Ranking,
) -> dict[int, list[tuple[str, tuple[str, ...], float]]]:
    """``docnum -> [(kind, words, score)]``: each proximity pair's and each early word's part
    of the rerank bonus (``"proximity"``, ``(a, b)``; ``"lede"``, ``(word,)``); they sum to
    what :func:`rerank` adds. Parts worth 0 are left out."""
    reader = searcher.reader()
    words = sorted({word for unit in units for word in unit})
    targets = sorted(set(docnums))
    positions = {word: _positions(reader, word, targets) for word in words}
    idf = {word: searcher.idf(PROXIMITY_FIELD, word) for word in words if positions[word]}
    pairs = [(a[-1], b[0]) for a, b in itertools.pairwise(units) if a[-1] != b[0]]
    window = max(1, ranking.proximity_window)
    lede_window = max(1, ranking.lede_window)
    out: dict[int, list[tuple[str, tuple[str, ...], float]]] = {}
    for docnum in targets:
        parts: list[tuple[str, tuple[str, ...], float]] = []
        if ranking.proximity > 0:
            for a, b in pairs:
                pa = positions[a].get(docnum)
                pb = positions[b].get(docnum) if pa else None
                if pa and pb:
                    close = (idf[a] + idf[b]) * _closeness(pa, pb, window, lede_window)
                    if close:
                        parts.append(("proximity", (a, b), close * ranking.proximity))
        if ranking.lede_boost > 0:
            for word in words:
                found = positions[word].get(docnum)
                if found and found[0] < lede_window:
                    early = idf[word] * (1.0 - found[0] / lede_window)
                    parts.append(("lede", (word,), early * ranking.lede_boost))
        out[docnum] = parts
    return out


def _positions(reader: Any, word: str, targets: Sequence[int]) -> dict[int, list[int]]:
    """``docnum -> positions`` of ``word`` in the proximity field, for ``targets`` (sorted)."""
    if not targets or not context_for(reader).has(reader, PROXIMITY_FIELD, word):
        return {}
    found = term_postings_at(reader, PROXIMITY_FIELD, word, targets, values=True)
    decode = reader.schema[PROXIMITY_FIELD].format.decode_positions
    return {docnum: decode(value) for docnum, (_weight, value) in found.items()}


def _closeness(first: list[int], second: list[int], window: int, lede_window: int) -> float:
    """How close an ``a`` and a ``b`` stand: the best ``(1 + early) / distance`` of any pair.

    ``distance`` counts words from ``a`` to a following ``b`` (a ``b`` before ``a`` counts one
    more), up to ``window``; ``early`` goes from 1 at the start of the text down to 0 at
    ``lede_window`` words, so a pair in the lede counts up to twice. 0 when no pair is close.

    >>> _closeness([3, 40], [5], 5, 100), _closeness([9], [7], 5, 100)
    (0.985, 0.6433333333333333)
    >>> _closeness([1], [30], 5, 100), _closeness([200], [201], 5, 100)
    (0.0, 1.0)
    """
    best = 0.0
    for pos in first:
        lo = bisect.bisect_left(second, pos - window + 1)
        for other in second[lo:]:
            if other > pos + window:
                break
            if other == pos:
                continue
            distance = other - pos if other > pos else pos - other + 1
            if distance <= window:
                early = max(0.0, 1.0 - min(pos, other) / lede_window)
                best = max(best, (1.0 + early) / distance)
    return best


# -- written forms ----------------------------------------------------------------------------


def split_exact(
    q: Any, exact_boosts: dict[str, float], keep: frozenset[tuple[str, str]] = frozenset()
) -> tuple[Any, list[BonusTerm]]:
    """The matching query without the written-form clauses of free words, and those clauses.

    A clause is a free word's written form (or an acronym's written-out phrase) when it is a
    term or phrase on an exact field carrying that field's exact boost, beside stemmed clauses
    in the same OR. Quoted phrases (which the parser sends to the exact fields with the stemmed
    fields' boosts), the ``(field, word)`` terms in ``keep`` (a fuzzy or prefix word's
    expansion) and negated clauses stay in the matching query. Returns the query
    unchanged, and no bonus terms, when nothing qualifies.
    """
    bonus: dict[tuple[str, tuple[str, ...], int], float] = {}
    matching = _strip(q, exact_boosts, bonus, keep)
    if matching is None:  # only written forms: nothing to move
        return q, []
    terms = sorted((field, words, boost, slop) for (field, words, slop), boost in bonus.items())
    return matching, terms


def _strip(
    q: Any, boosts: dict[str, float], bonus: dict[Any, float], keep: frozenset[tuple[str, str]]
) -> Any:
    if isinstance(q, wq.AndNot):  # the negated side keeps every clause
        positive = _strip(q.a, boosts, bonus, keep)
        return None if positive is None else q.__class__(positive, q.b)
    if not isinstance(q, wq.Or):
        if isinstance(q, wq.And | wq.AndMaybe | wq.Require):
            children = [_strip(child, boosts, bonus, keep) for child in q.children()]
            if any(child is None for child in children):
                return q
            return q.__class__(children) if isinstance(q, wq.And) else q.__class__(*children)
        return q
    children = list(q.children())
    has_stemmed = any(getattr(child, "fieldname", None) in STEMMED_FIELDS for child in children)
    if not has_stemmed:
        kept = [_strip(child, boosts, bonus, keep) for child in children]
        kept = [
            child if child is not None else orig for child, orig in zip(kept, children, strict=True)
        ]
        return or_like(q, kept)
    kept = []
    for child in children:
        field = getattr(child, "fieldname", None)
        if (
            type(child) in (wq.Term, wq.Phrase)
            and field in boosts
            and abs(child.boost - boosts[field]) < 1e-9
            and not (type(child) is wq.Term and (field, text_of(child.text)) in keep)
        ):
            if type(child) is wq.Term:
                key = (field, (text_of(child.text),), 0)
            else:
                key = (field, tuple(text_of(w) for w in child.words), int(child.slop))
            bonus[key] = max(bonus.get(key, 0.0), float(child.boost))
            continue
        stripped = _strip(child, boosts, bonus, keep) if not child.is_leaf() else child
        kept.append(child if stripped is None else stripped)
    if not kept:
        return None
    return or_like(q, kept)


def exact_bonuses(
    searcher: Any, docnums: Sequence[int], terms: Sequence[BonusTerm]
) -> dict[int, float]:
    """``docnum -> bonus``: the BM25F score the written-form clauses give each document."""
    reader = searcher.reader()
    weighting = searcher.weighting
    targets = sorted(set(docnums))
    out: dict[int, float] = dict.fromkeys(targets, 0.0)
    for field, words, boost, slop in terms:
        if not targets:
            break
        if len(words) > 1:
            for docnum, score in phrase_scores_at(searcher, field, words, slop, targets).items():
                out[docnum] += score * boost
            continue
        text = words[0]
        scores = term_scores_at(searcher, field, text, targets)
        if scores is not None:
            for docnum, score in scores.items():
                out[docnum] += boost * score
            continue
        if (field, text) not in reader:
            continue
        scorer = weighting.scorer(searcher, field, text)
        found = term_postings_at(reader, field, text, targets)
        for docnum in found:
            out[docnum] += boost * scorer.score(_Posting(docnum, found[docnum][0]))
    return out


class _Posting:
    """The matcher interface a Whoosh scorer reads: one posting's document and weight."""

    __slots__ = ("_docnum", "_weight")

    def __init__(self, docnum: int, weight: float) -> None:
        self._docnum, self._weight = docnum, weight

    def id(self) -> int:
        return self._docnum

    def weight(self) -> float:
        return self._weight
