"""Hand-transcribed ledgers: figures from published pages that have no data file.

Every row carries its page address (source_url), where on the page (source_locator) and a confidence
label (exact transcription / second-hand quote / partially captured ...). They live in
data/raw/ledgers/ (committed) and are read with their sha256 checked like any raw file.

Two layouts exist: the figure layout (entity, measure, definition, school_year_or_year, ...) and the
school layout, which names a CDS code and a grade span or subject, and the pay layout (employer, step,
column, annual salary). All are read into the figure layout, with cds_code and grade_span_or_subject added;
pay ledgers are also read as published by extract_pay, for the salary table. A value must be a number unless its unit says
it is text (a status or a date in the directory ledger); text values are kept in value_text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import urls
from ._io import LayoutError, with_provenance
from ._spec import RawFileSpec, Source

SOURCE_ID = "ledgers"
SOURCE = Source(
    title="Ledgers",
    labels={SOURCE_ID: "hand-transcribed ledgers"},
    what="rankings (Education Week, NEA), LAO and LCFF per-ADA figures, world GDP ranks, recent CDE figures, the "
         "network's reported size, class-size context, contract caps, NCES pupil-teacher ratios",
    definition="as stated on each row, with the page address, place on the page and a confidence label",
    archived="committed (`data/raw/ledgers/`)",
    files_per_vintage="many",
)
COLUMNS = ["entity", "measure", "definition", "school_year_or_year", "value", "unit",
           "source_url", "source_locator", "confidence", "note"]
SCHOOL_COLUMNS = ["entity", "cds_code", "school_year", "measure", "grade_span_or_subject", "value", "unit",
                  "source_url", "source_locator", "confidence", "note"]
PAY_COLUMNS = ["employer", "school_year", "schedule", "calendar_or_days", "step", "column_label", "column_requirement",
               "annual_salary_usd", "source_url", "source_locator", "confidence", "note"]
OUTPUT = ["entity", "cds_code", "measure", "definition", "school_year_or_year", "grade_span_or_subject",
          "value", "value_text", "unit", "source_url", "source_locator", "confidence", "note"]
PAY = (  # in the pay layout (lausd_layoffs.csv, also used by the pay claims, is in the figure layout)
    "lausd_salary_points.csv",
    "lausd_pay_terms.csv",
    "la_pay_comparators.csv",
    "alliance_pay_evidence.csv",
)


def specs() -> list[RawFileSpec]:
    return []  # transcribed by hand and added with `schoolclaims import`


def _check_addresses(frame: pd.DataFrame, path: Path) -> None:
    """Every source_url is an http(s) address or a github:owner/repo reference: it becomes a link on the site."""
    for line, value in zip(frame["line"], frame["source_url"]):
        try:
            urls.check(value, f"{path.name} line {line}: source_url", references=True)
        except urls.UnsafeAddress as exc:
            raise LayoutError(str(exc)) from None


CITED = ("source_url", "source_locator", "confidence")  # every row must say where it comes from


def table_schema(path: Path) -> dict:
    """The ledger's Frictionless table schema (recorded in the manifest on import): its layout's columns, all text
    as transcribed, the citation columns required."""
    columns = list(pd.read_csv(path, dtype=str, nrows=0).columns)
    if columns not in (COLUMNS, SCHOOL_COLUMNS, PAY_COLUMNS):
        raise LayoutError(f"{path.name} line 1: expected columns {COLUMNS}, {SCHOOL_COLUMNS} or {PAY_COLUMNS}; found {columns}")
    rows = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["source_url"])
    _check_addresses(rows.assign(line=rows.index + 2), path)
    return {"fields": [{"name": c, "type": "string", **({"constraints": {"required": True}} if c in CITED[::2] else {})}
                       for c in columns]}


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    """Every ledger in the figure layout ("ledger"); pay-layout ledgers also as published ("pay_ledger").
    A row's source id names its ledger (ledgers/<file>), so a chart or evidence row names the page it cites."""
    name = Path(resource.path).name
    source_id = f"{SOURCE_ID}/{name}"
    data = read(path)
    data.insert(0, "ledger", name.removesuffix(".csv"))
    out = {"ledger": with_provenance(data, resource, "line " + data["line"].astype(str), source_id)}
    if name in PAY:
        out["pay_ledger"] = with_provenance(read_pay(path).assign(ledger=name.removesuffix(".csv")), resource, "", source_id)
    return out


def read_pay(path: Path) -> pd.DataFrame:
    """A pay-layout ledger as published: salary as a number where the cell is one plain amount, else missing
    (ranges, percentages and notes stay in annual_salary_text)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) != PAY_COLUMNS:
        raise LayoutError(f"{path.name} line 1: expected columns {PAY_COLUMNS}; found {list(frame.columns)}")
    frame["line"] = frame.index + 2
    missing = frame[(frame["source_url"].str.strip() == "") | (frame["confidence"].str.strip() == "")]
    if len(missing):
        raise LayoutError(f"{path.name} line {missing.iloc[0]['line']}: every ledger row needs a source_url and a confidence label")
    _check_addresses(frame, path)
    plain = frame["annual_salary_usd"].str.fullmatch(r"\d[\d,]*(\.\d+)?")
    frame["annual_salary"] = pd.to_numeric(frame["annual_salary_usd"].where(plain).str.replace(",", ""), errors="coerce")
    frame["annual_salary_text"] = frame["annual_salary_usd"]
    return frame


def _pay_as_figures(pay: pd.DataFrame) -> pd.DataFrame:
    detail = pay[["step", "column_label", "column_requirement"]].apply(
        lambda r: "; ".join(f"{k.replace('_', ' ')} {v}" for k, v in r.items() if v), axis=1)
    return pd.DataFrame({
        "entity": pay["employer"], "cds_code": "", "measure": pay["schedule"], "definition": pay["calendar_or_days"],
        "school_year_or_year": pay["school_year"], "grade_span_or_subject": detail,
        "value": pay["annual_salary"], "value_text": pay["annual_salary_text"].where(pay["annual_salary"].isna(), ""),
        "unit": pay["annual_salary"].map(lambda v: "text (as published)" if pd.isna(v) else "USD per year"),
        "source_url": pay["source_url"], "source_locator": pay["source_locator"], "confidence": pay["confidence"],
        "note": pay["note"], "line": pay["line"],
    })


def read(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(frame.columns) == PAY_COLUMNS:
        return _pay_as_figures(read_pay(path))[OUTPUT + ["line"]]
    if list(frame.columns) == SCHOOL_COLUMNS:
        frame = frame.rename(columns={"school_year": "school_year_or_year"}).assign(definition="")
    elif list(frame.columns) == COLUMNS:
        frame = frame.assign(cds_code="", grade_span_or_subject="")
    else:
        raise LayoutError(f"{path.name} line 1: expected columns {COLUMNS}, {SCHOOL_COLUMNS} or {PAY_COLUMNS}; found {list(frame.columns)}")
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
    _check_addresses(frame, path)
    frame["value_text"] = frame["value"].where(text_unit, "")
    frame["value"] = number.where(~text_unit)
    frame["unit"] = frame["unit"].map(plain_qualifier)
    return frame[OUTPUT + ["line"]]


QUALIFIED = re.compile(r"^(?P<unit>.*?)\s*\((?P<inside>[^()]*)\)$")  # 'classes (">")', 'students (lower bound, "over")'
QUALIFIER_WORDS = {">": "more than", "<": "fewer than", ">=": "at least", "<=": "at most", "~": "about"}


def plain_qualifier(unit: str) -> str:
    """A unit whose qualifier is transcribed in quotes, in words as the other ledgers write it: 'classes (">")' is
    'classes (more than)', 'students (lower bound, "over")' is 'students (lower bound, over)' (the row's note quotes
    the source's own words)."""
    found = QUALIFIED.match(str(unit))
    if not found or '"' not in found["inside"]:
        return unit
    inside = re.sub(r'"([^"]+)"', lambda quoted: QUALIFIER_WORDS.get(quoted[1], quoted[1]), found["inside"])
    return f"{found['unit']} ({inside})"
