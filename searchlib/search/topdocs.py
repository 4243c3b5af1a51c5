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
    field_b,
    postings_at,
    segment_length_bytes,
    text_of,
)
from searchlib.search.context import context_for

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
    for sub, offset in _segments(searcher.reader()):
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
    return best, total, exact


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
    present = []
    for field, words, boost, _slop in leaves:
        btext = words[0].encode("utf-8")
        if (field, btext) in sub:
            info = sub.term_info(field, btext)
            scorer = _TermScorer(searcher, sub, field, btext, weighting)
            bound = scorer.bound(info.max_weight(), info.min_length()) * boost * (1 + 1e-9)
            present.append((bound, field, btext, boost, info.doc_frequency(), scorer))
    termcount = len(present)
    final = _coordination(scale, termcount) or (lambda score, _matches: score)
    present.sort(key=lambda item: -item[0])  # highest-scoring (rarest) lists first
    rest = [0.0] * (termcount + 1)
    for i in range(termcount - 1, -1, -1):
        rest[i] = rest[i + 1] + present[i][0]
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
    for field, words, boost, slop in leaves:
        btexts = [word.encode("utf-8") for word in words]
        if not all((field, btext) in sub for btext in btexts):
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
    for sub, offset, local in _segment_targets(searcher.reader(), targets):
        if all((field, b) in sub for b in btexts):
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
    Only ``targets`` (sorted) are looked at when given."""
    if targets is None:
        candidates: set[int] | None = None
        for btext in sorted(btexts, key=lambda b: sub.doc_frequency(field, b)):  # rarest first
            ids_of_word = _doc_ids(sub, field, btext)
            candidates = ids_of_word if candidates is None else candidates & ids_of_word
            if not candidates:
                return {}
        targets = sorted(candidates or ())
    postings = [postings_at(sub.postings(field, b), targets, values=True) for b in btexts]
    decode = searcher.schema[field].format.decode_positions
    scorers = [_TermScorer(searcher, sub, field, b, weighting) for b in btexts]
    out: dict[int, float] = {}
    for docnum in targets:
        if not all(docnum in found for found in postings):
            continue
        spans = [(p, p) for p in decode(postings[0][docnum][1])]
        for found in postings[1:]:
            spans = _extend(spans, decode(found[docnum][1]), slop)
            if not spans:
                break
        if spans:
            total = 0.0
            for scorer, found in zip(scorers, postings, strict=True):
                total += scorer.score(docnum, found[docnum][0])
            out[docnum] = total
    return out


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


def term_postings_at(
    reader: Any, field: str, text: str, targets: Sequence[int], values: bool = False
) -> dict[int, tuple[float, Any]]:
    """:func:`postings_at` for a term of ``reader``, segment by segment (global docnums)."""
    if (field, text) not in reader:
        return {}
    out: dict[int, tuple[float, Any]] = {}
    for sub, offset, local in _segment_targets(reader, targets):
        if (field, text) in sub:
            for docnum, found in postings_at(sub.postings(field, text), local, values).items():
                out[docnum + offset] = found
    return out


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
