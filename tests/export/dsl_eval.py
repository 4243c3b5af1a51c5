"""A small evaluator of the query DSL that ``to_query_dsl`` writes, over searchlib's own tokens.

No OpenSearch or Elasticsearch server runs here, so the tests check what a query body *matches*
by evaluating it the way the engines define each clause (``bool`` with ``must``/``filter``/
``should``/``must_not`` and ``minimum_should_match``, ``term``, ``span_near``, ``prefix``,
``fuzzy``, ``range`` with date math rounding, ``exists``), on documents indexed as the export
maps them: ``title``/``body`` through the stemmed analyzer, their ``.exact`` sub-fields through
the written-form analyzer (the analysis the exported analyzers reproduce, which the Lucene
parity test checks), keywords lower-cased where the mapping normalises them. Scores are not
modelled: only which documents match.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from searchlib import Document, IndonesianAnalyzer
from searchlib.export import document_source

STEMMED = IndonesianAnalyzer()
WRITTEN = IndonesianAnalyzer(stem=False, stopwords=False)
# cluster field -> (the source field it analyses, the exported analyzer)
TEXT = {"title": ("title", "searchlib_indonesian"), "body": ("body", "searchlib_indonesian")}
TEXT |= {"title.exact": ("title", "searchlib_written"), "body.exact": ("body", "searchlib_written")}
NORMALISED = ("site",)  # and every meta_* field


@dataclass
class Doc:
    id: str
    positions: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # text fields
    keywords: dict[str, str] = field(default_factory=dict)
    date: tuple[dt.datetime, dt.datetime] | None = None  # the moments a stored date covers


def _tokens(analyzer: Any, text: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for token in analyzer(text, positions=True, mode="index"):
        found.setdefault(token.text, []).append(token.pos)
    return found


def _period(value: str) -> tuple[dt.datetime, dt.datetime]:
    """A stored date as the engines index it: its first moment (both ends the same)."""
    shape = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}[len(value)]
    moment = dt.datetime.strptime(value, shape)
    return moment, moment


#: (analyzer name, text) -> {term: [positions]}: how a text field is indexed.
Analyse = Callable[[str, str], dict[str, list[int]]]


def searchlib_tokens(analyzer: str, text: str) -> dict[str, list[int]]:
    """searchlib's own tokens for the exported analyzer of that name."""
    chosen = STEMMED if analyzer == "searchlib_indonesian" else WRITTEN
    return _tokens(chosen, text)


def prepare(document: Document, analyse: Analyse = searchlib_tokens) -> Doc:
    """A document as the export indexes it; ``analyse`` gives the text fields' tokens (by
    default searchlib's; the Lucene test passes Lucene's)."""
    source = document_source(document)
    doc = Doc(id=document.id)
    for name, (origin, analyzer) in TEXT.items():
        doc.positions[name] = analyse(analyzer, source.get(origin, "") or "")
    for name, value in source.items():
        if name in TEXT or name in ("body", "date", "source"):
            continue
        normalised = name in NORMALISED or name.startswith("meta_")
        doc.keywords[name] = value.lower() if normalised else value
    if "date" in source:
        doc.date = _period(source["date"])
    return doc


def matches(q: dict[str, Any], doc: Doc) -> bool:
    (kind, spec), *rest = q.items()
    assert not rest, q
    return _KINDS[kind](spec, doc)


def _bool(spec: dict[str, Any], doc: Doc) -> bool:
    known = {"must", "filter", "should", "must_not", "minimum_should_match", "boost"}
    assert set(spec) <= known, spec
    if not all(matches(c, doc) for c in spec.get("must", []) + spec.get("filter", [])):
        return False
    if any(matches(c, doc) for c in spec.get("must_not", [])):
        return False
    should = spec.get("should", [])
    default = 0 if ("must" in spec or "filter" in spec) else 1
    wanted = spec.get("minimum_should_match", default if should else 0)
    return sum(matches(c, doc) for c in should) >= wanted


def _one(spec: dict[str, Any]) -> tuple[str, Any]:
    (name, inner), *rest = spec.items()
    assert not rest, spec
    return name, inner


def _term(spec: dict[str, Any], doc: Doc) -> bool:
    name, inner = _one(spec)
    value = inner["value"] if isinstance(inner, dict) else inner
    if name in doc.positions:
        return value in doc.positions[name]
    normalised = name in NORMALISED or name.startswith("meta_")
    return doc.keywords.get(name) == (value.lower() if normalised else value)


def _words(name: str, doc: Doc) -> list[str]:
    if name in doc.positions:
        return list(doc.positions[name])
    return [doc.keywords[name]] if name in doc.keywords else []


def _prefix(spec: dict[str, Any], doc: Doc) -> bool:
    name, inner = _one(spec)
    return any(word.startswith(inner["value"]) for word in _words(name, doc))


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _fuzzy(spec: dict[str, Any], doc: Doc) -> bool:
    name, inner = _one(spec)
    assert inner["transpositions"] is False
    value, distance, fixed = inner["value"], inner["fuzziness"], inner["prefix_length"]
    return any(
        word[:fixed] == value[:fixed] and _levenshtein(word, value) <= distance
        for word in _words(name, doc)
    )


def _wildcard(spec: dict[str, Any], doc: Doc) -> bool:
    name, inner = _one(spec)
    pattern = re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in inner["value"])
    )
    return any(pattern.fullmatch(word) for word in _words(name, doc))


def _span_near(spec: dict[str, Any], doc: Doc) -> bool:
    assert spec["in_order"] is True
    terms = [_one(c["span_term"]) for c in spec["clauses"]]
    names = {name for name, _ in terms}
    assert len(names) == 1, spec
    positions = doc.positions.get(names.pop(), {})
    lists = [positions.get(word, []) for _, word in terms]

    def extend(index: int, last: int, gaps: int) -> bool:
        if index == len(lists):
            return True
        return any(
            extend(index + 1, p, gaps + p - last - 1)
            for p in lists[index]
            if p > last and gaps + p - last - 1 <= spec["slop"]
        )

    return any(extend(1, start, 0) for start in lists[0]) if lists and lists[0] else False


_UNITS = {"y": "%Y", "M": "%Y-%m", "d": "%Y-%m-%d"}


def _bound(text: str, up: bool) -> dt.datetime:
    """A date-math bound ``2019-09||/M``: its first moment, or (``up``) its last."""
    value, unit = text.split("||/")
    start = dt.datetime.strptime(value, _UNITS[unit])
    if not up:
        return start
    if unit == "y":
        end = start.replace(year=start.year + 1)
    elif unit == "M":
        end = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    else:
        end = start + dt.timedelta(days=1)
    return end - dt.timedelta(milliseconds=1)


def _range(spec: dict[str, Any], doc: Doc) -> bool:
    name, inner = _one(spec)
    if name == "date":
        if doc.date is None:
            return False
        moment = doc.date[0]
        checks = {
            "gte": lambda b: moment >= _bound(b, up=False),
            "gt": lambda b: moment > _bound(b, up=True),
            "lte": lambda b: moment <= _bound(b, up=True),
            "lt": lambda b: moment < _bound(b, up=False),
        }
    else:
        words = _words(name, doc)
        checks = {
            "gte": lambda b: any(w >= b for w in words),
            "gt": lambda b: any(w > b for w in words),
            "lte": lambda b: any(w <= b for w in words),
            "lt": lambda b: any(w < b for w in words),
        }
    return all(check(inner[key]) for key, check in checks.items() if key in inner)


def _exists(spec: dict[str, Any], doc: Doc) -> bool:
    name = spec["field"]
    if name == "date":
        return doc.date is not None
    return bool(_words(name, doc))


_KINDS = {
    "bool": _bool,
    "term": _term,
    "prefix": _prefix,
    "fuzzy": _fuzzy,
    "wildcard": _wildcard,
    "span_near": _span_near,
    "range": _range,
    "exists": _exists,
    "match_all": lambda spec, doc: True,
    "match_none": lambda spec, doc: False,
}


def search(body: dict[str, Any], docs: list[Doc]) -> set[str]:
    """The ids of the documents a search body's query matches."""
    return {doc.id for doc in docs if matches(body["query"], doc)}
