"""Boilerplate removal and scrape repair: the line and paragraph work on raw text.

Two kinds of cleaning, used by :mod:`~searchlib.documents.articles` (raw web scrapes get
both) and :mod:`~searchlib.documents.corpora` (records get only the second):

* **Site furniture**: navigation, footers, share widgets, ads and comment forms are
  recognised by whole-line patterns (``NAV_LINES``, ``END_MARKERS``, ``BOILERPLATE_LINES``,
  ``INLINE_TAILS`` below; add new site furniture there).
* **Scrape damage**: ``barang -barang``, ``perundingan.Menteri``, stray ``. .``, hard-wrapped
  lines and repeated paragraphs are repaired by :func:`clean_text` and its helpers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = [
    "BOILERPLATE_LINES",
    "END_MARKERS",
    "INLINE_TAILS",
    "NAV_LINES",
    "clean_text",
    "cut_footer",
    "dedupe_paragraphs",
    "is_boilerplate",
    "is_navigation",
    "normalise_lines",
    "repair",
    "repaired_paragraphs",
    "strip_inline_tails",
]

# --------------------------------------------------------------------------------------
# Boilerplate patterns. Each entry is a regular expression matched against a whole line
# (case-insensitive, after whitespace normalisation). Add new site furniture here.
# --------------------------------------------------------------------------------------

#: Navigation lines: dropped only at the top of a page (before the title/body).
NAV_LINES: tuple[str, ...] = (
    r"tautan-tautan akses",  # VOA Indonesia: "Accessibility links"
    r"lompat ke (?:konten|konten utama|navigasi utama|pencarian)",  # VOA skip links
    r"skip to (?:content|main content)",
    r"berita(?: terkini| utama| terbaru)?",  # section label above the headline
    r"beranda|home|menu|navigasi|internasional|nasional|dunia",  # section labels
    r"(?:beranda|home)\s*(?:[»>/|]\s*[^»>/|]{1,30}){1,5}",  # breadcrumbs "Beranda » Berita"
)

#: Lines that start the footer: the line and everything after it are dropped, unless real
#: prose (a long sentence that is not itself boilerplate) still follows.
END_MARKERS: tuple[str, ...] = (
    r"recommended",  # VOA: "Recommended" + XS/SM/MD/LG image-size list
    r"related articles|artikel terkait|berita terkait|baca (?:juga )?berita lainnya",
    r"source link",  # auto-blog footer
    r"tinggalkan balasan|leave a reply|tulis komentar|kirim komentar",  # comment forms
    r"komentar \(\d+\)|\d+ komentar|comments? \(\d+\)",
    r"back to top(?: button)?|kembali ke atas",
)

#: Lines dropped wherever they stand alone (share widgets, ads, form fields, credits).
BOILERPLATE_LINES: tuple[str, ...] = (
    *END_MARKERS,
    r"xs|sm|md|lg|xl",  # image-size pickers
    r"bagikan(?: artikel ini)?|share(?: this)?:?|salin tautan|copy link|tweet|pin",
    r"facebook|twitter|x|whatsapp|telegram|linkedin|line|email|e-mail|print|cetak",
    r"alamat email anda tidak akan dipublikasikan\..*",  # WordPress comment form
    r"your email address will not be published\..*",
    r"ruas yang wajib ditandai \*|nama \*|email \*|situs web|batalkan balasan",
    r"simpan nama, email, dan situs web saya.*",
    r"advertisement|iklan|scroll to continue with content|gulir untuk melanjutkan.*",
    r"baca juga\s*:?.{0,200}",  # inline "read also" link
    r"(?:photo|foto|gambar|image|ilustrasi)\s*:\s*[^.]{1,60}",  # bare photo credit
)

#: Inline clutter removed from the end of a paragraph: editor initials like "[uh/ab]".
INLINE_TAILS: tuple[str, ...] = (
    r"\s*\[[a-z]{1,5}(?:\s*/\s*[a-z]{1,5})+\]",  # VOA "[uh/ab]"
    r"\s*\((?:[a-z]{2,5}\s*/\s*)+[a-z]{2,5}\)",  # "(rsa / rsa)", "(nug/dan)"
)


def _compile_lines(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_NAV_RE = _compile_lines(NAV_LINES)
_END_RE = _compile_lines(END_MARKERS)
_BOILER_RE = _compile_lines(BOILERPLATE_LINES)
_TAIL_RE = re.compile(f"(?:{'|'.join(INLINE_TAILS)})$")


def is_navigation(line: str) -> bool:
    """Whether ``line`` (normalised) is a navigation line (:data:`NAV_LINES`).

    >>> is_navigation("Beranda » Berita » Dunia"), is_navigation("Menteri bertemu")
    (True, False)
    """
    return _NAV_RE.fullmatch(line) is not None


def is_boilerplate(line: str) -> bool:
    """Whether ``line`` (normalised) is site furniture to drop (:data:`BOILERPLATE_LINES`).

    >>> is_boilerplate("Bagikan"), is_boilerplate("Bagikan berita ini kepada teman Anda.")
    (True, False)
    """
    return _BOILER_RE.fullmatch(line) is not None


def strip_inline_tails(line: str) -> str:
    """``line`` without trailing editor initials (:data:`INLINE_TAILS`), stripped.

    >>> strip_inline_tails("Mereka sepakat. [uh/ab]")
    'Mereka sepakat.'
    """
    return _TAIL_RE.sub("", line).strip()


def _is_prose(line: str) -> bool:
    return len(line.split()) >= 12 and line.endswith(tuple('.!?"”')) and not is_boilerplate(line)


def cut_footer(lines: list[str]) -> list[str]:
    """``lines`` up to the first footer marker (:data:`END_MARKERS`) that no prose follows.

    >>> cut_footer(["Isi berita.", "Related Articles", "Judul lain"])
    ['Isi berita.']
    """
    for index, line in enumerate(lines):
        if (
            line
            and _END_RE.fullmatch(line)
            and not any(_is_prose(rest) for rest in lines[index + 1 :])
        ):
            return lines[:index]
    return lines


# --------------------------------------------------------------------------------------
# Text repairs
# --------------------------------------------------------------------------------------

_LETTER = r"[^\W\d_]"
# "barang -barang" -> "barang-barang": hyphen glued to the next word, space before it only.
# (Patterns start with a literal character so that the scan over long texts stays fast.)
_BROKEN_HYPHEN = re.compile(rf" (?<={_LETTER} )-(?={_LETTER})")
# "barang- barang" -> "barang-barang": only for reduplication, where it is unambiguous.
_BROKEN_REDUP = re.compile(rf"-(?<={_LETTER}-) (?={_LETTER})")
# "perundingan.Menteri" -> "perundingan. Menteri": a dot between a word of 3+ letters ending
# in a lowercase letter (or an acronym such as "AS") and a capitalised word. Leaves "Ph.D",
# "D.C.", "57.8", "Suara.com", domain-like "Kompas.Com", URLs and e-mail addresses alone.
# The pattern starts at the dot (fast); _run_on checks the word before it.
_RUN_ON = re.compile(r"\.(?!(?:Com|Net|Org|Id|Co|Go|Ac|Info|Biz|Io)\b)(?=[A-Z][a-z])")
_RUN_ON_WORD = re.compile(rf"{_LETTER}{{2,}}[a-z]|[A-Z]{{2,5}}")
_URL_LIKE = re.compile(r"://|\bwww\.|@", re.IGNORECASE)
# "bilateral. . selama" -> stray dots after a word.
_STRAY_DOTS = re.compile(rf"\.(?<={_LETTER}\.)(?: \.)+(?= (\S)|$)")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]{2,}|[^\S\n ]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _run_on(match: re.Match[str]) -> str:
    text = match.string
    dot = match.start()
    start = dot
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    if start > 0 and (text[start - 1] == "." or text[start - 1].isalnum()):
        return "."  # "U.S.Army", "G7.Menteri": part of an abbreviation or code
    if not _RUN_ON_WORD.fullmatch(text, start, dot):
        return "."
    token_start = max(text.rfind(" ", 0, dot), text.rfind("\n", 0, dot)) + 1
    token_end = len(text)
    for stop in (" ", "\n"):
        found = text.find(stop, dot)
        if found != -1:
            token_end = min(token_end, found)
    if _URL_LIKE.search(text, token_start, token_end):  # inside a URL or e-mail address
        return "."
    return ". "


def _reduplication(match: re.Match[str]) -> str:
    text, hyphen = match.string, match.start()
    before = re.search(r"[^\W\d_]+$", text[max(0, hyphen - 40) : hyphen])
    after = re.match(r"[^\W\d_]+", text[hyphen + 2 : hyphen + 42])
    if before and after and before.group(0).casefold() == after.group(0).casefold():
        return "-"
    return "- "


def _stray_dots(match: re.Match[str]) -> str:
    following = match.group(1)
    return "" if following and following.islower() else "."


def repair(text: str) -> str:
    """Repair scrape damage inside one paragraph: broken hyphens, run-on sentences, ``. .``.

    >>> repair("barang -barang dibawa.Mereka pulang. . lalu")
    'barang-barang dibawa. Mereka pulang lalu'
    """
    if " -" in text:
        text = _BROKEN_HYPHEN.sub("-", text)
    if "- " in text:
        text = _BROKEN_REDUP.sub(_reduplication, text)
    text = _RUN_ON.sub(_run_on, text)
    if " ." in text:
        text = _STRAY_DOTS.sub(_stray_dots, text)
    return text


def normalise_lines(text: str) -> list[str]:
    """The lines of ``text`` in NFC, without invisible characters, runs of spaces collapsed.

    >>> normalise_lines("a\\u00a0 b\\r\\n\\u200bc ")
    ['a b', 'c']
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return [_collapse_spaces(line).strip() for line in text.split("\n")]


def _collapse_spaces(line: str) -> str:
    """``line`` (no line break in it) with each run of spaces, or other space, as one space.

    Every space character but ``" "`` is unprintable, so a printable line without two spaces
    in a row has nothing to collapse: most lines, checked in C without running the pattern.

    >>> _collapse_spaces("a \u00a0b\tc"), _collapse_spaces("a b")
    ('a b c', 'a b')
    """
    if "  " not in line and line.isprintable():
        return line
    return _SPACES.sub(" ", line)


_SENTENCE_END = ".!?:;\"'”’)]»…"


def _paragraphs(lines: list[str]) -> list[str]:
    """Blocks separated by blank lines -> paragraphs; each line of a block is a paragraph,
    except that a line not ending in punctuation is joined to a next line starting in
    lowercase (undoing hard wraps)."""
    paragraphs: list[str] = []
    joinable = False
    for line in lines:
        if not line:
            joinable = False
            continue
        if joinable and line[:1].islower():
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        joinable = not paragraphs[-1].endswith(tuple(_SENTENCE_END))
    return paragraphs


def repaired_paragraphs(lines: list[str]) -> list[str]:
    """The paragraphs of normalised ``lines`` (hard wraps undone), each :func:`repair`-ed.

    >>> repaired_paragraphs(["Baris yang", "terputus.Lalu", "", "Dua"])
    ['Baris yang terputus. Lalu', 'Dua']
    """
    return [repair(p) for p in _paragraphs(lines)]


def dedupe_paragraphs(paragraphs: list[str]) -> list[str]:
    """Drop repeated paragraphs (scrapes repeat captions): consecutive repeats always,
    earlier repeats when the paragraph has 4+ words.

    >>> dedupe_paragraphs(["Foto: A", "foto: a", "Isi berita ini panjang.", "B",
    ...                    "Isi berita ini panjang."])
    ['Foto: A', 'Isi berita ini panjang.', 'B']
    """
    seen: set[str] = set()
    kept: list[str] = []
    for paragraph in paragraphs:
        key = paragraph.casefold()
        if kept and kept[-1].casefold() == key:
            continue
        if key in seen and len(paragraph.split()) >= 4:
            continue
        seen.add(key)
        kept.append(paragraph)
    return kept


def clean_text(text: str) -> str:
    """Normalise whitespace and repair scrape damage, keeping paragraphs (``\\n\\n``).

    Used for corpus records; :func:`~searchlib.documents.parse_article` additionally
    removes boilerplate.

    >>> clean_text("  Bersama -sama  pergi.Mereka\\n\\n\\n\\npulang ")
    'Bersama-sama pergi. Mereka\\n\\npulang'
    """
    return "\n\n".join(repaired_paragraphs(normalise_lines(text)))
