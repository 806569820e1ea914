"""School years, written one way everywhere: '2015-16' for the year that starts in the fall of 2015."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache


def school_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def parse_data_year(text: str) -> str:
    """A ledger's year text -> school year 'YYYY-YY' ('' when it names none).

    '2019-20' -> '2019-20'; 'data 2011-12 (QC 2015)' -> '2011-12'; 'data 2010 (QC 2013)' and 'FY2010' ->
    fiscal year 2010 = '2009-10'; a bare calendar year '2017' stays a calendar year: ''.
    """
    text = str(text)
    match = re.search(r"(\d{4})-(\d{2})\b", text)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    match = re.search(r"(?:data |FY)(\d{4})\b", text)
    if match:
        return school_year_label(int(match.group(1)) - 1)
    return ""


def parse_report_year(text: str) -> int | None:
    """The year a figure was published or reported, when the text says: '(QC 2015)', 'QC 2016 (Jan 2016; data
    2013)', 'NEA R&E 2017 edition', 'as of Mar 2017', or a ledger note's 'published: 2017-06-14'."""
    match = re.search(r"\((?:QC|R&E|report(?:ed)?)\s*(\d{4})\)|as of \w+ (\d{4})|^QC (\d{4})\b|R&E (\d{4}) edition|"
                      r"published: (\d{4})", str(text))
    if match:
        return int(next(g for g in match.groups() if g))
    return None


# -- dates at the precision the record gives: YYYY, YYYY-MM or YYYY-MM-DD ------------------------------
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9


def period(text: str) -> tuple[date, date] | None:
    """The first and last day an ISO date text (``2017``, ``2017-07``, ``2017-07-28``) can mean; None if not ISO."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(text or "").strip())
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    if month is not None and not 1 <= month <= 12 or day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    if day:
        return date(year, month, day), date(year, month, day)
    if month:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, 1, 1), date(year, 12, 31)


def iso_date_in(text: str) -> str:
    """The date a text names, as ISO text at its precision: ``2017-07-28``; ``2016-01``; ``Jan 2016``, ``June
    2018`` and ``c. March 2015`` give the month; a school year (``2017-18``, ``c. 2019-20``) gives its last day,
    30 June; a year alone gives the year. '' when the text names no date."""
    text = str(text or "")
    if match := re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        return match.group(0)
    if match := re.search(r"\b([A-Za-z]{3,9})\.? (?:\d{1,2}, )?(\d{4})\b", text):
        if month := _MONTHS.get(match.group(1).lower()):
            return f"{match.group(2)}-{month:02d}"
    for match in re.finditer(r"\b(\d{4})-(\d{2})\b", text):
        start, second = int(match.group(1)), int(match.group(2))
        if second == (start + 1) % 100:  # a school year: 2017-18 ends on 30 June 2018
            return f"{start + 1}-06-30"
        if 1 <= second <= 12:
            return match.group(0)
    if match := re.search(r"\b(1[89]\d{2}|20\d{2})\b", text):
        return match.group(1)
    return ""


def _span_of(text: str) -> tuple[date, date] | None:
    """The period one date expression names, as :func:`iso_date_in` reads it; a school year from 1 July to 30 June."""
    iso = iso_date_in(text)
    bounds = period(iso)
    if bounds is not None and iso.endswith("-06-30") and iso not in text:  # a school year, given as its last day
        return date(bounds[1].year - 1, 7, 1), bounds[1]
    return bounds


@lru_cache(maxsize=4096)
def date_span(text: str) -> tuple[date, date] | None:
    """The first and last day of the period a text names: its end as :func:`iso_date_in` reads the whole text, its
    start the earliest day any of its parts names ('2018 to 2025-26' starts on 1 January 2018, '2018-19 (Jan 2019)'
    on 1 July 2018); None when it names no date."""
    whole = _span_of(str(text))
    if whole is None:
        return None
    parts = [span for part in re.split(r"\bto\b|[(),;]", str(text)) if (span := _span_of(part.strip()))]
    return min([whole[0], *(span[0] for span in parts)]), whole[1]
