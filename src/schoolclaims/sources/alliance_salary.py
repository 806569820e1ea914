"""Alliance College-Ready Public Schools teacher salary schedule, 2015-16.

The address Alliance cited is dead; the project retrieves the document from the Internet Archive
(``archived_only``: the fetcher asks the CDX API for captures and stores the latest good capture with
its timestamp and digest). The layout is unknown in advance, so the generic grid extractor reads it
and checks itself. A hand transcription (source ``pay_transcription``) is the manual path.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import RawFileSpec, salary_grid

SOURCE_ID = "alliance_salary"
EMPLOYER = "Alliance College-Ready Public Schools"
CITED_URL = "http://www.laalliance.org/pdf/Human%20Resources/Alliance%202015-2016%20Teacher%20Salary%20Schedule.pdf"


def specs() -> list[RawFileSpec]:
    return [RawFileSpec(SOURCE_ID, "2015-16", "alliance-2015-2016-teacher-salary-schedule.pdf", CITED_URL, "pdf",
                        archived_only=True)]


def extract(path: Path, school_year: str) -> pd.DataFrame:
    """Every grid in the document as schedule cells (employer, school_year, schedule, step, column, salary, locator)."""
    parts = []
    for grid in salary_grid.extract_pdf(path):
        parts.append(grid.cells.assign(employer=EMPLOYER, school_year=school_year, schedule=grid.title or "teacher salary schedule",
                                       calendar_basis="", contract_days=grid.contract_days, locator="page " + str(grid.page) + ", " + grid.cells["locator"]))
    return pd.concat(parts, ignore_index=True)
