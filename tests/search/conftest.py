"""Fixtures shared by the search tests: both scoring paths, and indexes of several segments."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from searchlib import Document, Index


@pytest.fixture(params=["python", "arrays"])
def scoring_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each comparison runs twice: posting blocks walked in Python (segments below
    ``NUMPY_FROM_DOCS``), and whole lists scored as numpy arrays (every segment)."""
    import searchlib.search.postings as postings

    limit = 0 if request.param == "arrays" else 10**12
    monkeypatch.setattr(postings, "NUMPY_FROM_DOCS", limit)
    return str(request.param)


def segmented_index(
    path: Path,
    batches: Iterable[Callable[[int], list[Document]]],
    deleted: Iterable[str] = (),
) -> Index:
    """An index at ``path`` with one segment (one commit) per batch (each called with its
    number), then ``deleted`` ids deleted in a last commit. The caller closes it."""
    ix = Index.create(path)
    for number, batch in enumerate(batches):
        ix.add(batch(number), workers=1)
        ix.commit()
    gone = list(deleted)
    if gone:
        for doc_id in gone:
            ix.delete(doc_id)
        ix.commit()
    return ix
