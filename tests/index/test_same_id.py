"""Operations on one id apply in order within a batch: the last write wins, delete removes."""

from __future__ import annotations

import threading

import pytest

import searchlib.index.segments as segments
from searchlib import BufferedWriter, Document, Index


def doc(doc_id: str, version: str) -> Document:
    return Document(id=doc_id, body=f"Berita versi {version} tentang harga beras.")


def state(ix: Index) -> dict[str, str]:
    return {d: ix.get(d).body.split()[2] for d in ix.ids()}


@pytest.fixture(params=["in-process", "parallel"])
def writers(request, monkeypatch):
    """Both writers: the in-process one, and the parallel one with tiny batches."""
    if request.param == "parallel":
        monkeypatch.setattr(segments, "PARALLEL_MIN_DOCS", 1)
        real = segments.ParallelWriter.__init__

        def small(self, ix, procs, **kwargs):
            real(self, ix, procs, batch_size=3, **kwargs)

        monkeypatch.setattr(segments.ParallelWriter, "__init__", small)
        return {"workers": 2}
    return {"workers": 1}


def test_the_last_add_of_an_id_in_a_batch_wins(tmp_path, writers):
    with Index.create(tmp_path) as ix:
        ix.add(
            [doc("a", "1"), doc("b", "1"), doc("a", "2"), doc("c", "1"), doc("a", "3")], **writers
        )
        ix.commit()
        assert ix.doc_count() == 3 and sorted(ix.ids()) == ["a", "b", "c"]
        assert state(ix) == {"a": "3", "b": "1", "c": "1"}
        assert [h.id for h in ix.search("versi 3").hits][:1] == ["a"]


def test_delete_after_add_in_one_batch_removes_it(tmp_path, writers):
    with Index.create(tmp_path) as ix:
        ix.add([doc("keep", "1")] + [doc(f"x{n}", "1") for n in range(7)], **writers)
        ix.delete("x3")
        ix.add(doc("x3", "again"))
        ix.delete("x5")
        ix.commit()
        assert sorted(ix.ids()) == ["keep", "x0", "x1", "x2", "x3", "x4", "x6"]
        assert state(ix)["x3"] == "again"


def test_updates_and_deletes_of_committed_and_buffered_ids(tmp_path):
    with Index.create(tmp_path) as ix:
        ix.add([doc("a", "1"), doc("b", "1")])
        ix.commit()
        ix.update(doc("a", "2"))
        ix.update(doc("a", "3"))
        assert ix.delete("b") == 1
        ix.add(doc("b", "2"))
        ix.delete("b")
        ix.commit()
        assert state(ix) == {"a": "3"}


def test_buffered_writer_from_threads_keeps_the_last_operation_per_id(tmp_path):
    with Index.create(tmp_path) as ix:
        with BufferedWriter(ix, batch_size=50, interval=0.05) as writer:

            def work(t: int) -> None:
                for n in range(60):
                    writer.add(doc(f"t{t}-{n % 10}", f"{n}"))
                    if n % 7 == 0:
                        writer.delete(f"t{t}-{n % 10}")

            threads = [threading.Thread(target=work, args=(t,)) for t in range(3)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        # Per id the last operation: ids whose last operation was a delete are gone.
        expected = {}
        for t in range(3):
            for n in range(60):
                key = f"t{t}-{n % 10}"
                expected[key] = str(n)
                if n % 7 == 0:
                    expected.pop(key)
        assert state(ix) == expected


def test_a_document_that_fails_to_add_replaces_nothing(tmp_path, monkeypatch):
    real_add = segments.FastSegmentWriter._add

    def fail_on_v2(self, **fields):
        if "versi 2" in fields.get("body", ""):
            raise ValueError("cannot index this document")
        return real_add(self, **fields)

    monkeypatch.setattr(segments.FastSegmentWriter, "_add", fail_on_v2)
    with Index.create(tmp_path) as ix:
        ix.add(doc("a", "1"), workers=1)
        with pytest.raises(ValueError, match="cannot index"):
            ix.add(doc("a", "2"), workers=1)
        ix.add(doc("b", "1"), workers=1)
        ix.commit()
        assert state(ix) == {"a": "1", "b": "1"}
