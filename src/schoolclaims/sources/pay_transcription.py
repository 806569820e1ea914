"""Hand-transcribed salary schedules: the manual path for any schedule (a PDF that will not parse, a
document obtained by hand, a printed page). One CSV per document, imported with
``schoolclaims import FILE --source pay_transcription --vintage YYYY-YY --origin manual-import ...``.

Columns: employer, school_year, schedule, calendar_basis, contract_days, step, column_label,
column_requirement, annual_salary, page. Every cell is validated (errors name the file row and column),
then each schedule goes through the same self-checks as a parsed PDF.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from . import _pdf_grid
from ._io import LayoutError
from ._spec import RawFileSpec, Source

SOURCE_ID = "pay_transcription"
SOURCE = Source(
    title="Hand transcriptions",
    labels={SOURCE_ID: "hand-transcribed salary schedule"},
    what="any schedule, typed from the document with page references",
    definition="validated cell by cell, then the same self-checks as a parsed PDF",
    archived="none yet",
    required=False,
    files_per_vintage="many",
)
COLUMNS = ["employer", "school_year", "schedule", "calendar_basis", "contract_days", "step", "column_label",
           "column_requirement", "annual_salary", "page"]
SCHEMA = DataFrameSchema({
    "employer": Column(str, Check.str_length(min_value=3)),
    "school_year": Column(str, Check.str_matches(r"^20\d\d-\d\d$")),
    "schedule": Column(str, Check.str_length(min_value=1)),
    "calendar_basis": Column(str, nullable=True),
    "contract_days": Column(float, Check.in_range(150, 260), nullable=True),
    "step": Column(int, Check.in_range(1, 40)),
    "column_label": Column(str, Check.str_length(min_value=1)),
    "column_requirement": Column(str, nullable=True),
    "annual_salary": Column(float, Check.in_range(*_pdf_grid.PLAUSIBLE)),
    "page": Column(str, Check.str_length(min_value=1)),
}, strict=True, ordered=True, coerce=True, name="salary transcription")


def specs() -> list[RawFileSpec]:
    return []  # typed by hand and added with `schoolclaims import`


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    cells = read(path).assign(source_id=resource.source_id, file_sha256=resource.sha256,
                              confidence="hand transcription (" + resource.origin_detail + ")")
    return {"schedule_cells": cells}


def read(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:  # e.g. an unquoted thousands separator adds a field
        raise LayoutError(f"{path.name}: {exc} (quote amounts written with commas, or leave the commas out)") from None
    if list(frame.columns) != COLUMNS:
        raise LayoutError(f"{path.name} line 1: expected columns {COLUMNS}; found {list(frame.columns)}")
    frame = frame.replace({"": None})
    try:
        frame = SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        first = cases.iloc[0]
        row = int(first["index"]) + 2 if pd.notna(first["index"]) else "?"
        value = first["failure_case"]
        value = f"{value:g}" if isinstance(value, float) else repr(value)
        raise LayoutError(f"{path.name} line {row} column {first['column']}: {value} fails {first['check']}"
                          f" ({len(cases)} problem(s) in all)") from None
    frame["line"] = frame.index + 2
    parts = []
    for (employer, year, schedule, basis), group in frame.groupby(["employer", "school_year", "schedule", "calendar_basis"],
                                                                  dropna=False, sort=False):
        order = {label: i + 1 for i, label in enumerate(dict.fromkeys(group["column_label"]))}
        cells = group.assign(column_index=group["column_label"].map(order), salary=group["annual_salary"],
                             locator="line " + group["line"].astype(str) + " (page " + group["page"] + ")")
        _pdf_grid.check(cells, f"{path.name} ({schedule}, {year})")
        parts.append(cells)
    out = pd.concat(parts, ignore_index=True)
    out["calendar_basis"] = out["calendar_basis"].fillna("")
    out["column_requirement"] = out["column_requirement"].fillna("")
    return out[["employer", "school_year", "schedule", "calendar_basis", "contract_days", "step", "column_index",
                "column_label", "column_requirement", "salary", "locator"]]
