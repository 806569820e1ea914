"""CDE class-level files (CALPADS Fall 1, Census Day): ClassEnrollment, CoursesTaught and the assignment
(course) code table. Listing: https://www.cde.ca.gov/ds/ad/filesassign.asp ("Historical Staff Assignment and
Course Data": one row per file, Year of Data | Data File | File Structure | Number of Records).

- ClassEnrollment (``ClassEnrollmentYY.zip``, YY = the school year's first year): one record per class × gender
  × ethnicity with an unduplicated student count; a class's enrollment is the sum of its records.
- CoursesTaught (``CoursesTaughtYY.zip``): one record per class × course section, with the state course code
  and flags. Its header row is repeated inside the file: repeated headers are skipped and counted.
- AssignmentCodes12On: state course code -> course name, type and subject area. The listing links the
  current table (``.xlsx``, revised November 2019); an October 2016 ``.xls`` is mirrored.
  CourseEnrollmentYY.zip and StaffAssignYY.zip are on the same listing and not read here.

Each year is a zip holding one tab-delimited text file (about 1.7 million class records statewide).
Column names are mapped per year in layouts/cde_class_level.csv (data, not code; CoursesTaught spells its
school-code column three ways across years); a header that does not match the map stops the read with the
expected and found names. A member is unpacked whole in memory (ISA-L inflate, size and CRC-32 checked) before
anything is parsed, its repeated header lines cut out, and only the needed columns parsed (pyarrow, from memory); the
district and school codes are read as numbers, so that the half million classes of a statewide year are grouped
on a number (``cds_number`` = district code x 10^7 + school code) rather than on text (in transform.class_size,
where each class's records and course sections are grouped together). Reading a statewide year's two files takes
about half a second.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..memory import arrow_pool
from ..years import school_year_label
from ._io import LayoutError, clean, is_zip, layout_rows, read_sheet, unpacked_member
from ._spec import RawFileSpec, Source

SOURCE = Source(
    title="CDE class-level files",
    labels={"cde_class_enrollment": "California Department of Education, ClassEnrollment",
            "cde_courses_taught": "CoursesTaught", "cde_assignment_codes": "the assignment code table",
            "cde_class_enrollment+cde_courses_taught+cde_assignment_codes":
                "California Department of Education, ClassEnrollment and CoursesTaught files with the assignment code table"},
    what="every class in the state, 2012-13 to 2018-19 (about 1.7 million records a year)",
    definition="class size = a class's Census Day enrollment; zero-enrollment and independent-study classes out (CALPADS); "
               "optional SARC rule also drops classes of 50+; content areas from the code table's own subject",
    archived="class files live only, not archived; the October 2016 code table from the mirror; layout map "
             "`sources/layouts/cde_class_level.csv` (column names not confirmed offline are marked)",
    required=False,
)
LANDING = "https://www.cde.ca.gov/ds/ad/filesassign.asp"
BASE = "https://www3.cde.ca.gov/download/dq"
YEARS = tuple(range(2012, 2019))  # every year CDE publishes these class-level files: 2012-13 to 2018-19
FILES = {  # source_id -> (file stem in the listing and the layout map, member pattern)
    "cde_class_enrollment": ("ClassEnrollment", r"ClassEnrollment\d*\.txt"),
    "cde_courses_taught": ("CoursesTaught", r"CoursesTaught\d*\.txt"),
}
CODES_SOURCE_ID = "cde_assignment_codes"
CODE_TABLES = {  # vintage -> (file name, address): the mirrored October 2016 .xls and the listing's current .xlsx
    "2016-10": ("AssignmentCodes12On.xls", BASE + "/AssignmentCodes12On.xls"),
    "2019-11": ("AssignmentCodes12On.xlsx", BASE + "/AssignmentCodes12On.xlsx"),
}
log = logging.getLogger(__name__)


def specs() -> list[RawFileSpec]:
    out = [RawFileSpec(sid, school_year_label(y), f"{stem}{y % 100:02d}.zip", f"{BASE}/{stem}{y % 100:02d}.zip", "zip", LANDING)
           for y in YEARS for sid, (stem, _member) in FILES.items()]
    out += [RawFileSpec(CODES_SOURCE_ID, vintage, name, url, "excel", LANDING if vintage == "2019-11" else "")
            for vintage, (name, url) in CODE_TABLES.items()]
    return out


_LINK = re.compile(r"(?:^|/)(ClassEnrollment|CoursesTaught|CourseEnrollment|StaffAssign)(\d\d)\.zip$", re.IGNORECASE)


def discover(html: str, base: str) -> dict[str, str]:
    """'<source id>:<vintage>' -> address of each class-level zip the listing links (and the current code table).

    Matched on the link's own file name (``ClassEnrollment18.zip``, ``CoursesTaught18.zip``; YY is the school
    year's first year), not on the link text; the "File Structure" links and the files not read here
    (CourseEnrollment, StaffAssign) are left out."""
    from bs4 import BeautifulSoup

    stems = {stem.lower(): sid for sid, (stem, _m) in FILES.items()}
    found: dict[str, str] = {}
    for link in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        href = link["href"].strip()
        path = href.split("?", 1)[0].split("#", 1)[0]
        match = _LINK.search(path)
        if match and match.group(1).lower() in stems:
            vintage = school_year_label(2000 + int(match.group(2)))
            found.setdefault(f"{stems[match.group(1).lower()]}:{vintage}", urljoin(base, href))
        elif re.search(r"(?:^|/)AssignmentCodes12On\.xlsx$", path, re.IGNORECASE):
            found.setdefault(f"{CODES_SOURCE_ID}:2019-11", urljoin(base, href))
    return found


def extract(resource, path: Path) -> dict[str, pd.DataFrame]:
    """Classes (ClassEnrollment) and course sections (CoursesTaught) of one year, or a code table;
    each with its file's sha256 (the class-size tables name all three files behind a figure)."""
    if resource.source_id == CODES_SOURCE_ID:
        return {"assignment_codes": assignment_codes(path).assign(table_vintage=resource.vintage, file_sha256=resource.sha256)}
    reader, name = {"cde_class_enrollment": (class_enrollment, "class_enrollment"),
                    "cde_courses_taught": (courses_taught, "courses_taught")}[resource.source_id]
    frame = reader(path, resource.vintage)
    return {name: frame.assign(school_year=_on_every_row(resource.vintage, len(frame)),
                               file_sha256=_on_every_row(resource.sha256, len(frame)))}


def _on_every_row(value: str, rows: int) -> pd.Categorical:
    """``value`` on each of ``rows`` rows (1.7 million a statewide year) as a categorical: one small code a row, not a
    copy of the text (the build keeps categoricals when it stacks the years)."""
    return pd.Categorical.from_codes(np.zeros(rows, np.int8), [value])


def _years(text: str) -> set[int]:
    """'2012-2013;2015-2018' -> {2012, 2013, 2015, ..., 2018}; '2016-10' (a code table's vintage) stays a label."""
    out: set[int] = set()
    for part in text.split(";"):
        low, _, high = part.strip().partition("-")
        out |= set(range(int(low), int(high or low) + 1)) if len(high) in (0, 4) else set()
    return out


@lru_cache(maxsize=1)
def layouts() -> dict[str, dict[str, list[tuple[set[int], list[str]]]]]:
    """file -> field -> [(years, accepted spellings)], from layouts/cde_class_level.csv."""
    out: dict = {}
    for row in layout_rows("cde_class_level"):
        out.setdefault(row["file"], {}).setdefault(row["field"], []).append((_years(row["years"]), row["column"].split("|")))
    return out


def spellings(stem: str, field: str, school_year: str | None = None) -> list[str]:
    """The column names the layout map accepts for ``field`` in that school year's file (any year's when not given)."""
    rows = layouts()[stem][field]
    if school_year:
        first = int(school_year[:4])
        rows = [r for r in rows if first in r[0]] or rows
    return list(dict.fromkeys(name for _years, names in rows for name in names))


def _member(path: Path, member: str) -> tuple[bytes, str]:
    """The tab-delimited text, whole, from inside the zip (checked by unpacked_member) or as is; and its label."""
    if is_zip(path):
        return unpacked_member(path, member)
    return path.read_bytes(), path.name


def _without_repeated_headers(data: bytes) -> tuple[bytes, int]:
    """The text with every exact repeat of its header line taken out (CoursesTaught repeats it inside the file),
    and how many there were. Found with bytes.find, so a statewide file is not parsed as text twice."""
    end = data.find(b"\n") + 1
    if end == 0:
        return data, 0
    line = data[:end].removeprefix(b"\xef\xbb\xbf")
    parts, start, repeats = [], 0, 0
    at = data.find(b"\n" + line, end - 1)
    while at >= 0:
        parts.append(data[start:at + 1])
        start, repeats = at + 1 + len(line), repeats + 1
        at = data.find(b"\n" + line, start - 1)
    return (b"".join([*parts, data[start:]]) if repeats else data), repeats


def _read_tab(path: Path, source_id: str, fields: list[str], school_year: str | None = None,
              counts: tuple[str, ...] = (), codes: tuple[str, ...] = (), labels: tuple[str, ...] = ()) -> pa.Table:
    """Selected columns of the tab-delimited member, named by the project's fields: text, but the ``counts``
    fields as integers and the ``codes`` fields (digits; blank is 0) as integers under 10,000,000; the ``labels``
    fields (a few values repeated on every row) may come dictionary-encoded, which makes their distinct values
    cheap to find. Header rows repeated inside the file are dropped (their number is logged and kept in the table's
    metadata). A cell that is not a count or a code stops the read, named by its file line."""
    stem, member = FILES[source_id]
    data, name = _member(path, member)  # whole and checked (size, CRC-32) before anything is parsed
    if not data.endswith(b"\n"):  # a last line without its line end (pyarrow reads a header alone as no file)
        data += b"\n"
    first_line = data[:data.index(b"\n")]
    header = first_line.decode("utf-8-sig", errors="replace").rstrip("\r").split("\t")
    columns: dict[str, str] = {}
    missing: list[str] = []
    for field in fields:
        accepted = spellings(stem, field, school_year)
        present = [c for c in accepted if c in header]
        if len(present) == 1:
            columns[field] = present[0]
        else:
            missing.append(" or ".join(accepted) if len(accepted) > 1 else accepted[0])
    if missing:
        raise LayoutError(f"{name} line 1: expected {stem} columns {missing} (see sources/layouts/cde_class_level.csv); found {header}")
    wanted = list(columns.values())

    def read(data: bytes, types: dict[str, pa.DataType]) -> pa.Table:
        # from memory, never from a Python file object: pyarrow reads those on a thread of its own, can return from
        # a parse error while still inside one of their reads, and the interpreter then aborts at exit (pyarrow 26)
        table = pacsv.read_csv(
            pa.BufferReader(data), read_options=pacsv.ReadOptions(block_size=1 << 22), memory_pool=arrow_pool(),
            parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
            convert_options=pacsv.ConvertOptions(include_columns=wanted, column_types=types, null_values=[""],
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
        return table.select(wanted).rename_columns(list(columns))

    text_types = {c: pa.string() for c in wanted}
    # the usual case first: exact repeats of the header taken out, every count and code parses
    body, n_repeated = _without_repeated_headers(data)
    try:
        table = read(body, {**text_types, **{columns[f]: pa.int64() for f in (*counts, *codes)},
                            **{columns[f]: pa.dictionary(pa.int32(), pa.string()) for f in labels}})
        for field in codes:  # a blank code cell (read as null) is 0, as CDE's zero-filled codes are
            table = table.set_column(table.schema.get_field_index(field), field, pc.fill_null(table[field], 0))
        numbers_ok = not len(table) or (
            all(table[f].null_count == 0 and pc.min(table[f]).as_py() >= 0 for f in counts)
            and all(pc.min(table[f]).as_py() >= 0 and pc.max(table[f]).as_py() < 10**7 for f in codes))
        if not numbers_ok:  # a blank or negative count, a negative or too long code: the slow path names its line
            raise pa.ArrowInvalid("a number the checked path must see")
    except pa.ArrowInvalid:
        del body
        table, n_repeated = _read_checked(read(data, text_types), columns, name, counts, codes)
        for field in labels:  # as the usual path reads them
            table = table.set_column(table.schema.get_field_index(field), field, pc.dictionary_encode(table[field]))
    if n_repeated:
        log.info("%s: %d repeated header row(s) skipped", name, n_repeated)
    return table.replace_schema_metadata({"repeated_headers": str(n_repeated), "file": name})


def _read_checked(table: pa.Table, columns: dict[str, str], name: str, counts: tuple[str, ...],
                  codes: tuple[str, ...]) -> tuple[pa.Table, int]:
    """The slow path, all cells read as text: header rows anywhere in the file dropped (the academic-year cell
    holds the column's own name), counts padded with spaces trimmed, blank codes 0, and the first cell that is
    still not a number named by its file line."""
    repeated = pc.equal(table["academic_year"], columns["academic_year"])
    n_repeated = pc.sum(repeated).as_py() or 0
    row_line = None
    if n_repeated:
        row_line = pc.add(pc.indices_nonzero(pc.invert(repeated)), 2)  # file line of each kept row
        table = table.filter(pc.invert(repeated))
    for field, pattern, what in [*((f, r"^\s*\d+\s*$", "a count") for f in counts),
                                 *((f, r"^\s*\d{0,7}\s*$", "a code of up to 7 digits") for f in codes)]:
        ok = pc.match_substring_regex(table[field], pattern)
        if not pc.all(ok).as_py():
            index = pc.indices_nonzero(pc.invert(ok))[0].as_py()
            line = row_line[index].as_py() if row_line is not None else index + 2
            raise LayoutError(f"{name} data line {line}: {field} {table[field][index].as_py()!r} is not {what}") from None
        trimmed = pc.utf8_trim_whitespace(table[field])
        if field in codes:
            trimmed = pc.if_else(pc.equal(trimmed, ""), "0", trimmed)
        table = table.set_column(table.schema.get_field_index(field), field, pc.cast(trimmed, pa.int64()))
    return table, n_repeated


def _one_year(years: list[str], path: Path) -> None:
    if len(years) > 1:
        raise LayoutError(f"{path.name}: holds several academic years {sorted(years)[:4]}; one file per year is expected")
    if years and not re.fullmatch(r"\d{4}", years[0]):
        raise LayoutError(f"{path.name}: AcademicYear {years[0]!r} is not a year code such as '1415'")


def _frame(table: pa.Table, repeated: int) -> pd.DataFrame:
    frame = table.to_pandas()
    frame.attrs["repeated_headers"] = repeated
    return frame


CDS_CODES = ("district_code", "school_code")  # read as numbers: cds_number = district code x 10^7 + school code


def class_enrollment(path: Path, school_year: str | None = None) -> pd.DataFrame:
    """One row per ClassEnrollment record (a class x gender x ethnicity): academic_year, cds_number, class_id,
    course_code (or multiple-course indicator), enrollment. The CDS code is kept as a number (see :data:`CDS_CODES`).

    A class's size is the sum of its records. They are summed where the class is classified
    (transform.class_size), in the same pass that joins the class's CoursesTaught sections: a statewide year is
    1.7 million records in half a million classes, and grouping them there instead of here as well saves about an
    eighth of the class-size path's time."""
    records = _read_tab(path, "cde_class_enrollment", ["academic_year", *CDS_CODES, "class_id", "course_code",
                                                       "enrollment"], school_year, counts=("enrollment",), codes=CDS_CODES,
                         labels=("academic_year",))
    repeated = int(records.schema.metadata[b"repeated_headers"])
    _one_year(pc.unique(records["academic_year"]).to_pylist(), path)
    out = pa.table({"academic_year": records["academic_year"], "cds_number": _cds_number(records),
                    "class_id": records["class_id"], "course_code": records["course_code"], "enrollment": records["enrollment"]})
    return _frame(out, repeated)


def _cds_number(table: pa.Table) -> pa.Array:
    return pc.add(pc.multiply(table["district_code"], 10**7), table["school_code"])


def courses_taught(path: Path, school_year: str | None = None) -> pd.DataFrame:
    """One row per class × course section: academic_year, cds_number (as in :func:`class_enrollment`), class_id,
    course_code, independent_study (bool)."""
    table = _read_tab(path, "cde_courses_taught", ["academic_year", *CDS_CODES, "class_id", "course_code",
                                                   "independent_study"], school_year, codes=CDS_CODES,
                       labels=("academic_year", "independent_study"))
    repeated = int(table.schema.metadata[b"repeated_headers"])
    _one_year(pc.unique(table["academic_year"]).to_pylist(), path)
    flag = table["independent_study"]
    unknown = sorted(set(pc.unique(flag).to_pylist()) - {"Y", "N", ""})
    if unknown:
        raise LayoutError(f"{path.name}: independent-study flag holds {unknown[:5]}; expected Y, N or blank")
    out = pa.table({"academic_year": table["academic_year"], "cds_number": _cds_number(table), "class_id": table["class_id"],
                    "course_code": table["course_code"], "independent_study": pc.equal(flag, "Y")})
    return _frame(out, repeated)


def _normal(text: str) -> str:
    """A subject name compared without case or punctuation ('History/Social Science' = 'History-Social Science')."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@lru_cache(maxsize=1)
def subject_areas() -> dict[str, str]:
    """The code table's own subject (normalised) -> content area, from layouts/cde_assignment_subjects.csv."""
    return {_normal(row["subject"]): row["content_area"] for row in layout_rows("cde_assignment_subjects")}


def assignment_codes(path: Path) -> pd.DataFrame:
    """course_code -> course_name, subject (the table's own subject area), content_area (English, Mathematics,
    Science, Social Science, else Other: the table's subject looked up in layouts/cde_assignment_subjects.csv),
    plus the code's type and effective dates where the table has them, and its spreadsheet row."""
    frame = read_sheet(path, 0)
    stem = "AssignmentCodes"
    header = [clean(v) for v in frame.iloc[0]]
    required = {"course_code", "course_name", "subject"}
    columns, missing = {}, []
    for field in layouts()[stem]:
        present = [c for c in spellings(stem, field) if c in header]
        if present:
            columns[field] = present[0]
        elif field in required:
            missing.append(spellings(stem, field)[0])
    if missing:
        raise LayoutError(f"{path.name} row 1: expected code-table columns {missing}; found {header}")
    table = frame.iloc[1:].set_axis(header, axis=1)
    out = pd.DataFrame({field: table[column].map(clean).to_numpy() for field, column in columns.items()})
    for field in ("assignment_type", "effective_start", "effective_end"):
        if field not in out:
            out[field] = ""
    for field in ("effective_start", "effective_end"):
        out[field] = out[field].str.slice(0, 10)
    out["row"] = range(2, len(out) + 2)
    out = out[out["course_code"] != ""]
    out["course_code"] = out["course_code"].str.replace(r"\.0$", "", regex=True).str.zfill(4)
    out["content_area"] = out["subject"].map(_normal).map(subject_areas()).fillna("Other")
    order = ["course_code", "course_name", "assignment_type", "subject", "content_area", "effective_start", "effective_end", "row"]
    return out[order].drop_duplicates("course_code").reset_index(drop=True)
