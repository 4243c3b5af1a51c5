"""Ranking beyond one BM25F pass: question words, and a proximity and lede rerank.

:func:`searchlib.search.search` scores a query with Whoosh's BM25F over the stemmed and
exact-form fields, then this module reorders the best-scored documents by where the query's
words stand in them:

- **proximity**: query words that are neighbours in the query and stand close together in the
  document add ``proximity * (idf(a) + idf(b)) * (1 + early) / distance``, for distances up to
  ``proximity_window`` words (written order; the reverse order counts one word further), where
  ``early`` falls from 1 at the start of the body to 0 at ``lede_window`` words: words standing
  together in the lede count up to twice. "Menteri Pertahanan Jepang pertama yang mengunjungi
  Korea" then beats an article that only mentions Jepang and Korea in its title.
- **lede**: news puts its subject in the first sentences, so each query word adds
  ``lede_boost * idf * (1 - first_position / lede_window)`` when it first appears within the
  first ``lede_window`` words of the body.

Both need only the word positions the index already stores; they are read from the postings
of the query's words for the ``rerank_depth`` best documents, so the cost does not grow with
the index. Query words are also cleaned first: question words (``apakah``, ``siapakah``,
``di manakah``, ``berapa``, ``kapan``...) ask for the answer and are not words of it, so they
are dropped from natural-language queries (``question_words``).

>>> drop_question_words("Di kota manakah letak kantor pusat WHO?")
'Di kota letak kantor pusat WHO?'
>>> drop_question_words("Siapa?")
'Siapa?'
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from whoosh import query as wq

from searchlib.topdocs import term_postings_at

__all__ = [
    "QUESTION_WORDS",
    "add_to_head",
    "drop_question_words",
    "proximity_units",
    "rerank",
    "rerank_bonus",
    "reranks",
]

PROXIMITY_FIELD = "body"

# Indonesian interrogatives. Written forms add the clitic -kah/-tah (`siapakah`), the
# prepositions di-/ke-/dari- joined on (`dimana`, `darimana`) or both (`dimanakah`).
_INTERROGATIVES = (
    "apa",
    "siapa",
    "mana",
    "kapan",
    "berapa",
    "bagaimana",
    "mengapa",
    "kenapa",
    "bilamana",
    "manakala",
)
QUESTION_WORDS = frozenset(
    prefix + word + clitic
    for word in _INTERROGATIVES
    for prefix in ("", "di", "ke", "dari")
    for clitic in ("", "kah", "tah")
    if not prefix or word == "mana"
)

# A word outside query syntax: not after `field:`, `+`/`-`, or inside another word.
_WORD = re.compile(r"(?<![\w:+\-^~*])(\w+)(?![\w:\-^~*])")
_PHRASES = re.compile(r'("[^"]*")')
_OPERATORS = re.compile(r"(?<!\S)(AND|OR|NOT|ANDNOT|DAN|ATAU|BUKAN)(?!\S)")


class _Ranking(Protocol):
    proximity: float
    proximity_window: int
    lede_boost: float
    lede_window: int
    rerank_depth: int


def drop_question_words(text: str) -> str:
    """The query text without its question words (outside quotes and query syntax).

    Words written in capitals are kept (``APA`` may be an acronym), and so is the whole text
    when nothing but question words would be left, or when it uses boolean operators.

    >>> drop_question_words('Berapakah "apa kabar" judul:siapa +apa APA')
    '"apa kabar" judul:siapa +apa APA'
    >>> drop_question_words("siapa AND menteri")
    'siapa AND menteri'
    """
    if _OPERATORS.search(_PHRASES.sub(" ", text)):
        return text
    parts = _PHRASES.split(text)
    changed = False
    for i in range(0, len(parts), 2):  # even parts are outside quoted phrases

        def drop(match: re.Match[str]) -> str:
            nonlocal changed
            word = match.group(1)
            if word.lower() in QUESTION_WORDS and not word.isupper():
                changed = True
                return ""
            return word

        parts[i] = _WORD.sub(drop, parts[i])
    if not changed:
        return text
    result = re.sub(r"[ \t]{2,}", " ", "".join(parts)).strip()
    if not any(ch.isalnum() for ch in _PHRASES.sub("", result)) and '"' not in result:
        return text
    return result


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
        return [(_text(q.text),)] if q.fieldname == fieldname else []
    if isinstance(q, wq.Phrase):
        return [tuple(_text(w) for w in q.words)] if q.fieldname == fieldname else []
    units: list[tuple[str, ...]] = []
    if not q.is_leaf():
        for child in q.children():
            units.extend(proximity_units(child, fieldname))
    return units


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def reranks(ranking: _Ranking) -> bool:
    """Whether a ranking reorders results by positions at all."""
    return ranking.rerank_depth > 0 and (ranking.proximity > 0 or ranking.lede_boost > 0)


def rerank(
    searcher: Any,
    top: Sequence[tuple[float, int]],
    units: Sequence[tuple[str, ...]],
    ranking: _Ranking,
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


def rerank_bonus(
    searcher: Any, docnum: int, units: Sequence[tuple[str, ...]], ranking: _Ranking
) -> dict[str, float]:
    """One document's ``{"proximity": ..., "lede": ...}`` bonuses (for explanations)."""
    parts: dict[str, float] = {}
    _bonuses(searcher, [docnum], units, ranking, parts)
    return parts


def _bonuses(
    searcher: Any,
    docnums: Iterable[int],
    units: Sequence[tuple[str, ...]],
    ranking: _Ranking,
    parts: dict[str, float] | None = None,
) -> dict[int, float]:
    reader = searcher.reader()
    words = sorted({word for unit in units for word in unit})
    targets = sorted(set(docnums))
    positions = {word: _positions(reader, word, targets) for word in words}
    idf = {word: searcher.idf(PROXIMITY_FIELD, word) for word in words if positions[word]}
    pairs = [(a[-1], b[0]) for a, b in itertools.pairwise(units) if a[-1] != b[0]]
    window = max(1, ranking.proximity_window)
    lede_window = max(1, ranking.lede_window)
    out: dict[int, float] = {}
    for docnum in targets:
        proximity = lede = 0.0
        if ranking.proximity > 0:
            for a, b in pairs:
                pa = positions[a].get(docnum)
                pb = positions[b].get(docnum) if pa else None
                if pa and pb:
                    proximity += (idf[a] + idf[b]) * _closeness(pa, pb, window, lede_window)
        if ranking.lede_boost > 0:
            for word in words:
                found = positions[word].get(docnum)
                if found and found[0] < lede_window:
                    lede += idf[word] * (1.0 - found[0] / lede_window)
        proximity *= ranking.proximity
        lede *= ranking.lede_boost
        out[docnum] = proximity + lede
        if parts is not None:
            parts["proximity"] = proximity
            parts["lede"] = lede
    return out


def _positions(reader: Any, word: str, targets: Sequence[int]) -> dict[int, list[int]]:
    """``docnum -> positions`` of ``word`` in the proximity field, for ``targets`` (sorted)."""
    if not targets or (PROXIMITY_FIELD, word) not in reader:
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
