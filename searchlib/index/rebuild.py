"""Rebuild an index in place from its own stored documents (``searchlib reindex --index DIR``).

:meth:`Index.open` refuses an index that another analyzer or schema built
(:class:`~searchlib.errors.IndexVersionError`), because its terms no longer match what queries
analyse to. A searchlib index stores every document whole (body, title, date, source, metadata),
so it can be rebuilt from itself, without the source files:

>>> import json, tempfile
>>> from pathlib import Path
>>> from searchlib import Document, Index
>>> path = Path(tempfile.mkdtemp())
>>> with Index.create(path) as ix:
...     _ = ix.add(Document(id="a", body="Harga beras naik."))
...     ix.commit()
>>> manifest = json.loads((path / "searchlib.json").read_text())
>>> manifest["analyzer_fingerprint"] = "an older analyzer"
>>> _ = (path / "searchlib.json").write_text(json.dumps(manifest))
>>> reindex(path)
1
>>> Index.open(path).search("beras").hits[0].id
'a'

The rebuild holds the index's write lock throughout, so no writer's documents slip between the
read and the rewrite; readers keep searching the old commit until the new one replaces it. It is
one Whoosh commit that swaps every segment at once, followed by the manifest: killed before the
commit, the index is unchanged; killed between the two, the manifest still names the old
analyzer, so the index is refused again and a second ``reindex`` completes the job.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.writing import CLEAR

from searchlib.documents import Document
from searchlib.errors import IndexLockedError, IndexNotFoundError, SearchlibError
from searchlib.index.core import DEFAULT_LOCK_TIMEOUT
from searchlib.index.incremental import origins, with_origin
from searchlib.index.manifest import MANIFEST_NAME, has_whoosh_index, write_manifest
from searchlib.index.safety import record_checksums
from searchlib.index.schema import BODY, ID, build_schema, document_from_stored, fields_of
from searchlib.index.segments import new_writer
from searchlib.index.storage import abandon, damaged, open_whoosh, write_error

__all__ = ["reindex"]


def reindex(
    path: str | os.PathLike[str],
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    allow_unsafe_pickles: bool = False,
) -> int:
    """Re-analyse every document of the index at ``path`` with this searchlib; return the count.

    Works whatever analyzer or schema version built the index, as long as its documents are
    stored. Raises :class:`~searchlib.errors.IndexLockedError` when another writer holds the
    lock for longer than ``lock_timeout`` seconds, and
    :class:`~searchlib.errors.IndexCorruptError` when the stored documents cannot be read.
    ``allow_unsafe_pickles`` is as for :meth:`Index.open`.
    """
    directory = Path(path)
    if not (directory / MANIFEST_NAME).is_file() and not has_whoosh_index(directory):
        raise IndexNotFoundError(f"no index at {directory} to rebuild")
    schema = build_schema()
    ix = open_whoosh(directory, schema, allow_unsafe_pickles)
    try:
        writer = new_writer(ix, 1, timeout=lock_timeout)  # durable: fsync before it returns
    except whoosh_index.LockError as exc:
        raise IndexLockedError(
            f"the index at {directory} is locked by another writer "
            f"(waited {lock_timeout:g} s); reindex it when that writer has committed"
        ) from exc
    except OSError as exc:
        raise write_error(directory, exc, "reindex") from exc
    count = 0
    try:
        # Read after taking the lock: this is the latest commit, and no other can follow it.
        for document in _stored_documents(directory, ix):
            writer.add_document(**fields_of(document, getattr(document, "origin", None)))
            count += 1
        writer.commit(mergetype=CLEAR)  # the new segment replaces every old one at once
    except BaseException:
        abandon(writer)
        raise
    write_manifest(directory, schema)
    record_checksums(directory, ix)
    return count


def _stored_documents(directory: Path, ix: Any) -> Iterator[Document]:
    try:
        reader = ix.reader()
    except Exception as exc:
        raise damaged(directory, exc) from exc
    try:
        try:
            origin_of = origins(reader)
        except Exception as exc:
            raise damaged(directory, exc) from exc
        stored_fields = reader.iter_docs()  # live documents only, with their numbers
        while True:
            try:
                docnum, stored = next(stored_fields)
            except StopIteration:
                return
            except Exception as exc:  # a damaged segment fails deep inside Whoosh
                raise damaged(directory, exc) from exc
            if not stored.get(ID) or BODY not in stored:
                raise SearchlibError(
                    f"the index at {directory} holds a document without a stored id and body, "
                    "so it cannot be rebuilt from itself; index the source files again "
                    f"(`searchlib index PATH... --index {directory}` into a new directory)"
                )
            document = document_from_stored(stored)
            origin = origin_of.get(docnum)
            # Keep the file a document came from, so a later `searchlib index` (sync) still
            # knows the file is indexed and does not add its documents a second time.
            yield with_origin(document, origin) if origin else document
    finally:
        reader.close()
