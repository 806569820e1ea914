"""Class size from CDE class-level records (ClassEnrollment with CoursesTaught), per school × content area.

Definitions (Education Code 33317.5 and the CALPADS report rules):
- a class's size is its unduplicated Census Day enrollment (the sum of its gender × ethnicity records);
- classes with zero enrollment and independent-study classes are left out; optionally, as the older
  School Accountability Report Cards did, classes of 50 or more (``exclude_50_plus``);
- the class-weighted mean is students ÷ classes (what a school reports as "average class size");
- the student-weighted mean is Σ size² ÷ Σ size: the size of the class the average student sits in.
  It is never smaller than the class-weighted mean, and larger whenever sizes vary.

Per-school rows keep sums (classes, students, Σ size², classes over 32 and over 40), so any grouping of
schools gives exact means, never an average of averages.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ..entities import LAUSD
from ..tables.schemas import SCHEMAS
from .schools import campus_type

SUMS = ["classes", "students", "sum_squares", "over_32", "over_40"]


_DATABASE: list = []


def duckdb_cursor():
    """A connection of its own (what it registers is its own) to one in-memory DuckDB database per process."""
    if not _DATABASE:
        import duckdb

        _DATABASE.append(duckdb.connect(config={"preserve_insertion_order": False}))
    return _DATABASE[0].cursor()


# A class's ClassEnrollment records and its CoursesTaught sections are grouped in one pass (a statewide year: 1.7
# million records and half a million sections, half a million classes), with two aggregates: the records' enrollment
# summed, and the bitwise OR of one number per row whose bits say what the row is. Bit a (1-30) is a section of
# content area a; bit 31 a section that is not independent study; bit 32 + a a record whose own course code is of
# area a. Content areas are numbered (0 for 'Multiple', then the code table's areas in order) and named again only
# at the end.
SECTION_AREAS, NOT_INDEPENDENT, RECORD_AREAS = 2**31 - 1, 2**31, 32
CLASSIFY_SQL = f"""
    WITH rows_ AS (
        SELECT r.cds_number, r.class_id, r.enrollment, 1::BIGINT << ({RECORD_AREAS} + coalesce(a.area, $other)) AS bits
        FROM records r LEFT JOIN area_of a ON r.course_code = a.course_code
        UNION ALL
        SELECT s.cds_number, s.class_id, NULL, (1::BIGINT << coalesce(a.area, $other))
               | CASE WHEN s.independent_study THEN 0 ELSE {NOT_INDEPENDENT} END
        FROM sections s LEFT JOIN area_of a ON s.course_code = a.course_code),
    per_class AS (
        SELECT cds_number, class_id, sum(enrollment)::BIGINT AS enrollment, bit_or(bits) AS bits
        FROM rows_ GROUP BY cds_number, class_id),
    areas AS (  -- the sections' areas, or the records' own when the class has no section
        SELECT *, CASE WHEN bits & {SECTION_AREAS} <> 0 THEN bits & {SECTION_AREAS} ELSE bits >> {RECORD_AREAS} END AS areas
        FROM per_class
        WHERE bits >> {RECORD_AREAS} <> 0)  -- sections of a class with no ClassEnrollment record are no class
    SELECT cds_number, class_id, enrollment,
           CASE WHEN bit_count(areas) = 1 THEN CAST(log2(areas) AS INTEGER) ELSE 0 END AS area,
           bits & {SECTION_AREAS} <> 0 AND bits & {NOT_INDEPENDENT} = 0 AS independent_study
    FROM areas"""


def _arrow(frame: pd.DataFrame, columns: list[str]) -> pa.Table:
    """The columns as an Arrow table, which DuckDB scans faster than a DataFrame (pandas' Arrow-backed text is not copied)."""
    return pa.Table.from_pandas(frame[columns], preserve_index=False)


def _values(frame: pd.DataFrame, column: str) -> list[str]:
    """The distinct values of a column, sorted (found without a Python loop over millions of records)."""
    return sorted(str(value) for value in pd.unique(frame[column])) if column in frame else []


def academic_year(records: pd.DataFrame) -> str:
    """The one academic year (AcademicYear, '1415') of a year's records; '' when there are none. Classes are
    classified and summed one year at a time, as each year's files are read."""
    years = _values(records, "academic_year") if len(records) else []
    if len(years) > 1:
        raise ValueError(f"records of several academic years {years}: classify and sum one year at a time")
    return years[0] if years else ""


def _register(db, records: pd.DataFrame, courses: pd.DataFrame, codes: pd.DataFrame) -> tuple[list[str], dict]:
    """Register the ClassEnrollment records, their course sections and the numbered code table on connection ``db``
    for :data:`CLASSIFY_SQL`; return the names of the area numbers and the query's parameters."""
    area_of = codes[["course_code", "content_area"]].drop_duplicates("course_code")
    names = ["Multiple", *sorted(set(area_of["content_area"]) | {"Other"})]
    if len(names) > RECORD_AREAS - 1:  # each area is a bit below NOT_INDEPENDENT (see CLASSIFY_SQL)
        raise ValueError(f"{len(names) - 1} content areas; at most {RECORD_AREAS - 2} can be told apart")
    numbered = pa.table({"course_code": pa.array(area_of["course_code"], pa.string()),
                         "area": pa.array(area_of["content_area"].map(names.index), pa.int32())})
    db.register("records", _arrow(records, ["cds_number", "class_id", "course_code", "enrollment"]))
    db.register("sections", _arrow(courses, ["cds_number", "class_id", "course_code", "independent_study"]))
    db.register("area_of", numbered)
    return names, {"other": names.index("Other")}


def classify_classes(records: pd.DataFrame, courses: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Each class of one academic year (its ClassEnrollment records summed) with its content area and whether it is
    independent study: academic_year, cds_number, class_id, enrollment, content_area, independent_study.

    A class's content area comes from its course sections (CoursesTaught) through the code table; a class
    whose sections span several areas is 'Multiple'; one with no CoursesTaught record uses the course
    code of its ClassEnrollment records (the same on each of them; should they be of several areas, 'Multiple' too);
    a code the table does not know is 'Other'. A class is independent study when all its sections are (a section
    whose flag is blank is not, as the reader reads a blank). Sections of a class with no ClassEnrollment record are
    left out. Rows come in no particular order.
    """
    year = academic_year(records)
    with duckdb_cursor() as db:
        names, params = _register(db, records, courses, codes)
        frame = db.sql(CLASSIFY_SQL, params=params).to_arrow_table().to_pandas()
    frame["content_area"] = pd.Categorical.from_codes(frame.pop("area"), names).astype(str)
    frame.insert(0, "academic_year", year)
    return frame


def class_sums(records: pd.DataFrame, courses: pd.DataFrame, codes: pd.DataFrame,
               exclude_50_plus: tuple[bool, ...] = (False,)) -> dict[bool, pd.DataFrame]:
    """:func:`school_sums` of :func:`classify_classes` under each rule, in one statement: the half million classes of
    a statewide year are formed, classified and summed inside DuckDB, never handed to Python in between."""
    year = academic_year(records)
    with duckdb_cursor() as db:
        names, params = _register(db, records, courses, codes)
        return _school_sums(db, CLASSIFY_SQL, names, exclude_50_plus, year, params)


def school_sums(classified: pd.DataFrame, exclude_50_plus: bool = False) -> pd.DataFrame:
    """Of one academic year's classes, as :func:`classify_classes` gives them: per school × content area, the sums the
    means are made from, plus exclusions counted."""
    names = ["Multiple", *sorted(set(classified["content_area"]) - {"Multiple"})]
    table = pa.Table.from_pandas(classified.assign(area=classified["content_area"].map(names.index).astype("int32")),
                                 preserve_index=False)
    with duckdb_cursor() as db:
        db.register("classified_", table)
        return _school_sums(db, "SELECT * FROM classified_", names, (exclude_50_plus,),
                            academic_year(classified))[exclude_50_plus]


SUM_COLUMNS = [*SUMS, "classes_excluded"]  # per rule, as _school_sums writes them
# A class's size band: 0 left out under every rule (no students, an unknown or negative size, or independent study),
# then 1-32, 33-40, 41-49 and 50 or more. Classes are counted and summed per school x area x band in one plain pass;
# each rule's sums are then sums over bands (a handful of rows per school), which costs less than conditional sums
# over every class.
SIZE_BAND_SQL = """CASE WHEN enrollment IS NULL OR enrollment <= 0 OR independent_study THEN 0 WHEN enrollment <= 32 THEN 1
                        WHEN enrollment <= 40 THEN 2 WHEN enrollment < 50 THEN 3 ELSE 4 END"""
OVER_32, OVER_40, FIFTY_PLUS = 2, 3, 4  # the first band of classes over 32, over 40, of 50 or more


def _school_sums(db, classified: str, names: list[str], rules: tuple[bool, ...], year: str, params: dict | None = None
                 ) -> dict[bool, pd.DataFrame]:
    """For each rule (leave out classes of 50 or more?), per school × content area with a class kept: classes,
    students, Σ size², classes over 32 and over 40, and classes left out, of academic year ``year``. All rules in one
    pass over the classes that the query ``classified`` gives (cds_number, area, enrollment, independent_study)."""
    columns = []
    for i, leave_out_50 in enumerate(rules):
        top = FIFTY_PLUS - 1 if leave_out_50 else FIFTY_PLUS  # the largest band kept
        kept = f"band BETWEEN 1 AND {top}"
        columns += [f"coalesce(sum(classes) FILTER ({kept}), 0)::BIGINT AS classes_{i}",
                    f"coalesce(sum(students) FILTER ({kept}), 0)::BIGINT AS students_{i}",
                    f"coalesce(sum(sum_squares) FILTER ({kept}), 0)::BIGINT AS sum_squares_{i}",
                    f"coalesce(sum(classes) FILTER (band BETWEEN {OVER_32} AND {top}), 0)::BIGINT AS over_32_{i}",
                    f"coalesce(sum(classes) FILTER (band BETWEEN {OVER_40} AND {top}), 0)::BIGINT AS over_40_{i}",
                    f"coalesce(sum(classes) FILTER (NOT ({kept})), 0)::BIGINT AS classes_excluded_{i}"]
    db.register("area_names", pa.table({"area": pa.array(range(len(names)), pa.int32()), "content_area": names}))
    frame = db.sql(f"""
        WITH classified AS ({classified}), banded AS (
            SELECT cds_number, area, {SIZE_BAND_SQL} AS band, count(*) AS classes, sum(enrollment)::BIGINT AS students,
                   sum(enrollment::BIGINT * enrollment)::BIGINT AS sum_squares
            FROM classified GROUP BY ALL),
        sums AS (SELECT cds_number, area, {", ".join(columns)} FROM banded GROUP BY ALL)
        SELECT lpad(sums.cds_number::VARCHAR, 14, '0') AS cds, n.content_area, sums.* EXCLUDE (cds_number, area)
        FROM sums JOIN area_names n USING (area)
        ORDER BY sums.cds_number, n.content_area""", params=params).to_arrow_table().to_pandas()
    frame.insert(0, "academic_year", year)
    out = {}
    for i, leave_out_50 in enumerate(rules):
        rule = frame[frame[f"classes_{i}"] > 0]
        out[leave_out_50] = rule[["academic_year", "cds", "content_area", *(f"{c}_{i}" for c in SUM_COLUMNS)]].set_axis(
            ["academic_year", "cds", "content_area", *SUM_COLUMNS], axis=1).reset_index(drop=True)
    return out


def means(sums: pd.DataFrame) -> pd.DataFrame:
    """Add the class-weighted and student-weighted means and the shares over 32 and 40 to summed rows."""
    out = sums.copy()
    out["class_weighted_mean"] = (out["students"] / out["classes"]).round(2)
    out["student_weighted_mean"] = (out["sum_squares"] / out["students"]).round(2)
    out["share_over_32"] = (out["over_32"] / out["classes"]).round(4)
    out["share_over_40"] = (out["over_40"] / out["classes"]).round(4)
    return out


def _haversine_km(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(a))


def nearest(alliance: pd.DataFrame, candidates: pd.DataFrame, k: int = 3) -> pd.DataFrame:
    """For each Alliance school, the ``k`` nearest candidate schools of the same campus type (directory coordinates)."""
    pairs = []
    for row in alliance.itertuples():
        pool = candidates[(candidates["campus"] == row.campus) & candidates["latitude"].notna()]
        if pool.empty or pd.isna(row.latitude):
            continue
        distance = _haversine_km(row.latitude, row.longitude, pool["latitude"].to_numpy(), pool["longitude"].to_numpy())
        order = np.argsort(distance, kind="stable")[:k]
        for index in order:
            pairs.append({"alliance_cds": row.cds, "cds": pool["cds"].iloc[index], "distance_km": round(float(distance[index]), 2)})
    return pd.DataFrame(pairs, columns=["alliance_cds", "cds", "distance_km"])


def school_info(directory: pd.DataFrame, grades: pd.DataFrame) -> pd.DataFrame:
    """cds, school, district, charter flag, coordinates and campus type: from ``grades`` (one school year's
    low and high grade per cds, e.g. FRPM) where given, else from the directory's grade span."""
    info = directory[["cds", "school", "district", "charter", "latitude", "longitude", "grades_served"]].copy()
    span = info["grades_served"].str.split("-", n=1, expand=True).reindex(columns=[0, 1]).fillna("")
    info["campus"] = [campus_type(lo, hi) for lo, hi in zip(span[0], span[1])]
    if len(grades):
        known = grades.drop_duplicates("cds").set_index("cds")
        override = info["cds"].map(lambda c: campus_type(known.at[c, "low_grade"], known.at[c, "high_grade"]) if c in known.index else None)
        info["campus"] = override.fillna(info["campus"])
    return info


def comparison(sums: pd.DataFrame, info: pd.DataFrame, alliance_cds: set[str], district: str = LAUSD.district_code,
               k_nearest: int = 3) -> pd.DataFrame:
    """Alliance schools vs LAUSD non-charter schools of the same campus type, and vs each Alliance school's
    ``k_nearest`` LAUSD non-charter neighbours of that type; per year × campus type × content area."""
    data = sums.merge(info[["cds", "campus", "charter"]], on="cds", how="left")
    data["campus"] = data["campus"].fillna("other")
    lausd = info[info["cds"].str.startswith(district) & (info["charter"] == "N")]
    alliance = info[info["cds"].isin(alliance_cds)]
    near = nearest(alliance, lausd, k_nearest)
    groups = {
        "Alliance": data[data["cds"].isin(alliance_cds)],
        "LAUSD non-charter, same campus type": data[data["cds"].isin(set(lausd["cds"]))],
        f"LAUSD non-charter, {k_nearest} nearest to each Alliance school": data[data["cds"].isin(set(near["cds"]))],
    }
    parts = []
    for name, rows in groups.items():
        summed = rows.groupby(["academic_year", "campus", "content_area"])[SUMS].sum()
        summed["schools"] = rows.groupby(["academic_year", "campus", "content_area"])["cds"].nunique()
        parts.append(summed.reset_index().assign(group=name))
    table = means(pd.concat(parts, ignore_index=True))
    return table.sort_values(["academic_year", "campus", "content_area", "group"]).reset_index(drop=True)


RULES = {  # rule name -> leave out classes of 50 or more?
    "CALPADS: zero-enrollment and independent-study classes left out": False,
    "SARC: as CALPADS, and classes of 50 or more left out": True,
}
PROVENANCE = dict(source_id="cde_class_enrollment+cde_courses_taught+cde_assignment_codes")


def tables(records: pd.DataFrame, courses: pd.DataFrame, codes: pd.DataFrame, directory: pd.DataFrame,
           enrollment: pd.DataFrame, alliance_cds: set[str]) -> dict[str, pd.DataFrame]:
    """class_size_by_school (LAUSD), class_size_comparison and class_size_by_district from the ClassEnrollment
    ``records`` and CoursesTaught ``courses``, for every school year whose two files are both archived (with the code
    table); header-only tables when none is."""
    by_school, compared, by_district, unknown = [], [], [], []
    years = sorted(set(_values(records, "school_year")) & set(_values(courses, "school_year"))) if len(codes) else []
    codes = current_codes(codes) if len(codes) else codes
    for school_year in years:
        year_records = records[records["school_year"] == school_year]
        year_courses = courses[courses["school_year"] == school_year]
        code = school_year[2:4] + school_year[5:7]  # the files' AcademicYear: '1415' for 2014-15
        for frame, what in ((year_records, "ClassEnrollment"), (year_courses, "CoursesTaught")):
            if len(frame) and _values(frame, "academic_year") != [code]:
                raise ValueError(f"the {what} file archived as {school_year} holds AcademicYear {_values(frame, 'academic_year')}")
        per_rule = class_sums(year_records.drop(columns=["school_year", "file_sha256"]),
                              year_courses.drop(columns=["school_year", "file_sha256"]),
                              codes.drop(columns=["file_sha256", "table_vintage"], errors="ignore"), tuple(RULES.values()))
        unknown.append(unknown_codes(year_records, year_courses, codes).assign(school_year=school_year))
        # campus type from that year's grades (FRPM), else the directory's grade span
        info = school_info(directory, enrollment[enrollment["school_year"] == school_year])
        provenance = dict(PROVENANCE, file_sha256="+".join(
            [year_records["file_sha256"].iloc[0], year_courses["file_sha256"].iloc[0], *codes["file_sha256"].unique()]))
        for rule, leave_out_50 in RULES.items():
            sums = per_rule[leave_out_50]
            sums["school_year"] = school_year
            lausd = sums[sums["cds"].str.startswith(LAUSD.district_code)]
            by_school.append(means(lausd).assign(rule=rule, **provenance,
                             locator="classes of this school and content area (ClassID), summed"))
            districts = sums.assign(district_code=sums["cds"].str[:7]).groupby("district_code")[SUMS].sum()
            by_district.append(means(districts.reset_index()).assign(
                school_year=school_year, rule=rule, content_area="all", **provenance, locator="sum over the district's schools"))
            compared.append(comparison(sums, info, alliance_cds).assign(
                school_year=school_year, rule=rule, **provenance, locator="sum over the group's schools"))
    return {
        "class_size_by_school": _in_schema_order(by_school, "class_size_by_school"),
        "class_size_comparison": _in_schema_order(compared, "class_size_comparison"),
        "class_size_by_district": _in_schema_order(by_district, "class_size_by_district"),
        "class_course_codes_unknown": _in_schema_order(unknown, "class_course_codes_unknown"),
    }


def current_codes(codes: pd.DataFrame) -> pd.DataFrame:
    """One row per course code: from the newest archived code table that lists it (tables by vintage)."""
    if "table_vintage" not in codes:
        return codes
    return codes.sort_values("table_vintage", kind="stable").drop_duplicates("course_code", keep="last").reset_index(drop=True)


def unknown_codes(records: pd.DataFrame, courses: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """The course codes of one year's files that no archived code table lists (their classes count as 'Other'):
    per file and code, how many records carry it (CoursesTaught sections; ClassEnrollment records, whose code
    is used only for a class with no CoursesTaught section)."""
    known = set(codes["course_code"])
    tables = ", ".join(f"{v} ({n} codes)" for v, n in codes.groupby("table_vintage").size().items()) if "table_vintage" in codes else ""
    parts = []
    for frame, what in ((courses, "CoursesTaught"), (records, "ClassEnrollment")):
        counts = frame.loc[~frame["course_code"].isin(known), "course_code"].value_counts().rename("records").reset_index()
        sha = frame["file_sha256"].iloc[0] if len(frame) else ""
        parts.append(counts.assign(file=what, code_tables=tables, file_sha256="+".join([sha, *codes["file_sha256"].unique()]),
                                   source_id=f"{'cde_courses_taught' if what == 'CoursesTaught' else 'cde_class_enrollment'}+cde_assignment_codes",
                                   locator=f"{what} records with this course code"))
    return pd.concat(parts, ignore_index=True)


def sarc_class_size(rows: pd.DataFrame) -> pd.DataFrame:
    """CDE's own SARC averages (school × grade or subject) for the schools under LAUSD's district code, Alliance's
    charters included; header-only when no SARC file is archived. Not recomputed here: CDE's figures as published."""
    from ..sources.cde_sarc_class_size import lausd_rows

    return _in_schema_order([lausd_rows(rows)] if len(rows) else [], "sarc_class_size")


def _in_schema_order(parts: list[pd.DataFrame], name: str) -> pd.DataFrame:
    """A class-size table in its schema's column order, or its header alone when no class-level files are archived."""
    columns = SCHEMAS[name].columns
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=str if str(spec.dtype).startswith("str") else "float64")
                             for c, spec in columns.items()})
    return pd.concat(parts, ignore_index=True)[list(columns)].sort_values(list(columns)[:5]).reset_index(drop=True)
