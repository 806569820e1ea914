"""Claims as data: one YAML file per claim in claims/, validated by a pydantic schema, and evaluated
by library functions over the processed tables. A rating is never typed by hand: each claim names an
evaluation method and its parameters, and the method computes the evidence table and the rating.

The rating scale is published in claims/RATING_SCALE.md and mirrored in RATINGS below (a test keeps
them in agreement).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import paths
from .tables import load

CANT_VERIFY = "can't verify with the archived sources"
RATINGS = {
    "factual": ["true", "mostly true", "half true", "mostly false", "false", CANT_VERIFY],
    "target": ["met", "met under some measures", "not met", CANT_VERIFY],
    "demand": ["not rated"],
    "anecdote": ["not rated"],
}


class Appearance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    url: str
    archived_copy: str = ""
    date: str


class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: str
    note: str


class Evaluation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: str
    params: dict[str, Any] = Field(default_factory=dict)

    @field_validator("method")
    @classmethod
    def known_method(cls, value: str) -> str:
        if value not in METHODS:
            raise ValueError(f"unknown evaluation method {value!r}; known: {sorted(METHODS)}")
        return value


class Claim(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)+$")
    question_id: str
    kind: Literal["factual", "target", "demand", "anecdote"]
    claimant: str
    quote: str = Field(min_length=10)
    appeared: list[Appearance] = Field(min_length=1)
    competing_versions: list[str] = Field(default_factory=list)
    question: str
    metrics: list[str] = Field(min_length=1)
    evaluation: Evaluation
    settles_it: str
    caveats: list[str] = Field(default_factory=list)
    corrections: list[Correction] = Field(min_length=1)


class ClaimFileError(ValueError):
    pass


def load_claim(path: Path) -> Claim:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ClaimFileError(f"{paths.relative(path)}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ClaimFileError(f"{paths.relative(path)}: expected a mapping of fields, found {type(data).__name__}")
    try:
        claim = Claim.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"field {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ClaimFileError(f"{paths.relative(path)}: {problems}") from None
    if claim.id != Path(path).stem:
        raise ClaimFileError(f"{paths.relative(path)}: field id is {claim.id!r}, but the file is named {Path(path).stem!r}")
    return claim


def load_claims(folder: Path | None = None) -> list[Claim]:
    files = sorted(Path(folder or paths.CLAIMS).glob("*.yaml"))
    if not files:
        raise ClaimFileError(f"no claim files in {paths.relative(Path(folder or paths.CLAIMS))}")
    return [load_claim(f) for f in files]


@dataclass
class Result:
    claim: Claim
    rating: str
    conclusion: str
    evidence: pd.DataFrame
    missing: list[str] = field(default_factory=list)


# -- evaluation methods ----------------------------------------------------------------------------
EVIDENCE = ["item", "entity", "year", "value", "unit", "matches", "confidence", "source_id", "file_sha256",
            "locator", "source_url"]


def _evidence(frame: pd.DataFrame, rename: dict[str, str] | None = None, **constants) -> pd.DataFrame:
    """The evidence columns: ``rename`` maps a frame column to an evidence column, ``constants`` fill one.

    Provenance (confidence, source_id, file_sha256, locator, source_url) keeps the processed tables' names.
    """
    out = frame.rename(columns=rename or {}).assign(**constants)
    for column in EVIDENCE:
        if column not in out:
            out[column] = ""
    return out[EVIDENCE].reset_index(drop=True)


def _fmt(value: float) -> str:
    return f"${value:,.0f}"


def target_threshold(claim: Claim, p: dict, processed: Path | None) -> Result:
    """Did the entity reach ``threshold`` (nominal dollars) in a target year, under each measure?"""
    table = load("per_pupil_funding", processed)
    rows = table[(table["entity"] == p["entity"]) & table["measure_id"].isin(p["measures"])]
    nominal = rows[rows["dollars"] == "nominal"]
    target_rows = nominal[nominal["school_year"].isin(p["target_years"])].copy()
    target_rows["matches"] = target_rows["value"] >= p["threshold"]
    evidence = _evidence(target_rows, {"measure": "item", "school_year": "year"}, unit="USD nominal")
    missing = [f"{m} for {y}: {p['missing_sources'].get(m, 'no archived source')}"
               for m in p["measures"] for y in p["target_years"]
               if not ((target_rows["measure_id"] == m) & (target_rows["school_year"] == y)).any()]
    first = {}
    for measure_id, group in nominal.groupby("measure_id"):
        hit = group[group["value"] >= p["threshold"]].sort_values("school_year")
        first[measure_id] = hit["school_year"].iloc[0] if len(hit) else None
    if target_rows.empty:
        rating = CANT_VERIFY
        conclusion = f"No archived figure for {p['entity']} in {', '.join(p['target_years'])}."
    else:
        hits = target_rows[target_rows["matches"]]
        rating = "met" if len(hits) == len(target_rows) else "met under some measures" if len(hits) else "not met"
        best = target_rows.loc[target_rows["value"].idxmax()]
        crossings = "; ".join(f"{MEASURE_NAMES.get(m, m)} first reached it in {y}" if y else f"{MEASURE_NAMES.get(m, m)} never did in the archived years"
                              for m, y in sorted(first.items()))
        conclusion = (f"In {' and '.join(p['target_years'])}, {p['entity']} was {'at or above' if len(hits) else 'below'} "
                      f"{_fmt(p['threshold'])} per pupil under {len(hits)} of {len(target_rows)} archived measure-years "
                      f"(highest: {_fmt(best['value'])}, {best['measure']}, {best['school_year']}, nominal); {crossings}.")
    return Result(claim, rating, conclusion, evidence, missing)


def _rank_rows(p: dict, processed: Path | None) -> pd.DataFrame:
    """Rows of a ranking table in a common shape: item, entity, year, rank, of_n + provenance."""
    if p["table"] == "state_rankings":
        t = load("state_rankings", processed)
        t = t[t["state"] == p["entity"]]
        year = t["data_year"].where(t["data_year"] != "", "reported " + t["reported_year"].astype(str))
        return t.assign(item=t["ranking"] + " — " + t["publisher"], entity=t["state"], year=year,
                        year_start=t["data_year"].str[:4].where(t["data_year"] != "", (t["reported_year"] - 1).astype(str)).astype(int),
                        unit="rank" + t["of_n"].map(lambda n: f" of {n}" if pd.notna(n) else ""))
    if p["table"] == "largest_school_systems":
        t = load("largest_school_systems", processed)
        t = t[t["school_system"] == p["entity"]]
        return t.assign(item="Census F-33 Table 18: enrollment rank among U.S. school systems", entity=t["school_system"],
                        year=t["school_year"], year_start=t["school_year"].str[:4].astype(int),
                        rank=t["enrollment_rank"], unit="rank by enrollment", confidence="official file", source_url="")
    if p["table"] == "ledger_figures":
        t = load("ledger_figures", processed)
        t = t[(t["entity"] == p["entity"]) & (t["measure"] == p["measure"])]
        return t.assign(item=t["measure"], year=t["school_year_or_year"], year_start=t["school_year_or_year"].str[:4].astype(int),
                        rank=t["value"].astype(int), unit="rank")
    raise ValueError(f"rank evaluation cannot read table {p['table']!r}")


def claimed_rank(claim: Claim, p: dict, processed: Path | None) -> Result:
    """Is the entity's rank the claimed one?

    mode 'all_rankings': every ranking in the window counts (different publishers measure differently);
    mode 'latest': the latest year at or before ``as_of_year`` decides, later years are context.
    """
    rows = _rank_rows(p, processed)
    low, high = p["window"]
    rows = rows[(rows["year_start"] >= low) & (rows["year_start"] <= high)]
    if "reported_by" in p and "reported_year" in rows:  # leave out rankings published after the claim
        rows = rows[rows["reported_year"].isna() | (rows["reported_year"] <= p["reported_by"])]
    rows = rows.sort_values(["year_start", "item"])
    rows = rows.assign(matches=(rows["rank"] - p["claimed"]).abs() <= p.get("tolerance", 0))
    evidence = _evidence(rows.drop(columns=["value"], errors="ignore"), {"rank": "value"})
    if rows.empty:
        return Result(claim, CANT_VERIFY, f"No archived ranking for {p['entity']} between {low} and {high}.",
                      evidence, [p.get("missing_source", "a ranking for the years around the claim")])
    if p["mode"] == "latest":
        known = rows[rows["year_start"] <= p["as_of_year"]]
        if known.empty:
            return Result(claim, CANT_VERIFY, f"No archived figure for {p['entity']} up to {p['as_of_year']}.", evidence,
                          [p.get("missing_source", "")])
        latest = known.iloc[-1]
        later = rows[rows["year_start"] > p["as_of_year"]]
        rating = "true" if latest["matches"] else "mostly true" if abs(latest["rank"] - p["claimed"]) <= 1 else "false"
        conclusion = (f"The latest figure available when the claim was made ({latest['year']}) puts {p['entity']} "
                      f"at {int(latest['rank'])}; the claim says {p['claimed']}.")
        if len(later):
            conclusion += " Later figures: " + ", ".join(f"{int(r['rank'])} in {r['year']}" for _, r in later.iterrows()) + "."
        return Result(claim, rating, conclusion, evidence)
    hits = rows[rows["matches"]]
    others = rows[~rows["matches"]]
    rating = "true" if len(hits) == len(rows) else "half true" if len(hits) else "false"
    conclusion = f"{len(hits)} of {len(rows)} archived rankings from {low} to {high} put {p['entity']} at {p['claimed']}"
    if len(hits) and len(others):
        conclusion += (" (" + "; ".join(sorted({r['item'].split(' — ')[-1] for _, r in hits.iterrows()})) + "); the others ranked it "
                       + ", ".join(f"{int(r['rank'])}" for _, r in others.iterrows()) + ", so the rank depends on which ranking is meant.")
    else:
        conclusion += "."
    return Result(claim, rating, conclusion, evidence)


def richest_state(claim: Claim, p: dict, processed: Path | None) -> Result:
    """Rank on total GDP vs per-person measures (GDP per capita, per-capita income, median household income)."""
    economy = load("state_economy", processed)
    rows = economy[(economy["state"] == p["entity"]) & economy["year"].isin(p["years"])]
    parts = []
    for column, label, per_person in [("gdp_musd", "GDP, current dollars (BEA SAGDP1)", False),
                                      ("gdp_per_capita", "GDP per person (BEA SAGDP1 ÷ SAINC1 population)", True),
                                      ("per_capita_personal_income", "Per-capita personal income (BEA SAINC1)", True)]:
        parts.append(rows.assign(item=label, per_person=per_person, rank=rows[f"{column}_rank"].astype(int),
                                 year=rows["year"].astype(str), unit="rank among 50 states", confidence="official file",
                                 source_url=""))
    ledger = load("ledger_figures", processed)
    mhi = ledger[(ledger["entity"] == p["entity"]) & (ledger["measure"] == p["household_income_measure"])
                 & ledger["school_year_or_year"].isin([str(y) for y in p["years"]])]
    parts.append(mhi.assign(item="Median household income (ACS; rank incl. DC)", per_person=True,
                            rank=mhi["value"].astype(int), year=mhi["school_year_or_year"], unit="rank of 51 (incl. DC)"))
    table = pd.concat(parts, ignore_index=True)
    table = table.assign(matches=table["rank"] == 1)
    evidence = _evidence(table.drop(columns=["value"], errors="ignore"), {"rank": "value"}, entity=p["entity"])
    if table.empty:
        return Result(claim, CANT_VERIFY, "No archived state economy figures for those years.", evidence, ["BEA SAGDP1/SAINC1"])
    person = table[table["per_person"]]
    total = table[~table["per_person"]]
    if person["matches"].all():
        rating = "true"
    elif person["matches"].any():
        rating = "half true"
    elif total["matches"].all():
        rating = "mostly false"
    else:
        rating = "false"
    conclusion = (f"In {', '.join(str(y) for y in p['years'])}, {p['entity']} ranked first among the states in total GDP "
                  if total["matches"].all() else f"{p['entity']} did not rank first in total GDP ")
    conclusion += ("but " if total["matches"].all() else "and ") + "ranked " + ", ".join(
        f"{int(r['rank'])} in {r['item'].split(' (')[0]} ({r['year']})" for _, r in person.iterrows()) + "."
    return Result(claim, rating, conclusion, evidence)


def value_near(claim: Claim, p: dict, processed: Path | None) -> Result:
    """Is the claimed amount within ``tolerance`` of the latest figure of each measure in the window?"""
    table = load("per_pupil_funding", processed)
    rows = table[(table["entity"] == p["entity"]) & (table["dollars"] == "nominal")
                 & table["school_year"].between(p["window"][0], p["window"][1])].sort_values(["school_year", "vintage"])
    latest = rows.groupby("measure_id").tail(1).sort_values("measure_id")
    low, high = p["claimed"] * (1 - p["tolerance"]), p["claimed"] * (1 + p["tolerance"])
    latest = latest.assign(matches=latest["value"].between(low, high))
    evidence = _evidence(latest, {"measure": "item", "school_year": "year"}, unit="USD nominal")
    if latest.empty:
        return Result(claim, CANT_VERIFY, "No archived statewide per-pupil figure in the window.", evidence, ["statewide per-pupil data"])
    hits = latest[latest["matches"]]
    rating = "true" if len(hits) == len(latest) else "half true" if len(hits) else "false"
    conclusion = (f"{len(hits)} of {len(latest)} measures (latest figure of each, {p['window'][0]} to {p['window'][1]}) fall within "
                  f"{p['tolerance']:.0%} of {_fmt(p['claimed'])}; the figures range from {_fmt(latest['value'].min())} "
                  f"to {_fmt(latest['value'].max())} depending on what is counted and divided by what.")
    return Result(claim, rating, conclusion, evidence)


def network_size(claim: Claim, p: dict, processed: Path | None) -> Result:
    """A network's claimed school and student counts against the directory and Census Day enrollment.

    Schools: the claimed count must equal the count under ``network_rule`` (the way the network counts
    itself) for full credit, under the other rule for partial credit. Students: "over N" is met at N or
    more; within ``tolerance`` below N counts as near. Two full → true; one partial → mostly true;
    two partial or one missing → half true; one partial and one missing → mostly false; else false.
    """
    size = load("alliance_network_size", processed)
    rows = size[size["school_year"] == p["school_year"]]
    reported = load("ledger_figures", processed)
    reported = reported[reported["ledger"] == "alliance_network_size_reported"]
    if rows.empty or rows["students"].isna().all():
        return Result(claim, CANT_VERIFY, f"No archived directory and enrollment figures for {p['school_year']}.",
                      _evidence(rows), [f"CDE FRPM or Census Day enrollment file for {p['school_year']}: schoolclaims fetch cde_frpm"])
    by_rule = rows.set_index("counting_rule")
    school_rows = rows.assign(item="schools open on Census Day, " + rows["counting_rule"], entity=p["entity"],
                              year=rows["school_year"], value=rows["schools"].astype(float), unit="schools",
                              matches=rows["schools"] == p["claimed_schools"], confidence="official file", source_url="")
    students = int(rows["students"].iloc[0])
    student_row = rows.head(1).assign(item="Census Day K-12 enrollment, all member schools", entity=p["entity"],
                                      year=rows["school_year"], value=float(students), unit="students",
                                      matches=students >= p["claimed_students"], confidence="official file", source_url="")
    context = reported.assign(item="the network's own count (reported, context)", year=reported["school_year_or_year"],
                              matches="", unit=reported["measure"])
    evidence = pd.concat([_evidence(school_rows), _evidence(student_row), _evidence(context)], ignore_index=True)
    network = int(by_rule.loc[p["network_rule"], "schools"])
    other = [int(v) for r, v in by_rule["schools"].items() if r != p["network_rule"]]
    school_score = 2 if network == p["claimed_schools"] else 1 if p["claimed_schools"] in other else 0
    near = students >= p["claimed_students"] * (1 - p["tolerance"])
    student_score = 2 if students >= p["claimed_students"] else 1 if near else 0
    rating = {4: "true", 3: "mostly true", 2: "half true", 1: "mostly false", 0: "false"}[school_score + student_score]
    gap = students - p["claimed_students"]
    conclusion = (f"On Census Day {p['school_year'][:4]} the network had {by_rule.loc['per CDS code', 'schools']} schools by CDS code "
                  f"and {network} counting each 6-12 campus as a middle and a high school (the claim says {p['claimed_schools']}); "
                  f"its schools enrolled {students:,} K-12 students, {abs(gap):,} {'more' if gap >= 0 else 'fewer'} than "
                  f"the claimed 'over {p['claimed_students']:,}' ({gap / p['claimed_students']:+.1%}).")
    return Result(claim, rating, conclusion, evidence)


def _class_files_missing(years: list[str]) -> list[str]:
    return [f"CDE ClassEnrollment{y[2:4]}.zip, CoursesTaught{y[2:4]}.zip and AssignmentCodes12On.xlsx for {y} "
            f"(https://www.cde.ca.gov/ds/ad/filesassign.asp); online, run: schoolclaims fetch cde_class_level && schoolclaims build"
            for y in years]


def class_size_smaller(claim: Claim, p: dict, processed: Path | None) -> Result:
    """Are the group's classes smaller than the comparison group's, on both means, in every cell compared?

    Cells: school year × campus type × content area, where both groups have classes. Share of cells where
    the claim holds on both the class-weighted and the student-weighted mean: all → true, 3/4 or more →
    mostly true, 2/5 or more → half true, some → mostly false, none → false.
    """
    table = load("class_size_comparison", processed)
    table = table[table["school_year"].isin(p["years"]) & (table["rule"] == p["rule"]) & table["content_area"].isin(p["content_areas"])]
    absent = [y for y in p["years"] if y not in set(table["school_year"])]
    if table.empty:
        return Result(claim, CANT_VERIFY, "The class-level files that settle this are not archived, so class size cannot be "
                      "computed; pupil-teacher ratios are a staffing measure and are not used in their place.",
                      _evidence(table), _class_files_missing(p["years"]))
    keys = ["school_year", "campus", "content_area"]
    ours = table[table["group"] == p["group"]].set_index(keys)
    rows, cells = [], 0
    for comparison_group in p["compare_with"]:
        theirs = table[table["group"] == comparison_group].set_index(keys)
        both = ours.merge(theirs, left_index=True, right_index=True, suffixes=("_a", "_b"))
        smaller = (both["class_weighted_mean_a"] < both["class_weighted_mean_b"]) & (both["student_weighted_mean_a"] < both["student_weighted_mean_b"])
        if comparison_group == p["compare_with"][0]:
            cells, hits = len(both), int(smaller.sum())
        for (year, campus, area), row in both.iterrows():
            for mean in ("class_weighted_mean", "student_weighted_mean"):
                rows.append({"item": f"{campus} {area}, {mean.replace('_', ' ')}: {p['group']} {row[mean + '_a']:.1f} vs {comparison_group}",
                             "entity": comparison_group, "year": year, "value": row[mean + "_b"], "unit": "students per class",
                             "matches": bool(row[mean + "_a"] < row[mean + "_b"]), "confidence": "official file",
                             "source_id": row["source_id_a"], "file_sha256": row["file_sha256_a"], "locator": row["locator_a"]})
    evidence = _evidence(pd.DataFrame(rows))
    if cells == 0:
        return Result(claim, CANT_VERIFY, f"No campus type and content area where both {p['group']} and {p['compare_with'][0]} have classes.",
                      evidence, _class_files_missing(absent))
    share = hits / cells
    rating = "true" if share == 1 else "mostly true" if share >= 0.75 else "half true" if share >= 0.4 else "mostly false" if hits else "false"
    conclusion = (f"{p['group']} classes were smaller than {p['compare_with'][0]} on both the class-weighted and the student-weighted "
                  f"mean in {hits} of {cells} year × campus type × content area comparisons ({p['rule'].split(':')[0]} rules).")
    return Result(claim, rating, conclusion, evidence, _class_files_missing(absent))


def district_class_size_rank(claim: Claim, p: dict, processed: Path | None) -> Result:
    """Is the district's class size the highest? Checked among the state's largest districts (by students in
    classes): if it is not the highest there, a national "highest" is false; if it is, the national claim
    still needs other states' data (can't verify). Staffing ratios are shown as context only."""
    table = load("class_size_by_district", processed)
    table = table[table["school_year"].isin(p["years"]) & (table["rule"] == p["rule"])]
    ledger = load("ledger_figures", processed)
    ratios = ledger[(ledger["measure"] == "pupil_teacher_ratio") & (ledger["cds_code"] == p["district_cds"])]
    context = _evidence(ratios.assign(item="pupil-teacher ratio (staffing ratio, NOT class size; context only)",
                                      year=ratios["school_year_or_year"], matches=""))
    national = [f"class size or pupil-teacher ratio for the largest U.S. districts with the measure stated ({p['national_source']})"]
    if table.empty:
        return Result(claim, CANT_VERIFY, "Class size by district needs the CDE class-level files, which are not archived; "
                      "the national comparison needs other states' data as well.", context, _class_files_missing(p["years"]) + national)
    rows = []
    for year, group in table.groupby("school_year"):
        largest = group.nlargest(p["largest_n"], "students").sort_values("class_weighted_mean", ascending=False)
        largest = largest.assign(rank=range(1, len(largest) + 1))
        rows.append(largest)
    ranked = pd.concat(rows)
    ours = ranked[ranked["district_code"] == p["district_cds"][:7]]
    evidence = pd.concat([_evidence(ranked.assign(item=f"class-weighted mean class size, rank among the {p['largest_n']} largest California districts (1 = largest classes)",
                                                  entity=ranked["district_code"], year=ranked["school_year"], value=ranked["class_weighted_mean"],
                                                  unit="students per class", matches=ranked["district_code"] == p["district_cds"][:7],
                                                  confidence="official file")), context], ignore_index=True)
    if ours.empty:
        return Result(claim, CANT_VERIFY, "The district is not among the largest districts in the archived class-level files.", evidence, national)
    worst = ours["rank"].min()
    if worst > 1:
        return Result(claim, "false", f"Among the {p['largest_n']} largest California districts, LAUSD's average class size ranked "
                      + ", ".join(f"{int(r['rank'])} in {r['school_year']}" for _, r in ours.iterrows())
                      + " (1 = largest); a district that is not highest in its state cannot be highest in the country.", evidence)
    return Result(claim, CANT_VERIFY, f"LAUSD had the largest average classes among the {p['largest_n']} largest California districts; "
                  "whether that holds nationally needs other states' data.", evidence, national)


def ledger_context(claim: Claim, p: dict, processed: Path | None) -> Result:
    """Demands and anecdotes are not rated; factual claims with no public source can only be "can't verify".

    The evidence is every ledger row in ``ledgers`` (optionally only ``measures``), shown as context. For a
    factual claim, a ledger row with ``measure`` equal to ``settling_measure`` would settle it; without
    one the rating is can't verify, naming ``settles_with``.
    """
    ledger = load("ledger_figures", processed)
    rows = ledger[ledger["ledger"].isin(p.get("ledgers", []))]
    if p.get("measures"):
        rows = rows[rows["measure"].isin(p["measures"])]
    evidence = _evidence(rows.assign(item=rows["entity"] + ": " + rows["measure"].str.replace("_", " ")
                                     + rows["grade_span_or_subject"].map(lambda g: f" ({g})" if g else ""),
                                     year=rows["school_year_or_year"], matches="",
                                     value=rows["value"].astype(object).where(rows["value"].notna(), rows["value_text"])))
    if claim.kind in ("demand", "anecdote"):
        return Result(claim, "not rated", p["conclusion"], evidence)
    settling = ledger[ledger["measure"] == p.get("settling_measure", "")] if p.get("settling_measure") else ledger.iloc[0:0]
    if settling.empty:
        return Result(claim, CANT_VERIFY, p["conclusion"], evidence, [p["settles_with"]])
    value = float(settling["value"].iloc[0])
    ok = value >= p["claimed"]
    return Result(claim, "true" if ok else "false", f"{p['settling_measure']}: {value:,.0f} against the claimed {p['claimed']:,}.",
                  pd.concat([evidence, _evidence(settling.assign(item=settling["measure"], matches=ok))], ignore_index=True))


def schedule_comparison(claim: Claim, p: dict, processed: Path | None) -> Result:
    """Two salary schedules at the comparison points (transform/pay_points.csv), annual and per contract day.

    "More" counts at a point when the first schedule pays at least ``margin`` more. All points, annual and per
    day → true; all points annual, at least half per day → mostly true; half the points or more annual → half
    true; some → mostly false; none → false. Either schedule absent → can't verify, naming how to get it.
    """
    from .transform import pay

    table = load("salary_schedules", processed)
    present = {side: not pay.select(table, {**p[side], "kind": "cell"}).empty for side in ("ours", "theirs")}
    missing = [p["missing_sources"][side] for side, ok in present.items() if not ok]
    if missing:
        absent = [f"the {p[side]['employer']} schedule" for side, ok in present.items() if not ok]
        return Result(claim, CANT_VERIFY, f"The comparison needs both schedules for {p['ours']['school_year']}; "
                      + " and ".join(absent) + (" are" if len(absent) > 1 else " is") + " not archived.",
                      _evidence(table.iloc[0:0]), missing)
    both = pay.comparison(table, p["ours"], p["theirs"])
    rows = []
    for _, r in both.iterrows():
        for basis, a, b in (("annual", r["a_annual"], r["b_annual"]), ("per contract day", r["a_per_day"], r["b_per_day"])):
            if pd.notna(a) and pd.notna(b):
                rows.append({"item": f"{r['point']}, {basis}: {p['ours']['employer']} {a:,.0f} ({r['a_cell']}) vs", "entity": p["theirs"]["employer"],
                             "year": p["ours"]["school_year"], "value": float(b), "unit": f"USD {basis}, nominal", "basis": basis,
                             "matches": bool(a >= b * (1 + p["margin"])), "confidence": "", "source_id": "salary_schedules",
                             "file_sha256": "", "locator": f"{r['a_locator']} / {r['b_locator']}"})
    evidence = pd.DataFrame(rows)
    if evidence.empty:
        return Result(claim, CANT_VERIFY, "No comparison point is present in both schedules.", _evidence(evidence), [])
    annual = evidence[evidence["basis"] == "annual"]["matches"]
    per_day = evidence[evidence["basis"] == "per contract day"]["matches"]
    share = pay.share_higher(table, p["ours"], p["theirs"])
    if annual.all() and len(per_day) == len(annual) and per_day.all():
        rating = "true"
    elif annual.all() and (per_day.mean() >= 0.5 if len(per_day) else True):  # per day unknown: at most mostly true
        rating = "mostly true"
    elif annual.mean() >= 0.5:
        rating = "half true"
    else:
        rating = "mostly false" if annual.any() else "false"
    conclusion = (f"{p['ours']['employer']} paid at least {p['margin']:.0%} more at {int(annual.sum())} of {len(annual)} comparison points "
                  + (f"annually and {int(per_day.sum())} of {len(per_day)} per contract day" if len(per_day)
                     else "annually; contract days are not stated, so per-day pay is not compared"))
    if share is not None:
        conclusion += f"; it paid more in {share[0]:.0%} of its {share[1]} schedule cells with a counterpart"
    return Result(claim, rating, conclusion + ".", _evidence(evidence))


def share_paid_more(claim: Claim, p: dict, processed: Path | None) -> Result:
    """Teacher-weighted share of Los Angeles County district teachers (J-90 FTE) whose district's schedule pays
    more than the employer's at both ends (minimum and maximum). Charters do not file J-90."""
    from .transform import pay

    county = load("la_county_salaries", processed)
    county = county[county["school_year"] == p["j90_year"]]
    table = load("salary_schedules", processed)
    ours = table[(table["employer"] == p["employer"]) & (table["school_year"] == p["j90_year"]) & (table["kind"] == "cell")]
    context = _evidence(county.assign(item="J-90 schedule minimum (lowest cell; the column heading says which)", entity=county["district"],
                                      year=county["school_year"], value=county["min_salary"], unit="USD per year",
                                      matches="", confidence="official file"))
    if county.empty:
        return Result(claim, CANT_VERIFY, f"No J-90 survey archived for {p['j90_year']}.", context, [p["missing_j90"]])
    if ours.empty:
        return Result(claim, CANT_VERIFY, f"The J-90 survey for {p['j90_year']} covers {len(county)} Los Angeles County districts "
                      f"and {county['teacher_fte'].sum():,.0f} teacher FTE, but {p['employer']}'s schedule for that year is not archived "
                      "(charters do not file J-90), so the share paid more cannot be computed.", context, [p["missing_schedule"]])
    low = pay.point_value(ours, pd.Series({"step": 1, "requirement": "BA"}))
    high = pay.point_value(ours, pd.Series({"step": "top", "requirement": "top"}))
    if low is None or high is None:
        return Result(claim, CANT_VERIFY, f"{p['employer']}'s {p['j90_year']} schedule has no BA step 1 cell to compare.",
                      context, [p["missing_schedule"]])
    more = (county["min_salary"] > low["annual_salary"]) & (county["max_salary"] > high["annual_salary"])
    share = county.loc[more, "teacher_fte"].sum() / county["teacher_fte"].sum()
    ok = share >= p["claimed_share"]
    rating = "true" if ok else "mostly true" if share >= p["claimed_share"] - 0.1 else "half true" if share >= 0.5 else "false"
    evidence = _evidence(county.assign(item="district schedule pays more at both ends", entity=county["district"], year=county["school_year"],
                                       value=county["teacher_fte"], unit="teacher FTE", matches=more, confidence="official file"))
    return Result(claim, rating, f"{share:.0%} of Los Angeles County district teachers (J-90 FTE, {p['j90_year']}) were on schedules paying "
                  f"more than {p['employer']} at both the first and the top cell; the premise says about {p['claimed_share']:.0%}.", evidence)


def layoff_record(claim: Claim, p: dict, processed: Path | None) -> Result:
    """The district side from the layoff ledger (notices by year); the network side needs a public record of a
    reduction in force or its absence. A claim with an unverifiable half is rated can't verify, and the
    conclusion says what the verifiable half shows."""
    ledger = load("ledger_figures", processed)
    rows = ledger[(ledger["ledger"] == "lausd_layoffs")].copy()
    rows["start"] = rows["school_year_or_year"].str.extract(r"(20\d\d)")[0].astype(float)
    rows = rows[rows["start"] <= p["claim_year"]]
    years_with = sorted(rows.loc[rows["value"] > 0, "school_year_or_year"].str[:7].unique())
    years_without = sorted(rows.loc[rows["value"] == 0, "school_year_or_year"].str[:7].unique())
    evidence = _evidence(rows.assign(item=rows["measure"], year=rows["school_year_or_year"], matches=rows["value"] > 0))
    network = ledger[(ledger["entity"] == p["network"]) & ledger["measure"].str.contains(r"reduction in force|layoff", case=False)]
    district = (f"LAUSD issued layoff notices in {len(years_with)} school years up to {int(p['claim_year'])}-{(int(p['claim_year']) + 1) % 100:02d} "
                f"({', '.join(years_with)}), none in {', '.join(years_without) or 'no year listed'}")
    if network.empty:
        return Result(claim, CANT_VERIFY, district + f"; no public record was found of whether {p['network']} ever reduced its "
                      "force, so the comparison cannot be checked.", evidence, [p["settles_with"]])
    network_cut = bool((network["value"] > 0).any())
    both_hold = len(years_with) >= 2 and not network_cut
    network_rows = _evidence(network.assign(item=network["measure"], year=network["school_year_or_year"], matches=network["value"] == 0))
    return Result(claim, "true" if both_hold else "false",
                  district + f"; {p['network']} {'did' if network_cut else 'did not'} reduce its force per the record.",
                  pd.concat([evidence, network_rows], ignore_index=True))


METHODS: dict[str, Callable[[Claim, dict, Path | None], Result]] = {
    "schedule_comparison": schedule_comparison,
    "share_paid_more": share_paid_more,
    "layoff_record": layoff_record,
    "network_size": network_size,
    "class_size_smaller": class_size_smaller,
    "district_class_size_rank": district_class_size_rank,
    "ledger_context": ledger_context,
    "target_threshold": target_threshold,
    "claimed_rank": claimed_rank,
    "richest_state": richest_state,
    "value_near": value_near,
}


def _measure_names() -> dict[str, str]:
    from .transform.funding import MEASURES

    return {k: v["measure"] for k, v in MEASURES.items()}


MEASURE_NAMES = _measure_names()


def evaluate(claim: Claim, processed: Path | None = None) -> Result:
    result = METHODS[claim.evaluation.method](claim, claim.evaluation.params, processed)
    if result.rating not in RATINGS[claim.kind]:
        raise ValueError(f"{claim.id}: method {claim.evaluation.method} gave {result.rating!r}, not on the {claim.kind} scale")
    return result


def evaluate_all(only: list[str] | None = None, folder: Path | None = None, processed: Path | None = None) -> list[Result]:
    claims = load_claims(folder)
    if only:
        unknown = set(only) - {c.id for c in claims}
        if unknown:
            raise ClaimFileError(f"no claim with id {sorted(unknown)}")
        claims = [c for c in claims if c.id in only]
    return [evaluate(c, processed) for c in claims]


def format_result(result: Result, evidence_rows: int = 12) -> str:
    c = result.claim
    lines = [f"{c.id}  [{c.kind}]  rating: {result.rating.upper()}",
             f"  claim: \"{c.quote}\" — {c.claimant}, {c.appeared[0].date} ({c.appeared[0].url})",
             f"  conclusion: {result.conclusion}"]
    for item in result.missing:
        lines.append(f"  missing: {item}")
    if len(result.evidence):
        shown = result.evidence.head(evidence_rows)
        lines.append("  evidence:")
        for _, row in shown.iterrows():
            value = f"{row['value']:,.2f}" if isinstance(row["value"], float) else str(row["value"])
            mark = "·" if isinstance(row["matches"], str) else "✓" if bool(row["matches"]) else "✗"  # · = context
            lines.append(f"    {mark} {row['item']} | {row['entity']} | {row['year']} | {value} {row['unit']} | "
                         f"{row['confidence']} | {row['source_id']} {str(row['file_sha256'])[:12]} {row['locator']}"
                         + (f" | {row['source_url']}" if row["source_url"] else ""))
        if len(result.evidence) > evidence_rows:
            lines.append(f"    … {len(result.evidence) - evidence_rows} more rows (--rows N)")
    return "\n".join(lines)
