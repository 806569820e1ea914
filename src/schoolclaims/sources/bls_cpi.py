"""Consumer Price Index for All Urban Consumers (CPI-U), not seasonally adjusted, from the BLS data
shipped inside the ``cpi`` package (pinned in pyproject.toml, so it works offline).

The archive keeps a CSV export of the two series used here (made by :func:`export_from_package`), so
the numbers in a build come from committed bytes, and the export records the package version and the
sha256 of the package's database it came from.

A school year's price level is the mean of its 12 monthly indexes, July to June.
"""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import pandas as pd

from ._io import LayoutError, with_provenance
from ._spec import RawFileSpec, Source

SOURCE_ID = "bls_cpi"
SOURCE = Source(
    title="BLS CPI-U",
    labels={SOURCE_ID: "BLS CPI-U via the cpi package"},
    what="U.S. city average (CUUR0000SA0) and Los Angeles-Long Beach-Anaheim (CUURS49ASA0), monthly",
    definition="school-year price level = mean of July-June",
    archived="exported from the pinned `cpi` package, committed",
)
SERIES = {
    "CUUR0000SA0": "CPI-U, U.S. city average, all items, not seasonally adjusted",
    "CUURS49ASA0": "CPI-U, Los Angeles-Long Beach-Anaheim, all items, not seasonally adjusted",
}
LA_SERIES = "CUURS49ASA0"
UPSTREAM = "https://download.bls.gov/pub/time.series/cu/"
COLUMNS = ["series_id", "year", "month", "value"]


def package_version() -> str:
    from importlib.metadata import version

    return version("cpi")


def specs() -> list[RawFileSpec]:
    return [RawFileSpec(SOURCE_ID, f"cpi-{package_version()}", "cpi_u_monthly.csv", UPSTREAM, "csv",
                        produce=export_from_package)]


def export_from_package(dest: Path) -> str:
    """Write the monthly values of SERIES from the installed cpi package; return a provenance note."""
    with warnings.catch_warnings():
        # On import the package warns that its data is older than today (StaleDataWarning). We use it
        # for past school years only, so that one warning is silenced here, on purpose, and no other.
        warnings.filterwarnings("ignore", message="CPI data is out of date")
        import cpi

    frames = []
    for series_id in SERIES:
        data = cpi.series.get_by_id(series_id).to_dataframe()
        monthly = data[data["period_type"] == "monthly"]
        frames.append(pd.DataFrame({"series_id": series_id, "year": monthly["year"].astype(int),
                                    "month": monthly["period_month"].astype(int), "value": monthly["value"].astype(float)}))
    table = pd.concat(frames).sort_values(COLUMNS[:3]).reset_index(drop=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(dest, index=False, lineterminator="\n")
    db = Path(cpi.__file__).with_name("cpi.db")
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    return f"exported from the PyPI package cpi=={package_version()} (its cpi.db sha256 {digest}), BLS series {', '.join(SERIES)}"


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    data = read(path)
    return {"cpi": with_provenance(data, resource, "line " + data["line"].astype(str))}


def read(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"series_id": str})
    if list(frame.columns) != COLUMNS:
        raise LayoutError(f"{path.name} line 1: expected columns {COLUMNS}; found {list(frame.columns)}")
    frame["line"] = frame.index + 2
    return frame
