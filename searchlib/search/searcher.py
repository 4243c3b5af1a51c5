"""Query -> results: ranked hits with snippets, as plain dataclasses.

:func:`search` is what :meth:`searchlib.Index.search` runs, on the Whoosh searcher of the
index's last commit. Whoosh objects stay inside this package; callers get :class:`Results` and
:class:`Hit`. A search is five named steps: parse the text (:mod:`~searchlib.search.query`),
find the best documents and the total (:func:`_top` over :mod:`~searchlib.search.topdocs`),
rerank the head (:mod:`~searchlib.search.rerank`), suggest a spelling, and build the hits with
their snippets (:mod:`~searchlib.search.snippets`).

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

import contextlib
import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import query as wq
from whoosh import sorting

from searchlib._whoosh import damerau_levenshtein, is_query_error, search_keeping_matchers
from searchlib.analysis.analyzer import learning_seconds
from searchlib.errors import OptionTypeError, QueryError
from searchlib.index.schema import (
    BODY,
    BODY_EXACT,
    DATE,
    DATED,
    EXACT_FIELDS,
    ID,
    META_PREFIX,
    SOURCE,
    STEMMED_FIELDS,
    TITLE,
    TITLE_EXACT,
    metadata_fields,
    prepare_phrases,
    stored_metadata,
)
from searchlib.search.context import (
    building_seconds,
    context_for,
    weighted_searcher,
    word_grams,
)
from searchlib.search.explain import ScoringPlan, explain_hit, matched_terms
from searchlib.search.options import (
    FACETS,
    Ranking,
    check_count,
    check_flag,
    check_search_options,
)
from searchlib.search.query import (
    EXACT,
    MAX_PATTERN_TERMS,
    QUESTION_WORDS,
    STEMMED,
    Expansion,
    ParsedQuery,
    check_expansions,
    check_query_text,
    date_filter,
    edit_distance,
    expand_patterns,
    parse_query,
    query_fields,
)
from searchlib.search.rerank import (
    BonusTerm,
    add_to_head,
    exact_bonuses,
    proximity_units,
    rerank,
    reranks,
    split_exact,
)
from searchlib.search.results import Hit, Results
from searchlib.search.snippets import SnippetOptions, make_snippet
from searchlib.search.topdocs import count_matches, top_docs

if TYPE_CHECKING:
    from searchlib.index.core import Index

__all__ = ["batch_search", "more_like", "search", "warm_up"]

MAX_SUGGEST_CHARS = 40  # longer "words" are noise; correcting them costs seconds
NO_VALUE = "(none)"  # the facet bucket of documents without that field, so counts add up
STOPWORDS_ONLY = (
    "the query has only stopwords or punctuation, which are not indexed; "
    "add a content word, or quote a phrase to match it as written"
)


@dataclass
class TopDocs:
    """The best documents of a query: ``(score, docnum)`` best first, and how many match.

    ``exact`` is False when ``total`` is a lower bound (MaxScore skipped long posting lists).
    """

    top: list[tuple[float, int]]
    total: int
    exact: bool = True
    plan: ScoringPlan | None = None  # how the scores were made, for explanations


def search(
    searcher: Any,
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
    """Search a Whoosh ``searcher`` for ``query``: see :meth:`searchlib.Index.search`."""
    started = time.perf_counter()
    warm_start = _warm_up_seconds()
    size = check_count("limit", limit) if page_size is None else check_count("page_size", page_size)
    page = check_count("page", page)
    suggest, exact_total = check_flag("suggest", suggest), check_flag("exact_total", exact_total)
    check_search_options(
        sort=sort,
        date_from=date_from,
        date_to=date_to,
        facets=facets,
        snippets=snippets,
        ranking=ranking,
    )
    ranking = ranking or Ranking()
    text = check_query_text(query)
    fields = query_fields(searcher.reader())
    parsed, expansion = _parse(searcher, text, ranking, fields)
    if parsed is None:
        return Results(query, 0, _ms(started), [], page, size, notice=STOPWORDS_ONLY)
    filter_q = date_filter(date_from, date_to)
    exact_total = exact_total or bool(facets)  # facets count every match: so does the total
    found = _top(searcher, parsed, page * size, sort, filter_q, ranking, exact_total, expansion)
    suggestion = _suggest(searcher, text) if suggest else None
    corrected = False
    if found.total == 0 and suggestion:
        retry, retry_expansion = _parse(searcher, suggestion, ranking, fields)
        if retry is not None:
            found = _top(
                searcher, retry, page * size, sort, filter_q, ranking, exact_total, retry_expansion
            )
            parsed, corrected, expansion = retry, found.total > 0, retry_expansion
    start = (page - 1) * size
    hits = _hits(searcher, parsed, found.top[start : start + size], snippets, start, found.plan)
    capped = expansion.capped if expansion else []
    warm_up_ms = (_warm_up_seconds() - warm_start) * 1000.0
    return Results(
        query=query,
        total=found.total,
        took_ms=max(0.0, _ms(started) - warm_up_ms),
        hits=hits,
        page=page,
        page_size=size,
        suggestion=suggestion,
        corrected=corrected,
        facets=_facets(searcher, parsed.query, filter_q, facets) if facets else {},
        total_exact=found.exact,
        notice=_capped_notice(capped),
        expansion_capped=bool(capped),
        warm_up_ms=warm_up_ms,
    )


def _warm_up_seconds() -> float:
    """Seconds this thread has spent filling caches: new words analysed, vocabularies built."""
    return learning_seconds() + building_seconds()


def _parse(
    searcher: Any, text: str, ranking: Ranking, fields: dict[str, str]
) -> tuple[ParsedQuery | None, Expansion | None]:
    """Parse ``text`` and expand its fuzzy and wildcard words over the index's written forms."""
    parsed = parse_query(text, searcher.schema, ranking, fields)
    if parsed is None:
        return None, None
    check_expansions(parsed.query, searcher.reader())
    expansion = expand_patterns(parsed.query, searcher)
    if expansion.query is parsed.query:
        return parsed, expansion
    return ParsedQuery(parsed.text, expansion.query), expansion


def _capped_notice(capped: list[str]) -> str | None:
    if not capped:
        return None
    return (
        f"{', '.join(capped)} matches more than {MAX_PATTERN_TERMS} words; searched the "
        f"{MAX_PATTERN_TERMS} closest and most frequent (make the pattern longer to see others)"
    )


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def _top(
    searcher: Any,
    parsed: ParsedQuery,
    wanted: int,
    sort: str,
    filter_q: Any | None,
    ranking: Ranking,
    exact_total: bool,
    expansion: Expansion | None = None,
) -> TopDocs:
    """The ``wanted`` best documents of a parsed query (reranked when sorted by score)."""
    q = parsed.query
    check_expansions(q, searcher.reader())
    weighted = weighted_searcher(searcher, ranking)
    allow = None if filter_q is None else set(weighted.docs_for_query(filter_q))
    plan = ScoringPlan(q, parsed.text, ranking, origins=expansion.origins if expansion else {})
    if sort != "score":
        found = _sorted(weighted, q, wanted, sort, filter_q, allow)
        found.plan = plan
        return found
    units = proximity_units(q) if reranks(ranking) else []
    exact_terms: list[BonusTerm] = []
    if ranking.rerank_depth > 0:
        # Written forms score the reranked head instead of doubling the clauses matched.
        q, exact_terms = split_exact(q, ranking.exact_boosts(), frozenset(plan.origins))
    # The rerank reorders the best `rerank_depth` documents, so fetch at least that many;
    # pages beyond keep BM25F order, whose scores the (non-negative) bonuses stay above.
    if units or exact_terms:
        wanted = max(wanted, ranking.rerank_depth)
    found = _scored(weighted, q, wanted, filter_q, allow, exact_total)
    plan.query, plan.exact_terms, plan.units = q, exact_terms, units
    if exact_terms or units:
        plan.head = frozenset(docnum for _score, docnum in found.top[: ranking.rerank_depth])
    found.plan = plan
    if exact_terms:
        found.top = add_to_head(
            found.top,
            ranking.rerank_depth,
            lambda docnums: exact_bonuses(weighted, docnums, exact_terms),
        )
    if units:
        found.top = rerank(weighted, found.top, units, ranking)
    return found


def _scored(
    searcher: Any,
    q: Any,
    wanted: int,
    filter_q: Any | None,
    allow: set[int] | None,
    exact_total: bool,
) -> TopDocs:
    """BM25F's best documents: searchlib's block-at-a-time scorer, or Whoosh's for the rest."""
    found = top_docs(searcher, q, wanted, allow, exact_total=exact_total)
    if found is not None:
        return TopDocs(*found)
    results = _whoosh_search(searcher, q, limit=wanted, filter=filter_q)
    return TopDocs(list(results.top_n), _count(searcher, q, allow, results))


def _sorted(
    searcher: Any, q: Any, wanted: int, sort: str, filter_q: Any | None, allow: set[int] | None
) -> TopDocs:
    """The first ``wanted`` documents by date (undated last both ways)."""
    order = sorting.MultiFacet(
        [sorting.FieldFacet(DATED), sorting.FieldFacet(DATE, reverse=(sort == "-date"))]
    )
    results = _whoosh_search(searcher, q, limit=wanted, filter=filter_q, sortedby=order)
    # A sorted search's "score" is the sort key: report no relevance score.
    return TopDocs(
        [(0.0, docnum) for _key, docnum in results.top_n], _count(searcher, q, allow, results)
    )


def _whoosh_search(searcher: Any, q: Any, **kwargs: Any) -> Any:
    try:
        if _coordinated(q):  # scores that do not depend on where a document lies
            return search_keeping_matchers(searcher, q, **kwargs)
        return searcher.search(q, **kwargs)
    except Exception as exc:
        if is_query_error(exc):
            raise QueryError(f"cannot run the query: {exc}") from exc
        raise


def _coordinated(q: Any) -> bool:
    """Whether any OR in ``q`` has a coordination scale (``Ranking.or_factor``)."""
    if getattr(q, "scale", None):
        return True
    return not q.is_leaf() and any(_coordinated(child) for child in q.children())


def _count(searcher: Any, q: Any, allow: set[int] | None, results: Any) -> int:
    """How many documents match ``q`` (and are in ``allow``).

    With a filter Whoosh's own count is wrong: having skipped blocks, it counts again by
    running the query without the filter. An OR of terms is counted from the posting blocks.
    """
    if allow is not None:
        return sum(1 for docnum in searcher.docs_for_query(q) if docnum in allow)
    counted = count_matches(searcher, q)
    return len(results) if counted is None else counted


def _hits(
    searcher: Any,
    parsed: ParsedQuery,
    page: Sequence[tuple[float, int]],
    options: SnippetOptions | bool,
    start: int,
    plan: ScoringPlan | None,
) -> list[Hit]:
    q = parsed.query
    stems, exact, phrases = _query_terms(searcher, q)
    weights = _term_weights(searcher, stems)
    snippet_options = None if isinstance(options, bool) else options
    hits = []
    for offset, (score, docnum) in enumerate(page):
        stored = searcher.stored_fields(docnum)
        snippet = (
            make_snippet(
                stored.get(BODY, ""),
                stems,
                exact,
                STEMMED,
                snippet_options,
                exact_analyzer=EXACT,
                weights=weights,
                phrases=phrases,
            )
            if options is not False
            else ""
        )
        hit = Hit(
            rank=start + offset + 1,
            id=stored[ID],
            score=float(score),
            title=stored.get(TITLE) or None,
            date=stored.get(DATE),
            source=stored.get(SOURCE),
            snippet=snippet,
            fields=stored_metadata(stored),
        )
        if plan is not None:
            hit._attach_explainer(partial(explain_hit, searcher, plan, docnum, stored))
        hits.append(hit)
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
        if isinstance(leaf, wq.Phrase) and leaf.fieldname in EXACT_FIELDS:
            words = tuple(str(w) for w in leaf.words)
            if words not in phrases:
                phrases.append(words)
            continue
        for fieldname, value in matched_terms(reader, leaf):
            if fieldname in STEMMED_FIELDS:
                stems.add(value)
            elif fieldname in EXACT_FIELDS:
                exact.add(value)
    return stems, exact, phrases


def _term_weights(searcher: Any, stems: set[str]) -> dict[str, float]:
    reader = searcher.reader()
    n = max(1, reader.doc_count_all())
    weights = {}
    doc_frequency = context_for(reader).doc_frequency
    for term in stems:
        df = doc_frequency(reader, BODY, term)
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
    has = context_for(reader).has
    replacements: list[tuple[int, int, str]] = []
    for token in EXACT(text, mode="query", chars=True, removestops=False):
        word = token.text
        start, end = token.startchar, token.endchar
        if (
            getattr(token, "stopped", False)
            or not 4 <= len(word) <= MAX_SUGGEST_CHARS
            or not word.isalpha()
            or word in QUESTION_WORDS  # dropped from the query, not misspelt
            or text[end : end + 1] in (":", "~", "*")  # a field name, or fuzzy/prefix on purpose
            or text[max(0, start - 1) : start] == ":"
            or has(reader, BODY_EXACT, word)
            or has(reader, TITLE_EXACT, word)
        ):
            continue
        correction = _correction(reader, word)
        if correction is not None:
            replacements.append((start, end, correction))
    if not replacements:
        return None
    out, cursor = [], 0
    for start, end, word in replacements:
        out.append(text[cursor:start] + word)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _correction(reader: Any, word: str) -> str | None:
    """The written form (of the exact-form body: what users misspell) within two
    Damerau-Levenshtein edits of ``word`` that starts with its first letter and occurs most
    often (ties: the last in alphabetical order), or None: what Whoosh's ``ReaderCorrector``
    suggests with ``prefix=1, maxdist=2``. It computes the distance to every word with that
    first letter (170 ms at 20k articles, every time); here the letter's words are indexed by
    letter pairs once per snapshot and only those sharing enough pairs are measured.

    prefix=1 (as Lucene's spell checker): a typo rarely hits the first letter.
    """
    # Three, not two, in the pair bound: a transposition (one Damerau edit) can break three
    # letter pairs, where the bound counts two an edit; the distances below decide.
    best: tuple[int, str] | None = None
    size = len(word)
    for candidate in word_grams(reader, BODY_EXACT, word[:1]).candidates(word, 3):
        if abs(len(candidate) - size) > 2:
            continue
        distance = edit_distance(word, candidate, 4)
        # Damerau's distance is at least half of Levenshtein's (a transposition is two of its
        # edits), and at most it: only 3 and 4 need the slower count (stopped past 2).
        if distance > 4 or (distance > 2 and damerau_levenshtein(word, candidate, 2) > 2):
            continue
        key = (reader.frequency(BODY_EXACT, candidate) or 1, candidate)
        if best is None or key > best:
            best = key
    return None if best is None else best[1]


def _facets(
    searcher: Any, q: Any, filter_q: Any | None, which: bool | Sequence[str]
) -> dict[str, dict[str, int]]:
    available = {name: name for name in FACETS if name != "category"}
    available.update({name: META_PREFIX + name for name in metadata_fields(searcher.reader())})
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


def more_like(
    searcher: Any,
    doc_id: str,
    *,
    limit: int = 10,
    terms: int = 12,
    snippets: SnippetOptions | bool = True,
) -> Results:
    """Documents similar to ``doc_id`` in a Whoosh ``searcher``: see :meth:`Index.more_like`.

    The document's most characteristic stems (by Whoosh's Bo1 model over the body and title)
    become a weighted OR query.
    """
    started = time.perf_counter()
    limit, terms = check_count("limit", limit), check_count("terms", terms)
    if not isinstance(doc_id, str):
        raise OptionTypeError(f"doc_id must be a string, not {doc_id!r}")
    if not isinstance(snippets, bool | SnippetOptions):
        raise OptionTypeError(f"snippets must be True, False or SnippetOptions, not {snippets!r}")
    docnum = searcher.document_number(**{ID: doc_id})
    if docnum is None:
        raise QueryError(f"no document with id {doc_id!r} in the index")
    stored = searcher.stored_fields(docnum)
    text = " ".join(filter(None, [stored.get(TITLE), stored.get(BODY)]))
    keywords = list(searcher.key_terms_from_text(BODY, text, numterms=terms, normalize=True))
    label = f"similar:{doc_id}"
    if not keywords:
        return Results(label, 0, _ms(started), [], 1, limit)
    q = wq.Or([wq.Term(BODY, word, boost=weight) for word, weight in keywords])
    found = searcher.search(q, limit=limit + 1, mask=wq.Term(ID, doc_id))
    page = list(found.top_n)[:limit]
    parsed = ParsedQuery(" ".join(word for word, _ in keywords), q)
    hits = _hits(searcher, parsed, page, snippets, 0, ScoringPlan(q, parsed.text, Ranking()))
    return Results(label, max(0, len(found)), _ms(started), hits, 1, limit)


def batch_search(
    index: Index,
    queries: Iterable[tuple[str, str]],
    *,
    hits: int = 100,
    workers: int = 1,
    on_error: Callable[[str, QueryError], object] | None = None,
    progress: Callable[[int, int], object] | None = None,
    **options: Any,
) -> Iterator[tuple[str, str, int, float]]:
    """Run many queries; yield ``(qid, doc_id, rank, score)`` rows, as a TREC run holds them.

    ``options`` are :meth:`Index.search`'s (``ranking=Ranking(k1=0.9, b=0.4)``...). Rows come
    in query order, whatever ``workers`` is. A query that cannot run (unbalanced quotes, an
    unknown field...) yields no rows rather than stopping the batch, as IR evaluation tools
    expect, and is passed to ``on_error(qid, error)`` when given; a query of only stopwords
    is no error and yields no rows either. ``progress(done, total)`` is called after each
    query (``total`` is 0 when ``queries`` is an iterator of unknown length and
    ``workers`` is 1).

    ``workers`` greater than 1 runs the queries in that many processes, each with the index
    opened on its own (searching is pure Python, so threads would share one interpreter lock;
    ``benchmarks/batch_workers.py`` measures both). Processes pay off from a few hundred
    queries on.

    >>> import tempfile
    >>> from searchlib import Document, Index
    >>> ix = Index.create(tempfile.mkdtemp())
    >>> _ = ix.add(Document(id="d1", body="Harga beras naik."))
    >>> ix.commit()
    >>> list(batch_search(ix, [("q1", "beras")]))[0][:3]
    ('q1', 'd1', 1)
    >>> failed = []
    >>> list(batch_search(ix, [("q2", '"beras naik')], on_error=lambda qid, e: failed.append(qid)))
    []
    >>> failed
    ['q2']
    """
    hits = check_count("hits", hits)
    workers = check_count("workers", workers)
    if on_error is not None and not callable(on_error):
        raise OptionTypeError(f"on_error must be a function or None, not {on_error!r}")
    if progress is not None and not callable(progress):
        raise OptionTypeError(f"progress must be a function or None, not {progress!r}")
    search_options = {"limit": hits, "snippets": False, "suggest": False, **options}
    _check_batch_options(search_options)
    if workers == 1:
        total = len(queries) if isinstance(queries, Sized) else 0
        outcomes: Iterable[_Outcome] = (
            _run_query(index, qid, text, search_options) for qid, text in queries
        )
    else:
        batch = list(queries)
        total = len(batch)
        outcomes = _run_in_processes(index, batch, search_options, workers)
    for done, (qid, rows, error) in enumerate(outcomes, 1):
        if error is not None and on_error is not None:
            on_error(qid, QueryError(error))
        yield from rows
        if progress is not None:
            progress(done, total)


# One query's outcome: its qid, its rows, and the message of the QueryError it raised, if any.
_Outcome = tuple[str, list[tuple[str, str, int, float]], str | None]
# The index a batch worker process opened, and the search options of its batch.
_worker_state: dict[str, Any] = {}


def _check_batch_options(options: dict[str, Any]) -> None:
    """Refuse a bad option once, before the batch, rather than failing every query with it."""
    for name in ("page", "page_size"):
        if options.get(name) is not None:
            check_count(name, options[name])
    check_search_options(
        sort=options.get("sort", "score"),
        date_from=options.get("date_from"),
        date_to=options.get("date_to"),
        facets=options.get("facets", False),
        snippets=options["snippets"],
        ranking=options.get("ranking"),
    )
    date_filter(options.get("date_from"), options.get("date_to"))


def _run_query(index: Index, qid: str, text: str, options: dict[str, Any]) -> _Outcome:
    try:
        results = index.search(text, **options)
    except QueryError as exc:
        return qid, [], str(exc)
    return qid, [(qid, hit.id, hit.rank, hit.score) for hit in results.hits], None


def _run_in_processes(
    index: Index, queries: list[tuple[str, str]], options: dict[str, Any], workers: int
) -> Iterator[_Outcome]:
    from concurrent.futures import ProcessPoolExecutor  # batch runs only (start-up)

    context = _mp_context()
    chunk = max(1, min(64, len(queries) // (workers * 8)))
    with ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(type(index), index.path, options),
    ) as pool:
        yield from pool.map(_worker_query, queries, chunksize=chunk)


def _mp_context() -> Any:
    # fork on Linux: workers start at once and the caller needs no `if __name__ == "__main__"`
    # guard; each worker still opens the index itself (no file offsets shared with the
    # parent). Elsewhere the platform's default (spawn on Windows and macOS).
    import multiprocessing  # batch runs only (start-up)

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _start_worker(index_type: type[Index], path: Path, options: dict[str, Any]) -> None:
    # The parent verified the files' checksums when it opened the index: sizes suffice here.
    _worker_state["index"] = index_type.open(path, verify=False)
    _worker_state["options"] = options


def _worker_query(query: tuple[str, str]) -> _Outcome:
    qid, text = query
    return _run_query(_worker_state["index"], qid, text, _worker_state["options"])


#: The text :func:`warm_up` searches for: natural language, a phrase and a prefix, so the code
#: paths a first search takes are loaded and compiled once.
WARM_UP_QUERY = 'Presiden mengunjungi "Jakarta Selatan" ekspor*'
_WARM_UP_TEXT = (
    "Presiden Joko Widodo mengunjungi perusahaan-perusahaan eksportir di Jakarta, Senin "
    "(21/6/2021), bersama Menteri Luar Negeri AS."
)


def warm_up(searcher: Any) -> float:
    """Do the one-off work of a process's first search now; return the milliseconds it took.

    The first search in a process compiles the query parser's regular expressions, loads the
    analyzer's word lists and caches, the acronym phrases and the snippet code, and reads the
    index's length columns: one-off work that would otherwise land in that search's ``took_ms``.
    :meth:`searchlib.Index.open` calls this once per process. What stays with the searches is
    work that grows with what they touch: the first snippet of a document analyses its words
    (cached for later snippets), and the first fuzzy word on a snapshot indexes its vocabulary.
    """
    started = time.perf_counter()
    for analyzer in (STEMMED, EXACT):
        list(analyzer(_WARM_UP_TEXT, mode="query", chars=True, removestops=False))
    # Every query for an acronym, and every phrase, asks whether its words are an acronym's
    # phrase: the index's manifest records them; an older index's are worked out here.
    prepare_phrases(searcher.schema)
    make_snippet(_WARM_UP_TEXT, {"presiden"}, {"jakarta"}, STEMMED, None, exact_analyzer=EXACT)
    with contextlib.suppress(QueryError):
        search(searcher, WARM_UP_QUERY, limit=1, snippets=False, suggest=False)
    return _ms(started)
