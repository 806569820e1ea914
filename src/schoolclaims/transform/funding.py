"""Per-pupil money for LAUSD and California under each defensible measure, nominal and constant; the United States
figure where a source publishes one beside the states (Census F-33 Table 8), so "above or below the national
average" is a row, not a guess.

Each measure's numerator and denominator are stated in MEASURES and written on every row. The table
keeps every vintage a source published (LAO revises its figures): ``vintage`` tells them apart.
"""

from __future__ import annotations

import pandas as pd

from ..entities import CALIFORNIA, CALIFORNIA_STATEWIDE, LAUSD, UNITED_STATES, Entity
from ..sources import census_f33
from ..years import parse_data_year, parse_report_year
from .grades import with_grades
from .prices import BASE_YEAR, INDEX, index_label, to_constant

STATE = CALIFORNIA_STATEWIDE

MEASURES = {
    "cde_current_expense_per_ada": dict(
        measure="CDE current expense of education per ADA",
        numerator="General Fund current expense of education (EDP 365, Ed. Code 41372)",
        denominator="K-12 average daily attendance (ADA)"),
    "census_f33_current_spending_per_pupil": dict(
        measure="Census F-33 current spending per pupil",
        numerator="current spending, all funds (elementary-secondary)",
        denominator="fall enrollment (NCES CCD membership)"),
    "census_f33_total_revenue_per_pupil": dict(
        measure="Census F-33 total revenue per enrolled pupil",
        numerator="total revenue from federal, state and local sources, all funds (TOTALREV; borrowing excluded)",
        denominator="fall membership (V33)"),
    "census_f33_total_expenditure_per_pupil": dict(
        measure="Census F-33 total expenditure per enrolled pupil",
        numerator="total expenditure, all funds (TOTALEXP): current spending incl. adult education and community "
                  "services, capital outlay, payments to other governments and school systems, interest on debt",
        denominator="fall membership (V33)"),
    "lcff_entitlement_per_funded_ada": dict(
        measure="LCFF total entitlement per funded ADA",
        numerator="LCFF total entitlement (base + supplemental + concentration + add-ons)",
        denominator="LCFF funded ADA"),
    "lao_all_sources_per_ada": dict(
        measure="LAO K-12 funding per student, all sources",
        numerator="Proposition 98 + other state + other local + federal funding",
        denominator="K-12 ADA"),
    "lao_prop98_per_ada": dict(
        measure="LAO K-12 Proposition 98 funding per student",
        numerator="Proposition 98 funding (state aid + local property tax)",
        denominator="K-12 ADA"),
    "edweek_cost_adjusted_per_pupil": dict(
        measure="Education Week Quality Counts per-pupil expenditure, cost-adjusted",
        numerator="state + local current expenditure (Census F-33), adjusted by a regional cost index",
        denominator="enrolled pupils"),
    "nea_per_pupil_fall_enrollment": dict(
        measure="NEA current expenditure per pupil in fall enrollment",
        numerator="current expenditures for public K-12",
        denominator="fall enrollment"),
}

COST_ADJUSTED = "edweek_cost_adjusted_per_pupil"  # regional-cost-adjusted dollars: not a year's dollars, never deflated

# what a California row's fall enrollment leaves out from FY2019 (Census F-33 FY2019, Appendix B)
CHARTERS_OUT = ("; from FY2019 California's charter schools held by nongovernmental entities (independent charters) "
                "are out of scope and not counted")

COLUMNS = ["entity", "school_year", "measure_id", "measure", "numerator", "denominator", "dollars",
           "price_index", "base_year", "value", "vintage", "confidence", "source_id", "file_sha256",
           "locator", "source_url"]


def _rows(frame: pd.DataFrame, measure_id: str, **fixed) -> pd.DataFrame:
    out = frame.copy()
    for key, value in {**MEASURES[measure_id], **fixed, "measure_id": measure_id}.items():
        out[key] = value
    return out


def from_current_expense(cde: pd.DataFrame, entity: Entity = LAUSD, statewide: bool = True) -> pd.DataFrame:
    """One district's CDE per-ADA rows (``entity.district_code``), and the statewide row unless ``statewide`` is False."""
    lea = (cde["level"] == "lea") & (cde["cds"] == entity.district_code)
    picked = cde[lea | ((cde["level"] == "statewide") & statewide)].copy()
    picked["entity"] = picked["level"].map({"lea": entity.name, "statewide": STATE})
    picked["value"] = picked["per_ada"]
    return _rows(picked, "cde_current_expense_per_ada", vintage="CDE file for the year",
                 confidence="official file", source_url="")


def from_f33(systems: pd.DataFrame, states: pd.DataFrame) -> pd.DataFrame:
    lausd = systems[systems["school_system"] == LAUSD.name].assign(entity=LAUSD.name)
    ca = states[states["state"] == CALIFORNIA.name].assign(entity=STATE)
    nation = states[states["state"] == UNITED_STATES.name].assign(entity=UNITED_STATES.name)  # the national average
    both = pd.concat([lausd, ca, nation], ignore_index=True)
    both["value"] = both["per_pupil_current_spending"]
    both["vintage"] = "FY" + both["fiscal_year"].astype(str) + " summary tables"
    rows = _rows(both, "census_f33_current_spending_per_pupil", confidence="official file", source_url="")
    out_of_scope = rows["fiscal_year"].map(lambda fy: census_f33.layouts()[fy].california_charters == "out")
    rows.loc[out_of_scope, "denominator"] += CHARTERS_OUT
    return rows


SUBSET_CONFIDENCE = "third-party subset of the Census F-33 district file (second-hand)"


def from_f33_districts(districts: pd.DataFrame, entity: Entity = LAUSD) -> pd.DataFrame:
    """A district's total revenue and total expenditure per enrolled pupil from the district files (third-party
    subsets); LAUSD's by default.

    The files have no system identifier: the district is the one California system named as the entity is spelled."""
    if districts.empty:
        return districts
    names = {n.casefold() for n in (entity.name, *entity.spellings)}
    lausd = districts[districts["name"].str.casefold().isin(names) & (districts["state"] == CALIFORNIA.name)]
    lausd = lausd[lausd["membership"] > 0]  # a system with no pupils (a regional program of the same name) has no per-pupil figure
    twice = lausd["fiscal_year"].value_counts()
    if (twice > 1).any():
        raise ValueError(f"Census F-33 district file FY{twice.idxmax()}: more than one California system named {entity.name}")
    parts = []
    for measure_id, column in (("census_f33_total_revenue_per_pupil", "total_revenue"),
                               ("census_f33_total_expenditure_per_pupil", "total_expenditure")):
        rows = lausd.assign(entity=entity.name, value=lausd[column] / lausd["membership"],
                            vintage="FY" + lausd["fiscal_year"].astype(str) + " district file, third-party 14-column subset")
        parts.append(_rows(rows, measure_id, confidence=SUBSET_CONFIDENCE, source_url="",
                           denominator=MEASURES[measure_id]["denominator"] + _membership_note(entity)))
    return pd.concat(parts, ignore_index=True)


def _membership_note(entity: Entity) -> str:
    """What a district's fall membership counts in the district files held (FY2014-FY2016), as far as the sources say:
    LAUSD's includes the independent charters it authorizes (the project's notes on the F-33 district subset; Census
    leaves them out from FY2019, layouts/census_f33.csv); for another district the file does not say."""
    if entity == LAUSD:
        return "; LAUSD's includes the independent charter schools it authorizes"
    return "; whether it counts the independent charter schools the district authorizes, the file does not say"


def _ledger_value(ledger: pd.DataFrame, entity: Entity, measure: str) -> pd.DataFrame:
    """The ledger's figures for ``measure`` about ``entity`` (under any of its spellings)."""
    rows = ledger[ledger["entity"].isin([entity.name, *entity.spellings]) & (ledger["measure"] == measure)].copy()
    rows["school_year"] = rows["school_year_or_year"].map(parse_data_year)
    rows["vintage"] = rows["note"].str.extract(r"vintage: (.+)$", expand=False).fillna("")
    return rows


def _ratio(ledger: pd.DataFrame, entity: Entity, numerator: str, denominator: str) -> pd.DataFrame:
    """Divide two ledger figures of the same entity, year and vintage; the locator names both lines."""
    top = _ledger_value(ledger, entity, numerator)
    bottom = _ledger_value(ledger, entity, denominator)
    merged = top.merge(bottom, on=["school_year", "vintage", "source_id", "file_sha256"], suffixes=("", "_d"))
    merged["value"] = merged["value"] / merged["value_d"]
    merged["locator"] = merged["locator"] + " ÷ " + merged["locator_d"]
    merged["confidence"] = merged["confidence"] + " (derived here: ratio of two ledger figures)"
    return merged


def from_ledgers(per_ada: pd.DataFrame, recent: pd.DataFrame, ranks: pd.DataFrame) -> pd.DataFrame:
    parts = []
    lausd_recent = _ledger_value(recent, LAUSD, "current expense per ADA")
    parts.append(_rows(lausd_recent.assign(entity=LAUSD.name, vintage="CDE file via a third-party copy"),
                       "cde_current_expense_per_ada"))
    state_recent = _ratio(recent, CALIFORNIA, "current expense of education total (EDP 365)", "current expense ADA (K-12)")
    parts.append(_rows(state_recent.assign(entity=STATE, vintage="CDE file via a second-hand quote"),
                       "cde_current_expense_per_ada"))
    lcff = _ratio(per_ada, LAUSD, "LCFF total entitlement", "LCFF total funded ADA")
    parts.append(_rows(lcff.assign(entity=LAUSD.name, vintage="LCFF annual R1 certification"),
                       "lcff_entitlement_per_funded_ada"))
    for measure_id, measure in [("lao_all_sources_per_ada", "K-12 total funding per student (all sources, per ADA)"),
                                ("lao_prop98_per_ada", "K-12 Proposition 98 funding per student (per ADA)")]:
        parts.append(_rows(_ledger_value(per_ada, CALIFORNIA, measure).assign(entity=STATE), measure_id))
    qc = _ledger_value(ranks, CALIFORNIA, "QC cost-adjusted per-pupil expenditure")
    qc["school_year"] = qc["school_year_or_year"].map(parse_data_year)
    qc["vintage"] = qc["school_year_or_year"].map(lambda t: f"Quality Counts {parse_report_year(t)}")
    parts.append(_rows(qc.assign(entity=STATE), "edweek_cost_adjusted_per_pupil"))
    nea = _ledger_value(ranks, CALIFORNIA, "NEA expenditure per K-12 pupil in fall enrollment")
    parts.append(_rows(nea.assign(entity=STATE, vintage="NEA Rankings & Estimates"), "nea_per_pupil_fall_enrollment"))
    out = pd.concat(parts, ignore_index=True)
    out["source_url"] = out["source_url"].fillna("")
    return out


def current_expense_table(cde: pd.DataFrame) -> pd.DataFrame:
    """Every LEA and the statewide row per year, amounts rounded to cents (ADA stays as published)."""
    table = cde.assign(edp365=cde["edp365"].round(2), per_ada=cde["per_ada"].round(2), lea_type=cde["lea_type"].fillna(""))
    columns = ["school_year", "level", "cds", "lea_name", "lea_type", "edp365", "ada", "per_ada", "source_id", "file_sha256", "locator"]
    return table[columns].sort_values(["school_year", "level", "cds", "locator"]).reset_index(drop=True)


def instruction_per_pupil(f33_states: pd.DataFrame) -> pd.DataFrame:
    """Census F-33 Table 8's instruction spending per pupil, every state and the United States: a part of current
    spending (the instruction function: salaries, benefits and other), so it is kept apart from per_pupil_funding's
    totals, which the claims about money per pupil compare."""
    rows = f33_states.assign(per_pupil_instruction=f33_states["per_pupil_instruction"].round(2),
                             locator=f33_states["locator"] + " column F")
    return rows[["fiscal_year", "school_year", "state", "per_pupil_instruction", "source_id", "file_sha256", "locator"]] \
        .sort_values(["fiscal_year", "state"]).reset_index(drop=True)


def largest_systems(f33_systems: pd.DataFrame) -> pd.DataFrame:
    systems = f33_systems.drop(columns=["sheet", "row"])
    systems["per_pupil_current_spending"] = systems["per_pupil_current_spending"].round(2)
    return systems.sort_values(["fiscal_year", "enrollment_rank"]).reset_index(drop=True)


def per_pupil_funding(cde: pd.DataFrame, f33_systems: pd.DataFrame, f33_states: pd.DataFrame, ledger: pd.DataFrame,
                      price_index: pd.DataFrame, f33_districts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every measure of money per pupil for LAUSD and the state, nominal and constant."""
    by_ledger = {name: group for name, group in ledger.groupby("ledger")}
    return per_pupil_table([
        from_current_expense(cde),
        from_f33(f33_systems, f33_states),
        from_f33_districts(f33_districts if f33_districts is not None else pd.DataFrame()),
        from_ledgers(by_ledger["funding_per_ada_secondary"], by_ledger["current_expense_recent_secondhand"],
                     by_ledger["funding_state_ranks"]),
    ], price_index)


def district_per_pupil(entity: Entity, cde: pd.DataFrame, f33_districts: pd.DataFrame,
                       price_index: pd.DataFrame) -> pd.DataFrame:
    """Any California district's per-pupil money in the shape of per_pupil_funding, made when asked from the tables
    that hold every district (cde_current_expense, f33_district_finances): CDE current expense per ADA and the
    Census district files' revenue and expenditure per enrolled pupil, nominal and constant."""
    return per_pupil_table([from_current_expense(cde, entity, statewide=False), from_f33_districts(f33_districts, entity)],
                           price_index)


F33_DISTRICT_COLUMNS = ["fiscal_year", "school_year", "name", "state", "total_revenue", "federal_revenue", "state_revenue",
                        "local_revenue", "total_expenditure", "membership", "source_id", "file_sha256", "locator"]
F33_OTHER_STATES_MIN_MEMBERSHIP = 15_000  # outside California, the systems this large (about 550 a year) are kept


def f33_district_finances(districts: pd.DataFrame) -> pd.DataFrame:
    """The Census district files' money and membership (third-party subsets, FY2014-FY2016): every California system,
    and every system elsewhere with at least 15,000 pupils (the whole nation, about 18,700 systems a year, would be
    about 8 MB; the large systems are the ones a comparison with a California district names)."""
    if districts.empty:
        return pd.DataFrame(columns=F33_DISTRICT_COLUMNS)
    keep = (districts["state"] == CALIFORNIA.name) | (districts["membership"] >= F33_OTHER_STATES_MIN_MEMBERSHIP)
    return (districts[keep][F33_DISTRICT_COLUMNS].sort_values(["fiscal_year", "state", "name", "locator"])
            .reset_index(drop=True))


def per_pupil_table(nominal_parts: list[pd.DataFrame], price_index: pd.DataFrame) -> pd.DataFrame:
    """Stack the nominal rows and add their constant-dollar twins (LA-area CPI-U, 2019-20 dollars)."""
    nominal = pd.concat([p.reindex(columns=COLUMNS) for p in nominal_parts], ignore_index=True)
    nominal = nominal[nominal["school_year"].astype(bool)]
    nominal = nominal.assign(dollars="nominal", price_index="", base_year="")
    constant = nominal.assign(
        dollars="constant", price_index=index_label(INDEX), base_year=BASE_YEAR,
        value=to_constant(nominal["value"], nominal["school_year"], price_index),
    )
    # Cost-adjusted (EdWeek) figures are already adjusted for regional costs; deflating them again would
    # mix two adjustments, so they stay nominal only.
    constant = constant[(constant["measure_id"] != COST_ADJUSTED) & constant["value"].notna()]
    table = pd.concat([nominal, constant], ignore_index=True)
    table["value"] = table["value"].astype(float).round(2)
    table["vintage"] = table["vintage"].fillna("")
    return with_grades(table.sort_values(["entity", "measure_id", "dollars", "school_year", "vintage"]).reset_index(drop=True)[COLUMNS])


def first_crossing(table: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """For each entity x measure x dollars: the first school year the value reaches ``threshold``."""
    rows = []
    for (entity, measure_id, dollars), group in table.groupby(["entity", "measure_id", "dollars"], sort=True):
        group = group.sort_values("school_year")
        hit = group[group["value"] >= threshold]
        rows.append({"entity": entity, "measure_id": measure_id, "dollars": dollars,
                     "first_year_at_or_above": hit["school_year"].iloc[0] if len(hit) else "",
                     "value_then": hit["value"].iloc[0] if len(hit) else float("nan"),
                     "years_covered": f"{group['school_year'].iloc[0]} to {group['school_year'].iloc[-1]}"})
    return pd.DataFrame(rows)
