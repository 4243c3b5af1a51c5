"""Retrieval effectiveness on the Indonesian dev sets in ../shared/data.

Indexes the FacQA passages and the IndoSum articles, runs the dev queries (FacQA questions,
IndoSum headline "title" queries and three-word "short" queries) and prints MRR@10, R@10 and
R@100 (computed by ir-measures) for:

- stock Whoosh ``StandardAnalyzer`` with OR queries (the same engine, no Indonesian analysis),
- searchlib's default configuration,
- searchlib with each ranking direction switched off (the ablation),
- searchlib's core, every direction off: the one BM25F pass the issue started from, whose
  ms/query the default's is compared with,

beside the reference figures measured earlier for other systems (constants, not re-run).

    python benchmarks/effectiveness.py              # everything
    python benchmarks/effectiveness.py --sets facqa --limit-queries 500
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DATA = REPO.parent / "shared" / "data"

# MRR@10 measured by whoever filed the issues (OR queries), for reference in the same table.
ANCHORS = {
    "facqa": {
        "stock Whoosh": 0.799,
        "+Snowball-id": 0.810,
        "+Sastrawi": 0.811,
        "bm25s": 0.805,
        "FTS5": 0.804,
    },
    "indosum-short": {
        "stock Whoosh": 0.733,
        "+Snowball-id": 0.767,
        "+Sastrawi": 0.775,
        "bm25s": 0.765,
        "FTS5": 0.731,
    },
    "indosum-title": {"best so far": 0.96},
}

SETS = {
    # name: (corpus file, corpus format, queries file, qrels file)
    "facqa": ("facqa/corpus.tsv", "tsv", "facqa/queries.dev.tsv", "facqa/qrels.dev.txt"),
    "indosum-title": (
        "indosum/docs.jsonl",
        "jsonl",
        "indosum/queries.dev.tsv",
        "indosum/qrels.dev.txt",
    ),
    "indosum-short": (
        "indosum/docs.jsonl",
        "jsonl",
        "indosum/queries.short.dev.tsv",
        "indosum/qrels.short.dev.txt",
    ),
}


def read_queries(path: Path, limit: int | None) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and "\t" in line:
            qid, text = line.split("\t", 1)
            rows.append((qid, text))
    return rows[:limit] if limit else rows


def evaluate(
    run: list[tuple[str, str, float]], qrels_path: Path, qids: set[str]
) -> dict[str, float]:
    import ir_measures
    from ir_measures import RR, R

    qrels = [q for q in ir_measures.read_trec_qrels(str(qrels_path)) if q.query_id in qids]
    scored = [ir_measures.ScoredDoc(q, d, s) for q, d, s in run]
    measures = ir_measures.calc_aggregate([RR @ 10, R @ 10, R @ 100], qrels, scored)
    # Queries that returned nothing still count (as zero): ir-measures averages over qrels' queries.
    return {"MRR@10": measures[RR @ 10], "R@10": measures[R @ 10], "R@100": measures[R @ 100]}


# -- systems -------------------------------------------------------------------------------


class StockWhoosh:
    """Stock Whoosh: StandardAnalyzer, BM25F, OR queries over one text field."""

    name = "stock Whoosh (StandardAnalyzer, OR)"

    def __init__(self, docs: list[tuple[str, str]], directory: Path) -> None:
        from whoosh import fields, index
        from whoosh.analysis import StandardAnalyzer

        directory.mkdir(parents=True, exist_ok=True)
        schema = fields.Schema(
            id=fields.ID(stored=True), body=fields.TEXT(analyzer=StandardAnalyzer())
        )
        self.ix = index.create_in(str(directory), schema)
        writer = self.ix.writer(limitmb=256)
        for doc_id, text in docs:
            writer.add_document(id=doc_id, body=text)
        writer.commit()
        self.searcher = self.ix.searcher()

    def run(
        self, queries: list[tuple[str, str]], hits: int, **_options: object
    ) -> list[tuple[str, str, float]]:
        from whoosh import qparser

        parser = qparser.QueryParser("body", self.ix.schema, group=qparser.OrGroup)
        rows = []
        for qid, text in queries:
            q = parser.parse(text)
            for hit in self.searcher.search(q, limit=hits):
                rows.append((qid, hit["id"], float(hit.score)))
        return rows


class Searchlib:
    """searchlib with a given Ranking (query-time options)."""

    def __init__(self, source: Path, fmt: str, directory: Path) -> None:
        from searchlib import Index, iter_documents

        self.ix = Index.create(directory, overwrite=True)
        self.ix.add(iter_documents([source], format=fmt))
        self.ix.commit()

    def run(
        self, queries: list[tuple[str, str]], hits: int, **options: object
    ) -> list[tuple[str, str, float]]:
        from searchlib.search import batch_search

        return [
            (q, d, s) for q, d, _rank, s in batch_search(self.ix, queries, hits=hits, **options)
        ]


def ablations() -> list[tuple[str, dict[str, object]]]:
    """(label, search options) for the default and each direction switched off."""
    from searchlib import Ranking

    default = Ranking()
    variants: list[tuple[str, dict[str, object]]] = [("searchlib default", {})]
    for label, change in default_ablations(default):
        variants.append((label, {"ranking": dataclasses.replace(default, **change)}))
    return variants


def default_ablations(default: object) -> Iterable[tuple[str, dict[str, object]]]:
    """Each ranking direction switched off; a direction is listed only if the default uses it."""
    fields = {f.name for f in dataclasses.fields(default)}  # type: ignore[arg-type]
    candidates = [
        ("- exact forms", "exact_boost", 0.0),
        ("- coordination bonus", "or_factor", 0.0),
        ("- proximity", "proximity", 0.0),
        ("- question-word removal", "question_words", False),
        ("- lede weighting", "lede_boost", 0.0),
        ("BM25 k1=1.2 b=0.75 (Whoosh defaults)", None, None),
    ]
    for label, name, off in candidates:
        if name is None:
            change = {"k1": 1.2, "b": 0.75}
            if (getattr(default, "k1", 1.2), getattr(default, "b", 0.75)) != (1.2, 0.75):
                yield label, change
            continue
        if name in fields and getattr(default, name) != off:
            yield label, {name: off}
    # The core this issue started from: one BM25F pass, no query cleaning, no rerank.
    core = {"question_words": False, "proximity": 0.0, "lede_boost": 0.0}
    if all(name in fields for name in core):
        yield CORE, core


CORE = "core (every direction off)"


def load_pairs(source: Path, fmt: str) -> list[tuple[str, str]]:
    from searchlib import iter_documents

    return [(d.id, (d.title or "") + "\n" + d.body) for d in iter_documents([source], format=fmt)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--limit-queries", type=int, default=None, help="first N queries per set")
    parser.add_argument("--no-ablation", action="store_true", help="default and baseline only")
    parser.add_argument("--hits", type=int, default=100)
    args = parser.parse_args(argv)

    if not DATA.is_dir():
        print(f"skipping: the evaluation data is not at {DATA} (clone ../shared beside the repo)")
        return 0

    variants = [("searchlib default", {})] if args.no_ablation else ablations()
    table: list[tuple[str, str, dict[str, float], float]] = []
    built: dict[str, tuple[StockWhoosh, Searchlib]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for set_name in args.sets:
            corpus, fmt, queries_file, qrels_file = SETS[set_name]
            source = DATA / corpus
            if corpus not in built:
                started = time.perf_counter()
                stock = StockWhoosh(load_pairs(source, fmt), Path(tmp) / f"stock-{fmt}")
                ours = Searchlib(source, fmt, Path(tmp) / f"ours-{fmt}")
                print(
                    f"[{corpus}] indexed both in {time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                )
                built[corpus] = (stock, ours)
            stock, ours = built[corpus]
            queries = read_queries(DATA / queries_file, args.limit_queries)
            qids = {q for q, _ in queries}
            systems: list[tuple[str, object, dict[str, object]]] = [(StockWhoosh.name, stock, {})]
            systems += [(label, ours, options) for label, options in variants]
            for label, system, options in systems:
                started = time.perf_counter()
                run = system.run(queries, args.hits, **options)  # type: ignore[attr-defined]
                per_query_ms = (time.perf_counter() - started) * 1000 / max(1, len(queries))
                table.append(
                    (set_name, label, evaluate(run, DATA / qrels_file, qids), per_query_ms)
                )
                print(f"[{set_name}] {label}: {table[-1][2]}", file=sys.stderr)

    print_table(table, args)
    return 0


def print_table(
    table: list[tuple[str, str, dict[str, float], float]], args: argparse.Namespace
) -> None:
    print()
    print("| set | system | MRR@10 | R@10 | R@100 | ms/query |")
    print("|---|---|---|---|---|---|")
    for set_name in args.sets:
        for name, anchor in ANCHORS.get(set_name, {}).items():
            print(f"| {set_name} | earlier measurement: {name} | {anchor:.3f} | | | |")
        for row_set, label, m, ms in table:
            if row_set == set_name:
                print(
                    f"| {set_name} | {label} | {m['MRR@10']:.3f} | {m['R@10']:.3f} | "
                    f"{m['R@100']:.3f} | {ms:.1f} |"
                )
    timings = {(row_set, label): ms for row_set, label, _m, ms in table}
    for set_name in args.sets:
        default_ms, core_ms = (
            timings.get((set_name, "searchlib default")),
            timings.get((set_name, CORE)),
        )
        if default_ms and core_ms:
            print(
                f"\n{set_name}: default {default_ms:.1f} ms/query, core {core_ms:.1f} ms/query "
                f"({default_ms / core_ms:.2f}x)",
                end="",
            )
    print()
    if args.limit_queries:
        print(f"\n(first {args.limit_queries} queries of each set only)")


if __name__ == "__main__":
    sys.exit(main())
