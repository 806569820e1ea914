"""Census F-33 district files, FY2014-FY2016, as a third party's 14-column subsets: second-hand.

The Census Bureau publishes every school system's finances each year (elsecYY.xls); the mirrored files are a
third party's subsets of them (averagewagon/data-tamers, data/funding/unprepped/fYYYY.csv): NAME, STNAME, STABBR,
SCHLEV, YEAR, CCDNF, TOTALREV, TFEDREV, TSTREV, TLOCREV, TOTALEXP, Z32, Z33, V33, in whole dollars. They carry no
current-spending column and no system identifier, so a system is found by its name and state.

What the columns count (Census definitions, Appendix A of the summary tables): TOTALREV is all revenue from
federal, state and local sources (not borrowing), = TFEDREV + TSTREV + TLOCREV; TOTALEXP is all expenditure:
current spending (adult education and community services included), capital outlay, payments to other
governments and school systems, interest on debt; Z32 is total salaries and wages and Z33 instruction salaries
and wages (not benefits: LAUSD's FY2016 Z33 equals Table 16's instruction salaries); V33 is fall membership,
which for LAUSD includes the independent charter schools it authorizes (its FY2016 V33, 639,337, is the sum of
every LAUSD-coded school's Census Day enrollment in CDE's FRPM 2015-16 file). Negative values are Census's codes
for a figure that does not apply and are kept as missing. Line endings and the case of names drift by year
(layouts/census_f33_districts.csv).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ..years import school_year_label
from ._io import LayoutError, layout_rows, with_provenance
from ._spec import RawFileSpec, Source

SOURCE_ID = "census_f33_districts"
SOURCE = Source(
    title="Census F-33 district files, third-party subsets",
    labels={SOURCE_ID: "U.S. Census Bureau F-33 district files (a third party's 14-column subsets, second-hand)"},
    what="FY2014-FY2016: every school system's total revenue (federal, state, local), total expenditure, salaries and "
         "fall membership; no current-spending column",
    definition="revenue or expenditure ÷ fall membership (V33); expenditure includes capital outlay and debt interest; "
               "LAUSD's membership includes its independent charters",
    archived="mirror (second-hand: averagewagon/data-tamers; no official address, found by sha256)",
)
REPOSITORY = "averagewagon/data-tamers"
URL_PATTERN = "https://raw.githubusercontent.com/" + REPOSITORY + "/{commit}/data/funding/unprepped/{file}"
COLUMNS = {"name": "NAME", "state": "STNAME", "state_code": "STABBR", "level": "SCHLEV", "year": "YEAR",
           "ccd_nonfiscal": "CCDNF", "total_revenue": "TOTALREV", "federal_revenue": "TFEDREV",
           "state_revenue": "TSTREV", "local_revenue": "TLOCREV", "total_expenditure": "TOTALEXP",
           "salaries": "Z32", "instruction_salaries": "Z33", "membership": "V33"}
AMOUNTS = ["total_revenue", "federal_revenue", "state_revenue", "local_revenue", "total_expenditure", "salaries",
           "instruction_salaries", "membership"]


def layouts() -> dict[int, dict[str, str]]:
    return {int(row["fiscal_year"]): row for row in layout_rows(SOURCE_ID)}


def specs() -> list[RawFileSpec]:
    """The files where the third party serves them (its repository at the commit the mirror took them from)."""
    return [RawFileSpec(SOURCE_ID, f"FY{fy}", row["file"], URL_PATTERN.format(commit=row["commit"], file=row["file"]), "text")
            for fy, row in sorted(layouts().items())]


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    data = read(path, int(resource.vintage.removeprefix("FY")))
    return {"f33_districts": with_provenance(data, resource, "line " + data["line"].astype(str))}


def read(path: Path, fiscal_year: int) -> pd.DataFrame:
    """One row per school system: the columns above (amounts as floats, missing where Census codes a negative)."""
    layout = layouts().get(fiscal_year)
    if layout is None:
        raise LayoutError(f"{path.name}: no layout mapped for FY{fiscal_year} in layouts/{SOURCE_ID}.csv")
    text = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if list(frame.columns) != list(COLUMNS.values()):
        raise LayoutError(f"{path.name} line 1: expected the 14 columns {list(COLUMNS.values())}; found {list(frame.columns)}")
    out = frame.rename(columns={v: k for k, v in COLUMNS.items()})
    out["line"] = out.index + 2
    wrong = out[out["year"] != layout["year_code"]]
    if len(wrong):
        raise LayoutError(f"{path.name} line {wrong.iloc[0]['line']}: YEAR {wrong.iloc[0]['year']!r}; this file should hold "
                          f"FY{fiscal_year} (YEAR {layout['year_code']})")
    for column in AMOUNTS:
        values = pd.to_numeric(out[column], errors="coerce")
        bad = out[values.isna()]
        if len(bad):
            raise LayoutError(f"{path.name} line {bad.iloc[0]['line']}: {COLUMNS[column]} {bad.iloc[0][column]!r} is not a number")
        out[column] = values.astype(float).where(values >= 0)
    parts = out["federal_revenue"] + out["state_revenue"] + out["local_revenue"]
    off = out[(parts - out["total_revenue"]).abs() > 3_000]  # amounts are rounded to thousands of dollars
    if len(off):
        raise LayoutError(f"{path.name} line {off.iloc[0]['line']}: TOTALREV is not TFEDREV + TSTREV + TLOCREV")
    if len(out) < 10_000:
        raise LayoutError(f"{path.name}: only {len(out)} school systems; the Census file lists about 18,000")
    out["fiscal_year"] = fiscal_year
    out["school_year"] = school_year_label(fiscal_year - 1)
    return out[["fiscal_year", "school_year", "name", "state", "state_code", "level", *AMOUNTS, "line"]]
