"""Performance at scale: searchlib against the engines users would pick instead.

One run indexes the same corpus (synthesised from IndoSum, see ``benchmarks/corpus.py``) with
every engine and runs the same two query sets on each: 500 queries of 1-4 headline words, and
400 "headline" queries (300 three-word headline spans, 100 single title words). It measures:

- indexing rate (documents/s, from the JSONL file to a committed index),
- index size on disk,
- query latency p50/p95 without and with snippets (top 10 hits, after one warm-up pass),
- peak resident memory: over indexing and querying (the whole process tree), and while
  searching alone (sampled from opening the index to the last query),
- a new process's start: ``--fresh`` processes each open the index and run one query (a
  different headline query each, top 10 with snippets); the open and that first query are
  timed, as a user's first request after a restart meets them.

Engines: ``searchlib``; ``whoosh`` (the Whoosh installed here with its ``StandardAnalyzer``: the
same engine without Indonesian analysis, the baseline of the ratios, with a plain ``OrGroup``,
its fastest setting, since block-quality skipping stays on); ``whoosh-coord`` (the same index
queried with ``OrGroup.factory(0.9)``, which rewards documents matching more words but turns the
skipping off; measured in the ``whoosh`` worker, so it shares its index figures); ``fts5``
(SQLite FTS5, ``unicode61``); ``tantivy`` and ``bm25s`` (the ``bench`` extras; skipped when
missing).
``--whoosh27 PYTHON`` adds classic PyPI Whoosh 2.7.4, run by that interpreter with the same
code. Each engine runs in its own process, ``--repeat`` times, the engines taking turns
(medians are reported).

The first table gives each figure and its ratio to stock Whoosh; the second how each figure
grows from the smallest to the larger corpus sizes, using this run's sizes and the results
saved by earlier runs in ``benchmarks/results/``.

    python benchmarks/perf.py --docs 20000                      # make bench
    python benchmarks/perf.py --docs 20000 100000 --repeat 3
    python benchmarks/perf.py --docs 20000 --engines searchlib whoosh --whoosh27 /tmp/w27/bin/python
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
ENGINES = (
    "searchlib",
    "searchlib-1proc",
    "whoosh",
    "whoosh-coord",
    "whoosh-2.7.4",
    "fts5",
    "tantivy",
    "bm25s",
)
# Rows measured by another engine's worker on its index, with other query settings.
VARIANTS = {"whoosh-coord": "whoosh"}
# The query sets: key in the results -> (file stem, what the tables call it).
QUERY_SETS = {"query": "mixed", "headline": "headline"}
DEFAULT_ENGINES = ("searchlib", "whoosh", "whoosh-2.7.4", "fts5", "tantivy", "bm25s")
BASELINE = "whoosh"
TOP_K = 10
WARM_UP = 50  # queries run before timing starts


# -- worker side: one engine, one process ------------------------------------------------------


class PeakRSS:
    """Sample the resident memory of this process and its children; keep the peak (bytes)."""

    def __init__(self, interval: float = 0.05) -> None:
        self.peak = 0
        self._stop = threading.Event()
        try:
            import psutil

            self._proc: Any = psutil.Process()
        except ImportError:
            self._proc = None
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)
        self._thread.start()

    def _sample(self) -> int:
        total = self._proc.memory_info().rss
        for child in self._proc.children(recursive=True):
            with contextlib.suppress(Exception):  # a child that just exited
                total += child.memory_info().rss
        return total

    def _run(self, interval: float) -> None:
        while self._proc is not None and not self._stop.is_set():
            with contextlib.suppress(Exception):
                self.peak = max(self.peak, self._sample())
            self._stop.wait(interval)

    def stop(self, *, floor: bool = True) -> int:
        """The peak seen; with ``floor``, at least the kernel's lifetime maximum."""
        self._stop.set()
        self._thread.join()
        if not floor:
            return self.peak
        import resource

        # ru_maxrss is in KiB on Linux: a floor in case sampling missed a short peak.
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        return max(self.peak, own, children)


def _records(corpus: Path):
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _fields(record: dict[str, Any]) -> dict[str, str]:
    """A corpus record as the text fields of the Whoosh and tantivy baselines."""
    return {
        "id": record["id"],
        "title": record.get("title") or "",
        "body": record["text"],
        "date": record.get("date") or "",
        "source": record.get("source") or "",
        "category": record.get("category") or "",
    }


def _words(text: str) -> list[str]:
    import re

    return re.findall(r"\w+", text.lower())


class SearchlibEngine:
    """searchlib as a user runs it: its JSONL loader, its defaults (parallel for large runs)."""

    workers: int | None = None

    def build(self, corpus: Path, path: Path) -> None:
        from searchlib import Index, iter_documents

        with Index.create(path) as ix:
            ix.add(iter_documents([corpus], format="jsonl"), workers=self.workers)
            ix.commit()

    def open(self, path: Path) -> None:
        from searchlib import Index

        self.ix = Index.open(path)

    def query(self, text: str, snippets: bool) -> list[str]:
        results = self.ix.search(text, limit=TOP_K, snippets=snippets)
        return [hit.id for hit in results.hits]


class SearchlibSerialEngine(SearchlibEngine):
    """searchlib indexing in one process (to show what the worker processes add)."""

    workers = 1


class WhooshEngine:
    """Stock Whoosh: StandardAnalyzer, title and body stored, OR queries over both fields."""

    def build(self, corpus: Path, path: Path) -> None:
        from whoosh import fields, index

        schema = fields.Schema(
            id=fields.ID(stored=True, unique=True),
            title=fields.TEXT(stored=True),
            body=fields.TEXT(stored=True),
            date=fields.ID(stored=True),
            source=fields.STORED,
            category=fields.ID(stored=True),
        )
        path.mkdir(parents=True, exist_ok=True)
        ix = index.create_in(str(path), schema)
        writer = ix.writer()
        for record in _records(corpus):
            writer.add_document(**_fields(record))
        writer.commit()

    variants = ("whoosh-coord",)

    def open(self, path: Path) -> None:
        from whoosh import index

        self.ix = index.open_dir(str(path))
        self.searcher = self.ix.searcher()
        self.use_variant(None)

    def use_variant(self, name: str | None) -> None:
        """Plain ``OrGroup`` (stock's fastest), or ``whoosh-coord``: ``OrGroup.factory(0.9)``."""
        from whoosh import qparser

        group = qparser.OrGroup.factory(0.9) if name == "whoosh-coord" else qparser.OrGroup
        self.parser = qparser.MultifieldParser(
            ["title", "body"], self.ix.schema, fieldboosts={"title": 2.0, "body": 1.0}, group=group
        )

    def query(self, text: str, snippets: bool) -> list[str]:
        results = self.searcher.search(self.parser.parse(text), limit=TOP_K)
        ids = []
        for hit in results:
            ids.append(hit["id"])
            if snippets:
                hit.highlights("body")
        return ids


class Fts5Engine:
    """SQLite FTS5 with the unicode61 tokenizer; OR queries ranked by bm25 (title x2)."""

    def build(self, corpus: Path, path: Path) -> None:
        import sqlite3

        path.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path / "fts.db")
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, date UNINDEXED,"
            " source UNINDEXED, category UNINDEXED)"
        )
        with db:
            db.executemany(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (
                        r["id"],
                        r.get("title") or "",
                        r["text"],
                        r.get("date"),
                        r.get("source"),
                        r.get("category"),
                    )
                    for r in _records(corpus)
                ),
            )
        db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        db.commit()
        db.close()

    def open(self, path: Path) -> None:
        import sqlite3

        self.db = sqlite3.connect(path / "fts.db")

    def query(self, text: str, snippets: bool) -> list[str]:
        match = " OR ".join(f'"{w}"' for w in _words(text))
        if not match:
            return []
        snippet = ", snippet(docs, 2, '**', '**', '…', 24)" if snippets else ""
        rows = self.db.execute(
            f"SELECT id, title{snippet} FROM docs WHERE docs MATCH ? "
            "ORDER BY bm25(docs, 0.0, 2.0, 1.0) LIMIT ?",
            (match, TOP_K),
        ).fetchall()
        return [row[0] for row in rows]


class TantivyEngine:
    """tantivy-py with its default tokenizer; OR queries over title (x2) and body."""

    def build(self, corpus: Path, path: Path) -> None:
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True)
        builder.add_text_field("body", stored=True)
        builder.add_text_field("date", stored=True, tokenizer_name="raw")
        builder.add_text_field("source", stored=True, tokenizer_name="raw")
        builder.add_text_field("category", stored=True, tokenizer_name="raw")
        schema = builder.build()
        path.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(schema, path=str(path))
        writer = index.writer(heap_size=256_000_000, num_threads=os.cpu_count() or 1)
        for record in _records(corpus):
            writer.add_document(tantivy.Document(**_fields(record)))
        writer.commit()
        writer.wait_merging_threads()

    def open(self, path: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.index = tantivy.Index.open(str(path))
        self.index.reload()
        self.searcher = self.index.searcher()
        self.schema = self.index.schema

    def query(self, text: str, snippets: bool) -> list[str]:
        words = _words(text)
        if not words:
            return []
        query = self.index.parse_query(
            " ".join(words), ["title", "body"], field_boosts={"title": 2.0}
        )
        result = self.searcher.search(query, TOP_K)
        generator = (
            self.tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "body")
            if snippets
            else None
        )
        ids = []
        for _score, address in result.hits:
            doc = self.searcher.doc(address)
            ids.append(doc["id"][0])
            if generator is not None:
                generator.snippet_from_doc(doc).to_html()
        return ids


class Bm25sEngine:
    """bm25s (sparse matrices in NumPy, no positions, no stored text, so no snippets)."""

    snippets = False

    def build(self, corpus: Path, path: Path) -> None:
        import bm25s

        ids, texts = [], []
        for r in _records(corpus):
            ids.append(r["id"])
            texts.append(f"{r.get('title') or ''}\n{r['text']}")
        tokens = bm25s.tokenize(texts, stopwords=None, show_progress=False)
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        retriever.save(str(path), corpus=[{"id": i} for i in ids])

    def open(self, path: Path) -> None:
        import bm25s

        self.bm25s = bm25s
        self.retriever = bm25s.BM25.load(str(path), load_corpus=True)

    def query(self, text: str, snippets: bool) -> list[str]:
        tokens = self.bm25s.tokenize([text], stopwords=None, show_progress=False)
        if not tokens.vocab:
            return []
        docs, _scores = self.retriever.retrieve(tokens, k=TOP_K, show_progress=False)
        return [d["id"] for d in docs[0]]


ENGINE_CLASSES = {
    "searchlib": SearchlibEngine,
    "searchlib-1proc": SearchlibSerialEngine,
    "whoosh": WhooshEngine,
    "whoosh-2.7.4": WhooshEngine,
    "fts5": Fts5Engine,
    "tantivy": TantivyEngine,
    "bm25s": Bm25sEngine,
}


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _latencies(engine: Any, queries: list[str], snippets: bool, passes: int) -> dict[str, float]:
    """p50/p95 in ms over the queries, each query's time its fastest of ``passes`` runs.

    Taking each query's fastest run keeps other processes on a shared machine out of the
    figures (they can only slow a run down); the passes run the queries in turn, not one query
    ``passes`` times in a row, so no pass benefits from the one before more than a user would.
    """
    best = [float("inf")] * len(queries)
    first: list[float] = []
    for _ in range(passes):
        for i, text in enumerate(queries):
            started = time.perf_counter()
            engine.query(text, snippets)
            took = (time.perf_counter() - started) * 1000.0
            best[i] = min(best[i], took)
            if len(first) < len(queries):
                first.append(took)
    # The first pass alone as well: for the first set measured (mixed, no snippets) it is each
    # query's first run, before any cache of the engine's has seen its words.
    return {
        "p50": _percentile(best, 0.50),
        "p95": _percentile(best, 0.95),
        "first_p50": _percentile(first, 0.50),
        "first_p95": _percentile(first, 0.95),
    }


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (worker processes)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _use_searchlib_src(args: argparse.Namespace) -> None:
    """Import searchlib from ``--searchlib-src`` (or this checkout) in a searchlib worker."""
    if args.worker.startswith("searchlib"):
        sys.path.insert(0, str(args.searchlib_src or REPO))


def worker(args: argparse.Namespace) -> int:
    """Index the corpus with one engine, query it, and print one JSON result line."""
    rss = PeakRSS()
    engine = ENGINE_CLASSES[args.worker]()
    index_dir = Path(args.index_dir)
    query_sets = {
        key: [line.split("\t", 1)[1] for line in path.read_text().splitlines()]
        for key, path in _query_files(args.queries_file).items()
    }
    queries = query_sets["query"]
    _use_searchlib_src(args)
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    cpu_started = _cpu_seconds()
    started = time.perf_counter()
    engine.build(args.corpus, index_dir)
    index_seconds = time.perf_counter() - started
    index_cpu = _cpu_seconds() - cpu_started
    index_rss = rss.stop()
    # Searching alone: a fresh sampler from opening the index on (the indexing workers are gone).
    rss = PeakRSS()
    engine.open(index_dir)
    for text in queries[:WARM_UP]:  # lazily loaded readers, word lists, caches
        engine.query(text, True)
    result: dict[str, Any] = {
        "engine": args.worker,
        "docs": args.docs,
        "index_seconds": index_seconds,
        "index_cpu_seconds": index_cpu,
        "load_before": load_before,
        "docs_per_s": args.docs / index_seconds,
        "index_bytes": _dir_size(index_dir),
    }
    result.update(_measure_queries(engine, query_sets, args.query_passes))
    for variant in getattr(engine, "variants", ()):
        if VARIANTS[variant] != args.worker:  # whoosh-2.7.4 shares the class, not the rows
            continue
        engine.use_variant(variant)
        for text in queries[:WARM_UP]:
            engine.query(text, True)
        result.setdefault("variants", {})[variant] = _measure_queries(
            engine, query_sets, args.query_passes
        )
    result["search_rss"] = rss.stop(floor=False)
    result["fresh"] = _fresh_runs(args, query_sets["headline"][: args.fresh])
    result["peak_rss"] = max(index_rss, result["search_rss"])
    result["load_after"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    result["version"] = _engine_version(args.worker)
    print("RESULT " + json.dumps(result))
    return 0


def _fresh_runs(args: argparse.Namespace, queries: list[str]) -> dict[str, float]:
    """Open and first-query times of new processes, one query each (see the module doc)."""
    opens, firsts = [], []
    for text in queries:
        times = fresh_run(args.worker, args.index_dir, text, args.searchlib_src)
        opens.append(times["open_ms"])
        firsts.append(times["first_ms"])
    if not opens:
        return {}
    return {
        "runs": len(opens),
        "open_p50": _percentile(opens, 0.50),
        "first_p50": _percentile(firsts, 0.50),
        "first_p95": _percentile(firsts, 0.95),
    }


def fresh_run(
    worker: str, index_dir: str | Path, query: str, searchlib_src: str | Path | None = None
) -> dict[str, float]:
    """``open_ms`` and ``first_ms`` of one new process (:func:`fresh_worker`) on an index."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", worker]
    command += ["--index-dir", str(index_dir), "--fresh-query", query]
    if searchlib_src:
        command += ["--searchlib-src", str(searchlib_src)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("FRESH ")), None)
    if line is None:
        raise RuntimeError(f"fresh {worker} failed:\n{done.stderr[-3000:]}")
    return json.loads(line[len("FRESH ") :])


def fresh_worker(args: argparse.Namespace) -> int:
    """In a new process: open the index, run one query with snippets, print the two times."""
    _use_searchlib_src(args)
    engine = ENGINE_CLASSES[args.worker]()
    started = time.perf_counter()
    engine.open(Path(args.index_dir))
    opened = time.perf_counter()
    engine.query(args.fresh_query, True)
    done = time.perf_counter()
    times = {"open_ms": (opened - started) * 1000.0, "first_ms": (done - opened) * 1000.0}
    print("FRESH " + json.dumps(times))
    return 0


def _query_files(mixed: Path) -> dict[str, Path]:
    """The query-set files: ``mixed`` and its ``headline`` sibling."""
    return {"query": mixed, "headline": mixed.with_name(mixed.stem + "-headline.tsv")}


def _measure_queries(
    engine: Any, query_sets: dict[str, list[str]], passes: int
) -> dict[str, dict[str, float]]:
    """Latencies of each query set, without and (where the engine makes them) with snippets."""
    out = {}
    for key, queries in query_sets.items():
        out[key] = _latencies(engine, queries, False, passes)
        if getattr(engine, "snippets", True):
            out[f"{key}_snippets"] = _latencies(engine, queries, True, passes)
    return out


def _engine_version(name: str) -> str:
    from importlib import metadata

    if name == "fts5":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    if name.startswith("whoosh"):
        import whoosh

        return f"{'whoosh-ng' if whoosh.__version__ >= (3,) else 'whoosh'} {whoosh.versionstring()}"
    if name.startswith("searchlib"):
        import whoosh

        return f"searchlib {metadata.version('searchlib')} on whoosh {whoosh.versionstring()}"
    try:
        return f"{name} {metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return name


# -- driver side ---------------------------------------------------------------------------


def available(name: str, whoosh27: str | None) -> bool:
    if name == "whoosh-2.7.4":
        return bool(whoosh27)
    module = {"fts5": "sqlite3", "searchlib": "whoosh", "searchlib-1proc": "whoosh"}.get(name, name)
    try:
        __import__(module)
    except ImportError:
        return False
    if name == "fts5":
        import sqlite3

        try:
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        except sqlite3.OperationalError:
            return False
    return True


def run_engine(
    name: str, docs: int, corpus: Path, queries: Path, workdir: Path, args: argparse.Namespace
) -> dict[str, Any]:
    python = args.whoosh27 if name == "whoosh-2.7.4" else sys.executable
    index_dir = Path(tempfile.mkdtemp(prefix=f"{name}-{docs}-", dir=workdir))
    command = [
        python,
        str(Path(__file__).resolve()),
        "--worker",
        name,
        "--corpus",
        str(corpus),
        "--queries-file",
        str(queries),
        "--index-dir",
        str(index_dir / "ix"),
        "--docs",
        str(docs),
        "--query-passes",
        str(args.query_passes),
        "--fresh",
        str(args.fresh),
    ]
    if args.searchlib_src:
        command += ["--searchlib-src", str(args.searchlib_src)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        shutil.rmtree(index_dir, ignore_errors=True)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise RuntimeError(f"{name} failed:\n{done.stderr[-3000:]}")


def _median_result(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out = dict(runs[-1])
    out["runs"] = len(runs)
    for key in ("index_seconds", "index_cpu_seconds", "docs_per_s", "index_bytes", "peak_rss"):
        out[key] = statistics.median(r[key] for r in runs)
    if all("search_rss" in r for r in runs):
        out["search_rss"] = statistics.median(r["search_rss"] for r in runs)
    if all(r.get("fresh") for r in runs):
        out["fresh"] = {
            k: statistics.median(r["fresh"][k] for r in runs) for k in runs[-1]["fresh"]
        }
    for key in _QUERY_KEYS:
        if key in out:
            out[key] = {p: statistics.median(r[key][p] for r in runs) for p in r_keys(runs, key)}
    for variant in out.get("variants", {}):
        out["variants"][variant] = {
            key: {
                p: statistics.median(r["variants"][variant][key][p] for r in runs)
                for p in ("p50", "p95")
            }
            for key in out["variants"][variant]
        }
    return out


def r_keys(runs: list[dict[str, Any]], key: str) -> list[str]:
    """The percentiles every run has for a query set (older saved runs lack first-pass ones)."""
    return [p for p in ("p50", "p95", "first_p50", "first_p95") if all(p in r[key] for r in runs)]


_QUERY_KEYS = tuple(k + s for k in QUERY_SETS for s in ("", "_snippets"))


def _split_variants(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rows for the variants a worker measured on its own index (same index figures)."""
    out = dict(results)
    for result in results.values():
        for variant, queries in result.get("variants", {}).items():
            out[variant] = {**result, **queries, "engine": variant}
            out[variant].pop("variants", None)
    return out


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        import psutil

        memory = f"{psutil.virtual_memory().total / 2**30:.0f} GB RAM"
    except ImportError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def _fmt_bytes(n: float) -> str:
    return f"{n / 2**20:,.0f} MB" if n >= 2**20 else f"{n / 2**10:,.0f} KB"


def _ratio(value: float, base: float | None) -> str:
    if not base:
        return ""
    ratio = value / base
    return f" ({ratio:.2f}x)" if ratio < 10 else f" ({ratio:.0f}x)"


def table_one(results: dict[str, dict[str, Any]], docs: int) -> str:
    base = results.get(BASELINE)
    lines = [
        f"Corpus: {docs:,} articles synthesised from IndoSum; top {TOP_K}. Mixed: 500 queries "
        "of 1-4 headline words; headline: 300 three-word headline spans and 100 single title "
        "words. Ratios are to stock Whoosh with a plain OrGroup "
        f"({base['version'] if base else 'not run'}).",
        "",
        "| engine | docs/s | CPU ms/doc | index size | mixed p50 ms | mixed p95 ms "
        "| mixed p50 ms, snippets | mixed p95 ms, snippets | headline p50 ms, snippets "
        "| headline p95 ms, snippets | mixed p50/p95 ms, first run | peak RSS | RSS searching |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in ENGINES:
        r = results.get(name)
        if r is None:
            continue
        q, qs, hs = r["query"], r.get("query_snippets"), r.get("headline_snippets")

        def cell(value: float, key: str, sub: str | None = None, fmt: str = "{:.2f}") -> str:
            b = None
            if base is not None and key in base:
                b = base[key][sub] if sub else base[key]
            return fmt.format(value) + _ratio(value, b)

        lines.append(
            "| "
            + " | ".join(
                [
                    f"{name} ({r['version']})",
                    cell(r["docs_per_s"], "docs_per_s", fmt="{:,.0f}"),
                    _cpu_cell(r, base),
                    _fmt_bytes(r["index_bytes"])
                    + _ratio(r["index_bytes"], base and base["index_bytes"]),
                    cell(q["p50"], "query", "p50"),
                    cell(q["p95"], "query", "p95"),
                    cell(qs["p50"], "query_snippets", "p50") if qs else "-",
                    cell(qs["p95"], "query_snippets", "p95") if qs else "-",
                    cell(hs["p50"], "headline_snippets", "p50") if hs else "-",
                    cell(hs["p95"], "headline_snippets", "p95") if hs else "-",
                    f"{q['first_p50']:.2f} / {q['first_p95']:.2f}" if "first_p95" in q else "-",
                    _fmt_bytes(r["peak_rss"]) + _ratio(r["peak_rss"], base and base["peak_rss"]),
                    _rss_cell(r, base),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def table_fresh(results: dict[str, dict[str, Any]]) -> str:
    """Opening the index and the first query in new processes (rows measured with --fresh)."""
    base = (results.get(BASELINE) or {}).get("fresh")
    rows = [
        (name, results[name]["fresh"])
        for name in ENGINES
        if name in results and name not in VARIANTS and results[name].get("fresh")
    ]
    if not rows:
        return ""
    lines = [
        f"A new process: open the index, then one headline query, top {TOP_K} with snippets "
        f"({int(rows[0][1]['runs'])} processes, a different query each).",
        "",
        "| engine | import + open p50 ms | first query p50 ms | first query p95 ms |",
        "|---|---:|---:|---:|",
    ]
    for name, fresh in rows:
        cells = [
            f"{fresh[key]:.1f}" + _ratio(fresh[key], base and base.get(key))
            for key in ("open_p50", "first_p50", "first_p95")
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _rss_cell(result: dict[str, Any], base: dict[str, Any] | None) -> str:
    value = result.get("search_rss")
    if not value:
        return "-"
    return _fmt_bytes(value) + _ratio(value, base.get("search_rss") if base else None)


def _cpu_ms_per_doc(result: dict[str, Any]) -> float | None:
    cpu = result.get("index_cpu_seconds")
    return None if cpu is None else 1000.0 * cpu / result["docs"]


def _cpu_cell(result: dict[str, Any], base: dict[str, Any] | None) -> str:
    value = _cpu_ms_per_doc(result)
    if value is None:
        return "-"
    return f"{value:.2f}" + _ratio(value, _cpu_ms_per_doc(base) if base else None)


def table_two(by_size: dict[int, dict[str, dict[str, Any]]]) -> str:
    sizes = sorted(by_size)
    if len(sizes) < 2:
        return "(growth table: results at one corpus size only; run with --docs 20000 100000)"
    first = sizes[0]
    label = " -> ".join(f"{s // 1000}k" for s in sizes)
    lines = [
        f"How each figure grows with the corpus ({label} articles synthesised from IndoSum); "
        f"the factor is {sizes[-1] // 1000}k over {first // 1000}k, per document for indexing "
        "time and size.",
        "",
        "| engine | ms per doc indexed | CPU ms per doc | bytes per doc | p50 ms | p95 ms "
        "| p95 ms, snippets | headline p95 ms, snippets | peak RSS |",
        "|---|---|---|---|---|---|---|---|---|",
    ]

    def series(name: str, get: Any, fmt: str) -> str:
        values = [get(by_size[s][name]) if name in by_size[s] else None for s in sizes]
        shown = " -> ".join("?" if v is None else fmt.format(v) for v in values)
        if values[0] and values[-1]:
            shown += f" ({values[-1] / values[0]:.2f}x)"
        return shown

    for name in ENGINES:
        if not any(name in by_size[s] for s in sizes):
            continue
        lines.append(
            "| "
            + " | ".join(
                [
                    name,
                    series(name, lambda r: 1000.0 / r["docs_per_s"], "{:.2f}"),
                    series(name, _cpu_ms_per_doc, "{:.2f}"),
                    series(name, lambda r: r["index_bytes"] / r["docs"], "{:,.0f}"),
                    series(name, lambda r: r["query"]["p50"], "{:.2f}"),
                    series(name, lambda r: r["query"]["p95"], "{:.2f}"),
                    series(name, _snippet_p95, "{:.2f}") if name != "bm25s" else "-",
                    series(name, _headline_p95, "{:.2f}") if name != "bm25s" else "-",
                    series(name, lambda r: r["peak_rss"] / 2**20, "{:,.0f} MB"),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def _snippet_p95(result: dict[str, Any]) -> float | None:
    return result["query_snippets"]["p95"] if "query_snippets" in result else None


def _headline_p95(result: dict[str, Any]) -> float | None:
    return result["headline_snippets"]["p95"] if "headline_snippets" in result else None


def _load_saved(results_dir: Path) -> dict[int, dict[str, dict[str, Any]]]:
    saved: dict[int, dict[str, dict[str, Any]]] = {}
    for path in sorted(results_dir.glob("perf-*.json")):
        try:
            data = json.loads(path.read_text())
            saved[int(data["docs"])] = data["engines"]
        except (OSError, ValueError, KeyError):
            continue
    return saved


def driver(args: argparse.Namespace) -> int:
    from corpus import headline_queries, write_corpus
    from corpus import queries as make_queries

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    wanted = args.engines or DEFAULT_ENGINES
    engines = [e for e in wanted if e not in VARIANTS and available(e, args.whoosh27)]
    skipped = [e for e in wanted if e not in engines]
    if skipped:
        print(f"skipped (not installed): {', '.join(skipped)}", file=sys.stderr)
    queries_path = workdir / f"queries-{args.queries}.tsv"
    rows = make_queries(args.queries)
    queries_path.write_text("".join(f"{q}\t{t}\n" for q, t in rows), encoding="utf-8")
    _query_files(queries_path)["headline"].write_text(
        "".join(f"{q}\t{t}\n" for q, t in headline_queries()), encoding="utf-8"
    )
    info = machine()
    by_size = _load_saved(args.results_dir) if args.results_dir else {}
    for docs in args.docs:
        corpus = workdir / f"corpus-{docs}.jsonl"
        if not corpus.exists():
            print(f"synthesising {docs:,} articles from IndoSum -> {corpus}", file=sys.stderr)
            write_corpus(docs, corpus)
        # Engines take turns, repeat by repeat, so a slow spell of the machine (a shared host
        # varies by 20% and more over minutes) falls on every engine alike.
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in engines}
        for attempt in range(args.repeat):
            for name in engines:
                print(f"[{docs:,}] {name} run {attempt + 1}/{args.repeat} ...", file=sys.stderr)
                runs[name].append(run_engine(name, docs, corpus, queries_path, workdir, args))
                r = runs[name][-1]
                print(
                    f"    {r['docs_per_s']:,.0f} docs/s, {_fmt_bytes(r['index_bytes'])}, "
                    f"p95 {r['query']['p95']:.2f} ms, peak {_fmt_bytes(r['peak_rss'])}",
                    file=sys.stderr,
                )
        results: dict[str, dict[str, Any]] = {name: _median_result(runs[name]) for name in engines}
        results = _split_variants(results)
        previous = by_size.get(docs, {})
        by_size[docs] = {**previous, **results}
        if args.results_dir:
            args.results_dir.mkdir(parents=True, exist_ok=True)
            (args.results_dir / f"perf-{docs}.json").write_text(
                json.dumps(
                    {
                        "docs": docs,
                        "date": dt.date.today().isoformat(),
                        "machine": info,
                        "command": " ".join(["python", "benchmarks/perf.py", *sys.argv[1:]]),
                        "repeat": args.repeat,
                        "engines": by_size[docs],
                    },
                    indent=2,
                )
                + "\n"
            )
        print()
        print(table_one(by_size[docs], docs))
        fresh = table_fresh(by_size[docs])
        if fresh:
            print()
            print(fresh)
    print()
    print(table_two(by_size))
    print()
    loads = [
        r[key]
        for results in by_size.values()
        for r in results.values()
        for key in ("load_before", "load_after")
        if r.get(key) is not None
    ]
    print(
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}, {info['os']}, "
        f"Python {info['python']}; medians of {args.repeat} run(s) per engine; each query's "
        f"time is its fastest of {args.query_passes} runs; CPU ms/doc counts worker processes."
        + (f" Load average during the runs: {min(loads):.1f}-{max(loads):.1f}." if loads else "")
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[20000])
    parser.add_argument("--engines", nargs="+", choices=ENGINES)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=1, help="runs per engine (median kept)")
    parser.add_argument("--query-passes", type=int, default=3)
    parser.add_argument(
        "--fresh", type=int, default=15, help="new processes timing open + first query"
    )
    parser.add_argument("--whoosh27", help="a Python with PyPI whoosh 2.7.4 (adds that engine)")
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "searchlib-bench"))
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    # Worker mode (internal): one engine in this process.
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", help=argparse.SUPPRESS)
    parser.add_argument("--queries-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--fresh-query", help=argparse.SUPPRESS)
    parser.add_argument(
        "--searchlib-src", type=Path, help="measure the searchlib in another source tree"
    )
    args = parser.parse_args(argv)
    if args.worker and args.fresh_query is not None:
        return fresh_worker(args)
    if args.worker:
        args.docs = args.docs[0]
        return worker(args)
    sys.path.insert(0, str(HERE))
    return driver(args)


if __name__ == "__main__":
    sys.exit(main())
