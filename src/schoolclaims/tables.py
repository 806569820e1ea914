"""Read the processed tables back with the right types (codes and school years stay text)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import paths
from .schemas import SCHEMAS

TEXT = {"cds", "geo_fips", "school_year", "data_year", "file_sha256", "locator", "vintage", "price_index",
        "base_year", "source_url", "lea_type", "value_unit", "school_year_or_year", "note", "source_locator"}


def load(name: str, processed: Path | None = None) -> pd.DataFrame:
    path = Path(processed or paths.PROCESSED) / f"{name}.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{paths.relative(path)} is missing: run `schoolclaims build`")
    schema = SCHEMAS[name]
    dtypes = {}
    for column, spec in schema.columns.items():
        kind = str(spec.dtype)
        if column in TEXT or kind == "str":
            dtypes[column] = str
        elif kind == "Int64":
            dtypes[column] = "Int64"
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values={
        c: [""] for c, s in schema.columns.items() if c not in dtypes or dtypes[c] != str})
    return frame
