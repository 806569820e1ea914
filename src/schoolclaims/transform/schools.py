"""Charter networks: which schools, open in which school years, with how many students; and California's districts.

Each network's membership is a rule kept as data (transform/networks.csv, read by ``entities.networks``): Alliance's
is a reviewed list of CDS codes (data/raw/alliance_network/), checked against the CDE School Directory on every
build; the others' are a name prefix matched literally among the directory's charters. The directory is the June
2018 snapshot: a school that opened later is not known to it. A school counts as open in a school year when it was open on that year's
Census Day (the first Wednesday of October, the day enrollment is counted). Two counting rules are
reported side by side, because a claim's school count depends on them:

- ``per CDS code``: each CDS code is one school;
- ``6-12 campus as two``: a campus serving both middle (6-8) and high (9-12) grades that year counts
  as a middle school and a high school, as the network describes itself ("17 high + 9 middle").
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..entities import ALLIANCE, ALLIANCE_SCHOOL_PREFIX, DIRECTORY_VINTAGE, LA_COUNTY_CODE, LAUSD, Network, networks
from ..years import school_year_label

RULES = {"per CDS code": "each CDS code counts as one school",
         "6-12 campus as two": "a campus serving grades in both 6-8 and 9-12 that year counts as two schools"}


def census_day(start_year: int) -> str:
    """The first Wednesday of October of the school year's first calendar year (ISO date)."""
    first = date(start_year, 10, 1)
    return date(start_year, 10, 1 + (2 - first.weekday()) % 7).isoformat()


def _grade(value: str) -> int | None:
    text = str(value).strip().upper()
    if text in ("K", "KN", "TK", "P", "PK"):
        return 0
    return int(text) if text.isdigit() else None


def campus_type(low: str, high: str) -> str:
    """'elementary', 'middle', 'high', '6-12' or 'other' from the lowest and highest grade served."""
    lo, hi = _grade(low), _grade(high)
    if lo is None or hi is None:
        return "other"
    if lo >= 9:
        return "high"
    if 5 <= lo <= 8 and hi >= 9:
        return "6-12" if hi == 12 else "other"
    if 5 <= lo <= 7 and hi <= 8:
        return "middle"
    if hi <= 6:
        return "elementary"
    return "other"


def grades_from_span(span: str) -> tuple[str, str]:
    """Directory grade span text ('6-12', 'K-5', '9-12') -> (lowest, highest)."""
    parts = str(span).split("-")
    return (parts[0], parts[-1]) if len(parts) == 2 else ("", "")


def check_members(reviewed: pd.DataFrame, directory: pd.DataFrame) -> pd.DataFrame:
    """The reviewed list against the directory: every listed code exists, every member is an LAUSD-authorized
    charter named "Alliance …", and every directory school named "Alliance …" has been reviewed."""
    known = directory.set_index("cds")
    problems = [f"{c}: listed but not in the directory" for c in reviewed["cds"] if c not in known.index]
    members = reviewed[reviewed["member"] == "yes"]
    for cds in members["cds"]:
        if cds in known.index:
            row = known.loc[cds]
            if not (LAUSD.owns(cds) and row["charter"] == "Y" and row["school"].startswith(ALLIANCE_SCHOOL_PREFIX)):
                problems.append(f"{cds}: a member, but the directory shows {row['school']!r}, district {row['district']!r}, charter {row['charter']!r}")
    named = directory[directory["school"].str.startswith(ALLIANCE_SCHOOL_PREFIX)]
    problems += [f"{r.cds} {r.school!r} ({r.district}): named Alliance but not reviewed" for r in named.itertuples()
                 if r.cds not in set(reviewed["cds"])]
    if problems:
        raise ValueError("the reviewed Alliance list disagrees with the School Directory:\n  " + "\n  ".join(problems))
    return members


def census_day_enrollment(enrollment: pd.DataFrame) -> pd.DataFrame:
    """One Census Day count per school and year: where a Census Day file covers the same school and year as
    an FRPM file, the FRPM row is kept."""
    twice = enrollment[enrollment.duplicated(["school_year", "cds", "file_sha256"], keep=False)]
    if len(twice):  # one file lists a school twice: which count is right cannot be decided here
        first = twice.iloc[0]
        rows = "; ".join(twice[twice["cds"] == first["cds"]]["locator"])
        raise ValueError(f"{first['source_id']} file {first['file_sha256'][:12]}… lists school {first['cds']} twice for "
                         f"{first['school_year']} ({rows}); fix the file or archive a corrected one with --supersedes")
    enrollment = enrollment.sort_values("source_id", key=lambda s: s != "cde_frpm", kind="stable")
    return enrollment.drop_duplicates(["school_year", "cds"])


COUNTY_COLUMNS = ["school_year", "cds", "district_code", "district", "school", "charter", "low_grade", "high_grade",
                  "campus", "enrollment_k12", "source_id", "file_sha256", "locator"]


def county_school_enrollment(enrollment: pd.DataFrame, county_code: str = LA_COUNTY_CODE) -> pd.DataFrame:
    """Census Day K-12 enrollment and grade span of every school in one county (Los Angeles by default), every year.

    The county, not the state: LAUSD, every charter it authorizes (the Alliance schools among them) and the
    neighbouring districts the pay comparisons use are all in it, and the table stays about 3 MB; the statewide
    files with provenance on every row would be about 13 MB. Grade 'N/A' (nonpublic-school rows) is kept as blank.
    """
    rows = enrollment[enrollment["cds"].str.startswith(county_code)].copy()
    rows["district_code"] = rows["cds"].str[:7]
    for column in ("low_grade", "high_grade"):
        rows[column] = rows[column].fillna("").replace({"N/A": ""})
    rows["campus"] = [campus_type(lo, hi) for lo, hi in zip(rows["low_grade"], rows["high_grade"])]
    rows["charter"] = rows["charter"].fillna("")
    rows["enrollment_k12"] = rows["enrollment_k12"].astype(int)
    return rows[COUNTY_COLUMNS].sort_values(["school_year", "cds"]).reset_index(drop=True)


def network_members(rule: Network, directory: pd.DataFrame, reviewed: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The directory's schools that belong to a network by its rule (``reviewed``: source id -> reviewed list)."""
    if rule.rule == "cds list":
        listed = reviewed.get(rule.value)
        if listed is None or listed.empty:
            raise ValueError(f"network {rule.name!r}: its reviewed list ({rule.value}) is not archived")
        members = check_members(listed, directory) if rule.name == ALLIANCE.name else listed[listed["member"] == "yes"]
        return members[["cds"]]
    return directory.loc[rule.named_members(directory["cds"], directory["school"], directory["charter"]), ["cds"]]


def network_tables(reviewed: dict[str, pd.DataFrame], directory: pd.DataFrame, enrollment: pd.DataFrame,
                   ledger: pd.DataFrame, rules: dict[str, Network] | None = None) -> dict[str, pd.DataFrame]:
    """network_schools and network_size for every network the data defines, every school year from the first to
    the last counted. Later closures (after the June 2018 directory) are known only where a ledger lists them."""
    years = sorted(enrollment["school_year"].unique())
    every_year = [school_year_label(y) for y in range(int(years[0][:4]), int(years[-1][:4]) + 1)]
    closures = later_closures(ledger)
    members = {rule.name: network_members(rule, directory, reviewed) for rule in (rules or networks()).values()}
    every = set().union(*(set(m["cds"]) for m in members.values()))
    enrollment = enrollment[enrollment["cds"].isin(every)]  # the member schools' rows only: read once, not per network
    parts = [alliance_schools(rows, directory, enrollment, closures, every_year).assign(network=name)
             for name, rows in members.items()]
    schools = pd.concat(parts, ignore_index=True)
    schools = schools[["network"] + [c for c in schools.columns if c != "network"]]
    schools = schools.sort_values(["network", "school_year", "cds"]).reset_index(drop=True)
    size = pd.concat([network_size(group).assign(network=name) for name, group in schools.groupby("network")], ignore_index=True)
    size = size[["network"] + [c for c in size.columns if c != "network"]]
    return {"network_schools": schools, "network_size": size}


def later_closures(ledger: pd.DataFrame) -> pd.Series:
    """cds -> closing date (ISO) from the 2026 directory-status ledger, for closures after the 2018 snapshot."""
    rows = ledger[(ledger["ledger"] == "alliance_directory_2026_status") & (ledger["measure"] == "closed_date")]
    dates = pd.to_datetime(rows["value_text"], format="%m/%d/%Y", errors="coerce")
    return pd.Series(dates.dt.strftime("%Y-%m-%d").to_numpy(), index=rows["cds_code"]).dropna()


def alliance_schools(members: pd.DataFrame, directory: pd.DataFrame, enrollment: pd.DataFrame,
                     closures: pd.Series, years: list[str]) -> pd.DataFrame:
    """One row per member school × school year: open on Census Day?, grades, Census Day K-12 enrollment.

    ``enrollment``: school_year, cds, low_grade, high_grade, enrollment_k12, source_id, file_sha256, locator.
    """
    info = directory[directory["cds"].isin(members["cds"])].set_index("cds").to_dict("index")  # plain dicts: a
    # row lookup in a loop over every school and year costs microseconds instead of a pandas indexing call
    enrollment = enrollment[enrollment["cds"].isin(info)]  # this network's schools only (rows become dicts below)
    by_year = {year: rows.set_index("cds").to_dict("index") for year, rows in enrollment.groupby("school_year")}
    rows = []
    for school_year in years:
        day = census_day(int(school_year[:4]))
        counted = by_year.get(school_year, {})
        for cds, d in info.items():
            closed = d["closed_date"] or closures.get(cds, "")
            is_open = bool(d["open_date"]) and d["open_date"] <= day and (not closed or closed >= day)
            e = counted.get(cds)
            low, high = (e["low_grade"], e["high_grade"]) if e is not None else grades_from_span(d["grades_served"])
            campus = campus_type(low, high)
            rows.append({
                "school_year": school_year, "census_day": day, "cds": cds, "school": d["school"],
                "open_date": d["open_date"], "closed_date": closed,
                "closed_date_source": "directory 2018-06" if d["closed_date"] else ("ledger 2026" if closed else ""),
                "open_on_census_day": is_open, "low_grade": low, "high_grade": high, "campus": campus,
                "grades_from": "FRPM that year" if e is not None else "directory 2018-06 (grades served)",
                "enrollment_k12": int(e["enrollment_k12"]) if e is not None else pd.NA,
                "count_per_cds": int(is_open), "count_campus_split": int(is_open) * (2 if campus == "6-12" else 1),
                "source_id": "cde_directory" + (f"+{e['source_id']}" if e is not None else ""),
                "file_sha256": d["file_sha256"] + (f"+{e['file_sha256']}" if e is not None else ""),
                "locator": d["locator"] + (f"; {e['locator']}" if e is not None else ""),
            })
    table = pd.DataFrame(rows, columns=SCHOOL_COLUMNS)
    table["enrollment_k12"] = table["enrollment_k12"].astype("Int64")
    return table.sort_values(["school_year", "cds"]).reset_index(drop=True)


SCHOOL_COLUMNS = ["school_year", "census_day", "cds", "school", "open_date", "closed_date", "closed_date_source",
                  "open_on_census_day", "low_grade", "high_grade", "campus", "grades_from", "enrollment_k12",
                  "count_per_cds", "count_campus_split", "source_id", "file_sha256", "locator"]


def network_size(schools: pd.DataFrame) -> pd.DataFrame:
    """Schools and students per school year under each counting rule (open on Census Day only)."""
    rows = []
    for school_year, group in schools.groupby("school_year"):
        open_ = group[group["open_on_census_day"]]
        reported = open_["enrollment_k12"].notna()
        cited = open_ if len(open_) else group  # no school open: the directory rows that say so
        shas = sorted({s for value in cited["file_sha256"] for s in value.split("+")})
        for rule, column in (("per CDS code", "count_per_cds"), ("6-12 campus as two", "count_campus_split")):
            rows.append({
                "school_year": school_year, "counting_rule": rule, "rule_definition": RULES[rule],
                "schools": int(open_[column].sum()),
                "students": int(open_["enrollment_k12"].sum()) if reported.all() and len(open_) else pd.NA,
                "schools_with_enrollment": int(reported.sum()),
                "enrollment_measure": "Census Day K-12 enrollment (CDE FRPM file)",
                "membership_as_of": f"CDE School Directory {DIRECTORY_VINTAGE}",
                "source_id": "+".join(sorted({p for v in cited["source_id"] for p in v.split("+")})),
                "file_sha256": "+".join(shas),
                "locator": f"sum of {len(open_)} rows of network_schools.csv for {school_year}",
            })
    table = pd.DataFrame(rows)
    table["students"] = table["students"].astype("Int64")
    return table


def california_districts(directory: pd.DataFrame) -> pd.DataFrame:
    """Every California district (and county office) that has a school in the directory: its county-district code,
    CDE name and county, so a claim can name any district by either. Vintage: the June 2018 directory."""
    rows = directory.assign(district_code=directory["cds"].str[:7])
    first = rows.sort_values("cds").groupby("district_code", as_index=False).first()
    counts = rows.groupby("district_code").size().rename("schools_listed").reset_index()
    out = first.merge(counts, on="district_code")
    out["directory_vintage"] = DIRECTORY_VINTAGE
    out["locator"] = out["locator"] + " (first of " + out["schools_listed"].astype(str) + " school rows with this district code)"
    return out[["district_code", "district", "county", "schools_listed", "directory_vintage", "source_id", "file_sha256",
                "locator"]].sort_values("district_code").reset_index(drop=True)
