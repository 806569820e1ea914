"""Pupils per teacher in California's charter schools, 2015-16 (NCES CCD via a third party's file): a staffing
ratio shown beside class size, never as class size.

Students per FTE teacher is enrollment divided by full-time-equivalent teachers. It counts every teacher (specialists
and teachers without a class of their own too), so it runs below the average class. A school whose ratio falls outside
PLAUSIBLE reports only part of its teachers or of its students (three Alliance middle schools in their first years
report 6 to 11 FTE for 293 to 419 students); such a school is flagged, shown, and left out of every sum.
"""

from __future__ import annotations

import pandas as pd

from ..entities import LAUSD_NCES_ID

PLAUSIBLE = (10.0, 35.0)  # pupils per FTE teacher a school's own report can plausibly give
SCHOOL_YEAR = "2015-16"
COLUMNS = ["school_year", "ncessch", "cds", "school", "network", "cmo_name", "level", "nces_district",
           "in_lausd_boundaries", "students", "teacher_fte", "pupils_per_teacher", "plausible", "flag",
           "source_id", "file_sha256", "locator"]


def flag(students: float, fte: float) -> str:
    """'' for a plausible ratio, else why the school is left out of sums."""
    if pd.isna(students) or pd.isna(fte) or fte <= 0:
        return "students or FTE teachers not reported"
    ratio = students / fte
    low, high = PLAUSIBLE
    if not low <= ratio <= high:
        return f"{ratio:.1f} pupils per FTE teacher, outside the {low:.0f}-{high:.0f} band: FTE or enrollment under-reported"
    return ""


def charter_staffing(ccd: pd.DataFrame, directory: pd.DataFrame, network_schools: pd.DataFrame) -> pd.DataFrame:
    """California's charters in the CCD file, matched to the CDE directory by NCES id (CDS code, name) and to the
    networks the project defines (network_schools of 2015-16); the file's own CMO name is kept beside."""
    if ccd.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = ccd[ccd["state"] == "CA"].copy()
    ids = directory.assign(ncessch=directory["nces_district"].str.zfill(7) + directory["nces_school"].str.zfill(5))
    ids = ids[ids["nces_school"].str.fullmatch(r"\d+")].drop_duplicates("ncessch")
    rows = rows.merge(ids[["ncessch", "cds", "school", "file_sha256", "locator"]], on="ncessch", how="left",
                      suffixes=("", "_directory"))
    members = network_schools[network_schools["school_year"] == SCHOOL_YEAR].drop_duplicates("cds").set_index("cds")["network"]
    rows["network"] = rows["cds"].map(members).fillna("")
    matched = rows["cds"].notna()
    rows["cds"] = rows["cds"].fillna("")
    rows["school"] = rows["school"].fillna("")
    rows["school_year"] = SCHOOL_YEAR
    rows["in_lausd_boundaries"] = rows["nces_district"] == LAUSD_NCES_ID
    rows["pupils_per_teacher"] = (rows["students"] / rows["teacher_fte"].where(rows["teacher_fte"] > 0)).round(2)
    rows["flag"] = [flag(s, t) for s, t in zip(rows["students"], rows["teacher_fte"])]
    rows["plausible"] = rows["flag"] == ""
    rows["source_id"] = rows["source_id"].where(~matched, rows["source_id"] + "+cde_directory")
    rows["file_sha256"] = rows["file_sha256"].where(~matched, rows["file_sha256"] + "+" + rows["file_sha256_directory"].fillna(""))
    rows["locator"] = rows["locator"].where(~matched, rows["locator"] + "; directory " + rows["locator_directory"].fillna(""))
    return rows[COLUMNS].sort_values(["ncessch"]).reset_index(drop=True)


NO_NETWORK = "no management organization (the file's 'None')"


def network_ratios(staffing: pd.DataFrame) -> pd.DataFrame:
    """Pupils per teacher by network (the project's networks, else the file's CMO name), plausible schools only:
    students summed ÷ FTE summed; how many schools were left out and why is on every row."""
    cmo = staffing["cmo_name"].where(~staffing["cmo_name"].isin(["", "None"]), NO_NETWORK)
    rows = staffing.assign(group=staffing["network"].where(staffing["network"] != "", cmo))
    out = []
    for (group, lausd), part in rows.groupby(["group", "in_lausd_boundaries"]):
        kept = part[part["plausible"]]
        out.append({"network": group, "in_lausd_boundaries": lausd, "schools": len(part), "schools_summed": len(kept),
                    "students": kept["students"].sum(), "teacher_fte": round(kept["teacher_fte"].sum(), 2),
                    "pupils_per_teacher": round(kept["students"].sum() / kept["teacher_fte"].sum(), 2) if len(kept) else float("nan"),
                    "left_out": "; ".join(f"{s or n}: {f}" for s, n, f in zip(part["school"], part["ncessch"], part["flag"]) if f)})
    return pd.DataFrame(out)
