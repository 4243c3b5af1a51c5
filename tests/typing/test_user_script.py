"""The type checkers' user script (``make typecheck``) also runs, and does what it says."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import seed_id
from tests.typing.user_script import main


def test_the_typed_user_script_runs_against_the_public_api(tmp_path: Path) -> None:
    found = main(tmp_path)
    assert found["rows"] == [("q1", seed_id("003"), 1, found["rows"][0][3])]  # type: ignore[index]
    assert found["failed"] and "unbalanced quotes" in str(found["failed"])
    assert found["missing"] == "IndexNotFoundError" and found["bad_document"] == "DocumentError"
    assert found["reindexed"] == found["after_buffer"] == 8
