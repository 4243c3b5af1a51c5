"""Which analysis built an index: a fingerprint of what decides tokens.

An index is only searchable with the analysis that built it: a changed stemmer or acronym list
would make queries analyse differently from the indexed text. The fingerprint hashes what
decides tokens, not where the code lives:

- ``ANALYZER_VERSION``, bumped by hand when a rule of the analysis changes on purpose;
- the entries of the shipped word lists (``analysis/data``: lexicon, dictionary, stopwords,
  acronyms, variants...; not their header comments), so a changed list is detected without
  anyone remembering to bump;
- the tokens the stemming and the exact-form analyzers make of a fixed probe text that touches
  every phenomenon, so a rule changed without a bump is caught too.

Moving, renaming or commenting code changes none of these, so a refactor never forces a
reindex.

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

from searchlib.analysis.analyzer import IndonesianAnalyzer
from searchlib.analysis.resources import list_entries

ANALYZER_NAME = "IndonesianAnalyzer"
# Bump when the analysis changes in a way the probe text below might not show.
ANALYZER_VERSION = 1

# One sentence per phenomenon: affixes and clitics, reduplication (joined and broken), acronyms
# (case-aware), old spelling, variants, numbers and dates, scrape repairs, stopwords, folding.
PROBE_TEXT = (
    "Menteri Pertahanan Jepang mengunjungi Seoul; kunjungannya dirinya dipertanyakan. "
    "Perusahaan-perusahaan, sela -sela, anak2, cara-caranya dan bolak-balik. "
    "Menlu AS bertemu Menlu Korsel, PBB, KTT, KPK dan as roda; Korut dan it. "
    "Soekarno, Djakarta, tjinta, achir, Njonja; praktek, mempraktekkan, aktifitas. "
    "Jumat (6/8), (14/01/20), 80.000 orang, 57,8 persen, 1/2 harga. "
    "perundingan.Menteri café naïve Ñandú. Siapakah yang datang? bekerjasama, mengesampingkan."
)


@cache
def analyzer_fingerprint() -> tuple[str, str]:
    """``(analyzer name, 16-hex-digit hash of what decides the analyzer's tokens)``."""
    # The probe first: analysing it loads the lists it needs, and their entries are then hashed
    # without reading them again. The hash is fed in the same order as before (lists, probe).
    probe = [
        f"{token.text}\t{token.pos}\t{token.startchar}\n".encode()
        for analyzer in (IndonesianAnalyzer(), IndonesianAnalyzer(stem=False, stopwords=False))
        for token in analyzer(PROBE_TEXT, positions=True, chars=True, mode="index")
    ]
    digest = hashlib.sha256()
    digest.update(f"{ANALYZER_NAME}:{ANALYZER_VERSION}\n".encode())
    data = resources.files("searchlib.analysis") / "data"
    names = sorted(c.name for c in data.iterdir() if c.name.endswith((".txt", ".tsv")))
    for name in names:
        if not name.startswith("LICENSE"):
            # The entries as the loaders read them: a header comment or a blank line changes no
            # token, and line endings differ between checkouts on different systems.
            digest.update(name.encode() + b"\n")
            digest.update(list_entries(name))  # one update per list: as a line at a time
    for line in probe:
        digest.update(line)
    return ANALYZER_NAME, digest.hexdigest()[:16]


# Fingerprints recorded by releases that hashed the analysis code's bytes, keyed by the
# fingerprint of today's analysis that made exactly the same tokens. Keyed so that an old index
# is accepted only while the analysis is still that one: any change gives a new current
# fingerprint, which has no entry here, and old indexes are then refused as they should be.
_SAME_ANALYSIS = {"72269995047d6a0b": frozenset({"378e01424d489ee4"})}  # 0.1.0


def fingerprint_matches(recorded: object) -> bool:
    """Whether an index whose manifest records ``recorded`` was built by this analysis.

    >>> fingerprint_matches(analyzer_fingerprint()[1]), fingerprint_matches("0" * 16)
    (True, False)
    """
    current = analyzer_fingerprint()[1]
    return recorded == current or recorded in _SAME_ANALYSIS.get(current, ())
