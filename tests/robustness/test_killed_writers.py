"""A writer killed at any moment leaves no process, lock or temporary behind for long."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from searchlib import Document, Index

REPO = Path(__file__).resolve().parents[2]

# Adds documents through the parallel writer (two workers), prints the workers' pids once they
# are busy, then blocks inside the document stream until it is killed.
PARALLEL_ADD = textwrap.dedent(
    """
    import sys, time
    from searchlib import Document, Index

    ix = Index.open(sys.argv[1])

    def documents():
        for n in range(1500):
            yield Document(id=f"k{n}", body=f"Dokumen nomor {n} tentang harga beras di pasar.")
        print(" ".join(str(p.pid) for p in ix._writer._workers), flush=True)
        time.sleep(600)
        yield Document(id="never", body="tidak pernah")

    ix.add(documents(), workers=2)
    """
)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; forks workers")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killing_a_parallel_indexer_frees_the_lock_and_its_workers(tmp_path, sig):
    with Index.create(tmp_path) as ix:
        ix.add(Document(id="kept", body="Dokumen yang sudah tersimpan."))
        ix.commit()
    child = subprocess.Popen(
        [sys.executable, "-c", PARALLEL_ADD, str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    workers = [int(p) for p in child.stdout.readline().split()]
    assert len(workers) == 2 and all(_alive(p) for p in workers)
    child.send_signal(sig)
    # A supervisor reading the killed process's output is not left hanging by orphans.
    child.communicate(timeout=20)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers), "workers outlived their parent"
    with Index.open(tmp_path, lock_timeout=10) as ix:
        assert ix.doc_count() == 1  # nothing of the killed run was committed
        ix.add(Document(id="next", body="Penulis berikutnya."))
        ix.commit()
        assert sorted(ix.ids()) == ["kept", "next"]
    leftovers = [n for n in os.listdir(tmp_path) if ".tmp" in n]
    assert leftovers == [], leftovers


# Commits batches of 1,200 documents through the parallel writer until it is killed.
PARALLEL_LOOP = textwrap.dedent(
    """
    import sys
    from searchlib import Document, Index

    ix = Index.open(sys.argv[1])
    for batch in range(1000):
        ix.add(
            (Document(id=f"b{batch}-{n}", body=f"Harga nomor {n} naik.") for n in range(1200)),
            workers=2,
        )
        ix.commit()
        print(batch, flush=True)
    """
)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks workers")
def test_parallel_indexer_killed_at_random_moments_loses_only_uncommitted_batches(tmp_path):
    import random

    rng = random.Random(13)
    with Index.create(tmp_path) as ix:
        ix.add(Document(id="kept", body="Dokumen yang sudah tersimpan."))
        ix.commit()
    for _trial in range(8):
        child = subprocess.Popen(
            [sys.executable, "-c", PARALLEL_LOOP, str(tmp_path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=REPO,
        )
        time.sleep(rng.uniform(0.5, 4.0))
        child.kill()
        child.communicate(timeout=30)
        with Index.open(tmp_path, lock_timeout=15) as ix:
            count = ix.doc_count()
            assert (count - 1) % 1200 == 0, count  # whole batches only
            assert "kept" in ix
            ix.add(Document(id="probe", body="Penulis berikutnya."))
            ix.commit()
            ix.delete("probe")
            ix.commit()
    assert [n for n in os.listdir(tmp_path) if ".tmp" in n] == []
