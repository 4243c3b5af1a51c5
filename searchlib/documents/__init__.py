"""Turning files into :class:`Document` objects: raw article scrapes, JSONL and TSV corpora.

Three entry points:

* :func:`parse_article` cleans one raw web-scraped article (string in, :class:`Document`
  out): it drops site furniture (navigation, "Recommended" blocks, comment forms, share
  widgets, credit lines), repairs scrape damage (``barang -barang``, ``perundingan.Menteri``,
  stray ``. .``), and picks out the title, publication date and source URL where the article
  states them.
* :func:`load_file` reads one text article from disk, with clear errors for files that are
  not UTF-8 text, are binary, empty, too large, unreadable or dangling symlinks.
* :func:`iter_documents` streams documents from files and folders in ``text``, ``jsonl`` or
  ``tsv`` format. Bad files and records become :class:`~searchlib.errors.DocumentError`;
  pass ``on_error`` (for example a :class:`LoadReport`) to collect them and keep going.

>>> doc = parse_article("Berita\\n\\nJudul Berita Hari Ini\\n\\nIsi -nya.Lalu selesai.", "d1")
>>> doc.title, doc.body
('Judul Berita Hari Ini', 'Isi-nya. Lalu selesai.')

Data flows files -> :class:`Document` through one module per step; import from
``searchlib.documents``, not from the modules, whose layout may change:

* ``model``: :class:`Document`.
* ``cleanup``: boilerplate patterns and scrape repair (:func:`clean_text`).
* ``dates``: :func:`parse_date` and the publication-date rule for articles.
* ``articles``: :func:`parse_article` and its rules for title, captions, source and credits.
* ``files``: reading one file safely (:func:`load_file`, :data:`DEFAULT_MAX_BYTES`).
* ``corpora``: JSONL and TSV records; their text gets :func:`clean_text` only, no
  boilerplate, title or date extraction.
* ``walk``: folders, formats and the rules of a whole load (:func:`iter_documents`,
  :func:`walk_files`, :func:`format_of`, :class:`UniqueIds`, :class:`LoadReport`).
"""

from searchlib.documents.articles import parse_article
from searchlib.documents.cleanup import clean_text
from searchlib.documents.dates import parse_date
from searchlib.documents.files import DEFAULT_MAX_BYTES, load_file
from searchlib.documents.model import Document, metadata_key
from searchlib.documents.walk import (
    FORMATS,
    LoadReport,
    UniqueIds,
    format_of,
    iter_documents,
    walk_files,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "Document",
    "LoadReport",
    "UniqueIds",
    "clean_text",
    "format_of",
    "iter_documents",
    "load_file",
    "metadata_key",
    "parse_article",
    "parse_date",
    "walk_files",
]
