"""Hand-transcribed ledgers: figures from published pages that have no data file.

Every row carries its page address (source_url), where on the page (source_locator) and a confidence
label (exact transcription / second-hand quote / partially captured ...). They live in
data/raw/ledgers/ (committed) and are read with their sha256 checked like any raw file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import LayoutError

SOURCE_ID = "ledgers"
COLUMNS = ["entity", "measure", "definition", "school_year_or_year", "value", "unit",
           "source_url", "source_locator", "confidence", "note"]
# The ledgers the funding claims use (see ../shared/ledgers); later issues add their own.
FUNDING = (
    "funding_state_ranks.csv",
    "funding_per_ada_secondary.csv",
    "current_expense_recent_secondhand.csv",
    "economy_world_rank_and_income.csv",
    "funding_claim_context.csv",
    "f33_and_other_per_pupil_secondhand.csv",
)


def extract(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != COLUMNS:
        raise LayoutError(f"{path.name} line 1: expected columns {COLUMNS}; found {list(frame.columns)}")
    frame["line"] = frame.index + 2
    bad = frame[pd.to_numeric(frame["value"], errors="coerce").isna()]
    if len(bad):
        first = bad.iloc[0]
        raise LayoutError(f"{path.name} line {first['line']}: value {first['value']!r} is not a number")
    missing = frame[(frame["source_url"].str.strip() == "") | (frame["confidence"].str.strip() == "")]
    if len(missing):
        raise LayoutError(f"{path.name} line {missing.iloc[0]['line']}: every ledger row needs a source_url and a confidence label")
    frame["value"] = frame["value"].astype(float)
    return frame
