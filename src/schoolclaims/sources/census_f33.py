"""U.S. Census Bureau, Annual Survey of School System Finances (F-33): the state (and summary) tables workbook.

Per enrolled pupil (fall membership), all funds, current spending; fiscal year ends June 30
(FY2018 = school year 2017-18). Charter schools held by nongovernmental entities are out of scope; in
California they were counted inside their authorizing districts up to FY2018 and are out of scope from
FY2019 (Appendix B of the FY2019 workbook), which lowers LAUSD's FY2019 enrollment by about a fifth.
Tables read here: 8 (per-pupil current spending by state, with the United States row), 11 (states
ranked), 18 (100 largest systems).

The workbook's name and contents drift by year (``_sttables`` up to FY2015, without the largest-system
tables in FY2015; ``_sumtables`` from FY2016; ``.xlsx`` in recent years): layouts/census_f33.csv says,
per fiscal year, which file and which tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd

from ..entities import UNITED_STATES
from ..years import school_year_label
from ._io import (LayoutError, clean, header_columns, layout_rows, read_sheet, sheet_row_locator, to_number,
                  with_provenance)
from ._spec import RawFileSpec, Source

SOURCE_ID = "census_f33"
SOURCE = Source(
    title="Census F-33 summary tables",
    labels={SOURCE_ID: "U.S. Census Bureau, Annual Survey of School System Finances (F-33) summary tables"},
    what="FY2015, FY2016, FY2018, FY2019: per-pupil current spending and its instruction part by state and for the "
         "United States (Table 8), "
         "state ranks (Table 11), 100 largest systems (Table 18; none in FY2015's `elsec15_sttables.xls`)",
    definition="current spending, all funds ÷ **fall enrollment**; FY2018 = 2017-18; from FY2019 California's "
               "independent charters are out of scope",
    archived="mirror",
)
LANDING = "https://www.census.gov/data/tables/{fy}/econ/school-finances/secondary-education-finance.html"  # pattern
BASE = "https://www2.census.gov/programs-surveys/school-finances/tables/{fy}/secondary-education-finance/"


@dataclass(frozen=True)
class Layout:
    fiscal_year: int
    file: str
    state_table: str
    rank_table: str
    systems_table: str  # "" when the workbook has no largest-system tables
    california_charters: str  # "in" their authorizing districts, or "out" of scope
    read_here: bool


def layouts() -> dict[int, Layout]:
    return {int(r["fiscal_year"]): Layout(int(r["fiscal_year"]), r["file"], r["state_table"], r["rank_table"],
                                          r["systems_table"], r["california_charters"], r["read_here"] == "yes")
            for r in layout_rows(SOURCE_ID)}


FISCAL_YEARS = tuple(sorted(layouts()))  # every year whose official file name is known


STATE_ABBREVIATIONS = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}


def specs() -> list[RawFileSpec]:
    return [
        RawFileSpec(SOURCE_ID, f"FY{fy}", layout.file, BASE.format(fy=fy) + layout.file,
                    "xlsx" if layout.file.endswith(".xlsx") else "xls", LANDING.format(fy=fy))
        for fy, layout in sorted(layouts().items())
    ]


def discover(html: str, base: str) -> dict[str, str]:
    """'FY<year>' -> address of the state or summary tables workbook a year's landing page links."""
    from bs4 import BeautifulSoup

    found = {}
    for link in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        match = re.search(r"elsec(\d\d)_(?:sum|st)tables\.xlsx?$", link["href"], flags=re.IGNORECASE)
        if match:
            found[f"FY{2000 + int(match.group(1))}"] = urljoin(base, link["href"])
    return found


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    fiscal_year = int(resource.vintage.removeprefix("FY"))
    layout = layouts().get(fiscal_year)
    if layout is None:
        raise LayoutError(f"{path.name}: no layout mapped for FY{fiscal_year} in layouts/{SOURCE_ID}.csv")
    readers = [("f33_states", state_per_pupil), ("f33_ranks", state_ranks)]
    if layout.systems_table:
        readers.append(("f33_systems", largest_systems))
    out = {}
    for name, reader in readers:
        data = reader(path, fiscal_year)
        out[name] = with_provenance(data, resource, sheet_row_locator(data))
    return out


def _layout(fiscal_year: int) -> Layout:
    return layouts().get(fiscal_year) or Layout(fiscal_year, "", "8", "11", "18", "", False)


def _table(path: Path, table: str, words: str, fiscal_year: int) -> tuple[pd.DataFrame, str]:
    """Sheet ``table`` of the workbook, after checking its title names the table, its subject and the year."""
    frame = read_sheet(path, table)
    where = f"{path.name} sheet '{table}'"
    title = " ".join(clean(v) for v in frame.iloc[:3, :3].to_numpy().ravel() if clean(v))
    if f"Table {table}." not in title or words not in title or f"Fiscal Year {fiscal_year}" not in title:
        raise LayoutError(f"{where} rows 1-3: expected the title of Table {table} ({words}, Fiscal Year {fiscal_year}); found {title!r}")
    return frame, where


def _name(cell) -> str:
    return re.sub(r"\.{2,}.*$", "", clean(cell)).strip()


def _ranked_rows(frame: pd.DataFrame, first: int, column: int):
    """(row index, rank) for each row from ``first`` on whose rank cell holds a number (others are notes)."""
    for index in range(first, len(frame)):
        rank = frame.iloc[index, column]
        if isinstance(rank, (int, float)) and not pd.isna(rank):
            yield index, int(rank)


def state_per_pupil(path: Path, fiscal_year: int) -> pd.DataFrame:
    """Table 8: current spending per pupil, and its instruction part, by state (and the US), dollars."""
    table = _layout(fiscal_year).state_table
    frame, where = _table(path, table, "Per Pupil Amounts for Current Spending", fiscal_year)
    if "Total" not in clean(frame.iloc[8, 2]):
        raise LayoutError(f"{where} row 9 column C: expected 'Total' (current spending per pupil); found {clean(frame.iloc[8, 2])!r}")
    if clean(frame.iloc[5, 5]) != "Instruction" or not clean(frame.iloc[8, 5]).startswith("Total"):
        raise LayoutError(f"{where} rows 6 and 9 column F: expected 'Instruction' / 'Total' (instruction spending per pupil); "
                          f"found {clean(frame.iloc[5, 5])!r} / {clean(frame.iloc[8, 5])!r}")
    rows = []
    for index in range(8, len(frame)):
        name = _name(frame.iloc[index, 0])
        if name in STATE_ABBREVIATIONS.values() or name == UNITED_STATES.name:
            at = f"{where} row {index + 1}"
            rows.append({"fiscal_year": fiscal_year, "school_year": school_year_label(fiscal_year - 1),
                         "state": name, "per_pupil_current_spending": to_number(frame.iloc[index, 2], at),
                         "per_pupil_instruction": to_number(frame.iloc[index, 5], at + " column F"),
                         "sheet": table, "row": index + 1})
    result = pd.DataFrame(rows)
    if len(result) != 52:
        raise LayoutError(f"{where}: expected 50 states, DC and the US; found {len(result)} rows")
    return result


def state_ranks(path: Path, fiscal_year: int) -> pd.DataFrame:
    """Table 11: states ranked by current spending per pupil (total), 1 = highest, DC included."""
    table = _layout(fiscal_year).rank_table
    frame, where = _table(path, table, "States Ranked According to Per Pupil", fiscal_year)
    if clean(frame.iloc[5, 10]) != "Current spending" or not clean(frame.iloc[8, 10]).startswith("Total"):
        raise LayoutError(f"{where} rows 6-9 column K: expected 'Current spending' / 'Total'; found "
                          f"{clean(frame.iloc[5, 10])!r} / {clean(frame.iloc[8, 10])!r}")
    rows = []
    for index, rank in _ranked_rows(frame, 9, 0):
        code = _name(frame.iloc[index, 10])
        if code not in STATE_ABBREVIATIONS:
            raise LayoutError(f"{where} row {index + 1} column K: {code!r} is not a state abbreviation")
        rows.append({"fiscal_year": fiscal_year, "school_year": school_year_label(fiscal_year - 1),
                     "state": STATE_ABBREVIATIONS[code], "rank": rank,
                     "per_pupil_current_spending": to_number(frame.iloc[index, 11], f"{where} row {index + 1} column L"),
                     "sheet": table, "row": index + 1})
    result = pd.DataFrame(rows)
    if sorted(result["rank"]) != list(range(1, 52)):
        raise LayoutError(f"{where}: expected ranks 1 to 51 in column A; found {len(result)} ranked rows")
    return result


def largest_systems(path: Path, fiscal_year: int) -> pd.DataFrame:
    """Table 18: the 100 largest school systems by enrollment, with per-pupil current spending."""
    table = _layout(fiscal_year).systems_table
    if not table:
        raise LayoutError(f"{path.name}: the FY{fiscal_year} workbook has no largest-system tables (layouts/{SOURCE_ID}.csv)")
    frame, where = _table(path, table, "Largest", fiscal_year)
    cols = header_columns(frame, where, 5, {"rank": "Rank", "system": "School System", "state": "State",
                                            "spending": "Current spending"})
    enrollment = cols["spending"] - 1  # the "Enroll-/ment" column sits just left of current spending
    if not clean(frame.iloc[8, enrollment]).startswith("Enroll") or not clean(frame.iloc[9, cols["spending"]]).startswith("Total"):
        raise LayoutError(f"{where} rows 9-10: expected 'Enroll-ment' left of current spending 'Total'")
    rows = []
    for index, rank in _ranked_rows(frame, 10, cols["rank"]):
        at = f"{where} row {index + 1}"
        rows.append({"fiscal_year": fiscal_year, "school_year": school_year_label(fiscal_year - 1),
                     "enrollment_rank": rank, "school_system": clean(frame.iloc[index, cols["system"]]),
                     "state": clean(frame.iloc[index, cols["state"]]),
                     "enrollment": to_number(frame.iloc[index, enrollment], at),
                     "per_pupil_current_spending": to_number(frame.iloc[index, cols["spending"]], at),
                     "sheet": table, "row": index + 1})
    result = pd.DataFrame(rows)
    if sorted(result["enrollment_rank"]) != list(range(1, 101)):
        raise LayoutError(f"{where}: expected ranks 1 to 100; found {len(result)} ranked rows")
    return result
