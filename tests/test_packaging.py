"""Licences and packaging (issue 15, item 8): what the wheel ships and what it declares.

Builds the wheel once (``pip wheel --no-build-isolation``, a few seconds; hatchling comes with
the ``test`` extra) and reads its METADATA and files.
"""

from __future__ import annotations

import email
import hashlib
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "searchlib" / "analysis" / "data"
# sha256 of the Apache License 2.0 as published (https://www.apache.org/licenses/LICENSE-2.0.txt).
APACHE_2_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*pip, str(REPO), "-w", str(out)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("searchlib-*.whl")
    return zipfile.ZipFile(built)


def dist_info(wheel: zipfile.ZipFile) -> str:
    return next(n.split("/")[0] for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))


def test_license_is_the_standard_apache_2_text():
    assert hashlib.sha256((REPO / "LICENSE").read_bytes()).hexdigest() == APACHE_2_SHA256


def test_wheel_metadata_declares_every_licence_with_pep_639_fields(wheel):
    metadata = email.message_from_bytes(wheel.read(f"{dist_info(wheel)}/METADATA"))
    assert metadata["Metadata-Version"] >= "2.4"
    expression = metadata["License-Expression"]
    assert expression == PROJECT["license"]
    for part in ("Apache-2.0", "CC-BY-SA-4.0", "LGPL-3.0-only"):
        assert part in expression.split(" AND ")
    assert metadata["License"] is None  # the old free-text field is gone
    files = metadata.get_all("License-File")
    assert {"LICENSE", "NOTICE", "searchlib/analysis/data/LICENSE-dictionary-id.txt"} <= set(files)
    names = set(wheel.namelist())
    for name in files:
        assert f"{dist_info(wheel)}/licenses/{name}" in names
    # Every LicenseRef- of the expression has its text among the licence files.
    for ref in (p for p in expression.split(" AND ") if p.startswith("LicenseRef-")):
        assert f"LICENSES/{ref}.txt" in files


def test_wheel_ships_the_licensed_data_and_the_json_schemas(wheel):
    names = set(wheel.namelist())
    for path in DATA.iterdir():
        assert f"searchlib/analysis/data/{path.name}" in names
    for schema in (REPO / "searchlib" / "schemas").glob("*.json"):
        assert f"searchlib/schemas/{schema.name}" in names
    assert any(n.startswith("searchlib/seeds/") for n in names)


def test_notice_accounts_for_every_shipped_data_file():
    notice = (REPO / "NOTICE").read_text(encoding="utf-8")
    for path in DATA.glob("*.txt"):
        if path.name.startswith("LICENSE"):
            continue
        assert path.name in notice, f"NOTICE does not say whose {path.name} is"
    assert "Apache Lucene" in notice and "The Apache Software Foundation" in notice
    assert "searchlib/seeds" in notice
