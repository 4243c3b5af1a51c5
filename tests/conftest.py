"""Shared fixtures: the seed index, built once per test session in a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchlib import Index, iter_documents

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED_DATA = REPO.parent / "shared" / "data"


def seed_id(prefix: str) -> str:
    """The full id of the seed whose id starts with ``prefix`` ("003" -> "003_8655...")."""
    return next(p.stem for p in SEEDS.glob(f"{prefix}_*.txt"))


def ids(results) -> list[str]:
    """The ids of a page of results, in rank order."""
    return [hit.id for hit in results.hits]


@pytest.fixture
def small_ix(tmp_path: Path):
    """An empty index in a temporary directory."""
    with Index.create(tmp_path) as ix:
        yield ix


@pytest.fixture(scope="session")
def seed_index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed-index")
    with Index.create(path, overwrite=True) as ix:
        ix.add(iter_documents([SEEDS], format="text"))
        ix.commit()
    return path


@pytest.fixture
def seed_ix(seed_index_path: Path):
    with Index.open(seed_index_path) as ix:
        yield ix


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    # The CLI's bundled-seed index goes to a per-session cache, never the user's ~/.cache.
    monkeypatch.setenv("SEARCHLIB_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
