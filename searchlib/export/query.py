"""searchlib's query language -> OpenSearch / Elasticsearch query DSL (:func:`to_query_dsl`).

The query is parsed by searchlib's own parser (:mod:`searchlib.search.query`), exactly as
:meth:`searchlib.Index.search` parses it: the same natural-language OR with the field boosts,
question words and stopwords dropped, acronyms expanded, quoted phrases on the written forms,
``field:value`` clauses required, ``a b NOT c`` as "a or b but not c", the Indonesian operators.
The parsed query is then written out clause by clause:

================================  ===================================================
searchlib                         query DSL
================================  ===================================================
word (each field, its boost)      ``term`` in a ``bool`` ``should``
phrase, multi-word expansion      ``span_near`` of ``span_term`` (in order)
``+a b``                          ``bool`` ``must`` a, ``should`` b
``a AND b``, ``DAN``              ``bool`` ``must``
``NOT``, ``-``, ``BUKAN``         ``bool`` ``must_not``
``field:value`` (id, source,      ``term`` in the ``bool`` ``filter``
date, year, metadata)
``date:2019``, ``date:[a TO b]``  ``range`` on the date, rounded to the precision written
``kerja*``, ``word~2``            ``prefix``, ``fuzzy`` (Levenshtein, no transpositions)
================================  ===================================================

The terms are searchlib's own analysis of the query (stems, written forms), so they match what
the exported analyzers index; the cluster's search analyzer is not involved. Whoosh's
coordination factor (``Ranking.or_factor``, off by default) and searchlib's rerank (proximity,
lede, written-form bonus) have no counterpart: the DSL reproduces the core BM25 ranking.

>>> dsl = to_query_dsl("menteri")
>>> dsl["query"]["bool"]["should"][0]
{'term': {'title': {'value': 'menteri', 'boost': 2.0}}}
>>> to_query_dsl("korea BUKAN utara")["query"]["bool"]["must_not"][0]["bool"]["should"][1]
{'term': {'body': {'value': 'utara'}}}
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from whoosh import query as wq

from searchlib.documents import metadata_key
from searchlib.errors import OptionTypeError, QueryError
from searchlib.export.mappings import DATE_FORMAT, cluster_field, is_cluster_date
from searchlib.index.schema import (
    DATE,
    META_PREFIX,
    STEMMED_FIELDS,
    TEXT_FIELDS,
    build_schema,
)
from searchlib.search import Ranking
from searchlib.search.options import FACETS, check_count, check_search_options
from searchlib.search.query import (
    MAX_FUZZY_DISTANCE,
    MAX_FUZZY_WORD,
    MAX_PATTERN_TERMS,
    MAX_PATTERNS,
    QUERY_FIELDS,
    check_query_text,
    date_filter,
    parse_query,
)

__all__ = ["to_query_dsl"]

_EXACT_TEXT_FIELDS = frozenset(TEXT_FIELDS) - frozenset(STEMMED_FIELDS)
_ROUNDING = {4: "y", 7: "M", 10: "d"}  # ISO length -> date-math unit
_FACET_SIZE = 100  # buckets per facet, most frequent first


@functools.cache
def _schema() -> Any:
    return build_schema()


def to_query_dsl(
    query: str,
    *,
    metadata: Iterable[str] = (),
    ranking: Ranking | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    sort: str = "score",
    facets: bool | Sequence[str] = False,
    limit: int = 10,
    page: int = 1,
) -> dict[str, Any]:
    """The search request body (``POST /<index>/_search``) for a searchlib query.

    The arguments are :meth:`searchlib.Index.search`'s: ``date_from``/``date_to`` become a
    ``range`` filter, ``sort="date"``/``"-date"`` a date sort (undated last), ``facets`` one
    ``terms`` aggregation per facet (``site``, ``year``, ``category`` or the names given),
    ``limit``/``page`` ``size``/``from``. ``metadata`` names the metadata fields that
    ``name:value`` may address (``Index.metadata_fields()``; any other ``name:`` is text, as in
    searchlib). A query of only stopwords becomes ``match_none``, and so does ``date:TEXT``
    where no date starts with TEXT (``date:kemarin``), as searchlib finds nothing for either.
    Raises :class:`~searchlib.errors.QueryError` where searchlib would, and for a date range
    whose end is not an ISO date (``date:[2019 TO kemarin]``: the cluster's date field cannot
    compare it).

    >>> body = to_query_dsl('"kerja sama" source:kompas.com', limit=5)
    >>> body["size"], body["query"]["bool"]["filter"]
    (5, [{'term': {'site': {'value': 'kompas.com'}}}])
    >>> body["query"]["bool"]["must"][0]["bool"]["should"][0]["span_near"]["clauses"]
    [{'span_term': {'title.exact': 'kerja'}}, {'span_term': {'title.exact': 'sama'}}]
    """
    if isinstance(metadata, str):
        raise OptionTypeError(f"metadata must be a list of field names, not {metadata!r}")
    size = check_count("limit", limit)
    page = check_count("page", page)
    check_search_options(
        sort=sort,
        date_from=date_from,
        date_to=date_to,
        facets=facets,
        snippets=False,
        ranking=ranking,
    )
    ranking = ranking or Ranking()
    names = {metadata_key(name) for name in metadata}
    fields = dict(QUERY_FIELDS)
    for name in sorted(names):
        fields.setdefault(name, META_PREFIX + name)
    parsed = parse_query(check_query_text(query), _schema(), ranking, fields)
    date_filter(date_from, date_to)  # searchlib's checks of the two dates
    clause = {"match_none": {}} if parsed is None else _translate(parsed.query)
    if parsed is not None:
        _check_patterns(parsed.query)
    filters = _date_bounds(date_from, date_to)
    if filters:
        clause = _with_filters(clause, [filters])
    body: dict[str, Any] = {"query": clause, "from": (page - 1) * size, "size": size}
    if sort != "score":
        order = "desc" if sort == "-date" else "asc"
        body["sort"] = [{DATE: {"order": order, "missing": "_last"}}, {"id": "asc"}]
    if facets:
        body["aggs"] = _aggregations(facets, names)
    return body


# -- clauses ---------------------------------------------------------------------------------


def _translate(q: Any) -> dict[str, Any]:
    """One Whoosh query node as a DSL clause."""
    kind = type(q)
    if kind is wq.Term:
        return _term(q)
    if kind is wq.Phrase:
        return _phrase(q)
    if kind is wq.Or:
        return _bool(should=_merged([_translate(c) for c in q.subqueries]), boost=q.boost)
    if kind is wq.And:
        return _conjunction(list(q.subqueries), boost=q.boost)
    if issubclass(kind, wq.AndNot):  # Whoosh's or searchlib's own (_whoosh.AndNot)
        positive = _translate(q.a)
        return _bool(must=[positive], must_not=[_translate(q.b)])
    if kind is wq.Not:
        return _bool(must_not=[_translate(q.query)], boost=q.boost)
    if kind is wq.AndMaybe:
        return _bool(must=[_translate(q.a)], should=[_translate(q.b)])
    if kind is wq.Require:
        return _bool(must=[_translate(q.a)], filter=[_translate(q.b)])
    if kind is wq.Prefix and q.fieldname == DATE:
        return _date_prefix(_text(q.text), boost=q.boost)
    if kind is wq.Prefix:
        return _leaf("prefix", q.fieldname, {"value": _text(q.text)}, q.boost)
    if kind is wq.Wildcard:
        return _leaf("wildcard", q.fieldname, {"value": _text(q.text)}, q.boost)
    if kind is wq.FuzzyTerm:
        text = _text(q.text)
        spec = {
            "value": text,
            # searchlib keeps a word only while the edits stay below both words' lengths.
            "fuzziness": max(0, min(int(q.maxdist), len(text) - 1)),
            "prefix_length": int(q.prefixlength),
            "transpositions": False,
            # searchlib takes the closest 50 words within the distance (and says when it
            # capped); the engines take the best max_expansions.
            "max_expansions": MAX_PATTERN_TERMS,
        }
        return _leaf("fuzzy", q.fieldname, spec, q.boost)
    if kind is wq.TermRange:
        return _range(q)
    if kind is wq.Every:
        if q.fieldname in (None, "*"):
            return {"match_all": {}}
        return {"exists": {"field": cluster_field(q.fieldname)}}
    if q is wq.NullQuery or kind is type(wq.NullQuery):
        return {"match_none": {}}
    raise QueryError(f"the query part {q!r} has no query DSL counterpart")


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _leaf(kind: str, field: str, spec: dict[str, Any], boost: float) -> dict[str, Any]:
    if boost != 1.0:
        spec["boost"] = float(boost)
    return {kind: {cluster_field(field): spec}}


def _term(q: Any) -> dict[str, Any]:
    return _leaf("term", q.fieldname, {"value": _text(q.text)}, q.boost)


def _phrase(q: Any) -> dict[str, Any]:
    field = cluster_field(q.fieldname)
    words = [_text(w) for w in q.words]
    if len(words) == 1:
        return _leaf("term", q.fieldname, {"value": words[0]}, q.boost)
    # Whoosh lets each neighbouring pair stand up to `slop` positions apart; Lucene's slop is
    # the total of the gaps. This is the tightest Lucene slop that admits every Whoosh match
    # (exact for a plain phrase and for two words).
    spec: dict[str, Any] = {
        "clauses": [{"span_term": {field: word}} for word in words],
        "slop": (len(words) - 1) * max(int(q.slop) - 1, 0),
        "in_order": True,
    }
    if q.boost != 1.0:
        spec["boost"] = float(q.boost)
    return {"span_near": spec}


def _bool(boost: float = 1.0, **clauses: list[dict[str, Any]]) -> dict[str, Any]:
    spec: dict[str, Any] = {name: items for name, items in clauses.items() if items}
    if set(spec) == {"should"} and len(spec["should"]) == 1 and boost == 1.0:
        return spec["should"][0]
    if boost != 1.0:
        spec["boost"] = float(boost)
    return {"bool": spec}


def _conjunction(children: list[Any], boost: float) -> dict[str, Any]:
    must, filters, must_not = [], [], []
    for child in children:
        if type(child) is wq.Not:
            must_not.append(_translate(child.query))
        elif _only_filter_fields(child):
            filters.append(_translate(child))
        else:
            must.append(_translate(child))
    return _bool(must=must, filter=filters, must_not=must_not, boost=boost)


def _only_filter_fields(q: Any) -> bool:
    """Whether every leaf of ``q`` lies in a keyword or date field (its score is a constant:
    the cluster may as well filter)."""
    leaves = [q] if q.is_leaf() else list(q.leaves())
    names = {leaf.field() for leaf in leaves}
    return bool(names) and None not in names and not names & set(TEXT_FIELDS)


def _merged(clauses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Identical clauses of one OR as one with the boosts added (BM25 is linear in the boost):
    a quoted phrase reaches ``title.exact`` both as the title's phrase and the written form's."""
    merged: dict[str, dict[str, Any]] = {}
    for number, clause in enumerate(clauses):
        key, boost = _without_boost(clause)
        if not key:  # a compound clause: kept as it is
            merged[f"#{number}"] = {"clause": clause, "boost": None}
        elif key in merged:
            merged[key]["boost"] += boost
        else:
            merged[key] = {"clause": clause, "boost": boost}
    return [
        entry["clause"] if entry["boost"] is None else _with_boost(entry["clause"], entry["boost"])
        for entry in merged.values()
    ]


def _without_boost(clause: dict[str, Any]) -> tuple[str, float]:
    """(a key naming the clause without its boost, its boost); key "" for clauses kept as is."""
    kind, spec = next(iter(clause.items()))
    if kind == "span_near":
        rest = {k: v for k, v in spec.items() if k != "boost"}
        return repr((kind, rest)), float(spec.get("boost", 1.0))
    if kind in ("term", "prefix", "wildcard", "fuzzy"):
        field, inner = next(iter(spec.items()))
        rest = {k: v for k, v in inner.items() if k != "boost"}
        return repr((kind, field, rest)), float(inner.get("boost", 1.0))
    return "", 1.0


def _with_boost(clause: dict[str, Any], boost: float) -> dict[str, Any]:
    kind, spec = next(iter(clause.items()))
    if kind == "span_near":
        inner = {k: v for k, v in spec.items() if k != "boost"}
        target = inner
    else:
        field, old = next(iter(spec.items()))
        target = {k: v for k, v in old.items() if k != "boost"}
        inner = {field: target}
    if boost != 1.0:
        target["boost"] = boost
    return {kind: inner}


def _with_filters(clause: dict[str, Any], filters: list[dict[str, Any]]) -> dict[str, Any]:
    if "bool" in clause and "boost" not in clause["bool"]:
        spec = dict(clause["bool"])
        if "should" in spec and not ({"must", "filter"} & set(spec)):
            # A filter beside should-clauses would make them optional: say they are not.
            spec.setdefault("minimum_should_match", 1)
        spec["filter"] = [*spec.get("filter", []), *filters]
        return {"bool": spec}
    return {"bool": {"must": [clause], "filter": filters}}


# -- dates and ranges ------------------------------------------------------------------------


def _iso(value: str, where: str) -> str:
    """``value`` if it is an ISO date at one of searchlib's precisions, else a QueryError."""
    if not is_cluster_date(value):
        raise QueryError(
            f"{where}: {value!r} is not an ISO date; the cluster's date field needs "
            "2019, 2019-09 or 2019-09-20"
        )
    return value


def _rounded(value: str) -> str:
    """A date as date math rounded to its precision (``2019-09||/M``): ``gte`` then takes its
    first moment and ``lte`` its last, as searchlib's dates include everything under them."""
    return f"{value}||/{_ROUNDING[len(value)]}"


_PARTIAL_DATE = re.compile(r"(\d{1,4})|(\d{4})-(\d{0,2})|(\d{4})-(\d{2})-(\d{0,2})")


def _date_prefix(text: str, boost: float = 1.0) -> dict[str, Any]:
    """``date:TEXT``: searchlib matches every stored ISO date that starts with TEXT (``2019``,
    ``2019-09``, and the partial ``201``, ``2019-1``); as a range of the moments those dates
    stand for, or ``match_none`` where no date can start so (``date:kemarin``)."""
    if is_cluster_date(text):
        return _date_range(text, text, boost=boost)
    bounds = _prefix_bounds(text)
    if bounds is None:
        return {"match_none": {}}
    return _date_range(*bounds, boost=boost)


def _prefix_bounds(text: str) -> tuple[str, str] | None:
    """The first and last ISO date (each at its own precision) that starts with ``text``."""
    match = _PARTIAL_DATE.fullmatch(text)
    if match is None:
        return None
    year, full_year, month_part, y, m, day_part = match.groups()
    if year is not None:  # 1-3 digits of a year: every year they begin
        low, high = year.ljust(4, "0"), year.ljust(4, "9")
        return (low if low != "0000" else "0001"), high
    if full_year is not None:  # "2019-" or "2019-1": the months they begin
        months = [f"{n:02d}" for n in range(1, 13) if f"{n:02d}".startswith(month_part)]
        if not months or not is_cluster_date(full_year):
            return None
        return f"{full_year}-{months[0]}", f"{full_year}-{months[-1]}"
    if not is_cluster_date(f"{y}-{m}"):  # "2019-09-" or "2019-09-1": the days they begin
        return None
    days = [
        f"{n:02d}"
        for n in range(1, 32)
        if f"{n:02d}".startswith(day_part) and is_cluster_date(f"{y}-{m}-{n:02d}")
    ]
    return (f"{y}-{m}-{days[0]}", f"{y}-{m}-{days[-1]}") if days else None


def _date_range(
    start: str | None,
    end: str | None,
    *,
    start_excl: bool = False,
    end_excl: bool = False,
    boost: float = 1.0,
) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if start:
        spec["gt" if start_excl else "gte"] = _rounded(_iso(start, "date"))
    if end:
        spec["lt" if end_excl else "lte"] = _rounded(_iso(end, "date"))
    if not spec:
        return {"exists": {"field": DATE}}
    spec["format"] = DATE_FORMAT
    if boost != 1.0:
        spec["boost"] = float(boost)
    return {"range": {DATE: spec}}


def _range(q: Any) -> dict[str, Any]:
    start = None if q.start is None else _text(q.start)
    end = None if q.end is None else _text(q.end)
    if q.fieldname == DATE:
        # searchlib's range takes in everything under its upper end (`2020-06\uffff`).
        end = end.rstrip("\uffff") if end else end
        return _date_range(
            start or None,
            end or None,
            start_excl=q.startexcl,
            end_excl=q.endexcl and not _text(q.end or "").endswith("\uffff"),
            boost=q.boost,
        )
    spec: dict[str, Any] = {}
    if start:
        spec["gt" if q.startexcl else "gte"] = start
    if end:
        spec["lt" if q.endexcl else "lte"] = end
    if not spec:
        return {"exists": {"field": cluster_field(q.fieldname)}}
    return _leaf("range", q.fieldname, spec, q.boost)


def _date_bounds(date_from: str | None, date_to: str | None) -> dict[str, Any] | None:
    if not date_from and not date_to:
        return None
    return _date_range(date_from or None, date_to or None)


# -- limits and facets -----------------------------------------------------------------------


def _check_patterns(q: Any) -> None:
    """searchlib's limits on wildcard, fuzzy and range words (the cluster has its own caps)."""
    leaves = [q] if q.is_leaf() else list(q.leaves())
    patterns = [
        leaf
        for leaf in leaves
        if isinstance(leaf, wq.MultiTerm | wq.Every) and leaf.field() not in (DATE, None)
    ]
    written = {(type(leaf).__name__, repr(getattr(leaf, "text", leaf))) for leaf in patterns}
    if len(written) > MAX_PATTERNS:
        raise QueryError(
            f"too many wildcard, fuzzy or range words ({len(written)}); "
            f"use at most {MAX_PATTERNS} in one query"
        )
    for leaf in patterns:
        if isinstance(leaf, wq.FuzzyTerm):
            if leaf.maxdist > MAX_FUZZY_DISTANCE:
                raise QueryError(
                    f"{leaf.text}~{leaf.maxdist}: fuzzy distance {leaf.maxdist} is too large; "
                    f"use at most ~{MAX_FUZZY_DISTANCE}"
                )
            if len(_text(leaf.text)) > MAX_FUZZY_WORD:
                raise QueryError(
                    f"fuzzy word too long: {len(_text(leaf.text))} characters, "
                    f"at most {MAX_FUZZY_WORD} allowed"
                )


def _aggregations(facets: bool | Sequence[str], metadata: set[str]) -> dict[str, Any]:
    available = {name: name for name in FACETS if name != "category"}
    available.update({name: META_PREFIX + name for name in sorted(metadata)})
    if facets is True:
        names = [name for name in FACETS if name in available]
    else:
        names = list(facets) if not isinstance(facets, bool) else []
        unknown = [name for name in names if name not in available]
        if unknown:
            raise QueryError(
                f"no facet {', '.join(unknown)}: the export has {', '.join(sorted(available))}"
                " (name metadata facets in metadata=)"
            )
    return {
        name: {"terms": {"field": available[name], "size": _FACET_SIZE, "missing": "(none)"}}
        for name in names
    }
