"""An index built by an earlier release opens and searches; the fingerprint ignores code moves.

``fixtures/index-0.1`` was built by searchlib 0.1.0 as released (commit 6640d5f, before the
package was split into subpackages and before the fingerprint hashed tokens): three commits,
one delete. It must keep opening: the analysis fingerprint hashes
what decides tokens (the analyzer version, the word lists, the tokens of a probe text), never
where the code lives, and pickled class paths in its table of contents must still resolve.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import whoosh

import searchlib
from searchlib import Index
from searchlib.analysis.fingerprint import analyzer_fingerprint, fingerprint_matches

FIXTURE = Path(__file__).parent / "fixtures" / "index-0.1"
PACKAGE = Path(searchlib.__file__).parent


@pytest.fixture
def old_index(tmp_path: Path) -> Path:
    if whoosh.__version__ < (5,):
        pytest.skip(
            "the fixture was written by whoosh-ng 5.4, whose segment format classic Whoosh "
            f"{whoosh.versionstring()} cannot read (a whoosh-ng index never opens there)"
        )
    copy = tmp_path / "ix"
    shutil.copytree(FIXTURE, copy)
    return copy


def test_index_built_by_release_0_1_opens_and_searches(old_index: Path) -> None:
    with Index.open(old_index) as ix:
        assert ix.doc_count() == 3
        assert sorted(ix.ids()) == ["a", "b", "c"]
        assert [h.id for h in ix.search("amerika serikat").hits] == ["a"]
        assert [h.id for h in ix.search('"Soekarno mengunjungi"').hits] == ["b"]
        assert ix.search("sukarno").hits[0].snippet.startswith("**Soekarno**")
        assert ix.search("category:politik").total == 1
        assert ix.get("b").body.endswith("bersejarah lagi.")  # the update replaced it
        assert ix.get("a").fields == {"category": "politik"}


def test_index_built_by_release_0_1_takes_new_writes(old_index: Path) -> None:
    with Index.open(old_index) as ix:
        ix.add(searchlib.Document(id="d", body="Presiden Jokowi meresmikan jembatan."))
        ix.commit()
    with Index.open(old_index) as ix:
        assert ix.doc_count() == 4
        assert [h.id for h in ix.search("peresmian jembatan").hits] == ["d"]


def test_index_built_by_release_0_1_checks_acronym_phrases_on_positions(old_index: Path) -> None:
    """0.1 indexed no phrase lists: it opens without the field, and its phrases (and those of
    documents added to it) are checked on positions until ``reindex`` adds the lists."""
    from searchlib.index.phrases import PHRASES
    from searchlib.index.rebuild import reindex

    queries = ["AS", "Menlu Korsel", "korea selatan", '"Menteri Luar Negeri"']
    with Index.open(old_index) as ix:
        assert PHRASES not in ix._searcher().schema
        ix.add(searchlib.Document(id="d", body="Menteri Luar Negeri Korea Selatan tiba."))
        ix.commit()
        before = {q: [(h.id, h.score) for h in ix.search(q).hits] for q in queries}
    assert [i for i, _ in before["AS"]] == ["a"]
    assert {"a", "d"} <= {i for i, _ in before["Menlu Korsel"]}
    assert reindex(old_index) == 4
    manifest = json.loads((old_index / "searchlib.json").read_text(encoding="utf-8"))
    assert PHRASES in manifest["schema"]
    with Index.open(old_index) as ix:
        assert PHRASES in ix._searcher().schema
        after = {q: [(h.id, h.score) for h in ix.search(q).hits] for q in queries}
    assert {q: [i for i, _ in hits] for q, hits in after.items()} == {
        q: [i for i, _ in hits] for q, hits in before.items()
    }


def test_fingerprint_release_0_1_recorded_names_this_analysis() -> None:
    manifest = json.loads((FIXTURE / "searchlib.json").read_text(encoding="utf-8"))
    assert manifest["analyzer"] == analyzer_fingerprint()[0]
    assert fingerprint_matches(manifest["analyzer_fingerprint"])
    assert not fingerprint_matches("378e01424d489ee5")


def _fingerprint_of(package_copy: Path) -> str:
    code = (
        "from searchlib.analysis.fingerprint import analyzer_fingerprint;"
        " print(analyzer_fingerprint()[1])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=package_copy.parent,
        env={"PYTHONPATH": str(package_copy.parent), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "searchlib"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_fingerprint_ignores_comments_and_moved_code(package_copy: Path) -> None:
    original = _fingerprint_of(package_copy)
    for module in package_copy.joinpath("analysis").glob("*.py"):
        module.write_text(module.read_text(encoding="utf-8") + "\n# a comment\n", "utf-8")
    assert _fingerprint_of(package_copy) == original == analyzer_fingerprint()[1]


def test_fingerprint_changes_with_a_word_list(package_copy: Path) -> None:
    original = _fingerprint_of(package_copy)
    stopwords = package_copy / "analysis" / "data" / "stopwords-tala.txt"
    stopwords.write_text(stopwords.read_text(encoding="utf-8") + "jembatan\n", "utf-8")
    assert _fingerprint_of(package_copy) != original


def test_fingerprint_ignores_word_list_comments(package_copy: Path) -> None:
    original = _fingerprint_of(package_copy)
    acronyms = package_copy / "analysis" / "data" / "acronyms.txt"
    acronyms.write_text("# a new header line\n" + acronyms.read_text(encoding="utf-8"), "utf-8")
    assert _fingerprint_of(package_copy) == original


def test_fingerprint_changes_with_a_rule(package_copy: Path) -> None:
    """A rule changed without a version bump still shows in the probe text's tokens."""
    original = _fingerprint_of(package_copy)
    filters = next(package_copy.joinpath("analysis").rglob("filters.py"))
    source = filters.read_text(encoding="utf-8")
    assert '("oe", "u")' in source
    filters.write_text(source.replace('("oe", "u")', '("oe", "oe")'), "utf-8")
    assert _fingerprint_of(package_copy) != original
