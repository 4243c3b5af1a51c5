"""Build ``searchlib/analysis/data/roots-dictionary-id.txt`` from the hunspell-id dictionary.

Source: the Indonesian spelling dictionary of LibreOffice (``id_ID.dic``/``id_ID.aff``,
Copyright (C) 2017 Ali Ahmadi, after Benitius Brevoort's myspell dictionary), as
packaged by Debian in ``hunspell-id`` 1:7.5.0-1 under LGPL-3.  Get it with::

    apt-get download hunspell-id && dpkg-deb -x hunspell-id_*.deb /tmp/hunspell-id

and run from the repository root::

    .venv/bin/python tools/build_dictionary.py /tmp/hunspell-id/usr/share/hunspell

The dictionary lists some 31,000 headwords, each with hunspell flags naming the affixes
the word takes (``abai/DkMkPaTka0k0``: di-...-kan, me-...-kan, pe-...-an, ter-...-kan,
-an, -kan).  The affix file defines what each flag adds; this script reads it to turn
every flag into the prefix family and derivational suffix the stemmer reasons with,
and writes one line per headword: ``word<TAB>codes``.  A code is two letters, the
prefix family (``_`` none, ``b`` ber-, ``d`` di-, ``k`` ke-, ``m`` meN-, ``p`` peN-/pe-,
``r`` per-, ``s`` se-, ``t`` ter-) and the suffix (``0`` none, ``K`` -kan, ``A`` -an,
``I`` -i); ``!`` marks a headword that never stands alone.  Particles and possessives
(-lah, -nya, -ku) are left out: the stemmer allows them on any word.  Nasal
assimilation (meN- as mem-/men-/meng-/meny-) is the stemmer's business, so only the
family is kept.

The output is a derived work of the LGPL-3 dictionary and is shipped under LGPL-3
(``searchlib/analysis/data/LICENSE-dictionary-id.txt``); it stays a separate data file
that users may replace, which is what the LGPL asks of software that embeds it.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
OUT = ROOT_DIR / "searchlib" / "analysis" / "data" / "roots-dictionary-id.txt"

# First letter of an affix flag -> prefix family (the affix file's own convention:
# "B = ber, T = ter"); O (ku-/kau-), W (we-) and the rare others are not derivation
# the stemmer undoes.
FAMILY = {"B": "b", "D": "d", "K": "k", "M": "m", "P": "p", "R": "r", "S": "s", "T": "t"}
NEEDAFFIX = "!"
WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")

HEADER = """\
# Indonesian headwords and the affixes each takes: word<TAB>codes.
# A code is a prefix family (_ none, b ber-, d di-, k ke-, m meN-, p peN-, r per-, s se-,
# t ter-) and a suffix (0 none, K -kan, A -an, I -i); "!" marks a word never used alone.
# Source: LibreOffice's Indonesian hunspell dictionary (id_ID.dic/.aff, Copyright (C)
# 2017 Ali Ahmadi, after Benitius Brevoort), as packaged by Debian (hunspell-id 1:7.5.0-1).
# Licence of the source and of this list: LGPL-3, see LICENSE-dictionary-id.txt.
# Built by tools/build_dictionary.py; replace or extend it freely.
"""


def suffix_code(add: str) -> str:
    """Map an affix's added letters to the derivational suffix it carries."""
    for text, code in (("kan", "K"), ("an", "A"), ("i", "I")):
        if add.startswith(text):
            return code
    return "0"  # a bare continuation or a clitic (-nya, -lah)


def _flags(text: str) -> list[str]:
    """Split a run of two-letter hunspell flags (``FLAG long``)."""
    return [text[i : i + 2] for i in range(0, len(text), 2)]


def read_affixes(aff: Path) -> tuple[dict[str, set[str]], str | None]:
    """Return flag -> codes for every affix flag, and the NEEDAFFIX flag.

    A prefix flag gives ``family + "0"``.  A suffix flag gives its suffix, with the
    family of the prefix its continuation names when it is the second half of a
    circumfix (``Dk``: ``kan/D1A1``, di-...-kan), or ``_`` when it stands alone.
    """
    lines = aff.read_text(encoding="latin-1").splitlines()
    prefixes: dict[str, str] = {}
    suffixes: dict[str, set[tuple[str, frozenset[str]]]] = defaultdict(set)
    needaffix = None
    for line in lines:
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        if parts[0] == "NEEDAFFIX" and len(parts) > 1:
            needaffix = parts[1]
        if parts[0] not in ("PFX", "SFX") or len(parts) < 5:
            continue  # a header ("PFX B0 Y 2") has four fields
        kind, flag, _strip, add = parts[:4]
        add, _, cont = add.partition("/")
        add = "" if add == "0" else add
        if kind == "PFX":
            prefixes[flag] = FAMILY.get(flag[0], "")
        else:
            suffixes[flag].add((suffix_code(add), frozenset(_flags(cont))))
    codes: dict[str, set[str]] = {flag: {fam + "0"} for flag, fam in prefixes.items() if fam}
    for flag, variants in suffixes.items():
        out = set()
        for suf, conts in variants:
            fams = {prefixes.get(c, "") for c in conts} - {""}
            out |= {fam + suf for fam in fams} if fams else {"_" + suf}
        # A suffix that is only a clitic ("_0") licenses nothing beyond the word.
        out.discard("_0")
        if out:
            codes[flag] = out
    return codes, needaffix


def build(dic: Path, aff: Path) -> dict[str, set[str]]:
    """Return headword -> set of codes."""
    codes, needaffix = read_affixes(aff)
    words: dict[str, set[str]] = defaultdict(set)
    lines = dic.read_text(encoding="latin-1").splitlines()[1:]  # first line: count
    for line in lines:
        word, _, flags = line.strip().partition("/")
        word = word.lower()
        if not WORD.fullmatch(word):
            continue
        entry = words[word]
        for flag in _flags(flags):
            if flag == needaffix:
                entry.add(NEEDAFFIX)
            else:
                entry.update(codes.get(flag, ()))
    return words


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("hunspell_dir", type=Path, help="folder holding id_ID.dic and id_ID.aff")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    dic, aff = args.hunspell_dir / "id_ID.dic", args.hunspell_dir / "id_ID.aff"
    if not (dic.is_file() and aff.is_file()):
        print(f"id_ID.dic/id_ID.aff not found in {args.hunspell_dir}", file=sys.stderr)
        return 2
    words = build(dic, aff)
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(HEADER)
        for word in sorted(words):
            # "!" sorts first, so the two-letter codes stay aligned after it.
            fh.write(f"{word}\t{''.join(sorted(words[word]))}\n")
    print(f"{len(words)} headwords -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
