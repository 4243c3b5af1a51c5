"""Tests for searchlib.analysis: tokenizer, filters, analyzer, analyze() and Whoosh integration."""

from __future__ import annotations

import pickle
from importlib import resources as importlib_resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields, index
from whoosh.analysis import LowercaseFilter
from whoosh.qparser import QueryParser

from searchlib.analysis import (
    AcronymFilter,
    AnalyzedToken,
    FoldFilter,
    IndonesianAnalyzer,
    IndonesianTokenizer,
    NumberFilter,
    OldSpellingFilter,
    ReduplicationFilter,
    StemFilter,
    StopFilter,
    VariantFilter,
    analyze,
    is_reduplication,
    stem,
)
from searchlib.analysis.filters import fold, modernize_spelling

SEEDS = sorted((Path(__file__).parents[2] / "seeds").glob("*.txt"))

EXACT = IndonesianAnalyzer(stem=False, stopwords=False)
STEMMED = IndonesianAnalyzer()


def surfaces(text: str) -> list[str]:
    return [text[t.startchar : t.endchar] for t in IndonesianTokenizer()(text, chars=True)]


def terms(text: str, analyzer: IndonesianAnalyzer = STEMMED, **kwargs: object) -> list[str]:
    return [t.text for t in analyzer(text, **kwargs)]


# --- tokenizer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("perusahaan-perusahaan Korea", ["perusahaan-perusahaan", "Korea"]),
        ("Cara-Cara untuk", ["Cara-Cara", "untuk"]),
        ("upaya-upaya diplomatik", ["upaya-upaya", "diplomatik"]),
        ("bekerja bersama-sama", ["bekerja", "bersama-sama"]),
        ("sayur-mayur", ["sayur-mayur"]),
        ("kadang-kadang mereka", ["kadang-kadang", "mereka"]),
        ("bolak-balik", ["bolak-balik"]),
        ("tarik-menarik", ["tarik-menarik"]),
        ("anak-anaknya", ["anak-anaknya"]),
        ("sebaik-baiknya", ["sebaik-baiknya"]),
        ("anak2 kecil", ["anak2", "kecil"]),
        # A stray space from scraping before the hyphen (or after it) still joins.
        ("di sela -sela KTT", ["di", "sela -sela", "KTT"]),
        ("barang -barang impor", ["barang -barang", "impor"]),
        ("Bersama -sama, mereka", ["Bersama -sama", "mereka"]),
        ("cara- cara", ["cara- cara"]),
    ],
)
def test_tokenizer_keeps_reduplications_whole(text: str, expected: list[str]) -> None:
    assert surfaces(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jepang-Korea-AS", ["Jepang", "Korea", "AS"]),
        ("Kang Kyung-wha", ["Kang", "Kyung", "wha"]),
        ("Asia-Pasifik", ["Asia", "Pasifik"]),
        ("tahun 1910-1945.", ["tahun", "1910", "1945"]),
        ("(1965-2025)", ["1965", "2025"]),
        ("diplomasi antar -jemput", ["diplomasi", "antar", "jemput"]),
        ("Asia-Melanesia", ["Asia", "Melanesia"]),
        ("skor 2-2", ["skor", "2", "2"]),
        # A spaced dash is punctuation, not a joint.
        ("kata - kata", ["kata", "kata"]),
        ("perundingan.Menteri", ["perundingan", "Menteri"]),
        ("Seoul.Kementerian itu", ["Seoul", "Kementerian", "itu"]),
        ("“solusi positif”.", ["solusi", "positif"]),
        ("snake_case", ["snake", "case"]),
    ],
)
def test_tokenizer_splits_compounds_and_run_on_text(text: str, expected: list[str]) -> None:
    assert surfaces(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tahun 1965", ["tahun", "1965"]),
        ("G7 KTT", ["G7", "KTT"]),
        ("15 persen", ["15", "persen"]),
        ("2 1/2 bulan", ["2", "1/2", "bulan"]),
        ("80.000 tentara", ["80.000", "tentara"]),
        ("tumbuh 57,8 persen", ["tumbuh", "57,8", "persen"]),
        ("Jumat (6/8).", ["Jumat", "6/8"]),
        ("Selasa (14/01/20) waktu", ["Selasa", "14/01/20", "waktu"]),
        ("pada 11 September.", ["pada", "11", "September"]),
        ("tahun 2019.Menteri", ["tahun", "2019", "Menteri"]),
        ("pukul 10.30 WIB", ["pukul", "10.30", "WIB"]),
    ],
)
def test_tokenizer_keeps_numbers_and_dates_whole(text: str, expected: list[str]) -> None:
    assert surfaces(text) == expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("perusahaan", "perusahaan", True),
        ("Cara", "cara", True),
        ("bersama", "sama", True),
        ("berlari", "lari", True),
        ("anak", "anaknya", True),
        ("besar", "besaran", True),
        ("tarik", "menarik", True),
        ("pukul", "memukul", True),
        ("sebaik", "baiknya", True),
        ("kemerah", "merahan", True),
        ("sayur", "mayur", True),
        ("lauk", "pauk", True),
        ("bolak", "balik", True),
        ("warna", "warni", True),
        ("Asia", "Pasifik", False),
        ("Jepang", "Korea", False),
        ("Kyung", "wha", False),
        ("Asia", "Melanesia", False),
        ("antar", "jemput", False),
        ("1910", "1945", False),
        ("2", "2", False),
    ],
)
def test_is_reduplication(first: str, second: str, expected: bool) -> None:
    assert is_reduplication(first, second) is expected


def test_tokenizer_sets_positions_and_original() -> None:
    tokens = [
        (t.text, t.original, t.pos) for t in IndonesianTokenizer()("Satu dua-dua", positions=True)
    ]
    assert tokens == [("Satu", "Satu", 0), ("dua-dua", "dua-dua", 1)]


def test_tokenizer_without_tokenize_yields_the_whole_value() -> None:
    assert [t.text for t in IndonesianTokenizer()("Korea Selatan", tokenize=False)] == [
        "Korea Selatan"
    ]


# --- folding and lowercasing --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bogotá", "Bogota"),
        ("Ma’ruf", "Maruf"),
        ("Jum'at", "Jumat"),
        ("sela -sela", "sela-sela"),
        ("80.000", "80.000"),
        ("北京", "BeiJing"),
        ("١٢٣", "123"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_lowercase_keeps_the_written_form_on_the_token() -> None:
    ana = IndonesianTokenizer() | FoldFilter() | LowercaseFilter()
    assert [(t.text, t.original) for t in ana("Café KTT")] == [("cafe", "Café"), ("ktt", "KTT")]


# --- reduplication ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("perusahaan-perusahaan", "perusahaan"),
        ("sayur-mayur", "sayur"),
        ("anak2", "anak"),
        ("kata2nya", "kata"),
        ("bersama-sama", "bersama"),
        ("Bersama -sama", "bersama"),
        ("sela -sela", "sela"),
        ("Cara-Cara", "cara"),
        ("S2", "s2"),
        ("PS2", "ps2"),
    ],
)
def test_reduplication_becomes_its_base(text: str, expected: str) -> None:
    ana = IndonesianTokenizer() | FoldFilter() | LowercaseFilter() | ReduplicationFilter()
    assert [t.text for t in ana(text)] == [expected]


def test_reduplicated_plural_matches_singular() -> None:
    assert terms("perusahaan-perusahaan") == terms("perusahaan")
    assert terms("masalah-masalah") == terms("masalah")


def test_reduplication_span_covers_the_whole_written_form() -> None:
    text = "di sela -sela KTT"
    (token,) = [t for t in analyze(text) if t.normalized == "sela"]
    assert (token.start, token.end, token.text) == (3, 13, "sela -sela")


# --- acronyms and variants ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("acronym", "expansion"),
    [
        ("AS", "Amerika Serikat"),
        ("Korsel", "Korea Selatan"),
        ("KORSEL", "Korea Selatan"),
        ("Korut", "Korea Utara"),
        ("PBB", "Perserikatan Bangsa-Bangsa"),
        ("KTT", "Konferensi Tingkat Tinggi"),
        ("Menlu", "Menteri Luar Negeri"),
        ("menlu", "Menteri Luar Negeri"),
        ("Menhan", "Menteri Pertahanan"),
        ("DPR", "Dewan Perwakilan Rakyat"),
        ("MPR", "Majelis Permusyawaratan Rakyat"),
        ("TNI", "Tentara Nasional Indonesia"),
        ("Polri", "Kepolisian Negara Republik Indonesia"),
        ("KPK", "Komisi Pemberantasan Korupsi"),
        ("BUMN", "Badan Usaha Milik Negara"),
        ("Pemprov", "Pemerintah Provinsi"),
        ("Pemkot", "Pemerintah Kota"),
        ("Jabar", "Jawa Barat"),
        ("Jatim", "Jawa Timur"),
        ("Jateng", "Jawa Tengah"),
        ("DKI", "Daerah Khusus Ibukota"),
        ("RI", "Republik Indonesia"),
        ("UE", "Uni Eropa"),
        ("WHO", "Organisasi Kesehatan Dunia"),
        ("LSM-LSM", "Lembaga Swadaya Masyarakat"),
    ],
)
@pytest.mark.parametrize("analyzer", [STEMMED, EXACT], ids=["stemmed", "exact"])
def test_acronym_and_expansion_analyse_alike(
    acronym: str, expansion: str, analyzer: IndonesianAnalyzer
) -> None:
    assert terms(acronym, analyzer) == terms(expansion, analyzer)
    assert terms(acronym, analyzer, mode="query") == terms(expansion, analyzer, mode="query")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as", ["as"]),
        ("As", ["as"]),
        ("AS", ["amerika", "serikat"]),
        ("di", ["di"]),
        ("DI Yogyakarta", ["daerah", "istimewa", "yogyakarta"]),
        ("korsel", ["korsel"]),
        ("bin Laden", ["bin", "laden"]),
        ("BIN", ["badan", "intelijen", "negara"]),
        ("Bpk Joko", ["bpk", "joko"]),
    ],
)
def test_ambiguous_acronyms_only_expand_in_capitals(text: str, expected: list[str]) -> None:
    assert terms(text, EXACT) == expected


def test_acronym_expansion_takes_consecutive_positions_and_the_acronym_span() -> None:
    tokens = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in EXACT("AS kuat", positions=True, chars=True)
    ]
    assert tokens == [("amerika", 0, 0, 2), ("serikat", 1, 0, 2), ("kuat", 2, 3, 7)]


def test_extra_acronyms_from_the_constructor() -> None:
    ana = IndonesianAnalyzer(
        stem=False,
        extra_acronyms={"BRIN": "Badan Riset dan Inovasi Nasional", "=IT": "Teknologi Informasi"},
    )
    assert terms("BRIN", ana) == terms("Badan Riset dan Inovasi Nasional", ana)
    assert terms("brin", ana) == terms("badan riset inovasi nasional", ana)
    assert terms("IT", ana) == ["teknologi", "informasi"]
    assert terms("it", ana) == ["it"]
    # The packaged list still applies.
    assert terms("AS", ana) == ["amerika", "serikat"]


def test_acronyms_can_be_switched_off() -> None:
    assert terms("AS", IndonesianAnalyzer(stem=False, acronyms=False)) == ["as"]


@pytest.mark.parametrize(
    "spellings",
    [
        ("Cina", "China", "Tiongkok"),
        ("praktek", "praktik"),
        ("mempraktekkan", "mempraktikkan"),
        ("nasehat", "nasihat"),
        ("resiko", "risiko"),
        ("analisa", "analisis"),
        ("hutang", "utang"),
        ("Djogjakarta", "Jogjakarta", "Yogyakarta"),
    ],
)
def test_spelling_variants_analyse_alike(spellings: tuple[str, ...]) -> None:
    stemmed = {tuple(terms(s)) for s in spellings}
    assert len(stemmed) == 1
    if len(spellings[0].split()) == 1 and not spellings[0].startswith("mem"):
        assert len({tuple(terms(s, EXACT)) for s in spellings}) == 1


def test_variant_filter_alone() -> None:
    ana = IndonesianTokenizer() | LowercaseFilter() | VariantFilter()
    assert [t.text for t in ana("Praktek resiko Tiongkok")] == ["praktik", "risiko", "tiongkok"]


# --- old spelling -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("soekarno", "sukarno"),
        ("soeharto", "suharto"),
        ("djakarta", "jakarta"),
        ("mendjadi", "menjadi"),
        ("tjokroaminoto", "cokroaminoto"),
        ("pantjasila", "pancasila"),
        ("sjahrir", "syahrir"),
        ("masjarakat", "masyarakat"),
        ("njonja", "nyonya"),
        ("rumahnja", "rumahnya"),
        ("achir", "akhir"),
        ("machluk", "makhluk"),
        ("ratoe", "ratu"),
    ],
)
def test_old_spelling_is_modernised(old: str, new: str) -> None:
    assert modernize_spelling(old) == new


@pytest.mark.parametrize(
    "word",
    [
        # Modern words: nj at a syllable joint, initial ch of foreign names.
        "menjadi",
        "tanjung",
        "panjang",
        "china",
        "chelsea",
        "chung",
        "cheong",
        # Inner ch of words the modern corpus uses as written (not old kh).
        "snapchat",
        "michael",
        "manchester",
        # Listed exceptions.
        "koefisien",
        "koefisiennya",
        "does",
        "shoe",
        "joe",
        "dj",
        "masjid",
        "senja",
    ],
)
def test_old_spelling_leaves_modern_and_foreign_words_alone(word: str) -> None:
    assert modernize_spelling(word) == word


def test_old_spelling_query_finds_modern_text() -> None:
    assert terms("Soekarno") == terms("Sukarno")
    assert terms("Presiden Soeharto di Djakarta") == terms("Presiden Suharto di Jakarta")
    assert terms("Soekarno", IndonesianAnalyzer(old_spelling=False)) != terms("Sukarno")


def test_old_spelling_filter_alone() -> None:
    ana = IndonesianTokenizer() | LowercaseFilter() | OldSpellingFilter()
    assert [t.text for t in ana("Soekarno Chung")] == ["sukarno", "chung"]


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80.000", ["80000"]),
        ("1.250.000", ["1250000"]),
        ("3.000,50", ["3000,50"]),
        ("57,8", ["57,8"]),
        ("10.30", ["10.30"]),
        ("1/2", ["1/2"]),
        ("(14/01/20)", ["14/01/20"]),
        ("1965", ["1965"]),
        ("G7", ["g7"]),
    ],
)
def test_numbers_stay_searchable(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_thousands_separator_is_optional_in_queries() -> None:
    assert terms("80.000 tentara") == terms("80000 tentara")


def test_number_filter_alone() -> None:
    assert [t.text for t in (IndonesianTokenizer() | NumberFilter())("80.000 1/2")] == [
        "80000",
        "1/2",
    ]


# --- stopwords ----------------------------------------------------------------------------


def test_stopwords_are_removed_and_positions_closed_up() -> None:
    tokens = [
        (t.text, t.pos)
        for t in IndonesianAnalyzer(stem=False)("kerja sama yang erat", positions=True)
    ]
    assert tokens == [("kerja", 0), ("erat", 1)]


def test_stopwords_are_flagged_when_removestops_is_off() -> None:
    tokens = [
        (t.text, t.pos, t.stopped)
        for t in STEMMED("kerja sama yang erat", positions=True, removestops=False)
    ]
    assert tokens == [("kerja", 0, False), ("sama", 1, True), ("yang", 2, True), ("erat", 3, False)]


def test_stopwords_can_be_kept() -> None:
    assert terms("yang", IndonesianAnalyzer(stopwords=False)) == ["yang"]
    assert terms("yang") == []


def test_stop_filter_alone_with_a_custom_list() -> None:
    ana = IndonesianTokenizer() | StopFilter(["foo"])
    assert [t.text for t in ana("foo bar yang")] == ["bar", "yang"]


def test_stopword_list_keeps_its_attribution() -> None:
    data = importlib_resources.files("searchlib.analysis") / "data"
    header = [
        line
        for line in (data / "stopwords-tala.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ]
    text = "\n".join(header)
    assert "Stemming Effects on Information" in text
    assert "Apache Lucene" in text and "Apache-2.0" in text


@pytest.mark.parametrize(
    "name",
    [
        "stopwords-tala.txt",
        "acronyms.txt",
        "variants.txt",
        "old-spelling-exceptions.txt",
        "roots-id.txt",
        "roots-dictionary-id.txt",
        "stem-roots-extra.txt",
    ],
)
def test_data_files_name_source_and_licence(name: str) -> None:
    text = (importlib_resources.files("searchlib.analysis") / "data" / name).read_text(
        encoding="utf-8"
    )
    header = "\n".join(line for line in text.splitlines() if line.startswith("#")).lower()
    assert "licence" in header or "apache-2.0" in header
    assert "source" in header or "from" in header


def test_dictionary_ships_with_its_licence_text() -> None:
    data = importlib_resources.files("searchlib.analysis") / "data"
    text = (data / "LICENSE-dictionary-id.txt").read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "Version 3" in text
    assert "GNU GENERAL PUBLIC LICENSE" in text  # which the LGPL incorporates
    assert "LGPL-3" in (data / "roots-dictionary-id.txt").read_text(encoding="utf-8")[:2000]


# --- stemming -----------------------------------------------------------------------------


def test_stem_filter_uses_the_stemmer() -> None:
    assert terms("mengunjungi") == [stem("mengunjungi")]


@pytest.mark.parametrize("word", ["bekasi", "perusahaan"])
def test_protected_words_are_never_stemmed(word: str) -> None:
    assert terms(word, IndonesianAnalyzer(protected=[word.upper()])) == [word]


@pytest.mark.parametrize("number", ["1965", "g7", "57,8", "80000"])
def test_numbers_are_never_stemmed(number: str) -> None:
    assert [t.text for t in StemFilter()(IndonesianTokenizer()(number))] == [number]


def test_no_morph_skips_stemming() -> None:
    assert terms("perusahaan", no_morph=True) == ["perusahaan"]
    assert STEMMED.has_morph() and not EXACT.has_morph()


# --- offsets ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_offsets_point_at_the_written_words_in_the_seeds(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for t in IndonesianTokenizer()(text, chars=True):
        assert text[t.startchar : t.endchar] == t.original
    for token in analyze(text):
        assert text[token.start : token.end] == token.text
        assert token.text.strip() == token.text and token.text


def test_start_char_offsets_shift_every_token() -> None:
    tokens = [(t.startchar, t.endchar) for t in STEMMED("AS kuat", chars=True, start_char=10)]
    assert tokens == [(10, 12), (10, 12), (13, 17)]


# --- analyze() ----------------------------------------------------------------------------


def test_analyze_reports_every_stage() -> None:
    tokens = analyze("Perusahaan-perusahaan Soekarno yang")
    first, second, third = tokens
    assert first == AnalyzedToken(
        text="Perusahaan-perusahaan",
        normalized="perusahaan",
        stem=stem("perusahaan"),
        start=0,
        end=21,
        stopword=False,
        stages=first.stages,
    )
    assert list(first.stages) == [
        "tokenize",
        "fold",
        "acronym",
        "lowercase",
        "reduplication",
        "number",
        "old_spelling",
        "variant",
        "stopword",
        "stem",
        "stem_variant",
    ]
    assert first.stages["reduplication"] == "perusahaan"
    assert second.stages["lowercase"] == "soekarno" and second.normalized == "sukarno"
    assert third.stopword and third.stem == "yang"
    assert third.to_dict() == {
        "text": "yang",
        "normalized": "yang",
        "stem": "yang",
        "start": 31,
        "end": 35,
    }


def test_analyze_shows_each_expansion_word_with_the_acronym_span() -> None:
    tokens = analyze("Menlu AS")
    assert [(t.text, t.normalized) for t in tokens] == [
        ("Menlu", "menteri"),
        ("Menlu", "luar"),
        ("Menlu", "negeri"),
        ("AS", "amerika"),
        ("AS", "serikat"),
    ]


def test_analyze_with_an_unstemmed_analyzer() -> None:
    (token,) = analyze("mengunjungi", IndonesianAnalyzer(stem=False))
    assert token.normalized == token.stem == "mengunjungi"
    assert "stem" not in token.stages


def test_analyze_empty_text() -> None:
    assert analyze("") == []
    assert analyze("  …!? ") == []


# --- the analyzer as a Whoosh component ---------------------------------------------------


@pytest.mark.parametrize(
    "analyzer",
    [
        IndonesianAnalyzer(),
        IndonesianAnalyzer(stem=False),
        IndonesianAnalyzer(
            stopwords=False,
            extra_acronyms={"BRIN": "Badan Riset dan Inovasi Nasional"},
            protected=["bekasi", "depok"],
        ),
    ],
    ids=repr,
)
def test_analyzer_pickles_small_by_reference(analyzer: IndonesianAnalyzer) -> None:
    list(analyzer("AS praktek"))  # build the pipeline first: it must not end up in the pickle
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        data = pickle.dumps(analyzer, protocol)
        assert len(data) < 2048
        assert b"searchlib.analysis" in data and b"IndonesianAnalyzer" in data
        assert b"Filter" not in data
        restored = pickle.loads(data)
        assert restored == analyzer
        assert terms("Menlu AS praktek", restored) == terms("Menlu AS praktek", analyzer)


def test_analyzer_equality_is_by_options() -> None:
    assert IndonesianAnalyzer() == IndonesianAnalyzer()
    assert IndonesianAnalyzer(protected=["a", "b"]) == IndonesianAnalyzer(protected=("b", "a"))
    assert IndonesianAnalyzer() != IndonesianAnalyzer(stem=False)
    assert hash(IndonesianAnalyzer()) == hash(IndonesianAnalyzer())
    assert repr(IndonesianAnalyzer(stem=False)) == "IndonesianAnalyzer(stem=False)"


def test_filters_compose_with_whoosh_pipe() -> None:
    ana = (
        IndonesianTokenizer()
        | FoldFilter()
        | AcronymFilter()
        | LowercaseFilter()
        | ReduplicationFilter()
        | StopFilter()
    )
    assert [t.text for t in ana("Perusahaan-perusahaan AS yang besar")] == [
        "perusahaan",
        "amerika",
        "serikat",
        "besar",
    ]


@pytest.fixture(scope="module")
def seeded_index(tmp_path_factory: pytest.TempPathFactory) -> index.Index:
    directory = tmp_path_factory.mktemp("index")
    schema = fields.Schema(
        id=fields.ID(stored=True),
        body=fields.TEXT(analyzer=IndonesianAnalyzer(), phrase=True),
        body_exact=fields.TEXT(analyzer=IndonesianAnalyzer(stem=False), phrase=True),
    )
    docs = {
        "plural": "Pembatasan ekspor terhadap perusahaan-perusahaan Korea.",
        "old": "Presiden Sukarno membacakan proklamasi.",
        "acronym": "Menlu AS bertemu Menlu Korsel di Seoul.",
        "expanded": "Pejabat Amerika Serikat dan Korea Selatan bertemu.",
        "english": "As usual, the meeting ended late.",
        "chinese": "Kunjungan ke Tiongkok ditunda.",
    }
    writer = index.create_in(str(directory), schema).writer()
    for key, text in docs.items():
        writer.add_document(id=key, body=text, body_exact=text)
    writer.commit()
    # Reopen from disk: the analyzer must come back from the pickled table of contents.
    return index.open_dir(str(directory))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("perusahaan", {"plural"}),
        ("Soekarno", {"old"}),
        ("Sukarno", {"old"}),
        ("AS", {"acronym", "expanded"}),
        ("Amerika Serikat", {"acronym", "expanded"}),
        ('"Amerika Serikat"', {"acronym", "expanded"}),
        ('"Menteri Luar Negeri Amerika Serikat"', {"acronym"}),
        ("Korea Selatan", {"acronym", "expanded"}),
        ("as", {"english"}),
        ("China", {"chinese"}),
        ("Cina", {"chinese"}),
    ],
)
def test_whoosh_index_round_trip(seeded_index: index.Index, query: str, expected: set[str]) -> None:
    assert seeded_index.schema["body"].analyzer == IndonesianAnalyzer()
    with seeded_index.searcher() as searcher:
        parsed = QueryParser("body", seeded_index.schema).parse(query)
        assert {hit["id"] for hit in searcher.search(parsed)} == expected


def test_whoosh_exact_field_keeps_surface_forms(seeded_index: index.Index) -> None:
    with seeded_index.searcher() as searcher:
        words = {term.decode() for term in searcher.lexicon("body_exact")}
    assert {"perusahaan", "sukarno", "amerika", "serikat", "membacakan"} <= words
    assert "bacakan" not in words and "baca" not in words


# --- properties ---------------------------------------------------------------------------

_ANALYZERS = [IndonesianAnalyzer(), IndonesianAnalyzer(stem=False, stopwords=False)]

# Text rich in the characters the tokenizer treats specially, mixed with any Unicode.
_TRICKY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("aAsS2-‐‑ .,/'’\u0301\u00a0\n")),
        st.characters(),
    )
)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(), _TRICKY), mode=st.sampled_from(["index", "query"]))
def test_analyzer_never_raises_and_offsets_point_into_the_text(text: str, mode: str) -> None:
    for analyzer in _ANALYZERS:
        for removestops in (True, False):
            for t in analyzer(text, positions=True, chars=True, mode=mode, removestops=removestops):
                assert 0 <= t.startchar <= t.endchar <= len(text)
                surface = text[t.startchar : t.endchar]
                assert surface == t.original
                assert t.text
    for token in analyze(text):
        assert text[token.start : token.end] == token.text


@settings(max_examples=200, deadline=None)
@given(text=_TRICKY)
def test_positions_never_decrease(text: str) -> None:
    positions = [t.pos for t in STEMMED(text, positions=True)]
    assert positions == sorted(positions)
