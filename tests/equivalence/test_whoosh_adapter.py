"""Each use of Whoosh internals in ``searchlib._whoosh``, pinned on the installed Whoosh.

CI runs this file on whoosh-ng and on PyPI whoosh 2.7.4. Every accessor has a public, slower
way to get the same answer; each test checks the fast one gives it, and that the internals it
reads are really there (so a Whoosh upgrade that drops them fails here, not silently slower).
"""

from __future__ import annotations

import pytest
from whoosh import query as wq
from whoosh import scoring
from whoosh.util.numeric import length_to_byte

from searchlib import Document, Index
from searchlib._whoosh import (
    _BLOCK_API,
    block_postings,
    field_b,
    has_field_b_overrides,
    is_query_error,
    pack_uint,
    postings_at,
    segment_length_bytes,
    text_of,
    unpack_count,
)

WORDS = ["harga", "beras", "naik", "menteri", "pasar", "jepang", "korea"]


@pytest.fixture(scope="module")
def reader(tmp_path_factory):
    path = tmp_path_factory.mktemp("adapter")
    with Index.create(path) as ix:
        for batch in range(3):  # three segments
            ix.add(
                Document(
                    id=f"d{batch}-{n}",
                    body=" ".join(WORDS[(n + k) % len(WORDS)] for k in range(1 + n % 9)),
                )
                for n in range(300)
            )
            ix.commit()
        ix.delete("d1-7")
        ix.commit()
    ix = Index.open(path)
    yield ix._searcher().reader()
    ix.close()


def _walk(matcher):
    out = []
    while matcher.is_active():
        out.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return out


def test_on_disk_matchers_have_the_block_api(reader):
    sub = next(iter(reader.leaf_readers()))[0]
    matcher = sub.postings("body", "harga")
    assert all(hasattr(matcher, name) for name in (*_BLOCK_API, "block_max_id"))


def test_block_postings_give_the_posting_list_a_walk_gives(reader):
    for sub, _offset in reader.leaf_readers():
        for word in WORDS:
            walked = _walk(sub.postings("body", word))
            blocks = block_postings(sub.postings("body", word), values=True)
            read = [
                (doc, weight, value)
                for ids, weights, values in blocks
                for doc, weight, value in zip(ids, weights, values, strict=True)
            ]
            assert read == walked


def test_postings_at_targets_match_the_walk(reader):
    sub = next(iter(reader.leaf_readers()))[0]
    walked = {doc: (w, v) for doc, w, v in _walk(sub.postings("body", "beras"))}
    targets = sorted(set(range(0, 300, 7)) | {0, 299})
    found = postings_at(sub.postings("body", "beras"), targets, values=True)
    assert found == {t: walked[t] for t in targets if t in walked}


def test_segment_length_bytes_are_the_documents_field_lengths(reader):
    for sub, _offset in reader.leaf_readers():
        count = sub.doc_count_all()
        expected = bytes(
            length_to_byte(sub.doc_field_length(n, "body", 0) or 0)
            if sub.doc_field_length(n, "body", 0)
            else 0
            for n in range(count)
        )
        assert bytes(segment_length_bytes(sub, "body", count)) == expected
        assert any(expected)


def test_bm25f_field_b_reads_per_field_overrides():
    plain = scoring.BM25F(B=0.75, K1=1.2)
    tuned = scoring.BM25F(B=0.3, K1=1.2, title_B=0.9)
    assert field_b(plain, "body") == 0.75 and not has_field_b_overrides(plain)
    assert field_b(tuned, "title") == 0.9 and field_b(tuned, "body") == 0.3
    assert has_field_b_overrides(tuned)


def test_whoosh_query_errors_are_recognised(reader):
    from whoosh.searching import Searcher

    searcher = Searcher(reader, closereader=False)
    with pytest.raises(Exception) as raised:  # the id field stores no positions
        searcher.search(wq.Phrase("id", ["d0", "d1"]), limit=1)
    assert is_query_error(raised.value)
    assert not is_query_error(ValueError("not Whoosh's"))


def test_terms_are_text_whichever_type_whoosh_gives(reader):
    terms = list(reader.lexicon("body"))
    assert {text_of(t) for t in terms} >= set(WORDS)
    assert text_of(b"korea") == text_of("korea") == "korea"


def test_positions_count_prefix_round_trips():
    for count in (0, 1, 127, 128, 70_000):
        packed = pack_uint(count) + b"rest"
        assert unpack_count(packed)[0] == count
        assert packed[unpack_count(packed)[1] :] == b"rest"
