"""A term's posting list as two numpy arrays, decoded once per snapshot and kept in a bounded cache.

Whoosh stores a posting list as blocks of 128 pickled, zlib-compressed document gaps and
weights; reading one means a decompress, an unpickle and a Python loop per block, and scoring it
another Python loop per posting. On a large segment :mod:`~searchlib.search.topdocs` instead
asks for the whole list as arrays (segment document numbers, weights) and scores it in a few
numpy operations; the arrays are kept, least recently used first out, up to
:data:`CACHE_BYTES` (256 MB; ``SEARCHLIB_POSTING_CACHE_MB`` sets another budget) per snapshot,
so a word searched again costs no decoding at all.

Phrases, the written-form bonus and the rerank need positions too: for them a list is kept
with each posting's encoded positions, joined into one string with an array of offsets. Segments
smaller than :data:`NUMPY_FROM_DOCS` documents stay on the Python path over Whoosh's blocks
(numpy is not even imported for them: a small index starts as fast as before).

>>> arrays = TermArrays.from_blocks([((0, 3), (1.0, 2.0)), ((9,), (1.0,))])
>>> arrays.ids.tolist(), arrays.weights.tolist(), arrays.nbytes
([0, 3, 9], [1.0, 2.0, 1.0], 24)
>>> arrays.at([3, 4, 9])
{3: 2.0, 9: 1.0}
>>> TermArrays.from_blocks([((2, 5), (1.0, 1.0), (b"ab", b"c"))]).postings_at([5])
{5: (1.0, b'c')}
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from searchlib._whoosh import block_postings

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "CACHE_BYTES",
    "CACHE_ENV",
    "NUMPY_FROM_DOCS",
    "PostingCache",
    "TermArrays",
    "cache_budget",
    "term_arrays",
    "uses_arrays",
]

#: Segments with at least this many documents are scored with numpy arrays.
NUMPY_FROM_DOCS = 4096

#: The most bytes of decoded posting arrays one snapshot keeps by default (8 bytes a posting,
#: more with positions). ``SEARCHLIB_POSTING_CACHE_MB`` overrides it (0 keeps nothing).
CACHE_BYTES = 256 << 20
CACHE_ENV = "SEARCHLIB_POSTING_CACHE_MB"


def cache_budget() -> int:
    """The posting cache budget in bytes: ``SEARCHLIB_POSTING_CACHE_MB`` when it holds a whole
    number of megabytes (0 or more), else :data:`CACHE_BYTES` (as ``SEARCHLIB_WORKERS``, a
    value that is not a number is ignored)."""
    try:
        value = int(os.environ.get(CACHE_ENV, ""))
    except ValueError:
        return CACHE_BYTES
    return value << 20 if value >= 0 else CACHE_BYTES


def uses_arrays(sub: Any) -> bool:
    """Whether the segment reader ``sub`` is scored with arrays (it is large enough)."""
    return bool(sub.doc_count_all() >= NUMPY_FROM_DOCS)


@dataclass(frozen=True, slots=True)
class TermArrays:
    """One term's postings in one segment: sorted ``ids`` (int32) and their ``weights``
    (float32, Whoosh's own stored precision; widened exactly to float64 when scored)."""

    ids: np.ndarray
    weights: np.ndarray
    #: Each posting's value (the encoded positions), all joined, when asked for: posting ``i``'s
    #: is ``values[offsets[i]:offsets[i + 1]]``.
    values: bytes | None = None
    offsets: np.ndarray | None = None

    @classmethod
    def from_blocks(
        cls,
        blocks: Iterable[tuple[Sequence[int], Sequence[float]]]
        | Iterable[tuple[Sequence[int], Sequence[float], Sequence[bytes]]],
    ) -> TermArrays:
        """Concatenate decoded ``(ids, weights)`` or ``(ids, weights, values)`` blocks."""
        import numpy as np

        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] | None = None
        for block in blocks:
            ids.extend(block[0])
            weights.extend(block[1])
            if len(block) > 2:
                values = [] if values is None else values
                values.extend(block[2])  # type: ignore[misc]
        arrays = cls(np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32))
        if values is None:
            return arrays
        offsets = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum([len(v) for v in values], out=offsets[1:])
        return cls(arrays.ids, arrays.weights, b"".join(values), offsets)

    @property
    def nbytes(self) -> int:
        extra = (
            0
            if self.values is None or self.offsets is None
            else (len(self.values) + self.offsets.nbytes)
        )
        return int(self.ids.nbytes + self.weights.nbytes) + extra

    def postings_at(
        self, targets: Sequence[int], values: bool = True
    ) -> dict[int, tuple[float, bytes | None]]:
        """``docnum -> (weight, value)`` for those of the sorted ``targets`` that have a
        posting (values None unless decoded and asked for), as
        :func:`searchlib._whoosh.postings_at`."""
        import numpy as np

        wanted = np.asarray(targets, dtype=np.int64)
        found, where = self.positions_of(wanted)
        docs = wanted[found].tolist()
        weights = self.weights[where].astype(float).tolist()
        if not values or self.values is None or self.offsets is None:
            return {d: (w, None) for d, w in zip(docs, weights, strict=True)}
        values, starts, ends = self.values, self.offsets[where].tolist(), self.offsets[where + 1]
        return {
            d: (w, values[a:b])
            for d, w, a, b in zip(docs, weights, starts, ends.tolist(), strict=True)
        }

    def positions_of(self, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(found, where)``: which of the sorted ``targets`` have a posting, and the index
        of each found one's posting in :attr:`ids`."""
        import numpy as np

        if not len(self.ids):
            return np.zeros(len(targets), dtype=bool), np.zeros(0, dtype=np.intp)
        where = np.searchsorted(self.ids, targets)
        where[where == len(self.ids)] = 0
        found = self.ids[where] == targets
        return found, where[found]

    def at(self, targets: Sequence[int]) -> dict[int, float]:
        """``docnum -> weight`` for those of the sorted ``targets`` that have a posting."""
        import numpy as np

        wanted = np.asarray(targets, dtype=np.int64)
        found, where = self.positions_of(wanted)
        return dict(
            zip(wanted[found].tolist(), self.weights[where].astype(float).tolist(), strict=True)
        )


class PostingCache:
    """Decoded :class:`TermArrays` by ``(segment, field, term)``, least recently used out
    beyond ``budget`` bytes; safe to share between threads."""

    def __init__(self, budget: int | None = None) -> None:
        self.budget: int = cache_budget() if budget is None else budget
        self.nbytes: int = 0
        self._items: OrderedDict[tuple[int, str, bytes], TermArrays] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[int, str, bytes]) -> TermArrays | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[int, str, bytes], arrays: TermArrays) -> None:
        size = arrays.nbytes
        if size > self.budget:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.nbytes -= old.nbytes
            self._items[key] = arrays
            self.nbytes += size
            while self.nbytes > self.budget:
                _key, dropped = self._items.popitem(last=False)
                self.nbytes -= dropped.nbytes

    def __len__(self) -> int:
        return len(self._items)


def term_arrays(
    sub: Any,
    field: str,
    btext: bytes,
    cache: PostingCache | None,
    *,
    cached_only: bool = False,
    values: bool = False,
) -> TermArrays | None:
    """The postings of ``btext`` in ``field`` of the segment reader ``sub`` as arrays (from
    ``cache`` when there, decoded and kept there otherwise), with each posting's value when
    ``values``; None when the segment lacks the term, or with ``cached_only`` when it is not
    cached."""
    key = (id(sub), field, btext)
    if cache is not None:
        found = cache.get(key)
        if found is not None and (found.values is not None or not values):
            return found
    if cached_only or (field, btext) not in sub:
        return None
    matcher = sub.postings(field, btext)
    if values:
        blocks: Any = block_postings(matcher, values=True)
    else:
        blocks = ((ids, weights) for ids, weights, _values in block_postings(matcher))
    arrays = TermArrays.from_blocks(blocks)
    if cache is not None:
        cache.put(key, arrays)
    return arrays
