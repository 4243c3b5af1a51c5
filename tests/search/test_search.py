"""Search over the seeds and small indexes: ranking, query language, snippets, bad queries."""

from __future__ import annotations

import pytest

from searchlib import Document, QueryError, SnippetOptions
from tests.conftest import ids, seed_id


def test_person_name_finds_its_article_first(seed_ix):
    assert ids(seed_ix.search("Nakatani"))[0] == seed_id("003")


def test_reduplicated_plural_is_found_by_its_base_word(seed_ix):
    results = seed_ix.search("perusahaan")
    assert ids(results) == [seed_id("000")]
    assert "**perusahaan-perusahaan**" in results.hits[0].snippet


def test_natural_language_question_returns_the_right_article(seed_ix):
    results = seed_ix.search("Siapa menteri pertahanan Jepang yang mengunjungi Korea?")
    assert results.total >= 3  # any-term matching: not nothing
    assert ids(results)[0] == seed_id("003")


def test_more_query_words_matched_ranks_higher(small_ix):
    small_ix.add(Document(id="one", body="Harga beras naik di pasar."))
    small_ix.add(Document(id="two", body="Harga beras dan gula naik di pasar Bekasi."))
    small_ix.commit()
    assert ids(small_ix.search("beras gula Bekasi")) == ["two", "one"]


def test_quoted_phrase_matches_exact_word_order_with_stopwords(seed_ix, small_ix):
    expected = {seed_id("002"), seed_id("003"), seed_id("004")}
    assert set(ids(seed_ix.search('"kerja sama trilateral"'))) == expected
    small_ix.add(Document(id="gap", body="kerja trilateral sama"))
    small_ix.add(Document(id="yes", body="Mereka memperkuat kerja sama trilateral."))
    small_ix.commit()
    assert ids(small_ix.search('"kerja sama trilateral"')) == ["yes"]


def test_phrase_requires_written_forms_not_just_stems(small_ix):
    small_ix.add(Document(id="exact", body="pengalaman kerja yang panjang"))
    small_ix.add(Document(id="stem", body="mengalami kerja yang panjang"))
    small_ix.commit()
    assert ids(small_ix.search('"pengalaman kerja"')) == ["exact"]
    assert set(ids(small_ix.search("pengalaman"))) == {"exact", "stem"}
    assert ids(small_ix.search("pengalaman"))[0] == "exact"  # exact form scores higher


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Nakatani OR Blinken", {"001", "003"}),
        ("Nakatani ATAU Blinken", {"001", "003"}),
        ("Korea AND Pompeo", {"002"}),
        ("Korea DAN Pompeo", {"002"}),
        ("Pompeo NOT Nakatani", {"002"}),
        ("Motegi BUKAN Pompeo", {"000"}),
        ("Motegi -Pompeo", {"000"}),
        ("title:Korut", {"001"}),
        ("title:Korsel", {"001", "004"}),  # 004's title says "Korea Selatan"
        ("judul:Korut", {"001"}),
        ("date:2019", {"000"}),
        ("Nakat*", {"003"}),
    ],
)
def test_query_language(seed_ix, query, expected):
    assert set(ids(seed_ix.search(query))) == {seed_id(p) for p in expected}


def test_hyphen_inside_a_word_is_not_an_exclusion(seed_ix):
    results = seed_ix.search("Jepang-Korea-AS")
    assert seed_id("003") in ids(results)


def test_unknown_field_prefix_is_searched_as_text(seed_ix):
    assert ids(seed_ix.search("catatan:Nakatani"))[0] == seed_id("003")


def test_acronym_and_expansion_find_each_other(small_ix):
    small_ix.add(Document(id="acr", body="Menlu AS tiba di Seoul."))
    small_ix.add(Document(id="full", body="Menteri dari Amerika Serikat tiba."))
    small_ix.add(Document(id="word", body="Roda dan as mobil rusak."))
    small_ix.commit()
    assert set(ids(small_ix.search("Amerika Serikat"))) == {"acr", "full"}
    assert set(ids(small_ix.search("AS"))) == {"acr", "full"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("   \t ", "empty"),
        ('"kerja sama', "unbalanced quotes"),
        ("(Korea AND Jepang", "unbalanced brackets"),
        ("Korea)", "unbalanced brackets"),
        ("x" * 5000, "too long"),
    ],
)
def test_bad_queries_raise_query_error(seed_ix, query, message):
    with pytest.raises(QueryError, match=message):
        seed_ix.search(query)


@pytest.mark.parametrize("query", ["yang di dan", "?!.,;", "... ---"])
def test_stopword_or_punctuation_query_explains_itself(seed_ix, query):
    results = seed_ix.search(query)
    assert results.total == 0 and results.hits == []
    assert "stopwords or punctuation" in results.notice


def test_results_carry_metadata_and_timing(seed_ix):
    results = seed_ix.search("Blinken")
    hit = results.hits[0]
    assert hit.id == seed_id("001")
    assert hit.title == "Menlu AS dan Korsel Bahas Cara-Cara untuk Berdialog dengan Korut"
    assert hit.rank == 1 and hit.score > 0
    assert results.took_ms >= 0
    assert results.to_dict()["hits"][0]["rank"] == 1


def test_paging_is_stable(seed_ix):
    first = seed_ix.search("Korea", limit=2, page=1)
    second = seed_ix.search("Korea", limit=2, page=2)
    assert first.total == second.total == 5
    assert [h.rank for h in second.hits] == [3, 4]
    assert not set(ids(first)) & set(ids(second))
    everything = seed_ix.search("Korea", page_size=10)
    assert ids(everything)[:4] == ids(first) + ids(second)


def test_sort_by_date_puts_undated_last(seed_ix):
    newest = seed_ix.search("Korea", sort="-date")
    dates = [h.date for h in newest.hits if h.date]
    assert dates == sorted(dates, reverse=True)
    assert newest.hits[0].date is not None
    assert all(h.date is None for h in newest.hits[len(dates) :])


def test_date_range_arguments_filter(seed_ix):
    results = seed_ix.search("Korea", date_from="2019", date_to="2019-12")
    assert ids(results) == [seed_id("000")]
    with pytest.raises(QueryError, match="ISO date"):
        seed_ix.search("Korea", date_from="kemarin")


def test_facet_counts_add_up_to_the_total(seed_ix):
    results = seed_ix.search("Korea", facets=True)
    assert results.total == 5
    assert sum(results.facets["year"].values()) <= results.total
    assert set(results.facets) >= {"site", "year"}


def test_misspelling_suggests_and_searches_the_correction(seed_ix):
    results = seed_ix.search("denuklirsasi")
    assert results.suggestion == "denuklirisasi"
    assert results.corrected and results.total >= 3


def test_html_snippet_escapes_document_text(small_ix):
    small_ix.add(Document(id="x", body='Awas <script>alert("AS")</script> menteri tiba.'))
    small_ix.commit()
    hit = small_ix.search("menteri", snippets=SnippetOptions(html=True)).hits[0]
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark>menteri</mark>" in hit.snippet


def test_explain_names_query_word_document_word_and_field(seed_ix):
    hit = seed_ix.search("kunjungan Nakatani").hits[0]
    explanation = hit.explain()
    by_field = {(m.field, m.term): m for m in explanation.matches}
    assert ("body", "nakatani") in by_field
    kunjung = next(
        m for m in explanation.matches if m.query_word == "kunjungan" and m.field == "body"
    )
    assert "mengunjungi" in kunjung.document_words or "kunjungan" in kunjung.document_words
    assert explanation.score == pytest.approx(hit.score, rel=1e-9)
    assert explanation.parts_total() == pytest.approx(hit.score, rel=1e-9)


def test_a_page_past_the_last_is_empty_with_the_true_total(seed_ix):
    results = seed_ix.search("Korea", page=99, limit=2)
    assert results.hits == [] and results.total == 5 and results.pages == 3
    last = seed_ix.search("Korea", page=3, limit=2)
    assert [h.rank for h in last.hits] == [5]


def test_question_words_are_not_taken_for_typos(seed_ix):
    # "siapa" and "apakah" are rare in news text, so the corrector used to offer "sama"/"adalah".
    for query in ("Siapa menteri pertahanan Jepang", "apakah Nakatani datang"):
        assert seed_ix.search(query).suggestion is None
    assert seed_ix.search("Nakatni").suggestion == "nakatani"  # real typos still are


def _corrections_by_scanning(reader, word):
    """What Whoosh's ReaderCorrector suggests (prefix 1, two Damerau edits, most frequent,
    ties to the last word): every word with the first letter measured."""
    from whoosh.support.levenshtein import damerau_levenshtein

    best = None
    for btext in reader.expand_prefix("body_exact", word[:1]):
        candidate = btext.decode("utf-8") if isinstance(btext, bytes) else btext
        if damerau_levenshtein(candidate, word) <= 2:
            key = (reader.frequency("body_exact", candidate) or 1, candidate)
            best = key if best is None or key > best else best
    return None if best is None else best[1]


def test_corrections_are_those_of_measuring_every_word_with_the_first_letter(seed_ix):
    import random

    from searchlib.search.searcher import _correction

    reader = seed_ix._searcher().reader()
    words = sorted(
        w
        for w in (t.decode() if isinstance(t, bytes) else t for t in reader.lexicon("body_exact"))
        if w.isalpha() and 4 <= len(w) <= 14
    )
    rng = random.Random(11)
    letters = "abcdefghijklmnopqrstuvwxyz"
    checked = found = 0
    for _ in range(400):
        word = rng.choice(words)
        for _edit in range(rng.choice([1, 1, 2, 3])):
            i = rng.randrange(len(word))
            op = rng.choice("sidt")
            if op == "s":
                word = word[:i] + rng.choice(letters) + word[i + 1 :]
            elif op == "i":
                word = word[:i] + rng.choice(letters) + word[i:]
            elif op == "d" and len(word) > 4:
                word = word[:i] + word[i + 1 :]
            elif op == "t" and i < len(word) - 1:  # an adjacent transposition
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if ("body_exact", word) in reader:
            continue
        expected = _corrections_by_scanning(reader, word)
        assert _correction(reader, word) == expected, word
        checked += 1
        found += expected is not None
    assert checked > 300 and found > 100  # typos of one to three edits, most within two
