"""Indonesian stemmer: affix stripping guided by a licence-clean root lexicon.

Indonesian words are built as ``prefix* + root + suffix? + possessive? + particle?``
(``mem-per-juang-kan-nya-lah``).  Stripping rules alone cannot tell a real prefix
from a root that merely starts with the same letters (``bekasi`` is a city, not
``be-kasi``; ``menanti`` is ``nanti`` while ``menulis`` is ``tulis``), so this
module enumerates every morphologically plausible analysis of a word and asks a
lexicon which of the candidate roots actually exist.  Where ``meN-``/``peN-`` hide
the root's first sound, the passive ``di-`` form, which keeps it, tells rival roots
apart (``pengawasan``: ``diawasi``, so ``awas`` rather than ``kawasan``).

The lexicon (``data/roots-id.txt``) maps words to corpus frequencies and is
derived from permissively licensed news corpora by ``tools/build_lexicon.py``.
A root dictionary (``data/roots-dictionary-id.txt``, from LibreOffice's LGPL-3
hunspell dictionary by ``tools/build_dictionary.py``) lists some 31,000
headwords with the affixes each takes; an analysis it licenses (``meraup`` as
meN- + ``raup``, ``pendeta`` as a headword of its own) earns a bonus, and it admits
roots too rare in news text to be in the lexicon.  A small hand-written list
(``data/stem-roots-extra.txt``) adds roots that end in letters that look like
suffixes, and Tala's stopword list (``data/stopwords-tala.txt``) keeps function
words whole.  When neither source confirms an analysis, a conservative rule-based
fallback undoes only productive affix patterns whose remainder has the shape of a
native root (``dicomot`` -> ``comot``), so unknown names and loans are not mangled.

>>> stem("mengunjungi")
'kunjung'
>>> stem("dirinya")
'diri'
"""

from __future__ import annotations

import math

from searchlib.analysis.resources import paused_gc, read_lines, read_rows, stopwords

__all__ = ["cached_stem", "stem"]

_VOWELS = frozenset("aeiou")

# Analyses whose confix Indonesian does not allow (e.g. ``ber-...-i``); they are
# kept as a last resort only, because a root that needs them is usually wrong.
_BAD_CONFIX = frozenset(
    {
        ("ber", "i"),
        ("di", "an"),
        ("ke", "i"),
        ("ke", "kan"),
        ("me", "an"),
        ("pe", "i"),
        ("pe", "kan"),
        ("se", "i"),
        ("se", "kan"),
        ("ter", "an"),
    }
)

# Which prefix may sit directly inside which (di-per-kuat, ke-ber-hasil-an,
# mem-ber-henti-kan); anything else, such as ``meny-se-nang``, is spurious.
_INNER_OK: dict[str, frozenset[str]] = {
    "me": frozenset({"per", "ber"}),
    "di": frozenset({"per", "ber"}),
    "pe": frozenset({"per", "ber"}),
    "ke": frozenset({"pe", "per", "ber", "ter", "se"}),
    "ber": frozenset({"ke", "se", "per"}),
    "ter": frozenset({"per", "ke"}),
    "se": frozenset({"pe", "per", "ke"}),
    "per": frozenset(),
}

# Two-consonant word onsets found in native words and common loans.
_ONSETS = frozenset(
    [
        "bl",
        "br",
        "dr",
        "dw",
        "fl",
        "fr",
        "gl",
        "gr",
        "kh",
        "kl",
        "kr",
        "kw",
        "ng",
        "ny",
        "pl",
        "pr",
        "ps",
        "sk",
        "sl",
        "sm",
        "sn",
        "sp",
        "st",
        "sw",
        "sy",
        "tr",
        "ts",
        "ph",
        "sh",
        "ch",
        "th",
    ]
)

_NUMERALS = frozenset(
    [
        "satu",
        "dua",
        "tiga",
        "empat",
        "lima",
        "enam",
        "tujuh",
        "delapan",
        "sembilan",
        "sepuluh",
        "sebelas",
        "seratus",
        "seribu",
    ]
)

# Tala's list also has -tah, but it survives only in entah and apatah, while
# roots ending in those letters are common (bantah, perintah).
_PARTICLES = ("lah", "kah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_DERIVATIONAL = ("kan", "an", "i")

_MIN_ROOT = 3
# Word beginnings that may hide a prefix (``pra-`` only before an affixed word).
_PREFIX_HEADS = ("di", "ke", "me", "pe", "be", "te", "se", "pra")
_SUFFIX_TAILS = _PARTICLES + _POSSESSIVES + _DERIVATIONAL

# Scoring weights: evidence a candidate is a root (log frequency alone, log count of
# attested derived forms) against a reward per affix removed, because every
# derived form is itself attested and would otherwise always win.
_W_FAMILY = 2.0
_W_AFFIX = 2.0
_W_SELF = 1.0
_W_SELF_FAMILY = 1.0
# Clitics are rewarded like affixes, particles less (see _scored).
_W_CLITIC = 2.0
_W_PARTICLE = 0.5
_P_CONFIX = 5.0
_P_SHORT = 4.0
_P_FUNCTION = 4.0
_P_UNSEEN = 0.0
_P_MONO = 1.5
_P_SE = 2.0
# From this corpus count on, the rule fallback only undoes a nasal confix (pem-...-an).
_FALLBACK_MAX_FREQ = 50

# Derived forms needed to consider a root the corpus never shows alone.
_MIN_SUPPORT = 3
# Bonus for an analysis the root dictionary licenses (root and affixes as listed).
_W_DICT = 6.0
# Bonus per log count of a rival root's passive di- form (capped), see _scored.
_W_PASSIVE = 1.0
_PASSIVE_CAP = 5.0

# word -> (corpus frequency, number of attested derived forms); loaded lazily.
_lexicon: dict[str, tuple[int, int]] | None = None
# Function words (Tala's list) that look affixed but must stay whole (kepada, secara).
_protected: frozenset[str] = frozenset()
# Hand-checked roots that end in letters that look like suffixes (alami, ramai).
_extra_roots: frozenset[str] = frozenset()
# Dictionary headword -> bit mask of the affixes it takes (see _licensed); loaded lazily.
_dictionary: dict[str, int] | None = None


def _load() -> dict[str, tuple[int, int]]:
    """Load all lexical resources on first use and return the lexicon."""
    global _lexicon, _protected, _extra_roots
    if _lexicon is not None:
        return _lexicon
    # Comprehensions over the lines, not a loop of statements, and no garbage collection
    # meanwhile (it would walk the heap again and again for the tuples made here): this runs
    # at start-up (22,000 lines). Most words share their counts with many others, so each
    # distinct count string is parsed once; a later line for the same word wins, as the file
    # is read top to bottom.
    with paused_gc():
        pairs = [line.partition("\t") for line in read_lines("roots-id.txt")]
        counts = {rest: _counts(rest) for rest in {rest for _, tab, rest in pairs if tab}}
        lex = {w: value for w, tab, rest in pairs if tab and (value := counts[rest]) is not None}
    _protected = stopwords()
    _extra_roots = frozenset(
        row[0].strip() for row in read_rows("stem-roots-extra.txt", missing_ok=True)
    )
    _lexicon = lex
    return lex


def _counts(fields: str) -> tuple[int, int] | None:
    """A lexicon line's counts after the word: ``(corpus count, derived forms)``, or None.

    >>> _counts("12\\t3"), _counts("7"), _counts("x")
    ((12, 3), (7, 0), None)
    """
    parts = fields.split("\t")
    try:
        return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
    except ValueError:
        return None


def _load_dictionary() -> dict[str, int]:
    """Load the root dictionary (``data/roots-dictionary-id.txt``) on first use.

    Each headword maps to a bit mask of the affix codes it takes (see _licensed).
    """
    global _dictionary
    if _dictionary is not None:
        return _dictionary
    # As _load: comprehensions with no garbage collection, each distinct code string parsed
    # once (the second field: a line is ``word<TAB>codes``). A headword listed on several lines
    # takes the affixes of all of them.
    with paused_gc():
        try:
            pairs = [line.partition("\t") for line in read_lines("roots-dictionary-id.txt")]
        except FileNotFoundError:  # an embedder may remove the LGPL list
            pairs = []
        masks = {rest: _affix_mask(rest.partition("\t")[0]) for rest in {p[2] for p in pairs}}
        entries = {word: masks[rest] for word, _, rest in pairs}
        if len(entries) < len(pairs):
            entries = {}
            for word, _, rest in pairs:
                entries[word] = entries.get(word, 0) | masks[rest]
    _dictionary = entries
    return entries


def _affix_mask(raw: str) -> int:
    """The bit mask of a dictionary entry's code string (``!`` first: never alone).

    >>> _affix_mask("mK") == _AFFIX_BIT[("me", "kan")] | _FREE
    True
    """
    codes = raw.strip()
    mask = 0 if codes.startswith("!") else _FREE
    codes = codes.lstrip("!")
    for i in range(0, len(codes) - 1, 2):
        mask |= _CODE_BIT.get(codes[i : i + 2], 0)
    return mask


def attested(word: str) -> bool:
    """Whether ``word`` (lowercase) occurs as a word form in the lexicon's corpus.

    >>> attested("akhir"), attested("achir")
    (True, False)
    """
    return word in _load()


def _prefix_options(word: str) -> list[tuple[str, str]]:
    """Return ``(rest, prefix_class)`` for every way to remove one prefix.

    ``prefix_class`` is the underlying prefix (``me``, ``pe``, ``per``, ``ber``,
    ``ter``, ``di``, ``ke``, ``se``); nasal assimilation is undone by offering both the
    bare remainder and the remainder with the swallowed consonant restored.
    """
    out: list[tuple[str, str]] = []
    n = len(word)
    if n < 4:
        return out
    head2 = word[:2]
    if head2 == "di":
        out.append((word[2:], head2))
    elif head2 == "ke":
        # Ordinals (keenam, kesebelas) keep ke-, as dictionaries list them whole.
        if word[2:] not in _NUMERALS:
            out.append((word[2:], head2))
    elif head2 == "se":
        # se- ("one", "as ... as": seorang, sejauh) also forms many lexicalised
        # words (secara, seimbang, sekolah), so stem() charges it a penalty.
        out.append((word[2:], head2))
    elif head2 in ("me", "pe"):
        cls = head2
        rest = word[2:]
        if word.startswith(("menge", "penge")) and (
            _syllables(word[5:]) == 1 or word[5:] in _load_dictionary()
        ):
            # menge-/penge- go before monosyllabic roots (mengebom, pengecatan) and,
            # in the usage the dictionary records, before a few longer ones
            # (mengesampingkan).
            out.append((word[5:], cls))
        if rest[:2] == "ng":
            tail = rest[2:]
            if tail and tail[0] in _VOWELS:
                out.append((tail, cls))
                out.append(("k" + tail, cls))
            elif tail and tail[0] in "ghkqx":
                out.append((tail, cls))
        elif rest[:2] == "ny":
            tail = rest[2:]
            if tail and tail[0] in _VOWELS:
                out.append(("s" + tail, cls))
        elif rest[:1] == "n":
            tail = rest[1:]
            if tail and tail[0] in _VOWELS:
                out.append(("t" + tail, cls))
            elif tail and tail[0] in "cdjtsz":
                out.append((tail, cls))
        elif rest[:1] == "m":
            tail = rest[1:]
            if tail and tail[0] in _VOWELS:
                out.append(("p" + tail, cls))
            elif tail and tail[0] in "bfvp":
                out.append((tail, cls))
        if rest[:1] in ("l", "r", "w", "y", "m", "n"):
            # me-/pe- before sonorants keep the root intact (melihat, menanti).
            out.append((rest, cls))
        if cls == "pe":
            if rest[:1] == "r":
                out.append((rest[1:], "per"))  # per- (perbaikan, perairan)
            elif rest[:1] and rest[0] not in _VOWELS:
                out.append((rest, "pe"))  # pe- before obstruents (petani)
            if rest.startswith("lajar"):
                out.append((rest[1:], "per"))
    elif head2 in ("be", "te"):
        cls = head2 + "r"
        rest = word[2:]
        if rest[:1] == "r":
            out.append((rest[1:], cls))  # ber-/ter- (berhak, terlihat)
            out.append((rest, cls))  # r merged with the root (berantai, terasa)
        elif cls == "ber" and rest[1:3] == "er":
            out.append((rest, cls))  # bekerja, beserta
        elif cls == "ber" and rest.startswith("lajar"):
            out.append((rest[1:], cls))
    return [(r, c) for r, c in out if len(r) >= _MIN_ROOT and _onset_ok(r)]


def _syllables(word: str) -> int:
    """Count vowel groups, a cheap syllable count."""
    count = 0
    prev = False
    for ch in word:
        vowel = ch in _VOWELS
        if vowel and not prev:
            count += 1
        prev = vowel
    return count


def _onset_ok(root: str) -> bool:
    """Reject roots that start with a cluster Indonesian never begins a word with.

    Spurious splits such as ``ke-ntal`` or ``ter-bit`` leave exactly such clusters.
    """
    if len(root) < 2 or root[0] in _VOWELS or root[1] in _VOWELS:
        return True
    return root[:2] in _ONSETS


def _suffix_options(word: str) -> list[tuple[str, str, str]]:
    """Return ``(base, derivational_suffix, clitics)`` for every suffix split.

    ``clitics`` names the removed possessive and particle (``nya.lah``), or ``""``.
    """
    out: list[tuple[str, str, str]] = []
    bases = [(word, "")]
    for p in _PARTICLES:
        if word.endswith(p) and len(word) - len(p) >= 3:
            bases.append((word[: -len(p)], p))
    more: list[tuple[str, str]] = []
    for b, k in bases:
        for p in _POSSESSIVES:
            if b.endswith(p) and len(b) - len(p) >= 3:
                more.append((b[: -len(p)], f"{p}.{k}" if k else p))
    bases.extend(more)
    for b, k in bases:
        out.append((b, "", k))
        for s in _DERIVATIONAL:
            if b.endswith(s) and len(b) - len(s) >= 3:
                out.append((b[: -len(s)], s, k))
    return out


# An analysis: (clitics removed, derivational affixes removed, confix legal,
# outer se-, derivational suffix such as ``kan`` or "", clitics such as ``nya.lah``,
# whether the root dictionary lists the root with this outer prefix and suffix).
Analysis = tuple[int, int, bool, bool, str, str, bool]

# The dictionary's affix codes (data/roots-dictionary-id.txt): a prefix family letter
# and a suffix letter, each pair one bit of a headword's mask.
_FAMILIES = {
    "": "_",
    "me": "m",
    "pe": "p",
    "per": "r",
    "ber": "b",
    "ter": "t",
    "di": "d",
    "ke": "k",
    "se": "s",
}
_SUFFIXES = {"": "0", "kan": "K", "an": "A", "i": "I"}
_CODE_BIT = {
    f + x: 1 << i
    for i, (f, x) in enumerate((f, x) for f in _FAMILIES.values() for x in _SUFFIXES.values())
}
_AFFIX_BIT = {
    (first, deriv): _CODE_BIT[f + x]
    for first, f in _FAMILIES.items()
    for deriv, x in _SUFFIXES.items()
}
# Bit set for a headword that may stand alone (no "!" in the dictionary).
_FREE = _CODE_BIT["_0"]


def _licensed(root: str, first: str, deriv: str) -> bool:
    """Whether the dictionary lists ``root`` as taking outer prefix ``first`` with ``deriv``.

    The bare word (no prefix, no suffix) is licensed for every headword that may
    stand alone; clitics are allowed on anything and play no part.

    >>> _licensed("abai", "me", "kan"), _licensed("abai", "ber", "")
    (True, False)
    """
    mask = (_dictionary if _dictionary is not None else _load_dictionary()).get(root)
    return mask is not None and bool(mask & _AFFIX_BIT.get((first, deriv), 0))


def _analyses(word: str) -> dict[str, Analysis]:
    """Map each candidate root of ``word`` (itself included) to its best :data:`Analysis`.

    ``confix_ok`` is false for illegal prefix/suffix pairs, for ``-i``/``-kan``
    without any prefix (bare imperatives are rare in running text, while roots
    ending in those letters, nilai, ramai, ikan, are common) and for a bare ``ke-``.
    ``via_se`` marks an outer ``se-``, which is often lexicalised and so needs
    stronger evidence.  The derivational suffix tells the lexicon builder which
    analyses remove prefixes only.  When several analyses reach the same root, the one kept
    is, in order of preference, licensed by the root dictionary, legal, without ``se-``,
    and with more affixes.
    """
    seen: dict[str, Analysis] = {}
    ranks: dict[str, tuple[bool, bool, bool, int]] = {}
    for base, deriv, clit in _suffix_options(word):
        nclit = clit.count(".") + 1 if clit else 0
        # Up to three stacked prefixes (di-per-, ke-ber-, mem-per-); ``first``
        # remembers the outermost one, which decides whether the confix is legal.
        # ``last`` is None once a nasal replaced the root's first consonant
        # (me-merintah = me+perintah): only the root can follow then, because
        # inner prefixes are never substituted (mem-per-baiki keeps its p).
        frontier: list[tuple[str, str | None, str | None, int, str]] = [(base, None, "", 0, "")]
        layer = frontier
        for _depth in range(3):
            nxt = [
                (
                    rest,
                    first or cls,
                    cls if w.endswith(rest) else None,
                    npre + 1,
                    inner + cls + "." if first else inner,
                )
                for w, first, last, npre, inner in layer
                if last is not None
                for rest, cls in _prefix_options(w)
                if not last or cls in _INNER_OK.get(last, ())
            ]
            if not nxt:
                break
            frontier = frontier + nxt
            layer = nxt
        for root, first, _last, npre, inner in frontier:
            if first is None:
                ok = deriv not in ("i", "kan")
            elif first == "ke":
                # Bare ke- is no longer productive (ke-an and ordinals are, and
                # ordinals never get here): kesan, keluar, kerabat are roots.
                ok = deriv == "an"
            else:
                ok = not (deriv and (first, deriv) in _BAD_CONFIX)
            if ok and inner:
                # An inner ke- needs -an like an outer one (ber-ke-adil-an, not
                # ber-ke-rabat), and a ber- verb only goes inside another prefix
                # with a causative or nominal suffix (mem-ber-henti-kan,
                # pem-ber-daya-an): memberantas is me- + berantas.
                if "ke." in inner:
                    ok = deriv == "an"
                if "ber." in inner and first in ("me", "di", "pe"):
                    ok = ok and deriv == ("an" if first == "pe" else "kan")
            nder = npre + (1 if deriv else 0)
            se = first == "se"
            listed = _licensed(root, first or "", deriv)
            rank = (listed, ok, not se, nder + nclit)
            if root not in ranks or rank > ranks[root]:
                ranks[root] = rank
                seen[root] = (nclit, nder, ok, se, deriv, clit, listed)
    return seen


# Letters a native or nativised Indonesian root may end in; a remainder ending in
# anything else (``setiaw-an``) shows the split was spurious.
_FINALS = frozenset("aeioubdfghklmnprst")
# The only two-letter onsets of native roots (digraphs for one sound); roots with a
# true cluster (``distribusi`` is not ``di-stribusi``) are loans, which rarely take affixes.
_NATIVE_ONSETS = frozenset(["ny", "ng", "kh", "sy"])


def _plausible_root(root: str, max_syllables: int) -> bool:
    """Whether ``root`` has the shape of a native Indonesian root.

    Used only when the lexicon knows neither the word nor any of its analyses,
    so it is strict: at least four letters and two syllables (one-syllable roots
    such as ``bom`` are frequent enough to be in the lexicon), at most
    ``max_syllables`` (native roots are mostly disyllabic; long remainders are
    loans like ``dinamika``), a single-consonant onset, a legal final letter
    and no run of three consonants.

    >>> _plausible_root("comot", 2), _plausible_root("stribusi", 3), _plausible_root("setiaw", 2)
    (True, False, False)
    """
    n = _syllables(root)
    if len(root) < 4 or not 2 <= n <= max_syllables or root[-1] not in _FINALS:
        return False
    if root[0] not in _VOWELS and root[1] not in _VOWELS and root[:2] not in _NATIVE_ONSETS:
        return False
    if root[-1] not in _VOWELS and root[-2] not in _VOWELS and root[-2:] != "ng":
        return False  # final clusters (reduks-i) only occur in loans
    # ``ng`` and ``ny`` spell one sound, so ``cengkeram`` and ``belenggu`` have
    # two-consonant clusters only; three real consonants in a row mark a loan.
    run = 0
    for ch in root.replace("ng", "N").replace("ny", "N"):
        run = 0 if ch in _VOWELS else run + 1
        if run > 2:
            return False
    return True


def _rule_prefix(word: str) -> list[tuple[str, str]]:
    """Return ``(root, prefix_class)`` readings of ``word``'s outer prefix, best first.

    Unlike :func:`_prefix_options` this picks one restoration for an assimilated
    nasal, the one Indonesian morphology makes most likely when nothing else is
    known: ``men+V`` hides ``t`` (menebang), ``mem+V`` ``p``, ``meny+V`` ``s`` and
    ``meng+e`` ``k`` (roots rarely begin with a schwa: mengeruk), while ``meng+V``
    otherwise sits on a vowel-initial root.  ``ber-``/``ter-`` are undone only
    before a consonant, since before a vowel the ``r`` may belong to the root.

    >>> _rule_prefix("menebang"), _rule_prefix("pengeruk")
    ([('tebang', 'me')], [('ruk', 'pe'), ('keruk', 'pe')])
    """
    head = word[:2]
    out: list[tuple[str, str]] = []
    if head == "di":
        out.append((word[2:], "di"))
    elif head in ("me", "pe"):
        rest = word[2:]
        if rest.startswith("nge") and _syllables(rest[3:]) == 1:
            out.append((rest[3:], head))  # mengebom, pengecatan
        if rest.startswith("ng"):
            tail = rest[2:]
            out.append(("k" + tail if tail[:1] == "e" else tail, head))
        elif rest.startswith("ny"):
            out.append(("s" + rest[2:], head))
        elif rest[:1] == "n":
            tail = rest[1:]
            out.append(("t" + tail if tail[:1] in _VOWELS else tail, head))
        elif rest[:1] == "m":
            tail = rest[1:]
            out.append(("p" + tail if tail[:1] in _VOWELS else tail, head))
        elif rest[:1] in ("l", "r", "w", "y"):
            out.append((rest, head))
        if head == "pe":
            if rest[:1] == "r":
                out.append((rest[1:], "per"))
            elif rest[:1] and rest[0] not in _VOWELS and rest[0] not in "mn":
                out.append((rest, "pe"))  # pe- before obstruents (petinju)
    elif head in ("be", "te") and word[2:3] == "r" and word[3:4] not in _VOWELS:
        out.append((word[3:], head + "r"))
    elif head == "ke":
        out.append((word[2:], "ke"))
    return [(r, c) for r, c in out if len(r) >= 2]


def _rule_stem(word: str, strict: bool = False, confix_only: bool = False) -> str:
    """Conservative rule-based stem for a word the lexicon cannot analyse at all.

    Only productive patterns are undone: one outer prefix (``di-``, ``meN-``,
    ``peN-``, ``ber-``, ``ter-``, ``ke-`` with ``-an``), an optional inner
    ``per-``/``ber-``/``ter-``, and ``-kan``/``-i`` (after a verbal prefix) or
    ``-an``.  The remainder must look like a native root
    (:func:`_plausible_root`); a nasal-assimilating prefix or a confix is strong
    evidence and admits a three-syllable root, a lone ``di-``/``ber-``/``ter-``/``-an``
    only a disyllabic one.  Otherwise the word is kept, so rare names and loans
    survive.  ``strict`` (for words the corpus does attest) admits only the
    unmistakable patterns: ``meN-``/``peN-`` with their nasal, ``ter-`` and confixes
    (``me-...-i``, ``per-...-an``, ``ke-...-an``); a lone ``di-``, ``pe-`` or ``-an``
    on an attested word is as often part of a
    loan (``digital``, ``pesawat``, ``koran``).  ``confix_only`` (for frequent words)
    admits only a nasal prefix with a suffix (``pemberantasan``), since a nasal
    alone is too often part of a root (``penalti``).

    >>> _rule_stem("dicomot"), _rule_stem("menyeruput"), _rule_stem("kerukan")
    ('comot', 'seruput', 'keruk')
    """
    suffixes: list[tuple[str, str]] = []
    for suf in ("kan", "an", "i"):
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            if suf == "i" and word[-2] == "s":
                continue  # -si is the loan ending of reduksi, isolasi
            suffixes.append((word[: -len(suf)], suf))
    suffixes.append((word, ""))
    for base, suf in suffixes:
        for root, cls in _rule_prefix(base):
            if (cls, suf) in _BAD_CONFIX or (cls == "ke" and suf != "an"):
                continue
            if suf == "i" and cls not in ("me", "di", "ter", "per"):
                continue
            nasal = cls in ("me", "pe") and base[2:3] in ("m", "n")
            # A confix (me-...-i, per-...-an) is as telling as a nasal prefix.
            confix = bool(suf) and (cls != "ke" or suf == "an")
            if strict and not (nasal or confix or cls == "ter"):
                continue
            if confix_only and not (nasal and suf):
                continue
            strong = bool(suf) or nasal
            inner = [
                (r, c) for r, c in _rule_prefix(root) if c in _INNER_OK.get(cls, ()) and c != "ke"
            ]
            for cand in [r for r, _c in inner] + [root]:
                if _plausible_root(cand, 3 if strong else 2):
                    return cand
        if suf == "an" and not strict and _plausible_root(base, 2):
            return base  # bare -an nominaliser (ukiran, kerukan)
    return word


def _strip_clitics(word: str) -> str:
    """Remove particles and possessives only: the safe fallback for unknown words."""
    for p in _PARTICLES:
        if word.endswith(p) and len(word) - len(p) >= 4:
            word = word[: -len(p)]
            break
    for p in _POSSESSIVES:
        if word.endswith(p) and len(word) - len(p) >= 4:
            word = word[: -len(p)]
            break
    return word


def _stem_hyphenated(word: str) -> str:
    """Stem a reduplication by its root; keep any other hyphenated compound whole.

    Full (``kapal-kapal``), affixed (``anak-anaknya``, ``menggeleng-gelengkan``,
    ``bersama-sama``) and rhyming (``terus-menerus``) reduplications repeat one
    root, so they share its stem; compounds of two unrelated words (``lalu-lintas``,
    ``non-migas``) are lexical units of their own and dictionaries list them whole.

    >>> stem("kapal-kapal"), stem("menggeleng-gelengkan"), stem("lalu-lintas")
    ('kapal', 'geleng', 'lalu-lintas')
    """
    parts = word.split("-")
    if len(parts) != 2 or not all(p.isascii() and p.isalpha() and len(p) > 1 for p in parts):
        return word
    left, right = parts
    if left == right:
        return stem(left)
    s_left, s_right = stem(left), stem(right)
    if s_left == s_right:
        return s_left
    # prefix+B-B+suffix (meng-geleng-geleng-kan, mati-mati-an): the affixes of the
    # whole word wrap one copy of the base, so stem the word without the copy.
    for k in range(min(len(left), len(right)) - 1, 2, -1):
        if right.startswith(left[-k:]):
            return stem(left + right[k:])
    # Shared ending (bersama-sama, serta-merta, terus-menerus): one half is the
    # base, the other an affixed or rhyming echo; the more frequent stem is the base.
    if left[-3:] == right[-3:]:
        lex = _load()
        return max(s_left, s_right, key=lambda s: lex.get(s, (0, 0))[0])
    return word


def _scored(word: str, lex: dict[str, tuple[int, int]]) -> list[tuple[str, float]]:
    """Score every supported analysis of ``word``: ``(root, score)``, higher is better.

    Roots that the lexicon neither attests nor supports by derived forms are left
    out.  Separate from :func:`stem` so that experiments can inspect the scores.
    """
    out: list[tuple[str, float]] = []
    rivals: list[tuple[int, str, str]] = []
    for root, (nclit, nder, ok, se, deriv, clit, listed) in _analyses(word).items():
        if root + "i" in _extra_roots:
            # pe-...-an nouns replace a verb root's final -i (pengalaman ~ alami).
            root += "i"
        if root in _extra_roots:
            out.append((root, 100.0 + nclit + nder))
            continue
        freq, family = lex.get(root, (0, 0))
        if root != word and freq < 3 and family < _MIN_SUPPORT and not listed:
            continue
        if se and not clit and (not listed or lex.get(word, (0, 0))[0] > 2 * freq + 10):
            # se- is as often part of a word (sekolah, setia) as a prefix ("one",
            # "as ... as"), so it needs the dictionary's word, and a word far more
            # common than its supposed root is a lexicalised whole (secara, not
            # se-cara); the productive confix se-...-nya (sekembalinya) is exempt.
            continue
        if nder == 0:
            # The word itself, or the word minus clitics (ancamannya ~ ancaman):
            # both must get the same verdict, and a word's own derived forms say
            # little about whether it is itself derived, so frequency dominates.
            score = _W_SELF * math.log1p(freq) + _W_SELF_FAMILY * math.log1p(family)
        else:
            score = math.log1p(freq) + _W_FAMILY * math.log1p(family) + _W_AFFIX * nder
        if clit.endswith(_PARTICLES):
            # Particles are rare on content words, while many roots end in their
            # letters (masalah, sekolah): they earn less than a possessive.
            score += _W_CLITIC * (nclit - 1) + _W_PARTICLE
        else:
            score += _W_CLITIC * nclit
        if listed:
            # The dictionary lists this root with exactly these affixes.
            score += _W_DICT
        if not ok:
            score -= _P_CONFIX
        if se:
            score -= _P_SE
        if len(root) <= 3:
            score -= _P_SHORT
        elif _syllables(root) < 2:
            # Most Indonesian roots have two or more syllables; leftovers
            # such as ``nang`` are usually the tail of a longer root.
            score -= _P_MONO
        if freq < 3:
            score -= _P_UNSEEN
        if root in _protected and root != word:
            score -= _P_FUNCTION
        if nder and not root.startswith(("pe", "be")):
            # Roots still carrying per-/ber- (pelajar in mempelajari) are left out:
            # their passive (dipelajari) is the word's own, not evidence between roots.
            rivals.append((len(out), root, deriv))
        out.append((root, score))
    if len(rivals) > 1 and word[:2] in ("me", "pe"):
        # meN-/peN- hide the root's first sound (mengawas-i: awas or kawas?), so
        # rival roots are told apart by their passive di- form, which keeps it.
        for i, root, deriv in rivals:
            sufs = ("", "kan", "i") if deriv == "an" else (deriv,)
            pas = sum(lex.get("di" + root + x, (0, 0))[0] for x in sufs)
            out[i] = (root, out[i][1] + _W_PASSIVE * min(math.log1p(pas), _PASSIVE_CAP))
    return out


def stem(word: str) -> str:
    """Return the root of one lowercased Indonesian ``word``.

    Never raises; words that are not plain alphabetic are returned unchanged,
    except that a reduplicated or hyphenated word is stemmed by its first part.

    >>> stem("pengalaman") == stem("mengalami") == stem("mengalaminya")
    True
    >>> stem("bukankah")
    'bukan'
    """
    if not isinstance(word, str) or not word:
        return word if isinstance(word, str) else ""
    if "-" in word:
        return _stem_hyphenated(word)
    if not (word.isascii() and word.isalpha()) or len(word) <= 3:
        return word
    if not word.startswith(_PREFIX_HEADS) and not word.endswith(_SUFFIX_TAILS):
        # Nothing to strip: the common case for names, numbers and short roots.
        return word
    lex = _load()
    bare = _strip_clitics(word)
    if bare in _protected:
        return bare
    if word in _protected:
        return word
    if bare[:2] == "ke" and bare[2:] in _NUMERALS:
        return bare  # ordinals (kesembilan), whose -an belongs to the numeral
    if bare.startswith("ketidak") and bare.endswith("an") and len(bare) >= 12:
        # ke-tidak-X-an nominalises a negated adjective (ketidakpastian ~ pasti).
        return stem(bare[7:-2])
    if bare.startswith("pra") and len(bare) >= 8:
        # pra- ("pre-") on an affixed word (prapembayaran): the root is the word's.
        inner = stem(bare[3:])
        if inner != bare[3:] and lex.get(bare[3:], (0, 0))[0] >= 3:
            return inner
    best_score = -1e9
    best = bare
    for root, score in _scored(word, lex):
        if score > best_score:
            best_score = score
            best = root
    if best == bare:
        # No analysis is attested: fall back to rules, strictly for attested words
        # (a frequent word whose supposed root never occurs is rarely derived),
        # and not for a word that is itself the base of attested derived forms
        # (pengaruh: dipengaruhi, berpengaruh), which makes it a root.
        freq, family = lex.get(bare, (0, 0))
        if family < _MIN_SUPPORT and not _licensed(bare, "", ""):
            return _rule_stem(bare, strict=freq >= 3, confix_only=freq >= _FALLBACK_MAX_FREQ)
    if best.endswith("an") and best != bare and stem(best) == best[:-2]:
        # prefix + noun in -an (berhubungan, sehubungan): the noun's own verdict
        # (hubungan -> hubung) carries over, so the family shares one stem.
        return best[:-2]
    return best


_CACHE_MAX = 200_000
_cache: dict[str, str] = {}


def cached_stem(word: str) -> str:
    """Memoised :func:`stem` for the analyzer's hot path.

    A plain dict is several times faster than ``functools.lru_cache`` here; it is
    bounded by emptying it when full, which is cheap and rare for real text.

    >>> cached_stem("berkunjung")
    'kunjung'
    """
    try:
        return _cache[word]
    except KeyError:
        pass
    except TypeError:  # unhashable input: let stem() deal with it
        return stem(word)
    if len(_cache) >= _CACHE_MAX:
        _cache.clear()
    result = _cache[word] = stem(word)
    return result


def cache_clear() -> None:
    """Empty the :func:`cached_stem` cache (benchmarks use it for cold runs)."""
    _cache.clear()


cached_stem.cache_clear = cache_clear  # type: ignore[attr-defined]
