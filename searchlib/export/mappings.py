"""Field mappings for OpenSearch 2.x and Elasticsearch 8.x: searchlib's schema, field by field.

Each searchlib field has its counterpart (:data:`FIELD_NAMES` maps index field -> cluster field):

- ``title`` and ``body``: ``text`` analysed by ``searchlib_indonesian`` (the stemmed fields),
  each with a ``.exact`` sub-field analysed by ``searchlib_written`` (searchlib's ``title_exact``
  and ``body_exact``, the written forms), so the document source holds each text once;
- ``id``, ``year``, ``site`` and every ``meta_*`` field: ``keyword``, for filters and for facets
  as ``terms`` aggregations; ``site`` and the metadata match case-insensitively (a ``lowercase``
  normalizer), as in searchlib;
- ``date``: ``date`` in the formats searchlib stores (``2019``, ``2019-09``, ``2019-09-20``);
  ``ignore_malformed`` keeps a document whose date the cluster cannot read (it is then not
  dated there), instead of refusing it;
- ``source``: kept in the document source only (searchlib stores it and searches its site).

Field boosts are query-time in both engines (mapping boosts are deprecated), so
:func:`searchlib.export.to_query_dsl` applies them; the mappings record them in ``_meta`` beside
BM25's ``k1`` and ``b``, which the index settings set as the default similarity.

>>> mappings = index_mappings(metadata=["category"])
>>> mappings["properties"]["title"]["fields"]["exact"]["analyzer"]
'searchlib_written'
>>> mappings["properties"]["meta_category"]["type"], mappings["_meta"]["searchlib"]["field_boosts"]
('keyword', {'title': 2.0, 'body': 1.0, 'title.exact': 1.0, 'body.exact': 0.5})
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from typing import Any, Literal

from searchlib._version import __version__
from searchlib.documents import metadata_key
from searchlib.errors import OptionError
from searchlib.index.schema import (
    BODY,
    BODY_EXACT,
    DATE,
    ID,
    META_PREFIX,
    SITE,
    SOURCE,
    TITLE,
    TITLE_EXACT,
    YEAR,
)
from searchlib.search import Ranking

__all__ = [
    "DATE_FORMAT",
    "FIELD_NAMES",
    "FLAVOURS",
    "KEYWORD_NORMALIZER",
    "STEMMED_ANALYZER",
    "WRITTEN_ANALYZER",
    "Flavour",
    "check_flavour",
    "cluster_field",
    "index_mappings",
    "is_cluster_date",
]

Flavour = Literal["opensearch", "elasticsearch"]
#: The clusters an export is made for: OpenSearch 2.x and Elasticsearch 8.x.
FLAVOURS: tuple[str, ...] = ("opensearch", "elasticsearch")

#: The analyzers of :func:`searchlib.export.analysis_settings`.
STEMMED_ANALYZER = "searchlib_indonesian"
WRITTEN_ANALYZER = "searchlib_written"
#: Lower-cases keyword values (site, metadata), as searchlib's keyword fields do.
KEYWORD_NORMALIZER = "searchlib_keyword"
#: The ISO precisions searchlib stores a date at, in the date-format syntax of both engines.
DATE_FORMAT = "strict_date||strict_year_month||strict_year"
EXACT_SUBFIELD = "exact"

#: searchlib index field -> the field of the cluster's index.
FIELD_NAMES: dict[str, str] = {
    ID: ID,
    TITLE: TITLE,
    BODY: BODY,
    TITLE_EXACT: f"{TITLE}.{EXACT_SUBFIELD}",
    BODY_EXACT: f"{BODY}.{EXACT_SUBFIELD}",
    DATE: DATE,
    YEAR: YEAR,
    SITE: SITE,
    SOURCE: SOURCE,
}

_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_STRPTIME = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}

# Lucene refuses a keyword term over 32,766 bytes (a whole document would be rejected): longer
# values stay in the source without being indexed. 8,191 characters fit in any UTF-8 encoding.
_KEYWORD_CHARS = 8191


def check_flavour(flavour: object) -> str:
    """``flavour`` if it is one of :data:`FLAVOURS`, else an :class:`OptionError`.

    >>> check_flavour("solr")
    Traceback (most recent call last):
    ...
    searchlib.errors.OptionError: unknown flavour 'solr': use opensearch or elasticsearch
    """
    if flavour not in FLAVOURS:
        raise OptionError(f"unknown flavour {flavour!r}: use {' or '.join(FLAVOURS)}")
    return str(flavour)


def is_cluster_date(value: str) -> bool:
    """Whether the date field (:data:`DATE_FORMAT`) reads ``value``: an ISO date at one of
    searchlib's precisions, and a real day.

    >>> is_cluster_date("2019-09"), is_cluster_date("2019-02-30"), is_cluster_date("kemarin")
    (True, False, False)
    """
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return False
    try:
        _dt.datetime.strptime(value, _STRPTIME[len(value)])
    except ValueError:
        return False
    return True


def cluster_field(field: str) -> str:
    """The cluster's name for a searchlib index field (``title_exact`` -> ``title.exact``).

    >>> cluster_field("body_exact"), cluster_field("meta_category")
    ('body.exact', 'meta_category')
    """
    return FIELD_NAMES.get(field, field)


def _keyword(normalized: bool = False) -> dict[str, Any]:
    mapping: dict[str, Any] = {"type": "keyword", "ignore_above": _KEYWORD_CHARS}
    if normalized:
        mapping["normalizer"] = KEYWORD_NORMALIZER
    return mapping


def _text() -> dict[str, Any]:
    return {
        "type": "text",
        "analyzer": STEMMED_ANALYZER,
        "fields": {EXACT_SUBFIELD: {"type": "text", "analyzer": WRITTEN_ANALYZER}},
    }


def index_mappings(
    *, ranking: Ranking | None = None, metadata: Iterable[str] = ()
) -> dict[str, Any]:
    """The ``mappings`` of an index holding searchlib's documents (both flavours alike).

    ``metadata`` names the metadata fields the documents bring (``Index.metadata_fields()``);
    each becomes a ``meta_<name>`` keyword field, and a dynamic template maps any other
    ``meta_*`` field the same way. ``ranking`` (default ``Ranking()``) gives the field boosts
    recorded in ``_meta``.

    >>> index_mappings()["properties"]["date"]["format"]
    'strict_date||strict_year_month||strict_year'
    """
    ranking = ranking or Ranking()
    properties: dict[str, Any] = {
        ID: _keyword(),
        TITLE: _text(),
        BODY: _text(),
        DATE: {"type": "date", "format": DATE_FORMAT, "ignore_malformed": True},
        YEAR: _keyword(),
        SOURCE: {"type": "keyword", "index": False, "doc_values": False},
        SITE: _keyword(normalized=True),
    }
    for name in sorted({metadata_key(name) for name in metadata}):
        properties[META_PREFIX + name] = _keyword(normalized=True)
    boosts = {cluster_field(name): boost for name, boost in ranking.field_boosts().items()}
    return {
        "dynamic_templates": [
            {
                "searchlib_metadata": {
                    "match": f"{META_PREFIX}*",
                    "match_mapping_type": "string",
                    "mapping": _keyword(normalized=True),
                }
            }
        ],
        "properties": properties,
        "_meta": {
            "searchlib": {
                "version": __version__,
                "field_boosts": boosts,
                "bm25": {"k1": ranking.k1, "b": ranking.b},
            }
        },
    }


def keyword_normalizer() -> dict[str, Any]:
    """The ``normalizer`` section the keyword fields use (internal)."""
    return {KEYWORD_NORMALIZER: {"type": "custom", "filter": ["lowercase"]}}


def similarity(ranking: Ranking | None = None) -> dict[str, Any]:
    """``index.similarity``: BM25 with searchlib's ``k1`` and ``b`` for every field (internal)."""
    ranking = ranking or Ranking()
    return {"default": {"type": "BM25", "k1": ranking.k1, "b": ranking.b}}
