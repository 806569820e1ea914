"""When each figure was first published, as an ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), with its
revision or vintage in a field of its own. Computed here once, for any frame with provenance:

- a ledger row: its note's ``published: <date>``, else a month and year in its year text (``QC 2016 (Jan 2016;
  data 2013)``), else the report year the text names (``(QC 2015)``);
- a row read from an official file: the release of that file's source and vintage in ``release_dates.csv``
  (each row cites where the date comes from), else the release the raw-file manifest records;
- else a row's ``reported_year`` (a ranking's report year).

'' where the record does not say: such a figure never decides a claim that repeats a published figure.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import paths
from ..files import manifest_entries
from ..years import iso_date_in, parse_report_year

RELEASE_DATES = Path(__file__).with_name("release_dates.csv")


@lru_cache(maxsize=1)
def release_dates() -> dict[tuple[str, str], dict]:
    """(source_id, vintage) -> {published, revision, basis} from release_dates.csv."""
    with open(RELEASE_DATES, newline="", encoding="utf-8") as handle:
        return {(row["source_id"], row["vintage"]): row for row in csv.DictReader(handle)}


@lru_cache(maxsize=4)
def _files(manifest: Path, _mtime: int) -> dict[str, tuple[str, str]]:
    """sha256 -> (published, revision) for every official file in the manifest."""
    out = {}
    for entry in manifest_entries(manifest):  # a manifest of another shape: one line naming it
        if entry.get("source_id") in ("ledgers", "claim_pages"):
            continue
        source, vintage = entry.get("source_id", ""), entry.get("vintage", "")
        recorded = str((entry.get("extra") or {}).get("release") or "")
        known = release_dates().get((source, vintage))
        published = known["published"] if known else iso_date_in(recorded.split(" ")[0]) if recorded else ""
        revision = (known["revision"] if known else recorded.partition(" ")[2].strip("() ")) or f"{source} vintage {vintage}"
        out[str(entry.get("hash", "")).removeprefix("sha256:")] = (published, revision)
    return out


def file_releases() -> dict[str, tuple[str, str]]:
    manifest = paths.MANIFEST
    return _files(manifest, manifest.stat().st_mtime_ns) if manifest.is_file() else {}


def _from_ledger(note: str, year_text: str) -> str:
    if match := re.search(r"published: ([^.;]+)", str(note or "")):
        if date := iso_date_in(match.group(1)):
            return date
    in_text = re.search(r"\b(?:[A-Z][a-z]{2,8})\.? \d{4}\b", str(year_text or ""))
    if in_text and (date := iso_date_in(in_text.group(0))):
        return date
    year = parse_report_year(year_text) or parse_report_year(note)
    return str(year) if year else ""


def published_and_revision(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(published, revision) for every row of ``frame``."""
    published = pd.Series("", index=frame.index, dtype=object)
    revision = pd.Series("", index=frame.index, dtype=object)
    if "note" in frame or "school_year_or_year" in frame:
        notes = frame["note"] if "note" in frame else pd.Series("", index=frame.index)
        years = frame["school_year_or_year"] if "school_year_or_year" in frame else pd.Series("", index=frame.index)
        published = pd.Series([_from_ledger(n, y) for n, y in zip(notes.fillna(""), years.fillna(""))], index=frame.index, dtype=object)
    if "file_sha256" in frame:
        files = file_releases()

        def of_file(value, which):
            found = [files[h][which] for h in str(value or "").split("+") if h in files]
            return max(found) if found else ""  # a row combining files is published when the last of them was
        published = published.where(published != "", frame["file_sha256"].map(lambda v: of_file(v, 0)))
        revision = frame["file_sha256"].map(lambda v: "; ".join(dict.fromkeys(
            files[h][1] for h in str(v or "").split("+") if h in files)))
    if "reported_year" in frame:
        reported = frame["reported_year"].map(lambda y: "" if pd.isna(y) or y == "" else str(int(y)))
        published = published.where(published != "", reported)
    return published, revision
