"""The seed index cache: per user, private, and never opening or deleting what it did not make."""

from __future__ import annotations

import os
import stat

import pytest

from searchlib import UnsafeIndexError, seed_index
from searchlib.seeds import MARKER, _seeds_key, private_cache, seeds_dir

needs_uid = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX users")


def entry_name() -> str:
    return f"seeds-{_seeds_key(seeds_dir())}"


@needs_uid
def test_cache_is_a_private_directory_per_user(tmp_path):
    with seed_index(tmp_path) as ix:
        assert ix.doc_count() == 5
    home = tmp_path / f"user-{os.getuid()}"
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert (home / entry_name() / MARKER).is_file()


def test_a_planted_symlink_is_refused_and_its_target_untouched(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("milik orang lain", "utf-8")
    home = private_cache(tmp_path / "cache")
    (home / entry_name()).symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(UnsafeIndexError, match="not an index searchlib built"):
        seed_index(tmp_path / "cache")
    assert (elsewhere / "keep.txt").read_text("utf-8") == "milik orang lain"


def test_a_directory_searchlib_did_not_build_is_refused(tmp_path):
    home = private_cache(tmp_path / "cache")
    (home / entry_name()).mkdir()
    with pytest.raises(UnsafeIndexError, match="marker"):
        seed_index(tmp_path / "cache")


def test_clean_up_removes_only_what_searchlib_made(tmp_path):
    home = private_cache(tmp_path / "cache")
    notes = home / "seeds-my-research-notes"
    notes.mkdir()
    (notes / "catatan.txt").write_text("penting", "utf-8")
    old = home / "seeds-0000000000000000"
    old.mkdir()
    (old / MARKER).write_text("", "utf-8")
    seed_index(tmp_path / "cache").close()
    assert (notes / "catatan.txt").is_file()  # a user's folder stays
    assert not old.exists()  # a stale entry searchlib built goes


@needs_uid
def test_a_cache_directory_others_can_write_or_own_is_refused(tmp_path):
    root = tmp_path / "shared"
    home = private_cache(root)
    home.chmod(0o777)
    with pytest.raises(UnsafeIndexError, match="others may write"):
        seed_index(root)
    home.chmod(0o700)
    if os.getuid() == 0:  # root can hand the directory to another user to try that too
        os.chown(home, 12345, -1)
        with pytest.raises(UnsafeIndexError, match="belongs to user 12345"):
            seed_index(root)
