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
from collections.abc import Callable
from functools import cache

__all__ = [
    "date_only_line",
    "date_problem",
    "dateline",
    "lead_date",
    "metadata_date",
    "normalise_date",
    "parse_date",
]

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


def _lazy(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A function returning ``pattern`` compiled on its first call: these patterns take about
    20 ms to compile, which a process that only searches should not pay at import."""

    @cache
    def compiled() -> re.Pattern[str]:
        return re.compile(pattern, flags)

    return compiled


# A line that holds only a date (optionally weekday before, time after).
_DATE_LINE = _lazy(
    rf"(?:{_WEEKDAY}\s*,?\s*)?(?:{_DATE_CORE})(?:\s*[|,\-–—]?\s*{_TIME})?",
    re.IGNORECASE,
)
# A metadata line: "date 2020-01 ...", "Tanggal: 20 September 2019", rest kept as a line.
_META_DATE = _lazy(
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
_LEAD_DATELINE = _lazy(
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
    match = _DATE_LINE().fullmatch(value.strip())
    return _iso_from_match(match) if match else None


def date_problem(value: str) -> str | None:
    """What is wrong with a date string, in words, or None when :func:`parse_date` reads it.

    >>> date_problem("2021-13-45")
    'month 13 does not exist (months run 01 to 12)'
    >>> date_problem("2019-02-30")
    'February 2019 has 28 days, not 30'
    >>> date_problem("2021-08-06") is None
    True
    """
    match = _DATE_LINE().fullmatch(value.strip())
    if match is None:
        return (
            "not a date: use ISO at any precision (2021-08-06, 2021-08, 2021, a time may "
            "follow: 2021-08-06T10:30) or a written date (6 Agustus 2021, Jumat, 6 Agustus 2021)"
        )
    if _iso_from_match(match) is not None:
        return None
    groups = match.groupdict()
    year_text = groups.get("ty") or groups.get("ey") or groups.get("iy") or groups.get("ny")
    year = _year(year_text) if year_text else 0
    month: int | None = None
    day: int | None = None
    if groups.get("tm") or groups.get("em"):
        month = _MONTHS[(groups.get("tm") or groups["em"]).lower().rstrip(".")]
        day_text = groups.get("td") or groups.get("ed")
        day = int(day_text) if day_text else None
    elif groups.get("iy"):
        month = int(groups["im"]) if groups.get("im") else None
        day = int(groups["id"]) if groups.get("id") else None
    elif groups.get("nd"):
        month, day = int(groups["nm"]), int(groups["nd"])
    if not 1800 <= year <= 2200:
        return f"year {year} is out of range (1800 to 2200)"
    if month is not None and not 1 <= month <= 12:
        return f"month {month:02d} does not exist (months run 01 to 12)"
    if month is not None and day is not None:
        last = _last_day(year, month)
        if not 1 <= day <= last:
            english = _dt.date(2000, month, 1).strftime("%B")
            return f"{english} {year} has {last} days, not {day}"
    return "not a valid date"


def _last_day(year: int, month: int) -> int:
    following = _dt.date(year + (month == 12), month % 12 + 1, 1)
    return (following - _dt.timedelta(days=1)).day


def normalise_date(value: str) -> str:
    """``value`` as ISO at the precision it states; ``ValueError`` saying what is wrong.

    >>> normalise_date("Jumat, 6 Agustus 2021"), normalise_date("2021-08-06T10:30:00+07:00")
    ('2021-08-06', '2021-08-06')
    >>> normalise_date("2019-00")
    Traceback (most recent call last):
    ...
    ValueError: month 00 does not exist (months run 01 to 12)
    """
    iso = parse_date(value)
    if iso is None:
        raise ValueError(date_problem(value) or "not a valid date")
    return iso


# A dateline on a line of its own: a place, then a date ("Blitar, 21 Juni 2021", "Jakarta,
# 21/06/2021", "Jakarta, Senin (21/6/2021)") or the outlet ("JAKARTA, KOMPAS.com -",
# "Jakarta (ANTARA) -"), ending in an optional dash.
_PLACE = r"(?P<place>(?-i:[A-Z])[\w.'’]*(?:[ -](?-i:[A-Z])[\w.'’]*){0,3})"
_DASH = r"(?:\s*[-–—]+)*"
_OUTLET = r"[A-Za-z][\w.]*(?: [A-Z][\w.]*){0,2}"
_DATELINE = _lazy(
    # Place, date: "Blitar, 21 Juni 2021", "Jakarta, 21/06/2021 -"
    rf"{_PLACE}\s*,\s*(?P<date>(?:{_WEEKDAY}\s*,?\s*)?(?:{_DATE_CORE})"
    rf"(?:\s*[|,\-–—]?\s*{_TIME})?){_DASH}"
    # Place, news day: "Jakarta, Senin (21/6/2021)"
    rf"|{_PLACE.replace('place', 'place2')}\s*,\s*{_WEEKDAY}\s*"
    rf"\((?P<numeric>[\d/.-]+)\){_DASH}"
    # Place and outlet: "JAKARTA, KOMPAS.com -", "Jakarta (ANTARA) -"
    rf"|{_PLACE.replace('place', 'place3')}\s*"
    rf"(?:,\s*(?P<outlet>{_OUTLET})|\(\s*(?P<outlet2>{_OUTLET})\s*\))\s*[-–—]+{_DASH}",
    re.IGNORECASE,
)
_OUTLET_HINT = re.compile(r"(?i:\.(?:com|co|id|net|org|tv)\b)|^[A-Z]{2,}\b|^(?:CNN|Antara)\b")
# A news day on a line of its own: "Senin (21/6/2021)", "Jumat (6/8)".
_NEWS_DAY_LINE = re.compile(
    rf"{_WEEKDAY}\s*,?\s*\(\s*(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})"
    r"(?:\s*/\s*(?P<y>\d{4}|\d{2}))?\s*\)",
    re.IGNORECASE,
)


def dateline(line: str, header: str | None = None) -> tuple[str | None] | None:
    """The date of a dateline standing on its own line, as a 1-tuple (``(None,)`` for a
    dateline without a date, such as ``JAKARTA, KOMPAS.com -``), or None when ``line`` is not
    one. ``header`` (ISO) completes a news day without a year (``Jumat (6/8)``).

    >>> dateline("Blitar, 21 Juni 2021"), dateline("Jakarta, 21/06/2021")
    (('2021-06-21',), ('2021-06-21',))
    >>> dateline("JAKARTA, KOMPAS.com -"), dateline("Senin (21/6/2021)")
    ((None,), ('2021-06-21',))
    >>> dateline("Presiden tiba di Jakarta, 21 Juni 2021, untuk rapat.") is None
    True
    """
    text = line.strip()
    if len(text) > 80:
        return None
    news_day = _NEWS_DAY_LINE.fullmatch(text)
    if news_day:
        return (_news_day(news_day, header),)
    match = _DATELINE().fullmatch(text)
    if match is None:
        return None
    if match["date"]:
        found = parse_date(match["date"])
        return (found,) if found else None
    if match["numeric"]:
        found = parse_date(match["numeric"])
        return (found,) if found else None
    outlet = match["outlet"] or match["outlet2"] or ""
    return (None,) if _OUTLET_HINT.search(outlet) else None


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
    meta = _META_DATE().fullmatch(line)
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
    dateline = _LEAD_DATELINE().match(paragraph)
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
