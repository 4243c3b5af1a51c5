"""A new process's first query, on indexes already built: searchlib against stock Whoosh.

``perf.py --fresh N`` measures this too, after building both indexes (most of its run). This
script takes the index directories perf.py left in its ``--workdir`` (or any built the same
way) and runs only the new processes, alternating the engines query by query so that a drift
in the machine's speed falls on both alike: each process imports the engine, opens the index
and runs one headline query with snippets (perf.py's ``--fresh-query`` worker). ``--compare
SRC`` adds searchlib imported from another checkout, for a before/after of one change.

    python benchmarks/first_query.py --searchlib-index /tmp/searchlib-bench/searchlib-20000 \\
        --whoosh-index /tmp/searchlib-bench/whoosh-20000 --runs 20 --compare /tmp/base

It prints p50/p95 of the open and the first query per engine, and the ratios to stock.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import headline_queries  # noqa: E402
from perf import _percentile, fresh_run  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--searchlib-index", type=Path, required=True)
    parser.add_argument("--whoosh-index", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=20, help="headline queries, one per process")
    parser.add_argument("--compare", type=Path, help="another searchlib checkout to run too")
    args = parser.parse_args(argv)

    queries = [text for _, text in headline_queries()][: args.runs]
    engines: list[tuple[str, str, Path, Path | None]] = [
        ("searchlib", "searchlib", args.searchlib_index, HERE.parent),
        ("whoosh", "whoosh", args.whoosh_index, None),
    ]
    if args.compare:
        engines.insert(
            1, (f"searchlib ({args.compare})", "searchlib", args.searchlib_index, args.compare)
        )
    times: dict[str, dict[str, list[float]]] = {
        name: {"open_ms": [], "first_ms": []} for name, *_ in engines
    }
    for query in queries:
        for name, engine, index, src in engines:
            for key, value in fresh_run(engine, index, query, src).items():
                times[name][key].append(value)
    stock = times["whoosh"]
    print(f"{len(queries)} new processes per engine, one headline query each, with snippets")
    print("| engine | open p50 ms | first query p50 ms | first query p95 ms |")
    print("|---|---|---|---|")
    for name, found in times.items():
        cells = []
        for key, q in (("open_ms", 0.5), ("first_ms", 0.5), ("first_ms", 0.95)):
            value, base = _percentile(found[key], q), _percentile(stock[key], q)
            ratio = "" if name == "whoosh" else f" ({value / base:.2f}x)"
            cells.append(f"{value:.1f}{ratio}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    if args.compare:
        ours, theirs = times["searchlib"]["first_ms"], times[engines[1][0]]["first_ms"]
        paired = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
        print(f"median of paired first-query ratios, this checkout / --compare: {paired:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
