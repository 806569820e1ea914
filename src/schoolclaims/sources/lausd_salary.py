"""LAUSD salary tables (teachers: table T, regular credential; table L, alternative certification / intern).

Each year's tables are PDFs linked from LAUSD's salary-table pages (the 2015-16 page Alliance cited and the
current page with its archive of past years). The fetcher archives every teacher-table PDF the landing page
lists for a year (T and L, each calendar basis), each under its own file name; the generic grid extractor reads every grid with its self-checks, and the grid's title names
the table (T or L) and the calendar basis (A, B, C or E; traditional-calendar teachers are paid on C).
Add-ons are not in the cells: master's and doctorate differentials, National Board, bilingual (ledger).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin

import pandas as pd
from bs4 import BeautifulSoup

from ..entities import LAUSD
from ..years import school_year_label
from ._io import LayoutError
from ._pdf_grid import Grid, schedule_cells
from ._spec import RawFileSpec, Source

SOURCE_ID = "lausd_salary"
SOURCE = Source(
    title="LAUSD salary tables",
    labels={SOURCE_ID: "LAUSD teacher salary tables"},
    what="teacher tables T and L by calendar basis, 2013-14 to 2016-17",
    definition="PDF grids read by a self-checking extractor (`sources/_pdf_grid.py`)",
    archived="live only, not archived",
    required=False,
    files_per_vintage="many",
)
LANDING = "http://achieve.lausd.net/Page/4045"  # current page with past years; 2015-16 era: /Page/4140
YEARS = range(2013, 2017)


def specs() -> list[RawFileSpec]:
    # The PDF addresses are found on the landing page (several a year: each is archived under its own name);
    # until then the spec points at the page itself, and a fetch that gets HTML instead of a PDF fails with that reason.
    return [RawFileSpec(SOURCE_ID, school_year_label(y), f"lausd-teacher-salary-tables-{school_year_label(y)}.pdf",
                        f"{LANDING}#{school_year_label(y)}", "pdf", LANDING, ("ca01000043.schoolwires.net",))
            for y in YEARS]


_YEAR = re.compile(r"(20\d\d)\s*[-–/]\s*(?:20)?(\d\d)\b")
_TEACHER = re.compile(r"teacher|certificated|salary\s*tables?|\b[TL]\s*(?:&|and|-|/)\s*[TL]\b|\b(?:table|schedule)\s*[TL]\b|\b[TL][\s_-]*table", re.IGNORECASE)
_OTHER = re.compile(r"administrat|classified|substitute|adult|hourly|special services|early education|\b[GD][\s_-]*table", re.IGNORECASE)


def _school_year(text: str) -> str | None:
    match = _YEAR.search(text)
    if match and (int(match.group(1)) + 1) % 100 == int(match.group(2)):
        return school_year_label(int(match.group(1)))
    return None


def discover(html: str, base: str) -> dict[str, list[str]]:
    """School year -> every teacher salary-table PDF the page lists for it (tables T and L, each calendar basis),
    in page order. A link's year is the one its own text or address names, else that of the heading above it
    ("Salary Tables 2016 - 2017 School Year"); PDFs of other tables (administrators, classified, substitutes,
    adult, hourly) are left out."""
    found: dict[str, list[str]] = {}
    current = None
    for element in BeautifulSoup(html, "html.parser").find_all(["h1", "h2", "h3", "h4", "h5", "p", "strong", "span", "a"]):
        if element.name != "a":
            if element.find("a") is None:
                current = _school_year(element.get_text(" ", strip=True)) or current
            continue
        href = element.get("href", "")
        text = f"{element.get_text(' ', strip=True)} {unquote(href)}"
        if not re.search(r"\.pdf\b", href, re.IGNORECASE) or not _TEACHER.search(text) or _OTHER.search(text):
            continue
        year = _school_year(text) or current
        address = urljoin(base, href)
        if year and address not in found.setdefault(year, []):
            found[year].append(address)
    return found


def _label(grid: Grid, where: str) -> tuple[str, str]:
    """('table T' or 'table L', calendar basis) from the grid's title."""
    table = re.search(r"\b(?:TABLE|SCHEDULE)\s+([TL])\b", grid.title, re.IGNORECASE)
    basis = re.search(r"\b([ABCE])[\s-]*BASIS\b", grid.title, re.IGNORECASE)
    if not table:
        raise LayoutError(f"{where}: the grid's title does not name table T or L: {grid.title!r}")
    return f"table {table.group(1).upper()}", basis.group(1).upper() if basis else ""


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    return {"schedule_cells": schedule_cells(resource, path, LAUSD.name, _label,
                                             "official file")}
