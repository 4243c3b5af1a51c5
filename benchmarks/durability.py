"""What durable commits (fsync) and the safety checks cost, as ratios in one run.

    python benchmarks/durability.py [--docs 2000] [--batch 20] [--repeats 5]

Indexes the first ``--docs`` IndoSum articles (or the bundled seeds, repeated, where
``../shared/data`` is absent) into a fresh index, committing every ``--batch`` documents, with
``durable=True`` (fsync) and ``durable=False``; then a bulk load in one commit; then
``Index.open`` with ``verify=True`` (CRC-32 of every segment file, once per process) and
``verify=False``; then the queries of ``indosum/queries.short.dev.tsv`` (or the seed titles)
with segment data unpickled through searchlib's restricted unpickler and with plain
``pickle.loads``. Each configuration runs ``--repeats`` times alternately; medians are quoted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from searchlib import Document, Index, iter_documents  # noqa: E402

INDOSUM = REPO.parent / "shared" / "data" / "indosum" / "docs.jsonl"
QUERIES = REPO.parent / "shared" / "data" / "indosum" / "queries.short.dev.tsv"


def corpus(count: int) -> list[Document]:
    if INDOSUM.is_file():
        docs = []
        for line in INDOSUM.open(encoding="utf-8"):
            record = json.loads(line)
            docs.append(Document(id=record["id"], body=record["text"], title=record.get("title")))
            if len(docs) >= count:
                return docs
        return docs
    seeds = list(iter_documents([REPO / "seeds"], format="text"))
    return [
        Document(id=f"{n}-{d.id}", body=d.body, title=d.title)
        for n in range(count // len(seeds) + 1)
        for d in seeds
    ][:count]


def load(docs: list[Document], batch: int, durable: bool) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        with Index.create(folder, durable=durable) as ix:
            for start in range(0, len(docs), batch):
                ix.add(docs[start : start + batch], workers=1)
                ix.commit()
        return time.perf_counter() - started


OPEN = """
import sys, time
from searchlib import Index
started = time.perf_counter()
Index.open(sys.argv[1], verify=sys.argv[2] == "1").close()
print(time.perf_counter() - started)
"""


def open_time(path: str, verify: bool) -> float:
    # A new process each time: checksums are read once per process.
    done = subprocess.run(
        [sys.executable, "-c", OPEN, path, "1" if verify else "0"],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return float(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    docs = corpus(args.docs)
    times: dict[str, list[float]] = {k: [] for k in ("durable", "fast", "bulk-d", "bulk-f")}
    for _ in range(args.repeats):
        times["durable"].append(load(docs, args.batch, True))
        times["fast"].append(load(docs, args.batch, False))
        times["bulk-d"].append(load(docs, len(docs), True))
        times["bulk-f"].append(load(docs, len(docs), False))
    med = {k: statistics.median(v) for k, v in times.items()}
    commits = -(-len(docs) // args.batch)
    print(f"{len(docs)} documents, {commits} commits of {args.batch}; medians of {args.repeats}")
    print("| load | durable=True | durable=False | ratio |")
    print("|---|---|---|---|")
    print(
        f"| {commits} commits | {med['durable']:.2f} s ({1000 * med['durable'] / commits:.1f} "
        f"ms/commit) | {med['fast']:.2f} s ({1000 * med['fast'] / commits:.1f} ms/commit) | "
        f"{med['durable'] / med['fast']:.2f}x |"
    )
    print(
        f"| 1 commit (bulk) | {med['bulk-d']:.2f} s | {med['bulk-f']:.2f} s | "
        f"{med['bulk-d'] / med['bulk-f']:.2f}x |"
    )
    with tempfile.TemporaryDirectory() as folder:
        with Index.create(folder) as ix:
            for start in range(0, len(docs), max(1, len(docs) // 8)):
                ix.add(docs[start : start + max(1, len(docs) // 8)], workers=1)
                ix.commit()
        verified = [open_time(folder, True) for _ in range(args.repeats)]
        unverified = [open_time(folder, False) for _ in range(args.repeats)]
    v, u = statistics.median(verified), statistics.median(unverified)
    print(
        f"| Index.open, 8 segments | verify=True {1000 * v:.0f} ms | "
        f"verify=False {1000 * u:.0f} ms | {v / u:.2f}x |"
    )
    unpickling_cost(docs, args.repeats)


def unpickling_cost(docs: list[Document], repeats: int) -> None:
    import pickle

    from searchlib._whoosh import restrict_data_pickles
    from searchlib.index.safety import safe_loads

    if QUERIES.is_file():
        queries = [line.split("\t", 1)[1].strip() for line in QUERIES.open(encoding="utf-8")]
    else:
        queries = [d.title or d.body[:60] for d in docs]
    with tempfile.TemporaryDirectory() as folder:
        with Index.create(folder, durable=False) as ix:
            ix.add(docs)
            ix.commit()
        with Index.open(folder) as ix:
            timings: dict[str, list[float]] = {"restricted": [], "pickle.loads": []}
            for _ in range(repeats):
                for name, loads in (("restricted", safe_loads), ("pickle.loads", pickle.loads)):
                    restrict_data_pickles(loads)
                    started = time.perf_counter()
                    for query in queries:
                        ix.search(query, limit=10, snippets=False, suggest=False)
                    timings[name].append(1000 * (time.perf_counter() - started) / len(queries))
            restrict_data_pickles(safe_loads)
    r, p = (statistics.median(timings[k]) for k in ("restricted", "pickle.loads"))
    print(
        f"| {len(queries)} queries, top 10, no snippets | restricted {r:.2f} ms/query | "
        f"pickle.loads {p:.2f} ms/query | {r / p:.2f}x |"
    )


if __name__ == "__main__":
    main()
