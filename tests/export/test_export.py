"""export_opensearch and ``searchlib export``: settings, mappings, rules files and bulk NDJSON.

Checked on the seeds and on a JSONL corpus: every file is written and is valid JSON, the mappings
use only analyzers and normalizers the settings define, every ``*_path`` the settings name is a
rules file written, every bulk line parses, and every document of the index appears exactly once
with all its fields. Bad input (no index, a non-empty or unwritable folder) is a searchlib error
and leaves the index and other people's files alone.
"""

from __future__ import annotations

import errno
import json
import os
import tracemalloc
from pathlib import Path

import pytest

from searchlib import (
    Document,
    ExportError,
    ExportReport,
    Index,
    IndexCorruptError,
    IndexNotFoundError,
    OptionError,
    Ranking,
    export_opensearch,
    iter_documents,
)
from searchlib.cli import main
from searchlib.export import (
    analysis_settings,
    bulk_lines,
    document_source,
    index_body,
    index_mappings,
    rules_files,
)
from tests.conftest import SHARED_DATA
from tests.export.test_query_dsl import CORPUS


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    corpus = folder / "berita.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in CORPUS), encoding="utf-8")
    with Index.create(folder / "ix") as ix:
        ix.add(iter_documents([corpus]))
        ix.commit()
    return folder / "ix"


def read_bulk(out: Path, report: ExportReport) -> list[tuple[dict, dict]]:
    """The (action, source) pairs of every bulk file, checking the NDJSON framing."""
    pairs = []
    for name in report.bulk:
        data = (out / name).read_bytes()
        assert data.endswith(b"\n")
        lines = data.decode("utf-8").split("\n")[:-1]
        # One JSON value per line, whatever a reader counts as a line break.
        assert len(data.decode("utf-8").splitlines()) == len(lines)
        assert len(lines) % 2 == 0
        for action, source in zip(lines[::2], lines[1::2], strict=True):
            pairs.append((json.loads(action), json.loads(source)))
    return pairs


def _paths(settings: object) -> set[str]:
    """Every ``*_path`` value in the analysis settings."""
    found: set[str] = set()
    if isinstance(settings, dict):
        for key, value in settings.items():
            if key.endswith("_path") and isinstance(value, str):
                found.add(value)
            else:
                found |= _paths(value)
    elif isinstance(settings, list):
        for value in settings:
            found |= _paths(value)
    return found


def _analyzers_used(mapping: object) -> tuple[set[str], set[str]]:
    analyzers, normalizers = set(), set()
    if isinstance(mapping, dict):
        for key, value in mapping.items():
            if key in ("analyzer", "search_analyzer") and isinstance(value, str):
                analyzers.add(value)
            elif key == "normalizer" and isinstance(value, str):
                normalizers.add(value)
            else:
                a, n = _analyzers_used(value)
                analyzers |= a
                normalizers |= n
    elif isinstance(mapping, list):
        for value in mapping:
            a, n = _analyzers_used(value)
            analyzers |= a
            normalizers |= n
    return analyzers, normalizers


def check_export(index_dir: Path, out: Path, report: ExportReport, flavour: str) -> None:
    """Everything an export folder must hold for the index at ``index_dir``."""
    assert report.flavour == flavour
    body = json.loads((out / "settings.json").read_text(encoding="utf-8"))
    assert body == json.loads(json.dumps(index_body(flavour, metadata=_metadata(index_dir))))
    analysis = body["settings"]["index"]["analysis"]
    assert analysis == {**analysis_settings(flavour), "normalizer": analysis["normalizer"]}
    used_analyzers, used_normalizers = _analyzers_used(body["mappings"])
    assert used_analyzers == {"searchlib_indonesian", "searchlib_written"}
    assert used_analyzers <= set(analysis["analyzer"])
    assert used_normalizers <= set(analysis["normalizer"])
    rules = rules_files()
    assert sorted(report.rules) == sorted(rules)
    assert _paths(analysis) <= set(rules), "the settings name a file the export did not write"
    for name, content in rules.items():
        assert (out / name).read_text(encoding="utf-8").rstrip("\n") == content.rstrip("\n")
    marker = json.loads((out / "searchlib-export.json").read_text(encoding="utf-8"))
    assert marker["complete"] and marker["documents"] == report.documents
    assert marker["files"] == report.files()
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert written == set(report.files())

    pairs = read_bulk(out, report)
    with Index.open(index_dir) as ix:
        assert report.documents == len(pairs) == ix.doc_count()
        ids = [source["id"] for _, source in pairs]
        assert sorted(ids) == sorted(ix.ids()) and len(set(ids)) == len(ids)
        for action, source in pairs:
            assert action == {"index": {"_id": source["id"]}}
            assert source == document_source(ix.get(source["id"]))


def _metadata(index_dir: Path) -> list[str]:
    with Index.open(index_dir) as ix:
        return ix.metadata_fields()


@pytest.mark.parametrize("flavour", ["opensearch", "elasticsearch"])
def test_the_seeds_export_settings_mappings_rules_and_every_document(
    seed_index_path, tmp_path, flavour
):
    out = tmp_path / "export"
    report = export_opensearch(seed_index_path, out, flavour=flavour)
    assert report.documents == 5 and report.bulk == ["bulk/documents-00001.ndjson"]
    check_export(seed_index_path, out, report, flavour)


def test_a_jsonl_corpus_exports_its_metadata_dates_and_sources(corpus_index, tmp_path):
    out = tmp_path / "export"
    report = export_opensearch(corpus_index, out)
    check_export(corpus_index, out, report, "opensearch")
    sources = {source["id"]: source for _, source in read_bulk(out, report)}
    assert sources["k4"] == {
        "id": "k4",
        "title": "Menteri bertemu",
        "body": "Menteri Luar Negeri AS bertemu Menlu Jepang.",
        "date": "2022-11-02",
        "year": "2022",
        "source": "https://www.antaranews.com/berita/1",
        "site": "antaranews.com",
        "meta_category": "politik",
    }
    assert "date" not in sources["k3"] and "title" not in sources["k3"]
    properties = json.loads((out / "settings.json").read_text())["mappings"]["properties"]
    assert properties["meta_category"] == {
        "type": "keyword",
        "ignore_above": 8191,
        "normalizer": "searchlib_keyword",
    }


def test_the_mappings_carry_searchlib_fields_types_and_boosts():
    mappings = index_mappings(ranking=Ranking(title_boost=3.0, exact_boost=0.25), metadata=["A b"])
    props = mappings["properties"]
    assert set(props) == {"id", "title", "body", "date", "year", "source", "site", "meta_a_b"}
    for text in ("title", "body"):
        assert props[text] == {
            "type": "text",
            "analyzer": "searchlib_indonesian",
            "fields": {"exact": {"type": "text", "analyzer": "searchlib_written"}},
        }
    assert props["date"]["type"] == "date" and props["date"]["ignore_malformed"] is True
    assert props["date"]["format"] == "strict_date||strict_year_month||strict_year"
    assert props["site"]["normalizer"] == "searchlib_keyword" and props["year"]["type"] == "keyword"
    meta = mappings["_meta"]["searchlib"]
    assert meta["field_boosts"] == {
        "title": 3.0,
        "body": 1.0,
        "title.exact": 0.75,
        "body.exact": 0.25,
    }
    assert mappings["dynamic_templates"][0]["searchlib_metadata"]["match"] == "meta_*"
    similarity = index_body("opensearch", ranking=Ranking(k1=0.9, b=0.4))["settings"]["index"]
    assert similarity["similarity"] == {"default": {"type": "BM25", "k1": 0.9, "b": 0.4}}


def test_ids_are_written_safely(tmp_path):
    odd = [
        'kutip"an',
        "garis\\miring",
        "baris\u2028pemisah",
        "paragraf\u2029pemisah",
        "jalan-jalan ke Medan ☕",
        '{"index":{"_id":"x"}}',
        "panjang-" + "é" * 400,  # 808 bytes of UTF-8: over the 512 the engines allow
    ]
    with Index.create(tmp_path / "ix") as ix:
        ix.add([Document(id=i, body=f"Isi {n}.\n\u2028Baris\x85kedua.") for n, i in enumerate(odd)])
        ix.commit()
    out = tmp_path / "out"
    report = export_opensearch(tmp_path / "ix", out)
    pairs = read_bulk(out, report)
    assert sorted(source["id"] for _, source in pairs) == sorted(odd)
    assert report.long_ids == 1
    long_id = next(a["index"]["_id"] for a, s in pairs if s["id"].startswith("panjang-"))
    assert long_id.startswith("sl-") and len(long_id.encode()) <= 512
    assert all(a["index"]["_id"] == s["id"] for a, s in pairs if not s["id"].startswith("panj"))
    # The same long id gets the same _id every time, so a second import replaces.
    again = export_opensearch(tmp_path / "ix", tmp_path / "again")
    assert long_id in (tmp_path / "again" / again.bulk[0]).read_text(encoding="utf-8")


def test_bulk_files_are_split_at_the_size_limit_without_splitting_a_document(tmp_path):
    with Index.create(tmp_path / "ix") as ix:
        ix.add([Document(id=f"d{n:03d}", body="Harga beras naik. " * 20) for n in range(120)])
        ix.commit()
    report = export_opensearch(tmp_path / "ix", tmp_path / "out", max_bulk_bytes=4096)
    assert len(report.bulk) > 5
    for name in report.bulk:
        size = (tmp_path / "out" / name).stat().st_size
        assert 0 < size <= 4096
    pairs = read_bulk(tmp_path / "out", report)
    assert sorted(s["id"] for _, s in pairs) == [f"d{n:03d}" for n in range(120)]


def test_deleted_documents_are_not_exported(tmp_path):
    with Index.create(tmp_path / "ix") as ix:
        ix.add([Document(id=i, body="Harga beras naik.") for i in ("a", "b", "c")])
        ix.commit()
        ix.delete("b")
        ix.update(Document(id="c", body="Harga cabai turun."))
        ix.commit()
    report = export_opensearch(tmp_path / "ix", tmp_path / "out")
    sources = [s for _, s in read_bulk(tmp_path / "out", report)]
    assert [(s["id"], s["body"]) for s in sorted(sources, key=lambda s: s["id"])] == [
        ("a", "Harga beras naik."),
        ("c", "Harga cabai turun."),
    ]


def test_a_date_the_cluster_cannot_read_is_counted_and_the_document_kept(tmp_path, monkeypatch):
    # Document refuses such a date and older indexes read theirs back as ISO or not at all, so
    # only a stream from elsewhere could carry one: simulated by bypassing the validation.
    with Index.create(tmp_path / "ix") as ix:
        ix.add([Document(id="a", body="Isi.", date="2019-02"), Document(id="b", body="Isi.")])
        ix.commit()
    real = Index.documents

    def documents(self):
        for document in real(self):
            if document.id == "a":
                object.__setattr__(document, "date", "2019-02-30")
            yield document

    monkeypatch.setattr(Index, "documents", documents)
    report = export_opensearch(tmp_path / "ix", tmp_path / "out")
    assert report.documents == 2 and report.undated_in_cluster == 1
    assert "1 dates the cluster cannot read" in report.summary()


def test_the_export_streams_documents_in_constant_memory(tmp_path):
    # The export holds one document at a time: the memory it allocates does not grow with the
    # index (an index of 300,000 documents must not be read into memory). Holding the 800 more
    # documents of the larger index would take about 2.5 MB more.
    body = "Harga beras naik menjelang Lebaran di pasar induk. " * 40
    for count in (100, 900):
        with Index.create(tmp_path / f"ix{count}", durable=False) as ix:
            ix.add([Document(id=f"d{n}", body=f"{n} {body}") for n in range(count)], workers=1)
            ix.commit()
    export_opensearch(tmp_path / "ix100", tmp_path / "warm-up")  # imports, cached rules
    peaks = []
    for count in (100, 900):
        tracemalloc.start()
        export_opensearch(tmp_path / f"ix{count}", tmp_path / f"out{count}")
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert (tmp_path / "out900" / "bulk" / "documents-00001.ndjson").stat().st_size > 1_800_000
    assert peaks[1] < peaks[0] + 1_000_000, peaks


# -- bad input -------------------------------------------------------------------------------


def test_no_index_is_a_clear_error_and_writes_nothing(tmp_path, monkeypatch):
    # Found before the rules files (seconds of CPU the first time) are built.
    def not_needed(*args, **kwargs):
        raise AssertionError("the rules were built for an export that cannot run")

    monkeypatch.setattr("searchlib.export.writer.rules_files", not_needed)
    monkeypatch.setattr("searchlib.export.writer.analysis_settings", not_needed)
    with pytest.raises(IndexNotFoundError, match="no index at"):
        export_opensearch(tmp_path / "missing", tmp_path / "out")
    (tmp_path / "empty").mkdir()
    with pytest.raises(IndexNotFoundError):
        export_opensearch(tmp_path / "empty", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_folder_inside_the_index_is_refused(seed_index_path):
    # Files in the index directory could be taken for the index's own leftovers.
    before = sorted(p.name for p in seed_index_path.iterdir())
    with pytest.raises(ExportError, match="inside the index"):
        export_opensearch(seed_index_path, seed_index_path / "export")
    assert sorted(p.name for p in seed_index_path.iterdir()) == before


def test_a_non_empty_folder_is_refused_and_left_alone(seed_index_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "catatan.txt").write_text("punya saya", encoding="utf-8")
    with pytest.raises(ExportError, match="not empty"):
        export_opensearch(seed_index_path, out)
    # Even with overwrite: a folder searchlib did not write is never emptied.
    with pytest.raises(ExportError, match="holds no earlier searchlib export"):
        export_opensearch(seed_index_path, out, overwrite=True)
    assert [p.name for p in out.iterdir()] == ["catatan.txt"]


def test_overwrite_replaces_an_earlier_export_and_its_stale_bulk_files(tmp_path):
    index_dir, out = tmp_path / "ix", tmp_path / "out"
    with Index.create(index_dir) as ix:
        ix.add([Document(id=f"d{n}", body="Harga beras naik. " * 10) for n in range(30)])
        ix.commit()
    first = export_opensearch(index_dir, out, max_bulk_bytes=1024)
    assert len(first.bulk) > 1
    with pytest.raises(ExportError, match="overwrite"):
        export_opensearch(index_dir, out, flavour="elasticsearch")
    second = export_opensearch(index_dir, out, flavour="elasticsearch", overwrite=True)
    assert second.bulk == ["bulk/documents-00001.ndjson"]
    check_export(index_dir, out, second, "elasticsearch")  # no file of the first is left


def test_a_file_or_an_unwritable_folder_is_an_export_error(seed_index_path, tmp_path, monkeypatch):
    target = tmp_path / "a-file"
    target.write_text("x")
    with pytest.raises(ExportError, match="is a file"):
        export_opensearch(seed_index_path, target)
    with pytest.raises(ExportError, match="cannot write the export"):
        export_opensearch(seed_index_path, target / "below")
    before = sorted((p.name, p.stat().st_size) for p in seed_index_path.iterdir())

    real_open = Path.open

    def read_only(self, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", read_only)
    with pytest.raises(ExportError, match="Read-only file system") as raised:
        export_opensearch(seed_index_path, tmp_path / "ro")
    assert isinstance(raised.value, OSError)
    monkeypatch.undo()
    assert sorted((p.name, p.stat().st_size) for p in seed_index_path.iterdir()) == before


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere"
)
def test_a_folder_this_user_may_not_write_is_an_export_error(seed_index_path, tmp_path):
    out = tmp_path / "locked"
    out.mkdir(mode=0o555)
    try:
        with pytest.raises(ExportError, match="may not write"):
            export_opensearch(seed_index_path, out)
    finally:
        out.chmod(0o755)


def test_a_damaged_index_is_its_own_error_and_the_export_stays_marked_incomplete(
    seed_index_path, tmp_path, monkeypatch
):
    real = Index.documents

    def damaged(self):
        documents = real(self)
        yield next(documents)
        raise IndexCorruptError("the index at ix is damaged (simulated)")

    monkeypatch.setattr(Index, "documents", damaged)
    with pytest.raises(IndexCorruptError, match="simulated"):
        export_opensearch(seed_index_path, tmp_path / "out")
    marker = json.loads((tmp_path / "out" / "searchlib-export.json").read_text(encoding="utf-8"))
    assert marker["complete"] is False
    monkeypatch.undo()
    # The half-written export is searchlib's own, so overwrite replaces it.
    report = export_opensearch(seed_index_path, tmp_path / "out", overwrite=True)
    check_export(seed_index_path, tmp_path / "out", report, "opensearch")


def test_words_outside_the_stem_rules_can_go_to_lucenes_stemmer(seed_index_path, tmp_path):
    report = export_opensearch(seed_index_path, tmp_path / "out", unknown_words="stem")
    body = json.loads((tmp_path / "out" / report.settings).read_text(encoding="utf-8"))
    analysis = body["settings"]["index"]["analysis"]
    assert (
        analysis == index_body("opensearch", unknown_words="stem")["settings"]["index"]["analysis"]
    )
    assert analysis != index_body("opensearch")["settings"]["index"]["analysis"]
    with pytest.raises(OptionError, match="unknown_words"):
        export_opensearch(seed_index_path, tmp_path / "other", unknown_words="lemma")
    assert not (tmp_path / "other").exists()


def test_bad_options_are_searchlib_errors(seed_index_path, tmp_path):
    with pytest.raises(OptionError, match="unknown flavour 'solr'"):
        export_opensearch(seed_index_path, tmp_path / "out", flavour="solr")
    with pytest.raises(OptionError, match="overwrite must be True or False"):
        export_opensearch(seed_index_path, tmp_path / "out", overwrite="yes")
    with pytest.raises(OptionError, match="max_bulk_bytes must be at least 1024"):
        export_opensearch(seed_index_path, tmp_path / "out", max_bulk_bytes=10)
    assert not (tmp_path / "out").exists()


# -- the command -----------------------------------------------------------------------------


def test_cli_export_writes_the_folder_and_reports(seed_index_path, tmp_path, capsys):
    out = tmp_path / "os"
    code = main(["export", "opensearch", "--index", str(seed_index_path), "--out", str(out)])
    printed = capsys.readouterr()  # a summary: on stderr, like index's (stdout is for data)
    assert code == 0 and printed.out == ""
    assert printed.err.startswith(f"exported 5 documents for opensearch into {out}: settings.json")
    code = main(
        [
            *("export", "elasticsearch", "--index", str(seed_index_path), "--out", str(out)),
            *("--overwrite", "--json"),
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["flavour"] == "elasticsearch" and report["documents"] == 5
    assert report["files"][0] == "settings.json" and report["files"][-1] == "searchlib-export.json"
    assert all((out / name).is_file() for name in report["files"])


def test_cli_export_errors_are_one_line_and_exit_1(seed_index_path, tmp_path, capsys):
    code = main(["export", "opensearch", "--index", str(tmp_path / "nope"), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("searchlib: error: no index at")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    code = main(
        ["export", "opensearch", "--index", str(seed_index_path), "--out", str(tmp_path / "full")]
    )
    err = capsys.readouterr().err
    assert code == 1 and "not empty" in err and err.count("\n") == 1


def test_bulk_lines_stream_what_the_bulk_files_hold(seed_index_path, tmp_path):
    report = export_opensearch(seed_index_path, tmp_path / "out")
    with Index.open(seed_index_path) as ix:
        streamed = "".join(line + "\n" for line in bulk_lines(ix))
    assert streamed == (tmp_path / "out" / report.bulk[0]).read_text(encoding="utf-8")


@pytest.mark.slow  # indexes the 3,463 IndoSum articles (about a minute)
def test_every_indosum_article_is_exported_once_with_its_fields(tmp_path):
    corpus = SHARED_DATA / "indosum" / "docs.jsonl"
    if not corpus.is_file():
        pytest.skip(f"{corpus} is missing (the shared evaluation data, see docs/development.md)")
    with Index.create(tmp_path / "ix", durable=False) as ix:
        ix.add(iter_documents([corpus]))
        ix.commit()
    report = export_opensearch(tmp_path / "ix", tmp_path / "out", max_bulk_bytes=1_000_000)
    assert report.documents == 3463 and len(report.bulk) > 5
    check_export(tmp_path / "ix", tmp_path / "out", report, "opensearch")
