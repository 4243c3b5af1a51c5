"""Why a hit matched: every part of its score, which add up to the score.

Internal to :mod:`searchlib.search`; users call :meth:`searchlib.Hit.explain`. A search scores
a document in up to three steps (see :mod:`searchlib.search.searcher`): BM25F over the matching
query, then, for the ``rerank_depth`` best documents, the written-form bonus and the proximity
and lede bonuses. :class:`ScoringPlan` records what each step used, and :func:`explain_hit`
scores one document again, part by part: each term or phrase of the matching query alone (as
Whoosh's matcher of that clause scores it, in the document's segment), any adjustment of a
compound clause (``or_factor``'s coordination, a boosted group), then each written form, each
pair of neighbouring words and each early word. Each index term is traced back to the query word
that produced it and to the written words of the document, so a user can see
``mengunjungi -> kunjung <- kunjungan``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq

from searchlib._whoosh import text_of
from searchlib.errors import QueryError
from searchlib.index.schema import EXACT_SUFFIX, ID
from searchlib.search.context import context_for, weighted_searcher
from searchlib.search.options import Ranking
from searchlib.search.query import EXACT, STEMMED
from searchlib.search.rerank import BonusTerm, bonus_parts, exact_bonuses
from searchlib.search.results import Explanation, ScoreBonus, TermMatch
from searchlib.search.snippets import SNIPPET_SCAN_CHARS, find_matches

__all__ = ["ScoringPlan", "explain_hit", "matched_terms"]


@dataclass
class ScoringPlan:
    """What a search scored with (internal): the matching query, the reranked head's
    documents and what the rerank added for them."""

    query: Any  # the Whoosh query BM25F scored (written forms of free words taken out)
    text: str  # the query text it was parsed from
    ranking: Ranking
    head: frozenset[int] = frozenset()  # docnums the reranks scored
    exact_terms: list[BonusTerm] = field(default_factory=list)
    units: list[tuple[str, ...]] = field(default_factory=list)
    #: ``(field, term) -> the fuzzy or prefix word`` it was expanded from.
    origins: dict[tuple[str, str], str] = field(default_factory=dict)


def matched_terms(reader: Any, q: Any) -> set[tuple[str, str]]:
    """``(field, term)`` pairs of the query (prefixes and fuzzy terms expanded) in the index.

    Whoosh's own ``Query.existing_terms`` reuses its ``fieldname`` argument as a loop variable
    and so drops terms of every field but the first; this does the same job without that bug.
    """
    found: set[tuple[str, str]] = set()
    has = context_for(reader).has
    leaves = [q] if q.is_leaf() else list(q.leaves())
    for leaf in leaves:
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            value = text_of(text)
            if (fieldname, value) not in found and has(reader, fieldname, value):
                found.add((fieldname, value))
    return found


def explain_hit(
    searcher: Any, plan: ScoringPlan, docnum: int, stored: dict[str, Any]
) -> Explanation:
    """Every part of one document's score under ``plan`` (see :meth:`Hit.explain`)."""
    if reader_is_closed(searcher.reader()):
        raise QueryError(
            f"cannot explain hit {stored[ID]!r}: the index it came from has been closed; "
            "call explain() before Index.close(), or search again"
        )
    weighted = weighted_searcher(searcher, plan.ranking)
    sources = _Sources(plan)
    matches: list[TermMatch] = []
    bonuses: list[ScoreBonus] = []
    sub, local = _segment_of(weighted, docnum)
    _explain_node(plan.query, sub, local, stored, sources, matches, bonuses)
    if docnum in plan.head:
        for term in plan.exact_terms:
            score = exact_bonuses(weighted, [docnum], [term]).get(docnum, 0.0)
            if score:
                fieldname, words, _boost, _slop = term
                matches.append(
                    sources.match(fieldname, " ".join(words), stored, score, "written form")
                )
        for kind, words, score in bonus_parts(weighted, [docnum], plan.units, plan.ranking).get(
            docnum, []
        ):
            bonuses.append(ScoreBonus(kind, list(words), score))
    matches.sort(key=lambda m: -m.score)
    total = math.fsum([m.score for m in matches] + [b.score for b in bonuses])
    return Explanation(doc_id=stored[ID], score=total, matches=matches, bonuses=bonuses)


def reader_is_closed(reader: Any) -> bool:
    """Whether a Whoosh reader (or any of its segments' readers) has been closed."""
    if getattr(reader, "is_closed", False):
        return True
    subs = [] if reader.is_atomic() else [sub for sub, _offset in reader.leaf_readers()]
    return any(getattr(sub, "is_closed", False) for sub in subs)


def _segment_of(searcher: Any, docnum: int) -> tuple[Any, int]:
    """The leaf searcher holding ``docnum`` and its docnum there (as a search scores it)."""
    for sub, offset in searcher.leaf_searchers():
        if offset <= docnum < offset + sub.reader().doc_count_all():
            return sub, docnum - offset
    raise QueryError(f"document number {docnum} is not in this index snapshot")


def _score(q: Any, sub: Any, local: int) -> float | None:
    """Whoosh's score of the clause ``q`` for one document of a segment, None if it does not
    match there."""
    matcher = q.matcher(sub, sub.context())
    if not matcher.is_active():
        return None
    matcher.skip_to(local)
    if not matcher.is_active() or matcher.id() != local:
        return None
    return float(matcher.score())


# Clauses whose matcher scores a document by the sum of its matching children's scores.
_SUMMING = (wq.Or, wq.And, wq.AndMaybe)


def _explain_node(
    q: Any,
    sub: Any,
    local: int,
    stored: dict[str, Any],
    sources: _Sources,
    matches: list[TermMatch],
    bonuses: list[ScoreBonus],
) -> None:
    """Append the parts of ``q``'s score for the document to ``matches`` and ``bonuses``."""
    if isinstance(q, wq.AndNot):  # scored by its positive side alone
        _explain_node(q.a, sub, local, stored, sources, matches, bonuses)
        return
    if isinstance(q, wq.Not | wq.NullQuery.__class__):
        return
    score = _score(q, sub, local)
    if score is None:
        return
    if type(q) in (wq.Term, wq.Phrase):
        words = text_of(q.text) if type(q) is wq.Term else " ".join(text_of(w) for w in q.words)
        matches.append(sources.match(q.fieldname, words, stored, score, "bm25f"))
        return
    if isinstance(q, _SUMMING):
        first_match, first_bonus = len(matches), len(bonuses)
        for child in q.children():
            _explain_node(child, sub, local, stored, sources, matches, bonuses)
        added = math.fsum(
            [m.score for m in matches[first_match:]] + [b.score for b in bonuses[first_bonus:]]
        )
        rest = score - added
        if abs(rest) > 1e-12 * max(1.0, abs(score)):
            kind = "coordination" if getattr(q, "scale", None) else "clause"
            bonuses.append(ScoreBonus(kind, _leaf_words(q), rest))
        return
    bonuses.append(ScoreBonus("clause", _leaf_words(q), score))


def _leaf_words(q: Any) -> list[str]:
    leaves = [q] if q.is_leaf() else list(q.leaves())
    return [str(getattr(leaf, "text", leaf)) for leaf in leaves]


class _Sources:
    """Traces an index term to the query word that produced it and the document's words."""

    def __init__(self, plan: ScoringPlan) -> None:
        self.origins = plan.origins
        self.stemmed = _term_sources(plan.text, STEMMED)
        self.exact = _term_sources(plan.text, EXACT)

    def match(
        self, fieldname: str, term: str, stored: dict[str, Any], score: float, kind: str
    ) -> TermMatch:
        source_field = fieldname.removesuffix(EXACT_SUFFIX)
        text = (stored.get(source_field) or "")[:SNIPPET_SCAN_CHARS]
        stemmed = not fieldname.endswith(EXACT_SUFFIX)
        words = set(term.split())
        spans = find_matches(
            text, words if stemmed else set(), set() if stemmed else words, STEMMED, EXACT
        )
        origin = self.origins.get((fieldname, term))
        sources = self.stemmed if stemmed else self.exact
        # An acronym's phrase (`menteri tahan`) comes from one written word (`Menhan`).
        query_word = origin or " ".join(dict.fromkeys(sources.get(w, w) for w in term.split()))
        return TermMatch(
            query_word=query_word,
            field=fieldname,
            term=term,
            document_words=sorted({text[s:e] for s, e, _ in spans}),
            score=score,
            kind=kind,
        )


def _term_sources(text: str, analyzer: Any) -> dict[str, str]:
    """Index term -> the query word as the user wrote it."""
    sources: dict[str, str] = {}
    for token in analyzer(text, mode="query", chars=True, removestops=False):
        sources.setdefault(token.text, text[token.startchar : token.endchar])
    return sources
