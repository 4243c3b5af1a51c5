"""The fast indexing paths give exactly what the plain ones give: analysis, pool, parallel."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from whoosh import formats
from whoosh.writing import SegmentWriter

import searchlib.index.core as index_module
import searchlib.index.segments as indexing
from searchlib import Document, Index, iter_documents
from searchlib.index.schema import build_schema
from tests.analysis.test_fast_path import ANALYZERS, TEXT

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@settings(max_examples=100, deadline=None)
@given(text=TEXT)
def test_positions_format_indexes_what_the_token_path_indexes(text):
    field_format = build_schema()["body"].format
    for analyzer in ANALYZERS:
        fast = list(field_format.word_values(text, analyzer, mode="index"))
        tokens = list(formats.Positions.word_values(field_format, text, analyzer, mode="index"))
        assert fast == tokens


def postings(path: Path) -> tuple[dict, dict, dict]:
    """Every posting (by document id), stored document and field length of an index."""
    with Index.open(path) as ix:
        reader = ix._searcher().reader()
        ids = {n: reader.stored_fields(n)["id"] for n in reader.all_doc_ids()}
        found = {}
        for field in reader.indexed_field_names():
            for term in reader.lexicon(field):
                matcher = reader.postings(field, term)
                items = []
                while matcher.is_active():
                    items.append((ids[matcher.id()], matcher.weight(), matcher.value() or b""))
                    matcher.next()
                found[field, term] = sorted(items)
        stored = {ids[n]: reader.stored_fields(n) for n in reader.all_doc_ids()}
        lengths = {
            (ids[n], f): reader.doc_field_length(n, f)
            for n in reader.all_doc_ids()
            for f in ("title", "body", "title_exact", "body_exact")
        }
    return found, stored, lengths


def scores(path: Path, query: str) -> list[tuple[str, float]]:
    with Index.open(path) as ix:
        hits = ix.search(query, limit=1000, snippets=False, suggest=False).hits
    return sorted((hit.id, round(hit.score, 6)) for hit in hits)


def build(path: Path, documents: list[Document], **kwargs) -> Path:
    with Index.create(path) as ix:
        ix.add(documents, **kwargs)
        ix.commit()
    return path


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    seeds = list(iter_documents([SEEDS], format="text"))
    # Many small documents made from the seeds' sentences, so segments hold shared terms.
    out = list(seeds)
    for n, seed in enumerate(seeds):
        for k, sentence in enumerate(seed.body.split(". ")[:12]):
            out.append(Document(id=f"{n}-{k}", body=sentence, title=seed.title, date=seed.date))
    return out


@pytest.fixture(scope="module")
def plain_index(tmp_path_factory, documents) -> Path:
    path = tmp_path_factory.mktemp("plain")
    original = index_module.new_writer
    index_module.new_writer = lambda ix, procs=1, **kw: SegmentWriter(ix, **kw)
    try:
        return build(path, documents, workers=1)
    finally:
        index_module.new_writer = original


def test_compact_pool_writes_the_same_index_as_whoosh(tmp_path, documents, plain_index):
    fast = build(tmp_path / "fast", documents, workers=1)
    assert postings(fast) == postings(plain_index)


def test_compact_pool_spilling_to_disk_writes_the_same_index(
    tmp_path, documents, plain_index, monkeypatch
):
    monkeypatch.setattr(indexing, "DEFAULT_POOL_MB", 0)  # spill every few postings
    monkeypatch.setattr(
        index_module,
        "new_writer",
        lambda ix, procs=1, **kw: indexing.FastSegmentWriter(ix, limitmb=0, **kw),
    )
    assert postings(build(tmp_path / "spill", documents, workers=1)) == postings(plain_index)


def test_parallel_indexing_writes_the_same_documents_and_postings(
    tmp_path, documents, plain_index, monkeypatch
):
    monkeypatch.setattr(indexing, "PARALLEL_MIN_DOCS", 10)
    monkeypatch.setattr(indexing.ParallelWriter, "__init__", _small_batches)
    path = build(tmp_path / "parallel", documents, workers=2)
    assert postings(path) == postings(plain_index)
    for query in ("Nakatani", "menteri pertahanan", '"kerja sama"'):
        assert scores(path, query) == scores(plain_index, query)
    assert not [p for p in os.listdir(path) if p.endswith(".tmp")]


_real_init = indexing.ParallelWriter.__init__


def _small_batches(self, ix, procs, **kwargs):
    kwargs["batch_size"] = 7
    _real_init(self, ix, procs, **kwargs)


def test_small_batches_stay_in_this_process(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(
        indexing.ParallelWriter, "_start_workers", lambda self: started.append(self)
    )
    build(tmp_path / "small", [Document(id="a", body="Harga beras naik.")], workers=4)
    assert started == []


def _failing_add(self, **fields):
    if fields.get("id") == "bad":
        raise ValueError("cannot index this document")
    return _real_add(self, **fields)


_real_add = indexing.FastSegmentWriter.add_document


def test_a_worker_error_fails_the_commit_and_leaves_the_index_as_it_was(
    tmp_path, documents, monkeypatch
):
    path = build(tmp_path / "ix", documents[:3], workers=1)
    monkeypatch.setattr(indexing, "PARALLEL_MIN_DOCS", 10)
    monkeypatch.setattr(indexing.FastSegmentWriter, "add_document", _failing_add)
    batch = [*documents[3:40], Document(id="bad", body="Dokumen rusak."), *documents[40:60]]
    with Index.open(path) as ix:
        with pytest.raises(ValueError, match="cannot index this document") as raised:
            ix.add(batch, workers=2)
            ix.commit()
        assert "indexing worker" in "".join(getattr(raised.value, "__notes__", []))
        ix.rollback()
    assert multiprocessing.active_children() == []
    with Index.open(path, lock_timeout=0.5) as ix:
        assert ix.doc_count() == 3  # nothing of the failed run, and the lock is free
        ix.add(Document(id="after", body="Berita sesudahnya."))
        ix.commit()


def test_rollback_stops_the_workers_and_keeps_the_last_commit(tmp_path, documents, monkeypatch):
    monkeypatch.setattr(indexing, "PARALLEL_MIN_DOCS", 10)
    path = build(tmp_path / "ix", documents[:3], workers=1)
    with Index.open(path) as ix:
        ix.add(documents[3:], workers=2)
        ix.rollback()
        assert ix.doc_count() == 3
    assert multiprocessing.active_children() == []
    with Index.open(path) as ix:
        assert ix.doc_count() == 3
