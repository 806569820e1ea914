"""Every rating method that takes an entity uses it: each method on small tables written here, asked about two
entities, must answer from each one's own rows. The expected ratings and sentences are worked out by hand below.
All figures in this file are synthetic (made up for the test), not data."""

from __future__ import annotations

import pytest
from helpers import write_tables

from schoolclaims.claims import CANT_VERIFY, evaluate
from schoolclaims.claims.model import Claim
from schoolclaims.entities import networks

ALLIANCE, GREEN_DOT = "Alliance College-Ready Public Schools", "Green Dot Public Schools"
LAUSD, SDUSD = "Los Angeles Unified", "San Diego Unified"
LAUSD_CODE, SDUSD_CODE = "1964733", "3768338"
CDE = "cde_current_expense_per_ada"
SHA = "0" * 64  # synthetic rows: a stand-in checksum of the right shape


def claim(method: str, kind: str = "factual", **params) -> Claim:
    """A claim written in the test (what a new YAML file would hold)."""
    return Claim.model_validate({
        "id": "test-entity-claim", "question_id": "test-entity-claim", "kind": kind, "claimant": "a test (synthetic)",
        "quote": "A synthetic statement used by a test.", "appeared": [{"title": "t", "url": "https://example.org/", "date": "2019"}],
        "question": "q", "metrics": ["m"], "evaluation": {"method": method, "params": params}, "settles_it": "s",
        "corrections": [{"date": "2026-12-01", "note": "test"}]})


def provenance(locator: str) -> dict:
    return {"source_id": "test", "file_sha256": SHA, "locator": locator}


# -- network_size: Green Dot and Alliance each scored on their own schools and students ---------------------------
def network_rows():
    rows = []
    for network, per_cds, split, students in ((ALLIANCE, 25, 28, 11_611), (GREEN_DOT, 16, 16, 8_741)):
        for rule, schools in (("per CDS code", per_cds), ("6-12 campus as two", split)):
            rows.append(dict(network=network, school_year="2015-16", counting_rule=rule, rule_definition="d", schools=schools,
                             students=students, schools_with_enrollment=per_cds, enrollment_measure="m",
                             membership_as_of="CDE School Directory 2018-06", **provenance(f"{network} {rule}")))
    return {"network_size": rows, "ledger_figures": []}


@pytest.mark.parametrize("entity, rating, start", [
    # Green Dot: 16 schools per CDS code = the claimed 16 (2 points); 8,741 students >= "over 8,000" (2) -> 4: true
    (GREEN_DOT, "true", "On Census Day 2015 Green Dot had 16 schools by CDS code and 16 counting each 6-12 campus"),
    ("Green Dot", "true", "On Census Day 2015 Green Dot had 16 schools by CDS code"),  # the short name in networks.csv
    # Alliance, same claim: 25 and 28 schools, neither 16 (0); 11,611 >= 8,000 (2) -> 2: half true
    (ALLIANCE, "half true", "On Census Day 2015 Alliance had 25 schools by CDS code and 28 counting each 6-12 campus"),
])
def test_network_size_scores_the_network_it_names(tmp_path, entity, rating, start):
    write_tables(tmp_path, network_rows())
    result = evaluate(claim("network_size", entity=entity, school_year="2015-16", claimed_schools=16, claimed_students=8_000,
                            network_rule="per CDS code", tolerance=0.05), tmp_path, sensitivity=False)
    assert result.rating == rating and result.conclusion.startswith(start)
    assert set(result.evidence["entity"]) == {networks()[ALLIANCE if "Alliance" in entity else GREEN_DOT].name}


@pytest.mark.parametrize("claimed, over, rating, marked", [
    # Green Dot's 16 schools = the claimed 16 (2 points) in every case; 8,741 students (synthetic):
    (8_800, False, "true", True),  # "about 8,800": 0.67% off, within the 2% tolerance (2) -> 4; the row is a match
    (9_000, False, "mostly true", False),  # "about 9,000": 2.9% off, within twice it (1: near) -> 3; near is no match
    (8_000, False, "half true", False),  # "about 8,000": 9.3% over, beyond twice the tolerance (0) -> 2; no match
    (8_000, True, "true", True),  # "over 8,000": 8,741 is over (2) -> 4
    (8_900, True, "mostly true", False),  # "over 8,900": 1.8% below, within the tolerance below (1: near) -> 3
])
def test_the_student_row_is_marked_a_match_only_when_the_count_scores_in_full(tmp_path, claimed, over, rating, marked):
    write_tables(tmp_path, network_rows())
    result = evaluate(claim("network_size", entity=GREEN_DOT, school_year="2015-16", claimed_schools=16, claimed_students=claimed,
                            over=over, network_rule="per CDS code", tolerance=0.02), tmp_path, sensitivity=False)
    row = result.evidence[result.evidence["unit"] == "students"]
    assert result.rating == rating and row["matches"].tolist() == [marked]


def test_a_network_without_a_membership_rule_is_an_error(tmp_path):
    write_tables(tmp_path, network_rows())
    with pytest.raises(KeyError, match="no charter network named 'Some Other Network'"):
        evaluate(claim("network_size", entity="Some Other Network", school_year="2015-16", claimed_schools=1,
                       claimed_students=1, network_rule="per CDS code", tolerance=0.05), tmp_path, sensitivity=False)


# -- per-pupil money: LAUSD from per_pupil_funding, San Diego from the statewide CDE table -------------------------
def money_tables():
    return {
        "per_pupil_funding": [dict(entity=LAUSD, school_year="2019-20", measure_id=CDE, measure="CDE current expense of education per ADA",
                                   numerator="n", denominator="d", dollars="nominal", value=17_000.0, confidence="official file",
                                   **provenance("LAUSD row"))],
        "california_districts": [dict(district_code=code, district=name, county=county, schools_listed=1,
                                      directory_vintage="2018-06", **provenance(f"{name} row"))
                                 for code, name, county in ((LAUSD_CODE, LAUSD, "Los Angeles"), (SDUSD_CODE, SDUSD, "San Diego"))],
        "cde_current_expense": [dict(school_year="2019-20", level="lea", cds=code, lea_name=name, lea_type="Unified",
                                     edp365=value * 1000, ada=1000.0, per_ada=value, **provenance(f"{name} sheet row"))
                                for code, name, value in ((LAUSD_CODE, LAUSD, 17_000.0), (SDUSD_CODE, SDUSD, 21_000.0))],
        "f33_district_finances": [],
        "price_index": [dict(series_id="CUURS49ASA0", series_title="t", school_year="2019-20", index=300.0, months=12,
                             **provenance("cpi"))],
    }


@pytest.mark.parametrize("entity, rating, conclusion", [
    # San Diego's CDE row, $21,000, reaches $20,000; named by name or by its county-district code
    (SDUSD, "met", "In 2019-20, all 1 archived figure for San Diego Unified reached $20,000 per pupil; the lowest was $21,000 "
                   "(CDE current expense of education per ADA, 2019-20). Nominal dollars."),
    (SDUSD_CODE, "met", "In 2019-20, all 1 archived figure for San Diego Unified reached $20,000 per pupil; the lowest was "
                        "$21,000 (CDE current expense of education per ADA, 2019-20). Nominal dollars."),
    # LAUSD's per_pupil_funding row, $17,000, does not
    (LAUSD, "not met", "In 2019-20, none of the 1 archived figure for Los Angeles Unified reached $20,000 per pupil; the "
                       "highest was $17,000 (CDE current expense of education per ADA, 2019-20). CDE current expense of "
                       "education per ADA never reached it in the archived years. Nominal dollars."),
])
def test_target_threshold_reads_the_named_districts_money(tmp_path, entity, rating, conclusion):
    write_tables(tmp_path, money_tables())
    result = evaluate(claim("target_threshold", kind="target", entity=entity, threshold=20_000, target_years=["2019-20"],
                            measures=[CDE], missing_sources={}), tmp_path, sensitivity=False)
    assert (result.rating, result.conclusion) == (rating, conclusion)


@pytest.mark.parametrize("entity, rating", [
    (SDUSD, "true"),   # $21,000 is within 10% of $21,000
    (SDUSD_CODE, "true"),  # named by its code, named by its name in the conclusion
    (LAUSD, "false"),  # $17,000 is below $18,900 = $21,000 x 0.9
])
def test_value_near_reads_the_named_districts_money(tmp_path, monkeypatch, entity, rating):
    from schoolclaims.transform import published

    class EveryFile(dict):  # the synthetic files were all released in January 2018, before the claim (2019)
        def __contains__(self, _sha):
            return True

        def __getitem__(self, _sha):
            return ("2018-01", "synthetic release")
    monkeypatch.setattr(published, "file_releases", lambda: EveryFile())
    write_tables(tmp_path, money_tables())
    result = evaluate(claim("value_near", entity=entity, claimed=21_000, tolerance=0.10, window=["2019-20", "2019-20"]),
                      tmp_path, sensitivity=False)
    assert result.rating == rating
    assert list(result.evidence["value"]) == [17_000.0 if entity == LAUSD else 21_000.0]
    assert result.conclusion.startswith(f"For {LAUSD if entity == LAUSD else SDUSD}, ")


@pytest.mark.parametrize("higher, lower, rating, end", [
    # 21,000 / 17,000 - 1 = 23.5% more
    (SDUSD, LAUSD, "true", "San Diego Unified spent 23.5% more."),
    (SDUSD_CODE, "los angeles unified", "true", "San Diego Unified spent 23.5% more."),  # a code, a name in lower case
    # 17,000 / 21,000 - 1 = -19.0%
    (LAUSD, SDUSD, "false", "Los Angeles Unified spent 19.0% less."),
])
def test_district_spending_comparison_names_districts_by_name_or_code(tmp_path, higher, lower, rating, end):
    write_tables(tmp_path, money_tables())
    result = evaluate(claim("district_spending_comparison", school_year="2019-20", higher=higher, lower=lower), tmp_path,
                      sensitivity=False)
    assert result.rating == rating and result.conclusion.endswith(end)


def test_an_unknown_district_is_cant_verify_naming_what_the_directory_holds(tmp_path):
    write_tables(tmp_path, money_tables())
    result = evaluate(claim("district_spending_comparison", school_year="2019-20", higher="Springfield Unified", lower=LAUSD),
                      tmp_path, sensitivity=False)
    assert result.rating == CANT_VERIFY and "district 'Springfield Unified'" in result.conclusion and "found none" in result.conclusion


# -- share_paid_more: the named employer, its own J-90 row or schedule, the county or the whole state ---------------
def salary_tables():
    def j90(cds, name, county, fte, low, high):
        return dict(school_year="2020-21", cds=cds, district=name, county=county, teacher_fte=fte, days=180.0,
                    lowest_column_heading="BA", highest_step=10.0, highest_column=5.0, min_salary=low, max_salary=high,
                    **provenance(f"TSAL1 {name}"))
    return {
        "california_district_salaries": [
            j90("1900001", "LA ONE", "Los Angeles", 100.0, 50_000.0, 100_000.0),
            j90("1900002", "LA TWO", "Los Angeles", 300.0, 40_000.0, 90_000.0),
            j90(SDUSD_CODE, "SAN DIEGO UNIFIED", "San Diego", 600.0, 48_000.0, 95_000.0),
            j90("3700002", "SD TWO", "San Diego", 400.0, 52_000.0, 105_000.0)],
        "salary_schedules": [
            dict(employer=ALLIANCE, school_year="2020-21", schedule="teachers", kind="cell", step=step, column_index=column,
                 column_label=label, column_requirement=label, annual_salary=salary, confidence="synthetic",
                 **provenance(f"cell {step} {label}"))
            for step, column, label, salary in ((1, 1, "BA", 49_000.0), (10, 2, "MA", 99_000.0))],
        "california_districts": money_tables()["california_districts"],
    }


# Districts are named as the directory names them (San Diego Unified), else by the J-90's capitals in title case
@pytest.mark.parametrize("employer, county, rating, share, named", [
    # San Diego Unified's own J-90 row: 48,000 to 95,000; itself left out. Statewide: LA ONE (50,000 > 48,000 and
    # 100,000 > 95,000) 100 FTE and SD TWO 400 FTE pay more; LA TWO (40,000) does not: 500 / 800 = 62.5% -> half true
    (SDUSD, None, "half true", "62%", ["San Diego Unified", "La One", "La Two", "Sd Two"]),
    # Alliance's schedule: BA step 1 49,000, top 99,000. Los Angeles County: LA ONE only, 100 / 400 = 25% -> false
    (ALLIANCE, "Los Angeles", "false", "25%", ["La One", "La Two"]),
    # statewide: LA ONE 100 + SD TWO 400 = 500 of 1,400 FTE = 35.7% -> false
    (ALLIANCE, None, "false", "36%", ["La One", "La Two", "San Diego Unified", "Sd Two"]),
])
def test_share_paid_more_uses_the_named_employer(tmp_path, employer, county, rating, share, named):
    write_tables(tmp_path, salary_tables())
    result = evaluate(claim("share_paid_more", employer=employer, j90_year="2020-21", claimed_share=0.9, missing_j90="j",
                            missing_schedule="s", county=county), tmp_path, sensitivity=False)
    assert result.rating == rating and result.conclusion.startswith(f"{share} of ")
    assert ("California district teachers" if county is None else "Los Angeles County district teachers") in result.conclusion
    compared = result.evidence[result.evidence["matches"].map(lambda m: not isinstance(m, str))]
    assert SDUSD not in set(compared["entity"]) or employer != SDUSD  # the employer is not its own rival
    assert list(result.evidence["entity"]) == named  # the employer's own row first, then the districts compared


def test_network_rules_are_data_with_one_rule_per_network():
    rules = networks()
    assert rules[ALLIANCE].rule == "cds list" and rules[GREEN_DOT].rule == "name prefix"
    import pandas as pd

    cds = pd.Series(["19647330000001", "19647330000001", "01612590000001", "19647330000001"])
    school = pd.Series(["Animo Pat Brown Charter High", "Animo Pat Brown Charter High", "Animo X", "Academia Animo"])
    charter = pd.Series(["Y", "N", "Y", "Y"])
    # a charter in Los Angeles County named 'Animo …'; not a charter; outside the county; the prefix is literal
    assert list(rules[GREEN_DOT].named_members(cds, school, charter)) == [True, False, False, False]
    assert not rules[ALLIANCE].named_members(cds, school, charter).any()  # Alliance: the reviewed list, not a name


# -- class_size_smaller: the staffing context is the named group's, labelled as a staffing ratio -------------------
def staffing_tables():
    def school(ncessch, network, students, fte, plausible, flag=""):
        return dict(school_year="2015-16", ncessch=ncessch, cds="", school=f"school {ncessch[-1]}", network=network,
                    cmo_name="c", level="High", nces_district="0622710", in_lausd_boundaries=True, students=students,
                    teacher_fte=fte, pupils_per_teacher=round(students / fte, 2), plausible=plausible, flag=flag,
                    **provenance(f"line {ncessch[-1]}"))
    return {"class_size_comparison": [], "charter_staffing_2015_16": [
        school("062271000001", ALLIANCE, 500.0, 25.0, True),
        school("062271000002", ALLIANCE, 300.0, 6.0, False, "50.0 pupils per FTE teacher, outside the band"),
        school("062271000003", GREEN_DOT, 440.0, 20.0, True),
        school("062271000004", GREEN_DOT, 460.0, 20.0, True)]}


@pytest.mark.parametrize("group, ratio, summed, left_out", [
    ("Alliance", 20.0, "1 of 2 schools summed", 1),  # 500 / 25 = 20.0; the 50-pupil school is left out and shown
    ("Green Dot", 22.5, "2 of 2 schools summed", 0),  # (440 + 460) / (20 + 20) = 22.5
])
def test_class_size_smaller_cites_the_named_groups_staffing_ratio_as_context(tmp_path, group, ratio, summed, left_out):
    write_tables(tmp_path, staffing_tables())
    result = evaluate(claim("class_size_smaller", years=["2014-15", "2015-16"], rule="CALPADS", content_areas=["English"],
                            group=group, compare_with=["LAUSD"]), tmp_path, sensitivity=False)
    assert result.rating == CANT_VERIFY
    first = result.evidence.iloc[0]
    assert first["item"].startswith("pupils per FTE teacher (staffing ratio, NOT class size; context only)")
    assert summed in first["item"] and first["value"] == ratio and first["matches"] == ""
    assert result.evidence["item"].str.startswith("left out of the sum").sum() == left_out


# -- richest_state and layoff_record: the named state, the named network -----------------------------------------
def two_states():
    def state(name, fips, gdp_rank, per_capita_rank, income_rank):
        return dict(state=name, geo_fips=fips, year=2016, vintage="2017-07-15", confidence="official file",
                    gdp_musd=1e6, gdp_musd_rank=gdp_rank, population=1e7,
                    gdp_per_capita=60000.0, gdp_per_capita_rank=per_capita_rank, per_capita_personal_income=50000.0,
                    per_capita_personal_income_rank=income_rank, **provenance(f"{name} 2016"))
    return {"state_economy": [state("California", "06000", 1, 5, 6), state("Connecticut", "09000", 23, 2, 1)],
            "ledger_figures": []}


@pytest.mark.parametrize("entity, rating", [
    ("California", "mostly false"),  # 1st in total GDP, 5th and 6th per person: none of the per-person ranks is 1st
    ("Connecticut", "half true"),    # 23rd in total GDP; 2nd in GDP per person, 1st in per-capita income: one of two
])
def test_richest_state_ranks_the_named_state(tmp_path, entity, rating):
    write_tables(tmp_path, two_states())
    result = evaluate(claim("richest_state", entity=entity, years=[2016], household_income_measure="m",
                            per_person=["GDP per person", "Per-capita personal income"]), tmp_path, sensitivity=False)
    assert result.rating == rating and result.conclusion.startswith(f"In 2016, {entity} ranked")


def layoff_ledger():
    row = dict(cds_code="", definition="", grade_span_or_subject="", value_text="", unit="persons", source_url="",
               source_locator="", confidence="second-hand quote", note="", **provenance("line"))
    return {"ledger_figures": [
        {**row, "ledger": "lausd_layoffs", "entity": LAUSD, "measure": "preliminary layoff notices", "school_year_or_year": "2009-10", "value": 8846.0},
        {**row, "ledger": "lausd_layoffs", "entity": LAUSD, "measure": "preliminary layoff notices", "school_year_or_year": "2010-11", "value": 5000.0},
        {**row, "ledger": "other", "entity": GREEN_DOT, "measure": "reduction in force", "school_year_or_year": "2010-11", "value": 0.0}]}


@pytest.mark.parametrize("network, rating", [
    # LAUSD notices in 2 years and the record says Green Dot made no reduction in force: true, but every row is a
    # second-hand quote, so the source-grade rule makes it mostly true
    (GREEN_DOT, "mostly true"),
    (ALLIANCE, CANT_VERIFY),  # no record about Alliance: its half cannot be checked
])
def test_layoff_record_reads_the_named_networks_record(tmp_path, network, rating):
    write_tables(tmp_path, layoff_ledger())
    result = evaluate(claim("layoff_record", claim_year=2015, network=network, settles_with="s"), tmp_path, sensitivity=False)
    assert result.rating == rating and network in result.conclusion


def test_claimed_rank_reads_the_named_states_rank(tmp_path):
    """One ranking, two states: California 46th (the claimed 46th: true), Utah 51st (false)."""
    def rank(state, value):
        return dict(ranking="Census F-33 current spending per pupil (Table 11)", publisher="U.S. Census Bureau",
                    adjustment="none", data_year="2014-15", reported_year=2017, state=state, rank=value, of_n=51,
                    value=9000.0, value_unit="USD", confidence="official file", **provenance(f"{state} row"))
    write_tables(tmp_path, {"state_rankings": [rank("California", 46), rank("Utah", 51)]})
    for state, rating in (("California", "true"), ("Utah", "false")):
        result = evaluate(claim("claimed_rank", table="state_rankings", entity=state, claimed=46, mode="all_rankings",
                                window=[2013, 2016]), tmp_path, sensitivity=False)
        assert result.rating == rating and result.conclusion.endswith(
            "the claimed 46th for California." if state == "California" else "for Utah; they rank it 51st (U.S. Census Bureau, current spending per pupil, 2014-15).")


def test_network_size_after_the_directory_snapshot_says_membership_is_as_of_it(tmp_path):
    rows = network_rows()
    later = [dict(r, school_year="2019-20") for r in rows["network_size"] if r["network"] == GREEN_DOT]
    write_tables(tmp_path, {"network_size": rows["network_size"] + later, "ledger_figures": []})
    for year, said in (("2015-16", False), ("2019-20", True)):
        result = evaluate(claim("network_size", entity=GREEN_DOT, school_year=year, claimed_schools=16, claimed_students=8_000,
                                network_rule="per CDS code", tolerance=0.05), tmp_path, sensitivity=False)
        assert result.conclusion.endswith("Membership is as of the CDE School Directory 2018-06: a school the network "
                                          "opened later is not counted.") == said


def test_a_district_s_census_membership_is_described_as_the_sources_describe_it():
    """LAUSD's Census fall membership includes the independent charters it authorizes (docs/SOURCES.md); for another
    district the file says nothing either way, and its rows must not carry LAUSD's note. Synthetic rows."""
    import pandas as pd

    from schoolclaims.entities import LAUSD as LAUSD_ENTITY
    from schoolclaims.entities import Entity
    from schoolclaims.transform.funding import from_f33_districts

    rows = pd.DataFrame([dict(fiscal_year=2016, school_year="2015-16", name=name, state="California", total_revenue=1.0e9,
                              total_expenditure=1.1e9, membership=100_000, **provenance(f"{name} line"))
                         for name in ("LOS ANGELES UNIFIED", "SAN DIEGO UNIFIED")])
    lausd = from_f33_districts(rows, LAUSD_ENTITY)
    other = from_f33_districts(rows, Entity(SDUSD, district_code=SDUSD_CODE, spellings=("SAN DIEGO UNIFIED",)))
    assert set(lausd["denominator"]) == {"fall membership (V33); LAUSD's includes the independent charter schools it authorizes"}
    assert set(other["denominator"]) == {"fall membership (V33); whether it counts the independent charter schools the "
                                         "district authorizes, the file does not say"}
    assert set(other["value"]) == {10_000.0, 11_000.0}  # 1.0e9 and 1.1e9 over 100,000 pupils


def test_a_name_several_districts_share_is_said_to_be_ambiguous_not_unknown(tmp_path):
    """Two synthetic districts named alike: the conclusion says the name is that of more than one district."""
    tables = money_tables()
    tables["california_districts"] = [dict(district_code=code, district="Washington Unified", county=county, schools_listed=1,
                                           directory_vintage="2018-06", **provenance(f"{code} row"))
                                      for code, county in (("1076778", "Fresno"), ("5772694", "Yolo"))]
    write_tables(tmp_path, tables)
    result = evaluate(claim("value_near", entity="Washington Unified", claimed=10_000, tolerance=0.1,
                            window=["2019-20", "2019-20"]), tmp_path, sensitivity=False)
    assert result.rating == CANT_VERIFY
    assert " The name is that of more than one district: district 'Washington Unified': expected one district" in result.conclusion
    assert "found 1076778 Washington Unified (Fresno); 5772694 Washington Unified (Yolo)." in result.conclusion
