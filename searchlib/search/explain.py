"""Why a hit matched: each query word -> index term -> the document's written words, scored.

Internal to :mod:`searchlib.search`; users call :meth:`searchlib.Hit.explain`.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from searchlib._whoosh import text_of
from searchlib.index.schema import EXACT_SUFFIX, ID
from searchlib.search.context import weighted_searcher
from searchlib.search.options import Ranking
from searchlib.search.query import EXACT, STEMMED
from searchlib.search.results import Explanation, TermMatch
from searchlib.search.snippets import SNIPPET_SCAN_CHARS, find_matches

__all__ = ["explain_hit", "matched_terms"]


def matched_terms(reader: Any, q: Any) -> set[tuple[str, str]]:
    """``(field, term)`` pairs of the query (prefixes and fuzzy terms expanded) in the index.

    Whoosh's own ``Query.existing_terms`` reuses its ``fieldname`` argument as a loop variable
    and so drops terms of every field but the first; this does the same job without that bug.
    """
    found: set[tuple[str, str]] = set()
    leaves = [q] if q.is_leaf() else list(q.leaves())
    for leaf in leaves:
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            value = text_of(text)
            if (fieldname, value) not in found and (fieldname, value) in reader:
                found.add((fieldname, value))
    return found


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
    weighted = weighted_searcher(searcher, ranking)
    reader = weighted.reader()
    boosts = ranking.field_boosts()
    stem_sources = _term_sources(query_text, STEMMED)
    exact_sources = _term_sources(query_text, EXACT)
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
        source_field = fieldname.removesuffix(EXACT_SUFFIX)
        text = (stored.get(source_field) or "")[:SNIPPET_SCAN_CHARS]
        stemmed = not fieldname.endswith(EXACT_SUFFIX)
        spans = find_matches(
            text,
            {term} if stemmed else set(),
            set() if stemmed else {term},
            STEMMED,
            EXACT,
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
    return Explanation(doc_id=stored[ID], score=total, matches=matches)


def _term_sources(text: str, analyzer: Any) -> dict[str, str]:
    """Index term -> the query word as the user wrote it."""
    sources: dict[str, str] = {}
    for token in analyzer(text, mode="query", chars=True, removestops=False):
        sources.setdefault(token.text, text[token.startchar : token.endchar])
    return sources
