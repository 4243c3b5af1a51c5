"""The block-at-a-time scorer (searchlib.topdocs) agrees with Whoosh's own search.

Same documents in the same order with the same scores (to float rounding), the same match count,
on an index of several segments with deleted documents, for OR queries with boosts and the
coordination factor; other query shapes are left to Whoosh.
"""

from __future__ import annotations

import random

import pytest
from whoosh import query as wq
from whoosh import scoring
from whoosh.searching import Searcher

from searchlib import Document, Index, Ranking
from searchlib.search.query import ParsedQuery, parse_query, query_fields
from searchlib.search.searcher import _top
from searchlib.search.topdocs import (
    EXACT_TOTAL_BELOW,
    count_matches,
    plan,
    term_postings_at,
    top_docs,
)
from tests.search.conftest import segmented_index

WORDS = [
    "menteri",
    "pertahanan",
    "jepang",
    "korea",
    "selatan",
    "kunjungan",
    "kerja",
    "sama",
    "trilateral",
    "harga",
    "beras",
    "naik",
    "gempa",
    "bumi",
    "kota",
    "padang",
    "banjir",
    "jakarta",
    "presiden",
    "jokowi",
    "partai",
    "pemilu",
    "sekolah",
    "guru",
    "murid",
    "ekonomi",
    "inflasi",
    "bank",
    "dolar",
    "rupiah",
    "pasar",
    "saham",
    "investor",
]


def _random_docs(rng: random.Random, start: int, count: int) -> list[Document]:
    docs = []
    for n in range(start, start + count):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 120)))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 6))) or None
        docs.append(Document(id=f"d{n:04d}", body=body + ".", title=title))
    return docs


@pytest.fixture(scope="module")
def segmented_ix(tmp_path_factory: pytest.TempPathFactory):
    """Three segments (three commits) with deletions in two of them."""
    rng = random.Random(7)
    batches = [lambda number: _random_docs(rng, number * 150, 150)] * 3
    deleted = [f"d{n:04d}" for n in (3, 40, 170, 171, 299)]
    with segmented_index(tmp_path_factory.mktemp("segmented"), batches, deleted) as ix:
        yield ix


QUERIES = [
    "menteri",
    "harga beras naik",
    "kunjungan menteri jepang ke korea",
    "gempa padang banjir jakarta presiden",
    "saham",
    "bank dolar rupiah pasar",
    "kata yang tidak ada",
    '"harga beras" naik',
    '"kerja sama trilateral" menteri',
    "Korsel jepang",
    '"ekonomi inflasi bank"',
]


def _whoosh_top(searcher, q, limit):
    results = searcher.search(q, limit=limit)
    return results.top_n, len(results)


def _same(found, expected):
    (top, total, exact), (ref_top, ref_total) = found, expected
    assert exact
    assert total == ref_total
    assert [doc for _, doc in top] == [doc for _, doc in ref_top]
    assert [score for score, _ in top] == pytest.approx([score for score, _ in ref_top])


@pytest.mark.parametrize("text", QUERIES)
def test_scores_and_counts_match_whoosh(segmented_ix, text, scoring_path):
    # Without coordination (the default): Whoosh's own coordination is not a fixed function of
    # the document, since a union matcher that runs out of one side is replaced by the other and
    # the coordination matcher then recounts one term fewer, scoring the documents after it 0.
    searcher = segmented_ix._searcher()
    ranking = Ranking(or_factor=0.0, exact_boost=0)
    q = parse_query(text, searcher.schema, ranking, query_fields(searcher.reader())).query
    assert plan(q) is not None, q
    if '"' in text or "Korsel" in text:
        assert any(type(leaf) is wq.Phrase for leaf in q.children())
    assert not searcher.reader().is_atomic()  # several segments
    for limit in (1, 10, 500):
        _same(top_docs(searcher, q, limit), _whoosh_top(searcher, q, limit))


def test_bm25_parameters_and_field_b_match_whoosh(segmented_ix, scoring_path):
    reader = segmented_ix._searcher().reader()
    weighting = scoring.BM25F(B=0.3, K1=2.0, title_B=0.9)
    searcher = Searcher(reader, weighting=weighting, closereader=False)
    q = wq.Or(
        [
            wq.Term("title", "menteri", boost=2.0),
            wq.Term("body", "menteri"),
            wq.Term("body", "jepang"),
        ],
        scale=0.9,
    )
    _same(top_docs(searcher, q, 20), _whoosh_top(searcher, q, 20))


def test_other_query_shapes_are_left_to_whoosh(segmented_ix):
    searcher = segmented_ix._searcher()
    for q in (
        wq.And([wq.Term("body", "harga"), wq.Term("body", "beras")]),
        wq.Or([wq.Term("body", "harga"), wq.Prefix("body", "ber")]),
        wq.Or([wq.Term("body", "harga"), wq.Term("body", "beras")], minmatch=2),
    ):
        assert top_docs(searcher, q, 10) is None
        assert count_matches(searcher, q) is None  # a union of postings would miscount these
    other = Searcher(searcher.reader(), weighting=scoring.TF_IDF(), closereader=False)
    assert top_docs(other, wq.Term("body", "harga"), 10) is None


def test_search_pages_and_totals_are_the_same_either_way(segmented_ix, monkeypatch, scoring_path):
    import searchlib.search.searcher as search_module

    fast = [segmented_ix.search("harga beras menteri", limit=7, page=p) for p in (1, 2, 3)]
    monkeypatch.setattr(search_module, "top_docs", lambda *args, **kwargs: None)  # Whoosh only
    slow = [segmented_ix.search("harga beras menteri", limit=7, page=p) for p in (1, 2, 3)]
    assert [r.total for r in fast] == [r.total for r in slow]
    assert [[h.id for h in r.hits] for r in fast] == [[h.id for h in r.hits] for r in slow]
    assert [h.score for r in fast for h in r.hits] == pytest.approx(
        [h.score for r in slow for h in r.hits]
    )


def test_filtered_totals_count_only_what_the_filter_allows(segmented_ix, scoring_path):
    # Whoosh alone reports the unfiltered count here: after skipping blocks it counts again
    # by running the query without the filter (on an index of several segments).
    searcher = segmented_ix._searcher()
    q = parse_query("harga", searcher.schema, Ranking(), query_fields(searcher.reader())).query
    nothing = wq.TermRange("date", "2019", None)  # no document has a date
    for sort in ("score", "-date"):
        found = _top(searcher, ParsedQuery("harga", q), 10, sort, nothing, Ranking(), True)
        assert found.total == 0 and found.top == []
    assert segmented_ix.search("harga", date_from="2019").total == 0
    some = wq.Or([wq.Term("id", "d0001"), wq.Term("id", "d0200"), wq.Term("id", "d0400")])
    allowed = set(searcher.docs_for_query(some))
    expected = sum(1 for d in searcher.docs_for_query(q) if d in allowed)
    for sort in ("score", "-date"):
        found = _top(searcher, ParsedQuery("harga", q), 10, sort, some, Ranking(), True)
        assert found.total == expected == len(found.top[:10])


def test_postings_at_targets_match_a_walk_of_the_posting_list(segmented_ix, scoring_path):
    reader = segmented_ix._searcher().reader()
    rng = random.Random(3)
    for word in ("harga", "menteri", "investor", "tidakada"):
        walked = {}
        if ("body", word) in reader:
            matcher = reader.postings("body", word)
            while matcher.is_active():
                walked[matcher.id()] = (matcher.weight(), matcher.value())
                matcher.next()
        targets = sorted(rng.sample(range(reader.doc_count_all()), 120) + list(walked)[:5])
        targets = sorted(set(targets))
        found = term_postings_at(reader, "body", word, targets, values=True)
        assert found == {d: walked[d] for d in targets if d in walked}
        weights = term_postings_at(reader, "body", word, targets)  # cached without values
        assert weights == {d: (walked[d][0], None) for d in targets if d in walked}
        again = term_postings_at(reader, "body", word, targets, values=True)
        assert again == found


@pytest.fixture(scope="module")
def zipf_ix(tmp_path_factory: pytest.TempPathFactory):
    """One segment, no deletions, words from common (in most documents) to rare."""
    rng = random.Random(11)
    vocab = [f"kata{n}" for n in range(400)]
    weights = [1.0 / (rank + 1) for rank in range(len(vocab))]
    docs = []
    for n in range(2500):
        body = " ".join(rng.choices(vocab, weights, k=rng.randint(5, 80)))
        title = " ".join(rng.choices(vocab, weights, k=rng.randint(1, 5)))
        docs.append(Document(id=f"z{n:04d}", body=body, title=title))
    path = tmp_path_factory.mktemp("zipf")
    with Index.create(path) as ix:
        ix.add(docs, workers=1)
        ix.commit()
        yield ix


ZIPF_QUERIES = ["kata0 kata350", "kata1 kata2 kata390", "kata0", "kata5 kata120 kata0 kata3"]


@pytest.mark.parametrize("text", ZIPF_QUERIES)
def test_skipping_long_lists_keeps_the_top_documents_and_scores(
    zipf_ix, text, monkeypatch, scoring_path
):
    import searchlib.search.topdocs as topdocs

    looked_up = []
    original = topdocs.postings_at
    monkeypatch.setattr(
        topdocs, "postings_at", lambda *a, **k: looked_up.append(1) or original(*a, **k)
    )
    original_arrays = topdocs.term_arrays

    def arrays_of(*args, **kwargs):
        if kwargs.get("cached_only"):
            looked_up.append(2)  # only the documents still in reach are looked up
        return original_arrays(*args, **kwargs)

    monkeypatch.setattr(topdocs, "term_arrays", arrays_of)
    searcher = zipf_ix._searcher()
    assert searcher.reader().is_atomic() and not searcher.reader().has_deletions()
    q = parse_query(
        text, searcher.schema, Ranking(exact_boost=0), query_fields(searcher.reader())
    ).query
    for limit in (1, 10, 50):
        expected = _whoosh_top(searcher, q, limit)
        _same(top_docs(searcher, q, limit), expected)  # exact counting
        top, total, exact = top_docs(searcher, q, limit, exact_total=False)
        _same((top, expected[1], True), expected)
        assert total == expected[1] if exact else EXACT_TOTAL_BELOW <= total <= expected[1]
    if len(text.split()) > 1:
        assert looked_up  # some list was only looked up, not read through


def test_a_broad_query_reports_a_lower_bound_unless_asked(zipf_ix, scoring_path):
    broad = zipf_ix.search("kata0 kata399", limit=5)
    exact = zipf_ix.search("kata0 kata399", limit=5, exact_total=True)
    assert exact.total_exact and exact.total >= EXACT_TOTAL_BELOW
    assert not broad.total_exact and EXACT_TOTAL_BELOW <= broad.total <= exact.total
    assert [h.id for h in broad.hits] == [h.id for h in exact.hits]
    assert broad.to_dict()["total_exact"] is False
    with_facets = zipf_ix.search("kata0 kata399", limit=5, facets=True)
    assert with_facets.total_exact and with_facets.total == exact.total


@pytest.mark.parametrize(
    "text", ["Korsel dan Jepang", "KTT trilateral", "menteri pertahanan AS", "kunjungan"]
)
def test_written_forms_scored_after_matching_give_the_scores_of_scoring_them_inside(seed_ix, text):
    # The head (all five seeds) gets the written-form terms and acronym phrases as a bonus;
    # with the rerank off they are clauses of the query itself. Same documents, same scores.
    after = seed_ix.search(text, ranking=Ranking(proximity=0, lede_boost=0), limit=5)
    inside = seed_ix.search(text, ranking=Ranking(rerank_depth=0), limit=5)
    assert [h.id for h in after.hits] == [h.id for h in inside.hits]
    assert [h.score for h in after.hits] == pytest.approx([h.score for h in inside.hits])
    assert after.total == inside.total


def test_coordination_factor_reaches_the_scores(seed_ix):
    # Whoosh's normalize() drops an OR's scale; searchlib puts the or_factor back.
    plain = seed_ix.search("menteri Jepang trilateral", ranking=Ranking(or_factor=0.0))
    coord = seed_ix.search("menteri Jepang trilateral", ranking=Ranking(or_factor=0.9))
    assert [h.score for h in plain.hits] != pytest.approx([h.score for h in coord.hits])
    searcher = seed_ix._searcher()
    q = parse_query(
        "menteri Jepang", searcher.schema, Ranking(or_factor=0.9), query_fields(searcher.reader())
    ).query
    assert q.scale == 0.9


@pytest.mark.parametrize("scale", [None, 0.9])
def test_array_scoring_gives_the_same_floats_as_the_python_loop(
    segmented_ix, zipf_ix, monkeypatch, scale
):
    # Bit for bit: the same sums in the same order, on segments with deletions, with the
    # coordination factor, a filter, phrases, and MaxScore's skipped lists, cold and cached.
    import searchlib.search.postings as postings

    def run(ix, q, limit, allow, exact_total):
        return top_docs(ix._searcher(), q, limit, allow, exact_total=exact_total)

    cases = []
    for ix, texts in ((segmented_ix, QUERIES), (zipf_ix, ZIPF_QUERIES)):
        searcher = ix._searcher()
        ranking = Ranking(or_factor=scale or 0.0, exact_boost=0)
        fields = query_fields(searcher.reader())
        every = list(range(0, searcher.reader().doc_count_all(), 3))
        for text in texts:
            q = parse_query(text, searcher.schema, ranking, fields).query
            for limit in (1, 10, 200):
                for allow in (None, set(every)):
                    for exact_total in (True, False):
                        cases.append((ix, q, limit, allow, exact_total))
    monkeypatch.setattr(postings, "NUMPY_FROM_DOCS", 10**12)
    expected = [run(*case) for case in cases]
    monkeypatch.setattr(postings, "NUMPY_FROM_DOCS", 0)
    for attempt in ("cold", "cached"):
        assert [run(*case) for case in cases] == expected, attempt


@pytest.fixture(scope="module")
def phrase_ix(tmp_path_factory: pytest.TempPathFactory):
    """Two segments (one with deletions) of 1,300 documents each from a small vocabulary, so
    a phrase's words share most documents while the phrase itself stands in far fewer."""
    rng = random.Random(23)
    vocab = [f"kata{n}" for n in range(30)]
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(vocab))]

    def batch(number: int) -> list[Document]:
        docs = []
        for n in range(1300):
            body = " ".join(rng.choices(vocab, weights, k=rng.randint(4, 60)))
            title = " ".join(rng.choices(vocab, weights, k=rng.randint(1, 6)))
            docs.append(Document(id=f"p{number}-{n:04d}", body=body, title=title))
        return docs

    deleted = [f"p1-{n:04d}" for n in range(0, 1300, 7)]
    with segmented_index(tmp_path_factory.mktemp("phrases"), [batch, batch], deleted) as ix:
        yield ix


PHRASE_QUERIES = [
    [("body", ("kata0", "kata1")), ("body", ("kata5",))],
    [("title", ("kata2", "kata3")), ("body", ("kata2", "kata3")), ("body", ("kata29",))],
    [("body", ("kata0", "kata1", "kata2")), ("title", ("kata0",)), ("body", ("kata7",))],
    [("body", ("kata10", "kata11"))],
    [("body", ("kata20",)), ("body", ("kata0", "kata0"))],
]


def _or_of(leaves, scale=None):
    clauses = [
        wq.Term(field, words[0], boost=2.0 if field == "title" else 1.0)
        if len(words) == 1
        else wq.Phrase(field, list(words), boost=2.0 if field == "title" else 1.0)
        for field, words in leaves
    ]
    return wq.Or(clauses, scale=scale) if len(clauses) > 1 else clauses[0]


@pytest.mark.parametrize("leaves", PHRASE_QUERIES)
def test_phrases_checked_lazily_give_whooshs_top_documents(phrase_ix, leaves, monkeypatch):
    import searchlib.search.postings as postings
    import searchlib.search.topdocs as topdocs

    monkeypatch.setattr(postings, "NUMPY_FROM_DOCS", 0)
    checked = []
    original = topdocs._phrase_holds
    monkeypatch.setattr(topdocs, "_phrase_holds", lambda *a: checked.append(a[2]) or original(*a))
    searcher = phrase_ix._searcher()
    q = _or_of(leaves)
    candidates = sum(
        len(topdocs._common_docs(searcher, sub, field, [w.encode() for w in words]))
        for sub, _ in searcher.reader().leaf_readers()
        for field, words in leaves
        if len(words) > 1
    )
    for limit in (1, 10, 100):
        expected = _whoosh_top(searcher, q, limit)
        checked.clear()
        _same(top_docs(searcher, q, limit, exact_total=True), expected)
        checked.clear()
        top, total, exact = top_docs(searcher, q, limit, exact_total=False)
        _same((top, expected[1], True), expected)
        assert total == expected[1] if exact else EXACT_TOTAL_BELOW <= total <= expected[1]
        if limit == 1 and expected[1] >= 2 * EXACT_TOTAL_BELOW:
            assert len(checked) < candidates  # most documents were never checked
    allowed = set(range(0, searcher.reader().doc_count_all(), 5))
    found = top_docs(searcher, q, 10, allowed)
    monkeypatch.setattr(postings, "NUMPY_FROM_DOCS", 10**12)
    assert found == top_docs(searcher, q, 10, allowed)  # bit for bit, filtered


@pytest.mark.parametrize("scale", [None, 0.9])
def test_lazy_phrases_give_the_python_loops_floats(phrase_ix, monkeypatch, scale):
    import searchlib.search.postings as postings

    searcher = phrase_ix._searcher()
    limits = (1, 10, 300, 5000)  # 5000: every match, those whose phrase fails among them
    cases = [(_or_of(leaves, scale), limit) for leaves in PHRASE_QUERIES for limit in limits]
    monkeypatch.setattr(postings, "NUMPY_FROM_DOCS", 10**12)
    expected = [top_docs(searcher, q, limit) for q, limit in cases]
    monkeypatch.setattr(postings, "NUMPY_FROM_DOCS", 0)
    assert [top_docs(searcher, q, limit) for q, limit in cases] == expected


def test_term_scores_at_targets_are_whooshs_scores(segmented_ix, scoring_path):
    from whoosh.matching import ListMatcher

    from searchlib.search.topdocs import term_scores_at

    searcher = segmented_ix._searcher()
    reader = searcher.reader()
    targets = list(range(0, reader.doc_count_all(), 2))
    for field in ("body", "body_exact", "title"):
        for word in ("harga", "menteri", "investor", "tidakada"):
            found = term_scores_at(searcher, field, word, targets)
            expected = {}
            if (field, word) in reader:
                scorer = searcher.weighting.scorer(searcher, field, word)
                for docnum, (weight, _v) in term_postings_at(reader, field, word, targets).items():
                    expected[docnum] = scorer.score(ListMatcher([docnum], [weight]))
            assert found == expected  # the same floats
    other = Searcher(reader, weighting=scoring.TF_IDF(), closereader=False)
    assert term_scores_at(other, "body", "harga", targets) is None


def test_a_long_list_looked_up_at_few_documents_reads_only_their_blocks(zipf_ix, monkeypatch):
    import searchlib.search.postings as postings
    import searchlib.search.topdocs as topdocs

    monkeypatch.setattr(postings, "NUMPY_FROM_DOCS", 0)
    reader = zipf_ix._searcher().reader()
    assert reader.doc_frequency("body", "kata0") > 2 * topdocs.WHOLE_LIST_PER_TARGET
    walked = {}
    matcher = reader.postings("body", "kata0")
    while matcher.is_active():
        walked[matcher.id()] = (matcher.weight(), matcher.value())
        matcher.next()
    cache = topdocs.context_for(reader).postings
    for attempt, targets in enumerate(([5], [17, 2400], [0, 1, 2])):
        before = len(cache)
        for values in (True, False):
            found = term_postings_at(reader, "body", "kata0", targets, values=values)
            expected = {d: walked[d] if values else (walked[d][0], None) for d in targets}
            assert found == {d: v for d, v in expected.items() if d in walked}
        if attempt == 0:
            assert len(cache) == before  # the first look-up: not decoded whole, not cached
        else:
            assert len(cache) > 0  # looked up again: decoded whole, and kept
    walked = {}
    matcher = reader.postings("body", "kata1")
    while matcher.is_active():
        walked[matcher.id()] = (matcher.weight(), matcher.value())
        matcher.next()
    many = list(range(0, reader.doc_count_all(), 2))
    found = term_postings_at(reader, "body", "kata1", many, values=True)
    assert found == {d: walked[d] for d in many if d in walked}
    for sub, _offset in reader.leaf_readers():  # many targets: decoded whole at once, and kept
        kept = cache.get((id(sub), "body", b"kata1"))
        assert kept is not None and kept.values is not None
