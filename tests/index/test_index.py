"""Index round trip: create, add, update, delete, commit, reopen, and the errors on the way."""

from __future__ import annotations

import json
import threading

import pytest

from searchlib import (
    Document,
    Index,
    IndexExistsError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
)
from searchlib.index.manifest import MANIFEST_NAME


def doc(i: str, body: str = "Perusahaan Korea mengekspor mobil.", **kw) -> Document:
    return Document(id=i, body=body, **kw)


def test_round_trip_keeps_every_stored_field(tmp_path):
    original = Document(
        id="a1",
        title="Menlu AS dan Korsel",
        body="Menteri Luar Negeri bertemu.",
        date="2021-08-06",
        source="https://www.voaindonesia.com/a/1.html",
        fields={"category": "politik"},
    )
    with Index.create(tmp_path) as ix:
        ix.add(original)
        ix.commit()
    with Index.open(tmp_path) as ix:
        assert ix.doc_count() == 1
        assert ix.get("a1") == original
        assert "a1" in ix and "zz" not in ix
        assert ix.metadata_fields() == ["category"]


def test_uncommitted_adds_are_invisible_and_rollback_discards_them(tmp_path):
    with Index.create(tmp_path) as ix:
        ix.add(doc("a"))
        assert ix.doc_count() == 0
        ix.rollback()
        ix.commit()
        assert ix.doc_count() == 0
        ix.add(doc("b"))
        ix.commit()
        assert list(ix.ids()) == ["b"]


def test_update_replaces_by_id_and_delete_removes(tmp_path):
    with Index.create(tmp_path) as ix:
        ix.add([doc("a", "kata pertama"), doc("b", "kata kedua")])
        ix.commit()
        ix.update(doc("a", "isi baru tentang beras"))
        ix.commit()
        assert ix.doc_count() == 2
        assert ix.get("a").body == "isi baru tentang beras"
        assert [h.id for h in ix.search("beras").hits] == ["a"]
        assert ix.delete("b") == 1
        assert ix.delete("missing") == 0
        ix.commit()
        assert list(ix.ids()) == ["a"]


def test_open_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(IndexNotFoundError, match="does not exist"):
        Index.open(tmp_path / "nope")
    with pytest.raises(IndexNotFoundError, match="no index"):
        Index.open(tmp_path)


def test_create_refuses_to_clobber_an_existing_index(tmp_path):
    with Index.create(tmp_path) as ix:
        ix.add(doc("keep"))
        ix.commit()
    with pytest.raises(IndexExistsError):
        Index.create(tmp_path)
    with Index.open(tmp_path) as ix:
        assert list(ix.ids()) == ["keep"]
    with Index.create(tmp_path, overwrite=True) as ix:
        assert ix.doc_count() == 0


def test_second_writer_gets_index_locked_error_and_loses_nothing(tmp_path):
    with Index.create(tmp_path) as first:
        first.add(doc("a"))
        first.commit()
        first.add(doc("b"))  # first now holds the write lock
        second = Index.open(tmp_path, lock_timeout=0.2)
        with pytest.raises(IndexLockedError, match=str(tmp_path)):
            second.add(doc("c"))
        second.close()
        first.commit()
        assert sorted(first.ids()) == ["a", "b"]


def test_second_writer_waits_for_the_lock_within_its_timeout(tmp_path):
    with Index.create(tmp_path) as first:
        first.add(doc("a"))
        timer = threading.Timer(0.3, first.commit)
        timer.start()
        with Index.open(tmp_path, lock_timeout=5) as second:
            second.add(doc("b"))
            second.commit()
        timer.join()
    with Index.open(tmp_path) as ix:
        assert sorted(ix.ids()) == ["a", "b"]


def test_index_built_by_another_analyzer_is_refused_with_rebuild_advice(tmp_path):
    Index.create(tmp_path).close()
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    manifest["analyzer_fingerprint"] = "0000000000000000"
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest))
    with pytest.raises(IndexVersionError, match="reindex"):
        Index.open(tmp_path)


def test_metadata_fields_are_added_as_documents_bring_them(tmp_path):
    with Index.create(tmp_path) as ix:
        ix.add(doc("a", fields={"category": "Showbiz"}))
        ix.add(doc("b", fields={"category": "teknologi", "id": "clash"}))
        ix.commit()
        assert ix.metadata_fields() == ["category", "id"]
        assert [h.id for h in ix.search("category:showbiz").hits] == ["a"]


def test_documents_streams_every_stored_document_of_one_snapshot(tmp_path):
    with Index.create(tmp_path) as ix:
        ix.add([doc("a", date="2021", fields={"k": "v"}), doc("b", title="Judul"), doc("c")])
        ix.commit()
        ix.delete("c")
        ix.commit()
        documents = ix.documents()
        first = next(documents)
        # A commit made while the documents are read does not change what is read.
        ix.add(doc("d"))
        ix.delete("b")
        ix.commit()
        read = [first, *documents]
        assert sorted(d.id for d in read) == ["a", "b"]
        assert next(d for d in read if d.id == "a") == doc("a", date="2021", fields={"k": "v"})
        assert next(d for d in read if d.id == "b").title == "Judul"
        assert sorted(d.id for d in ix.documents()) == ["a", "d"]
