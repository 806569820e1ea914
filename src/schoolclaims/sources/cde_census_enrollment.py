"""CDE Census Day enrollment files (cdenrollYYZZ.txt): TK/K-12 enrollment on the first Wednesday of
October, by aggregate level (T state, C county, D district, S school) and reporting category.

Live only (not mirrored). Layout: https://www.cde.ca.gov/ds/ad/fsenrcensus.asp . Cells of 10 or fewer
can be suppressed ('*'): a suppressed school total is kept as missing, never as zero.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ..years import school_year_label
from ._io import ENROLLMENT_COLUMNS, LayoutError, with_provenance
from ._spec import RawFileSpec, Source

SOURCE_ID = "cde_census_enrollment"
SOURCE = Source(
    title="CDE Census Day enrollment",
    labels={SOURCE_ID: "CDE Census Day enrollment files"},
    what="school totals 2017-18 to 2023-24",
    definition="TOTAL_ENR, reporting category TA; `*` (10 or fewer) kept as missing",
    archived="live only, not archived",
    required=False,
)
LANDING = "https://www.cde.ca.gov/ds/ad/filesenrcensus.asp"
URL_PATTERN = "https://www3.cde.ca.gov/demo-downloads/census/cdenroll{yy}{zz}.txt"
YEARS = tuple(range(2017, 2024))
TOTAL_CATEGORY = "TA"  # reporting category: total, all students
COLUMNS = {"academic_year": "AcademicYear", "level": "AggregateLevel", "county_code": "CountyCode",
           "district_code": "DistrictCode", "school_code": "SchoolCode", "district": "DistrictName",
           "school": "SchoolName", "charter": "Charter", "category": "ReportingCategory", "total": "TOTAL_ENR"}


def specs() -> list[RawFileSpec]:
    return [RawFileSpec(SOURCE_ID, school_year_label(y), f"cdenroll{y % 100:02d}{(y + 1) % 100:02d}.txt",
                        URL_PATTERN.format(yy=f"{y % 100:02d}", zz=f"{(y + 1) % 100:02d}"), "text", LANDING)
            for y in YEARS]


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    """Census Day enrollment in the shape shared with the FRPM files; suppressed counts are left out."""
    data = read(path, resource.vintage).rename(columns={"enrollment": "enrollment_k12"})
    data = with_provenance(data.assign(low_grade="", high_grade=""), resource, "line " + data["row"].astype(str))
    return {"enrollment": data[data["enrollment_k12"].notna()][ENROLLMENT_COLUMNS]}


def read(path: Path, school_year: str) -> pd.DataFrame:
    """School totals: school_year, cds, district, school, charter, enrollment (missing when suppressed), row."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    frame = pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS.values() if c not in frame.columns]
    if missing:
        raise LayoutError(f"{path.name} line 1: expected Census Day columns {missing}; found {list(frame.columns)[:14]}")
    frame = frame.rename(columns={v: k for k, v in COLUMNS.items()})
    frame["row"] = frame.index + 2
    years = set(frame["academic_year"]) - {school_year}
    if years:
        raise LayoutError(f"{path.name}: AcademicYear holds {sorted(years)[:3]}; this file should hold {school_year}")
    schools = frame[(frame["level"] == "S") & (frame["category"] == TOTAL_CATEGORY)].copy()
    if schools.empty:
        raise LayoutError(f"{path.name}: no school rows (AggregateLevel S, ReportingCategory {TOTAL_CATEGORY})")
    total = schools["total"].str.strip()
    numbers = pd.to_numeric(total.str.replace(",", ""), errors="coerce")
    bad = schools[numbers.isna() & (total != "*")]
    if len(bad):
        raise LayoutError(f"{path.name} line {bad.iloc[0]['row']}: TOTAL_ENR {bad.iloc[0]['total']!r} is neither a count nor '*'")
    schools["enrollment"] = numbers.astype("Int64")
    schools["cds"] = schools["county_code"].str.zfill(2) + schools["district_code"].str.zfill(5) + schools["school_code"].str.zfill(7)
    schools["school_year"] = school_year
    schools["charter"] = schools["charter"].str.upper().str[:1]
    return schools[["school_year", "cds", "district", "school", "charter", "enrollment", "row"]].reset_index(drop=True)
