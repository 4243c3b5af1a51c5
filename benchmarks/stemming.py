"""Compare searchlib's stemmer with Snowball (PyStemmer) and PySastrawi.

For every ``word<TAB>expected`` file in ``../shared/data/stemming`` it prints the
accuracy and the speed (median words/s over several runs) of each stemmer, plus a
throughput run on a realistic token stream (all tokens of ``indosum/docs.jsonl``).
PyStemmer and PySastrawi are optional benchmark-only extras::

    .venv/bin/pip install PyStemmer PySastrawi
    .venv/bin/python benchmarks/stemming.py
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
RUNS = 5

sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from searchlib.analysis import stemmer as searchlib_stemmer  # noqa: E402


def stemmers() -> dict[str, tuple[Callable[[str], str], Callable[[], None]]]:
    """Name -> (stem function, cache reset) for every stemmer available."""
    mod = searchlib_stemmer
    mod.stem("warmup")  # load the lexicon outside the timed region
    out = {
        "searchlib (cached)": (mod.cached_stem, mod.cached_stem.cache_clear),
        "searchlib (uncached)": (mod.stem, lambda: None),
    }
    try:
        import Stemmer

        snow = Stemmer.Stemmer("indonesian")
        snow.maxCacheSize = 0
        out["snowball"] = (snow.stemWord, lambda: None)
    except ImportError:
        print("PyStemmer not installed: skipping Snowball", file=sys.stderr)
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        sas = StemmerFactory().create_stemmer(False)  # no cache: fair comparison
        out["sastrawi"] = (sas.stem, lambda: None)
    except ImportError:
        print("PySastrawi not installed: skipping Sastrawi", file=sys.stderr)
    return out


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """Read ``word<TAB>expected`` lines, skipping ``#`` comments."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "\t" in line:
            word, gold = line.split("\t")[:2]
            pairs.append((word, gold))
    return pairs


def speed(fn: Callable[[str], str], reset: Callable[[], None], words: list[str]) -> float:
    """Median words/s over RUNS passes; caches are warm after the first pass."""
    rates = []
    fn(words[0])
    for _ in range(RUNS):
        start = time.perf_counter()
        for w in words:
            fn(w)
        rates.append(len(words) / (time.perf_counter() - start))
    reset()
    return statistics.median(rates)


def corpus_tokens(limit: int) -> list[str]:
    """Lowercased, ASCII-folded word tokens of the IndoSum articles, in order."""
    tokens: list[str] = []
    with open(DATA / "indosum" / "docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            text = unicodedata.normalize("NFKD", json.loads(line)["text"].lower())
            tokens.extend(re.findall(r"[a-z]+", text.encode("ascii", "ignore").decode()))
            if len(tokens) >= limit:
                break
    return tokens[:limit]


def main() -> int:
    if not (DATA / "stemming").is_dir():
        print(f"evaluation data not found at {DATA}/stemming (expected ../shared/data)")
        return 1
    impls = stemmers()
    names = list(impls)
    print(f"{'file':28} {'pairs':>6} " + " ".join(f"{n:>22}" for n in names))
    for path in sorted((DATA / "stemming").glob("*.tsv")):
        pairs = read_pairs(path)
        words = [w for w, _ in pairs]
        cells = []
        for name in names:
            fn, reset = impls[name]
            reset()
            acc = sum(fn(w) == g for w, g in pairs) / len(pairs)
            rate = speed(fn, reset, words)
            cells.append(f"{acc:.3f} @ {rate / 1000:7.0f}k/s")
        print(f"{path.name:28} {len(pairs):6d} " + " ".join(f"{c:>22}" for c in cells))
    tokens = corpus_tokens(2_000_000)
    cells = []
    for name in names:
        fn, reset = impls[name]
        reset()
        runs = []
        for _ in range(3):
            reset()  # cold cache each run: the figure includes filling it
            start = time.perf_counter()
            for w in tokens:
                fn(w)
            runs.append(len(tokens) / (time.perf_counter() - start))
        cells.append(f"{statistics.median(runs) / 1000:7.0f}k/s")
    label = f"indosum tokens ({len(tokens)})"
    print(f"{label:28} {'':>6} " + " ".join(f"{c:>22}" for c in cells))
    print(f"(accuracy @ median words/s of {RUNS} runs; token stream: median of 3 cold-cache runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
