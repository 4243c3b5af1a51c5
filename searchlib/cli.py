"""The ``searchlib`` command: a thin layer over the library.

Each command is one library call: ``search`` is :meth:`Index.search`, ``index`` is
:func:`searchlib.sync` (only changed files are read again), ``analyze`` is
:func:`analyze`, ``run`` is :func:`searchlib.batch_search`. Errors are one line on
stderr and a non-zero exit.

Made for pipes: data goes to stdout; summaries, warnings and progress (on a terminal only) to
stderr. ``-`` names stdin or stdout wherever a file is named (``--queries -``, ``--output -``)
and stands for stdin as the text of ``search`` and ``analyze``. Every command takes ``--json``
and then prints one JSON object on stdout whose keys are always all present, as described by
the JSON Schemas in ``searchlib/schemas/`` (``SCHEMAS`` maps each command to its file).

    $ searchlib search Nakatani --json
    $ searchlib index articles/ --index ./ix
    $ searchlib analyze "Perusahaan-perusahaan AS" --json
    $ searchlib reindex --index ./ix
    $ cut -f2 questions.tsv | head -1 | searchlib search - --limit 3
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from searchlib import (
    DEFAULT_LOCK_TIMEOUT,
    DocumentError,
    Index,
    OptionError,
    QueryError,
    Ranking,
    Results,
    SearchlibError,
    SnippetOptions,
    SyncReport,
    __version__,
    analyze,
    batch_search,
    export_opensearch,
    iter_documents,
    reindex,
    seed_index,
    sync,
)

# Bold red on a terminal, as grep --color marks matches.
ANSI_MARKERS = ("\x1b[1;31m", "\x1b[0m")

EXIT_ERROR = 1
EXIT_USAGE = 2
#: ``-`` in place of a file name (or of a query or text): stdin, or stdout for an output.
STDIO = "-"
#: The JSON Schema (draft 2020-12) of each command's ``--json`` output, in searchlib/schemas/.
SCHEMAS = {
    "search": "results.json",
    "similar": "results.json",
    "index": "index.json",
    "reindex": "reindex.json",
    "analyze": "analyze.json",
    "run": "run.json",
    "export": "export.json",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "run" and args.json and args.output == STDIO:
        parser.error("run: --json and --output - would both write to stdout; name a file")
    try:
        return int(args.func(args) or 0)
    except SearchlibError as exc:
        print(f"searchlib: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("searchlib: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="searchlib", description="Full-text search for Indonesian text."
    )
    parser.add_argument("--version", action="version", version=f"searchlib {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    search = commands.add_parser("search", help="search an index (default: the bundled seeds)")
    search.add_argument("query", help="natural language or Whoosh query syntax; - reads stdin")
    search.add_argument("--index", type=Path, help="index directory (default: bundled seeds)")
    search.add_argument("--limit", type=int, default=10, help="hits per page (default 10)")
    search.add_argument("--page", type=int, default=1, help="page number, from 1")
    search.add_argument("--sort", choices=("score", "date", "-date"), default="score")
    search.add_argument("--date-from", help="earliest date, ISO (2019, 2019-09, 2019-09-20)")
    search.add_argument("--date-to", help="latest date, ISO")
    search.add_argument("--facets", action="store_true", help="count hits by site/year/metadata")
    search.add_argument("--explain", action="store_true", help="show why each hit matched")
    search.add_argument("--fragments", type=int, default=3, help="snippet fragments per hit")
    search.add_argument("--length", type=int, default=200, help="characters per fragment")
    search.add_argument("--html", action="store_true", help="HTML snippets (escaped, <mark>)")
    search.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    search.add_argument("--json", action="store_true", help="print one JSON object")
    search.set_defaults(func=cmd_search)

    index = commands.add_parser(
        "index", help="index files or corpora (run again: only what changed is redone)"
    )
    index.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files and folders; - reads JSONL or TSV from stdin",
    )
    index.add_argument("--index", type=Path, required=True, help="index directory")
    index.add_argument("--format", choices=("auto", "text", "jsonl", "tsv"), default="auto")
    index.add_argument(
        "--skip-errors", action="store_true", help="exit 0 even if some files could not be read"
    )
    index.add_argument("--quiet", action="store_true", help="no progress bar")
    index.add_argument(
        "--workers", type=int, help="processes for large runs (default: one per CPU)"
    )
    index.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    index.set_defaults(func=cmd_index)

    similar = commands.add_parser("similar", help="documents similar to one document")
    similar.add_argument("id", help="the document id")
    similar.add_argument("--index", type=Path, help="index directory (default: bundled seeds)")
    similar.add_argument("--limit", type=int, default=10)
    similar.add_argument("--json", action="store_true", help="print one JSON object")
    similar.set_defaults(func=cmd_similar)

    analyze_cmd = commands.add_parser("analyze", help="show how text is analysed")
    analyze_cmd.add_argument("text", help="the text to analyse; - reads stdin")
    analyze_cmd.add_argument("--json", action="store_true", help="print one JSON object")
    analyze_cmd.set_defaults(func=cmd_analyze)

    run = commands.add_parser("run", help="batch search into a TREC run file")
    run.add_argument("--index", type=Path, required=True)
    # The second names are pyserini's (python -m pyserini.search.lucene), for IR habits.
    run.add_argument(
        "--queries",
        "--topics",
        dest="queries",
        required=True,
        help="TSV of qid<TAB>query lines; - reads stdin",
    )
    run.add_argument("--output", required=True, help="TREC run file to write; - is stdout")
    run.add_argument("--hits", type=int, default=100, help="hits per query (default 100)")
    run.add_argument(
        "--run-tag",
        "--runtag",
        "--tag",
        dest="tag",
        default="searchlib",
        help="run tag (last column)",
    )
    run.add_argument(
        "--threads", type=int, default=1, help="worker processes for the queries (default 1)"
    )
    run.add_argument(
        "--bm25-k1", "--k1", dest="bm25_k1", type=float, help=f"BM25 k1 (default {Ranking().k1})"
    )
    run.add_argument(
        "--bm25-b", "--b", dest="bm25_b", type=float, help=f"BM25 b, 0 to 1 (default {Ranking().b})"
    )
    run.add_argument(
        "--skip-errors", action="store_true", help="exit 0 even if some queries failed"
    )
    run.add_argument("--quiet", action="store_true", help="no progress line")
    run.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    run.set_defaults(func=cmd_run)

    reindex_cmd = commands.add_parser(
        "reindex", help="rebuild an index from its stored documents (after an analyzer change)"
    )
    reindex_cmd.add_argument("--index", type=Path, required=True, help="index directory")
    reindex_cmd.add_argument(
        "--lock-timeout",
        type=float,
        default=DEFAULT_LOCK_TIMEOUT,
        help="seconds to wait for a writer",
    )
    reindex_cmd.add_argument(
        "--allow-unsafe-pickles",
        action="store_true",
        help="load the index's pickles unrestricted (only for an index you trust)",
    )
    reindex_cmd.add_argument("--json", action="store_true", help="print a JSON summary")
    reindex_cmd.set_defaults(func=cmd_reindex)

    export = commands.add_parser(
        "export", help="write an index out for OpenSearch or Elasticsearch (settings, bulk)"
    )
    export.add_argument("flavour", choices=("opensearch", "elasticsearch"), help="the cluster")
    export.add_argument("--index", type=Path, required=True, help="index directory to export")
    export.add_argument("--out", type=Path, required=True, help="folder to write (new or empty)")
    export.add_argument(
        "--overwrite", action="store_true", help="replace an earlier export in --out"
    )
    export.add_argument("--json", action="store_true", help="print the report as JSON")
    export.set_defaults(func=cmd_export)
    return parser


def _open(path: Path | None) -> Index:
    return seed_index() if path is None else Index.open(path)


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice == "auto":
        return stream.isatty() and "NO_COLOR" not in os.environ
    return choice == "always"


def _count(n: int, noun: str, plural: str | None = None) -> str:
    """A count as every command prints one: thousands separated, the noun agreeing.

    >>> _count(1, "query", "queries"), _count(2362, "hit")
    ('1 query', '2,362 hits')
    """
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def _text_arg(value: str) -> str:
    """A command's text argument, or all of stdin for ``-`` (one trailing newline dropped)."""
    if value != STDIO:
        return value
    text = sys.stdin.read()
    return text[:-1] if text.endswith("\n") else text


def _print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _message(text: str) -> None:
    """A summary or a warning: stderr, so that stdout holds only the data."""
    print(text, file=sys.stderr)


def _results_json(results: Results) -> dict[str, Any]:
    """``Results.to_dict()`` with every key of the schema present (null or empty if unset)."""
    out = results.to_dict()
    for key, empty in (("suggestion", None), ("corrected", False), ("facets", {})):
        out.setdefault(key, empty)
    out.setdefault("notice", None)
    for hit in out["hits"]:
        hit.setdefault("fields", {})
    return out


def cmd_search(args: argparse.Namespace) -> int:
    query = _text_arg(args.query)
    ix = _open(args.index)
    color = not args.json and not args.html and _use_color(args.color, sys.stdout)
    options = SnippetOptions(
        length=args.length,
        fragments=args.fragments,
        html=args.html,
        markers=ANSI_MARKERS if color else SnippetOptions.markers,
    )
    results = ix.search(
        query,
        limit=args.limit,
        page=args.page,
        sort=args.sort,
        date_from=args.date_from,
        date_to=args.date_to,
        facets=args.facets,
        snippets=options,
    )
    if args.json:
        out = _results_json(results)
        for hit_dict, hit in zip(out["hits"], results.hits, strict=True):
            hit_dict["explain"] = hit.explain().to_dict() if args.explain else None
        _print_json(out)
        return 0
    if results.notice:
        print(results.notice)
    if results.suggestion:
        verb = "Showing results for" if results.corrected else "Did you mean"
        print(f"{verb}: {results.suggestion}")
    count = _count(results.total, "hit")
    count = count if results.total_exact else f"at least {count}"
    if not results.hits and results.total:
        pages = _count(results.pages, "page")
        print(f"no hits on page {results.page}; {count} in {pages} for {results.query!r}\n")
        return 0
    shown = f"{results.hits[0].rank:,}-{results.hits[-1].rank:,} of " if results.hits else ""
    print(f"{shown}{count} for {results.query!r} ({results.took_ms:.1f} ms)\n")
    for hit in results.hits:
        meta = " · ".join(x for x in (hit.date, hit.source) if x)
        # Date-sorted results are not scored, so a score would only mislead.
        score = f"  score {hit.score:.2f}" if args.sort == "score" else ""
        print(f"{hit.rank:>3,}. {hit.id}{score}  {hit.title or ''}")
        if meta:
            print(f"     {meta}")
        print(f"     {hit.snippet}\n")
        if args.explain:
            explanation = hit.explain()
            for match in explanation.matches:
                words = ", ".join(match.document_words) or "-"
                print(
                    f"       {match.query_word} -> {match.term} [{match.field}] "
                    f"<- {words}: {match.score:.2f}"
                )
            for bonus in explanation.bonuses:  # proximity, lede...: the parts add up to the score
                print(f"       {bonus.kind}: {' '.join(bonus.words)}: {bonus.score:.2f}")
            print()
    for name, counts in results.facets.items():
        listed = ", ".join(f"{k} ({v:,})" for k, v in counts.items()) or "-"
        print(f"{name}: {listed}")
    return 0


def cmd_similar(args: argparse.Namespace) -> int:
    results = _open(args.index).more_like(args.id, limit=args.limit)
    if args.json:
        out = _results_json(results)
        for hit_dict in out["hits"]:
            hit_dict["explain"] = None
        _print_json(out)
        return 0
    print(f"{_count(results.total, 'document')} similar to {args.id}\n")
    for hit in results.hits:
        print(f"{hit.rank:>3,}. {hit.id}  score {hit.score:.2f}  {hit.title or ''}")
        print(f"     {hit.snippet}\n")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths if p != STDIO]
    from_stdin = len(paths) < len(args.paths)
    stdin_text = sys.stdin.read() if from_stdin else ""
    ix = Index.open(args.index) if Index.exists(args.index) else Index.create(args.index)
    errors: list[DocumentError] = []
    progress = _Progress(enabled=not args.quiet and sys.stderr.isatty())
    stdin_count = 0
    with ix:
        report = SyncReport()
        if paths:
            report = sync(
                ix,
                paths,
                format=args.format,
                on_error=errors.append,
                progress=progress.update,
                workers=args.workers,
            )
        if from_stdin:
            stdin_count = _index_stdin(ix, stdin_text, args.format, errors)
            ix.commit()
        total = ix.doc_count()
        indexed = report.documents_indexed + stdin_count
        elapsed = time.perf_counter() - progress.started
        progress.done(f"indexed {indexed:,} documents in {elapsed:.1f} s")
    count = _count(indexed, "document")
    summary = report.summary() if paths else f"{_count(total, 'document')} in the index"
    if from_stdin:
        summary = f"{_count(stdin_count, 'document')} from stdin, " + summary
    if paths and from_stdin:  # the sync's total was counted before stdin's documents
        summary = summary.rsplit("; ", 1)[0] + f"; {_count(total, 'document')} in the index"
    for error in errors:
        _message(f"searchlib: skipped {error.path}: {error.reason}")
    if args.json:
        _print_json(
            {
                "index": str(args.index),
                "documents_indexed": indexed,
                "documents_removed": report.documents_removed,
                "documents_total": total,
                "documents_from_stdin": stdin_count,
                "files_added": report.added,
                "files_updated": report.updated,
                "files_unchanged": report.unchanged,
                "files_removed": report.removed,
                "errors": [{"path": e.path, "reason": e.reason} for e in errors],
                "summary": summary,
            }
        )
    else:
        _message(f"indexed {count} into {args.index}: {summary}")
    if errors:
        _message(
            f"{_count(len(errors), 'file or record', 'files or records')} could not be "
            "indexed; the others were committed"
            + ("" if args.skip_errors else " (--skip-errors exits 0 in this case)")
        )
        return 0 if args.skip_errors else EXIT_ERROR
    return 0


def _index_stdin(ix: Index, text: str, format: str, errors: list[DocumentError]) -> int:
    """Add (or replace, by id) the JSONL or TSV records read from stdin; returns how many.

    They are not tracked by file, so a later ``index`` run leaves them alone.
    """
    if format == "auto":
        first = next((line.lstrip() for line in text.splitlines() if line.strip()), "")
        format = "jsonl" if first.startswith("{") else "tsv" if "\t" in first else "unknown"
        if format == "unknown" and first:
            raise OptionError(
                "cannot tell the format of stdin (a JSON object or id<TAB>text per line): "
                "pass --format jsonl or --format tsv"
            )
    if format == "text":
        raise OptionError(
            "a text article read from stdin has no file name to take its id from: "
            "save it to a file, or pass JSONL or TSV records with --format jsonl or tsv"
        )
    if not text.strip():
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"stdin.{format}"
        path.write_text(text, encoding="utf-8")
        found: list[DocumentError] = []
        documents = list(iter_documents([path], format=format, on_error=found.append))
        # The records' errors name stdin, not the temporary file they went through.
        errors += [DocumentError(e.path.replace(str(path), "stdin", 1), e.reason) for e in found]
        return ix.update(documents) if documents else 0


def cmd_reindex(args: argparse.Namespace) -> int:
    count = reindex(
        args.index, lock_timeout=args.lock_timeout, allow_unsafe_pickles=args.allow_unsafe_pickles
    )
    if args.json:
        _print_json({"index": str(args.index), "documents": count})
    else:
        _message(f"reindexed {_count(count, 'document')} in {args.index}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    report = export_opensearch(args.index, args.out, flavour=args.flavour, overwrite=args.overwrite)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(report.summary(), file=sys.stderr)  # a summary, like index's: stdout stays for data
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    tokens = analyze(_text_arg(args.text))
    if args.json:
        out = {
            "tokens": [
                {
                    "text": t.text,
                    "normalized": t.normalized,
                    "stem": t.stem,
                    "start": t.start,
                    "end": t.end,
                    "stopword": t.stopword,
                    "stages": t.stages,
                }
                for t in tokens
            ]
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    width = max((len(t.text) for t in tokens), default=4)
    for t in tokens:
        flag = "  (stopword)" if t.stopword else ""
        stages = " -> ".join(f"{k}:{v}" for k, v in _changed_stages(t.stages))
        print(f"{t.start:>4}-{t.end:<4} {t.text:<{width}}  {t.normalized:<14} {t.stem:<12}{flag}")
        print(f"           {stages}")
    return 0


def _changed_stages(stages: dict[str, str]) -> list[tuple[str, str]]:
    """The stages that changed the token (the first always shows), for a readable trace."""
    shown: list[tuple[str, str]] = []
    for name, value in stages.items():
        if not shown or value != shown[-1][1]:
            shown.append((name, value))
    return shown


def cmd_run(args: argparse.Namespace) -> int:
    ranking = _run_ranking(args)
    ix = Index.open(args.index)
    queries = _read_queries(args.queries)
    failed: list[dict[str, str]] = []
    texts = dict(queries)
    escaped: set[str] = set()
    progress = _Progress(enabled=not args.quiet and sys.stderr.isatty())

    def on_error(qid: str, error: QueryError) -> None:
        failed.append({"qid": qid, "query": texts.get(qid, ""), "error": str(error)})
        progress.clear()
        _message(f"searchlib: query {qid} failed: {error}")

    def on_progress(done: int, total: int) -> None:
        progress.update(done, total, stage="searching", noun="queries")

    started = time.perf_counter()
    written = 0
    with _output(args.output) as out:
        rows = batch_search(
            ix,
            queries,
            hits=args.hits,
            workers=args.threads,
            ranking=ranking,
            on_error=on_error,
            progress=on_progress,
        )
        for qid, doc_id, rank, score in rows:
            safe_qid, safe_id = _trec_id(qid), _trec_id(doc_id)
            escaped.update(raw for raw, safe in ((qid, safe_qid), (doc_id, safe_id)) if raw != safe)
            out.write(f"{safe_qid} Q0 {safe_id} {rank} {score:.6f} {args.tag}\n")
            written += 1
    took = time.perf_counter() - started
    progress.done(f"searched {_count(len(queries), 'query', 'queries')} in {took:.1f} s")
    if escaped:
        _message(
            f"searchlib: {_count(len(escaped), 'id')} held whitespace or control characters, "
            "written percent-encoded (%20 for a space) so the run keeps six columns"
        )
    summary = (
        f"wrote {_count(written, 'line')} for {_count(len(queries), 'query', 'queries')} "
        f"to {'stdout' if args.output == STDIO else args.output}"
    )
    if args.json:
        _print_json(
            {
                "index": str(args.index),
                "queries": len(queries),
                "queries_failed": len(failed),
                "lines": written,
                "output": args.output,
                "run_tag": args.tag,
                "hits": args.hits,
                "threads": args.threads,
                "bm25": {"k1": ranking.k1, "b": ranking.b},
                "failures": failed,
                "escaped_ids": sorted(escaped),
                "took_ms": round(took * 1000, 2),
            }
        )
    else:
        _message(summary)
    if failed:
        _message(
            f"{_count(len(failed), 'query', 'queries')} of {len(queries):,} failed and "
            "wrote no lines" + ("" if args.skip_errors else " (--skip-errors exits 0 in this case)")
        )
        return 0 if args.skip_errors else EXIT_ERROR
    return 0


def _run_ranking(args: argparse.Namespace) -> Ranking:
    """The default ranking with ``--bm25-k1``/``--bm25-b`` applied; the other flags checked."""
    if args.threads < 1:
        raise OptionError(f"--threads must be at least 1, not {args.threads}")
    if args.hits < 1:
        raise OptionError(f"--hits must be at least 1, not {args.hits}")
    if not args.tag or re.search(r"\s", args.tag):
        raise OptionError(
            f"--run-tag must be one word (a run file's last column), not {args.tag!r}"
        )
    k1 = Ranking().k1 if args.bm25_k1 is None else args.bm25_k1
    b = Ranking().b if args.bm25_b is None else args.bm25_b
    if not 0 <= b <= 1:  # also refuses nan
        raise OptionError(f"--bm25-b must be between 0 and 1, not {b}")
    if not 0 <= k1 < float("inf"):
        raise OptionError(f"--bm25-k1 must be a finite number of at least 0, not {k1}")
    return Ranking(k1=k1, b=b)


# Whitespace and control characters would break a TREC run's space-separated columns.
_UNSAFE_IN_ID = re.compile(r"[\s\x00-\x1f\x7f%]")


def _trec_id(value: str) -> str:
    """``value`` with whitespace, control characters and ``%`` percent-encoded (UTF-8).

    An id that needs no encoding is written as it is; ``%`` is encoded only in ids that need
    encoding anyway, so encoded ids decode back with ``urllib.parse.unquote``.

    >>> _trec_id("doc-1"), _trec_id("berita 1"), _trec_id("a" + chr(9) + "b%")
    ('doc-1', 'berita%201', 'a%09b%25')
    """
    if not re.search(r"[\s\x00-\x1f\x7f]", value):
        return value
    return _UNSAFE_IN_ID.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), value)


@contextlib.contextmanager
def _output(name: str) -> Iterator[TextIO]:
    """A text file to write, or stdout for ``-`` (flushed, never closed)."""
    if name == STDIO:
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        handle = open(name, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise SearchlibError(f"cannot write the run to {name}: {exc.strerror or exc}") from exc
    with handle:
        yield handle


def _read_queries(name: str) -> list[tuple[str, str]]:
    """``qid<TAB>query`` lines from a file, or from stdin for ``-``."""
    where = "stdin" if name == STDIO else name
    try:
        text = sys.stdin.read() if name == STDIO else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SearchlibError(f"cannot read queries from {where}: {exc}") from exc
    queries = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if "\t" not in line:
            raise SearchlibError(f"{where}:{number}: expected qid<TAB>query")
        qid, query = line.split("\t", 1)
        qid = qid.strip()
        if not qid:
            raise SearchlibError(f"{where}:{number}: the query id is empty")
        if qid in seen:
            raise SearchlibError(f"{where}:{number}: query id {qid!r} appears twice")
        seen.add(qid)
        queries.append((qid, query.strip()))
    return queries


class _Progress:
    """A one-line progress display on stderr (a terminal only): count, rate and time left."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()
        self.last = 0.0

    def update(
        self, done: int, expected: int, stage: str = "indexing", noun: str = "documents"
    ) -> None:
        now = time.perf_counter()
        steady = stage in ("indexing", "searching")
        if not self.enabled or (steady and now - self.last < 0.2):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        if not steady:
            line = f"{stage}: {done:,} {noun} read in {elapsed:.1f} s, writing the index"
        else:
            rate = done / elapsed
            left = (expected - done) / rate if rate > 0 else 0.0
            percent = 100.0 * done / max(expected, 1)
            line = (
                f"{stage}: {done:,}/{expected:,} {noun} ({percent:.0f}%), "
                f"{rate:,.0f} {noun}/s, {_duration(left)} left"
            )
        print(f"\r{line:<78}", end="", file=sys.stderr, flush=True)

    def done(self, line: str) -> None:
        if self.enabled:
            print(f"\r{line:<78}", file=sys.stderr)

    def clear(self) -> None:
        """Blank the progress line, so that a message can take its place."""
        if self.enabled and self.last:
            print(f"\r{'':<78}\r", end="", file=sys.stderr, flush=True)


def _duration(seconds: float) -> str:
    """``0:42`` or ``1:02:05``.

    >>> _duration(42.4), _duration(3725)
    ('0:42', '1:02:05')
    """
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
