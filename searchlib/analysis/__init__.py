"""Indonesian text analysis: text -> searchable tokens, as a Whoosh analyzer.

:class:`IndonesianAnalyzer` composes one small filter per phenomenon of Indonesian text
(reduplication, acronyms, old spelling, spelling variants, stopwords, affixes) behind
:class:`~searchlib.analysis.tokenizer.IndonesianTokenizer`; :func:`analyze` shows what each
filter did to each word, for the ``searchlib analyze`` command.

Design choices, each documented on its filter:

- An acronym is *replaced* by its expansion words at consecutive positions, all carrying the
  acronym's span (:class:`AcronymFilter`). Queries are analysed the same way, so ``AS`` and
  ``Amerika Serikat`` match each other as words and as phrases; a one-word query that expands
  becomes a multi-token query (Whoosh's field ``multitoken_query`` decides AND or phrase).
- Old-spelling ``ch`` -> ``kh`` only applies inside a word (``achir``): word-initial ``ch`` is
  foreign in modern text (``China``, ``Chung``). ``nj`` -> ``ny`` only where modern Indonesian
  cannot have ``nj`` (:func:`~searchlib.analysis.filters.modernize_spelling`).
- ``1/2`` and dates like ``14/01/20`` are one token; ``80.000`` is one token indexed as
  ``80000`` (:class:`NumberFilter`); ``57,8`` stays as written.

>>> [t.text for t in IndonesianAnalyzer()("Perusahaan-perusahaan AS")]
['usaha', 'amerika', 'serikat']
>>> [(t.text, t.stem) for t in analyze("Menlu Soekarno")][-1]
('Soekarno', 'sukarno')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from whoosh.analysis import Analyzer, Filter, Token

from searchlib.analysis.filters import (
    AcronymFilter,
    FoldFilter,
    LowercaseFilter,
    NumberFilter,
    OldSpellingFilter,
    ReduplicationFilter,
    StemFilter,
    StopFilter,
    VariantFilter,
)
from searchlib.analysis.stemmer import cached_stem, stem
from searchlib.analysis.tokenizer import IndonesianTokenizer, is_reduplication

__all__ = [
    "AcronymFilter",
    "AnalyzedToken",
    "FoldFilter",
    "IndonesianAnalyzer",
    "IndonesianTokenizer",
    "LowercaseFilter",
    "NumberFilter",
    "OldSpellingFilter",
    "ReduplicationFilter",
    "StemFilter",
    "StopFilter",
    "VariantFilter",
    "analyze",
    "cached_stem",
    "is_reduplication",
    "stem",
]

# The filters whose output is the word's normalised surface form; stopword flagging and
# stemming come after.
_NORMALIZING = (
    "fold",
    "acronym",
    "lowercase",
    "reduplication",
    "number",
    "old_spelling",
    "variant",
)

_DEFAULTS: dict[str, Any] = {
    "stem": True,
    "stopwords": True,
    "acronyms": True,
    "old_spelling": True,
    "variants": True,
    "extra_acronyms": {},
    "protected": (),
}


class IndonesianAnalyzer(Analyzer):
    """Analyse Indonesian text for a Whoosh field: tokenize, normalise, drop stopwords, stem.

    Usable wherever Whoosh takes an analyzer (``TEXT(analyzer=IndonesianAnalyzer())``). It
    pickles as its class and options only, so Whoosh's table of contents stays small; the word
    lists are module-level and read on first use.

    - ``stem=False`` keeps the folded, lowercased surface forms (for an exact-form field).
    - ``stopwords=False`` keeps stopwords; ``acronyms``, ``old_spelling`` and ``variants`` switch
      off acronym expansion, old-spelling folding and variant spelling folding.
    - ``extra_acronyms`` adds ``{"BRIN": "Badan Riset dan Inovasi Nasional"}``-style entries; a
      key written ``"=IT"`` only expands when written in capitals.
    - ``protected`` words are never stemmed.

    >>> [t.text for t in IndonesianAnalyzer(stem=False)("Cara -cara di Djakarta")]
    ['cara', 'jakarta']
    """

    def __init__(
        self,
        *,
        stem: bool = True,
        stopwords: bool = True,
        acronyms: bool = True,
        old_spelling: bool = True,
        variants: bool = True,
        extra_acronyms: Mapping[str, str] | None = None,
        protected: Iterable[str] = (),
    ) -> None:
        self.options: dict[str, Any] = {
            "stem": bool(stem),
            "stopwords": bool(stopwords),
            "acronyms": bool(acronyms),
            "old_spelling": bool(old_spelling),
            "variants": bool(variants),
            "extra_acronyms": dict(sorted((extra_acronyms or {}).items())),
            "protected": tuple(sorted(set(protected))),
        }
        self._stages: tuple[tuple[str, Filter], ...] | None = None

    @property
    def tokenizer(self) -> IndonesianTokenizer:
        """The tokenizer that starts the pipeline."""
        return _TOKENIZER

    def stages(self) -> tuple[tuple[str, Filter], ...]:
        """The ``(name, filter)`` pairs run after the tokenizer, in order (built on first use)."""
        if self._stages is None:
            self._stages = _build_stages(self.options)
        return self._stages

    def __call__(self, value: str, no_morph: bool = False, **kwargs: Any) -> Iterator[Token]:
        if not isinstance(value, str):
            raise TypeError(f"{type(self).__name__} analyses str, not {type(value).__name__}")
        gen: Iterator[Token] = _TOKENIZER(value, **kwargs)
        for _name, stage in self.stages():
            # Whoosh asks for unstemmed forms with no_morph (e.g. for spelling suggestions).
            if not (no_morph and stage.is_morph):
                gen = stage(gen)
        return gen

    def has_morph(self) -> bool:
        return self.options["stem"]

    # Whoosh pickles the analyzer into the index's table of contents: store only the class and
    # the options (never the filters or word lists), and rebuild on load.
    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (), self.options)

    def __setstate__(self, state: dict[str, Any]) -> None:
        type(self).__init__(self, **state)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.options == self.options  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((type(self), repr(self)))

    def __repr__(self) -> str:
        changed = ", ".join(
            f"{key}={value!r}" for key, value in self.options.items() if value != _DEFAULTS[key]
        )
        return f"{type(self).__name__}({changed})"


_TOKENIZER = IndonesianTokenizer()


def _build_stages(options: Mapping[str, Any]) -> tuple[tuple[str, Filter], ...]:
    stages: list[tuple[str, Filter]] = [("fold", FoldFilter())]
    if options["acronyms"]:
        stages.append(("acronym", AcronymFilter(options["extra_acronyms"])))
    stages += [
        ("lowercase", LowercaseFilter()),
        ("reduplication", ReduplicationFilter()),
        ("number", NumberFilter()),
    ]
    if options["old_spelling"]:
        stages.append(("old_spelling", OldSpellingFilter()))
    if options["variants"]:
        stages.append(("variant", VariantFilter()))
    if options["stopwords"]:
        stages.append(("stopword", StopFilter()))
    if options["stem"]:
        stages.append(("stem", StemFilter(options["protected"])))
        if options["variants"]:
            # Variants of derived words show up as variant stems (mempraktekkan -> praktek).
            stages.append(("stem_variant", VariantFilter()))
    return tuple(stages)


@dataclass(frozen=True)
class AnalyzedToken:
    """What the analyzer made of one written word, for inspection.

    ``text`` is the written form ``source[start:end]``; ``normalized`` the word after folding,
    lowercasing, reduplication, acronym expansion, old-spelling and variant folding; ``stem`` the
    indexed term (``normalized`` for stopwords and unstemmed words); ``stages`` each filter's
    output in pipeline order. An acronym yields one token per word of its expansion, all with the
    acronym's span. Stopwords are kept, flagged ``stopword=True``.
    """

    text: str
    normalized: str
    stem: str
    start: int
    end: int
    stopword: bool = False
    stages: dict[str, str] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """The fields ``searchlib analyze --json`` prints."""
        return {
            "text": self.text,
            "normalized": self.normalized,
            "stem": self.stem,
            "start": self.start,
            "end": self.end,
        }


@cache
def _default_analyzer() -> IndonesianAnalyzer:
    return IndonesianAnalyzer()


def analyze(text: str, analyzer: IndonesianAnalyzer | None = None) -> list[AnalyzedToken]:
    """Analyse ``text`` and show, per token, what every filter produced.

    >>> [(t.text, t.normalized, t.stopword) for t in analyze("cara-cara yang")]
    [('cara-cara', 'cara', False), ('yang', 'yang', True)]
    """
    analyzer = analyzer or _default_analyzer()
    # Filters are lazy generators that pass one token at a time, so a recorder after each of
    # them sees the current token last: one shared dict holds the current token's history.
    history: dict[str, str] = {}

    def record(stream: Iterator[Token], name: str) -> Iterator[Token]:
        for t in stream:
            history[name] = t.text
            yield t

    gen = record(
        analyzer.tokenizer(text, positions=True, chars=True, removestops=False, mode="index"),
        "tokenize",
    )
    for name, stage in analyzer.stages():
        gen = record(stage(gen), name)

    tokens = []
    for t in gen:
        normalized = next(
            (history[name] for name in reversed(_NORMALIZING) if name in history), t.text
        )
        tokens.append(
            AnalyzedToken(
                text=text[t.startchar : t.endchar],
                normalized=normalized,
                stem=t.text,
                start=t.startchar,
                end=t.endchar,
                stopword=t.stopped,
                stages=dict(history),
            )
        )
    return tokens
