"""Build ``searchlib/analysis/data/roots-id.txt`` from the permissively licensed corpora.

Sources (see ``../shared/data/README.md``):

* ``facqa/corpus.tsv``  -- IndoNLU FacQA passages, Apache-2.0
* ``indosum/docs.jsonl`` -- IndoSum news articles, CC BY-SA 4.0

The output is a frequency list of attested word forms, so it is a derived work of
CC BY-SA 4.0 material and is shipped under CC BY-SA 4.0 (commercial use allowed,
attribution and share-alike apply to the list itself, not to code that reads it).

Run from the repository root::

    .venv/bin/python tools/build_lexicon.py
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT_DIR))  # run from a checkout without installing

from searchlib.analysis.stemmer import Analysis, _analyses  # noqa: E402

ROOT = ROOT_DIR
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "searchlib" / "analysis" / "data" / "roots-id.txt"

# Forms seen fewer times are mostly typos, names and run-together tokens.
MIN_FREQ = 3
# Distinct attested derived forms needed to admit an unattested root.
MIN_FAMILY = 3
# Corpus count from which a derived form counts as an attested intermediate base.
MIN_BASE = 3
TOKEN = re.compile(r"[a-z]+")


def fold(text: str) -> str:
    """Lowercase and strip diacritics, as the analyzer does before stemming."""
    text = unicodedata.normalize("NFKD", text.lower())
    return text.encode("ascii", "ignore").decode("ascii")


def corpus_texts(data: Path):
    """Yield the raw texts of both corpora."""
    with open(data / "facqa" / "corpus.tsv", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t", 1)
            if len(parts) == 2:
                yield parts[1]
    with open(data / "indosum" / "docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)["text"]


def root_families(counts: Counter[str]) -> Counter[str]:
    """Count, for each candidate root, the attested derived forms that support it.

    Paradigm support: a root that never occurs alone (kucur) is still a root if
    several attested derived forms (dikucurkan, kucuran) reduce to it.  A form is
    credited only to the roots it derives from *directly*: when it also derives
    from an attested prefixed word that itself reduces to the root, that word is
    the form's base and takes the credit instead.  Otherwise every form built on
    a lexicalised prefixed word (``membersihkan``, ``kebersihan`` on ``bersih``)
    would also vouch for the spurious remainder (``sih``), which then looks as
    well supported as a real root.  Only prefixed bases block: suffixed ones
    (``hubungan`` inside ``berhubungan``) are mostly real derivations of the root.
    """
    analyses: dict[str, dict[str, Analysis]] = {}

    def analyse(word: str) -> dict[str, Analysis]:
        if word not in analyses:
            analyses[word] = _analyses(word)
        return analyses[word]

    family: Counter[str] = Counter()
    for w, c in counts.items():
        if c < 2 or len(w) < 5:
            continue
        an = analyse(w)
        # Attested prefixed words inside w (bersih in membersihkan): candidate bases.
        bases = [x for x, a in an.items() if x != w and a[1] and counts[x] >= MIN_BASE]
        for root, (_nclit, nder, ok, via_se, _deriv, _clit, _listed) in an.items():
            # se- forms are too often lexicalised (sekolah) to vouch for a root;
            # clitic-only forms (rumahnya) show that a word occurs, not a derivation.
            if not ok or via_se or root == w or len(root) < 3 or not nder:
                continue
            if any(_derives_by_prefix(analyse(x).get(root)) for x in bases if x != root):
                continue
            family[root] += 1
    return family


def _derives_by_prefix(analysis: Analysis | None) -> bool:
    """Whether an analysis exists and removes prefixes only (ber-sih, ke-nang)."""
    return analysis is not None and analysis[1] > 0 and not analysis[4]


def main() -> int:
    if not DATA.is_dir():
        print(f"corpus directory {DATA} not found; cannot build the lexicon", file=sys.stderr)
        return 1
    counts: Counter[str] = Counter()
    for text in corpus_texts(DATA):
        # Hyphenated reduplications (kapal-kapal) split into their parts here.
        counts.update(TOKEN.findall(fold(text)))
    family = root_families(counts)
    words = sorted(
        w
        for w in set(counts) | set(family)
        if len(w) >= 2 and (counts[w] >= MIN_FREQ or family[w] >= MIN_FAMILY)
    )
    header = [
        "# Indonesian word forms: word<TAB>corpus count<TAB>number of attested derived forms",
        "# that reduce to the word directly (not through an attested prefixed word).",
        "# Source: IndoNLU FacQA corpus (Apache-2.0, github.com/IndoNLP/indonlu) and",
        "# IndoSum news articles (CC BY-SA 4.0, github.com/kata-ai/indosum).",
        "# Licence of this list: CC BY-SA 4.0. Built by tools/build_lexicon.py",
        f"# (lowercased, ASCII-folded, alphabetic tokens seen >= {MIN_FREQ} times).",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(header) + "\n")
        for w in words:
            fh.write(f"{w}\t{counts[w]}\t{family[w]}\n")
    print(f"wrote {len(words)} words ({sum(counts.values())} tokens) to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
