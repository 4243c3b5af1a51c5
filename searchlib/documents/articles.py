"""One raw web-scraped article (a string) -> :class:`~searchlib.documents.Document`.

:func:`parse_article` drops site furniture, repairs scrape damage (see
:mod:`~searchlib.documents.cleanup`) and picks out the title, publication date (see
:mod:`~searchlib.documents.dates` for that rule) and source URL where the article states
them. Rules that are decisions rather than facts (the tests pin them):

* **Title**: the first content line after the navigation is a title only if it looks like a
  headline: 3-25 words, at most 200 characters, starts with a capital letter or digit, does
  not end in sentence punctuation (``. ! ? , ; :``) or a closing bracket/quote, is not a photo
  caption, and more text follows it. A first *sentence* of the body is never a title. The
  title is removed from ``body`` (index it from ``Document.title``).
* **Captions** are kept in ``body`` (they carry names), but a repeated paragraph is kept once.
* **Source**: a ``Sumber: https://...`` / ``Source: ...`` line gives ``source``; short credit
  lines (``Menurut VNA``, ``Sumber: Antara``) go to ``fields["credit"]``, bylines
  (``Oleh ...``, ``Penulis: ...``) to ``fields["byline"]``; none of them stay in ``body``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from searchlib.documents.cleanup import (
    cut_footer,
    dedupe_paragraphs,
    is_boilerplate,
    is_navigation,
    normalise_lines,
    repair,
    repaired_paragraphs,
    strip_inline_tails,
)
from searchlib.documents.dates import date_only_line, dateline, lead_date, metadata_date
from searchlib.documents.model import Document

__all__ = ["parse_article"]

#: "Sumber: https://..." style lines: the URL becomes ``Document.source``.
_SOURCE_LINE = re.compile(
    r"(?:sumber|source|sumber berita|artikel asli|baca selengkapnya|selengkapnya)"
    r"\s*:?\s*(https?://\S+)",
    re.IGNORECASE,
)
#: Short credit lines ("Menurut VNA", "Sumber: Antara") -> fields["credit"].
_CREDIT_LINE = re.compile(
    r"(?:(?i:menurut)\s+|(?i:sumber|source|via|kredit|credit)\s*:\s*)"
    r"([A-Z][\w&.'-]*(?: [\w&.'-]+){0,3})"
)
#: Bylines ("Oleh Park Han-na", "Penulis: X") -> fields["byline"]; "Editor: X" -> "editor".
_BYLINE = re.compile(r"(?i:oleh|by|penulis|reporter|pewarta)\s*:?\s*([A-Z][^.,:;!?]{1,80})")
_EDITOR_LINE = re.compile(r"(?:editor|redaktur)\s*:\s*([^.;!?]{2,80})", re.IGNORECASE)

#: Photo captions: a line ending in "(Foto: ...)", "(Sumber: AFP)" etc.
_CAPTION = re.compile(
    r"\((?:foto|photo|sumber|source|gambar|ilustrasi|dok|dokumentasi|image)\s*:[^()]*\)\s*$",
    re.IGNORECASE,
)

_HEADER_LINES = 6  # how many leading content lines may hold navigation, date, title


@dataclass
class _Metadata:
    """What the metadata lines of an article state, gathered while blanking them."""

    source: str | None = None
    header_date: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    def add_field(self, key: str, value: str) -> None:
        value = value.strip()
        if value:
            self.fields[key] = f"{self.fields[key]}; {value}" if key in self.fields else value


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return (
        3 <= len(words) <= 25
        and len(line) <= 200
        and (line[0].isupper() or line[0].isdigit())
        and not line.endswith(tuple(".!?,;:)]\"'”’»…"))
        and not _CAPTION.search(line)
        and date_only_line(line) is None
    )


def _take_credit(line: str, near_edge: bool, meta: _Metadata) -> str:
    """``line``, or "" when it is a source, boilerplate, credit, byline or editor line.

    What such a line states goes to ``meta``. Bylines count only ``near_edge`` (among the
    first or last lines), so that a sentence starting with "Oleh" stays.
    """
    short = len(line.split()) <= 10 and not line.endswith((".", ","))
    if source := _SOURCE_LINE.fullmatch(line):
        meta.source = meta.source or source.group(1).rstrip(".,;)")
        return ""
    if line and is_boilerplate(line):
        return ""
    if short and (credit := _CREDIT_LINE.fullmatch(line)) and "," not in line:
        meta.add_field("credit", credit.group(1))
        return ""
    if short and near_edge and (by := _BYLINE.fullmatch(line)):
        meta.add_field("byline", by.group(1))
        return ""
    if short and (editor := _EDITOR_LINE.fullmatch(line)):
        meta.add_field("editor", editor.group(1))
        return ""
    return line


def _take_metadata(lines: list[str]) -> _Metadata:
    """Pass 1: blank out metadata, credit and boilerplate lines in ``lines``; return what
    they state."""
    meta = _Metadata()
    content_positions = [i for i, line in enumerate(lines) if line]
    head = set(content_positions[:_HEADER_LINES])
    tail = set(content_positions[-3:])
    for index, line in enumerate(lines):
        if not line:
            continue
        if index in head and (dated := metadata_date(line)):
            date, line = dated
            meta.header_date = meta.header_date or date
        near_edge = index in head or index in tail
        lines[index] = _take_credit(strip_inline_tails(line), near_edge, meta)
    return meta


def _take_header(lines: list[str], header_date: str | None) -> tuple[str | None, str | None]:
    """Pass 2: blank out the header in ``lines`` (navigation, date-only lines and datelines
    such as ``Blitar, 21 Juni 2021`` or ``JAKARTA, KOMPAS.com -``, then at most one title);
    return ``(title, header_date)``."""
    title: str | None = None
    seen = 0
    for index, line in enumerate(lines):
        if not line:
            continue
        if seen >= _HEADER_LINES:
            break
        seen += 1
        if title is None and is_navigation(line):
            lines[index] = ""
            continue
        date = date_only_line(line)
        if date:
            header_date = header_date or date
            lines[index] = ""
            continue
        if (found := dateline(line, header_date)) is not None:  # "Blitar, 21 Juni 2021"
            refines = found[0] and header_date and found[0].startswith(header_date)
            header_date = found[0] if refines or not header_date else header_date
            lines[index] = ""
            continue
        has_more = any(lines[index + 1 :])
        if title is None and has_more and _looks_like_title(line):
            title = repair(line)
            lines[index] = ""
            continue
        break
    return title, header_date


def parse_article(text: str, doc_id: str) -> Document:
    """Turn one raw article (web scrape) into a :class:`~searchlib.documents.Document`.

    Removes site boilerplate, repairs scrape damage and extracts title, date, source and
    credits as described in the module docstring. Never raises on odd text; the body may
    come out empty if the text held nothing but boilerplate.

    >>> doc = parse_article("20 September 2019\\nKedua negara bertemu.Mereka sepakat.", "x")
    >>> doc.date, doc.title, doc.body
    ('2019-09-20', None, 'Kedua negara bertemu. Mereka sepakat.')
    """
    lines = cut_footer(normalise_lines(text))
    meta = _take_metadata(lines)
    title, header_date = _take_header(lines, meta.header_date)
    paragraphs = dedupe_paragraphs(repaired_paragraphs(lines))
    not_captions = [p for p in paragraphs if not _CAPTION.search(p)]
    return Document(
        id=doc_id,
        body="\n\n".join(paragraphs),
        title=title,
        date=lead_date(not_captions, header_date),
        source=meta.source,
        fields=meta.fields,
    )
