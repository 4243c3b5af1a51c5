"""Turning files into :class:`Document` objects: raw article scrapes, JSONL and TSV corpora.

Three entry points:

* :func:`parse_article` cleans one raw web-scraped article (string in, :class:`Document`
  out): it drops site furniture (navigation, "Recommended" blocks, comment forms, share
  widgets, credit lines), repairs scrape damage (``barang -barang``, ``perundingan.Menteri``,
  stray ``. .``), and picks out the title, publication date and source URL where the article
  states them.
* :func:`load_file` reads one text article from disk, with clear errors for files that are
  not UTF-8 text, are binary, empty, too large, unreadable or dangling symlinks.
* :func:`iter_documents` streams documents from files and folders in ``text``, ``jsonl`` or
  ``tsv`` format. Bad files and records become :class:`~searchlib.errors.DocumentError`;
  pass ``on_error`` (for example a :class:`LoadReport`) to collect them and keep going.

>>> doc = parse_article("Berita\\n\\nJudul Berita Hari Ini\\n\\nIsi -nya.Lalu selesai.", "d1")
>>> doc.title, doc.body
('Judul Berita Hari Ini', 'Isi-nya. Lalu selesai.')

Rules that are decisions rather than facts (the tests pin them):

* **Title**: the first content line after the navigation is a title only if it looks like a
  headline: 3-25 words, at most 200 characters, starts with a capital letter or digit, does
  not end in sentence punctuation (``. ! ? , ; :``) or a closing bracket/quote, is not a photo
  caption, and more text follows it. A first *sentence* of the body is never a title. The
  title is removed from ``body`` (index it from ``Document.title``).
* **Date** (ISO, at the precision stated): the publication date comes from the article's
  header, that is a metadata line (``date 2020-01``, ``Tanggal: ...``) or a line that holds
  only a date (``20 September 2019``, ``Jumat, 20 Sep 2019 10:30 WIB``) among the first
  lines. If the lead (first two non-caption paragraphs) names the news day the Indonesian way,
  ``Selasa (14/01/20)``, that more precise date is used when it agrees with the header date
  (same year, and month if stated), or when there is no header date and it carries a year. A
  lead date without a year (``Jumat (6/8)``) is only completed from a header date's year;
  otherwise the date stays ``None``. Dates inside photo captions (``... 17 Maret 2021.
  (Foto: ...)``) describe the photo and are ignored, as are dates of events in the body.
* **Captions** are kept in ``body`` (they carry names), but a repeated paragraph is kept once.
* **Source**: a ``Sumber: https://...`` / ``Source: ...`` line gives ``source``; short credit
  lines (``Menurut VNA``, ``Sumber: Antara``) go to ``fields["credit"]``, bylines
  (``Oleh ...``, ``Penulis: ...``) to ``fields["byline"]``; none of them stay in ``body``.
* **Corpus records** (JSONL/TSV) carry their own metadata: their text gets whitespace
  normalisation and the scrape repairs, but no boilerplate, title or date extraction.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from searchlib.errors import DocumentError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "Document",
    "LoadReport",
    "clean_text",
    "iter_documents",
    "load_file",
    "parse_article",
    "parse_date",
]

#: Largest text article (or single corpus record) accepted, in bytes.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

#: Values accepted by ``iter_documents(format=...)``.
FORMATS = ("auto", "text", "jsonl", "tsv")

_EXTENSION_FORMATS = {".txt": "text", ".jsonl": "jsonl", ".tsv": "tsv"}


@dataclass(frozen=True)
class Document:
    """One searchable document.

    >>> Document(id="a", body="Isi.", date="2021").date
    '2021'
    """

    id: str  # file name without extension, or the corpus record's id
    body: str  # cleaned text for indexing and snippets
    title: str | None = None  # only where the article states one
    date: str | None = None  # ISO at the precision stated: "2019-09-20", "2020-01", "2021"
    source: str | None = None  # source URL where one is printed (or JSONL "source")
    fields: dict[str, str] = field(default_factory=dict)  # extra metadata, e.g. category


@dataclass
class LoadReport:
    """Collects the errors of a load; pass it as ``on_error`` to :func:`iter_documents`.

    >>> report = LoadReport()
    >>> docs = list(iter_documents(["/no/such/file.txt"], on_error=report))
    >>> docs, len(report.errors), report.errors[0].reason
    ([], 1, 'no such file or directory')
    """

    errors: list[DocumentError] = field(default_factory=list)

    def __call__(self, error: DocumentError) -> None:
        """Record ``error`` (this makes the report usable as an ``on_error`` callback)."""
        self.errors.append(error)

    @property
    def ok(self) -> bool:
        """True when nothing went wrong."""
        return not self.errors

    def summary(self) -> str:
        """One line per error, ``path: reason``, or ``"no errors"``."""
        if not self.errors:
            return "no errors"
        return "\n".join(str(error) for error in self.errors)


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

#: "Sumber: https://..." style lines: the URL becomes ``Document.source``.
_SOURCE_LINE = re.compile(
    r"(?:sumber|source|sumber berita|artikel asli|baca selengkapnya|selengkapnya)"
    r"\s*:?\s*(https?://\S+)",
    re.IGNORECASE,
)
#: Short credit lines ("Menurut VNA", "Sumber: Antara") -> fields["credit"].
_CREDIT_LINE = re.compile(
    r"(?:(?i:menurut)\s+|(?i:sumber|source|via|kredit|credit)\s*:\s*)"
    r"([A-Z][\w&.'-]*(?: [\w&.'-]+){0,3})"
)
#: Bylines ("Oleh Park Han-na", "Penulis: X") -> fields["byline"]; "Editor: X" -> "editor".
_BYLINE = re.compile(r"(?i:oleh|by|penulis|reporter|pewarta)\s*:?\s*([A-Z][^.,:;!?]{1,80})")
_EDITOR_LINE = re.compile(r"(?:editor|redaktur)\s*:\s*([^.;!?]{2,80})", re.IGNORECASE)

#: Photo captions: a line ending in "(Foto: ...)", "(Sumber: AFP)" etc.
_CAPTION = re.compile(
    r"\((?:foto|photo|sumber|source|gambar|ilustrasi|dok|dokumentasi|image)\s*:[^()]*\)\s*$",
    re.IGNORECASE,
)


def _compile_lines(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_NAV_RE = _compile_lines(NAV_LINES)
_END_RE = _compile_lines(END_MARKERS)
_BOILER_RE = _compile_lines(BOILERPLATE_LINES)
_TAIL_RE = re.compile(f"(?:{'|'.join(INLINE_TAILS)})$")

# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "januari jan january",
        "februari feb pebruari peb february",
        "maret mar march",
        "april apr",
        "mei may",
        "juni jun june",
        "juli jul july",
        "agustus agu agt ags aug august",
        "september sep sept",
        "oktober okt oct october",
        "november nov nop nopember",
        "desember des dec december",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = (
    r"(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
)
# A date with a year, in any of the forms we read. Named groups identify the form.
_DATE_CORE = (
    rf"(?:(?P<td>\d{{1,2}})\s+)?(?P<tm>{_MONTH}),?\s+(?P<ty>\d{{4}})"  # 20 Sep 2019
    rf"|(?P<em>{_MONTH})\s+(?P<ed>\d{{1,2}}),\s*(?P<ey>\d{{4}})"  # September 20, 2019
    r"|(?P<iy>\d{4})(?:-(?P<im>\d{2})(?:-(?P<id>\d{2}))?)?"  # 2019, 2019-09, 2019-09-20
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|(?P<nd>\d{1,2})\s*[/.-]\s*(?P<nm>\d{1,2})\s*[/.-]\s*(?P<ny>\d{4}|\d{2})"  # 20/09/2019
)
_TIME = r"(?:pukul\s*)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:wib|wita|wit|gmt|utc|kst)?"
# A line that holds only a date (optionally weekday before, time after).
_DATE_LINE = re.compile(
    rf"(?:{_WEEKDAY}\s*,?\s*)?(?:{_DATE_CORE})(?:\s*[|,\-–—]?\s*{_TIME})?",
    re.IGNORECASE,
)
# A metadata line: "date 2020-01 ...", "Tanggal: 20 September 2019", rest kept as a line.
_META_DATE = re.compile(
    r"(?:date|tanggal|tgl\.?|diterbitkan|dipublikasikan|published|posted|diposting|terbit)"
    rf"(?:\s+(?:pada|on))?\s*:?\s*(?P<date>(?:{_WEEKDAY}\s*,?\s*)?(?:{_DATE_CORE}))"
    rf"(?![\w/.-])(?:\s*[|,\-–—]?\s*{_TIME}(?!\w))?\s*(?P<rest>.*)",
    re.IGNORECASE,
)
# The Indonesian news-day convention in a lead: "Selasa (14/01/20)", "Jumat (6/8)".
_LEAD_DATE = re.compile(
    rf"\b{_WEEKDAY}\s*,?\s*\(\s*(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})"
    r"(?:\s*/\s*(?P<y>\d{4}|\d{2}))?\s*\)",
    re.IGNORECASE,
)
# A dateline opening the lead: "JAKARTA, 20 September 2019 - ...".
_LEAD_DATELINE = re.compile(
    rf"[A-Z][\w .'-]{{1,40}}?,\s*(?:{_WEEKDAY}\s*,?\s*)?(?P<date>{_DATE_CORE})\s*[-–—(]",
    re.IGNORECASE,
)


def _year(text: str) -> int:
    value = int(text)
    if len(text) == 2:
        value += 2000
        if value > _dt.date.today().year + 1:
            value -= 100
    return value


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """ISO string at the given precision, or None when the date does not exist."""
    if not 1800 <= year <= 2200:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _iso_from_match(match: re.Match[str]) -> str | None:
    groups = match.groupdict()

    def month(name: str) -> int:
        return _MONTHS[name.lower().rstrip(".")]

    if groups.get("tm"):
        day = int(groups["td"]) if groups.get("td") else None
        return _iso(int(groups["ty"]), month(groups["tm"]), day)
    if groups.get("em"):
        return _iso(int(groups["ey"]), month(groups["em"]), int(groups["ed"]))
    if groups.get("iy"):
        mon = int(groups["im"]) if groups.get("im") else None
        day = int(groups["id"]) if groups.get("id") else None
        return _iso(int(groups["iy"]), mon, day)
    if groups.get("nd"):
        return _iso(_year(groups["ny"]), int(groups["nm"]), int(groups["nd"]))
    return None


def parse_date(value: str) -> str | None:
    """Parse a string that holds one date; return ISO at the precision stated, else None.

    Reads ISO (``2019``, ``2019-09``, ``2019-09-20``, with or without a time), Indonesian
    or English month names and abbreviations (``20 September 2019``, ``20 Agt 2019``,
    ``September 2019``), ``dd/mm/yyyy`` and ``dd/mm/yy``, with an optional weekday.

    >>> parse_date("Jumat, 20 Sep 2019"), parse_date("2020-01"), parse_date("14/01/20")
    ('2019-09-20', '2020-01', '2020-01-14')
    >>> parse_date("kemarin") is None
    True
    """
    match = _DATE_LINE.fullmatch(value.strip())
    return _iso_from_match(match) if match else None


def _is_date_line(line: str) -> str | None:
    return parse_date(line) if len(line) <= 60 else None


def _precision(iso: str) -> int:
    return iso.count("-") + 1


def _lead_date(paragraphs: list[str], header: str | None) -> str | None:
    """Refine or supply the date from the lead; see the module docstring for the rule."""
    for paragraph in paragraphs[:2]:
        found: str | None = None
        dateline = _LEAD_DATELINE.match(paragraph)
        if dateline:
            inner = _DATE_LINE.fullmatch(dateline.group("date"))
            found = _iso_from_match(inner) if inner else None
        match = None if found else _LEAD_DATE.search(paragraph)
        if match:
            day, month = int(match["d"]), int(match["m"])
            if match["y"]:
                found = _iso(_year(match["y"]), month, day)
            elif header is not None:
                # No year in the lead: only the header's stated year can complete it.
                header_month = int(header[5:7]) if _precision(header) >= 2 else None
                if header_month in (None, month):
                    found = _iso(int(header[:4]), month, day)
        if found is None:
            continue
        if header is None:
            return found
        if _precision(found) > _precision(header) and found.startswith(header):
            return found
        return header
    return header


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


def _repair(text: str) -> str:
    """Repair scrape damage inside one paragraph (see module docstring)."""
    if " -" in text:
        text = _BROKEN_HYPHEN.sub("-", text)
    if "- " in text:
        text = _BROKEN_REDUP.sub(_reduplication, text)
    text = _RUN_ON.sub(_run_on, text)
    if " ." in text:
        text = _STRAY_DOTS.sub(_stray_dots, text)
    return text


def _normalise_lines(text: str) -> list[str]:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


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


def _dedupe(paragraphs: list[str]) -> list[str]:
    """Drop repeated paragraphs (scrapes repeat captions): consecutive repeats always,
    earlier repeats when the paragraph has 4+ words."""
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

    Used for corpus records; :func:`parse_article` additionally removes boilerplate.

    >>> clean_text("  Bersama -sama  pergi.Mereka\\n\\n\\n\\npulang ")
    'Bersama-sama pergi. Mereka\\n\\npulang'
    """
    return "\n\n".join(_repair(p) for p in _paragraphs(_normalise_lines(text)))


# --------------------------------------------------------------------------------------
# Article parsing
# --------------------------------------------------------------------------------------

_HEADER_LINES = 6  # how many leading content lines may hold navigation, date, title


def _is_prose(line: str) -> bool:
    return (
        len(line.split()) >= 12 and line.endswith(tuple('.!?"”')) and not _BOILER_RE.fullmatch(line)
    )


def _cut_footer(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if (
            line
            and _END_RE.fullmatch(line)
            and not any(_is_prose(rest) for rest in lines[index + 1 :])
        ):
            return lines[:index]
    return lines


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return (
        3 <= len(words) <= 25
        and len(line) <= 200
        and (line[0].isupper() or line[0].isdigit())
        and not line.endswith(tuple(".!?,;:)]\"'”’»…"))
        and not _CAPTION.search(line)
        and _is_date_line(line) is None
    )


def _add_field(fields: dict[str, str], key: str, value: str) -> None:
    value = value.strip()
    if value:
        fields[key] = f"{fields[key]}; {value}" if key in fields else value


def parse_article(text: str, doc_id: str) -> Document:
    """Turn one raw article (web scrape) into a :class:`Document`.

    Removes site boilerplate, repairs scrape damage and extracts title, date, source and
    credits as described in the module docstring. Never raises on odd text; the body may
    come out empty if the text held nothing but boilerplate.

    >>> doc = parse_article("20 September 2019\\nKedua negara bertemu.Mereka sepakat.", "x")
    >>> doc.date, doc.title, doc.body
    ('2019-09-20', None, 'Kedua negara bertemu. Mereka sepakat.')
    """
    lines = _cut_footer(_normalise_lines(text))
    fields: dict[str, str] = {}
    source: str | None = None
    header_date: str | None = None
    content_positions = [i for i, line in enumerate(lines) if line]
    head = set(content_positions[:_HEADER_LINES])
    tail = set(content_positions[-3:])

    # Pass 1: metadata lines, credits and boilerplate lines become blank lines.
    for index, line in enumerate(lines):
        if not line:
            continue
        if index in head:
            meta = _META_DATE.fullmatch(line)
            if meta:
                inner = _DATE_LINE.fullmatch(meta.group("date"))
                header_date = header_date or (_iso_from_match(inner) if inner else None)
                line = meta.group("rest").strip()
        line = _TAIL_RE.sub("", line).strip()
        short = len(line.split()) <= 10 and not line.endswith((".", ","))
        if source_match := _SOURCE_LINE.fullmatch(line):
            source = source or source_match.group(1).rstrip(".,;)")
            line = ""
        elif line and _BOILER_RE.fullmatch(line):
            line = ""
        elif short and (credit := _CREDIT_LINE.fullmatch(line)) and "," not in line:
            _add_field(fields, "credit", credit.group(1))
            line = ""
        elif short and (index in head or index in tail) and (by := _BYLINE.fullmatch(line)):
            _add_field(fields, "byline", by.group(1))
            line = ""
        elif short and (editor := _EDITOR_LINE.fullmatch(line)):
            _add_field(fields, "editor", editor.group(1))
            line = ""
        lines[index] = line

    # Pass 2: header - navigation, date-only lines, then at most one title.
    title: str | None = None
    seen = 0
    for index, line in enumerate(lines):
        if not line:
            continue
        if seen >= _HEADER_LINES:
            break
        seen += 1
        if title is None and _NAV_RE.fullmatch(line):
            lines[index] = ""
            continue
        date = _is_date_line(line)
        if date:
            header_date = header_date or date
            lines[index] = ""
            continue
        has_more = any(lines[index + 1 :])
        if title is None and has_more and _looks_like_title(line):
            title = _repair(line)
            lines[index] = ""
            continue
        break

    paragraphs = _dedupe([_repair(p) for p in _paragraphs(lines)])
    not_captions = [p for p in paragraphs if not _CAPTION.search(p)]
    date = _lead_date(not_captions, header_date)
    return Document(
        id=doc_id,
        body="\n\n".join(paragraphs),
        title=title,
        date=date,
        source=source,
        fields=fields,
    )


# --------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------

# Leading bytes of common binary formats, with a name for the error message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document; extract its text first"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx); extract its text first"),
    (b"\x1f\x8b", "gzip-compressed; decompress it first"),
    (b"BZh", "bzip2-compressed; decompress it first"),
    (b"\xfd7zXZ\x00", "xz-compressed; decompress it first"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document; extract its text first"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _binary_reason(head: bytes) -> str | None:
    if head.startswith(_UTF16_BOMS):
        return "file is UTF-16 encoded; re-save it as UTF-8"
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return f"binary file ({name}), not text"
    if b"\x00" in head:
        return "binary file (contains NUL bytes), not text"
    return None


def _decode(data: bytes, *, line_offset: int = 0) -> str:
    """Decode UTF-8 or raise ValueError with a reason a user can act on."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1 + line_offset
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = ""
        try:
            data.decode("cp1252")
            hint = " (it looks like Latin-1/Windows-1252 text)"
        except UnicodeDecodeError:
            pass
        raise ValueError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02X} at line {line}, column {column}"
            f"{hint}; re-save the file as UTF-8"
        ) from None


def _check_path(path: str) -> os.stat_result:
    """Stat a file to be read, raising DocumentError for missing/odd/unreadable paths."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            target = os.readlink(path)
            raise DocumentError(
                path, f"broken symbolic link: its target {target!r} does not exist"
            ) from None
        raise DocumentError(path, "no such file or directory") from None
    except PermissionError:
        raise DocumentError(path, "permission denied: cannot access the file") from None
    except OSError as exc:
        raise DocumentError(path, f"cannot access the file: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError(path, "is a directory; pass it to iter_documents to load a folder")
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(path, "not a regular file (device, socket or pipe)")
    return info


def _open(path: str):
    try:
        return open(path, "rb")
    except PermissionError:
        raise DocumentError(
            path, "permission denied: this user may not read the file (check its permissions)"
        ) from None
    except OSError as exc:
        raise DocumentError(path, f"cannot read the file: {exc.strerror}") from None


def _too_big(size: int, max_bytes: int) -> str:
    return (
        f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes; split it into "
        "smaller articles or raise max_bytes"
    )


def load_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one raw text article and parse it with :func:`parse_article`.

    The id is the file name without its extension. Raises
    :class:`~searchlib.errors.DocumentError` for a missing file, a broken symlink, a
    directory, a file over ``max_bytes`` (checked before reading), an unreadable file,
    binary content, non-UTF-8 bytes, an empty or whitespace-only file, or a file holding
    nothing but site boilerplate.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "berita-1.txt"
    >>> _ = p.write_text("Judul Sebuah Berita Penting\\n\\nIsi beritanya di sini.", "utf-8")
    >>> load_file(p).id, load_file(p).title
    ('berita-1', 'Judul Sebuah Berita Penting')
    """
    name = os.fspath(path)
    info = _check_path(name)
    if info.st_size > max_bytes:
        raise DocumentError(name, _too_big(info.st_size, max_bytes))
    with _open(name) as handle:
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise DocumentError(name, f"cannot read the file: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise DocumentError(name, _too_big(len(data), max_bytes))
    if not data:
        raise DocumentError(name, "file is empty")
    reason = _binary_reason(data)
    if reason:
        raise DocumentError(name, reason)
    try:
        text = _decode(data.removeprefix(b"\xef\xbb\xbf"))
    except ValueError as exc:
        raise DocumentError(name, str(exc)) from None
    if not text.strip():
        raise DocumentError(name, "file contains only whitespace")
    document = parse_article(text, Path(name).stem)
    if not document.body:
        raise DocumentError(
            name, "no article text left after removing site boilerplate (navigation, footers)"
        )
    return document


# --------------------------------------------------------------------------------------
# Corpora
# --------------------------------------------------------------------------------------


def _records(path: str, max_bytes: int) -> Iterator[tuple[int, str] | DocumentError]:
    """Stream the lines of a corpus file as ``(line_number, text)`` or per-line errors.

    File-level problems raise DocumentError; a line over ``max_bytes`` or with bad bytes
    yields an error for that line. Blank lines are skipped.
    """
    _check_path(path)
    with _open(path) as handle:
        head = handle.read(8192)
        reason = _binary_reason(head)
        if reason:
            raise DocumentError(path, reason)
        if not head:
            raise DocumentError(path, "file is empty")
        handle.seek(3 if head.startswith(b"\xef\xbb\xbf") else 0)
        number = 0
        any_record = False
        while True:
            raw = handle.readline(max_bytes + 1)
            if not raw:
                break
            number += 1
            where = f"{path}:{number}"
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                while (chunk := handle.readline(1 << 20)) and not chunk.endswith(b"\n"):
                    pass
                yield DocumentError(
                    where,
                    f"record is over the limit of {max_bytes:,} bytes; split it or raise max_bytes",
                )
                continue
            if b"\x00" in raw:
                yield DocumentError(where, "line contains NUL bytes (binary data), not text")
                continue
            try:
                line = _decode(raw).rstrip("\r\n")
            except ValueError as exc:
                yield DocumentError(where, str(exc).replace(" at line 1,", ","))
                continue
            if line.strip():
                any_record = True
                yield number, line
        if not any_record:
            raise DocumentError(path, "file contains no records (only blank lines)")


def _jsonl_document(line: str) -> Document:
    """Build a Document from one JSONL line; ValueError carries the user-facing reason."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise ValueError(
            f'record is a JSON {type(record).__name__}, expected an object with "id" and "text"'
        )
    for key in ("id", "text"):
        if key not in record or record[key] is None:
            raise ValueError(f'record has no "{key}" field (each line needs "id" and "text")')
    raw_id = record["id"]
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        raise ValueError(f'"id" must be a string, not {type(raw_id).__name__}')
    doc_id = str(raw_id).strip()
    if not doc_id:
        raise ValueError('"id" is empty')
    if not isinstance(record["text"], str):
        raise ValueError(f'"text" must be a string, not {type(record["text"]).__name__}')
    body = clean_text(record["text"])
    if not body:
        raise ValueError('"text" is empty')
    meta: dict[str, str | None] = {}
    for key in ("title", "date", "source"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f'"{key}" must be a string, not {type(value).__name__}')
        meta[key] = " ".join(value.split()) if value and value.strip() else None
    if meta["date"] is not None:
        date = parse_date(meta["date"])
        if date is None:
            raise ValueError(
                f'"date" {meta["date"]!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)'
            )
        meta["date"] = date
    fields: dict[str, str] = {}
    for key, value in record.items():
        if key in ("id", "text", "title", "date", "source") or value is None:
            continue
        if isinstance(value, (str, int, float, bool)):  # nested values are ignored
            fields[str(key)] = str(value)
    return Document(
        id=doc_id,
        body=body,
        title=meta["title"],
        date=meta["date"],
        source=meta["source"],
        fields=fields,
    )


def _tsv_document(line: str, number: int) -> Document | None:
    if "\t" not in line:
        raise ValueError("line has no tab; expected id<TAB>text")
    doc_id, text = line.split("\t", 1)
    doc_id = doc_id.strip()
    if number == 1 and doc_id.lower() == "id" and text.strip().lower() == "text":
        return None  # header row
    if not doc_id:
        raise ValueError("id (before the tab) is empty")
    body = clean_text(text.replace("\t", " "))
    if not body:
        raise ValueError("text (after the tab) is empty")
    return Document(id=doc_id, body=body)


def _corpus(path: str, fmt: str, max_bytes: int) -> Iterator[tuple[str, Document] | DocumentError]:
    for item in _records(path, max_bytes):
        if isinstance(item, DocumentError):
            yield item
            continue
        number, line = item
        where = f"{path}:{number}"
        try:
            document = _jsonl_document(line) if fmt == "jsonl" else _tsv_document(line, number)
        except ValueError as exc:
            yield DocumentError(where, str(exc))
            continue
        if document is not None:
            yield where, document


def _walk(folder: str, fmt: str, visited: set[str]) -> Iterator[str | DocumentError]:
    """Files under ``folder`` in sorted path order; see :func:`iter_documents` for the rule."""
    real = os.path.realpath(folder)
    if real in visited:  # a symlink loop
        return
    visited.add(real)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:
        yield DocumentError(folder, f"cannot list the folder: {exc.strerror}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, fmt, visited)
        elif fmt != "auto" or os.path.splitext(entry.name)[1].lower() in _EXTENSION_FORMATS:
            yield path  # broken symlinks included, so that they are reported


def _files(path: str, fmt: str) -> Iterator[str | DocumentError]:
    if not os.path.isdir(path):
        yield path
        return
    found = False
    for item in _walk(path, fmt, set()):
        found = found or isinstance(item, str)
        yield item
    if not found:
        wanted = "*.txt, *.jsonl or *.tsv files" if fmt == "auto" else "files"
        yield DocumentError(path, f"folder holds no {wanted} to load")


def _format_of(path: str, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    return _EXTENSION_FORMATS.get(os.path.splitext(path)[1].lower(), "text")


def iter_documents(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    format: str = "auto",
    *,
    on_error: Callable[[DocumentError], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Document]:
    """Stream documents from files and folders.

    ``format``: ``"text"`` (one raw article per file, parsed by :func:`parse_article`),
    ``"jsonl"`` (one JSON object per line: ``id`` and ``text`` required; ``title``,
    ``date``, ``source`` go to those attributes, ``category`` and any other scalar metadata
    to ``fields``), ``"tsv"`` (``id<TAB>text`` per line; a first line ``id<TAB>text`` is
    taken as a header) or ``"auto"`` (by extension: ``.jsonl``, ``.tsv``, anything else is
    text).

    Folders are searched recursively in sorted path order, skipping hidden entries (names
    starting with "."). With ``format="auto"`` only ``*.txt``, ``*.jsonl`` and ``*.tsv``
    files are taken from a folder (other files such as READMEs and images are ignored);
    with an explicit format every non-hidden file in the folder is read in that format.
    Files named directly are always read. A single path may be passed instead of a list.

    Corpus files are read line by line, never whole; ``max_bytes`` limits each text file
    and each corpus line. Ids must be unique across the whole call: a repeated id is
    reported and that document skipped (the first one wins).

    Every problem becomes a :class:`~searchlib.errors.DocumentError` whose ``path`` is the
    file (or ``file:line`` for a record). With ``on_error`` the error is passed to it and
    loading continues; without it the error is raised.

    >>> report = LoadReport()
    >>> [d.id for d in iter_documents("seeds", on_error=report)][:2]  # doctest: +SKIP
    ['000_e272fdfb7559d7d6', '001_0af768b52f2b990e']
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]

    def fail(error: DocumentError) -> None:
        if on_error is None:
            raise error
        on_error(error)

    first_seen: dict[str, str] = {}

    def fresh(where: str, document: Document) -> bool:
        if document.id in first_seen:
            fail(
                DocumentError(
                    where,
                    f"duplicate id {document.id!r} (first used by {first_seen[document.id]});"
                    " this document was skipped",
                )
            )
            return False
        first_seen[document.id] = where
        return True

    for given in paths:
        for path in _files(os.fspath(given), format):
            if isinstance(path, DocumentError):
                fail(path)
                continue
            fmt = _format_of(path, format)
            if fmt == "text":
                try:
                    document = load_file(path, max_bytes=max_bytes)
                except DocumentError as error:
                    fail(error)
                    continue
                if fresh(path, document):
                    yield document
                continue
            items = _corpus(path, fmt, max_bytes)
            while True:
                try:
                    item = next(items)
                except StopIteration:
                    break
                except DocumentError as error:  # the file as a whole is unusable
                    fail(error)
                    break
                if isinstance(item, DocumentError):
                    fail(item)
                elif fresh(*item):
                    yield item[1]
