"""The :class:`Document`: what every loader in this package produces and the index consumes."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Document"]


@dataclass(frozen=True)
class Document:
    """One searchable document.

    >>> Document(id="a", body="Isi.", date="2021").date
    '2021'
    """

    id: str  # file name without extension, or the corpus record's id
    body: str  # cleaned text for indexing and snippets
    title: str | None = None  # only where the article states one
    date: str | None = None  # ISO at the precision stated: "2019-09-20", "2020-01", "2021"
    source: str | None = None  # source URL where one is printed (or JSONL "source")
    fields: dict[str, str] = field(default_factory=dict)  # extra metadata, e.g. category
