"""Split Indonesian text into word tokens whose offsets point into the original text.

Indonesian writes plurals and many adverbs as hyphenated reduplications (``perusahaan-perusahaan``,
``bersama-sama``, ``sayur-mayur``); they are one word and stay one token. Other hyphenated
compounds (``Asia-Pasifik``, ``Jepang-Korea-AS``, ``1910-1945``, ``Kyung-wha``) are split into
their parts. Numbers keep their inner separators (``80.000``, ``57,8``, ``1/2``, ``14/01/20``).

>>> [t.text for t in IndonesianTokenizer()("Perusahaan-perusahaan Asia-Pasifik, 80.000 orang.")]
['Perusahaan-perusahaan', 'Asia', 'Pasifik', '80.000', 'orang']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer

__all__ = ["IndonesianTokenizer", "is_reduplication", "word_spans", "words"]

# Hyphen-minus, Unicode hyphen and non-breaking hyphen join reduplications; dashes never do.
_HYPHENS = "-\u2010\u2011"

# A number whose digit groups are joined by ``.``, ``,`` or ``/``: thousands (80.000), decimals
# (57,8), fractions (1/2) and dates (14/01/20) are one searchable token each. Not when a letter
# follows (``2.5G``): then the parts are split like words.
_NUMBER = r"\d+(?:[.,/]\d+)+(?![^\W_])"
# Letters and digits (``G7``, ``anak2``), combining marks from decomposed text, and
# apostrophes between letters (``Jum'at``, ``Ma’ruf``). Underscore is not part of a word.
_WORD = r"[^\W_]+(?:[\u0300-\u036f]+[^\W_]*|['\u2019][^\W_]+)*"
_PIECE = rf"(?:{_NUMBER}|{_WORD})"
# Pieces joined by a hyphen, allowing the stray space scraping leaves (``sela -sela``); whether
# a joint really joins is decided in Python, where the reduplication test lives.
_JOINT = rf"[ \u00a0]?[{_HYPHENS}][ \u00a0]?"

# Group 1 is only set when a hyphen follows the first piece: the common case skips Python work.
_GROUP_RE = re.compile(rf"{_PIECE}((?:{_JOINT}{_PIECE})+)?")
_PIECE_RE = re.compile(_PIECE)
# The same groups without a capture, for ``findall`` (the indexing path needs no offsets).
_GROUP_TEXT_RE = re.compile(rf"{_PIECE}(?:{_JOINT}{_PIECE})*")
_HYPHEN_RE = re.compile(f"[{_HYPHENS}]")
#: Punctuation that is never part of a token at the edge of a chunk: a word with these around
#: it is the word alone (an edge hyphen, apostrophe or digit separator joins nothing).
EDGE_PUNCTUATION = ".,;:!?\"'()[]{}<>“”‘’«»…/–—-"

# Prefixes of the first half in ``se-X-nya`` / ``ke-X-an`` reduplications (sebaik-baiknya).
_CONFIX_PREFIXES = ("se", "ke", "ber", "ter", "di")
_VOWELS = frozenset("aeiou")


def is_reduplication(first: str, second: str) -> bool:
    """Tell whether ``first-second`` is a reduplicated Indonesian word rather than a compound.

    Covers full (``cara-cara``), affixed (``bersama-sama``, ``anak-anaknya``, ``tarik-menarik``,
    ``sebaik-baiknya``), rhyming (``sayur-mayur``) and vowel-changing (``bolak-balik``) forms.

    >>> is_reduplication("Bersama", "sama"), is_reduplication("Asia", "Pasifik")
    (True, False)
    """
    a = first.lower()
    b = second.lower()
    if not (a.isalpha() and b.isalpha()):
        return False
    if a == b:
        return len(a) >= 2
    la, lb = len(a), len(b)
    # berlari-lari, dimana-mana: the second half is the root, the first adds a prefix.
    if lb >= 3 and a.endswith(b):
        return True
    # anak-anaknya, besar-besaran: the second half adds a suffix.
    if la >= 3 and b.startswith(a):
        return True
    # tarik-menarik, pukul-memukul: meN- replaces the root's first consonant; the length limit
    # keeps Asia-Melanesia out.
    if la >= 4 and b.startswith("me") and 2 <= lb - la <= 3 and b.endswith(a[1:]):
        return True
    # sebaik-baiknya, kemerah-merahan: a confix around a shared root.
    for prefix in _CONFIX_PREFIXES:
        root = a[len(prefix) :]
        if a.startswith(prefix) and len(root) >= 3 and b.startswith(root) and lb > len(root):
            return True
    if la == lb >= 4:
        # sayur-mayur, lauk-pauk: only the first consonant changes.
        if a[1:] == b[1:]:
            return True
        # bolak-balik, warna-warni, mondar-mandir: only vowels change.
        return all(x == y or (x in _VOWELS and y in _VOWELS) for x, y in zip(a, b, strict=True))
    return False


def _joins(joint: str) -> bool:
    """A joint may glue a reduplication unless it is a spaced dash (``kata - kata``)."""
    return not (joint[0].isspace() and joint[-1].isspace())


class IndonesianTokenizer(Tokenizer):
    """Yield word, number and reduplication tokens with offsets into the original text.

    ``token.text`` and ``token.original`` are the written form ``text[startchar:endchar]``;
    a reduplication with a stray space (``sela -sela``) spans both halves and the space.

    >>> [(t.text, t.startchar) for t in IndonesianTokenizer()("di sela -sela KTT", chars=True)]
    [('di', 0), ('sela -sela', 3), ('KTT', 14)]
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        # Whoosh passes extra keywords (e.g. ``nomorph``) meant for other components; they are
        # not Token attributes, so they are not forwarded.
        t = Token(positions, chars, removestops=removestops, mode=mode)
        if not tokenize:
            t.original = t.text = value
            t.pos = start_pos
            t.startchar = start_char
            t.endchar = start_char + len(value)
            yield t
            return
        pos = start_pos
        for start, end in word_spans(value):
            t.original = t.text = value[start:end]
            t.stopped = False
            t.boost = 1.0
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


def word_spans(value: str) -> Iterator[tuple[int, int]]:
    """The ``(start, end)`` offsets of the tokens :class:`IndonesianTokenizer` yields.

    >>> t = "Asia-Pasifik cara-cara"
    >>> [t[s:e] for s, e in word_spans(t)]
    ['Asia', 'Pasifik', 'cara-cara']
    """
    for match in _GROUP_RE.finditer(value):
        if match.start(1) < 0:
            yield match.span()
        else:
            yield from _split_group(value, *match.span())


def words(value: str) -> list[str]:
    """The written forms of the tokens :class:`IndonesianTokenizer` yields, without offsets.

    The indexing path needs no offsets; one ``findall`` is several times cheaper than
    building a match object per word.

    >>> words("Perusahaan-perusahaan Asia-Pasifik, 80.000 orang.")
    ['Perusahaan-perusahaan', 'Asia', 'Pasifik', '80.000', 'orang']
    """
    # Only a joint (a hyphen with maybe one space beside it) glues text across a space, so the
    # text is read a space-separated piece at a time: a piece of letters and digits alone
    # (``[^\W_]+`` is what ``isalnum`` tests), perhaps inside edge punctuation, is one word,
    # as most pieces of running text are. The few spaces beside a hyphen are found first, and
    # the pieces on both sides of each are tokenized together.
    pieces = value.split(" ")
    glued = sorted(_glued_spaces(value))
    out: list[str] = []
    start = 0
    i = 0
    while i < len(glued):
        first = last = glued[i]  # the space after piece ``first`` is in a joint
        while i < len(glued) and glued[i] <= last + 1:
            last = glued[i]
            i += 1
        _plain_words(pieces[start:first], out)
        out += _group_words(" ".join(pieces[first : last + 2]))
        start = last + 2
    _plain_words(pieces[start:], out)
    return out


def _glued_spaces(value: str) -> set[int]:
    """The spaces beside a hyphen, each as the number of spaces before it in ``value``."""
    found: set[int] = set()
    for hyphen in _HYPHENS:
        at = value.find(hyphen)
        while at >= 0:
            if at and value[at - 1] == " ":
                found.add(value.count(" ", 0, at - 1))
            if value.startswith(" ", at + 1):
                found.add(value.count(" ", 0, at + 1))
            at = value.find(hyphen, at + 1)
    return found


def _plain_words(pieces: list[str], out: list[str]) -> None:
    """Add the words of ``pieces`` (no joint crosses the spaces between them) to ``out``."""
    append = out.append
    for piece in pieces:
        if piece.isalnum():
            append(piece)
        elif piece:
            core = piece.strip(EDGE_PUNCTUATION)  # ``kata,`` ``(NU)`` ``ikan.``: one word
            if core.isalnum():
                append(core)
            elif core:
                out += _group_words(piece)


def _group_words(value: str) -> list[str]:
    """:func:`words` by the pattern: the groups, and the words of each hyphenated group."""
    found = _GROUP_TEXT_RE.findall(value)
    if _HYPHEN_RE.search(value) is None:
        return found
    out: list[str] = []
    for group in found:
        if group.isalnum() or _HYPHEN_RE.search(group) is None:
            out.append(group)
        else:
            out.extend(group[s:e] for s, e in _split_group(group, 0, len(group)))
    return out


def _split_group(value: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Spans of the tokens in a hyphenated group: reduplications whole, compounds in parts."""
    pieces = [m.span() for m in _PIECE_RE.finditer(value, start, end)]
    i = 0
    while i < len(pieces):
        s1, e1 = pieces[i]
        if i + 1 < len(pieces):
            s2, e2 = pieces[i + 1]
            if _joins(value[e1:s2]) and is_reduplication(value[s1:e1], value[s2:e2]):
                yield s1, e2
                i += 2
                continue
        yield s1, e1
        i += 1
