"""Batch search in parallel: threads against processes, on the machine at hand.

``searchlib run --threads N`` (``batch_search(..., workers=N)``) runs the queries of a batch on
N workers. Searching is pure Python (Whoosh), so threads share one interpreter lock; processes
each open the index and search on their own. This script measures both over the same queries
and index, beside the one-worker run, and checks that every strategy writes the same rows:

- ``serial``: ``batch_search(ix, queries)``, one worker;
- ``threads``: a ``ThreadPoolExecutor`` of N threads sharing the one ``Index`` (its searchers
  are per thread), each searching a query at a time, rows kept in query order;
- ``processes``: ``batch_search(ix, queries, workers=N)`` (what the library does).

    python benchmarks/batch_workers.py --index /tmp/ix-indosum \\
        --queries ../shared/data/indosum/queries.dev.tsv --workers 2 --repeat 3

Build the index first (``searchlib index ../shared/data/indosum/docs.jsonl --index DIR``). Run
it alone on the machine (``flock /tmp/bench.lock python benchmarks/...``): it times wall-clock.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from effectiveness import read_queries  # noqa: E402

from searchlib import Index, batch_search  # noqa: E402

Row = tuple[str, str, int, float]


def serial(ix: Index, queries: list[tuple[str, str]], hits: int, workers: int) -> list[Row]:
    return list(batch_search(ix, queries, hits=hits))


def threads(ix: Index, queries: list[tuple[str, str]], hits: int, workers: int) -> list[Row]:
    def one(query: tuple[str, str]) -> list[Row]:
        return list(batch_search(ix, [query], hits=hits))

    with ThreadPoolExecutor(workers) as pool:
        return [row for rows in pool.map(one, queries) for row in rows]


def processes(ix: Index, queries: list[tuple[str, str]], hits: int, workers: int) -> list[Row]:
    return list(batch_search(ix, queries, hits=hits, workers=workers))


def _cpu_seconds() -> float:
    """User and system CPU time of this process and of its finished child processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--limit-queries", type=int)
    parser.add_argument("--hits", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    queries = read_queries(args.queries, args.limit_queries)
    ix = Index.open(args.index)
    serial(ix, queries[:20], args.hits, 1)  # warm the caches of this process once
    reference: list[Row] | None = None
    print(f"{len(queries):,} queries, {args.hits} hits each, {ix.doc_count():,} documents")
    strategies = {"serial": serial, "threads": threads, "processes": processes}
    times: dict[str, list[float]] = {name: [] for name in strategies}
    # CPU seconds per wall second: how many cores a strategy kept busy (load elsewhere lowers
    # the wall-clock gain, not this). Threads under the interpreter lock stay near 1.
    busy: dict[str, list[float]] = {name: [] for name in strategies}
    # Rounds interleave the strategies, so that load from elsewhere on the machine falls on
    # each alike.
    for _ in range(args.repeat):
        for name, run in strategies.items():
            workers = 1 if name == "serial" else args.workers
            started, cpu = time.perf_counter(), _cpu_seconds()
            rows = run(ix, queries, args.hits, workers)
            times[name].append(time.perf_counter() - started)
            busy[name].append((_cpu_seconds() - cpu) / times[name][-1])
            if reference is None:
                reference = rows
            # Same documents in the same order for every query.
            assert [r[:3] for r in rows] == [r[:3] for r in reference], f"{name} rows differ"
    # Within a round the strategies run back to back, so the ratio of their times drifts less
    # with the machine's load than the times do: the median ratio per round is the figure.
    for name, spent in times.items():
        ratios = [base / t for base, t in zip(times["serial"], spent, strict=True)]
        print(
            f"{name:<10} speed-up over serial, median of rounds: {statistics.median(ratios):.2f}x;"
            f" cores kept busy: {statistics.median(busy[name]):.2f}"
        )
    for name, spent in times.items():
        workers = 1 if name == "serial" else args.workers
        median = statistics.median(spent)
        runs = ", ".join(f"{t:.2f}" for t in spent)
        print(
            f"{name:<10} workers={workers}  median {median:6.2f} s  best {min(spent):6.2f} s  "
            f"{len(queries) / median:7.1f} queries/s  (runs: {runs})"
        )


if __name__ == "__main__":
    main()
