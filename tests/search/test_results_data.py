"""Results are plain data: they pickle, deep-copy, ``asdict`` and JSON-encode, and behave as a
sequence of hits; a hit explains itself while its index is open, and says why not after."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle

import pytest

from searchlib import Hit, Index, Results
from searchlib.errors import QueryError


def test_results_pickle_deepcopy_asdict_and_json_encode(seed_ix):
    results = seed_ix.search("menteri pertahanan Jepang", facets=True)
    as_dict = dataclasses.asdict(results)
    assert as_dict["hits"][0]["id"] == results.hits[0].id
    json.dumps(as_dict)
    json.dumps(results.to_dict())
    restored = pickle.loads(pickle.dumps(results))
    assert restored == results and restored.hits[0].snippet == results.hits[0].snippet
    copied = copy.deepcopy(results)
    assert copied == results and copied.hits[0] is not results.hits[0]
    assert copy.copy(results.hits[0]) == results.hits[0]


def test_results_are_a_sequence_of_their_hits(seed_ix):
    results = seed_ix.search("Korea", limit=3)
    assert len(results) == 3 == len(results.hits)
    assert [hit.id for hit in results] == [hit.id for hit in results.hits]
    assert results[0] is results.hits[0] and results[-1] is results.hits[-1]
    assert not seed_ix.search("Korea", page=99)


def test_results_repr_is_short_and_html_repr_is_a_table(seed_ix):
    results = seed_ix.search("Korea")
    text = repr(results)
    assert len(text) < 200 and "Korea" in text and results.hits[0].id in text
    assert len(repr(results.hits[0])) < 200
    page = results._repr_html_()
    assert page.count("<tr>") == len(results) + 1 and "<table>" in page
    tricky = Results("<b>", 1, 1.0, [Hit(1, "<x>", 1.0, "<i>", None, None, "<s>")])
    html = tricky._repr_html_()
    assert "&lt;x&gt;" in html and "&lt;i&gt;" in html and "&lt;s&gt;" in html
    assert "<x>" not in html and "<i>" not in html and "<s>" not in html


def test_copies_still_explain_and_unpickled_hits_say_why_not(seed_ix):
    results = seed_ix.search("Nakatani")
    assert copy.deepcopy(results).hits[0].explain().score == pytest.approx(results[0].score)
    unpickled = pickle.loads(pickle.dumps(results.hits[0]))
    with pytest.raises(QueryError, match="search again"):
        unpickled.explain()


def test_explain_after_the_index_is_closed_raises_a_searchlib_error(seed_index_path):
    ix = Index.open(seed_index_path)
    hit = ix.search("Nakatani").hits[0]
    before = hit.explain()
    ix.close()
    with pytest.raises(QueryError, match="closed"):
        hit.explain()
    assert before.score == pytest.approx(hit.score)


def test_explain_survives_a_later_commit(small_ix):
    from searchlib import Document

    small_ix.add(Document(id="a", body="Harga beras naik di Jakarta."))
    small_ix.commit()
    hit = small_ix.search("beras").hits[0]
    small_ix.add(Document(id="b", body="Beras impor tiba."))
    small_ix.commit()
    assert hit.explain().score == pytest.approx(hit.score, rel=1e-9)
