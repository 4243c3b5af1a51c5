# pyright: strict
"""A user's script over searchlib's public API, for the type checkers.

``make typecheck`` runs ``mypy --strict`` and ``pyright`` on this file (they must report no
error: every public name a user touches is fully typed), and
``tests/typing/test_user_script.py`` runs it, so it also stays true at run time. It imports
only from ``searchlib``, as a user would, and annotates nothing it need not: the types come
from the library.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from pathlib import Path

import searchlib
from searchlib import (
    AnalyzedToken,
    BufferedWriter,
    Document,
    DocumentError,
    Explanation,
    Hit,
    Index,
    IndexNotFoundError,
    LoadReport,
    QueryError,
    Ranking,
    Results,
    SearchlibError,
    SnippetOptions,
    SyncReport,
    TermMatch,
    analyze,
    batch_search,
    iter_documents,
    load_file,
    parse_article,
    reindex,
    seed_index,
    seeds_dir,
    stem,
    sync,
)


def first_hit_title(results: Results) -> str:
    hit: Hit = results.hits[0]
    return hit.title or hit.id


def explained(hit: Hit) -> list[tuple[str, float]]:
    explanation: Explanation = hit.explain()
    matches: list[TermMatch] = explanation.matches
    return [(m.term, m.score) for m in matches]


def main(workdir: Path) -> dict[str, object]:
    """Index the seeds and a few documents of our own, search them, and report what we got."""
    found: dict[str, object] = {"version": searchlib.__version__}
    path = workdir / "ix"
    with Index.create(path) as ix:
        count: int = ix.add(Document(id="own-1", title="Harga beras", body="Harga beras naik."))
        ix.add(iter_documents([seeds_dir()], format="auto"))
        ix.commit()
        found["added"] = count
        options = SnippetOptions(length=80, fragments=1, html=True)
        results = ix.search(
            "menteri pertahanan Jepang",
            limit=3,
            page=1,
            sort="score",
            date_from="2019",
            facets=True,
            snippets=options,
            ranking=Ranking(k1=1.0, b=0.5, proximity=0.0),
        )
        found["total"] = results.total
        found["title"] = first_hit_title(results) if results.hits else None
        found["explained"] = explained(results.hits[0]) if results.hits else []
        found["json"] = json.dumps(results.to_dict(), ensure_ascii=False)[:20]
        found["facets"] = {name: dict(counts) for name, counts in results.facets.items()}
        similar = ix.more_like(seeds_dir().glob("001_*.txt").__next__().stem, limit=2)
        found["similar"] = [hit.id for hit in similar.hits]
        failed: list[str] = []

        def on_error(qid: str, error: QueryError) -> None:
            failed.append(f"{qid}: {error}")

        rows = list(
            batch_search(ix, [("q1", "Nakatani"), ("q2", '"kerja')], hits=2, on_error=on_error)
        )
        found["rows"] = [(qid, doc_id, rank, round(score, 2)) for qid, doc_id, rank, score in rows]
        found["failed"] = failed
        found["doc"] = ix.get("own-1")
        found["ids"] = sorted(ix.ids())[:2]
        found["count"] = ix.doc_count()
    try:
        Index.open(workdir / "nothing-here")
    except IndexNotFoundError as exc:
        found["missing"] = type(exc).__name__
    try:
        Index.open(path).search("")
    except SearchlibError as exc:
        found["empty_query"] = str(exc)

    folder = workdir / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("Judul\n\nHarga cabai naik di Bekasi.", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\xff\xfe\x00")
    report = LoadReport()
    with Index.open(path) as ix:
        synced: SyncReport = sync(ix, [folder], on_error=report)
        found["sync"] = synced.summary()
        found["load_errors"] = [error.reason for error in report.errors]
        with BufferedWriter(ix, batch_size=10, interval=0.1) as writer:
            writer.add(Document(id="own-2", body="Harga bawang turun."))
        found["after_buffer"] = ix.doc_count()
    found["reindexed"] = reindex(path)
    article: Document = parse_article("Berita\n\nJudul Hari Ini\n\nIsi berita.", "d1")
    found["article"] = dataclasses.replace(article, id="d2").id
    found["loaded"] = load_file(folder / "a.txt").id
    tokens: list[AnalyzedToken] = analyze("Perusahaan-perusahaan AS")
    found["stems"] = [token.stem for token in tokens] + [stem("mengunjungi")]
    found["seeds"] = seed_index(workdir / "cache").doc_count()
    try:
        Document(id="", body="x")
    except DocumentError as exc:
        found["bad_document"] = type(exc).__name__
    return found


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as directory:
        for key, value in main(Path(directory)).items():
            print(f"{key}: {value}")
