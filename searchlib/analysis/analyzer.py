"""The analyzer: Indonesian text -> searchable tokens, as one Whoosh analyzer.

:class:`IndonesianAnalyzer` is the composition ``IndonesianTokenizer | FoldFilter |
AcronymFilter | LowercaseFilter | ReduplicationFilter | NumberFilter | OldSpellingFilter |
VariantFilter | StopFilter | StemFilter`` (each filter in :mod:`searchlib.analysis.filters`,
switched by the analyzer's options): :meth:`IndonesianAnalyzer._chain` runs it over a token
stream, :meth:`IndonesianAnalyzer._probe` over one written word.

One fast path stands beside it. Every filter but the position bookkeeping is a function of one
written word, so each written word goes through the composition once (``_probe``) and its
output is kept in a table shared by equal analyzers; positions are then numbered as the acronym
and stop filters number them. The table serves three consumers, each with its own tight loop
because each is on a hot path: Whoosh tokens (``__call__``), each term's positions for the
postings format (:meth:`~IndonesianAnalyzer.term_positions`, indexing) and the spans of wanted
terms (:meth:`~IndonesianAnalyzer.find_terms`, snippets). One shared generator measured 2.3x
slower for indexing, so they stay separate; ``tests/analysis/test_fast_path.py`` checks each
against the composition on random and tricky text. ``find_terms`` does not even tokenize the
whole text: no token crosses whitespace unless a hyphen stands beside a space, so it looks up
each distinct whitespace-separated chunk once and locates only the chunks that match.

Design choices, each documented on its filter:

- An acronym is *replaced* by its expansion words at consecutive positions, all carrying the
  acronym's span (:class:`~searchlib.analysis.filters.AcronymFilter`). Queries are analysed the
  same way, so ``AS`` and ``Amerika Serikat`` match each other as words and as phrases.
- Old-spelling ``ch`` -> ``kh`` only applies inside a word (``achir``); ``nj`` -> ``ny`` only
  where modern Indonesian cannot have ``nj``
  (:func:`~searchlib.analysis.filters.modernize_spelling`).
- ``1/2`` and dates like ``14/01/20`` are one token; ``80.000`` is one token indexed as
  ``80000`` (:class:`~searchlib.analysis.filters.NumberFilter`); ``57,8`` stays as written.

>>> [t.text for t in IndonesianAnalyzer()("Perusahaan-perusahaan AS")]
['usaha', 'amerika', 'serikat']
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence, Set
from typing import Any

from whoosh.analysis import Analyzer, Filter, LowercaseFilter, Token

from searchlib.analysis.filters import (
    AcronymFilter,
    FoldFilter,
    NumberFilter,
    OldSpellingFilter,
    ReduplicationFilter,
    StemFilter,
    StopFilter,
    VariantFilter,
    WordStep,
    _shared_acronyms,
    may_be_old_spelling,
    modernize_spelling,
)
from searchlib.analysis.resources import parse_acronym_key, variants
from searchlib.analysis.tokenizer import (
    _HYPHENS,
    EDGE_PUNCTUATION,
    IndonesianTokenizer,
    word_spans,
    words,
)

__all__ = ["IndonesianAnalyzer"]

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
        # The last texts term_positions analysed, with their results (see there).
        self._recent: tuple[tuple[str, dict[str, list[int]]], ...] = ()

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
        if kwargs.get("tokenize", True):
            return self._fast(value, no_morph, **kwargs)
        return self._chain(value, no_morph, **kwargs)

    def _chain(self, value: str, no_morph: bool = False, **kwargs: Any) -> Iterator[Token]:
        """The filter pipeline itself, one generator per stage (what :meth:`_fast` caches)."""
        gen: Iterator[Token] = _TOKENIZER(value, **kwargs)
        for _name, stage in self.stages():
            # Whoosh asks for unstemmed forms with no_morph (e.g. for spelling suggestions).
            if not (no_morph and stage.is_morph):
                gen = stage(gen)
        return gen

    def _fast(
        self,
        value: str,
        no_morph: bool = False,
        positions: bool = False,
        chars: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **_ignored: Any,
    ) -> Iterator[Token]:
        """The same tokens as :meth:`_chain`, with each written word analysed only once.

        Every filter but the position bookkeeping is a function of one written word, so the
        pipeline's output per word (its terms and stopword flags) is computed on first sight
        and kept in a table shared by equal analyzers; positions are then numbered here
        exactly as :class:`AcronymFilter` and :class:`StopFilter` number them.
        """
        table = self._table(no_morph)
        known, learn = table.outputs, table.learn
        compact = positions and removestops and self.options["stopwords"]
        t = Token(positions, chars, removestops=removestops, mode=mode)
        t.boost = 1.0
        pos = start_pos  # the tokenizer's position
        shift = 0  # acronym expansions push later words back
        kept: int | None = None  # the stop filter's renumbering of the kept words
        items = _located(value) if chars else _words(value)
        for item in items:
            if chars:
                word, start, end = item
                t.startchar = start_char + start
                t.endchar = start_char + end
            else:
                word = item  # type: ignore[assignment]
            outputs = known.get(word)
            if outputs is None:
                outputs = learn(word)
            base = pos + shift
            pos += 1
            if not outputs:
                continue
            shift += len(outputs) - 1
            t.original = word
            for i, (term, stopped) in enumerate(outputs):
                if stopped and removestops:
                    continue
                t.text = term
                t.stopped = stopped
                if positions:
                    if compact:
                        kept = base + i if kept is None else kept + 1
                        t.pos = kept
                    else:
                        t.pos = base + i
                yield t

    def term_positions(self, value: str) -> dict[str, list[int]]:
        """Each indexed term of ``value`` with its positions, as Whoosh indexes them.

        The same terms and positions as the tokens of ``self(value, positions=True,
        mode="index")``, gathered in one loop without a token object per word; postings formats
        use it to index a field's text. The results for the last two texts (the same ``str``
        objects) are kept and returned again, since a document's text field and its phrase
        field ask for the same text: treat the dict as read-only.

        >>> IndonesianAnalyzer().term_positions("Menlu AS dan Menlu")
        {'menteri': [0, 5], 'luar': [1, 6], 'negeri': [2, 7], 'amerika': [3], 'serikat': [4]}
        """
        recent = self._recent
        for seen, result in recent:
            if seen is value:
                return result
        result = self._term_positions(value)
        self._recent = ((value, result), *recent[:1])
        return result

    def _term_positions(self, value: str) -> dict[str, list[int]]:
        table = self._table(False)
        simple, stops, learn = table.simple, table.stops, table.learn
        words = _words(value)
        terms: list[str] = []
        append = terms.append
        if self.options["stopwords"]:
            # The stop filter numbers the kept terms on from the first one's position, so only
            # that position needs working out: the rest follow in order.
            for word in words:
                term = simple.get(word)
                if term is not None:
                    append(term)
                elif word not in stops:
                    terms.extend(t for t, stopped in learn(word) if not stopped)
            first = self._first_kept(words)
            positions: Iterable[int] = range(first, first + len(terms))
        else:
            # Positions run on, one per output term, one for a word that folds to nothing.
            at: list[int] = []
            pos = 0
            for word in words:
                term = simple.get(word)
                if term is not None:
                    append(term)
                    at.append(pos)
                    pos += 1
                    continue
                outputs = learn(word)
                for t, _stopped in outputs:
                    append(t)
                    at.append(pos)
                    pos += 1
                if not outputs:
                    pos += 1
            positions = at
        out: dict[str, list[int]] = {}
        for term, position in zip(terms, positions, strict=True):
            found = out.get(term)
            if found is None:
                out[term] = [position]
            else:
                found.append(position)
        return out

    def acronym_phrases(self) -> frozenset[tuple[str, ...]]:
        """The term sequences of two or more terms this analyzer makes of an acronym or of its
        written-out expansion (the phrases a query for an acronym becomes); built once per set
        of options.

        >>> phrases = IndonesianAnalyzer().acronym_phrases()
        >>> ("amerika", "serikat") in phrases, ("komisi", "berantas", "korupsi") in phrases
        (True, True)
        >>> IndonesianAnalyzer(acronyms=False).acronym_phrases()
        frozenset()
        """
        key = repr(sorted(self.options.items()))
        found = _ACRONYM_PHRASES.get(key)
        if found is None:
            found = _ACRONYM_PHRASES.setdefault(key, self._acronym_phrases())
        return found

    def _acronym_phrases(self) -> frozenset[tuple[str, ...]]:
        if not self.options["acronyms"]:
            return frozenset()
        any_case, exact_case = _shared_acronyms()
        texts = set(any_case) | set(exact_case)
        texts.update(" ".join(words) for words in (*any_case.values(), *exact_case.values()))
        for key, expansion in self.options["extra_acronyms"].items():
            texts.update((parse_acronym_key(key)[0], expansion))
        phrases = (tuple(t.text for t in self(text)) for text in texts)
        return frozenset(phrase for phrase in phrases if len(phrase) > 1)

    def _first_kept(self, words: list[str]) -> int:
        """The position the first term that is not a stopword takes (acronyms shift it)."""
        learn = self._table(False).learn
        pos = 0
        for word in words:
            outputs = learn(word)
            for i, (_term, stopped) in enumerate(outputs):
                if not stopped:
                    return pos + i
            pos += max(1, len(outputs))
        return 0

    def find_terms(
        self, value: str, wanted: Set[str], removestops: bool = True
    ) -> list[tuple[int, int, str]]:
        """``(start, end, term)`` of each written word of ``value`` that indexes as a term in
        ``wanted``: the tokens of ``self(value, chars=True, removestops=removestops)`` whose
        text is wanted, without a token object per word (snippets use it to mark matches).

        >>> IndonesianAnalyzer().find_terms("Perusahaan-perusahaan AS", {"usaha", "serikat"})
        [(0, 21, 'usaha'), (22, 24, 'serikat')]
        """
        table = self._table(False)
        known, learn = table.outputs, table.learn
        found: list[tuple[int, int, str]] = []
        if _joins_across_space(value):
            # A hyphen beside a space may join two chunks (``sela -sela``): tokenize it all.
            for word, start, end in _located(value):
                outputs = known.get(word)
                if outputs is None:
                    outputs = learn(word)
                for term, stopped in outputs:
                    if term in wanted and not (stopped and removestops):
                        found.append((start, end, term))
            return found
        # No token crosses whitespace here, and a word's terms depend on the word alone: the
        # table knows, per whitespace-separated chunk seen before, the terms it holds, and per
        # term the chunks holding it; only the chunks holding a wanted term are located.
        # Keyed by content: a hit's body is a new string object each time it is read.
        key = (hash(value), len(value))
        for chunk, hits in table.chunk_terms(_distinct_chunks(value), wanted, key):
            kept = [(s, e, t) for s, e, t, stopped in hits if not (stopped and removestops)]
            if kept:
                starts = _chunk_starts(value, chunk)
                found += [(at + s, at + e, t) for at in starts for s, e, t in kept]
        found.sort(key=_start)
        return found

    def find_phrases(
        self, value: str, phrases: Sequence[tuple[str, ...]], removestops: bool = False
    ) -> list[tuple[int, int, str]]:
        """``(start, end, "w1 w2 ...")`` of each place where a phrase's terms stand on
        consecutive tokens of ``value``: the spans a scan of the whole token stream finds,
        without tokenizing the whole text. The phrase's first term is located by
        :meth:`find_terms`, and only a window after each such token, cut at whitespace (which
        no token crosses), is tokenized.

        >>> text = "Menlu AS bertemu Menlu Korsel di Korea Selatan"
        >>> IndonesianAnalyzer(stem=False).find_phrases(text, [("korea", "selatan")])
        [(23, 29, 'korea selatan'), (33, 46, 'korea selatan')]
        """
        if not phrases:
            return []
        if _joins_across_space(value):
            tokens = [
                (t.text, t.startchar, t.endchar)
                for t in self(value, mode="index", chars=True, removestops=removestops)
            ]
            return _phrase_spans(tokens, range(len(tokens)), phrases)
        longest = max(len(phrase) for phrase in phrases)
        firsts = {phrase[0] for phrase in phrases}
        found: list[tuple[int, int, str]] = []
        for start in sorted({s for s, _, _ in self.find_terms(value, firsts, removestops)}):
            width = 12 * longest  # about two words a term; grown below when short
            while True:
                space = _SPACE.search(value, start + width)
                cut = space.start() if space is not None else len(value)
                window = self(value[start:cut], mode="index", chars=True, removestops=removestops)
                tokens = [(t.text, start + t.startchar, start + t.endchar) for t in window]
                # The outputs of the written word at ``start`` (an acronym gives several).
                here = sum(1 for _, s, _ in tokens if s == start)
                if len(tokens) >= here - 1 + longest or cut == len(value):
                    break
                width *= 4
            found += _phrase_spans(tokens, range(here), phrases)
        return found

    def _table(self, no_morph: bool) -> _WordTable:
        tables = self.__dict__.setdefault("_tables", {})
        table = tables.get(no_morph)
        if table is None:
            key = (repr(sorted(self.options.items())), no_morph)
            table = _WORD_TABLES.get(key)
            if table is None:
                table = _WORD_TABLES.setdefault(key, _WordTable(self, no_morph))
            tables[no_morph] = table
        return table

    def _probe(self, word: str, no_morph: bool) -> tuple[tuple[str, bool], ...]:
        """What the pipeline makes of one written word: ``(term, stopped)`` per output token.

        Runs the stages' word steps (see :meth:`_word_steps`), or their generators on one token
        when a stage has no step; the two give the same outputs (``tests/analysis``).
        """
        steps = self._word_steps(no_morph)
        if steps is None:
            return self._probe_tokens(word, no_morph)
        out: list[tuple[str, bool]] = []
        _run_steps(steps, 0, word, False, word, out)
        return tuple(out)

    def _probe_tokens(self, word: str, no_morph: bool) -> tuple[tuple[str, bool], ...]:
        """:meth:`_probe` through the stages' generators, on one token."""
        token = Token(positions=True, chars=False, removestops=False, mode="")
        token.original = token.text = word
        token.pos = 0
        token.stopped = False
        token.boost = 1.0
        gen: Iterator[Token] = iter((token,))
        for _name, stage in self.stages():
            if not (no_morph and stage.is_morph):
                gen = stage(gen)
        return tuple((t.text, bool(t.stopped)) for t in gen)

    def _word_steps(self, no_morph: bool) -> list[_Segment] | None:
        """The stages as functions of one token, cut at each expanding stage: per segment its
        one-to-one steps, then the expansion that ends it (None for the last segment). None
        if some stage is neither one-to-one nor the acronym expansion."""
        cache = self.__dict__.setdefault("_steps", {})
        if no_morph not in cache:
            segments: list[_Segment] | None = []
            steps: list[WordStep] = []
            for _name, stage in self.stages():
                if no_morph and stage.is_morph:
                    continue
                if isinstance(stage, AcronymFilter) and _paired(stage, "expansion"):
                    segments.append((tuple(steps), stage.expansion))
                    steps = []
                    continue
                step: WordStep | None = _lowercase_step if type(stage) is LowercaseFilter else None
                if step is None and _paired(stage, "word_step"):
                    step = stage.word_step()
                if step is None:
                    segments = None
                    break
                steps.append(step)
            if segments is not None:
                segments.append((tuple(steps), None))
            cache[no_morph] = segments
        return cache[no_morph]  # type: ignore[no-any-return]

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

# Per-word analysis results, one table per analyzer configuration (shared by equal analyzers,
# bounded by emptying it when full, like the stemmer's cache).
_WORD_TABLE_MAX = 200_000


class _WordTable:
    """What an analyzer configuration makes of each written word seen so far.

    ``outputs[word]`` is the pipeline's ``(term, stopped)`` per output token; ``simple`` holds
    the words that give one term and are not stopwords (most words), ``stops`` those that give
    one stopword. Emptied when it reaches ``_WORD_TABLE_MAX`` words.
    """

    def __init__(self, analyzer: IndonesianAnalyzer, no_morph: bool) -> None:
        self.analyzer = analyzer
        self.no_morph = no_morph
        self.outputs: dict[str, tuple[tuple[str, bool], ...]] = {}
        self.simple: dict[str, str] = {}
        self.stops: set[str] = set()
        #: chunk -> ``(start, end, term, stopped)`` of its tokens, for every whitespace-separated
        #: chunk seen by :meth:`chunk_terms`; and term -> the chunks holding it.
        self.chunk_hits: dict[str, tuple[tuple[int, int, str, bool], ...]] = {}
        self.term_chunks: dict[str, set[str]] = {}
        #: Keys of the texts whose chunks are all in ``chunk_hits`` (see :meth:`chunk_terms`).
        self.learned_texts: set[Hashable] = set()
        #: Keys of the texts seen once, whose chunks were screened rather than all analysed.
        self.glimpsed_texts: set[Hashable] = set()
        self._screens: dict[frozenset[str], _Screen] = {}
        self._basis: _ScreenBasis | bool | None = False  # False: not worked out yet
        self._screened: set[str] | None = None  # the chunks last screened (one snippet's)
        #: Words analysed so far (:meth:`learn`), for the learning budget of chunk_terms.
        self.words_learned = 0
        self._chunk_lock = threading.Lock()

    def learn(self, word: str) -> tuple[tuple[str, bool], ...]:
        """The outputs of ``word``, analysed now if never seen before."""
        outputs = self.outputs.get(word)
        if outputs is not None:
            return outputs
        if len(self.outputs) >= _WORD_TABLE_MAX:
            self.outputs.clear()
            self.simple.clear()
            self.stops.clear()
        started = time.perf_counter()
        outputs = self.outputs[word] = self.analyzer._probe(word, self.no_morph)
        self.words_learned += 1
        _LEARNING.seconds = getattr(_LEARNING, "seconds", 0.0) + time.perf_counter() - started
        if len(outputs) == 1:
            term, stopped = outputs[0]
            if stopped:
                self.stops.add(word)
            else:
                self.simple[word] = term
        return outputs

    def chunk_terms(
        self, chunks: set[str], wanted: Set[str], text_key: Hashable | None = None
    ) -> list[tuple[str, tuple[tuple[int, int, str, bool], ...]]]:
        """``(chunk, hits)`` for each of ``chunks`` (distinct whitespace-separated pieces of
        one text) holding a term in ``wanted``: ``hits`` are ``(start, end, term, stopped)``
        within the chunk, for the wanted terms only, in token order. Chunks never seen are
        analysed first and remembered, unless they alone would overflow the table (then
        they are analysed for this call only).

        ``text_key`` names the text (its hash and length): once all of a text's chunks are in
        the table, a text under the same key skips looking each chunk up again. Those look-ups
        cost about 70 us an article (a few hundred probes into a dict of up to
        ``_WORD_TABLE_MAX`` chunks, mostly cache misses), twice per snippet.

        The first time a keyed text is seen, its unseen chunks are screened instead of all
        analysed (:class:`_Screen`): only those that can hold a wanted term are. A new
        process's first snippets would otherwise analyse every word of their documents (about
        20 us a word) to mark a few. From a text's second time on, its chunks are screened
        again, and besides those the screen lets through, chunks are analysed and remembered
        until about ``_LEARNING_BUDGET`` new words have been analysed: after a few sights all
        of a text's chunks are known and it takes the fast path above, while a repeated query
        in a new process does not analyse every word of its hits at once (50-110 ms for ten
        hits when it did). (One snippet asks more than once, with the same ``chunks`` set, for
        the written forms and then for the first words of phrases: that is still the first
        sight.)"""
        with self._chunk_lock:
            hits_of = self.chunk_hits
            if text_key is None or text_key not in self.learned_texts:
                unseen = chunks.difference(hits_of)
                if len(unseen) > _WORD_TABLE_MAX:
                    every = ((chunk, self._chunk_hits(chunk)) for chunk in chunks)
                    return [
                        (chunk, kept)
                        for chunk, hits in every
                        if (kept := tuple(hit for hit in hits if hit[2] in wanted))
                    ]
                complete = True  # whether all of the text's chunks are in the table now
                if unseen:
                    if len(hits_of) + len(unseen) > _WORD_TABLE_MAX:
                        hits_of.clear()
                        self.term_chunks.clear()
                        self.learned_texts.clear()
                        unseen = chunks
                    screen = None if text_key is None else self._screen(wanted)
                    if screen is None:
                        for chunk in unseen:
                            self._learn_chunk(chunk)
                    else:
                        # The same set again is the same snippet asking for other terms (an
                        # exact form's phrases): still the text's first sight.
                        first = text_key not in self.glimpsed_texts or chunks is self._screened
                        budget = 0 if first else _LEARNING_BUDGET
                        start = self.words_learned
                        may_hold = screen.may_hold
                        for chunk in unseen:
                            if self.words_learned - start < budget or may_hold(chunk):
                                self._learn_chunk(chunk)
                            else:
                                complete = False
                        self._screened = chunks
                if text_key is not None:
                    if complete:
                        _remember(self.learned_texts, text_key)
                    else:
                        _remember(self.glimpsed_texts, text_key)
            term_chunks = self.term_chunks
            matching: set[str] = set()
            for term in wanted:
                holders = term_chunks.get(term)
                if holders:
                    matching |= chunks.intersection(holders)
            return [
                (chunk, tuple(hit for hit in hits_of[chunk] if hit[2] in wanted))
                for chunk in matching
            ]

    def _screen(self, wanted: Set[str]) -> _Screen | None:
        """The :class:`_Screen` for ``wanted``, or None where this analyzer's stages are not
        all ones the screen knows (a custom stage could make any term of any word)."""
        if self._basis is False:
            stages = [stage for _name, stage in self.analyzer.stages()]
            if self.no_morph:
                stages = [stage for stage in stages if not stage.is_morph]
            self._basis = _ScreenBasis.of(stages)
        basis = self._basis
        if not isinstance(basis, _ScreenBasis):
            return None
        key = frozenset(wanted)
        found = self._screens.get(key)
        if found is None:
            if len(self._screens) >= _SCREENS_KEPT:
                self._screens.clear()
            found = self._screens[key] = _Screen(key, basis)
        return found

    def _chunk_hits(self, chunk: str) -> tuple[tuple[int, int, str, bool], ...]:
        """``(start, end, term, stopped)`` of what ``chunk``, tokenized alone, holds: one word
        with edge punctuation around it, or the tokenizer's words."""
        core = chunk.strip(EDGE_PUNCTUATION)
        if not core:
            return ()
        if core.isalnum():
            lead = len(chunk) - len(chunk.lstrip(EDGE_PUNCTUATION))
            pieces: Iterable[tuple[int, int, str]] = ((lead, lead + len(core), core),)
        else:
            pieces = [(start, end, chunk[start:end]) for start, end in word_spans(chunk)]
        known, learn = self.outputs, self.learn
        hits: list[tuple[int, int, str, bool]] = []
        for start, end, word in pieces:
            outputs = known.get(word)
            if outputs is None:
                outputs = learn(word)
            for term, stopped in outputs:
                hits.append((start, end, term, stopped))
        return tuple(hits)

    def _learn_chunk(self, chunk: str) -> None:
        """Remember :meth:`_chunk_hits` of ``chunk``, and the chunk under each of its terms."""
        hits = self.chunk_hits[chunk] = self._chunk_hits(chunk)
        term_chunks = self.term_chunks
        for _start, _end, term, _stopped in hits:
            holders = term_chunks.get(term)
            if holders is None:
                term_chunks[term] = {chunk}
            else:
                holders.add(chunk)


def _remember(keys: set[Hashable], key: Hashable) -> None:
    """Add ``key`` to a set of at most ``_WORD_TABLE_MAX`` text keys (emptied when full)."""
    if len(keys) >= _WORD_TABLE_MAX:
        keys.clear()
    keys.add(key)


#: New words a text's later sights analyse, beyond the chunks the screen lets through, until
#: all its chunks are known (see _WordTable.chunk_terms): about 1 ms a text in a new process.
_LEARNING_BUDGET = 48
#: The stage types :class:`_Screen` can reason about (exactly these types, not subclasses).
_SCREENED_STAGES = frozenset(
    {
        FoldFilter,
        AcronymFilter,
        LowercaseFilter,
        ReduplicationFilter,
        NumberFilter,
        OldSpellingFilter,
        VariantFilter,
        StopFilter,
        StemFilter,
    }
)
#: Screens kept per word table (one per set of wanted terms; a search makes two or three).
_SCREENS_KEPT = 256


def screen_key(term: str) -> str:
    """What every written word that analyses to ``term`` holds, as plain lowercase letters.

    The stemmer only takes letters away from a word, except at the root's two ends: the first
    letter may be one a nasal prefix replaced (``menulis`` -> ``tulis``), and a final ``i`` may
    be put back (``pengalaman`` -> ``alami``). So the root without those two stands in the
    word (``tests/analysis/test_screen.py`` checks the stemmer keeps to this).

    >>> screen_key("tulis"), screen_key("alami"), screen_key("di")
    ('ulis', 'lam', '')
    """
    key = term[1:]
    return key[:-1] if key.endswith("i") else key


class _ScreenBasis:
    """What a :class:`_Screen` needs of an analyzer's stages, whatever the wanted terms: the
    words some step rewrites whole (acronyms, spelling variants, lowercased), the variant table
    and whether old spellings are rewritten. Worked out once per set of stages, and shared by
    the word tables whose stages agree on those (the stemmed and written-form tables do), so
    that each chunk is classified once for both (:meth:`word_of`)."""

    def __init__(self, special: frozenset[str], variants: Mapping[str, str], spelling: bool):
        self.special = special
        self.variants = variants
        self.spelling = spelling
        # A user's acronym of digits (extra_acronyms={"112": ...}) would put letters in a
        # chunk of none: then such chunks are never ruled out.
        self.letterless_special = any(_ASCII_LETTER.search(word) is None for word in special)
        self._words: dict[str, str | None] = {}

    @classmethod
    def of(cls, stages: Sequence[Any]) -> _ScreenBasis | None:
        """The basis of ``stages``, or None if one is of a type the screen does not know."""
        if not all(type(stage) in _SCREENED_STAGES for stage in stages):
            return None
        kinds = {type(stage) for stage in stages}
        table: Mapping[str, str] = variants() if VariantFilter in kinds else {}
        special = set(table)
        for stage in stages:
            if type(stage) is AcronymFilter:
                special |= stage.lowercase_keys()
        key = (frozenset(special), VariantFilter in kinds, OldSpellingFilter in kinds)
        found = _BASES.get(key)
        if found is None or found.variants is not table:
            found = _BASES[key] = cls(key[0], table, key[2])
        return found

    def word_of(self, chunk: str) -> str | None:
        """What the stemmer may see of ``chunk``, where the screen can reason about it: the
        lowercased core (edge punctuation stripped) of a chunk of ASCII letters, with old
        spellings modernized (``Soekarno`` -> ``sukarno``), or ``""`` for a chunk that analyses
        to nothing, or :data:`_NO_LETTERS` for one of ASCII digits and marks (its terms have
        no letters either: no step adds one). None where a step may rewrite the word whole
        (an acronym, a spelling variant) or the chunk is anything else (an inner hyphen or
        mark, a letter outside ASCII): the screen cannot rule that chunk out. Remembered per
        chunk, up to ``_WORDS_KEPT`` chunks.

        >>> basis = _ScreenBasis.of([stage for _, stage in IndonesianAnalyzer().stages()])
        >>> [basis.word_of(c) for c in ("(Menulis),", "Soekarno", "AS", "LSM-LSM", "--")]
        ['menulis', 'sukarno', None, None, '']
        >>> basis.word_of("2018),") is _NO_LETTERS
        True
        """
        words = self._words
        if chunk in words:
            return words[chunk]
        core = chunk.strip(EDGE_PUNCTUATION)
        word: str | None
        if not core:
            word = ""
        elif not core.isascii():
            word = None
        elif core.isalpha():
            word = core.lower()
            if word in self.special:
                word = None
            elif self.spelling and may_be_old_spelling(word):
                word = modernize_spelling(word)
                if word in self.special:
                    word = None
        elif self.letterless_special or _ASCII_LETTER.search(core) is not None:
            word = None  # letters with digits or inner marks: the tokenizer's business
        else:
            word = _NO_LETTERS
        if len(words) >= _WORDS_KEPT:
            words.clear()
        words[chunk] = word
        return word


#: :meth:`_ScreenBasis.word_of` of a chunk of ASCII digits and marks, no letters.
_NO_LETTERS = "\x00"
_ASCII_LETTER = re.compile(r"[A-Za-z]")
#: Chunks whose :meth:`_ScreenBasis.word_of` a basis remembers (emptied when full).
_WORDS_KEPT = 50_000
_BASES: dict[tuple[frozenset[str], bool, bool], _ScreenBasis] = {}


class _Screen:
    """Which chunks of a text can hold one of a set of wanted terms, without analysing them.

    The screen says yes to every chunk that may (it is never wrong about a chunk that does),
    and no to most that do not:

    - a chunk of plain ASCII letters (edge punctuation aside) that no step can rewrite past
      recognition, holding no :func:`screen_key` of a wanted term, cannot hold one. An old
      spelling is looked at as the modernized word the stemmer sees (``Soekarno`` as
      ``sukarno``). A variant made after stemming (``mempraktekkan`` -> ``praktek`` ->
      ``praktik``) is caught by the keys of the variants of each wanted term;
    - a chunk of ASCII digits and marks alone (``2018),``) cannot hold a term with a letter.

    Every other chunk is analysed as before: anything with letters and digits or an inner
    hyphen, apostrophe or other mark, or with a character outside ASCII; an acronym (its
    expansion's words are not in it); a spelling variant (``cina`` -> ``tiongkok``), also one
    an old spelling modernizes to.

    >>> from searchlib.analysis import IndonesianAnalyzer
    >>> basis = _ScreenBasis.of([stage for _, stage in IndonesianAnalyzer().stages()])
    >>> screen = _Screen(frozenset({"tulis", "amerika", "sukarno"}), basis)
    >>> chunks = ("menuliskan,", "membaca", "AS", "(Soekarno)", "Djakarta", "80.000", "G7")
    >>> [screen.may_hold(c) for c in chunks]
    [True, False, True, True, False, False, True]
    >>> _Screen(frozenset({"80000"}), basis).may_hold("80.000")
    True
    """

    def __init__(self, wanted: frozenset[str], basis: _ScreenBasis) -> None:
        keys = {screen_key(term) for term in wanted}
        keys.update(screen_key(v) for v, canonical in basis.variants.items() if canonical in wanted)
        self.word_of = basis.word_of
        # Shortest first: "" (the key of a term of one or two letters) admits every chunk.
        self.keys = tuple(sorted(keys, key=len))
        #: Whether some wanted term could come of ASCII digits and marks (a number): then
        #: chunks without letters may hold it.
        self.letterless = any(
            term.isascii() and _ASCII_LETTER.search(term) is None for term in wanted
        )

    def may_hold(self, chunk: str) -> bool:
        """Whether ``chunk`` (one whitespace-separated piece of text) may hold a wanted term."""
        word = self.word_of(chunk)
        if word is None:
            return True
        if word is _NO_LETTERS:
            return self.letterless
        # A plain loop: any() over a generator costs a frame per chunk on this hot path.
        for key in self.keys:  # noqa: SIM110
            if key in word:
                return True
        return False  # also for "", a chunk that analyses to nothing


_WORD_TABLES: dict[tuple[str, bool], _WordTable] = {}
#: Each set of analyzer options' acronym phrases (see IndonesianAnalyzer.acronym_phrases).
_ACRONYM_PHRASES: dict[str, frozenset[tuple[str, ...]]] = {}
# Seconds this thread has spent analysing words it had never seen (filling the word tables).
_LEARNING = threading.local()


def learning_seconds() -> float:
    """Seconds this thread has spent analysing written words for the first time (internal).

    Searches report the time their snippets and queries spent this way apart from their own
    (``Results.warm_up_ms``): it is a cache filling, not the work of the search.
    """
    return float(getattr(_LEARNING, "seconds", 0.0))


def _words(value: str) -> list[str]:
    """The tokenizer's written words, remembered for the last text (indexed twice per field)."""
    last = _LAST_WORDS[0]
    if last[0] is value:
        return last[1]
    found = words(value)
    _LAST_WORDS[0] = (value, found)
    return found


def _located(value: str) -> list[tuple[str, int, int]]:
    """The tokenizer's words with their offsets, remembered for the last text."""
    last = _LAST_LOCATED[0]
    if last[0] is value:
        return last[1]
    found = [(value[start:end], start, end) for start, end in word_spans(value)]
    _LAST_LOCATED[0] = (value, found)
    return found


# A joint that can glue two pieces across a space (``sela -sela``, ``kadang- kadang``): one
# space on one side of the hyphen only, as the tokenizer's ``_joins`` allows; a spaced dash
# (``kata - kata``) never joins. A piece ends in a letter, digit or combining mark and starts
# with a letter or digit. As a pattern (tests/analysis/test_fast_path.py checks the two agree):
#   [-‐‑](?:(?<=E[ \u00a0][-‐‑])(?=[^\W_])|(?<=E[-‐‑])(?=[ \u00a0][^\W_]))
#   where E is (?:[^\W_]|[\u0300-\u036f])
# Python's regex engine tried that at every character (about 24 us an article); str.find
# jumps from hyphen to hyphen in C and looks around each (about 7 us).
_JOINT_SPACES = " \u00a0"


def _piece_end(char: str) -> bool:
    return char.isalnum() or "\u0300" <= char <= "\u036f"


def _has_joint_at_space(value: str) -> bool:
    """Whether ``value`` holds a hyphen joined to a piece on one side across one space."""
    size = len(value)
    for hyphen in _HYPHENS:
        at = value.find(hyphen, 1)
        while at >= 0:
            before = value[at - 1]
            if before in _JOINT_SPACES:
                if at >= 2 and _piece_end(value[at - 2]) and value[at + 1 : at + 2].isalnum():
                    return True
            elif (
                at + 2 < size
                and value[at + 1] in _JOINT_SPACES
                and _piece_end(before)
                and value[at + 2].isalnum()
            ):
                return True
            at = value.find(hyphen, at + 1)
    return False


_SPACE = re.compile(r"\s")


def _phrase_spans(
    tokens: Sequence[tuple[str, int, int]], at: Iterable[int], phrases: Sequence[tuple[str, ...]]
) -> list[tuple[int, int, str]]:
    """Spans of the ``phrases`` that start at the token indexes ``at`` of ``tokens``."""
    found = []
    for i in at:
        for phrase in phrases:
            size = len(phrase)
            if (
                tokens[i][0] == phrase[0]
                and i + size <= len(tokens)
                and tuple(t[0] for t in tokens[i : i + size]) == phrase
            ):
                found.append((tokens[i][1], tokens[i + size - 1][2], " ".join(phrase)))
    return found


def _joins_across_space(value: str) -> bool:
    """Whether a hyphen beside a space may join two chunks of ``value`` (``sela -sela``).
    Remembered for the last text: a snippet asks for its stems, written forms and phrases."""
    last = _LAST_JOINT[0]
    if last[0] is value:
        return last[1]
    found = _has_joint_at_space(value)
    _LAST_JOINT[0] = (value, found)
    return found


_LAST_JOINT: list[tuple[str | None, bool]] = [(None, False)]


def _distinct_chunks(value: str) -> set[str]:
    """The distinct whitespace-separated chunks of ``value`` (remembered for the last text)."""
    last = _LAST_DISTINCT[0]
    if last[0] is value:
        return last[1]
    found = set(value.split())
    _LAST_DISTINCT[0] = (value, found)
    return found


_LAST_DISTINCT: list[tuple[str | None, set[str]]] = [(None, set())]


def _chunk_starts(value: str, chunk: str) -> list[int]:
    """Where ``chunk`` stands in ``value`` as a whole whitespace-separated chunk."""
    starts = []
    size, end = len(chunk), len(value)
    at = value.find(chunk)
    while at >= 0:
        after = at + size
        if (at == 0 or value[at - 1].isspace()) and (after == end or value[after].isspace()):
            starts.append(at)
            at = value.find(chunk, after)
        else:
            at = value.find(chunk, at + 1)
    return starts


def _start(span: tuple[int, int, str]) -> int:
    return span[0]


_LAST_WORDS: list[tuple[str | None, list[str]]] = [(None, [])]
_LAST_LOCATED: list[tuple[str | None, list[tuple[str, int, int]]]] = [(None, [])]


def _paired(stage: Any, method: str) -> bool:
    """Whether ``stage``'s generator is the one its ``method`` (``word_step``, ``expansion``)
    was written with: a subclass that overrides ``__call__`` alone keeps the generator path."""
    for klass in type(stage).__mro__:
        if "__call__" in vars(klass):
            return method in vars(klass)
    return False


#: One segment of :meth:`IndonesianAnalyzer._word_steps`: steps, then an expansion or None.
_Segment = tuple[tuple[WordStep, ...], Callable[[str], tuple[str, ...] | None] | None]


def _lowercase_step(text: str, stopped: bool, _original: str) -> tuple[str, bool] | None:
    return text.lower(), stopped  # Whoosh's LowercaseFilter (exactly that type) on one token


def _run_steps(
    segments: Sequence[_Segment],
    first: int,
    text: str,
    stopped: bool,
    original: str,
    out: list[tuple[str, bool]],
) -> None:
    """Run ``segments[first:]`` on one token, appending the ``(text, stopped)`` it ends as."""
    steps, expand = segments[first]
    for step in steps:
        stepped = step(text, stopped, original)
        if stepped is None:
            return
        text, stopped = stepped
    if expand is None:
        out.append((text, stopped))
        return
    words = expand(text)
    for word in (text,) if words is None else words:
        _run_steps(segments, first + 1, word, stopped, original, out)


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
