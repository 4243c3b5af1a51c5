"""Readers racing a writer in another process see the last whole commit, never an error."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from searchlib import Document, Index, IndexCorruptError, SearchlibError

REPO = Path(__file__).resolve().parents[2]

COMMITTER = textwrap.dedent(
    """
    import sys
    from searchlib import Document, Index
    ix = Index.open(sys.argv[1], durable=False)
    for n in range(int(sys.argv[2])):
        docs = [Document(id=f"d{n}-{k}", body="harga beras naik di pasar " * 5) for k in range(20)]
        ix.add(docs, workers=1)
        ix.commit()
    """
)


def _committer(path: Path, commits: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", COMMITTER, str(path), str(commits)], cwd=REPO)


def _race(tmp_path: Path, commits: int) -> tuple[int, list[str]]:
    with Index.create(tmp_path) as ix:
        ix.add(Document(id="first", body="harga beras awal"))
        ix.commit()
    writer = _committer(tmp_path, commits)
    failures: list[str] = []
    loops = 0
    seen = 0
    while writer.poll() is None:
        loops += 1
        try:
            with Index.open(tmp_path) as ix:
                count = ix.doc_count()
                assert (count - 1) % 20 == 0, count  # whole commits only
                assert count >= seen
                seen = count
                ix.search("beras", limit=3)
        except SearchlibError as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
    assert writer.returncode == 0
    return loops, failures


def test_open_and_search_while_another_process_commits(tmp_path):
    loops, failures = _race(tmp_path, commits=40)
    assert loops > 5 and failures == []


@pytest.mark.slow
def test_open_and_search_over_hundreds_of_loops_while_committing(tmp_path):
    loops, failures = _race(tmp_path, commits=150)
    assert loops > 100 and failures == []


def test_threads_counting_and_searching_one_index_during_commits(tmp_path):
    with Index.create(tmp_path) as ix:
        ix.add(Document(id="first", body="harga cabai awal"))
        ix.commit()
    writer = _committer(tmp_path, 40)
    errors: list[BaseException] = []
    with Index.open(tmp_path) as ix:

        def read() -> None:
            while writer.poll() is None:
                try:
                    ix.doc_count()
                    ix.search("harga", limit=2)
                except BaseException as exc:  # any error at all is a failure here
                    errors.append(exc)

        threads = [threading.Thread(target=read) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []


def test_a_file_really_missing_is_damage_and_says_how_to_rebuild(tmp_path):
    with Index.create(tmp_path) as ix:
        ix.add(Document(id="a", body="harga beras"))
        ix.commit()
    segment = next(p for p in tmp_path.iterdir() if p.suffix == ".seg")
    segment.unlink()
    with pytest.raises(IndexCorruptError, match="missing") as raised:
        Index.open(tmp_path)
    assert "searchlib index" in str(raised.value)
