"""CDE Current Expense of Education & Per-pupil Spending (one workbook per school year).

Definition (CDE): General Fund current expense of education (EDP 365, Education Code 41372) divided by
K-12 average daily attendance (ADA). Per ADA is not per enrolled pupil. From 2014-15 the state's
CalSTRS on-behalf pension payments are included (a break in the series).

Layout drift (sheet names, header rows, header texts, where the statewide total sits) is mapped per
year in layouts/cde_current_expense.csv, not in code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ._io import LayoutError, clean, header_columns, layout_rows, read_sheet, sheet_row_locator, to_number, with_provenance
from ._spec import RawFileSpec, Source

SOURCE_ID = "cde_current_expense"
SOURCE = Source(
    title="CDE Current Expense of Education",
    labels={SOURCE_ID: "California Department of Education, Current Expense of Education (EDP 365 / ADA)"},
    what="every LEA and the statewide total, 1998-99 to 2021-22",
    definition="General Fund current expense of education (EDP 365, Ed. Code 41372) ÷ K-12 **ADA** (attendance, not enrollment)",
    archived="mirror, sha256 in the manifest",
)
LANDING = "https://www.cde.ca.gov/ds/fd/ec/"
URL_PATTERN = "https://www.cde.ca.gov/ds/fd/ec/documents/{file}"
FIELDS = ("county", "district_code", "district_name", "expenditures", "ada", "per_ada", "lea_type")


@dataclass(frozen=True)
class Layout:
    school_year: str
    file: str
    sheet: str
    header_row: int
    headers: dict
    statewide_sheet: str
    statewide_row: int | None


def layouts() -> dict[str, Layout]:
    result = {}
    for row in layout_rows(SOURCE_ID):
        result[row["school_year"]] = Layout(
            school_year=row["school_year"], file=row["file"], sheet=row["sheet"],
            header_row=int(row["header_row"]), headers={f: row[f] for f in FIELDS},
            statewide_sheet=row["statewide_sheet"],
            statewide_row=int(row["statewide_row"]) if row["statewide_row"] else None,
        )
    return result


def specs() -> list[RawFileSpec]:
    return [
        RawFileSpec(SOURCE_ID, year, layout.file, URL_PATTERN.format(file=layout.file), "xls" if layout.file.endswith(".xls") else "xlsx", LANDING)
        for year, layout in sorted(layouts().items())
    ]


def discover(html: str, base: str = LANDING) -> dict[str, str]:
    """School year -> workbook address, from the landing page's links (the pattern is the fallback)."""
    from urllib.parse import urljoin

    from bs4 import BeautifulSoup

    found = {}
    for link in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        match = re.search(r"(?:costofed|currentexpense)(\d\d)(\d\d)\.xlsx?$", link["href"], re.I)
        if match:
            first = int(match.group(1))
            start = 1900 + first if first > 50 else 2000 + first
            found[f"{start}-{match.group(2)}"] = urljoin(base, link["href"])
    return found


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    data = read(path, resource.vintage)
    # locators name the sheet and row; file_sha256 names the file
    locator = sheet_row_locator(data).where(~data["statewide_derived"], "sum of the LEA rows (no published total)")
    return {"cde_current_expense": with_provenance(data, resource, locator)}


def read(path: Path, school_year: str, layout: Layout | None = None) -> pd.DataFrame:
    """One workbook -> one row per LEA plus the published statewide row.

    Columns: school_year, level (lea/statewide), cds (7-digit county+district code), lea_name, lea_type,
    edp365, ada, per_ada (as published), sheet, row, statewide_derived.
    """
    layout = layout or layouts().get(school_year)
    if layout is None:
        raise LayoutError(f"{path.name}: no layout mapped for school year {school_year}")
    frame = read_sheet(path, layout.sheet)
    where = f"{path.name} sheet {layout.sheet!r}"
    cols = header_columns(frame, where, layout.header_row, layout.headers)
    records = []
    cells = frame.to_numpy(dtype=object)  # rows as arrays: a pandas row per spreadsheet row costs 20 times more
    for index in range(layout.header_row, len(frame)):
        row = cells[index]
        county = clean(row[cols["county"]])
        if not re.fullmatch(r"\d{1,2}", county):
            break  # the LEA block ends at the first row without a county code (totals, notes, blanks)
        at = f"{where} row {index + 1}"
        district = clean(row[cols["district_code"]])
        if not re.fullmatch(r"\d{5}", district.split(".")[0]):
            raise LayoutError(f"{at}: district code {district!r} is not 5 digits")
        records.append({
            "school_year": school_year, "level": "lea",
            "cds": f"{int(county):02d}{district.split('.')[0]}",
            "lea_name": clean(row[cols["district_name"]]),
            "lea_type": clean(row[cols["lea_type"]]),
            "edp365": _optional_number(row[cols["expenditures"]], f"{at} ({layout.headers['expenditures']})"),
            "ada": _optional_number(row[cols["ada"]], f"{at} ({layout.headers['ada']})"),
            "per_ada": _optional_number(row[cols["per_ada"]], f"{at} ({layout.headers['per_ada']})"),
            "sheet": layout.sheet, "row": index + 1, "statewide_derived": False,
        })
    if len(records) < 500:
        raise LayoutError(f"{where}: only {len(records)} LEA rows below the header on row {layout.header_row}; expected about 1,000")
    lea = pd.DataFrame.from_records(records)
    return pd.concat([lea, _statewide(path, layout, lea)], ignore_index=True)


def _optional_number(value, where: str) -> float | None:
    # a few LEAs report no ADA (or no expenditure) in a year: blank cells or an Excel error text
    if value is None or (isinstance(value, float) and pd.isna(value)) or clean(value) in ("", "-", "#DIV/0!", "N/A"):
        return None
    return to_number(value, where)


def _statewide(path: Path, layout: Layout, lea: pd.DataFrame) -> pd.DataFrame:
    """The published statewide row; where the file has none, the sum of the LEA rows, flagged as derived."""
    if layout.statewide_row is None:
        edp, ada = lea["edp365"].sum(min_count=1), lea["ada"].sum(min_count=1)
        return pd.DataFrame([{
            "school_year": layout.school_year, "level": "statewide", "cds": "0000000",
            "lea_name": "Statewide (sum of LEA rows; the file publishes no total)", "lea_type": "",
            "edp365": edp, "ada": ada, "per_ada": edp / ada,
            "sheet": layout.sheet, "row": 0, "statewide_derived": True,
        }])
    frame = read_sheet(path, layout.statewide_sheet)
    where = f"{path.name} sheet {layout.statewide_sheet!r} row {layout.statewide_row}"
    if layout.statewide_row > len(frame):
        raise LayoutError(f"{where}: the sheet has only {len(frame)} rows")
    cells = [c for c in frame.iloc[layout.statewide_row - 1].tolist() if clean(c)]
    label = [c for c in cells if isinstance(c, str) and re.search(r"[A-Za-z]", c)]
    numbers = [to_number(c, where) for c in cells if c not in label]
    if len(numbers) != 3 or (label and "statewide" not in label[0].lower()):
        raise LayoutError(f"{where}: expected a statewide row (label, EDP 365, ADA, per ADA); found {cells}")
    edp, ada, per_ada = numbers
    return pd.DataFrame([{
        "school_year": layout.school_year, "level": "statewide", "cds": "0000000",
        "lea_name": "Statewide", "lea_type": "", "edp365": edp, "ada": ada, "per_ada": per_ada,
        "sheet": layout.statewide_sheet, "row": layout.statewide_row, "statewide_derived": False,
    }])
