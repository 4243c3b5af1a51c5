"""Writing a segment a posting block at a time gives the bytes Whoosh's own writer gives.

:func:`searchlib.index.segments._fill_blocks` fills Whoosh 3's postings writer a block at a time
instead of calling ``add_posting`` per posting; the block encoding and the term info stay
Whoosh's own. The posting lists here cross every boundary that matters: one posting (stored
inline in the term info), a few (inline as a short list), exactly one block (128), one more
than a block, several blocks, varying frequencies and field lengths inside each block.
Segments merged by a later commit come back to the pool as bytes beside the new documents'
text terms; that path is built both ways too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

import searchlib.index.core as index_module
import searchlib.index.segments as segments
from searchlib import Document, Index
from tests.index.test_indexing import postings

# word -> in how many of the documents it stands (document n holds it if n % step == 0)
SPREAD = {"sekali": 10_000, "jarang": 61, "tepat": 3, "lewat": 2, "semua": 1}


def corpus(count: int, start: int = 0) -> list[Document]:
    """Documents whose words have the posting-list sizes above, with varying frequencies and
    lengths (document ``n`` repeats ``semua`` ``1 + n % 5`` times and has ``n % 7`` fillers)."""
    out = []
    for n in range(start, start + count):
        words = ["semua"] * (1 + n % 5)
        words += [word for word, step in SPREAD.items() if word != "semua" and n % step == 0]
        words += [f"isi{n % 13}"] * (n % 7)
        title = "Judul KPK" if n % 4 == 0 else None
        out.append(Document(id=f"d{n}", body=" ".join(words) + ".", title=title))
    return out


def segment_files(path: Path) -> dict[str, list[bytes]]:
    """The bytes of each segment file of an index, by extension (segment ids are random)."""
    storage = FileStorage(str(path))
    found: dict[str, list[bytes]] = {}
    for name in sorted(storage.list()):
        if name.endswith(".seg"):
            compound = CompoundStorage(storage.open_file(name), use_mmap=False)
            for sub in sorted(compound.list()):
                with compound.open_file(sub) as handle:
                    found.setdefault(sub.rsplit(".", 1)[-1], []).append(handle.read())
        elif "_" in name and not name.endswith((".toc", ".json")) and "LOCK" not in name:
            with storage.open_file(name) as handle:
                found.setdefault(name.rsplit(".", 1)[-1], []).append(handle.read())
    for parts in found.values():
        parts.sort()
    return found


def build(path: Path, batches: list[list[Document]]) -> Path:
    with Index.create(path) as ix:
        for batch in batches:
            ix.add(batch, workers=1)
            ix.commit()
    return path


BATCHES = {
    "one commit": [corpus(300)],
    # Whoosh merges small segments into a later commit's (five or more, on whoosh-ng).
    "commits that merge": [corpus(2, 2 * k) for k in range(6)] + [corpus(300, 12)],
}


def segment_count(path: Path) -> int:
    with Index.open(path) as ix:
        return len(ix._searcher().reader().leaf_readers() or [None])


@pytest.mark.parametrize("batches", BATCHES.values(), ids=BATCHES.keys())
def test_block_fill_writes_the_bytes_of_whoosh_posting_at_a_time(tmp_path, monkeypatch, batches):
    filled = segment_files(build(tmp_path / "filled", batches))
    monkeypatch.setattr(segments, "BLOCK_FILL", False)
    assert segment_files(build(tmp_path / "one-by-one", batches)) == filled
    assert "pst" in filled  # long lists were written as blocks, not all inline


def test_the_fill_is_used_on_this_whoosh(tmp_path, monkeypatch):
    """Guards the test above: where the fill is not taken, both builds go one posting at a time
    and the comparison proves nothing."""
    used = []
    original = segments._fill_blocks
    monkeypatch.setattr(segments, "_fill_blocks", lambda *args: used.append(1) or original(*args))
    build(tmp_path / "ix", [corpus(40)])
    assert used


def test_merged_segments_keep_every_posting_of_whoosh_own_writer(tmp_path, monkeypatch):
    """Text terms of new documents and bytes terms of merged segments meet in one pool."""
    batches = BATCHES["commits that merge"]
    fast = build(tmp_path / "fast", batches)
    monkeypatch.setattr(
        index_module, "new_writer", lambda ix, procs=1, **kw: SegmentWriter(ix, **kw)
    )
    plain = build(tmp_path / "plain", batches)
    assert postings(fast) == postings(plain)
    assert segment_count(fast) < len(batches)  # segments were merged
