"""Exact written forms as a rerank bonus instead of extra clauses in the matching query.

The index keeps every text twice: stemmed (``title``, ``body``) so word families match, and as
written (``title_exact``, ``body_exact``) so ``pengalaman`` prefers ``pengalaman`` over
``alami``. Scoring the written forms inside the OR query doubles the posting lists Whoosh walks
for every query word, though a written form can only match where its stem already does. So the
matching query keeps the stemmed clauses only (and quoted phrases, which are written forms by
definition), and the written-form clauses score the best ``rerank_depth`` documents afterwards,
each with the BM25F score and boost it would have added inside the query.

>>> from whoosh import query as wq

from searchlib.topdocs import phrase_scores_at, term_postings_at
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

from collections.abc import Sequence
from typing import Any

from whoosh import query as wq

from searchlib.topdocs import phrase_scores_at, term_postings_at

EXACT_FIELDS = ("title_exact", "body_exact")

# (exact field, written words (one, or a phrase's), boost, phrase slop)
BonusTerm = tuple[str, tuple[str, ...], float, int]


def split_exact(q: Any, exact_boosts: dict[str, float]) -> tuple[Any, list[BonusTerm]]:
    """The matching query without the written-form clauses of free words, and those clauses.

    A clause is a free word's written form (or an acronym's written-out phrase) when it is a
    term or phrase on an exact field carrying that field's exact boost, beside stemmed clauses
    in the same OR. Quoted phrases (which the parser sends to the exact fields with the stemmed
    fields' boosts) and negated clauses stay in the matching query. Returns the query
    unchanged, and no bonus terms, when nothing qualifies.
    """
    bonus: dict[tuple[str, tuple[str, ...], int], float] = {}
    matching = _strip(q, exact_boosts, bonus)
    if matching is None:  # only written forms: nothing to move
        return q, []
    terms = sorted((field, words, boost, slop) for (field, words, slop), boost in bonus.items())
    return matching, terms


def _strip(q: Any, boosts: dict[str, float], bonus: dict[Any, float]) -> Any:
    if isinstance(q, wq.AndNot):  # the negated side keeps every clause
        positive = _strip(q.a, boosts, bonus)
        return None if positive is None else wq.AndNot(positive, q.b)
    if not isinstance(q, wq.Or):
        if isinstance(q, wq.And | wq.AndMaybe | wq.Require):
            children = [_strip(child, boosts, bonus) for child in q.children()]
            if any(child is None for child in children):
                return q
            return q.__class__(children) if isinstance(q, wq.And) else q.__class__(*children)
        return q
    children = list(q.children())
    has_stemmed = any(getattr(child, "fieldname", None) in ("title", "body") for child in children)
    if not has_stemmed:
        kept = [_strip(child, boosts, bonus) for child in children]
        kept = [
            child if child is not None else orig for child, orig in zip(kept, children, strict=True)
        ]
        return _or_like(q, kept)
    kept = []
    for child in children:
        field = getattr(child, "fieldname", None)
        if (
            type(child) in (wq.Term, wq.Phrase)
            and field in boosts
            and abs(child.boost - boosts[field]) < 1e-9
        ):
            if type(child) is wq.Term:
                key = (field, (_text(child.text),), 0)
            else:
                key = (field, tuple(_text(w) for w in child.words), int(child.slop))
            bonus[key] = max(bonus.get(key, 0.0), float(child.boost))
            continue
        stripped = _strip(child, boosts, bonus) if not child.is_leaf() else child
        kept.append(child if stripped is None else stripped)
    if not kept:
        return None
    return _or_like(q, kept)


def _or_like(q: Any, children: list[Any]) -> Any:
    return q.__class__(
        children,
        boost=q.boost,
        minmatch=getattr(q, "minmatch", 0),
        scale=getattr(q, "scale", None),
    )


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


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
