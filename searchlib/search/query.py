"""Query text -> a Whoosh query: validation, natural language and the query language.

A query is natural language by default: every word is optional and documents with more of the
words rank first, so a question finds its passage instead of nothing. The Whoosh query language
works on top: ``"quoted phrases"`` (exact written words, in order), ``AND``/``OR``/``NOT`` (and the
Indonesian ``DAN``/``ATAU``/``BUKAN``, upper case only so they never clash with the ordinary
words), ``+required``, ``-excluded``, ``field:value`` (``title:``, ``source:``, ``date:``, and
any metadata field a corpus brought, e.g. ``category:``), prefixes ``kerja*`` and fuzzy terms
``denuklirsasi~``.

>>> check_query_text("  ")
Traceback (most recent call last):
...
searchlib.errors.QueryError: empty query: type one or more words to search for
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq
from whoosh.qparser import (
    FuzzyTermPlugin,
    MultifieldPlugin,
    OperatorsPlugin,
    OrGroup,
    PhrasePlugin,
    PlusMinusPlugin,
    QueryParser,
)
from whoosh.qparser.common import attach

from searchlib._whoosh import text_of, true_negations
from searchlib.analysis import IndonesianAnalyzer
from searchlib.errors import QueryError
from searchlib.index.schema import (
    BODY,
    DATE,
    DATED,
    EXACT_FIELDS,
    EXACT_SUFFIX,
    ID,
    META_PREFIX,
    SITE,
    STEMMED_FIELDS,
    TEXT_FIELDS,
    TITLE,
    YEAR,
    metadata_fields,
)
from searchlib.search.context import word_grams
from searchlib.search.options import Ranking

MAX_QUERY_CHARS = 1000
MAX_QUERY_TERMS = 64
MAX_EXPANSIONS = 256  # terms a prefix or fuzzy query may expand to

# Field names a user may write before a colon, and where each points in the index; metadata
# fields (`category:`) are added per index.
QUERY_FIELDS = {
    "title": TITLE,
    "judul": TITLE,
    "body": BODY,
    "isi": BODY,
    "source": SITE,
    "sumber": SITE,
    "site": SITE,
    "date": DATE,
    "tanggal": DATE,
    "year": YEAR,
    "tahun": YEAR,
    "id": ID,
}

_TYPOGRAPHIC_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_BRACKETS = {")": "(", "]": "[", "}": "{"}
# `?` ends questions far more often than it means "any one letter": treat it as punctuation.
_QUESTION_MARK = re.compile(r"\?")
_FIELD_PREFIX = re.compile(r"(?<![\w:])([A-Za-z_][\w]*):(?=\S)")


@dataclass(frozen=True)
class ParsedQuery:
    """A query ready to run: the text it was parsed from and the Whoosh query (internal)."""

    text: str
    query: Any  # whoosh.query.Query


#: The query-side analyzers: the stemmed fields' and the written forms' (as the schema's).
STEMMED = IndonesianAnalyzer()
EXACT = IndonesianAnalyzer(stem=False, stopwords=False)


def check_query_text(text: str) -> str:
    """Validate raw query text and return it normalised; raise :class:`QueryError` if unusable.

    >>> check_query_text('“kerja sama”')
    '"kerja sama"'
    """
    if not isinstance(text, str):
        raise QueryError(f"a query must be a string, not {type(text).__name__}")
    normalised = text.translate(_TYPOGRAPHIC_QUOTES).strip()
    if not normalised:
        raise QueryError("empty query: type one or more words to search for")
    if len(normalised) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query too long: {len(normalised)} characters, at most {MAX_QUERY_CHARS} allowed"
        )
    if "\x00" in normalised:
        raise QueryError("the query contains a NUL character")
    if normalised.count('"') % 2:
        raise QueryError('unbalanced quotes: a phrase opened with " is never closed')
    _check_brackets(normalised)
    return normalised


def _check_brackets(text: str) -> None:
    stack: list[str] = []
    in_phrase = False
    for char in text:
        if char == '"':
            in_phrase = not in_phrase
        elif in_phrase:
            continue
        elif char in "([{":
            stack.append(char)
        elif char in _BRACKETS:
            if not stack or stack[-1] != _BRACKETS[char]:
                raise QueryError(f"unbalanced brackets: {char!r} closes nothing")
            stack.pop()
    if stack:
        raise QueryError(f"unbalanced brackets: {stack[-1]!r} is never closed")


class _ExactPhrasePlugin(PhrasePlugin):
    """Quoted phrases match the written words, in order, stopwords included.

    Whoosh would analyse a phrase with the field's (stemming, stopword-removing) analyzer; we
    send it to the ``*_exact`` field instead, whose analyzer keeps every word, so
    ``"kerja sama trilateral"`` needs ``sama`` between the two other words.
    """

    class PhraseNode(PhrasePlugin.PhraseNode):
        def query(self, parser: Any) -> Any:
            fieldname = self.fieldname or parser.fieldname
            if fieldname in STEMMED_FIELDS:
                fieldname = f"{fieldname}_exact"
            if fieldname not in EXACT_FIELDS:
                return super().query(parser)
            analyzer = parser.schema[fieldname].analyzer
            words = [t.text for t in analyzer(self.text, mode="query", removestops=False)]
            if not words:
                return attach(wq.NullQuery, self)
            if len(words) == 1:
                return attach(wq.Term(fieldname, words[0], boost=self.boost), self)
            return attach(wq.Phrase(fieldname, words, slop=self.slop, boost=self.boost), self)

    class PhraseTagger(PhrasePlugin.PhraseTagger):
        def create(self, parser: Any, match: Any) -> Any:
            slop = match.group("slop")
            return _ExactPhrasePlugin.PhraseNode(
                match.group("text"), match.start("text"), int(slop) if slop else 1
            )

    def taggers(self, parser: Any) -> Any:
        return [(self.PhraseTagger(self.expr), 0)]


def _operators() -> OperatorsPlugin:
    # Upper-case English and Indonesian operators only, between whitespace, so the ordinary
    # Indonesian words "dan", "atau", "bukan" stay words (they are stopwords anyway).
    return OperatorsPlugin(
        And=r"(?<=\s)(AND|DAN)(?=\s)",
        Or=r"(?<=\s)(OR|ATAU)(?=\s)",
        Not=r"(^|(?<=(\s|[()])))(NOT|BUKAN)(?=\s)",
        AndNot=r"(?<=\s)ANDNOT(?=\s)",
    )


class _Parser(QueryParser):  # type: ignore[misc]
    """Whoosh's multifield parser, with fuzzy and wildcard words sent to the written forms.

    A fuzzy or prefix word (``perusahaan~2``, ``perusaha*``) means a written word: spelling
    variants of ``perusahaan``, words starting with ``perusaha``. On the stemmed fields the
    pattern would apply to the stem (``usaha~2`` matches ``saham``), so it goes to the
    written-form twin instead, with the stemmed field's boost; the twin's own clause is then
    a duplicate, which :func:`drop_pattern_twins` removes.
    """

    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: Any,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> Any:
        if termclass in _PATTERN_CLASSES and fieldname in STEMMED_FIELDS:
            fieldname += EXACT_SUFFIX
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


_PATTERN_CLASSES = (wq.FuzzyTerm, wq.Wildcard, wq.Prefix)


def build_parser(schema: Any, fieldboosts: dict[str, float], or_factor: float) -> Any:
    """A Whoosh parser configured for searchlib's query language (internal)."""
    # Whoosh's MultifieldParser, built on the subclass above.
    parser = _Parser(None, schema, group=OrGroup.factory(or_factor))
    parser.add_plugin(MultifieldPlugin(list(fieldboosts), fieldboosts=fieldboosts))
    parser.remove_plugin_class(PhrasePlugin)
    parser.add_plugin(_ExactPhrasePlugin())
    parser.replace_plugin(_operators())
    # "+" and "-" mark required/excluded words only at the start of a word: the hyphen inside
    # `Jepang-Korea` or a dash between spaces is text.
    parser.add_plugin(
        PlusMinusPlugin(plusexpr=r"(?:(?<=\s)|^)\+(?=\w)", minusexpr=r"(?:(?<=\s)|^)-(?=\w)")
    )
    parser.add_plugin(FuzzyTermPlugin())
    return parser


# Parsers built, by schema identity and settings: building one (plugins, their patterns) cost
# about a quarter of a millisecond a query, and a parser keeps no state between parses.
_PARSERS: dict[tuple[int, tuple[tuple[str, float], ...], float], tuple[Any, Any]] = {}
_PARSERS_KEPT = 32


def _parser_for(schema: Any, fieldboosts: dict[str, float], or_factor: float) -> Any:
    """:func:`build_parser`, built once per schema object and settings."""
    key = (id(schema), tuple(sorted(fieldboosts.items())), or_factor)
    found = _PARSERS.get(key)
    if found is not None and found[0] is schema:  # an id is only unique while its object lives
        return found[1]
    parser = build_parser(schema, fieldboosts, or_factor)
    if len(_PARSERS) >= _PARSERS_KEPT:
        _PARSERS.clear()
    _PARSERS[key] = (schema, parser)
    return parser


def prepare_text(text: str, fields: Mapping[str, str]) -> tuple[str, set[str]]:
    """Rewrite query text so only real query syntax stays syntax.

    ``fields`` maps each name a user may write before a colon to its index field. ``word:``
    where ``word`` is not a field (``pukul 10:30``, ``catatan: ...``) loses its colon; ``?``
    becomes a space. Returns the text and the index fields the user wrote a prefix for.

    >>> fields = {"title": "title", "judul": "title"}
    >>> prepare_text("Siapa menteri? catatan:penting judul:KTT", fields)
    ('Siapa menteri  catatan penting title:KTT', {'title'})
    """
    used: set[str] = set()
    parts = re.split(r'("[^"]*")', text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:  # inside a quoted phrase: leave as written
            out.append(part)
            continue
        part = _QUESTION_MARK.sub(" ", part)

        def field_or_text(match: re.Match[str]) -> str:
            target = fields.get(match.group(1).lower())
            if target:
                used.add(target)
            return f"{target}:" if target else f"{match.group(1)} "

        out.append(_FIELD_PREFIX.sub(field_or_text, part))
    return "".join(out), used


def expand_dates(q: Any) -> Any:
    """Make ``date:`` match at the precision written: ``date:2019`` is every 2019 date.

    A date that is not ISO or does not exist (``date:2019-13``) is a :class:`QueryError`.

    Dates are stored as ISO text at their stated precision, so a term becomes a prefix and a
    range's upper end takes in everything under it (``[2019-01 TO 2020-06]`` includes
    ``2020-06-15``).
    """

    def fix(node: Any) -> Any:
        if isinstance(node, wq.Term) and node.fieldname == DATE:
            return wq.Prefix(DATE, check_query_date(str(node.text)), boost=node.boost)
        if isinstance(node, wq.TermRange) and node.fieldname == DATE:
            for end in (node.start, node.end):
                if end is not None:
                    check_query_date(str(end))
            end = None if node.end is None else f"{node.end}\uffff"
            return wq.TermRange(
                DATE, node.start, end, startexcl=node.startexcl, endexcl=False, boost=node.boost
            )
        return node

    return q.accept(fix)


def drop_pattern_twins(q: Any) -> Any:
    """Keep one clause per fuzzy or wildcard word and field in an OR: the most boosted.

    :class:`_Parser` sends a free pattern word's stemmed clauses to the written-form fields,
    where the word already has clauses of its own, with the lower written-form boost.
    """

    def key(node: Any) -> Any:
        if not isinstance(node, _PATTERN_CLASSES) or node.fieldname not in EXACT_FIELDS:
            return None
        return (type(node), node.fieldname, node.text, getattr(node, "maxdist", None))

    def fix(node: Any) -> Any:
        if not isinstance(node, wq.Or):
            return node
        best: dict[Any, Any] = {}
        for child in node.subqueries:
            k = key(child)
            if k is not None and (k not in best or child.boost > best[k].boost):
                best[k] = child
        if not best:
            return node
        kept = [c for c in node.subqueries if key(c) is None or best[key(c)] is c]
        return or_like(node, kept)

    return q.accept(fix)


def or_like(q: Any, children: list[Any]) -> Any:
    """An OR like ``q`` (class, boost, minmatch, coordination scale) over ``children``."""
    return q.__class__(
        children,
        boost=q.boost,
        minmatch=getattr(q, "minmatch", 0),
        scale=getattr(q, "scale", None),
    )


def drop_exact_stopwords(q: Any, is_stopword: Any) -> Any:
    """Exact-form fields keep stopwords (for phrases); single stopword terms there are noise."""

    def fix(node: Any) -> Any:
        if (
            isinstance(node, wq.Term)
            and str(node.fieldname).endswith("_exact")
            and is_stopword(str(node.text))
        ):
            return wq.NullQuery
        return node

    return q.accept(fix)


DEFAULT_TEXT_FIELDS = frozenset(TEXT_FIELDS)


def require_fielded_clauses(q: Any, written: set[str]) -> Any:
    """Make ``source:kompas.com banjir`` mean "about banjir, from kompas.com only".

    Free words are optional (natural language), but a clause the user wrote against one field
    (``title:``, ``source:``, ``date:``, ``category:``...) restricts the results. ``written`` is
    the set of fields the user wrote a prefix for; a top-level clause whose terms all lie in one
    such field (or in a non-text field, which only a prefix can reach) is required.
    """
    if not isinstance(q, wq.Or):
        return q
    fielded, free = [], []
    for clause in q.subqueries:
        leaves = [clause] if clause.is_leaf() else list(clause.leaves())
        names = {leaf.field() for leaf in leaves}
        is_fielded = (
            not isinstance(clause, wq.Not)
            and len(names) == 1
            and (names <= written or not names & DEFAULT_TEXT_FIELDS)
            and None not in names
        )
        (fielded if is_fielded else free).append(clause)
    if not fielded or not free:
        return q if not fielded else wq.And(fielded)
    rest = (
        free[0] if len(free) == 1 else wq.Or(free, boost=q.boost, scale=getattr(q, "scale", None))
    )
    return wq.And([rest, *fielded])


def lift_negations(q: Any) -> Any:
    """Make ``a b NOT c`` mean "a or b, but not c".

    In an OR group Whoosh keeps ``NOT c`` as one more optional clause, which matches every
    document without ``c`` — nearly the whole index. Negated clauses of an OR are lifted into an
    AND-NOT around the positive ones.
    """

    def fix(node: Any) -> Any:
        if not isinstance(node, wq.Or):
            return node
        negative = [c.query for c in node.subqueries if isinstance(c, wq.Not)]
        if not negative:
            return node
        positive = [c for c in node.subqueries if not isinstance(c, wq.Not)]
        excluded = negative[0] if len(negative) == 1 else wq.Or(negative)
        if not positive:
            return wq.Not(excluded)
        kept = (
            positive[0]
            if len(positive) == 1
            else wq.Or(positive, boost=node.boost, scale=getattr(node, "scale", None))
        )
        return wq.AndNot(kept, excluded)

    return q.accept(fix)


# Wildcards, fuzzy terms and ranges expand to every matching word of the index before the search
# runs, and the search's cost grows with the number of words: on a few thousand articles `m*` or
# `kata~2` expand to thousands of words and take tens of seconds. These caps keep every query's
# cost bounded; the message says which pattern was too broad.
MAX_FUZZY_DISTANCE = 2  # `word~2`; each step more multiplies the automaton Whoosh builds
MAX_FUZZY_WORD = 40  # characters of a fuzzy word (the longest Indonesian words have ~25)
MAX_PATTERNS = 8  # distinct wildcard, fuzzy or range words in one query
_UNCAPPED_FIELDS = frozenset({DATE, YEAR, DATED})  # `date:2019` is a prefix by design


def check_expansions(q: Any, reader: Any, max_expansions: int = MAX_EXPANSIONS) -> None:
    """Raise :class:`QueryError` when wildcards, fuzzy terms or ranges would expand too far.

    A pattern is checked once per field it is searched in; together they may expand to at most
    ``max_expansions`` index words (fuzzy and wildcard words on the written forms are capped
    by :func:`expand_patterns` instead). Fuzzy terms are limited to an edit distance of
    ``MAX_FUZZY_DISTANCE`` and words of ``MAX_FUZZY_WORD`` characters before anything is expanded.
    """
    leaves = [q] if q.is_leaf() else list(q.leaves())
    patterns = [
        leaf
        for leaf in leaves
        if isinstance(leaf, wq.MultiTerm | wq.Every)
        and leaf.field()
        and leaf.field() not in _UNCAPPED_FIELDS
    ]
    # Fuzzy and wildcard words on the written forms are capped, not refused: expand_patterns.
    capped = [
        leaf
        for leaf in patterns
        if isinstance(leaf, _PATTERN_CLASSES) and leaf.field() in EXACT_FIELDS
    ]
    written = {_pattern_text(leaf) for leaf in patterns}
    if len(written) > MAX_PATTERNS:
        raise QueryError(
            f"too many wildcard, fuzzy or range words ({len(written)}); "
            f"use at most {MAX_PATTERNS} in one query"
        )
    for leaf in patterns:
        if isinstance(leaf, wq.FuzzyTerm):
            _check_fuzzy(leaf)
    budget = max_expansions
    for leaf in patterns:
        if any(leaf is other for other in capped):
            continue
        # `field:*` and `{* TO}` visit every word of the field (Whoosh's Every with a field).
        words = reader.lexicon(leaf.field()) if isinstance(leaf, wq.Every) else None
        expanded = leaf.expanded_terms(reader) if words is None else words
        found = sum(1 for _ in itertools.islice(expanded, budget + 1))
        budget -= found
        if budget < 0:
            raise QueryError(
                f"{_pattern_text(leaf)} matches too many words (the query may expand to at most "
                f"{max_expansions}); make the pattern longer or more specific"
            )


#: Index words a fuzzy, prefix or wildcard word expands to, per field it is searched in (as
#: Lucene's fuzzy query's ``maxExpansions``): the closest, then the most frequent, are kept.
MAX_PATTERN_TERMS = 50
#: What a spelling variant (``perusahan`` for ``perusahaan~``) counts for beside the exact word,
#: scaled down further by its edit distance, so documents with the word as written rank first.
VARIANT_WEIGHT = 0.3
#: At most this many words of a fuzzy or wildcard pattern are looked at (``ba~2``, ``*a*``).
MAX_PATTERN_SCAN = 5000


@dataclass(frozen=True)
class Expansion:
    """What :func:`expand_patterns` did to a query (internal)."""

    query: Any
    #: ``(field, index word) -> the pattern as written`` (``perusahaan~2``), for explanations.
    origins: dict[tuple[str, str], str]
    #: The patterns that matched more than :data:`MAX_PATTERN_TERMS` words, as written.
    capped: list[str]


def expand_patterns(q: Any, searcher: Any, max_terms: int = MAX_PATTERN_TERMS) -> Expansion:
    """Replace fuzzy, prefix and wildcard words on the written-form fields by an OR of the index
    words they match, scored so that the word as written ranks first.

    Each pattern keeps its ``max_terms`` best words: by edit distance (fuzzy) or closeness in
    length (prefix), then document frequency. As Lucene's blended rewrite of a fuzzy query
    does, every word of one pattern is scored with the same (the most frequent word's) idf, so
    a rare misspelling does not outscore the common word, then weighted by its similarity: 1
    for the word as written (a prefix word itself), ``VARIANT_WEIGHT * (1 - d / length)`` for a
    variant at edit distance ``d``, ``len(prefix) / len(word)`` for a completion.
    """
    reader = searcher.reader()
    origins: dict[tuple[str, str], str] = {}
    capped: list[str] = []

    def fix(node: Any) -> Any:
        if isinstance(node, wq.And | wq.Require) and any(map(_matches_nothing, node.children())):
            # Whoosh's normalize() drops an empty clause from an AND, which would then match
            # without it (`pelabuhan AND menteri*` with no word starting `menteri`).
            return wq.NullQuery
        if not isinstance(node, _PATTERN_CLASSES) or node.fieldname not in EXACT_FIELDS:
            return node
        if isinstance(node, wq.FuzzyTerm):
            _check_fuzzy(node)
        fieldname, written = node.fieldname, _pattern_text(node)
        candidates = _pattern_candidates(node, reader)
        if len(candidates) > max_terms and written not in capped:  # or MAX_PATTERN_SCAN hit
            capped.append(written)
        kept = sorted(candidates, key=lambda c: (-c[1], -c[2], c[0]))[:max_terms]
        if not kept:
            return wq.NullQuery
        reference = min(searcher.idf(fieldname, word) for word, _sim, _df in kept)
        terms = []
        for word, similarity, _df in sorted(kept):
            idf = searcher.idf(fieldname, word) or 1.0
            boost = node.boost * similarity * reference / idf
            terms.append(wq.Term(fieldname, word, boost=boost))
            origins.setdefault((fieldname, word), written)
        return terms[0] if len(terms) == 1 else wq.Or(terms)

    leaves = [q] if q.is_leaf() else list(q.leaves())
    if not any(isinstance(leaf, _PATTERN_CLASSES) for leaf in leaves):
        return Expansion(q, origins, capped)
    expanded = q.accept(fix).normalize()
    if type(q) is wq.Or and type(expanded) is wq.Or and getattr(q, "scale", None):
        # normalize() rebuilds an OR without its coordination scale: put it back.
        expanded = wq.Or(list(expanded.children()), boost=expanded.boost, scale=q.scale)
    return Expansion(expanded, origins, capped)


def _is_null(q: Any) -> bool:
    """Whether ``q`` is Whoosh's NullQuery (the instance, or one of its class)."""
    return q is wq.NullQuery or isinstance(q, type(wq.NullQuery))


def _matches_nothing(q: Any) -> bool:
    """Whether ``q`` (its patterns expanded, not yet normalized) can match no document."""
    if _is_null(q):
        return True
    if isinstance(q, wq.And | wq.Require):
        return any(map(_matches_nothing, q.children()))
    if isinstance(q, wq.Or):
        return all(map(_matches_nothing, q.children()))
    if isinstance(q, wq.AndNot | wq.AndMaybe):
        return _matches_nothing(q.a)
    return False


def _pattern_candidates(node: Any, reader: Any) -> list[tuple[str, float, int]]:
    """``(word, similarity, document frequency)`` of every index word a pattern matches."""
    fieldname = node.fieldname
    text = str(node.text)
    out = []
    if isinstance(node, wq.Prefix):
        # Segment by segment: each segment's term cursor gives the frequencies in one pass,
        # where the multi-segment reader would look each word up again in every segment.
        frequencies: dict[str, int] = {}
        for sub in _segment_readers(reader):
            for btext, info in sub.iter_prefix(fieldname, text):
                word = text_of(btext)
                frequencies[word] = frequencies.get(word, 0) + info.doc_frequency()
        for word, df in frequencies.items():
            out.append((word, len(text) / max(1, len(word)), df))
        return out
    if isinstance(node, wq.FuzzyTerm):
        maxdist = int(node.maxdist)
        fixed = text[: node.prefixlength]
        for word in word_grams(reader, fieldname).candidates(text, maxdist):
            if not word.startswith(fixed):
                continue
            distance = edit_distance(text, word, maxdist)
            if distance > maxdist:
                continue
            similarity = (
                1.0
                if distance == 0
                else VARIANT_WEIGHT * max(0.0, 1.0 - distance / max(1, min(len(text), len(word))))
            )
            if similarity > 0:
                out.append((word, similarity, reader.doc_frequency(fieldname, word)))
        return out
    for _field, btext in itertools.islice(node.expanded_terms(reader), MAX_PATTERN_SCAN):
        out.append((text_of(btext), 1.0, reader.doc_frequency(fieldname, btext)))
    return out


def _segment_readers(reader: Any) -> list[Any]:
    return [reader] if reader.is_atomic() else [sub for sub, _offset in reader.leaf_readers()]


def edit_distance(a: str, b: str, limit: int) -> int:
    """The Levenshtein distance of ``a`` and ``b`` (as Whoosh's fuzzy terms count edits), or
    ``limit + 1`` when the lengths alone put it over ``limit``.

    Myers' bit-parallel algorithm (Hyyrö's form for the whole-word distance): one pass over
    ``b`` with the columns of the edit table packed in integers.

    >>> edit_distance("perusahaan", "perusahan", 2), edit_distance("kata", "akta", 2)
    (1, 2)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if not a or not b:
        return max(len(a), len(b))
    masks: dict[str, int] = {}
    for i, char in enumerate(a):
        masks[char] = masks.get(char, 0) | (1 << i)
    full = (1 << len(a)) - 1
    high = 1 << (len(a) - 1)
    plus, minus, score = full, 0, len(a)
    for char in b:
        eq = masks.get(char, 0)
        xv = eq | minus
        xh = (((eq & plus) + plus) ^ plus) | eq
        hplus = minus | (~(xh | plus) & full)
        hminus = plus & xh
        if hplus & high:
            score += 1
        elif hminus & high:
            score -= 1
        hplus = ((hplus << 1) | 1) & full
        hminus = (hminus << 1) & full
        plus = hminus | (~(xv | hplus) & full)
        minus = hplus & xv
    return score


def _check_fuzzy(leaf: Any) -> None:
    text = str(leaf.text)
    if leaf.maxdist > MAX_FUZZY_DISTANCE:
        raise QueryError(
            f"{_pattern_text(leaf)}: fuzzy distance {leaf.maxdist} is too large; "
            f"use at most ~{MAX_FUZZY_DISTANCE}"
        )
    if len(text) > MAX_FUZZY_WORD:
        raise QueryError(
            f"fuzzy word too long: {len(text)} characters, at most {MAX_FUZZY_WORD} allowed"
        )
    if leaf.prefixlength > len(text):
        raise QueryError(
            f"{_pattern_text(leaf)}: the fixed prefix /{leaf.prefixlength} is longer than "
            f"the word {text!r}"
        )


def _pattern_text(leaf: Any) -> str:
    """A pattern as the user wrote it (without its field), for messages."""
    if isinstance(leaf, wq.FuzzyTerm):
        return f"{leaf.text}~{leaf.maxdist}"
    if isinstance(leaf, wq.Prefix):
        return f"{leaf.text}*"
    if isinstance(leaf, wq.TermRange):
        return "[" + " ".join(str(x) for x in (leaf.start, "TO", leaf.end) if x) + "]"
    if isinstance(leaf, wq.Every):
        return "[* TO *]"
    return str(getattr(leaf, "text", leaf))


# -- natural language ------------------------------------------------------------------------

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


# -- parsing ---------------------------------------------------------------------------------


def query_fields(reader: Any) -> dict[str, str]:
    """Names a user may write before ``:`` -> index field, including this index's metadata."""
    fields = dict(QUERY_FIELDS)
    for name in metadata_fields(reader):
        fields.setdefault(name, META_PREFIX + name)
    return fields


def parse_query(
    text: str, schema: Any, ranking: Ranking, fields: dict[str, str], *, fast: bool = True
) -> ParsedQuery | None:
    """``text`` as a Whoosh query for ``schema``, or None when nothing in it is indexed
    (only stopwords or punctuation). Raises :class:`~searchlib.errors.QueryError`.

    Plain words take :func:`plain_words_query`; ``fast=False`` sends them through Whoosh's
    parser too (the tests compare the two)."""
    parser = _parser_for(schema, ranking.field_boosts(), ranking.or_factor)
    if ranking.question_words:
        text = drop_question_words(text)
    prepared, written = prepare_text(text, fields)
    if fast and not written:
        plain = plain_words_query(parser, prepared, ranking.or_factor)
        if plain is not None:
            return None if plain is wq.NullQuery else _checked(ParsedQuery(text, plain))
    try:
        q = parser.parse(prepared)
    except Exception as exc:  # Whoosh raises assorted types (IndexError...) on odd syntax
        raise QueryError(
            f"cannot parse the query {text!r}: each operator (AND, OR, NOT; DAN, ATAU, BUKAN) "
            "needs a word beside it and operators cannot follow each other; quote the query "
            "to search for its words as written"
        ) from exc
    q = drop_exact_stopwords(drop_pattern_twins(expand_dates(q)), _is_stopword).normalize()
    q = true_negations(lift_negations(require_fielded_clauses(q, written))).normalize()
    if _is_null(q):
        return None
    if ranking.or_factor > 0 and type(q) is wq.Or:
        # Whoosh's normalize() rebuilds an OR without its coordination scale: put it back.
        q = wq.Or(list(q.children()), boost=q.boost, scale=ranking.or_factor)
    return _checked(ParsedQuery(text, q))


def _checked(parsed: ParsedQuery) -> ParsedQuery:
    q = parsed.query
    leaves = list(q.leaves()) if not q.is_leaf() else [q]
    if len(leaves) > MAX_QUERY_TERMS * 4:  # four fields per written word
        raise QueryError(
            f"query too complex: more than {MAX_QUERY_TERMS} words or terms; shorten it"
        )
    return parsed


# Text the parser reads as nothing but words: letters and digits between whitespace (Whoosh's
# WhitespacePlugin splits at ``\s+``), none of them an operator. No tagger but whitespace's and
# the operators' can match inside such text, so each word becomes one WordNode.
_PLAIN_WORDS = re.compile(r"\s*[^\W_]+(?:\s+[^\W_]+)*\s*")
_OPERATOR_WORDS = frozenset(
    {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "DAN", "ATAU", "BUKAN"}
)


def plain_words_query(parser: Any, prepared: str, or_factor: float) -> Any | None:
    """What :func:`parse_query` makes of ``prepared`` when it is plain words, built without
    Whoosh's tagging and syntax tree; None when the text has any query syntax.

    Whoosh's parser spends about a millisecond tagging a few words, building a syntax tree and
    normalizing the query (each boosted clause deep-copied twice), and the rewrites after it
    copy the tree four more times, where the query of plain words is one flat OR: per word and
    field, the clause the parser's own ``term_query`` gives. Here each step's effect on such a
    query is applied directly: the OR groups flattened and duplicates dropped (``normalize``),
    single stopword terms of the exact-form fields dropped (:func:`drop_exact_stopwords`), the
    coordination scale kept. The rewrites for dates, patterns, fielded clauses and negations
    have nothing to change here. ``tests/equivalence/test_plain_parse.py`` checks the result equals
    the full path's on random word queries, on both Whoosh versions.

    Returns ``wq.NullQuery`` when no word is indexed (only stopwords).
    """
    # The fields and boosts each free word is searched with, as the parser's plugin holds them.
    multifield = next((p for p in parser.plugins if isinstance(p, MultifieldPlugin)), None)
    if (
        multifield is None
        or not _PLAIN_WORDS.fullmatch(prepared)
        or not set(multifield.fieldnames) <= DEFAULT_TEXT_FIELDS
    ):
        return None
    words = prepared.split()
    if _OPERATOR_WORDS.intersection(words):
        return None
    leaves: list[Any] = []
    seen: set[Any] = set()
    for word in words:
        for field in multifield.fieldnames:
            boost = multifield.boosts.get(field, 1.0)
            q = parser.term_query(field, word, parser.termclass, boost=boost)
            if q is None:
                continue
            q = q.normalize()
            if not isinstance(q, wq.Term | wq.Phrase):
                return None  # another multitoken_query than a phrase: let Whoosh flatten it
            if q in seen:
                continue
            if isinstance(q, wq.Term) and field in EXACT_FIELDS and _is_stopword(str(q.text)):
                continue
            seen.add(q)
            leaves.append(q)
    if not leaves:
        return wq.NullQuery
    if len(leaves) == 1:
        return leaves[0]
    if or_factor > 0:
        return wq.Or(leaves, scale=or_factor)
    return wq.Or(leaves)


def _is_stopword(word: str) -> bool:
    return not list(STEMMED(word, mode="query"))


def date_filter(date_from: str | None, date_to: str | None) -> Any | None:
    """The filter of ``date_from``/``date_to`` (inclusive, ISO at any precision), or None."""
    if not date_from and not date_to:
        return None
    if date_from:
        check_query_date(date_from, "date_from")
    if date_to:
        check_query_date(date_to, "date_to")
    if date_from and date_to and date_to < date_from[: len(date_to)]:
        raise QueryError(f"date_to {date_to!r} is before date_from {date_from!r}")
    end = f"{date_to}\uffff" if date_to else None
    return wq.TermRange(DATE, date_from or None, end)


def check_query_date(value: str, what: str = "date") -> str:
    """``value`` if it is an ISO date that exists (``2019``, ``2019-09``, ``2019-09-20``),
    else a :class:`QueryError` saying what is wrong.

    >>> check_query_date("2019-02")
    '2019-02'
    >>> check_query_date("2019-02-30", "date_from")
    Traceback (most recent call last):
    ...
    searchlib.errors.QueryError: date_from '2019-02-30': February 2019 has 28 days, not 30
    """
    parts = value.split("-")
    if not (
        1 <= len(parts) <= 3
        and len(parts[0]) == 4
        and all(p.isdigit() and p.isascii() for p in parts)
        and all(len(p) == 2 for p in parts[1:])
    ):
        raise QueryError(f"{what} {value!r} is not an ISO date: use 2019, 2019-09 or 2019-09-20")
    year, *rest = (int(p) for p in parts)
    if rest and not 1 <= rest[0] <= 12:
        raise QueryError(f"{what} {value!r}: month {parts[1]} does not exist (01 to 12)")
    if len(rest) == 2:
        try:
            datetime.date(year, rest[0], rest[1])
        except ValueError:
            following = datetime.date(year + (rest[0] == 12), rest[0] % 12 + 1, 1)
            last = (following - datetime.timedelta(days=1)).day
            month = datetime.date(2000, rest[0], 1).strftime("%B")
            raise QueryError(
                f"{what} {value!r}: {month} {year} has {last} days, not {rest[1]}"
            ) from None
    return value
