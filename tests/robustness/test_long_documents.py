"""Long documents index, search and snip in bounded time, and never lose a batch."""

from __future__ import annotations

import time

from searchlib import Document, Index
from searchlib.cli import main
from searchlib.index.positions import MAX_POSITIONS


def test_one_word_seventy_thousand_times_commits_with_its_batch(tmp_path):
    with Index.create(tmp_path) as ix:
        ix.add(Document(id="good", body="Harga beras naik di pasar."))
        ix.add(Document(id="long", body="kata " * 70_000))
        ix.commit()
        assert ix.doc_count() == 2
        assert [h.id for h in ix.search("beras").hits] == ["good"]
        assert [h.id for h in ix.search("kata").hits] == ["long"]
        # Its frequency counts every occurrence; phrases see the first MAX_POSITIONS.
        assert ix.search('"kata kata"').total == 1


def test_a_repeated_word_in_two_documents_and_a_phrase_past_the_cap(tmp_path):
    tail = " akhir cerita"
    with Index.create(tmp_path) as ix:
        ix.add(Document(id="a", body="kata lain " * 40_000 + tail))
        ix.add(Document(id="b", body="kata " * (MAX_POSITIONS + 10) + tail))
        ix.commit()
        assert {h.id for h in ix.search("kata").hits} == {"a", "b"}
        assert {h.id for h in ix.search('"akhir cerita"').hits} == {"a", "b"}


def test_a_huge_document_is_searched_and_snipped_in_bounded_time(tmp_path):
    body = "harga beras naik di pasar induk kramat jati. " * 200_000 + "akhir cerita."
    with Index.create(tmp_path) as ix:
        ix.add(Document(id="huge", body=body))  # 9 MB
        ix.commit()
        started = time.perf_counter()
        results = ix.search("kramat jati")
        # Not a speed assertion: a generous bound that only an unbounded scan of 9 MB breaks.
        assert time.perf_counter() - started < 30
        assert results.hits[0].id == "huge" and "**kramat jati**" in results.hits[0].snippet.lower()
        assert ix.search("akhir").total == 1


def test_cli_indexes_the_good_file_beside_a_long_one(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("Judul Berita Ini\n\nHarga beras naik.", "utf-8")
    (folder / "long.txt").write_text("Judul Yang Panjang\n\n" + "kata " * 70_000, "utf-8")
    assert main(["index", str(folder), "--index", str(tmp_path / "ix")]) == 0
    assert "2 files added" in capsys.readouterr().err  # the summary: stderr
