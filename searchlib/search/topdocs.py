"""The best documents for the common query, scored a posting block at a time.

Almost every query a person types becomes an OR of single terms over the stemmed fields
(``title:kunjung^2 OR body:kunjung OR ...``), with a phrase where an acronym expands or the user
quotes words. Whoosh scores such a query document by document through a tree of union matchers,
several Python calls per posting, and then walks every posting again to count the matches. Here
the same BM25F scores (same formula, statistics, boosts and coordination factor as Whoosh's
``BM25F``, ``WrappingMatcher`` and ``CoordMatcher``) are summed term by term over whole decoded
blocks of document numbers and weights, and the count falls out of the same pass; phrases are
checked, like Whoosh's, on the positions of the documents that have all their words. Queries of
any other shape (prefixes, AND/NOT, other weightings) return None and go through Whoosh as
before; tests check that both paths agree.

>>> from whoosh import query as wq
>>> plan(wq.Or([wq.Term("body", "a"), wq.Phrase("title", ["a", "b"], boost=2.0)]))
[('body', ('a',), 1.0, 0), ('title', ('a', 'b'), 2.0, 1)]
>>> plan(wq.And([wq.Term("body", "a"), wq.Term("body", "b")])) is None
True
"""

from __future__ import annotations

import bisect
import functools
import heapq
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh import query as wq
from whoosh import scoring
from whoosh.util.numeric import byte_to_length, length_to_byte

from searchlib._whoosh import (
    block_postings,
    deleted_docnums,
    field_b,
    postings_at,
    segment_length_bytes,
    text_of,
)
from searchlib.index.schema import PHRASES, indexed_phrase
from searchlib.search.context import context_for
from searchlib.search.postings import TermArrays, term_arrays, uses_arrays

# (field, words, boost, slop): one word for a term, several for a phrase.
Leaf = tuple[str, tuple[str, ...], float, int]


def plan(q: Any) -> list[Leaf] | None:
    """The leaves of a flat OR of terms and phrases, or None for any other query."""
    if type(q) in (wq.Term, wq.Phrase):
        return [_leaf(q)]
    if type(q) is not wq.Or or getattr(q, "minmatch", 0) > 1 or q.boost != 1.0:
        return None
    leaves = list(q.children())
    if not leaves or not all(type(leaf) in (wq.Term, wq.Phrase) for leaf in leaves):
        return None
    return [_leaf(leaf) for leaf in leaves]


def _leaf(q: Any) -> Leaf:
    if type(q) is wq.Term:
        return (q.fieldname, (text_of(q.text),), float(q.boost), 0)
    return (q.fieldname, tuple(text_of(w) for w in q.words), float(q.boost), int(q.slop))


#: Below this many matches a total is always counted exactly (cheap: every list is short);
#: above it a search that skipped long posting lists reports a lower bound.
EXACT_TOTAL_BELOW = 1000


def top_docs(
    searcher: Any,
    q: Any,
    limit: int,
    allow: set[int] | None = None,
    *,
    exact_total: bool = True,
) -> tuple[list[tuple[float, int]], int, bool] | None:
    """``(top, total, exact)``: the ``limit`` best ``(score, docnum)`` pairs (best first, ties
    by docnum) and how many documents match (only documents in ``allow``, when given); None when
    the query or weighting is not the plain BM25F OR this module handles (the caller then asks
    Whoosh).

    For an OR of single terms, posting lists are read rarest-scoring first, and once no document
    missing from those read can reach the best ``limit`` (MaxScore), the rest are only looked up
    for the documents that still can: the top documents and their scores are the same, but with
    ``exact_total=False`` a total of :data:`EXACT_TOTAL_BELOW` or more may be a lower bound
    (``exact`` is then False).
    """
    leaves = plan(q)
    weighting = searcher.weighting
    if leaves is None or type(weighting) is not scoring.BM25F:
        return None
    schema = searcher.schema
    for field, words, _, _ in leaves:
        if field not in schema or not schema[field].scorable:
            return None
        if len(words) > 1 and not schema[field].format.supports("positions"):
            return None
    scale = getattr(q, "scale", None) if type(q) is wq.Or else None
    prunable = allow is None and all(len(words) == 1 for _, words, _, _ in leaves)
    best: list[tuple[float, int]] = []
    total = 0
    exact = True
    lazies: list[_LazyPhrases] = []
    for sub, offset in _segments(searcher.reader()):
        if uses_arrays(sub):
            scored, count, counted = _score_segment_arrays(
                searcher,
                sub,
                offset,
                leaves,
                scale,
                limit,
                best_cut(best, limit),
                None if exact_total else EXACT_TOTAL_BELOW - total,
                allow,
                prunable and not sub.has_deletions(),
            )
            if isinstance(count, _LazyPhrases):
                lazies.append(count)
            else:
                exact = exact and counted
                total += count
            best.extend((score, docnum + offset) for docnum, score in scored.items())
            best.sort(key=lambda pair: (-pair[0], pair[1]))
            del best[limit:]
            continue
        if prunable and not sub.has_deletions():  # a deleted document must not set the bar
            cut = best_cut(best, limit)
            scored, count, counted = _score_segment_pruned(
                searcher, sub, leaves, weighting, scale, limit, cut, exact_total
            )
            exact = exact and counted
        else:
            scored = _score_segment(searcher, sub, leaves, weighting, scale)
            count = -1
        if sub.has_deletions():
            for docnum in [d for d in scored if sub.is_deleted(d)]:
                del scored[docnum]
        if allow is not None:
            scored = {d: score for d, score in scored.items() if d + offset in allow}
        total += len(scored) if count < 0 else count
        best.extend((score, docnum + offset) for docnum, score in _best(scored, limit))
        # The same order as Whoosh's collector: higher score first, then lower docnum.
        best.sort(key=lambda pair: (-pair[0], pair[1]))
        del best[limit:]
    if lazies:
        total, exact = _count_lazily(lazies, total, exact, exact_total)
    return best, total, exact


def _count_lazily(
    lazies: Sequence[_LazyPhrases], total: int, exact: bool, exact_total: bool
) -> tuple[int, bool]:
    """The total over the segments whose phrases are checked lazily, added to ``total`` (the
    other segments'): exact when asked or when under :data:`EXACT_TOTAL_BELOW` over all the
    segments; otherwise phrases are checked only until that many matches are known."""
    if exact_total:
        for lazy in lazies:
            counted, _exact = lazy.count()
            total += counted
        return total, exact
    known = [lazy.count(enough=0) for lazy in lazies]  # what is known without checking
    running = total + sum(counted for counted, _exact in known)
    for lazy, (before, done) in zip(lazies, known, strict=True):
        if done:
            continue
        if running >= EXACT_TOTAL_BELOW:
            exact = False
            continue
        counted, done = lazy.count(enough=EXACT_TOTAL_BELOW - (running - before))
        running += counted - before
        exact = exact and done
    return running, exact


def best_cut(best: list[tuple[float, int]], limit: int) -> float | None:
    """The score a document must beat to enter a full top ``limit`` (None while not full)."""
    return best[limit - 1][0] if len(best) >= limit else None


def _score_segment_pruned(
    searcher: Any,
    sub: Any,
    leaves: Sequence[Leaf],
    weighting: Any,
    scale: float | None,
    limit: int,
    cut: float | None,
    exact_total: bool,
) -> tuple[dict[int, float], int, bool]:
    """MaxScore over single-term leaves: ``(scores of the documents that can make the top
    limit, match count without deletions, whether that count is exact)``."""
    present, rest = _maxscore_order(searcher, sub, leaves, weighting)
    termcount = len(present)
    final = _coordination(scale, termcount) or (lambda score, _matches: score)
    scores: dict[int, float] = {}
    matched: dict[int, int] = {}
    read = 0
    for i, (_bound, field, btext, boost, _df, scorer) in enumerate(present):
        threshold = _threshold(scores, limit, cut, final)
        if threshold is not None and final(rest[i], termcount - i) < threshold:
            break  # a document in none of the lists read so far cannot make the top
        _add_term_scores(scores, matched, searcher, sub, field, btext, boost, scorer)
        read = i + 1
    seen = len(scores)
    if read < termcount:
        threshold = _threshold(scores, limit, cut, final)
        left = termcount - read
        hopeful = sorted(
            d for d, s in scores.items() if final(s + rest[read], matched[d] + left) >= threshold
        )
        for _bound, field, btext, boost, _df, scorer in present[read:]:
            found = postings_at(sub.postings(field, btext), hopeful)
            for docnum, (w, _value) in found.items():
                scores[docnum] += scorer.score(docnum, w) * boost
                matched[docnum] += 1
        scores = {d: scores[d] for d in hopeful}
    if scale and termcount:
        scores = {d: final(s, matched[d]) for d, s in scores.items()}
    if read == termcount:
        return scores, seen - _deleted_among(sub, matched), True
    # Lists were skipped: count what they add when asked to, or when the total is small.
    skipped = present[read:]
    known = max([seen] + [item[4] for item in skipped])
    at_least = known - sub.deleted_count() if sub.has_deletions() else known
    if not exact_total and at_least >= EXACT_TOTAL_BELOW:
        return scores, at_least, False
    docs = set(matched)
    for _bound, field, btext, *_rest in skipped:
        docs |= _doc_ids(sub, field, btext)
    return scores, len(docs) - _deleted_among(sub, docs), True


def _score_segment_arrays(
    searcher: Any,
    sub: Any,
    offset: int,
    leaves: Sequence[Leaf],
    scale: float | None,
    limit: int,
    cut: float | None,
    enough: int | None,
    allow: set[int] | None,
    prunable: bool,
) -> tuple[dict[int, float], Any, bool]:
    """One large segment scored with numpy arrays: ``(the best documents here with their
    scores, all tied at the cut kept; how many documents match, deletions and ``allow``
    applied; whether that count is exact)``. With phrases the count is left to the caller:
    the second item is then the segment's :class:`_LazyPhrases`, whose ``count()`` gives it.
    ``enough``: how many matches here would make the total a big enough lower bound (None:
    count exactly).

    The same sums in the same order as :func:`_score_segment` and
    :func:`_score_segment_pruned` (so the same floats): a term adds
    ``idf * ((w * (k1 + 1)) / (w + norm)) * boost`` to each of its documents, a phrase its
    words' summed scores times its boost, and the coordination factor applies last.
    """
    import numpy as np

    count = sub.doc_count_all()
    context = context_for(searcher.reader())
    weighting = searcher.weighting
    scores = np.zeros(count)
    matched = np.zeros(count, dtype=np.int32)
    if prunable:
        mask, counted, exact = _add_pruned_arrays(
            searcher, sub, leaves, weighting, scale, limit, cut, enough, scores, matched
        )
    elif any(len(words) > 1 for _f, words, _b, _s in leaves):
        lazy = _LazyPhrases(searcher, sub, offset, leaves, scale, allow)
        return lazy.top(limit, cut), lazy, False
    else:  # single terms only (phrases went to _LazyPhrases), with deletions or a filter
        termcount = 0
        for field, words, boost, _slop in leaves:
            btext = words[0].encode("utf-8")
            arrays = term_arrays(sub, field, btext, context.postings)
            if arrays is None:
                continue  # Whoosh's matcher for it is empty and counts no terms
            termcount += 1
            scorer = _TermScorer(searcher, sub, field, btext, weighting)
            _add_arrays(scores, matched, arrays, scorer, boost, _norm_array(context, scorer))
        coordinate = _coordination(scale, termcount)
        mask = matched > 0
        if coordinate is not None:
            scores[mask] = coordinate(scores[mask], matched[mask])
        mask &= _searchable(context, sub, offset, allow)
        counted, exact = -1, True
    candidates = np.flatnonzero(mask)
    if counted < 0:
        counted = len(candidates)
    chosen = scores[candidates]
    if len(candidates) > limit:
        bar = np.partition(chosen, len(chosen) - limit)[len(chosen) - limit]
        keep = chosen >= bar
        candidates, chosen = candidates[keep], chosen[keep]
    return dict(zip(candidates.tolist(), chosen.tolist(), strict=True)), counted, exact


class _LazyPhrases:
    """An OR of terms and phrases on one large segment, with phrases checked on positions
    only where it can change the result.

    A phrase scores the sum of its words' scores, which the posting arrays give for every
    document having all its words. Adding those as if every phrase stood gives each document
    an upper bound (the exact score where all its phrases do stand: the same sums in the same
    order); documents are then checked best bound first, a batch at a time, until no unchecked
    document can reach the ``limit``-th exact score. A document whose phrase does not stand is
    summed again without it. Phrases are checked on further documents only to count: all of
    them for an exact total, or until :data:`EXACT_TOTAL_BELOW` matches are known.
    """

    def __init__(
        self,
        searcher: Any,
        sub: Any,
        offset: int,
        leaves: Sequence[Leaf],
        scale: float | None,
        allow: set[int] | None,
    ) -> None:
        import numpy as np

        self.sub = sub
        self.schema = searcher.schema
        self.context = context = context_for(searcher.reader())
        count = sub.doc_count_all()
        weighting = searcher.weighting
        self.upper = np.zeros(count)
        self.matched = np.zeros(count, dtype=np.int32)
        termed = np.zeros(count, dtype=bool)
        self.pending = np.zeros(count, dtype=bool)
        # Per leaf in query order: (docs, boosted scores there, its term count, phrase or
        # None); a phrase still to check is (field, words, slop, whether it stands at each of
        # its docs as far as known). A phrase the index lists (an acronym's) is known at once.
        self.parts: list[tuple[Any, Any, int, tuple[str, list[bytes], int, Any] | None]]
        self.parts = []
        termcount = 0
        for field, words, boost, slop in leaves:
            btexts = [word.encode("utf-8") for word in words]
            if not all(context.has(sub, field, btext) for btext in btexts):
                continue  # Whoosh's matcher for it is empty and counts no terms
            termcount += len(btexts)
            lists = [term_arrays(sub, field, btext, context.postings) for btext in btexts]
            listed = _listed_phrase(self.schema, context, sub, field, words, slop)
            if listed is not None:  # where the phrase stands, all its words are
                docs = listed
            else:
                docs = lists[0].ids  # type: ignore[union-attr]
                for arrays in lists[1:]:
                    docs = np.intersect1d(docs, arrays.ids, assume_unique=True)  # type: ignore[union-attr]
            total = None
            for btext, arrays in zip(btexts, lists, strict=True):
                assert arrays is not None
                weights = arrays.weights
                if len(lists) > 1:
                    weights = weights[arrays.positions_of(docs)[1]]
                scorer = _TermScorer(searcher, sub, field, btext, weighting)
                w = weights.astype(np.float64)
                norm = _norm_array(context, scorer)[docs]
                score = scorer.idf * ((w * scorer.k1p1) / (w + norm))
                total = score if total is None else total + score
            assert total is not None
            contribution = total * boost
            if len(btexts) == 1 or listed is not None:
                self.parts.append((docs, contribution, len(btexts), None))
                termed[docs] = True
            else:
                stands = np.zeros(len(docs), dtype=np.int8)  # 1 stands, -1 not, 0 unknown
                phrase = (field, btexts, slop, stands)
                self.parts.append((docs, contribution, len(btexts), phrase))
                self.pending[docs] = True
            self.upper[docs] += contribution
            self.matched[docs] += len(btexts)
        self.final = _coordination(scale, termcount) or (lambda score, _matches: score)
        eligible = (self.matched > 0) & _searchable(context, sub, offset, allow)
        self.eligible = eligible
        self.pending &= eligible
        self.termed = termed & eligible
        self.scores = self.final(self.upper, self.matched) if termcount else self.upper
        if not isinstance(self.scores, np.ndarray):  # coordination of all terms: all 0
            self.scores = np.zeros(count)

    def top(self, limit: int, cut: float | None) -> dict[int, float]:
        """The best documents here with their exact scores (all tied at the cut kept): the
        first part of what :func:`_score_segment_arrays` returns."""
        import numpy as np

        batch = max(32, 2 * limit)
        while True:
            known = self.eligible & ~self.pending
            bar = _kth(self.scores[known], limit)
            if cut is not None:
                bar = cut if bar is None else max(bar, cut)
            hopeful = np.flatnonzero(self.pending)
            if bar is not None:
                hopeful = hopeful[self.scores[hopeful] >= bar]
            if not len(hopeful):
                break
            if len(hopeful) > batch:
                order = np.argpartition(-self.scores[hopeful], batch - 1)[:batch]
                hopeful = hopeful[order]
            self._check(np.sort(hopeful))
            batch *= 2
        known = np.flatnonzero(self.eligible & ~self.pending)
        chosen = self.scores[known]
        if len(known) > limit:
            keep = chosen >= np.partition(chosen, len(chosen) - limit)[len(chosen) - limit]
            known, chosen = known[keep], chosen[keep]
        return dict(zip(known.tolist(), chosen.tolist(), strict=True))

    def count(self, enough: int | None = None) -> tuple[int, bool]:
        """``(matches, exact)``: the documents known to match plus those still unchecked that
        match a term; phrases are checked on the others until the count is exact, or (with
        ``enough``) until at least ``enough`` matches are known."""
        import numpy as np

        while True:
            unknown = self.pending & ~self.termed
            counted = int(np.count_nonzero(self.eligible & ~unknown))
            if not unknown.any():
                return counted, True
            if enough is not None and counted >= enough:
                return counted, False
            need = len(unknown) if enough is None else max(256, enough - counted)
            self._check(np.flatnonzero(unknown)[:need])

    def _check(self, docs: Any) -> None:
        """Check the phrases of ``docs`` (sorted) on positions; sum again where one fails."""
        import numpy as np

        failing = np.zeros(len(docs), dtype=bool)
        for part_docs, _scores, _terms, phrase in self.parts:
            if phrase is None:
                continue
            field, btexts, slop, stands = phrase
            found, where = _positions_in(part_docs, docs)
            targets = docs[found].tolist()
            if not targets:
                continue
            postings = [_with_values(self.context, self.sub, field, b, targets) for b in btexts]
            decode = self.schema[field].format.decode_positions
            holds = np.fromiter(
                (_phrase_holds(postings, decode, docnum, slop) for docnum in targets),
                dtype=bool,
                count=len(targets),
            )
            stands[where] = np.where(holds, 1, -1)
            failing[np.flatnonzero(found)[~holds]] = True
        self.pending[docs] = False
        failed = docs[failing]
        if not len(failed):
            return
        # The same sums in query order, without the phrases that do not stand (0.0 + x == x).
        total = np.zeros(len(failed))
        matches = np.zeros(len(failed), dtype=np.int32)
        for part_docs, part_scores, terms, phrase in self.parts:
            found, where = _positions_in(part_docs, failed)
            at = np.flatnonzero(found)
            if phrase is not None:
                keep = phrase[3][where] == 1
                at, where = at[keep], where[keep]
            total[at] += part_scores[where]
            matches[at] += terms
        self.upper[failed] = total
        self.matched[failed] = matches
        self.scores[failed] = self.final(total, matches)
        unmatched = failed[matches == 0]
        self.eligible[unmatched] = False
        self.termed[unmatched] = False


def _positions_in(ids: Any, targets: Any) -> tuple[Any, Any]:
    """``(found, where)`` of sorted ``targets`` in the sorted array ``ids``."""
    import numpy as np

    if not len(ids):
        return np.zeros(len(targets), dtype=bool), np.zeros(0, dtype=np.intp)
    where = np.searchsorted(ids, targets)
    where[where == len(ids)] = 0
    found = ids[where] == targets
    return found, where[found]


def _kth(values: Any, limit: int) -> float | None:
    """The ``limit``-th largest of ``values`` (None when there are fewer)."""
    import numpy as np

    if len(values) < limit:
        return None
    return float(np.partition(values, len(values) - limit)[len(values) - limit])


def _add_pruned_arrays(
    searcher: Any,
    sub: Any,
    leaves: Sequence[Leaf],
    weighting: Any,
    scale: float | None,
    limit: int,
    cut: float | None,
    enough: int | None,
    scores: Any,
    matched: Any,
) -> tuple[Any, int, bool]:
    """:func:`_score_segment_pruned` on arrays (a segment without deletions): fills
    ``scores`` and ``matched``; ``(mask of the documents that can make the top, match count,
    whether that count is exact)``."""
    import numpy as np

    context = context_for(searcher.reader())
    present, rest = _maxscore_order(searcher, sub, leaves, weighting)
    termcount = len(present)
    coordinate = _coordination(scale, termcount)
    final = coordinate or (lambda score, _matches: score)
    read = 0
    for i, (_bound, field, btext, boost, _df, scorer) in enumerate(present):
        threshold = _threshold_arrays(scores, matched, limit, cut, final)
        if threshold is not None and final(rest[i], termcount - i) < threshold:
            break  # a document in none of the lists read so far cannot make the top
        arrays = term_arrays(sub, field, btext, context.postings)
        assert arrays is not None
        _add_arrays(scores, matched, arrays, scorer, boost, _norm_array(context, scorer))
        read = i + 1
    mask = matched > 0
    seen = int(np.count_nonzero(mask))
    if read < termcount:
        threshold = _threshold_arrays(scores, matched, limit, cut, final)
        left = termcount - read
        seen_docs = np.flatnonzero(mask)
        hopeful = seen_docs[
            final(scores[seen_docs] + rest[read], matched[seen_docs] + left) >= threshold
        ]
        for _bound, field, btext, boost, df, scorer in present[read:]:
            # Decoded whole (and kept) when the documents still in reach are many for its
            # length, as for any look-up (a common word's list is walked almost all anyway).
            whole = df <= WHOLE_LIST_PER_TARGET * len(hopeful)
            arrays = term_arrays(sub, field, btext, context.postings, cached_only=not whole)
            if arrays is not None:
                found, where = arrays.positions_of(hopeful)
                docs = hopeful[found]
                _add_scores_at(scores, docs, arrays.weights[where], scorer, boost, context)
                matched[docs] += 1
                continue
            for docnum, (w, _value) in postings_at(
                sub.postings(field, btext), hopeful.tolist()
            ).items():
                scores[docnum] += scorer.score(docnum, w) * boost
                matched[docnum] += 1
        mask = np.zeros_like(mask)
        mask[hopeful] = True
    if coordinate is not None and termcount:
        scores[mask] = coordinate(scores[mask], matched[mask])
    if read == termcount:
        return mask, seen, True
    skipped = present[read:]
    known = max([seen] + [item[4] for item in skipped])
    if enough is not None and known >= enough:
        return mask, known, False
    docs_seen = matched > 0
    for _bound, field, btext, *_rest in skipped:
        arrays = term_arrays(sub, field, btext, context.postings, cached_only=True)
        if arrays is not None:
            docs_seen[arrays.ids] = True
        else:
            docs_seen[np.fromiter(_doc_ids(sub, field, btext), dtype=np.intp)] = True
    return mask, int(np.count_nonzero(docs_seen)), True


def _threshold_arrays(
    scores: Any, matched: Any, limit: int, cut: float | None, final: Any
) -> float | None:
    """:func:`_threshold` over dense arrays (documents with no match have no score)."""
    import numpy as np

    here = None
    seen = scores[matched > 0]
    if len(seen) >= limit:
        here = final(float(np.partition(seen, len(seen) - limit)[len(seen) - limit]), 1)
    if cut is None:
        return here
    return cut if here is None else max(cut, here)


def _add_arrays(
    scores: Any, matched: Any, arrays: TermArrays, scorer: _TermScorer, boost: float, norm: Any
) -> None:
    """:func:`_add_term_scores` for a whole decoded list at once (a term's ids are distinct)."""
    import numpy as np

    w = arrays.weights.astype(np.float64)
    ids = arrays.ids
    scores[ids] += scorer.idf * ((w * scorer.k1p1) / (w + norm[ids])) * boost
    matched[ids] += 1


def _add_scores_at(
    scores: Any, docs: Any, weights: Any, scorer: _TermScorer, boost: float, context: Any
) -> None:
    import numpy as np

    w = weights.astype(np.float64)
    norm = _norm_array(context, scorer)
    scores[docs] += scorer.idf * ((w * scorer.k1p1) / (w + norm[docs])) * boost


def _norm_array(context: Any, scorer: _TermScorer) -> Any:
    """Each document's BM25 length norm (as :func:`_doc_norms`) as a float64 array."""
    import numpy as np

    key = ("norms", scorer.key)
    found = context.arrays.get(key)
    if found is None:
        table = np.asarray(scorer.norms, dtype=np.float64)
        found = table[np.frombuffer(scorer.lengths, dtype=np.uint8)]
        context.arrays[key] = found
    return found


def _searchable(context: Any, sub: Any, offset: int, allow: set[int] | None) -> Any:
    """The segment's documents that may be returned: not deleted, and in ``allow`` (global
    docnums) when given; a boolean array, or True when all may."""
    import numpy as np

    count = sub.doc_count_all()
    found: Any = True
    if sub.has_deletions():
        found = ~_deleted_mask(context, sub, count)
    if allow is not None:
        allowed = np.zeros(count, dtype=bool)
        local = [d - offset for d in allow if offset <= d < offset + count]
        allowed[np.asarray(local, dtype=np.intp)] = True
        found = found & allowed
    return found


def _deleted_mask(context: Any, sub: Any, count: int) -> Any:
    import numpy as np

    key = ("deleted", id(sub))
    found = context.arrays.get(key)
    if found is None:
        found = np.zeros(count, dtype=bool)
        deleted = [d for d in deleted_docnums(sub) if d < count]
        found[np.asarray(deleted, dtype=np.intp)] = True
        context.arrays[key] = found
    return found


def _maxscore_order(
    searcher: Any, sub: Any, leaves: Sequence[Leaf], weighting: Any
) -> tuple[list[tuple[float, str, bytes, float, int, _TermScorer]], list[float]]:
    """The segment's single-term leaves as ``(bound, field, btext, boost, doc frequency,
    scorer)``, highest bound (rarest) first, and ``rest[i]``: the sum of the bounds from the
    ``i``-th on (what a document in none of the first ``i`` lists can still score)."""
    present = []
    context = context_for(searcher.reader())
    for field, words, boost, _slop in leaves:
        btext = words[0].encode("utf-8")
        if context.has(sub, field, btext):
            info = context.term_info(sub, field, btext)
            scorer = _TermScorer(searcher, sub, field, btext, weighting)
            bound = scorer.bound(info.max_weight(), info.min_length()) * boost * (1 + 1e-9)
            present.append((bound, field, btext, boost, info.doc_frequency(), scorer))
    present.sort(key=lambda item: -item[0])  # highest-scoring (rarest) lists first
    rest = [0.0] * (len(present) + 1)
    for i in range(len(present) - 1, -1, -1):
        rest[i] = rest[i + 1] + present[i][0]
    return present, rest


def _coordination(scale: float | None, termcount: int) -> Any:
    """Whoosh's ``CoordMatcher`` ("SQR" short-query ranking) over ``termcount`` terms, as a
    function of ``(score, matched terms)``; None when there is no coordination."""
    if not scale or not termcount:
        return None
    if termcount == scale:
        return lambda _score, _matches: 0.0
    gap = (termcount - scale) ** 2
    factor = (termcount - 1) / termcount
    return lambda score, matches: (score + ((matches - 1) / gap)) * factor


def _deleted_among(sub: Any, docs: Any) -> int:
    return sum(1 for d in docs if sub.is_deleted(d)) if sub.has_deletions() else 0


def _threshold(scores: dict[int, float], limit: int, cut: float | None, final: Any) -> float | None:
    """A lower bound on the score of the ``limit``-th best document: the best of the cut from
    earlier segments and the ``limit``-th best partial score here (scores only grow)."""
    here = final(heapq.nlargest(limit, scores.values())[-1], 1) if len(scores) >= limit else None
    if cut is None:
        return here
    return cut if here is None else max(cut, here)


def _best(scored: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best ``(docnum, score)`` items (all of them tied at the cut)."""
    if len(scored) <= limit:
        return list(scored.items())
    cut = heapq.nlargest(limit, scored.values())[-1]
    return [(docnum, score) for docnum, score in scored.items() if score >= cut]


class _TermScorer:
    """Whoosh's BM25F score of one term in one field, for a posting's weight and document."""

    def __init__(self, searcher: Any, sub: Any, field: str, btext: bytes, weighting: Any) -> None:
        k1 = weighting.K1
        b = field_b(weighting, field)
        avgfl = searcher.avg_field_length(field) or 1
        self.idf = searcher.idf(field, btext)
        self.k1p1 = k1 + 1
        self.key = (id(sub), field, k1, b, avgfl)
        self.norms = _norms(k1, b, avgfl)
        self.lengths = _lengths(sub, field, _length_cache(searcher))

    def bound(self, max_weight: float, min_length: int) -> float:
        """The most the term can score: its best weight in its shortest document (a length
        encodes to the same byte as in the documents, so this is their norm)."""
        norm = self.norms[length_to_byte(int(min_length))] if min_length else 0.0
        return self.idf * ((max_weight * self.k1p1) / (max_weight + norm))

    def score(self, docnum: int, w: float) -> float:
        return self.idf * ((w * self.k1p1) / (w + self.norms[self.lengths[docnum]]))


@functools.lru_cache(maxsize=64)
def _norms(k1: float, b: float, avgfl: float) -> list[float]:
    """``K1 * ((1 - B) + B * fl / avgfl)`` for each one-byte encoded field length ``fl``, as
    Whoosh's ``bm25()`` computes it from ``doc_field_length()`` (a length byte of 0 never
    matches)."""
    return [k1 * ((1 - b) + b * byte_to_length(n) / avgfl) if n else 0.0 for n in range(256)]


def _score_segment(
    searcher: Any, sub: Any, leaves: Sequence[Leaf], weighting: Any, scale: float | None
) -> dict[int, float]:
    scores: dict[int, float] = {}
    matched: dict[int, int] = {}
    termcount = 0
    has = context_for(searcher.reader()).has
    for field, words, boost, slop in leaves:
        btexts = [word.encode("utf-8") for word in words]
        if not all(has(sub, field, btext) for btext in btexts):
            continue  # Whoosh's matcher for it is empty and counts no terms
        termcount += len(btexts)
        if len(btexts) == 1:
            scorer = _TermScorer(searcher, sub, field, btexts[0], weighting)
            _add_term_scores(scores, matched, searcher, sub, field, btexts[0], boost, scorer)
            continue
        leaf_scores = _phrase_scores(searcher, sub, field, btexts, slop, weighting)
        for docnum, s in leaf_scores.items():
            s = s * boost
            if docnum in scores:
                scores[docnum] += s
                matched[docnum] += len(btexts)
            else:
                scores[docnum] = s
                matched[docnum] = len(btexts)
    coordinate = _coordination(scale, termcount)
    if coordinate is not None:
        scores = {d: coordinate(s, matched[d]) for d, s in scores.items()}
    return scores


def _add_term_scores(
    scores: dict[int, float],
    matched: dict[int, int],
    searcher: Any,
    sub: Any,
    field: str,
    btext: bytes,
    boost: float,
    scorer: _TermScorer,
) -> None:
    """Add one term's boosted BM25F score to ``scores`` (and 1 to ``matched``) per posting."""
    idf, k1p1 = scorer.idf, scorer.k1p1
    norm = _doc_norms(searcher, sub, field, scorer)
    get = scores.get
    for ids, weights, _ in block_postings(sub.postings(field, btext)):
        for docnum, w in zip(ids, weights, strict=True):
            s = idf * ((w * k1p1) / (w + norm[docnum])) * boost
            previous = get(docnum)
            if previous is None:
                scores[docnum] = s
                matched[docnum] = 1
            else:
                scores[docnum] = previous + s
                matched[docnum] += 1


def _doc_norms(searcher: Any, sub: Any, field: str, scorer: _TermScorer) -> list[float]:
    """Each document's BM25 length norm in ``field`` (cached per searcher and parameters)."""
    cache = _length_cache(searcher)
    key = scorer.key
    found = cache.get(key)
    if found is None:
        norms = scorer.norms
        found = [norms[n] for n in scorer.lengths]
        cache[key] = found  # type: ignore[assignment]
    return found  # type: ignore[return-value]


def phrase_scores_at(
    searcher: Any, field: str, words: Sequence[str], slop: int, targets: Sequence[int]
) -> dict[int, float]:
    """Whoosh's score of the phrase ``words`` in ``field`` for those of ``targets`` (sorted
    global docnums) that have it, segment by segment (the written-form bonus of the head)."""
    btexts = [word.encode("utf-8") for word in words]
    out: dict[int, float] = {}
    has = context_for(searcher.reader()).has
    for sub, offset, local in _segment_targets(searcher.reader(), targets):
        if all(has(sub, field, b) for b in btexts):
            found = _phrase_scores(searcher, sub, field, btexts, slop, searcher.weighting, local)
            out.update((docnum + offset, score) for docnum, score in found.items())
    return out


def _phrase_scores(
    searcher: Any,
    sub: Any,
    field: str,
    btexts: Sequence[bytes],
    slop: int,
    weighting: Any,
    targets: Sequence[int] | None = None,
) -> dict[int, float]:
    """Documents where the words stand in order, each next word 1 to ``slop`` positions after
    the previous, scored like Whoosh's phrase matcher: the sum of the words' BM25F scores.
    Only ``targets`` (sorted) are looked at when given. A phrase the index lists (an
    acronym's) is read from that list instead of positions."""
    context = context_for(searcher.reader())
    words = [b.decode("utf-8") for b in btexts]
    listed = _listed_phrase(searcher.schema, context, sub, field, words, slop)
    if listed is not None:
        if targets is None:
            docs = listed.tolist() if hasattr(listed, "tolist") else listed
        else:  # a few targets in a list that may be long: look each one up
            docs = [t for t in targets if _in_sorted(listed, t)]
        postings = [_with_values(context, sub, field, b, docs, False) for b in btexts]
        scorers = [_TermScorer(searcher, sub, field, b, weighting) for b in btexts]
        out: dict[int, float] = {}
        for docnum in docs:
            total = 0.0
            for scorer, found in zip(scorers, postings, strict=True):
                total += scorer.score(docnum, found[docnum][0])
            out[docnum] = total
        return out
    if targets is None and uses_arrays(sub):
        targets = _common_docs(searcher, sub, field, btexts)
        if not targets:
            return {}
    elif targets is None:
        candidates: set[int] | None = None
        rarest_first = sorted(btexts, key=lambda b: context.doc_frequency(sub, field, b))
        for btext in rarest_first:
            ids_of_word = _doc_ids(sub, field, btext)
            candidates = ids_of_word if candidates is None else candidates & ids_of_word
            if not candidates:
                return {}
        targets = sorted(candidates or ())
    postings = [_with_values(context, sub, field, b, targets) for b in btexts]
    decode = searcher.schema[field].format.decode_positions
    scorers = [_TermScorer(searcher, sub, field, b, weighting) for b in btexts]
    out = {}
    for docnum in targets:
        if not all(docnum in found for found in postings):
            continue
        if _phrase_holds(postings, decode, docnum, slop):
            total = 0.0
            for scorer, found in zip(scorers, postings, strict=True):
                total += scorer.score(docnum, found[docnum][0])
            out[docnum] = total
    return out


def _in_sorted(values: Any, value: int) -> bool:
    """Whether the sorted sequence (list or array) ``values`` holds ``value``."""
    i = bisect.bisect_left(values, value)
    return bool(i < len(values) and values[i] == value)


def _with_values(
    context: Any, sub: Any, field: str, btext: bytes, targets: Sequence[int], values: bool = True
) -> dict[int, tuple[float, Any]]:
    """``docnum -> (weight, value)`` of a term at the sorted segment ``targets`` (the value
    None unless ``values``)."""
    return dict(_segment_postings_at(context, sub, field, btext, targets, values))


def _listed_phrase(
    schema: Any, context: Any, sub: Any, field: str, words: Sequence[str], slop: int
) -> Any:
    """The sorted segment docnums where the phrase stands, from the index's list of it (an
    array on a large segment, a list on a small one), or None when the index does not list
    that phrase (then it is checked on positions)."""
    token = indexed_phrase(schema, field, words, slop)
    if token is None:
        return None
    if uses_arrays(sub):
        import numpy as np

        arrays = term_arrays(sub, PHRASES, token, context.postings)
        return np.zeros(0, dtype=np.int32) if arrays is None else arrays.ids
    return sorted(_doc_ids(sub, PHRASES, token))


def _phrase_holds(
    postings: Sequence[dict[int, tuple[float, Any]]], decode: Any, docnum: int, slop: int
) -> bool:
    """Whether the words whose ``postings`` (with positions) hold ``docnum`` stand there in
    order, each next word 1 to ``slop`` positions after the previous."""
    spans = [(p, p) for p in decode(postings[0][docnum][1])]
    for found in postings[1:]:
        spans = _extend(spans, decode(found[docnum][1]), slop)
        if not spans:
            return False
    return bool(spans)


def _common_docs(searcher: Any, sub: Any, field: str, btexts: Sequence[bytes]) -> list[int]:
    """The sorted segment docnums having every one of ``btexts`` (from posting arrays)."""
    import numpy as np

    cache = context_for(searcher.reader()).postings
    common = None
    for btext in btexts:
        arrays = term_arrays(sub, field, btext, cache)
        if arrays is None:
            return []
        common = arrays.ids if common is None else np.intersect1d(common, arrays.ids, True)
        if not len(common):
            return []
    return [] if common is None else common.tolist()


def _extend(spans: list[tuple[int, int]], positions: list[int], slop: int) -> list[tuple[int, int]]:
    """Whoosh's ordered ``SpanNear2`` step (mindist 1): spans followed by a position 1 to
    ``slop`` after their end, extended to it.

    >>> _extend([(3, 3), (10, 11)], [4, 9, 13], 1)
    [(3, 4)]
    >>> _extend([(3, 3)], [5], 2)
    [(3, 5)]
    """
    out = set()
    for start, end in spans:
        # Only positions after the span count (one inside it is distance 0, too close).
        for i in range(bisect.bisect_right(positions, end), len(positions)):
            if positions[i] > end + slop:
                break
            out.add((start, positions[i]))
    return sorted(out)


def term_scores_at(
    searcher: Any, field: str, text: str, targets: Sequence[int]
) -> dict[int, float] | None:
    """``docnum -> BM25F score`` of the term ``text`` in ``field`` for those of ``targets``
    (sorted global docnums) that have it, as Whoosh's scorer gives it; None when the searcher
    does not weigh with plain BM25F (the caller then asks Whoosh's scorer)."""
    if type(searcher.weighting) is not scoring.BM25F:
        return None
    reader = searcher.reader()
    btext = text.encode("utf-8")
    out: dict[int, float] = {}
    context = context_for(reader)
    if not context.has(reader, field, btext):
        return out
    for sub, offset, local in _segment_targets(reader, targets):
        if not context.has(sub, field, btext):
            continue
        scorer = _TermScorer(searcher, sub, field, btext, searcher.weighting)
        for docnum, (weight, _value) in _segment_postings_at(
            context, sub, field, btext, local, False
        ):
            out[docnum + offset] = scorer.score(docnum, weight)
    return out


def term_postings_at(
    reader: Any, field: str, text: str, targets: Sequence[int], values: bool = False
) -> dict[int, tuple[float, Any]]:
    """:func:`postings_at` for a term of ``reader``, segment by segment (global docnums)."""
    context = context_for(reader)
    btext = text.encode("utf-8")
    if not context.has(reader, field, btext):
        return {}
    out: dict[int, tuple[float, Any]] = {}
    for sub, offset, local in _segment_targets(reader, targets):
        for docnum, found in _segment_postings_at(context, sub, field, btext, local, values):
            out[docnum + offset] = found
    return out


#: A list looked up at a few targets is decoded whole (and cached) when it has at most this
#: many postings per target, two blocks' worth: then reading it all costs at most about twice
#: reading only the blocks that hold the targets, and the next look-up costs nothing. A longer
#: list is read block by block the first time, and decoded whole (and cached) when it is looked
#: up again in the same snapshot: a word that comes back (``indonesia``, a common acronym's
#: words) then costs nothing more, one that does not never costs more than its blocks.
WHOLE_LIST_PER_TARGET = 256


def _segment_postings_at(
    context: Any, sub: Any, field: str, btext: bytes, targets: Sequence[int], values: bool
) -> Iterator[tuple[int, tuple[float, Any]]]:
    """``(docnum, (weight, value))`` of a term at the sorted segment ``targets`` it has: from
    the cached arrays on a large segment, from Whoosh's blocks on a small one."""
    if uses_arrays(sub):
        cache = context.postings
        arrays = term_arrays(sub, field, btext, cache, values=values, cached_only=True)
        if arrays is None and context.has(sub, field, btext):
            short = context.doc_frequency(sub, field, btext) <= WHOLE_LIST_PER_TARGET * len(targets)
            if short or context.seen_before((id(sub), field, btext, values)):
                arrays = term_arrays(sub, field, btext, cache, values=values)
            else:  # a long list and few targets: read only the blocks that hold them
                yield from postings_at(sub.postings(field, btext), targets, values).items()
                return
        if arrays is not None:
            yield from arrays.postings_at(targets, values).items()
    elif context.has(sub, field, btext):
        yield from postings_at(sub.postings(field, btext), targets, values).items()


def _segments(reader: Any) -> list[tuple[Any, int]]:
    """``(segment reader, first docnum)`` of each segment."""
    return [(reader, 0)] if reader.is_atomic() else list(reader.leaf_readers())


def _segment_targets(reader: Any, targets: Sequence[int]) -> Iterator[tuple[Any, int, list[int]]]:
    """``(segment reader, first docnum, its targets as segment docnums)`` for each segment
    holding any of ``targets`` (global docnums)."""
    for sub, offset in _segments(reader):
        end = offset + sub.doc_count_all()
        local = [t - offset for t in targets if offset <= t < end]
        if local:
            yield sub, offset, local


def count_matches(searcher: Any, q: Any) -> int | None:
    """How many documents match an OR of terms, from the posting blocks; None otherwise.

    Whoosh counts the documents a top-N search skipped by running the whole query again,
    matcher by matcher. For an OR of single terms on segments without deletions the count is the
    size of the union of the terms' posting lists, which whole blocks of document numbers give
    much faster. Anything else returns None and Whoosh counts.
    """
    leaves = plan(q)
    if leaves is None or any(len(words) > 1 for _, words, _, _ in leaves):
        return None
    total = 0
    for sub, _offset in _segments(searcher.reader()):
        if sub.has_deletions():
            return None
        docs: set[int] = set()
        for field, words, _boost, _slop in leaves:
            docs |= _doc_ids(sub, field, words[0].encode("utf-8"))
        total += len(docs)
    return total


def _doc_ids(sub: Any, field: str, btext: bytes) -> set[int]:
    """The segment docnums of a term's postings (empty when the segment lacks the term)."""
    docs: set[int] = set()
    if (field, btext) in sub:
        for ids, _weights, _values in block_postings(sub.postings(field, btext), weights=False):
            docs.update(ids)
    return docs


def _length_cache(searcher: Any) -> dict[tuple[int, str], bytes]:
    return context_for(searcher.reader()).lengths


def _lengths(sub: Any, field: str, cache: dict[tuple[int, str], bytes]) -> bytes:
    """One length byte per document of the segment for ``field`` (0: empty or absent)."""
    key = (id(sub), field)
    found = cache.get(key)
    if found is None:
        count = sub.doc_count_all()
        found = bytes(segment_length_bytes(sub, field, count))
        cache[key] = found
    return found
