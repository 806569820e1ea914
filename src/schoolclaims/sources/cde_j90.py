"""CDE Certificated Salaries & Benefits survey (Form J-90): district salary schedules' summary.

TSAL1: one row per district: ADA, number of days, the schedule's BA column, highest step and column,
minimum and maximum schedule salary, teacher FTE, degree stipends, benefits. TSAL2: the schedule's
column headings. Landing: https://www.cde.ca.gov/ds/fd/cs/ (one set of files a year).

Limits, stated wherever these figures are used: charter schools (Alliance included) do not file J-90;
the minimum is the lowest cell of the district's schedule, which for LAUSD is its L table (alternative
certification), not a credentialed BA start; amounts are schedule amounts, not what teachers are paid.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd
from bs4 import BeautifulSoup

from ..years import school_year_label
from ._io import LayoutError
from ._spec import RawFileSpec, Source

SOURCE = Source(
    title="CDE J-90 salary survey",
    labels={"cde_j90_tsal1": "CDE Certificated Salaries & Benefits survey (J-90), TSAL1",
            "cde_j90_tsal2": "TSAL2 (column headings)"},
    what="every district's schedule minimum and maximum, days, teacher FTE, degree stipends, column headings, 2020-21",
    definition="schedule amounts; the minimum is the lowest column (for LAUSD a non-credentialed column, its L table); "
               "charters do not file J-90",
    archived="mirror (found by sha256: the mirror lists no official address)",
)
LANDING = "https://www.cde.ca.gov/ds/fd/cs/"
URL_PATTERN = "https://www.cde.ca.gov/ds/fd/cs/documents/tsal{n}{yy}.csv"  # pattern; the landing page decides
YEARS = (2020,)  # archived (mirror); other years: add them here and fetch online
FILES = {"cde_j90_tsal1": 1, "cde_j90_tsal2": 2}
TSAL1 = {"county_code": "county", "district_code": "district", "cds": "cds", "district": "ts1_dname",
         "county": "ts1_county", "ada": "ts1_ada", "ba_column": "ts1_bacol", "days": "ts1_ndays",
         "highest_step": "ts1_hstep", "highest_column": "ts1_hcol", "min_salary": "ts1_minsal",
         "max_salary": "ts1_maxsal", "teacher_fte": "ts1_totfte", "ma_stipend": "ts1_mbonam",
         "doctorate_stipend": "ts1_dbonam", "effective_date": "ts1_effdat"}
NUMBERS = ["ada", "ba_column", "days", "highest_step", "highest_column", "min_salary", "max_salary", "teacher_fte",
           "ma_stipend", "doctorate_stipend"]


def specs() -> list[RawFileSpec]:
    return [RawFileSpec(sid, school_year_label(y), f"tsal{n}{(y + 1) % 100:02d}.csv",
                        URL_PATTERN.format(n=n, yy=f"{(y + 1) % 100:02d}"), "text", LANDING)
            for y in YEARS for sid, n in FILES.items()]


def discover(html: str, base: str) -> dict[str, str]:
    """'<source id>:<vintage>' -> address of each TSAL file linked from the landing page (two files a year)."""
    found = {}
    for link in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        match = re.search(r"tsal([12])(\d{2})\.\w+$", link["href"], flags=re.IGNORECASE)
        if match:
            end = 2000 + int(match.group(2))
            found[f"cde_j90_tsal{match.group(1)}:{school_year_label(end - 1)}"] = urljoin(base, link["href"])
    return found


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    if resource.source_id == "cde_j90_tsal1":
        return {"j90_summary": district_summary(path, resource.vintage).assign(file_sha256=resource.sha256)}
    return {"j90_headings": column_headings(path, resource.vintage).assign(file_sha256=resource.sha256)}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(path.read_bytes().decode("utf-8-sig", errors="replace")), dtype=str, keep_default_na=False)


def district_summary(path: Path, school_year: str) -> pd.DataFrame:
    """TSAL1: one row per district with the fields above (numbers as floats), and its CSV line."""
    frame = _read(path)
    missing = [c for c in TSAL1.values() if c not in frame.columns]
    if missing:
        raise LayoutError(f"{path.name} line 1: expected TSAL1 columns {missing}; found {list(frame.columns)[:16]}…")
    out = pd.DataFrame({field: frame[column].str.strip() for field, column in TSAL1.items()})
    out["line"] = frame.index + 2
    for column in NUMBERS:
        values = pd.to_numeric(out[column], errors="coerce")
        bad = out[values.isna() & (out[column] != "")]
        if len(bad):
            raise LayoutError(f"{path.name} line {bad.iloc[0]['line']}: {TSAL1[column]} {bad.iloc[0][column]!r} is not a number")
        out[column] = values
    out["cds"] = out["cds"].str.zfill(7)
    out["school_year"] = school_year
    if len(out) < 300:
        raise LayoutError(f"{path.name}: only {len(out)} districts; TSAL1 lists every district that filed (about 800)")
    wrong = out[(out["max_salary"] < out["min_salary"])]
    if len(wrong):
        raise LayoutError(f"{path.name} line {wrong.iloc[0]['line']}: maximum salary below the minimum")
    return out


def column_headings(path: Path, school_year: str) -> pd.DataFrame:
    """TSAL2: cds, column number and the heading text (its pieces joined)."""
    frame = _read(path)
    needed = ["cds", "ts2_col", "ts2_col1", "ts2_col1a", "ts2_col2", "ts2_col3", "ts2_col3a"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise LayoutError(f"{path.name} line 1: expected TSAL2 columns {missing}; found {list(frame.columns)}")
    heading = frame[needed[2:]].apply(lambda r: " ".join(v.strip() for v in r if v.strip()), axis=1)
    return pd.DataFrame({"school_year": school_year, "cds": frame["cds"].str.zfill(7),
                         "column": pd.to_numeric(frame["ts2_col"]).astype(int), "heading": heading, "line": frame.index + 2})
