"""Relevance where the user lands: Lucene with searchlib's export beside searchlib itself.

Indexes FacQA and IndoSum (the documents as searchlib reads them) in Lucene with
``benchmarks/lucene/Analyze.java search``: BM25 (searchlib's ``k1``/``b``), ``title``/``body``
analysed by the exported ``searchlib_indonesian`` and ``title.exact``/``body.exact`` by
``searchlib_written``, with searchlib's field boosts (``Ranking().field_boosts()``); each dev
query is an OR of every field's match query with its boost (a ``multi_match`` of type
``most_fields``). Beside it, in the same table (MRR@10, R@10, R@100 by ir-measures):

- searchlib's core ranking (one BM25F pass: no question-word removal, proximity or lede
  rerank; the ``core`` row of ``benchmarks/effectiveness.py``) and its default,
- Lucene's stock ``IndonesianAnalyzer`` (OpenSearch's ``indonesian``) on title and body with
  the same boosts and BM25.

    python benchmarks/lucene_relevance.py                      # FacQA, IndoSum short and title
    python benchmarks/lucene_relevance.py --sets facqa --limit-queries 500
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import effectiveness  # noqa: E402
import lucene_parity  # noqa: E402

SETS = effectiveness.SETS
DATA = effectiveness.DATA


def write_docs(source: Path, fmt: str, path: Path) -> int:
    """The documents as searchlib reads them, one ``{"id", "title", "body"}`` per line."""
    from searchlib import iter_documents

    count = 0
    with path.open("w", encoding="utf-8") as out:
        for doc in iter_documents([source], format=fmt):
            record = {"id": doc.id, "title": doc.title or "", "body": doc.body}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def lucene_run(
    classpath: str,
    export: Path,
    docs: Path,
    queries: list[tuple[str, str]],
    folder: Path,
    options: dict[str, str],
) -> list[tuple[str, str, float]]:
    """Index ``docs`` and run ``queries`` in one JVM; the ``(qid, docid, score)`` rows."""
    query_file = folder / "queries.jsonl"
    with query_file.open("w", encoding="utf-8") as out:
        for qid, text in queries:
            out.write(json.dumps({"id": qid, "text": text}, ensure_ascii=False) + "\n")
    command = [
        "java",
        "-Xmx1g",
        "-cp",
        classpath,
        str(lucene_parity.JAVA_SOURCE),
        "search",
        str(export),
        str(docs),
        str(query_file),
        *(f"{k}={v}" for k, v in options.items()),
    ]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False)
    if done.returncode != 0:
        raise RuntimeError(f"Analyze.java search failed: {done.stderr.strip()}")
    rows = []
    for line in done.stdout.splitlines():
        qid, doc_id, score = line.split("\t")
        rows.append((qid, doc_id, float(score)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--limit-queries", type=int, default=None, help="first N queries per set")
    parser.add_argument("--hits", type=int, default=100)
    parser.add_argument("--unknown-words", choices=("keep", "stem"), default="keep")
    args = parser.parse_args(argv)

    classpath, why = lucene_parity.lucene_classpath()
    if classpath is None:
        print(f"skipping: {why}")
        return 0
    if not DATA.is_dir():
        print(f"skipping: the evaluation data is not at {DATA}")
        return 0

    from searchlib import Ranking

    default = Ranking()
    core = dataclasses.replace(default, **dict(_core_changes()))
    boosts = default.field_boosts()
    exact = default.exact_boost
    lucene_options = {
        "title": str(default.title_boost),
        "body": str(default.body_boost),
        "exact": str(exact),
        "k1": str(default.k1),
        "b": str(default.b),
        "hits": str(args.hits),
    }
    table: list[tuple[str, str, dict[str, float], float]] = []
    version = lucene_parity.lucene_version(classpath)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        export = lucene_parity.write_export(tmp / "config", unknown_words=args.unknown_words)
        built: dict[str, tuple[Path, object]] = {}
        for set_name in args.sets:
            corpus, fmt, queries_file, qrels_file = SETS[set_name]
            source = DATA / corpus
            if corpus not in built:
                docs = tmp / f"{fmt}-docs.jsonl"
                count = write_docs(source, fmt, docs)
                started = time.perf_counter()
                ours = effectiveness.Searchlib(source, fmt, tmp / f"searchlib-{fmt}")
                print(
                    f"[{corpus}] {count} documents, searchlib indexed in "
                    f"{time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                )
                built[corpus] = (docs, ours)
            docs, ours = built[corpus]
            queries = effectiveness.read_queries(DATA / queries_file, args.limit_queries)
            qids = {q for q, _ in queries}
            qrels = DATA / qrels_file
            stock = {**lucene_options, "stemmed": "lucene_indonesian", "written": ""}
            systems: list[tuple[str, dict[str, object] | None, dict[str, str]]] = [
                ("searchlib default", {}, {}),
                ("searchlib core (no rerank)", {"ranking": core}, {}),
                (f"Lucene {version} + searchlib export", None, lucene_options),
                ("Lucene stock IndonesianAnalyzer", None, stock),
            ]
            for label, search_options, java_options in systems:
                started = time.perf_counter()
                if search_options is not None:
                    rows = ours.run(queries, args.hits, **search_options)  # type: ignore[attr-defined]
                else:
                    rows = lucene_run(classpath, export, docs, queries, tmp, java_options)
                seconds = time.perf_counter() - started
                measures = effectiveness.evaluate(rows, qrels, qids)
                table.append((set_name, label, measures, seconds))
                print(f"[{set_name}] {label}: {measures} ({seconds:.0f} s)", file=sys.stderr)

    print(f"\nfield boosts {boosts}, BM25 k1={default.k1} b={default.b}, hits={args.hits}\n")
    print("| set | system | MRR@10 | R@10 | R@100 | seconds |")
    print("|---|---|---|---|---|---|")
    for set_name, label, m, seconds in table:
        print(
            f"| {set_name} | {label} | {m['MRR@10']:.3f} | {m['R@10']:.3f} | "
            f"{m['R@100']:.3f} | {seconds:.0f} |"
        )
    return 0


def _core_changes() -> list[tuple[str, object]]:
    """The changes that turn the default ranking into the core (from effectiveness.py)."""
    from searchlib import Ranking

    for label, change in effectiveness.default_ablations(Ranking()):
        if label == effectiveness.CORE:
            return list(change.items())
    raise SystemExit("effectiveness.py lists no core ranking")


if __name__ == "__main__":
    raise SystemExit(main())
