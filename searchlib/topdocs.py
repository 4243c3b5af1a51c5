"""The best documents for the common query, scored a posting block at a time.

Almost every query a person types becomes an OR of single terms over the stemmed fields
(``title:kunjung^2 OR body:kunjung OR ...``). Whoosh scores such a query document by document
through a tree of union matchers, several Python calls per posting, and then walks every posting
again to count the matches. Here the same BM25F scores (same formula, statistics, boosts and
coordination factor as Whoosh's ``BM25F``, ``WrappingMatcher`` and ``CoordMatcher``) are summed
term by term over whole decoded blocks of document numbers and weights, and the count falls out
of the same pass. Queries of any other shape (phrases, prefixes, AND/NOT, filters, other
weightings) return None and go through Whoosh as before; tests check that both paths agree.

>>> from whoosh import query as wq
>>> plan(wq.Or([wq.Term("body", "a"), wq.Term("title", "a", boost=2.0)]))
[('body', 'a', 1.0), ('title', 'a', 2.0)]
>>> plan(wq.Phrase("body", ["a", "b"])) is None
True
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from whoosh import query as wq
from whoosh import scoring
from whoosh.util.numeric import byte_to_length

Leaf = tuple[str, str, float]  # (field, text, boost)


def plan(q: Any) -> list[Leaf] | None:
    """The ``(field, text, boost)`` terms of a flat OR of terms, or None for any other query."""
    if type(q) is wq.Term:
        return [(q.fieldname, _text(q.text), float(q.boost))]
    if type(q) is not wq.Or or getattr(q, "minmatch", 0) > 1 or q.boost != 1.0:
        return None
    leaves = list(q.children())
    if not leaves or not all(type(leaf) is wq.Term for leaf in leaves):
        return None
    return [(leaf.fieldname, _text(leaf.text), float(leaf.boost)) for leaf in leaves]


def top_docs(
    searcher: Any, q: Any, limit: int, allow: set[int] | None = None
) -> tuple[list[tuple[float, int]], int] | None:
    """``(top, total)``: the ``limit`` best ``(score, docnum)`` pairs (best first, ties by
    docnum) and how many documents match (only documents in ``allow``, when given); None when
    the query or weighting is not the plain BM25F OR this module handles (the caller then asks
    Whoosh)."""
    leaves = plan(q)
    weighting = searcher.weighting
    if leaves is None or type(weighting) is not scoring.BM25F:
        return None
    schema = searcher.schema
    if not all(field in schema and schema[field].scorable for field, _, _ in leaves):
        return None
    scale = getattr(q, "scale", None) if type(q) is wq.Or else None
    reader = searcher.reader()
    parts = [(reader, 0)] if reader.is_atomic() else reader.leaf_readers()
    lengths = _length_cache(searcher)
    best: list[tuple[float, int]] = []
    total = 0
    for sub, offset in parts:
        scored = _score_segment(searcher, sub, leaves, weighting, scale, lengths)
        if sub.has_deletions():
            for docnum in [d for d in scored if sub.is_deleted(d)]:
                del scored[docnum]
        if allow is not None:
            scored = {d: score for d, score in scored.items() if d + offset in allow}
        total += len(scored)
        # The same order as Whoosh's collector: higher score first, then lower docnum.
        segment_best = heapq.nlargest(limit, ((score, -docnum) for docnum, score in scored.items()))
        best.extend((score, offset - negdoc) for score, negdoc in segment_best)
    best.sort(key=lambda pair: (-pair[0], pair[1]))
    return best[:limit], total


def _score_segment(
    searcher: Any,
    sub: Any,
    leaves: Sequence[Leaf],
    weighting: Any,
    scale: float | None,
    lengths: dict[tuple[int, str], bytes],
) -> dict[int, float]:
    scores: dict[int, float] = {}
    matched: dict[int, int] = {}
    termcount = 0
    k1 = weighting.K1
    for field, text, boost in leaves:
        btext = text.encode("utf-8")
        if (field, btext) not in sub:
            continue
        termcount += 1
        idf = searcher.idf(field, btext)
        avgfl = searcher.avg_field_length(field) or 1
        b = weighting._field_B.get(field, weighting.B)
        # K1 * ((1 - B) + B * fl / avgfl) for each one-byte encoded field length, as Whoosh's
        # bm25() computes it from doc_field_length(); a length byte of 0 never matches.
        norms = [k1 * ((1 - b) + b * byte_to_length(n) / avgfl) if n else 0.0 for n in range(256)]
        docs_lengths = _lengths(sub, field, lengths)
        k1p1 = k1 + 1
        for ids, weights in _blocks(sub.postings(field, btext)):
            for docnum, w in zip(ids, weights, strict=True):
                s = idf * ((w * k1p1) / (w + norms[docs_lengths[docnum]]))
                if boost != 1.0:
                    s = s * boost
                if docnum in scores:
                    scores[docnum] += s
                    matched[docnum] += 1
                else:
                    scores[docnum] = s
                    matched[docnum] = 1
    if scale and termcount and termcount != scale:
        # Whoosh's CoordMatcher ("SQR" short-query ranking) over the terms in this segment.
        gap = (termcount - scale) ** 2
        factor = (termcount - 1) / termcount
        for docnum, score in scores.items():
            scores[docnum] = (score + ((matched[docnum] - 1) / gap)) * factor
    elif scale and termcount:
        return dict.fromkeys(scores, 0.0)
    return scores


def _blocks(matcher: Any) -> Any:
    """``(ids, weights)`` of a posting list, a decoded block at a time where the matcher is
    Whoosh's on-disk one, else one posting at a time."""
    if all(hasattr(matcher, a) for a in ("_read_ids", "_read_weights", "_next_block", "_i")):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            start = matcher._i
            yield matcher._ids[start:], matcher._weights[start:]
            matcher._next_block()
        return
    ids, weights = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    yield ids, weights


def _length_cache(searcher: Any) -> dict[tuple[int, str], bytes]:
    cache = getattr(searcher, "_searchlib_lengths", None)
    if cache is None:
        cache = {}
        searcher._searchlib_lengths = cache
    return cache


def _lengths(sub: Any, field: str, cache: dict[tuple[int, str], bytes]) -> bytes:
    """One length byte per document of the segment for ``field`` (0: empty or absent)."""
    key = (id(sub), field)
    found = cache.get(key)
    if found is None:
        count = sub.doc_count_all()
        found = bytes(_length_bytes(sub, field, count))
        cache[key] = found
    return found


def _length_bytes(sub: Any, field: str, count: int) -> bytes | bytearray:
    perdoc = getattr(sub, "_perdoc", None)
    column = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is not None and all(hasattr(column, a) for a in ("_dbfile", "_basepos", "_count")):
        raw = column._dbfile.get(column._basepos, min(column._count, count))
        return raw + bytes(count - len(raw))
    from whoosh.util.numeric import length_to_byte

    # Any other reader: ask for each document's length (slower, once per searcher).
    out = bytearray(count)
    for docnum in range(count):
        length = sub.doc_field_length(docnum, field, 0) or 0
        out[docnum] = length_to_byte(length) if length else 0
    return out


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
