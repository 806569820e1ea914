"""The ledger rows as one table: every hand-transcribed figure with its citation and confidence label."""

from __future__ import annotations

import pandas as pd

from .grades import with_grades


def ledger_figures(ledger: pd.DataFrame) -> pd.DataFrame:
    return with_grades(ledger.drop(columns=["line"]).sort_values(["ledger", "locator"], key=_natural).reset_index(drop=True))


def _natural(column: pd.Series) -> pd.Series:
    """Sort 'file line 10' after 'file line 9'."""
    if column.name != "locator":
        return column
    return column.str.replace(r"(\d+)$", lambda m: m.group(1).zfill(6), regex=True)
