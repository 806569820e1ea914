"""Rating methods for the funding claims: targets, ranks, "richest state", a claimed amount."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import Field, model_validator

from schoolclaims.tables import load
from schoolclaims.transform.funding import MEASURES

from ...years import school_year_label
from ..entities import UnknownEntity, district, per_pupil_rows
from ..model import CANT_VERIFY, Claim, Result, evidence_frame
from ..wording import dollars, listing, ordinal, plural
from ._registry import Params, method

MEASURE_NAMES = {k: v["measure"] for k, v in MEASURES.items()}


def _defined(rows: pd.DataFrame) -> pd.DataFrame:
    """per_pupil_funding rows with their definition: what is divided by what."""
    return rows.assign(definition=rows["numerator"] + " ÷ " + rows["denominator"])


class TargetThresholdParams(Params):
    entity: str
    threshold: float  # nominal dollars per pupil
    target_years: list[str]  # school years, "2019-20"
    measures: list[str]  # measure_id values of per_pupil_funding
    missing_sources: dict[str, str]  # measure_id -> how to get the figure when it is not archived


def _threshold_alternatives(p: TargetThresholdParams, _result: Result) -> list[tuple[str, dict]]:
    """Each target year alone, and each measure alone."""
    years = [(f"only {y}", {"target_years": [y]}) for y in p.target_years] if len(p.target_years) > 1 else []
    measures = [(f"only {MEASURE_NAMES.get(m, m)}", {"measures": [m]}) for m in p.measures] if len(p.measures) > 1 else []
    return years + measures


@method("target_threshold", params=TargetThresholdParams, alternatives=_threshold_alternatives)
def target_threshold(claim: Claim, p: TargetThresholdParams, processed: Path | None) -> Result:
    """Did the entity reach ``threshold`` (nominal dollars) in a target year, under each measure?"""
    table = per_pupil_rows(p.entity, processed)
    name = table["entity"].iloc[0] if len(table) else p.entity  # a district named by its code reads as its name
    rows = table[table["measure_id"].isin(p.measures)]
    nominal = rows[rows["dollars"] == "nominal"]
    target_rows = nominal[nominal["school_year"].isin(p.target_years)].copy()
    target_rows["matches"] = target_rows["value"] >= p.threshold
    evidence = evidence_frame(_defined(target_rows), {"measure": "item", "school_year": "year"}, unit="USD nominal")
    missing = [f"{m} for {y}: {p.missing_sources.get(m, 'no archived source')}"
               for m in p.measures for y in p.target_years
               if not ((target_rows["measure_id"] == m) & (target_rows["school_year"] == y)).any()]
    first = {}
    for measure_id, group in nominal.groupby("measure_id"):
        hit = group[group["value"] >= p.threshold].sort_values("school_year")
        first[measure_id] = hit["school_year"].iloc[0] if len(hit) else None
    years, target = listing(p.target_years), dollars(p.threshold)
    if target_rows.empty:
        return Result(claim, CANT_VERIFY, f"No archived figure for {name} in {years}.", evidence, missing)
    hits = target_rows[target_rows["matches"]]
    rating = "met" if len(hits) == len(target_rows) else "met under some measures" if len(hits) else "not met"

    def figure(row) -> str:
        return f"{dollars(row['value'])} ({row['measure']}, {row['school_year']})"

    figures = plural(len(target_rows), "archived figure")
    if len(hits) == 0:
        best = target_rows.loc[target_rows["value"].idxmax()]
        conclusion = f"In {years}, none of the {figures} for {name} reached {target} per pupil; the highest was {figure(best)}."
    elif len(hits) == len(target_rows):
        lowest = target_rows.loc[target_rows["value"].idxmin()]
        conclusion = f"In {years}, all {figures} for {name} reached {target} per pupil; the lowest was {figure(lowest)}."
    else:
        conclusion = (f"In {years}, {len(hits)} of the {figures} for {name} reached {target} per pupil: "
                      f"{listing(figure(r) for _, r in hits.iterrows())}; {len(target_rows) - len(hits)} did not.")
    later = [f"{MEASURE_NAMES.get(m, m)} first reached {target} in {y}" for m, y in sorted(first.items())
             if y and y > max(p.target_years)]
    never = [MEASURE_NAMES.get(m, m) for m, y in sorted(first.items()) if not y]
    if later:
        conclusion += f" Later, {listing(later)}."
    if never:
        conclusion += f" {listing(never)} never reached it in the archived years."
    return Result(claim, rating, conclusion + " Nominal dollars.", evidence, missing)


class ClaimedRankParams(Params):
    table: Literal["state_rankings", "largest_school_systems", "ledger_figures"]
    entity: str
    measure: str | None = None  # the ledger measure holding the rank (table ledger_figures)
    claimed: int
    tolerance: int = 0  # ranks this far from the claimed one count as a match
    mode: Literal["all_rankings", "latest"]
    as_of_year: int | None = None  # mode latest: the last year known when the claim was made
    window: tuple[int, int]  # first and last year (a school year's first year) of the rankings compared
    reported_by: int | None = None  # leave out rankings published after this year
    publishers: list[str] | None = None  # only rankings by these publishers (state_rankings); None: every one
    missing_source: str = "a ranking for the years around the claim"

    @model_validator(mode="after")
    def _needed(self) -> ClaimedRankParams:
        if self.table == "ledger_figures":
            self.require("measure", when="table is ledger_figures")
        if self.mode == "latest":
            self.require("as_of_year", when="mode is latest")
        return self


def _rank_rows(p: ClaimedRankParams, processed: Path | None) -> pd.DataFrame:
    """Rows of a ranking table in a common shape: item, entity, year, rank, of_n + provenance."""
    if p.table == "state_rankings":
        t = load("state_rankings", processed)
        t = t[t["state"] == p.entity]
        year = t["data_year"].where(t["data_year"] != "", "reported " + t["reported_year"].astype(str))
        adjustment = ("cost adjustment: " + t["adjustment"]).where(~t["adjustment"].isin(["", "none"]), "no cost adjustment")
        measured = ("; states ranked by " + t["value_unit"]).where(t["value_unit"] != "", "")
        return t.assign(item=t["ranking"] + " — " + t["publisher"], entity=t["state"], year=year,
                        definition="1 = highest; " + adjustment + measured,
                        year_start=t["data_year"].str[:4].where(t["data_year"] != "", (t["reported_year"] - 1).astype(str)).astype(int),
                        unit="rank" + t["of_n"].astype(object).map(lambda n: f" of {n}" if pd.notna(n) else "").astype(str))
    if p.table == "largest_school_systems":
        t = load("largest_school_systems", processed)
        t = t[t["school_system"] == p.entity]
        return t.assign(item="Census F-33 Table 18: enrollment rank among U.S. school systems", entity=t["school_system"],
                        year=t["school_year"], year_start=t["school_year"].str[:4].astype(int),
                        rank=t["enrollment_rank"], unit="rank by enrollment", confidence="official file", source_url="",
                        definition="U.S. school systems ranked by fall enrollment (1 = largest)")
    t = load("ledger_figures", processed)  # table ledger_figures
    t = t[(t["entity"] == p.entity) & (t["measure"] == p.measure)]
    return t.assign(item=t["measure"], year=t["school_year_or_year"], year_start=t["school_year_or_year"].str[:4].astype(int),
                    rank=t["value"].astype(int), unit="rank")


def _rank_alternatives(p: ClaimedRankParams, result: Result) -> list[tuple[str, dict]]:
    """A rank one off counting as a match; for the latest figure, the year known one earlier or later; for every
    ranking in the window, each publisher alone and the latest ranking alone."""
    alternatives = [("a rank within one of the claim counts", {"tolerance": p.tolerance + 1})]
    if p.mode == "latest":
        return alternatives + [("as known a year earlier", {"as_of_year": p.as_of_year - 1}),
                               ("as known a year later", {"as_of_year": p.as_of_year + 1}),
                               ("every figure in the window counts", {"mode": "all_rankings"})]
    alternatives.append(("only the latest ranking in the window", {"mode": "latest", "as_of_year": p.window[1]}))
    if p.table == "state_rankings":
        publishers = sorted({item.split(" — ")[-1] for item, m in zip(result.evidence["item"], result.evidence["matches"])
                             if not isinstance(m, str)})
        alternatives += [(f"only {name}", {"publishers": [name]}) for name in publishers] if len(publishers) > 1 else []
    return alternatives


@method("claimed_rank", params=ClaimedRankParams, alternatives=_rank_alternatives)
def claimed_rank(claim: Claim, p: ClaimedRankParams, processed: Path | None) -> Result:
    """Is the entity's rank the claimed one?

    mode 'all_rankings': every ranking in the window counts (different publishers measure differently);
    mode 'latest': the latest year at or before ``as_of_year`` decides, later years are context.
    """
    rows = _rank_rows(p, processed)
    rows = rows.assign(matches=~rows["item"].str.contains(r"unnamed|unstated", case=False))  # False: publisher not named
    if p.publishers is not None:
        rows = rows[rows["item"].str.split(" — ", regex=False).str[-1].isin(p.publishers)]
    low, high = p.window
    rows = rows[(rows["year_start"] >= low) & (rows["year_start"] <= high)]
    if p.reported_by is not None and "reported_year" in rows:  # leave out rankings published after the claim
        rows = rows[rows["reported_year"].isna() | (rows["reported_year"] <= p.reported_by)]
    rows = rows.sort_values(["year_start", "item"])
    named, unnamed = rows[rows["matches"]], rows[~rows["matches"]]  # an unnamed study cannot be checked: context only
    rows = named.assign(matches=(named["rank"] - p.claimed).abs() <= p.tolerance)
    evidence = evidence_frame(pd.concat([rows, unnamed.assign(matches="", item=unnamed["item"] + " (publisher not named: context)")])
                              .drop(columns=["value"], errors="ignore"), {"rank": "value"})
    if rows.empty:
        return Result(claim, CANT_VERIFY, f"No archived ranking for {p.entity} between {low} and {high}.",
                      evidence, [p.missing_source])
    if p.mode == "latest":
        known = rows[rows["year_start"] <= p.as_of_year]
        if known.empty:
            return Result(claim, CANT_VERIFY, f"No archived figure for {p.entity} up to {p.as_of_year}.", evidence,
                          [p.missing_source])
        latest = known.iloc[-1]
        later = rows[rows["year_start"] > p.as_of_year]
        rating = "true" if latest["matches"] else "mostly true" if abs(latest["rank"] - p.claimed) <= 1 else "false"
        conclusion = (f"The latest figure available when the claim was made ({latest['year']}) ranks {p.entity} "
                      f"{ordinal(latest['rank'])}; the claim says {ordinal(p.claimed)}.")
        if len(later):
            later_figures = dict.fromkeys(f"{ordinal(r['rank'])} in {r['year']}" for _, r in later.iterrows())  # one per source
            conclusion += " Later figures: " + listing(later_figures) + "."
        return Result(claim, rating, conclusion, evidence)
    hits = rows[rows["matches"]]
    others = rows[~rows["matches"]]
    rating = "true" if len(hits) == len(rows) else "half true" if len(hits) else "false"
    matching = "match" if p.tolerance == 0 else f"within {p.tolerance} of"
    if len(rows) == 1:
        matching = matching.replace("match", "matches") if p.tolerance == 0 else "is " + matching
    conclusion = (f"{len(hits)} of {plural(len(rows), 'archived ranking')} from {low} to {high} {matching} the claimed "
                  f"{ordinal(p.claimed)} for {p.entity}")
    if len(hits) and len(others):
        publishers = listing(sorted({r['item'].split(' — ')[-1] for _, r in hits.iterrows()}))
        conclusion += (f" ({publishers}); the others rank it {listing(ordinal(r['rank']) for _, r in others.iterrows())}, "
                       "so the rank depends on which ranking is meant.")
    elif len(others):
        conclusion += f"; they rank it {listing(ordinal(r['rank']) for _, r in others.iterrows())}."
    else:
        conclusion += "."
    return Result(claim, rating, conclusion, evidence)


class RichestStateParams(Params):
    entity: str
    years: list[int]
    household_income_measure: str  # the ledger measure holding the median household income rank
    per_person: list[Literal["GDP per person", "Per-capita personal income", "Median household income"]] = [
        "GDP per person", "Per-capita personal income", "Median household income"]  # the measures of "richest"


def _richest_alternatives(p: RichestStateParams, _result: Result) -> list[tuple[str, dict]]:
    """Each per-person measure alone, and each year alone."""
    measures = [(f"only {m.lower() if not m[:2].isupper() else m}", {"per_person": [m]}) for m in p.per_person]
    years = [(f"only {y}", {"years": [y]}) for y in p.years] if len(p.years) > 1 else []
    return measures + years


@method("richest_state", params=RichestStateParams, alternatives=_richest_alternatives)
def richest_state(claim: Claim, p: RichestStateParams, processed: Path | None) -> Result:
    """Rank on total GDP vs per-person measures (GDP per capita, per-capita income, median household income)."""
    economy = load("state_economy", processed)
    rows = economy[(economy["state"] == p.entity) & economy["year"].isin(p.years)]
    parts = []
    for column, label, per_person in [("gdp_musd", "GDP, current dollars (BEA SAGDP1)", False),
                                      ("gdp_per_capita", "GDP per person (BEA SAGDP1 ÷ SAINC1 population)", True),
                                      ("per_capita_personal_income", "Per-capita personal income (BEA SAINC1)", True)]:
        parts.append(rows.assign(item=label, per_person=per_person, rank=rows[f"{column}_rank"].astype(int),
                                 definition="current dollars; the 50 states ranked, 1 = highest (DC listed, not ranked)",
                                 year=rows["year"].astype(str), unit="rank among 50 states", confidence="official file",
                                 source_url=""))
    ledger = load("ledger_figures", processed)
    mhi = ledger[(ledger["entity"] == p.entity) & (ledger["measure"] == p.household_income_measure)
                 & ledger["school_year_or_year"].isin([str(y) for y in p.years])]
    parts.append(mhi.assign(item="Median household income (ACS; rank incl. DC)", per_person=True,
                            rank=mhi["value"].astype(int), year=mhi["school_year_or_year"], unit="rank of 51 (incl. DC)"))
    table = pd.concat(parts, ignore_index=True)
    table = table[~table["per_person"] | table["item"].str.split(" (", regex=False).str[0].isin(p.per_person)]
    table = table.assign(matches=table["rank"] == 1)
    evidence = evidence_frame(table.drop(columns=["value"], errors="ignore"), {"rank": "value"}, entity=p.entity)
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
    connector = "but" if total["matches"].all() != person["matches"].all() else "and"
    conclusion = (f"In {listing(str(y) for y in p.years)}, {p.entity} ranked {_ranks_by_year(total)} among the states in "
                  f"total GDP {connector} {_ranks_by_year(person)}.")
    return Result(claim, rating, conclusion, evidence)


def _ranks_by_year(rows: pd.DataFrame) -> str:
    """'5th in GDP per person (2016 and 2017) and 6th in per-capita personal income (2016)'; a single measure
    drops its name ('1st (2016) and 2nd (2017)', or '1st' when the years agree)."""
    names = rows["item"].str.split(" (", regex=False).str[0]
    parts = []
    for (item, rank), group in rows.groupby([names, "rank"], sort=False):
        name = item if item[:2].isupper() else item[0].lower() + item[1:]  # "GDP per person", "per-capita income"
        parts.append((name, ordinal(rank), listing(group["year"])))
    if names.nunique() == 1:
        return parts[0][1] if len(parts) == 1 else listing(f"{rank} ({years})" for _, rank, years in parts)
    return listing(f"{rank} in {name} ({years})" for name, rank, years in parts)


class ValueNearParams(Params):
    entity: str
    claimed: float  # nominal dollars per pupil
    tolerance: float  # a share of claimed: 0.10 is within 10%
    window: tuple[str, str]  # first and last school year


def _near_alternatives(p: ValueNearParams, _result: Result) -> list[tuple[str, dict]]:
    return [(f"within {share:.0%}", {"tolerance": share}) for share in (p.tolerance / 2, p.tolerance * 1.5)] + [
        (f"only {p.window[1]}", {"window": (p.window[1], p.window[1])})]


@method("value_near", params=ValueNearParams, alternatives=_near_alternatives)
def value_near(claim: Claim, p: ValueNearParams, processed: Path | None) -> Result:
    """Is the claimed amount within ``tolerance`` of the latest figure of each measure in the window?"""
    table = per_pupil_rows(p.entity, processed)
    rows = table[(table["dollars"] == "nominal")
                 & table["school_year"].between(p.window[0], p.window[1])].sort_values(["school_year", "vintage"])
    latest = rows.groupby("measure_id").tail(1).sort_values("measure_id")
    low, high = p.claimed * (1 - p.tolerance), p.claimed * (1 + p.tolerance)
    latest = latest.assign(matches=latest["value"].between(low, high))
    evidence = evidence_frame(_defined(latest), {"measure": "item", "school_year": "year"}, unit="USD nominal")
    if latest.empty:
        return Result(claim, CANT_VERIFY, f"No archived per-pupil figure for {p.entity} in the window.", evidence,
                      [f"per-pupil data for {p.entity}"])
    hits = latest[latest["matches"]]
    rating = "true" if len(hits) == len(latest) else "half true" if len(hits) else "false"
    conclusion = (f"{len(hits)} of {plural(len(latest), 'measure')} (the latest figure of each, {p.window[0]} to {p.window[1]}) "
                  f"{'falls' if len(hits) == 1 else 'fall'} within {p.tolerance:.0%} of {dollars(p.claimed)}; the figures range "
                  f"from {dollars(latest['value'].min())} to {dollars(latest['value'].max())} depending on what is counted "
                  "and divided by what (nominal dollars).")
    return Result(claim, rating, conclusion, evidence)


class DistrictSpendingParams(Params):
    school_year: str  # "2018-19"
    higher: str = Field(min_length=2)  # the district claimed to spend more: CDE county-district code or directory name
    lower: str = Field(min_length=2)  # and the one claimed to spend less
    margin: float = 0.0  # "more" means at least this share more (0.10: 10% more)


def _spending_alternatives(p: DistrictSpendingParams, _result: Result) -> list[tuple[str, dict]]:
    start = int(p.school_year[:4])
    years = [(f"in {school_year_label(y)}", {"school_year": school_year_label(y)}) for y in (start - 1, start + 1)]
    return years + [(f"'more' means at least {share:.0%} more", {"margin": share}) for share in (0.05, 0.10) if share != p.margin]


@method("district_spending_comparison", params=DistrictSpendingParams, alternatives=_spending_alternatives)
def district_spending_comparison(claim: Claim, p: DistrictSpendingParams, processed: Path | None) -> Result:
    """Does one California school district spend more per pupil than another in a school year? CDE current expense
    of education per ADA (every district, 1998-99 on): more by the margin → true; more but by less → mostly true;
    not more → false; a district or year missing → can't verify."""
    try:
        codes = [district(name, processed).district_code for name in (p.higher, p.lower)]
    except UnknownEntity as exc:
        return Result(claim, CANT_VERIFY, f"{exc}.", evidence_frame(pd.DataFrame()), ["the district's CDE name or county-district code"])
    table = load("cde_current_expense", processed)
    rows = table[(table["school_year"] == p.school_year) & (table["level"] == "lea") & table["cds"].isin(codes)]
    rows = rows.set_index("cds").reindex(codes).reset_index()
    complete = rows["per_ada"].notna().all()
    more = rows["per_ada"].iloc[0] / rows["per_ada"].iloc[1] - 1 if complete else float("nan")
    evidence = evidence_frame(rows.dropna(subset=["per_ada"]).assign(
        item="current expense of education per ADA", entity=rows["lea_name"], year=rows["school_year"], value=rows["per_ada"],
        unit="USD per ADA, nominal", definition=MEASURES["cde_current_expense_per_ada"]["numerator"] + " ÷ "
        + MEASURES["cde_current_expense_per_ada"]["denominator"], confidence="official file", source_url="",
        matches=[bool(more > 0), ""][:len(rows)] if complete else ""))  # the first district decides; the second is context
    if not complete:
        absent = listing(c for c, v in zip(rows["cds"], rows["per_ada"]) if pd.isna(v))
        return Result(claim, CANT_VERIFY, f"No CDE current expense figure for district {absent} in {p.school_year}.", evidence,
                      [f"the CDE Current Expense of Education file for {p.school_year}: schoolclaims fetch cde_current_expense"])
    (a_name, a), (b_name, b) = zip(rows["lea_name"], rows["per_ada"])
    rating = "true" if more >= p.margin and more > 0 else "mostly true" if more > 0 else "false"
    conclusion = (f"In {p.school_year}, {a_name} spent {dollars(a)} per unit of average daily attendance and {b_name} "
                  f"{dollars(b)} (CDE current expense of education per ADA, nominal): {a_name} spent "
                  + (f"{more:.1%} more." if more > 0 else f"{-more:.1%} less."))
    return Result(claim, rating, conclusion, evidence)
