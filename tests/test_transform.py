"""Transforms: year parsing, price levels, constant dollars, crossings, economy ranks, charts."""

from __future__ import annotations

import pandas as pd
import pytest

from schoolclaims.years import parse_data_year, parse_report_year
from schoolclaims.transform.funding import first_crossing
from schoolclaims.transform.prices import to_constant
from schoolclaims.transform.prices import school_year_average


@pytest.mark.parametrize("text,year", [
    ("2019-20", "2019-20"), ("data 2011-12 (QC 2015)", "2011-12"), ("data 2010 (QC 2013)", "2009-10"),
    ("FY2010 (2009-10)", "2009-10"), ("FY2008", "2007-08"), ("2017 (as of Mar 2017)", ""), ("2017", ""),
])
def test_parse_data_year(text, year):
    assert parse_data_year(text) == year


def test_parse_report_year():
    assert parse_report_year("data 2011-12 (QC 2015)") == 2015
    assert parse_report_year("2017 (as of Mar 2017)") == 2017
    assert parse_report_year("2011-12") is None


def test_school_year_average_needs_all_twelve_months():
    months = pd.DataFrame({"series_id": "X", "year": [2019] * 6 + [2020] * 6 + [2020] * 3,
                           "month": list(range(7, 13)) + list(range(1, 7)) + [7, 8, 9], "value": [100.0] * 12 + [200.0] * 3})
    result = school_year_average(months)
    assert result["school_year"].tolist() == ["2019-20"] and result["index"].iloc[0] == 100.0


def test_constant_dollars_use_the_base_year_level():
    index = pd.DataFrame({"series_id": "S", "school_year": ["2009-10", "2019-20"], "index": [200.0, 250.0]})
    values = to_constant(pd.Series([1000.0, 1000.0]), pd.Series(["2009-10", "2019-20"]), index, series_id="S")
    assert values.tolist() == [1250.0, 1000.0]
    with pytest.raises(ValueError, match="base year"):
        to_constant(pd.Series([1.0]), pd.Series(["2009-10"]), index, series_id="S", base_year="2030-31")


def test_first_crossing():
    table = pd.DataFrame({"entity": "E", "measure_id": ["a", "a", "a", "b"], "dollars": "nominal",
                          "school_year": ["2019-20", "2020-21", "2021-22", "2019-20"], "value": [19000, 21000, 25000, 5000]})
    result = first_crossing(table, 20000).set_index("measure_id")
    assert result.loc["a", "first_year_at_or_above"] == "2020-21" and result.loc["b", "first_year_at_or_above"] == ""


def test_economy_ranks_exclude_dc_and_rank_fifty_states():
    from schoolclaims.tables import load

    economy = load("state_economy")
    year = economy[economy["year"] == 2017]
    assert year["gdp_per_capita_rank"].notna().sum() == 50
    assert year.loc[year["state"] == "District of Columbia", "gdp_per_capita_rank"].isna().all()
    assert sorted(year["gdp_per_capita_rank"].dropna().astype(int)) == list(range(1, 51))


def test_chart_export_is_deterministic_and_complete(tmp_path):
    from schoolclaims.report import funding, style
    from schoolclaims.tables import load

    per_pupil = load("per_pupil_funding")
    outputs = []
    for run in ("a", "b"):
        fig, data = funding.per_pupil_chart(per_pupil, "nominal", 20000, ["2019-20"])
        files = style.export(fig, "chart", data, alt_text=funding.per_pupil_alt(data, "nominal", 20000),
                              dollars="nominal", folder=tmp_path / run)
        outputs.append([p.read_bytes() for p in (files.png, files.svg, files.csv, files.alt)])
    assert outputs[0] == outputs[1]
    assert b"<dc:date>" not in outputs[0][1]  # no timestamp in the SVG
    csv = pd.read_csv(tmp_path / "a" / "chart.csv")
    assert {"source_id", "file_sha256", "locator"} <= set(csv.columns)


def test_source_line_names_each_source_once_and_ledgers_with_their_confidence():
    from schoolclaims.report.style import source_line
    from schoolclaims.sources import labels

    frame = pd.DataFrame({
        "source_id": ["ledgers/rankings.csv", "ledgers/rankings.csv", "bea_sagdp1+bea_sainc1", "cde_frpm+not_declared", "cde_frpm"],
        "confidence": ["second-hand quote", "official page", None, None, None],
    })
    line = source_line(frame)
    names = [*labels("bea_sagdp1+bea_sainc1"), *labels("cde_frpm+not_declared"),
             "hand-transcribed ledger rankings.csv (official page; second-hand quote)"]
    assert line == "Source: " + "; ".join(dict.fromkeys(names)) + ". Every row, with file sha256 and locator, is in the chart's CSV at the address below."
    assert "not_declared" in line and line.count(labels("cde_frpm")[0]) == 1


def test_committed_charts_match_a_fresh_render(tmp_path):
    """The chart files in report/charts are what the library draws from the committed tables today."""
    from schoolclaims import paths
    from schoolclaims.report import funding, style
    from schoolclaims.tables import load

    from schoolclaims.claims import evaluate, load_claim

    claim = load_claim(paths.CLAIMS / "fund-20-by-20.yaml")
    target = claim.evaluation.params
    fig, data = funding.per_pupil_chart(load("per_pupil_funding"), "constant", target["threshold"], target["target_years"])
    files = style.export(fig, "lausd_per_pupil_constant", data,
                          alt_text=funding.per_pupil_alt(data, "constant", target["threshold"]),
                          dollars="2019-20 dollars, CPI-U Los Angeles-Long Beach-Anaheim (CUURS49ASA0), July-June means",
                          folder=tmp_path, page="funding.html", title=style.finding(evaluate(claim, sensitivity=False)))
    committed = paths.ROOT / "report" / "charts"
    for path in (files.png, files.svg, files.csv, files.alt, files.phone):
        assert path.read_bytes() == (committed / path.name).read_bytes(), path.name


def test_california_beside_the_national_average():
    """Census F-33 Table 8 gives California and the United States side by side: below the national figure in
    FY2015, FY2016 and FY2018, above it in FY2019 (sheet '8' rows 17 and 11)."""
    from schoolclaims.tables import load

    table = load("per_pupil_funding")
    f33 = table[(table["measure_id"] == "census_f33_current_spending_per_pupil") & (table["dollars"] == "nominal")]
    wide = f33.pivot(index="school_year", columns="entity", values="value")
    assert wide.loc["2015-16", "United States"] == 11761.87 and wide.loc["2018-19", "United States"] == 13187.35
    above = wide["California (statewide)"] > wide["United States"]
    assert above.to_dict() == {"2014-15": False, "2015-16": False, "2017-18": False, "2018-19": True}


def _districts(names):
    return pd.DataFrame({"fiscal_year": 2016, "school_year": "2015-16", "name": names, "state": "California",
                         "state_code": "CA", "total_revenue": 1_000_000.0, "total_expenditure": 900_000.0,
                         "membership": 100.0, "source_id": "census_f33_districts", "file_sha256": "c" * 64,
                         "locator": "line 2"})


def test_district_subset_measures_divide_by_membership_and_say_they_are_second_hand():
    from schoolclaims.transform.funding import MEASURES, from_f33_districts

    rows = from_f33_districts(_districts(["LOS ANGELES UNIFIED", "Los Angeles Unified ROCP"])).set_index("measure_id")
    assert rows.loc["census_f33_total_revenue_per_pupil", "value"] == 10_000
    assert rows.loc["census_f33_total_expenditure_per_pupil", "value"] == 9_000
    assert (rows["confidence"] == "third-party subset of the Census F-33 district file (second-hand)").all()
    assert "capital outlay" in MEASURES["census_f33_total_expenditure_per_pupil"]["numerator"]
    assert (rows["denominator"] == "fall membership (V33); LAUSD's includes the independent charter schools it authorizes").all()


def test_district_subset_with_two_systems_of_that_name_is_an_error():
    from schoolclaims.transform.funding import from_f33_districts

    with pytest.raises(ValueError, match="more than one California system named Los Angeles Unified"):
        from_f33_districts(_districts(["Los Angeles Unified", "LOS ANGELES UNIFIED"]))


def _bea(line_values: dict[tuple[str, int], float], table: str) -> pd.DataFrame:
    """BEA rows in the extracted shape: (fips, line) -> value for 2002."""
    names = {"49000": "Utah", "50000": "Vermont", "11000": "District of Columbia"}
    return pd.DataFrame([{"geo_fips": fips, "geo_name": names[fips], "line_code": line, "year": 2002, "value": value,
                          "line": 1, "retrieved_at": "t", "file_sha256": table} for (fips, line), value in line_values.items()])


def test_gdp_per_person_ranks_come_from_the_unrounded_quotient():
    """Worked by hand: Vermont $32,759.38 million / 1,000,000 people = $32,759.38 per person; Utah $65,518.42 million /
    2,000,000 people = $32,759.21 (BEA's 2002 figures are this close). Unrounded, Vermont ranks above Utah; rounded
    to whole dollars both are $32,759 and would tie."""
    from schoolclaims.transform.economy import state_economy

    gdp = _bea({("49000", 3): 65_518.42, ("50000", 3): 32_759.38, ("11000", 3): 70_000.0}, "g")
    inc = _bea({("49000", 2): 2_000_000.0, ("50000", 2): 1_000_000.0, ("11000", 2): 570_000.0,
                ("49000", 3): 25_000.0, ("50000", 3): 30_000.0, ("11000", 3): 50_000.0}, "i")
    table = state_economy(gdp, inc).set_index("state")
    assert table.loc["Vermont", "gdp_per_capita"] == 32_759.38 and table.loc["Utah", "gdp_per_capita"] == 32_759.21
    assert (table.loc["Vermont", "gdp_per_capita_rank"], table.loc["Utah", "gdp_per_capita_rank"]) == (1, 2)
    assert pd.isna(table.loc["District of Columbia", "gdp_per_capita_rank"])


def test_utah_2002_is_37th_and_vermont_36th_in_gdp_per_person():
    from schoolclaims.tables import load

    year = load("state_economy").query("year == 2002 and vintage == '2020-04'").set_index("state")  # BEA 2020 files
    assert (year.loc["Vermont", "gdp_per_capita_rank"], year.loc["Utah", "gdp_per_capita_rank"]) == (36, 37)
    assert sorted(year["gdp_per_capita_rank"].dropna().astype(int)) == list(range(1, 51))


def test_census_table_8_instruction_per_pupil_for_every_state_and_the_us():
    """Table 8 column F (instruction, total), read from the FY2016 and FY2019 workbooks: United States $7,159.80 in
    2015-16 and $7,963.02 in 2018-19 (the sheet's cells are 7159.799424 and 7963.022414)."""
    from schoolclaims.tables import load

    table = load("state_instruction_per_pupil")
    us = table[table["state"] == "United States"].set_index("school_year")["per_pupil_instruction"]
    assert (us["2015-16"], us["2018-19"]) == (7159.80, 7963.02)
    assert (table.groupby("school_year").size() == 52).all() and set(table["school_year"]) == set(us.index)
