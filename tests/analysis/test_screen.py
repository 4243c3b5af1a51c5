"""The chunk screen of first-sight snippets never turns away a chunk that holds a wanted term.

A new process's first snippets analyse only the chunks of a text that :class:`_Screen` lets
through (``searchlib.analysis.analyzer``); a chunk it wrongly turned away would lose its mark.
These tests check the screen against the analysis itself: the stemmer's contract the screen
rests on, every chunk of real text with each of its terms, and random texts end to end.
"""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchlib.analysis import IndonesianAnalyzer
from searchlib.analysis.analyzer import _WordTable, screen_key
from searchlib.analysis.filters import modernize_spelling
from searchlib.analysis.resources import variants
from searchlib.analysis.stemmer import stem
from tests.analysis.test_fast_path import ANALYZERS, TEXT
from tests.conftest import REPO, SEEDS

LEXICON = REPO / "searchlib" / "analysis" / "data" / "roots-id.txt"
INDOSUM = REPO.parent / "shared" / "data" / "indosum" / "docs.jsonl"
STEMMING = REPO.parent / "shared" / "data" / "stemming"

# Each a kind of chunk whose terms are not letters of it: acronyms (any case, plural, in
# brackets), old spellings, variants before and after stemming, a root with a final i put
# back, numbers, folded marks and apostrophes, reduplications, glued sentences.
CASES = (
    "Menlu AS bertemu Korsel (PBB) LSM-LSM KTT, Kemlu. Mendagri as usual",
    "Soekarno Djakarta tjinta achir machloek rumahnja Njoto sjarat Tjina (Tjina),",
    "Cina China resiko mempraktekkan dipraktekkan nasehatnya",
    "pengalaman pengalamannya mengalami alamnya",
    "80.000 1.250.000,50 57,8 14/01/20 (6/8) anak2 G7 Jum'at Ma’ruf Café Bogotá",
    "perusahaan-perusahaan sela -sela kadang- kadang bersama-sama perundingan.Menteri",
    "“Kami” ‘ya’ «yang»… —dan– [PBB]: (Antara),",
)


def _chunks_of(texts) -> set[str]:
    return {chunk for text in texts for chunk in text.split()}


def _assert_screen_admits(texts, analyzers=ANALYZERS) -> int:
    """Every chunk that analyses to a term passes the screen for that term alone."""
    checked = 0
    for analyzer in analyzers:
        for no_morph in (False, True):
            table = _WordTable(analyzer, no_morph)
            for chunk in sorted(_chunks_of(texts)):
                for term in {hit[2] for hit in table._chunk_hits(chunk)}:
                    screen = table._screen({term})
                    assert screen is not None
                    assert screen.may_hold(chunk), (analyzer, no_morph, chunk, term)
                    checked += 1
    return checked


def _assert_stems_keep_their_keys(words) -> int:
    table = variants()
    checked = 0
    for word in sorted(words):
        if not (word.isascii() and word.isalpha()) or word in table:
            continue
        if modernize_spelling(word) != word:
            continue
        assert screen_key(stem(word)) in word, (word, stem(word))
        checked += 1
    return checked


def _first_column(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.split("\t", 1)[0].lower() for line in lines if line and line[0] != "#"}


def test_the_stemmer_keeps_each_roots_screen_key_in_its_word():
    """The contract of screen_key: past its first letter (a nasal prefix may have replaced it)
    and a final i (put back on pe-...-an nouns), a root's letters stand in its word."""
    words = _first_column(LEXICON)
    for path in SEEDS.glob("*.txt"):
        words.update(path.read_text(encoding="utf-8").lower().split())
    assert _assert_stems_keep_their_keys(words) > 20_000


@pytest.mark.skipif(not STEMMING.exists(), reason=f"{STEMMING} is absent (../shared/data)")
def test_the_stemmer_keeps_the_screen_key_on_the_shared_stemming_sets():
    words = set()
    for path in STEMMING.glob("*.tsv"):
        words |= _first_column(path)
    assert _assert_stems_keep_their_keys(words) > 2_000


def test_the_screen_admits_every_chunk_of_the_cases_and_seeds_holding_a_term():
    texts = list(CASES) + [p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")]
    assert _assert_screen_admits(texts) > 5_000


@pytest.mark.skipif(not INDOSUM.exists(), reason=f"{INDOSUM} is absent (../shared/data)")
def test_the_screen_admits_every_chunk_of_indosum_holding_a_term():
    with INDOSUM.open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in islice(handle, 1500)]
    assert _assert_screen_admits(texts, ANALYZERS[:2]) > 100_000


def test_the_screen_turns_away_most_chunks():
    """The point of the screen: for a few query terms, most chunks of an article are not
    analysed (here about 1 in 20 are)."""
    text = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    table = _WordTable(IndonesianAnalyzer(), False)
    screen = table._screen({"presiden", "kunjung", "usaha"})
    chunks = _chunks_of([text])
    admitted = [chunk for chunk in chunks if screen.may_hold(chunk)]
    assert len(admitted) < len(chunks) / 4


def _first_and_second_sight(analyzer, text, wanted):
    table = _WordTable(analyzer, False)
    key = (hash(text), len(text))
    chunks = _chunks_of([text])
    first = sorted(table.chunk_terms(chunks, wanted, key))
    screened = len(table.chunk_hits)
    # A hit's body is read anew for each snippet, so its chunks come as a new set.
    second = sorted(table.chunk_terms(set(chunks), wanted, key))
    return first, second, screened, len(table.chunk_hits), key in table.learned_texts


@settings(max_examples=200, deadline=None)
@given(text=TEXT, every=st.integers(1, 3), extra=st.sampled_from(["", "amerika", "sukarno"]))
def test_first_sight_finds_what_analysing_every_chunk_finds(text, every, extra):
    """A text's first snippet screens its chunks, the second analyses them all: both find the
    chunks and hits that analysing every chunk finds."""
    for analyzer in ANALYZERS:
        terms = sorted({t.text for t in analyzer._chain(text, removestops=False)})
        wanted = set(terms[::every]) | ({extra} if extra else set())
        expected = sorted(_WordTable(analyzer, False).chunk_terms(_chunks_of([text]), wanted))
        first, second, _, _, learned = _first_and_second_sight(analyzer, text, wanted)
        assert first == expected
        assert second == expected
        assert learned


def test_a_text_seen_again_has_all_its_chunks_analysed():
    text = " ".join(CASES)
    analyzer = IndonesianAnalyzer()
    first, second, screened, learned, remembered = _first_and_second_sight(
        analyzer, text, {"amerika", "sukarno", "tiongkok", "praktik", "alami"}
    )
    assert first == second
    assert {chunk for chunk, _ in first} >= {"AS", "Soekarno", "Cina", "mempraktekkan"}
    assert screened < learned == len(_chunks_of([text]))
    assert remembered


@pytest.mark.parametrize("budget", [5, 48])
def test_later_sights_learn_a_long_text_a_budget_at_a_time(monkeypatch, budget):
    """A long text's later sights each analyse about ``_LEARNING_BUDGET`` new words beyond
    what the screen lets through (not all its words at once: a repeated query in a new
    process would pay for all its hits' words), and find what analysing every chunk finds,
    until all its chunks are known and it takes the fast path."""
    import searchlib.analysis.analyzer as analyzer_module

    monkeypatch.setattr(analyzer_module, "_LEARNING_BUDGET", budget)
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    analyzer = IndonesianAnalyzer()
    table = _WordTable(analyzer, False)
    key = (hash(text), len(text))
    chunks = _chunks_of([text])
    queries = [{"presiden", "korea"}, {"amerika", "kunjung"}, {"tahan", "usaha"}]
    full = _WordTable(analyzer, False)
    expected = [sorted(full.chunk_terms(chunks, wanted)) for wanted in queries]
    sights = 0
    while key not in table.learned_texts:
        wanted = queries[sights % len(queries)]
        before_words, before_chunks = table.words_learned, len(table.chunk_hits)
        found = sorted(table.chunk_terms(set(chunks), wanted, key))
        assert found == expected[sights % len(queries)]
        if sights:  # a later sight: the budget, and the words of one chunk over it at most
            screened = _WordTable(analyzer, False)
            screened.chunk_terms(set(chunks), wanted, ("first", sights))
            assert table.words_learned - before_words <= budget + 3 + screened.words_learned
            assert len(table.chunk_hits) > before_chunks
        sights += 1
        assert sights < 2 + len(chunks) // budget + 1
    assert set(table.chunk_hits) >= chunks
    assert sights > 2  # the seeds hold far more new words than one budget
    before = table.words_learned
    assert sorted(table.chunk_terms(set(chunks), queries[0], key)) == expected[0]
    assert table.words_learned == before


def test_no_screen_for_an_analyzer_with_a_stage_it_does_not_know():
    """A subclass's own stage could make any term of any word: its chunks are all analysed."""
    from whoosh.analysis import Filter

    class Shout(Filter):
        def __call__(self, tokens):
            for t in tokens:
                t.text = t.text.upper()
                yield t

    class Custom(IndonesianAnalyzer):
        def stages(self):
            return (*super().stages(), ("shout", Shout()))

    table = _WordTable(Custom(), False)
    assert table._screen({"kunjung"}) is None
    assert _WordTable(IndonesianAnalyzer(), False)._screen({"kunjung"}) is not None


def test_screen_key_examples():
    assert [screen_key(t) for t in ("tulis", "alami", "ajar", "a", "")] == [
        "ulis",
        "lam",
        "jar",
        "",
        "",
    ]
    assert isinstance(Path(LEXICON), Path) and LEXICON.exists()


def test_a_variant_is_analysed_whatever_its_canonical_form_stems_to(monkeypatch):
    """A variant rewritten before stemming may stem to a term whose key is in neither form
    (a made-up entry here: resiko -> berisiko -> risiko): the screen lets variants through."""
    import searchlib.analysis.analyzer as analyzer_module
    from searchlib.analysis.analyzer import _Screen, _ScreenBasis

    monkeypatch.setattr(analyzer_module, "variants", lambda: {"resiko": "berisiko"})
    monkeypatch.setattr(analyzer_module, "_BASES", {})  # no fake basis left behind
    basis = _ScreenBasis.of([stage for _, stage in IndonesianAnalyzer().stages()])
    assert _Screen(frozenset({"risiko"}), basis).may_hold("Resiko,")


def test_a_variant_made_after_stemming_is_found_by_its_own_key():
    """mempraktekkan stems to praktek, which the variant table makes praktik: praktik's key is
    not in the word, but praktek's is."""
    table = _WordTable(IndonesianAnalyzer(), False)
    assert {hit[2] for hit in table._chunk_hits("mempraktekkan")} == {"praktik"}
    assert screen_key("praktik") not in "mempraktekkan"
    assert table._screen({"praktik"}).may_hold("mempraktekkan")


def test_one_snippets_second_question_is_still_a_first_sight():
    """A snippet asks the exact-form table for its written forms, then for the first words of
    its phrases, with the same chunk set: neither call analyses every chunk."""
    text = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    table = _WordTable(IndonesianAnalyzer(stem=False, stopwords=False), False)
    key = (hash(text), len(text))
    chunks = _chunks_of([text])
    full = _WordTable(IndonesianAnalyzer(stem=False, stopwords=False), False)
    for wanted in ({"presiden"}, {"korea", "amerika"}):
        assert sorted(table.chunk_terms(chunks, wanted, key)) == sorted(
            full.chunk_terms(chunks, wanted)
        )
    assert key not in table.learned_texts
    assert len(table.chunk_hits) < len(chunks) / 4


def test_an_old_spelling_is_judged_as_the_word_it_modernizes_to():
    """Soekarno is looked at as sukarno, so a query for Jakarta turns it away; Tjina
    modernizes to the variant cina, which makes tiongkok: it is analysed."""
    table = _WordTable(IndonesianAnalyzer(), False)
    assert table._screen({"sukarno"}).may_hold("(Soekarno),")
    assert not table._screen({"jakarta"}).may_hold("Soekarno")
    assert not table._screen({"sukarno"}).may_hold("Djakarta")
    assert table._screen({"tiongkok"}).may_hold("Tjina,")
    assert {hit[2] for hit in table._chunk_hits("Tjina,")} == {"tiongkok"}


def test_an_old_spelling_of_a_variant_is_analysed_whatever_the_variant_stems_to(monkeypatch):
    """Tjina modernizes to cina, a variant: with a made-up entry (cina -> berkunjung, which
    stems to kunjung) no key of kunjung or of its variants is in the word, so only knowing
    that cina is a variant lets the chunk through."""
    import searchlib.analysis.analyzer as analyzer_module
    from searchlib.analysis.analyzer import _Screen, _ScreenBasis

    monkeypatch.setattr(analyzer_module, "variants", lambda: {"cina": "berkunjung"})
    monkeypatch.setattr(analyzer_module, "_BASES", {})  # no fake basis left behind
    basis = _ScreenBasis.of([stage for _, stage in IndonesianAnalyzer().stages()])
    assert _Screen(frozenset({"kunjung"}), basis).may_hold("Tjina,")
    assert not _Screen(frozenset({"kunjung"}), basis).may_hold("Tjinta,")


def test_a_chunk_without_letters_is_looked_at_only_for_a_number():
    table = _WordTable(IndonesianAnalyzer(), False)
    for chunk in ("2018),", "80.000", "(6/8)", "14/01/20", "--"):
        assert not table._screen({"presiden", "kunjung"}).may_hold(chunk)
    assert table._screen({"presiden", "80000"}).may_hold("80.000")
    assert table._screen({"2018"}).may_hold("2018),")
    for chunk in ("G7", "anak2", "P2TP2A", "Café", "½"):  # letters beside digits, or not ASCII
        assert table._screen({"presiden"}).may_hold(chunk)


def test_an_acronym_of_digits_keeps_chunks_without_letters_in_view():
    """A user's acronym may be digits alone: then its expansion's words come of a chunk with
    no letter, and such chunks are no longer ruled out."""
    analyzer = IndonesianAnalyzer(extra_acronyms={"112": "nomor darurat"})
    table = _WordTable(analyzer, False)
    assert {hit[2] for hit in table._chunk_hits("(112),")} == {"nomor", "darurat"}
    assert table._screen({"darurat"}).may_hold("(112),")
    assert _assert_screen_admits(["Hubungi 112, atau (112) sekarang"], [analyzer]) >= 4


def test_the_stemmed_and_written_form_tables_share_one_classification():
    """Both tables of a search screen the same chunks: each chunk is classified once."""
    stemmed = _WordTable(IndonesianAnalyzer(), False)
    written = _WordTable(IndonesianAnalyzer(stem=False, stopwords=False), False)
    assert stemmed._screen({"usaha"}).word_of == written._screen({"perusahaan"}).word_of
    other = _WordTable(IndonesianAnalyzer(acronyms=False), False)
    assert other._screen({"usaha"}).word_of != stemmed._screen({"usaha"}).word_of
