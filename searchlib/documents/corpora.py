"""JSONL and TSV corpus files -> :class:`~searchlib.documents.Document`, one record a line.

* **Corpus records** (JSONL/TSV) carry their own metadata: their text gets whitespace
  normalisation and the scrape repairs (:func:`~searchlib.documents.clean_text`), but no
  boilerplate, title or date extraction.

Corpus files are streamed line by line, never read whole; a bad line is reported with its
line number (``file:line``) and the next line is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from searchlib.documents.cleanup import clean_text
from searchlib.documents.dates import parse_date
from searchlib.documents.files import (
    DEFAULT_MAX_BYTES,
    UTF8_BOM,
    check_path,
    check_text_head,
    decode,
    open_binary,
)
from searchlib.documents.model import Document
from searchlib.errors import DocumentError

__all__ = ["iter_records"]

_HEAD_BYTES = 8192  # how much of a corpus file is sniffed for binary content


def _lines(path: str, max_bytes: int) -> Iterator[tuple[int, str] | DocumentError]:
    """Stream the lines of a corpus file as ``(line_number, text)`` or per-line errors.

    File-level problems raise DocumentError; a line over ``max_bytes`` or with bad bytes
    yields an error for that line. Blank lines are skipped.
    """
    check_path(path)
    with open_binary(path) as handle:
        head = handle.read(_HEAD_BYTES)
        check_text_head(path, head)
        handle.seek(len(UTF8_BOM) if head.startswith(UTF8_BOM) else 0)
        number = 0
        any_record = False
        while True:
            raw = handle.readline(max_bytes + 1)
            if not raw:
                break
            number += 1
            where = f"{path}:{number}"
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                # Skip the rest of the record without holding it in memory.
                while (chunk := handle.readline(1 << 20)) and not chunk.endswith(b"\n"):
                    pass
                yield DocumentError(
                    where,
                    f"record is over the limit of {max_bytes:,} bytes; split it or raise max_bytes",
                )
                continue
            if b"\x00" in raw:
                yield DocumentError(where, "line contains NUL bytes (binary data), not text")
                continue
            try:
                line = decode(raw).rstrip("\r\n")
            except ValueError as exc:
                yield DocumentError(where, str(exc).replace(" at line 1,", ","))
                continue
            if line.strip():
                any_record = True
                yield number, line
        if not any_record:
            raise DocumentError(path, "file contains no records (only blank lines)")


def _jsonl_document(line: str) -> Document:
    """Build a Document from one JSONL line; ValueError carries the user-facing reason."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise ValueError(
            f'record is a JSON {type(record).__name__}, expected an object with "id" and "text"'
        )
    for key in ("id", "text"):
        if key not in record or record[key] is None:
            raise ValueError(f'record has no "{key}" field (each line needs "id" and "text")')
    raw_id = record["id"]
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        raise ValueError(f'"id" must be a string, not {type(raw_id).__name__}')
    doc_id = str(raw_id).strip()
    if not doc_id:
        raise ValueError('"id" is empty')
    if not isinstance(record["text"], str):
        raise ValueError(f'"text" must be a string, not {type(record["text"]).__name__}')
    body = clean_text(record["text"])
    if not body:
        raise ValueError('"text" is empty')
    meta: dict[str, str | None] = {}
    for key in ("title", "date", "source"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f'"{key}" must be a string, not {type(value).__name__}')
        meta[key] = " ".join(value.split()) if value and value.strip() else None
    if meta["date"] is not None:
        date = parse_date(meta["date"])
        if date is None:
            raise ValueError(
                f'"date" {meta["date"]!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)'
            )
        meta["date"] = date
    fields: dict[str, str] = {}
    for key, value in record.items():
        if key in ("id", "text", "title", "date", "source") or value is None:
            continue
        if isinstance(value, (str, int, float, bool)):  # nested values are ignored
            fields[str(key)] = str(value)
    return Document(
        id=doc_id,
        body=body,
        title=meta["title"],
        date=meta["date"],
        source=meta["source"],
        fields=fields,
    )


def _tsv_document(line: str, number: int) -> Document | None:
    """Build a Document from one ``id<TAB>text`` line, or None for a header row."""
    if "\t" not in line:
        raise ValueError("line has no tab; expected id<TAB>text")
    doc_id, text = line.split("\t", 1)
    doc_id = doc_id.strip()
    if number == 1 and doc_id.lower() == "id" and text.strip().lower() == "text":
        return None  # header row
    if not doc_id:
        raise ValueError("id (before the tab) is empty")
    body = clean_text(text.replace("\t", " "))
    if not body:
        raise ValueError("text (after the tab) is empty")
    return Document(id=doc_id, body=body)


def iter_records(
    path: str, format: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[tuple[str, Document] | DocumentError]:
    """Stream the documents of one corpus file in ``format`` (``"jsonl"`` or ``"tsv"``).

    Yields ``(where, document)`` with ``where`` = ``file:line``, or a DocumentError for a
    bad line (loading can go on after it). A problem with the file as a whole (missing,
    binary, empty) raises DocumentError, possibly after some records were yielded.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.tsv"
    >>> _ = p.write_text("id\\ttext\\np1\\tSatu.Dua\\n\\tx\\n", "utf-8")
    >>> for item in iter_records(str(p), "tsv", max_bytes=100):
    ...     print(item.reason if isinstance(item, DocumentError) else item[1].body)
    Satu. Dua
    id (before the tab) is empty
    """
    for item in _lines(path, max_bytes):
        if isinstance(item, DocumentError):
            yield item
            continue
        number, line = item
        where = f"{path}:{number}"
        try:
            document = _jsonl_document(line) if format == "jsonl" else _tsv_document(line, number)
        except ValueError as exc:
            yield DocumentError(where, str(exc))
            continue
        if document is not None:
            yield where, document
