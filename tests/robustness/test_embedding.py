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


def test_manifest_and_checksums_are_created_like_the_segment_files(tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        with Index.create(tmp_path / "ix") as ix:
            ix.add(Document(id="a", body="Harga beras naik."))
            ix.commit()
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "ix").iterdir()}
    segment_mode = next(m for name, m in modes.items() if name.endswith(".seg"))
    assert modes["searchlib.json"] == modes["searchlib-checksums.json"] == segment_mode == 0o644


def _read_only(monkeypatch):
    """Make every file the index would create fail as on a read-only mount."""
    import errno
    import os

    real_open = os.open

    def refuse(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    import builtins

    real_builtin_open = builtins.open

    def refuse_builtin(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            raise OSError(errno.EROFS, "Read-only file system", str(file))
        return real_builtin_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refuse_builtin)


def test_a_read_only_index_says_so_and_still_searches(tmp_path, monkeypatch):
    import pytest

    from searchlib import IndexReadOnlyError

    with Index.create(tmp_path) as ix:
        ix.add(Document(id="a", body="Harga beras naik."))
        ix.commit()
    with Index.open(tmp_path) as ix:
        _read_only(monkeypatch)
        for write in (
            lambda: ix.add(Document(id="b", body="Harga cabai turun.")),
            lambda: ix.delete("a"),
            lambda: Index.create(tmp_path, overwrite=True),
        ):
            with pytest.raises(IndexReadOnlyError, match="read-only file system") as raised:
                write()
            assert isinstance(raised.value, OSError)
        assert [h.id for h in ix.search("beras").hits] == ["a"]
        monkeypatch.undo()
        assert ix.doc_count() == 1


class _RunsCode:
    """Pickles as a call of os.system: what a crafted segment file would hold."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.marker}",))


def test_a_crafted_stored_field_pickle_is_refused_not_run(tmp_path):
    import pytest

    from searchlib import UnsafeIndexError
    from searchlib.index.schema import fields_of

    marker = tmp_path / "ran"
    path = tmp_path / "ix"
    with Index.create(path) as ix:
        ix.add(Document(id="good", body="Harga beras naik."))
        writer = ix._get_writer()
        crafted = Document(id="evil", body="Harga beras turun.")
        writer.add_document(**fields_of(crafted), _stored_title=_RunsCode(str(marker)))
        ix.commit()
    assert not marker.exists()
    for allow in (False, True):  # the data of a segment is never code, whatever the option
        with Index.open(path, allow_unsafe_pickles=allow) as ix:
            with pytest.raises(UnsafeIndexError, match=r"posix\.system"):
                ix.search("beras turun", limit=5)
            with pytest.raises(UnsafeIndexError):
                ix.get("evil")
    assert not marker.exists()
