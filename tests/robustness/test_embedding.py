"""searchlib inside other programs: their global state must not break an index."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap

from searchlib import Document, Index

SEEDED_RUN = textwrap.dedent(
    """
    import random, sys
    random.seed(42)  # an application (a test or ML script) seeding the global generator
    from searchlib import Document, Index
    path, n = sys.argv[1], sys.argv[2]
    ix = Index.open(path) if Index.exists(path) else Index.create(path)
    with ix:
        ix.add(Document(id=f"doc{n}", body=f"Berita nomor {n} tentang harga beras."))
        ix.commit()
        print(ix.doc_count())
    """
)


def test_runs_that_seed_random_the_same_way_each_commit(tmp_path):
    counts = []
    for n in range(3):
        done = subprocess.run(
            [sys.executable, "-c", SEEDED_RUN, str(tmp_path / "ix"), str(n)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        counts.append(int(done.stdout))
    assert counts == [1, 2, 3]


def test_reseeding_before_every_commit_in_one_process(tmp_path):
    with Index.create(tmp_path) as ix:
        for n in range(4):
            random.seed(7)
            ix.add(Document(id=f"d{n}", body="Harga beras naik lagi."))
            ix.commit()
        assert ix.doc_count() == 4
        assert len(ix.search("beras", limit=10).hits) == 4
