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
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PERF = HERE / "perf.py"


def _fresh(engine: str, index: Path, query: str, src: Path | None) -> dict[str, float]:
    command = [sys.executable, str(PERF), "--worker", engine, "--index-dir", str(index)]
    command += ["--fresh-query", query]
    if src is not None:
        command += ["--searchlib-src", str(src)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("FRESH ")), None)
    if line is None:
        raise RuntimeError(f"{engine} failed:\n{done.stderr[-3000:]}")
    return json.loads(line[len("FRESH ") :])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--searchlib-index", type=Path, required=True)
    parser.add_argument("--whoosh-index", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=20, help="headline queries, one per process")
    parser.add_argument("--compare", type=Path, help="another searchlib checkout to run too")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(HERE))
    from corpus import headline_queries

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
            for key, value in _fresh(engine, index, query, src).items():
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
