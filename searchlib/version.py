"""Versions: the package's, and a fingerprint of the analyzer that built an index.

An index is only searchable with the analyzer that built it: a changed stemmer or acronym list
would make queries analyse differently from the indexed text. The fingerprint is a hash of every
file in ``searchlib/analysis`` (code and word lists), so any change to analysis is detected
without anyone having to remember to bump a number.

>>> name, fingerprint = analyzer_fingerprint()
>>> name
'IndonesianAnalyzer'
>>> len(fingerprint)
16
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

__version__ = "0.1.0"

ANALYZER_NAME = "IndonesianAnalyzer"


@cache
def analyzer_fingerprint() -> tuple[str, str]:
    """``(analyzer name, 16-hex-digit hash of the analysis package's files)``."""
    digest = hashlib.sha256()
    root = resources.files("searchlib") / "analysis"
    for path in sorted(_walk(root), key=lambda item: item[0]):
        name, data = path
        digest.update(name.encode())
        digest.update(data)
    return ANALYZER_NAME, digest.hexdigest()[:16]


def _walk(node, prefix: str = ""):  # type: ignore[no-untyped-def]
    for child in node.iterdir():
        name = f"{prefix}/{child.name}"
        if child.is_dir():
            if child.name != "__pycache__":
                yield from _walk(child, name)
        elif child.name.endswith((".py", ".txt", ".tsv")):
            # Line endings are normalised so a checkout on another OS has the same fingerprint.
            yield name, child.read_bytes().replace(b"\r\n", b"\n")
