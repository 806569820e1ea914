"""School years, written one way everywhere: '2015-16' for the year that starts in the fall of 2015."""

from __future__ import annotations

import re


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
