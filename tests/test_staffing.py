"""Pupils per teacher (a staffing ratio, not class size) from the CCD 2015-16 charter file: the band, the flags, sums
that leave flagged schools out; and on the mirrored file, Alliance's schools against FRPM 2015-16."""

from __future__ import annotations

import pandas as pd
import pytest

from schoolclaims.transform import staffing

SHA = "0" * 64  # synthetic rows (made up for the test)


def ccd_rows():
    return pd.DataFrame({
        "ncessch": ["062271000001", "062271000002", "062271000003", "062271000004", "060000000005"],
        "state": ["CA", "CA", "CA", "CA", "CA"], "cmo_name": ["Net A", "Net A", "Net A", "None", "Net B"],
        "level": "High", "nces_district": ["0622710", "0622710", "0622710", "0622710", "0600000"],
        "students": [500.0, 300.0, 420.0, 100.0, 200.0], "teacher_fte": [25.0, 6.0, None, 5.0, 8.0],
        "source_id": "ccd_charters_1516", "file_sha256": SHA, "locator": [f"line {n}" for n in range(2, 7)]})


def directory_rows():
    return pd.DataFrame({"cds": ["19647330000001", "19647330000002"], "school": ["A One", "A Two"],
                         "nces_district": ["0622710", "0622710"], "nces_school": ["00001", "00002"],
                         "source_id": "cde_directory", "file_sha256": "1" * 64, "locator": ["sheet row 2", "sheet row 3"]})


def test_the_band_flags_and_the_sums_leave_flagged_schools_out():
    networks = pd.DataFrame({"school_year": "2015-16", "cds": ["19647330000001", "19647330000002"], "network": "Network A"})
    table = staffing.charter_staffing(ccd_rows(), directory_rows(), networks).set_index("ncessch")
    # 500 / 25 = 20.0 (kept); 300 / 6 = 50.0 (outside 10-35: flagged); 420 / no FTE (flagged); 100 / 5 = 20.0; 200 / 8 = 25.0
    assert list(table["pupils_per_teacher"].fillna(-1)) == [25.0, 20.0, 50.0, -1, 20.0]
    assert list(table["plausible"]) == [True, True, False, False, True]
    assert table.loc["062271000002", "flag"].startswith("50.0 pupils per FTE teacher, outside the 10-35 band")
    assert table.loc["062271000001", ["cds", "network"]].tolist() == ["19647330000001", "Network A"]
    assert table.loc["062271000001", "file_sha256"] == SHA + "+" + "1" * 64
    assert table.loc["062271000003", ["cds", "network"]].tolist() == ["", ""]  # not in the directory: the file's CMO only
    ratios = staffing.network_ratios(table.reset_index()).set_index(["network", "in_lausd_boundaries"])
    # Network A (two schools matched by NCES id) in LAUSD: only A One counts: 500 / 25 = 20.0
    a = ratios.loc[("Network A", True)]
    assert (a["schools"], a["schools_summed"], a["students"], a["pupils_per_teacher"]) == (2, 1, 500.0, 20.0)
    assert "A Two: 50.0 pupils per FTE teacher" in a["left_out"]
    # 'Net A' as the file codes the unmatched school: its only school has no FTE, so nothing is summed
    assert ratios.loc[("Net A", True), "schools_summed"] == 0 and pd.isna(ratios.loc[("Net A", True), "pupils_per_teacher"])
    assert ratios.loc[(staffing.NO_NETWORK, True), "pupils_per_teacher"] == 20.0
    assert ratios.loc[("Net B", False), "pupils_per_teacher"] == 25.0


def test_alliance_in_the_mirrored_file():
    """The three Alliance middle schools with implausible FTE (295 / 6.1 = 48.4, 419 / 11 = 38.1, 293 / 6 = 48.8) are
    flagged and left out; every matched Alliance school's CCD students equal its FRPM 2015-16 Census Day count."""
    from schoolclaims.tables import load

    table = load("charter_staffing_2015_16")
    alliance = table[table["network"] == "Alliance College-Ready Public Schools"]
    flagged = alliance[~alliance["plausible"] & alliance["pupils_per_teacher"].notna()]
    assert sorted(flagged["pupils_per_teacher"]) == [38.09, 48.36, 48.83]
    frpm = load("network_schools").query("school_year == '2015-16'")[["cds", "enrollment_k12"]]
    both = alliance.merge(frpm, on="cds")
    assert len(both) == len(alliance) and (both["students"] == both["enrollment_k12"]).all()
    ratios = staffing.network_ratios(table).set_index(["network", "in_lausd_boundaries"])
    summed = ratios.loc[("Alliance College-Ready Public Schools", True)]
    plausible = alliance[alliance["plausible"]]
    assert summed["students"] == plausible["students"].sum() and summed["schools_summed"] == len(plausible) == 18


@pytest.mark.parametrize("students, fte, empty", [(350.0, 10.0, True), (351.0, 10.0, False), (100.0, 10.0, True),
                                                  (99.0, 10.0, False), (100.0, 0.0, False)])
def test_band_edges(students, fte, empty):
    assert (staffing.flag(students, fte) == "") == empty  # 10 and 35 pupils per teacher are inside the band
