"""The ``searchlib`` command: a thin layer over the library.

Each command is one library call: ``search`` is :meth:`Index.search`, ``index`` is
:func:`searchlib.sync` (only changed files are read again), ``analyze`` is
:func:`analyze`, ``run`` is :func:`searchlib.batch_search`. Errors are one line on
stderr and a non-zero exit.

    $ searchlib search Nakatani --json
    $ searchlib index articles/ --index ./ix
    $ searchlib analyze "Perusahaan-perusahaan AS" --json
    $ searchlib reindex --index ./ix
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from searchlib import (
    DEFAULT_LOCK_TIMEOUT,
    DocumentError,
    Index,
    SearchlibError,
    SnippetOptions,
    __version__,
    analyze,
    batch_search,
    export_opensearch,
    reindex,
    seed_index,
    sync,
)

# Bold red on a terminal, as grep --color marks matches.
ANSI_MARKERS = ("\x1b[1;31m", "\x1b[0m")

EXIT_ERROR = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
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
    search.add_argument("query", help="natural language or Whoosh query syntax")
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
    index.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    index.add_argument("--index", type=Path, required=True, help="index directory")
    index.add_argument("--format", choices=("auto", "text", "jsonl", "tsv"), default="auto")
    index.add_argument(
        "--skip-errors", action="store_true", help="exit 0 even if some files could not be read"
    )
    index.add_argument("--quiet", action="store_true", help="no progress bar")
    index.add_argument(
        "--workers", type=int, help="processes for large runs (default: one per CPU)"
    )
    index.set_defaults(func=cmd_index)

    similar = commands.add_parser("similar", help="documents similar to one document")
    similar.add_argument("id", help="the document id")
    similar.add_argument("--index", type=Path, help="index directory (default: bundled seeds)")
    similar.add_argument("--limit", type=int, default=10)
    similar.add_argument("--json", action="store_true")
    similar.set_defaults(func=cmd_similar)

    analyze_cmd = commands.add_parser("analyze", help="show how text is analysed")
    analyze_cmd.add_argument("text")
    analyze_cmd.add_argument("--json", action="store_true")
    analyze_cmd.set_defaults(func=cmd_analyze)

    run = commands.add_parser("run", help="batch search into a TREC run file")
    run.add_argument("--index", type=Path, required=True)
    run.add_argument("--queries", type=Path, required=True, help="TSV of qid<TAB>query")
    run.add_argument("--output", type=Path, required=True, help="TREC run file to write")
    run.add_argument("--hits", type=int, default=100, help="hits per query (default 100)")
    run.add_argument("--tag", default="searchlib", help="run tag (last column)")
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


def cmd_search(args: argparse.Namespace) -> int:
    ix = _open(args.index)
    color = not args.json and not args.html and _use_color(args.color, sys.stdout)
    options = SnippetOptions(
        length=args.length,
        fragments=args.fragments,
        html=args.html,
        markers=ANSI_MARKERS if color else SnippetOptions.markers,
    )
    results = ix.search(
        args.query,
        limit=args.limit,
        page=args.page,
        sort=args.sort,
        date_from=args.date_from,
        date_to=args.date_to,
        facets=args.facets,
        snippets=options,
    )
    if args.json:
        out = results.to_dict()
        if args.explain:
            for hit_dict, hit in zip(out["hits"], results.hits, strict=True):
                hit_dict["explain"] = hit.explain().to_dict()
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if results.notice:
        print(results.notice)
    if results.suggestion:
        verb = "Showing results for" if results.corrected else "Did you mean"
        print(f"{verb}: {results.suggestion}")
    count = f"{results.total}" if results.total_exact else f"at least {results.total}"
    if not results.hits and results.total:
        pages = f"{results.pages} page{'s' if results.pages != 1 else ''}"
        print(f"no hits on page {results.page}; {count} hits in {pages} for {results.query!r}\n")
        return 0
    shown = f"{results.hits[0].rank}-{results.hits[-1].rank} of " if results.hits else ""
    print(f"{shown}{count} hits for {results.query!r} ({results.took_ms:.1f} ms)\n")
    for hit in results.hits:
        meta = " · ".join(x for x in (hit.date, hit.source) if x)
        # Date-sorted results are not scored, so a score would only mislead.
        score = f"  score {hit.score:.2f}" if args.sort == "score" else ""
        print(f"{hit.rank:>3}. {hit.id}{score}  {hit.title or ''}")
        if meta:
            print(f"     {meta}")
        print(f"     {hit.snippet}\n")
        if args.explain:
            for match in hit.explain().matches:
                words = ", ".join(match.document_words) or "-"
                print(
                    f"       {match.query_word} -> {match.term} [{match.field}] "
                    f"<- {words}: {match.score:.2f}"
                )
            print()
    for name, counts in results.facets.items():
        listed = ", ".join(f"{k} ({v})" for k, v in counts.items()) or "-"
        print(f"{name}: {listed}")
    return 0


def cmd_similar(args: argparse.Namespace) -> int:
    results = _open(args.index).more_like(args.id, limit=args.limit)
    if args.json:
        print(json.dumps(results.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"{results.total} documents similar to {args.id}\n")
    for hit in results.hits:
        print(f"{hit.rank:>3}. {hit.id}  score {hit.score:.2f}  {hit.title or ''}")
        print(f"     {hit.snippet}\n")
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    ix = Index.open(args.index) if Index.exists(args.index) else Index.create(args.index)
    errors: list[DocumentError] = []
    progress = _Progress(enabled=not args.quiet and sys.stderr.isatty())
    with ix:
        report = sync(
            ix,
            args.paths,
            format=args.format,
            on_error=errors.append,
            progress=progress.update,
            workers=args.workers,
        )
        progress.done(report.documents_indexed)
    count = report.documents_indexed
    noun = "document" if count == 1 else "documents"
    print(f"indexed {count:,} {noun} into {args.index}: {report.summary()}")
    for error in errors:
        print(f"searchlib: skipped {error.path}: {error.reason}", file=sys.stderr)
    if errors:
        print(
            f"{len(errors)} file(s) or record(s) could not be indexed; the others were committed"
            + ("" if args.skip_errors else " (--skip-errors exits 0 in this case)"),
            file=sys.stderr,
        )
        return 0 if args.skip_errors else EXIT_ERROR
    return 0


def cmd_reindex(args: argparse.Namespace) -> int:
    count = reindex(
        args.index, lock_timeout=args.lock_timeout, allow_unsafe_pickles=args.allow_unsafe_pickles
    )
    print(f"reindexed {count} documents in {args.index}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    report = export_opensearch(args.index, args.out, flavour=args.flavour, overwrite=args.overwrite)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(report.summary())
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    tokens = analyze(args.text)
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
    ix = Index.open(args.index)
    queries = _read_queries(args.queries)
    written = 0
    with args.output.open("w", encoding="utf-8") as out:
        for qid, doc_id, rank, score in batch_search(ix, queries, hits=args.hits):
            out.write(f"{qid} Q0 {doc_id} {rank} {score:.6f} {args.tag}\n")
            written += 1
    print(f"wrote {written} lines for {len(queries)} queries to {args.output}")
    return 0


def _read_queries(path: Path) -> list[tuple[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SearchlibError(f"cannot read queries from {path}: {exc}") from exc
    queries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if "\t" not in line:
            raise SearchlibError(f"{path}:{number}: expected qid<TAB>query")
        qid, query = line.split("\t", 1)
        queries.append((qid.strip(), query.strip()))
    return queries


class _Progress:
    """A one-line progress display on stderr (a terminal only): count, rate and time left."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()
        self.last = 0.0

    def update(self, done: int, expected: int, stage: str = "indexing") -> None:
        now = time.perf_counter()
        if not self.enabled or (stage == "indexing" and now - self.last < 0.2):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        if stage != "indexing":
            line = f"{stage}: {done:,} documents read in {elapsed:.1f} s, writing the index"
        else:
            rate = done / elapsed
            left = (expected - done) / rate if rate > 0 else 0.0
            percent = 100.0 * done / max(expected, 1)
            line = (
                f"indexing: {done:,}/{expected:,} documents ({percent:.0f}%), "
                f"{rate:,.0f} docs/s, {_duration(left)} left"
            )
        print(f"\r{line:<78}", end="", file=sys.stderr, flush=True)

    def done(self, count: int) -> None:
        if self.enabled:
            elapsed = time.perf_counter() - self.started
            line = f"indexed {count:,} documents in {elapsed:.1f} s"
            print(f"\r{line:<78}", file=sys.stderr)


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
