"""Hand-transcribed ledgers: figures from published pages that have no data file.

Every row carries its page address (source_url), where on the page (source_locator) and a confidence
label (exact transcription / second-hand quote / partially captured ...). They live in
data/raw/ledgers/ (committed) and are read with their sha256 checked like any raw file.

Two layouts exist: the figure layout (entity, measure, definition, school_year_or_year, ...) and the
school layout, which names a CDS code and a grade span or subject. Both are read into the figure
layout, with cds_code and grade_span_or_subject added. A value must be a number unless its unit says
it is text (a status or a date in the directory ledger); text values are kept in value_text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import LayoutError

SOURCE_ID = "ledgers"
COLUMNS = ["entity", "measure", "definition", "school_year_or_year", "value", "unit",
           "source_url", "source_locator", "confidence", "note"]
SCHOOL_COLUMNS = ["entity", "cds_code", "school_year", "measure", "grade_span_or_subject", "value", "unit",
                  "source_url", "source_locator", "confidence", "note"]
OUTPUT = ["entity", "cds_code", "measure", "definition", "school_year_or_year", "grade_span_or_subject",
          "value", "value_text", "unit", "source_url", "source_locator", "confidence", "note"]
# The ledgers the build reads (see ../shared/ledgers), by the question they serve.
FUNDING = (
    "funding_state_ranks.csv",
    "funding_per_ada_secondary.csv",
    "current_expense_recent_secondhand.csv",
    "economy_world_rank_and_income.csv",
    "funding_claim_context.csv",
    "f33_and_other_per_pupil_secondhand.csv",
)
SCHOOLS_AND_CLASSES = (
    "alliance_network_size_reported.csv",
    "alliance_directory_2026_status.csv",
    "class_size_context.csv",
    "lausd_class_size_caps.csv",
    "nces_pupil_teacher_ratio_2024_25.csv",
)


def extract(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) == SCHOOL_COLUMNS:
        frame = frame.rename(columns={"school_year": "school_year_or_year"}).assign(definition="")
    elif list(frame.columns) == COLUMNS:
        frame = frame.assign(cds_code="", grade_span_or_subject="")
    else:
        raise LayoutError(f"{path.name} line 1: expected columns {COLUMNS} or {SCHOOL_COLUMNS}; found {list(frame.columns)}")
    frame["line"] = frame.index + 2
    number = pd.to_numeric(frame["value"].str.replace(",", ""), errors="coerce")
    text_unit = frame["unit"].str.startswith("text")
    bad = frame[number.isna() & ~text_unit]
    if len(bad):
        first = bad.iloc[0]
        raise LayoutError(f"{path.name} line {first['line']}: value {first['value']!r} is not a number (unit {first['unit']!r})")
    missing = frame[(frame["source_url"].str.strip() == "") | (frame["confidence"].str.strip() == "")]
    if len(missing):
        raise LayoutError(f"{path.name} line {missing.iloc[0]['line']}: every ledger row needs a source_url and a confidence label")
    frame["value_text"] = frame["value"].where(text_unit, "")
    frame["value"] = number.where(~text_unit)
    return frame[OUTPUT + ["line"]]
