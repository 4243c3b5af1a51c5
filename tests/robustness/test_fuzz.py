"""Bad queries: every search returns results or raises QueryError, in bounded time.

Hypothesis throws arbitrary Unicode (lone surrogates, NULs, combining marks, emoji), fragments of
the query syntax (quotes, brackets, operators, fields, wildcards, fuzzy and boost suffixes,
ranges) and huge inputs at :meth:`Index.search`, over an index with thousands of distinct words
so that wildcards and fuzzy terms have something to expand to. A search may return results or
raise :class:`~searchlib.errors.QueryError`, nothing else; a guard fails the test if one call
takes longer than ``GUARD_SECONDS`` (a hang detector, not a performance claim).

The default run tries a few hundred queries; ``make test-slow`` tries 10,000.
"""

from __future__ import annotations

import random
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib import Document, Index, QueryError, Results

GUARD_SECONDS = 60
FAST = {"syntax": 150, "unicode": 100, "huge": 40, "options": 60}  # 350 in the default run
SLOW = {"syntax": 2000, "unicode": 5000, "huge": 1000, "options": 2000}  # 10,000 with -m slow

SYLLABLES = [
    "ba", "be", "bi", "bu", "ka", "ke", "ki", "ku", "ma", "me", "mi", "mu", "na", "ng", "ny", "pa",
    "pe", "ra", "ri", "sa", "se", "ta", "te", "u", "a", "i",
]  # fmt: skip
QUERY_WORDS = ["pelabuhan", "beras", "menteri", "kerja", "sama", "dan", "yang", "Jakarta", "2019"]
FRAGMENTS = [
    '"', "(", ")", "[", "]", "{", "}", "*", "?", "~", "~1", "~2", "~9", "/2", "/99", "^", "^2",
    "^-1", "^1e308", ":", "::", "AND", "OR", "NOT", "ANDNOT", "DAN", "ATAU", "BUKAN", "+", "-",
    "TO", "[a TO z]", "{* TO}", "title:", "judul:", "body:", "date:", "tanggal:", "category:",
    "id:", "site:", "sumber:", "year:", "\\", "'", "&&", "||", "!", "<", ">", "=", "@", "#", "%",
    "\x00", "\t", "\n", "\u200b", "\ufeff", "\u0301", "ё", "ß", "İ", "😀", "\ud800", "\uffff",
]  # fmt: skip


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))


@pytest.fixture(scope="module")
def fuzz_ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    """60 documents over some 1,500 made-up words, with dates, sources and categories."""
    rng = random.Random(7)
    path: Path = tmp_path_factory.mktemp("fuzz-index")
    with Index.create(path) as ix:
        ix.add(
            Document(
                id=f"f{i}",
                title=" ".join(_word(rng) for _ in range(5)),
                body=" ".join(_word(rng) for _ in range(40)) + " pelabuhan beras menteri.",
                date=f"{2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % 5 else None,
                source=f"https://www.situs{i % 7}.co.id/berita/{i}",
                fields={"category": rng.choice(["politik", "ekonomi", "olahraga"])},
            )
            for i in range(60)
        )
        ix.commit()
    with Index.open(path) as ix:
        yield ix


class QueryTookTooLong(BaseException):
    """Raised by the guard; a BaseException, so no ``except Exception`` in the code hides it."""


@contextmanager
def guard(seconds: int = GUARD_SECONDS) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise QueryTookTooLong(f"a search took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def search_or_query_error(ix: Index, query: object, **options: object) -> None:
    with guard():
        try:
            results = ix.search(query, **options)  # type: ignore[arg-type]
        except QueryError as exc:
            assert str(exc), "a QueryError must say what is wrong"
            return
    assert isinstance(results, Results)
    assert results.total >= len(results.hits)
    for hit in results.hits:
        assert isinstance(hit.id, str) and isinstance(hit.snippet, str)


words = st.one_of(
    st.sampled_from(QUERY_WORDS),
    st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=5).map("".join),
    st.text(st.characters(categories=["L", "Nd"]), min_size=1, max_size=12),
)
tokens = st.one_of(
    words,
    st.sampled_from(FRAGMENTS),
    st.tuples(words, st.sampled_from(["*", "?", "~", "~1", "~2", "~3", "~2/1", "^3", ":"])).map(
        "".join
    ),
    st.tuples(st.sampled_from(FRAGMENTS), words).map("".join),
    st.text(max_size=6),
)
syntax_queries = st.tuples(
    st.lists(tokens, max_size=40), st.sampled_from([" ", "", "  ", " OR ", " AND "])
).map(lambda parts: parts[1].join(parts[0]))
unicode_queries = st.one_of(
    st.text(max_size=300),
    st.text(st.characters(exclude_categories=()), max_size=300),  # with lone surrogates
)
huge_queries = st.one_of(
    st.text(min_size=900, max_size=1100),
    st.tuples(
        tokens, st.integers(1, 5000), st.sampled_from([" ", "", " OR ", "* ", "~2 ", " NOT "])
    ).map(lambda parts: parts[2].join([parts[0]] * parts[1])),
)
options = st.fixed_dictionaries(
    {},
    optional={
        "limit": st.integers(-3, 500),
        "page": st.integers(-3, 10**9),
        "sort": st.sampled_from(["score", "date", "-date", "relevance", ""]),
        "date_from": st.one_of(
            st.none(), st.text(max_size=12), st.sampled_from(["2019", "2010-05"])
        ),
        "date_to": st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["2020-12-31"])),
        "facets": st.booleans(),
        "suggest": st.booleans(),
    },
)


def fuzz_settings(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,  # the guard above catches hangs; per-example timing would be flaky
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# -- the default run -------------------------------------------------------------------------


@fuzz_settings(FAST["syntax"])
@given(query=syntax_queries)
def test_query_syntax_fragments_give_results_or_query_error(fuzz_ix, query):
    search_or_query_error(fuzz_ix, query)


@fuzz_settings(FAST["unicode"])
@given(query=unicode_queries)
def test_arbitrary_unicode_gives_results_or_query_error(fuzz_ix, query):
    search_or_query_error(fuzz_ix, query)


@fuzz_settings(FAST["huge"])
@given(query=huge_queries)
def test_huge_queries_give_results_or_query_error(fuzz_ix, query):
    search_or_query_error(fuzz_ix, query)


@fuzz_settings(FAST["options"])
@given(query=st.one_of(syntax_queries, st.sampled_from(QUERY_WORDS)), opts=options)
def test_bad_search_options_give_results_or_query_error(fuzz_ix, query, opts):
    search_or_query_error(fuzz_ix, query, **opts)


@pytest.mark.parametrize("query", [None, 42, b"beras", ["beras"]])
def test_a_query_that_is_not_text_is_a_query_error(fuzz_ix, query):
    with pytest.raises(QueryError, match="must be a string"):
        fuzz_ix.search(query)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("a" * 1001, "query too long"),
        (" ".join(f"kata{i}" for i in range(100)), "too complex"),
        ("[a TO z]", "matches too many words"),
        ("kata~3", "fuzzy distance 3 is too large"),
        ("kata~1/99", "longer than the word"),
        ("x" * 50 + "~1", "fuzzy word too long"),
        (" ".join(f"{s}{t}*" for s in "bkmnps" for t in "ai"), "too many wildcard"),
    ],
)
def test_caps_on_length_terms_and_expansion_say_what_to_change(fuzz_ix, query, message):
    with guard(), pytest.raises(QueryError, match=message):
        fuzz_ix.search(query)


@pytest.mark.parametrize("query", ["m*", "k*", "mama~2", "kama~2"])
def test_a_broad_fuzzy_or_prefix_word_is_capped_with_a_notice(fuzz_ix, query):
    with guard():
        results = fuzz_ix.search(query)
    assert results.expansion_capped
    assert results.notice and "closest and most frequent" in results.notice
    assert results.to_dict()["expansion_capped"] is True


# -- make test-slow --------------------------------------------------------------------------


@pytest.mark.slow
@fuzz_settings(SLOW["syntax"])
@given(query=syntax_queries)
def test_query_syntax_fragments_give_results_or_query_error_slow(fuzz_ix, query):
    search_or_query_error(fuzz_ix, query)


@pytest.mark.slow
@fuzz_settings(SLOW["unicode"])
@given(query=unicode_queries)
def test_arbitrary_unicode_gives_results_or_query_error_slow(fuzz_ix, query):
    search_or_query_error(fuzz_ix, query)


@pytest.mark.slow
@fuzz_settings(SLOW["huge"])
@given(query=huge_queries)
def test_huge_queries_give_results_or_query_error_slow(fuzz_ix, query):
    search_or_query_error(fuzz_ix, query)


@pytest.mark.slow
@fuzz_settings(SLOW["options"])
@given(query=st.one_of(syntax_queries, st.sampled_from(QUERY_WORDS)), opts=options)
def test_bad_search_options_give_results_or_query_error_slow(fuzz_ix, query, opts):
    search_or_query_error(fuzz_ix, query, **opts)
