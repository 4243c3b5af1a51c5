"""Acronym phrases as index tokens: the documents where each acronym's phrase stands.

An acronym is indexed as its expansion's words (``KPK`` -> ``komisi berantas korupsi``), so a
query for it is a phrase, and a phrase used to be checked on the positions of every document
having all its words: tens of thousands of position lists for ``kpk tangkap`` at 100k articles.
The ``phrases`` field indexes one token per text field and acronym phrase standing in a
document (``body komisi berantas korupsi``), wherever the acronym or its written-out form is
written, so the documents holding a phrase are one posting list and search reads that instead
of positions (:func:`indexed_phrase`).

Scores do not change: a phrase still scores its words' BM25F sum in its own field (this field
has no lengths and scores nothing); only the test of whether it stands moves from positions to
this list. The phrases are those of :meth:`IndonesianAnalyzer.acronym_phrases`, found on the
same term positions the text field indexes (each word's first
:data:`~searchlib.index.positions.MAX_POSITIONS`, as phrase queries see them), so the list
holds exactly the documents a phrase query on positions finds.

>>> from searchlib.analysis import IndonesianAnalyzer
>>> field = PhraseField([("body", IndonesianAnalyzer())])
>>> sorted(text for text, *_ in field.index(("Ketua KPK dan Menlu Amerika Serikat",)))
[b'body amerika serikat', b'body komisi berantas korupsi', b'body menteri luar negeri']
>>> field.token("body", ("komisi", "berantas", "korupsi"), 1)
b'body komisi berantas korupsi'
>>> field.token("body", ("komisi", "korupsi"), 1) is None  # not an acronym's phrase
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from whoosh import fields, formats
from whoosh.analysis import IDTokenizer

from searchlib.index.positions import MAX_POSITIONS

__all__ = [
    "PHRASES",
    "PhraseField",
    "indexed_phrase",
    "phrase_field_of",
    "prepare_phrases",
    "standing",
]

#: The field's name in a searchlib schema.
PHRASES = "phrases"


class PhraseField(fields.FieldType):
    """A Whoosh field whose value is one text per source field (``(field, analyzer)`` in
    ``sources``) and whose terms are ``"<field> <word> <word>..."`` for each acronym phrase
    standing in that text, with no frequency or positions (Whoosh's ``Existence`` format)."""

    def __init__(self, sources: Sequence[tuple[str, Any]]) -> None:
        self.sources: tuple[tuple[str, Any], ...] = tuple(sources)
        self.format: Any = formats.Existence()
        self.analyzer: Any = IDTokenizer()
        self.scorable: Any = False
        self.stored: Any = False
        self.unique: Any = False
        self._starts: dict[str, Mapping[str, tuple[tuple[str, ...], ...]]] | None = None

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.sources == self.sources  # type: ignore[attr-defined]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_starts"] = None  # rebuilt from the analyzers' options on first use
        return state

    def index(self, value: Any, **_kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        """``(term, 1, 1.0, b"")`` per phrase standing in the texts of ``value`` (one text, or
        None, per source field)."""
        if isinstance(value, str) or len(value) != len(self.sources):
            raise ValueError(f"the {PHRASES} field takes one text per source field")
        found: set[str] = set()
        for (name, analyzer), text in zip(self.sources, value, strict=True):
            if text:
                starts = self._phrase_starts(name, analyzer)
                if starts:
                    positions = analyzer.term_positions(text)
                    found.update(f"{name} {' '.join(p)}" for p in standing(positions, starts))
        for text in sorted(found):
            yield text.encode("utf-8"), 1, 1.0, b""

    def token(self, field: str, words: Sequence[str], slop: int) -> bytes | None:
        """This field's term for the phrase ``words`` in ``field`` with ``slop``, or None when
        the field does not index that phrase (then positions must be checked)."""
        if slop != 1:
            return None
        for name, analyzer in self.sources:
            if name == field:
                starts = self._phrase_starts(name, analyzer).get(words[0], ())
                if tuple(words) in starts:
                    return f"{field} {' '.join(words)}".encode()
        return None

    def _phrase_starts(self, name: str, analyzer: Any) -> Mapping[str, tuple[tuple[str, ...], ...]]:
        starts = self._starts
        if starts is None:
            starts = self._starts = {}
        found = starts.get(name)
        if found is None:
            found = starts[name] = _by_first(analyzer.acronym_phrases())
        return found

    def recorded(self) -> dict[str, list[str]]:
        """Source field -> its acronym phrases (words joined by spaces), as the index manifest
        records them: an index opened in a new process then reads them instead of analysing
        every acronym and expansion (about 20 ms). The manifest's schema names each field's
        analyzer options, checked at open, so these are the phrases the analyzers would work
        out. A field with a phrase whose words hold a space is left out (worked out instead).

        >>> from searchlib.analysis import IndonesianAnalyzer
        >>> field = PhraseField([("body", IndonesianAnalyzer())])
        >>> "amerika serikat" in field.recorded()["body"]
        True
        """
        out: dict[str, list[str]] = {}
        for name, analyzer in self.sources:
            phrases = sorted(analyzer.acronym_phrases())
            if not any(" " in word for phrase in phrases for word in phrase):
                out[name] = [" ".join(phrase) for phrase in phrases]
        return out

    def use_recorded(self, recorded: object) -> bool:
        """Take the phrases a manifest recorded (see :meth:`recorded`) for the source fields it
        has them for; the others are worked out on first use as before. False, and nothing
        taken, when ``recorded`` is not of that shape.

        >>> from searchlib.analysis import IndonesianAnalyzer
        >>> field = PhraseField([("body", IndonesianAnalyzer())])
        >>> field.use_recorded({"body": ["satu dua"]}), field.token("body", ["satu", "dua"], 1)
        (True, b'body satu dua')
        >>> field.use_recorded({"body": "satu dua"}), field.use_recorded({"body": ["satu"]})
        (False, False)
        """
        if not isinstance(recorded, dict):
            return False
        taken: dict[str, Mapping[str, tuple[tuple[str, ...], ...]]] = {}
        for name, _analyzer in self.sources:
            texts = recorded.get(name)
            if texts is None:
                continue
            if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                return False
            phrases = [tuple(text.split(" ")) for text in texts]
            if not all(len(p) > 1 and all(p) for p in phrases):
                return False
            taken[name] = _by_first(phrases)
        if self._starts is None:
            self._starts = {}
        self._starts.update(taken)
        return True

    def prepare(self) -> None:
        """Work out now the phrases of every source not yet known (the one-off work of a
        process's first phrase query or first indexed document)."""
        for name, analyzer in self.sources:
            self._phrase_starts(name, analyzer)


def _by_first(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """First word -> the phrases starting with it, each list sorted."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases):
        by_first.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(p) for first, p in by_first.items()}


def standing(
    positions: Mapping[str, Sequence[int]], starts: Mapping[str, Sequence[tuple[str, ...]]]
) -> Iterator[tuple[str, ...]]:
    """The phrases of ``starts`` (first word -> phrases) whose words stand at consecutive
    positions in ``positions`` (term -> sorted positions, as
    :meth:`IndonesianAnalyzer.term_positions` gives them; each term's first
    :data:`MAX_POSITIONS` count, as the index keeps them).

    >>> list(standing({"a": [0, 5], "b": [6], "c": [1]}, {"a": (("a", "b"), ("a", "c", "b"))}))
    [('a', 'b')]
    """
    shifted: dict[tuple[str, int], set[int]] = {}  # (word, i): where the phrase would start
    for first in starts.keys() & positions.keys():
        for phrase in starts[first]:
            if phrase[1] not in positions:  # the common miss, tested first
                continue
            at: set[int] | None = None
            for i, word in enumerate(phrase):
                found = positions.get(word)
                if found is None:
                    break
                key = (word, i)
                starts_at = shifted.get(key)
                if starts_at is None:
                    starts_at = shifted[key] = {p - i for p in found[:MAX_POSITIONS]}
                at = starts_at if at is None else at & starts_at
                if not at:
                    break
            else:
                yield phrase


def indexed_phrase(schema: Any, field: str, words: Sequence[str], slop: int) -> bytes | None:
    """The ``phrases`` term that lists the documents where ``words`` stand in ``field``, or
    None when the index has no such term (then the phrase is checked on positions)."""
    phrase_field = phrase_field_of(schema)
    if phrase_field is None or len(words) < 2:
        return None
    return phrase_field.token(field, words, slop)


def phrase_field_of(schema: Any) -> PhraseField | None:
    """The schema's ``phrases`` field, or None when it has none (an index built by 0.1)."""
    if PHRASES not in schema:  # a Whoosh schema: no dict get()
        return None
    field = schema[PHRASES]
    return field if isinstance(field, PhraseField) else None


def prepare_phrases(schema: Any) -> None:
    """Work out now any acronym phrases of the schema's ``phrases`` field that the index's
    manifest did not record (see :meth:`PhraseField.prepare`)."""
    phrase_field = phrase_field_of(schema)
    if phrase_field is not None:
        phrase_field.prepare()
