"""Word lists the analysis filters read: stopwords, acronyms, spelling variants, exceptions.

Every list is a plain UTF-8 text file in ``searchlib/analysis/data/`` with a ``#`` header naming
its source and licence, so users can read, review and extend them. Each loader parses its file
once, on first use, and caches the result at module level: importing the package reads nothing,
and analyzers hold no tables of their own (they pickle small).

>>> "yang" in stopwords()
True
>>> acronyms().get("pbb")
'Perserikatan Bangsa-Bangsa'
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import NamedTuple

__all__ = [
    "AcronymTable",
    "OldSpellingExceptions",
    "acronyms",
    "case_sensitive_acronyms",
    "list_entries",
    "old_spelling_exceptions",
    "parse_acronym_key",
    "paused_gc",
    "read_lines",
    "read_rows",
    "stopwords",
    "variants",
]

# Marks an acronym that is also an ordinary word (``AS``/``as``, ``DI``/``di``): it only
# expands when written exactly as listed or in capitals.
CASE_SENSITIVE_MARK = "="


def read_lines(name: str) -> Iterator[str]:
    """Yield the non-blank, non-comment lines of the data file ``name``, stripped.

    >>> next(read_lines("stopwords-tala.txt"))
    'ada'
    """
    text = (resources.files(__package__) / "data" / name).read_text(encoding="utf-8")
    # Comprehensions, not a generator loop: the word lists load at start-up.
    stripped = [line.strip() for line in text.splitlines()]
    lines = [line for line in stripped if line and line[0] != "#"]
    # What the analyzer fingerprint hashes of this list, kept so that it need not read the
    # list again (about 0.6 MB for all lists; most are read at start-up anyway).
    _ENTRIES[name] = ("\n".join(lines) + "\n").encode() if lines else b""
    return iter(lines)


#: Each data file read so far -> its entries as :func:`list_entries` gives them.
_ENTRIES: dict[str, bytes] = {}


def list_entries(name: str) -> bytes:
    """The entries of the data file ``name`` as UTF-8, one per line (``\\n`` after each), or
    empty bytes for a list without entries: what decides tokens, without the header comments,
    blank lines and line endings that do not. Read once per process (see :func:`read_lines`).

    >>> list_entries("stopwords-tala.txt").split(b"\\n")[0]
    b'ada'
    """
    if name not in _ENTRIES:
        read_lines(name)  # keeps the entries as it reads them
    return _ENTRIES[name]


def read_rows(name: str, *, missing_ok: bool = False) -> list[list[str]]:
    """The tab-separated fields of each line of ``name`` (see :func:`read_lines`).

    ``missing_ok`` returns no rows for a list an embedder may remove (the LGPL root
    dictionary), instead of raising.

    >>> read_rows("roots-id.txt")[0][1].isdigit()
    True
    >>> read_rows("no-such-list.txt", missing_ok=True)
    []
    """
    try:
        return [line.split("\t") for line in read_lines(name)]
    except FileNotFoundError:
        if missing_ok:
            return []
        raise


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored after, if it was on).

    For loaders that build tens of thousands of small tuples at once: each few hundred new
    containers would start a collection that walks them again, which tripled the time to
    load the root dictionary. Nothing made there is garbage.

    >>> with paused_gc():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@cache
def stopwords() -> frozenset[str]:
    """The Tala stopword list (lowercase, ASCII)."""
    return frozenset(read_lines("stopwords-tala.txt"))


class AcronymTable(NamedTuple):
    """Acronym expansions split by how the acronym must be written to expand.

    ``any_case`` is keyed by the lowercased acronym; ``exact_case`` by the written form
    (the listed spelling and its all-capitals form). Expansions are as written in the file.
    """

    any_case: dict[str, str]
    exact_case: dict[str, str]


def parse_acronym_key(key: str) -> tuple[str, bool]:
    """Split a written key into ``(acronym, case_sensitive)``.

    >>> parse_acronym_key("=AS")
    ('AS', True)
    >>> parse_acronym_key("PBB")
    ('PBB', False)
    """
    if key.startswith(CASE_SENSITIVE_MARK):
        return key[len(CASE_SENSITIVE_MARK) :], True
    return key, False


@cache
def _acronym_table() -> AcronymTable:
    any_case: dict[str, str] = {}
    exact_case: dict[str, str] = {}
    for line in read_lines("acronyms.txt"):
        key, _, expansion = line.partition("\t")
        acronym, case_sensitive = parse_acronym_key(key.strip())
        expansion = expansion.strip()
        if not acronym or not expansion:
            continue
        if case_sensitive:
            exact_case[acronym] = exact_case[acronym.upper()] = expansion
        else:
            any_case[acronym.lower()] = expansion
    return AcronymTable(any_case, exact_case)


def acronyms() -> dict[str, str]:
    """Acronyms that expand however they are written, keyed lowercase."""
    return _acronym_table().any_case


def case_sensitive_acronyms() -> dict[str, str]:
    """Acronyms that are also ordinary words, keyed by their exact written forms.

    >>> "AS" in case_sensitive_acronyms(), "as" in case_sensitive_acronyms()
    (True, False)
    """
    return _acronym_table().exact_case


@cache
def variants() -> dict[str, str]:
    """Spelling variant -> the spelling searchlib indexes (its first spelling in the file).

    >>> variants()["praktek"]
    'praktik'
    """
    table: dict[str, str] = {}
    for line in read_lines("variants.txt"):
        canonical, *others = line.lower().split()
        for other in others:
            table[other] = canonical
    return table


class OldSpellingExceptions(NamedTuple):
    """Words the old-spelling filter must leave alone: whole words and word prefixes."""

    words: frozenset[str]
    prefixes: tuple[str, ...]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self.words or word.startswith(self.prefixes))


@cache
def old_spelling_exceptions() -> OldSpellingExceptions:
    """Exceptions to old-spelling folding; an entry ending in ``*`` covers every word it starts.

    >>> "koefisiennya" in old_spelling_exceptions()
    True
    """
    words: set[str] = set()
    prefixes: list[str] = []
    for line in read_lines("old-spelling-exceptions.txt"):
        entry = line.split()[0].lower()
        if entry.endswith("*"):
            prefixes.append(entry[:-1])
        else:
            words.add(entry)
    return OldSpellingExceptions(frozenset(words), tuple(prefixes))
