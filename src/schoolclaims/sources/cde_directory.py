"""CDE California School Directory (pubschls): one row per public school and district, with status,
open and close dates, charter fields, grade spans and coordinates.

Published as an xlsx workbook and as a tab-delimited text file with the same columns
(layout: https://www.cde.ca.gov/ds/si/ds/fspubschls.asp). The project archives the June 2018 snapshot;
closures after it are in the ledger alliance_directory_2026_status.csv.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ._io import LayoutError, clean, read_sheet
from ._spec import RawFileSpec, Source

SOURCE_ID = "cde_directory"
SOURCE = Source(
    title="CDE School Directory",
    labels={SOURCE_ID: "California Department of Education, School Directory (June 2018)"},
    what="every public school: CDS code, status, open and close dates, charter fields, grade span, coordinates",
    definition="June 2018 snapshot; later Alliance closures from a ledger of the 2026 directory (partial)",
    archived="mirror",
)
LANDING = "https://www.cde.ca.gov/ds/si/ds/pubschls.asp"
URL = "https://www.cde.ca.gov/schooldirectory/report?rid=dl1&tp=xlsx"
VINTAGE = "2018-06"
# project field -> the publisher's column name
FIELDS = {
    "cds": "CDSCode", "nces_district": "NCESDist", "nces_school": "NCESSchool", "status": "StatusType", "county": "County", "district": "District", "school": "School",
    "city": "City", "open_date": "OpenDate", "closed_date": "ClosedDate", "charter": "Charter",
    "charter_number": "CharterNum", "funding_type": "FundingType", "soc_type": "SOCType",
    "eil_code": "EILCode", "grades_offered": "GSoffered", "grades_served": "GSserved",
    "latitude": "Latitude", "longitude": "Longitude", "last_update": "LastUpDate",
}


def specs() -> list[RawFileSpec]:
    return [RawFileSpec(SOURCE_ID, VINTAGE, "pubschls.xlsx", URL, "excel", LANDING)]


def _read(path: Path) -> tuple[pd.DataFrame, str]:
    """The sheet or text file as text cells with the header on row 1; and what a row number means."""
    head = path.read_bytes()[:8]
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        frame = read_sheet(path, 0)
        header = [clean(v) for v in frame.iloc[0]]
        frame = frame.iloc[1:].set_axis(header, axis=1)
        return frame, "sheet row"
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return pd.read_csv(io.StringIO(text), sep="\t", dtype=str, keep_default_na=False, quoting=3), "line"


def _date(series: pd.Series) -> pd.Series:
    """Directory dates come as Excel dates (xlsx) or text (txt: YYYY-MM-DD); '' when there is none."""
    parsed = pd.to_datetime(series.map(lambda v: "" if v is None else str(v)).str.strip().replace({"": None, "nan": None, "NaT": None}),
                            errors="coerce", format="mixed")
    return parsed.dt.strftime("%Y-%m-%d").fillna("")


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    return {"directory": read(path).assign(source_id=resource.source_id, file_sha256=resource.sha256)}


def read(path: Path) -> pd.DataFrame:
    """Every school row (district and county office rows, whose school code is 0000000, are left out)."""
    frame, unit = _read(path)
    missing = [name for name in FIELDS.values() if name not in frame.columns]
    if missing:
        raise LayoutError(f"{path.name} {unit} 1: expected directory columns {missing}; found {list(frame.columns)[:12]}…")
    out = pd.DataFrame({field: frame[name].map(clean) for field, name in FIELDS.items()})
    out["row"] = range(2, len(out) + 2)
    out["locator"] = f"{unit} " + out["row"].astype(str)
    if not out["cds"].str.fullmatch(r"\d{14}").all():
        bad = out[~out["cds"].str.fullmatch(r"\d{14}")].iloc[0]
        raise LayoutError(f"{path.name} {bad['locator']}: CDSCode {bad['cds']!r} is not 14 digits")
    for column in ("open_date", "closed_date", "last_update"):
        out[column] = _date(frame[FIELDS[column]].reset_index(drop=True)).to_numpy()
    for column in ("latitude", "longitude"):
        out[column] = pd.to_numeric(out[column], errors="coerce")
    out = out[~out["cds"].str.endswith("0000000")].reset_index(drop=True)
    if len(out) < 10_000:
        raise LayoutError(f"{path.name}: only {len(out)} school rows; a statewide directory lists over 10,000")
    return out
