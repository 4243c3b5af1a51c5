"""Fuzzy and prefix words expand over the written forms, the word as written ranks first, and
a broad pattern is capped with a notice (issue 15, item 1)."""

from __future__ import annotations

import pytest

from searchlib import Document
from searchlib.search.query import MAX_PATTERN_TERMS


@pytest.fixture
def company_ix(small_ix):
    """Documents with `perusahaan` once, and documents with only look-alikes, many times."""
    small_ix.add(
        [
            Document(id="exact1", body="Sebuah perusahaan Korea membuka pabrik di Bekasi."),
            Document(id="exact2", body="Kinerja perusahaan itu naik. " + "Laporan tahunan. " * 8),
            Document(id="typo", body="Perusahan kecil itu tutup. Perusahan lain bertahan."),
            Document(id="stem", body="Usaha kecil dan pengusaha berkumpul. Usaha bersama."),
            Document(id="change", body="Perubahan iklim dan perubahan cuaca. Perubahan besar."),
            Document(id="share", body="Saham naik. Harga saham turun. Saham bank."),
        ]
    )
    small_ix.commit()
    return small_ix


def test_fuzzy_expands_over_written_forms_not_stems(company_ix):
    results = company_ix.search("perusahaan~2")
    found = {hit.id for hit in results.hits}
    # `perusahaan` stems to `usaha`; the stem's neighbours (`saham`) are not spelling variants.
    assert "share" not in found and "stem" not in found
    assert {"exact1", "exact2", "typo"} <= found


def test_the_word_as_written_ranks_before_its_variants(company_ix):
    for query in ("perusahaan~2", "perusahaan~1", "perusahaan~"):
        ranked = [hit.id for hit in company_ix.search(query).hits]
        assert set(ranked[:2]) == {"exact1", "exact2"}, query
        assert ranked.index("typo") == 2, query


def test_fuzzy_scores_are_not_a_constant(company_ix):
    scores = [hit.score for hit in company_ix.search("perusahaan~2").hits]
    assert len(set(scores)) == len(scores)


def test_prefix_expands_over_written_forms(company_ix):
    found = {hit.id for hit in company_ix.search("perusaha*").hits}
    assert found == {"exact1", "exact2", "typo"}  # not `usaha*` on the stems
    assert {hit.id for hit in company_ix.search("peru*").hits} >= {"exact1", "typo", "change"}


def test_a_fuzzy_word_beside_other_words_and_fields(company_ix):
    results = company_ix.search("perusahaan~1 Korea")
    assert results.hits[0].id == "exact1"
    assert {h.id for h in company_ix.search("isi:perusahan~1").hits} >= {"exact1", "typo"}


def test_a_broad_pattern_is_capped_with_a_notice(small_ix):
    words = [f"kata{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(MAX_PATTERN_TERMS + 20)]
    small_ix.add(
        Document(id=f"d{i}", body=f"{word} dan lain-lain.") for i, word in enumerate(words)
    )
    small_ix.commit()
    results = small_ix.search("kata*", limit=200)
    assert results.expansion_capped
    assert "kata*" in results.notice and str(MAX_PATTERN_TERMS) in results.notice
    assert results.total == MAX_PATTERN_TERMS
    narrow = small_ix.search("kataa*")
    assert not narrow.expansion_capped and narrow.notice is None and narrow.total == 26


def test_a_pattern_matching_nothing_finds_nothing(company_ix):
    assert company_ix.search("zzzyx~1").total == 0
    assert company_ix.search("qqq*").total == 0
    assert company_ix.search("qqq* perusahaan").hits[0].id in {"exact1", "exact2"}


def test_a_required_pattern_matching_nothing_makes_its_and_match_nothing(company_ix):
    # Whoosh's normalize() drops an empty clause from an AND: it must not match without it.
    queries = ["perusahaan AND qqq*", "qqq* AND perusahaan", "(perusahaan AND zzzyx~1) OR saham"]
    for query in queries:
        found = {hit.id for hit in company_ix.search(query).hits}
        assert found == ({"share"} if "saham" in query else set()), query
    assert company_ix.search("perusahaan AND perusaha*").total >= 2
    assert company_ix.search("perusahaan NOT qqq*").total >= 2
