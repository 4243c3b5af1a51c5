"""Reliability: concurrent use, locks, bad files, damaged and foreign indexes, reindexing.

Each test is named after the guarantee it backs (README, "Guarantees"). Crash trials with SIGKILL
are in ``test_crash.py``, query fuzzing in ``test_fuzz.py``.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from searchlib import (
    Document,
    Index,
    IndexCorruptError,
    IndexLockedError,
    IndexVersionError,
    IndexWriteError,
    IndonesianAnalyzer,
    SearchlibError,
    UnsafeIndexError,
    iter_documents,
)
from searchlib.analysis.fingerprint import analyzer_fingerprint
from searchlib.cli import main
from searchlib.documents import LoadReport
from searchlib.index.buffered import BufferedWriter
from searchlib.index.manifest import MANIFEST_NAME, SCHEMA_VERSION, describe_schema
from searchlib.index.rebuild import reindex
from searchlib.index.safety import CHECKSUMS_NAME, RestrictedUnpickler, SafeFileStorage
from searchlib.index.schema import build_schema

REPO = Path(__file__).resolve().parents[2]
BODY = "Harga beras di pasar induk naik lagi menjelang akhir pekan, kata pedagang."


def doc(i: str, body: str = BODY, **kw) -> Document:
    return Document(id=i, body=body, **kw)


def built_index(path: Path, count: int = 30) -> Path:
    with Index.create(path) as ix:
        ix.add(
            doc(f"d{i:03d}", f"{BODY} Berita nomor {i} tentang pelabuhan.") for i in range(count)
        )
        ix.commit()
    return path


def segment_files(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir() if p.name.startswith("MAIN_") and p.suffix == ".seg")


def child(code: str, *args: str) -> subprocess.Popen[str]:
    """A Python child process running ``code`` with the repository importable."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


# The child takes the write lock (an uncommitted add), says so, then waits for a line on stdin:
# "commit" commits and exits; anything else (or nothing) leaves it holding the lock.
HOLD_LOCK = """
import sys
from searchlib import Document, Index
ix = Index.open(sys.argv[1])
ix.add(Document(id="from-child", body="Dokumen dari proses lain."))
print("locked", flush=True)
if sys.stdin.readline().strip() == "commit":
    ix.commit()
    print("committed", flush=True)
"""


# -- 2. concurrency --------------------------------------------------------------------------


def test_readers_see_one_consistent_snapshot_while_a_writer_commits(tmp_path):
    count, commits, readers = 40, 12, 4
    with Index.create(tmp_path) as ix:
        ix.add(doc(f"d{i}", f"{BODY} generasi", title="gen 0") for i in range(count))
        ix.commit()
    failures: list[str] = []
    seen: set[str] = set()
    started = threading.Barrier(readers + 1)
    stop = threading.Event()

    def read(shared: Index | None) -> None:
        ix = shared or Index.open(tmp_path)
        try:
            first = True
            while True:
                finished = stop.is_set()  # one more search after the last commit
                results = ix.search("beras", limit=count, snippets=False, suggest=False)
                generations = {hit.title for hit in results.hits}
                if results.total != count or len(generations) != 1:
                    failures.append(f"{results.total} hits, titles {sorted(generations)}")
                seen.update(generations)
                if first:
                    first = False
                    started.wait(60)  # every reader has seen the first commit
                if finished:
                    break
        except Exception as exc:  # any error at all fails the test
            failures.append(repr(exc))
            started.abort()
        finally:
            if shared is None:
                ix.close()

    shared = Index.open(tmp_path)
    threads = [
        threading.Thread(target=read, args=(shared if n % 2 else None,)) for n in range(readers)
    ]
    for thread in threads:
        thread.start()
    started.wait(60)
    with Index.open(tmp_path) as writer:
        for generation in range(1, commits + 1):
            writer.update(
                doc(f"d{i}", f"{BODY} generasi", title=f"gen {generation}") for i in range(count)
            )
            writer.commit()
    stop.set()
    for thread in threads:
        thread.join()
    shared.close()
    assert failures == []
    assert {"gen 0", f"gen {commits}"} <= seen  # the readers searched across the commits
    with Index.open(tmp_path) as ix:
        assert {ix.get(f"d{i}").title for i in range(count)} == {f"gen {commits}"}


def test_second_writer_thread_waits_then_raises_index_locked_error_naming_the_index(tmp_path):
    built_index(tmp_path)
    caught: list[BaseException] = []
    with Index.open(tmp_path) as first:
        first.add(doc("first"))  # holds the write lock from here until commit

        def second_writer() -> None:
            with Index.open(tmp_path, lock_timeout=0.3) as second:
                try:
                    second.add(doc("second"))
                except IndexLockedError as exc:
                    caught.append(exc)

        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join()
        first.commit()
    assert len(caught) == 1
    assert str(tmp_path) in str(caught[0]) and "0.3 s" in str(caught[0])
    with Index.open(tmp_path) as ix:
        assert "first" in ix and "second" not in ix


def test_second_writer_process_is_refused_while_a_live_writer_holds_the_lock(tmp_path):
    built_index(tmp_path)
    holder = child(HOLD_LOCK, str(tmp_path))
    try:
        assert holder.stdout.readline().strip() == "locked"
        with (
            Index.open(tmp_path, lock_timeout=0.2) as second,
            pytest.raises(IndexLockedError, match=str(tmp_path)),
        ):
            second.add(doc("second"))
        # The live writer's lock was left alone: it still commits.
        out, err = holder.communicate("commit\n", timeout=60)
        assert holder.returncode == 0, err
        assert "committed" in out
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    with Index.open(tmp_path, lock_timeout=1) as ix:
        assert "from-child" in ix
        ix.add(doc("after"))
        ix.commit()
        assert "after" in ix


def test_lock_of_a_killed_writer_is_recovered_by_the_next_writer(tmp_path):
    built_index(tmp_path, count=5)
    holder = child(HOLD_LOCK, str(tmp_path))
    try:
        assert holder.stdout.readline().strip() == "locked"
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=60)
    finally:
        if holder.poll() is None:
            holder.kill()
    assert (tmp_path / "MAIN_WRITELOCK").exists()  # the lock file stays; the kernel freed the lock
    with Index.open(tmp_path, lock_timeout=1) as ix:
        assert ix.doc_count() == 5 and "from-child" not in ix
        ix.add(doc("next"))
        ix.commit()
        assert ix.doc_count() == 6


def test_create_overwrite_waits_for_a_live_writer_instead_of_deleting_its_lock(tmp_path):
    built_index(tmp_path, count=3)
    with Index.open(tmp_path) as writer:
        writer.add(doc("pending"))
        with pytest.raises(IndexLockedError, match=str(tmp_path)):
            Index.create(tmp_path, overwrite=True, lock_timeout=0.2)
        writer.commit()
    with Index.open(tmp_path) as ix:
        assert ix.doc_count() == 4
    with Index.create(tmp_path, overwrite=True, lock_timeout=1) as ix:
        assert ix.doc_count() == 0
    assert (tmp_path / "MAIN_WRITELOCK").exists()


def test_buffered_writer_commits_documents_added_from_many_threads(tmp_path):
    threads, per_thread = 8, 40
    errors: list[BaseException] = []
    with Index.create(tmp_path) as ix, BufferedWriter(ix, batch_size=50, interval=0.2) as writer:

        def produce(n: int) -> None:
            try:
                for i in range(per_thread):
                    writer.add(doc(f"t{n}-{i}", f"{BODY} dari utas {n}"))
            except BaseException as exc:
                errors.append(exc)

        def search() -> None:
            with Index.open(tmp_path) as reader:
                for _ in range(20):
                    try:
                        reader.search("beras", snippets=False)
                    except BaseException as exc:
                        errors.append(exc)

        workers = [threading.Thread(target=produce, args=(n,)) for n in range(threads)]
        workers.append(threading.Thread(target=search))
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        writer.delete("t0-0")
        assert writer.flush() is True
        assert ix.doc_count() == threads * per_thread - 1
        assert writer.committed == threads * per_thread + 1
    assert errors == []


def test_buffered_writer_reports_a_failed_commit_and_keeps_the_unsaved_operations(tmp_path):
    built_index(tmp_path, count=3)
    documents = [doc(f"new{i}") for i in range(5)]
    with Index.open(tmp_path) as other:
        other.add(doc("other"))  # another writer holds the lock
        ix = Index.open(tmp_path, lock_timeout=0.2)
        writer = BufferedWriter(ix, batch_size=100, interval=30)
        writer.add(documents)
        writer.delete("d000")
        with pytest.raises(IndexLockedError):
            writer.flush()
        with pytest.raises(IndexLockedError):
            writer.add(doc("late"))
        with pytest.raises(IndexLockedError):
            writer.close()
        assert writer.unsaved == [("add", d) for d in documents] + [("delete", "d000")]
        other.commit()
    # Nothing committed was lost, and the unsaved operations can be replayed.
    with BufferedWriter(ix) as retry:
        for kind, value in writer.unsaved:
            retry.add(value) if kind == "add" else retry.delete(value)
    assert sorted(ix.ids()) == ["d001", "d002", "new0", "new1", "new2", "new3", "new4", "other"]
    ix.close()


def test_buffered_writer_rejects_what_is_not_a_document(tmp_path):
    with Index.create(tmp_path) as ix, BufferedWriter(ix) as writer:
        with pytest.raises(SearchlibError, match="Document"):
            writer.add({"id": "x", "body": "isi"})
        with pytest.raises(SearchlibError, match="string"):
            writer.delete(5)


# -- 3. bad files ----------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


@pytest.fixture
def bad_folder(tmp_path, monkeypatch):
    """A folder of two good articles and one of each kind of bad file."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "baik-1.txt").write_text("Judul Berita Pertama Hari Ini\n\n" + BODY, "utf-8")
    (folder / "baik-2.txt").write_text("Menteri tiba di Seoul untuk kunjungan kerja.", "utf-8")
    (folder / "latin1.txt").write_bytes(
        "Harga naik di pasar Cimahi, kata ibu Désirée.".encode("latin-1")
    )
    (folder / "gambar.txt").write_bytes(PNG)  # a PNG saved with a text extension
    (folder / "foto.png").write_bytes(PNG)  # a PNG among the articles: not an article at all
    (folder / "kosong.txt").write_bytes(b"")
    with open(folder / "besar.txt", "wb") as big:  # 50 MB of text, over the 10 MB limit
        line = (BODY + "\n").encode()
        big.write(line * (50 * 1024 * 1024 // len(line) + 1))
    unreadable = folder / "rahasia.txt"
    unreadable.write_text(BODY, "utf-8")
    unreadable.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make open() fail as it would for a user
        real_open = open

        def deny(file, *args, **kwargs):
            if os.fspath(file) == str(unreadable):
                raise PermissionError(errno.EACCES, "Permission denied", str(unreadable))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr("builtins.open", deny)
    (folder / "putus.txt").symlink_to(folder / "tidak-ada.txt")
    yield folder
    unreadable.chmod(0o644)


BAD_REASONS = {
    "latin1.txt": "not valid UTF-8",
    "gambar.txt": "PNG image",
    "kosong.txt": "file is empty",
    "besar.txt": "over the limit",
    "rahasia.txt": "permission denied",
    "putus.txt": "broken symbolic link",
}


def test_bad_files_are_reported_with_path_and_reason_and_good_files_indexed(tmp_path, bad_folder):
    report = LoadReport()
    with Index.create(tmp_path / "ix") as ix:
        ix.add(iter_documents([bad_folder], on_error=report))
        ix.commit()
        assert sorted(ix.ids()) == ["baik-1", "baik-2"]
    reported = {Path(error.path).name: error.reason for error in report.errors}
    assert set(reported) == set(BAD_REASONS)  # foto.png is not an article: skipped, not an error
    for name, reason in BAD_REASONS.items():
        assert reason in reported[name], (name, reported[name])
    # Asked to read every file as text, the PNG is reported too.
    strict = LoadReport()
    list(iter_documents([bad_folder], format="text", on_error=strict))
    assert "PNG image" in {Path(e.path).name: e.reason for e in strict.errors}["foto.png"]


def test_cli_index_summarises_bad_files_and_exits_nonzero_unless_skip_errors(
    tmp_path, bad_folder, capsys
):
    index_dir = tmp_path / "ix"
    status = main(["index", str(bad_folder), "--index", str(index_dir), "--quiet"])
    out, err = capsys.readouterr()
    assert status == 1
    assert "indexed 2 documents" in err and "indexed" not in out  # the summary: stderr
    for name, reason in BAD_REASONS.items():
        assert f"{bad_folder / name}: " in err and reason in err
    assert "6 files or records could not be indexed; the others were committed" in err
    assert "Traceback" not in err
    with Index.open(index_dir) as ix:
        assert sorted(ix.ids()) == ["baik-1", "baik-2"]
    status = main(["index", str(bad_folder), "--index", str(index_dir), "--skip-errors"])
    assert status == 0
    capsys.readouterr()


def test_interrupted_index_run_leaves_the_previous_commit_and_no_lock(
    tmp_path, capsys, monkeypatch
):
    index_dir = built_index(tmp_path / "ix", count=4)
    folder = tmp_path / "more"
    folder.mkdir()
    for i in range(5):
        (folder / f"baru-{i}.txt").write_text(f"{BODY} Tambahan {i}.", "utf-8")
    added = 0
    real_add = Index.add

    def add_then_interrupt(self, documents):
        nonlocal added
        added += 1
        if added == 3:
            raise KeyboardInterrupt
        return real_add(self, documents)

    monkeypatch.setattr(Index, "add", add_then_interrupt)
    assert main(["index", str(folder), "--index", str(index_dir)]) == 130
    monkeypatch.undo()
    with Index.open(index_dir, lock_timeout=0.5) as ix:
        assert ix.doc_count() == 4  # nothing of the interrupted run is visible
        ix.add(doc("next"))  # and the lock was released
        ix.commit()
    capsys.readouterr()


def test_failed_commit_keeps_the_previous_commit_and_releases_the_lock(tmp_path, monkeypatch):
    built_index(tmp_path, count=4)
    real_create = SafeFileStorage.create_file

    def disk_full_at_toc(self, name, *args, **kwargs):
        if ".toc" in name:  # the segment is written; the table of contents cannot be
            raise OSError(errno.ENOSPC, "No space left on device", name)
        return real_create(self, name, *args, **kwargs)

    before = sorted(os.listdir(tmp_path))
    with Index.open(tmp_path) as ix:
        ix.add(doc("lost"))
        monkeypatch.setattr(SafeFileStorage, "create_file", disk_full_at_toc)
        with pytest.raises(IndexWriteError, match="still holds the previous commit") as raised:
            ix.commit()
        assert isinstance(raised.value, OSError)
        monkeypatch.undo()
    # The failed commit's segment is gone again: a full disk does not stay full.
    assert sorted(os.listdir(tmp_path)) == before
    with Index.open(tmp_path, lock_timeout=0.5) as ix:
        assert ix.doc_count() == 4 and "lost" not in ix
        ix.add(doc("next"))
        ix.commit()
        assert ix.doc_count() == 5


# -- 5. version and integrity ----------------------------------------------------------------


def test_manifest_records_analyzer_name_fingerprint_and_schema(tmp_path):
    Index.create(tmp_path).close()
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    name, fingerprint = analyzer_fingerprint()
    assert manifest["analyzer"] == name and manifest["analyzer_fingerprint"] == fingerprint
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["schema"] == describe_schema(build_schema())
    assert manifest["schema"]["body"].startswith("TEXT format=VarintPositions stored")


def _pretend_built_by_another_analyzer(path: Path) -> None:
    manifest = json.loads((path / MANIFEST_NAME).read_text())
    manifest["analyzer_fingerprint"] = "0123456789abcdef"
    (path / MANIFEST_NAME).write_text(json.dumps(manifest))


def test_other_analyzer_is_refused_with_advice_and_reindex_rebuilds_it(tmp_path):
    original = Document(
        id="a1",
        title="Menlu AS dan Korsel",
        body="Menteri Luar Negeri bertemu di Seoul membahas kerja sama.",
        date="2021-08-06",
        source="https://www.voaindonesia.com/a/1.html",
        fields={"category": "politik"},
    )
    with Index.create(tmp_path) as ix:
        ix.add([original, doc("b2"), doc("c3")])
        ix.commit()
        ix.delete("c3")
        ix.commit()
    _pretend_built_by_another_analyzer(tmp_path)
    with pytest.raises(IndexVersionError) as caught:
        Index.open(tmp_path)
    assert f"searchlib reindex --index {tmp_path}" in str(caught.value)
    assert reindex(tmp_path) == 2
    with Index.open(tmp_path) as ix:
        assert sorted(ix.ids()) == ["a1", "b2"]
        assert ix.get("a1") == original
        assert [h.id for h in ix.search('"kerja sama" category:politik').hits] == ["a1"]
    assert (
        json.loads((tmp_path / MANIFEST_NAME).read_text())["analyzer_fingerprint"]
        == (analyzer_fingerprint()[1])
    )


def test_other_schema_is_refused_naming_the_fields_and_reindex_rebuilds_it(tmp_path, monkeypatch):
    def older_schema():
        schema = build_schema()
        schema["title_exact"].analyzer = IndonesianAnalyzer()  # an older, stemmed exact title
        return schema

    monkeypatch.setattr("searchlib.index.core.build_schema", older_schema)
    with Index.create(tmp_path) as ix:
        ix.add(doc("a", title="Kunjungan Menteri Pertahanan"))
        ix.commit()
    monkeypatch.undo()
    with pytest.raises(
        IndexVersionError, match=r"another schema \(fields that differ: title_exact\)"
    ):
        Index.open(tmp_path)
    assert reindex(tmp_path) == 1
    with Index.open(tmp_path) as ix:
        assert [h.id for h in ix.search('title:"kunjungan menteri"').hits] == ["a"]


def test_cli_reindex_rebuilds_an_index_built_by_another_analyzer(tmp_path, capsys):
    built_index(tmp_path, count=7)
    _pretend_built_by_another_analyzer(tmp_path)
    assert main(["search", "beras", "--index", str(tmp_path)]) == 1
    assert "searchlib reindex --index" in capsys.readouterr().err
    assert main(["reindex", "--index", str(tmp_path)]) == 0
    assert f"reindexed 7 documents in {tmp_path}" in capsys.readouterr().err
    assert main(["search", "beras", "--index", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 7


def test_reindex_interrupted_before_its_manifest_is_finished_by_a_second_run(tmp_path, monkeypatch):
    built_index(tmp_path, count=6)
    _pretend_built_by_another_analyzer(tmp_path)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("searchlib.index.rebuild.write_manifest", crash)
    with pytest.raises(KeyboardInterrupt):
        reindex(tmp_path)
    monkeypatch.undo()
    with pytest.raises(IndexVersionError):  # still refused: nothing half-done is trusted
        Index.open(tmp_path)
    assert reindex(tmp_path) == 6
    with Index.open(tmp_path) as ix:
        assert ix.doc_count() == 6


def test_reindex_waits_for_the_write_lock_and_changes_nothing_if_it_cannot_get_it(tmp_path):
    built_index(tmp_path, count=3)
    with Index.open(tmp_path) as writer:
        writer.add(doc("pending"))
        with pytest.raises(IndexLockedError, match=str(tmp_path)):
            reindex(tmp_path, lock_timeout=0.2)
        writer.commit()
    assert reindex(tmp_path, lock_timeout=1) == 4


def test_truncated_segment_file_is_a_clear_error_at_open(tmp_path):
    built_index(tmp_path)
    segment = segment_files(tmp_path)[0]
    size = segment.stat().st_size
    with open(segment, "r+b") as handle:
        handle.truncate(size // 2)
    for verify in (True, False):
        with pytest.raises(IndexCorruptError) as caught:
            Index.open(tmp_path, verify=verify)
        message = str(caught.value)
        assert segment.name in message and "truncated" in message
        assert f"searchlib index PATH... --index {tmp_path}" in message


def test_overwritten_segment_bytes_are_caught_by_their_checksum(tmp_path):
    built_index(tmp_path)
    segment = segment_files(tmp_path)[0]
    with open(segment, "r+b") as handle:
        handle.seek(segment.stat().st_size // 3)
        handle.write(b"\xff" * 64)
    with pytest.raises(IndexCorruptError, match=rf"{segment.name} .*CRC-32"):
        Index.open(tmp_path)


@pytest.mark.parametrize("damage", ["empty", "garbage", "missing"])
def test_damaged_segment_without_a_checksum_record_is_still_a_clear_error(tmp_path, damage):
    built_index(tmp_path)
    (tmp_path / CHECKSUMS_NAME).unlink()  # as if written by a process killed before recording
    segment = segment_files(tmp_path)[0]
    if damage == "missing":
        segment.unlink()
    else:
        segment.write_bytes(b"" if damage == "empty" else os.urandom(4096))
    with pytest.raises(IndexCorruptError, match=str(tmp_path)):
        Index.open(tmp_path)


@pytest.mark.parametrize("cut", [0, 5, 40, -10])
def test_truncated_table_of_contents_is_a_clear_error(tmp_path, cut):
    built_index(tmp_path)
    toc = max(tmp_path.glob("_MAIN_*.toc"))
    data = toc.read_bytes()
    toc.write_bytes(data[:cut] if cut >= 0 else data[:cut] + b"\x00" * 10)
    with pytest.raises(IndexCorruptError, match="damaged"):
        Index.open(tmp_path)


def test_unreadable_manifest_is_a_clear_error(tmp_path):
    built_index(tmp_path)
    (tmp_path / MANIFEST_NAME).write_text("{not json")
    with pytest.raises(IndexCorruptError, match=MANIFEST_NAME):
        Index.open(tmp_path)


def test_checksums_are_recorded_for_every_segment_and_survive_deletes(tmp_path):
    built_index(tmp_path, count=10)
    with Index.open(tmp_path) as ix:
        ix.delete("d001")  # deletions live in the table of contents, not the segment files
        ix.add(doc("extra"))
        ix.commit()
    recorded = json.loads((tmp_path / CHECKSUMS_NAME).read_text())["files"]
    assert sorted(recorded) == [p.name for p in segment_files(tmp_path)]
    with Index.open(tmp_path) as ix:
        assert ix.doc_count() == 10


# -- 6. untrusted indexes --------------------------------------------------------------------


def mark(path: str) -> list:
    """What a hostile pickle would run; here it only leaves a file behind."""
    Path(path).write_text("ran")
    return []


class Hostile:
    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (mark, (self.marker,))


def plant_toc(path: Path, *, segments=None, schema=None) -> None:
    """Write a newer table of contents, as someone handing us an index could."""
    storage = FileStorage(str(path))
    generation = max(int(p.stem.rsplit("_", 1)[1]) for p in path.glob("_MAIN_*.toc")) + 1
    TOC(schema or build_schema(), segments if segments is not None else [], generation).write(
        storage, "MAIN"
    )


def test_toc_naming_a_foreign_callable_is_refused_and_not_run(tmp_path):
    built_index(tmp_path)
    marker = tmp_path / "ran.txt"
    plant_toc(tmp_path, segments=Hostile(marker))
    with pytest.raises(UnsafeIndexError) as caught:
        Index.open(tmp_path)
    message = str(caught.value)
    assert "test_reliability.mark" in message and "allow_unsafe_pickles=True" in message
    assert not marker.exists()


def test_schema_pickle_naming_a_foreign_callable_is_refused_and_not_run(tmp_path):
    built_index(tmp_path)
    marker = tmp_path / "ran.txt"
    schema = build_schema()
    schema["body"].hostile = Hostile(marker)
    plant_toc(tmp_path, schema=schema)
    with pytest.raises(UnsafeIndexError, match=r"test_reliability\.mark"):
        Index.open(tmp_path)
    assert not marker.exists()


def test_toc_committed_after_open_is_checked_too(tmp_path):
    built_index(tmp_path)
    marker = tmp_path / "ran.txt"
    with Index.open(tmp_path) as ix:
        plant_toc(tmp_path, segments=Hostile(marker))
        with pytest.raises(UnsafeIndexError):
            ix.doc_count()
    assert not marker.exists()


def test_allow_unsafe_pickles_opts_out_and_then_runs_the_index_code(tmp_path):
    # The opt-out exists for indexes you trust; this shows why it is not the default.
    built_index(tmp_path)
    marker = tmp_path / "ran.txt"
    plant_toc(tmp_path, segments=Hostile(marker))
    with Index.open(tmp_path, allow_unsafe_pickles=True) as ix:
        assert ix.doc_count() == 0
    assert marker.read_text() == "ran"


@pytest.mark.parametrize(
    ("module", "name", "allowed"),
    [
        ("whoosh.fields", "Schema", True),
        ("whoosh.codec.whoosh3", "W3Segment", True),
        ("searchlib.index", "VarintPositions", True),
        ("__builtin__", "set", True),  # protocol 2 spelling
        ("os", "system", False),
        ("builtins", "eval", False),
        ("whoosh.index", "open_dir", False),  # a function, not a class
        ("whoosh.index", "os.system", False),  # a dotted walk out of the package
        ("whoosh.util.loading", "RenamingUnpickler", False),
        ("whoosh.multiproc", "MpWriter", False),
        ("whoosh.nonexistent", "Thing", False),
        ("searchlibevil", "Thing", False),
    ],
)
def test_restricted_unpickler_allows_only_whoosh_and_searchlib_classes(module, name, allowed):
    assert RestrictedUnpickler.allows(module, name) is allowed


def test_indexes_written_by_this_searchlib_pass_the_restricted_unpickler(tmp_path):
    built_index(tmp_path, count=5)
    with Index.open(tmp_path) as ix:
        assert isinstance(ix._ix.storage, SafeFileStorage)
        ix.delete("d001")  # deleted document numbers are pickled in the table of contents
        ix.commit()
    with Index.open(tmp_path) as ix:
        assert ix.doc_count() == 4
