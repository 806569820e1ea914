"""`schoolclaims trace` leads from a claim, a processed row or a file hash to the raw bytes and back."""

from __future__ import annotations

import pytest

from schoolclaims.cli import main
from schoolclaims.trace import TraceError, trace

F33_FY2016 = "20963536e5f33130f45a8ea0fc264bb84e6ffb99151b9a191dbe16c3100f0fb4"


def test_a_file_names_its_address_origin_and_everything_that_uses_it():
    text = trace(F33_FY2016[:10])
    assert f"sha256     {F33_FY2016}" in text
    assert "address    https://www2.census.gov/programs-surveys/school-finances/tables/2016/" in text
    assert "third-party repository KVSRoyal/funding-analysis at commit c4f843f9e86531a6de407e77e05df31c2161acd5" in text
    assert "data/processed/state_rankings.csv" in text and "data/processed/largest_school_systems.csv" in text
    assert "fund-ca-rank-46 (" in text and "fund-2nd-district (" in text


def test_a_processed_row_names_its_locator_and_file():
    text = trace("state_rankings:2")
    assert text.startswith("row   data/processed/state_rankings.csv line 2: ")
    assert "  locator    " in text and "file  data/raw/" in text


def test_a_claim_names_its_archived_quote_and_the_file_of_every_evidence_row():
    text = trace("fund-ca-rank-46")
    assert "file  data/raw/claim_pages/seeds-2026-11/004_977bb4b1a026526f.txt" in text
    assert "data/raw/census_f33/FY2016/elsec16_sumtables.xls" in text and "sheet '11' row 39" in text
    assert "cited page https://" in text  # a ledger row names the page it transcribes


@pytest.mark.parametrize("target, message", [
    ("0000000000", "no archived file has a sha256 starting 0000000000"),
    ("state_rankings:1", "has lines 2 to"),
    ("nonsense", "is neither a claim id"),
])
def test_targets_that_lead_nowhere_say_why(target, message):
    with pytest.raises(TraceError, match=message):
        trace(target)


def test_the_command_prints_one_line_for_a_bad_target(capsys):
    assert main(["trace", "state_rankings:999999"]) == 3  # a data error (errors.DATA)
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: data/processed/state_rankings.csv has lines 2 to") and "\n" not in err
