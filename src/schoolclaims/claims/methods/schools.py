"""Rating methods for the schools and class-size claims: a network's size, class size compared, a district's rank."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import Field, field_validator

from schoolclaims.entities import CALIFORNIA, DIRECTORY_VINTAGE, LAUSD, network as entity_network
from schoolclaims.tables import load
from schoolclaims.transform.class_size import RULES as CLASS_RULES
from schoolclaims.transform.schools import RULES
from schoolclaims.transform.staffing import network_ratios

from ..entities import UnknownEntity, district
from ..model import CANT_VERIFY, Claim, Result, evidence_frame
from ...years import school_year_label
from ..wording import listing, ordinal, possessive
from ._registry import Params, SchoolYear, Share, method


class NetworkSizeParams(Params):
    entity: str
    school_year: SchoolYear
    claimed_schools: int
    claimed_students: int  # "over N" students (or "about N" with over: false)
    over: bool = True  # the claim says "over N" students; false: "N" or "about N"
    network_rule: str  # the counting rule the network counts itself by (transform.schools.RULES)
    tolerance: Share  # a share of claimed_students: this far below it is near

    @field_validator("network_rule")
    @classmethod
    def _known_rule(cls, value: str) -> str:
        if value not in RULES:
            raise ValueError(f"expected one of {sorted(RULES)}")
        return value


def _size_alternatives(p: NetworkSizeParams, _result: Result) -> list[tuple[str, dict]]:
    """The other counting rule as the network's, and no or a wider margin below the claimed students."""
    rules = [(f"counting {rule}", {"network_rule": rule}) for rule in RULES if rule != p.network_rule]
    start = int(p.school_year[:4])
    years = [(f"in {school_year_label(y)}", {"school_year": school_year_label(y)}) for y in (start - 1, start + 1)]
    return rules + years + [(f"a student count {share:.0%} off the claimed one counts as near" if share else
                             "only the claimed student count itself counts", {"tolerance": share})
                            for share in (0.0, min(1.0, p.tolerance * 2.5))]


@method("network_size", params=NetworkSizeParams, alternatives=_size_alternatives)
def network_size(claim: Claim, p: NetworkSizeParams, processed: Path | None) -> Result:
    """A network's claimed school and student counts against the directory and Census Day enrollment.

    Schools: the claimed count must equal the count under ``network_rule`` (the way the network counts
    itself) for full credit, under the other rule for partial credit. Students: "over N" is met at N or
    more, and within ``tolerance`` below N counts as near; "about N" (``over`` false) is met within ``tolerance``
    either way, and near within twice it. Only a count met in full is marked a match in the evidence. Two full →
    true; one partial → mostly true; two partial or one missing → half true; one partial and one missing → mostly
    false; else false.
    """
    network = entity_network(p.entity)
    size = load("network_size", processed)
    rows = size[(size["network"] == network.name) & (size["school_year"] == p.school_year)]
    reported = load("ledger_figures", processed)
    reported = reported[reported["ledger"].str.endswith("network_size_reported")  # a network's own reported counts
                        & reported["entity"].isin([network.name, network.short_name])]
    if rows.empty or rows["students"].isna().all():
        return Result(claim, CANT_VERIFY, f"No archived directory and enrollment figures for {network.name} in {p.school_year}"
                      + (f" (membership is known as of the {rows['membership_as_of'].iloc[0]} only)." if len(rows) else "."),
                      evidence_frame(rows), [f"CDE FRPM or Census Day enrollment file for {p.school_year}: schoolclaims fetch cde_frpm"])
    by_rule = rows.set_index("counting_rule")
    school_rows = rows.assign(item="schools open on Census Day, " + rows["counting_rule"], entity=network.name,
                              year=rows["school_year"], value=rows["schools"].astype(float), unit="schools",
                              matches=rows["schools"] == p.claimed_schools, confidence="official file", source_url="")
    students = int(rows["students"].iloc[0])
    if p.over:  # "over N": N or more is right, within the tolerance below it is near
        student_score = 2 if students >= p.claimed_students else 1 if students >= p.claimed_students * (1 - p.tolerance) else 0
    else:  # "about N": within the tolerance either way is right, within twice it is near
        miss = abs(students - p.claimed_students) / p.claimed_students
        student_score = 2 if miss <= p.tolerance else 1 if miss <= 2 * p.tolerance else 0
    student_row = rows.head(1).assign(item="Census Day K-12 enrollment, all member schools", entity=network.name,
                                      year=rows["school_year"], value=float(students), unit="students",
                                      matches=student_score == 2, confidence="official file", source_url="")  # near is not a match
    context = reported.assign(item="the network's own count (reported, context)", year=reported["school_year_or_year"],
                              matches="", unit=reported["measure"])
    evidence = pd.concat([evidence_frame(school_rows), evidence_frame(student_row), evidence_frame(context)], ignore_index=True)
    counted = int(by_rule.loc[p.network_rule, "schools"])
    other = [int(v) for r, v in by_rule["schools"].items() if r != p.network_rule]
    school_score = 2 if counted == p.claimed_schools else 1 if p.claimed_schools in other else 0
    rating = {4: "true", 3: "mostly true", 2: "half true", 1: "mostly false", 0: "false"}[school_score + student_score]
    gap = students - p.claimed_students
    claimed = f"the claimed 'over {p.claimed_students:,}'" if p.over else f"the claimed {p.claimed_students:,}"
    conclusion = (f"On Census Day {p.school_year[:4]} {network.short_name or network.name} had {by_rule.loc['per CDS code', 'schools']} schools by CDS code "
                  f"and {by_rule.loc['6-12 campus as two', 'schools']} counting each 6-12 campus as a middle and a high school "
                  f"(the claim says {p.claimed_schools}); its schools enrolled {students:,} K-12 students, "
                  + (f"{gap:,} more than {claimed}." if gap >= 0 else f"{-gap:,} ({-gap / p.claimed_students:.1%}) short of {claimed}."))
    if int(p.school_year[:4]) >= int(DIRECTORY_VINTAGE[:4]):  # Census Day (October) falls after the June snapshot
        conclusion += (f" Membership is as of the {rows['membership_as_of'].iloc[0]}: a school the network opened later "
                       "is not counted.")
    return Result(claim, rating, conclusion, evidence)


def _class_files_missing(years: list[str]) -> list[str]:
    return [f"CDE ClassEnrollment{y[2:4]}.zip, CoursesTaught{y[2:4]}.zip and AssignmentCodes12On.xlsx for {y} "
            f"(https://www.cde.ca.gov/ds/ad/filesassign.asp); online, run: schoolclaims fetch cde_class_level && schoolclaims build"
            for y in years]


STAFFING_ITEM = "pupils per FTE teacher (staffing ratio, NOT class size; context only)"


def _staffing_context(group: str, years: list[str], processed: Path | None) -> pd.DataFrame:
    """The group's pupils per FTE teacher in the claim's years (CCD 2015-16 via a third party), as context rows: the
    sum over its plausible schools, and each school left out with why. Empty when the group is no network the data
    defines or no year is covered."""
    try:
        name = entity_network(group).name
        table = load("charter_staffing_2015_16", processed)
    except (KeyError, FileNotFoundError):
        return evidence_frame(pd.DataFrame())
    rows = table[(table["network"] == name) & table["school_year"].isin(years)]
    if rows.empty:
        return evidence_frame(pd.DataFrame())
    ratio = network_ratios(rows)
    summed = ratio.assign(item=STAFFING_ITEM + ", " + ratio["schools_summed"].astype(str) + " of "
                          + ratio["schools"].astype(str) + " schools summed", entity=name, year=rows["school_year"].iloc[0],
                          value=ratio["pupils_per_teacher"], unit="pupils per FTE teacher", matches="",
                          definition="students ÷ FTE teachers, schools within the stated band only",
                          confidence="third-party copy of an official file", source_id="ccd_charters_1516",
                          file_sha256=rows["file_sha256"].str.split("+").str[0].iloc[0],
                          locator=f"sum of {len(rows)} rows of charter_staffing_2015_16.csv")
    out = rows[~rows["plausible"]]
    left = out.assign(item="left out of the sum: " + out["school"] + " (" + out["flag"] + ")", entity=name,
                      year=out["school_year"], value=out["pupils_per_teacher"], unit="pupils per FTE teacher", matches="",
                      confidence="third-party copy of an official file")
    return pd.concat([evidence_frame(summed), evidence_frame(left)], ignore_index=True)


class ClassSizeSmallerParams(Params):
    years: list[SchoolYear]
    rule: str  # the class_size_comparison rule
    content_areas: list[str]
    group: str
    compare_with: list[str] = Field(min_length=1)  # the first group decides the rating; the others are evidence


def _class_rule_alternatives(p, _result: Result) -> list[tuple[str, dict]]:
    """The other class-size rule (CALPADS or SARC)."""
    return [(f"rule: {rule.split(':')[0]}", {"rule": rule}) for rule in CLASS_RULES if rule != p.rule]


def _class_alternatives(p: ClassSizeSmallerParams, result: Result) -> list[tuple[str, dict]]:
    """The other rule, and each comparison group as the one that decides."""
    groups = [(f"compared with {g}", {"compare_with": [g] + [x for x in p.compare_with if x != g]}) for g in p.compare_with[1:]]
    return _class_rule_alternatives(p, result) + groups


@method("class_size_smaller", params=ClassSizeSmallerParams, alternatives=_class_alternatives)
def class_size_smaller(claim: Claim, p: ClassSizeSmallerParams, processed: Path | None) -> Result:
    """Are the group's classes smaller than the comparison group's, on both means, in every cell compared?

    Cells: school year × campus type × content area, where both groups have classes. Share of cells where
    the claim holds on both the class-weighted and the student-weighted mean: all → true, 3/4 or more →
    mostly true, 2/5 or more → half true, some → mostly false, none → false.
    """
    table = load("class_size_comparison", processed)
    table = table[table["school_year"].isin(p.years) & (table["rule"] == p.rule) & table["content_area"].isin(p.content_areas)]
    absent = [y for y in p.years if y not in set(table["school_year"])]
    staffing = _staffing_context(p.group, p.years, processed)
    if table.empty:
        return Result(claim, CANT_VERIFY, "The class-level files that settle this are not archived, so class size cannot be "
                      "computed; pupil-teacher ratios are a staffing measure and are not used in their place.",
                      staffing, _class_files_missing(p.years))
    keys = ["school_year", "campus", "content_area"]
    ours = table[table["group"] == p.group].set_index(keys)
    rows, cells = [], 0
    for comparison_group in p.compare_with:
        theirs = table[table["group"] == comparison_group].set_index(keys)
        both = ours.merge(theirs, left_index=True, right_index=True, suffixes=("_a", "_b"))
        smaller = (both["class_weighted_mean_a"] < both["class_weighted_mean_b"]) & (both["student_weighted_mean_a"] < both["student_weighted_mean_b"])
        if comparison_group == p.compare_with[0]:
            cells, hits = len(both), int(smaller.sum())
        for (year, campus, area), row in both.iterrows():
            for mean in ("class_weighted_mean", "student_weighted_mean"):
                rows.append({"item": f"{campus} {area}, {mean.replace('_', ' ')}: {p.group} {row[mean + '_a']:.1f} vs {comparison_group}",
                             "entity": comparison_group, "year": year, "value": row[mean + "_b"], "unit": "students per class",
                             "matches": bool(row[mean + "_a"] < row[mean + "_b"]), "confidence": "official file",
                             "source_id": row["source_id_a"], "file_sha256": row["file_sha256_a"], "locator": row["locator_a"]})
    evidence = pd.concat([evidence_frame(pd.DataFrame(rows)), staffing], ignore_index=True)
    if cells == 0:
        return Result(claim, CANT_VERIFY, f"No campus type and content area where both {p.group} and {p.compare_with[0]} have classes.",
                      evidence, _class_files_missing(absent))
    share = hits / cells
    rating = "true" if share == 1 else "mostly true" if share >= 0.75 else "half true" if share >= 0.4 else "mostly false" if hits else "false"
    conclusion = (f"{p.group} classes were smaller than {p.compare_with[0]} on both the class-weighted and the student-weighted "
                  f"mean in {hits} of {cells} year × campus type × content area comparisons ({p.rule.split(':')[0]} rules).")
    return Result(claim, rating, conclusion, evidence, _class_files_missing(absent))


class DistrictClassSizeRankParams(Params):
    years: list[SchoolYear]
    rule: str  # the class_size_by_district rule
    district_cds: str = Field(pattern=r"^\d{14}$")  # the district's 14-digit CDS code
    largest_n: int  # compared among this many largest districts of the state
    national_source: str | None = None  # a national claim ("highest in the country"): what would settle it
    claimed_from_smallest: int | None = None  # a claim of a rank counted from the smallest classes (2 = second lowest)


@method("district_class_size_rank", params=DistrictClassSizeRankParams, alternatives=_class_rule_alternatives)
def district_class_size_rank(claim: Claim, p: DistrictClassSizeRankParams, processed: Path | None) -> Result:
    """Is the district's class size the highest? Checked among the state's largest districts (by students in
    classes): if it is not the highest there, a national "highest" is false; if it is, the national claim
    still needs other states' data (can't verify). Staffing ratios are shown as context only."""
    table = load("class_size_by_district", processed)
    table = table[table["school_year"].isin(p.years) & (table["rule"] == p.rule)]
    ledger = load("ledger_figures", processed)
    ratios = ledger[(ledger["measure"] == "pupil_teacher_ratio") & (ledger["cds_code"] == p.district_cds)]
    context = evidence_frame(ratios.assign(item="pupil-teacher ratio (staffing ratio, NOT class size; context only)",
                                      year=ratios["school_year_or_year"], matches=""))
    if p.national_source:  # states' average class size (NTPS): context for "highest in the country"
        ntps = ledger[ledger["measure"] == "average_class_size_ntps"]
        context = pd.concat([context, evidence_frame(ntps.assign(
            item="state average class size, NTPS (" + ntps["grade_span_or_subject"] + "; context, not this district)",
            year=ntps["school_year_or_year"], matches=""))], ignore_index=True)
    national = ([f"average class size for the largest U.S. districts, with the measure stated ({p.national_source}); a "
                 "pupil-teacher ratio does not settle it"]
                if p.national_source else [])
    if table.empty:
        return Result(claim, CANT_VERIFY, "Class size by district needs the CDE class-level files, which are not archived"
                      + ("; the national comparison needs other states' data as well." if national else "."),
                      context, _class_files_missing(p.years) + national)
    rows = []
    for year, group in table.groupby("school_year"):
        largest = group.nlargest(p.largest_n, "students").sort_values("class_weighted_mean", ascending=False)
        largest = largest.assign(rank=range(1, len(largest) + 1))
        rows.append(largest)
    ranked = pd.concat(rows)
    ours = ranked[ranked["district_code"] == p.district_cds[:7]]
    evidence = pd.concat([evidence_frame(ranked.assign(item=f"class-weighted mean class size, rank among the {p.largest_n} largest {CALIFORNIA.name} districts (1 = largest classes)",
                                                  entity=ranked["district_code"], year=ranked["school_year"], value=ranked["class_weighted_mean"],
                                                  unit="students per class", matches=ranked["district_code"] == p.district_cds[:7],
                                                  confidence="official file")), context], ignore_index=True)
    if ours.empty:
        return Result(claim, CANT_VERIFY, "The district is not among the largest districts in the archived class-level files.", evidence, national)
    district = _district_name(p.district_cds, processed)
    if p.claimed_from_smallest is not None:
        return _rank_from_smallest(claim, p, ranked, ours, district, evidence)
    worst = ours["rank"].min()
    if worst > 1:
        return Result(claim, "false", f"Among the {p.largest_n} largest {CALIFORNIA.name} districts, {possessive(district)} average class size ranked "
                      + listing(f"{ordinal(r['rank'])} in {r['school_year']}" for _, r in ours.iterrows())
                      + " (1 = largest); a district that is not highest in its state cannot be highest in the country.", evidence)
    return Result(claim, CANT_VERIFY, f"{district} had the largest average classes among the {p.largest_n} largest {CALIFORNIA.name} districts; "
                  "whether that holds nationally needs other states' data.", evidence, national)


def _district_name(cds: str, processed: Path | None) -> str:
    """How a conclusion names the district of a CDS code: LAUSD's short name, else its directory name."""
    if LAUSD.owns(cds):
        return LAUSD.short_name
    try:
        return district(cds[:7], processed).name
    except (UnknownEntity, FileNotFoundError):
        return f"district {cds[:7]}"


def _rank_from_smallest(claim: Claim, p: DistrictClassSizeRankParams, ranked: pd.DataFrame, ours: pd.DataFrame,
                        district: str, evidence: pd.DataFrame) -> Result:
    """'Nth lowest average class size among the largest districts': equal in every year → true; one place off in
    some year → mostly true; else false."""
    counts = ranked.groupby("school_year")["rank"].max()
    from_smallest = [int(counts[r["school_year"]] - r["rank"] + 1) for _, r in ours.iterrows()]
    off = [abs(n - p.claimed_from_smallest) for n in from_smallest]
    rating = "true" if max(off) == 0 else "mostly true" if max(off) <= 1 else "false"
    years = listing(f"{ordinal(n)} lowest in {y}" for n, y in zip(from_smallest, ours["school_year"]))
    return Result(claim, rating, f"Among the {p.largest_n} largest {CALIFORNIA.name} districts, {possessive(district)} "
                  f"class-weighted mean class size ranked {years}; the claim says {ordinal(p.claimed_from_smallest)} lowest.",
                  evidence)
