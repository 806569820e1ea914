"""One module per publisher dataset: what files exist (specs), and how to read one (extract).

Extract functions know one publisher's format and nothing else; they return tidy frames with the
source's own values and a ``locator`` (sheet and row, or line) for every row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class RawFileSpec:
    """A file the project archives: where the publisher serves it and where it goes in data/raw."""

    source_id: str
    vintage: str
    filename: str
    url: str
    expect: str  # what the bytes must look like: see schoolclaims.fetch.ACCEPTS
    landing: str = ""  # page to discover the current address from, when the publisher has one
    allowed_redirect_hosts: tuple[str, ...] = ()

    @property
    def rel_path(self) -> str:
        return f"{self.source_id}/{self.vintage}/{self.filename}"


class LayoutError(ValueError):
    """A file is not laid out as its layout map says: names the file, sheet, row and what was expected."""


def _clean(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def read_sheet(path: Path, sheet: str | int) -> pd.DataFrame:
    """A whole worksheet as objects, no header; frame row i is spreadsheet row i + 1."""
    try:
        return pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="calamine")
    except ValueError as exc:  # missing sheet
        raise LayoutError(f"{path.name}: cannot read sheet {sheet!r} ({exc})") from exc
    except Exception as exc:  # calamine raises its own types for corrupt workbooks
        raise LayoutError(f"{path.name}: not a readable workbook ({type(exc).__name__}: {exc})") from exc


def header_columns(frame: pd.DataFrame, where: str, row: int, expected: dict[str, str]) -> dict[str, int]:
    """Find each expected header text in spreadsheet row ``row``; return field -> column index.

    Comparison ignores case and runs of white space (line breaks inside header cells drift by year).
    """
    if row - 1 >= len(frame):
        raise LayoutError(f"{where}: has {len(frame)} rows; the header was expected on row {row}")
    found = [_clean(v) for v in frame.iloc[row - 1].tolist()]
    lowered = [v.lower() for v in found]
    columns = {}
    for field, text in expected.items():
        try:
            columns[field] = lowered.index(_clean(text).lower())
        except ValueError:
            raise LayoutError(
                f"{where} row {row}: expected a header cell {text!r} (for {field}); found {[v for v in found if v]}"
            ) from None
    return columns


def to_number(value, where: str) -> float:
    """A numeric cell: numbers pass, numeric text with thousands separators is parsed, else an error."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if pd.isna(value):
            raise LayoutError(f"{where}: empty cell where a number was expected")
        return float(value)
    text = _clean(value).replace(",", "").replace("$", "")
    try:
        return float(text)
    except ValueError:
        raise LayoutError(f"{where}: expected a number, found {value!r}") from None


def school_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"
