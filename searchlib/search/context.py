"""What lives as long as one snapshot of the index: caches shared by the searches on it.

A Whoosh reader is one snapshot (the last commit when it was opened). Length columns, the
spelling corrector and the searchers scoring with other BM25F parameters cost something to
build and stay valid for exactly that snapshot, so they are kept here, keyed weakly by the
reader: they go when the reader does, and nothing is hung on Whoosh's own objects.

>>> class Reader: ...
>>> reader = Reader()
>>> context_for(reader) is context_for(reader)
True
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import Counter
from typing import Any

from whoosh import scoring
from whoosh.searching import Searcher

from searchlib._whoosh import has_field_b_overrides, text_of
from searchlib.search.options import Ranking
from searchlib.search.postings import PostingCache

__all__ = [
    "SearchContext",
    "WordGrams",
    "bm25f",
    "building_seconds",
    "context_for",
    "weighted_searcher",
    "word_grams",
]


class SearchContext:
    """Caches for one reader: segment length bytes, searchers per BM25F setting, word grams."""

    def __init__(self) -> None:
        #: ``(id(segment reader), field) -> one length byte per document``.
        self.lengths: dict[tuple[int, str], bytes] = {}
        #: ``(k1, b) -> Whoosh searcher`` scoring with those parameters on this reader.
        self.searchers: dict[tuple[float, float], Any] = {}
        #: ``(field, prefix) -> WordGrams`` of that field's words starting with the prefix, for
        #: fuzzy words (prefix "") and spelling corrections (a first letter).
        self.word_grams: dict[tuple[str, str], WordGrams] = {}
        #: Decoded posting lists of large segments (numpy arrays, bounded).
        self.postings: PostingCache = PostingCache()
        #: Arrays derived per segment for array scoring: length norms, deletion masks.
        self.arrays: dict[Any, Any] = {}
        #: ``(id(reader), field, term bytes) -> whether that reader (this one or one of its
        #: segments) has the term``; see :meth:`has`.
        self.terms: dict[tuple[int, str, bytes], bool] = {}
        #: ``(id(reader), field, term bytes) -> Whoosh term info``; see :meth:`term_info`.
        self.infos: dict[tuple[int, str, bytes], Any] = {}
        #: Keys :meth:`seen_before` has been asked about (posting lists read by blocks).
        self.seen: dict[Any, bool] = {}

    def seen_before(self, key: Any) -> bool:
        """Whether ``key`` was passed here before on this snapshot (it is remembered now; at
        most :data:`_TERMS_KEPT` keys, then it starts again)."""
        if key in self.seen:
            return True
        _keep(self.seen, key, True)
        return False

    def has(self, reader: Any, field: str, text: str | bytes) -> bool:
        """``(field, text) in reader``, remembered: ``reader`` is this snapshot's reader or one
        of its segments'. Whoosh answers from a hash table on disk (an md5 and a read, tens of
        microseconds); a search asks the same question tens of times.

        >>> from whoosh.filedb.filestore import RamStorage
        >>> from whoosh.fields import Schema, TEXT
        >>> ix = RamStorage().create_index(Schema(body=TEXT))
        >>> with ix.writer() as w:
        ...     w.add_document(body="harga beras")
        >>> reader = ix.reader()
        >>> has = context_for(reader).has
        >>> has(reader, "body", "beras"), has(reader, "body", b"gula")
        (True, False)
        """
        btext = text.encode("utf-8") if isinstance(text, str) else text
        key = (id(reader), field, btext)
        found = self.terms.get(key)
        if found is None:
            found = _keep(self.terms, key, (field, btext) in reader)
        return found

    def term_info(self, reader: Any, field: str, text: str | bytes) -> Any:
        """``reader.term_info(field, text)``, remembered (as :meth:`has` is: Whoosh reads it
        from the on-disk hash table each time, and one search asks for a term's statistics
        several times: to order lists, to bound scores, to weight snippets). The term must be
        in ``reader``."""
        btext = text.encode("utf-8") if isinstance(text, str) else text
        key = (id(reader), field, btext)
        info = self.infos.get(key)
        if info is None:
            info = _keep(self.infos, key, reader.term_info(field, btext))
        return info

    def doc_frequency(self, reader: Any, field: str, text: str | bytes) -> int:
        """How many documents of ``reader`` hold the term (0 where none does), remembered.

        >>> from whoosh.filedb.filestore import RamStorage
        >>> from whoosh.fields import Schema, TEXT
        >>> ix = RamStorage().create_index(Schema(body=TEXT))
        >>> with ix.writer() as w:
        ...     w.add_document(body="harga beras")
        ...     w.add_document(body="beras naik")
        >>> reader = ix.reader()
        >>> [context_for(reader).doc_frequency(reader, "body", w) for w in ("beras", "gula")]
        [2, 0]
        """
        if not self.has(reader, field, text):
            return 0
        return int(self.term_info(reader, field, text).doc_frequency())


#: The most term answers one snapshot keeps (then it starts again): a few MB.
_TERMS_KEPT = 100_000


def _keep(table: dict[Any, Any], key: Any, value: Any) -> Any:
    """Store ``value`` under ``key`` in a table of at most :data:`_TERMS_KEPT` answers."""
    if len(table) >= _TERMS_KEPT:
        table.clear()
    table[key] = value
    return value


class WordGrams:
    """The words of one field and, per letter pair, which words hold it (fuzzy look-up).

    An edit (a letter replaced, added or removed) changes at most two of a word's letter pairs
    (counted with a start and an end mark, so ``kata`` has ``^k ka at ta a$``): a word within
    ``d`` edits of a query word of ``n`` letters shares at least ``n + 1 - 2d`` pairs with it,
    so only words sharing that many need their distance computed.
    """

    def __init__(self, words: list[str]) -> None:
        self.words = words
        pairs: dict[str, list[int]] = {}
        for number, word in enumerate(words):
            marked = f"^{word}$"
            for pair in {marked[i : i + 2] for i in range(len(marked) - 1)}:
                found = pairs.get(pair)
                if found is None:
                    pairs[pair] = [number]
                else:
                    found.append(number)
        self.pairs = pairs

    def candidates(self, word: str, maxdist: int) -> list[str]:
        """Words that may lie within ``maxdist`` edits of ``word`` (a superset)."""
        pairs = set(letter_pairs(word))
        need = len(pairs) - 2 * maxdist  # distinct pairs: an edit removes at most two
        lo, hi = len(word) - maxdist, len(word) + maxdist
        if need <= 0:
            return [w for w in self.words if lo <= len(w) <= hi]
        counts: Counter[int] = Counter()
        for pair in pairs:
            counts.update(self.pairs.get(pair, ()))
        words = self.words
        return [words[n] for n, c in counts.items() if c >= need and lo <= len(words[n]) <= hi]


def letter_pairs(word: str) -> list[str]:
    """``^k ka at ta a$`` for ``kata``."""
    marked = f"^{word}$"
    return [marked[i : i + 2] for i in range(len(marked) - 1)]


_CONTEXTS: weakref.WeakKeyDictionary[Any, SearchContext] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def context_for(reader: Any) -> SearchContext:
    """The caches of ``reader``'s snapshot (made on first use; safe across threads)."""
    found = _CONTEXTS.get(reader)
    if found is None:
        with _LOCK:
            found = _CONTEXTS.setdefault(reader, SearchContext())
    return found


def word_grams(reader: Any, fieldname: str, prefix: str = "") -> WordGrams:
    """The :class:`WordGrams` of the words of a field of ``reader``'s snapshot that start with
    ``prefix`` (built on first use)."""
    grams = context_for(reader).word_grams
    found = grams.get((fieldname, prefix))
    if found is None:
        started = time.perf_counter()
        subs = [reader] if reader.is_atomic() else [sub for sub, _ in reader.leaf_readers()]
        if prefix:
            unique = {btext for sub in subs for btext in sub.expand_prefix(fieldname, prefix)}
        else:
            unique = {btext for sub in subs for btext in sub.lexicon(fieldname)}
        words = sorted(text_of(btext) for btext in unique)
        found = grams.setdefault((fieldname, prefix), WordGrams(words))
        _BUILDING.seconds = getattr(_BUILDING, "seconds", 0.0) + time.perf_counter() - started
    return found


_BUILDING = threading.local()


def building_seconds() -> float:
    """Seconds this thread has spent building per-snapshot caches (:func:`word_grams`)."""
    return float(getattr(_BUILDING, "seconds", 0.0))


def weighted_searcher(searcher: Any, ranking: Ranking) -> Any:
    """The searcher scoring with this ranking's BM25F parameters (shares the reader).

    The index's searcher scores with Whoosh's default BM25F, which is ``Ranking()``'s; other
    parameters get a searcher of their own on the same reader, kept for the snapshot.
    """
    current = getattr(searcher, "weighting", None)
    if (
        type(current) is scoring.BM25F
        and (ranking.k1, ranking.b) == (current.K1, current.B)
        and not has_field_b_overrides(current)
    ):
        return searcher
    reader = searcher.reader()
    cached = context_for(reader).searchers
    key = (ranking.k1, ranking.b)
    if key not in cached:
        cached[key] = Searcher(reader, weighting=bm25f(ranking), closereader=False)
    return cached[key]


def bm25f(ranking: Ranking) -> Any:
    """The Whoosh BM25F weighting for a ranking."""
    return scoring.BM25F(B=ranking.b, K1=ranking.k1)
