"""Incremental indexing: `sync` (and `searchlib index`) redo only what changed since last time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import searchlib.index.incremental as sync_module
from searchlib import Document, Index
from searchlib.cli import _duration, main
from searchlib.errors import DocumentError
from searchlib.index.incremental import SyncReport, sync


def article(title: str, body: str) -> str:
    return f"{title}\n\n{body}"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "beras.txt").write_text(
        article("Harga Beras Naik di Pasar Bekasi", "Harga beras naik lagi."), "utf-8"
    )
    (docs / "gempa.txt").write_text(
        article("Gempa Mengguncang Pesisir Selatan Jawa", "Gempa terasa di Cilacap."), "utf-8"
    )
    return docs


@pytest.fixture
def ix(tmp_path: Path):
    with Index.create(tmp_path / "ix") as index:
        yield index


def ids(index: Index, query: str) -> list[str]:
    return [hit.id for hit in index.search(query, snippets=False, suggest=False).hits]


def test_first_run_adds_every_file_and_says_so(ix, folder):
    report = sync(ix, [folder])
    assert [Path(p).name for p in report.added] == ["beras.txt", "gempa.txt"]
    assert report.documents_indexed == 2 and report.documents_total == 2
    assert report.summary() == "2 files added (2 documents); 2 documents in the index"


def test_unchanged_files_are_not_read_again(ix, folder, monkeypatch):
    sync(ix, [folder])
    read: list[str] = []
    real = sync_module.iter_documents

    def spy(paths, **kwargs):
        read.extend(str(p) for p in paths)
        return real(paths, **kwargs)

    monkeypatch.setattr(sync_module, "iter_documents", spy)
    report = sync(ix, [folder])
    assert read == []
    assert len(report.unchanged) == 2 and report.documents_indexed == 0
    assert ix.doc_count() == 2


def test_a_changed_file_is_reindexed_and_its_old_text_is_gone(ix, folder):
    sync(ix, [folder])
    (folder / "beras.txt").write_text(
        article("Harga Cabai Naik di Pasar Bekasi", "Harga cabai naik tajam."), "utf-8"
    )
    report = sync(ix, [folder])
    assert [Path(p).name for p in report.updated] == ["beras.txt"]
    assert [Path(p).name for p in report.unchanged] == ["gempa.txt"]
    assert ids(ix, "cabai") == ["beras"]
    assert ids(ix, "beras") == []
    assert ix.doc_count() == 2


def test_documents_of_deleted_files_are_removed(ix, folder):
    sync(ix, [folder])
    (folder / "gempa.txt").unlink()
    report = sync(ix, [folder])
    assert [Path(p).name for p in report.removed] == ["gempa.txt"]
    assert report.documents_removed == 1
    assert ids(ix, "gempa") == [] and ix.doc_count() == 1
    assert "1 file removed (1 document)" in report.summary()


def test_an_emptied_folder_removes_its_documents_without_an_error(ix, folder):
    sync(ix, [folder])
    for path in folder.iterdir():
        path.unlink()
    report = sync(ix, [folder])
    assert len(report.removed) == 2 and report.errors == []
    assert ix.doc_count() == 0


def test_other_folders_and_documents_added_directly_are_left_alone(ix, folder, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "banjir.txt").write_text(
        article("Banjir Melanda Kota Semarang Lagi", "Banjir setinggi lutut."), "utf-8"
    )
    sync(ix, [other])
    ix.add(Document(id="manual", body="Dokumen tambahan tentang pemilu."))
    ix.commit()
    report = sync(ix, [folder])
    assert report.removed == []
    assert ix.doc_count() == 4
    assert ids(ix, "banjir") == ["banjir"] and ids(ix, "pemilu") == ["manual"]


def test_a_corpus_file_is_replaced_record_by_record(ix, tmp_path):
    corpus = tmp_path / "berita.jsonl"
    records = [
        {"id": "a", "text": "Harga beras naik."},
        {"id": "b", "text": "Gempa di Cilacap."},
        {"id": "c", "text": "Banjir di Semarang."},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    assert sync(ix, [corpus]).documents_indexed == 3
    records = [records[0], {"id": "b", "text": "Gempa susulan di Cilacap."}]  # c is gone
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    report = sync(ix, [corpus])
    assert report.updated == [str(corpus)] and report.documents_indexed == 2
    assert sorted(ix.ids()) == ["a", "b"]
    assert ids(ix, "susulan") == ["b"]


def test_a_file_that_became_unreadable_keeps_its_documents(ix, folder):
    sync(ix, [folder])
    (folder / "beras.txt").write_bytes(b"\xff\xfe\x00binary\x00junk")
    errors: list[DocumentError] = []
    report = sync(ix, [folder], on_error=errors.append)
    assert [Path(e.path).name for e in errors] == ["beras.txt"]
    assert report.updated == [] and report.removed == []
    assert ids(ix, "beras") == ["beras"]


def test_without_on_error_the_first_bad_file_is_raised(ix, folder):
    (folder / "kosong.txt").write_text("")
    with pytest.raises(DocumentError):
        sync(ix, [folder])


def test_progress_is_reported_with_the_expected_total(ix, folder):
    calls: list[tuple[int, int, str]] = []
    sync(ix, [folder], progress=lambda done, total, stage: calls.append((done, total, stage)))
    assert calls[-1] == (2, 2, "committing")
    assert [c[0] for c in calls if c[2] == "indexing"] == [1, 2]


def test_summary_counts_documents_per_kind():
    report = SyncReport(added=["a"], updated=["b"], removed=["c", "d"], documents_indexed=5)
    report._added_docs = 3
    report.documents_removed = 7
    report.documents_total = 10
    assert report.summary() == (
        "1 file added (3 documents), 1 file updated (2 documents), "
        "2 files removed (7 documents); 10 documents in the index"
    )


def test_cli_index_twice_says_what_it_did(folder, tmp_path, capsys):
    index_dir = tmp_path / "cli-ix"
    assert main(["index", str(folder), "--index", str(index_dir), "--quiet"]) == 0
    assert "indexed 2 documents" in capsys.readouterr().err  # a summary: stderr
    assert main(["index", str(folder), "--index", str(index_dir), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "indexed 0 documents" in err and "2 files unchanged" in err


def test_duration_reads_like_a_clock():
    assert _duration(5) == "0:05"
    assert _duration(3600 + 61) == "1:01:01"


def test_reindex_keeps_the_file_each_document_came_from(folder, tmp_path):
    from searchlib.index.rebuild import reindex

    path = tmp_path / "ix2"
    with Index.create(path) as index:
        sync(index, [folder])
    manifest = json.loads((path / "searchlib.json").read_text())
    manifest["analyzer_fingerprint"] = "an older analyzer"
    (path / "searchlib.json").write_text(json.dumps(manifest))
    assert reindex(path) == 2
    (folder / "gempa.txt").unlink()
    with Index.open(path) as index:
        report = sync(index, [folder])
        # Before, reindex dropped the origins: the file was added again and the deleted
        # file's document stayed.
        assert [Path(p).name for p in report.unchanged] == ["beras.txt"]
        assert [Path(p).name for p in report.removed] == ["gempa.txt"]
        assert report.added == [] and report.documents_total == 1
        assert ids(index, "beras") and not ids(index, "gempa")
