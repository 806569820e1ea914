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


# -- claimed_rank, mode latest (fund-6th-economy: 6th, judged at 2018-06-30, the end of school year 2017-18) ----------
DOF = "https://dof.ca.gov/forecasting/economics/"  # a publisher's page: first-hand, so no source-grade cap applies


def world_ranks(*ranks, confidence="exact transcription", source_url=DOF):
    """Ledger rows (year, rank, published) of California's world GDP rank."""
    return {"ledger_figures": [dict(ledger="economy_world_rank_and_income", entity="California", school_year_or_year=year,
                                    measure="world rank of nominal GDP vs countries", value=rank, confidence=confidence,
                                    source_url=source_url, note=f"published: {published}" if published else "")
                               for year, rank, published in ranks]}


LATEST = "The latest figure published by the claim's date (2018-06-30), for {year}, ranks California {rank}; the claim says 6th."


@pytest.mark.parametrize("ranks, rating, conclusion", [
    ([("2016", 6, "2017-07"), ("2017", 6, "2018-05-04")], "true", LATEST.format(year=2017, rank="6th")),
    # 5th published in May 2018, before the end of 2017-18: the claim understates by one place
    ([("2016", 6, "2017-07"), ("2017", 5, "2018-05-04")], "mostly true", LATEST.format(year=2017, rank="5th")
     + " The claim is one place below the figure then published (it understates it): mostly true."),
    # the claim says one place better than the figure then published: a forecast stated as fact
    ([("2016", 7, "2017-07")], "half true", LATEST.format(year=2016, rank="7th") + " A rank better than the one then "
                                            "published is a forecast stated as fact: at most half true."),
    ([("2016", 9, "2017-07")], "false", LATEST.format(year=2016, rank="9th")
     + " More than one place from the figure then published: false."),
    # published in July 2018, after the claim's date: later data only
    ([("2017", 6, "2018-07")], CANT_VERIFY, "No archived ranking for California between 2014 and 2018 published by "
                                            "2018-06-30. Published after the claim: 6th in 2017."),
    # dated only "2018": the year straddles 2018-06-30, so it is not shown to predate the claim; it is named as such
    ([("2016", 6, "2018")], CANT_VERIFY, "No archived ranking for California between 2014 and 2018 published by 2018-06-30. "
                                         "Published around the claim's date (perhaps after it): 6th in 2016 (2018)."),
    ([("2016", 6, "")], CANT_VERIFY, "No archived ranking for California between 2014 and 2018 published by 2018-06-30."),
])
def test_claimed_rank_latest(tmp_path, ranks, rating, conclusion):
    write_tables(tmp_path, world_ranks(*ranks))
    result = evaluate(claim("fund-6th-economy"), tmp_path)
    assert (result.rating, result.conclusion) == (rating, conclusion)


def test_a_rank_published_after_the_speech_does_not_decide_it(tmp_path):
    """fund-5th-economy-speech (28 July 2017): 6th for 2016 reported in June 2017, 5th for 2017 only in May 2018."""
    write_tables(tmp_path, world_ranks(("2016", 6, "2017-06-20"), ("2017", 5, "2018-05-04")))
    result = evaluate(claim("fund-5th-economy-speech"), tmp_path)
    assert result.rating == "half true"
    assert result.conclusion == ("The latest figure published by the claim's date (2017-07-28), for 2016, ranks California 6th; "
                                 "the claim says 5th. A rank better than the one then published is a forecast stated as fact: "
                                 "at most half true. Published after the claim: 5th in 2017.")
    later = result.evidence[result.evidence["year"] == "2017"]
    assert list(later["matches"]) == [""] and later["item"].iloc[0].endswith("(published after the claim: later data, not deciding)")


def test_a_rank_published_in_the_claims_month_is_named_apart_from_later_ones(tmp_path):
    """fund-5th-economy-speech (28 July 2017): 6th for 2015 (June 2016) decides; 6th for 2016 was reported in July 2017
    (a month that straddles the speech) and again in December 2017; 5th for 2017 in May 2018. The 2016 ranking may have
    been known: it is named with its month, not as published after the claim."""
    write_tables(tmp_path, world_ranks(("2015", 6, "2016-06-21"), ("2016", 6, "2017-07"), ("2016", 6, "2017-12-10"),
                                       ("2017", 5, "2018-05-04")))
    result = evaluate(claim("fund-5th-economy-speech"), tmp_path, sensitivity=False)
    assert result.rating == "half true"
    assert result.conclusion.endswith("at most half true. Published after the claim: 5th in 2017. Published around the "
                                      "claim's date (perhaps after it): 6th in 2016 (2017-07).")


@pytest.mark.parametrize("rank, claimed, rating", [(6, 6, "true"), (5, 6, "mostly true"), (7, 6, "half true"), (4, 6, "false"),
                                                   (8, 6, "false")])
def test_the_forecast_rule(rank, claimed, rating):
    from schoolclaims.claims.methods.funding import _forecast_rating
    assert _forecast_rating(rank, claimed, tolerance=0) == rating


# -- claimed_rank, every ranking in the window (fund-2nd-district: 2nd, 2015 to 2017) -------------------------------
# the data years of the rankings counted (2015-16 and 2016-17), not of the window searched (2015 to 2017)
EVERY = "{n} published by 2018-06-30 (data years 2015-16 to 2016-17; each publisher's ranking of a data year counted once) {verb} the claimed 2nd for Los Angeles Unified"


@pytest.fixture
def f33_release(monkeypatch):
    """Every F-33 file of these tables was published in June 2017 (a test's stand-in for release_dates.csv)."""
    from schoolclaims.transform import published
    monkeypatch.setattr(published, "file_releases", lambda: {f"{i}" * 64: ("2017-06", "FY test") for i in range(3)})


@pytest.mark.parametrize("ranks, rating, conclusion", [
    ([2, 2], "true", "2 of " + EVERY.format(n="2 rankings", verb="match") + "."),
    # one publisher made both rankings: the one that matches is named by its data year
    ([2, 3], "half true", "1 of " + EVERY.format(n="2 rankings", verb="match") + " (data year 2015-16); the others rank it "
                          "3rd (U.S. Census Bureau, enrollment, 2016-17), so the rank depends on which ranking is meant."),
    # each rank named with its ranking (publisher, measure, data year)
    ([3, 4], "false", "0 of " + EVERY.format(n="2 rankings", verb="match") + "; they rank it 3rd (U.S. Census Bureau, enrollment, 2015-16) and "
                      "4th (U.S. Census Bureau, enrollment, 2016-17)."),
])
def test_claimed_rank_every_ranking(tmp_path, f33_release, ranks, rating, conclusion):
    rows = [dict(fiscal_year=2016 + i, school_year=f"{2015 + i}-{16 + i}", enrollment_rank=rank, school_system=LAUSD,
                 state="California", enrollment=600000, per_pupil_current_spending=15000.0, file_sha256=f"{i}" * 64)
            for i, rank in enumerate(ranks)]
    write_tables(tmp_path, {"largest_school_systems": rows})
    result = evaluate(claim("fund-2nd-district"), tmp_path)
    assert (result.rating, result.conclusion) == (rating, conclusion)


def test_claimed_rank_with_nothing_in_the_window(tmp_path, f33_release):
    write_tables(tmp_path, {"largest_school_systems": [dict(fiscal_year=2010, school_year="2009-10", enrollment_rank=2,
                                                            school_system=LAUSD, file_sha256="0" * 64)]})
    result = evaluate(claim("fund-2nd-district"), tmp_path)
    assert (result.rating, result.conclusion) == (
        CANT_VERIFY, "No archived ranking for Los Angeles Unified between 2015 and 2017 published by 2018-06-30.")


# -- claimed_rank: each ranking once, and the edition a claim repeats ------------------------------------------------
def ranking(publisher, rank, data_year, published, ranking_name, confidence="exact transcription",
            source_url="https://www.edweek.org/qc", source_id="ledgers/x.csv", locator="line 1"):
    return dict(ranking=ranking_name, publisher=publisher, adjustment="none", data_year=data_year, published=published,
                state="California", rank=rank, of_n=51, confidence=confidence, source_url=source_url, source_id=source_id,
                locator=locator)


QC, CENSUS_FILE, CENSUS_QUOTED = ("Education Week, Quality Counts", "U.S. Census Bureau, Annual Survey of School System Finances",
                                  "U.S. Census Bureau, F-33 (as quoted)")


def test_a_ranking_and_its_copy_count_once_the_publishers_file_deciding(tmp_path):
    """Census's 2014-15 rank from its file and from its page quoting it is one ranking; with Quality Counts 2017
    that makes 2 rankings, 1 matching 46th (worked by hand)."""
    rows = [ranking(CENSUS_QUOTED, 29, "2014-15", "2017-06-14", "Census current spending per pupil rank", confidence="official page",
                    source_url="https://www2.census.gov/x.xls", locator="line 22"),
            ranking(CENSUS_FILE, 29, "2014-15", "2017-06-14", "Census F-33 current spending per pupil (Table 11)",
                    confidence="official file", source_url="", source_id="census_f33", locator="sheet '11' row 46"),
            ranking(QC, 46, "2013-14", "2017-01-20", "QC cost-adjusted per-pupil expenditure rank")]
    write_tables(tmp_path, {"state_rankings": rows})
    result = evaluate(claim("fund-ca-rank-46"), tmp_path)
    assert result.rating == "half true"
    assert result.conclusion.startswith("1 of 2 rankings published by 2018-06-30 (data years 2013-14 to 2014-15; each publisher's ranking of a data year counted "
                                        "once) match the claimed 46th for California (Education Week, Quality Counts); the "
                                        "others rank it 29th (U.S. Census Bureau, current spending per pupil, 2014-15), so the rank depends on which ranking is meant. The edition the "
                                        "claim is taken to repeat (Education Week, Quality Counts, 2018) is not among the "
                                        "rankings archived")
    deciding = result.evidence[result.evidence["matches"].map(lambda m: not isinstance(m, str))]
    assert sorted(deciding["source_id"]) == ["census_f33", "ledgers/x.csv"]  # the file decides, the page corroborates
    copy = result.evidence[result.evidence["item"].str.contains("another report of the same ranking")]
    assert list(copy["locator"]) == ["line 22"]


def speech_rankings(qc_rank, qc_published="2017-01-20", others=((29, "2017-06-14"),), confidence="official page"):
    rows = [ranking(QC, qc_rank, "2013-14", qc_published, "QC cost-adjusted per-pupil expenditure rank", confidence=confidence)]
    rows += [ranking(CENSUS_FILE, rank, f"{2012 + i}-{13 + i}", published, "Census F-33 current spending per pupil (Table 11)",
                     confidence="official file", source_url="", source_id="census_f33", locator=f"row {i}")
             for i, (rank, published) in enumerate(others)]
    return {"state_rankings": rows}


# the rows rank 51 (of_n): the 50 states and DC, which the conclusion says
QC_2017 = ("The claim is taken to repeat Education Week, Quality Counts (2017 edition, data 2013-14), which ranks California {rank} "
           "of 51 (the 50 states and DC)")


@pytest.mark.parametrize("qc_rank, others, rating, conclusion", [
    (46, ((29, "2017-06-14"),), "mostly true", QC_2017.format(rank="46th") + ", as claimed. Other rankings then published rank "
                                               "it 29th (U.S. Census Bureau, current spending per pupil, 2012-13): accurate for that ranking, but one ranking "
                                               "among several, so mostly true."),
    (46, (), "true", QC_2017.format(rank="46th") + ", as claimed."),
    (46, ((46, "2017-06-14"),), "true", QC_2017.format(rank="46th") + ", as claimed."),
    (45, (), "half true", QC_2017.format(rank="45th") + "; the claim says 46th."),
    (40, (), "false", QC_2017.format(rank="40th") + "; the claim says 46th."),
])
def test_the_edition_a_claim_repeats_decides(tmp_path, qc_rank, others, rating, conclusion):
    write_tables(tmp_path, speech_rankings(qc_rank, others=others))
    result = evaluate(claim("fund-ca-rank-46-speech"), tmp_path)
    assert (result.rating, result.conclusion) == (rating, conclusion)


def test_a_derived_edition_rank_and_an_earlier_edition_of_the_same_ranking_say_what_they_are(tmp_path):
    """Quality Counts 2017's 46th derived from a list that gives a place; an earlier Quality Counts edition (2016, 46th)
    and Census's 29th published by then (worked by hand: mostly true, the 2016 edition named as one)."""
    tables = speech_rankings(46, others=((29, "2017-06-14"),), confidence="second-hand quote (derived rank)")
    tables["state_rankings"].append(ranking(QC, 46, "2012-13", "2016-01-07", "QC cost-adjusted per-pupil expenditure rank",
                                            locator="line 2"))
    write_tables(tmp_path, tables)
    result = evaluate(claim("fund-ca-rank-46-speech"), tmp_path)
    assert result.rating == "mostly true"
    assert result.conclusion == (
        "The claim is taken to repeat Education Week, Quality Counts (2017 edition, data 2013-14), which ranks California "
        "46th of 51 (the 50 states and DC; derived from a second-hand list; see the caveats), as claimed. Other rankings then published "
        "rank it 46th (Education Week, cost-adjusted per-pupil expenditure, 2012-13; an earlier Education Week, Quality "
        "Counts edition) and 29th (U.S. Census Bureau, current spending per pupil, 2012-13): accurate for that ranking, but one ranking among several, so mostly true.")
    from schoolclaims.claims.evaluate import result_record

    assert result_record(result)["basis"].startswith("Quality Counts 2017 (January 2017) was the edition current at the speech")


def test_an_edition_published_after_the_claim_leaves_every_ranking_to_count(tmp_path):
    write_tables(tmp_path, speech_rankings(46, qc_published="2017-08", others=((29, "2017-06-14"),)))
    result = evaluate(claim("fund-ca-rank-46-speech"), tmp_path)
    assert result.rating == "false"
    assert "The edition the claim is taken to repeat (Education Week, Quality Counts, 2017) is not among the rankings archived and " \
           "published by 2017-07-28, so every ranking counts. Published after the claim: 46th in 2013-14 (Education Week, " \
           "cost-adjusted per-pupil expenditure)." in result.conclusion
    assert result.conclusion.startswith("0 of 1 ranking published by 2017-07-28")


def test_rankings_published_after_the_claim_are_named_by_publisher_and_a_copy_is_named_once(tmp_path):
    """Three figures published after the July 2017 speech, all for 2015-16: Census's 23rd in its file and on its page
    quoting it (one ranking: its file named), and Quality Counts' 39th. Before the claim, Census's 29th for 2014-15
    (worked by hand: 0 of 1 matches 46th, false)."""
    rows = [ranking(CENSUS_FILE, 29, "2014-15", "2017-06-14", "Census F-33 current spending per pupil (Table 11)",
                    confidence="official file", source_url="", source_id="census_f33", locator="row 1"),
            ranking(CENSUS_FILE, 23, "2015-16", "2018-05-21", "Census F-33 current spending per pupil (Table 11)",
                    confidence="official file", source_url="", source_id="census_f33", locator="row 2"),
            ranking(CENSUS_QUOTED, 23, "2015-16", "2018-05-21", "Census current spending per pupil rank",
                    confidence="official page", locator="line 2"),
            ranking(QC, 39, "2015-16", "2019-01-15", "QC cost-adjusted per-pupil expenditure rank")]
    write_tables(tmp_path, {"state_rankings": rows})
    result = evaluate(claim("fund-ca-rank-46-speech"), tmp_path, sensitivity=False)
    assert result.rating == "false" and result.conclusion.startswith("0 of 1 ranking published by 2017-07-28")
    # each named as the counted ranks are: publisher, measure (its table number left out: no brackets in brackets)
    assert result.conclusion.endswith(
        "Published after the claim: 23rd in 2015-16 (U.S. Census Bureau, current spending per pupil) and 39th "
        "in 2015-16 (Education Week, cost-adjusted per-pupil expenditure).")


# -- richest_state (fund-richest-state, one year) ---------------------------------------------------------------
def economy(gdp_rank, per_capita_rank, income_rank, household_rank):
    return {"state_economy": [dict(state="California", geo_fips="06000", year=2016, vintage="2017-07-15", gdp_musd=2.6e6,
                                   gdp_musd_rank=gdp_rank, confidence="official file",
                                   population=3.9e7, gdp_per_capita=66000.0, gdp_per_capita_rank=per_capita_rank,
                                   per_capita_personal_income=56000.0, per_capita_personal_income_rank=income_rank)],
            "ledger_figures": [dict(ledger="economy_world_rank_and_income", entity="California", school_year_or_year="2016",
                                    measure="median household income rank (incl. DC)", value=household_rank,
                                    confidence="exact transcription", source_url="https://data.census.gov/table")]}


def test_richest_state_reads_each_year_in_the_vintage_current_at_the_claims_date(tmp_path):
    """2016 as first published (July 2017: 7th per person) and as revised (April 2020: 5th); a claim of July 2017 is
    judged on the first, and 2017, archived only in the 2020 revision, is later data (worked by hand)."""
    def row(year, vintage, per_person):
        return dict(state="California", geo_fips="06000", year=year, vintage=vintage, gdp_musd=2.6e6, gdp_musd_rank=1,
                    population=3.9e7, gdp_per_capita=66000.0, gdp_per_capita_rank=per_person, per_capita_personal_income=5e4,
                    per_capita_personal_income_rank=per_person, confidence="official file")
    write_tables(tmp_path, {"state_economy": [row(2016, "2017-07-15", 7), row(2016, "2020-04", 5), row(2017, "2020-04", 1)],
                            "ledger_figures": []})
    result = evaluate(claim("fund-richest-state-speech", years=[2016, 2017]), tmp_path)
    assert result.rating == "mostly false"
    assert result.conclusion == ("In 2016, California ranked 1st among the states in total GDP but 7th in GDP per person (2016) "
                                 "and 7th in per-capita personal income (2016). BEA's figures are from the latest archived vintage "
                                 "published by 2017-07-28 (dated 2017-07-15). For 2017, only BEA's later revision is archived (later data, not "
                                 "deciding).")
    # each row is dated by the vintage it was read from, not by when its year was first published
    assert sorted(set(zip(result.evidence["year"], result.evidence["published"]))) == [("2016", "2017-07-15"), ("2017", "2020-04")]
    # judged at 30 June 2018, BEA had published newer figures (2017's first release, 2018-05-04, in release_dates.csv)
    # that the archive does not hold: the conclusion says the vintage it used was not then current
    later = evaluate(claim("fund-richest-state", years=[2016, 2017]), tmp_path)
    assert "BEA's figures are from the latest archived vintage published by 2018-06-30 (dated 2017-07-15); BEA's release of 2018-05-04, current " \
           "on that date, is not archived. For 2017" in later.conclusion


@pytest.mark.parametrize("ranks, rating, conclusion", [  # median household income is not one of the claim's measures
    ((1, 5, 6, 9), "mostly false", "In 2016, California ranked 1st among the states in total GDP but 5th in GDP per person "
                                   "(2016) and 6th in per-capita personal income (2016). BEA's figures are from the latest archived vintage published by 2018-06-30 (dated 2017-07-15)."),
    ((1, 1, 1, 9), "true", "In 2016, California ranked 1st among the states in total GDP and 1st in GDP per person (2016) "
                           "and 1st in per-capita personal income (2016). BEA's figures are from the latest archived vintage published by 2018-06-30 (dated 2017-07-15)."),
    ((1, 1, 4, 1), "half true", "In 2016, California ranked 1st among the states in total GDP but 1st in GDP per person "
                                "(2016) and 4th in per-capita personal income (2016). BEA's figures are from the latest archived vintage published by 2018-06-30 (dated 2017-07-15)."),
    ((3, 5, 6, 1), "false", "In 2016, California ranked 3rd among the states in total GDP and 5th in GDP per person (2016) "
                            "and 6th in per-capita personal income (2016). BEA's figures are from the latest archived vintage published by 2018-06-30 (dated 2017-07-15)."),
])
def test_richest_state(tmp_path, ranks, rating, conclusion):
    write_tables(tmp_path, economy(*ranks))
    result = evaluate(claim("fund-richest-state", years=[2016]), tmp_path)
    assert (result.rating, result.conclusion) == (rating, conclusion)


# -- value_near (fund-11000-baseline: $11,000 within 10%, 2016-17 to 2019-20) ----------------------------------------
PROP98, ALL = "lao_prop98_per_ada, 2018-19", "lao_all_sources_per_ada, 2019-20"  # each end of the range names its measure


@pytest.mark.parametrize("values, rating, count, ends", [
    ((11200, 10500), "true", "2 of 2 measures", f"$10,500 ({ALL}) to $11,200 ({PROP98})"),
    ((11200, 17000), "half true", "1 of 2 measures", f"$11,200 ({PROP98}) to $17,000 ({ALL})"),
    ((15000, 17000), "false", "0 of 2 measures", f"$15,000 ({PROP98}) to $17,000 ({ALL})")])
def test_value_near(tmp_path, monkeypatch, values, rating, count, ends):
    from schoolclaims.transform import published
    monkeypatch.setattr(published, "file_releases", lambda: {"a" * 64: ("2020-02", "test"), "b" * 64: ("2020-05-11", "test")})
    tables = per_pupil((STATE, "2018-19", "lao_prop98_per_ada", values[0]), (STATE, "2019-20", "lao_all_sources_per_ada", values[1]))
    for row, sha in zip(tables["per_pupil_funding"], ("a" * 64, "b" * 64)):
        row["file_sha256"] = sha
    write_tables(tmp_path, tables)
    result = evaluate(claim("fund-11000-baseline"), tmp_path)
    verb = "falls" if count.startswith("1 ") else "fall"
    assert (result.rating, result.conclusion) == (rating, (
        f"For California (statewide), {count} (the latest figure of each, 2015-16 to 2019-20, published by 2020-06-30) {verb} within 10% of $11,000; the figures range from "
        f"{ends}, depending on what is counted and divided by what (nominal dollars)."))


def test_value_near_counts_only_the_measures_a_claim_names(tmp_path, monkeypatch):
    """A claim about spending leaves revenue out (``measures``): of $11,200 Prop 98 funding (a revenue measure) and
    $17,000 all-source funding, only the second is counted when it alone is named; 0 of 1 within 10% -> false."""
    from schoolclaims.transform import published
    monkeypatch.setattr(published, "file_releases", lambda: {"a" * 64: ("2020-02", "test"), "b" * 64: ("2020-05-11", "test")})
    tables = per_pupil((STATE, "2018-19", "lao_prop98_per_ada", 11200), (STATE, "2019-20", "lao_all_sources_per_ada", 17000))
    for row, sha in zip(tables["per_pupil_funding"], ("a" * 64, "b" * 64)):
        row["file_sha256"] = sha
    write_tables(tmp_path, tables)
    result = evaluate(claim("fund-11000-baseline", measures=["lao_all_sources_per_ada"]), tmp_path, sensitivity=False)
    assert result.rating == "false" and result.conclusion.startswith("For California (statewide), 0 of 1 measure ")
    assert list(result.evidence["item"]) == ["lao_all_sources_per_ada"]


def test_value_near_says_when_the_name_is_unknown_not_that_data_is_missing(tmp_path):
    write_tables(tmp_path, {**per_pupil(), "california_districts": []})
    result = evaluate(claim("fund-11000-baseline", entity="San Diego Unifed"), tmp_path, sensitivity=False)
    assert result.rating == CANT_VERIFY
    assert result.conclusion == (
        "No archived per-pupil figure for San Diego Unifed from 2015-16 to 2019-20 published by 2020-06-30. The name is not "
        "one the project knows: district 'San Diego Unifed': expected one district in the CDE School Directory (not built); "
        "found none.")


def test_cost_adjusted_dollars_are_not_called_nominal_and_never_decide(tmp_path):
    """Both 2015-16 figures are of no known date, counted here (undated_count); $10,867 cost-adjusted is within 10% of
    $11,000 but is not a year's dollars: only $10,500 decides (within 10%: 1 of 1, true)."""
    write_tables(tmp_path, per_pupil((STATE, "2015-16", "edweek_cost_adjusted_per_pupil", 10867),
                                     (STATE, "2015-16", "lao_prop98_per_ada", 10500)))
    result = evaluate(claim("fund-11000-baseline", undated_count=True), tmp_path, sensitivity=False)
    units = dict(zip(result.evidence["item"].str.split(" [(]", regex=True).str[0], result.evidence["unit"]))
    assert units == {"edweek_cost_adjusted_per_pupil": "USD, cost-adjusted (Education Week's regional index)",
                     "lao_prop98_per_ada": "USD nominal"}
    adjusted = result.evidence[result.evidence["item"].str.startswith("edweek")]
    assert list(adjusted["matches"]) == [""] and result.rating == "true"
    assert result.conclusion.startswith("For California (statewide), 1 of 1 measure ")
    assert result.conclusion.endswith(" Education Week's cost-adjusted figures are shown, not counted.")


# -- the source-grade rule (evaluate, for every method) ------------------------------------------------------------
def test_a_true_that_rests_only_on_second_hand_figures_is_mostly_true_and_says_so(tmp_path):
    write_tables(tmp_path, world_ranks(("2017", 6, "2018-05-04"), confidence="second-hand quote", source_url="https://www.latimes.com/x"))
    result = evaluate(claim("fund-6th-economy"), tmp_path)
    assert result.rating == "mostly true"
    assert result.conclusion.endswith(
        "It rests only on second-hand evidence (press or secondary report). 'True' needs at least one first-hand figure "
        "(the publisher's file or page), so it is rated mostly true.")
    assert {"alternative": "first-hand evidence only (the publisher's files and pages)", "rating": CANT_VERIFY} in result.sensitivity


def test_a_ranking_by_an_unnamed_publisher_is_context_not_a_match(tmp_path):
    rows = [dict(ranking="QC cost-adjusted per-pupil expenditure rank", publisher="Education Week, Quality Counts",
                 adjustment="cost-adjusted", data_year="2013-14", reported_year=2016, published="2016-01", state="California", rank=46,
                 confidence="exact transcription", source_url="https://www.edweek.org/qc"),
            dict(ranking="cost-adjusted per-pupil spending rank", publisher="unnamed study (EdSource FAQ, Mar 2017)",
                 adjustment="cost-adjusted", data_year="", reported_year=2017, published="2017-03", state="California", rank=46,
                 confidence="second-hand quote", source_url="https://edsource.org/faq")]
    write_tables(tmp_path, {"state_rankings": rows})
    result = evaluate(claim("fund-ca-rank-46"), tmp_path)
    assert result.conclusion.startswith("1 of 1 ranking published by 2018-06-30 (data year 2013-14; each publisher's ranking of a data year counted "
                                        "once) matches the claimed 46th for California.")
    context = result.evidence[result.evidence["item"].str.contains("publisher not named")]
    assert len(context) == 1 and context["matches"].iloc[0] == ""


def test_sensitivity_lists_the_rating_under_each_alternative(tmp_path):
    write_tables(tmp_path, world_ranks(("2015", 6, "2016-06"), ("2016", 7, "2017-07")))
    result = evaluate(claim("fund-6th-economy"), tmp_path)
    assert result.rating == "half true"  # 7th then published where 6th is claimed: a rank not yet reached
    assert result.sensitivity == [
        {"alternative": "a rank one place off the claimed one counts as a match", "rating": "true"},
        {"alternative": "as known a year later", "rating": "half true"},
        {"alternative": "every figure in the window counts", "rating": "half true"},
    ]
    assert result.sensitivity_line() == "depends on: a rank one place off the claimed one counts as a match -> true"


def test_each_evidence_row_says_when_its_figure_was_published():
    """ISO dates at the precision the record gives; the revision or vintage in its own field; '' when unknown."""
    import pandas as pd

    from schoolclaims.transform.published import published_and_revision

    cde_2019 = "903939093078" + "0" * 52  # stands for a file the manifest does not list: no date is made up
    rows = pd.DataFrame({
        "reported_year": [2016, None, None, None, None],
        "note": ["", "published: 2017-06-14. Release of FY2015", "no date here", "", "published: 2017-07 (inferred)"],
        "school_year_or_year": ["2013-14", "FY2015", "data 2013 (QC 2016)", "2019-20", "QC 2016 (Jan 2016; data 2013)"],
        "file_sha256": ["", "", "", cde_2019, ""]})
    assert list(published_and_revision(rows)[0]) == ["2016", "2017-06-14", "2016", "", "2017-07"]
    assert list(published_and_revision(rows.drop(columns="note").iloc[4:])[0]) == ["2016-01"]
    bea = "4649742554477f9b9943159fd07e3bce7bd2f1a0bf484fb51a7360237b61c1e3"  # the archived SAGDP1 file (2020-04 vintage)
    f33 = "20963536e5f33130f45a8ea0fc264bb84e6ffb99151b9a191dbe16c3100f0fb4"  # the archived F-33 FY2016 tables
    published, revision = published_and_revision(pd.DataFrame({"file_sha256": [bea, f33]}))
    assert list(published) == ["2020-04", "2018-05"]  # BEA's file as archived; F-33 FY2016 from release_dates.csv
    assert list(revision) == ["BEA vintage; revised since first published", "Public Education Finances: 2016 (first release)"]


# -- layoff_record: a year's educators' count decides over its total with administrators ------------------------------
def test_a_years_count_of_educators_notices_replaces_its_total_with_administrators(tmp_path):
    rows = [dict(ledger="lausd_layoffs", entity=LAUSD, measure="preliminary layoff notices approved (total)",
                 school_year_or_year="2015-16 (notices Mar 2015)", value=2492, confidence="second-hand quote"),
            dict(ledger="claim_year_figures", entity=LAUSD, measure="layoff warning notices authorized, educators (teachers)",
                 school_year_or_year="2015-16 (notices Mar 2015)", value=609, confidence="second-hand quote"),
            dict(ledger="lausd_layoffs", entity=LAUSD, measure="layoff notices", school_year_or_year="2013-14 (Feb 2013)",
                 value=0, confidence="second-hand quote")]
    write_tables(tmp_path, {"ledger_figures": rows})
    result = evaluate(claim("pay-lausd-layoffs"), tmp_path)
    deciding = result.evidence[result.evidence["matches"].map(lambda m: not isinstance(m, str))]
    assert sorted(deciding["value"]) == [0, 609]  # 2,492 is shown as context, not counted
    context = result.evidence[result.evidence["value"] == 2492]["item"].iloc[0]
    assert context.endswith("(with administrators' notices; the year's count of educators alone decides: context)")
    assert result.conclusion.startswith("LAUSD issued layoff notices in 1 school year up to 2015-16 (2015-16), none in 2013-14"
                                        "; the record has no figure for 2014-15. Notices are warnings, not layoffs, and the "
                                        "record gives no count of jobs lost; ")


def test_notices_are_told_apart_from_jobs_lost(tmp_path):
    """The claim says 'years of lay-offs'; notices warn of them. 8,846 notices for 2009-10 and 2,000 jobs lost that year
    (synthetic rows shaped like the ledger's): both years with notices count, and the jobs lost are named apart."""
    rows = [dict(ledger="lausd_layoffs", entity=LAUSD, measure="preliminary layoff notices approved",
                 school_year_or_year="2009-10 (notices Mar 2009)", value=8846, confidence="second-hand quote"),
            dict(ledger="lausd_layoffs", entity=LAUSD, measure="educators and staff who lost jobs (final, approx)",
                 school_year_or_year="2009-10", value=2000, confidence="second-hand quote"),
            dict(ledger="lausd_layoffs", entity=LAUSD, measure="preliminary layoff notices approved",
                 school_year_or_year="2010-11 (notices Mar 2010)", value=5200, confidence="second-hand quote")]
    write_tables(tmp_path, {"ledger_figures": rows})
    result = evaluate(claim("pay-lausd-layoffs"), tmp_path, sensitivity=False)
    assert ("LAUSD issued layoff notices in 2 school years up to 2015-16 (2009-10 and 2010-11); the record has no figure "
            "for 2011-12, 2012-13, 2013-14, 2014-15 and 2015-16. Notices are warnings, not layoffs: the "
            "record counts jobs lost, or expected to be, only in 2009-10 (2,000: educators and staff who lost jobs (final, "
            "approx)); ") in result.conclusion
