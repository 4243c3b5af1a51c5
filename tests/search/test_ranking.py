"""Ranking options: each one changes a ranking it should, and switching it off undoes that."""

from __future__ import annotations

import doctest
from dataclasses import replace

import pytest

from searchlib import Document, Index, Ranking
from searchlib.search import rerank
from searchlib.search.context import weighted_searcher
from searchlib.search.query import drop_question_words, parse_query, query_fields
from searchlib.search.rerank import proximity_units
from tests.conftest import ids, seed_id

# Unrelated documents, so the words of each test are rare in its index as in a real one.
FILLER = [
    Document(id="f1", body="Harga beras naik di pasar induk."),
    Document(id="f2", body="Banjir merendam rumah warga di Bekasi."),
    Document(id="f3", body="Tim nasional menang tipis tadi malam."),
]


def make_index(path, *bodies: tuple[str, str]) -> Index:
    ix = Index.create(path)
    ix.add([Document(id=doc_id, body=body) for doc_id, body in bodies] + FILLER)
    ix.commit()
    return ix


def test_proximity_ranks_adjacent_query_words_first(tmp_path):
    ix = make_index(
        tmp_path,
        (
            "scattered",
            "Menteri itu menyebut pertahanan kota kuat, lalu terbang ke Jepang. Menteri tiba.",
        ),
        ("adjacent", "Menteri Pertahanan Jepang tiba di kota itu kemarin sore bersama rombongan."),
    )
    query = "menteri pertahanan Jepang"
    assert ids(ix.search(query))[0] == "adjacent"
    # `scattered` has `menteri` twice: plain BM25F prefers it.
    assert ids(ix.search(query, ranking=Ranking(proximity=0)))[0] == "scattered"


def test_lede_ranks_an_early_mention_first(tmp_path):
    story = (
        "Cuaca cerah sepanjang hari dan warga berkumpul di alun-alun kota untuk merayakan "
        "panen raya bersama keluarga besar mereka"
    )
    ix = make_index(
        tmp_path,
        ("late", f"{story}. Gempa kecil terasa."),
        ("early", f"Gempa kecil terasa. {story} sore itu."),
    )
    assert ids(ix.search("gempa"))[0] == "early"
    # `late` is one word shorter: plain BM25F prefers it.
    assert ids(ix.search("gempa", ranking=Ranking(lede_boost=0)))[0] == "late"


def test_question_words_match_nothing(tmp_path):
    ix = make_index(
        tmp_path,
        ("answer", "Lomba lari tahunan itu digelar di Jenewa, Swiss, pekan lalu."),
        ("noise", "Dimanakah dompet saya? Manakah kunci mobil itu?"),
    )
    for query in ("Dimanakah lomba lari tahunan digelar?", "Di kota manakah lomba lari digelar?"):
        assert ids(ix.search(query)) == ["answer"]
        assert ids(ix.search(query, ranking=Ranking(question_words=False))) == ["answer", "noise"]
    # Quoted, they are words as written; alone, the query explains itself.
    assert ids(ix.search('"dimanakah dompet"')) == ["noise"]
    assert ix.search("Siapakah?").notice


def test_natural_language_question_needs_the_rerank(seed_ix):
    question = "Siapa menteri pertahanan Jepang yang mengunjungi Korea?"
    assert ids(seed_ix.search(question))[0] == seed_id("003")
    core = Ranking(proximity=0, lede_boost=0)
    assert ids(seed_ix.search(question, ranking=core))[0] == seed_id("004")


def test_rerank_keeps_pages_consistent(tmp_path):
    ix = make_index(
        tmp_path,
        *(
            (f"d{i}", f"Gempa {'terasa ' * i}di kota {i}. " + "Warga tenang. " * (6 - i))
            for i in range(6)
        ),
    )
    shallow = Ranking(rerank_depth=3)
    everything = ids(ix.search("gempa kota", limit=6, ranking=shallow))
    pages = [ids(ix.search("gempa kota", limit=2, page=p, ranking=shallow)) for p in (1, 2, 3)]
    assert [doc for page in pages for doc in page] == everything and len(set(everything)) == 6
    scores = [h.score for h in ix.search("gempa kota", limit=6, ranking=shallow).hits]
    assert scores == sorted(scores, reverse=True)


def test_rerank_is_off_for_date_sorts_and_depth_zero(seed_ix):
    question = "Siapa menteri pertahanan Jepang yang mengunjungi Korea?"
    off = Ranking(rerank_depth=0)
    core = Ranking(proximity=0, lede_boost=0)
    # Without proximity and lede the head is rescored by written forms only, which the query
    # itself scores when the rerank is off: the same scores, up to float rounding.
    assert [h.score for h in seed_ix.search(question, ranking=off).hits] == pytest.approx(
        [h.score for h in seed_ix.search(question, ranking=core).hits]
    )
    by_date = seed_ix.search(question, sort="-date")
    dates = [h.date for h in by_date.hits if h.date]
    assert dates == sorted(dates, reverse=True)


def test_zero_boost_leaves_a_field_out_and_phrases_still_work(seed_ix):
    no_exact = Ranking(exact_boost=0)
    assert set(no_exact.field_boosts()) == {"title", "body"}
    assert ids(seed_ix.search("Nakatani", ranking=no_exact))[0] == seed_id("003")
    expected = {seed_id("002"), seed_id("003"), seed_id("004")}
    assert set(ids(seed_ix.search('"kerja sama trilateral"', ranking=no_exact))) == expected


def test_default_bm25_parameters_use_the_index_searcher(seed_ix):
    searcher = seed_ix._searcher()
    assert weighted_searcher(searcher, Ranking()) is searcher
    other = weighted_searcher(searcher, Ranking(k1=0.5, b=0.3))
    assert other is not searcher and other.weighting.K1 == 0.5
    default = seed_ix.search("Korea Jepang", ranking=Ranking(proximity=0, lede_boost=0))
    tuned = seed_ix.search("Korea Jepang", ranking=Ranking(proximity=0, lede_boost=0, b=0.3))
    assert [h.score for h in default.hits] != [h.score for h in tuned.hits]


def test_proximity_units_skip_negated_and_other_fields(seed_ix):
    searcher = seed_ix._searcher()
    fields = query_fields(searcher.reader())
    q = parse_query("menteri Jepang NOT Korea title:KTT", searcher.schema, Ranking(), fields).query
    assert proximity_units(q) == [("menteri",), ("jepang",)]
    # An acronym's expansion is one unit, not a pair of its own words.
    q = parse_query("Menlu AS", searcher.schema, Ranking(), fields).query
    assert ("amerika", "serikat") in proximity_units(q)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Siapakah presiden Venezuela saat ini?", "presiden Venezuela saat ini?"),
        ("Tahun berapa yayasan itu didirikan?", "Tahun yayasan itu didirikan?"),
        ("kapan-kapan mana-mana", "kapan-kapan mana-mana"),  # reduplications are words
        ("-siapa +apa", "-siapa +apa"),  # explicit syntax stays
        ("APA dan WHO", "APA dan WHO"),  # capitals may be acronyms
    ],
)
def test_drop_question_words(text, expected):
    assert drop_question_words(text) == expected


def test_ranking_defaults_turn_every_direction_on():
    default = Ranking()
    assert default.question_words and default.proximity > 0 and default.lede_boost > 0
    assert default.rerank_depth >= 10
    assert replace(default, proximity=0).proximity == 0


def test_ranking_docstrings():
    assert doctest.testmod(rerank).failed == 0
