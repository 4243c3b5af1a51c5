"""Query -> results: ranked hits with snippets, as plain dataclasses.

:func:`search` is what :meth:`searchlib.Index.search` runs. Whoosh objects stay inside this
module; callers get :class:`Results` and :class:`Hit`.

>>> import tempfile
>>> from searchlib import Document, Index
>>> ix = Index.create(tempfile.mkdtemp())
>>> doc = Document(id="d1", title="KTT di Seoul", body="Menlu AS tiba di Seoul.", date="2021-08")
>>> _ = ix.add(doc)
>>> ix.commit()
>>> results = ix.search("Amerika Serikat")
>>> results.total, results.hits[0].id, results.hits[0].snippet
(1, 'd1', 'Menlu **AS** tiba di Seoul.')
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from whoosh import query as wq
from whoosh import scoring, sorting
from whoosh.searching import Results as WhooshResults
from whoosh.searching import ResultsPage, Searcher

from searchlib.analysis import IndonesianAnalyzer
from searchlib.errors import QueryError
from searchlib.exactforms import BonusTerm, exact_bonuses, split_exact
from searchlib.index import EXACT_SUFFIX, META_PREFIX, metadata_fields, stored_metadata
from searchlib.query import (
    MAX_QUERY_TERMS,
    QUERY_FIELDS,
    build_parser,
    check_expansions,
    check_query_text,
    drop_exact_stopwords,
    expand_dates,
    is_stopword_only,
    lift_negations,
    prepare_text,
    require_fielded_clauses,
)
from searchlib.ranking import (
    add_to_head,
    drop_question_words,
    proximity_units,
    rerank,
    reranks,
)
from searchlib.snippets import SnippetOptions, find_matches, make_snippet
from searchlib.topdocs import count_matches, top_docs

if TYPE_CHECKING:
    from searchlib.index import Index

SORTS = ("score", "date", "-date")
MAX_SUGGEST_CHARS = 40  # longer "words" are noise; correcting them costs seconds
FACETS = ("site", "year", "category")
NO_VALUE = "(none)"  # the facet bucket of documents without that field, so counts add up


@dataclass(frozen=True)
class Ranking:
    """Ranking parameters (BM25F, query construction, rerank); the defaults are the measured best.

    Pass one to a search (``ix.search(q, ranking=Ranking(proximity=0))``); the README's
    effectiveness section has the measurements behind each default.

    - ``title_boost``/``body_boost`` weight the stemmed fields; ``exact_boost`` multiplies the
      field boost for the exact written form (so ``pengalaman`` prefers ``pengalaman`` over
      ``alami``); a boost of 0 leaves that field out. ``k1``/``b`` are BM25's; ``or_factor``
      (0 to 1; 0 is off) is Whoosh's coordination bonus for documents matching more of the
      query's clauses, measured as no gain on any set and so off by default.
    - ``question_words`` drops question words (``apakah``, ``siapakah``, ``di manakah``,
      ``berapa``, ``kapan``...) from the query: they ask for the answer and are not in it.
    - ``proximity`` rewards documents where neighbouring query words stand within
      ``proximity_window`` words of each other (up to twice as much in the lede);
      ``lede_boost`` rewards query words that appear early in the body (within
      ``lede_window`` words). Both rerank the
      ``rerank_depth`` best BM25F documents (0 turns the rerank off); see
      :mod:`searchlib.ranking`.

    >>> Ranking().k1, Ranking().proximity > 0, Ranking(exact_boost=0).field_boosts()
    (1.2, True, {'title': 2.0, 'body': 1.0})
    """

    title_boost: float = 2.0
    body_boost: float = 1.0
    exact_boost: float = 0.5
    k1: float = 1.2
    b: float = 0.75
    or_factor: float = 0.0
    question_words: bool = True
    proximity: float = 0.4
    proximity_window: int = 5
    lede_boost: float = 2.0
    lede_window: int = 100
    rerank_depth: int = 50

    def field_boosts(self) -> dict[str, float]:
        """Boost per indexed text field (fields boosted 0 are left out)."""
        boosts = {
            "title": self.title_boost,
            "body": self.body_boost,
            "title_exact": self.title_boost * self.exact_boost,
            "body_exact": self.body_boost * self.exact_boost,
        }
        return {name: boost for name, boost in boosts.items() if boost > 0}

    def exact_boosts(self) -> dict[str, float]:
        """The boosts of the exact-form fields (empty when ``exact_boost`` is 0)."""
        return {k: v for k, v in self.field_boosts().items() if k.endswith(EXACT_SUFFIX)}


@dataclass
class Hit:
    """One search result.

    ``snippet`` holds the best passages with matched words marked; ``fields`` any metadata the
    document brought (``category``...).
    """

    rank: int
    id: str
    score: float
    title: str | None
    date: str | None
    source: str | None
    snippet: str
    fields: dict[str, str] = field(default_factory=dict)
    _explainer: Callable[[], Explanation] | None = field(default=None, repr=False, compare=False)

    def explain(self) -> Explanation:
        """Why this document matched: query words -> document words, fields and scores."""
        if self._explainer is None:
            raise QueryError("no explanation is available for this hit")
        return self._explainer()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's ``--json`` hit)."""
        return {
            "rank": self.rank,
            "id": self.id,
            "score": round(self.score, 4),
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "snippet": self.snippet,
            **({"fields": self.fields} if self.fields else {}),
        }


@dataclass(frozen=True)
class TermMatch:
    """One query term's contribution to a hit's score."""

    query_word: str
    field: str
    term: str
    document_words: list[str]
    score: float


@dataclass(frozen=True)
class Explanation:
    """What matched in a hit and what each match contributed."""

    doc_id: str
    score: float
    matches: list[TermMatch]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "score": round(self.score, 4),
            "matches": [
                {
                    "query_word": m.query_word,
                    "field": m.field,
                    "term": m.term,
                    "document_words": m.document_words,
                    "score": round(m.score, 4),
                }
                for m in self.matches
            ],
        }


@dataclass
class Results:
    """One page of results for a query.

    ``total`` counts every matching document (not just this page); when ``total_exact`` is
    False it is a lower bound (a broad query of 1,000 or more matches whose long posting lists
    were skipped; ``search(..., exact_total=True)`` counts them). ``suggestion`` is a
    spelling correction built from the index's vocabulary, and ``corrected`` says whether the
    hits are those of the suggestion because the query as written found nothing.
    """

    query: str
    total: int
    took_ms: float
    hits: list[Hit]
    page: int = 1
    page_size: int = 10
    suggestion: str | None = None
    corrected: bool = False
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    notice: str | None = None
    total_exact: bool = True

    @property
    def pages(self) -> int:
        """How many pages the results fill."""
        return max(1, math.ceil(self.total / self.page_size)) if self.page_size else 1

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the CLI's ``--json`` output)."""
        out: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "total_exact": self.total_exact,
            "took_ms": round(self.took_ms, 2),
            "page": self.page,
            "page_size": self.page_size,
            "hits": [hit.to_dict() for hit in self.hits],
        }
        if self.suggestion:
            out["suggestion"] = self.suggestion
            out["corrected"] = self.corrected
        if self.facets:
            out["facets"] = self.facets
        if self.notice:
            out["notice"] = self.notice
        return out


_STEMMED = IndonesianAnalyzer()
_EXACT = IndonesianAnalyzer(stem=False, stopwords=False)


def search(
    index: Index,
    query: str,
    *,
    limit: int = 10,
    page: int = 1,
    page_size: int | None = None,
    sort: str = "score",
    date_from: str | None = None,
    date_to: str | None = None,
    facets: bool | Sequence[str] = False,
    snippets: SnippetOptions | bool = True,
    suggest: bool = True,
    ranking: Ranking | None = None,
    exact_total: bool = False,
) -> Results:
    """Search ``index`` for ``query`` and return one page of :class:`Results`.

    ``limit`` (or its alias ``page_size``) is the page size; ``page`` counts from 1. ``sort`` is
    ``"score"`` (default), ``"date"`` (oldest first) or ``"-date"`` (newest first; undated
    documents last in both). ``date_from``/``date_to`` are inclusive ISO dates at any precision
    (``"2019"``, ``"2020-06"``). ``facets=True`` counts hits by site, year and every metadata
    field over the whole result set (or name the facets). ``snippets`` takes
    :class:`SnippetOptions`, or False to skip snippets (faster). A broad query's ``total`` may
    be a lower bound (``Results.total_exact``) unless ``exact_total=True`` or facets are asked
    for. Raises
    :class:`~searchlib.errors.QueryError` for unusable queries.
    """
    started = time.perf_counter()
    size = page_size if page_size is not None else limit
    if size < 1 or page < 1:
        raise QueryError("page and page size must be at least 1")
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    ranking = ranking or Ranking()
    text = check_query_text(query)
    searcher = index.searcher()
    schema = searcher.schema
    fields = query_fields(searcher)
    parsed = _parse(text, schema, ranking, fields)
    if parsed is None:
        notice = (
            "the query has only stopwords or punctuation, which are not indexed; "
            "add a content word, or quote a phrase to match it as written"
        )
        return Results(query, 0, _ms(started), [], page, size, notice=notice)

    filter_q = _date_filter(date_from, date_to)
    exact_total = exact_total or bool(facets)  # facets count every match: so does the total
    results_page, total, total_exact = _run(
        searcher, parsed, page, size, sort, filter_q, ranking, exact_total
    )
    suggestion = corrected = None
    if suggest:
        suggestion = _suggest(searcher, text)
        if total == 0 and suggestion:
            corrected_q = _parse(suggestion, schema, ranking, fields)
            if corrected_q is not None:
                results_page, total, total_exact = _run(
                    searcher, corrected_q, page, size, sort, filter_q, ranking, exact_total
                )
                parsed = corrected_q
                corrected = total > 0
    hits = _hits(
        searcher,
        suggestion if corrected else text,
        results_page,
        parsed,
        snippets,
        page,
        size,
        ranking,
    )
    facet_counts = _facets(searcher, parsed, filter_q, facets) if facets else {}
    return Results(
        query=query,
        total=total,
        took_ms=_ms(started),
        hits=hits,
        page=page,
        page_size=size,
        suggestion=suggestion,
        corrected=bool(corrected),
        facets=facet_counts,
        total_exact=total_exact,
    )


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def query_fields(searcher: Any) -> dict[str, str]:
    """Names a user may write before ``:`` -> index field, including this index's metadata."""
    fields = dict(QUERY_FIELDS)
    for name in metadata_fields(searcher):
        fields.setdefault(name, META_PREFIX + name)
    return fields


def _parse(text: str, schema: Any, ranking: Ranking, fields: dict[str, str]) -> Any | None:
    parser = build_parser(schema, ranking.field_boosts(), ranking.or_factor)
    if ranking.question_words:
        text = drop_question_words(text)
    prepared, written = prepare_text(text, fields)
    try:
        q = parser.parse(prepared)
    except Exception as exc:  # Whoosh raises assorted types on odd syntax
        raise QueryError(f"cannot parse the query: {exc}") from exc
    q = drop_exact_stopwords(expand_dates(q), _is_stopword).normalize()
    q = lift_negations(require_fielded_clauses(q, written)).normalize()
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        if is_stopword_only(text, _STEMMED) or not any(ch.isalnum() for ch in text):
            return None
        return None
    if ranking.or_factor > 0 and type(q) is wq.Or:
        # Whoosh's normalize() rebuilds an OR without its coordination scale: put it back.
        q = wq.Or(list(q.children()), boost=q.boost, scale=ranking.or_factor)
    leaves = list(q.leaves()) if not q.is_leaf() else [q]
    if len(leaves) > MAX_QUERY_TERMS * 4:  # four fields per written word
        raise QueryError(
            f"query too complex: more than {MAX_QUERY_TERMS} words or terms; shorten it"
        )
    return q


def _is_stopword(word: str) -> bool:
    return not list(_STEMMED(word, mode="query"))


def _date_filter(date_from: str | None, date_to: str | None) -> Any | None:
    if not date_from and not date_to:
        return None
    for value in (date_from, date_to):
        if value and not _looks_like_iso_date(value):
            raise QueryError(f"not an ISO date: {value!r} (use 2019, 2019-09 or 2019-09-20)")
    end = f"{date_to}\uffff" if date_to else None
    return wq.TermRange("date", date_from or None, end)


def _looks_like_iso_date(value: str) -> bool:
    parts = value.split("-")
    return (
        1 <= len(parts) <= 3
        and len(parts[0]) == 4
        and all(p.isdigit() for p in parts)
        and all(len(p) == 2 for p in parts[1:])
    )


def _run(
    searcher: Any,
    q: Any,
    page: int,
    size: int,
    sort: str,
    filter_q: Any | None,
    ranking: Ranking,
    exact_total: bool = True,
) -> tuple[Any, int, bool]:
    check_expansions(q, searcher.reader())
    weighted = _weighted_searcher(searcher, ranking)
    kwargs: dict[str, Any] = {"filter": filter_q}
    units = proximity_units(q) if sort == "score" and reranks(ranking) else []
    exact_terms: list[BonusTerm] = []
    if sort == "score" and ranking.rerank_depth > 0:
        # Written forms score the reranked head instead of doubling the clauses matched.
        q, exact_terms = split_exact(q, ranking.exact_boosts())
    if sort != "score":
        kwargs["sortedby"] = sorting.MultiFacet(
            [sorting.FieldFacet("dated"), sorting.FieldFacet("date", reverse=(sort == "-date"))]
        )
    try:
        # The rerank reorders the best `rerank_depth` documents, so fetch at least that many;
        # pages beyond keep BM25F order, whose scores the (non-negative) bonuses stay above.
        reordered = bool(units or exact_terms)
        limit = max(page * size, ranking.rerank_depth) if reordered else page * size
        allow = None if filter_q is None else set(weighted.docs_for_query(filter_q))
        results = _top_results(weighted, q, limit, sort, allow, exact_total)
        if results is None:
            results = weighted.search(q, limit=limit, **kwargs)
    except Exception as exc:
        if exc.__class__.__name__ in ("TooManyTerms", "QueryError"):
            raise QueryError(f"the query expands to too many words: {exc}") from exc
        raise
    if exact_terms:
        results.top_n = add_to_head(
            results.top_n,
            ranking.rerank_depth,
            lambda docnums: exact_bonuses(weighted, docnums, exact_terms),
        )
    if units:
        results.top_n = rerank(weighted, results.top_n, units, ranking)
    if getattr(results, "_total", None) is None:
        results._total = _count(weighted, q, allow)
    page_obj = ResultsPage(results, page, size)
    return page_obj, page_obj.total, getattr(results, "_searchlib_exact", True)


def _count(searcher: Any, q: Any, allow: set[int] | None) -> int | None:
    """How many documents match ``q`` (and are in ``allow``); None leaves it to Whoosh.

    With a filter Whoosh's own count is wrong: having skipped blocks, it counts again by
    running the query without the filter.
    """
    if allow is None:
        return count_matches(searcher, q)
    return sum(1 for docnum in searcher.docs_for_query(q) if docnum in allow)


def _top_results(
    searcher: Any, q: Any, limit: int, sort: str, allow: set[int] | None, exact_total: bool
) -> Any | None:
    """Whoosh ``Results`` for the common query scored by :mod:`searchlib.topdocs`, or None."""
    if sort != "score":
        return None
    found = top_docs(searcher, q, limit, allow, exact_total=exact_total)
    if found is None:
        return None
    top, total, exact = found
    results = WhooshResults(searcher, q, top)
    results._total = total
    results._searchlib_exact = exact
    return results


def _weighted_searcher(searcher: Any, ranking: Ranking) -> Any:
    """The searcher scoring with this ranking's BM25F parameters (shares the reader).

    ``Index.searcher()`` scores with Whoosh's default BM25F, which is ``Ranking()``'s; other
    parameters get a searcher of their own on the same reader.
    """
    current = getattr(searcher, "weighting", None)
    if (
        type(current) is scoring.BM25F
        and (ranking.k1, ranking.b) == (current.K1, current.B)
        and not getattr(current, "_field_B", None)
    ):
        return searcher
    return Searcher(searcher.reader(), weighting=bm25f(ranking), closereader=False)


def bm25f(ranking: Ranking) -> Any:
    """The Whoosh BM25F weighting for a ranking."""
    return scoring.BM25F(B=ranking.b, K1=ranking.k1)


def _hits(
    searcher: Any,
    text: str,
    page_obj: Any,
    q: Any,
    options: SnippetOptions | bool,
    page: int,
    size: int,
    ranking: Ranking,
) -> list[Hit]:
    stems, exact, phrases = _query_terms(searcher, q)
    weights = _term_weights(searcher, stems)
    hits = []
    if options is False:
        options = None
        skip_snippets = True
    else:
        skip_snippets = False
        options = None if options is True else options
    for offset, hit in enumerate(page_obj):
        stored = hit.fields()
        extra = stored_metadata(stored)
        body = stored.get("body", "")
        snippet = (
            ""
            if skip_snippets
            else make_snippet(
                body,
                stems,
                exact,
                _STEMMED,
                options,
                exact_analyzer=_EXACT,
                weights=weights,
                phrases=phrases,
            )
        )
        docnum = hit.docnum
        hits.append(
            Hit(
                rank=(page - 1) * size + offset + 1,
                id=stored["id"],
                score=_score_of(hit),
                title=stored.get("title") or None,
                date=stored.get("date"),
                source=stored.get("source"),
                snippet=snippet,
                fields=extra,
                _explainer=partial(explain_hit, searcher, q, docnum, stored, ranking, text),
            )
        )
    return hits


def _query_terms(searcher: Any, q: Any) -> tuple[set[str], set[str], list[tuple[str, ...]]]:
    """What a query matches, for marking snippets: stems (stemmed fields), single exact forms,
    and exact-form phrases (marked only where the whole phrase stands)."""
    stems: set[str] = set()
    exact: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    reader = searcher.reader()
    leaves = [q] if q.is_leaf() else list(q.leaves())
    for leaf in leaves:
        if isinstance(leaf, wq.Phrase) and str(leaf.fieldname).endswith("_exact"):
            words = tuple(str(w) for w in leaf.words)
            if words not in phrases:
                phrases.append(words)
            continue
        for fieldname, value in matched_terms(reader, leaf):
            if fieldname in ("title", "body"):
                stems.add(value)
            elif fieldname in ("title_exact", "body_exact"):
                exact.add(value)
    return stems, exact, phrases


def _score_of(hit: Any) -> float:
    # Sorted searches give Whoosh's sort key as the "score"; report relevance only when scored.
    return float(hit.score) if isinstance(hit.score, int | float) else 0.0


def matched_terms(reader: Any, q: Any) -> set[tuple[str, str]]:
    """``(field, term)`` pairs of the query (prefixes and fuzzy terms expanded) in the index.

    Whoosh's own ``Query.existing_terms`` reuses its ``fieldname`` argument as a loop variable
    and so drops terms of every field but the first; this does the same job without that bug.
    """
    found: set[tuple[str, str]] = set()
    leaves = [q] if q.is_leaf() else list(q.leaves())
    for leaf in leaves:
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            value = text.decode("utf-8") if isinstance(text, bytes) else str(text)
            if (fieldname, value) not in found and (fieldname, value) in reader:
                found.add((fieldname, value))
    return found


def _term_weights(searcher: Any, stems: set[str]) -> dict[str, float]:
    reader = searcher.reader()
    n = max(1, reader.doc_count_all())
    weights = {}
    for term in stems:
        df = reader.doc_frequency("body", term) if ("body", term) in reader else 0
        weights[term] = 1.0 + math.log((n + 1) / (df + 1))
    return weights


def _suggest(searcher: Any, text: str) -> str | None:
    """A correction of misspelt words from the index's own vocabulary, or None.

    Only words the index has never seen (in any written form) are corrected, so a correct
    query costs one dictionary look-up per word. Field names and values (``category:x``),
    numbers, words under four letters and fuzzy or prefix terms (``kata~``, ``kata*``) are left
    alone.
    """
    reader = searcher.reader()
    replacements: list[tuple[int, int, str]] = []
    for token in _EXACT(text, mode="query", chars=True, removestops=False):
        word = token.text
        start, end = token.startchar, token.endchar
        if (
            getattr(token, "stopped", False)
            or not 4 <= len(word) <= MAX_SUGGEST_CHARS
            or not word.isalpha()
            or text[end : end + 1] in (":", "~", "*")  # a field name, or fuzzy/prefix on purpose
            or text[max(0, start - 1) : start] == ":"
            or ("body_exact", word) in reader
            or ("title_exact", word) in reader
        ):
            continue
        # prefix=1 (as Lucene's spell checker): a typo rarely hits the first letter, and the
        # candidates are then one letter's words, not the whole vocabulary (1 s at 100k articles).
        candidates = _corrector(searcher).suggest(word, limit=1, maxdist=2, prefix=1)
        if candidates:
            replacements.append((start, end, candidates[0]))
    if not replacements:
        return None
    out, cursor = [], 0
    for start, end, word in replacements:
        out.append(text[cursor:start] + word)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _corrector(searcher: Any) -> Any:
    # Written forms are what users misspell, so corrections come from the exact-form field.
    corrector = getattr(searcher, "_searchlib_corrector", None)
    if corrector is None:
        corrector = searcher.corrector("body_exact")
        searcher._searchlib_corrector = corrector
    return corrector


def _facets(
    searcher: Any, q: Any, filter_q: Any | None, which: bool | Sequence[str]
) -> dict[str, dict[str, int]]:
    available = {name: name for name in FACETS if name != "category"}
    available.update({name: META_PREFIX + name for name in metadata_fields(searcher)})
    if isinstance(which, bool):
        names = [name for name in FACETS if name in available]
    else:
        unknown = [n for n in which if n not in available]
        if unknown:
            raise QueryError(
                f"no facet {', '.join(unknown)}: this index has {', '.join(sorted(available))}"
            )
        names = list(which)
    groups = {name: sorting.FieldFacet(available[name], maptype=sorting.Count) for name in names}
    results = searcher.search(q, limit=1, filter=filter_q, groupedby=groups)
    out: dict[str, dict[str, int]] = {}
    for name in names:
        counts = results.groups(name)
        merged: dict[str, int] = {}
        for key, count in counts.items():
            label = NO_VALUE if key in (None, "", "None", b"") else str(key)
            merged[label] = merged.get(label, 0) + int(count)
        out[name] = dict(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def explain_hit(
    searcher: Any,
    q: Any,
    docnum: int,
    stored: dict[str, Any],
    ranking: Ranking,
    query_text: str,
) -> Explanation:
    """Score each matched index term alone against one document (see :meth:`Hit.explain`).

    Each term is traced back to the query word that produced it and to the written words of
    the document that produced it, so a user can see ``mengunjungi -> kunjung <- kunjungan``.
    """
    weighted = _weighted_searcher(searcher, ranking)
    reader = weighted.reader()
    boosts = ranking.field_boosts()
    stem_sources = _term_sources(query_text, _STEMMED)
    exact_sources = _term_sources(query_text, _EXACT)
    matches = []
    for fieldname, term in sorted(matched_terms(reader, q)):
        if fieldname not in boosts:
            continue
        matcher = wq.Term(fieldname, term, boost=boosts[fieldname]).matcher(weighted)
        if not matcher.is_active():
            continue
        matcher.skip_to(docnum)
        if not matcher.is_active() or matcher.id() != docnum:
            continue
        source_field = fieldname.removesuffix("_exact")
        text = stored.get(source_field) or ""
        stemmed = not fieldname.endswith("_exact")
        spans = find_matches(
            text,
            {term} if stemmed else set(),
            set() if stemmed else {term},
            _STEMMED,
            _EXACT,
        )
        words = sorted({text[s:e] for s, e, _ in spans})
        matches.append(
            TermMatch(
                query_word=(stem_sources if stemmed else exact_sources).get(term, term),
                field=fieldname,
                term=term,
                document_words=words,
                score=float(matcher.score()),
            )
        )
    matches.sort(key=lambda m: -m.score)
    total = sum(m.score for m in matches)
    return Explanation(doc_id=stored["id"], score=total, matches=matches)


def _term_sources(text: str, analyzer: Any) -> dict[str, str]:
    """Index term -> the query word as the user wrote it."""
    sources: dict[str, str] = {}
    for token in analyzer(text, mode="query", chars=True, removestops=False):
        sources.setdefault(token.text, text[token.startchar : token.endchar])
    return sources


def more_like(
    index: Index,
    doc_id: str,
    *,
    limit: int = 10,
    terms: int = 12,
    snippets: SnippetOptions | bool = True,
) -> Results:
    """Documents similar to the one with ``doc_id``, most similar first (itself excluded).

    The document's most characteristic stems (by Whoosh's Bo1 model over the body and title)
    become a weighted OR query. Raises :class:`~searchlib.errors.QueryError` for an unknown id.

    >>> import tempfile
    >>> from searchlib import Document, Index
    >>> ix = Index.create(tempfile.mkdtemp())
    >>> _ = ix.add([Document(id="a", body="Harga beras dan cabai naik tajam di pasar."),
    ...             Document(id="b", body="Harga beras di pasar induk naik lagi."),
    ...             Document(id="c", body="Tim nasional menang dua gol.")])
    >>> ix.commit()
    >>> [hit.id for hit in ix.more_like("a").hits]
    ['b']
    """
    started = time.perf_counter()
    if limit < 1:
        raise QueryError("limit must be at least 1")
    searcher = index.searcher()
    docnum = searcher.document_number(id=doc_id)
    if docnum is None:
        raise QueryError(f"no document with id {doc_id!r} in the index")
    stored = searcher.stored_fields(docnum)
    text = " ".join(filter(None, [stored.get("title"), stored.get("body")]))
    keywords = list(searcher.key_terms_from_text("body", text, numterms=terms, normalize=True))
    if not keywords:
        return Results(f"similar:{doc_id}", 0, _ms(started), [], 1, limit)
    q = wq.Or([wq.Term("body", word, boost=weight) for word, weight in keywords])
    found = searcher.search(q, limit=limit + 1, mask=wq.Term("id", doc_id))
    page = [hit for hit in found][:limit]
    total = max(0, len(found))
    label = " ".join(word for word, _ in keywords)
    hits = _hits(searcher, label, page, q, snippets, 1, limit, Ranking())
    return Results(f"similar:{doc_id}", total, _ms(started), hits, 1, limit)


def batch_search(
    index: Index, queries: Iterable[tuple[str, str]], *, hits: int = 100, **options: Any
) -> Iterator[tuple[str, str, int, float]]:
    """Run many queries; yield ``(qid, doc_id, rank, score)`` rows, as a TREC run holds them.

    Queries that cannot run (empty, only stopwords) yield no rows rather than stopping the
    batch, as IR evaluation tools expect.

    >>> import tempfile
    >>> from searchlib import Document, Index
    >>> ix = Index.create(tempfile.mkdtemp())
    >>> _ = ix.add(Document(id="d1", body="Harga beras naik."))
    >>> ix.commit()
    >>> list(batch_search(ix, [("q1", "beras")]))[0][:3]
    ('q1', 'd1', 1)
    """
    for qid, text in queries:
        try:
            results = search(index, text, limit=hits, snippets=False, suggest=False, **options)
        except QueryError:
            continue
        for hit in results.hits:
            yield qid, hit.id, hit.rank, hit.score
