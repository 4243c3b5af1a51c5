"""Explanations add up: every part of a hit's score is listed, and the parts sum to the score.

Checked over many queries (natural language, phrases, fuzzy and prefix words, boolean and
fielded clauses) on the seeds and on a generated corpus, under several rankings (coordination
on, a shallow rerank so later hits carry no bonus, reranks off, other BM25 parameters).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from searchlib import Document, Index, Ranking
from searchlib.errors import QueryError
from tests.conftest import SEEDS, seed_id

RANKINGS = [
    Ranking(),
    Ranking(or_factor=0.6),
    Ranking(rerank_depth=3),
    Ranking(proximity=0, lede_boost=0),
    Ranking(k1=0.9, b=0.4, exact_boost=0),
    Ranking(title_boost=3.0, proximity=1.5, lede_window=30),
]


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for path in SEEDS.glob("*.txt"):
        words.update(re.findall(r"[A-Za-z][a-z]{2,}", path.read_text(encoding="utf-8")))
    return sorted(words)


@pytest.fixture(scope="module")
def generated_ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    """80 documents of seed words in random order, in two commits (two segments)."""
    rng = random.Random(15)
    vocabulary = _vocabulary()
    path: Path = tmp_path_factory.mktemp("explain-index")
    with Index.create(path) as ix:
        for batch in range(2):
            ix.add(
                Document(
                    id=f"g{batch}-{i}",
                    title=" ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 8))),
                    body=". ".join(
                        " ".join(rng.choice(vocabulary) for _ in range(rng.randint(5, 20)))
                        for _ in range(rng.randint(2, 12))
                    ),
                    date=f"{2015 + i % 8}-{1 + i % 12:02d}",
                )
                for i in range(40)
            )
            ix.commit()
        yield ix


def _queries(ix: Index, rng: random.Random, count: int) -> list[str]:
    vocabulary = _vocabulary()
    queries = []
    for i in range(count):
        words = [rng.choice(vocabulary) for _ in range(rng.randint(1, 4))]
        shape = i % 8
        if shape == 1:
            words[0] = f'"{words[0]} {rng.choice(vocabulary)}"'
        elif shape == 2:
            words[0] = f"{words[0].lower()}~1"
        elif shape == 3:
            words[0] = f"{words[0][:4].lower()}*"
        elif shape == 4 and len(words) > 1:
            words.insert(1, "AND")
        elif shape == 5 and len(words) > 1:
            words.insert(1, "NOT")
        elif shape == 6:
            words[0] = f"judul:{words[0]}"
        queries.append(" ".join(words))
    return queries


def _check_adds_up(ix: Index, query: str, ranking: Ranking) -> int:
    checked = 0
    for page in (1, 2):
        try:
            results = ix.search(query, ranking=ranking, limit=5, page=page, suggest=False)
        except QueryError:
            return checked
        for hit in results.hits:
            explanation = hit.explain()
            tolerance = 1e-9 * max(1.0, abs(hit.score))
            parts = [m.score for m in explanation.matches] + [
                b.score for b in getattr(explanation, "bonuses", [])
            ]
            assert abs(sum(parts) - hit.score) <= tolerance, (query, ranking, hit.id)
            assert abs(explanation.score - hit.score) <= tolerance, (query, ranking, hit.id)
            checked += 1
    return checked


@pytest.mark.parametrize("ranking", RANKINGS, ids=lambda r: repr(r)[8:60])
def test_explanation_parts_sum_to_the_score_on_a_generated_corpus(generated_ix, ranking):
    rng = random.Random(repr(ranking))
    checked = sum(_check_adds_up(generated_ix, q, ranking) for q in _queries(generated_ix, rng, 40))
    assert checked > 100


@pytest.mark.parametrize("ranking", RANKINGS[:3], ids=lambda r: repr(r)[8:60])
def test_explanation_parts_sum_to_the_score_on_the_seeds(seed_ix, ranking):
    queries = [
        "menteri pertahanan Jepang",
        "kunjungan Nakatani",
        "Menlu AS Korsel",
        '"kerja sama" Korea',
        "Korea NOT Jepang",
        "perusahaan~2 Korea",
        "diplom* Seoul",
        "judul:Korea menteri",
        "siapa menteri pertahanan Jepang?",
        "Jepang AND Korea kerja sama trilateral",
    ]
    checked = sum(_check_adds_up(seed_ix, q, ranking) for q in queries)
    assert checked >= 30


def test_more_like_hits_explain_their_scores(seed_ix):
    results = seed_ix.more_like(seed_id("001"))
    assert results.hits
    for hit in results.hits:
        assert hit.explain().score == pytest.approx(hit.score, rel=1e-9)


def test_every_kind_of_contribution_is_listed(seed_ix):
    hit = seed_ix.search("menteri pertahanan Jepang").hits[0]
    explanation = hit.explain()
    kinds = {m.kind for m in explanation.matches} | {b.kind for b in explanation.bonuses}
    assert {"bm25f", "written form", "proximity", "lede"} <= kinds
    proximity = next(b for b in explanation.bonuses if b.kind == "proximity")
    assert len(proximity.words) == 2
    fields = {m.field for m in explanation.matches}
    assert {"title", "body"} & fields and {"title_exact", "body_exact"} & fields
    coordinated = seed_ix.search("menteri pertahanan Jepang", ranking=Ranking(or_factor=0.6))
    assert any(b.kind == "coordination" for b in coordinated.hits[0].explain().bonuses)


def test_hits_past_the_rerank_depth_carry_no_bonus(seed_ix):
    results = seed_ix.search("Korea", ranking=Ranking(rerank_depth=1))
    later = results.hits[1].explain()
    assert not later.bonuses and all(m.kind == "bm25f" for m in later.matches)
    assert later.score == pytest.approx(results.hits[1].score, rel=1e-9)


def test_explanation_to_dict_lists_the_bonuses(seed_ix):
    data = seed_ix.search("menteri pertahanan Jepang").hits[0].explain().to_dict()
    assert {"doc_id", "score", "matches", "bonuses"} <= set(data)
    total = sum(m["score"] for m in data["matches"]) + sum(b["score"] for b in data["bonuses"])
    assert total == pytest.approx(data["score"], abs=1e-3)
