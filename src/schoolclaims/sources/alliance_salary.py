"""Alliance College-Ready Public Schools teacher salary schedule, 2015-16.

The address Alliance cited is dead; the project retrieves the document from the Internet Archive
(``archived_only``: the fetcher asks the CDX API for captures and stores the latest good capture with
its timestamp and digest). The layout is unknown in advance, so the generic grid extractor reads it
and checks itself. A hand transcription (source ``pay_transcription``) is the manual path.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..entities import ALLIANCE
from ._pdf_grid import Grid, schedule_cells
from ._spec import RawFileSpec, Source

SOURCE_ID = "alliance_salary"
SOURCE = Source(
    title="Alliance 2015-16 salary schedule",
    labels={SOURCE_ID: "Alliance College-Ready Public Schools teacher salary schedule"},
    what="the schedule Alliance cited",
    definition="its address is dead: fetched from the Internet Archive (CDX API), capture timestamp and digest recorded",
    archived="not archived",
    required=False,
)
CITED_URL = "http://www.laalliance.org/pdf/Human%20Resources/Alliance%202015-2016%20Teacher%20Salary%20Schedule.pdf"


def specs() -> list[RawFileSpec]:
    return [RawFileSpec(SOURCE_ID, "2015-16", "alliance-2015-2016-teacher-salary-schedule.pdf", CITED_URL, "pdf",
                        archived_only=True)]


def _label(grid: Grid, _where: str) -> tuple[str, str]:
    return grid.title or "teacher salary schedule", ""


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    """Every grid in the document as schedule cells."""
    return {"schedule_cells": schedule_cells(resource, path, ALLIANCE.name, _label,
                                             "employer's document")}
