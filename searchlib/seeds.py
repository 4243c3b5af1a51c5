"""The five bundled seed articles, and a cached index of them.

The seeds ship inside the package (``searchlib/seeds/`` in an installed wheel; the repository's
top-level ``seeds/`` in a source checkout). :func:`seed_index` builds their index on first use
in a cache directory and rebuilds it whenever the analyzer or the seeds change.

>>> sorted(p.name for p in seeds_dir().glob("*.txt"))[0]
'000_e272fdfb7559d7d6.txt'
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from searchlib.analysis.fingerprint import analyzer_fingerprint
from searchlib.documents import iter_documents
from searchlib.errors import SearchlibError, UnsafeIndexError
from searchlib.index import Index
from searchlib.index.manifest import describe_schema
from searchlib.index.schema import build_schema


def seeds_dir() -> Path:
    """The directory holding the bundled seed articles."""
    packaged = Path(str(resources.files("searchlib"))) / "seeds"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "seeds"
    if checkout.is_dir():
        return checkout
    raise SearchlibError("the bundled seed articles are missing from this installation")


def cache_root() -> Path:
    """Where searchlib caches indexes: ``$SEARCHLIB_CACHE``, else ``$XDG_CACHE_HOME/searchlib``
    (``~/.cache/searchlib``); each user gets a private directory below it (see
    :func:`private_cache`)."""
    if os.environ.get("SEARCHLIB_CACHE"):
        return Path(os.environ["SEARCHLIB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "searchlib"


#: The file searchlib writes into every cache entry it builds; clean-up removes nothing else.
MARKER = ".searchlib-cache"


def private_cache(root: Path) -> Path:
    """This user's cache directory below ``root``, created mode 0700, checked every time.

    ``root`` may be shared (``SEARCHLIB_CACHE=/tmp/cache``), so the directory is per user
    (``user-<uid>``) and refused, with an :class:`~searchlib.errors.UnsafeIndexError`, when it is
    a symlink, belongs to someone else, or others may write to it: a planted index could run
    code when opened, and a planted symlink could point a clean-up at someone's files.
    """
    uid = os.getuid() if hasattr(os, "getuid") else None
    directory = root / (f"user-{uid}" if uid is not None else "user")
    root.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        directory.mkdir(mode=0o700)
    _check_private(directory, uid, "directory")
    return directory


def _check_private(path: Path, uid: int | None, what: str) -> None:
    info = path.lstat()
    how = "set SEARCHLIB_CACHE to a directory of your own, or remove it"
    if os.path.islink(path) or not path.is_dir():
        raise UnsafeIndexError(f"the cache {what} {path} is not a plain directory; {how}")
    if uid is not None and info.st_uid != uid:
        raise UnsafeIndexError(
            f"the cache {what} {path} belongs to user {info.st_uid}, not to you; {how}"
        )
    if uid is not None and info.st_mode & 0o022:
        raise UnsafeIndexError(f"others may write to the cache {what} {path}; {how}")


#: See _seeds_key.
SEED_INDEX_REVISION = 2


def _ours(entry: Path) -> bool:
    """Whether ``entry`` is a cache entry searchlib built (its marker, no symlink, our user)."""
    if entry.is_symlink() or not entry.is_dir() or not (entry / MARKER).is_file():
        return False
    return not hasattr(os, "getuid") or entry.lstat().st_uid == os.getuid()


def _seeds_key(directory: Path) -> str:
    digest = hashlib.sha256()
    # Bumped when an index built now differs in what it records (2: the acronym phrases in
    # its manifest), so that a cached seed index is rebuilt with it.
    digest.update(f"seeds {SEED_INDEX_REVISION}\n".encode())
    digest.update(analyzer_fingerprint()[1].encode())
    # A schema change (a new field) needs a fresh index as much as an analyzer change does.
    digest.update(json.dumps(describe_schema(build_schema()), sort_keys=True).encode())
    for path in sorted(directory.glob("*.txt")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def seed_index(cache: str | os.PathLike[str] | None = None) -> Index:
    """Open the index of the bundled seeds, building it first if needed.

    The entry is named after a hash of the analyzer and the seed files, so a changed analyzer
    gets a fresh index. Building happens in a temporary directory that is renamed into place,
    so a concurrent first use never sees a half-built index. Only entries searchlib made (they
    hold a marker file) are opened or cleaned up; anything else under that name is refused.
    """
    directory = seeds_dir()
    home = private_cache(Path(cache) if cache is not None else cache_root())
    target = home / f"seeds-{_seeds_key(directory)}"
    if os.path.lexists(target):
        if not _ours(target):
            raise UnsafeIndexError(
                f"{target} is not an index searchlib built (a symlink, another user's, or no "
                f"{MARKER} marker), so it is not opened; remove it to rebuild the seed index"
            )
        if Index.exists(target):
            return Index.open(target)
    building = Path(tempfile.mkdtemp(prefix="seeds-building-", dir=home))
    try:
        (building / MARKER).write_text("built by searchlib; safe to delete\n", encoding="utf-8")
        with Index.create(building, overwrite=True) as ix:
            ix.add(iter_documents([directory], format="text"))
            ix.commit()
        try:
            os.replace(building, target)
        except OSError:
            if not Index.exists(target):  # not a lost race: a real failure
                raise
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    for stale in home.glob("seeds-*"):
        if stale != target and not stale.name.startswith("seeds-building-") and _ours(stale):
            shutil.rmtree(stale, ignore_errors=True)
    return Index.open(target)
