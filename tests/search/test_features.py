"""Query features over the seeds: fields and dates, fuzzy and prefix terms, did-you-mean,
facets, more-like-this, snippets. Each test fails without the feature it names."""

from __future__ import annotations

import json

import pytest

from searchlib import Document, QueryError, SnippetOptions
from searchlib.cli import ANSI_MARKERS, main
from tests.conftest import ids, seed_id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date:2019", {"000"}),
        ("date:2020-01", {"002"}),
        ("date:[2019-01 TO 2020-06]", {"000", "002"}),
        ("tanggal:[2020-01 TO 2020-01]", {"002"}),  # the upper end takes in 2020-01-14
        ("source:baothanhhoa.vn", {"003"}),
        ("sumber:baothanhhoa.vn Korea", {"003"}),
    ],
)
def test_date_and_source_fields(seed_ix, query, expected):
    assert set(ids(seed_ix.search(query))) == {seed_id(p) for p in expected}


def test_jsonl_metadata_becomes_a_searchable_field(small_ix):
    small_ix.add(Document(id="s", body="Artis tampil di televisi.", fields={"category": "showbiz"}))
    small_ix.add(Document(id="t", body="Artis baru di televisi.", fields={"category": "teknologi"}))
    small_ix.commit()
    assert ids(small_ix.search("category:showbiz")) == ["s"]
    assert ids(small_ix.search("artis category:teknologi")) == ["t"]


def test_fuzzy_and_prefix_terms(seed_ix):
    fuzzy = set(ids(seed_ix.search("denuklirsasi~")))
    assert fuzzy == {seed_id(p) for p in ("001", "002", "003")}
    assert ids(seed_ix.search("Nakat*")) == [seed_id("003")]


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [("denuklirsasi", "denuklirisasi"), ("Nakatni", "nakatani")],
)
def test_did_you_mean_suggests_from_the_index_and_searches_it(seed_ix, query, suggestion):
    results = seed_ix.search(query)
    assert results.suggestion == suggestion
    assert results.corrected
    assert results.total > 0


def test_suggestions_keep_the_first_letter(seed_ix):
    # Candidates share the misspelt word's first letter (as Lucene's spell checker does), so a
    # typo costs a scan of one letter's words, not of the whole vocabulary.
    assert seed_ix.search("Makatani").suggestion is None
    assert seed_ix.search("Nakatami").suggestion == "nakatani"


def test_no_suggestion_for_words_the_index_has(seed_ix):
    results = seed_ix.search("denuklirisasi")
    assert results.suggestion is None and not results.corrected


def test_correctly_spelt_query_with_hits_is_not_replaced(seed_ix):
    results = seed_ix.search("Nakatani")
    assert not results.corrected and ids(results)[0] == seed_id("003")


def test_facet_counts_of_the_seed_index_add_up_to_its_total(seed_ix):
    results = seed_ix.search("Korea", facets=True)
    assert results.total == seed_ix.doc_count() == 5
    for name, counts in results.facets.items():
        assert sum(counts.values()) == results.total, name
    assert results.facets["year"]["2019"] == 1
    assert results.facets["site"]["baothanhhoa.vn"] == 1


def test_facets_count_the_whole_result_set_not_the_page(seed_ix):
    results = seed_ix.search("Korea", facets=["year"], limit=1)
    assert len(results.hits) == 1
    assert sum(results.facets["year"].values()) == 5


def test_unknown_facet_is_a_query_error(seed_ix):
    with pytest.raises(QueryError, match="no facet"):
        seed_ix.search("Korea", facets=["colour"])


def test_more_like_this_excludes_itself_and_finds_the_neighbour(small_ix):
    small_ix.add(Document(id="a", body="Harga beras dan cabai naik tajam di pasar induk."))
    small_ix.add(Document(id="b", body="Harga beras di pasar induk naik lagi pekan ini."))
    small_ix.add(Document(id="c", body="Tim nasional menang dua gol di stadion."))
    small_ix.commit()
    results = small_ix.more_like("a")
    assert ids(results)[0] == "b"
    assert "a" not in ids(results)
    with pytest.raises(QueryError, match="no document"):
        small_ix.more_like("missing")


def test_similar_command(capsys, seed_index_path):
    code = main(["similar", seed_id("001"), "--index", str(seed_index_path), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert seed_id("001") not in [h["id"] for h in data["hits"]]
    assert data["hits"]


def test_snippet_prefers_whole_sentences_and_splits_run_on_text(small_ix):
    body = (
        "Kalimat pembuka yang tidak relevan sama sekali. "
        "Mereka kembali ke meja perundingan.Menteri Luar Negeri tiba di Seoul. "
        "Penutup yang juga tidak relevan."
    )
    small_ix.add(Document(id="r", body=body))
    small_ix.commit()
    snippet = small_ix.search("perundingan", snippets=SnippetOptions(fragments=1)).hits[0].snippet
    assert snippet == "Mereka kembali ke meja **perundingan**."


def test_snippet_never_cuts_a_word_and_respects_length(small_ix):
    words = " ".join(f"kata{i}" for i in range(200))
    small_ix.add(Document(id="long", body=f"{words} pelabuhan {words}"))
    small_ix.commit()
    snippet = small_ix.search("pelabuhan", snippets=SnippetOptions(length=80)).hits[0].snippet
    assert "**pelabuhan**" in snippet
    inner = snippet.strip("…")
    assert all(part.startswith("kata") or "pelabuhan" in part for part in inner.split())
    assert len(inner) <= 80 * 1.3 + 20


def test_snippet_best_passage_first_and_fragment_count(small_ix):
    body = "Beras naik. Cuaca cerah. Harga beras dan cabai di pasar Bekasi naik. Hujan turun."
    small_ix.add(Document(id="f", body=body))
    small_ix.commit()
    options = SnippetOptions(fragments=2, separator=" | ")
    snippet = small_ix.search("beras cabai Bekasi", snippets=options).hits[0].snippet
    first, second = snippet.split(" | ")
    assert "Bekasi" in first and "Beras" in second


def test_custom_and_ansi_markers(seed_ix):
    custom = SnippetOptions(markers=("[", "]"))
    assert "[Nakatani]" in seed_ix.search("Nakatani", snippets=custom).hits[0].snippet
    ansi = SnippetOptions(markers=ANSI_MARKERS)
    assert "\x1b[1;31mNakatani\x1b[0m" in seed_ix.search("Nakatani", snippets=ansi).hits[0].snippet


def test_acronym_match_marks_the_acronym_as_written(seed_ix):
    snippet = seed_ix.search('"Amerika Serikat" Blinken').hits[0].snippet
    assert "**Blinken**" in snippet


def test_explain_on_the_cli_text_output(capsys, seed_index_path):
    code = main(["search", "kunjungan", "--index", str(seed_index_path), "--explain"])
    out = capsys.readouterr().out
    assert code == 0 and "-> kunjung [body]" in out


def test_adjacent_matched_words_are_marked_as_one_phrase(seed_ix):
    snippet = seed_ix.search('"kerja sama trilateral"').hits[0].snippet
    assert "**kerja sama trilateral**" in snippet
    assert "… …" not in snippet


def test_fuzzy_or_prefix_terms_get_no_spelling_suggestion(seed_ix):
    assert seed_ix.search("denuklirsasi~").suggestion is None
    assert seed_ix.search("Nakat*").suggestion is None


def test_phrase_query_marks_only_where_the_whole_phrase_stands(small_ix):
    body = "Kerja keras dibutuhkan. Mereka sepakat kerja sama trilateral diperkuat."
    small_ix.add(Document(id="p", body=body))
    small_ix.commit()
    snippet = small_ix.search('"kerja sama trilateral"').hits[0].snippet
    assert snippet == "Mereka sepakat **kerja sama trilateral** diperkuat."
