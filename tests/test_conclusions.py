"""Each rating method's conclusion, branch by branch, on small tables written here; the expected sentences are
written out by hand from the rows (numbers as a reader reads them: $17,486, 2020-21, 46th)."""

from __future__ import annotations

import pytest
from helpers import write_tables

from schoolclaims import paths
from schoolclaims.claims import CANT_VERIFY, evaluate, load_claim

LAUSD, STATE, CDE, LCFF = "Los Angeles Unified", "California (statewide)", "cde_current_expense_per_ada", "lcff_entitlement_per_funded_ada"
NAMES = {CDE: "CDE current expense of education per ADA", LCFF: "LCFF total entitlement per funded ADA"}


def claim(claim_id: str, **params):
    """A registered claim, with some parameters changed for the case."""
    c = load_claim(paths.CLAIMS / f"{claim_id}.yaml")
    evaluation = c.evaluation.model_copy(update={"params": {**c.evaluation.params, **params}})
    return c.model_copy(update={"evaluation": evaluation})


def per_pupil(*rows):
    return {"per_pupil_funding": [dict(entity=entity, school_year=year, measure_id=m, measure=NAMES.get(m, m), value=v,
                                       dollars="nominal", confidence="official file") for entity, year, m, v in rows]}


# -- target_threshold (fund-20-by-20: $20,000 in 2019-20 and 2020-21) ----------------------------------------------
@pytest.mark.parametrize("rows, rating, conclusion", [
    ([(LAUSD, "2019-20", CDE, 17000), (LAUSD, "2020-21", CDE, 18000), (LAUSD, "2022-23", CDE, 25000)], "not met",
     "In 2019-20 and 2020-21, none of the 2 archived figures for Los Angeles Unified reached $20,000 per pupil; the highest "
     "was $18,000 (CDE current expense of education per ADA, 2020-21). Later, CDE current expense of education per ADA "
     "first reached $20,000 in 2022-23. Nominal dollars."),
    ([(LAUSD, "2019-20", CDE, 21000), (LAUSD, "2020-21", LCFF, 22500)], "met",
     "In 2019-20 and 2020-21, all 2 archived figures for Los Angeles Unified reached $20,000 per pupil; the lowest was "
     "$21,000 (CDE current expense of education per ADA, 2019-20). Nominal dollars."),
    ([(LAUSD, "2019-20", CDE, 21000), (LAUSD, "2019-20", LCFF, 15000)], "met under some measures",
     "In 2019-20 and 2020-21, 1 of the 2 archived figures for Los Angeles Unified reached $20,000 per pupil: $21,000 "
     "(CDE current expense of education per ADA, 2019-20); 1 did not. LCFF total entitlement per funded ADA never "
     "reached it in the archived years. Nominal dollars."),
    ([(LAUSD, "2010-11", CDE, 10000)], CANT_VERIFY, "No archived figure for Los Angeles Unified in 2019-20 and 2020-21."),
])
def test_target_threshold(tmp_path, rows, rating, conclusion):
    write_tables(tmp_path, per_pupil(*rows))
    result = evaluate(claim("fund-20-by-20"), tmp_path)
    assert (result.rating, result.conclusion) == (rating, conclusion)


# -- claimed_rank, mode latest (fund-6th-economy: 6th, as of 2016) --------------------------------------------------
DOF = "https://dof.ca.gov/forecasting/economics/"  # a publisher's page: first-hand, so no source-grade cap applies


def world_ranks(*ranks, confidence="exact transcription", source_url=DOF):
    return {"ledger_figures": [dict(ledger="economy_world_rank_and_income", entity="California", school_year_or_year=year,
                                    measure="world rank of nominal GDP vs countries", value=rank, confidence=confidence,
                                    source_url=source_url) for year, rank in ranks]}


@pytest.mark.parametrize("ranks, rating, conclusion", [
    ([("2016", 6), ("2017", 5)], "true", "The latest figure available when the claim was made (2016) ranks California 6th; "
                                         "the claim says 6th. Later figures: 5th in 2017."),
    ([("2015", 6), ("2016", 7)], "mostly true", "The latest figure available when the claim was made (2016) ranks California "
                                                "7th; the claim says 6th."),
    ([("2016", 9)], "false", "The latest figure available when the claim was made (2016) ranks California 9th; the claim says 6th."),
    ([("2017", 6)], CANT_VERIFY, "No archived figure for California up to 2016."),
])
def test_claimed_rank_latest(tmp_path, ranks, rating, conclusion):
    write_tables(tmp_path, world_ranks(*ranks))
    result = evaluate(claim("fund-6th-economy"), tmp_path)
    assert (result.rating, result.conclusion) == (rating, conclusion)


# -- claimed_rank, every ranking in the window (fund-2nd-district: 2nd, 2015 to 2017) -------------------------------
TABLE_18 = "Census F-33 Table 18: enrollment rank among U.S. school systems"


@pytest.mark.parametrize("ranks, rating, conclusion", [
    ([2, 2], "true", "2 of 2 archived rankings from 2015 to 2017 match the claimed 2nd for Los Angeles Unified."),
    ([2, 3], "half true", f"1 of 2 archived rankings from 2015 to 2017 match the claimed 2nd for Los Angeles Unified ({TABLE_18}); "
                          "the others rank it 3rd, so the rank depends on which ranking is meant."),
    ([3, 4], "false", "0 of 2 archived rankings from 2015 to 2017 match the claimed 2nd for Los Angeles Unified; they rank it 3rd and 4th."),
])
def test_claimed_rank_every_ranking(tmp_path, ranks, rating, conclusion):
    rows = [dict(fiscal_year=2016 + i, school_year=f"{2015 + i}-{16 + i}", enrollment_rank=rank, school_system=LAUSD,
                 state="California", enrollment=600000, per_pupil_current_spending=15000.0)
            for i, rank in enumerate(ranks)]
    write_tables(tmp_path, {"largest_school_systems": rows})
    result = evaluate(claim("fund-2nd-district"), tmp_path)
    assert (result.rating, result.conclusion) == (rating, conclusion)


def test_claimed_rank_with_nothing_in_the_window(tmp_path):
    write_tables(tmp_path, {"largest_school_systems": [dict(fiscal_year=2010, school_year="2009-10", enrollment_rank=2,
                                                            school_system=LAUSD)]})
    result = evaluate(claim("fund-2nd-district"), tmp_path)
    assert (result.rating, result.conclusion) == (CANT_VERIFY, "No archived ranking for Los Angeles Unified between 2015 and 2017.")


# -- richest_state (fund-richest-state, one year) ---------------------------------------------------------------
def economy(gdp_rank, per_capita_rank, income_rank, household_rank):
    return {"state_economy": [dict(state="California", geo_fips="06000", year=2016, gdp_musd=2.6e6, gdp_musd_rank=gdp_rank,
                                   population=3.9e7, gdp_per_capita=66000.0, gdp_per_capita_rank=per_capita_rank,
                                   per_capita_personal_income=56000.0, per_capita_personal_income_rank=income_rank)],
            "ledger_figures": [dict(ledger="economy_world_rank_and_income", entity="California", school_year_or_year="2016",
                                    measure="median household income rank (incl. DC)", value=household_rank,
                                    confidence="exact transcription", source_url="https://data.census.gov/table")]}


@pytest.mark.parametrize("ranks, rating, conclusion", [
    ((1, 5, 6, 9), "mostly false", "In 2016, California ranked 1st among the states in total GDP but 5th in GDP per person "
                                   "(2016), 6th in per-capita personal income (2016) and 9th in median household income (2016)."),
    ((1, 1, 1, 1), "true", "In 2016, California ranked 1st among the states in total GDP and 1st in GDP per person (2016), "
                           "1st in per-capita personal income (2016) and 1st in median household income (2016)."),
    ((1, 1, 4, 7), "half true", "In 2016, California ranked 1st among the states in total GDP but 1st in GDP per person "
                                "(2016), 4th in per-capita personal income (2016) and 7th in median household income (2016)."),
    ((3, 5, 6, 9), "false", "In 2016, California ranked 3rd among the states in total GDP and 5th in GDP per person (2016), "
                            "6th in per-capita personal income (2016) and 9th in median household income (2016)."),
])
def test_richest_state(tmp_path, ranks, rating, conclusion):
    write_tables(tmp_path, economy(*ranks))
    result = evaluate(claim("fund-richest-state", years=[2016]), tmp_path)
    assert (result.rating, result.conclusion) == (rating, conclusion)


# -- value_near (fund-11000-baseline: $11,000 within 10%, 2016-17 to 2019-20) ----------------------------------------
@pytest.mark.parametrize("values, rating, count", [((11200, 10500), "true", "2 of 2 measures"), ((11200, 17000), "half true", "1 of 2 measures"),
                                                   ((15000, 17000), "false", "0 of 2 measures")])
def test_value_near(tmp_path, values, rating, count):
    write_tables(tmp_path, per_pupil((STATE, "2018-19", "lao_prop98_per_ada", values[0]),
                                     (STATE, "2019-20", "lao_all_sources_per_ada", values[1])))
    result = evaluate(claim("fund-11000-baseline"), tmp_path)
    verb = "falls" if count.startswith("1 ") else "fall"
    low, high = sorted(values)
    assert (result.rating, result.conclusion) == (rating, (
        f"{count} (the latest figure of each, 2016-17 to 2019-20) {verb} within 10% of $11,000; the figures range from "
        f"${low:,} to ${high:,} depending on what is counted and divided by what (nominal dollars)."))


# -- the source-grade rule (evaluate, for every method) ------------------------------------------------------------
def test_a_true_that_rests_only_on_second_hand_figures_is_mostly_true_and_says_so(tmp_path):
    write_tables(tmp_path, world_ranks(("2016", 6), confidence="second-hand quote", source_url="https://www.latimes.com/x"))
    result = evaluate(claim("fund-6th-economy"), tmp_path)
    assert result.rating == "mostly true"
    assert result.conclusion.endswith(
        "It rests only on second-hand evidence (press or secondary report). 'True' needs at least one first-hand figure "
        "(the publisher's file or page), so it is rated mostly true.")
    assert {"alternative": "first-hand evidence only (the publisher's files and pages)", "rating": CANT_VERIFY} in result.sensitivity


def test_a_ranking_by_an_unnamed_publisher_is_context_not_a_match(tmp_path):
    rows = [dict(ranking="QC cost-adjusted per-pupil expenditure rank", publisher="Education Week, Quality Counts",
                 adjustment="cost-adjusted", data_year="2013-14", reported_year=2016, state="California", rank=46,
                 confidence="exact transcription", source_url="https://www.edweek.org/qc"),
            dict(ranking="cost-adjusted per-pupil spending rank", publisher="unnamed study (EdSource FAQ, Mar 2017)",
                 adjustment="cost-adjusted", data_year="", reported_year=2017, state="California", rank=46,
                 confidence="second-hand quote", source_url="https://edsource.org/faq")]
    write_tables(tmp_path, {"state_rankings": rows})
    result = evaluate(claim("fund-ca-rank-46"), tmp_path)
    assert result.conclusion.startswith("1 of 1 archived ranking from 2011 to 2016 matches the claimed 46th for California.")
    context = result.evidence[result.evidence["item"].str.contains("publisher not named")]
    assert len(context) == 1 and context["matches"].iloc[0] == ""


def test_sensitivity_lists_the_rating_under_each_alternative(tmp_path):
    write_tables(tmp_path, world_ranks(("2015", 6), ("2016", 7)))
    result = evaluate(claim("fund-6th-economy"), tmp_path)
    assert result.rating == "mostly true"  # 7th where 6th is claimed, as known in 2016
    assert result.sensitivity == [
        {"alternative": "a rank within one of the claim counts", "rating": "true"},
        {"alternative": "as known a year earlier", "rating": "true"},
        {"alternative": "as known a year later", "rating": "mostly true"},
        {"alternative": "every figure in the window counts", "rating": "half true"},
    ]
    assert result.sensitivity_line() == ("depends on: a rank within one of the claim counts -> true; as known a year "
                                         "earlier -> true; every figure in the window counts -> half true")


def test_each_evidence_row_says_when_its_figure_was_published():
    import pandas as pd

    from schoolclaims.claims.model import published_when

    cde_2019 = "903939093078" + "0" * 52  # stands for a file the manifest does not list: no date is made up
    rows = pd.DataFrame({
        "reported_year": [2016, None, None, None],
        "note": ["", "published: 2017-06-14. Release of FY2015", "no date here", ""],
        "school_year_or_year": ["2013-14", "FY2015", "data 2013 (QC 2016)", "2019-20"],
        "file_sha256": ["", "", "", cde_2019]})
    assert list(published_when(rows)) == ["2016", "2017-06-14", "2016", ""]
    bea = "4649742554477f9b9943159fd07e3bce7bd2f1a0bf484fb51a7360237b61c1e3"  # the archived SAGDP1 file
    f33 = "20963536e5f33130f45a8ea0fc264bb84e6ffb99151b9a191dbe16c3100f0fb4"  # the archived F-33 FY2016 tables
    files = pd.DataFrame({"file_sha256": [bea, f33]})
    assert list(published_when(files)) == ["2020-04 (BEA vintage; revised since first published)", "vintage FY2016"]
