"""Write a searchlib index out for OpenSearch or Elasticsearch: :func:`export_opensearch`.

The folder it writes holds everything a cluster needs (``docs/howto/scaling-out.md`` shows the
requests that load it):

- ``settings.json``: the body of ``PUT /<index>`` (settings with the analysis and BM25, and the
  mappings), from :func:`index_body`;
- the rules files the analysis reads (stems, synonyms, stopwords...), at the relative paths the
  settings name: copy them into the ``config`` directory of every node;
- ``bulk/documents-00001.ndjson``...: the documents, for ``POST /<index>/_bulk``, each file
  under ``max_bulk_bytes`` (both engines refuse requests over 100 MB by default);
- ``searchlib-export.json``: what was written, from which index, with which searchlib.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from searchlib._version import __version__
from searchlib.errors import ExportError, OptionError, OptionTypeError, SearchlibError
from searchlib.export.analysis import analysis_settings, rules_files
from searchlib.export.documents import MAX_ID_BYTES, bulk_action, document_source, ndjson
from searchlib.export.mappings import (
    DATE_FORMAT,
    check_flavour,
    index_mappings,
    is_cluster_date,
    keyword_normalizer,
    similarity,
)
from searchlib.index import Index
from searchlib.search import Ranking
from searchlib.search.options import check_count

__all__ = ["MARKER", "ExportReport", "export_opensearch", "index_body"]

SETTINGS_NAME = "settings.json"
BULK_FOLDER = "bulk"
#: The file that marks a folder as a searchlib export (and lists what it wrote).
MARKER = "searchlib-export.json"
DEFAULT_BULK_BYTES = 10_000_000
#: What happens to words outside the stem rules (see :func:`searchlib.export.analysis_settings`).
UNKNOWN_WORDS = ("keep", "stem")


@dataclass
class ExportReport:
    """What :func:`export_opensearch` wrote. Paths are relative to ``out_dir``.

    ``long_ids`` counts documents whose id is over 512 bytes (their ``_id`` is derived from the
    id, which the source keeps); ``undated_in_cluster`` counts documents whose date the
    cluster's date field cannot read (they keep it in the source but are not dated there).
    """

    out_dir: Path
    flavour: str
    index_dir: Path
    documents: int
    settings: str
    rules: list[str] = field(default_factory=list)
    bulk: list[str] = field(default_factory=list)
    long_ids: int = 0
    undated_in_cluster: int = 0

    def files(self) -> list[str]:
        """Every file written, the marker last."""
        return [self.settings, *self.rules, *self.bulk, MARKER]

    def summary(self) -> str:
        """One line for people."""
        noun = "document" if self.documents == 1 else "documents"
        text = (
            f"exported {self.documents:,} {noun} for {self.flavour} into {self.out_dir}: "
            f"{self.settings}, {_count(len(self.rules), 'rules file')}, "
            f"{_count(len(self.bulk), 'bulk file')}"
        )
        if self.long_ids:
            text += f"; {self.long_ids} ids over {MAX_ID_BYTES} bytes got a derived _id"
        if self.undated_in_cluster:
            text += f"; {self.undated_in_cluster} dates the cluster cannot read"
        return text

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON values."""
        out = asdict(self)
        out["out_dir"], out["index_dir"] = str(self.out_dir), str(self.index_dir)
        out["files"] = self.files()
        return out


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def index_body(
    flavour: str = "opensearch",
    *,
    ranking: Ranking | None = None,
    metadata: Iterable[str] = (),
    unknown_words: str = "keep",
) -> dict[str, Any]:
    """The body of ``PUT /<index>``: settings (analysis, BM25 with searchlib's ``k1``/``b``)
    and mappings, for ``flavour`` ``"opensearch"`` (2.x) or ``"elasticsearch"`` (8.x).
    ``unknown_words`` is :func:`~searchlib.export.analysis_settings`'s: words outside the stem
    rules are kept as written (``"keep"``, measured the better) or go to Lucene's ``indonesian``
    stemmer (``"stem"``).

    >>> body = index_body("elasticsearch")
    >>> sorted(body), sorted(body["settings"]["index"])
    (['mappings', 'settings'], ['analysis', 'similarity'])
    """
    flavour = check_flavour(flavour)
    settings = analysis_settings(flavour, unknown_words=unknown_words)  # type: ignore[arg-type]
    analysis = dict(settings)
    normalizers = dict(analysis.get("normalizer", {}))
    for name, spec in keyword_normalizer().items():
        normalizers.setdefault(name, spec)
    analysis["normalizer"] = normalizers
    return {
        "settings": {"index": {"analysis": analysis, "similarity": similarity(ranking)}},
        "mappings": index_mappings(ranking=ranking, metadata=metadata),
    }


def export_opensearch(
    index_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    flavour: str = "opensearch",
    overwrite: bool = False,
    ranking: Ranking | None = None,
    max_bulk_bytes: int = DEFAULT_BULK_BYTES,
    unknown_words: str = "keep",
) -> ExportReport:
    """Export the searchlib index at ``index_dir`` into the folder ``out_dir`` for a cluster.

    ``flavour`` is ``"opensearch"`` (OpenSearch 2.x) or ``"elasticsearch"`` (Elasticsearch
    8.x). ``out_dir`` is made if missing; a folder that holds anything is refused with
    :class:`~searchlib.errors.ExportError` unless ``overwrite=True`` and it is an earlier
    searchlib export (its files are then replaced; a folder searchlib did not write is never
    emptied). An unwritable folder is an ``ExportError`` too; a missing or damaged index raises
    what :meth:`Index.open` raises. The index is only read. ``ranking`` (default ``Ranking()``)
    gives the BM25 parameters and the boosts recorded in the mappings; ``unknown_words`` is
    :func:`index_body`'s.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from searchlib import Document, Index
    >>> ix_dir, out = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp()) / "export"
    >>> with Index.create(ix_dir) as ix:
    ...     _ = ix.add(Document(id="a", title="Banjir", body="Banjir di Jakarta."))
    ...     ix.commit()
    >>> report = export_opensearch(ix_dir, out)
    >>> report.documents, report.bulk, (out / "settings.json").is_file()
    (1, ['bulk/documents-00001.ndjson'], True)
    """
    flavour = check_flavour(flavour)
    if not isinstance(overwrite, bool):
        raise OptionTypeError(f"overwrite must be True or False, not {overwrite!r}")
    max_bulk_bytes = check_count("max_bulk_bytes", max_bulk_bytes, minimum=1024)
    if unknown_words not in UNKNOWN_WORDS:
        raise OptionError(f"unknown_words is 'keep' or 'stem', not {unknown_words!r}")
    if ranking is not None and not isinstance(ranking, Ranking):
        raise OptionTypeError(f"ranking must be a Ranking or None, not {ranking!r}")
    source_dir, target = Path(index_dir), Path(out_dir)
    if _inside(target, source_dir):
        raise ExportError(
            f"cannot export into {target}: it is inside the index at {source_dir}; "
            "choose a folder outside it"
        )
    # The cheap checks (the index, the folder) come before the rules files, which take several
    # seconds to build the first time in a process.
    with Index.open(source_dir) as index:
        _prepare(target, overwrite)
        body = index_body(
            flavour,
            ranking=ranking,
            metadata=index.metadata_fields(),
            unknown_words=unknown_words,
        )
        rules = _checked_rules(rules_files())
        report = ExportReport(
            out_dir=target,
            flavour=flavour,
            index_dir=source_dir,
            documents=0,
            settings=SETTINGS_NAME,
            rules=sorted(rules),
        )
        try:
            _write_marker(report, complete=False)
            _write_text(target / SETTINGS_NAME, json.dumps(body, ensure_ascii=False, indent=2))
            for name, content in rules.items():
                _write_text(target / name, content)
            _write_bulk(index, report, max_bulk_bytes)
            _write_marker(report, complete=True)
        except SearchlibError:  # the index's own problems (IndexCorruptError...) stay theirs
            raise
        except OSError as exc:
            raise _write_error(target, exc) from exc
    return report


def _inside(target: Path, index_dir: Path) -> bool:
    """Whether ``target`` is ``index_dir`` or below it (symlinks resolved)."""
    try:
        folder, index = target.resolve(), index_dir.resolve()
    except OSError:  # pragma: no cover - a path the OS cannot resolve: let open() report it
        return False
    return folder == index or index in folder.parents


def _checked_rules(files: dict[str, str]) -> dict[str, str]:
    for name in files:
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ExportError(f"a rules file has the unsafe name {name!r}")  # pragma: no cover
    return dict(files)


def _prepare(target: Path, overwrite: bool) -> None:
    """Make ``target`` ready: created, empty, or an earlier export whose files are removed."""
    try:
        if target.exists() and not target.is_dir():
            raise ExportError(f"cannot export into {target}: it is a file, not a folder")
        target.mkdir(parents=True, exist_ok=True)
        entries = list(target.iterdir())
        if not entries:
            if not os.access(target, os.W_OK | os.X_OK):
                raise ExportError(f"cannot export into {target}: this user may not write there")
            return
        marker = target / MARKER
        if not overwrite:
            raise ExportError(
                f"cannot export into {target}: the folder is not empty; choose a new folder, "
                "or pass overwrite=True (--overwrite) to replace an earlier export there"
            )
        if not marker.is_file():
            raise ExportError(
                f"cannot export into {target}: the folder is not empty and holds no earlier "
                f"searchlib export ({MARKER}), so nothing in it is replaced; choose a new folder"
            )
        _remove_earlier_export(target, marker)
    except ExportError:
        raise
    except OSError as exc:
        raise _write_error(target, exc) from exc


def _remove_earlier_export(target: Path, marker: Path) -> None:
    try:
        listed = json.loads(marker.read_text(encoding="utf-8")).get("files", [])
    except (ValueError, AttributeError):
        listed = []
    names = {str(name) for name in listed if isinstance(name, str)} | {SETTINGS_NAME}
    bulk = target / BULK_FOLDER
    if bulk.is_dir():
        names |= {f"{BULK_FOLDER}/{p.name}" for p in bulk.glob("documents-*.ndjson")}
    for name in sorted(names):
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts:
            continue
        (target / name).unlink(missing_ok=True)
        # Folders the export made go when they are left empty.
        for parent in (target / name).parents:
            if parent == target or target not in parent.parents:
                break
            with contextlib.suppress(OSError):
                parent.rmdir()
    marker.unlink(missing_ok=True)


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(text if text.endswith("\n") else text + "\n")


def _write_bulk(index: Index, report: ExportReport, max_bytes: int) -> None:
    folder = report.out_dir / BULK_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    out = None
    written = 0
    try:
        for document in index.documents():
            pair = bulk_action(document.id) + "\n" + ndjson(document_source(document)) + "\n"
            data = pair.encode("utf-8")
            if out is None or (written and written + len(data) > max_bytes):
                if out is not None:
                    out.close()
                name = f"{BULK_FOLDER}/documents-{len(report.bulk) + 1:05d}.ndjson"
                report.bulk.append(name)
                out = (report.out_dir / name).open("wb")
                written = 0
            out.write(data)
            written += len(data)
            report.documents += 1
            if len(document.id.encode("utf-8")) > MAX_ID_BYTES:
                report.long_ids += 1
            if document.date and not is_cluster_date(document.date):
                report.undated_in_cluster += 1
    finally:
        if out is not None:
            out.close()


def _write_marker(report: ExportReport, complete: bool) -> None:
    content = {
        "searchlib": __version__,
        "complete": complete,
        "flavour": report.flavour,
        "index": str(report.index_dir),
        "documents": report.documents,
        "date_format": DATE_FORMAT,
        "files": report.files(),
    }
    _write_text(report.out_dir / MARKER, json.dumps(content, ensure_ascii=False, indent=2))


def _write_error(target: Path, exc: OSError) -> ExportError:
    reason = exc.strerror or str(exc)
    where = exc.filename or target
    return ExportError(f"cannot write the export into {target}: {reason} ({where})")
