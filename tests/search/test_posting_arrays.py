"""Posting lists as numpy arrays (searchlib.search.postings): decoding and the bounded cache."""

from __future__ import annotations

import random

import pytest

from searchlib import Document
from searchlib.search.context import context_for
from searchlib.search.postings import PostingCache, TermArrays, term_arrays
from tests.search.conftest import segmented_index


def _walk(sub, field: str, btext: bytes) -> tuple[list[int], list[float]]:
    ids, weights = [], []
    matcher = sub.postings(field, btext)
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory):
    rng = random.Random(5)
    words = [f"kata{n}" for n in range(60)] + ["rumah", "sakit", "jalan"]

    def batch(number: int) -> list[Document]:
        return [
            Document(
                id=f"a{number}-{n}",
                body=" ".join(rng.choices(words, k=rng.randint(1, 300))),
                title=" ".join(rng.choices(words, k=3)),
            )
            for n in range(700)
        ]

    with segmented_index(tmp_path_factory.mktemp("arrays"), [batch, batch]) as index:
        yield index


def test_arrays_hold_what_a_walk_of_the_posting_list_reads(ix):
    reader = ix._searcher().reader()
    assert not reader.is_atomic()
    for sub, _offset in reader.leaf_readers():
        for field in ("body", "title"):
            for btext in list(sub.lexicon(field))[:40]:
                arrays = term_arrays(sub, field, btext, None)
                assert arrays is not None
                ids, weights = _walk(sub, field, btext)
                assert arrays.ids.tolist() == ids  # across block boundaries (128 postings)
                assert arrays.weights.astype(float).tolist() == weights
        assert term_arrays(sub, "body", b"tidakada", None) is None


def test_lookups_at_targets_match_the_lists(ix):
    rng = random.Random(2)
    sub = ix._searcher().reader().leaf_readers()[0][0]
    for btext in list(sub.lexicon("body"))[:20]:
        arrays = term_arrays(sub, "body", btext, None)
        ids, weights = _walk(sub, "body", btext)
        targets = sorted(set(rng.sample(range(sub.doc_count_all() + 5), 80) + ids[:3]))
        assert arrays.at(targets) == {
            d: w for d, w in zip(ids, weights, strict=True) if d in set(targets)
        }
    empty = TermArrays.from_blocks([])
    assert empty.at([1, 2]) == {}


def test_the_cache_keeps_recent_lists_within_its_budget(ix):
    sub = ix._searcher().reader().leaf_readers()[0][0]
    terms = list(sub.lexicon("body"))[:30]
    sizes = [term_arrays(sub, "body", b, None).nbytes for b in terms]
    budget = sum(sizes[:5])
    cache = PostingCache(budget)
    for btext in terms:
        term_arrays(sub, "body", btext, cache)
        assert cache.nbytes <= budget
    assert cache.nbytes == sum(arrays.nbytes for arrays in cache._items.values())
    last = terms[-1]
    kept = term_arrays(sub, "body", last, cache, cached_only=True)
    assert kept is not None and kept is term_arrays(sub, "body", last, cache)
    assert term_arrays(sub, "body", terms[0], cache, cached_only=True) is None  # evicted
    too_big = PostingCache(1)
    term_arrays(sub, "body", terms[0], too_big)
    assert len(too_big) == 0 and too_big.nbytes == 0


def test_each_snapshot_has_its_own_cache(ix, monkeypatch):
    import searchlib.search.postings as postings

    monkeypatch.setattr(postings, "NUMPY_FROM_DOCS", 0)
    before = ix.search("kata1 rumah", limit=5)
    cache = context_for(ix._searcher().reader()).postings
    assert len(cache) > 0
    ix.add(Document(id="baru", body="rumah rumah sakit kata1"))
    ix.commit()
    after = ix.search("kata1 rumah", limit=5)
    assert context_for(ix._searcher().reader()).postings is not cache
    assert after.total == before.total + 1


def test_the_cache_budget_comes_from_the_environment(monkeypatch):
    from searchlib.search.postings import CACHE_BYTES, CACHE_ENV, cache_budget

    monkeypatch.delenv(CACHE_ENV, raising=False)
    assert cache_budget() == CACHE_BYTES == PostingCache().budget
    monkeypatch.setenv(CACHE_ENV, "16")
    assert cache_budget() == 16 << 20 == PostingCache().budget
    monkeypatch.setenv(CACHE_ENV, "0")
    assert PostingCache().budget == 0
    for bad in ("lots", "-3", "1.5"):
        monkeypatch.setenv(CACHE_ENV, bad)
        assert cache_budget() == CACHE_BYTES
