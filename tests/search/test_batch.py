"""batch_search: rows in query order, failures reported, options checked once, processes."""

from __future__ import annotations

import pytest

from searchlib import OptionTypeError, QueryError, Ranking, batch_search
from tests.conftest import seed_id

QUERIES = [("q1", "Nakatani"), ("q2", '"kerja sama'), ("q3", "yang"), ("q4", "Korea")]


def test_a_query_that_cannot_run_goes_to_on_error_and_the_rest_still_run(seed_ix):
    failed: list[tuple[str, QueryError]] = []
    rows = list(batch_search(seed_ix, QUERIES, hits=2, on_error=lambda q, e: failed.append((q, e))))
    assert [(qid, type(error)) for qid, error in failed] == [("q2", QueryError)]
    assert "unbalanced quotes" in str(failed[0][1])
    assert rows[0][:3] == ("q1", seed_id("003"), 1)
    assert {r[0] for r in rows} == {"q1", "q4"}  # q3 (only a stopword) is no failure


def test_processes_give_the_same_rows_in_the_same_order(seed_ix):
    queries = [(f"{qid}-{i}", text) for i in range(15) for qid, text in QUERIES]
    serial_failed: list[str] = []
    parallel_failed: list[str] = []
    serial = list(batch_search(seed_ix, queries, on_error=lambda q, e: serial_failed.append(q)))
    parallel = list(
        batch_search(seed_ix, queries, workers=2, on_error=lambda q, e: parallel_failed.append(q))
    )
    assert parallel == serial and len(serial) > 60
    assert parallel_failed == serial_failed == [f"q2-{i}" for i in range(15)]


def test_progress_counts_every_query(seed_ix):
    seen: list[tuple[int, int]] = []
    list(batch_search(seed_ix, QUERIES, progress=lambda done, total: seen.append((done, total))))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"sort": "bogus"}, QueryError),
        ({"date_from": "2019-1"}, QueryError),
        ({"page": 0}, QueryError),
        ({"ranking": "bm25"}, OptionTypeError),
        ({"workers": 0}, QueryError),
        ({"hits": 0}, QueryError),
        ({"on_error": "print"}, OptionTypeError),
    ],
)
def test_a_bad_option_is_one_error_before_the_batch_not_a_failure_per_query(
    seed_ix, options, error
):
    failed: list[str] = []
    options.setdefault("on_error", lambda q, e: failed.append(q))
    with pytest.raises(error):
        list(batch_search(seed_ix, QUERIES, **options))
    assert failed == []


def test_ranking_refuses_b_above_one_and_numbers_that_are_not_finite():
    for bad in ({"b": 1.5}, {"k1": float("nan")}, {"k1": float("inf")}, {"proximity": -1.0}):
        with pytest.raises(QueryError):
            Ranking(**bad)
    assert Ranking(b=1.0, k1=0.0).b == 1.0
