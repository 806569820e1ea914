"""CDE Free or Reduced-Price Meal (FRPM) files, school level: Census Day K-12 enrollment per school.

`Enrollment (K-12)` is Census Day enrollment (first Wednesday of October). The official files are
workbooks (frpm1415.xls, frpm1718.xlsx, …; sheet "FRPM School-Level Data", title rows above the
header); the mirror holds CSV conversions of that sheet for most years and, for 2015-16, the workbook's
content re-saved as .xlsx by a third party (its sheet name ends with a space). Where each year's file is
served, its sheet and header row are in layouts/cde_frpm.csv. Header cells carry line breaks in some years
and flags drift (1/0, Y/N, Yes/No): headers are compared with white space collapsed, flags normalized (blank for the nonpublic-school rows, which have no flag).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ._io import ENROLLMENT_COLUMNS, LayoutError, clean, layout_rows, read_sheet, with_provenance
from ._spec import RawFileSpec, Source

SOURCE_ID = "cde_frpm"
SOURCE = Source(
    title="CDE FRPM files",
    labels={SOURCE_ID: "CDE FRPM files (Census Day K-12 enrollment)"},
    what="school-level Census Day K-12 enrollment and grade span, 2014-15 to 2020-21",
    definition="`Enrollment (K-12)` on Census Day (first Wednesday of October)",
    archived="mirror (CSV conversions of the official workbooks; 2015-16 the workbook's content re-saved as .xlsx by a "
             "third party, so not CDE's bytes)",
)
LANDING = "https://www.cde.ca.gov/ds/ad/filessp.asp"
SHEET = "FRPM School-Level Data"  # a year the layout file does not list
FIELDS = {
    "academic_year": "Academic Year", "county_code": "County Code", "district_code": "District Code",
    "school_code": "School Code", "district": "District Name", "school": "School Name",
    "charter": "Charter School (Y/N)", "charter_number": "Charter School Number",
    "charter_funding": "Charter Funding Type", "low_grade": "Low Grade", "high_grade": "High Grade",
    "enrollment_k12": "Enrollment (K-12)",
}
FLAGS = {"": "", "N/A": "", "1": "Y", "Y": "Y", "YES": "Y", "0": "N", "N": "N", "NO": "N"}


def layouts() -> dict[str, dict[str, str]]:
    """School year -> its official address (a pattern; the landing page is the authority), sheet and header row."""
    return {row["school_year"]: row for row in layout_rows(SOURCE_ID)}


def specs() -> list[RawFileSpec]:
    return [RawFileSpec(SOURCE_ID, year, row["url"].rsplit("/", 1)[1], row["url"], "excel", LANDING)
            for year, row in sorted(layouts().items())]


def _table(path: Path, school_year: str) -> tuple[pd.DataFrame, int]:
    """The school-level table with its header row, and the file row of its first data row."""
    head = path.read_bytes()[:8]
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        layout = layouts().get(school_year, {"sheet": SHEET, "header_row": ""})
        frame = read_sheet(path, layout["sheet"])
        where = f"{path.name} sheet {layout['sheet']!r}"
        if layout["header_row"]:  # seen here: the header must be exactly there
            rows = [int(layout["header_row"]) - 1]
        else:  # not seen here: the first of rows 1-10 that starts with the header
            rows = list(range(min(10, len(frame))))
        for index in rows:
            if index < len(frame) and clean(frame.iloc[index, 0]) == "Academic Year":
                header = [clean(v) for v in frame.iloc[index]]
                return frame.iloc[index + 1:].set_axis(header, axis=1).astype(object), index + 2
        found = clean(frame.iloc[rows[0], 0]) if rows[0] < len(frame) else "(no such row)"
        raise LayoutError(f"{where} row{'s 1-10' if len(rows) > 1 else f' {rows[0] + 1}'}: expected the header row "
                          f"starting with 'Academic Year'; found {found!r}")
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.columns = [clean(c) for c in frame.columns]
    return frame, 2  # line numbers of a CSV with a multi-line header are approximate; the row index is exact


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    """Census Day enrollment in the shape shared with the Census Day files."""
    data = read(path, resource.vintage)
    unit = "sheet row" if resource.path.endswith((".xls", ".xlsx")) else "data row"
    data = with_provenance(data, resource, f"{unit} " + data["row"].astype(str))
    return {"enrollment": data[ENROLLMENT_COLUMNS]}


def read(path: Path, school_year: str) -> pd.DataFrame:
    frame, first_row = _table(path, school_year)
    missing = [text for text in FIELDS.values() if text not in frame.columns]
    if missing:
        raise LayoutError(f"{path.name}: expected FRPM columns {missing}; found {list(frame.columns)[:20]}")
    out = pd.DataFrame({field: frame[text].map(clean).to_numpy() for field, text in FIELDS.items()})
    out["row"] = range(first_row, first_row + len(out))
    out = out[out["academic_year"] != ""].copy()  # blank rows and footnotes below the table
    expected = f"{school_year[:4]}-{int(school_year[:4]) + 1}"
    wrong = out[out["academic_year"] != expected]
    if len(wrong):
        raise LayoutError(f"{path.name} data row {wrong.iloc[0]['row']}: Academic Year {wrong.iloc[0]['academic_year']!r}; this file should hold {expected}")
    out["cds"] = out["county_code"].str.zfill(2) + out["district_code"].str.zfill(5) + out["school_code"].str.zfill(7)
    if not out["cds"].str.fullmatch(r"\d{14}").all():
        bad = out[~out["cds"].str.fullmatch(r"\d{14}")].iloc[0]
        raise LayoutError(f"{path.name} data row {bad['row']}: county/district/school codes {bad['cds']!r} do not make a CDS code")
    out["charter"] = out["charter"].str.upper().map(FLAGS)
    if out["charter"].isna().any():
        raise LayoutError(f"{path.name}: 'Charter School (Y/N)' holds values other than 1/0, Y/N, Yes/No")
    numbers = pd.to_numeric(out["enrollment_k12"].str.replace(",", ""), errors="coerce")
    if numbers.isna().any():
        bad = out[numbers.isna()].iloc[0]
        raise LayoutError(f"{path.name} data row {bad['row']}: Enrollment (K-12) {bad['enrollment_k12']!r} is not a number")
    out["enrollment_k12"] = numbers.round().astype(int)
    out["school_year"] = school_year
    for column in ("charter_number", "charter_funding"):
        out[column] = out[column].replace({"N/A": "", "nan": ""})
    if len(out) < 5_000:
        raise LayoutError(f"{path.name}: only {len(out)} school rows; a statewide FRPM file lists about 10,000")
    return out[["school_year", "cds", "district", "school", "charter", "charter_number", "charter_funding",
                "low_grade", "high_grade", "enrollment_k12", "row"]].reset_index(drop=True)
