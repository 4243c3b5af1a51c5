"""The five bundled seed articles, and a cached index of them.

The seeds ship inside the package (``searchlib/seeds/`` in an installed wheel; the repository's
top-level ``seeds/`` in a source checkout). :func:`seed_index` builds their index on first use
in a cache directory and rebuilds it whenever the analyzer or the seeds change.

>>> sorted(p.name for p in seeds_dir().glob("*.txt"))[0]
'000_e272fdfb7559d7d6.txt'
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from searchlib.analysis.fingerprint import analyzer_fingerprint
from searchlib.documents import iter_documents
from searchlib.errors import SearchlibError
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
    """Where searchlib caches indexes: ``$SEARCHLIB_CACHE``, else ``$XDG_CACHE_HOME/searchlib``."""
    if os.environ.get("SEARCHLIB_CACHE"):
        return Path(os.environ["SEARCHLIB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "searchlib"


def _seeds_key(directory: Path) -> str:
    digest = hashlib.sha256()
    digest.update(analyzer_fingerprint()[1].encode())
    # A schema change (a new field) needs a fresh index as much as an analyzer change does.
    digest.update(json.dumps(describe_schema(build_schema()), sort_keys=True).encode())
    for path in sorted(directory.glob("*.txt")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def seed_index(cache: str | os.PathLike[str] | None = None) -> Index:
    """Open the index of the bundled seeds, building it first if needed.

    The cache directory is named after a hash of the analyzer and the seed files, so a changed
    analyzer gets a fresh index. Building happens in a temporary directory that is renamed into
    place, so a concurrent first use never sees a half-built index.
    """
    directory = seeds_dir()
    root = Path(cache) if cache is not None else cache_root()
    target = root / f"seeds-{_seeds_key(directory)}"
    if Index.exists(target):
        return Index.open(target)
    root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="seeds-building-", dir=root))
    try:
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
    for stale in root.glob("seeds-*"):
        if stale != target and not stale.name.startswith("seeds-building-"):
            shutil.rmtree(stale, ignore_errors=True)
    return Index.open(target)
