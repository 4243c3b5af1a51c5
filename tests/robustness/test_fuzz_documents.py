"""Hypothesis over documents, ids, metadata and search options: each call either works or
raises searchlib's own error, and nothing committed before is ever lost.

The default run tries a few hundred cases; ``make test-slow`` a few thousand.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchlib import Document, Index, QueryError, Ranking, SearchlibError, SnippetOptions

FAST, SLOW = 120, 1500
TEXT = st.text(max_size=60) | st.sampled_from(["", " ", "\n", "a\x00b", "\ud800", "Korea", "AS"])
ANY = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=True), TEXT,
    st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=3),
)  # fmt: skip
DOCUMENT_KWARGS = st.fixed_dictionaries(
    {"id": TEXT | ANY, "body": TEXT | ANY},
    optional={
        "title": TEXT | ANY,
        "date": TEXT | ANY,
        "source": TEXT | ANY,
        "fields": st.dictionaries(TEXT, TEXT | ANY, max_size=4) | ANY,
    },
)
OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "limit": ANY,
        "page": ANY,
        "page_size": ANY,
        "sort": ANY | st.sampled_from(["score", "date", "-date"]),
        "date_from": ANY | st.sampled_from(["2019", "2020-01"]),
        "date_to": ANY,
        "facets": ANY | st.just(["site", "year"]),
        "snippets": ANY | st.just(SnippetOptions(length=40)),
        "suggest": ANY,
        "ranking": ANY | st.just(Ranking(proximity=0)),
        "exact_total": ANY,
    },
)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz-docs")
    with Index.create(path, durable=False) as ix:
        ix.add(Document(id="kept", body="Harga beras naik di pasar induk.", date="2021-08"))
        ix.commit()
    ix = Index.open(path, durable=False)
    yield ix
    ix.close()


def _documents(index, kwargs):
    try:
        document = Document(**kwargs)
    except SearchlibError:
        return
    index.add(document)
    index.commit()
    with contextlib.suppress(QueryError):  # the id as a query: results, or a QueryError
        index.search(document.id, limit=3)
    assert "kept" in {hit.id for hit in index.search("harga beras pasar", limit=50).hits}
    assert index.get(document.id) == document
    index.delete(document.id)
    index.commit()
    assert "kept" in index  # nothing committed before is lost


def _options(index, options):
    try:
        results = index.search("beras pasar", **options)
    except SearchlibError:
        return
    assert results.total == 1 or not results.hits


@settings(max_examples=FAST, deadline=None, suppress_health_check=list(HealthCheck))
@given(kwargs=DOCUMENT_KWARGS)
def test_any_document_is_indexed_or_refused_with_a_searchlib_error(index, kwargs):
    _documents(index, kwargs)


@settings(max_examples=FAST, deadline=None, suppress_health_check=list(HealthCheck))
@given(options=OPTIONS)
def test_any_search_options_give_results_or_a_searchlib_error(index, options):
    _options(index, options)


@pytest.mark.slow
@settings(max_examples=SLOW, deadline=None, suppress_health_check=list(HealthCheck))
@given(kwargs=DOCUMENT_KWARGS)
def test_many_documents_are_indexed_or_refused(index, kwargs):
    _documents(index, kwargs)


@pytest.mark.slow
@settings(max_examples=SLOW, deadline=None, suppress_health_check=list(HealthCheck))
@given(options=OPTIONS)
def test_many_search_options_give_results_or_a_searchlib_error(index, options):
    _options(index, options)
