"""Constant dollars. The index and base year are always explicit and written on every row."""

from __future__ import annotations

import pandas as pd

from ..sources import bls_cpi
from ..years import school_year_label

BASE_YEAR = "2019-20"  # the school year the "20 by 20" target names
INDEX = bls_cpi.LA_SERIES


def index_label(series_id: str = INDEX) -> str:
    return f"{bls_cpi.SERIES[series_id]} ({series_id}), July-June school-year mean"


def to_constant(values: pd.Series, school_years: pd.Series, price_index: pd.DataFrame,
                series_id: str = INDEX, base_year: str = BASE_YEAR) -> pd.Series:
    """values (nominal dollars of each school year) -> dollars of ``base_year``; NaN where no index."""
    table = price_index[price_index["series_id"] == series_id].set_index("school_year")["index"]
    if base_year not in table.index:
        raise ValueError(f"no {series_id} price level for base year {base_year}")
    factors = school_years.map(table[base_year] / table)
    return values * factors


def school_year_average(monthly: pd.DataFrame) -> pd.DataFrame:
    """series_id, school_year, index (mean of July-June), months (count); incomplete years are dropped."""
    frame = monthly.copy()
    frame["start"] = frame["year"].where(frame["month"] >= 7, frame["year"] - 1)
    grouped = frame.groupby(["series_id", "start"])["value"].agg(["mean", "count"]).reset_index()
    grouped = grouped[grouped["count"] == 12]
    return pd.DataFrame({
        "series_id": grouped["series_id"], "school_year": grouped["start"].map(school_year_label),
        "index": grouped["mean"], "months": grouped["count"],
    }).reset_index(drop=True)


def price_index_table(cpi: pd.DataFrame) -> pd.DataFrame:
    """School-year price levels (July-June means of complete years), each row naming the lines it averages."""
    averages = school_year_average(cpi)
    lines = cpi.assign(start=cpi["year"].where(cpi["month"] >= 7, cpi["year"] - 1))
    spans = lines.groupby(["series_id", "start"])["line"].agg(["min", "max"]).reset_index()
    spans["school_year"] = spans["start"].map(school_year_label)
    averages = averages.merge(spans[["series_id", "school_year", "min", "max"]], on=["series_id", "school_year"])
    table = pd.DataFrame({
        "series_id": averages["series_id"], "series_title": averages["series_id"].map(bls_cpi.SERIES),
        "school_year": averages["school_year"], "index": averages["index"].round(4),
        "months": averages["months"].astype(int), "source_id": bls_cpi.SOURCE_ID, "file_sha256": cpi["file_sha256"].iloc[0],
        "locator": "lines " + averages["min"].astype(str) + "-" + averages["max"].astype(str) + " (mean of July-June)",
    })
    return table.sort_values(["series_id", "school_year"]).reset_index(drop=True)
