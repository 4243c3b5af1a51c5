"""searchlib -> OpenSearch 2.x / Elasticsearch 8.x: the analysis, mappings, documents, queries.

When a corpus outgrows one machine, :func:`export_opensearch` writes what a cluster needs to
hold the same index: the index settings (searchlib's Indonesian analysis rebuilt from stock
analysis components, no plugin) and field mappings, the rules files the analysis reads, and the
documents as bulk NDJSON. :func:`to_query_dsl` turns searchlib's query language into the query
DSL of both engines. ``searchlib export opensearch --index DIR --out DIR`` is the command.

- ``analysis`` (:func:`analysis_settings`, :func:`rules_files`): the ``searchlib_indonesian``
  and ``searchlib_written`` analyzers;
- ``mappings`` (:func:`index_mappings`): the fields, their types and boosts;
- ``documents`` (:func:`bulk_lines`, :func:`document_source`): a searchlib index as bulk lines;
- ``query`` (:func:`to_query_dsl`): query text -> search request body;
- ``writer`` (:func:`export_opensearch`, :class:`ExportReport`): all of it into one folder.

>>> to_query_dsl("date:2019")["query"]["range"]["date"]["lte"]
'2019||/y'
"""

from searchlib.export.analysis import analysis_settings, rules_files
from searchlib.export.documents import bulk_lines, document_source
from searchlib.export.mappings import index_mappings
from searchlib.export.query import to_query_dsl
from searchlib.export.writer import ExportReport, export_opensearch, index_body

__all__ = [
    "ExportReport",
    "analysis_settings",
    "bulk_lines",
    "document_source",
    "export_opensearch",
    "index_body",
    "index_mappings",
    "rules_files",
    "to_query_dsl",
]
