"""Table-driven tests for the Indonesian stemmer (searchlib.analysis.stemmer)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"

try:
    from searchlib.analysis import stemmer
except ImportError:  # package __init__ still being written elsewhere: load by path
    _spec = importlib.util.spec_from_file_location(
        "_stemmer_under_test", REPO / "searchlib" / "analysis" / "stemmer.py"
    )
    stemmer = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(stemmer)

stem = stemmer.stem
cached_stem = stemmer.cached_stem


@pytest.mark.parametrize(
    ("family", "root"),
    [
        (["mengalami", "pengalaman", "mengalaminya"], "alami"),
        (["kunjungan", "mengunjungi", "berkunjung"], "kunjung"),
        (["pengaruh", "memengaruhi", "dipengaruhi", "berpengaruh"], "pengaruh"),
        (["memberantas", "pemberantasan"], "berantas"),
        (["pengawasan", "mengawasi", "diawasi", "pengawas"], "awas"),
        (["memberikan", "diberikan", "pemberian"], "beri"),
    ],
)
def test_word_family_shares_one_stem(family: list[str], root: str) -> None:
    assert [stem(w) for w in family] == [root] * len(family)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("dirinya", "diri"),
        ("bukankah", "bukan"),
        ("rumahnya", "rumah"),
        ("bukupun", "buku"),
    ],
)
def test_clitics_are_removed(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize("name", ["bekasi", "jokowi", "nakatani", "moon"])
def test_names_are_not_mangled(name: str) -> None:
    assert stem(name) == name


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("menulis", "tulis"),  # n -> t
        ("memakai", "pakai"),  # m -> p
        ("menyapu", "sapu"),  # ny -> s
        ("mengirim", "kirim"),  # ng -> k
        ("mengambil", "ambil"),  # ng before a vowel-initial root
        ("pemerintahan", "perintah"),  # pe-an confix over a per- root
        ("memperbaiki", "baik"),  # stacked prefixes
        ("keberhasilan", "hasil"),  # ke-ber-...-an
        ("kapal-kapal", "kapal"),  # reduplication
    ],
)
def test_affix_stripping(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("anak-anaknya", "anak"),  # affixed reduplication
        ("berlari-lari", "lari"),
        ("sayur-mayur", "sayur"),  # rhyming reduplication
        ("bolak-balik", "bolak-balik"),  # compound of two words: kept whole
    ],
)
def test_hyphenated_words(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("dicomot", "comot"),  # di- on a root the corpus never shows
        ("menyeruput", "seruput"),  # meny- hides s
        ("kerukan", "keruk"),  # bare -an nominaliser
        ("pengerukan", "keruk"),  # peng+e hides k; pe-...-kan is no confix
        ("menjinjing", "jinjing"),  # ng is one consonant, not part of a cluster
        ("menyanggah", "sanggah"),
    ],
)
def test_rule_fallback_for_unattested_roots(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("kebersihan", "bersih"),  # bersih is a root, not ber-sih
        ("pertengahan", "tengah"),
        ("ketua", "ketua"),  # bare ke- is not productive
        ("berkerabat", "kerabat"),  # an inner ke- needs -an, like an outer one
        ("kesembilan", "kesembilan"),  # ordinal: the -an belongs to the numeral
    ],
)
def test_lexicalised_prefixed_roots(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("penonton", "tonton"),  # passive ditonton tells t from the colloquial nonton
        ("pengajuan", "aju"),  # diajukan: aju, not kaju
        ("ketidakpastian", "pasti"),  # ke-tidak-X-an
        ("prapembayaran", "bayar"),  # pra- on an affixed word
    ],
)
def test_general_morphology(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize("word", ["setiawan", "kurniawan", "distribusi", "digital"])
def test_fallback_spares_names_and_loans(word: str) -> None:
    assert stem(word) == word


@pytest.mark.parametrize("word", ["", "a", "123", "-", "--x", "1-2", "café", "x" * 80, "ß"])
def test_odd_input_never_raises(word: str) -> None:
    assert isinstance(stem(word), str)
    assert cached_stem(word) == stem(word)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Roots too rare in news text to stand alone, which the dictionary lists.
        ("meraup", "raup"),
        ("pengupasan", "kupas"),
        ("mengacu", "acu"),
        ("acuan", "acu"),
        ("mengerami", "eram"),
        ("memancing", "pancing"),
        # Headwords of their own, not prefix + a spurious remainder.
        ("pendeta", "pendeta"),
        ("perempuan", "perempuan"),
        ("median", "median"),
        ("konsonan", "konsonan"),
        ("dilema", "dilema"),
        # menge- before a longer root the dictionary knows.
        ("mengesampingkan", "samping"),
        ("mengetahui", "tahu"),
    ],
)
def test_root_dictionary_licenses_analyses(word: str, expected: str) -> None:
    assert stem(word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("sejauh", "jauh"),  # "as far as"
        ("seminggu", "minggu"),  # "one week"
        ("sekelompok", "kelompok"),
        ("sekembalinya", "kembali"),  # se-...-nya
        ("secara", "secara"),  # far more common than cara: a word of its own
        ("sekolah", "sekolah"),  # not se- + kolah
        ("setia", "setia"),
        ("senang", "senang"),
    ],
)
def test_se_prefix_needs_the_dictionary(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_dictionary_licence_check() -> None:
    assert stemmer._licensed("raup", "me", "")
    assert not stemmer._licensed("raup", "ber", "kan")
    assert not stemmer._licensed("deta", "pe", "")  # not a headword


def test_cached_stem_matches_stem() -> None:
    words = ["mengunjungi", "pengalaman", "bekasi", "dirinya"]
    assert [cached_stem(w) for w in words * 2] == [stem(w) for w in words * 2]


def _read_pairs(path: Path) -> list[tuple[str, str]]:
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines())
    return [(r[0], r[1]) for r in rows if len(r) >= 2 and not r[0].startswith("#")]


# Measured: 0.954 (Snowball 0.781, PySastrawi 0.931); the issue asks for 0.95. Most remaining
# misses are gold lemmas that keep an affix similar words drop (see the README's stemming table).
UD_DEV_FLOOR = 0.95


def test_ud_dev_accuracy_does_not_regress() -> None:
    path = SHARED_DATA / "stemming" / "ud-lemmas.dev.tsv"
    if not path.is_file():
        pytest.skip(f"evaluation data not found at {path} (needs ../shared/data)")
    pairs = _read_pairs(path)
    accuracy = sum(stem(w) == lemma for w, lemma in pairs) / len(pairs)
    assert accuracy >= UD_DEV_FLOOR, f"UD dev accuracy {accuracy:.3f} < {UD_DEV_FLOOR}"


def test_stemmer_beats_snowball_on_ud_dev() -> None:
    path = SHARED_DATA / "stemming" / "ud-lemmas.dev.tsv"
    snowball = pytest.importorskip("Stemmer", reason="PyStemmer is a benchmark extra").Stemmer(
        "indonesian"
    )
    if not path.is_file():
        pytest.skip(f"evaluation data not found at {path} (needs ../shared/data)")
    pairs = _read_pairs(path)
    ours = sum(stem(w) == lemma for w, lemma in pairs)
    theirs = sum(snowball.stemWord(w) == lemma for w, lemma in pairs)
    assert ours > theirs


def test_stemmer_works_without_the_root_dictionary(monkeypatch) -> None:
    # The dictionary is a separate LGPL-3 data file that an embedder may remove: the stemmer
    # then falls back on the corpus lexicon alone (UD dev 0.940 measured).
    monkeypatch.setattr(stemmer, "_dictionary", {})
    assert stem("mengunjungi") == stem("kunjungan") == "kunjung"
    assert stem("pengalaman") == stem("mengalami") == "alami"
    assert stem("bekasi") == "bekasi"
    assert stem("secara") == "secara"
    assert not stemmer._licensed("raup", "me", "")


def _reference_lists() -> tuple[dict[str, tuple[int, int]], dict[str, int]]:
    """The lexicon and the root dictionary parsed a line at a time, the plain way."""
    from searchlib.analysis.resources import read_lines

    lexicon: dict[str, tuple[int, int]] = {}
    for line in read_lines("roots-id.txt"):
        word, tab, rest = line.partition("\t")
        counts = stemmer._counts(rest) if tab else None
        if counts is not None:
            lexicon[word] = counts
    dictionary: dict[str, int] = {}
    for line in read_lines("roots-dictionary-id.txt"):
        row = line.split("\t")
        mask = stemmer._affix_mask(row[1] if len(row) > 1 else "")
        dictionary[row[0]] = dictionary.get(row[0], 0) | mask
    return lexicon, dictionary


def _fresh_lists(monkeypatch, files: dict[str, str] | None = None) -> None:
    """Make the stemmer load its lists again, from ``files`` (name -> text) where given."""
    from searchlib.analysis import resources

    monkeypatch.setattr(stemmer, "_lexicon", None)
    monkeypatch.setattr(stemmer, "_dictionary", None)
    if files:
        real = resources.read_lines

        def read_lines(name: str):
            if name not in files:
                return real(name)
            lines = [line.strip() for line in files[name].splitlines()]
            return iter([line for line in lines if line and line[0] != "#"])

        monkeypatch.setattr(stemmer, "read_lines", read_lines)


def test_word_lists_load_as_a_line_by_line_reading_does(monkeypatch) -> None:
    lexicon, dictionary = _reference_lists()
    _fresh_lists(monkeypatch)
    assert list(stemmer._load().items()) == list(lexicon.items())
    assert list(stemmer._load_dictionary().items()) == list(dictionary.items())
    assert len(dictionary) > 30_000


def test_word_list_loaders_keep_odd_lines(monkeypatch) -> None:
    # A headword on two lines takes the affixes of both; a third field is ignored; a lexicon
    # line with bad counts is skipped, and a later good line for a word wins.
    _fresh_lists(
        monkeypatch,
        {
            "roots-id.txt": "# header\nabu\t5\t1\nbatu\tx\ncari\t7\nabu\t9\t2\n",
            "roots-dictionary-id.txt": "raup\tm0\nraup\tbK\txmK\nbatu\t\n#x\tm0\n",
        },
    )
    assert stemmer._load() == {"abu": (9, 2), "cari": (7, 0)}
    dictionary = stemmer._load_dictionary()
    assert dictionary == {
        "raup": stemmer._affix_mask("m0") | stemmer._affix_mask("bK"),
        "batu": stemmer._affix_mask(""),
    }


def test_missing_root_dictionary_loads_empty(monkeypatch) -> None:
    def read_lines(name: str):
        raise FileNotFoundError(name)

    monkeypatch.setattr(stemmer, "_dictionary", None)
    monkeypatch.setattr(stemmer, "read_lines", read_lines)
    assert stemmer._load_dictionary() == {}
