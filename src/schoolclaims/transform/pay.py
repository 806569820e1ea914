"""Teacher pay in one long table, and the comparisons the pay claims need.

Rows of ``salary_schedules``: one schedule cell (employer, school year, schedule, calendar basis, step,
column) with its annual salary, the contract days it pays for, the per-day rate, and the salary in 2019-20
dollars (LA-area CPI-U, July-June means); add-ons (master's, doctorate differentials) are rows of their
own (kind 'add-on'). Sources: parsed salary PDFs (LAUSD, Alliance), hand transcriptions, and ledger cells
(labelled with their confidence).

Comparison points (BA year 1; BA+30 or MA at years 5 and 10; top of schedule) are data:
transform/pay_points.csv. A column "meets" BA+30 when its label shows 30 or more units beyond the BA, or
a master's degree; the lowest such column is used.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..entities import LA_COUNTY_NAME
from .prices import to_constant
from .grades import with_grades

POINTS = Path(__file__).with_name("pay_points.csv")
COLUMNS = ["employer", "school_year", "schedule", "calendar_basis", "kind", "step", "column_index", "column_label",
           "column_requirement", "annual_salary", "contract_days", "per_day", "annual_salary_constant", "confidence",
           "source_id", "file_sha256", "locator"]


def points() -> pd.DataFrame:
    return pd.read_csv(POINTS, dtype=str)


def contract_days(text: str) -> float | None:
    """'180 student days + 2 additional teacher work days' -> 182; '180 + 2' -> 182; otherwise None."""
    numbers = re.findall(r"\d+", str(text))
    if re.fullmatch(r"\s*\d+\s*(student days?)?\s*(\+\s*\d+[\w\s]*)?", str(text)) and numbers:
        return float(sum(int(n) for n in numbers))
    return None


def units(label: str) -> tuple[str, int]:
    """A column label's degree and units beyond it: 'BA+30' -> ('BA', 30); 'MA' -> ('MA', 0); 'Col 3' -> ('', 0)."""
    text = str(label).upper().replace(" ", "")
    degree = "DOCTORATE" if re.search(r"PHD|DOCTOR", text) else "MA" if re.search(r"MA|MASTER", text) else "BA" if "BA" in text else ""
    extra = re.search(r"\+(\d+)", text)
    return degree, int(extra.group(1)) if extra else 0


def from_ledger(pay: pd.DataFrame) -> pd.DataFrame:
    """Single schedule cells from pay ledgers (rows with a plain amount, a numeric step and a column)."""
    rows = pay[pay["annual_salary"].notna() & pay["step"].str.fullmatch(r"\d+") & (pay["column_label"] != "")]
    year = rows["school_year"].str.extract(r"(20\d\d-\d\d)")[0]
    rows = rows[year.notna()].assign(school_year=year[year.notna()])
    return pd.DataFrame({
        "employer": rows["employer"], "school_year": rows["school_year"], "schedule": rows["schedule"],
        "calendar_basis": "", "kind": "cell", "step": rows["step"].astype(int), "column_index": pd.NA,
        "column_label": rows["column_label"], "column_requirement": rows["column_requirement"],
        "annual_salary": rows["annual_salary"], "contract_days": rows["calendar_or_days"].map(contract_days),
        "confidence": rows["confidence"], "source_id": rows["source_id"], "file_sha256": rows["file_sha256"],
        "locator": "line " + rows["line"].astype(str),
    })


def add_ons(terms: pd.DataFrame) -> pd.DataFrame:
    """Degree differentials stated as annual dollar amounts (master's, doctorate) as rows of their own."""
    rows = terms[terms["annual_salary"].notna() & terms["schedule"].str.contains("differential", case=False)
                 & ~terms["schedule"].str.contains("range", case=False)]
    year = rows["school_year"].str.extract(r"(20\d\d-\d\d)")[0]
    return pd.DataFrame({
        "employer": rows["employer"], "school_year": year, "schedule": rows["schedule"], "calendar_basis": "",
        "kind": "add-on", "step": pd.NA, "column_index": pd.NA, "column_label": rows["column_label"],
        "column_requirement": rows["column_requirement"], "annual_salary": rows["annual_salary"], "contract_days": None,
        "confidence": rows["confidence"], "source_id": rows["source_id"], "file_sha256": rows["file_sha256"],
        "locator": "line " + rows["line"].astype(str),
    }).dropna(subset=["school_year"])


def from_cells(cells: pd.DataFrame) -> pd.DataFrame:
    """Cells from a parsed PDF or a transcription (with confidence, source_id, file_sha256, locator already set)."""
    out = cells.rename(columns={"salary": "annual_salary"}).assign(kind="cell")
    for column in ("column_requirement", "contract_days", "calendar_basis"):
        if column not in out:
            out[column] = "" if column != "contract_days" else None
    return out


def salary_table(parts: list[pd.DataFrame], price_index: pd.DataFrame) -> pd.DataFrame:
    table = pd.concat([p for p in parts if len(p)], ignore_index=True)
    table["contract_days"] = pd.to_numeric(table["contract_days"], errors="coerce")
    table["per_day"] = (table["annual_salary"] / table["contract_days"]).round(2)
    table["annual_salary_constant"] = to_constant(table["annual_salary"], table["school_year"], price_index).round(0)
    table["step"] = table["step"].astype("Int64")
    table["column_index"] = pd.to_numeric(table["column_index"], errors="coerce").astype("Int64")
    table["column_requirement"] = table["column_requirement"].fillna("")
    return with_grades(table[COLUMNS]).sort_values(["employer", "school_year", "schedule", "calendar_basis", "kind", "step", "column_index",
                                       "column_label", "locator"]).reset_index(drop=True)


def salary_schedules(schedule_cells: pd.DataFrame, pay_ledger: pd.DataFrame, price_index: pd.DataFrame) -> pd.DataFrame:
    """Parsed and transcribed schedules, ledger cells and add-ons, in one long table."""
    cells = from_ledger(pay_ledger[pay_ledger["ledger"] == "lausd_salary_points"])
    extras = add_ons(pay_ledger[pay_ledger["ledger"] == "lausd_pay_terms"])
    return salary_table([from_cells(schedule_cells) if len(schedule_cells) else schedule_cells, cells, extras], price_index)


SALARY_COLUMNS = ["school_year", "cds", "district", "county", "teacher_fte", "days", "lowest_column_heading",
                  "highest_step", "highest_column", "min_salary", "max_salary", "ma_stipend", "doctorate_stipend",
                  "source_id", "file_sha256", "locator"]


def district_salaries(summary: pd.DataFrame, headings: pd.DataFrame) -> pd.DataFrame:
    """J-90 schedule summaries of every district that filed, with its county and the heading of the lowest column
    (where the minimum sits: for LAUSD a non-credentialed column, its L table). A day count of 0 in TSAL1 is kept
    as missing: no schedule pays for a zero-day year."""
    table = summary.copy()
    heads = headings.set_index(["school_year", "cds", "column"])["heading"]
    table["lowest_column_heading"] = [heads.get((y, c, 1), "") for y, c in zip(table["school_year"], table["cds"])]
    lines = headings.groupby(["school_year", "cds"])["line"].agg(["min", "max"])
    table["locator"] = ["TSAL1 line " + str(line) + (f"; TSAL2 lines {lines.at[(y, c), 'min']}-{lines.at[(y, c), 'max']}"
                                                      if (y, c) in lines.index else "")
                        for y, c, line in zip(table["school_year"], table["cds"], table["line"])]
    shas = (summary.groupby("school_year")["file_sha256"].first() + "+"
            + headings.groupby("school_year")["file_sha256"].first())
    table = table.assign(source_id="cde_j90_tsal1+cde_j90_tsal2", file_sha256=table["school_year"].map(shas),
                         days=table["days"].astype("Int64").where(table["days"] != 0))
    return table[SALARY_COLUMNS].sort_values(["school_year", "cds"]).reset_index(drop=True)


def la_county_salaries(districts: pd.DataFrame) -> pd.DataFrame:
    """The Los Angeles County districts of ``district_salaries`` (the view the pay claims compare with)."""
    la = districts[districts["county"] == LA_COUNTY_NAME].drop(columns="county")
    return la.sort_values("cds").reset_index(drop=True)


def select(table: pd.DataFrame, selector: dict) -> pd.DataFrame:
    """The rows of one schedule: ``selector`` maps columns (employer, school_year, schedule, …) to values."""
    return table[(table[list(selector)] == pd.Series(selector)).all(axis=1)]


def point_value(schedule: pd.DataFrame, point: pd.Series) -> pd.Series | None:
    """The cell of one schedule (one employer, year, schedule, basis) at a comparison point; None if absent."""
    cells = schedule[schedule["kind"] == "cell"].copy()
    if cells.empty:
        return None
    labels = cells["column_label"] + " " + cells["column_requirement"]
    cells["degree"], cells["units"] = zip(*labels.map(units))
    order = cells.sort_values(["column_index", "annual_salary"], na_position="last")
    if point["requirement"] == "top":
        top_column = order[order["column_index"] == order["column_index"].max()] if order["column_index"].notna().any() else order
        return top_column.sort_values("step").iloc[-1]
    step = int(point["step"])
    if point["requirement"] == "BA":
        candidates = order[(order["degree"].isin(["BA", ""])) & (order["units"] == 0)]
    else:
        need = int(point["requirement"].split("+")[1])
        candidates = order[((order["degree"] == "BA") & (order["units"] >= need)) | (order["degree"] == "MA")]
    at_step = candidates[candidates["step"] == step]
    return at_step.iloc[0] if len(at_step) else None


CELL_FIELDS = {  # what a comparison keeps of each side's cell, provenance included
    "cell": lambda c: f"step {c['step']}, {c['column_label']}", "annual": lambda c: c["annual_salary"],
    "per_day": lambda c: c["per_day"], "locator": lambda c: c["locator"], "file_sha256": lambda c: c["file_sha256"],
    "source_id": lambda c: c["source_id"], "confidence": lambda c: c["confidence"],
}


def comparison(table: pd.DataFrame, ours: dict, theirs: dict) -> pd.DataFrame:
    """Both schedules at every comparison point: annual, per contract day, and which is higher.

    ``ours``/``theirs``: employer, school_year, schedule, calendar_basis selecting one schedule each.
    """
    schedules = {"a": select(table, ours), "b": select(table, theirs)}
    rows = []
    for _, point in points().iterrows():
        row = {"point_id": point["point_id"], "point": point["label"]}
        for side, schedule in schedules.items():
            cell = point_value(schedule, point)
            row.update({f"{side}_{key}": None if cell is None else value(cell) for key, value in CELL_FIELDS.items()})
        rows.append(row)
    return pd.DataFrame(rows)


def share_higher(table: pd.DataFrame, ours: dict, theirs: dict) -> tuple[float, int] | None:
    """Share of ``ours``'s cells that pay more than ``theirs`` at the same step, in the other schedule's lowest
    column with at least as many units beyond the BA (or a master's); and how many cells were compared."""
    a, b = select(table, ours), select(table, theirs)
    compared = higher = 0
    for _, cell in a[a["kind"] == "cell"].iterrows():
        degree, extra = units(f"{cell['column_label']} {cell['column_requirement']}")
        requirement = "BA" if degree in ("BA", "") and extra == 0 else f"BA+{max(extra, 30) if degree == 'MA' else extra}"
        other = point_value(b, pd.Series({"step": cell["step"], "requirement": requirement}))
        if other is not None:
            compared += 1
            higher += int(cell["annual_salary"] > other["annual_salary"])
    return (higher / compared, compared) if compared else None


def teacher_weighted_percentiles(county: pd.DataFrame, column: str, quantiles=(0.1, 0.25, 0.5, 0.75, 0.9)) -> pd.Series:
    """Percentiles of a district figure across teachers (each district weighted by its teacher FTE)."""
    rows = county.dropna(subset=[column, "teacher_fte"]).sort_values(column)
    cumulative = rows["teacher_fte"].cumsum() / rows["teacher_fte"].sum()
    return pd.Series({q: float(rows[column].iloc[int((cumulative >= q).to_numpy().argmax())]) for q in quantiles}, name=column)
