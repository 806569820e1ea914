"""A generic salary-schedule grid extractor for PDFs (pdfplumber), with self-checks.

A schedule is a grid: one row per step (a small integer at the left), one column per pay lane (a header
such as "BA", "BA+30", "MA+15", "Col 3"), dollar amounts in the cells. The layout of a given document is
not known in advance, so the extractor works from word positions: it finds the rows that start with a
step number followed by dollar amounts, takes the header row above them, and assigns each amount to the
header whose horizontal centre is nearest. It then checks itself and fails loudly, naming the page and
cell, unless:

- the grid has at least 2 steps and 2 columns, and every amount sits under a header;
- amounts are plausible annual salaries (10,000 to 300,000);
- salaries never fall going down a column (more steps) or going right along a row (more units);
- steps are consecutive integers from the first.

Cells left blank in the document (the top column's extra steps, for example) stay absent, not zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from ._io import LayoutError

MONEY = re.compile(r"^\$?\d{1,3}(,\d{3})+(\.\d{2})?$|^\$?\d{4,6}(\.\d{2})?$")
STEP = re.compile(r"^\d{1,2}$")
PLAUSIBLE = (10_000, 300_000)


@dataclass
class Grid:
    page: int
    title: str  # the text lines above the header (schedule name, calendar basis, year)
    cells: pd.DataFrame  # step, column_label, column_index, salary, locator

    @property
    def contract_days(self) -> float | None:
        """Days of the work year when the title states them ('190 days', '182 duty days'), else None."""
        match = re.search(r"\b(1[5-9]\d|2[0-5]\d)\s+(?:contract\s+|duty\s+|work\s+|paid\s+)?days\b", self.title, re.IGNORECASE)
        return float(match.group(1)) if match else None


def _rows(words: list[dict], tolerance: float = 3.0) -> list[list[dict]]:
    """Words grouped into text lines by their vertical position, each line sorted left to right."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _is_step_row(line: list[dict], amounts: int = 2) -> bool:
    """A step number followed by dollar amounts (a grid starts with 2 or more; later rows may hold only the top
    column's cells)."""
    return bool(STEP.match(line[0]["text"])) and sum(bool(MONEY.match(w["text"])) for w in line[1:]) >= amounts


def _money(text: str) -> float:
    return float(text.replace("$", "").replace(",", ""))


def _headers(line: list[dict], gap: float = 8.0) -> list[tuple[str, float]]:
    """Header words merged into labels when they sit close together ('BA' '+' '30' -> 'BA + 30')."""
    labels: list[list[dict]] = []
    for word in line:
        if labels and word["x0"] - labels[-1][-1]["x1"] <= gap:
            labels[-1].append(word)
        else:
            labels.append([word])
    return [(" ".join(w["text"] for w in group), (group[0]["x0"] + group[-1]["x1"]) / 2) for group in labels]


def grids_from_page(page, page_number: int, where: str) -> list[Grid]:
    lines = _rows(page.extract_words(keep_blank_chars=False, use_text_flow=False))
    grids, index = [], 0
    while index < len(lines):
        if not _is_step_row(lines[index]):
            index += 1
            continue
        start = index
        index += 1
        while index < len(lines) and _is_step_row(lines[index], amounts=1):
            index += 1
        if start == 0:
            raise LayoutError(f"{where} page {page_number}: salary rows with no header row above them")
        header_line = lines[start - 1]
        headers = _headers([w for w in header_line if not re.fullmatch(r"(?i)steps?|step/col\.?", w["text"])])
        title = " ".join(" ".join(w["text"] for w in line) for line in lines[max(0, start - 4):start - 1])
        grids.append(Grid(page_number, title, _cells(lines[start:index], headers, f"{where} page {page_number}")))
    return grids


def _cells(rows: list[list[dict]], headers: list[tuple[str, float]], where: str) -> pd.DataFrame:
    if len(headers) < 2:
        raise LayoutError(f"{where}: expected a header row of at least 2 columns above the steps; found {[h for h, _ in headers]}")
    centres = [c for _, c in headers]
    width = min(b - a for a, b in zip(centres, centres[1:])) if len(centres) > 1 else 50
    records = []
    for line in rows:
        step = int(line[0]["text"])
        for word in line[1:]:
            if not MONEY.match(word["text"]):
                raise LayoutError(f"{where} step {step}: {word['text']!r} is not a dollar amount")
            x = (word["x0"] + word["x1"]) / 2
            column = min(range(len(centres)), key=lambda i: abs(centres[i] - x))
            if abs(centres[column] - x) > width * 0.6:
                raise LayoutError(f"{where} step {step}: amount {word['text']} sits under no column header")
            records.append({"step": step, "column_index": column + 1, "column_label": headers[column][0],
                            "salary": _money(word["text"]), "locator": f"step {step}, column {column + 1} ({headers[column][0]})"})
    cells = pd.DataFrame(records)
    check(cells, where)
    return cells


def check(cells: pd.DataFrame, where: str) -> None:
    """The self-checks (also used on hand transcriptions): shape, range, order along steps and columns."""
    if cells["step"].nunique() < 2 or cells["column_index"].nunique() < 2:
        raise LayoutError(f"{where}: a schedule needs at least 2 steps and 2 columns; found {cells['step'].nunique()} x {cells['column_index'].nunique()}")
    duplicated = cells[cells.duplicated(["step", "column_index"], keep=False)]
    if len(duplicated):
        raise LayoutError(f"{where}: two amounts for {duplicated.iloc[0]['locator']}")
    steps = sorted(cells["step"].unique())
    if steps != list(range(steps[0], steps[0] + len(steps))):
        raise LayoutError(f"{where}: steps are not consecutive: {[int(s) for s in steps]}")
    low, high = PLAUSIBLE
    odd = cells[~cells["salary"].between(low, high)]
    if len(odd):
        raise LayoutError(f"{where} {odd.iloc[0]['locator']}: {odd.iloc[0]['salary']:,.0f} is not a plausible annual salary")
    grid = cells.pivot(index="step", columns="column_index", values="salary")
    for axis, name in ((0, "going down the steps"), (1, "going right across the columns")):
        falls = (grid.diff(axis=axis) < 0).stack()
        falls = falls[falls]
        if len(falls):
            step, column = falls.index[0]
            raise LayoutError(f"{where} step {step}, column {column}: the salary falls {name} "
                              f"({grid.loc[step, column]:,.0f}); the grid was misread or the document is not a schedule")


def extract_pdf(path: Path) -> list[Grid]:
    """Every schedule grid in the PDF; an error if there is none."""
    import pdfplumber

    try:
        document = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises several types for a damaged file
        raise LayoutError(f"{path.name}: not a readable PDF ({type(exc).__name__}: {exc})") from exc
    with document:
        grids = [grid for number, page in enumerate(document.pages, start=1)
                 for grid in grids_from_page(page, number, path.name)]
    if not grids:
        raise LayoutError(f"{path.name}: no salary grid found (rows starting with a step number followed by dollar amounts)")
    return grids


HOW_OBTAINED = {"official": "downloaded from the publisher", "mirror": "mirror copy", "internet-archive": "Internet Archive capture",
                "manual-import": "copy imported by hand", "package": "exported from a package"}


def schedule_cells(resource, path: Path, employer: str, label: Callable[[Grid, str], tuple[str, str]],
                   document: str) -> pd.DataFrame:
    """Every grid of a schedule PDF as cells of the salary table, each grid named by ``label(grid, where)``
    -> (schedule, calendar basis); with provenance and a confidence label: what the ``document`` is, how this
    copy was obtained, and how the cells were read."""
    confidence = f"{document} ({HOW_OBTAINED.get(resource.origin, resource.origin)}, parsed PDF, self-checked)"
    parts = []
    for grid in extract_pdf(path):
        schedule, basis = label(grid, f"{path.name} page {grid.page}")
        parts.append(grid.cells.assign(employer=employer, school_year=resource.vintage, schedule=schedule,
                                       calendar_basis=basis, contract_days=grid.contract_days,
                                       locator="page " + str(grid.page) + ", " + grid.cells["locator"]))
    return pd.concat(parts, ignore_index=True).assign(source_id=resource.source_id, file_sha256=resource.sha256,
                                                       confidence=confidence)
