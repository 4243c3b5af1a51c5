"""The exported analysis section is complete and self-consistent (no Java needed).

Token parity with Lucene itself is tests/export/test_lucene_parity.py; these check what a
cluster would refuse or silently misread: components named but not defined, ``*_path`` files
that are not written, rules files in a format the engines do not parse, bad options.
"""

from __future__ import annotations

import re

import pytest

from searchlib.analysis import IndonesianAnalyzer
from searchlib.errors import OptionError
from searchlib.export import analysis_settings, rules_files
from searchlib.export.analysis import lucene_spelling

BUILT_IN_FILTERS = {"lowercase"}


@pytest.mark.parametrize("flavour", ["opensearch", "elasticsearch"])
def test_every_component_an_analyzer_names_is_defined(flavour: str) -> None:
    settings = analysis_settings(flavour)  # type: ignore[arg-type]
    assert set(settings["analyzer"]) == {"searchlib_indonesian", "searchlib_written"}
    for spec in settings["analyzer"].values():
        assert spec["type"] == "custom"
        assert spec["tokenizer"] in settings["tokenizer"]
        assert all(name in settings["char_filter"] for name in spec["char_filter"])
        assert all(
            name in settings["filter"] or name in BUILT_IN_FILTERS for name in spec["filter"]
        )


def test_every_rules_path_is_a_written_file_in_the_engines_format() -> None:
    files = rules_files()
    settings = analysis_settings("opensearch", unknown_words="stem")
    paths = [
        value
        for component in [*settings["char_filter"].values(), *settings["filter"].values()]
        for key, value in component.items()
        if key.endswith("_path")
    ]
    assert sorted(set(paths)) == sorted(files)
    rule = re.compile(r"^[^\s=>][^=>]*\s=>\s\S.*$")
    for name, content in files.items():
        lines = [line for line in content.splitlines() if line and not line.startswith("#")]
        assert lines, name
        if name.endswith("stopwords.txt"):
            assert all(re.fullmatch(r"[a-z]+", line) for line in lines)
        else:
            bad = [line for line in lines if not rule.match(line)]
            assert not bad, (name, bad[:5])


def test_the_stem_rules_hold_searchlibs_stems() -> None:
    stems = dict(
        line.split(" => ")
        for line in rules_files()["searchlib/stems.txt"].splitlines()
        if not line.startswith("#")
    )
    assert len(stems) > 100_000
    analyzer = IndonesianAnalyzer()
    for word in ("perusahaan", "mengunjungi", "penjajahan", "pendekatannya", "mempraktekkan"):
        [token] = list(analyzer(word))
        assert stems[lucene_spelling(word)] == token.text


def test_bad_options_are_option_errors() -> None:
    with pytest.raises(OptionError, match="flavour"):
        analysis_settings("solr")  # type: ignore[arg-type]
    with pytest.raises(OptionError, match="unknown_words"):
        analysis_settings("opensearch", unknown_words="guess")  # type: ignore[arg-type]


def test_words_outside_the_rules_go_to_lucenes_stemmer_only_when_asked() -> None:
    keep = analysis_settings("opensearch")["analyzer"]["searchlib_indonesian"]["filter"]
    stem = analysis_settings("opensearch", unknown_words="stem")
    assert "searchlib_unknown_stem" not in keep
    assert stem["analyzer"]["searchlib_indonesian"]["filter"][-1] == "searchlib_unknown_stem"
    assert stem["filter"]["searchlib_unknown_stem"] == {"type": "stemmer", "language": "indonesian"}
