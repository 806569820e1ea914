"""Extractors on the real mirrored files (every file the funding build uses)."""

from __future__ import annotations

import pytest

from schoolclaims.acquire.archive import Archive
from schoolclaims.entities import LAUSD
from schoolclaims.sources import bea_regional, bls_cpi, cde_current_expense, census_f33
from schoolclaims.transform.prices import school_year_average


def _path(mirrored, source_id, vintage):
    archive, mirrors = mirrored
    [resource] = [r for r in archive.for_source(source_id) if r.vintage == vintage]
    return archive.locate(resource, mirrors)


@pytest.mark.parametrize("school_year", sorted(cde_current_expense.layouts()))
def test_cde_current_expense_every_year(mirrored, school_year):
    frame = cde_current_expense.read(_path(mirrored, "cde_current_expense", school_year), school_year)
    lea = frame[frame["level"] == "lea"]
    assert 900 <= len(lea) <= 1000
    assert lea["cds"].is_unique
    lausd = lea[lea["cds"] == LAUSD.district_code].iloc[0]
    assert lausd["lea_name"] == "Los Angeles Unified"
    assert abs(lausd["edp365"] / lausd["ada"] - lausd["per_ada"]) < 0.01
    state = frame[frame["level"] == "statewide"].iloc[0]
    assert abs(state["edp365"] / lea["edp365"].sum() - 1) < 0.02


def test_cde_known_values(mirrored):
    """Hand-checked against the workbooks: LAUSD row 296 of 2019-20, statewide row of 2018-19 (a text cell)."""
    frame = cde_current_expense.read(_path(mirrored, "cde_current_expense", "2019-20"), "2019-20")
    lausd = frame[frame["cds"] == "1964733"].iloc[0]
    assert (lausd["row"], round(lausd["per_ada"], 2), round(lausd["ada"], 2)) == (296, 16383.54, 454546.06)
    frame = cde_current_expense.read(_path(mirrored, "cde_current_expense", "2018-19"), "2018-19")
    state = frame[frame["level"] == "statewide"].iloc[0]
    assert state["per_ada"] == 13079.77 and state["sheet"] == "Statewide"


def test_cde_years_without_a_published_total_are_flagged(mirrored):
    frame = cde_current_expense.read(_path(mirrored, "cde_current_expense", "1998-99"), "1998-99")
    state = frame[frame["level"] == "statewide"].iloc[0]
    assert bool(state["statewide_derived"]) and "sum of LEA rows" in state["lea_name"]


F33_ARCHIVED = sorted(int(r.vintage.removeprefix("FY")) for r in Archive().for_source("census_f33"))


def test_f33_years_archived():
    assert F33_ARCHIVED == [2015, 2016, 2018, 2019]


@pytest.mark.parametrize("fiscal_year", F33_ARCHIVED)
def test_f33_tables(mirrored, fiscal_year):
    path = _path(mirrored, "census_f33", f"FY{fiscal_year}")
    states = census_f33.state_per_pupil(path, fiscal_year)
    ranks = census_f33.state_ranks(path, fiscal_year)
    merged = ranks.merge(states, on="state", suffixes=("_t11", "_t8"))
    assert len(merged) == 51 and "United States" in set(states["state"])  # the national row is kept
    assert (merged["per_pupil_current_spending_t11"] - merged["per_pupil_current_spending_t8"]).abs().max() < 1
    computed = merged["per_pupil_current_spending_t8"].rank(ascending=False, method="min").astype(int)
    assert (computed == merged["rank"]).all()  # Table 11's ranks agree with Table 8's values
    if census_f33.layouts()[fiscal_year].systems_table:
        systems = census_f33.largest_systems(path, fiscal_year)
        lausd = systems[systems["school_system"] == "Los Angeles Unified"].iloc[0]
        assert lausd["enrollment_rank"] == 2 and lausd["state"] == "California"
    else:
        with pytest.raises(census_f33.LayoutError, match="no largest-system tables"):
            census_f33.largest_systems(path, fiscal_year)


def test_f33_known_values(mirrored):
    systems = census_f33.largest_systems(_path(mirrored, "census_f33", "FY2018"), 2018)
    lausd = systems[systems["enrollment_rank"] == 2].iloc[0]
    assert (lausd["enrollment"], round(lausd["per_pupil_current_spending"], 2), lausd["row"]) == (621414, 13247.37, 13)


@pytest.mark.parametrize("fiscal_year, sheet_row, value", [
    # hand-checked in the workbooks: Table 8 (sheet '8') column C, rows 11 (United States) and 17 (California)
    (2015, ("8", 11), 11391.83), (2015, ("8", 17), 10466.53),
    (2019, ("8", 11), 13187.35), (2019, ("8", 17), 14034.03),
])
def test_f33_state_cells(mirrored, fiscal_year, sheet_row, value):
    states = census_f33.state_per_pupil(_path(mirrored, "census_f33", f"FY{fiscal_year}"), fiscal_year)
    row = states[(states["sheet"] == sheet_row[0]) & (states["row"] == sheet_row[1])].iloc[0]
    assert round(row["per_pupil_current_spending"], 2) == value
    assert row["state"] == ("United States" if sheet_row[1] == 11 else "California")


@pytest.mark.parametrize("fiscal_year, row, rank", [(2015, 46, 29), (2019, 33, 18)])  # Table 11: column A rank, K 'CA....'
def test_f33_california_rank_cells(mirrored, fiscal_year, row, rank):
    ranks = census_f33.state_ranks(_path(mirrored, "census_f33", f"FY{fiscal_year}"), fiscal_year)
    california = ranks[ranks["state"] == "California"].iloc[0]
    assert (california["row"], california["rank"]) == (row, rank)


def test_f33_fy2019_lausd_cell(mirrored):
    """Table 18 row 13: rank 2, Los Angeles Unified, enrollment 495,255 (independent charters out of scope from
    FY2019), current spending per pupil 15,793.14."""
    systems = census_f33.largest_systems(_path(mirrored, "census_f33", "FY2019"), 2019)
    lausd = systems[systems["school_system"] == "Los Angeles Unified"].iloc[0]
    assert (lausd["row"], lausd["enrollment_rank"], lausd["enrollment"]) == (13, 2, 495255)
    assert round(lausd["per_pupil_current_spending"], 2) == 15793.14


def test_f33_fy2015_extract_has_no_systems_frame(mirrored):
    archive, mirrors = mirrored
    [resource] = [r for r in archive.for_source("census_f33") if r.vintage == "FY2015"]
    frames = census_f33.extract(resource, archive.locate(resource, mirrors))
    assert sorted(frames) == ["f33_ranks", "f33_states"]
    assert frames["f33_states"]["locator"].iloc[0] == "sheet '8' row 11"


@pytest.mark.parametrize("source_id,vintage,line,year,value", [
    ("bea_sagdp1", "1997-2019", 3, 2017, 2831038.4),  # California current-dollar GDP, millions
    ("bea_sainc1", "1929-2019", 2, 2017, 39358497),  # California population
])
def test_bea(mirrored, source_id, vintage, line, year, value):
    frame = bea_regional.read(_path(mirrored, source_id, vintage), source_id)
    row = frame[(frame["geo_fips"] == "06000") & (frame["line_code"] == line) & (frame["year"] == year)].iloc[0]
    assert row["value"] == value
    assert frame["geo_fips"].str.fullmatch(r"\d{5}").all()  # footnote rows dropped


def test_bea_reads_the_csv_inside_a_zip(mirrored, tmp_path):
    import zipfile

    csv_path = _path(mirrored, "bea_sagdp1", "1997-2019")
    with zipfile.ZipFile(tmp_path / "SAGDP.zip", "w") as archive:
        archive.write(csv_path, "SAGDP1__ALL_AREAS_1997_2019.csv")
        archive.writestr("SAGDP1__definition.xml", "<x/>")
    assert bea_regional.read(tmp_path / "SAGDP.zip", "bea_sagdp1").equals(bea_regional.read(csv_path, "bea_sagdp1"))


def test_cpi_export_is_committed_and_averages_school_years():
    from schoolclaims.acquire.archive import Archive

    archive = Archive()
    [resource] = archive.for_source("bls_cpi")
    monthly = bls_cpi.read(archive.locate(resource))
    averages = school_year_average(monthly)
    la = averages[(averages["series_id"] == bls_cpi.LA_SERIES) & (averages["school_year"] == "2019-20")].iloc[0]
    months = monthly[(monthly["series_id"] == bls_cpi.LA_SERIES)
                     & (((monthly["year"] == 2019) & (monthly["month"] >= 7)) | ((monthly["year"] == 2020) & (monthly["month"] <= 6)))]
    assert len(months) == 12 and la["index"] == pytest.approx(months["value"].mean())


@pytest.mark.parametrize("fiscal_year, line, revenue, expenditure, membership", [
    # hand-checked in the files: f2014.csv (CR line endings, upper-case names) line 1913, f2015.csv line 1917,
    # f2016.csv line 1906: LOS ANGELES UNIFIED / Los Angeles Unified, California, CA, SCHLEV 3
    (2014, 1913, 8_569_075_000, 8_535_364_000, 653_826),
    (2015, 1917, 9_254_891_000, 9_167_075_000, 646_683),
    (2016, 1906, 10_329_380_000, 9_686_165_000, 639_337),
])
def test_f33_district_subset_lausd_cells(mirrored, fiscal_year, line, revenue, expenditure, membership):
    from schoolclaims.sources import census_f33_districts

    frame = census_f33_districts.read(_path(mirrored, "census_f33_districts", f"FY{fiscal_year}"), fiscal_year)
    lausd = frame[frame["name"].str.casefold().eq("los angeles unified") & (frame["state"] == "California")]
    assert len(lausd) == 1
    row = lausd.iloc[0]
    assert (row["line"], row["total_revenue"], row["total_expenditure"], row["membership"]) == (line, revenue, expenditure, membership)
    assert 18_000 < len(frame) < 19_000


def test_f33_district_subset_agrees_with_the_fy2016_summary_tables(mirrored):
    """The subset's LAUSD FY2016 figures are Census's: Table 15 row 15 column F (total revenue, $ thousands)
    10,329,380; Table 16 row 15 column F (total expenditure) 9,686,165; Table 18 row 13 enrollment 639,337;
    Table 16 row 15 column K (instruction salaries and wages) 2,866,544 is Z33."""
    import pandas as pd

    from schoolclaims.sources import census_f33_districts

    subset = census_f33_districts.read(_path(mirrored, "census_f33_districts", "FY2016"), 2016)
    lausd = subset[subset["name"] == "Los Angeles Unified"].iloc[0]
    tables = _path(mirrored, "census_f33", "FY2016")
    t15 = pd.read_excel(tables, sheet_name="15", header=None, engine="calamine")
    t16 = pd.read_excel(tables, sheet_name="16", header=None, engine="calamine")
    assert t15.iloc[14, 2] == t16.iloc[14, 2] == "Los Angeles Unified"
    assert lausd["total_revenue"] == t15.iloc[14, 5] * 1000
    assert lausd["total_expenditure"] == t16.iloc[14, 5] * 1000
    assert lausd["instruction_salaries"] == t16.iloc[14, 10] * 1000
    systems = census_f33.largest_systems(tables, 2016)
    assert lausd["membership"] == systems[systems["school_system"] == "Los Angeles Unified"].iloc[0]["enrollment"]
