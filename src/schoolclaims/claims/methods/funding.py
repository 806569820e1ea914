"""Rating methods for the funding claims: targets, ranks, "richest state", a claimed amount."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import Field, field_validator, model_validator

from schoolclaims.tables import load
from schoolclaims.transform.funding import COST_ADJUSTED, MEASURES

from ...transform.grades import FIRST_HAND, preferred, with_grades
from ...transform.published import published_and_revision, release_dates
from ...years import date_span, period, school_year_label
from ..asof import AMBIGUOUS, KNOWN, LATER, UNDATED, claim_date, statuses
from ..asof import note as asof_note
from ..entities import UnknownEntity, district, entity_name, per_pupil_rows, unknown_name
from ..model import CANT_VERIFY, Claim, Result, decides, evidence_frame
from ..wording import dollars, listing, more_means, ordinal, plural
from ._registry import Params, SchoolYear, Share, method

MEASURE_NAMES = {k: v["measure"] for k, v in MEASURES.items()}


def _defined(rows: pd.DataFrame) -> pd.DataFrame:
    """per_pupil_funding rows with their definition: what is divided by what."""
    return rows.assign(definition=rows["numerator"] + " ÷ " + rows["denominator"])


class TargetThresholdParams(Params):
    entity: str
    threshold: float  # nominal dollars per pupil
    target_years: list[SchoolYear]  # school years, "2019-20"
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


class Edition(Params):
    publisher: str  # as in state_rankings.publisher, e.g. "Education Week, Quality Counts"
    published: str = Field(pattern=r"^\d{4}(-\d{2}){0,2}$")  # the edition's publication date (a year will do)
    why: str  # what shows that the claim repeats this edition (the claimant names it, contemporaneous citations)


class ClaimedRankParams(Params):
    table: Literal["state_rankings", "largest_school_systems", "ledger_figures"]
    entity: str
    measure: str | None = None  # the ledger measure holding the rank (table ledger_figures)
    claimed: int
    tolerance: int = 0  # ranks this far from the claimed one count as a match
    mode: Literal["all_rankings", "latest"]
    as_of_year: int | None = None  # mode latest: the last data year a figure may be for (kept for older claim files)
    window: tuple[int, int]  # first and last year (a school year's first year) of the rankings compared
    reported_by: int | None = None  # leave out rankings reported after this year (kept for older claim files)
    publishers: list[str] | None = None  # only rankings by these publishers (state_rankings); None: every one
    edition: Edition | None = None  # the ranking the claim repeats: judged against it first, the others are context
    known_by: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}){0,2}$")  # judge as known at this date
    # instead of the claim's (what-ifs and the sensitivity table)
    missing_source: str = "a ranking for the years around the claim"

    @model_validator(mode="after")
    def _needed(self) -> ClaimedRankParams:
        if self.table == "ledger_figures":
            self.require("measure", when="table is ledger_figures")
        return self


def _publisher_org(publisher: str) -> str:
    """The organisation behind a ranking ("U.S. Census Bureau, F-33 (as quoted)" -> "U.S. Census Bureau")."""
    return str(publisher).split(",")[0].strip()


def _measure_family(ranking: str, lower: bool = True) -> str:
    """A ranking's measure without its publisher's name, table number and the word rank, so that a file's row and
    a quote of it fall together: "Census F-33 current spending per pupil (Table 11)" and "Census current spending
    per pupil rank" are both "current spending per pupil" (in lower case unless ``lower`` is False: for readers)."""
    text = re.sub(r"\([^)]*\)", "", str(ranking))
    text = re.sub(r"^(Census(?: F-33)?|QC|NEA|NCES|ELC|CBPC)\s+", "", text.strip())
    text = re.sub(r"\s+rank\s*$", "", text.strip(), flags=re.I).strip()
    return text.lower() if lower else text


def _rank_rows(p: ClaimedRankParams, processed: Path | None) -> pd.DataFrame:
    """Rows of a ranking table in a common shape: item, entity, year, rank, unit, series (one key per ranking
    series: publisher and measure), ranking (one key per ranking: series and data year), publisher, published +
    provenance."""
    if p.table == "state_rankings":
        t = load("state_rankings", processed)
        t = t[t["state"] == p.entity]
        year = t["data_year"].where(t["data_year"] != "", "reported " + t["reported_year"].astype(str))
        adjustment = ("cost adjustment: " + t["adjustment"]).where(~t["adjustment"].isin(["", "none"]), "no cost adjustment")
        measured = ("; states ranked by " + t["value_unit"]).where(t["value_unit"] != "", "")
        series = pd.Series([f"{_publisher_org(pub)} | {_measure_family(r)}" for pub, r in zip(t["publisher"], t["ranking"])],
                           index=t.index, dtype=object)
        return t.assign(item=t["ranking"] + " — " + t["publisher"], entity=t["state"], year=year,
                        definition="1 = highest; " + adjustment + measured,
                        year_start=t["data_year"].str[:4].where(t["data_year"] != "", (t["reported_year"] - 1).astype(str)).astype(int),
                        series=series, ranking=series + " | " + year,
                        series_shown=[f"{_publisher_org(pub)}, {_measure_family(r, lower=False)}" for pub, r in
                                      zip(t["publisher"], t["ranking"])],
                        unit=t["of_n"].astype(object).map(lambda n: f"rank of {n}" if pd.notna(n) else
                                                          "rank (of 50 or 51: the source does not say)").astype(str))
    if p.table == "largest_school_systems":
        t = load("largest_school_systems", processed)
        t = t[t["school_system"] == p.entity]
        return t.assign(item="Census F-33 Table 18: enrollment rank among U.S. school systems", entity=t["school_system"],
                        year=t["school_year"], year_start=t["school_year"].str[:4].astype(int), publisher="U.S. Census Bureau",
                        series="U.S. Census Bureau | enrollment", ranking="U.S. Census Bureau | enrollment | " + t["school_year"],
                        series_shown="U.S. Census Bureau, enrollment",
                        rank=t["enrollment_rank"], unit="rank by enrollment", confidence="official file", source_url="",
                        definition="U.S. school systems ranked by fall enrollment (1 = largest)")
    t = load("ledger_figures", processed)  # table ledger_figures: the measure, or a variant of it "(… chart)"
    t = t[(t["entity"] == p.entity) & t["measure"].str.replace(r"\s*\([^)]*\)$", "", regex=True).eq(p.measure)]
    t = t[t["school_year_or_year"].str.match(r"^\d{4}")]
    return t.assign(item=t["measure"], year=t["school_year_or_year"], year_start=t["school_year_or_year"].str[:4].astype(int),
                    publisher="", series=p.measure, series_shown=p.measure, ranking=p.measure + " | " + t["school_year_or_year"].str[:4],
                    rank=t["value"].astype(int), unit="rank")


def _rank_alternatives(p: ClaimedRankParams, result: Result) -> list[tuple[str, dict]]:
    """A rank one off counting as a match; judged as known a year later; for the latest figure, every figure in the
    window; for every ranking in the window, each publisher alone, the latest ranking alone, and with an edition
    named, every ranking counting equally."""
    off = p.tolerance + 1
    alternatives = [(f"a rank {'one place' if off == 1 else f'{off} places'} off the claimed one counts as a match",
                     {"tolerance": off})]
    cutoff = date.fromisoformat(result.known_by) if getattr(result, "known_by", "") else None
    if cutoff:
        alternatives.append(("as known a year later", {"known_by": cutoff.replace(year=cutoff.year + 1).isoformat()}))
    if p.mode == "latest":
        return alternatives + [("every figure in the window counts", {"mode": "all_rankings"})]
    if p.edition is not None:
        alternatives.append((f"every ranking then published counts equally (not {p.edition.publisher} {p.edition.published} first)",
                             {"edition": None}))
    else:
        alternatives.append(("only the latest ranking in the window", {"mode": "latest"}))
    if p.table == "state_rankings":
        # the evidence keeps no publisher column: a state ranking's item ends ' — publisher' (see _rank_rows)
        publishers = sorted({item.split(" — ")[-1] for item in result.evidence.loc[decides(result.evidence), "item"]})
        alternatives += [(f"only {name}", {"publishers": [name], "edition": None}) for name in publishers] if len(publishers) > 1 else []
    return alternatives


def _one_per_ranking(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(deciding, copies): one row per ranking (publisher, measure, data year) — the publisher's own figure before
    a copy, then the first published — and the other reports of the same ranking, shown as corroboration."""
    preference = {"publisher's file": 0, **{grade: 1 for grade in FIRST_HAND if grade != "publisher's file"}}
    ordered = rows.assign(_copy=rows["source_grade"].map(preference).fillna(2), _when=rows["published"].replace("", "9999"))
    ordered = ordered.sort_values(["ranking", "_copy", "_when", "locator"], kind="stable")
    first = ~ordered.duplicated("ranking")
    return ordered[first].drop(columns=["_copy", "_when"]), ordered[~first].drop(columns=["_copy", "_when"])


def _forecast_rating(rank: int, claimed: int, tolerance: int) -> str:
    """The latest figure then published against the claimed rank: equal (within tolerance) -> true; the claim
    one place worse than the figure (understated) -> mostly true; one place better (a rank not yet reached: a
    forecast stated as fact) -> half true; further off either way -> false."""
    gap = claimed - rank  # negative: the claim says better than the figure then published
    if abs(gap) <= tolerance:
        return "true"
    if abs(gap) - tolerance == 1:
        return "mostly true" if gap > 0 else "half true"
    return "false"


@method("claimed_rank", params=ClaimedRankParams, alternatives=_rank_alternatives)
def claimed_rank(claim: Claim, p: ClaimedRankParams, processed: Path | None) -> Result:
    """Is the entity's rank the claimed one, on the rankings published by the claim's date?

    Each ranking (publisher, measure, data year) counts once: the publisher's own figure before a copy; the
    other reports of it are corroboration. Figures published after the claim (or at a date that may be after
    it, or at no known date) are shown as later data and never decide.
    mode 'all_rankings': every ranking in the window counts, unless ``edition`` names the ranking the claim
    repeats: then that edition decides and the others are context (see claims/RATING_SCALE.md);
    mode 'latest': the latest figure published by the claim's date decides (the forecast rule).
    """
    cutoff = period(p.known_by)[1] if p.known_by else claim_date(claim)
    rows = _rank_rows(p, processed)
    stated = rows["published"].fillna("").astype(str) if "published" in rows else pd.Series("", index=rows.index)
    rows = with_grades(rows.assign(published=stated.where(stated != "", published_and_revision(rows)[0])))
    if p.publishers is not None:
        rows = rows[rows["publisher"].isin(p.publishers)]
    named = ~rows["item"].str.contains(r"unnamed|unstated", case=False)  # an unnamed study cannot be checked: context only
    low, high = p.window
    in_window = (rows["year_start"] >= low) & (rows["year_start"] <= high)
    if p.as_of_year is not None:
        in_window &= rows["year_start"] <= p.as_of_year
    if p.reported_by is not None and "reported_year" in rows:
        in_window &= rows["reported_year"].isna() | (rows["reported_year"] <= p.reported_by)
    rows, named = rows[in_window], named[in_window]
    state = statuses(rows["published"], cutoff)
    known = rows[named & (state == KNOWN)]
    deciding, copies = _one_per_ranking(known)
    deciding = deciding.sort_values(["year_start", "published", "item"], kind="stable")
    deciding = deciding.assign(matches=(deciding["rank"] - p.claimed).abs() <= p.tolerance)
    if p.mode == "latest" and len(deciding) > 1:  # the latest figure decides; earlier ones are context
        earlier = deciding.iloc[:-1]
        copies = pd.concat([earlier.assign(item=earlier["item"] + " (an earlier figure: context)"), copies])
        deciding = deciding.iloc[-1:]
    unknown = named & (state != KNOWN)
    context = pd.concat([
        copies.assign(matches="", item=copies["item"].where(copies["item"].str.endswith(": context)"),
                                                            copies["item"] + " (another report of the same ranking: corroboration)")),
        rows[~named].assign(matches="", item=rows[~named]["item"] + " (publisher not named: context)"),
        rows[unknown].assign(matches="", item=[f"{i} ({asof_note(s, pub, cutoff)})" for i, s, pub in
                                               zip(rows[unknown]["item"], state[unknown], rows[unknown]["published"])]),
    ])
    if p.edition is not None:  # the edition the claim repeats is shown first
        first = (deciding["publisher"] == p.edition.publisher) & deciding["published"].str.startswith(p.edition.published)
        deciding = pd.concat([deciding[first], deciding[~first]])
    evidence = evidence_frame(pd.concat([deciding, context]).drop(columns=["value"], errors="ignore"), {"rank": "value"})
    later_text = _not_then_known(rows[named & (state == LATER)], rows[named & (state == AMBIGUOUS)])
    result = _rank_verdict(claim, p, deciding, cutoff, evidence, later_text)
    result.known_by = cutoff.isoformat()
    return result


def _not_then_known(later: pd.DataFrame, ambiguous: pd.DataFrame) -> str:
    """' Published after the claim: 5th in 2017.' for rankings first published after the claim's date; a ranking also
    reported at a date that straddles it ('2017-07' for a claim of 28 July 2017) is named apart, with that date, since
    it may have been known: ' Published around the claim's date (perhaps after it): 6th in 2016 (2017-07).'"""
    def named(rows: pd.DataFrame, with_date: bool) -> str:
        rows = _one_per_ranking(rows)[0].sort_values(["year_start", "published"], kind="stable")
        texts = []
        for _, r in rows.iterrows():  # a ledger figure names no publisher; a straddling one gives its date
            about = [r["series_shown"]] if r["publisher"] else []
            about += [str(r["published"])] if with_date else []
            texts.append(f"{ordinal(r['rank'])} in {r['year']}" + (f" ({', '.join(about)})" if about else ""))
        return listing(dict.fromkeys(texts))
    later = later[~later["ranking"].isin(ambiguous["ranking"])]
    text = f" Published after the claim: {named(later, False)}." if len(later) else ""
    if len(ambiguous):
        text += f" Published around the claim's date (perhaps after it): {named(ambiguous, True)}."
    return text


def _rank_verdict(claim, p: ClaimedRankParams, rows: pd.DataFrame, cutoff: date, evidence: pd.DataFrame,
                  later_text: str) -> Result:
    low, high = p.window
    when = f"published by {cutoff.isoformat()}"
    if rows.empty:
        return Result(claim, CANT_VERIFY, f"No archived ranking for {p.entity} between {low} and {high} {when}.{later_text}",
                      evidence, [p.missing_source])
    if p.mode == "latest":
        latest = rows.iloc[-1]
        rating = _forecast_rating(int(latest["rank"]), p.claimed, p.tolerance)
        conclusion = (f"The latest figure published by the claim's date ({cutoff.isoformat()}), for {latest['year']}, ranks "
                      f"{p.entity} {ordinal(latest['rank'])}; the claim says {ordinal(p.claimed)}.")
        conclusion += {
            "true": "",
            "mostly true": " The claim is one place below the figure then published (it understates it): mostly true.",
            "half true": " A rank better than the one then published is a forecast stated as fact: at most half true.",
            "false": " More than one place from the figure then published: false.",
        }[rating]
        return Result(claim, rating, conclusion + later_text, evidence)
    if p.edition is not None:
        edition = rows[(rows["publisher"] == p.edition.publisher) & rows["published"].str.startswith(p.edition.published)]
        if len(edition):
            return _edition_verdict(claim, p, edition.iloc[-1], rows.drop(edition.index), evidence, later_text)
        later_text = (f" The edition the claim is taken to repeat ({p.edition.publisher}, {p.edition.published}) is not "
                      f"among the rankings archived and published by {cutoff.isoformat()}, so every ranking counts.") + later_text
    hits, others = rows[rows["matches"]], rows[~rows["matches"]]
    rating = "true" if len(hits) == len(rows) else "half true" if len(hits) else "false"
    matching = "match" if p.tolerance == 0 else f"within {p.tolerance} of"
    if len(rows) == 1:
        matching = matching.replace("match", "matches") if p.tolerance == 0 else "is " + matching
    conclusion = (f"{len(hits)} of {plural(len(rows), 'ranking')} {when} ({_data_years(rows)}; each publisher's ranking "
                  f"of a data year counted once) {matching} the claimed {ordinal(p.claimed)} for {p.entity}")
    if len(hits) and len(others):
        conclusion += (f" ({_which(hits, rows)}); the others rank it {_ranks_named(others)}, "
                       "so the rank depends on which ranking is meant.")
    elif len(others):
        conclusion += f"; they rank it {_ranks_named(others)}."
    else:
        conclusion += "."
    return Result(claim, rating, conclusion + later_text, evidence)


def _which(hits: pd.DataFrame, rows: pd.DataFrame) -> str:
    """The rankings that match, named by publisher ('Education Week, Quality Counts'), or by data year where one
    publisher (or none, for a ledger figure) made every ranking counted ('data year 2015-16')."""
    names = sorted(set(hits["publisher"]) - {""})
    if names and rows["publisher"].nunique() > 1:
        return listing(names)
    years = list(dict.fromkeys(hits.sort_values("year_start", kind="stable")["year"].astype(str)))
    return f"data year{'s' if len(years) > 1 else ''} {listing(years)}"


def _ranks_named(rows: pd.DataFrame, notes: dict | None = None) -> str:
    """Each rank with the ranking it comes from, so that ranks of different measures, publishers and years are told
    apart: '29th (U.S. Census Bureau, current spending per pupil, 2014-15) and 41st (Education Week, cost-adjusted
    per-pupil expenditure, 2015-16; an earlier Education Week, Quality Counts edition)'."""
    notes = notes or {}
    return listing(f"{ordinal(r['rank'])} ({r['series_shown']}, {r['year']}"
                   + (f"; {notes[i]}" if i in notes else "") + ")" for i, r in rows.iterrows())


def _data_years(rows: pd.DataFrame) -> str:
    """The data years of the rankings counted, not of the window searched, by school year as the chart shows them:
    'data year 2015-16' for one, 'data years 2011-12 to 2015-16' for several (an undated ranking by its report year)."""
    years = list(dict.fromkeys(rows.sort_values(["year_start", "year"], kind="stable")["year"]))
    return f"data year {years[0]}" if len(years) == 1 else f"data years {years[0]} to {years[-1]}"


def _edition_verdict(claim, p: ClaimedRankParams, edition: pd.Series, others: pd.DataFrame, evidence: pd.DataFrame,
                     later_text: str) -> Result:
    """The edition the claim is taken to repeat (the claim file says why) decides: its rank equal -> true when the other
    rankings then published agree, mostly true when they differ (accurate, but one ranking among several); one place
    off -> half true; else false. A rank the evidence derives (from a list that gives a place, not the rank) says so, and
    an earlier edition of the same ranking is named as one."""
    name = f"{p.edition.publisher} ({p.edition.published} edition, data {edition['year']})"
    gap = abs(int(edition["rank"]) - p.claimed)
    disagree = others[~others["matches"]]
    of = re.fullmatch(r"rank of (\d+)", str(edition.get("unit", "")))  # of 51: DC ranked among the states
    notes = (["the 50 states and DC"] if of and of[1] == "51" else []) + (
        ["derived from a second-hand list; see the caveats"] if "derived" in str(edition.get("confidence", "")) else [])
    ranks = (f"{p.entity} {ordinal(edition['rank'])}" + (f" of {of[1]}" if of else "")
             + (f" ({'; '.join(notes)})" if notes else ""))
    if gap <= p.tolerance:
        rating = "mostly true" if len(disagree) else "true"
        conclusion = f"The claim is taken to repeat {name}, which ranks {ranks}, as claimed."
        if len(disagree):
            earlier = others["series"].eq(edition["series"]) & (others["published"].astype(str) < str(edition["published"]))
            listed = _ranks_named(others, {i: f"an earlier {p.edition.publisher} edition" for i in others.index[earlier]})
            conclusion += (f" Other rankings then published rank it {listed}: accurate for that ranking, but one ranking "
                           "among several, so mostly true.")
    else:
        rating = "half true" if gap - p.tolerance == 1 else "false"
        conclusion = f"The claim is taken to repeat {name}, which ranks {ranks}; the claim says {ordinal(p.claimed)}."
    return Result(claim, rating, conclusion + later_text, evidence)


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


def _vintage_current(rows: pd.DataFrame, cutoff: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(current, later): for each data year, the rows of the latest archived vintage published by ``cutoff`` (a
    revised series is read as it then stood; a newer release the archive lacks is named by the conclusion); years no
    such vintage holds, in their earliest archived vintage, as later data."""
    then = rows["vintage"].map(lambda v: (period(v) or (date.max, date.max))[1] <= cutoff) if "vintage" in rows else True
    current = rows[then].sort_values(["year", "vintage"]).groupby("year").tail(1)
    later = rows[~rows["year"].isin(current["year"])].sort_values(["year", "vintage"]).groupby("year").head(1)
    return current, later


@method("richest_state", params=RichestStateParams, alternatives=_richest_alternatives)
def richest_state(claim: Claim, p: RichestStateParams, processed: Path | None) -> Result:
    """Rank on total GDP vs per-person measures (GDP per capita, per-capita income, median household income), each
    year in the latest archived BEA vintage published by the claim's date; a year no such vintage holds is later data.
    Each row is dated by its vintage."""
    cutoff = claim_date(claim)
    economy = load("state_economy", processed)
    rows, later = _vintage_current(economy[(economy["state"] == p.entity) & economy["year"].isin(p.years)], cutoff)
    firsts = release_dates()
    parts = []
    for frame, role in ((rows, None), (later, "")):
        for column, label, per_person in [("gdp_musd", "GDP, current dollars (BEA SAGDP1)", False),
                                          ("gdp_per_capita", "GDP per person (BEA SAGDP1 ÷ SAINC1 population)", True),
                                          ("per_capita_personal_income", "Per-capita personal income (BEA SAINC1)", True)]:
            vintage = frame["vintage"] if "vintage" in frame else pd.Series("", index=frame.index)
            parts.append(frame.assign(
                item=label if role is None else label + " (a later vintage only: later data, not deciding)",
                per_person=per_person, rank=frame[f"{column}_rank"].astype(int), context=role is not None,
                definition="current dollars; the 50 states ranked, 1 = highest (DC listed, not ranked)",
                year=frame["year"].astype(str), unit="rank among 50 states",
                source_url="",
                published=vintage.astype(str),  # the archived vintage's own date: its figures as it published them
                revision=[f"BEA vintage {v}" + (f"; {y} first published {first}" if (first := _first_release(firsts, y)) else "")
                          for v, y in zip(vintage.astype(str), frame["year"])]))
    ledger = load("ledger_figures", processed)
    mhi = ledger[(ledger["entity"] == p.entity) & (ledger["measure"] == p.household_income_measure)
                 & ledger["school_year_or_year"].isin([str(y) for y in p.years])]
    parts.append(mhi.assign(item="Median household income (ACS; rank incl. DC)", per_person=True, context=False,
                            rank=mhi["value"].astype(int), year=mhi["school_year_or_year"], unit="rank of 51 (incl. DC)"))
    table = pd.concat(parts, ignore_index=True)
    table = table[~table["per_person"] | table["item"].str.split(" (", regex=False).str[0].isin(p.per_person)]
    deciding = table[~table["context"].astype(bool)].assign(matches=lambda t: t["rank"] == 1)
    shown = table[table["context"].astype(bool)].assign(matches="")
    evidence = evidence_frame(pd.concat([deciding, shown]).drop(columns=["value"], errors="ignore"), {"rank": "value"},
                              entity=p.entity)
    later_years = sorted(set(later["year"]))
    note = (f" For {listing(str(y) for y in later_years)}, only BEA's later revision is archived (later data, not "
            "deciding)." if later_years else "")
    if deciding.empty:
        return Result(claim, CANT_VERIFY, f"No archived state economy figures for those years current by "
                      f"{cutoff.isoformat()}.{note}", evidence, ["BEA SAGDP1/SAINC1 as published at the time"])
    person = deciding[deciding["per_person"]]
    total = deciding[~deciding["per_person"]]
    if person["matches"].all():
        rating = "true"
    elif person["matches"].any():
        rating = "half true"
    elif total["matches"].all():
        rating = "mostly false"
    else:
        rating = "false"
    connector = "but" if total["matches"].all() != person["matches"].all() else "and"
    years = sorted(set(deciding["year"]))
    conclusion = (f"In {listing(years)}, {p.entity} ranked {_ranks_by_year(total)} among the states in "
                  f"total GDP {connector} {_ranks_by_year(person)}.")
    vintages = sorted(set(rows["vintage"])) if "vintage" in rows else []
    if vintages:
        conclusion += f" BEA's figures are from the latest archived vintage published by {cutoff.isoformat()} (dated {listing(vintages)})"
        used = period(vintages[-1])
        newer = sorted({first for y in p.years if (first := _first_release(firsts, y)) and (span := period(first))
                        and used and span[0] > used[1] and span[1] <= cutoff})
        conclusion += (f"; BEA's release of {listing(newer)}, current on that date, is not archived." if newer else ".")
    return Result(claim, rating, conclusion + note, evidence)


def _first_release(firsts: dict, year) -> str:
    """When BEA first published a data year's state GDP (release_dates.csv), or ''."""
    return firsts.get(("bea_sagdp1", f"data {year}"), {}).get("published", "")


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
    tolerance: Share  # a share of claimed: 0.10 is within 10%
    window: tuple[SchoolYear, SchoolYear]  # first and last school year
    undated_count: bool = False  # a figure of no known publication date decides too, if its school year ended by the claim's date
    measures: list[str] | None = Field(None, min_length=1)  # only these per_pupil_funding measure_ids (a claim about spending leaves revenue out); None: every one

    @field_validator("measures")
    @classmethod
    def _known_measures(cls, measures: list[str] | None) -> list[str] | None:
        unknown = sorted(set(measures or []) - set(MEASURES))
        if unknown:
            raise ValueError(f"unknown measure {listing(repr(m) for m in unknown)}; known: {', '.join(MEASURES)}")
        return measures


def _near_alternatives(p: ValueNearParams, _result: Result) -> list[tuple[str, dict]]:
    return [(f"within {share:.0%}", {"tolerance": share}) for share in (p.tolerance / 2, min(1.0, p.tolerance * 1.5))] + [
        (f"only {p.window[1]}", {"window": (p.window[1], p.window[1])})] + (
        [] if p.undated_count else [("figures of no known publication date counted, for school years ended by then",
                                     {"undated_count": True})])


@method("value_near", params=ValueNearParams, alternatives=_near_alternatives)
def value_near(claim: Claim, p: ValueNearParams, processed: Path | None) -> Result:
    """Is the claimed amount within ``tolerance`` of the latest figure of each measure in the window, among the
    figures published by the claim's date, for the entity the claim names (any district, the state, the nation)?
    For one measure and year the publisher's own figure beats a copy (transform.grades.preferred); figures
    published later, or at no known date, are shown and do not decide; with ``undated_count`` a figure of no known
    date decides too, if its school year had ended by the claim's date (a year's figure is published after it).
    Cost-adjusted dollars (Education Week's) are not a year's dollars: shown beside a claimed amount, never deciding."""
    cutoff = claim_date(claim)
    table = per_pupil_rows(p.entity, processed)
    name = entity_name(p.entity, processed)
    rows = table[(table["dollars"] == "nominal") & table["school_year"].between(p.window[0], p.window[1])]
    if p.measures is not None:
        rows = rows[rows["measure_id"].isin(p.measures)]
    rows = rows.assign(published=published_and_revision(rows)[0])
    state = statuses(rows["published"], cutoff)
    undated = pd.Series(False, index=rows.index)
    if p.undated_count:
        undated = (state == UNDATED) & rows["school_year"].map(lambda y: (span := date_span(y)) is not None and span[1] < cutoff)
        state = state.where(~undated, KNOWN)
    adjusted = rows["measure_id"] == COST_ADJUSTED
    known = preferred(rows[(state == KNOWN) & ~adjusted], ["measure_id", "school_year"])
    latest = known.sort_values(["measure_id", "school_year"]).groupby("measure_id").tail(1)
    low, high = p.claimed * (1 - p.tolerance), p.claimed * (1 + p.tolerance)
    latest = latest.assign(matches=latest["value"].between(low, high),
                           measure=[m + " (publication date unknown: counted)" if undated[i] else m
                                    for i, m in zip(latest.index, latest["measure"])])
    unused = rows[(state != KNOWN) & ~adjusted]
    context = unused.assign(matches="", measure=[f"{m} ({asof_note(st, pub, cutoff)})" for m, st, pub in
                                                 zip(unused["measure"], state[unused.index], unused["published"])])
    context = pd.concat([context, rows[adjusted].assign(
        matches="", measure=rows.loc[adjusted, "measure"] + " (cost-adjusted dollars, not comparable with an amount of "
                                                            "dollars: context)")])
    shown = _defined(pd.concat([latest, context]))
    evidence = evidence_frame(shown.assign(unit=_money_unit(shown)), {"measure": "item", "school_year": "year"})
    if latest.empty:
        return Result(claim, CANT_VERIFY, f"No archived per-pupil figure for {name} from {p.window[0]} to {p.window[1]} "
                      f"published by {cutoff.isoformat()}.{unknown_name(p.entity, processed, table)}", evidence,
                      [f"per-pupil data for {name}"])
    hits = latest[latest["matches"]]
    rating = "true" if len(hits) == len(latest) else "half true" if len(hits) else "false"
    published = f"published by {cutoff.isoformat()}" + (", or of no known date" if undated[latest.index].any() else "")
    conclusion = (f"For {name}, {len(hits)} of {plural(len(latest), 'measure')} (the latest figure of each, {p.window[0]} to {p.window[1]}, "
                  f"{published}) {'falls' if len(hits) == 1 else 'fall'} within {p.tolerance:.0%} of "
                  f"{dollars(p.claimed)}; {_range_named(latest)}, depending on what is counted and divided by what "
                  "(nominal dollars).")
    if len(unused):
        conclusion += (f" {plural(len(unused), 'figure')} published later or at no known date "
                       f"{'is' if len(unused) == 1 else 'are'} shown, not counted.")
    if adjusted.any():
        conclusion += " Education Week's cost-adjusted figures are shown, not counted."
    return Result(claim, rating, conclusion, evidence)


def _money_unit(rows: pd.DataFrame) -> pd.Series:
    """'USD nominal', but Education Week's cost-adjusted dollars say so: they are not a year's nominal dollars."""
    return pd.Series("USD nominal", index=rows.index).where(
        rows["measure_id"] != COST_ADJUSTED, "USD, cost-adjusted (Education Week's regional index)")


def _range_named(latest: pd.DataFrame) -> str:
    """'the figures range from $11,548 (CDE current expense of education per ADA, 2016-17) to $12,498 (…)': each end
    with its measure and year, since a figure per ADA and one per enrolled pupil are not the same thing."""
    ordered = latest.sort_values("value", kind="stable")
    named = [f"{dollars(r['value'])} ({r['measure']}, {r['school_year']})" for _, r in ordered.iterrows()]
    return f"the figure is {named[0]}" if len(named) == 1 else f"the figures range from {named[0]} to {named[-1]}"


class DistrictSpendingParams(Params):
    school_year: SchoolYear  # "2018-19"
    higher: str = Field(min_length=2)  # the district claimed to spend more: CDE county-district code or directory name
    lower: str = Field(min_length=2)  # and the one claimed to spend less
    margin: Share = 0.0  # "more" means at least this share more (0.10: 10% more)


def _spending_alternatives(p: DistrictSpendingParams, _result: Result) -> list[tuple[str, dict]]:
    start = int(p.school_year[:4])
    years = [(f"in {school_year_label(y)}", {"school_year": school_year_label(y)}) for y in (start - 1, start + 1)]
    return years + [(more_means(share), {"margin": share}) for share in (0.05, 0.10) if share != p.margin]


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
