"""Rating methods for the pay claims: two schedules compared, a share of teachers paid more, a layoff record."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from schoolclaims.tables import load
from schoolclaims.transform import pay

from ..entities import UnknownEntity, district, district_names
from ..model import CANT_VERIFY, Claim, Result, evidence_frame
from ...entities import LAUSD
from ...years import school_year_label
from ..wording import listing, more_means, plural, possessive
from ._registry import Params, SchoolYear, Share, method


class Schedule(Params):
    """One salary schedule: the salary_schedules columns that select it."""
    employer: str
    school_year: SchoolYear
    schedule: str | None = None
    calendar_basis: str | None = None

    def selector(self) -> dict[str, str]:
        return self.model_dump(exclude_none=True)


class ScheduleSources(Params):
    """How to get each schedule when it is not archived."""
    ours: str
    theirs: str


class ScheduleComparisonParams(Params):
    ours: Schedule
    theirs: Schedule
    margin: Share  # "more" counts at a point when ours pays at least this share more
    missing_sources: ScheduleSources


def _margin_alternatives(p: ScheduleComparisonParams, _result: Result) -> list[tuple[str, dict]]:
    """'More' as any amount more, and as twice the margin."""
    return [(more_means(share), {"margin": share}) for share in (0.0, min(1.0, p.margin * 2)) if share != p.margin]


@method("schedule_comparison", params=ScheduleComparisonParams, alternatives=_margin_alternatives)
def schedule_comparison(claim: Claim, p: ScheduleComparisonParams, processed: Path | None) -> Result:
    """Two salary schedules at the comparison points (transform/pay_points.csv), annual and per contract day.

    "More" counts at a point when the first schedule pays at least ``margin`` more. All points, annual and per
    day → true; all points annual, at least half per day → mostly true; half the points or more annual → half
    true; some → mostly false; none → false. Either schedule absent → can't verify, naming how to get it.
    """
    table = load("salary_schedules", processed)
    present = {side: not pay.select(table, {**getattr(p, side).selector(), "kind": "cell"}).empty for side in ("ours", "theirs")}
    missing = [getattr(p.missing_sources, side) for side, ok in present.items() if not ok]
    if missing:
        absent = [f"the {getattr(p, side).employer} schedule" for side, ok in present.items() if not ok]
        return Result(claim, CANT_VERIFY, f"The comparison needs both schedules for {p.ours.school_year}; "
                      + " and ".join(absent) + (" are" if len(absent) > 1 else " is") + " not archived.",
                      evidence_frame(table.iloc[0:0]), missing)
    ours, theirs = p.ours.selector(), p.theirs.selector()
    both = pay.comparison(table, ours, theirs)
    rows = []
    for _, r in both.iterrows():
        for basis, a, b in (("annual", r["a_annual"], r["b_annual"]), ("per contract day", r["a_per_day"], r["b_per_day"])):
            if pd.notna(a) and pd.notna(b):
                rows.append({"item": f"{r['point']}, {basis}: {p.ours.employer} {a:,.0f} ({r['a_cell']}) vs", "entity": p.theirs.employer,
                             "year": p.ours.school_year, "value": float(b), "unit": f"USD {basis}, nominal", "basis": basis,
                             "matches": bool(a >= b * (1 + p.margin)),
                             "confidence": r["a_confidence"] if r["a_confidence"] == r["b_confidence"]
                             else f"{p.ours.employer}: {r['a_confidence']}; {p.theirs.employer}: {r['b_confidence']}",
                             "source_id": f"{r['a_source_id']}+{r['b_source_id']}",
                             "file_sha256": f"{r['a_file_sha256']}+{r['b_file_sha256']}",
                             "locator": f"{r['a_locator']} / {r['b_locator']}"})
    evidence = pd.DataFrame(rows)
    if evidence.empty:
        return Result(claim, CANT_VERIFY, "No comparison point is present in both schedules.", evidence_frame(evidence), [])
    annual = evidence[evidence["basis"] == "annual"]["matches"]
    per_day = evidence[evidence["basis"] == "per contract day"]["matches"]
    share = pay.share_higher(table, ours, theirs)
    if annual.all() and len(per_day) == len(annual) and per_day.all():
        rating = "true"
    elif annual.all() and (per_day.mean() >= 0.5 if len(per_day) else True):  # per day unknown: at most mostly true
        rating = "mostly true"
    elif annual.mean() >= 0.5:
        rating = "half true"
    else:
        rating = "mostly false" if annual.any() else "false"
    conclusion = (f"{p.ours.employer} paid at least {p.margin:.0%} more at {int(annual.sum())} of {len(annual)} comparison points "
                  + (f"annually and {int(per_day.sum())} of {len(per_day)} per contract day" if len(per_day)
                     else "annually; contract days are not stated, so per-day pay is not compared"))
    if share is not None:
        conclusion += f"; it paid more in {share[0]:.0%} of its {share[1]} schedule cells with a counterpart"
    return Result(claim, rating, conclusion + ".", evidence_frame(evidence))


class SharePaidMoreParams(Params):
    employer: str  # a salary_schedules employer, or any district that filed J-90 (CDE name or county-district code)
    j90_year: SchoolYear  # the school year of the J-90 survey (and of the employer's schedule compared)
    claimed_share: Share  # 0.90 is 90%
    missing_j90: str  # how to get the J-90 survey when it is not archived
    missing_schedule: str  # how to get the employer's schedule when it is not archived
    county: str | None = "Los Angeles"  # the districts compared (CDE's county name); none: every district in the state


def _employer_ends(p: SharePaidMoreParams, processed: Path | None, districts: pd.DataFrame) -> tuple[dict | None, pd.DataFrame]:
    """The employer's first and top cell: from its schedule in salary_schedules, else from its own J-90 row (a
    district's schedule minimum and maximum). Returns ({low, high, where}, the J-90 row used, if any)."""
    table = load("salary_schedules", processed)
    ours = table[(table["employer"] == p.employer) & (table["school_year"] == p.j90_year) & (table["kind"] == "cell")]
    if len(ours):
        low = pay.point_value(ours, pd.Series({"step": 1, "requirement": "BA"}))
        high = pay.point_value(ours, pd.Series({"step": "top", "requirement": "top"}))
        return ({"low": low["annual_salary"], "high": high["annual_salary"], "where": "its schedule"}
                if low is not None and high is not None else None), districts.iloc[0:0]
    try:
        code = district(p.employer, processed).district_code
    except (UnknownEntity, FileNotFoundError):
        return None, districts.iloc[0:0]
    row = districts[districts["cds"] == code]
    if row.empty:
        return None, row
    return {"low": float(row["min_salary"].iloc[0]), "high": float(row["max_salary"].iloc[0]),
            "where": "its own J-90 row (schedule minimum and maximum)"}, row


def _directory(processed: Path | None) -> pd.DataFrame | None:
    """The CDE directory's districts, or None where the processed tables have none (the J-90's own names then)."""
    try:
        return load("california_districts", processed)
    except FileNotFoundError:
        return None


@method("share_paid_more", params=SharePaidMoreParams)
def share_paid_more(claim: Claim, p: SharePaidMoreParams, processed: Path | None) -> Result:
    """Teacher-weighted share of the county's (or the state's) district teachers (J-90 FTE) whose district's schedule
    pays more than the employer's at both ends (its BA step 1 and top cell, or for a district its J-90 minimum and
    maximum); the employer itself is left out. Charters do not file J-90: a charter's schedule comes from
    salary_schedules."""
    statewide = load("california_district_salaries", processed)
    statewide = statewide[statewide["school_year"] == p.j90_year]
    area = f"{p.county} County" if p.county else "California"
    ends, own = _employer_ends(p, processed, statewide)
    county = statewide[statewide["county"] == p.county] if p.county else statewide
    county = county[~county["cds"].isin(own["cds"])]
    directory = _directory(processed)  # districts named as readers know them: the J-90 writes capitals, cut at 30
    county, own = (rows.assign(district_name=district_names(rows, directory)) for rows in (county, own))
    context = evidence_frame(county.assign(item="J-90 schedule minimum (lowest cell; the column heading says which)", entity=county["district_name"],
                                      year=county["school_year"], value=county["min_salary"], unit="USD per year",
                                      matches="", confidence="official file"))
    if county.empty:
        return Result(claim, CANT_VERIFY, f"No J-90 survey archived for {p.j90_year}.", context, [p.missing_j90])
    if ends is None:
        return Result(claim, CANT_VERIFY, f"The J-90 survey for {p.j90_year} covers {len(county)} {area} districts "
                      f"and {county['teacher_fte'].sum():,.0f} teacher FTE, but {possessive(p.employer)} schedule for that year is not archived "
                      "(charters do not file J-90), so the share paid more cannot be computed.", context, [p.missing_schedule])
    more = (county["min_salary"] > ends["low"]) & (county["max_salary"] > ends["high"])
    share = county.loc[more, "teacher_fte"].sum() / county["teacher_fte"].sum()
    ok = share >= p.claimed_share
    rating = "true" if ok else "mostly true" if share >= p.claimed_share - 0.1 else "half true" if share >= 0.5 else "false"
    evidence = evidence_frame(county.assign(item="district schedule pays more at both ends", entity=county["district_name"], year=county["school_year"],
                                       value=county["teacher_fte"], unit="teacher FTE", matches=more, confidence="official file"))
    if len(own):
        evidence = pd.concat([evidence_frame(own.assign(item=f"{p.employer}'s own schedule maximum (J-90; minimum {ends['low']:,.0f})",
                                                        entity=own["district_name"], year=own["school_year"], value=own["max_salary"],
                                                        unit="USD per year", matches="", confidence="official file")),
                              evidence], ignore_index=True)
    return Result(claim, rating, f"{share:.0%} of {area} district teachers (J-90 FTE, {p.j90_year}) were on schedules paying "
                  f"more than {p.employer} ({ends['where']}: {ends['low']:,.0f} to {ends['high']:,.0f}) at both the first and the top "
                  f"cell; the premise says about {p.claimed_share:.0%}.", evidence)


class LayoffRecordParams(Params):
    claim_year: int  # first year of the school year the claim was made in
    network: str
    settles_with: str  # what would settle the network's side


EDUCATORS_ONLY = r"notices[^,]*, educators\b"  # a count of school staff's notices alone ("…notices authorized, educators (…)")
JOBS_LOST = r"\blos[et] jobs\b"  # a count of jobs lost, or expected to be, not of warning notices ("… who lost jobs (final …)")


def layoff_rows(ledger: pd.DataFrame) -> pd.DataFrame:
    """LAUSD's layoff figures: the layoff ledger, and counts of educators' notices alone from any ledger (the
    method judges a year on such a count when it has one; the layoffs chart draws the same rows)."""
    educators = ledger["measure"].str.contains(EDUCATORS_ONLY) & ledger["measure"].str.contains("layoff", case=False)
    return ledger[(ledger["ledger"] == "lausd_layoffs") | (educators & (ledger["entity"] == LAUSD.name))].copy()


def _jobs_lost(rows: pd.DataFrame) -> str:
    """'. Notices are warnings, not layoffs: the record counts jobs lost, or expected to be, only in 2009-10 (2,000: …)':
    a notice is not a layoff, and the claim says 'years of lay-offs' (the sentence says so too when the record gives no
    count of jobs lost)."""
    lost = rows[rows["measure"].str.contains(JOBS_LOST, case=False) & (rows["value"] > 0)].sort_values("year", kind="stable")
    if lost.empty:
        return ". Notices are warnings, not layoffs, and the record gives no count of jobs lost"
    return (". Notices are warnings, not layoffs: the record counts jobs lost, or expected to be, only in "
            + listing(f"{r['year']} ({r['value']:,.0f}: {r['measure']})" for _, r in lost.iterrows()))


@method("layoff_record", params=LayoffRecordParams)
def layoff_record(claim: Claim, p: LayoffRecordParams, processed: Path | None) -> Result:
    """The district side from the layoff ledger (notices by year); the network side needs a public record of a
    reduction in force or its absence. A claim with an unverifiable half is rated can't verify, and the
    conclusion says what the verifiable half shows."""
    ledger = load("ledger_figures", processed)
    rows = layoff_rows(ledger)
    rows["start"] = rows["school_year_or_year"].str.extract(r"(20\d\d)")[0].astype(float)
    rows = rows[rows["start"] <= p.claim_year]
    rows["year"] = rows["school_year_or_year"].str[:7]
    # a year with a count of educators' notices is judged on it; that year's totals (which add administrators'
    # routine notices) are shown as context
    counted = rows["measure"].str.contains(EDUCATORS_ONLY)
    total_beside = ~counted & rows["year"].isin(rows.loc[counted, "year"])
    deciding = rows[~total_beside]
    years_with = sorted(deciding.loc[deciding["value"] > 0, "year"].unique())
    years_without = sorted(deciding.loc[deciding["value"] == 0, "year"].unique())
    evidence = evidence_frame(pd.concat([
        deciding.assign(item=deciding["measure"], year=deciding["school_year_or_year"], matches=deciding["value"] > 0),
        rows[total_beside].assign(item=rows[total_beside]["measure"] + " (with administrators' notices; the year's count of educators alone decides: context)",
                                  year=rows[total_beside]["school_year_or_year"], matches="")]))
    network = ledger[(ledger["entity"] == p.network) & ledger["measure"].str.contains(r"reduction in force|layoff", case=False)]
    listed = set(years_with) | set(years_without)
    unlisted = [school_year_label(y) for y in range(int(rows["start"].min()), p.claim_year + 1)
                if school_year_label(y) not in listed] if len(rows) else []
    district = (f"{LAUSD.short_name} issued layoff notices in {plural(len(years_with), 'school year')} up to {school_year_label(p.claim_year)} "
                f"({listing(years_with)})" + (f", none in {listing(years_without)}" if years_without else "")
                + (f"; the record has no figure for {listing(unlisted)}" if unlisted else ""))
    district += _jobs_lost(deciding)
    if network.empty:
        return Result(claim, CANT_VERIFY, district + f"; no public record was found of whether {p.network} ever reduced its "
                      "force, so the comparison cannot be checked.", evidence, [p.settles_with])
    network_cut = bool((network["value"] > 0).any())
    both_hold = len(years_with) >= 2 and not network_cut
    network_rows = evidence_frame(network.assign(item=network["measure"], year=network["school_year_or_year"], matches=network["value"] == 0))
    return Result(claim, "true" if both_hold else "false",
                  district + f"; {p.network} {'did' if network_cut else 'did not'} reduce its force per the record.",
                  pd.concat([evidence, network_rows], ignore_index=True))
