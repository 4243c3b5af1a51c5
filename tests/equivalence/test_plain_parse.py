"""Plain word queries skip Whoosh's parser and must come out exactly as the parser makes them.

:func:`searchlib.search.query.plain_words_query` builds the query of text that is nothing but
words (the common case) without Whoosh's tagging, syntax tree and normalizing. Here random
queries, plain and not, are parsed both ways (``parse_query(..., fast=False)`` always runs
Whoosh's parser and every rewrite after it) and must give the same query: the same classes,
fields, terms, boosts, slops and coordination scales, in the same order. CI runs this file on
whoosh-ng and on PyPI whoosh 2.7.4.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from searchlib.errors import QueryError
from searchlib.index.schema import build_schema
from searchlib.search.options import Ranking
from searchlib.search.query import (
    QUERY_FIELDS,
    _parser_for,
    parse_query,
    plain_words_query,
    prepare_text,
)

SCHEMA = build_schema()
RANKINGS = [
    Ranking(),
    Ranking(or_factor=0.9),
    Ranking(title_boost=0.0),
    Ranking(exact_boost=0.0),
    Ranking(question_words=False),
]

# Words of every kind the analysis treats specially, operators in both cases, question words,
# stopwords, numbers, letters outside ASCII, and words that are query syntax.
WORDS = [
    "negara", "mozambik", "kuras", "uang", "Perusahaan", "perusahaan-perusahaan", "mengunjungi",
    "kunjungannya", "dirinya", "AS", "as", "Korsel", "KORSEL", "PBB", "KTT", "KPK", "Menlu", "di",
    "DI", "ke", "yang", "dan", "Dan", "DAN", "ATAU", "atau", "BUKAN", "bukan", "AND", "and", "OR",
    "or", "NOT", "not", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO", "Soekarno", "Djakarta", "tjinta",
    "anak2", "2019", "80", "57", "apa", "siapa", "Berapakah", "APA", "dimana", "café", "naïve",
    "Ñandú", "東京", "x²", "jumat", "it", "IT", "title:kata", "judul:Korea", "catatan:penting",
    "kata*", "kata~2", '"kerja', 'sama"', "'kutip'", "(a)", "[a", "TO", "b]", "+wajib", "-tanpa",
    "a^2", "pukul", "10:30", "Jepang-Korea", "sela", "-sela", "perundingan.Menteri", "6/8", "?",
    "!", ",", ".",
]  # fmt: skip
SPACES = [" ", "  ", "\t", "\u00a0", "\u3000", " \n "]


def _shape(q: Any) -> Any:
    """Everything about a query that can change what it matches or how it scores."""
    if q is None or q is wq.NullQuery:
        return None
    parts: dict[str, Any] = {"class": type(q).__name__, "boost": getattr(q, "boost", None)}
    for name in ("fieldname", "text", "words", "slop", "scale", "minmatch", "maxdist"):
        if hasattr(q, name):
            value = getattr(q, name)
            parts[name] = list(value) if isinstance(value, list | tuple) else value
    if not q.is_leaf():
        parts["children"] = [_shape(child) for child in q.children()]
    return parts


def _outcome(text: str, ranking: Ranking, fast: bool) -> Any:
    try:
        parsed = parse_query(text, SCHEMA, ranking, QUERY_FIELDS, fast=fast)
    except QueryError as exc:
        return ("QueryError", type(exc).__name__)
    return None if parsed is None else (_shape(parsed.query), repr(parsed.query))


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
    spaces=st.lists(st.sampled_from(SPACES), min_size=9, max_size=9),
    ranking=st.sampled_from(RANKINGS),
    edges=st.tuples(st.booleans(), st.booleans()),
)
def test_the_fast_path_parses_as_whoosh_does(
    words: list[str], spaces: list[str], ranking: Ranking, edges: tuple[bool, bool]
) -> None:
    text = "".join(word + space for word, space in zip(words, spaces, strict=False))
    text = (" " if edges[0] else "") + (text if edges[1] else text.rstrip())
    assert _outcome(text, ranking, fast=True) == _outcome(text, ranking, fast=False), text


@pytest.mark.parametrize(
    "text",
    [
        "negara mozambik kuras uang",
        "Menlu AS bertemu Menlu Korsel",  # acronyms become phrases
        "uang uang Uang",  # duplicates dropped once
        "dan harga yang naik",  # stopwords: no stemmed term, no single exact term
        "kpk tangkap bupati",
        "café naïve",
    ],
)
def test_plain_words_take_the_fast_path_and_agree(text: str) -> None:
    parser = _parser_for(SCHEMA, Ranking().field_boosts(), Ranking().or_factor)
    prepared, written = prepare_text(text, QUERY_FIELDS)
    assert not written
    assert plain_words_query(parser, prepared, Ranking().or_factor) is not None
    assert _outcome(text, Ranking(), fast=True) == _outcome(text, Ranking(), fast=False)


@pytest.mark.parametrize(
    "text",
    ["a AND b", "NOT a", "a ANDNOT b", "a DAN b", "title:a", "kata*", '"kerja sama"', "a-b"],
)
def test_query_syntax_goes_through_whoosh(text: str) -> None:
    parser = _parser_for(SCHEMA, Ranking().field_boosts(), Ranking().or_factor)
    prepared, _ = prepare_text(text, QUERY_FIELDS)
    assert plain_words_query(parser, prepared, Ranking().or_factor) is None


def test_only_stopwords_is_no_query_and_too_many_words_is_an_error() -> None:
    assert parse_query("dan yang di", SCHEMA, Ranking(), QUERY_FIELDS) is None
    many = " ".join(f"kata{n}" for n in range(70))
    for fast in (True, False):
        with pytest.raises(QueryError, match="too complex"):
            parse_query(many, SCHEMA, Ranking(), QUERY_FIELDS, fast=fast)
