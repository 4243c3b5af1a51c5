"""The :class:`Document`: what every loader in this package produces and the index consumes.

A Document checks itself when it is made, so nothing the index cannot store or a run file cannot
print gets as far as a commit: an id must be a non-empty string without control characters
(a newline in an id would inject a line into a TREC run), no text may hold a lone surrogate
(UTF-8 cannot encode one), and two metadata names must not fold to the same field (names are
kept folded, as the index stores them: ``{"Sub Category": "x"}`` becomes ``{"sub_category": "x"}``).

>>> Document(id="a\\nb", body="x")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
searchlib.errors.DocumentError: document 'a\\nb': the id holds a control character (U+000A)...
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from searchlib.documents.dates import normalise_date
from searchlib.errors import DocumentError

__all__ = ["Document", "metadata_key"]


@dataclass(frozen=True)
class Document:
    """One searchable document.

    ``title``, ``date`` and ``source`` are None where nothing is stated (an empty string
    becomes None), so a document reads back from the index exactly as it was added.

    ``date`` is read as ISO at any precision (``2021``, ``2021-08``, ``2021-08-06``, with or
    without a time) or a written date (``6 Agustus 2021``, ``Jumat, 6 Agustus 2021``) and kept
    as ISO at the precision stated; a date that does not exist is a ``DocumentError`` saying
    what is wrong.

    >>> Document(id="a", body="Isi.", date="2021").date
    '2021'
    >>> Document(id="a", body="Isi.", date="Jumat, 6 Agustus 2021").date
    '2021-08-06'
    >>> Document(id="a", body="Isi.", date="2021-13-45")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    searchlib.errors.DocumentError: document 'a': date '2021-13-45': month 13 does not exist ...
    >>> Document(id="a", body="Isi.", title="").title is None
    True
    """

    id: str  # file name without extension, or the corpus record's id
    body: str  # cleaned text for indexing and snippets
    title: str | None = None  # only where the article states one
    date: str | None = None  # stored as ISO at the precision stated: "2019-09-20", "2021"
    source: str | None = None  # source URL where one is printed (or JSONL "source")
    fields: dict[str, str] = field(default_factory=dict)  # extra metadata, e.g. category

    def __post_init__(self) -> None:
        where = f"document {self.id!r}"
        if not isinstance(self.id, str) or not self.id.strip():
            raise DocumentError(where, "the id must be a non-empty string")
        control = next((ch for ch in self.id if unicodedata.category(ch) == "Cc"), None)
        if control is not None:
            raise DocumentError(
                where,
                f"the id holds a control character (U+{ord(control):04X}); ids are printed "
                "in run files and must be one line",
            )
        if not isinstance(self.body, str):
            raise DocumentError(where, f"body must be a string, not {type(self.body).__name__}")
        for name in ("title", "date", "source"):
            value = getattr(self, name)
            if isinstance(value, str) and not value.strip():
                object.__setattr__(self, name, None)  # "" states nothing: stored as absent
                continue
            if value is not None and not isinstance(value, str):
                raise DocumentError(
                    where, f"{name} must be a string or None, not {type(value).__name__}"
                )
        if not isinstance(self.fields, dict):
            raise DocumentError(where, "fields must be a dict of metadata names to strings")
        keys: dict[str, str] = {}
        for name, value in self.fields.items():
            if not isinstance(name, str) or not isinstance(value, str):
                raise DocumentError(where, f"metadata {name!r}: names and values must be strings")
            key = metadata_key(name)
            if key in keys:
                raise DocumentError(
                    where,
                    f"metadata names {keys[key]!r} and {name!r} both become the field {key!r}; "
                    "rename one",
                )
            keys[key] = name
        for label, text in self._texts():
            _check_encodable(where, label, text)
        # Names as the index keeps them (``Sub Category`` -> ``sub_category``), so a document
        # read back from the index equals the one added.
        folded = {metadata_key(name): value for name, value in self.fields.items()}
        object.__setattr__(self, "fields", folded)
        if self.date is not None:
            try:
                object.__setattr__(self, "date", normalise_date(self.date))
            except ValueError as exc:
                raise DocumentError(where, f"date {self.date!r}: {exc}") from None

    def _texts(self) -> list[tuple[str, str]]:
        texts = [("id", self.id), ("body", self.body)]
        texts += [(n, v) for n in ("title", "date", "source") if (v := getattr(self, n))]
        for name, value in self.fields.items():
            texts += [(f"metadata name {name!r}", name), (f"metadata {name!r}", value)]
        return texts


def _check_encodable(where: str, label: str, text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DocumentError(
            where,
            f"the {label} holds a lone surrogate (U+{ord(text[exc.start]):04X}), which no "
            "file can store; decode the source text as UTF-8 (errors='replace' if it is damaged)",
        ) from None


def metadata_key(name: str) -> str:
    """A metadata name as a field key: lower case, letters, digits and ``_``.

    >>> metadata_key("Sub Category")
    'sub_category'
    """
    key = "".join(ch if ch.isalnum() else "_" for ch in name.strip().lower()).strip("_")
    return key or "_"
