"""Negated queries match exactly the documents set arithmetic says, on both Whoosh versions.

Whoosh's own ``AndNotMatcher`` returns the positive side's first document even when it is
excluded, if the excluded list starts earlier; searchlib matches AND-NOT with its corrected
``searchlib._whoosh.AndNotMatcher``. Random boolean trees (terms, AND, OR, NOT, AND-NOT) run on
a plain Whoosh index of several segments with deletions; the documents found (by a search, by
``docs_for_query`` and by walking the matcher with ``skip_to``) must equal the sets computed
from the documents themselves. CI runs this file on whoosh-ng and on PyPI whoosh 2.7.4.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import fields, index
from whoosh import query as wq

from searchlib import Document, Index
from searchlib._whoosh import AndNot, true_negations

WORDS = ["a", "b", "c", "d", "e"]


def _corpus(seed: int) -> dict[int, set[str]]:
    rng = random.Random(seed)
    return {n: {w for w in WORDS if rng.random() < (0.15 if w in "ab" else 0.5)} for n in range(90)}


@pytest.fixture(scope="module")
def whoosh_index(tmp_path_factory: pytest.TempPathFactory):
    """Three segments, a few documents deleted from two of them, and the live documents' words."""
    path = tmp_path_factory.mktemp("negation")
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), w=fields.KEYWORD)
    ix = index.create_in(str(path), schema)
    docs = _corpus(7)
    for part in range(3):
        writer = ix.writer()
        for n in range(part * 30, part * 30 + 30):
            writer.add_document(id=str(n), w=" ".join(sorted(docs[n])) or "z")
        writer.commit(merge=False)
    writer = ix.writer()
    for n in (0, 1, 31, 44):
        writer.delete_by_term("id", str(n))
        del docs[n]
    writer.commit(merge=False)
    assert len(ix._segments()) == 3
    return ix, docs


def _tree(draw: st.DrawFn, depth: int) -> tuple[object, object]:
    """A random query and an expression computing its documents from a document's words."""
    kind = draw(st.sampled_from(["term"] * 2 + (["and", "or", "not", "andnot"] if depth else [])))
    if kind == "term":
        word = draw(st.sampled_from(WORDS))
        return wq.Term("w", word), lambda words: word in words
    if kind == "not":
        q, f = _tree(draw, depth - 1)
        return wq.Not(q), lambda words: not f(words)
    if kind == "andnot":
        (qa, fa), (qb, fb) = _tree(draw, depth - 1), _tree(draw, depth - 1)
        return AndNot(qa, qb), lambda words: fa(words) and not fb(words)
    parts = [_tree(draw, depth - 1) for _ in range(draw(st.integers(2, 3)))]
    queries, tests = [q for q, _ in parts], [f for _, f in parts]
    if kind == "and":
        return wq.And(queries), lambda words: all(f(words) for f in tests)
    return wq.Or(queries), lambda words: any(f(words) for f in tests)


@st.composite
def trees(draw: st.DrawFn) -> tuple[object, object]:
    return _tree(draw, 3)


def _walked(searcher, q, jump: bool) -> set[str]:
    """The live documents of ``q``'s matcher read with ``next``, or also with ``skip_to`` jumps
    over a document or two (as a collector skips) when ``jump``."""
    found = set()
    for sub, _offset in searcher.leaf_searchers():
        matcher = q.matcher(sub, sub.context())
        target = 0
        while matcher.is_active():
            if matcher.id() < target:
                matcher.skip_to(target)
                continue
            docnum = matcher.id()
            if not sub.reader().is_deleted(docnum):
                found.add(sub.stored_fields(docnum)["id"])
            target = docnum + 1 + (docnum % 3 if jump else 0)
            matcher.next()
    return found


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=trees())
def test_boolean_trees_match_set_arithmetic(whoosh_index, tree):
    ix, docs = whoosh_index
    q, test = tree
    expected = {str(n) for n, words in docs.items() if test(words)}
    with ix.searcher() as searcher:
        searched = {hit["id"] for hit in searcher.search(q, limit=None)}
        listed = {searcher.stored_fields(d)["id"] for d in searcher.docs_for_query(q)}
        assert searched == expected, q
        assert listed == expected, q
        assert _walked(searcher, q.normalize(), jump=False) == expected, q
        assert _walked(searcher, q.normalize(), jump=True) <= expected, q


@pytest.mark.parametrize("first_excluded", [0, 3, 29])
def test_and_not_excludes_the_first_document_when_the_excluded_list_starts_earlier(
    tmp_path: Path, first_excluded: int
):
    # Every body has "pelabuhan"; one title has "i": "i ANDNOT pelabuhan" matches nothing.
    with Index.create(tmp_path) as ix:
        ix.add(
            [
                Document(id=f"f{n}", title="x i y" if n == first_excluded else "x y", body="kata")
                for n in range(30)
            ],
            workers=1,
        )
        ix.commit()
    with Index.open(tmp_path) as ix:
        for text in ["title:i ANDNOT kata", "title:i NOT kata", "judul:i BUKAN kata"]:
            assert ix.search(text).total == 0, text
        assert ix.search("title:i ANDNOT nothing").total == 1


def test_true_negations_replaces_every_and_not_node():
    inner = wq.AndNot(wq.Term("w", "a"), wq.Term("w", "b"))
    q = true_negations(wq.Or([inner, wq.And([wq.Term("w", "c"), inner])]))
    kinds = [type(node) for node in _nodes(q) if isinstance(node, wq.AndNot)]
    assert kinds == [AndNot, AndNot]


def _nodes(q):
    yield q
    for child in q.children():
        yield from _nodes(child)
