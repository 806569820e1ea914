"""pandera schemas for every processed table: types, ranges, keys, row counts per year.

A processed table that fails its schema is not written; the error names the table, column and rows.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from .. import urls
from ..entities import ALLIANCE, ALLIANCE_SCHOOL_PREFIX, CALIFORNIA_STATEWIDE, LA_COUNTY_CODE, LAUSD, UNITED_STATES


def about(description: str, unit: str) -> dict:
    """A column's entry in the data dictionary: what it holds and its unit. data/processed/datapackage.json, the
    Datasette metadata (`schoolclaims explore`) and the site's Tables page are made from these."""
    return {"description": description, "metadata": {"unit": unit}}


YEAR_ABOUT = about("School year, July to June (2015-16 = July 2015 to June 2016)", "school year")
CONFIDENCE_ABOUT = about("How firmly the figure is established: official file, exact transcription, quoted second-hand, ...",
                         "category")
RULE_ABOUT = about("Which classes count, named in full: CALPADS (zero-enrollment and independent-study classes left out) "
                   "or SARC (also classes of 50 or more)", "category")
CAMPUS_ABOUT = about("Kind of campus by grades served: elementary, middle, high, 6-12 or other", "category")
CONTENT_AREA_ABOUT = about("Content area of the classes (the course code table's subject; all = every class)", "category")
CDS_ABOUT = about("CDS code of the school (14 digits: county, district, school)", "code")

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
                                            "press or secondary report", "third-party compilation", "not found"]),
                           **about("Who published the figure: the publisher's own file or page, a party's document or "
                                   "statement, a press or secondary report, a third-party compilation", "category")),
    "transcription": Column(str, Check.isin(["read from the file by this project", "exact transcription", "partial",
                                             "derived (a ratio or sum of transcribed figures)", "not found"]),
                            **about("How the figure reached this table: read from the file by this project, transcribed "
                                    "exactly or partly by hand, or derived from transcribed figures", "category")),
}
PROVENANCE = {
    "source_id": Column(str, Check.str_length(min_value=1), **about(
        "Source id of the raw file(s) the row was made from (the command schoolclaims sources lists them); several joined by '+'",
        "identifier")),
    "file_sha256": Column(str, SHA, **about(
        "sha256 of the raw file(s) the row was read from, as recorded in data/raw/datapackage.json; several joined by "
        "'+'", "sha256 hex digest")),
    "locator": Column(str, Check.str_length(min_value=3), **about(
        "Where in the raw file the figure is: sheet and row, CSV line, or page", "text")),
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
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "level": Column(str, Check.isin(["lea", "statewide"]), **about(
            "lea: one local educational agency; statewide: the published state total", "category")),
        "cds": Column(str, Check.str_matches(r"^\d{7}$"), **about(
            "County-district code of the LEA (7 digits; 0000000 for the statewide row)", "code")),
        "lea_name": Column(str, Check.str_length(min_value=2), **about("LEA name as published", "text")),
        "lea_type": Column(str, nullable=True, **about(
            "LEA type as published (Unified, Elementary, High, ...)", "category")),
        "edp365": Column(float, Check.ge(0), nullable=True, **about(
            "General Fund current expense of education (EDP 365, Education Code 41372), nominal", "USD (nominal)")),
        "ada": Column(float, Check.ge(0), nullable=True, **about("K-12 average daily attendance", "ADA")),
        "per_ada": Column(float, Check.in_range(0, 500_000), nullable=True, **about(
            "Current expense of education per unit of ADA: edp365 / ada, nominal", "USD per ADA (nominal)")),
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
    description="CDE's current expense of education per ADA for every LEA and the state, 1998-99 to 2021-22, as published",
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
        "entity": Column(str, Check.isin([LAUSD.name, CALIFORNIA_STATEWIDE, UNITED_STATES.name]), **about(
            "Who the figure is about: LAUSD, California (statewide) or the United States", "category")),
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "measure_id": Column(str, **about("Short id of the measure (e.g. cde_current_expense_per_ada)", "identifier")),
        "measure": Column(str, **about("The measure in words", "text")),
        "numerator": Column(str, Check.str_length(min_value=5), **about(
            "What is counted in the numerator (the money)", "text")),
        "denominator": Column(str, Check.str_length(min_value=3), **about(
            "What the money is divided by (ADA, fall enrollment, funded ADA)", "text")),
        "dollars": Column(str, Check.isin(["nominal", "constant"]), **about(
            "nominal: dollars of the year; constant: 2019-20 dollars (see price_index and base_year)", "category")),
        "price_index": Column(str, nullable=True, **about(
            "The price index used to deflate a constant-dollar row (empty for nominal rows)", "text")),
        "base_year": Column(str, nullable=True, **about(
            "School year whose dollars a constant-dollar row is in (empty for nominal rows)", "school year")),
        "value": Column(float, Check.in_range(1_000, 60_000), **about(
            "Dollars per pupil or per ADA, as named by denominator, in the dollars of the dollars column", "USD per pupil or per ADA")),
        "vintage": Column(str, nullable=True, **about("Which edition of the source the figure is from", "text")),
        "confidence": Column(str, Check.str_length(min_value=3), **CONFIDENCE_ABOUT),
        **GRADES,
        **PROVENANCE,
        "source_url": Column(str, SAFE_URL, nullable=True, **about(
            "Address of the page or file the figure was taken from, where it has one", "URL")),
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
    description="Funding per pupil or per ADA for LAUSD, California and the United States, by measure and school year, nominal and in 2019-20 dollars",
)

STATE_RANKINGS = DataFrameSchema(
    {
        "ranking": Column(str, **about("The ranking, named by publisher and table", "text")),
        "publisher": Column(str, **about("Who published the ranking", "text")),
        "adjustment": Column(str, **about("Whether and how the figures ranked were adjusted for costs", "category")),
        "data_year": Column(str, nullable=True, **about("School year of the figures ranked", "school year")),
        "reported_year": Column("Int64", Check.in_range(1990, 2030), nullable=True, **about(
            "Year the ranking was published", "calendar year")),
        "published": Column(str, Check.str_matches(r"^(\d{4}(-\d{2}){0,2})?$"), **about(
            "When the ranking was first published, as precisely as the record says ('' when not known)",
            "date (ISO 8601: year, year-month or day)")),
        "state": Column(str, **about("State (or District of Columbia)", "text")),
        "rank": Column(int, Check.in_range(1, 51), **about("The state's rank (1 = highest spending)", "rank")),
        "of_n": Column("Int64", Check.in_range(50, 51), nullable=True, **about(
            "How many were ranked (50 states, or 51 with DC)", "count")),
        "value": Column(float, nullable=True, **about(
            "The figure ranked, where published, in value_unit", "see value_unit")),
        "value_unit": Column(str, nullable=True, **about(
            "Unit of value (e.g. USD nominal per enrolled pupil)", "text")),
        "confidence": Column(str, **CONFIDENCE_ABOUT),
        **GRADES,
        **PROVENANCE,
        "source_url": Column(str, SAFE_URL, nullable=True, **about(
            "Address of the page or file the ranking was taken from, where it has one", "URL")),
    },
    checks=[Check(lambda df: (df[df["source_id"] == "census_f33"].groupby("data_year")["rank"].nunique() == 51).all(),
                  error="each Census F-33 year ranks all 51 (50 states and DC)")],
    strict=True, ordered=True, name="state_rankings",
    description="States ranked by school spending per pupil, by ranking and year: Census F-33 tables and published rankings (Education Week, NEA, ...)",
)

STATE_ECONOMY = DataFrameSchema(
    {
        "state": Column(str, **about("State (or District of Columbia)", "text")),
        "geo_fips": Column(str, Check.str_matches(r"^\d{2}000$"), **about(
            "BEA GeoFIPS code of the state (2-digit state FIPS code + 000)", "code")),
        "year": Column(int, Check.in_range(1997, 2030), **about("Calendar year", "calendar year")),
        "vintage": Column(str, Check.str_matches(r"^\d{4}-\d{2}(-\d{2})?$"), **about(
            "When BEA's figures were current: 2017-07-15 (as first published, a third party's copy) or 2020-04 "
            "(BEA's revised files)", "date (ISO 8601)")),
        "gdp_musd": Column(float, Check.gt(0), **about(
            "Gross domestic product, current dollars (BEA SAGDP1)", "millions of USD (nominal)")),
        "gdp_musd_rank": Column("Int64", Check.in_range(1, 50), nullable=True, **about(
            "Rank of gdp_musd among the 50 states (1 = largest; empty for DC)", "rank")),
        "population": Column(float, Check.gt(100_000), **about("Population (BEA SAINC1)", "persons")),
        "gdp_per_capita": Column(float, Check.gt(0), **about(
            "GDP per person: gdp_musd x 1,000,000 / population", "USD per person (nominal)")),
        "gdp_per_capita_rank": Column("Int64", Check.in_range(1, 50), nullable=True, **about(
            "Rank of gdp_per_capita among the 50 states (1 = highest; empty for DC)", "rank")),
        "per_capita_personal_income": Column(float, Check.gt(0), **about(
            "Per-capita personal income (BEA SAINC1)", "USD per person (nominal)")),
        "per_capita_personal_income_rank": Column("Int64", Check.in_range(1, 50), nullable=True, **about(
            "Rank of per_capita_personal_income among the 50 states (1 = highest; empty for DC)", "rank")),
        "confidence": Column(str, **CONFIDENCE_ABOUT),
        **GRADES,
        **PROVENANCE,
    },
    unique=["geo_fips", "year", "vintage"],
    checks=[Check(lambda df: (df.groupby(["vintage", "year"]).size() == 51).all(), error="each year of a vintage lists 50 states and DC")],
    strict=True, ordered=True, name="state_economy",
    description="Every state's GDP, population, GDP per person and per-capita personal income, with ranks among the 50 states (BEA)",
)

LARGEST_SYSTEMS = DataFrameSchema(
    {
        "fiscal_year": Column(int, **about("Census fiscal year (FY2016 = the 2015-16 school year)", "fiscal year")),
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "enrollment_rank": Column(int, Check.in_range(1, 100), **about(
            "Rank by fall enrollment among the 100 largest school systems (Census F-33 Table 18)", "rank")),
        "school_system": Column(str, **about("School system name as published", "text")),
        "state": Column(str, **about("State of the school system", "text")),
        "enrollment": Column(float, Check.gt(10_000), **about("Fall enrollment", "pupils")),
        "per_pupil_current_spending": Column(float, Check.in_range(3_000, 60_000), **about(
            "Current spending per pupil (all funds, divided by fall enrollment), nominal", "USD per pupil (nominal)")),
        **PROVENANCE,
    },
    unique=["fiscal_year", "enrollment_rank"],
    checks=[Check(lambda df: (df.groupby("fiscal_year").size() == 100).all(), error="100 systems per fiscal year")],
    strict=True, ordered=True, name="largest_school_systems",
    description="The 100 largest U.S. school systems by fall enrollment, with current spending per pupil (Census F-33 Table 18)",
)

STATE_INSTRUCTION_PER_PUPIL = DataFrameSchema(
    {
        "fiscal_year": Column(int, **about("Census fiscal year (ends June 30)", "fiscal year")),
        "school_year": Column(str, SCHOOL_YEAR, **about("the school year the fiscal year covers", "school year")),
        "state": Column(str, **about("a state, the District of Columbia or the United States", "text")),
        "per_pupil_instruction": Column(float, Check.in_range(2_000, 40_000), **about("Census F-33 Table 8, "
                                        "instruction (total): current spending on instruction ÷ fall enrollment, dollars", "USD per enrolled pupil (nominal)")),
        **PROVENANCE,
    },
    unique=["fiscal_year", "state"],
    checks=[Check(lambda df: (df.groupby("fiscal_year").size() == 52).all(), error="50 states, DC and the US each year")],
    strict=True, ordered=True, name="state_instruction_per_pupil",
    description="Census F-33 Table 8: current spending on instruction per enrolled pupil, every state, DC and the United States",
)

CHARTER_STAFFING = DataFrameSchema(
    {
        "school_year": Column(str, Check.eq("2015-16"), **about("the CCD school year", "school year")),
        "ncessch": Column(str, Check.str_matches(r"^\d{12}$"), unique=True, **about("NCES school id", "identifier")),
        "cds": Column(str, Check.str_matches(r"^(|\d{14})$"), **about("CDE CDS code (from the directory's NCES "
                      "ids; blank where the June 2018 directory has no school with that id)", "code")),
        "school": Column(str, **about("the school's name in the CDE directory", "text")),
        "network": Column(str, **about("the project's network (transform/networks.csv) the school belongs to", "text")),
        "cmo_name": Column(str, **about("the charter management organization as the third party coded it", "text")),
        "level": Column(str, **about("Primary, Middle, High or Other (the file's own level)", "category")),
        "nces_district": Column(str, Check.str_matches(r"^\d{7}$"), **about("NCES id of the district the school sits in", "identifier")),
        "in_lausd_boundaries": Column(bool, **about("the school sits in LAUSD (NCES district 0622710)", "boolean")),
        "students": Column(float, nullable=True, **about("CCD 2015-16 membership", "students")),
        "teacher_fte": Column(float, nullable=True, **about("CCD 2015-16 full-time-equivalent teachers", "FTE teachers")),
        "pupils_per_teacher": Column(float, nullable=True, **about("students ÷ FTE teachers: a staffing ratio, "
                                     "NOT class size", "students per FTE teacher")),
        "plausible": Column(bool, **about("the ratio is within 10-35 pupils per FTE teacher (transform/staffing.py)", "boolean")),
        "flag": Column(str, **about("why a school is left out of sums ('' when it is not)", "text")),
        **PROVENANCE,
    },
    checks=[Check(lambda df: df.empty or (df["plausible"] == (df["flag"] == "")).all(), error="a school is flagged "
                  "exactly when it is not plausible")],
    strict=True, ordered=True, name="charter_staffing_2015_16",
    description="Students per FTE teacher in California's charter schools, 2015-16 (NCES CCD via a third party's file): a staffing ratio, not class size",
)

F33_DISTRICT_FINANCES = DataFrameSchema(
    {
        "fiscal_year": Column(int, Check.in_range(2014, 2016), **about("Census fiscal year (ends June 30)", "fiscal year")),
        "school_year": Column(str, SCHOOL_YEAR, **about("the school year the fiscal year covers", "school year")),
        "name": Column(str, **about("the school system's name as the file spells it (the files have no identifier)", "text")),
        "state": Column(str, **about("its state", "text")),
        "total_revenue": Column(float, nullable=True, **about("TOTALREV: federal + state + local revenue, dollars", "USD (nominal)")),
        "federal_revenue": Column(float, nullable=True, **about("TFEDREV, dollars", "USD (nominal)")),
        "state_revenue": Column(float, nullable=True, **about("TSTREV, dollars", "USD (nominal)")),
        "local_revenue": Column(float, nullable=True, **about("TLOCREV, dollars", "USD (nominal)")),
        "total_expenditure": Column(float, nullable=True, **about("TOTALEXP: current spending, capital outlay, "
                                    "payments to other governments, interest on debt, dollars", "USD (nominal)")),
        "membership": Column(float, nullable=True, **about("V33: fall membership (pupils)", "students")),
        **PROVENANCE,
    },
    checks=[Check(lambda df: (df["state"] == "California").sum() >= 3 * 1_000 or df.empty,
                  error="every California system of the three files (about 1,170 a year)")],
    strict=True, ordered=True, name="f33_district_finances",
    description="Revenue, expenditure and membership of every California school system (and large systems elsewhere) in the Census F-33 district files, FY2014-FY2016 (a third party's subsets)",
)

PRICE_INDEX = DataFrameSchema(
    {
        "series_id": Column(str, **about(
            "BLS series id (CUUR0000SA0: U.S. city average; CUURS49ASA0: Los Angeles area)", "identifier")),
        "series_title": Column(str, **about("BLS series title", "text")),
        "school_year": Column(str, SCHOOL_YEAR, **about("School year whose July-June mean this is", "school year")),
        # CPI-U, 1982-84 = 100; 1913 is about 10
        "index": Column(float, Check.in_range(5, 1000), **about(
            "CPI-U, mean of the twelve monthly values July to June", "index (1982-84 = 100)")),
        "months": Column(int, Check.eq(12), **about("Monthly values averaged (always 12)", "months")),
        **PROVENANCE,
    },
    unique=["series_id", "school_year"], strict=True, ordered=True, name="price_index",
    description="Consumer price index (CPI-U) school-year means, U.S. city average and Los Angeles area (BLS)",
)

LEDGER_FIGURES = DataFrameSchema(
    {
        "ledger": Column(str, **about(
            "Ledger (hand-transcribed table in data/raw/ledgers/) the row comes from", "identifier")),
        "entity": Column(str, **about("Who or what the figure is about", "text")),
        "cds_code": Column(str, Check.str_matches(r"^(\d{14})?$"), **about(
            "CDS code of the school, where the figure is about one (14 digits; else empty)", "code")),
        "measure": Column(str, **about("Short name of what was measured", "text")),
        "definition": Column(str, **about("The figure's definition as the publisher states it", "text")),
        "school_year_or_year": Column(str, **about("School year, year or date the figure refers to", "text")),
        "grade_span_or_subject": Column(str, **about(
            "Grade span or subject the figure covers, where it is limited to one", "text")),
        "value": Column(float, nullable=True, **about("The figure as a number (empty when unit is text)", "see unit")),
        "value_text": Column(str, **about("The figure exactly as written in the source", "text")),
        "unit": Column(str, **about(
            "Unit of value as the source gives it (text for a figure that is not a number)", "text")),
        "source_url": Column(str, [Check.str_length(min_value=5), SAFE_URL], **about(
            "Address of the page or file the figure was transcribed from", "URL")),
        "source_locator": Column(str, **about("Where on the page or in the file the figure is", "text")),
        "confidence": Column(str, Check.str_length(min_value=3), **about(
            "How firmly the figure is established: exact transcription, quoted second-hand, ...", "category")),
        **GRADES,
        "note": Column(str, **about("The transcriber's note", "text")),
        **PROVENANCE,
    },
    checks=[Check(lambda df: (df["value"].isna() == df["unit"].str.startswith("text")).all(),
                  error="a ledger value is a number unless its unit is text")],
    strict=True, ordered=True, name="ledger_figures",
    description="Figures transcribed by hand from published pages and documents, each with its address, place on the page and confidence",
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
        "network": Column(str, **about("The charter network (transform/networks.csv: its membership rule)", "text")),
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "census_day": Column(str, Check.str_matches(r"^\d{4}-10-0[1-7]$"), **about(
            "Census Day of the school year (first Wednesday of October)", "date (ISO 8601)")),
        "cds": Column(str, CDS, **CDS_ABOUT),
        "school": Column(str, **about(
            "School name in the CDE directory", "text")),
        "open_date": Column(str, **about("Date the school opened (CDE directory)", "date (ISO 8601)")),
        "closed_date": Column(str, **about(
            "Date the school closed, if it has (CDE directory or the 2026 ledger)", "date (ISO 8601)")),
        "closed_date_source": Column(str, **about("Where closed_date comes from", "text")),
        "open_on_census_day": Column(bool, **about("Whether the school was open on that year's Census Day", "boolean")),
        "low_grade": Column(str, GRADE, **about("Lowest grade served that year (K, TK or 1-12)", "grade")),
        "high_grade": Column(str, GRADE, **about("Highest grade served that year", "grade")),
        "campus": Column(str, Check.isin(["elementary", "middle", "high", "6-12", "other"]), **CAMPUS_ABOUT),
        "grades_from": Column(str, **about(
            "Where the grade span comes from (the FRPM file that year, or the directory)", "text")),
        "enrollment_k12": Column("Int64", Check.in_range(0, 5_000), nullable=True, **about(
            "Census Day K-12 enrollment (CDE FRPM file)", "students")),
        "count_per_cds": Column(int, Check.isin([0, 1]), **about(
            "Schools this row counts as per CDS code (1 if open on Census Day, else 0)", "schools")),
        "count_campus_split": Column(int, Check.isin([0, 1, 2]), **about(
            "Schools this row counts as when a 6-12 campus counts as two", "schools")),
        **PROVENANCE,
    },
    checks=[Check(_one_row_per_network_school_year, error="one row per network, school and school year"),
            Check(_alliance_rows_are_lausd_charters_named_alliance,
                  error="Alliance's members are LAUSD-authorized charters named 'Alliance …'"),
            Check(lambda df: (df["count_per_cds"] == df["open_on_census_day"].astype(int)).all(),
                  error="a school counts (per CDS code) exactly when it is open on Census Day")],
    strict=True, ordered=True, name="network_schools",
    description="Every school of each charter network by school year: open on Census Day or not, grades, campus type, enrollment",
)

NETWORK_SIZE = DataFrameSchema(
    {
        "network": Column(str, **about("The charter network (transform/networks.csv: its membership rule)", "text")),
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "counting_rule": Column(str, Check.isin(["per CDS code", "6-12 campus as two"]), **about(
            "How schools are counted: per CDS code, or each 6-12 campus as two", "category")),
        "rule_definition": Column(str, **about("The counting rule in words", "text")),
        "schools": Column(int, Check.in_range(0, 200), **about(
            "The network's schools open on Census Day under the rule", "schools")),
        "students": Column("Int64", Check.in_range(0, 200_000), nullable=True, **about(
            "Census Day K-12 enrollment of those schools", "students")),
        "schools_with_enrollment": Column(int, Check.ge(0), **about(
            "Schools whose enrollment is known (summed in students)", "schools")),
        "enrollment_measure": Column(str, **about("Which enrollment count students sums", "text")),
        "membership_as_of": Column(str, **about(
            "The directory snapshot the membership comes from: a school opened after it is not counted", "date")),
        **PROVENANCE,
    },
    unique=["network", "school_year", "counting_rule"],
    checks=[Check(lambda df: (df.groupby(["network", "school_year"])["schools"].agg(lambda s: s.iloc[-1] >= s.iloc[0])).all(),
                  error="splitting 6-12 campuses can only add schools")],
    strict=True, ordered=True, name="network_size",
    description="How many schools and students each charter network had each school year, under two counting rules",
)

CALIFORNIA_DISTRICTS = DataFrameSchema(
    {
        "district_code": Column(str, Check.str_matches(r"^\d{7}$"), unique=True,
                                **about("CDE county-district code (the first 7 digits of its schools' CDS codes)", "school year")),
        "district": Column(str, Check.str_length(min_value=2), **about("the district's name in the CDE School Directory", "text")),
        "county": Column(str, **about("its county", "text")),
        "schools_listed": Column(int, Check.ge(1), **about("school rows with this district code in the directory", "schools")),
        "directory_vintage": Column(str, **about("the directory snapshot (June 2018)", "date (year-month)")),
        **PROVENANCE,
    },
    checks=[Check(lambda df: len(df) > 900, error="the directory lists about 1,000 districts and county offices")],
    strict=True, ordered=True, name="california_districts",
    description="Every California school district and county office in the CDE School Directory (June 2018): code, name, county",
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
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "cds": Column(str, [CDS, Check.str_startswith(LA_COUNTY_CODE)], **CDS_ABOUT),
        "district_code": Column(str, Check.str_matches(r"^\d{7}$"), **about(
            "County-district code (the CDS code's first 7 digits)", "code")),
        "district": Column(str, Check.str_length(min_value=2), **about("District (or county office) name", "text")),
        "school": Column(str, Check.str_length(min_value=2), **about("School name", "text")),
        "charter": Column(str, Check.isin(["Y", "N", ""]), **about(
            "Y for a charter school, N for not, empty when not stated", "category")),
        "low_grade": Column(str, Check.str_matches(r"^(|K|KN|TK|P|Adult|\d{1,2})$"), **about(
            "Lowest grade served that year", "grade")),
        "high_grade": Column(str, Check.str_matches(r"^(|K|KN|TK|P|Adult|\d{1,2})$"), **about(
            "Highest grade served that year", "grade")),
        "campus": Column(str, Check.isin(["elementary", "middle", "high", "6-12", "other"]), **CAMPUS_ABOUT),
        "enrollment_k12": Column(int, Check.in_range(0, 10_000), **about(
            "Census Day K-12 enrollment (CDE FRPM file)", "students")),
        **PROVENANCE,
    },
    unique=["school_year", "cds"],
    checks=[Check(_district_code_is_the_cds_prefix, error="district_code is the first 7 digits of the CDS code"),
            Check(_every_year_lists_the_county, error="each school year lists 2,000 to 2,800 schools, 900 to 1,200 under LAUSD's code")],
    strict=True, ordered=True, coerce=True, name="la_county_school_enrollment",
    description="Every Los Angeles County school's Census Day K-12 enrollment and grade span by school year (CDE FRPM files)",
)

_CLASS_SUMS = {
    "classes": Column(float, Check.gt(0), **about(
        "Classes counted (Census Day enrollment above zero, after the rule's exclusions)", "classes")),
    "students": Column(float, Check.gt(0), **about(
        "Sum of the classes' Census Day enrollments (a student in several classes counts in each)", "student seats")),
    "sum_squares": Column(float, Check.gt(0), **about(
        "Sum of the squared class sizes (for the student-weighted mean: sum_squares / students)", "students squared")),
    "over_32": Column(float, Check.ge(0), **about("Classes with more than 32 students", "classes")),
    "over_40": Column(float, Check.ge(0), **about("Classes with more than 40 students", "classes")),
}
_CLASS_MEANS = {
    "class_weighted_mean": Column(float, Check.in_range(1, 500), **about(
        "Mean class size over classes: students / classes", "students per class")),
    "student_weighted_mean": Column(float, Check.in_range(1, 500), **about(
        "Mean size of the class the average student sits in: sum_squares / students", "students per class")),
    "share_over_32": Column(float, Check.in_range(0, 1), **about(
        "Share of classes with more than 32 students: over_32 / classes", "fraction (0-1)")),
    "share_over_40": Column(float, Check.in_range(0, 1), **about(
        "Share of classes with more than 40 students: over_40 / classes", "fraction (0-1)")),
}


def _paradox_holds(df) -> bool:
    """The student-weighted mean is never below the class-weighted mean (rounding aside)."""
    return bool((df["student_weighted_mean"] >= df["class_weighted_mean"] - 0.01).all())


def _over_40_within_over_32(df) -> bool:
    return bool((df["over_40"] <= df["over_32"]).all() and (df["over_32"] <= df["classes"]).all())


CLASS_SIZE_BY_SCHOOL = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "rule": Column(str, **RULE_ABOUT),
        "cds": Column(str, CDS, **CDS_ABOUT),
        "content_area": Column(str, **CONTENT_AREA_ABOUT),
        **_CLASS_SUMS,
        "classes_excluded": Column(float, Check.ge(0), **about("Classes the rule left out", "classes")),
        **_CLASS_MEANS,
        **PROVENANCE,
    },
    unique=["school_year", "rule", "cds", "content_area"],
    checks=[Check(_paradox_holds, error="student-weighted mean below the class-weighted mean"),
            Check(_over_40_within_over_32, error="classes over 40 must be within classes over 32, within all classes")],
    strict=True, ordered=True, coerce=True, name="class_size_by_school",
    description="Class sizes per school, content area and school year, summed from CDE's class-level files",
)

CLASS_SIZE_COMPARISON = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "rule": Column(str, **RULE_ABOUT),
        "campus": Column(str, Check.isin(["elementary", "middle", "high", "6-12", "other"]), **CAMPUS_ABOUT),
        "content_area": Column(str, **CONTENT_AREA_ABOUT),
        "group": Column(str, **about(
            "Group of schools compared: Alliance; LAUSD non-charter schools of the same campus type; the LAUSD non-charter schools nearest each Alliance school", "category")),
        "schools": Column(float, Check.gt(0), **about("Schools in the group with classes counted", "schools")),
        **_CLASS_SUMS,
        **_CLASS_MEANS,
        **PROVENANCE,
    },
    unique=["school_year", "rule", "campus", "content_area", "group"],
    checks=[Check(_paradox_holds, error="student-weighted mean below the class-weighted mean"),
            Check(_over_40_within_over_32, error="classes over 40 must be within classes over 32, within all classes")],
    strict=True, ordered=True, coerce=True, name="class_size_comparison",
    description="Class sizes of Alliance schools against LAUSD non-charter schools of the same campus type, summed from classes",
)

CLASS_SIZE_BY_DISTRICT = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "rule": Column(str, **RULE_ABOUT),
        "district_code": Column(str, Check.str_matches(r"^\d{7}$"), **about("County-district code (7 digits)", "code")),
        "content_area": Column(str, **CONTENT_AREA_ABOUT),
        **_CLASS_SUMS,
        **_CLASS_MEANS,
        **PROVENANCE,
    },
    unique=["school_year", "rule", "district_code", "content_area"],
    checks=[Check(_paradox_holds, error="student-weighted mean below the class-weighted mean")],
    strict=True, ordered=True, coerce=True, name="class_size_by_district",
    description="Class sizes per district, content area and school year, summed from CDE's class-level files",
)

CLASS_COURSE_CODES_UNKNOWN = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "file": Column(str, Check.isin(["ClassEnrollment", "CoursesTaught"]), **about(
            "Which class-level file the course code appears in", "category")),
        "course_code": Column(str, **about("A course code the code tables do not list", "code")),
        "records": Column(float, Check.gt(0), **about("Records in the file with that course code", "records")),
        "code_tables": Column(str, **about("The code tables that were searched", "text")),
        **PROVENANCE,
    },
    unique=["school_year", "file", "course_code"],
    strict=True, ordered=True, coerce=True, name="class_course_codes_unknown",
    description="Course codes in the class-level files that CDE's code tables do not list, with how many records carry each",
)

SARC_CLASS_SIZE = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "level": Column(str, Check.isin(["elementary", "secondary"]), **about(
            "elementary (by grade) or secondary (by core subject)", "category")),
        "cds": Column(str, [CDS, Check.str_startswith(LAUSD.district_code)], **CDS_ABOUT),
        "school": Column(str, **about("School name", "text")),
        "grade_or_subject": Column(str, **about("Grade (elementary) or core subject (secondary)", "category")),
        "average_class_size": Column(float, Check.in_range(0, 200), nullable=True, **about(
            "Average class size as CDE computed it for the SARC (classes of 50+ left out)", "students per class")),
        "classrooms_band_1": Column(float, Check.ge(0), nullable=True, **about(
            "Classrooms in the smallest size band (see bands)", "classrooms")),
        "classrooms_band_2": Column(float, Check.ge(0), nullable=True, **about(
            "Classrooms in the middle size band (see bands)", "classrooms")),
        "classrooms_band_3": Column(float, Check.ge(0), nullable=True, **about(
            "Classrooms in the largest size band (see bands)", "classrooms")),
        "bands": Column(str, **about("The three size bands' limits as published for that level and year", "text")),
        **PROVENANCE,
    },
    unique=["school_year", "level", "cds", "grade_or_subject"],
    strict=True, ordered=True, coerce=True, name="sarc_class_size",
    description="CDE's School Accountability Report Card average class sizes and classrooms per size band, LAUSD-authorized schools",
)


def _rises_along_steps(df) -> bool:
    """Within one schedule and column, a higher step never pays less (the parsers check this too)."""
    cells = df[(df["kind"] == "cell") & df["column_index"].notna()]
    ordered = cells.sort_values("step").groupby(["employer", "school_year", "schedule", "calendar_basis", "column_index"])["annual_salary"]
    return bool((ordered.diff().dropna() >= 0).all())


SALARY_SCHEDULES = DataFrameSchema(
    {
        "employer": Column(str, **about(
            "Employer whose schedule this is (Los Angeles Unified, Alliance, ...)", "text")),
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "schedule": Column(str, **about(
            "Which schedule or pay term (e.g. LAUSD table T, a degree differential)", "text")),
        "calendar_basis": Column(str, Check.isin(["", "A", "B", "C", "E"]), **about(
            "LAUSD calendar basis of the table (A, B, C or E; empty for other employers)", "category")),
        "kind": Column(str, Check.isin(["cell", "add-on"]), **about(
            "cell: a salary at a step and column; add-on: a differential paid on top", "category")),
        "step": Column("Int64", Check.in_range(1, 40), nullable=True, **about(
            "Step (years of service), for a cell", "step")),
        "column_index": Column("Int64", Check.ge(1), nullable=True, **about(
            "Column number on the schedule, counting from 1, where known", "column number")),
        "column_label": Column(str, **about("Column heading as printed", "text")),
        "column_requirement": Column(str, **about("What the column requires (degree, units beyond the BA)", "text")),
        "annual_salary": Column(float, Check.in_range(100, 300_000), **about(
            "Annual salary (or annual add-on) as published, nominal", "USD per year (nominal)")),
        "contract_days": Column(float, Check.in_range(150, 260), nullable=True, **about(
            "Contract days the document states", "days")),
        "per_day": Column(float, Check.in_range(1, 2_000), nullable=True, **about(
            "annual_salary / contract_days, nominal", "USD per day (nominal)")),
        "annual_salary_constant": Column(float, nullable=True, **about(
            "annual_salary in 2019-20 dollars (LA-area CPI-U)", "USD per year (2019-20 dollars)")),
        "confidence": Column(str, Check.str_length(min_value=3), **CONFIDENCE_ABOUT),
        **GRADES,
        **PROVENANCE,
    },
    checks=[Check(_rises_along_steps, error="a schedule column pays less at a higher step"),
            Check(lambda df: (df.loc[df["kind"] == "cell", "annual_salary"] >= 10_000).all(), error="a schedule cell below $10,000")],
    strict=True, ordered=True, coerce=True, name="salary_schedules",
    description="Teacher salary schedule cells and pay add-ons by employer and school year, nominal and in 2019-20 dollars",
)

def _one_county_name_per_code(df) -> bool:
    """A county's two-digit code (the start of every district's CDS code) always carries the same county name."""
    return bool((df.groupby([df["school_year"], df["cds"].str[:2]])["county"].nunique() == 1).all())


_SCHEDULE_RANGE = {  # J-90: a district's salary schedule, from its lowest to its highest cell
    "lowest_column_heading": Column(str, **about(
        "Heading of the schedule column with the lowest salary, as the district reported it", "text")),
    "highest_step": Column(float, nullable=True, **about(
        "Step (years of service) of the highest salary on the schedule", "step")),
    "highest_column": Column(float, nullable=True, **about(
        "Column number of the highest salary on the schedule", "column number")),
    "min_salary": Column(float, Check.in_range(20_000, 200_000), **about(
        "Lowest annual salary on the district's teacher salary schedule (J-90), nominal", "USD per year (nominal)")),
    "max_salary": Column(float, Check.in_range(20_000, 250_000), **about(
        "Highest annual salary on the schedule (J-90), nominal", "USD per year (nominal)")),
    "ma_stipend": Column(float, nullable=True, **about(
        "Annual stipend for a master's degree, where the district reported one", "USD per year (nominal)")),
    "doctorate_stipend": Column(float, nullable=True, **about(
        "Annual stipend for a doctorate, where the district reported one", "USD per year (nominal)")),
    **PROVENANCE,
}
_MAX_NOT_BELOW_MIN = Check(lambda df: (df["max_salary"] >= df["min_salary"]).all(), error="maximum below minimum")

CALIFORNIA_DISTRICT_SALARIES = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "cds": Column(str, Check.str_matches(r"^\d{7}$"), **about("County-district code (7 digits)", "code")),
        "district": Column(str, **about("District name as filed", "text")),
        "county": Column(str, Check.str_length(min_value=3), **about(
            "County, from the CDS code's first two digits", "text")),
        "teacher_fte": Column(float, Check.ge(0), nullable=True, **about(
            "Full-time-equivalent teachers the district reported", "FTE")),
        "days": Column(float, Check.in_range(140, 220), nullable=True, **about(
            "Days in the teacher work year", "days")),
        **_SCHEDULE_RANGE,
    },
    unique=["school_year", "cds"],
    checks=[_MAX_NOT_BELOW_MIN,
            Check(lambda df: df.groupby("school_year").size().between(700, 1_000).all(),
                  error="about 800 districts file J-90 each year"),
            Check(_one_county_name_per_code, error="one county name per county code (the CDS code's first two digits)")],
    strict=True, ordered=True, coerce=True, name="california_district_salaries",
    description="Every California district's teacher salary schedule range, stipends, days and FTE from the J-90 survey",
)

LA_COUNTY_SALARIES = DataFrameSchema(
    {
        "school_year": Column(str, SCHOOL_YEAR, **YEAR_ABOUT),
        "cds": Column(str, Check.str_matches(r"^19\d{5}$"), **about(
            "County-district code (7 digits, Los Angeles County: 19...)", "code")),
        "district": Column(str, **about("District name as filed", "text")),
        "teacher_fte": Column(float, Check.ge(0), nullable=True, **about(
            "Full-time-equivalent teachers the district reported", "FTE")),
        "days": Column(float, Check.in_range(150, 220), nullable=True, **about(
            "Days in the teacher work year", "days")),
        **_SCHEDULE_RANGE,
    },
    unique=["school_year", "cds"],
    checks=[_MAX_NOT_BELOW_MIN,
            Check(lambda df: df.groupby("school_year").size().between(50, 90).all(), error="Los Angeles County has about 80 districts")],
    strict=True, ordered=True, coerce=True, name="la_county_salaries",
    description="The Los Angeles County districts of california_district_salaries (the view the pay claims read)",
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
