"""The school directory and FRPM extracts on the mirrored files (their layouts differ by year), the Alliance
network's membership and counting rules, and Census Day enrollment on a small fixture."""

from __future__ import annotations

import pandas as pd
import pytest

from schoolclaims.sources import LayoutError, cde_census_enrollment, cde_directory, cde_frpm, ledgers
from schoolclaims.transform import schools

SKIRBALL, OAKLAND_ALLIANCE, GERTZ = "19647330111518", "01612590112771", "19647330106864"


def mirrored_path(mirrored, source_id, vintage):
    archive, mirrors = mirrored
    resource = next(r for r in archive.for_source(source_id) if r.vintage == vintage)
    return archive.locate(resource, mirrors)


@pytest.fixture(scope="module")
def directory(mirror_root):
    """The June 2018 directory, read once for the module (3 s; no test changes it)."""
    from schoolclaims.acquire.archive import Archive
    from schoolclaims.acquire.mirror import Mirror

    return cde_directory.read(mirrored_path((Archive(), [Mirror(mirror_root)]), "cde_directory", "2018-06"))


def test_directory_rows_and_cells(directory):
    row = directory.set_index("cds").loc[GERTZ]
    assert row["school"] == "Alliance Gertz-Ressler Richard Merkin 6-12 Complex"
    assert (row["open_date"], row["closed_date"], row["charter"], row["grades_served"]) == ("2004-09-13", "", "Y", "6-12")
    assert row["locator"] == "sheet row 4859"
    closed = directory.set_index("cds").loc["19647330121277"]  # Middle Academy 7
    assert (closed["status"], closed["closed_date"]) == ("Closed", "2015-06-30")
    assert not directory["cds"].str.endswith("0000000").any()  # district rows left out


@pytest.mark.parametrize("vintage, suffix, skirball, alliance_total, alliance_schools", [
    ("2014-15", "csv", 450, 10919, 24),   # header in one line, flags 1/0, counts written 450.0
    ("2015-16", "xlsx", 444, 11611, 25),  # the workbook re-saved as .xlsx: sheet name ends with a space, header on row 2
    ("2016-17", "csv", 444, 12205, 25),   # header cells with line breaks, flags Yes/No
    ("2020-21", "csv", None, 12949, 25),  # flags with trailing blanks ('N ')
])
def test_frpm_years_read_to_one_shape(mirrored, vintage, suffix, skirball, alliance_total, alliance_schools):
    path = mirrored_path(mirrored, "cde_frpm", vintage)
    frame = cde_frpm.read(path, vintage)
    assert path.suffix == f".{suffix}"
    lausd_alliance = frame[frame["cds"].str.startswith("1964733") & frame["school"].str.startswith("Alliance")]
    assert (lausd_alliance["enrollment_k12"].sum(), len(lausd_alliance)) == (alliance_total, alliance_schools)
    if skirball is not None:
        assert frame.set_index("cds").loc[SKIRBALL, "enrollment_k12"] == skirball
    assert set(frame["charter"]) <= {"Y", "N", ""}
    assert 6_000_000 < frame["enrollment_k12"].sum() < 6_300_000  # statewide Census Day K-12 enrollment
    assert not frame["cds"].duplicated().any()


def test_frpm_2015_16_cells(mirrored):
    """Hand-checked in frpm1516.xlsx, sheet 'FRPM School-Level Data ' (columns B-D codes, G name, P-R grades and
    Enrollment (K-12)): row 2548 19/64733/0106864 Gertz-Ressler 6-12, 980; row 2604 Skirball 6-8, 444; row 2869
    'Alliance 6-12 College-Ready Academy #21' 6-12, 50 (its first year)."""
    frame = cde_frpm.read(mirrored_path(mirrored, "cde_frpm", "2015-16"), "2015-16").set_index("cds")
    cells = {cds: tuple(frame.loc[cds, ["row", "low_grade", "high_grade", "enrollment_k12"]])
             for cds in (GERTZ, SKIRBALL, "19647330132084")}
    assert cells == {GERTZ: (2548, "6", "12", 980), SKIRBALL: (2604, "6", "8", 444), "19647330132084": (2869, "6", "12", 50)}
    assert frame.loc["19647330132084", "school"] == "Alliance 6-12 College-Ready Academy #21"


def test_frpm_2015_16_lausd_total_is_census_f33_fy2016_enrollment(mirrored):
    """Every school under LAUSD's code (its own and the charters it authorizes) sums to 639,337 on Census Day 2015,
    the fall membership Census F-33 FY2016 gives LAUSD (Table 18 row 13)."""
    from schoolclaims.sources import census_f33

    frame = cde_frpm.read(mirrored_path(mirrored, "cde_frpm", "2015-16"), "2015-16")
    systems = census_f33.largest_systems(mirrored_path(mirrored, "census_f33", "FY2016"), 2016)
    lausd = systems[systems["school_system"] == "Los Angeles Unified"].iloc[0]
    assert frame[frame["cds"].str.startswith("1964733")]["enrollment_k12"].sum() == lausd["enrollment"] == 639337


def test_frpm_header_not_where_the_layout_says_is_named(mirrored, monkeypatch):
    layouts = cde_frpm.layouts()
    monkeypatch.setattr(cde_frpm, "layouts", lambda: {**layouts, "2015-16": {**layouts["2015-16"], "header_row": "3"}})
    with pytest.raises(LayoutError, match=r"frpm1516.xlsx sheet 'FRPM School-Level Data ' row 3: expected the header row"):
        cde_frpm.read(mirrored_path(mirrored, "cde_frpm", "2015-16"), "2015-16")


def test_frpm_file_of_the_wrong_year_is_refused(mirrored):
    with pytest.raises(LayoutError, match="Academic Year '2014-2015'; this file should hold 2016-2017"):
        cde_frpm.read(mirrored_path(mirrored, "cde_frpm", "2014-15"), "2016-17")


def test_reviewed_list_excludes_oakland_and_agrees_with_the_directory(mirrored, directory):
    reviewed = pd.read_csv(mirrored_path(mirrored, "alliance_network", "reviewed-2026-11"), dtype=str, keep_default_na=False)
    members = schools.check_members(reviewed, directory)
    assert OAKLAND_ALLIANCE not in set(members["cds"]) and len(members) == 29
    assert reviewed.set_index("cds").loc[OAKLAND_ALLIANCE, "member"] == "no"


def test_reviewed_list_mismatches_are_named(mirrored, directory):
    reviewed = pd.read_csv(mirrored_path(mirrored, "alliance_network", "reviewed-2026-11"), dtype=str, keep_default_na=False)
    wrong = reviewed.copy()
    wrong.loc[wrong["cds"] == OAKLAND_ALLIANCE, "member"] = "yes"      # the unrelated Oakland school
    wrong = wrong[wrong["cds"] != GERTZ]                              # a real member left unreviewed
    with pytest.raises(ValueError) as error:
        schools.check_members(wrong, directory)
    assert "01612590112771: a member, but the directory shows 'Alliance Academy', district 'Oakland Unified'" in str(error.value)
    assert f"{GERTZ} 'Alliance Gertz-Ressler Richard Merkin 6-12 Complex' (Los Angeles Unified): named Alliance but not reviewed" in str(error.value)


@pytest.mark.parametrize("year, day", [(2014, "2014-10-01"), (2015, "2015-10-07"), (2016, "2016-10-05"), (2019, "2019-10-02")])
def test_census_day_is_the_first_wednesday_of_october(year, day):
    assert schools.census_day(year) == day


@pytest.mark.parametrize("low, high, campus", [("6", "12", "6-12"), ("9", "12", "high"), ("6", "8", "middle"),
                                               ("K", "5", "elementary"), ("K", "12", "other"), ("6", "10", "other"),
                                               ("", "", "other")])
def test_campus_type(low, high, campus):
    assert schools.campus_type(low, high) == campus


def _directory_rows():
    return pd.DataFrame({
        "cds": ["19647330000001", "19647330000002", "19647330000003"],
        "school": ["Alliance A 6-12", "Alliance B High", "Alliance C Middle"],
        "district": "Los Angeles Unified", "charter": "Y", "grades_served": ["6-12", "9-12", "6-8"],
        "open_date": ["2004-09-13", "2014-08-04", "2010-08-30"], "closed_date": ["", "", "2015-06-30"],
        "source_id": "cde_directory", "file_sha256": "a" * 64, "locator": ["sheet row 2", "sheet row 3", "sheet row 4"],
    })


def test_counting_rules_and_census_day_openings():
    directory = _directory_rows()
    members = directory[["cds"]]
    enrollment = pd.DataFrame({"school_year": "2014-15", "cds": ["19647330000001", "19647330000002", "19647330000003"],
                               "low_grade": ["6", "9", "6"], "high_grade": ["12", "12", "8"], "enrollment_k12": [900, 100, 400],
                               "source_id": "cde_frpm", "file_sha256": "b" * 64, "locator": ["data row 5", "data row 6", "data row 7"]})
    closures = pd.Series({"19647330000002": "2015-09-01"})  # a later closure from the ledger
    table = schools.alliance_schools(members, directory, enrollment, closures, ["2014-15", "2015-16"])
    size = schools.network_size(table).set_index(["school_year", "counting_rule"])
    assert size.loc[("2014-15", "per CDS code"), "schools"] == 3
    assert size.loc[("2014-15", "6-12 campus as two"), "schools"] == 4
    assert size.loc[("2014-15", "per CDS code"), "students"] == 1400
    # 2015-16: C closed in June 2015, B closed before Census Day 2015 (ledger); no enrollment file -> students unknown
    assert size.loc[("2015-16", "per CDS code"), "schools"] == 1
    assert pd.isna(size.loc[("2015-16", "per CDS code"), "students"])
    b = table[(table["cds"] == "19647330000002") & (table["school_year"] == "2015-16")].iloc[0]
    assert (b["closed_date_source"], bool(b["open_on_census_day"])) == ("ledger 2026", False)
    a = table[(table["cds"] == "19647330000001") & (table["school_year"] == "2014-15")].iloc[0]
    assert a["locator"] == "sheet row 2; data row 5" and a["file_sha256"] == "a" * 64 + "+" + "b" * 64


def test_later_closures_come_from_the_status_ledger(mirrored):
    ledger = ledgers.read(mirrored_path(mirrored, "ledgers", "shared-2026-11").parent / "alliance_directory_2026_status.csv")
    closures = schools.later_closures(ledger.assign(ledger="alliance_directory_2026_status"))
    assert closures["19647330120048"] == "2021-06-30"  # Middle Academy 5
    assert "19647330120030" not in closures.index    # still open ('(none)')


CENSUS = ("AcademicYear\tAggregateLevel\tCountyCode\tDistrictCode\tSchoolCode\tCountyName\tDistrictName\tSchoolName\t"
          "Charter\tReportingCategory\tTOTAL_ENR\tGR_TK\n"
          "2017-18\tT\t00\t\t\tState\t\t\tAll\tTA\t6220413\t0\n"
          "2017-18\tS\t19\t64733\t0111518\tLos Angeles\tLos Angeles Unified\tAlliance Jack H. Skirball Middle\tY\tTA\t451\t0\n"
          "2017-18\tS\t19\t64733\t0111518\tLos Angeles\tLos Angeles Unified\tAlliance Jack H. Skirball Middle\tY\tGF\t230\t0\n"
          "2017-18\tS\t19\t64733\t9999999\tLos Angeles\tLos Angeles Unified\tTiny School\tN\tTA\t*\t*\n")


def test_census_day_file_keeps_school_totals_and_suppression(tmp_path):
    path = tmp_path / "cdenroll1718.txt"
    path.write_text(CENSUS)
    frame = cde_census_enrollment.read(path, "2017-18").set_index("cds")
    assert frame.loc[SKIRBALL, "enrollment"] == 451 and frame.loc[SKIRBALL, "row"] == 3
    assert pd.isna(frame.loc["19647339999999", "enrollment"])  # suppressed, not zero
    assert len(frame) == 2  # the state row and the subgroup row are not school totals


def test_census_day_file_bad_cell_is_named(tmp_path):
    path = tmp_path / "cdenroll1718.txt"
    path.write_text(CENSUS.replace("\t451\t", "\tn/a\t"))
    with pytest.raises(LayoutError, match=r"line 3: TOTAL_ENR 'n/a' is neither a count nor '\*'"):
        cde_census_enrollment.read(path, "2017-18")


def test_county_table_keeps_every_la_county_school_with_its_grade_span():
    enrollment = pd.DataFrame({
        "school_year": "2015-16", "cds": ["19647330106864", "19647330000001", "01612590112771"],
        "district": ["Los Angeles Unified", "Los Angeles Unified", "Oakland Unified"],
        "school": ["Alliance Gertz-Ressler Richard Merkin 6-12 Complex", "Nonpublic, Nonsectarian Schools", "Alliance Academy"],
        "charter": ["Y", "", "Y"], "low_grade": ["6", "N/A", "6"], "high_grade": ["12", "N/A", "8"],
        "enrollment_k12": [980, 1, 300], "source_id": "cde_frpm", "file_sha256": "b" * 64, "locator": "sheet row 2548"})
    table = schools.county_school_enrollment(enrollment).set_index("cds")
    assert list(table.index) == ["19647330000001", "19647330106864"]  # Oakland is not in Los Angeles County
    assert tuple(table.loc[GERTZ, ["district_code", "campus", "enrollment_k12"]]) == ("1964733", "6-12", 980)
    assert tuple(table.loc["19647330000001", ["low_grade", "high_grade", "campus"]]) == ("", "", "other")


def test_committed_county_table_agrees_with_the_alliance_rows_and_census_f33():
    from schoolclaims.tables import load

    county = load("la_county_school_enrollment")
    lausd = county[county["district_code"] == "1964733"].groupby("school_year")["enrollment_k12"].sum()
    assert lausd["2015-16"] == 639337  # Census F-33 FY2016 Table 18: LAUSD's fall membership
    alliance = load("network_schools").query("network == 'Alliance College-Ready Public Schools'").dropna(subset=["enrollment_k12"])
    merged = alliance.merge(county, on=["school_year", "cds"], suffixes=("", "_county"))
    assert len(merged) == len(alliance) and (merged["enrollment_k12"] == merged["enrollment_k12_county"]).all()
