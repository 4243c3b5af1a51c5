"""How long fuzzy and prefix queries take at IndoSum size (issue 15, item 1: at most 100 ms).

Indexes the IndoSum articles of ../shared/data (or reuses the index in ``--index`` when it is
already built there), then runs each fuzzy and prefix query ``--repeat`` times after one
warm-up run and prints, per query, the number of hits, whether the expansion was capped, the
wall time of that first run (the first fuzzy word on an index also indexes the vocabulary's
letter pairs, once per snapshot) and the median and 95th-percentile wall time of
``Index.search`` (snippets on, as a user sees it).

    flock /tmp/bench.lock python benchmarks/fuzzy.py
    flock /tmp/bench.lock python benchmarks/fuzzy.py --index /tmp/indosum-ix --repeat 50
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DATA = REPO.parent / "shared" / "data"

QUERIES = (
    "perusahaan~2",
    "perusahaan~",
    "perusaha*",
    "pemerintah~1",
    "presiden~2 Jokowi",
    "Jakarta~ banjir",
    "menteri*",
    "ekonomi~2 Indonesia",
    "ber*",
    "sepak~1 bola",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, help="index directory (built when missing)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query")
    args = parser.parse_args(argv)

    from searchlib import Index, iter_documents

    source = DATA / "indosum" / "docs.jsonl"
    directory = args.index or Path(tempfile.mkdtemp(prefix="searchlib-fuzzy-"))
    if Index.exists(directory):
        ix = Index.open(directory)
    else:
        if not source.is_file():
            print(f"no IndoSum data at {source}", file=sys.stderr)
            return 1
        started = time.perf_counter()
        ix = Index.create(directory, overwrite=True)
        ix.add(iter_documents([source], format="jsonl"))
        ix.commit()
        print(f"indexed {ix.doc_count():,} documents in {time.perf_counter() - started:.1f} s")
    print(f"{ix.doc_count():,} documents; {args.repeat} runs per query after one warm-up\n")
    print(
        f"{'query':<24} {'hits':>6} {'capped':>6} {'first ms':>9} {'median ms':>10} "
        f"{'p95 ms':>8}  top hit"
    )
    medians = []
    for query in QUERIES:
        started = time.perf_counter()
        first = ix.search(query)
        first_ms = (time.perf_counter() - started) * 1000.0
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            ix.search(query)
            times.append((time.perf_counter() - started) * 1000.0)
        times.sort()
        median = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        medians.append(median)
        top = first.hits[0].id if first.hits else "-"
        capped = "yes" if first.expansion_capped else "no"
        print(
            f"{query:<24} {first.total:>6,} {capped:>6} {first_ms:>9.1f} {median:>10.1f} "
            f"{p95:>8.1f}  {top}"
        )
    print(f"\nworst median {max(medians):.1f} ms")
    ix.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
