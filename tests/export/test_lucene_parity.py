"""Lucene running the exported analysis produces searchlib's tokens (term and position).

``benchmarks/lucene/Analyze.java`` builds each analyzer of
:func:`searchlib.export.analysis_settings` as a Lucene ``CustomAnalyzer`` from the factories
OpenSearch maps the components to, reading the rules files from a folder laid out as a node's
config directory; one JVM serves every text of a test. Needs Java and Debian's
``liblucene8-java`` (``.ci/run`` installs it): where either is missing the tests skip, saying
which. The seeds and one text per phenomenon must agree exactly; every IndoSum article (slow)
at least 99% of the (term, position) pairs. ``benchmarks/lucene_parity.py`` prints the same
comparison with the categories of the differences left.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

import lucene_parity  # noqa: E402

CLASSPATH, MISSING = lucene_parity.lucene_classpath()

needs_lucene = pytest.mark.skipif(CLASSPATH is None, reason=f"Lucene parity not checked: {MISSING}")

#: One text per phenomenon the export rebuilds (each mechanism, not particular words).
PHENOMENA = [
    # reduplication of every kind, with a stray space; compounds split; a spaced dash splits
    "di sela -sela KTT, anak2nya bermain bolak-balik, sayur-mayur, tarik-menarik, sebaik-baiknya,"
    " berlari-lari, anak-anaknya, warna-warni, mondar-mandir, lauk-pauk, pukul-memukul",
    "Perusahaan-perusahaan Jepang-Korea-AS dan Asia-Pasifik kata - kata, Asia-Melanesia, 1910-1945",
    "Kyung-wha, ber-ulang-ulang, se-Indonesia, berkata,\u00a0-kata, X-men, e-KTP, RI-1",
    # acronyms: case-aware (AS, DI only in capitals), any case (PBB), plural, shifting positions
    "Menlu AS bertemu PM Jepang; DI Yogyakarta dan di Jakarta; Korsel, KORSEL, korsel, Di sini",
    "LSM-LSM asing; PBB, Pbb dan pbb; AS-AS; as dan As; HAM-HAM",
    # numbers
    "80.000 orang, 1.250.000,5 rupiah, 57,8 persen, 1/2 jam, 14/01/20, 10.30 WIB, 2.5G dan 3.000",
    # old spelling and its exceptions, variants (also inside derived words)
    "Soekarno di Djakarta tahoen 1945: mendjadi, tjinta, sjarat, Njoto, rumahnja, achir, machluk,"
    " koefisien, China, Michael, snapchat, masjid, senja",
    "praktek, resiko, Cina, mempraktekkan, ijin, jaman",
    # stopwords: leading ones keep the first word's position, inner ones close their gap
    "Yang pertama, ada-ada saja: yang dan atau adalah",
    "Yang DI Yogyakarta",
    "dan AS",
    "Yang yang yang",
    "yang",
    # folding, apostrophes, combining marks; codes and shorthand
    "Jum'at Ma\u2019ruf Caf\u00e9 Bogot\u00e1 na\u00efve cafe\u0301 Z\u00fcrich",
    # letters asciifolding does not fold: the mapping char filter does as unidecode does
    "\u03bcm 178\u00ba \u5317\u4eac Stra\u00dfe \u00c6r\u00f8 x\u00b2 Caf\u00e9-caf\u00e9",
    "G7 PS2 ANAK2 Anak2 covid-19 apa2 saja paru\u00b2",
    "",
    "... \u2014 !!!",
]


@pytest.fixture(scope="module")
def lucene(tmp_path_factory: pytest.TempPathFactory) -> lucene_parity.LuceneAnalyzers:
    assert CLASSPATH is not None
    export = lucene_parity.write_export(tmp_path_factory.mktemp("config"))
    return lucene_parity.LuceneAnalyzers(CLASSPATH, export)


def _differences(parity: lucene_parity.Parity) -> str:
    return "\n".join(
        f"{name} / {category}: {parity.examples[(name, category)][:3]}"
        for (name, category) in parity.categories
    )


@needs_lucene
def test_lucene_with_the_export_agrees_on_the_seeds_and_every_phenomenon(
    lucene: lucene_parity.LuceneAnalyzers,
) -> None:
    texts = list(lucene_parity.seed_texts())
    assert len(texts) >= 5
    texts += [(f"phenomenon {i}", text) for i, text in enumerate(PHENOMENA)]
    parity = lucene_parity.compare(texts, lucene)
    for name in lucene_parity.ANALYZERS:
        assert parity.texts[name] == len(texts)
        assert parity.total[name] > 1000
    assert not parity.mismatched, _differences(parity)


@needs_lucene
def test_the_comparison_sees_a_broken_export(tmp_path: Path) -> None:
    """Without the reduplication char filter (or the stopword one) parity is lost: the check
    compares real tokens and would catch a regression of either mechanism."""
    assert CLASSPATH is not None
    export = lucene_parity.write_export(tmp_path / "config")
    settings_file = export / "settings.json"
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    analyzers = settings["settings"]["index"]["analysis"]["analyzer"]
    for spec in analyzers.values():
        spec["char_filter"] = [c for c in spec["char_filter"] if c != "searchlib_reduplication"]
    analyzers["searchlib_indonesian"]["char_filter"].remove("searchlib_stopwords")
    settings_file.write_text(json.dumps(settings), encoding="utf-8")
    broken = lucene_parity.LuceneAnalyzers(CLASSPATH, export)
    parity = lucene_parity.compare([("p", PHENOMENA[0]), ("q", PHENOMENA[8])], broken)
    assert parity.rate("searchlib_written") < 1.0
    assert parity.rate("searchlib_indonesian") < 0.9


@needs_lucene
def test_lucene_stock_indonesian_analyzer_differs(lucene: lucene_parity.LuceneAnalyzers) -> None:
    """Lucene's own IndonesianAnalyzer (the ``indonesian`` analyzer of both engines) is what
    the export replaces: it keeps reduplications split and expands no acronym."""
    [tokens] = lucene.tokens([("lucene_indonesian", "Perusahaan-perusahaan AS")])
    assert [t for t, _ in tokens] != ["usaha", "amerika", "serikat"]


@needs_lucene
@pytest.mark.slow
def test_lucene_with_the_export_agrees_on_every_indosum_article(
    lucene: lucene_parity.LuceneAnalyzers,
) -> None:
    if not lucene_parity.DATA.is_dir():
        pytest.skip(f"no evaluation data at {lucene_parity.DATA}")
    parity = lucene_parity.compare(lucene_parity.indosum_texts(), lucene)
    for name in lucene_parity.ANALYZERS:
        assert parity.texts[name] >= 3000
        assert parity.rate(name) >= 0.99, _differences(parity)
