"""pandera schemas for every processed table: types, ranges, keys, row counts per year.

A processed table that fails its schema is not written; the error names the table, column and rows.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from .. import urls
from ..entities import ALLIANCE, ALLIANCE_SCHOOL_PREFIX, CALIFORNIA_STATEWIDE, LA_COUNTY_CODE, LAUSD, UNITED_STATES

SHA = Check.str_matches(r"^[0-9a-f]{64}(\+[0-9a-f]{64})*$")
SCHOOL_YEAR = Check.str_matches(r"^(19|20)\d\d-\d\d$")

def _linkable(value) -> bool:
    try:
        urls.check(value, "source_url", references=True)
        return True
    except urls.UnsafeAddress:
        return False


# a source_url becomes a link on the site: http(s), or a github:owner/repo reference (rendered as its https address)
SAFE_URL = Check(lambda s: s.isna() | s.map(_linkable), error="source_url must be an http(s) address or github:owner/repo")

GRADES = {  # who published the figure and how it reached the archive (transform/grades.py)
    "source_grade": Column(str, Check.isin(["publisher's file", "publisher's page", "party document", "party statement",
                                            "press or secondary report", "third-party compilation", "not found"])),
    "transcription": Column(str, Check.isin(["read from the file by this project", "exact transcription", "partial",
                                             "derived (a ratio or sum of transcribed figures)", "not found"])),
}
PROVENANCE = {
    "source_id": Column(str, Check.str_length(min_value=1)),
    "file_sha256": Column(str, SHA),
    "locator": Column(str, Check.str_length(min_value=3)),
}


def _per_ada_consistent(df) -> bool:
    ok = df["ada"].isna() | df["per_ada"].isna() | (df["ada"] <= 0) | ((df["edp365"] / df["ada"] - df["per_ada"]).abs() < 0.02)
    return bool(ok.all())


def _statewide_matches_leas(df) -> bool:
    """The published statewide total is within 2% of the sum of the LEA rows (2021-22 differs by ~1.1%)."""
    lea = df[df["level"] == "lea"].groupby("school_year")["edp365"].sum()
    state = df[df["level"] == "statewide"].set_index("school_year")["edp365"]
    return bool(((state / lea.reindex(state.index)) - 1).abs().max() < 0.02)


def _one_statewide_and_lausd_each_year(df) -> bool:
    per_year = df.groupby("school_year")
    return bool((per_year.apply(lambda g: (g["level"] == "statewide").sum() == 1 and (g["cds"] == LAUSD.district_code).sum() == 1)).all())


def _lea_count_per_year(df) -> bool:
    counts = df[df["level"] == "lea"].groupby("school_year").size()
    return bool(counts.between(900, 1100).all())


CDE_CURRENT_EXPENSE = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR),
        "level": Column(str, Check.isin(["lea", "statewide"])),
        "cds": Column(str, Check.str_matches(r"^\d{7}$")),
        "lea_name": Column(str, Check.str_length(min_value=2)),
        "lea_type": Column(str, nullable=True),
        "edp365": Column(float, Check.ge(0), nullable=True),
        "ada": Column(float, Check.ge(0), nullable=True),
        "per_ada": Column(float, Check.in_range(0, 500_000), nullable=True),
        **PROVENANCE,
    },
    unique=["school_year", "cds", "locator"],
    checks=[
        Check(_per_ada_consistent, error="per_ada differs from edp365 / ada by 2 cents or more"),
        Check(_statewide_matches_leas, error="published statewide total is more than 2% off the sum of LEA rows"),
        Check(_one_statewide_and_lausd_each_year, error="each school year needs one statewide row and one LAUSD row"),
        Check(_lea_count_per_year, error="each school year should list 900 to 1,100 LEAs"),
    ],
    strict=True, ordered=True, name="cde_current_expense",
)

F33_CURRENT = "census_f33_current_spending_per_pupil"


def _national_rows_are_census_current_spending(df) -> bool:
    """The United States appears only where a source publishes it beside the states: Census F-33 Table 8."""
    return bool((df.loc[df["entity"] == UNITED_STATES.name, "measure_id"] == F33_CURRENT).all())


def _subset_rows_say_they_are_second_hand(df) -> bool:
    """Figures from the third party's subsets of the Census district files carry that label wherever they are shown."""
    subset = df[df["measure_id"].str.startswith("census_f33_total_")]
    return bool(subset["confidence"].str.startswith("third-party subset").all())


def _each_census_year_has_the_national_figure(df) -> bool:
    """Every school year with a Census F-33 figure for California also has the United States figure."""
    f33 = df[df["measure_id"] == F33_CURRENT]
    years = {e: set(zip(g["school_year"], g["dollars"])) for e, g in f33.groupby("entity")}
    return years.get(CALIFORNIA_STATEWIDE, set()) <= years.get(UNITED_STATES.name, set())


PER_PUPIL_FUNDING = DataFrameSchema(
    {
        "entity": Column(str, Check.isin([LAUSD.name, CALIFORNIA_STATEWIDE, UNITED_STATES.name])),
        "school_year": Column(str, SCHOOL_YEAR),
        "measure_id": Column(str),
        "measure": Column(str),
        "numerator": Column(str, Check.str_length(min_value=5)),
        "denominator": Column(str, Check.str_length(min_value=3)),
        "dollars": Column(str, Check.isin(["nominal", "constant"])),
        "price_index": Column(str, nullable=True),
        "base_year": Column(str, nullable=True),
        "value": Column(float, Check.in_range(1_000, 60_000)),
        "vintage": Column(str, nullable=True),
        "confidence": Column(str, Check.str_length(min_value=3)), **GRADES,
        **PROVENANCE,
        "source_url": Column(str, SAFE_URL, nullable=True),
    },
    unique=["entity", "school_year", "measure_id", "dollars", "vintage"],
    checks=[Check(lambda df: ((df["dollars"] == "nominal") == df["base_year"].fillna("").eq("")).all(),
                  error="constant-dollar rows (and only they) name a base year"),
            Check(_national_rows_are_census_current_spending,
                  error="a United States row is Census F-33 current spending per pupil (Table 8) only"),
            Check(_each_census_year_has_the_national_figure,
                  error="each Census F-33 year of California needs the United States figure beside it"),
            Check(_subset_rows_say_they_are_second_hand,
                  error="a figure from a third-party subset of the Census district file must say so in its confidence")],
    strict=True, ordered=True, name="per_pupil_funding",
)

STATE_RANKINGS = DataFrameSchema(
    {
        "ranking": Column(str), "publisher": Column(str), "adjustment": Column(str),
        "data_year": Column(str, nullable=True),
        "reported_year": Column("Int64", Check.in_range(1990, 2030), nullable=True),
        "published": Column(str, Check.str_matches(r"^(\d{4}(-\d{2}){0,2})?$")),  # ISO, '' when not known
        "state": Column(str),
        "rank": Column(int, Check.in_range(1, 51)),
        "of_n": Column("Int64", Check.in_range(50, 51), nullable=True),
        "value": Column(float, nullable=True), "value_unit": Column(str, nullable=True),
        "confidence": Column(str), **GRADES, **PROVENANCE, "source_url": Column(str, SAFE_URL, nullable=True),
    },
    checks=[Check(lambda df: (df[df["source_id"] == "census_f33"].groupby("data_year")["rank"].nunique() == 51).all(),
                  error="each Census F-33 year ranks all 51 (50 states and DC)")],
    strict=True, ordered=True, name="state_rankings",
)

STATE_ECONOMY = DataFrameSchema(
    {
        "state": Column(str), "geo_fips": Column(str, Check.str_matches(r"^\d{2}000$")),
        "year": Column(int, Check.in_range(1997, 2030)),
        "vintage": Column(str, Check.str_matches(r"^\d{4}-\d{2}(-\d{2})?$")),  # when BEA's figures were current
        "gdp_musd": Column(float, Check.gt(0)), "gdp_musd_rank": Column("Int64", Check.in_range(1, 50), nullable=True),
        "population": Column(float, Check.gt(100_000)),
        "gdp_per_capita": Column(float, Check.gt(0)),
        "gdp_per_capita_rank": Column("Int64", Check.in_range(1, 50), nullable=True),
        "per_capita_personal_income": Column(float, Check.gt(0)),
        "per_capita_personal_income_rank": Column("Int64", Check.in_range(1, 50), nullable=True),
        "confidence": Column(str), **GRADES, **PROVENANCE,
    },
    unique=["geo_fips", "year", "vintage"],
    checks=[Check(lambda df: (df.groupby(["vintage", "year"]).size() == 51).all(), error="each year of a vintage lists 50 states and DC")],
    strict=True, ordered=True, name="state_economy",
)

LARGEST_SYSTEMS = DataFrameSchema(
    {
        "fiscal_year": Column(int), "school_year": Column(str, SCHOOL_YEAR),
        "enrollment_rank": Column(int, Check.in_range(1, 100)), "school_system": Column(str),
        "state": Column(str), "enrollment": Column(float, Check.gt(10_000)),
        "per_pupil_current_spending": Column(float, Check.in_range(3_000, 60_000)), **PROVENANCE,
    },
    unique=["fiscal_year", "enrollment_rank"],
    checks=[Check(lambda df: (df.groupby("fiscal_year").size() == 100).all(), error="100 systems per fiscal year")],
    strict=True, ordered=True, name="largest_school_systems",
)

STATE_INSTRUCTION_PER_PUPIL = DataFrameSchema(
    {
        "fiscal_year": Column(int, description="Census fiscal year (ends June 30)"),
        "school_year": Column(str, SCHOOL_YEAR, description="the school year the fiscal year covers"),
        "state": Column(str, description="a state, the District of Columbia or the United States"),
        "per_pupil_instruction": Column(float, Check.in_range(2_000, 40_000), description="Census F-33 Table 8, "
                                        "instruction (total): current spending on instruction ÷ fall enrollment, dollars"),
        **PROVENANCE,
    },
    unique=["fiscal_year", "state"],
    checks=[Check(lambda df: (df.groupby("fiscal_year").size() == 52).all(), error="50 states, DC and the US each year")],
    strict=True, ordered=True, name="state_instruction_per_pupil",
)

CHARTER_STAFFING = DataFrameSchema(
    {
        "school_year": Column(str, Check.eq("2015-16"), description="the CCD school year"),
        "ncessch": Column(str, Check.str_matches(r"^\d{12}$"), unique=True, description="NCES school id"),
        "cds": Column(str, Check.str_matches(r"^(|\d{14})$"), description="CDE CDS code (from the directory's NCES "
                      "ids; blank where the June 2018 directory has no school with that id)"),
        "school": Column(str, description="the school's name in the CDE directory"),
        "network": Column(str, description="the project's network (transform/networks.csv) the school belongs to"),
        "cmo_name": Column(str, description="the charter management organization as the third party coded it"),
        "level": Column(str, description="Primary, Middle, High or Other (the file's own level)"),
        "nces_district": Column(str, Check.str_matches(r"^\d{7}$"), description="NCES id of the district the school sits in"),
        "in_lausd_boundaries": Column(bool, description="the school sits in LAUSD (NCES district 0622710)"),
        "students": Column(float, nullable=True, description="CCD 2015-16 membership"),
        "teacher_fte": Column(float, nullable=True, description="CCD 2015-16 full-time-equivalent teachers"),
        "pupils_per_teacher": Column(float, nullable=True, description="students ÷ FTE teachers: a staffing ratio, "
                                     "NOT class size"),
        "plausible": Column(bool, description="the ratio is within 10-35 pupils per FTE teacher (transform/staffing.py)"),
        "flag": Column(str, description="why a school is left out of sums ('' when it is not)"),
        **PROVENANCE,
    },
    checks=[Check(lambda df: df.empty or (df["plausible"] == (df["flag"] == "")).all(), error="a school is flagged "
                  "exactly when it is not plausible")],
    strict=True, ordered=True, name="charter_staffing_2015_16",
)

F33_DISTRICT_FINANCES = DataFrameSchema(
    {
        "fiscal_year": Column(int, Check.in_range(2014, 2016), description="Census fiscal year (ends June 30)"),
        "school_year": Column(str, SCHOOL_YEAR, description="the school year the fiscal year covers"),
        "name": Column(str, description="the school system's name as the file spells it (the files have no identifier)"),
        "state": Column(str, description="its state"),
        "total_revenue": Column(float, nullable=True, description="TOTALREV: federal + state + local revenue, dollars"),
        "federal_revenue": Column(float, nullable=True, description="TFEDREV, dollars"),
        "state_revenue": Column(float, nullable=True, description="TSTREV, dollars"),
        "local_revenue": Column(float, nullable=True, description="TLOCREV, dollars"),
        "total_expenditure": Column(float, nullable=True, description="TOTALEXP: current spending, capital outlay, "
                                    "payments to other governments, interest on debt, dollars"),
        "membership": Column(float, nullable=True, description="V33: fall membership (pupils)"),
        **PROVENANCE,
    },
    checks=[Check(lambda df: (df["state"] == "California").sum() >= 3 * 1_000 or df.empty,
                  error="every California system of the three files (about 1,170 a year)")],
    strict=True, ordered=True, name="f33_district_finances",
)

PRICE_INDEX = DataFrameSchema(
    {
        "series_id": Column(str), "series_title": Column(str), "school_year": Column(str, SCHOOL_YEAR),
        # CPI-U, 1982-84 = 100; 1913 is about 10
        "index": Column(float, Check.in_range(5, 1000)), "months": Column(int, Check.eq(12)), **PROVENANCE,
    },
    unique=["series_id", "school_year"], strict=True, ordered=True, name="price_index",
)

LEDGER_FIGURES = DataFrameSchema(
    {
        "ledger": Column(str), "entity": Column(str), "cds_code": Column(str, Check.str_matches(r"^(\d{14})?$")),
        "measure": Column(str), "definition": Column(str), "school_year_or_year": Column(str),
        "grade_span_or_subject": Column(str),
        "value": Column(float, nullable=True), "value_text": Column(str), "unit": Column(str),
        "source_url": Column(str, [Check.str_length(min_value=5), SAFE_URL]), "source_locator": Column(str),
        "confidence": Column(str, Check.str_length(min_value=3)), **GRADES, "note": Column(str), **PROVENANCE,
    },
    checks=[Check(lambda df: (df["value"].isna() == df["unit"].str.startswith("text")).all(),
                  error="a ledger value is a number unless its unit is text")],
    strict=True, ordered=True, name="ledger_figures",
)

CDS = Check.str_matches(r"^\d{14}$")
GRADE = Check.str_matches(r"^(|K|KN|TK|P|\d{1,2})$")


def _one_row_per_school_year(df) -> bool:
    return not df.duplicated(["school_year", "cds"]).any()


def _one_row_per_network_school_year(df) -> bool:
    return not df.duplicated(["network", "school_year", "cds"]).any()


def _alliance_rows_are_lausd_charters_named_alliance(df) -> bool:
    alliance = df[df["network"] == ALLIANCE.name]
    return bool(alliance["cds"].str.startswith(LAUSD.district_code).all()
                and alliance["school"].str.startswith(ALLIANCE_SCHOOL_PREFIX).all())


NETWORK_SCHOOLS = DataFrameSchema(
    {
        "network": Column(str, description="the charter network (transform/networks.csv: its membership rule)"),
        "school_year": Column(str, SCHOOL_YEAR), "census_day": Column(str, Check.str_matches(r"^\d{4}-10-0[1-7]$")),
        "cds": Column(str, CDS), "school": Column(str),
        "open_date": Column(str), "closed_date": Column(str), "closed_date_source": Column(str),
        "open_on_census_day": Column(bool), "low_grade": Column(str, GRADE), "high_grade": Column(str, GRADE),
        "campus": Column(str, Check.isin(["elementary", "middle", "high", "6-12", "other"])), "grades_from": Column(str),
        "enrollment_k12": Column("Int64", Check.in_range(0, 5_000), nullable=True),
        "count_per_cds": Column(int, Check.isin([0, 1])), "count_campus_split": Column(int, Check.isin([0, 1, 2])),
        **PROVENANCE,
    },
    checks=[Check(_one_row_per_network_school_year, error="one row per network, school and school year"),
            Check(_alliance_rows_are_lausd_charters_named_alliance,
                  error="Alliance's members are LAUSD-authorized charters named 'Alliance …'"),
            Check(lambda df: (df["count_per_cds"] == df["open_on_census_day"].astype(int)).all(),
                  error="a school counts (per CDS code) exactly when it is open on Census Day")],
    strict=True, ordered=True, name="network_schools",
)

NETWORK_SIZE = DataFrameSchema(
    {
        "network": Column(str, description="the charter network (transform/networks.csv: its membership rule)"),
        "school_year": Column(str, SCHOOL_YEAR), "counting_rule": Column(str, Check.isin(["per CDS code", "6-12 campus as two"])),
        "rule_definition": Column(str), "schools": Column(int, Check.in_range(0, 200)),
        "students": Column("Int64", Check.in_range(0, 200_000), nullable=True),
        "schools_with_enrollment": Column(int, Check.ge(0)), "enrollment_measure": Column(str),
        "membership_as_of": Column(str, description="the directory snapshot the membership comes from: a school "
                                   "opened after it is not counted"),
        **PROVENANCE,
    },
    unique=["network", "school_year", "counting_rule"],
    checks=[Check(lambda df: (df.groupby(["network", "school_year"])["schools"].agg(lambda s: s.iloc[-1] >= s.iloc[0])).all(),
                  error="splitting 6-12 campuses can only add schools")],
    strict=True, ordered=True, name="network_size",
)

CALIFORNIA_DISTRICTS = DataFrameSchema(
    {
        "district_code": Column(str, Check.str_matches(r"^\d{7}$"), unique=True,
                                description="CDE county-district code (the first 7 digits of its schools' CDS codes)"),
        "district": Column(str, Check.str_length(min_value=2), description="the district's name in the CDE School Directory"),
        "county": Column(str, description="its county"),
        "schools_listed": Column(int, Check.ge(1), description="school rows with this district code in the directory"),
        "directory_vintage": Column(str, description="the directory snapshot (June 2018)"),
        **PROVENANCE,
    },
    checks=[Check(lambda df: len(df) > 900, error="the directory lists about 1,000 districts and county offices")],
    strict=True, ordered=True, name="california_districts",
)

def _district_code_is_the_cds_prefix(df) -> bool:
    return bool((df["cds"].str[:7] == df["district_code"]).all())


def _every_year_lists_the_county(df) -> bool:
    """About 2,300 schools a year, about 1,000 of them under LAUSD's code (its own and the charters it authorizes)."""
    per_year = df.groupby("school_year")
    lausd = df[df["district_code"] == LAUSD.district_code].groupby("school_year").size()
    return bool(per_year.size().between(2_000, 2_800).all() and lausd.reindex(per_year.size().index).between(900, 1_200).all())


LA_COUNTY_SCHOOL_ENROLLMENT = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR), "cds": Column(str, [CDS, Check.str_startswith(LA_COUNTY_CODE)]),
        "district_code": Column(str, Check.str_matches(r"^\d{7}$")), "district": Column(str, Check.str_length(min_value=2)),
        "school": Column(str, Check.str_length(min_value=2)), "charter": Column(str, Check.isin(["Y", "N", ""])),
        "low_grade": Column(str, Check.str_matches(r"^(|K|KN|TK|P|Adult|\d{1,2})$")),
        "high_grade": Column(str, Check.str_matches(r"^(|K|KN|TK|P|Adult|\d{1,2})$")),
        "campus": Column(str, Check.isin(["elementary", "middle", "high", "6-12", "other"])),
        "enrollment_k12": Column(int, Check.in_range(0, 10_000)), **PROVENANCE,
    },
    unique=["school_year", "cds"],
    checks=[Check(_district_code_is_the_cds_prefix, error="district_code is the first 7 digits of the CDS code"),
            Check(_every_year_lists_the_county, error="each school year lists 2,000 to 2,800 schools, 900 to 1,200 under LAUSD's code")],
    strict=True, ordered=True, coerce=True, name="la_county_school_enrollment",
)

_CLASS_SUMS = {
    "classes": Column(float, Check.gt(0)), "students": Column(float, Check.gt(0)), "sum_squares": Column(float, Check.gt(0)),
    "over_32": Column(float, Check.ge(0)), "over_40": Column(float, Check.ge(0)),
}
_CLASS_MEANS = {
    "class_weighted_mean": Column(float, Check.in_range(1, 500)), "student_weighted_mean": Column(float, Check.in_range(1, 500)),
    "share_over_32": Column(float, Check.in_range(0, 1)), "share_over_40": Column(float, Check.in_range(0, 1)),
}


def _paradox_holds(df) -> bool:
    """The student-weighted mean is never below the class-weighted mean (rounding aside)."""
    return bool((df["student_weighted_mean"] >= df["class_weighted_mean"] - 0.01).all())


def _over_40_within_over_32(df) -> bool:
    return bool((df["over_40"] <= df["over_32"]).all() and (df["over_32"] <= df["classes"]).all())


CLASS_SIZE_BY_SCHOOL = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR), "rule": Column(str), "cds": Column(str, CDS), "content_area": Column(str),
        **_CLASS_SUMS, "classes_excluded": Column(float, Check.ge(0)), **_CLASS_MEANS, **PROVENANCE,
    },
    unique=["school_year", "rule", "cds", "content_area"],
    checks=[Check(_paradox_holds, error="student-weighted mean below the class-weighted mean"),
            Check(_over_40_within_over_32, error="classes over 40 must be within classes over 32, within all classes")],
    strict=True, ordered=True, coerce=True, name="class_size_by_school",
)

CLASS_SIZE_COMPARISON = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR), "rule": Column(str),
        "campus": Column(str, Check.isin(["elementary", "middle", "high", "6-12", "other"])), "content_area": Column(str),
        "group": Column(str), "schools": Column(float, Check.gt(0)), **_CLASS_SUMS, **_CLASS_MEANS, **PROVENANCE,
    },
    unique=["school_year", "rule", "campus", "content_area", "group"],
    checks=[Check(_paradox_holds, error="student-weighted mean below the class-weighted mean"),
            Check(_over_40_within_over_32, error="classes over 40 must be within classes over 32, within all classes")],
    strict=True, ordered=True, coerce=True, name="class_size_comparison",
)

CLASS_SIZE_BY_DISTRICT = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR), "rule": Column(str), "district_code": Column(str, Check.str_matches(r"^\d{7}$")),
        "content_area": Column(str), **_CLASS_SUMS, **_CLASS_MEANS, **PROVENANCE,
    },
    unique=["school_year", "rule", "district_code", "content_area"],
    checks=[Check(_paradox_holds, error="student-weighted mean below the class-weighted mean")],
    strict=True, ordered=True, coerce=True, name="class_size_by_district",
)

CLASS_COURSE_CODES_UNKNOWN = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR), "file": Column(str, Check.isin(["ClassEnrollment", "CoursesTaught"])),
        "course_code": Column(str), "records": Column(float, Check.gt(0)), "code_tables": Column(str), **PROVENANCE,
    },
    unique=["school_year", "file", "course_code"],
    strict=True, ordered=True, coerce=True, name="class_course_codes_unknown",
)

SARC_CLASS_SIZE = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR), "level": Column(str, Check.isin(["elementary", "secondary"])),
        "cds": Column(str, [CDS, Check.str_startswith(LAUSD.district_code)]), "school": Column(str),
        "grade_or_subject": Column(str), "average_class_size": Column(float, Check.in_range(0, 200), nullable=True),
        "classrooms_band_1": Column(float, Check.ge(0), nullable=True), "classrooms_band_2": Column(float, Check.ge(0), nullable=True),
        "classrooms_band_3": Column(float, Check.ge(0), nullable=True), "bands": Column(str), **PROVENANCE,
    },
    unique=["school_year", "level", "cds", "grade_or_subject"],
    strict=True, ordered=True, coerce=True, name="sarc_class_size",
)


def _rises_along_steps(df) -> bool:
    """Within one schedule and column, a higher step never pays less (the parsers check this too)."""
    cells = df[(df["kind"] == "cell") & df["column_index"].notna()]
    ordered = cells.sort_values("step").groupby(["employer", "school_year", "schedule", "calendar_basis", "column_index"])["annual_salary"]
    return bool((ordered.diff().dropna() >= 0).all())


SALARY_SCHEDULES = DataFrameSchema(
    {
        "employer": Column(str), "school_year": Column(str, SCHOOL_YEAR), "schedule": Column(str),
        "calendar_basis": Column(str, Check.isin(["", "A", "B", "C", "E"])), "kind": Column(str, Check.isin(["cell", "add-on"])),
        "step": Column("Int64", Check.in_range(1, 40), nullable=True), "column_index": Column("Int64", Check.ge(1), nullable=True),
        "column_label": Column(str), "column_requirement": Column(str),
        "annual_salary": Column(float, Check.in_range(100, 300_000)),
        "contract_days": Column(float, Check.in_range(150, 260), nullable=True),
        "per_day": Column(float, Check.in_range(1, 2_000), nullable=True),
        "annual_salary_constant": Column(float, nullable=True), "confidence": Column(str, Check.str_length(min_value=3)), **GRADES,
        **PROVENANCE,
    },
    checks=[Check(_rises_along_steps, error="a schedule column pays less at a higher step"),
            Check(lambda df: (df.loc[df["kind"] == "cell", "annual_salary"] >= 10_000).all(), error="a schedule cell below $10,000")],
    strict=True, ordered=True, coerce=True, name="salary_schedules",
)

def _one_county_name_per_code(df) -> bool:
    """A county's two-digit code (the start of every district's CDS code) always carries the same county name."""
    return bool((df.groupby([df["school_year"], df["cds"].str[:2]])["county"].nunique() == 1).all())


_SCHEDULE_RANGE = {  # J-90: a district's salary schedule, from its lowest to its highest cell
    "lowest_column_heading": Column(str),
    "highest_step": Column(float, nullable=True), "highest_column": Column(float, nullable=True),
    "min_salary": Column(float, Check.in_range(20_000, 200_000)), "max_salary": Column(float, Check.in_range(20_000, 250_000)),
    "ma_stipend": Column(float, nullable=True), "doctorate_stipend": Column(float, nullable=True), **PROVENANCE,
}
_MAX_NOT_BELOW_MIN = Check(lambda df: (df["max_salary"] >= df["min_salary"]).all(), error="maximum below minimum")

CALIFORNIA_DISTRICT_SALARIES = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR), "cds": Column(str, Check.str_matches(r"^\d{7}$")), "district": Column(str),
        "county": Column(str, Check.str_length(min_value=3)),
        "teacher_fte": Column(float, Check.ge(0), nullable=True), "days": Column(float, Check.in_range(140, 220), nullable=True),
        **_SCHEDULE_RANGE,
    },
    unique=["school_year", "cds"],
    checks=[_MAX_NOT_BELOW_MIN,
            Check(lambda df: df.groupby("school_year").size().between(700, 1_000).all(),
                  error="about 800 districts file J-90 each year"),
            Check(_one_county_name_per_code, error="one county name per county code (the CDS code's first two digits)")],
    strict=True, ordered=True, coerce=True, name="california_district_salaries",
)

LA_COUNTY_SALARIES = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR), "cds": Column(str, Check.str_matches(r"^19\d{5}$")), "district": Column(str),
        "teacher_fte": Column(float, Check.ge(0), nullable=True), "days": Column(float, Check.in_range(150, 220), nullable=True),
        **_SCHEDULE_RANGE,
    },
    unique=["school_year", "cds"],
    checks=[_MAX_NOT_BELOW_MIN,
            Check(lambda df: df.groupby("school_year").size().between(50, 90).all(), error="Los Angeles County has about 80 districts")],
    strict=True, ordered=True, coerce=True, name="la_county_salaries",
)

SCHEMAS = {
    "cde_current_expense": CDE_CURRENT_EXPENSE,
    "per_pupil_funding": PER_PUPIL_FUNDING,
    "state_rankings": STATE_RANKINGS,
    "state_economy": STATE_ECONOMY,
    "largest_school_systems": LARGEST_SYSTEMS,
    "f33_district_finances": F33_DISTRICT_FINANCES,
    "state_instruction_per_pupil": STATE_INSTRUCTION_PER_PUPIL,
    "charter_staffing_2015_16": CHARTER_STAFFING,
    "price_index": PRICE_INDEX,
    "ledger_figures": LEDGER_FIGURES,
    "network_schools": NETWORK_SCHOOLS,
    "network_size": NETWORK_SIZE,
    "california_districts": CALIFORNIA_DISTRICTS,
    "la_county_school_enrollment": LA_COUNTY_SCHOOL_ENROLLMENT,
    "class_size_by_school": CLASS_SIZE_BY_SCHOOL,
    "class_size_comparison": CLASS_SIZE_COMPARISON,
    "class_size_by_district": CLASS_SIZE_BY_DISTRICT,
    "class_course_codes_unknown": CLASS_COURSE_CODES_UNKNOWN,
    "sarc_class_size": SARC_CLASS_SIZE,
    "salary_schedules": SALARY_SCHEDULES,
    "california_district_salaries": CALIFORNIA_DISTRICT_SALARIES,
    "la_county_salaries": LA_COUNTY_SALARIES,
}


def validate(name: str, frame):
    """Validate lazily so that every failing check is reported at once."""
    try:
        return SCHEMAS[name].validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(10).to_string(index=False)
        raise ValueError(f"data/processed/{name}.csv failed validation:\n{cases}") from None
