"""Dates: :func:`parse_date`, and where an article states its publication date.

The rule for articles (:func:`~searchlib.documents.parse_article` applies it; the tests pin
it):

* **Date** (ISO, at the precision stated): the publication date comes from the article's
  header, that is a metadata line (``date 2020-01``, ``Tanggal: ...``) or a line that holds
  only a date (``20 September 2019``, ``Jumat, 20 Sep 2019 10:30 WIB``) among the first
  lines. If the lead (first two non-caption paragraphs) names the news day the Indonesian way,
  ``Selasa (14/01/20)``, that more precise date is used when it agrees with the header date
  (same year, and month if stated), or when there is no header date and it carries a year. A
  lead date without a year (``Jumat (6/8)``) is only completed from a header date's year;
  otherwise the date stays ``None``. Dates inside photo captions (``... 17 Maret 2021.
  (Foto: ...)``) describe the photo and are ignored, as are dates of events in the body.
"""

from __future__ import annotations

import datetime as _dt
import re

__all__ = ["date_only_line", "lead_date", "metadata_date", "parse_date"]

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


def date_only_line(line: str) -> str | None:
    """The date of a short line that holds nothing but a date (and time), else None.

    >>> date_only_line("Jumat, 20 Sep 2019 10:30 WIB"), date_only_line("Rapat 20 Sep 2019")
    ('2019-09-20', None)
    """
    return parse_date(line) if len(line) <= 60 else None


def metadata_date(line: str) -> tuple[str | None, str] | None:
    """Split a metadata line (``Tanggal: 3 Mei 2021 ...``) into its date and the rest.

    Returns ``(iso_or_None, rest)``, ``rest`` stripped, or None when ``line`` is not one.

    >>> metadata_date("date 2020-01 Seoul"), metadata_date("Rapat pada 3 Mei 2021")
    (('2020-01', 'Seoul'), None)
    """
    meta = _META_DATE.fullmatch(line)
    if not meta:
        return None
    return parse_date(meta.group("date")), meta.group("rest").strip()


def _precision(iso: str) -> int:
    return iso.count("-") + 1


def _news_day(match: re.Match[str], header: str | None) -> str | None:
    """The date of a ``Selasa (14/01/20)`` match; a year-less one only from ``header``."""
    day, month = int(match["d"]), int(match["m"])
    if match["y"]:
        return _iso(_year(match["y"]), month, day)
    if header is not None:
        # No year in the lead: only the header's stated year can complete it.
        header_month = int(header[5:7]) if _precision(header) >= 2 else None
        if header_month in (None, month):
            return _iso(int(header[:4]), month, day)
    return None


def _date_in_paragraph(paragraph: str, header: str | None) -> str | None:
    """A dateline's date (``JAKARTA, 20 September 2019 -``), else the news day's."""
    dateline = _LEAD_DATELINE.match(paragraph)
    found = parse_date(dateline.group("date")) if dateline else None
    if found:
        return found
    match = _LEAD_DATE.search(paragraph)
    return _news_day(match, header) if match else None


def lead_date(paragraphs: list[str], header: str | None) -> str | None:
    """Refine or supply the header date from the lead; see the module docstring for the rule.

    ``paragraphs`` are the body's paragraphs without captions, ``header`` the date found in
    the header (ISO) or None.

    >>> lead_date(["Para menteri bertemu pada Jumat (6/8) di Seoul."], "2021")
    '2021-08-06'
    """
    for paragraph in paragraphs[:2]:
        found = _date_in_paragraph(paragraph, header)
        if found is None:
            continue
        if header is None:
            return found
        if _precision(found) > _precision(header) and found.startswith(header):
            return found
        return header
    return header
