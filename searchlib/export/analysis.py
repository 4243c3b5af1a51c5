"""searchlib's Indonesian analysis rebuilt from stock OpenSearch / Elasticsearch components.

:func:`analysis_settings` is the ``settings.index.analysis`` section of an index (char filters,
tokenizer, token filters, analyzers) and :func:`rules_files` the word lists it reads. No plugin
is needed: every component is one both engines ship (``pattern_replace``, ``pattern``,
``asciifolding``, ``synonym_graph``, ``lowercase``, ``stop``, ``keyword_marker``,
``stemmer_override``, ``stemmer``), and each maps to a Lucene factory, so the analysis can be
checked against Lucene itself (``benchmarks/lucene/Analyze.java``,
``tests/export/test_lucene_parity.py``). Two analyzers:

- ``searchlib_indonesian``: :class:`~searchlib.analysis.IndonesianAnalyzer` (the stemmed
  ``title``/``body`` fields): stopwords out, stems in;
- ``searchlib_written``: ``IndonesianAnalyzer(stem=False, stopwords=False)`` (the written-form
  fields): folded, lowercased, acronyms expanded, old spelling and variants folded.

How each phenomenon is carried over:

- Reduplication (``perusahaan-perusahaan``, ``sela -sela``, ``bolak-balik``) is decided by
  one ``pattern_replace`` char filter holding :func:`~searchlib.analysis.is_reduplication` as
  a regular expression (back-references); it keeps the first half. ``anak2`` is a second one.
- The tokenizer is a ``pattern`` tokenizer with searchlib's own word and number expressions
  (``80.000``, ``57,8``, ``1/2`` and ``Jum'at`` are one token, ``Asia-Pasifik`` two).
- Folding is a ``mapping`` char filter transliterating letters as searchlib's unidecode does
  (Greek, Cyrillic, CJK, ``ß``, ``º``: ``searchlib/folding.txt``), ``asciifolding``,
  and a ``pattern_replace`` dropping apostrophes and combining marks.
- Acronyms are two ``synonym_graph`` filters: one case-sensitive before ``lowercase`` (``AS``,
  ``DI``, ``PM``: only in capitals, as searchlib does), one for the acronyms that expand
  however they are written.
- Numbers (``80.000`` -> ``80000``) and the old spelling (``oe``, ``dj``, ``tj``, ``sj``,
  ``nj``, with searchlib's exceptions) are ``pattern_replace`` filters; inner ``ch`` -> ``kh``
  and spelling variants, which need the lexicon, are entries of the override rules.
- Stopwords: searchlib closes the gap a removed stopword leaves (a phrase query finds its words
  adjacent), Lucene's ``stop`` filter keeps it. So stopwords inside the text are removed by a
  char filter, before tokenizing; the ones before the first kept word are left to the ``stop``
  filter, whose gap gives that word the position searchlib gives it.
- Stems: ``stemmer_override`` with ``searchlib/stems.txt``, searchlib's own stem for every word
  of its lexicon and root dictionary, the affixed forms the dictionary's codes license, their
  ``-nya`` forms, ``root-an`` nouns, and old and variant spellings (about 178,000 rules; making
  them stems each word once, some 20 s of CPU on the first call). Words outside the rules are
  left as written by default (``unknown_words="keep"``); ``"stem"`` sends them to Lucene's
  ``indonesian`` (Tala) stemmer instead, which agreed less often with searchlib: 99.64% of
  IndoSum's (term, position) pairs against 99.70%, 98.9% of the seeds' against 100%
  (``benchmarks/results/lucene.md``), as the words left outside are mostly names. Words
  holding anything but letters (``g7``, ``2019``) are never stemmed (``keyword_marker``).
- Acronym expansions replace the acronym (no original kept), so the token graph stays a
  straight line and the index-time ``synonym_graph`` needs no ``flatten_graph``.

The rules files are referenced by relative paths (``searchlib/stems.txt``...); OpenSearch and
Elasticsearch resolve them under the node's config directory (``$OPENSEARCH_PATH_CONF``,
``$ES_PATH_CONF``, e.g. ``/usr/share/opensearch/config/searchlib/stems.txt``), so copy the
folder of :func:`rules_files` there on every node before creating the index.

>>> settings = analysis_settings("opensearch")
>>> sorted(settings["analyzer"])
['searchlib_indonesian', 'searchlib_written']
>>> sorted(rules_files())[:2]
['searchlib/acronyms-exact-written.txt', 'searchlib/acronyms-exact.txt']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import product
from typing import Any, Literal

from searchlib.analysis import IndonesianAnalyzer, resources
from searchlib.analysis.filters import _shared_acronyms, fold, modernize_spelling
from searchlib.errors import OptionError

__all__ = ["analysis_settings", "rules_files"]

Flavour = Literal["opensearch", "elasticsearch"]
UnknownWords = Literal["keep", "stem"]

#: The folder, relative to the node's config directory, that holds the rules files.
RULES_DIR = "searchlib"

STEMMED = "searchlib_indonesian"
WRITTEN = "searchlib_written"

_STEMS = f"{RULES_DIR}/stems.txt"
_WRITTEN_FORMS = f"{RULES_DIR}/written-forms.txt"
_STOPWORDS = f"{RULES_DIR}/stopwords.txt"
_ACRONYMS_EXACT = f"{RULES_DIR}/acronyms-exact.txt"
_ACRONYMS_ANY = f"{RULES_DIR}/acronyms.txt"
_ACRONYMS_EXACT_WRITTEN = f"{RULES_DIR}/acronyms-exact-written.txt"
_ACRONYMS_ANY_WRITTEN = f"{RULES_DIR}/acronyms-written.txt"
_FOLDING = f"{RULES_DIR}/folding.txt"

#: The scripts whose letters the folding char filter transliterates as unidecode does: Latin-1
#: to Latin Extended-B, IPA and modifier letters, Greek, Cyrillic, Latin Extended Additional,
#: Greek Extended, super- and subscripts, letterlike symbols, fullwidth forms, CJK ideographs.
_FOLDED_RANGES = (
    (0x00A0, 0x052F),
    (0x1E00, 0x1FFF),
    (0x2070, 0x214F),
    (0x4E00, 0x9FFF),
    (0xFF00, 0xFFEF),
)

# --- Regular expressions (Java syntax; the tokenizer's are searchlib's own, translated) -------

_HYPHEN = r"[-\u2010\u2011]"
_GAP = r"[ \u00a0]"
# A joint that glues a reduplication: a hyphen with at most one stray space beside it.
_JOINT = rf"(?:{_GAP}{_HYPHEN}|{_HYPHEN}{_GAP}?)"
_WORDCHAR = r"[\p{L}\p{N}]"
_MARKS = r"\u0300-\u036f"
_APOSTROPHES = "'\u2019"
# A piece (the tokenizer's unit) starts here / ends here.
_START = rf"(?<![\p{{L}}\p{{N}}{_MARKS}])(?<![\p{{L}}\p{{N}}][{_APOSTROPHES}])"
_END = rf"(?![\p{{L}}\p{{N}}{_MARKS}])(?![{_APOSTROPHES}]{_WORDCHAR})"
_NUMBER = r"\p{Nd}+(?:[.,/]\p{Nd}+)+(?![\p{L}\p{N}])"
_WORD = rf"{_WORDCHAR}+(?:[{_MARKS}]+{_WORDCHAR}*|[{_APOSTROPHES}]{_WORDCHAR}+)*"
TOKEN_PATTERN = rf"(?:{_NUMBER}|{_WORD})"

# Longest pair of halves the vowel-changing reduplication test covers (bolak-balik: 5).
_VOWEL_CHANGE_MAX = 16


def _reduplication_pattern() -> str:
    """``first<joint>second`` where :func:`~searchlib.analysis.is_reduplication` holds."""
    j, e = _JOINT, _END
    tests = [
        # cara-cara
        rf"(?<a>\p{{L}}{{2,}}){j}\k<a>{e}",
        # berlari-lari: the first half ends with the second
        rf"\p{{L}}*(?<b>\p{{L}}{{3,}}){j}\k<b>{e}",
        # anak-anaknya: the second half starts with the first
        rf"(?<c>\p{{L}}{{3,}}){j}\k<c>\p{{L}}*{e}",
        # tarik-menarik: meN- replaces the first sound
        rf"\p{{L}}(?<d>\p{{L}}{{3,}}){j}me\p{{L}}{{1,2}}\k<d>{e}",
        # sebaik-baiknya: a confix around a shared root
        rf"(?:se|ke|ber|ter|di)(?<f>\p{{L}}{{3,}}){j}\k<f>\p{{L}}+{e}",
        # sayur-mayur: only the first sound changes
        rf"\p{{L}}(?<g>\p{{L}}{{3,}}){j}\p{{L}}\k<g>{e}",
    ]
    # bolak-balik, warna-warni: halves of one length where only vowels differ. A vowel of the
    # first half sets an empty marker group; the second half's letter there is then any vowel,
    # elsewhere the same letter.
    for n in range(4, _VOWEL_CHANGE_MAX + 1):
        first = "".join(rf"(?:(?<v{n}x{i}>)[aeiou]|(?<l{n}x{i}>\p{{L}}))" for i in range(n))
        second = "".join(rf"(?:\k<v{n}x{i}>[aeiou]|\k<l{n}x{i}>)" for i in range(n))
        tests.append(f"{first}{j}{second}{e}")
    alternatives = "|".join(tests)
    return (
        rf"(?iu){_START}(?=\p{{L}}+{j}\p{{L}})(?=(?:{alternatives}))"
        rf"(?<first>\p{{L}}+){j}\p{{L}}+{e}"
    )


# anak2, anak2nya (or paru², which folds to paru2) -> anak, unless written in capitals (PS2,
# ANAK2: more likely a code).
_TWO = "[2\u00b2]"
_TWO_PATTERN = rf"{_START}(?![A-Z]+{_TWO}[A-Z]*{_END})(?<w>[A-Za-z]{{3,}}){_TWO}[A-Za-z]*{_END}"

# 1.250.000 (and 1.250.000,5) -> 1250000: a dot between three-digit groups.
_THOUSANDS_DOT = r"(?<=^\d{1,3}(?:\.\d{3}){0,40})\.(?=\d{3}(?:\.\d{3})*(?:,\d+)?$)"

# Marks an old-spelling exception while the spelling rules run (removed right after).
_KEEP_MARK = "\u0001"
_NOT_MARKED = f"(?!.*{_KEEP_MARK})"
_OLD_CERTAIN = "(?:oe|dj|tj|sj)"
_OLD_RULES = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"))


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# --- What searchlib does, word by word -------------------------------------------------------


def lucene_spelling(word: str) -> str:
    """What the exported old-spelling filters make of a lowercase token (no ``ch`` rule).

    It mirrors the ``searchlib_old_*`` ``pattern_replace`` filters; the override rules are
    keyed by its output, which is what reaches ``stemmer_override``.

    >>> lucene_spelling("mendjadi"), lucene_spelling("koefisien"), lucene_spelling("achir")
    ('menjadi', 'koefisien', 'achir')
    """
    if word in resources.old_spelling_exceptions():
        return word
    if re.search(_OLD_CERTAIN, word):
        word = word.replace("nj", "ny")
    else:
        word = re.sub("^nj", "ny", word)
        word = re.sub("nja$", "nya", word)
    for old, new in _OLD_RULES:
        word = word.replace(old, new)
    return word


_REVERSE_OLD = (("u", "oe"), ("j", "dj"), ("c", "tj"), ("sy", "sj"), ("ny", "nj"), ("kh", "ch"))


def _old_forms(word: str, limit: int = 64) -> Iterator[str]:
    """Spellings of ``word`` in the old orthography (every mix of old and new), ``word`` too."""
    pieces: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        for new, old in _REVERSE_OLD:
            if word.startswith(new, i):
                pieces.append((new, old))
                i += len(new)
                break
        else:
            pieces.append((word[i],))
            i += 1
    count = 1
    for options in pieces:
        count *= len(options)
    if count > limit:
        yield word
        return
    for combo in product(*pieces):
        yield "".join(combo)


@cache
def _analyzers() -> tuple[IndonesianAnalyzer, IndonesianAnalyzer, IndonesianAnalyzer]:
    return (
        IndonesianAnalyzer(),
        IndonesianAnalyzer(stem=False, stopwords=False),
        IndonesianAnalyzer(stem=False, stopwords=False, acronyms=False),
    )


def _outputs(analyzer: IndonesianAnalyzer, word: str) -> tuple[tuple[str, bool], ...]:
    return analyzer._probe(word, False)


def _vocabulary() -> set[str]:
    """Every word of the shipped lexicon, root dictionary and word lists (lowercase), the
    forms the dictionary's affix codes license, and each of them with ``-nya``."""
    words: set[str] = set()
    for name in ("roots-id.txt", "roots-dictionary-id.txt", "stem-roots-extra.txt"):
        words.update(row[0].strip() for row in resources.read_rows(name, missing_ok=True))
    dictionary = resources.read_rows("roots-dictionary-id.txt", missing_ok=True)
    forms, nouns = _derived_forms(
        (row[0].strip(), row[1] if len(row) > 1 else "") for row in dictionary
    )
    words |= forms
    words |= {word + "nya" for word in words if not word.endswith("nya")}
    words |= nouns
    words |= _variant_forms(words)
    for line in resources.read_lines("variants.txt"):
        words.update(line.lower().split())
    for line in resources.read_lines("old-spelling-exceptions.txt"):
        entry = line.split()[0].lower()
        if not entry.endswith("*"):
            words.add(entry)
    return {w for w in words if w.isascii() and w.isalpha() and w.islower()}


def _variant_forms(words: set[str]) -> set[str]:
    """Each word holding a spelling of ``variants.txt`` respelt with the group's other spellings
    (mempraktikkan -> mempraktekkan), so derived forms of a variant are covered too."""
    others: dict[str, list[str]] = {}
    for line in resources.read_lines("variants.txt"):
        group = line.lower().split()
        for spelling in group:
            if len(spelling) >= 4:
                others.setdefault(spelling, []).extend(o for o in group if o != spelling)
    if not others:
        return set()
    spelling_re = re.compile(_alternation(others))
    found: set[str] = set()
    for word in words:
        for match in spelling_re.finditer(word):
            spelling = match.group()
            if spelling != word:
                found.update(word.replace(spelling, other) for other in others[spelling])
    return found


def _old_ch_forms(words: Iterable[str]) -> set[str]:
    """Old ``ch`` spellings of words with an inner ``kh`` (``achir`` for ``akhir``)."""
    found: set[str] = set()
    for word in words:
        if "kh" not in word[1:]:
            continue
        positions = [m.start() for m in re.finditer("(?<=[a-z])kh", word)]
        for mask in range(1, 2 ** min(len(positions), 4)):
            chars = list(word)
            for bit, at in enumerate(positions[:4]):
                if mask >> bit & 1:
                    chars[at], chars[at + 1] = "c", "h"
            form = "".join(chars)
            if modernize_spelling(form) == word:
                found.add(form)
    return found


# The dictionary's affix codes (roots-dictionary-id.txt): a prefix family and a suffix.
_SUFFIX_CODES = {"0": "", "K": "kan", "A": "an", "I": "i"}
_VOWELS = "aeiou"


def _nasal(head: str, root: str) -> str:
    """``meN-``/``peN-`` + ``root`` with the nasal's usual sound changes (tulis -> menulis)."""
    first, rest = root[0], root[1:]
    vowel_next = rest[:1] in tuple(_VOWELS)
    if first in _VOWELS or root.startswith("kh") or first in "gh":
        return head + "ng" + root
    if root.startswith(("ng", "ny")) or first in "lmnrwy":
        return head + root
    if first == "k":
        return head + "ng" + (rest if vowel_next else root)
    if first == "p":
        return head + "m" + (rest if vowel_next else root)
    if first in "bfv":
        return head + "m" + root
    if first == "t":
        return head + "n" + (rest if vowel_next else root)
    if first == "s" and vowel_next:
        return head + "ny" + rest
    return head + "n" + root


def _prefixed(family: str, root: str) -> str:
    if family == "m":
        return _nasal("me", root)
    if family == "p":
        return _nasal("pe", root)
    if family in "btr":
        head = {"b": "ber", "t": "ter", "r": "per"}[family]
        return (head[:-1] if root.startswith("r") else head) + root
    return {"d": "di", "k": "ke", "s": "se"}.get(family, "") + root


def _derived_forms(roots: Iterable[tuple[str, str]]) -> tuple[set[str], set[str]]:
    """The affixed forms the dictionary's codes license, and plain ``root-an`` nouns.

    The first set holds each listed prefix and suffix pair (``m K`` on tulis: menuliskan), with
    the ``di-`` and ``ter-`` passives beside every ``meN-`` form and ``ketidak-...-an`` beside
    ``ke-...-an``; the second ``root + an`` for every root (lusinan).
    """
    forms: set[str] = set()
    nouns: set[str] = set()
    for root, codes in roots:
        codes = codes.strip().lstrip("!")
        if not root.isalpha():
            continue
        nouns.add(root + "an")
        for i in range(0, len(codes) - 1, 2):
            family, suffix = codes[i], _SUFFIX_CODES.get(codes[i + 1], "")
            for fam in (family, "d", "t") if family == "m" else (family,):
                forms.add(_prefixed(fam, root) + suffix)
            if family == "k" and suffix == "an":
                forms.add("ketidak" + root + "an")
    return forms, nouns


@cache
def _acronym_rules() -> dict[str, list[tuple[list[str], list[str]]]]:
    """``exact``/``any`` -> (written keys, pre-stem expansion words) per acronym."""
    any_case, exact_case = _shared_acronyms()
    plain = _analyzers()[2]

    def prestem(words: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for word in words:
            out.extend(term for term, _stopped in _outputs(plain, word))
        return out

    exact: dict[tuple[str, ...], list[str]] = {}
    for key, words in exact_case.items():
        exact.setdefault(words, []).append(key)
    rules: dict[str, list[tuple[list[str], list[str]]]] = {"exact": [], "any": []}
    for words, keys in sorted(exact.items(), key=lambda item: sorted(item[1])):
        rules["exact"].append((sorted(keys), prestem(words)))
    for key, words in sorted(any_case.items()):
        rules["any"].append(([key], prestem(words)))
    return rules


def _synonyms(kind: str, *, keep_stopwords: bool) -> str:
    rules = _acronym_rules()
    stopwords = resources.stopwords() | _word_tables()[2]
    lines = [
        "# searchlib's acronyms (searchlib/analysis/data/acronyms.txt) for synonym_graph.",
        "# Expansions are written as searchlib's filters leave them before stemming"
        + ("." if keep_stopwords else "; stopwords are left out, as searchlib drops them."),
    ]
    for keys, words in rules[kind]:
        out = [w for w in words if keep_stopwords or w not in stopwords]
        if out:
            lines.append(f"{', '.join(keys)} => {' '.join(out)}")
    return "\n".join(lines) + "\n"


@cache
def _word_tables() -> tuple[dict[str, str], dict[str, str], set[str], set[str]]:
    """(stem rules, written-form rules, written stopword forms, stop filter words).

    Keyed by what reaches the override filter (:func:`lucene_spelling` of the written word);
    the value is searchlib's own output for that word.
    """
    stemmed, written, _plain = _analyzers()
    vocabulary = _vocabulary()
    for _kind, rules in _acronym_rules().items():
        for _keys, words in rules:
            vocabulary.update(w for w in words if w.isascii() and w.isalpha())
    vocabulary |= _old_ch_forms(vocabulary)
    variants = resources.variants()
    stems: dict[str, str] = {}
    forms: dict[str, str] = {}
    for word in sorted(vocabulary):
        key = lucene_spelling(word)
        out = _outputs(stemmed, word)
        if len(out) == 1 and not out[0][1]:
            stems.setdefault(key, out[0][0])
        # The written form differs from the key only by the rules the filters cannot apply.
        if "ch" in word or key in variants or word in variants:
            out = _outputs(written, word)
            if len(out) == 1 and out[0][0] != key:
                forms.setdefault(key, out[0][0])
    # Stopwords as written: every spelling searchlib reads as one (old spelling, variants).
    candidates: set[str] = set()
    for word in resources.stopwords() | set(resources.variants()):
        candidates.update(_old_forms(word))
    stop_forms = {
        w for w in candidates if all(stopped for _t, stopped in _outputs(stemmed, w)) and w
    }
    stop_forms = {w for w in stop_forms if _outputs(stemmed, w)}
    stop_filter = {lucene_spelling(w) for w in stop_forms} | set(resources.stopwords())
    return stems, forms, stop_forms, stop_filter


def _stop_pattern() -> str:
    """The char filter dropping stopwords inside the text (leading ones are left in place)."""
    _stems, _forms, stop_forms, _filter = _word_tables()
    exact_keys = sorted(
        key for key in resources.case_sensitive_acronyms() if key.lower() in stop_forms
    )
    guard = f"(?!(?-i:{_alternation(exact_keys)}){_END})" if exact_keys else ""
    stop = f"{guard}(?:{_alternation(stop_forms)}){_END}"
    return rf"(?iu)\A(?<lead>(?:[^\p{{L}}\p{{N}}]*+{stop})+)|{_START}{stop}"


def _folding_rules() -> str:
    """``mapping`` rules: each letter or digit of :data:`_FOLDED_RANGES` -> what searchlib's
    folding (unidecode) makes of it, where that is plain letters and digits (sharp s -> ``ss``,
    Greek mu -> ``m``, an ideograph -> its pinyin); keys are written as escapes."""
    lines = [
        "# Letters and digits -> searchlib's ASCII folding of them (unidecode), for the mapping",
        "# char filter: asciifolding covers Latin only. Keys are \\uXXXX escapes.",
    ]
    for low, high in _FOLDED_RANGES:
        for code in range(low, high + 1):
            char = chr(code)
            if not char.isalnum():
                continue
            folded = fold(char)
            if folded and folded.isascii() and folded.isalnum() and folded != char:
                lines.append(f"\\u{code:04x} => {folded}")
    return "\n".join(lines) + "\n"


def _override_rules(table: dict[str, str], header: str) -> str:
    lines = [f"# {line}" for line in header.splitlines()]
    lines += [f"{key} => {value}" for key, value in sorted(table.items())]
    return "\n".join(lines) + "\n"


# --- The settings ----------------------------------------------------------------------------


def _check_flavour(flavour: object) -> str:
    if flavour not in ("opensearch", "elasticsearch"):
        raise OptionError(f"unknown flavour {flavour!r}: use opensearch or elasticsearch")
    return str(flavour)


def analysis_settings(
    flavour: Flavour = "opensearch", *, unknown_words: UnknownWords = "keep"
) -> dict[str, Any]:
    """The ``settings.index.analysis`` section reproducing searchlib's analysis.

    ``flavour`` is ``"opensearch"`` (2.x) or ``"elasticsearch"`` (8.x); the section is the same
    for both (every component exists in both, under the same name). It defines the analyzers
    ``searchlib_indonesian`` (stemmed, stopwords removed: ``title``/``body``) and
    ``searchlib_written`` (written forms). ``unknown_words`` says what happens to a word outside
    the stem rules: ``"keep"`` (left as written, the measured better choice) or ``"stem"``
    (Lucene's ``indonesian`` stemmer). The ``*_path`` settings name the files of
    :func:`rules_files`, relative to the node's config directory.

    >>> s = analysis_settings("elasticsearch")
    >>> s["analyzer"]["searchlib_indonesian"]["tokenizer"]
    'searchlib_words'
    >>> s["filter"]["searchlib_stems"]
    {'type': 'stemmer_override', 'rules_path': 'searchlib/stems.txt'}
    """
    _check_flavour(flavour)
    if unknown_words not in ("keep", "stem"):
        raise OptionError(f"unknown_words is 'keep' or 'stem', not {unknown_words!r}")
    char_filter = {
        "searchlib_reduplication": {
            "type": "pattern_replace",
            "pattern": _reduplication_pattern(),
            "replacement": "${first}",
        },
        "searchlib_folding": {"type": "mapping", "mappings_path": _FOLDING},
        "searchlib_two": {
            "type": "pattern_replace",
            "pattern": _TWO_PATTERN,
            "replacement": "${w}",
        },
        "searchlib_stopwords": {
            "type": "pattern_replace",
            "pattern": _stop_pattern(),
            "replacement": "${lead}",
        },
    }
    tokenizer = {"searchlib_words": {"type": "pattern", "pattern": TOKEN_PATTERN, "group": 0}}
    old_spelling = {
        "searchlib_old_keep": {
            "type": "pattern_replace",
            "pattern": _exceptions_pattern(),
            "replacement": "${w}" + _KEEP_MARK,
        },
        "searchlib_old_nj": {
            "type": "pattern_replace",
            "pattern": rf"(?:^(?=.*{_OLD_CERTAIN}){_NOT_MARKED}|(?!^)\G)(?<w>.*?)nj",
            "replacement": "${w}ny",
        },
        "searchlib_old_nj_start": {
            "type": "pattern_replace",
            "pattern": f"^nj{_NOT_MARKED}",
            "replacement": "ny",
        },
        "searchlib_old_nja_end": {
            "type": "pattern_replace",
            "pattern": "nja$",
            "replacement": "nya",
        },
    }
    for old, new in _OLD_RULES:
        old_spelling[f"searchlib_old_{old}"] = {
            "type": "pattern_replace",
            "pattern": f"{old}{_NOT_MARKED}",
            "replacement": new,
        }
    old_spelling["searchlib_old_unmark"] = {
        "type": "pattern_replace",
        "pattern": _KEEP_MARK,
        "replacement": "",
    }
    token_filter: dict[str, Any] = {
        "searchlib_fold": {"type": "asciifolding", "preserve_original": False},
        "searchlib_fold_marks": {
            "type": "pattern_replace",
            "pattern": r"[^\p{L}\p{N}.,/]",
            "replacement": "",
        },
        "searchlib_nonempty": {"type": "length", "min": 1},
        "searchlib_acronyms_exact": _synonym_filter(_ACRONYMS_EXACT),
        "searchlib_acronyms": _synonym_filter(_ACRONYMS_ANY),
        "searchlib_acronyms_exact_written": _synonym_filter(_ACRONYMS_EXACT_WRITTEN),
        "searchlib_acronyms_written": _synonym_filter(_ACRONYMS_ANY_WRITTEN),
        "searchlib_numbers": {
            "type": "pattern_replace",
            "pattern": _THOUSANDS_DOT,
            "replacement": "",
        },
        **old_spelling,
        "searchlib_stop": {"type": "stop", "stopwords_path": _STOPWORDS, "ignore_case": False},
        "searchlib_not_words": {"type": "keyword_marker", "keywords_pattern": ".*[^a-z].*"},
        "searchlib_stems": {"type": "stemmer_override", "rules_path": _STEMS},
        "searchlib_written_forms": {"type": "stemmer_override", "rules_path": _WRITTEN_FORMS},
        "searchlib_unknown_stem": {"type": "stemmer", "language": "indonesian"},
    }
    common_head = ["searchlib_fold", "searchlib_fold_marks", "searchlib_nonempty"]
    middle = ["searchlib_numbers", *old_spelling]
    stemmed_filters = [
        *common_head,
        "searchlib_acronyms_exact",
        "lowercase",
        "searchlib_acronyms",
        *middle,
        "searchlib_stop",
        "searchlib_not_words",
        "searchlib_stems",
    ]
    if unknown_words == "stem":
        stemmed_filters.append("searchlib_unknown_stem")
    else:
        del token_filter["searchlib_unknown_stem"]
    written_filters = [
        *common_head,
        "searchlib_acronyms_exact_written",
        "lowercase",
        "searchlib_acronyms_written",
        *middle,
        "searchlib_written_forms",
    ]
    analyzer = {
        STEMMED: {
            "type": "custom",
            "char_filter": [
                "searchlib_reduplication",
                "searchlib_folding",
                "searchlib_two",
                "searchlib_stopwords",
            ],
            "tokenizer": "searchlib_words",
            "filter": stemmed_filters,
        },
        WRITTEN: {
            "type": "custom",
            "char_filter": ["searchlib_reduplication", "searchlib_folding", "searchlib_two"],
            "tokenizer": "searchlib_words",
            "filter": written_filters,
        },
    }
    return {
        "char_filter": char_filter,
        "tokenizer": tokenizer,
        "filter": token_filter,
        "analyzer": analyzer,
    }


def _synonym_filter(path: str) -> dict[str, Any]:
    return {"type": "synonym_graph", "synonyms_path": path, "expand": False, "lenient": False}


def _exceptions_pattern() -> str:
    exceptions = resources.old_spelling_exceptions()
    words = _alternation(exceptions.words)
    prefixes = _alternation(exceptions.prefixes)
    return f"^(?<w>(?:{words})|(?:{prefixes}).*)$"


def rules_files() -> dict[str, str]:
    """The files :func:`analysis_settings` reads: relative path -> content.

    Write each under the node's config directory (OpenSearch and Elasticsearch resolve
    ``*_path`` settings there), keeping the ``searchlib/`` folder:

    - ``searchlib/stems.txt``: ``word => stem`` (``stemmer_override``), searchlib's stem of
      every word of its lexicon and root dictionary, old spellings and variants included;
    - ``searchlib/written-forms.txt``: the written forms searchlib rewrites (``praktek =>
      praktik``, ``achir => akhir``);
    - ``searchlib/stopwords.txt``: the Tala stopwords (``stop``);
    - ``searchlib/folding.txt``: letters -> searchlib's ASCII folding of them (``mapping``);
    - ``searchlib/acronyms*.txt``: the acronym expansions (``synonym_graph``), case-sensitive
      (``-exact``) and not, for each analyzer.

    >>> files = rules_files()
    >>> "menteri => menteri" in files["searchlib/stems.txt"].splitlines()
    True
    >>> "AS => amerika serikat" in files["searchlib/acronyms-exact.txt"].splitlines()
    True
    """
    stems, forms, _stop_forms, stop_filter = _word_tables()
    source = "searchlib/analysis/data/"
    return {
        _ACRONYMS_EXACT: _synonyms("exact", keep_stopwords=False),
        _ACRONYMS_EXACT_WRITTEN: _synonyms("exact", keep_stopwords=True),
        _ACRONYMS_ANY: _synonyms("any", keep_stopwords=False),
        _ACRONYMS_ANY_WRITTEN: _synonyms("any", keep_stopwords=True),
        _STEMS: _override_rules(
            stems,
            f"searchlib's stem of each word of {source}roots-id.txt (CC BY-SA 4.0) and\n"
            f"roots-dictionary-id.txt (LGPL-3), with their old and variant spellings.\n"
            "Keyed by the word as the spelling filters leave it (stemmer_override).",
        ),
        _WRITTEN_FORMS: _override_rules(
            forms,
            "Written forms searchlib rewrites beyond the spelling rules: variants\n"
            f"({source}variants.txt) and old inner ch (achir => akhir).",
        ),
        _FOLDING: _folding_rules(),
        _STOPWORDS: "# The Tala stopwords (Apache-2.0) as they reach the stop filter.\n"
        + "\n".join(sorted(stop_filter))
        + "\n",
    }
