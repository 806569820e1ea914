"""U.S. Bureau of Economic Analysis regional accounts: SAGDP1 (state GDP) and SAINC1 (personal income,
population, per-capita personal income), annual, all states. Current dollars.

BEA serves them inside zip files (SAGDP.zip, SAINC.zip); the archive may hold the zip or the CSV.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from ._io import LayoutError, is_zip, read_zip_text
from ._spec import RawFileSpec, Source

SOURCE = Source(
    title="BEA SAGDP1, SAINC1",
    labels={"bea_sagdp1": "BEA SAGDP1", "bea_sainc1": "BEA SAINC1",
            "bea_sagdp1+bea_sainc1": "U.S. Bureau of Economic Analysis, SAGDP1 and SAINC1"},
    what="state GDP, population, per-capita personal income, 1997-2019",
    definition="current dollars; GDP per person = GDP ÷ SAINC1 population; ranks among 50 states",
    archived="mirror",
)
LANDING = "https://apps.bea.gov/regional/downloadzip.cfm"
TABLES = {
    # source_id: (zip address, member pattern, vintage archived, member archived)
    "bea_sagdp1": ("https://apps.bea.gov/regional/zip/SAGDP.zip", r"SAGDP1__ALL_AREAS_\d{4}_\d{4}\.csv",
                   "1997-2019", "SAGDP1__ALL_AREAS_1997_2019.csv"),
    "bea_sainc1": ("https://apps.bea.gov/regional/zip/SAINC.zip", r"SAINC1__ALL_AREAS_\d{4}_\d{4}\.csv",
                   "1929-2019", "SAINC1__ALL_AREAS_1929_2019.csv"),
}
ID_COLUMNS = ["GeoFIPS", "GeoName", "Region", "TableName", "LineCode", "IndustryClassification", "Description", "Unit"]


def specs() -> list[RawFileSpec]:
    # The archived CSVs came out of the zips; their official address is the zip plus the member name.
    return [RawFileSpec(sid, vintage, member, f"{url}#{member}", "csv", LANDING)
            for sid, (url, _pattern, vintage, member) in TABLES.items()]


def _read_text(path: Path, source_id: str) -> str:
    if is_zip(path):
        return read_zip_text(path, TABLES[source_id][1])
    return path.read_bytes().decode("utf-8-sig", errors="strict")


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    """Named by the file's source id; the transform keeps the latest retrieval of each table."""
    data = read(path, resource.source_id)
    return {resource.source_id: data.assign(file_sha256=resource.sha256, retrieved_at=resource.retrieved_at)}


def read(path: Path, source_id: str) -> pd.DataFrame:
    """Long frame: geo_fips, geo_name, line_code, description, unit, year, value, line (CSV line number)."""
    text = _read_text(path, source_id)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    if list(frame.columns[: len(ID_COLUMNS)]) != ID_COLUMNS:
        raise LayoutError(f"{path.name} line 1: expected columns {ID_COLUMNS}; found {list(frame.columns[:8])}")
    frame["line"] = frame.index + 2
    frame["GeoFIPS"] = frame["GeoFIPS"].str.strip().str.strip('"').str.strip()
    data = frame[frame["GeoFIPS"].str.fullmatch(r"\d{5}")].copy()  # footnote rows at the end have no FIPS
    years = [c for c in frame.columns if re.fullmatch(r"\d{4}", c)]
    if not years or len(data) < 50:
        raise LayoutError(f"{path.name}: expected year columns and rows for every state; found {len(years)} years, {len(data)} rows")
    long = data.melt(id_vars=ID_COLUMNS + ["line"], value_vars=years, var_name="year", value_name="raw")
    long["value"] = pd.to_numeric(long["raw"].str.strip(), errors="coerce")  # "(NA)", "(D)" -> missing
    return pd.DataFrame({
        "geo_fips": long["GeoFIPS"], "geo_name": long["GeoName"].str.strip(),
        "line_code": long["LineCode"].astype(int), "description": long["Description"].str.strip(),
        "unit": long["Unit"].str.strip(), "year": long["year"].astype(int), "value": long["value"],
        "line": long["line"],
    })
