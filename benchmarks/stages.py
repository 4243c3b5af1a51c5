"""CPU per search stage: where a query's time goes, pass by pass.

Opens an index, runs a query file (``id<TAB>text`` lines, as ``benchmarks/perf.py`` writes
them) twice, top 10 with snippets, and prints per pass the mean process time per query of each
stage: parsing, posting scoring (``top_docs``), the written-form bonus, the rerank, and the hits
(stored fields and snippets). The first pass shows a cold posting cache, the second a warm one.

    searchlib index --index /tmp/ix20k /tmp/searchlib-bench/corpus-20000.jsonl
    python benchmarks/stages.py --index /tmp/ix20k --queries /tmp/searchlib-bench/queries-500.tsv

(``perf.py`` leaves its corpus and query files in its ``--workdir``.)

``--python`` keeps every segment on the Python path (no posting arrays), for comparison.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
STAGES = {
    "parse": "parse_query",
    "top_docs": "top_docs",
    "written forms": "exact_bonuses",
    "rerank": "rerank",
    "hits": "_hits",
}


def _timed(function: Callable[..., Any], label: str, spent: dict[str, float]) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - started

    return wrapper


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--index", required=True, type=Path)
    parser.add_argument("--queries", required=True, type=Path)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--python", action="store_true", help="no posting arrays")
    parser.add_argument(
        "--cache-mb", type=int, help="posting cache budget (default: the library's, 256 MB)"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    import searchlib.search.postings as postings
    import searchlib.search.searcher as searcher
    from searchlib import Index

    if args.python:
        postings.NUMPY_FROM_DOCS = 10**12
    if args.cache_mb is not None:
        postings.CACHE_BYTES = args.cache_mb << 20
    spent: dict[str, float] = {}
    for label, name in STAGES.items():
        setattr(searcher, name, _timed(getattr(searcher, name), label, spent))
    lines = args.queries.read_text(encoding="utf-8").splitlines()
    queries = [line.split("\t", 1)[1] for line in lines if "\t" in line]
    with Index.open(args.index) as ix:
        for number in range(1, args.passes + 1):
            spent.clear()
            started = time.process_time()
            for text in queries:
                ix.search(text, limit=10, snippets=True)
            per_query = 1000.0 / len(queries)
            total = (time.process_time() - started) * per_query
            parts = ", ".join(f"{k} {v * per_query:.2f}" for k, v in spent.items())
            print(f"pass {number}: {total:.1f} ms CPU a query ({parts})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
