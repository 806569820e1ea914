"""CDE class-level files (CALPADS Fall 1, Census Day): ClassEnrollment, CoursesTaught and the assignment
(course) code table. Live only: https://www.cde.ca.gov/ds/ad/filesassign.asp

- ClassEnrollment: one record per class × gender × ethnicity with an unduplicated student count;
  a class's enrollment is the sum of its records.
- CoursesTaught: one record per class × course section, with the state course code and flags.
- AssignmentCodes: state course code -> course name and subject (used for content areas).

Each year is a zip holding one tab-delimited text file (about 1.7 million class records statewide).
Column names are mapped in layouts/cde_class_level.csv (data, not code); a header that does not match
the map stops the read with the expected and found names. Reading is column-selective and uses the
pyarrow CSV engine: a statewide year is read in seconds, not minutes.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..years import school_year_label
from ._io import LayoutError, clean, is_zip, layout_rows, read_sheet, zip_member
from ._spec import RawFileSpec, Source

SOURCE = Source(
    title="CDE class-level files",
    labels={"cde_class_enrollment": "California Department of Education, ClassEnrollment",
            "cde_courses_taught": "CoursesTaught", "cde_assignment_codes": "the assignment code table",
            "cde_class_enrollment+cde_courses_taught+cde_assignment_codes":
                "California Department of Education, ClassEnrollment and CoursesTaught files with the assignment code table"},
    what="every class in the state, 2012-13 to 2018-19 (about 1.7 million records a year)",
    definition="class size = a class's Census Day enrollment; zero-enrollment and independent-study classes out (CALPADS); "
               "optional SARC rule also drops classes of 50+",
    archived="live only, not archived; layout map `sources/layouts/cde_class_level.csv` (column names not confirmed "
             "offline are marked)",
    required=False,
)
LANDING = "https://www.cde.ca.gov/ds/ad/filesassign.asp"
BASE = "https://www3.cde.ca.gov/download/dq"
YEARS = tuple(range(2012, 2019))  # every year CDE publishes class-level files: 2012-13 to 2018-19
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


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    """Classes (ClassEnrollment) and course sections (CoursesTaught) of one year, or the code table;
    each with its file's sha256 (the class-size tables name all three files behind a figure)."""
    if resource.source_id == CODES_SOURCE_ID:
        return {"assignment_codes": assignment_codes(path).assign(file_sha256=resource.sha256)}
    reader, name = {"cde_class_enrollment": (class_enrollment, "class_enrollment"),
                    "cde_courses_taught": (courses_taught, "courses_taught")}[resource.source_id]
    return {name: reader(path).assign(school_year=resource.vintage, file_sha256=resource.sha256)}


@lru_cache(maxsize=1)
def layouts() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for row in layout_rows("cde_class_level"):
        out.setdefault(row["file"], {})[row["field"]] = row["column"]
    return out


def _read_tab(path: Path, source_id: str, fields: list[str], counts: tuple[str, ...] = ()) -> pd.DataFrame:
    """Selected columns of the tab-delimited member, renamed to the project's field names; text, except the
    ``counts`` fields, read as integers (a cell that is not a count is named by its line)."""
    stem, _pattern, member = FILES[source_id]
    layout = layouts()[stem]
    with _open_member(path, member) as (handle, name):
        header = handle.readline().decode("utf-8-sig").rstrip("\r\n").split("\t")
    wanted = {layout[f]: f for f in fields}
    missing = [c for c in wanted if c not in header]
    if missing:
        raise LayoutError(f"{name} line 1: expected {stem} columns {missing} (see sources/layouts/cde_class_level.csv); found {header}")
    types = {column: ("int64" if field in counts else str) for column, field in wanted.items()}
    try:
        with _open_member(path, member) as (handle, _name):
            frame = pd.read_csv(handle, sep="\t", usecols=list(wanted), dtype=types, keep_default_na=False, engine="pyarrow")
    except (ValueError, TypeError):  # pyarrow could not parse a count: find the line and say so
        with _open_member(path, member) as (handle, _name):
            text = pd.read_csv(handle, sep="\t", usecols=list(wanted), dtype=str, keep_default_na=False, engine="pyarrow")
        for column in (c for c, f in wanted.items() if f in counts):
            bad = text[pd.to_numeric(text[column], errors="coerce").isna()]
            if len(bad):
                raise LayoutError(f"{name} data line {bad.index[0] + 2}: {wanted[column]} {bad.iloc[0][column]!r} is not a count") from None
        raise
    return frame.rename(columns=wanted)


@contextmanager
def _open_member(path: Path, member: str):
    """The tab-delimited text as a binary stream, from inside the zip (checked by zip_member) or as is."""
    if is_zip(path):
        archive, info = zip_member(path, member)
        with archive, archive.open(info) as handle:
            yield handle, f"{path.name} ({info.filename})"
    else:
        with open(path, "rb") as handle:
            yield handle, path.name


def class_enrollment(path: Path) -> pd.DataFrame:
    """One row per class: cds, class_id, course_code (or multiple-course indicator), enrollment, records."""
    frame = _read_tab(path, "cde_class_enrollment", ["academic_year", "district_code", "school_code", "class_id",
                                                      "course_code", "enrollment"], counts=("enrollment",))
    _one_year(frame, path)
    frame["cds"] = frame["district_code"].str.zfill(7) + frame["school_code"].str.zfill(7)
    classes = (frame.groupby(["cds", "class_id"], sort=False)
               .agg(course_code=("course_code", "first"), enrollment=("enrollment", "sum"), records=("enrollment", "size"))
               .reset_index())
    return classes.assign(academic_year=frame["academic_year"].iloc[0] if len(frame) else "")


def _one_year(frame: pd.DataFrame, path: Path) -> None:
    years = frame["academic_year"].unique()
    if len(years) > 1:
        raise LayoutError(f"{path.name}: holds several academic years {sorted(years)[:4]}; one file per year is expected")


def courses_taught(path: Path) -> pd.DataFrame:
    """One row per class × course section: cds, class_id, course_code, independent_study (bool)."""
    frame = _read_tab(path, "cde_courses_taught", ["academic_year", "district_code", "school_code", "class_id",
                                                    "course_code", "independent_study"])
    _one_year(frame, path)
    frame["cds"] = frame["district_code"].str.zfill(7) + frame["school_code"].str.zfill(7)
    flag = frame["independent_study"]
    unknown = sorted(set(flag.unique()) - {"Y", "N", ""})
    if unknown:
        raise LayoutError(f"{path.name}: independent-study flag holds {unknown[:5]}; expected Y, N or blank")
    frame["independent_study"] = flag.eq("Y")
    return frame[["academic_year", "cds", "class_id", "course_code", "independent_study"]]


def assignment_codes(path: Path) -> pd.DataFrame:
    """course_code -> course_name, subject, content_area (English, Mathematics, Science, Social Science, Other)."""
    frame = read_sheet(path, 0)
    layout = layouts()["AssignmentCodes"]
    header = [clean(v) for v in frame.iloc[0]]
    missing = [c for c in layout.values() if c not in header]
    if missing:
        raise LayoutError(f"{path.name} row 1: expected code-table columns {missing}; found {header}")
    table = frame.iloc[1:].set_axis(header, axis=1)
    out = pd.DataFrame({field: table[column].map(clean).to_numpy() for field, column in layout.items()})
    out["course_code"] = out["course_code"].str.replace(r"\.0$", "", regex=True).str.zfill(4)
    subject = out["subject"].str.lower()
    out["content_area"] = np.select([subject.str.contains(p, regex=True) for p, _ in CONTENT_AREAS],
                                    [area for _, area in CONTENT_AREAS], default="Other")  # first match wins
    return out.drop_duplicates("course_code")
