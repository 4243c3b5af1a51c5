"""Would a permissively licensed transliterator fold text as Unidecode does?

searchlib folds every token that is not plain ASCII with Unidecode (GPL-2.0-or-later) in
:func:`searchlib.analysis.filters.fold`, the only place it is used. This script tokenises the
seed articles, the IndoSum articles and the FacQA passages with searchlib's tokenizer, folds
every distinct token that needs folding with Unidecode and with each alternative the same way
``fold`` does, and counts the tokens (and their occurrences) whose folded form would change:
any change alters what the index holds, so a swap needs none.

Alternatives: ``anyascii`` (ISC) and ``text-unidecode`` (Artistic License 1.0 or GPL, a
port of an older Unidecode table). Install them where this script can import them first::

    pip install --target /tmp/foldlibs anyascii text-unidecode
    PYTHONPATH=/tmp/foldlibs python benchmarks/folding.py
"""

from __future__ import annotations

import collections
import importlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from searchlib.analysis import filters  # noqa: E402
from searchlib.analysis.tokenizer import IndonesianTokenizer  # noqa: E402

DATA = REPO.parent / "shared" / "data"


def texts() -> Iterator[tuple[str, str]]:
    for path in sorted((REPO / "seeds").glob("*.txt")):
        yield "seeds", path.read_text(encoding="utf-8")
    for line in (DATA / "indosum" / "docs.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        yield "indosum", record.get("text", "")
    for line in (DATA / "facqa" / "corpus.tsv").open(encoding="utf-8"):
        yield "facqa", line.split("\t", 1)[-1]


def folder(transliterate: Callable[[str], str]) -> Callable[[str], str]:
    """``filters.fold`` with another transliterator."""

    def fold(text: str) -> str:
        if not text.isascii():
            text = transliterate(text)
        if text.isalnum():
            return text
        return filters._NOT_TOKEN_CHARS.sub("", text).strip("./,-")

    return fold


def main() -> None:
    tokenizer = IndonesianTokenizer()
    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for corpus, text in texts():
        for token in tokenizer(text):
            word = token.text
            if not (word.isascii() and word.isalnum()):
                counts[corpus][word] += 1
    alternatives = {}
    for module, function in (("anyascii", "anyascii"), ("text_unidecode", "unidecode")):
        try:
            alternatives[module] = folder(getattr(importlib.import_module(module), function))
        except ImportError:
            print(f"{module}: not installed, skipped")
    for corpus, counter in counts.items():
        non_ascii = {w: n for w, n in counter.items() if not w.isascii()}
        print(
            f"{corpus}: {len(counter):,} distinct tokens need folding "
            f"({len(non_ascii):,} not ASCII, {sum(non_ascii.values()):,} occurrences)"
        )
        for name, fold in alternatives.items():
            changed = {w: n for w, n in non_ascii.items() if fold(w) != filters.fold(w)}
            examples = sorted(changed, key=lambda w: -changed[w])[:6]
            shown = ", ".join(f"{w!r}: {filters.fold(w)!r} -> {fold(w)!r}" for w in examples)
            print(
                f"  {name}: {len(changed):,} distinct tokens fold differently "
                f"({sum(changed.values()):,} occurrences){': ' + shown if shown else ''}"
            )


if __name__ == "__main__":
    main()
