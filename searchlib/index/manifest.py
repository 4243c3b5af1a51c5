"""``searchlib.json``: which analyzer and schema built an index, checked at every open.

Internal to :mod:`searchlib.index`.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from searchlib._version import __version__
from searchlib.analysis.fingerprint import analyzer_fingerprint, fingerprint_matches
from searchlib.errors import IndexCorruptError, IndexNotFoundError, IndexVersionError
from searchlib.index.durable import write_atomically
from searchlib.index.phrases import PHRASES, phrase_field_of
from searchlib.index.schema import META_PREFIX, build_schema

MANIFEST_NAME = "searchlib.json"
SCHEMA_VERSION = 1
#: The manifest's record of each text field's acronym phrases (absent before 0.2).
PHRASES_KEY = "acronym_phrases"


def has_whoosh_index(directory: Path) -> bool:
    """Whether ``directory`` holds a Whoosh table of contents."""
    return directory.is_dir() and any(directory.glob("_MAIN_*.toc"))


def write_manifest(directory: Path, schema: Any) -> None:
    name, fingerprint = analyzer_fingerprint()
    manifest = {
        "format": "searchlib-index",
        "schema_version": SCHEMA_VERSION,
        "analyzer": name,
        "analyzer_fingerprint": fingerprint,
        "searchlib_version": __version__,
        "schema": describe_schema(schema),
    }
    phrase_field = phrase_field_of(schema)
    if phrase_field is not None:
        # What a new process would otherwise work out at its first search (see PhraseField).
        manifest[PHRASES_KEY] = phrase_field.recorded()
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_atomically(directory / MANIFEST_NAME, text.encode("utf-8"))


def describe_schema(schema: Any) -> dict[str, str]:
    """Each field of a schema as a line of text: type, postings format, flags, analyzer.

    Recorded in the manifest, so that an index built with another schema (a field added, a
    format or an analyzer option changed) is refused even if nobody bumped ``SCHEMA_VERSION``.

    >>> from searchlib.index.schema import build_schema
    >>> describe_schema(build_schema())["id"]
    'ID format=Existence stored unique sortable analyzer=IDTokenizer'
    """
    names = sorted(schema.names())
    described = {name: _describe_field(schema[name]) for name in names}
    with contextlib.suppress(KeyError):  # the metadata glob field, if the schema has one
        described[META_PREFIX + "*"] = _describe_field(schema[META_PREFIX + "probe"])
    return described


def _describe_field(field: Any) -> str:
    parts = [type(field).__name__]
    if getattr(field, "format", None) is not None:
        parts.append(f"format={type(field.format).__name__}")
    for flag in ("stored", "unique", "scorable"):
        if getattr(field, flag, False):
            parts.append(flag)
    if getattr(field, "column_type", None) is not None:
        parts.append("sortable")
    if getattr(field, "multitoken_query", "default") != "default":
        parts.append(f"multitoken={field.multitoken_query}")
    analyzer = getattr(field, "analyzer", None)
    if analyzer is not None:
        parts.append(f"analyzer={_describe_analyzer(analyzer)}")
    return " ".join(parts)


def _describe_analyzer(analyzer: Any) -> str:
    items = getattr(analyzer, "items", None)
    if isinstance(items, list):  # a Whoosh CompositeAnalyzer: tokenizer | filter | ...
        return "|".join(type(item).__name__ for item in items)
    text = type(analyzer).__name__
    options = getattr(analyzer, "options", None)
    if isinstance(options, dict):
        text += json.dumps(options, sort_keys=True, separators=(",", ":"), default=repr)
    return text


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST_NAME
    if not path.is_file():
        if has_whoosh_index(directory):
            raise IndexVersionError(
                f"{directory} holds a Whoosh index that searchlib did not build; "
                f"rebuild it with `searchlib index PATH... --index {directory}`"
            )
        raise IndexNotFoundError(
            f"no index at {directory}; "
            f"create one with `searchlib index PATH... --index {directory}`"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"the manifest {path} is unreadable: {exc}") from exc
    if not isinstance(manifest, dict):
        raise IndexCorruptError(f"the manifest {path} is not a JSON object")
    return manifest


def recorded_schema(manifest: dict[str, Any]) -> Any:
    """The schema to open an index with: this searchlib's, or the same without the ``phrases``
    field when the manifest records a schema without it (an index built by searchlib 0.1, whose
    documents have no phrase tokens) or none at all (before 0.1.0). ``searchlib reindex``
    rebuilds such an index with the field.

    >>> PHRASES in recorded_schema({"schema": describe_schema(build_schema())})
    True
    >>> PHRASES in recorded_schema({"schema": {"id": "ID format=Existence"}})
    False
    """
    recorded = manifest.get("schema")
    return build_schema(phrases=isinstance(recorded, dict) and PHRASES in recorded)


def check_manifest(directory: Path, manifest: dict[str, Any], schema: Any = None) -> None:
    name, fingerprint = analyzer_fingerprint()
    how = f"rebuild it with `searchlib reindex --index {directory}`"
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise IndexVersionError(
            f"the index at {directory} has schema version {manifest.get('schema_version')}, "
            f"this searchlib uses {SCHEMA_VERSION}; {how}"
        )
    recorded = manifest.get("analyzer_fingerprint")
    if manifest.get("analyzer") != name or not fingerprint_matches(recorded):
        raise IndexVersionError(
            f"the index at {directory} was built by analyzer {manifest.get('analyzer')} "
            f"({recorded}), this searchlib's is {name} "
            f"({fingerprint}); {how}"
        )
    recorded = manifest.get("schema")
    if schema is not None and recorded is not None:  # manifests before 0.1.0 did not record it
        current = describe_schema(schema)
        if recorded != current:
            changed = sorted(
                n for n in set(current) | set(recorded) if current.get(n) != recorded.get(n)
            )
            raise IndexVersionError(
                f"the index at {directory} was built with another schema (fields that differ: "
                f"{', '.join(changed)}); {how}"
            )


def use_recorded_phrases(schema: Any, manifest: dict[str, Any]) -> None:
    """Give the schema's ``phrases`` field the acronym phrases the manifest recorded, if it
    recorded them (indexes built before 0.2 did not: their phrases are worked out on first
    use, as a malformed record's are)."""
    phrase_field = phrase_field_of(schema)
    if phrase_field is not None:
        phrase_field.use_recorded(manifest.get(PHRASES_KEY))
