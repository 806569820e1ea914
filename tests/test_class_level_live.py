"""The class-level files as CDE lists and ships them: link discovery on a copy of the listing's link structure,
the traps inside CoursesTaught (repeated header rows, the school-code column's spellings, Latin-1 bytes), the
mirrored October 2016 code table read cell by cell, and the course codes no table knows."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from schoolclaims.sources import LayoutError, cde_class_level
from schoolclaims.transform import class_size

FIXTURES = Path(__file__).parent / "fixtures"
LISTING = FIXTURES / "cde_filesassign" / "filesassign.html"
CODES_XLS = "stat6250-s17+team-5_project2/AssignmentCodes.xls"


def test_listing_links_are_found_by_their_own_file_names():
    found = cde_class_level.discover(LISTING.read_text(), cde_class_level.LANDING)
    assert found["cde_class_enrollment:2018-19"] == "https://www3.cde.ca.gov/download/dq/ClassEnrollment18.zip"
    assert found["cde_courses_taught:2012-13"] == "https://www3.cde.ca.gov/download/dq/CoursesTaught12.zip"
    assert found["cde_assignment_codes:2019-11"] == "https://www3.cde.ca.gov/download/dq/AssignmentCodes12On.xlsx"
    # one ClassEnrollment and one CoursesTaught zip a year, 2012-13 to 2018-19, and the current code table;
    # CourseEnrollment, StaffAssign, the File Structure pages and the older assignYY series are not read here
    assert len(found) == 2 * 7 + 1
    assert not any("CourseEnrollment" in a or "StaffAssign" in a or a.endswith(".asp") for a in found.values())


def test_every_spec_is_named_as_the_listing_names_it():
    listed = set(cde_class_level.discover(LISTING.read_text(), cde_class_level.LANDING).values())
    for spec in cde_class_level.specs():
        if spec.vintage == "2016-10":  # the mirrored October 2016 table: the listing now links the 2019 .xlsx
            assert spec.url.endswith("/AssignmentCodes12On.xls")
            continue
        assert spec.url in listed, spec
        assert spec.url.rsplit("/", 1)[1] == spec.filename


def test_repeated_headers_are_skipped_and_counted(caplog):
    with caplog.at_level(logging.INFO, logger="schoolclaims.sources.cde_class_level"):
        courses = cde_class_level.courses_taught(FIXTURES / "class_level" / "CoursesTaught17.txt", "2017-18")
    assert courses.attrs["repeated_headers"] == 2
    assert "2 repeated header row(s) skipped" in caplog.text
    assert courses["class_id"].tolist() == ["A-M1", "A-E1", "P-X1", "G-H1"]
    assert set(courses["academic_year"]) == {"1718"}  # the header's 'AcademicYear' cells are gone
    # Schoolcode (this year's spelling) read as the school code; the Latin-1 school name is not in the way
    assert courses.set_index("class_id").loc["P-X1", "cds_number"] == 37683386039812
    assert courses.set_index("class_id")["independent_study"].to_dict() == {"A-M1": False, "A-E1": False, "P-X1": True, "G-H1": False}


@pytest.mark.parametrize("spelling", ["SchoolCode", "Schoolcode", "schoolCode"])
def test_each_spelling_of_the_school_code_column_is_read(tmp_path, spelling):
    text = (FIXTURES / "class_level" / "CoursesTaught17.txt").read_bytes().replace(b"Schoolcode", spelling.encode())
    (tmp_path / "CoursesTaught17.txt").write_bytes(text)
    courses = cde_class_level.courses_taught(tmp_path / "CoursesTaught17.txt", "2017-18")
    assert courses.attrs["repeated_headers"] == 2 and courses["cds_number"].iloc[0] == 19647330111518


def test_a_file_with_two_spellings_or_none_is_refused(tmp_path):
    text = (FIXTURES / "class_level" / "CoursesTaught17.txt").read_bytes()
    (tmp_path / "CoursesTaught17.txt").write_bytes(text.replace(b"Schoolcode", b"SchoolID"))
    with pytest.raises(LayoutError, match=r"expected CoursesTaught columns \['SchoolCode or Schoolcode or schoolCode'\]"):
        cde_class_level.courses_taught(tmp_path / "CoursesTaught17.txt", "2017-18")
    (tmp_path / "CoursesTaught17.txt").write_bytes(text.replace(b"CountyName", b"SchoolCode", 1))
    with pytest.raises(LayoutError, match="SchoolCode or Schoolcode or schoolCode"):
        cde_class_level.courses_taught(tmp_path / "CoursesTaught17.txt", "2017-18")


def test_the_layout_map_lists_every_year_cde_publishes():
    for field in ("academic_year", "district_code", "school_code", "class_id", "course_code", "independent_study"):
        for year in cde_class_level.YEARS:
            assert cde_class_level.spellings("CoursesTaught", field, f"{year}-{(year + 1) % 100:02d}")


def test_a_count_after_a_repeated_header_is_named_by_its_file_line(tmp_path):
    lines = (FIXTURES / "class_level" / "ClassEnrollment14.txt").read_text().splitlines()
    lines.insert(3, lines[0])  # header repeated as line 4
    lines[5] = lines[5].rsplit("\t", 1)[0] + "\tn/a"  # file line 6
    (tmp_path / "ClassEnrollment14.txt").write_text("\n".join(lines) + "\n")
    with pytest.raises(LayoutError, match=r"data line 6: enrollment 'n/a' is not a count"):
        cde_class_level.class_enrollment(tmp_path / "ClassEnrollment14.txt")


# -- the October 2016 code table (mirror) ---------------------------------------------------------------

@pytest.fixture
def october_2016(mirror_dir) -> pd.DataFrame:
    return cde_class_level.assignment_codes(mirror_dir / CODES_XLS)


def test_the_code_table_reads_as_published(october_2016):
    codes = october_2016.set_index("course_code")
    assert len(codes) == 853  # 855 rows; 4618 and 5802 are each listed under two subjects
    # cells checked by hand in the workbook (sheet AssignmentCodes12On)
    assert codes.loc["0100", ["course_name", "assignment_type", "subject", "row"]].tolist() == ["Superintendent", "A", "Administration", 2]
    assert codes.loc["2100", ["course_name", "subject", "content_area"]].tolist() == [
        "Reading improvement/developmental reading", "English Language Arts", "English"]
    assert codes.loc["2700", ["subject", "content_area"]].tolist() == ["History/Social Science", "Social Science"]
    assert codes.loc["4010", ["effective_start", "effective_end"]].tolist() == ["1990-07-01", "2013-06-30"]
    assert codes.loc["6099", ["course_name", "row"]].tolist() == ["Department chair", 856]
    # content areas are the table's own subjects, looked up, not guessed from words
    counts = codes["content_area"].value_counts().to_dict()
    assert counts == {"Other": 697, "Science": 46, "Social Science": 42, "Mathematics": 41, "English": 27}
    assert set(codes.loc[codes["content_area"] == "Other", "subject"]) >= {"Foreign Languages", "Physical Education", "Art"}


def test_unknown_codes_are_recorded(october_2016):
    courses = cde_class_level.courses_taught(FIXTURES / "class_level" / "CoursesTaught17.txt", "2017-18").assign(file_sha256="c" * 64)
    records = pd.DataFrame({"cds_number": 19647330111518, "class_id": ["Z-1", "Z-1"], "course_code": ["M", "M"],
                            "file_sha256": "e" * 64})  # one class, two records (a gender x ethnicity each)
    codes = october_2016.assign(table_vintage="2016-10", file_sha256="a" * 64)
    table = class_size.unknown_codes(records, courses, codes)
    assert table[["file", "course_code", "records"]].values.tolist() == [["CoursesTaught", "9999", 1], ["ClassEnrollment", "M", 2]]
    assert set(table["code_tables"]) == {"2016-10 (853 codes)"}
    classified = class_size.classify_classes(records.drop(columns="file_sha256").assign(enrollment=1, academic_year="1718"),
                                             courses, codes)
    assert classified["content_area"].tolist() == ["Other"]


def test_the_newest_code_table_wins_per_code():
    old = pd.DataFrame({"course_code": ["2100", "9000"], "content_area": ["Other", "Other"], "table_vintage": "2016-10"})
    new = pd.DataFrame({"course_code": ["2100"], "content_area": ["English"], "table_vintage": "2019-11"})
    current = class_size.current_codes(pd.concat([new, old])).set_index("course_code")["content_area"]
    assert current.to_dict() == {"2100": "English", "9000": "Other"}


def test_counts_padded_with_spaces_are_read(tmp_path):
    lines = (FIXTURES / "class_level" / "ClassEnrollment14.txt").read_text().splitlines()
    lines[1] = lines[1].rsplit("\t", 1)[0] + "\t 12 "
    (tmp_path / "ClassEnrollment14.txt").write_text("\n".join(lines) + "\n")
    records = cde_class_level.class_enrollment(tmp_path / "ClassEnrollment14.txt")
    assert records.loc[records["class_id"] == "A-M1", "enrollment"].tolist() == [12, 8]


def test_the_checked_path_gives_the_columns_and_types_the_usual_path_gives(tmp_path):
    lines = (FIXTURES / "class_level" / "ClassEnrollment14.txt").read_text().splitlines()
    lines.insert(3, lines[0] + " ")  # a header repeated with a space after it: not an exact repeat, so the checked path
    (tmp_path / "ClassEnrollment14.txt").write_text("\n".join(lines) + "\n")
    checked = cde_class_level.class_enrollment(tmp_path / "ClassEnrollment14.txt")
    usual = cde_class_level.class_enrollment(FIXTURES / "class_level" / "ClassEnrollment14.txt")
    assert checked.attrs["repeated_headers"] == 1 and len(checked) == len(usual)
    assert checked.dtypes.to_dict() == usual.dtypes.to_dict()
    pd.testing.assert_frame_equal(checked, usual, check_categorical=False)
