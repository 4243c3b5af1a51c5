"""The postings format of searchlib's text fields: positions as varint gaps, one encoding.

>>> f = VarintPositions()
>>> f.decode_positions(f.encode([3, 49, 200]))
[3, 49, 200]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import formats

from searchlib._whoosh import pack_uint, unpack_count

__all__ = ["MAX_POSITIONS", "VarintPositions"]

#: Positions kept per word and document: at most 3 bytes each in any document under about 40
#: million words, so a value stays under Whoosh's 64 KB inline limit.
MAX_POSITIONS = 16_384


class VarintPositions(formats.Positions):
    """Whoosh's ``Positions`` postings format with one unambiguous encoding.

    whoosh-ng 5.4 writes positions as varints but decides whether a stored value is its legacy
    pickle format by testing whether it ends with ``b"."``; a position gap of 46 encodes as
    ``b"."`` and the phrase query then crashes (``UnpicklingError``). Whoosh 2.7 pickles
    positions instead. This format encodes the same way on both: a count, then varint gaps.

    A word's first :data:`MAX_POSITIONS` positions in one document are kept (phrases, proximity
    and snippets see those); its frequency, which scores it, counts every occurrence. Whoosh
    stores a term found in one document with its positions inline, behind a 16-bit length, so a
    document repeating one word 70,000 times could not be committed at all without the cap.

    >>> f = VarintPositions()
    >>> f.decode_positions(f.encode([3, 49, 200]))
    [3, 49, 200]
    >>> len(f.decode_positions(f.encode(list(range(100_000)))))
    16384
    """

    def encode(self, poslist: list[int]) -> bytes:
        if len(poslist) > MAX_POSITIONS:
            poslist = poslist[:MAX_POSITIONS]
        out = bytearray(pack_uint(len(poslist)))
        small = _GAP_BYTES or _gap_tables()[0]
        base = 0
        for position in poslist:
            gap = position - base
            base = position
            if gap < _SMALL_GAP:
                out += small[gap]
                continue
            while gap > 0x7F:
                out.append((gap & 0x7F) | 0x80)
                gap >>= 7
            out.append(gap)
        return bytes(out)

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        # searchlib's analyzer gives each term's positions in one call, with no token object
        # per word; other analyzers (and other modes) take Whoosh's token-by-token path.
        term_positions = getattr(analyzer, "term_positions", None)
        if term_positions is None or not isinstance(value, str) or kwargs.get("mode") != "index":
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        encode = self.encode
        once_at = _ONCE_AT or _gap_tables()[1]
        for term, poslist in term_positions(value).items():
            if len(poslist) == 1 and poslist[0] < _SMALL_GAP:  # most terms occur once
                yield term, 1, boost, once_at[poslist[0]]
            else:
                yield term, len(poslist), len(poslist) * boost, encode(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        count, index = unpack_count(valuestring)
        positions = []
        position = 0
        for _ in range(count):
            gap = shift = 0
            while True:
                byte = valuestring[index]
                index += 1
                gap |= (byte & 0x7F) << shift
                shift += 7
                if byte < 0x80:
                    break
            position += gap
            positions.append(position)
        return positions

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(position, 1.0) for position in self.decode_positions(valuestring)]

    def combine(self, vs: list[bytes]) -> bytes:
        merged: set[int] = set()
        for value in vs:
            merged.update(self.decode_positions(value))
        return self.encode(sorted(merged))


# Varint bytes of the gaps that fit two bytes, precomputed on first use (encoding is on the
# indexing hot path; a process that only searches never builds them).
_SMALL_GAP = 1 << 14
_GAP_BYTES: tuple[bytes, ...] = ()
_ONCE_AT: tuple[bytes, ...] = ()  # the encoding of [position]


def _gap_tables() -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    global _GAP_BYTES, _ONCE_AT
    if not _ONCE_AT:
        gaps = tuple(
            bytes([gap]) if gap < 0x80 else bytes([(gap & 0x7F) | 0x80, gap >> 7])
            for gap in range(_SMALL_GAP)
        )
        _GAP_BYTES = gaps  # first: a thread that sees _ONCE_AT set finds _GAP_BYTES set too
        _ONCE_AT = tuple(pack_uint(1) + gap for gap in gaps)
    return _GAP_BYTES, _ONCE_AT
