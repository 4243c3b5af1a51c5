"""Crash safety: a writer killed with SIGKILL at any moment loses only its uncommitted batch.

A child process indexes batches into one index and commits each, printing ``begin K`` before
and ``done K`` after commit K. The parent kills it (SIGKILL) at random moments, some aimed just
after a ``begin`` so that they land inside the commit, and the child can also kill itself at
named points inside Whoosh's commit (``FAULTS``). After every kill the index must open (with its
checksums verified), hold exactly the documents of one commit — the last one that finished, or
the one in progress if its table of contents was already in place — with postings that agree
with the stored documents, and the next trial's child, the next writer, must get the lock.

The default run does every fault point and a few random kills; ``make test-slow`` does 24
random kills more.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from searchlib import Document, Index

REPO = Path(__file__).resolve().parents[2]
FILLER = (
    "Kapal kargo bersandar di pelabuhan sejak pagi, menurunkan muatan beras, gula dan pupuk "
    "untuk pedagang di pasar induk. Petugas bea cukai memeriksa dokumen ekspor dan impor, "
    "sementara antrean truk mengular hingga ke jalan raya menuju kawasan industri."
)


def commit_ops(k: int) -> list[tuple[str, str, str | None]]:
    """The operations of commit ``k``: adds, an update of an earlier document, a delete."""
    ops: list[tuple[str, str, str | None]] = [
        ("add", f"c{k}-{j}", f"Berita pelabuhan nomor {k} bagian {j}. {FILLER}")
        for j in range(10 + (k * 37) % 30)
    ]
    if k > 1:
        ops.append(("add", f"c{k - 1}-0", f"Berita pelabuhan diperbarui pada commit {k}."))
    if k > 2:
        ops.append(("delete", f"c{k - 2}-1", None))
    return ops


def applied(state: dict[str, str], k: int) -> dict[str, str]:
    after = dict(state)
    for op, doc_id, body in commit_ops(k):
        if op == "add":
            after[doc_id] = body
        else:
            after.pop(doc_id, None)
    return after


CHILD = r"""
import os, signal, sys
from searchlib import Document, Index
from searchlib.index.safety import CHECKSUMS_NAME, SafeFileStorage
from tests.robustness.test_crash import commit_ops

path, k, fault = sys.argv[1], int(sys.argv[2]), sys.argv[3]
committing = toc_in_place = False

def die():
    os.kill(os.getpid(), signal.SIGKILL)

create_file, rename_file = SafeFileStorage.create_file, SafeFileStorage.rename_file
delete_file, replace = SafeFileStorage.delete_file, os.replace

def fault_create(self, name, *args, **kwargs):
    if committing and fault == "writing-segment" and name.endswith(".seg"):
        die()
    return create_file(self, name, *args, **kwargs)

def fault_rename(self, old, new, *args, **kwargs):
    if committing and fault == "toc-written" and new.endswith(".toc"):
        die()
    global toc_in_place
    result = rename_file(self, old, new, *args, **kwargs)
    if committing and new.endswith(".toc"):
        toc_in_place = True
        if fault == "toc-renamed":
            die()
    return result

def fault_delete(self, name, *args, **kwargs):
    if committing and fault == ("cleaning-up" if toc_in_place else "discarding-temporaries"):
        die()
    return delete_file(self, name, *args, **kwargs)

def fault_replace(src, dst, *args, **kwargs):
    if committing and fault == "recording-checksums" and str(dst).endswith(CHECKSUMS_NAME):
        die()
    return replace(src, dst, *args, **kwargs)

SafeFileStorage.create_file, SafeFileStorage.rename_file = fault_create, fault_rename
SafeFileStorage.delete_file, os.replace = fault_delete, fault_replace

ix = Index.open(path, lock_timeout=10)
while True:
    for op, doc_id, body in commit_ops(k):
        if op == "add":
            ix.add(Document(id=doc_id, body=body))
        else:
            ix.delete(doc_id)
    print(f"begin {k}", flush=True)
    committing = True
    ix.commit()
    committing = False
    print(f"done {k}", flush=True)
    if fault != "none":
        sys.exit(3)  # the fault point was never reached
    k += 1
"""

# Where the child kills itself, and whether the commit in progress must then be visible.
FAULTS = {
    "writing-segment": False,  # the new segment file is being assembled
    "discarding-temporaries": False,  # its per-field temporary files are being deleted
    "toc-written": False,  # the new table of contents is written but not yet renamed in place
    "toc-renamed": True,  # renamed in place; old files not yet deleted
    "cleaning-up": True,  # deleting the files the commit made obsolete
    "recording-checksums": True,  # searchlib's checksum record not yet replaced
}


class Trials:
    """One index, killed writer after killed writer, checked against a model after each kill."""

    def __init__(self, path: Path, seed: int) -> None:
        self.path = path
        self.random = random.Random(seed)
        self.k = 0  # the last commit the index holds
        self.state: dict[str, str] = {}
        self.in_commit = 0  # kills that landed between "begin K" and "done K"
        self.in_commit_visible = 0  # ... and whose commit had already taken effect
        Index.create(path).close()

    def commit_here(self, commits: int) -> None:
        """Make some commits in this process, for a fault trial to build on."""
        with Index.open(self.path) as ix:
            for _ in range(commits):
                self.k += 1
                for op, doc_id, body in commit_ops(self.k):
                    ix.add(Document(id=doc_id, body=body)) if op == "add" else ix.delete(doc_id)
                ix.commit()
                self.state = applied(self.state, self.k)

    def run(self, fault: str = "none") -> None:
        process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(self.path), str(self.k + 1), fault],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        lines: list[str] = []
        begun = threading.Event()
        target = f"begin {self.k + 1 + self.random.randrange(3)}"
        aimed = fault == "none" and self.random.random() < 0.5

        def read() -> None:
            for line in process.stdout:
                lines.append(line.strip())
                if line.strip() == target or (not aimed and line.startswith("begin")):
                    begun.set()
            begun.set()  # the child ended (or failed) without being killed

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        if fault == "none":
            begun.wait(120)
            if process.poll() is not None:
                raise AssertionError(f"the writer failed on its own: {process.stderr.read()}")
            # Aimed kills land within a few milliseconds of a commit starting; the others at
            # any point of the next second and a half (adding documents, or committing).
            time.sleep(self.random.uniform(0, 0.02 if aimed else 1.5))
            process.send_signal(signal.SIGKILL)
        returncode = process.wait(120)
        reader.join(10)
        stderr = process.stderr.read()
        assert returncode == -signal.SIGKILL, f"{fault}: exit {returncode}\n{lines}\n{stderr}"
        self.settle(lines, fault)

    def settle(self, lines: list[str], fault: str) -> None:
        begun = [int(line.split()[1]) for line in lines if line.startswith("begin")]
        done = [int(line.split()[1]) for line in lines if line.startswith("done")]
        last_done = max(done, default=self.k)
        candidates = {last_done: self._state_after(last_done)}
        if begun and max(begun) > last_done:
            self.in_commit += 1
            candidates[max(begun)] = self._state_after(max(begun))
        if fault != "none":
            expected = self.k + 1 if FAULTS[fault] else self.k
            candidates = {expected: self._state_after(expected)}
        held = check_index(self.path)
        matching = [k for k, state in candidates.items() if state == held]
        assert matching, (
            f"{fault}: after {lines[-3:]} the index holds {len(held)} documents, "
            f"matching none of commits {sorted(candidates)}"
        )
        if begun and max(begun) > last_done and matching[0] == max(begun):
            self.in_commit_visible += 1
        self.k = matching[0]
        self.state = candidates[self.k]

    def _state_after(self, k: int) -> dict[str, str]:
        state = self.state
        for step in range(self.k + 1, k + 1):
            state = applied(state, step)
        return state


def check_index(path: Path) -> dict[str, str]:
    """Open the index (verifying checksums) and return its documents; postings must agree."""
    with Index.open(path) as ix:
        held = {}
        for doc_id in ix.ids():
            document = ix.get(doc_id)  # a lookup through the id field's postings
            assert document is not None and document.id == doc_id
            held[doc_id] = document.body
        results = ix.search("pelabuhan", limit=max(1, len(held)), snippets=False, suggest=False)
        assert results.total == len(held)
        assert {hit.id for hit in results.hits} == set(held)
    return held


def finish(trials: Trials) -> None:
    """The writer after the last kill proceeds at once, and nothing stale is left behind."""
    with Index.open(trials.path, lock_timeout=1) as ix:
        ix.add(Document(id="after-the-crashes", body="Berita pelabuhan terakhir."))
        ix.commit()
        assert ix.doc_count() == len(trials.state) + 1
    names = set(os.listdir(trials.path))
    current_toc = max((n for n in names if n.endswith(".toc")), key=lambda n: int(n[6:-4]))
    leftovers = {
        n
        for n in names
        if n.startswith(("_MAIN_", ".")) and n != current_toc and not n.startswith(".pytest")
    }
    assert leftovers == set(), f"stale files after recovery: {sorted(leftovers)}"


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_writer_killed_inside_commit_leaves_one_whole_commit(tmp_path, fault):
    trials = Trials(tmp_path / "ix", seed=1)
    trials.commit_here(3)
    trials.run(fault)
    finish(trials)


def test_writer_killed_at_random_moments_loses_only_uncommitted_batches(tmp_path):
    trials = Trials(tmp_path / "ix", seed=2)
    for _ in range(4):
        trials.run()
    finish(trials)


@pytest.mark.slow
def test_writer_killed_at_random_moments_24_times_loses_only_uncommitted_batches(tmp_path):
    trials = Trials(tmp_path / "ix", seed=3)
    for _ in range(24):
        trials.run()
    for fault in sorted(FAULTS):
        trials.run(fault)
    finish(trials)
    print(
        f"\n{24 + len(FAULTS)} kills, {trials.in_commit} inside a commit "
        f"({trials.in_commit_visible} of them after its table of contents was in place), "
        f"{trials.k} commits survived"
    )
    assert trials.k > 24  # the writers did make progress between kills
