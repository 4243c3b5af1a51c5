"""Documents -> index on disk: :class:`Index`, and the ways documents reach it.

The modules: ``schema`` (field names, Document <-> field values), ``positions`` (the postings
format), ``manifest`` (which analyzer and schema built an index), ``storage`` (the directory,
its lock, damage reports), ``safety`` (restricted unpickling, checksums), ``core``
(:class:`Index`), ``segments`` (pooled and parallel segment writers), ``buffered``
(:class:`BufferedWriter`), ``incremental`` (:func:`sync`: re-index only changed files) and
``rebuild`` (:func:`reindex`: rebuild in place). Only the names below are public.

>>> import tempfile
>>> with Index.create(tempfile.mkdtemp()) as ix:
...     ix.doc_count()
0
"""

from searchlib.index.buffered import BufferedWriter
from searchlib.index.core import DEFAULT_LOCK_TIMEOUT, Index
from searchlib.index.incremental import SyncReport, sync
from searchlib.index.rebuild import reindex

__all__ = ["DEFAULT_LOCK_TIMEOUT", "BufferedWriter", "Index", "SyncReport", "reindex", "sync"]
