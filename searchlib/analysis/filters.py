"""The Indonesian analysis filters: one phenomenon each, composable with Whoosh's ``|``.

Each filter is a generator over Whoosh tokens that rewrites ``token.text`` and keeps
``startchar``/``endchar`` (so highlighting marks the written words) and ``original`` (the written
form, with its case). In :class:`~searchlib.analysis.IndonesianAnalyzer` they run in this order::

    IndonesianTokenizer | FoldFilter | AcronymFilter | LowercaseFilter | ReduplicationFilter
    | NumberFilter | OldSpellingFilter | VariantFilter | StopFilter | StemFilter | VariantFilter

>>> from searchlib.analysis.tokenizer import IndonesianTokenizer

>>> from whoosh.analysis import LowercaseFilter
>>> ana = IndonesianTokenizer() | FoldFilter() | LowercaseFilter() | ReduplicationFilter()
>>> [t.text for t in ana("Perusahaan-perusahaan Ekspor")]
['perusahaan', 'ekspor']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache

from unidecode import unidecode
from whoosh.analysis import Filter, Token

from searchlib.analysis import resources
from searchlib.analysis.stemmer import attested, cached_stem
from searchlib.analysis.tokenizer import IndonesianTokenizer, is_reduplication

__all__ = [
    "AcronymFilter",
    "FoldFilter",
    "NumberFilter",
    "OldSpellingFilter",
    "ReduplicationFilter",
    "StemFilter",
    "StopFilter",
    "VariantFilter",
    "fold",
    "modernize_spelling",
]

Tokens = Iterator[Token]
#: A filter as a function of one token: ``(text, stopped, original) -> (text, stopped)``, or
#: None when the filter drops the token; ``original`` is the written word.
WordStep = Callable[[str, bool, str], tuple[str, bool] | None]


class _Filter(Filter):
    """Equality by type and settings; ``!=`` defined explicitly (some Whoosh forks recurse).

    A one-to-one filter also gives its :meth:`word_step`, the analyzer's way to learn what the
    pipeline makes of a written word without building tokens and generators (8 instead of 14
    us a word, before stemming). The step and the generator call the same function of the
    token's text, so the two cannot drift apart.
    """

    def word_step(self) -> WordStep | None:
        """This filter on one token without positions, or None if it is not one-to-one."""
        return None

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(type(self))


# Characters a folded token may keep: letters and digits, the separators numbers keep (80.000,
# 57,8, 1/2) and the hyphen of reduplications. Everything else unidecode may produce (spaces
# from "北京" -> "Bei Jing ", apostrophes of Jum'at, "[?]") goes.
_NOT_TOKEN_CHARS = re.compile(r"[^A-Za-z0-9./,\-]+")


def fold(text: str) -> str:
    """Fold ``text`` to the ASCII letters, digits and separators a token may contain.

    >>> fold("Ma’ruf"), fold("Bogotá"), fold("sela -sela")
    ('Maruf', 'Bogota', 'sela-sela')
    """
    if not text.isascii():
        text = unidecode(text)
    if text.isalnum():
        return text
    # Separators only count between letters or digits.
    return _NOT_TOKEN_CHARS.sub("", text).strip("./,-")


class FoldFilter(_Filter):
    """Fold each token to ASCII with unidecode, keeping its case; drop tokens that fold to nothing.

    >>> from searchlib.analysis.tokenizer import IndonesianTokenizer
    >>> [t.text for t in (IndonesianTokenizer() | FoldFilter())("Café Jum'at 北京")]
    ['Cafe', 'Jumat', 'BeiJing']
    """

    def __call__(self, tokens: Iterable[Token]) -> Tokens:
        for t in tokens:
            text = fold(t.text)
            if text:
                t.text = text
                yield t

    def word_step(self) -> WordStep:
        return lambda text, stopped, _original: (
            (folded, stopped) if (folded := fold(text)) else None
        )


class AcronymFilter(_Filter):
    """Replace an acronym by the words of its expansion, each with the acronym's span.

    Runs before lowercasing because case tells ``AS`` (Amerika Serikat) from ``as``. The
    expansion words take consecutive positions (later tokens shift), so that documents and
    queries, which are analysed alike, agree: ``"Menlu AS"`` and ``"Menteri Luar Negeri Amerika
    Serikat"`` produce the same token sequence and match each other as phrases too.

    ``extra`` maps more acronyms to expansions; a key starting with ``=`` only expands when
    written exactly so or in capitals.

    >>> from searchlib.analysis.tokenizer import IndonesianTokenizer
    >>> [t.text for t in (IndonesianTokenizer() | AcronymFilter())("Menlu AS as")]
    ['Menteri', 'Luar', 'Negeri', 'Amerika', 'Serikat', 'as']
    """

    def __init__(self, extra: Mapping[str, str] | None = None) -> None:
        self.extra: dict[str, str] = dict(extra or {})
        any_case: dict[str, tuple[str, ...]] = {}
        exact_case: dict[str, tuple[str, ...]] = {}
        for key, expansion in self.extra.items():
            acronym, case_sensitive = resources.parse_acronym_key(key)
            # Tokens are folded before this filter sees them, so keys must be too.
            acronym = fold(acronym)
            words = _expansion_words(expansion)
            if not acronym or not words:
                continue
            if case_sensitive:
                exact_case[acronym] = exact_case[acronym.upper()] = words
            else:
                any_case[acronym.lower()] = words
        # User entries are kept apart from the shared tables so those stay shared and unpickled.
        self._extra_any = any_case
        self._extra_exact = exact_case

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.extra == self.extra  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(type(self))

    def expansion(self, text: str) -> tuple[str, ...] | None:
        """The words ``text`` expands to, or None if it is no acronym.

        >>> AcronymFilter().expansion("Korsel-Korsel"), AcronymFilter().expansion("as")
        (('Korea', 'Selatan'), None)
        """
        any_case, exact_case = _shared_acronyms()
        key = text
        # LSM-LSM (plural of an acronym) expands like LSM.
        if "-" in key:
            head, _, tail = key.partition("-")
            if head == tail:
                key = head
        lowered = key.lower()
        words = exact_case.get(key) or any_case.get(lowered)
        if self._extra_any or self._extra_exact:
            words = self._extra_exact.get(key) or self._extra_any.get(lowered) or words
        return words

    def lowercase_keys(self) -> frozenset[str]:
        """Every word this filter expands, lowercased (a superset of what it expands: ``as``
        is listed for the case-sensitive ``AS``).

        >>> {"as", "korsel"} <= AcronymFilter().lowercase_keys()
        True
        """
        any_case, exact_case = _shared_acronyms()
        keys = {*any_case, *(key.lower() for key in exact_case)}
        keys.update(self._extra_any)
        keys.update(key.lower() for key in self._extra_exact)
        return frozenset(keys)

    def __call__(self, tokens: Iterable[Token]) -> Tokens:
        expansion = self.expansion
        shift = 0
        for t in tokens:
            words = expansion(t.text)
            if words is None:
                if t.positions:
                    t.pos += shift
                yield t
                continue
            # Positions are set from a saved base: filters downstream may renumber the token.
            # (Whoosh 2.7 tokens only have ``pos`` when positions were asked for.)
            positions = t.positions
            base = t.pos + shift if positions else 0
            for i, word in enumerate(words):
                t.text = word
                if positions:
                    t.pos = base + i
                yield t
            shift += len(words) - 1


def _expansion_words(expansion: str) -> tuple[str, ...]:
    """Split and fold an expansion as text is (``Asia-Pasifik`` is two words)."""
    return tuple(t.text for t in (IndonesianTokenizer() | FoldFilter())(expansion))


@cache
def _shared_acronyms() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The packaged acronym tables with expansions split into words, built on first use."""
    any_case = {key: _expansion_words(value) for key, value in resources.acronyms().items()}
    exact_case = {
        key: _expansion_words(value) for key, value in resources.case_sensitive_acronyms().items()
    }
    return any_case, exact_case


_TWO_SHORTHAND = re.compile(r"([a-z]{3,})2[a-z]*")


class ReduplicationFilter(_Filter):
    """Reduce a reduplicated word to its first half, keeping the span of the whole written form.

    Plural and base then index alike (``perusahaan-perusahaan`` finds ``perusahaan``), and
    highlighting marks all of ``sela -sela``.

    >>> from searchlib.analysis.tokenizer import IndonesianTokenizer

    >>> from whoosh.analysis import LowercaseFilter
    >>> ana = IndonesianTokenizer() | LowercaseFilter() | ReduplicationFilter()
    >>> [t.text for t in ana("sayur-mayur anak2 bersama -sama Asia")]
    ['sayur', 'anak', 'bersama', 'asia']
    """

    def __call__(self, tokens: Iterable[Token]) -> Tokens:
        for t in tokens:
            text = t.text
            if not text.isalpha():
                t.text = _unreduplicated(text, t.original)
            yield t

    def word_step(self) -> WordStep:
        return lambda text, stopped, original: (
            text if text.isalpha() else _unreduplicated(text, original),
            stopped,
        )


def _unreduplicated(text: str, original: str | None) -> str:
    """``text`` (lowercase) without its reduplication; ``original`` is the written word."""
    if "-" in text:
        first, _, second = text.partition("-")
        first, second = first.strip(), second.strip()
        if is_reduplication(first, second):
            return first
    elif "2" in text:
        match = _TWO_SHORTHAND.fullmatch(text)
        # ANAK2-style capitals are more likely a code (PS2) than a plural.
        if match and not (original or "").isupper():
            return match.group(1)
    return text


# Indonesian groups thousands with dots (80.000, 1.250.000) and marks decimals with a comma.
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")


class NumberFilter(_Filter):
    """Drop the thousands dots of Indonesian numbers so ``80.000`` and ``80000`` match.

    Decimal commas (``57,8``), fractions (``1/2``) and dates (``14/01/20``) are left as written;
    a dotted number whose groups are not all three digits (``10.30``) is left alone too.

    >>> from searchlib.analysis.tokenizer import IndonesianTokenizer
    >>> [t.text for t in (IndonesianTokenizer() | NumberFilter())("80.000 57,8 10.30")]
    ['80000', '57,8', '10.30']
    """

    def __call__(self, tokens: Iterable[Token]) -> Tokens:
        for t in tokens:
            t.text = _undotted(t.text)
            yield t

    def word_step(self) -> WordStep:
        return lambda text, stopped, _original: (_undotted(text), stopped)


def _undotted(text: str) -> str:
    """``text`` without the thousands dots of an Indonesian number."""
    if "." in text and text[:1].isdigit() and _THOUSANDS.fullmatch(text):
        return text.replace(".", "")
    return text


# Cheap first test: almost no modern word contains any of these.
_OLD_CANDIDATE = re.compile(r"oe|dj|tj|sj|nj|ch")
# Spellings that only the pre-1972 orthography produces in Indonesian words.
_OLD_CERTAIN = re.compile(r"oe|dj|tj|sj")
# Modern words have nj at syllable joints (menjadi, tanjung), so old nj (= ny) is only trusted
# at the start of a word (Njoto), in the clitic -nja (rumahnja), or in a word that is old anyway.
_OLD_NJ = re.compile(r"^nj|nja$")
# ch at the start of a word is nearly always foreign (China, Chung, chip); inside a word it is
# usually old Indonesian kh (achir, machluk, ichlas, Rachmat).
_INNER_CH = re.compile(r"(?<=[a-z])ch")
_OLD_TO_NEW = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"))


def may_be_old_spelling(word: str) -> bool:
    """Whether :func:`modernize_spelling` might rewrite the lowercase ``word`` (a cheap test
    that never says no to a word it rewrites).

    >>> may_be_old_spelling("soekarno"), may_be_old_spelling("menulis")
    (True, False)
    """
    return _OLD_CANDIDATE.search(word) is not None


def _nj_to_ny(match: re.Match[str]) -> str:
    return match.group().replace("nj", "ny")


def modernize_spelling(word: str) -> str:
    """Rewrite a lowercase word from the old (pre-1972) spelling to the current one.

    Old ``j`` -> ``y`` is not undone: modern ``j`` is everywhere and cannot be told apart.

    >>> modernize_spelling("soekarno"), modernize_spelling("mendjadi"), modernize_spelling("achir")
    ('sukarno', 'menjadi', 'akhir')
    >>> modernize_spelling("menjadi"), modernize_spelling("china"), modernize_spelling("rumahnja")
    ('menjadi', 'china', 'rumahnya')
    >>> [modernize_spelling(w) for w in ("snapchat", "michael", "machloek")]
    ['snapchat', 'michael', 'makhluk']
    """
    if not may_be_old_spelling(word) or word in resources.old_spelling_exceptions():
        return word
    # nj first: dj -> j would otherwise create a modern nj (mendjadi -> menjadi) to misread.
    certain = _OLD_CERTAIN.search(word) is not None
    word = word.replace("nj", "ny") if certain else _OLD_NJ.sub(_nj_to_ny, word)
    for old, new in _OLD_TO_NEW:
        if old in word:
            word = word.replace(old, new)
    if "ch" in word:
        # Inner ch is old kh only where the modern corpus says so: the written word is not a
        # word there (snapchat, michael are) and the kh spelling is (achir -> akhir).
        folded = _INNER_CH.sub("kh", word)
        if folded != word and not attested(word) and attested(folded):
            word = folded
    return word


class OldSpellingFilter(_Filter):
    """Fold old Indonesian spelling to the modern one (``Soekarno`` -> ``sukarno``).

    Rules: ``oe``->``u``, ``dj``->``j``, ``tj``->``c``, ``sj``->``sy``; ``nj``->``ny`` and
    ``ch``->``kh`` only where they cannot be modern (see :func:`modernize_spelling`: inner
    ``ch`` folds only when the ``kh`` word is in the lexicon and the written one is not); words in
    ``data/old-spelling-exceptions.txt`` are left alone.

    >>> from searchlib.analysis.tokenizer import IndonesianTokenizer

    >>> from whoosh.analysis import LowercaseFilter
    >>> ana = IndonesianTokenizer() | LowercaseFilter() | OldSpellingFilter()
    >>> [t.text for t in ana("Soekarno Djakarta koefisien")]
    ['sukarno', 'jakarta', 'koefisien']
    """

    def __call__(self, tokens: Iterable[Token]) -> Tokens:
        for t in tokens:
            t.text = modernize_spelling(t.text)
            yield t

    def word_step(self) -> WordStep:
        return lambda text, stopped, _original: (modernize_spelling(text), stopped)


class VariantFilter(_Filter):
    """Rewrite a spelling variant to the one searchlib indexes (``praktek`` -> ``praktik``).

    >>> from searchlib.analysis.tokenizer import IndonesianTokenizer

    >>> from whoosh.analysis import LowercaseFilter
    >>> ana = IndonesianTokenizer() | LowercaseFilter() | VariantFilter()
    >>> [t.text for t in ana("Cina China resiko")]
    ['tiongkok', 'tiongkok', 'risiko']
    """

    def __call__(self, tokens: Iterable[Token]) -> Tokens:
        table = resources.variants()
        for t in tokens:
            t.text = table.get(t.text, t.text)
            yield t

    def word_step(self) -> WordStep:
        table = resources.variants()
        return lambda text, stopped, _original: (table.get(text, text), stopped)


class StopFilter(_Filter):
    """Remove Indonesian stopwords (Tala's list), or only flag them when ``removestops`` is off.

    Like Whoosh's ``StopFilter``, removal renumbers the following positions, so a phrase query
    (analysed the same way) still finds its words adjacent. With ``removestops=False`` stopwords
    stay in the stream with ``stopped=True`` and positions as written.

    >>> from searchlib.analysis.tokenizer import IndonesianTokenizer
    >>> [t.text for t in (IndonesianTokenizer() | StopFilter())("kerja sama yang erat")]
    ['kerja', 'erat']
    """

    def __init__(self, stopwords: Iterable[str] | None = None) -> None:
        # None means the shared Tala list, read lazily (keeps instances tiny).
        self.stopwords: frozenset[str] | None = None if stopwords is None else frozenset(stopwords)

    def word_step(self) -> WordStep:
        # As the generator with removestops off: flagged, not removed.
        stoplist = resources.stopwords() if self.stopwords is None else self.stopwords
        return lambda text, _stopped, _original: (text, text in stoplist)

    def __call__(self, tokens: Iterable[Token]) -> Tokens:
        stoplist = resources.stopwords() if self.stopwords is None else self.stopwords
        pos: int | None = None
        for t in tokens:
            if t.text not in stoplist:
                t.stopped = False
                if t.positions:
                    if pos is None:
                        pos = t.pos
                    elif t.removestops:
                        pos += 1
                        t.pos = pos
                    else:
                        pos = t.pos
                yield t
            elif not t.removestops:
                t.stopped = True
                if t.positions:
                    pos = t.pos
                yield t


class StemFilter(_Filter):
    """Stem each word with the Indonesian stemmer, except numbers, stopwords and ``protected``.

    >>> from searchlib.analysis.tokenizer import IndonesianTokenizer
    >>> ana = IndonesianTokenizer() | StemFilter(protected=["bekasi"])
    >>> [t.text for t in ana("mengunjungi bekasi g7")]
    ['kunjung', 'bekasi', 'g7']
    """

    is_morph = True

    def __init__(self, protected: Iterable[str] = ()) -> None:
        self.protected: frozenset[str] = frozenset(fold(word).lower() for word in protected)

    def __call__(self, tokens: Iterable[Token]) -> Tokens:
        protected = self.protected
        stem = cached_stem
        for t in tokens:
            text = t.text
            # isalpha() is False for anything holding a digit (1965, g7, 57,8): never stemmed.
            if not t.stopped and text.isalpha() and text not in protected:
                t.text = stem(text)
            yield t

    def word_step(self) -> WordStep:
        protected = self.protected
        return lambda text, stopped, _original: (
            cached_stem(text) if not stopped and text.isalpha() and text not in protected else text,
            stopped,
        )
