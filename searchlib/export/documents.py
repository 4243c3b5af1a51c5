"""A searchlib index as bulk NDJSON: an action line and a source line per document.

Documents are read one at a time from the index's stored fields (:meth:`Index.documents`), so
an index of any size is exported in constant memory. Each source holds every field a searchlib
index stores (:func:`document_source`): ``id``, ``title``, ``body``, ``date`` (with its
``year``), ``source`` (with its ``site``) and the metadata as ``meta_<name>``, the names the
mappings and :func:`~searchlib.export.to_query_dsl` use.

Ids are written safely: every line is one JSON value (a newline, a quote or a line separator in a
value is escaped, so no value can break a line or inject an action), and an id longer than the
512 bytes both engines allow for ``_id`` gets a stable ``_id`` derived from it (``sl-`` and its
SHA-256) while the source keeps the real id in ``id``.

>>> from searchlib import Document
>>> source = document_source(Document(id="a", body="Isi.", date="2021-08", source="https://x.id/"))
>>> source["date"], source["year"], source["site"]
('2021-08', '2021', 'x.id')
>>> bulk_action("a\\nb")
'{"index":{"_id":"a\\\\nb"}}'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from searchlib.documents import Document, metadata_key
from searchlib.index import Index
from searchlib.index.schema import (
    BODY,
    DATE,
    ID,
    META_PREFIX,
    SITE,
    SOURCE,
    TITLE,
    YEAR,
    site_of,
)

__all__ = ["MAX_ID_BYTES", "bulk_action", "bulk_id", "bulk_lines", "document_source", "ndjson"]

#: The longest ``_id`` OpenSearch and Elasticsearch accept, in UTF-8 bytes.
MAX_ID_BYTES = 512

# Characters Python's str.splitlines() (and some line readers) break on that json.dumps leaves
# unescaped with ensure_ascii=False; escaped, a line holds exactly one JSON value.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def ndjson(value: Any) -> str:
    """``value`` as one line of JSON (UTF-8 text, no line break of any kind inside).

    >>> ndjson({"t": "a\\u2028b"})
    '{"t":"a\\\\u2028b"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _LINE_BREAKS.items():
        if char in text:
            text = text.replace(char, escaped)
    return text


def document_source(document: Document) -> dict[str, Any]:
    """The ``_source`` of a document in the cluster: searchlib's stored fields, by name.

    ``title``, ``date`` and ``source`` are left out where the document states none (searchlib
    stores them as absent); ``year`` and ``site`` are derived as searchlib derives them.
    """
    source: dict[str, Any] = {ID: document.id}
    if document.title:
        source[TITLE] = document.title
    source[BODY] = document.body
    if document.date:
        source[DATE] = document.date
        source[YEAR] = document.date[:4]
    if document.source:
        source[SOURCE] = document.source
        site = site_of(document.source)
        if site:
            source[SITE] = site
    for name, value in document.fields.items():
        source[META_PREFIX + metadata_key(name)] = value
    return source


def bulk_id(doc_id: str) -> str:
    """The ``_id`` for a searchlib id: the id itself, or for an id over :data:`MAX_ID_BYTES`
    bytes ``sl-`` and the SHA-256 of it (the same every export, so a re-import replaces).

    >>> bulk_id("abc"), bulk_id("x" * 600)[:10]
    ('abc', 'sl-5130b33')
    """
    if len(doc_id.encode("utf-8")) <= MAX_ID_BYTES:
        return doc_id
    return "sl-" + hashlib.sha256(doc_id.encode("utf-8")).hexdigest()


def bulk_action(doc_id: str) -> str:
    """The action line that indexes (adds or replaces) the document with this id."""
    return ndjson({"index": {"_id": bulk_id(doc_id)}})


def bulk_lines(index: Index) -> Iterator[str]:
    """Bulk NDJSON for every document of ``index``: an action line, then its source line
    (each without its ``\\n``), streamed from the index's last commit.

    >>> import tempfile
    >>> from searchlib import Document, Index
    >>> with Index.create(tempfile.mkdtemp()) as ix:
    ...     _ = ix.add(Document(id="d1", title="Banjir", body="Banjir di Jakarta."))
    ...     ix.commit()
    ...     for line in bulk_lines(ix):
    ...         print(line)
    {"index":{"_id":"d1"}}
    {"id":"d1","title":"Banjir","body":"Banjir di Jakarta."}
    """
    for document in index.documents():
        yield bulk_action(document.id)
        yield ndjson(document_source(document))
