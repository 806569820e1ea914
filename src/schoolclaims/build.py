"""Build data/processed from the archived raw files: verify -> extract -> transform -> validate -> write.

Deterministic: the same raw bytes give byte-identical CSVs (sorted rows, fixed rounding, no timestamps).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

import pandas as pd

from . import paths
from .archive import Archive, MissingRawFile, Resource
from .schemas import SCHEMAS, validate
from .sources import (alliance_salary, bea_regional, bls_cpi, cde_census_enrollment, cde_class_level, cde_current_expense,
                      cde_directory, cde_frpm, cde_j90, census_f33, lausd_salary, ledgers, pay_transcription)
from .transform import class_size, economy, funding, pay, rankings, schools, with_provenance

SOURCES = ["cde_current_expense", "census_f33", "bea_sagdp1", "bea_sainc1", "bls_cpi", "ledgers",
           "cde_directory", "cde_frpm", "alliance_network", *cde_j90.FILES]
# Read when archived (live-only files); the tables that need them say so when they are absent.
OPTIONAL_SOURCES = [cde_census_enrollment.SOURCE_ID, *cde_class_level.FILES, cde_class_level.CODES_SOURCE_ID,
                    lausd_salary.SOURCE_ID, alliance_salary.SOURCE_ID, pay_transcription.SOURCE_ID]
SCHEDULE_READERS = {  # source -> (reader, confidence label carried into the salary table)
    lausd_salary.SOURCE_ID: (lausd_salary.extract, "official file (parsed PDF, self-checked)"),
    alliance_salary.SOURCE_ID: (alliance_salary.extract, "employer's document (Internet Archive capture, parsed, self-checked)"),
}
CLASS_SIZE_RULES = {  # rule name -> leave out classes of 50 or more?
    "CALPADS: zero-enrollment and independent-study classes left out": False,
    "SARC: as CALPADS, and classes of 50 or more left out": True,
}


def required_resources(archive: Archive) -> list[Resource]:
    resources = [r for sid in SOURCES + OPTIONAL_SOURCES for r in archive.for_source(sid)]
    missing_sources = [sid for sid in SOURCES if not archive.for_source(sid)]
    if missing_sources:
        raise MissingRawFile(f"the manifest lists no files for {missing_sources}: run `schoolclaims fetch`")
    return resources


def check_available(archive: Archive, mirrors=None) -> list[str]:
    """The raw files the build cannot reach (empty when it can build)."""
    problems = []
    for resource in required_resources(archive):
        try:
            archive.locate(resource, mirrors)
        except MissingRawFile as exc:
            problems.append(str(exc))
    return problems


def _extract_all(archive: Archive, mirrors, log) -> dict[str, pd.DataFrame]:
    frames: dict[str, list[pd.DataFrame]] = {k: [] for k in ["cde", "f33_states", "f33_ranks", "f33_systems", "ledger",
                                                             "enrollment", "pay_ledger", "schedules"]}
    school_files: dict = {"classes": {}, "courses": {}}
    bea: dict[str, tuple[pd.DataFrame, str]] = {}
    cpi = None
    for resource in required_resources(archive):
        path = archive.locate(resource, mirrors)
        log(f"read {resource.path} (sha256 {resource.sha256[:12]}… verified)")
        sid, sha = resource.source_id, resource.sha256
        if sid == cde_current_expense.SOURCE_ID:
            data = cde_current_expense.extract(path, resource.vintage)
            # locators name the sheet and row; file_sha256 names the file (see `schoolclaims trace`)
            locator = "sheet '" + data["sheet"] + "' row " + data["row"].astype(str)
            locator = locator.where(~data["statewide_derived"], "sum of the LEA rows (no published total)")
            frames["cde"].append(with_provenance(data, sid, sha, locator))
        elif sid == census_f33.SOURCE_ID:
            fiscal_year = int(resource.vintage.removeprefix("FY"))
            for key, reader in [("f33_states", census_f33.state_per_pupil), ("f33_ranks", census_f33.state_ranks),
                                ("f33_systems", census_f33.largest_systems)]:
                data = reader(path, fiscal_year)
                locator = "sheet '" + data["sheet"] + "' row " + data["row"].astype(str)
                frames[key].append(with_provenance(data, sid, sha, locator))
        elif sid in bea_regional.TABLES:
            newer = bea.get(sid)
            if newer is None or resource.retrieved_at > newer[2]:
                bea[sid] = (bea_regional.extract(path, sid), sha, resource.retrieved_at)
        elif sid == bls_cpi.SOURCE_ID:
            data = bls_cpi.extract(path)
            cpi = with_provenance(data, sid, sha, "line " + data["line"].astype(str))
        elif sid == ledgers.SOURCE_ID:
            data = ledgers.extract(path)
            name = resource.path.rsplit("/", 1)[-1]
            data.insert(0, "ledger", name.removesuffix(".csv"))
            frames["ledger"].append(with_provenance(data, f"ledgers/{name}", sha, "line " + data["line"].astype(str)))
            if name in ledgers.PAY:
                frames["pay_ledger"].append(with_provenance(ledgers.extract_pay(path).assign(ledger=name.removesuffix(".csv")),
                                                            f"ledgers/{name}", sha, ""))
        elif sid in SCHEDULE_READERS:
            reader, confidence = SCHEDULE_READERS[sid]
            cells = reader(path, resource.vintage).assign(source_id=sid, file_sha256=sha)
            frames["schedules"].append(pay.from_cells(cells, confidence))
        elif sid == pay_transcription.SOURCE_ID:
            cells = pay_transcription.extract(path).assign(source_id=sid, file_sha256=sha)
            frames["schedules"].append(pay.from_cells(cells, "hand transcription (" + resource.origin_detail + ")"))
        elif sid in cde_j90.FILES:
            reader = cde_j90.district_summary if sid == "cde_j90_tsal1" else cde_j90.column_headings
            school_files.setdefault("j90", {})[sid] = (reader(path, resource.vintage), sha)
        elif sid == cde_directory.SOURCE_ID:
            school_files["directory"] = cde_directory.extract(path).assign(source_id=sid, file_sha256=sha)
        elif sid == "alliance_network":
            school_files["reviewed"] = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif sid in (cde_frpm.SOURCE_ID, cde_census_enrollment.SOURCE_ID):
            frames["enrollment"].append(_enrollment(sid, path, resource))
        elif sid in cde_class_level.FILES:
            reader = cde_class_level.class_enrollment if sid == "cde_class_enrollment" else cde_class_level.courses_taught
            key = "classes" if sid == "cde_class_enrollment" else "courses"
            school_files[key][resource.vintage] = (reader(path), sha)
        elif sid == cde_class_level.CODES_SOURCE_ID:
            school_files["codes"] = (cde_class_level.assignment_codes(path), sha)
    out = {key: pd.concat(parts, ignore_index=True) if parts else pd.DataFrame() for key, parts in frames.items()}
    out["schools"] = school_files
    out["bea"] = bea
    out["cpi"] = cpi
    return out


def _enrollment(sid: str, path: Path, resource: Resource) -> pd.DataFrame:
    """Census Day school enrollment in one shape, from an FRPM file or a Census Day enrollment file."""
    if sid == cde_frpm.SOURCE_ID:
        data = cde_frpm.extract(path, resource.vintage)
        unit = "sheet row" if resource.path.endswith((".xls", ".xlsx")) else "data row"
        data = data.assign(locator=f"{unit} " + data["row"].astype(str))
    else:
        data = cde_census_enrollment.extract(path, resource.vintage).rename(columns={"enrollment": "enrollment_k12"})
        data = data.assign(low_grade="", high_grade="", locator="line " + data["row"].astype(str))
        data = data[data["enrollment_k12"].notna()]
    return data.assign(source_id=sid, file_sha256=resource.sha256)[
        ["school_year", "cds", "school", "charter", "low_grade", "high_grade", "enrollment_k12", "source_id", "file_sha256", "locator"]]


def _school_tables(files: dict, ledger: pd.DataFrame, enrollment: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """alliance_schools, alliance_network_size, and the class-size tables (by school, compared, by district)."""
    directory = files["directory"]
    members = schools.check_members(files["reviewed"], directory)
    # FRPM first: where a Census Day file covers the same school and year, the FRPM row is kept
    enrollment = enrollment.sort_values("source_id", key=lambda s: s != cde_frpm.SOURCE_ID, kind="stable")
    enrollment = enrollment.drop_duplicates(["school_year", "cds"])
    years = sorted(enrollment["school_year"].unique())
    first, last = int(years[0][:4]), int(years[-1][:4])
    every_year = [f"{y}-{(y + 1) % 100:02d}" for y in range(first, last + 1)]
    alliance = schools.alliance_schools(members, directory, enrollment, schools.later_closures(ledger), every_year)
    size = schools.network_size(alliance)

    by_school, compared, by_district = [], [], []
    codes = files.get("codes")
    for school_year in sorted(set(files["classes"]) & set(files["courses"])):
        if codes is None:
            break
        (classes, ce_sha), (courses, ct_sha) = files["classes"][school_year], files["courses"][school_year]
        code = school_year[2:4] + school_year[5:7]  # the files' AcademicYear: '1415' for 2014-15
        for frame, what in ((classes, "ClassEnrollment"), (courses, "CoursesTaught")):
            if len(frame) and set(frame["academic_year"]) != {code}:
                raise ValueError(f"the {what} file archived as {school_year} holds AcademicYear {sorted(set(frame['academic_year']))}")
        classified = class_size.classify_classes(classes, courses, codes[0])
        # campus type from that year's grades (FRPM), else the directory's grade span
        info = class_size.school_info(directory, enrollment[enrollment["school_year"] == school_year])
        provenance = dict(source_id="cde_class_enrollment+cde_courses_taught+cde_assignment_codes",
                          file_sha256=f"{ce_sha}+{ct_sha}+{codes[1]}")
        for rule, leave_out_50 in CLASS_SIZE_RULES.items():
            sums = class_size.school_sums(classified, leave_out_50)
            sums["school_year"] = school_year
            lausd = sums[sums["cds"].str.startswith(schools.LAUSD_DISTRICT)]
            by_school.append(class_size.means(lausd).assign(rule=rule, **provenance,
                             locator="classes of this school and content area (ClassID), summed"))
            districts = sums.assign(district_code=sums["cds"].str[:7]).groupby("district_code")[class_size.SUMS].sum()
            by_district.append(class_size.means(districts.reset_index()).assign(
                school_year=school_year, rule=rule, content_area="all", **provenance, locator="sum over the district's schools"))
            compared.append(class_size.comparison(sums, info, set(members["cds"])).assign(
                school_year=school_year, rule=rule, **provenance, locator="sum over the group's schools"))
    return {
        "alliance_schools": alliance,
        "alliance_network_size": size,
        "class_size_by_school": _class_table(by_school, "class_size_by_school"),
        "class_size_comparison": _class_table(compared, "class_size_comparison"),
        "class_size_by_district": _class_table(by_district, "class_size_by_district"),
    }


def _class_table(parts: list[pd.DataFrame], name: str) -> pd.DataFrame:
    """A class-size table in its schema's column order, or its header alone when no class-level files are archived."""
    columns = SCHEMAS[name].columns
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=str if str(spec.dtype).startswith("str") else "float64")
                             for c, spec in columns.items()})
    return pd.concat(parts, ignore_index=True)[list(columns)].sort_values(list(columns)[:5]).reset_index(drop=True)


def _salary_schedules(raw: dict, price_index: pd.DataFrame) -> pd.DataFrame:
    """Parsed and transcribed schedules, ledger cells and add-ons, in one long table."""
    pay_ledger = raw["pay_ledger"]
    cells = pay.from_ledger(pay_ledger[pay_ledger["ledger"] == "lausd_salary_points"])
    add_ons = pay.add_ons(pay_ledger[pay_ledger["ledger"] == "lausd_pay_terms"])
    return pay.salary_table([raw["schedules"], cells, add_ons], price_index)


def _la_county_salaries(j90: dict) -> pd.DataFrame:
    """J-90 schedule summaries of the Los Angeles County districts, with the heading of the lowest column
    (where the minimum sits: for LAUSD a non-credentialed column, its L table)."""
    (summary, sha1), (headings, sha2) = j90["cde_j90_tsal1"], j90["cde_j90_tsal2"]
    la = summary[summary["county"] == "Los Angeles"].copy()
    heads = headings.set_index(["cds", "column"])
    la["lowest_column_heading"] = [heads["heading"].get((c, 1), "") for c in la["cds"]]
    lines = headings.groupby("cds")["line"].agg(["min", "max"])
    la["locator"] = ["TSAL1 line " + str(line) + (f"; TSAL2 lines {lines.at[c, 'min']}-{lines.at[c, 'max']}" if c in lines.index else "")
                     for c, line in zip(la["cds"], la["line"])]
    la = la.assign(source_id="cde_j90_tsal1+cde_j90_tsal2", file_sha256=f"{sha1}+{sha2}")
    return la[["school_year", "cds", "district", "teacher_fte", "days", "lowest_column_heading",
               "highest_step", "highest_column", "min_salary", "max_salary", "ma_stipend", "doctorate_stipend",
               "source_id", "file_sha256", "locator"]].sort_values("cds").reset_index(drop=True)


def _price_index(cpi: pd.DataFrame) -> pd.DataFrame:
    averages = bls_cpi.school_year_average(cpi)
    lines = cpi.assign(start=cpi["year"].where(cpi["month"] >= 7, cpi["year"] - 1))
    spans = lines.groupby(["series_id", "start"])["line"].agg(["min", "max"]).reset_index()
    spans["school_year"] = spans["start"].map(lambda y: f"{y}-{(y + 1) % 100:02d}")
    averages = averages.merge(spans[["series_id", "school_year", "min", "max"]], on=["series_id", "school_year"])
    sha = cpi["file_sha256"].iloc[0]
    table = pd.DataFrame({
        "series_id": averages["series_id"], "series_title": averages["series_id"].map(bls_cpi.SERIES),
        "school_year": averages["school_year"], "index": averages["index"].round(4),
        "months": averages["months"].astype(int), "source_id": bls_cpi.SOURCE_ID, "file_sha256": sha,
        "locator": "lines " + averages["min"].astype(str) + "-" + averages["max"].astype(str) + " (mean of July-June)",
    })
    return table.sort_values(["series_id", "school_year"]).reset_index(drop=True)


def transform(raw: dict) -> dict[str, pd.DataFrame]:
    cde = raw["cde"]
    cde_table = cde.assign(
        edp365=cde["edp365"].round(2), per_ada=cde["per_ada"].round(2),  # ADA stays as published
        lea_type=cde["lea_type"].fillna(""),
    )[["school_year", "level", "cds", "lea_name", "lea_type", "edp365", "ada", "per_ada",
       "source_id", "file_sha256", "locator"]].sort_values(["school_year", "level", "cds", "locator"]).reset_index(drop=True)

    price_index = _price_index(raw["cpi"])
    ledger = raw["ledger"]
    by_ledger = {name: group for name, group in ledger.groupby("ledger")}
    per_pupil = funding.per_pupil_table([
        funding.from_current_expense(cde),
        funding.from_f33(raw["f33_systems"], raw["f33_states"]),
        funding.from_ledgers(by_ledger["funding_per_ada_secondary"], by_ledger["current_expense_recent_secondhand"],
                             by_ledger["funding_state_ranks"]),
    ], price_index)

    ranking_table = rankings.rankings_table([rankings.from_f33(raw["f33_ranks"]),
                                             rankings.from_ledger(by_ledger["funding_state_ranks"])])
    (sagdp, sagdp_sha, _), (sainc, sainc_sha, _) = raw["bea"]["bea_sagdp1"], raw["bea"]["bea_sainc1"]
    economy_table = economy.state_economy(sagdp, sainc, sagdp_sha, sainc_sha)
    systems = raw["f33_systems"].drop(columns=["sheet", "row"])
    systems["per_pupil_current_spending"] = systems["per_pupil_current_spending"].round(2)
    systems = systems.sort_values(["fiscal_year", "enrollment_rank"]).reset_index(drop=True)
    ledger_table = ledger.drop(columns=["line"]).sort_values(["ledger", "locator"], key=_natural).reset_index(drop=True)
    return {
        "cde_current_expense": cde_table,
        "per_pupil_funding": per_pupil,
        "state_rankings": ranking_table,
        "state_economy": economy_table,
        "largest_school_systems": systems,
        "price_index": price_index,
        "ledger_figures": ledger_table,
        **_school_tables(raw["schools"], ledger, raw["enrollment"]),
        "salary_schedules": _salary_schedules(raw, price_index),
        "la_county_salaries": _la_county_salaries(raw["schools"]["j90"]),
    }


def _natural(column: pd.Series) -> pd.Series:
    """Sort 'file line 10' after 'file line 9'."""
    if column.name != "locator":
        return column
    return column.str.replace(r"(\d+)$", lambda m: m.group(1).zfill(6), regex=True)


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        validate(name, frame)
    for name, frame in tables.items():  # only after every table passed
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=out_dir)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            frame.to_csv(handle, index=False, lineterminator="\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, out_dir / f"{name}.csv")


def build(out_dir: Path | None = None, archive: Archive | None = None, mirrors=None,
          log: Callable[[str], None] = print) -> dict[str, pd.DataFrame]:
    archive = archive or Archive()
    tables = transform(_extract_all(archive, mirrors, log))
    write_tables(tables, Path(out_dir or paths.PROCESSED))
    for name, frame in tables.items():
        log(f"wrote data/processed/{name}.csv ({len(frame)} rows, validated)")
    return tables
