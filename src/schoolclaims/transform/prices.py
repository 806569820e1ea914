"""Constant dollars. The index and base year are always explicit and written on every row."""

from __future__ import annotations

import pandas as pd

from ..sources import bls_cpi

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
