"""Every committed processed table passes its schema, and bad data fails it."""

from __future__ import annotations

import pytest

from schoolclaims.tables import SCHEMAS, validate
from schoolclaims.tables import load


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_tables_validate(name):
    validate(name, load(name))


def _break(name, mutate):
    """``mutate`` changes the frame in place, or returns a changed copy."""
    frame = load(name)
    frame = mutate(frame) if mutate(frame.copy()) is not None else _mutated(frame, mutate)
    with pytest.raises(ValueError, match=f"{name}.csv failed validation"):
        validate(name, frame)


def _mutated(frame, mutate):
    mutate(frame)
    return frame


def test_negative_expenditure_fails():
    _break("cde_current_expense", lambda f: f.__setitem__("edp365", f["edp365"].where(f.index != 5, -1.0)))


def test_per_ada_inconsistent_with_totals_fails():
    _break("cde_current_expense", lambda f: f.__setitem__("per_ada", f["per_ada"].where(f.index != 7, f["per_ada"] + 50)))


def test_bad_cds_code_fails():
    _break("cde_current_expense", lambda f: f.__setitem__("cds", f["cds"].where(f.index != 3, "19-647")))


def test_missing_lausd_year_fails():
    def drop_lausd(frame):
        index = frame[(frame["cds"] == "1964733") & (frame["school_year"] == "2010-11")].index
        return frame.drop(index=index)
    _break("cde_current_expense", drop_lausd)


def test_a_year_with_too_few_leas_fails():
    def thin(frame):
        index = frame[(frame["school_year"] == "2005-06") & (frame["level"] == "lea") & (frame["cds"] != "1964733")].index[100:]
        return frame.drop(index=index)
    _break("cde_current_expense", thin)


def test_bad_sha_fails():
    _break("per_pupil_funding", lambda f: f.__setitem__("file_sha256", f["file_sha256"].where(f.index != 0, "abc")))


def test_constant_row_without_base_year_fails():
    def strip(frame):
        frame.loc[frame["dollars"] == "constant", "base_year"] = ""
    _break("per_pupil_funding", strip)


def test_duplicate_key_fails():
    import pandas as pd

    frame = load("per_pupil_funding")
    frame = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)
    with pytest.raises(ValueError, match="failed validation"):
        validate("per_pupil_funding", frame)


def test_rank_out_of_range_fails():
    _break("state_rankings", lambda f: f.__setitem__("rank", f["rank"].where(f.index != 0, 60)))


def test_economy_missing_state_fails():
    _break("state_economy", lambda f: f.drop(index=f.index[:1]))


def test_extra_column_fails():
    _break("price_index", lambda f: f.__setitem__("note", "x"))


def test_an_entity_outside_the_list_fails():
    _break("per_pupil_funding", lambda f: f.__setitem__("entity", f["entity"].where(f.index != 0, "Texas")))


def test_a_national_row_of_another_measure_fails():
    def relabel(frame):
        frame.loc[frame[frame["entity"] == "United States"].index[0], "measure_id"] = "cde_current_expense_per_ada"
    _break("per_pupil_funding", relabel)


def test_a_census_year_without_the_national_figure_fails():
    def drop_us(frame):
        return frame.drop(index=frame[(frame["entity"] == "United States") & (frame["school_year"] == "2015-16")].index)
    _break("per_pupil_funding", drop_us)


def _first(frame, column, value):
    frame.loc[frame.index[0], column] = value


@pytest.mark.parametrize("column, value", [
    ("cds", "01612590112771"),      # a school outside Los Angeles County (Oakland)
    ("district_code", "1964734"),   # not the first 7 digits of the school's CDS code
    ("charter", "Yes"),             # flags are normalized to Y, N or blank
    ("campus", "K-8"),              # not one of the campus types
    ("low_grade", "N/A"),           # nonpublic rows' 'N/A' grades are kept blank
    ("enrollment_k12", -1),
])
def test_bad_school_enrollment_cells_fail(column, value):
    _break("la_county_school_enrollment", lambda f: _first(f, column, value))


def test_a_school_twice_in_a_year_fails():
    import pandas as pd

    frame = load("la_county_school_enrollment")
    with pytest.raises(ValueError, match="failed validation"):
        validate("la_county_school_enrollment", pd.concat([frame, frame.iloc[[0]]], ignore_index=True))


def test_a_year_missing_most_schools_fails():
    _break("la_county_school_enrollment", lambda f: f.drop(index=f[f["school_year"] == "2015-16"].index[500:]))


@pytest.mark.parametrize("column, value", [
    ("days", 0.0),            # TSAL1's 0 days is written as missing; a zero-day year is not a schedule
    ("county", "Orange"),     # LACOE's code 19 with another county's name
    ("min_salary", 200_001.0),
])
def test_bad_district_salary_cells_fail(column, value):
    def set_lausd(frame):
        frame.loc[frame["cds"] == "1964733", column] = value
    _break("california_district_salaries", set_lausd)


def test_a_district_salary_maximum_below_its_minimum_fails():
    def swap(frame):
        frame.loc[frame["cds"] == "1964733", "max_salary"] = 40_000.0
    _break("california_district_salaries", swap)


def test_a_j90_year_with_only_one_county_fails():
    _break("california_district_salaries", lambda f: f[f["county"] == "Los Angeles"])


def test_a_district_twice_in_a_year_fails():
    import pandas as pd

    frame = load("california_district_salaries")
    with pytest.raises(ValueError, match="failed validation"):
        validate("california_district_salaries", pd.concat([frame, frame.iloc[[0]]], ignore_index=True))


def test_a_district_subset_figure_labelled_official_fails():
    def relabel(frame):
        frame.loc[frame["measure_id"] == "census_f33_total_revenue_per_pupil", "confidence"] = "official file"
    _break("per_pupil_funding", relabel)
