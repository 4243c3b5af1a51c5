"""Inspecting the analysis: what every filter made of every written word.

:func:`analyze` is what ``searchlib analyze`` prints: per token, the written form, the
normalised form, the indexed stem, the offsets and each stage's output.

>>> [(t.text, t.stem) for t in analyze("Menlu Soekarno")][-1]
('Soekarno', 'sukarno')
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from whoosh.analysis import Token

from searchlib.analysis.analyzer import IndonesianAnalyzer

__all__ = ["AnalyzedToken", "analyze"]

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
