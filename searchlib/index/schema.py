"""The schema of a searchlib index: field names, and Document <-> field values.

Text is indexed twice: stemmed (``title``/``body``), so word families match, and as folded
written forms (``title_exact``/``body_exact``), so exact forms score higher and quoted phrases
can require the written words. The acronym phrases standing in each of those four fields are
indexed once more, as one token each (``phrases``, :mod:`searchlib.index.phrases`), so an
acronym query finds its documents without checking positions. Every module names fields
through the constants here.

>>> fields = fields_of(Document(id="a", title="Judul", body="Isi.", date="2021-08-06"))
>>> fields[TITLE_EXACT], fields[YEAR], fields[DATED]
('Judul', '2021', '0')
>>> document_from_stored({"id": "a", "body": "Isi.", "meta_category": "politik"}).fields
{'category': 'politik'}
"""

from __future__ import annotations

from typing import Any

from whoosh import fields
from whoosh.analysis import IDTokenizer, LowercaseFilter

from searchlib.analysis import IndonesianAnalyzer
from searchlib.documents import Document, metadata_key, parse_date

# search reads the index through this module only, the phrases field's lists included.
from searchlib.index.phrases import PHRASES, PhraseField
from searchlib.index.phrases import indexed_phrase as indexed_phrase
from searchlib.index.phrases import prepare_phrases as prepare_phrases
from searchlib.index.positions import VarintPositions

ID = "id"
TITLE = "title"
BODY = "body"
EXACT_SUFFIX = "_exact"
TITLE_EXACT = TITLE + EXACT_SUFFIX
BODY_EXACT = BODY + EXACT_SUFFIX
#: The stemmed text fields and their written-form twins.
STEMMED_FIELDS = (TITLE, BODY)
EXACT_FIELDS = (TITLE_EXACT, BODY_EXACT)
TEXT_FIELDS = STEMMED_FIELDS + EXACT_FIELDS
DATE = "date"
YEAR = "year"
DATED = "dated"
SOURCE = "source"
SITE = "site"
#: The file a document came from and its content hash (``path<TAB>hash``), for sync.
ORIGIN = "origin"
ORIGIN_SEPARATOR = "\t"
#: Metadata a corpus brings (``category``...) lands in ``meta_<name>``.
META_PREFIX = "meta_"


def _text_field(analyzer: Any, **kwargs: Any) -> Any:
    field = fields.TEXT(analyzer=analyzer, phrase=True, **kwargs)
    field.format = VarintPositions(field_boost=field.format.field_boost)
    # A word that analyses to several tokens (an acronym's expansion `Korut` -> `korea utara`, a
    # compound `Jepang-Korea`) must match them in order, not any one of them.
    field.multitoken_query = "phrase"
    return field


def _keyword_analyzer() -> Any:
    # Metadata values match whole and case-insensitively: `category:Showbiz` == `showbiz`.
    return IDTokenizer() | LowercaseFilter()


def build_schema(*, phrases: bool = True) -> fields.Schema:
    """The Whoosh schema of a searchlib index (metadata goes to the ``meta_*`` glob field).

    ``phrases=False`` leaves out the ``phrases`` field, as in indexes built by searchlib 0.1:
    those open with this schema (their phrases are checked on positions) until ``searchlib
    reindex`` rebuilds them with the field.
    """
    stemmed = IndonesianAnalyzer()
    exact = IndonesianAnalyzer(stem=False, stopwords=False)
    schema = fields.Schema(
        **{
            ID: fields.ID(stored=True, unique=True, sortable=True),
            TITLE: _text_field(stemmed, stored=True),
            TITLE_EXACT: _text_field(exact),
            BODY: _text_field(stemmed, stored=True),
            BODY_EXACT: _text_field(exact),
            # ISO date at its stated precision ("2019-09-20", "2020-01"); sorts as text.
            DATE: fields.ID(stored=True, sortable=True),
            YEAR: fields.ID(sortable=True),
            # "0" dated, "1" undated: the first sort key, so undated documents sort last.
            DATED: fields.ID(sortable=True),
            SOURCE: fields.STORED,
            ORIGIN: fields.ID(),
            # The source's site (host name or JSONL source label), for filters and facets.
            SITE: fields.ID(stored=True, analyzer=_keyword_analyzer(), sortable=True),
        }
    )
    if phrases:
        # The same analyzer objects as the text fields, so each text is analysed once.
        sources = [(TITLE, stemmed), (TITLE_EXACT, exact), (BODY, stemmed), (BODY_EXACT, exact)]
        schema.add(PHRASES, PhraseField(sources))
    # The query language maps `category:` to `meta_category`.
    schema.add(META_PREFIX + "*", fields.ID(stored=True, analyzer=_keyword_analyzer()), glob=True)
    return schema


def fields_of(
    document: Document, origin: str | None = None, *, phrases: bool = True
) -> dict[str, Any]:
    """The field values Whoosh indexes for ``document`` (``origin``: the file sync read;
    ``phrases``: whether the schema has the ``phrases`` field)."""
    title = document.title or ""
    values: dict[str, Any] = {
        ID: document.id,
        TITLE: title,
        TITLE_EXACT: title,
        BODY: document.body,
        BODY_EXACT: document.body,
        DATED: "0" if document.date else "1",
    }
    if phrases:  # one text per source field of the phrases field, in its order
        values[PHRASES] = (title, title, document.body, document.body)
    if document.date:
        values[DATE] = document.date
        values[YEAR] = document.date[:4]
    if document.source:
        values[SOURCE] = document.source
        values[SITE] = site_of(document.source)
    for name, value in document.fields.items():
        values[META_PREFIX + metadata_key(name)] = str(value)
    if origin:
        values[ORIGIN] = origin
    return values


def site_of(source: str | None) -> str | None:
    """The site a source belongs to: a URL's host without ``www.``, or a plain label as is.

    >>> site_of("https://www.baothanhhoa.vn/a/b.htm")
    'baothanhhoa.vn'
    >>> site_of("suara")
    'suara'
    """
    if not source:
        return None
    text = source.strip()
    if "://" in text:
        host = text.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0].lower()
        return host.removeprefix("www.") or None
    return text.lower()


def metadata_fields(reader: Any) -> list[str]:
    """Metadata field names (without prefix) present in a Whoosh reader's index."""
    names = reader.indexed_field_names()
    return sorted(n[len(META_PREFIX) :] for n in names if n.startswith(META_PREFIX))


def stored_metadata(stored: dict[str, Any]) -> dict[str, str]:
    """The metadata of a stored-fields dict, without the field prefix."""
    return {k[len(META_PREFIX) :]: v for k, v in stored.items() if k.startswith(META_PREFIX)}


def document_from_stored(stored: dict[str, Any]) -> Document:
    """Rebuild a :class:`Document` from a Whoosh stored-fields dict.

    A stored date no :class:`Document` would accept (stored as given by an earlier version,
    such as ``"6 Agustus 2021"`` or ``"2021-13-45"``) is read as ISO where it can be and
    dropped where it cannot, so such an index still reads back and ``reindex`` repairs it.
    """
    extra = stored_metadata(stored)
    date = stored.get(DATE)
    return Document(
        id=stored[ID],
        body=stored.get(BODY, ""),
        title=stored.get(TITLE) or None,
        date=parse_date(date) if date else None,
        source=stored.get(SOURCE),
        fields=extra,
    )
