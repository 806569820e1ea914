"""LAUSD salary tables (teachers: table T, regular credential; table L, alternative certification / intern).

Each year's tables are PDFs linked from LAUSD's salary-table pages (the 2015-16 page Alliance cited and the
current page with its archive of past years). The fetcher discovers each year's teacher-table PDF from the
landing page; the generic grid extractor reads every grid with its self-checks, and the grid's title names
the table (T or L) and the calendar basis (A, B, C or E; traditional-calendar teachers are paid on C).
Add-ons are not in the cells: master's and doctorate differentials, National Board, bilingual (ledger).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd
from bs4 import BeautifulSoup

from . import LayoutError, RawFileSpec, salary_grid, school_year_label

SOURCE_ID = "lausd_salary"
EMPLOYER = "Los Angeles Unified"
LANDING = "http://achieve.lausd.net/Page/4045"  # current page with past years; 2015-16 era: /Page/4140
YEARS = range(2013, 2017)


def specs() -> list[RawFileSpec]:
    # The PDF addresses are found on the landing page; until then the spec points at the page itself,
    # and a fetch that gets HTML instead of a PDF fails with that reason.
    return [RawFileSpec(SOURCE_ID, school_year_label(y), f"lausd-teacher-salary-tables-{school_year_label(y)}.pdf",
                        f"{LANDING}#{school_year_label(y)}", "pdf", LANDING, ("ca01000043.schoolwires.net",))
            for y in YEARS]


def discover(html: str, base: str) -> dict[str, str]:
    """School year -> the teacher salary-table PDF linked for it ('2015-2016' or '2015-16' in the link)."""
    found: dict[str, str] = {}
    for link in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        text = f"{link.get_text(' ', strip=True)} {link['href']}"
        if not re.search(r"\.pdf\b", link["href"], re.IGNORECASE) or not re.search(r"teacher|certificated|salary", text, re.IGNORECASE):
            continue
        match = re.search(r"(20\d\d)\s*[-–/]\s*(?:20)?(\d\d)\b", text)
        if match and (int(match.group(1)) + 1) % 100 == int(match.group(2)):
            found.setdefault(school_year_label(int(match.group(1))), urljoin(base, link["href"]))
    return found


def _label(title: str, where: str) -> tuple[str, str]:
    table = re.search(r"\b(?:TABLE|SCHEDULE)\s+([TL])\b", title, re.IGNORECASE)
    basis = re.search(r"\b([ABCE])[\s-]*BASIS\b", title, re.IGNORECASE)
    if not table:
        raise LayoutError(f"{where}: the grid's title does not name table T or L: {title!r}")
    return table.group(1).upper(), basis.group(1).upper() if basis else ""


def extract(path: Path, school_year: str) -> pd.DataFrame:
    parts = []
    for grid in salary_grid.extract_pdf(path):
        table, basis = _label(grid.title, f"{path.name} page {grid.page}")
        parts.append(grid.cells.assign(employer=EMPLOYER, school_year=school_year, schedule=f"table {table}",
                                       calendar_basis=basis, contract_days=grid.contract_days, locator="page " + str(grid.page) + ", " + grid.cells["locator"]))
    return pd.concat(parts, ignore_index=True)
