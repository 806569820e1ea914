"""Class size from class-level records: the hand-checked fixture (tests/fixtures/class_level/README.md),
zip safety, and the whole path fixture -> build -> claim with no code changes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from schoolclaims.claims import evaluate, load_claim
from schoolclaims.sources import LayoutError, cde_class_level
from schoolclaims.sources._io import read_zip_text
from schoolclaims.transform import class_size

FIXTURES = Path(__file__).parent / "fixtures" / "class_level"
ALLIANCE, GOMPERS, BYRD = "19647330111518", "19647336058028", "19647336057905"
CALPADS = "CALPADS: zero-enrollment and independent-study classes left out"


def zipped(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name.replace(".txt", ".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(FIXTURES / name, name)
    return target


def code_table(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["AssignmentCode", "AssignmentName", "AssignmentSubject"])
    for row in [("2100", "English 7", "English Language Arts"), ("2400", "Mathematics 7", "Mathematics"),
                ("2600", "Biology", "Science"), ("2700", "World History", "History-Social Science"),
                ("2800", "Physical Education 7", "Physical Education")]:
        sheet.append(row)
    path = tmp_path / "AssignmentCodes12On.xlsx"
    book.save(path)
    return path


@pytest.fixture
def classified(tmp_path):
    classes = cde_class_level.class_enrollment(zipped(tmp_path, "ClassEnrollment14.txt"))
    courses = cde_class_level.courses_taught(zipped(tmp_path, "CoursesTaught14.txt"))
    codes = cde_class_level.assignment_codes(code_table(tmp_path))
    return class_size.classify_classes(classes, courses, codes)


def test_code_table_content_areas(tmp_path):
    codes = cde_class_level.assignment_codes(code_table(tmp_path)).set_index("course_code")["content_area"]
    assert codes.to_dict() == {"2100": "English", "2400": "Mathematics", "2600": "Science", "2700": "Social Science",
                               "2800": "Other"}


def test_class_records_are_summed_per_class(classified):
    sizes = classified.set_index("class_id")["enrollment"]
    assert sizes["A-M1"] == 20 and sizes["A-M2"] == 30 and sizes["G-E2"] == 44 and sizes["A-Z0"] == 0
    assert classified.set_index("class_id").loc["F-X1", "content_area"] == "Multiple"
    assert bool(classified.set_index("class_id").loc["A-IS", "independent_study"])


def test_school_means_match_the_hand_checked_values(classified):
    sums = class_size.means(class_size.school_sums(classified)).set_index(["cds", "content_area"])
    math, english = sums.loc[(ALLIANCE, "Mathematics")], sums.loc[(ALLIANCE, "English")]
    assert (math["classes"], math["students"], math["class_weighted_mean"], math["student_weighted_mean"]) == (2, 50, 25.0, 26.0)
    assert (english["classes"], english["classes_excluded"]) == (1, 1)  # the independent-study class
    assert math["classes_excluded"] == 1  # the zero-enrollment class
    gompers = sums.loc[(GOMPERS, "English")]
    assert (gompers["class_weighted_mean"], gompers["student_weighted_mean"], gompers["share_over_40"]) == (39.5, 40.01, 0.5)
    byrd = sums.loc[(BYRD, "Mathematics")]
    assert (byrd["class_weighted_mean"], byrd["student_weighted_mean"], byrd["over_40"]) == (38.0, 43.16, 1)
    # the class-size paradox: the average student sits in a larger class than the average class
    assert (sums["student_weighted_mean"] >= sums["class_weighted_mean"]).all()
    assert sums.loc[(ALLIANCE, "Mathematics"), "student_weighted_mean"] > sums.loc[(ALLIANCE, "Mathematics"), "class_weighted_mean"]


def test_sarc_rule_leaves_out_classes_of_50_or_more(classified):
    sums = class_size.means(class_size.school_sums(classified, exclude_50_plus=True)).set_index(["cds", "content_area"])
    byrd = sums.loc[(BYRD, "Mathematics")]
    assert (byrd["classes"], byrd["class_weighted_mean"], byrd["classes_excluded"]) == (1, 24.0, 1)


def test_both_rules_in_one_pass_give_each_rule_its_hand_checked_values(tmp_path):
    classes = cde_class_level.class_enrollment(zipped(tmp_path, "ClassEnrollment14.txt"))
    courses = cde_class_level.courses_taught(zipped(tmp_path, "CoursesTaught14.txt"))
    codes = cde_class_level.assignment_codes(code_table(tmp_path))
    per_rule = class_size.class_sums(classes, courses, codes, exclude_50_plus=(False, True))
    calpads, sarc = (class_size.means(per_rule[flag]).set_index(["cds", "content_area"]) for flag in (False, True))
    columns = ["classes", "students", "class_weighted_mean", "student_weighted_mean", "classes_excluded"]
    assert calpads.loc[(ALLIANCE, "Mathematics"), columns].tolist() == [2, 50, 25.0, 26.0, 1]
    assert calpads.loc[(BYRD, "Mathematics"), ["classes", "class_weighted_mean", "student_weighted_mean", "over_40"]].tolist() == [2, 38.0, 43.16, 1]
    assert sarc.loc[(BYRD, "Mathematics"), ["classes", "class_weighted_mean", "classes_excluded"]].tolist() == [1, 24.0, 1]
    for sums in per_rule.values():  # integers, and only school x area rows with a class kept under that rule
        assert (sums["classes"] > 0).all() and all(str(sums[c].dtype) == "int64" for c in class_size.SUM_COLUMNS)


def test_a_class_is_its_records_summed_whatever_their_order(tmp_path):
    lines = (FIXTURES / "ClassEnrollment14.txt").read_text().splitlines()
    shuffled = [lines[0], *reversed(lines[1:])]  # the classes and each class's records in the reverse order
    (tmp_path / "ClassEnrollment14.txt").write_text("\n".join(shuffled) + "\n")
    courses = cde_class_level.courses_taught(zipped(tmp_path, "CoursesTaught14.txt"))
    codes = cde_class_level.assignment_codes(code_table(tmp_path))
    as_published = class_size.class_sums(cde_class_level.class_enrollment(zipped(tmp_path, "ClassEnrollment14.txt")),
                                         courses, codes, (False, True))
    reordered = class_size.class_sums(cde_class_level.class_enrollment(tmp_path / "ClassEnrollment14.txt"), courses, codes,
                                      (False, True))
    for rule in (False, True):
        pd.testing.assert_frame_equal(reordered[rule], as_published[rule])
    assert class_size.means(reordered[False]).set_index(["cds", "content_area"]).loc[
        (ALLIANCE, "Mathematics"), ["classes", "class_weighted_mean", "student_weighted_mean"]].tolist() == [2, 25.0, 26.0]


def _records(*classes: tuple[str, str, list[int]]) -> pd.DataFrame:
    """ClassEnrollment records of one school (synthetic): (class id, the records' course code, each record's count)."""
    rows = [(class_id, code, count) for class_id, code, counts in classes for count in counts]
    return pd.DataFrame({"academic_year": "1415", "cds_number": 19647330111518, "class_id": [r[0] for r in rows],
                         "course_code": [r[1] for r in rows], "enrollment": [r[2] for r in rows]})


def _sections(*classes: tuple[str, str, bool]) -> pd.DataFrame:
    return pd.DataFrame({"cds_number": pd.Series(19647330111518, range(len(classes)), "int64"),
                         "class_id": pd.Series([c[0] for c in classes], dtype="str"),
                         "course_code": pd.Series([c[1] for c in classes], dtype="str"),
                         "independent_study": pd.Series([c[2] for c in classes], dtype=bool)})


CODES = pd.DataFrame({"course_code": ["2100", "2400"], "content_area": ["English", "Mathematics"]})


def test_a_class_is_formed_from_its_records_and_classified_by_its_sections():
    records = _records(("A", "2400", [10, 5]), ("B", "2100", [7]), ("C", "2100", [3, 3, 3]), ("D", "M", [4]),
                       ("F", "2100", [2]), ("F", "2400", [2]), ("G", "2100", [6]))
    sections = _sections(("A", "2100", False),  # the sections decide, not the records' own code
                         ("C", "2100", True), ("C", "2400", True),  # two areas: Multiple; all sections independent study
                         ("D", "2400", False), ("D", "2400", True),  # one section independent study: the class is not
                         ("E", "2400", False),  # a section of a class with no ClassEnrollment record: no class
                         ("G", "9999", True))  # a code no table lists: Other
    classified = class_size.classify_classes(records, sections, CODES).set_index("class_id").sort_index()
    assert classified.index.tolist() == ["A", "B", "C", "D", "F", "G"]
    assert classified["enrollment"].tolist() == [15, 7, 9, 4, 4, 6]
    # B and F have no section: their records' own codes decide (F's are of two areas)
    assert classified["content_area"].tolist() == ["English", "English", "Multiple", "Mathematics", "Multiple", "Other"]
    assert classified["independent_study"].tolist() == [False, False, True, False, False, True]
    assert set(classified["academic_year"]) == {"1415"}


def test_each_rule_counts_classes_at_the_size_limits_by_hand():
    sizes = [32, 33, 40, 41, 49, 50]  # over 32: 33 and up; over 40: 41 and up; SARC leaves out 50 and up
    records = _records(*[(f"K{size}", "2400", [size]) for size in sizes], ("Z", "2400", [0]))
    calpads, sarc = class_size.class_sums(records, _sections(), CODES, (False, True)).values()
    columns = ["academic_year", "cds", "content_area", *class_size.SUM_COLUMNS]
    assert calpads[columns].values.tolist() == [["1415", "19647330111518", "Mathematics", 6, 245, 10295, 5, 3, 1]]
    assert sarc[columns].values.tolist() == [["1415", "19647330111518", "Mathematics", 5, 195, 7795, 4, 2, 2]]


def test_a_class_of_no_known_or_a_negative_size_is_left_out_and_squares_do_not_overflow():
    classified = pd.DataFrame({"academic_year": "1415", "cds_number": 19647330111518, "class_id": ["A", "B", "C", "D"],
                               "enrollment": pd.array([None, -3, 10, 200], dtype="Int16"), "content_area": "Mathematics",
                               "independent_study": False})
    sums = class_size.school_sums(classified)
    assert sums[class_size.SUM_COLUMNS].values.tolist() == [[2, 210, 40100, 1, 1, 2]]  # 200 x 200 overflows 16 bits


def test_records_of_two_academic_years_are_not_summed_together():
    records = pd.concat([_records(("A", "2400", [10])), _records(("A", "2400", [12])).assign(academic_year="1516")])
    with pytest.raises(ValueError, match=r"several academic years \['1415', '1516'\]: classify and sum one year at a time"):
        class_size.class_sums(records, _sections(), CODES)


def test_group_means_come_from_class_sums_not_averages_of_averages(classified):
    sums = class_size.school_sums(classified)
    info = pd.DataFrame({"cds": [ALLIANCE, GOMPERS, BYRD], "school": ["a", "g", "b"], "district": "Los Angeles Unified",
                         "charter": ["Y", "N", "N"], "latitude": [33.930161, 33.921, 34.2225],
                         "longitude": [-118.26361, -118.262, -118.5], "campus": "middle"})
    table = class_size.comparison(sums, info, {ALLIANCE}, k_nearest=1).set_index(["group", "content_area"])
    lausd = table.loc[("LAUSD non-charter, same campus type", "Mathematics")]
    assert (lausd["classes"], lausd["students"], lausd["class_weighted_mean"], lausd["student_weighted_mean"]) == (4, 126, 31.5, 39.52)
    assert lausd["schools"] == 2
    nearest = table.loc[("LAUSD non-charter, 1 nearest to each Alliance school", "Mathematics")]
    assert (nearest["schools"], nearest["class_weighted_mean"], nearest["student_weighted_mean"]) == (1, 25.0, 34.0)


def test_a_layout_change_names_the_missing_column(tmp_path):
    text = (FIXTURES / "ClassEnrollment14.txt").read_text().replace("EnrollmentTotal", "TotalEnrollment")
    (tmp_path / "ClassEnrollment14.txt").write_text(text)
    with pytest.raises(LayoutError, match=r"expected ClassEnrollment columns \['EnrollmentTotal'\].*found"):
        cde_class_level.class_enrollment(tmp_path / "ClassEnrollment14.txt")


def test_a_non_numeric_count_names_the_line(tmp_path):
    lines = (FIXTURES / "ClassEnrollment14.txt").read_text().splitlines()
    lines[3] = lines[3].rsplit("\t", 1)[0] + "\t*"
    (tmp_path / "ClassEnrollment14.txt").write_text("\n".join(lines) + "\n")
    with pytest.raises(LayoutError, match=r"data line 4: enrollment '\*' is not a count"):
        cde_class_level.class_enrollment(tmp_path / "ClassEnrollment14.txt")


def _edited(tmp_path: Path, line: int, column: int, value: str) -> Path:
    """ClassEnrollment14.txt with one cell (file line, 0-based column) replaced."""
    lines = (FIXTURES / "ClassEnrollment14.txt").read_text().splitlines()
    cells = lines[line - 1].split("\t")
    cells[column] = value
    lines[line - 1] = "\t".join(cells)
    path = tmp_path / "ClassEnrollment14.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("value", ["n/a", "NA", "", "null", "-3"])
def test_a_count_that_a_csv_reader_would_take_for_missing_is_refused_by_its_line(tmp_path, value):
    # pyarrow reads "n/a", "NA", "null" and "" in a number column as missing (a missing count would drop records),
    # and "-3" as a number
    with pytest.raises(LayoutError, match=rf"data line 5: enrollment '{value}' is not a count"):
        cde_class_level.class_enrollment(_edited(tmp_path, 5, 10, value))


@pytest.mark.parametrize("value", ["01115X8", "-111518"])
def test_a_school_code_that_is_not_digits_is_refused_by_its_line(tmp_path, value):
    with pytest.raises(LayoutError, match=rf"data line 3: school_code '{value}' is not a code of up to 7 digits"):
        cde_class_level.class_enrollment(_edited(tmp_path, 3, 2, value))


def test_a_blank_school_code_is_the_zero_code_and_a_longer_one_is_refused_by_its_line(tmp_path):
    records = cde_class_level.class_enrollment(_edited(tmp_path, 2, 2, ""))
    split = records.loc[records["class_id"] == "A-M1", "cds_number"].tolist()
    assert split == [19647330000000, 19647330111518]  # the record with the blank code, and the class's other record
    with pytest.raises(LayoutError, match=r"data line 2: school_code '10111518' is not a code of up to 7 digits"):
        cde_class_level.class_enrollment(_edited(tmp_path, 2, 2, "10111518"))


def test_a_file_of_a_header_alone_without_a_line_end_is_no_classes(tmp_path):
    header = (FIXTURES / "ClassEnrollment14.txt").read_text().splitlines()[0]
    (tmp_path / "ClassEnrollment14.txt").write_text(header)
    assert cde_class_level.class_enrollment(tmp_path / "ClassEnrollment14.txt").empty


def test_a_member_whose_local_header_names_another_file_is_refused(tmp_path):
    from schoolclaims.sources._io import IncompleteFile, check_complete, unpacked_member

    path = zipped(tmp_path, "ClassEnrollment14.txt")
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x03\x04") + 30  # the name in the local header, not the central directory's
    data[at:at + 5] = b"Other"
    path.write_bytes(bytes(data))
    with pytest.raises(IncompleteFile, match=r"local header names b'OtherEnrollment14.txt', not 'ClassEnrollment14.txt'"):
        unpacked_member(path, r"ClassEnrollment\d*\.txt")
    with pytest.raises(IncompleteFile, match="local header names"):
        check_complete(path, "data/raw/x.zip", "fetch it again")


def test_the_unpacked_member_is_the_member_byte_for_byte(tmp_path):
    from schoolclaims.sources._io import unpacked_member

    path = zipped(tmp_path, "ClassEnrollment14.txt")
    data, label = unpacked_member(path, r"ClassEnrollment\d*\.txt")
    assert data == (FIXTURES / "ClassEnrollment14.txt").read_bytes() and label == "ClassEnrollment14.zip (ClassEnrollment14.txt)"


# -- zip safety -------------------------------------------------------------------------------------

def test_zip_member_climbing_out_is_refused(tmp_path):
    path = tmp_path / "ClassEnrollment14.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../etc/ClassEnrollment14.txt", "AcademicYear\n")
    with pytest.raises(LayoutError, match="points outside the archive"):
        cde_class_level.class_enrollment(path)


def test_absolute_member_path_is_refused(tmp_path):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("/tmp/ClassEnrollment14.txt", "AcademicYear\n")
    with pytest.raises(LayoutError, match="points outside the archive"):
        read_zip_text(path, r"ClassEnrollment\d*\.txt")


def test_oversized_member_is_refused_before_reading(tmp_path):
    path = zipped(tmp_path, "ClassEnrollment14.txt")
    with pytest.raises(LayoutError, match="would unpack to .* over the limit of 100"):
        read_zip_text(path, r"ClassEnrollment\d*\.txt", max_bytes=100)


def test_zip_bomb_ratio_is_refused(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ClassEnrollment14.txt", b"0" * 5_000_000)
    with pytest.raises(LayoutError, match="likely zip bomb"):
        read_zip_text(path, r"ClassEnrollment\d*\.txt")


def test_zip_without_the_member_lists_what_it_holds(tmp_path):
    path = tmp_path / "ClassEnrollment14.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    with pytest.raises(LayoutError, match=r"expected one member matching .*found \['readme.txt'\]"):
        cde_class_level.class_enrollment(path)


# -- the whole path: archived class-level files -> build -> claim ------------------------------------

def test_fixture_files_flow_through_build_to_the_claim(mirror_dir, tmp_path):
    from test_build import committed_raw

    from schoolclaims import paths
    from schoolclaims.build import build
    from schoolclaims.acquire.mirror import Mirror

    archive = committed_raw(tmp_path)
    for source_id, path in [("cde_class_enrollment", zipped(tmp_path, "ClassEnrollment14.txt")),
                            ("cde_courses_taught", zipped(tmp_path, "CoursesTaught14.txt")),
                            ("cde_assignment_codes", code_table(tmp_path))]:
        vintage = "2012-on" if source_id == "cde_assignment_codes" else "2014-15"
        archive.import_file(path, source_id=source_id, vintage=vintage, origin="manual-import",
                            origin_detail="test fixture in the published layout")
    out = tmp_path / "processed"
    build(out, archive=archive, mirrors=[Mirror(mirror_dir)], log=lambda s: None)

    compared = pd.read_csv(out / "class_size_comparison.csv", dtype={"school_year": str})
    row = compared[(compared["rule"] == CALPADS) & (compared["group"] == "Alliance") & (compared["content_area"] == "Mathematics")]
    assert row[["classes", "students", "class_weighted_mean", "student_weighted_mean"]].values.tolist() == [[2, 50, 25.0, 26.0]]
    assert row["campus"].tolist() == ["middle"]
    unknown = pd.read_csv(out / "class_course_codes_unknown.csv", dtype=str)  # Byrd's class F-X1: code M, two records
    assert unknown[["file", "course_code", "records"]].values.tolist() == [["ClassEnrollment", "M", "2"]]

    result = evaluate(load_claim(paths.CLAIMS / "class-alliance-smaller.yaml"), processed=out)
    assert result.rating == "true"  # English 28 vs 39.5/40.01, math 25/26 vs 31.5/39.52
    assert "2 of 2" in result.conclusion
    assert any("2015-16" in m for m in result.missing)  # the other claimed year is still missing, and said so
    near = result.evidence[result.evidence["entity"].str.contains("nearest")]
    assert not near.empty  # the second comparison is in the evidence

    from schoolclaims.report import class_size as report

    fig, data = report.class_size_chart(compared, "2014-15", CALPADS, "middle", ["English", "Mathematics"])
    assert len(fig.axes) == 2 and set(data["group"]) >= {"Alliance", "LAUSD non-charter, same campus type"}
    assert "Alliance, Mathematics: 25.0 class-weighted, 26.0 student-weighted (2 classes)" in report.class_size_alt(data, "middle")


# -- repeated header lines ---------------------------------------------------------------------------------

def _lines_oracle(text: bytes) -> tuple[bytes, int]:
    """What the reader must parse, worked out line by line: the first line, then every later line that is not
    byte for byte the first line (the BOM aside)."""
    lines = re.findall(rb"[^\n]*\n|[^\n]+$", text)
    if not lines:
        return text, 0
    first = lines[0].removeprefix(b"\xef\xbb\xbf")
    kept = [line for line in lines[1:] if line != first]
    return b"".join([lines[0], *kept]), len(lines) - 1 - len(kept)


TEXTS = {
    "repeats inside, twice in a row, and at the end": b"H\tX\n1\t2\nH\tX\nH\tX\n3\t4\nH\tX\n",
    "a repeat as line 2; lines that only start or end with the header stay": b"H\tX\nH\tX\nH\tX\t5\n6\tH\tX\n7\t8\n",
    "CRLF line ends and a BOM": b"\xef\xbb\xbfH\tX\r\n1\t2\r\nH\tX\r\n3\t4\r\nH\tX\n",
    "no repeat": b"H\tX\n1\t2\n3\t4\n",
    "a header alone": b"H\tX\n",
}


@pytest.mark.parametrize("name", TEXTS)
def test_repeated_headers_are_taken_out_as_a_line_by_line_reading_would(name):
    assert cde_class_level._without_repeated_headers(TEXTS[name]) == _lines_oracle(TEXTS[name])


def _stored_class_zip(tmp_path: Path) -> tuple[Path, bytearray]:
    rows = "".join(f"1415\t1964733\t{1000000 + i}\tC{i}\t2100\t{i % 40 + 1}\n" for i in range(2_000))  # synthetic
    body = ("AcademicYear\tDistrictCode\tSchoolCode\tClassID\tClassCourseCodeOrMultCourseInd\tEnrollmentTotal\n" + rows).encode()
    path = tmp_path / "ClassEnrollment14.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:  # stored: a damaged byte shows in the text
        archive.writestr("ClassEnrollment14.txt", body)
    return path, bytearray(path.read_bytes())


def test_a_damaged_header_is_named_as_damage_not_as_a_layout_change(tmp_path):
    """The member is unpacked and checked whole (size and CRC-32) before a header that does not match the layout
    map is blamed on the layout."""
    from schoolclaims.sources._io import IncompleteFile

    path, data = _stored_class_zip(tmp_path)
    data[data.find(b"AcademicYear\t") + 11] = ord("X")  # AcademicYeaX
    path.write_bytes(bytes(data))
    with pytest.raises(IncompleteFile, match=r"ClassEnrollment14.zip \(ClassEnrollment14.txt\): .*CRC-32"):
        cde_class_level.class_enrollment(path)


def test_a_damaged_member_is_named_as_damaged_even_when_its_damage_breaks_a_row_first(tmp_path):
    """The member is read whole and checked before it is parsed: its own error, not the row its damage garbled."""
    from schoolclaims.sources._io import IncompleteFile

    path, data = _stored_class_zip(tmp_path)
    data[data.find(b"\tC1000\t")] = ord("\n")  # a tab made a line end: a row of 3 cells, then one of 4
    path.write_bytes(bytes(data))
    with pytest.raises(IncompleteFile, match=r"ClassEnrollment14.zip \(ClassEnrollment14.txt\): .*CRC-32.*fetch the file again"):
        cde_class_level.class_enrollment(path)


def test_pyarrow_parses_class_files_from_memory_never_from_a_python_file_object(tmp_path, monkeypatch):
    """pyarrow reads a Python file object on a thread of its own and can return from a parse error while still
    inside one of its reads; the interpreter then aborted at exit in 33 of 40 runs on a damaged member (pyarrow 26).
    The class-level reader hands it bytes in memory, on both of its paths."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    sources = []
    real = pacsv.read_csv

    def spy(source, *args, **kwargs):
        sources.append(type(source))
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pacsv, "read_csv", spy)
    cde_class_level.class_enrollment(zipped(tmp_path, "ClassEnrollment14.txt"))  # the usual path
    lines = (FIXTURES / "ClassEnrollment14.txt").read_text().splitlines()
    lines[1] = lines[1].rsplit("\t", 1)[0] + "\tn/a"  # not a count: the checked path, which names its line
    (tmp_path / "ClassEnrollment14.txt").write_text("\n".join(lines) + "\n")
    with pytest.raises(LayoutError, match="data line 2"):
        cde_class_level.class_enrollment(tmp_path / "ClassEnrollment14.txt")
    assert len(sources) == 3 and set(sources) == {pa.BufferReader}
