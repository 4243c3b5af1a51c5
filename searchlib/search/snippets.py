"""Results -> readable snippets: the best passages of a document with the matched words marked.

Fragments are whole sentences where they fit (run-on text such as ``perundingan.Menteri`` is
split where a sentence ends), otherwise a window cut at word boundaries around the densest
matches. The best fragments come first. Marks cover the whole written form that matched: a
query for ``perusahaan`` marks ``perusahaan-perusahaan``, a query for ``Amerika Serikat``
marks ``AS``. Document text is escaped in HTML output; only our marks are tags.

>>> from searchlib.analysis import IndonesianAnalyzer
>>> text = "Cuaca cerah. Perusahaan-perusahaan Korea mengekspor mobil. Harga naik."
>>> make_snippet(text, {"usaha"}, set(), IndonesianAnalyzer())  # the stem of "perusahaan"
'**Perusahaan-perusahaan** Korea mengekspor mobil.'
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from searchlib.errors import OptionError, OptionTypeError

ELLIPSIS = "…"

# A sentence ends at . ! ? (and any closing quotes or brackets) followed by space, or at a
# period glued to the next sentence's capital letter (scraped run-on text), or at a line break
# (with the spaces after it; those before it are trimmed off the sentence). The pattern opens
# with the one class of characters a sentence can end at, and each branch looks back at the
# character it took: so the engine jumps from one such character to the next in C, instead of
# trying the branches at every character.
_SENTENCE_END = re.compile(
    r"""[.!?\n](?:(?<=[.!?])[.!?]*["'”’)\]]*\s+|(?<=[a-z0-9)]\.)(?=[A-Z][a-z])|(?<=\n)\s*)"""
)


@dataclass(frozen=True)
class SnippetOptions:
    """How snippets look.

    ``length`` is the rough size of one fragment in characters, ``fragments`` the most
    fragments per hit, ``markers`` the text put around matched words (ignored with
    ``html=True``, which escapes the document and marks with ``<mark>``).

    >>> SnippetOptions(length=120, fragments=1).length
    120
    """

    length: int = 200
    fragments: int = 3
    markers: tuple[str, str] = ("**", "**")
    html: bool = False
    separator: str = " … "

    def __post_init__(self) -> None:
        for name in ("length", "fragments"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise OptionTypeError(
                    f"SnippetOptions.{name} must be a whole number, not {value!r}"
                )
        if not isinstance(self.html, bool):
            raise OptionTypeError(f"SnippetOptions.html must be True or False, not {self.html!r}")
        if not (
            isinstance(self.markers, tuple)
            and len(self.markers) == 2
            and all(isinstance(m, str) for m in self.markers)
        ):
            raise OptionTypeError(
                f"SnippetOptions.markers must be two strings (before, after), not {self.markers!r}"
            )
        if not isinstance(self.separator, str):
            raise OptionTypeError(
                f"SnippetOptions.separator must be a string, not {self.separator!r}"
            )
        if self.length < 20:
            raise OptionError(f"snippet length must be at least 20 characters, not {self.length}")
        if self.fragments < 1:
            raise OptionError(f"a snippet needs at least one fragment, not {self.fragments}")


HTML_MARKERS = ("<mark>", "</mark>")
#: How much of a body snippets read: about a third of a second of analysis, and far more than
#: any news article (IndoSum's longest is under 9,000 characters).
SNIPPET_SCAN_CHARS = 500_000


def find_matches(
    text: str,
    stems: Set[str],
    exact: Set[str],
    analyzer: Any,
    exact_analyzer: Any = None,
    phrases: Sequence[tuple[str, ...]] = (),
) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, term)`` of the written words in ``text`` that match the query.

    ``stems`` are terms of the stemmed fields, ``exact`` single terms of the exact-form fields,
    ``phrases`` exact-form word sequences: only where the whole sequence stands is it marked, as
    one span, so ``"kerja sama trilateral"`` does not mark every ``kerja`` in the text.
    """
    spans: list[tuple[int, int, str]] = []
    # searchlib's analyzer finds wanted terms without a token object per word (the hot path).
    if stems and hasattr(analyzer, "find_terms"):
        spans += analyzer.find_terms(text, stems)
    elif stems:
        for token in analyzer(text, mode="index", chars=True):
            if token.text in stems:
                spans.append((token.startchar, token.endchar, token.text))
    if hasattr(exact_analyzer, "find_phrases"):
        if exact:
            spans += exact_analyzer.find_terms(text, exact, removestops=False)
        if phrases:
            spans += exact_analyzer.find_phrases(text, phrases)
    elif (exact or phrases) and exact_analyzer is not None:
        tokens = [
            (t.text, t.startchar, t.endchar)
            for t in exact_analyzer(text, mode="index", chars=True, removestops=False)
        ]
        for word, start, end in tokens:
            if word in exact:
                spans.append((start, end, word))
        for phrase in phrases:
            size = len(phrase)
            for i in range(len(tokens) - size + 1):
                if (
                    tokens[i][0] == phrase[0]
                    and tuple(t[0] for t in tokens[i : i + size]) == phrase
                ):
                    spans.append((tokens[i][1], tokens[i + size - 1][2], " ".join(phrase)))
    spans.sort()
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split text into sentence spans ``(start, end)``, trimmed of surrounding space.

    >>> t = "Satu dua.Tiga empat. Lima"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Satu dua.', 'Tiga empat.', 'Lima']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        # The sentence keeps its closing punctuation, not the space after it (a line break's
        # match is all space, so the sentence ends where the match starts).
        end = match.start() + len(match.group().rstrip())
        if start < end and not (text[start].isspace() or text[end - 1].isspace()):
            spans.append((start, end))  # nothing to trim: most sentences
        else:
            _append_trimmed(text, start, end, spans)
        start = match.end()
    _append_trimmed(text, start, len(text), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def make_snippet(
    text: str,
    stems: Set[str],
    exact: Set[str],
    analyzer: Any,
    options: SnippetOptions | None = None,
    *,
    exact_analyzer: Any = None,
    weights: Mapping[str, float] | None = None,
    phrases: Sequence[tuple[str, ...]] = (),
) -> str:
    """The snippet of ``text`` for a query whose terms are ``stems`` and ``exact``.

    ``weights`` (term -> weight, e.g. idf) make rare words count for more when choosing passages.
    Without any match the snippet is the document's opening. Passages are looked for in the
    first :data:`SNIPPET_SCAN_CHARS` characters, so a huge document costs a bounded time.
    """
    options = options or SnippetOptions()
    if not text:
        return ""
    if len(text) > SNIPPET_SCAN_CHARS:
        text = text[:SNIPPET_SCAN_CHARS]
    matches = find_matches(text, stems, exact, analyzer, exact_analyzer, phrases)
    sentences = sentence_spans(text)
    if not matches or not sentences:
        start, end = _window(text, 0, min(len(text), options.length), options.length)
        return _render(text, [(start, end)], [], options)

    ranked = _rank_sentences(sentences, matches, weights or {})
    chosen: list[tuple[int, int]] = []
    for score, (s_start, s_end) in ranked:
        if score <= 0 or len(chosen) >= options.fragments:
            break
        inside = [m for m in matches if s_start <= m[0] and m[1] <= s_end]
        if s_end - s_start > options.length * 1.3:
            s_start, s_end = _densest_window(text, s_start, s_end, inside, options.length)
        chosen.append((s_start, s_end))
    return _render(text, chosen, matches, options)


def _rank_sentences(
    sentences: list[tuple[int, int]],
    matches: list[tuple[int, int, str]],
    weights: Mapping[str, float],
) -> list[tuple[float, tuple[int, int]]]:
    scored = []
    index = 0
    count = len(matches)
    for position, (start, end) in enumerate(sentences):
        while index < count and matches[index][0] < start:
            index += 1
        if index == count or matches[index][1] > end:  # no match inside: most sentences
            scored.append((0.0, (start, end)))
            continue
        terms: dict[str, int] = {}
        j = index
        while j < count and matches[j][1] <= end:
            term = matches[j][2]
            terms[term] = terms.get(term, 0) + 1
            j += 1
        # Distinct query words count most (weighted by rarity), repeats a little; earlier
        # sentences win ties, since ledes summarise.
        distinct = sum(weights.get(term, 1.0) for term in terms)
        repeats = j - index - len(terms)
        score = distinct + 0.1 * repeats - 0.001 * position
        scored.append((score, (start, end)))
    scored.sort(key=lambda item: -item[0])
    return scored


def _densest_window(
    text: str, start: int, end: int, matches: list[tuple[int, int, str]], length: int
) -> tuple[int, int]:
    """The ``length``-character window of ``text[start:end]`` holding the most matches.

    Each match proposes a window starting a quarter of ``length`` before it; the first with the
    most matches wholly inside wins. Counted with bisection over the sorted starts, so a
    sentence with tens of thousands of matches costs ``n log n``, not ``n**2``.

    >>> text = "x " * 50 + "kata kata kata " + "y " * 50
    >>> found = [(100, 104, "kata"), (105, 109, "kata"), (110, 114, "kata")]
    >>> _densest_window(text, 0, len(text), found, 20)
    (96, 116)
    """
    spans = sorted((s, e) for s, e, _ in matches)
    starts = [s for s, _ in spans]
    longest = max((e - s for s, e in spans), default=0)
    best_start, best_count = start, -1
    for m_start, _, _ in matches:
        lo = max(start, m_start - length // 4)
        limit = lo + length
        first, last = bisect.bisect_left(starts, lo), bisect.bisect_right(starts, limit)
        count = last - first
        k = last - 1
        while k >= first and starts[k] > limit - longest:  # starts inside, may end outside
            if spans[k][1] > limit:
                count -= 1
            k -= 1
        if count > best_count:
            best_start, best_count = lo, count
    return _window(text, best_start, min(end, best_start + length), length, floor=start, ceil=end)


def _window(
    text: str, start: int, end: int, length: int, *, floor: int = 0, ceil: int | None = None
) -> tuple[int, int]:
    """Widen/narrow ``[start, end)`` to word boundaries, never cutting a word in half."""
    ceil = len(text) if ceil is None else ceil
    if start > floor:
        space = text.rfind(" ", floor, start + 1)
        start = floor if space < 0 else space + 1
    if end < ceil:
        space = text.find(" ", end)
        end = ceil if space < 0 or space > ceil else space
        if end - start > length * 1.3:  # a very long word run: cut back to the previous space
            back = text.rfind(" ", start, start + length)
            end = back if back > start else end
    return start, end


def _render(
    text: str,
    fragments: list[tuple[int, int]],
    matches: list[tuple[int, int, str]],
    options: SnippetOptions,
) -> str:
    escape = html.escape if options.html else (lambda s: s)
    opener, closer = HTML_MARKERS if options.html else options.markers
    pieces = []
    for start, end in fragments:
        marks = _merge([(s, e) for s, e, _ in matches if start <= s and e <= end], text)
        out = []
        cursor = start
        for m_start, m_end in marks:
            out.append(escape(text[cursor:m_start]))
            out.append(opener + escape(text[m_start:m_end]) + closer)
            cursor = m_end
        out.append(escape(text[cursor:end]))
        fragment = "".join(out)
        if start > 0 and not _starts_sentence(text, start):
            fragment = ELLIPSIS + fragment
        if end < len(text) and not _ends_sentence(text, end):
            fragment = fragment + ELLIPSIS
        pieces.append(fragment.replace("\n", " "))
    if ELLIPSIS in options.separator:
        # The separator already says text was left out between fragments.
        pieces = [piece.removeprefix(ELLIPSIS) if i else piece for i, piece in enumerate(pieces)]
        pieces = [
            piece.removesuffix(ELLIPSIS) if i < len(pieces) - 1 else piece
            for i, piece in enumerate(pieces)
        ]
    return options.separator.join(pieces)


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Overlapping marks become one, and so do marks with only spaces between them, so a
    matched phrase reads ``**kerja sama trilateral**`` rather than three marks."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].isspace()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in '.!?"”’)]\n'


def _ends_sentence(text: str, end: int) -> bool:
    return text[end - 1] in '.!?"”’)]'
