"""Bad input gets an error that names the file and the row or field: corrupted and re-laid-out
workbooks, malformed ledgers, malformed claim files."""

from __future__ import annotations

from dataclasses import replace

import pytest
from openpyxl import Workbook

from schoolclaims.sources import LayoutError, cde_current_expense, census_f33, ledgers

LAYOUT = cde_current_expense.layouts()["2019-20"]


def cde_workbook(path, header=None, rows=600, statewide=True):
    """A small workbook in the 2019-20 CDE layout: title rows, header on row 11, LEA rows, a Statewide sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "CDS"
    ws["A1"] = "2019–20 CURRENT EXPENSE PER AVERAGE DAILY ATTENDANCE (ADA) - CDS Code"
    header = header or ["CO", "CDS", "DISTRICT", "EDP 365", "Current\nExpense ADA", "Current\nExpense Per ADA", "LEA Type"]
    for col, text in enumerate(header, start=1):
        ws.cell(row=11, column=col, value=text)
    total_edp = total_ada = 0.0
    for i in range(rows):
        edp, ada = 1_000_000.0 + i, 100.0 + i
        total_edp, total_ada = total_edp + edp, total_ada + ada
        ws.append(["19", f"{60000 + i:05d}", f"District {i}", edp, ada, edp / ada, "Unified"])
    sheet = wb.create_sheet("Statewide")
    if statewide:
        sheet.cell(row=16, column=1, value="Statewide")
        sheet.cell(row=16, column=2, value=total_edp)
        sheet.cell(row=16, column=3, value=total_ada)
        sheet.cell(row=16, column=4, value=f"{total_edp / total_ada:,.2f}")  # text with a comma, as in 2018-19
    wb.save(path)
    return path


def test_fixture_workbook_extracts(tmp_path):
    frame = cde_current_expense.read(cde_workbook(tmp_path / "currentexpense1920.xlsx"), "2019-20")
    assert len(frame) == 601 and frame.iloc[0]["row"] == 12 and frame.iloc[0]["cds"] == "1960000"
    state = frame[frame["level"] == "statewide"].iloc[0]
    assert state["row"] == 16 and state["edp365"] == frame[frame["level"] == "lea"]["edp365"].sum()


def test_renamed_header_names_file_sheet_row_and_expected_cell(tmp_path):
    path = cde_workbook(tmp_path / "currentexpense1920.xlsx",
                        header=["CO", "CDS", "DISTRICT", "Total Expenditures", "ADA", "Per ADA", "LEA Type"])
    with pytest.raises(LayoutError) as err:
        cde_current_expense.read(path, "2019-20")
    message = str(err.value)
    assert "currentexpense1920.xlsx" in message and "'CDS'" in message and "row 11" in message and "EDP 365" in message


def test_header_moved_down_a_row_is_caught(tmp_path):
    path = cde_workbook(tmp_path / "currentexpense1920.xlsx")
    with pytest.raises(LayoutError, match="row 10"):
        cde_current_expense.read(path, "2019-20", replace(LAYOUT, header_row=10))


def test_missing_sheet_is_named(tmp_path):
    path = cde_workbook(tmp_path / "currentexpense1920.xlsx")
    with pytest.raises(LayoutError, match="sheet 'District'"):
        cde_current_expense.read(path, "2019-20", replace(LAYOUT, sheet="District"))


def test_text_in_a_number_cell_names_the_row(tmp_path):
    path = cde_workbook(tmp_path / "currentexpense1920.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["CDS"]["D40"] = "see note"
    wb.save(path)
    with pytest.raises(LayoutError, match=r"row 40 \(EDP 365\): expected a number, found 'see note'"):
        cde_current_expense.read(path, "2019-20")


def test_missing_statewide_row_is_an_error(tmp_path):
    path = cde_workbook(tmp_path / "currentexpense1920.xlsx", statewide=False)
    with pytest.raises(LayoutError, match="Statewide.*row 16"):
        cde_current_expense.read(path, "2019-20")


def test_corrupted_workbook_names_the_file(tmp_path):
    path = tmp_path / "currentexpense1920.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    with pytest.raises(LayoutError, match="currentexpense1920.xlsx: not a readable workbook"):
        cde_current_expense.read(path, "2019-20")


def test_truncated_real_workbook_names_the_file(mirrored, tmp_path):
    archive, mirrors = mirrored
    [resource] = [r for r in archive.for_source("census_f33") if r.vintage == "FY2018"]
    data = archive.locate(resource, mirrors).read_bytes()
    broken = tmp_path / "elsec18_sumtables.xls"
    broken.write_bytes(data[: len(data) // 3])
    with pytest.raises(LayoutError, match="elsec18_sumtables.xls"):
        census_f33.largest_systems(broken, 2018)


def test_wrong_fiscal_year_title_is_caught(mirrored):
    archive, mirrors = mirrored
    [resource] = [r for r in archive.for_source("census_f33") if r.vintage == "FY2018"]
    with pytest.raises(LayoutError, match="Fiscal Year 2016"):
        census_f33.state_per_pupil(archive.locate(resource, mirrors), 2016)


def test_ledger_with_a_non_numeric_value_names_the_line(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text(",".join(ledgers.COLUMNS) + "\n" + "CA,rank,def,2017,46,rank,http://x,para 1,exact,\n"
                    + "CA,rank,def,2018,forty,rank,http://x,para 2,exact,\n")
    with pytest.raises(LayoutError, match="ledger.csv line 3: value 'forty'"):
        ledgers.read(path)


def test_ledger_row_without_citation_is_rejected(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text(",".join(ledgers.COLUMNS) + "\n" + "CA,rank,def,2017,46,rank,,para 1,exact,\n")
    with pytest.raises(LayoutError, match="line 2: every ledger row needs a source_url"):
        ledgers.read(path)


SUBSET_HEADER = "NAME,STNAME,STABBR,SCHLEV,YEAR,CCDNF,TOTALREV,TFEDREV,TSTREV,TLOCREV,TOTALEXP,Z32,Z33,V33"


def _subset(path, rows, header=SUBSET_HEADER):
    path.write_text(header + "\r" + "\r".join(rows) + "\r")  # CR-only line endings, as in f2014.csv
    return path


def test_district_subset_of_another_year_names_the_line(tmp_path):
    from schoolclaims.sources import census_f33_districts

    path = _subset(tmp_path / "f2014.csv", ["A,California,CA,3,14,1,6,1,2,3,5,2,1,10", "B,California,CA,3,15,1,6,1,2,3,5,2,1,10"])
    with pytest.raises(LayoutError, match=r"f2014.csv line 3: YEAR '15'; this file should hold FY2014 \(YEAR 14\)"):
        census_f33_districts.read(path, 2014)


def test_district_subset_with_other_columns_is_refused(tmp_path):
    from schoolclaims.sources import census_f33_districts

    path = _subset(tmp_path / "f2014.csv", ["A,California,CA,3,14,1,6,1,2,3,5,2,1,10"], header=SUBSET_HEADER.replace("V33", "ENROLL"))
    with pytest.raises(LayoutError, match="f2014.csv line 1: expected the 14 columns"):
        census_f33_districts.read(path, 2014)


def test_district_subset_revenue_that_does_not_add_up_names_the_line(tmp_path):
    from schoolclaims.sources import census_f33_districts

    path = _subset(tmp_path / "f2014.csv", ["A,California,CA,3,14,1,6000,1000,2000,3000,5000,2,1,10",
                                            "B,California,CA,3,14,1,90000,1000,2000,3000,5000,2,1,10"])
    with pytest.raises(LayoutError, match="f2014.csv line 3: TOTALREV is not TFEDREV"):
        census_f33_districts.read(path, 2014)


def test_district_subset_text_in_an_amount_names_the_line(tmp_path):
    from schoolclaims.sources import census_f33_districts

    path = _subset(tmp_path / "f2014.csv", ["A,California,CA,3,14,1,6,1,2,3,n/a,2,1,10"])
    with pytest.raises(LayoutError, match="f2014.csv line 2: TOTALEXP 'n/a' is not a number"):
        census_f33_districts.read(path, 2014)


@pytest.mark.parametrize("cell, text", [
    ("  Los\tAngeles \n Unified ", "Los Angeles Unified"),
    ("Los\u00a0Angeles\u2003Unified", "Los Angeles Unified"),  # no-break and em spaces, as Excel exports carry
    ("a\x1cb\x1fc", "a b c"),  # the ASCII separators count as white space too
    (19647.0, "19647.0"), (None, ""), (float("nan"), ""), ("", ""),
])
def test_a_cell_is_cleaned_as_a_white_space_regex_would(cell, text):
    import re

    from schoolclaims.sources._io import clean

    assert clean(cell) == text
    if isinstance(cell, str):  # the rule it keeps: every run of \s is one space, the ends trimmed
        assert clean(cell) == re.sub(r"\s+", " ", cell).strip()
