"""CDE class-level files (CALPADS Fall 1, Census Day): ClassEnrollment, CoursesTaught and the assignment
(course) code table. Live only: https://www.cde.ca.gov/ds/ad/filesassign.asp

- ClassEnrollment: one record per class × gender × ethnicity with an unduplicated student count;
  a class's enrollment is the sum of its records.
- CoursesTaught: one record per class × course section, with the state course code and flags.
- AssignmentCodes: state course code -> course name and subject (used for content areas).

Each year is a zip holding one tab-delimited text file (about 1.7 million class records statewide).
Column names are mapped in cde_class_level_layouts.csv (data, not code); a header that does not match
the map stops the read with the expected and found names. Reading is column-selective and uses the
pyarrow CSV engine: a statewide year is read in seconds, not minutes.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import LayoutError, RawFileSpec, _clean, is_zip, read_sheet, school_year_label, zip_member

LANDING = "https://www.cde.ca.gov/ds/ad/filesassign.asp"
BASE = "https://www3.cde.ca.gov/download/dq"
YEARS = (2014, 2015)  # the school years the class-size claim is about (2014-15, 2015-16)
FILES = {  # source_id -> (file stem in the layout map, address pattern, member pattern)
    "cde_class_enrollment": ("ClassEnrollment", BASE + "/ClassEnrollment{yy}.zip", r"ClassEnrollment\d*\.txt"),
    "cde_courses_taught": ("CoursesTaught", BASE + "/CoursesTaught{yy}.zip", r"CoursesTaught\d*\.txt"),
}
CODES_SOURCE_ID = "cde_assignment_codes"
CODES_URL = BASE + "/AssignmentCodes12On.xlsx"
CONTENT_AREAS = [  # (pattern on the code table's subject text, content area); first match wins
    (r"english|language arts|\bela\b", "English"),
    (r"math", "Mathematics"),
    (r"social|history", "Social Science"),
    (r"science", "Science"),
]


def specs() -> list[RawFileSpec]:
    out = [RawFileSpec(sid, school_year_label(y), f"{stem}{y % 100:02d}.zip", pattern.format(yy=f"{y % 100:02d}"), "zip", LANDING)
           for y in YEARS for sid, (stem, pattern, _member) in FILES.items()]
    out.append(RawFileSpec(CODES_SOURCE_ID, "2012-on", "AssignmentCodes12On.xlsx", CODES_URL, "excel", LANDING))
    return out


@lru_cache(maxsize=1)
def layouts() -> dict[str, dict[str, str]]:
    with open(Path(__file__).with_name("cde_class_level_layouts.csv"), newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        out.setdefault(row["file"], {})[row["field"]] = row["column"]
    return out


def _read_tab(path: Path, source_id: str, fields: list[str]) -> pd.DataFrame:
    """Selected columns of the tab-delimited member, as text, renamed to the project's field names."""
    stem, _pattern, member = FILES[source_id]
    layout = layouts()[stem]
    if is_zip(path):
        archive, info = zip_member(path, member)
        with archive, archive.open(info) as handle:
            header = handle.readline().decode("utf-8-sig").rstrip("\r\n").split("\t")
        where = f"{path.name} ({info.filename}) line 1"
    else:
        with open(path, encoding="utf-8-sig") as handle:
            header = handle.readline().rstrip("\r\n").split("\t")
        where = f"{path.name} line 1"
    wanted = {layout[f]: f for f in fields}
    missing = [c for c in wanted if c not in header]
    if missing:
        raise LayoutError(f"{where}: expected {stem} columns {missing} (see cde_class_level_layouts.csv); found {header}")
    if is_zip(path):
        archive, info = zip_member(path, member)
        with archive, archive.open(info) as handle:
            frame = _csv(io.BufferedReader(handle), list(wanted))
    else:
        frame = _csv(path, list(wanted))
    return frame.rename(columns=wanted)


def _csv(source, columns: list[str]) -> pd.DataFrame:
    return pd.read_csv(source, sep="\t", usecols=columns, dtype=str, keep_default_na=False,
                       engine="pyarrow", encoding="utf-8")


def class_enrollment(path: Path) -> pd.DataFrame:
    """One row per class: cds, class_id, course_code (or multiple-course indicator), enrollment."""
    frame = _read_tab(path, "cde_class_enrollment", ["academic_year", "district_code", "school_code", "class_id",
                                                      "course_code", "enrollment"])
    counts = pd.to_numeric(frame["enrollment"], errors="coerce")
    if counts.isna().any():
        bad = frame[counts.isna()].index[0]
        raise LayoutError(f"{path.name} data line {bad + 2}: enrollment {frame.loc[bad, 'enrollment']!r} is not a count")
    frame["enrollment"] = counts.astype("int64")
    frame["cds"] = frame["district_code"].str.zfill(7) + frame["school_code"].str.zfill(7)
    return (frame.groupby(["academic_year", "cds", "class_id"], sort=False, observed=True)
            .agg(course_code=("course_code", "first"), enrollment=("enrollment", "sum"), records=("enrollment", "size"))
            .reset_index())


def courses_taught(path: Path) -> pd.DataFrame:
    """One row per class × course section: cds, class_id, course_code, independent_study (bool)."""
    frame = _read_tab(path, "cde_courses_taught", ["academic_year", "district_code", "school_code", "class_id",
                                                    "course_code", "independent_study"])
    frame["cds"] = frame["district_code"].str.zfill(7) + frame["school_code"].str.zfill(7)
    flag = frame["independent_study"].str.strip().str.upper()
    unknown = sorted(set(flag) - {"Y", "N", ""})
    if unknown:
        raise LayoutError(f"{path.name}: independent-study flag holds {unknown[:5]}; expected Y, N or blank")
    frame["independent_study"] = flag == "Y"
    return frame[["academic_year", "cds", "class_id", "course_code", "independent_study"]]


def assignment_codes(path: Path) -> pd.DataFrame:
    """course_code -> course_name, subject, content_area (English, Mathematics, Science, Social Science, Other)."""
    frame = read_sheet(path, 0)
    layout = layouts()["AssignmentCodes"]
    header = [_clean(v) for v in frame.iloc[0]]
    missing = [c for c in layout.values() if c not in header]
    if missing:
        raise LayoutError(f"{path.name} row 1: expected code-table columns {missing}; found {header}")
    table = frame.iloc[1:].set_axis(header, axis=1)
    out = pd.DataFrame({field: table[column].map(_clean).to_numpy() for field, column in layout.items()})
    out["course_code"] = out["course_code"].str.replace(r"\.0$", "", regex=True).str.zfill(4)
    subject = out["subject"].str.lower()
    out["content_area"] = np.select([subject.str.contains(p, regex=True) for p, _ in CONTENT_AREAS],
                                    [area for _, area in CONTENT_AREAS], default="Other")  # first match wins
    return out.drop_duplicates("course_code")
